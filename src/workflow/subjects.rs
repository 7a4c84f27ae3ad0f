//! The runs that reach a job, and the `sub` claim GitHub sends for each: one concrete sample per
//! kind of ref a trigger can run on (a branch filter's names, the default branch and another
//! branch, a tag), filtered by the job's `if:`.

use super::expr;
use super::model::{Job, Trigger, Workflow};

/// A branch name that stands for "any other branch".
pub const OTHER_BRANCH: &str = "feature/x";
/// A tag name that stands for "any tag".
pub const SAMPLE_TAG: &str = "v1.0.0";

/// One kind of run that reaches the job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub event: String,
    /// The trigger's line (where a finding points).
    pub line: usize,
    /// The ref the run has (`None` when the subject does not carry it).
    pub git_ref: Option<String>,
    /// What GitHub puts after the repository in `sub` (`ref:refs/heads/main`, `pull_request`,
    /// `environment:prod`); `None` when it cannot be known (an environment given by expression).
    pub suffix: Option<String>,
}

impl Run {
    /// The run in words: `a push to refs/heads/main`.
    pub fn describe(&self) -> String {
        let what = match self.event.as_str() {
            "push" => "a push",
            "release" => "a release",
            "workflow_dispatch" => "a manual run (workflow_dispatch)",
            "pull_request" => "a pull request run",
            "pull_request_target" => "a pull_request_target run",
            "schedule" => "a scheduled run",
            other => return format!("a {other} run"),
        };
        match &self.git_ref {
            Some(r) if self.event != "pull_request" => format!("{what} on {r}"),
            _ => what.to_owned(),
        }
    }
}

/// A concrete name matching a GitHub filter pattern (`release/**` → `release/x/y`); `None` for a
/// negated pattern.
fn sample(pattern: &str) -> Option<String> {
    if pattern.starts_with('!') {
        return None;
    }
    Some(
        pattern
            .replace("**", "x/y")
            .replace(['*', '?'], "x")
            .replace(['[', ']'], ""),
    )
}

/// The refs a trigger can run on, as samples.
fn refs(trigger: &Trigger, default_branch: &str) -> Vec<String> {
    let heads = |names: Vec<String>| -> Vec<String> {
        names
            .into_iter()
            .map(|n| format!("refs/heads/{n}"))
            .collect()
    };
    let any_branch = || heads(vec![default_branch.to_owned(), OTHER_BRANCH.to_owned()]);
    let any_tag = || vec![format!("refs/tags/{SAMPLE_TAG}")];
    match trigger.event.as_str() {
        "push" => match (&trigger.branches, &trigger.tags) {
            (None, None) => [any_branch(), any_tag()].concat(),
            (Some(b), None) => heads(b.iter().filter_map(|p| sample(p)).collect()),
            (None, Some(t)) => t
                .iter()
                .filter_map(|p| sample(p))
                .map(|t| format!("refs/tags/{t}"))
                .collect(),
            (Some(b), Some(t)) => [
                heads(b.iter().filter_map(|p| sample(p)).collect()),
                t.iter()
                    .filter_map(|p| sample(p))
                    .map(|t| format!("refs/tags/{t}"))
                    .collect(),
            ]
            .concat(),
        },
        "release" => any_tag(),
        "workflow_dispatch" => [any_branch(), any_tag()].concat(),
        "pull_request" => vec!["refs/pull/1/merge".to_owned()],
        _ => heads(vec![default_branch.to_owned()]),
    }
}

/// Every kind of run of `workflow` that reaches `job`, with its subject suffix. Reusable-workflow
/// calls (`workflow_call`) are left out: the caller decides their subject.
pub fn runs(workflow: &Workflow, job: &Job, default_branch: &str) -> Vec<Run> {
    let branches = expr::condition(job.condition.as_deref());
    let environment = job.environment.as_ref().map(|(name, _)| name.as_str());
    let mut out: Vec<Run> = Vec::new();
    for trigger in &workflow.triggers {
        if trigger.event == "workflow_call" {
            continue;
        }
        for git_ref in refs(trigger, default_branch) {
            let reaches = branches
                .iter()
                .any(|b| b.allows_event(&trigger.event) && b.refs.allows(&git_ref));
            if !reaches {
                continue;
            }
            let suffix = match environment {
                Some(env) if expr::is_expression(env) => None,
                Some(env) => Some(format!("environment:{env}")),
                None if trigger.event == "pull_request" => Some("pull_request".to_owned()),
                None => Some(format!("ref:{git_ref}")),
            };
            let run = Run {
                event: trigger.event.clone(),
                line: trigger.line,
                git_ref: Some(git_ref),
                suffix,
            };
            if !out.contains(&run) {
                out.push(run);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workflow::{model, yaml};

    fn job_runs(text: &str) -> Vec<(String, Option<String>)> {
        let wf = model::read(&yaml::parse(text).unwrap());
        let job = wf.jobs.last().unwrap().clone();
        runs(&wf, &job, "main")
            .into_iter()
            .map(|r| (r.event, r.suffix))
            .collect()
    }

    #[test]
    fn release_and_dispatch_send_tag_and_branch_refs() {
        let runs = job_runs(
            "on:\n  push:\n    branches: [main]\n  release:\n    types: [published]\n  workflow_dispatch:\njobs:\n  p:\n    if: github.event_name == 'release' || github.event_name == 'workflow_dispatch'\n    steps: []\n",
        );
        let subs: Vec<&str> = runs.iter().filter_map(|(_, s)| s.as_deref()).collect();
        assert_eq!(
            subs,
            [
                "ref:refs/tags/v1.0.0",
                "ref:refs/heads/main",
                "ref:refs/heads/feature/x",
                "ref:refs/tags/v1.0.0"
            ]
        );
        assert!(runs.iter().all(|(e, _)| e != "push"), "{runs:?}");
    }

    #[test]
    fn an_environment_replaces_the_ref_and_filters_narrow_the_refs() {
        let env = job_runs(
            "on: [push, pull_request]\njobs:\n  p:\n    environment:\n      name: prod\n    steps: []\n",
        );
        assert!(
            env.iter()
                .all(|(_, s)| s.as_deref() == Some("environment:prod"))
        );
        let main = job_runs(
            "on:\n  push:\n  workflow_dispatch:\njobs:\n  p:\n    if: github.ref == 'refs/heads/main'\n    steps: []\n",
        );
        assert!(
            main.iter()
                .all(|(_, s)| s.as_deref() == Some("ref:refs/heads/main")),
            "{main:?}"
        );
        let pr = job_runs("on: pull_request\njobs:\n  p:\n    steps: []\n");
        assert_eq!(
            pr,
            [("pull_request".to_owned(), Some("pull_request".to_owned()))]
        );
        let unknown =
            job_runs("on: push\njobs:\n  p:\n    environment: ${{ inputs.env }}\n    steps: []\n");
        assert!(unknown.iter().all(|(_, s)| s.is_none()));
    }
}
