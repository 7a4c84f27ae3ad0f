//! `pull_request` runs: a pull request opened (through the API) since the last request starts,
//! for each workflow at its head commit that listens to `pull_request` (activity `opened`; its
//! `branches`/`branches-ignore` filters matched against the base branch), a run with GitHub's
//! `GITHUB_REF` `refs/pull/N/merge`, `head_branch` the head branch, and
//! `github.event.pull_request.*`. The job's OIDC token then has the subject
//! `repo:OWNER/REPO:pull_request`.
//!
//! Departures: the run uses the head commit (GitHub runs the test merge commit), and only
//! `opened` fires (no `synchronize` when the head moves, no `reopened`).

use std::collections::BTreeMap;
use std::time::SystemTime;

use super::state::{Event, PullEvent};
use super::trigger::{branch_matches, pyproject, start_run, workflow_files};
use super::workflow;
use crate::world::World;

/// Starts the runs of a newly opened pull request.
fn opened(world: &mut World, key: &str, pull: &PullEvent, now: SystemTime) {
    let Some(repo) = world.github.repos.get(key) else {
        return;
    };
    let Some(commit) = repo.git.branch(&pull.head) else {
        return;
    };
    let (owner, name) = (repo.owner.clone(), repo.name.clone());
    let (sha, title) = (commit.sha.clone(), format!("pull request #{}", pull.number));
    let project = pyproject(commit);
    for file in workflow_files(repo, commit) {
        let Ok(parsed) = workflow::parse(&file.text) else {
            continue;
        };
        let Some((filter, types)) = parsed.on.pull_request.clone() else {
            continue;
        };
        // Without `types`: opened, synchronize and reopened.
        let listens = types.is_empty() || types.iter().any(|t| t == "opened");
        if !listens || !branch_matches(&filter, &pull.base) {
            continue;
        }
        let event = Event {
            name: "pull_request".to_owned(),
            git_ref: format!("refs/pull/{}/merge", pull.number),
            sha: sha.clone(),
            inputs: BTreeMap::new(),
            release_id: None,
            pull: Some(pull.clone()),
            title: title.clone(),
        };
        start_run(
            world,
            (&owner, &name),
            &file,
            parsed,
            event,
            project.clone(),
            now,
        );
    }
}

/// Starts `pull_request` runs for the pull requests opened since the last call.
pub fn detect(world: &mut World, now: SystemTime) {
    let mut new = Vec::new();
    for (key, repo) in &world.github.repos {
        let seen = world.actions.seen_pulls.entry(key.clone()).or_default();
        for pull in repo.git.pulls.iter().filter(|p| p.number > *seen) {
            if pull.state == "open" {
                new.push((
                    key.clone(),
                    PullEvent {
                        number: pull.number,
                        head: pull.head.clone(),
                        base: pull.base.clone(),
                    },
                ));
            }
        }
        *seen = repo
            .git
            .pulls
            .iter()
            .map(|p| p.number)
            .max()
            .unwrap_or(*seen);
    }
    for (key, pull) in new {
        opened(world, &key, &pull, now);
    }
}
