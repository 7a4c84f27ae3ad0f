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
    /// The filter pattern `git_ref` is a sample of (`refs/tags/v*` for `refs/tags/vx`), shown in
    /// messages instead of the sample.
    pub pattern: Option<String>,
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
        match self.pattern.as_ref().or(self.git_ref.as_ref()) {
            Some(r) if self.event != "pull_request" => format!("{what} on {r}"),
            _ => what.to_owned(),
        }
    }

    /// `suffix` (this run's) as messages show it: a filter's pattern instead of its sample.
    pub fn shown_suffix(&self, suffix: &str) -> String {
        match (&self.git_ref, &self.pattern) {
            (Some(r), Some(p)) if suffix == format!("ref:{r}") => format!("ref:{p}"),
            _ => suffix.to_owned(),
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

/// The refs a trigger can run on, as samples, each with the filter pattern it stands for when
/// the filter had a wildcard.
fn refs(trigger: &Trigger, default_branch: &str) -> Vec<(String, Option<String>)> {
    let plain = |refs: Vec<String>| -> Vec<(String, Option<String>)> {
        refs.into_iter().map(|r| (r, None)).collect()
    };
    let filtered = |prefix: &str, patterns: &[String]| -> Vec<(String, Option<String>)> {
        patterns
            .iter()
            .filter_map(|p| {
                let name = sample(p)?;
                let pattern = (name != *p).then(|| format!("{prefix}{p}"));
                Some((format!("{prefix}{name}"), pattern))
            })
            .collect()
    };
    let any_branch = || {
        plain(vec![
            format!("refs/heads/{default_branch}"),
            format!("refs/heads/{OTHER_BRANCH}"),
        ])
    };
    let any_tag = || plain(vec![format!("refs/tags/{SAMPLE_TAG}")]);
    match trigger.event.as_str() {
        "push" => match (&trigger.branches, &trigger.tags) {
            (None, None) => [any_branch(), any_tag()].concat(),
            (Some(b), None) => filtered("refs/heads/", b),
            (None, Some(t)) => filtered("refs/tags/", t),
            (Some(b), Some(t)) => [filtered("refs/heads/", b), filtered("refs/tags/", t)].concat(),
        },
        "release" => any_tag(),
        "workflow_dispatch" => [any_branch(), any_tag()].concat(),
        "pull_request" => plain(vec!["refs/pull/1/merge".to_owned()]),
        _ => plain(vec![format!("refs/heads/{default_branch}")]),
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
        for (git_ref, pattern) in refs(trigger, default_branch) {
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
                pattern,
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

    #[test]
    fn filters_are_shown_as_patterns() {
        let text = "on:\n  push:\n    tags: ['v*']\n    branches: [main, 'release/**']\njobs:\n  p:\n    steps: []\n";
        let wf = model::read(&yaml::parse(text).unwrap());
        let runs = runs(&wf, &wf.jobs[0], "main");
        let shown: Vec<(String, String)> = runs
            .iter()
            .map(|r| {
                let suffix = r.suffix.clone().unwrap();
                (r.describe(), r.shown_suffix(&suffix))
            })
            .collect();
        assert_eq!(
            shown,
            [
                (
                    "a push on refs/heads/main".to_owned(),
                    "ref:refs/heads/main".to_owned()
                ),
                (
                    "a push on refs/heads/release/**".to_owned(),
                    "ref:refs/heads/release/**".to_owned()
                ),
                (
                    "a push on refs/tags/v*".to_owned(),
                    "ref:refs/tags/v*".to_owned()
                ),
            ]
        );
        // The samples are still what the trust policy is asked about.
        assert_eq!(runs[2].git_ref.as_deref(), Some("refs/tags/vx"));
    }
}
