//! What tests read and do with runs without an API call: run every run to its end on the sandbox
//! clock, list a repository's runs, read a job's log.

use std::time::Duration;

use super::logs;
use super::run::next_due;

/// A run as a test sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunInfo {
    pub id: u64,
    /// `workflow_dispatch`, `release`, `push`.
    pub event: String,
    pub git_ref: String,
    pub status: String,
    pub conclusion: Option<String>,
    pub jobs: Vec<JobInfo>,
}

/// A job of a run as a test sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobInfo {
    pub id: u64,
    pub name: String,
    pub status: String,
    pub conclusion: Option<String>,
    /// (name, conclusion) of each step that has completed.
    pub steps: Vec<(String, String)>,
}

/// More than any run needs (each step is a clock jump).
const MAX_JUMPS: usize = 10_000;

impl crate::SandboxHandle {
    /// Moves the sandbox clock forward until every Actions run has completed (each run's steps
    /// happen, in order, as the clock passes them), and returns the ids of the runs that were
    /// still going. A run that cannot progress (a `needs` cycle) is left as it is.
    pub fn finish_runs(&self) -> Vec<u64> {
        super::tick(&self.shared);
        let active = self.shared.world().actions.active_run_ids();
        for _ in 0..MAX_JUMPS {
            super::tick(&self.shared);
            let mut world = self.shared.world();
            let now = world.now();
            let due = world
                .actions
                .runs
                .values()
                .filter_map(|r| next_due(r, now))
                .min();
            let Some(due) = due else { break };
            let wait = due.duration_since(now).unwrap_or_default();
            world.clock.advance(wait + Duration::from_millis(1));
        }
        active
    }

    /// The Actions runs of a repository, newest first, as they are on the sandbox clock now.
    pub fn workflow_runs(&self, owner: &str, repo: &str) -> Vec<RunInfo> {
        super::tick(&self.shared);
        let world = self.shared.world();
        world
            .actions
            .runs
            .values()
            .rev()
            .filter(|r| r.owner.eq_ignore_ascii_case(owner) && r.repo.eq_ignore_ascii_case(repo))
            .map(|r| RunInfo {
                id: r.id,
                event: r.event.name.clone(),
                git_ref: r.event.git_ref.clone(),
                status: r.status.as_str().to_owned(),
                conclusion: r.conclusion.map(|c| c.as_str().to_owned()),
                jobs: r
                    .jobs
                    .iter()
                    .map(|j| JobInfo {
                        id: j.id,
                        name: j.name.clone(),
                        status: j.status.as_str().to_owned(),
                        conclusion: j.conclusion.map(|c| c.as_str().to_owned()),
                        steps: j
                            .steps
                            .iter()
                            .filter_map(|s| {
                                let c = s.conclusion?;
                                Some((s.name.clone(), c.as_str().to_owned()))
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect()
    }

    /// A job's log as the download serves it (timestamped lines), so far.
    pub fn job_log(&self, job_id: u64) -> Option<String> {
        super::tick(&self.shared);
        let world = self.shared.world();
        world.actions.job(job_id).map(|(_, job)| logs::render(job))
    }
}
