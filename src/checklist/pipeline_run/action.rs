//! What the pipeline-run item can do: start a verification run and watch it, or — where only a
//! person can (no GitHub token, a branch to create or update, a pull request to open) — the
//! exact commands.

use crate::pipeline::scope::pull_request_steps;
use crate::pipeline::{DispatchRef, Start, workflow_file};
use crate::workflow::WORKFLOW_PATH;

use super::super::workflow::BRANCH;
use crate::shell::shell_quote as q;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PipelineAction {
    /// Start a run of `github` (OWNER/REPO) as `how` says and watch it to its end; `branch` is the
    /// default branch (where a verification tag is created).
    Start {
        github: String,
        branch: String,
        how: Start,
    },
    /// The same, for a person to run (no GitHub token).
    ByHand {
        github: String,
        branch: String,
        how: Start,
    },
    /// Watch a verification run someone already started, to its end.
    Watch {
        github: String,
        id: u64,
        run_number: u64,
    },
    /// Put the workflow on `branch` first (Actions runs the default branch's copy): merge
    /// cawiz's pull request, or push the file — a step for a person.
    Merge { github: String, branch: String },
    /// Create the scope's `branch` from `from` (the default branch, which has the workflow).
    CreateBranch {
        github: String,
        branch: String,
        from: String,
    },
    /// Bring the workflow onto the scope's `branch`: merge `from` into it.
    UpdateBranch {
        github: String,
        branch: String,
        from: String,
    },
    /// Open a pull request from a branch of the repository (`pull-requests` scope).
    PullRequest { github: String },
}

/// `gh` commands that start (and watch) the run `how` says.
fn start_commands(github: &str, branch: &str, how: &Start) -> String {
    let dispatch = |on: &str| {
        format!(
            "gh workflow run {} --ref {} -f probe=true --repo {} && gh run watch --repo {}",
            q(workflow_file()),
            q(on),
            q(github),
            q(github)
        )
    };
    match how {
        Start::Probe {
            on: DispatchRef::Branch(on),
        } => dispatch(on),
        Start::Probe {
            on: DispatchRef::NewTag(tag),
        } => format!(
            "{} && {}; gh api -X DELETE {}",
            create_ref(github, &format!("refs/tags/{tag}"), branch),
            dispatch(tag),
            q(&format!("repos/{github}/git/refs/tags/{tag}"))
        ),
        Start::Release { tag } => format!(
            "gh release create {} --target {} --repo {} --title {} --notes 'cawiz verify' && gh run watch --repo {}",
            q(tag),
            q(branch),
            q(github),
            q(tag),
            q(github)
        ),
    }
}

/// `gh api` creating `full_ref` at the head of `from`.
fn create_ref(github: &str, full_ref: &str, from: &str) -> String {
    format!(
        "gh api -X POST {} -f ref={} -f sha=\"$(gh api {} --jq .object.sha)\"",
        q(&format!("repos/{github}/git/refs")),
        q(full_ref),
        q(&format!("repos/{github}/git/ref/heads/{from}"))
    )
}

/// What a start does, in words.
fn start_words(branch: &str, how: &Start) -> String {
    match how {
        Start::Probe {
            on: DispatchRef::Branch(on),
        } => format!(
            "Start a verification run of {} on {on} (workflow_dispatch, publishing the \
             throw-away probe package) and watch it",
            workflow_file()
        ),
        Start::Probe {
            on: DispatchRef::NewTag(tag),
        } => format!(
            "Create the tag {tag} at the head of {branch}, start a verification run of {} on it \
             (workflow_dispatch on a tag: the subject the role trusts for tags), watch it \
             publish the throw-away probe package, then delete the tag",
            workflow_file()
        ),
        Start::Release { tag } => format!(
            "Publish the release {tag} (a real release: it publishes the project's version) and \
             watch the run it starts"
        ),
    }
}

impl PipelineAction {
    pub fn is_manual(&self) -> bool {
        !matches!(
            self,
            PipelineAction::Start { .. } | PipelineAction::Watch { .. }
        )
    }

    pub fn describe(&self) -> String {
        match self {
            PipelineAction::Start { branch, how, .. } => start_words(branch, how),
            PipelineAction::ByHand { branch, how, .. } => {
                format!("{} (gh: no GitHub token here)", start_words(branch, how))
            }
            PipelineAction::Watch { run_number, .. } => {
                format!("Watch run #{run_number} (already started) to its end")
            }
            PipelineAction::Merge { branch, .. } => format!(
                "Put {WORKFLOW_PATH} on {branch} (Actions runs that copy): merge cawiz's pull \
                 request, or push the file; then verify"
            ),
            PipelineAction::CreateBranch { branch, from, .. } => format!(
                "Create the branch {branch} from {from} (the role trusts runs on {branch} only), \
                 then verify"
            ),
            PipelineAction::UpdateBranch { branch, from, .. } => format!(
                "Put {WORKFLOW_PATH} on {branch}: merge {from} into it (a dispatch runs the \
                 branch's own copy), then verify"
            ),
            PipelineAction::PullRequest { github } => {
                format!("By hand: {}", pull_request_steps(github))
            }
        }
    }

    pub fn command(&self) -> String {
        match self {
            PipelineAction::Start {
                github,
                branch,
                how,
            }
            | PipelineAction::ByHand {
                github,
                branch,
                how,
            } => start_commands(github, branch, how),
            PipelineAction::Watch { github, id, .. } => {
                format!("gh run watch {id} --repo {}", q(github))
            }
            PipelineAction::Merge { github, .. } => {
                format!("gh pr merge {} --repo {}", q(BRANCH), q(github))
            }
            PipelineAction::CreateBranch {
                github,
                branch,
                from,
            } => create_ref(github, &format!("refs/heads/{branch}"), from),
            PipelineAction::UpdateBranch {
                github,
                branch,
                from,
            } => format!(
                "gh api -X POST {} -f base={} -f head={}",
                q(&format!("repos/{github}/merges")),
                q(branch),
                q(from)
            ),
            PipelineAction::PullRequest { github } => format!(
                "git switch -c cawiz/verify && git commit --allow-empty -m 'cawiz verify' && git \
                 push -u origin cawiz/verify && gh pr create --fill --repo {}",
                q(github)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_github_reach_the_commands_quoted() {
        // Git allows `;`, `$` and quotes in branch names; the commands are for a shell.
        let create = PipelineAction::CreateBranch {
            github: "octo-org/widgets".into(),
            branch: "rel;touch x".into(),
            from: "ma$in".into(),
        };
        let command = create.command();
        assert!(command.contains("'refs/heads/rel;touch x'"), "{command}");
        assert!(
            command.contains("'repos/octo-org/widgets/git/ref/heads/ma$in'"),
            "{command}"
        );
        let tag = PipelineAction::Start {
            github: "octo-org/widgets".into(),
            branch: "main".into(),
            how: Start::Probe {
                on: DispatchRef::NewTag("cawiz-verify-1".into()),
            },
        };
        let command = tag.command();
        assert!(
            command.starts_with(
                "gh api -X POST repos/octo-org/widgets/git/refs -f ref=refs/tags/cawiz-verify-1"
            ),
            "{command}"
        );
        assert!(
            command.contains("--ref cawiz-verify-1 -f probe=true"),
            "{command}"
        );
        assert!(
            command
                .ends_with("gh api -X DELETE repos/octo-org/widgets/git/refs/tags/cawiz-verify-1"),
            "{command}"
        );
        assert!(!tag.is_manual());
        assert!(create.is_manual());
    }
}
