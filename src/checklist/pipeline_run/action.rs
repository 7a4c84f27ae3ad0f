//! What the pipeline-run item can do: start a verification run and watch it, or, without a
//! GitHub token, give the `gh` commands that do.

use crate::pipeline::{Start, workflow_file};
use crate::workflow::WORKFLOW_PATH;

use super::super::workflow::BRANCH;
use crate::shell::shell_quote as q;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PipelineAction {
    /// Start a run on `branch` of `github` (OWNER/REPO) and watch it to its end.
    Start {
        github: String,
        branch: String,
        how: Start,
    },
    /// The same, for a person to run (no GitHub token).
    ByHand { github: String, branch: String },
    /// Watch a verification run someone already started, to its end.
    Watch {
        github: String,
        id: u64,
        run_number: u64,
    },
    /// Put the workflow on `branch` first (Actions runs the default branch's copy): merge
    /// cawiz's pull request, or push the file — a step for a person.
    Merge { github: String, branch: String },
}

impl PipelineAction {
    pub fn is_manual(&self) -> bool {
        matches!(
            self,
            PipelineAction::ByHand { .. } | PipelineAction::Merge { .. }
        )
    }

    pub fn describe(&self) -> String {
        match self {
            PipelineAction::Start {
                branch,
                how: Start::Probe,
                ..
            } => format!(
                "Start a verification run of {} on {branch} (workflow_dispatch, publishing the \
                 throw-away probe package) and watch it",
                workflow_file()
            ),
            PipelineAction::Start {
                how: Start::Release { tag },
                ..
            } => format!(
                "Publish the release {tag} (a real release: it publishes the project's version) and \
                 watch the run it starts"
            ),
            PipelineAction::ByHand { branch, .. } => format!(
                "Start a verification run of {} on {branch} and watch it (gh: no GitHub token here)",
                workflow_file()
            ),
            PipelineAction::Watch { run_number, .. } => {
                format!("Watch run #{run_number} (already started) to its end")
            }
            PipelineAction::Merge { branch, .. } => format!(
                "Put {WORKFLOW_PATH} on {branch} (Actions runs that copy): merge cawiz's pull \
                 request, or push the file; then verify"
            ),
        }
    }

    pub fn command(&self) -> String {
        match self {
            PipelineAction::Start {
                github,
                how: Start::Release { tag },
                branch,
            } => format!(
                "gh release create {} --target {} --repo {} --title {} --notes 'cawiz verify' && gh run watch --repo {}",
                q(tag),
                q(branch),
                q(github),
                q(tag),
                q(github)
            ),
            PipelineAction::Watch { github, id, .. } => {
                format!("gh run watch {id} --repo {}", q(github))
            }
            PipelineAction::Merge { github, .. } => {
                format!("gh pr merge {} --repo {}", q(BRANCH), q(github))
            }
            PipelineAction::Start { github, branch, .. }
            | PipelineAction::ByHand { github, branch } => format!(
                "gh workflow run {} --ref {} -f probe=true --repo {} && gh run watch --repo {}",
                q(workflow_file()),
                q(branch),
                q(github),
                q(github)
            ),
        }
    }
}
