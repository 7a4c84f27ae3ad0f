//! Runs of the publish workflow: the latest ones, starting a verification run (`workflow_dispatch`
//! with the probe input, or a published release), watching it, and — when it fails — the cause its
//! log shows (`signatures`), with the line and the fix.

pub mod cause;
pub mod proof;
pub mod runs;
pub mod scope;
pub mod signatures;
pub mod verification;

use std::time::Duration;

use serde_json::json;

use crate::doctor::causes::cause_of;
use crate::github::{GithubClient, GithubError, Run, RunFilter, RunJob};
use crate::setup::SubjectScope;
use crate::workflow::WORKFLOW_PATH;

/// The workflow file's name, as the Actions API names a workflow.
pub fn workflow_file() -> &'static str {
    WORKFLOW_PATH.rsplit('/').next().unwrap_or(WORKFLOW_PATH)
}

/// A pipeline operation that could not complete.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error(transparent)]
    Github(#[from] GithubError),
    #[error("no run of {workflow} appeared in {repository} within 30 s of starting it")]
    NoRun {
        workflow: String,
        repository: String,
    },
    #[error("{repository} has no branch {branch}")]
    NoBranch { branch: String, repository: String },
}

impl PipelineError {
    pub fn fix(&self) -> String {
        match self {
            PipelineError::Github(e) => e.fix(),
            PipelineError::NoRun { .. } => "check the workflow has the trigger used \
                (workflow_dispatch, or release: published) on the default branch, then \
                `gh run list` to see what GitHub started"
                .to_owned(),
            PipelineError::NoBranch { branch, .. } => {
                format!("check the repository's default branch ({branch}) still exists")
            }
        }
    }
}

/// Where the runs are: the repository, its default branch, and the subject scope whose runs
/// count (`scope::counts`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub owner: String,
    pub repo: String,
    pub branch: String,
    pub scope: SubjectScope,
}

/// Why a run failed, as its log shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnosis {
    /// The doctor's cause id, or `not-found` when only the not-found checks can tell.
    pub cause: String,
    pub title: String,
    /// The matched log line (`JOB: line`).
    pub evidence: String,
    pub fix: String,
    /// The package twine was uploading when the job failed (PEP 503), from the log.
    pub uploaded: Option<String>,
    /// What `cause::judge` compared to settle the cause (the log's resource against the setup's
    /// names, DescribePackage's origin controls); empty before it ran.
    pub facts: Vec<String>,
    /// A fact read from AWS when judging that shows the cause is still there (not only in the
    /// run's past): DescribePackage's `publish = BLOCK`.
    pub confirmed: Option<String>,
}

/// A run as cawiz shows it: the run, its jobs and steps, and the diagnosis once it failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunView {
    pub run: Run,
    pub jobs: Vec<RunJob>,
    pub diagnosis: Option<Diagnosis>,
}

impl RunView {
    /// `{"id","url","status","conclusion","jobs":[{"name","conclusion","steps":[…]}]}`.
    pub fn json(&self) -> serde_json::Value {
        json!({
            "id": self.run.id,
            "url": self.run.html_url,
            "status": self.run.status,
            "conclusion": self.run.conclusion,
            "jobs": self.jobs.iter().map(|j| json!({
                "name": j.name,
                "status": j.status,
                "conclusion": j.conclusion,
                "steps": j.steps.iter().map(|s| json!({
                    "name": s.name, "status": s.status, "conclusion": s.conclusion
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })
    }
}

/// How to start a verification run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Start {
    /// `workflow_dispatch` with `probe=true` on `on`, publishing the throw-away probe package.
    Probe { on: DispatchRef },
    /// A published release of `tag` (it publishes the project's own version).
    Release { tag: String },
}

/// The ref a verification run is dispatched on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DispatchRef {
    Branch(String),
    /// A tag cawiz creates at the default branch's head before the dispatch and deletes after
    /// the run.
    NewTag(String),
}

impl DispatchRef {
    /// The branch or tag name (what the dispatch API takes as `ref`).
    pub fn name(&self) -> &str {
        match self {
            DispatchRef::Branch(name) | DispatchRef::NewTag(name) => name,
        }
    }
}

/// The diagnosis for one matched line.
fn diagnosis(job: &str, matched: signatures::Matched) -> Diagnosis {
    let (title, fix) = match cause_of(matched.cause) {
        Some(c) => (c.title.to_owned(), c.fix.to_owned()),
        None => (
            "The package was not found".to_owned(),
            "run `cawiz doctor not-found` to tell which cause it is".to_owned(),
        ),
    };
    Diagnosis {
        cause: matched.cause.to_owned(),
        title,
        evidence: format!("{job}: {}", matched.line),
        fix,
        uploaded: matched.uploaded,
        facts: Vec::new(),
        confirmed: None,
    }
}

/// The cause of a failed run: the first failed job whose log matches a known signature.
pub async fn diagnose(
    github: &GithubClient,
    target: &Target,
    jobs: &[RunJob],
) -> Result<Option<Diagnosis>, GithubError> {
    for job in jobs
        .iter()
        .filter(|j| j.conclusion.as_deref() == Some("failure"))
    {
        let log = github.job_log(&target.owner, &target.repo, job.id).await?;
        if let Some(found) = signatures::diagnose(&log) {
            return Ok(Some(diagnosis(&job.name, found)));
        }
    }
    Ok(None)
}

/// A run with its jobs (and, when it failed, its diagnosis).
pub async fn view(
    github: &GithubClient,
    target: &Target,
    run: Run,
) -> Result<RunView, GithubError> {
    let jobs = github.run_jobs(&target.owner, &target.repo, run.id).await?;
    with_diagnosis(
        github,
        target,
        RunView {
            run,
            jobs,
            diagnosis: None,
        },
    )
    .await
}

/// `view` with the diagnosis of its failure (its failed jobs' logs) when it failed.
async fn with_diagnosis(
    github: &GithubClient,
    target: &Target,
    mut view: RunView,
) -> Result<RunView, GithubError> {
    if view.run.completed() && !view.run.succeeded() {
        view.diagnosis = diagnose(github, target, &view.jobs).await?;
    }
    Ok(view)
}

/// Whether a run says something about publishing: still going, failed, or a success in which
/// a publishing job ran. A push run whose publish job was skipped (the build of a commit) proves
/// nothing; a workflow whose jobs cawiz cannot tell apart counts as a whole.
pub fn tried_publishing(view: &RunView) -> bool {
    !view.run.succeeded() || !proof::publish_skipped(view)
}

/// The newest run of the publish workflow for the target's scope (`scope::counts`) that tried
/// to publish, with its jobs; among the last few runs, else the newest of them. The listings of
/// `runs::queries` are read at once, then the candidates' jobs at once, then the chosen run's
/// failed logs: three round trips however old the repository.
pub async fn latest(
    github: &GithubClient,
    target: &Target,
) -> Result<Option<RunView>, GithubError> {
    let (owner, repo) = (&target.owner, &target.repo);
    let queries = runs::queries(&target.scope, &target.branch);
    let lists = queries
        .iter()
        .map(|q| github.workflow_runs(owner, repo, workflow_file(), q));
    let lists: Vec<Vec<Run>> = futures::future::join_all(lists)
        .await
        .into_iter()
        .collect::<Result<_, _>>()?;
    let candidates = runs::candidates(lists, &target.scope, &target.branch);
    let jobs = candidates
        .iter()
        .map(|r| github.run_jobs(owner, repo, r.id));
    let jobs = futures::future::join_all(jobs).await;
    let mut views = Vec::new();
    for (run, jobs) in candidates.into_iter().zip(jobs) {
        let jobs = jobs?;
        views.push(RunView {
            run,
            jobs,
            diagnosis: None,
        });
    }
    let chosen = views.iter().position(tried_publishing).unwrap_or(0);
    match views.into_iter().nth(chosen) {
        Some(view) => Ok(Some(with_diagnosis(github, target, view).await?)),
        None => Ok(None),
    }
}

/// The event a start makes GitHub send.
fn event_of(how: &Start) -> &'static str {
    match how {
        Start::Probe { .. } => "workflow_dispatch",
        Start::Release { .. } => "release",
    }
}

/// Starts a verification run; its id when GitHub says it, else the first run of its event newer
/// than `before` (run ids grow).
pub async fn start(
    github: &GithubClient,
    target: &Target,
    how: &Start,
    before: Option<u64>,
) -> Result<u64, PipelineError> {
    let (owner, repo) = (&target.owner, &target.repo);
    let id = match how {
        Start::Probe { on } => {
            let inputs = json!({"probe": "true"});
            github
                .dispatch_workflow(owner, repo, workflow_file(), on.name(), &inputs)
                .await?
        }
        Start::Release { tag } => {
            github
                .create_release(owner, repo, tag, &target.branch)
                .await?;
            None
        }
    };
    if let Some(id) = id {
        return Ok(id);
    }
    // The run appears shortly after the event.
    let on = match how {
        Start::Probe { on } => on.name(),
        Start::Release { tag } => tag.as_str(),
    };
    let newer = |r: &Run| {
        r.event == event_of(how)
            && r.head_branch.as_deref() == Some(on)
            && before.is_none_or(|b| r.id > b)
    };
    // The event narrows the listing; the ref is compared here (a release's and a tag dispatch's
    // `head_branch` is a tag, which GitHub's `branch` filter is not documented to match).
    let filter = RunFilter {
        branch: None,
        event: Some(event_of(how).to_owned()),
        per_page: runs::LOOK_BACK,
    };
    for _ in 0..60 {
        let runs = github
            .workflow_runs(owner, repo, workflow_file(), &filter)
            .await?;
        if let Some(run) = runs.iter().filter(|r| newer(r)).min_by_key(|r| r.id) {
            return Ok(run.id);
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    Err(PipelineError::NoRun {
        workflow: workflow_file().to_owned(),
        repository: format!("{owner}/{repo}"),
    })
}

/// Polls the run until it completes, calling `on_update` whenever what it shows changes.
pub async fn watch(
    github: &GithubClient,
    target: &Target,
    id: u64,
    poll: Duration,
    on_update: &mut (dyn FnMut(&RunView) + Send),
) -> Result<RunView, GithubError> {
    let mut last: Option<RunView> = None;
    loop {
        let run = github.workflow_run(&target.owner, &target.repo, id).await?;
        let done = run.completed();
        let current = view(github, target, run).await?;
        if last.as_ref() != Some(&current) {
            on_update(&current);
        }
        if done {
            return Ok(current);
        }
        last = Some(current);
        tokio::time::sleep(poll).await;
    }
}
