//! A verification run from start to end: for the `tags` scope, the throw-away tag first (created at
//! the default branch's head, where the workflow is), then the start and the watch, then the tag
//! deleted again whatever happened — a run that is still going keeps its checked-out commit, and
//! the tag proves nothing once its run has ended.

use std::time::Duration;

use crate::github::{GithubClient, RunFilter};

use super::{DispatchRef, PipelineError, RunView, Start, Target, start, watch, workflow_file};

/// A watched run, and the tag cawiz created for it but could not delete (with why).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Watched {
    pub view: RunView,
    pub leftover_tag: Option<String>,
}

/// The id of the newest run of the workflow (any event, any ref): the new run is newer.
async fn newest_run(github: &GithubClient, target: &Target) -> Result<Option<u64>, PipelineError> {
    let runs = github
        .workflow_runs(
            &target.owner,
            &target.repo,
            workflow_file(),
            &RunFilter::newest(1),
        )
        .await?;
    Ok(runs.iter().map(|r| r.id).max())
}

/// The tag `how` dispatches on when cawiz creates it.
fn new_tag(how: &Start) -> Option<&str> {
    match how {
        Start::Probe {
            on: DispatchRef::NewTag(tag),
        } => Some(tag),
        _ => None,
    }
}

/// Creates `tag` at the default branch's head.
async fn create_tag(
    github: &GithubClient,
    target: &Target,
    tag: &str,
) -> Result<(), PipelineError> {
    let (owner, repo) = (&target.owner, &target.repo);
    let sha = github
        .branch_head(owner, repo, &target.branch)
        .await?
        .ok_or_else(|| PipelineError::NoBranch {
            branch: target.branch.clone(),
            repository: format!("{owner}/{repo}"),
        })?;
    github.create_tag(owner, repo, tag, &sha).await?;
    Ok(())
}

/// Starts the run `how` says, watches it to its end (`on_update` at each change), and deletes the
/// tag it created.
pub async fn start_and_watch(
    github: &GithubClient,
    target: &Target,
    how: &Start,
    poll: Duration,
    on_update: &mut (dyn FnMut(&RunView) + Send),
) -> Result<Watched, PipelineError> {
    let before = newest_run(github, target).await?;
    let tag = new_tag(how);
    if let Some(tag) = tag {
        create_tag(github, target, tag).await?;
    }
    let ran = async {
        let id = start(github, target, how, before).await?;
        Ok::<_, PipelineError>(watch(github, target, id, poll, on_update).await?)
    }
    .await;
    let leftover_tag = match tag {
        Some(tag) => match github.delete_tag(&target.owner, &target.repo, tag).await {
            Ok(_) => None,
            Err(e) => Some(format!("{tag} ({e})")),
        },
        None => None,
    };
    Ok(Watched {
        view: ran?,
        leftover_tag,
    })
}
