//! The emulated Actions' data: workflow runs with their jobs, steps and logs, releases, and what
//! a job carries from step to step (the exported AWS credentials, the `dist/` it built).

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use super::workflow::{JobDef, Workflow};

/// Run ids start here (GitHub's are 64-bit and already past ten digits).
const FIRST_RUN_ID: u64 = 19_000_000_001;
const FIRST_JOB_ID: u64 = 54_000_000_001;
const FIRST_RELEASE_ID: u64 = 210_000_001;

#[derive(Debug)]
pub struct ActionsState {
    pub runs: BTreeMap<u64, Run>,
    pub releases: Vec<Release>,
    /// The branch heads already seen, per `owner/repo` (lower-cased): a head that moves is a push.
    pub seen_heads: BTreeMap<String, BTreeMap<String, String>>,
    /// The pull requests already seen, per `owner/repo` (lower-cased): a new one is `opened`.
    pub seen_pulls: BTreeMap<String, u64>,
    /// Runs per workflow, by `owner/repo/path` (lower-cased): the next `run_number` is one more.
    pub run_numbers: BTreeMap<String, u64>,
    next_run: u64,
    next_job: u64,
    next_release: u64,
}

impl Default for ActionsState {
    fn default() -> Self {
        Self {
            runs: BTreeMap::new(),
            releases: Vec::new(),
            seen_heads: BTreeMap::new(),
            seen_pulls: BTreeMap::new(),
            run_numbers: BTreeMap::new(),
            next_run: FIRST_RUN_ID,
            next_job: FIRST_JOB_ID,
            next_release: FIRST_RELEASE_ID,
        }
    }
}

impl ActionsState {
    pub fn new_run_id(&mut self) -> u64 {
        let id = self.next_run;
        self.next_run += 1;
        id
    }

    pub fn new_job_id(&mut self) -> u64 {
        let id = self.next_job;
        self.next_job += 1;
        id
    }

    pub fn new_release_id(&mut self) -> u64 {
        let id = self.next_release;
        self.next_release += 1;
        id
    }

    /// The next `run_number` of a workflow.
    pub fn next_run_number(&mut self, owner: &str, repo: &str, path: &str) -> u64 {
        let n = self
            .run_numbers
            .entry(format!("{owner}/{repo}/{path}").to_lowercase())
            .or_insert(0);
        *n += 1;
        *n
    }

    /// Runs that have not completed yet.
    pub fn active_run_ids(&self) -> Vec<u64> {
        self.runs
            .values()
            .filter(|r| r.status != Status::Completed)
            .map(|r| r.id)
            .collect()
    }

    /// The job `id`, with its run.
    pub fn job(&self, id: u64) -> Option<(&Run, &Job)> {
        self.runs
            .values()
            .find_map(|r| r.jobs.iter().find(|j| j.id == id).map(|j| (r, j)))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Queued,
    InProgress,
    Completed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Queued => "queued",
            Status::InProgress => "in_progress",
            Status::Completed => "completed",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conclusion {
    Success,
    Failure,
    Skipped,
}

impl Conclusion {
    pub fn as_str(self) -> &'static str {
        match self {
            Conclusion::Success => "success",
            Conclusion::Failure => "failure",
            Conclusion::Skipped => "skipped",
        }
    }
}

/// What started a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// `workflow_dispatch`, `release`, `push`.
    pub name: String,
    /// `refs/heads/main`, `refs/tags/v1.0.0`.
    pub git_ref: String,
    pub sha: String,
    /// `workflow_dispatch` inputs, typed as the workflow declares them (booleans as `true`/`false`).
    pub inputs: BTreeMap<String, InputValue>,
    /// The release that fired a `release` event.
    pub release_id: Option<u64>,
    /// The pull request of a `pull_request` event.
    pub pull: Option<PullEvent>,
    pub title: String,
}

/// The pull request a `pull_request` run is for (a branch of the repository itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullEvent {
    pub number: u64,
    /// The head and base branch names.
    pub head: String,
    pub base: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputValue {
    Bool(bool),
    Text(String),
}

#[derive(Debug, Clone)]
pub struct Run {
    pub id: u64,
    pub owner: String,
    pub repo: String,
    pub workflow_id: u64,
    /// `.github/workflows/publish.yml`.
    pub path: String,
    pub workflow: Workflow,
    pub run_number: u64,
    pub event: Event,
    /// The project its build step builds: (name, version).
    pub project: (String, String),
    pub created: SystemTime,
    /// When the run leaves the queue.
    pub started: SystemTime,
    pub updated: SystemTime,
    pub status: Status,
    pub conclusion: Option<Conclusion>,
    pub jobs: Vec<Job>,
    /// Artifacts uploaded by its jobs (`actions/upload-artifact`), by name.
    pub artifacts: BTreeMap<String, Vec<Dist>>,
}

impl Run {
    /// The workflow's `name:`, else its path (as GitHub shows a nameless workflow).
    pub fn name(&self) -> String {
        self.workflow
            .name
            .clone()
            .unwrap_or_else(|| self.path.clone())
    }

    /// The branch or tag name of the run's ref; a pull request's head branch.
    pub fn head_branch(&self) -> &str {
        if let Some(pull) = &self.event.pull {
            return &pull.head;
        }
        let r = &self.event.git_ref;
        r.strip_prefix("refs/heads/")
            .or_else(|| r.strip_prefix("refs/tags/"))
            .unwrap_or(r)
    }
}

#[derive(Debug, Clone)]
pub struct Job {
    pub id: u64,
    /// The key under `jobs:`.
    pub key: String,
    pub def: JobDef,
    pub name: String,
    pub status: Status,
    pub conclusion: Option<Conclusion>,
    pub started: Option<SystemTime>,
    pub completed: Option<SystemTime>,
    pub steps: Vec<Step>,
    pub log: Vec<LogLine>,
    pub scratch: Scratch,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepKind {
    SetUp,
    /// A step of the workflow (its index in the job's `steps:`).
    Workflow(usize),
    /// The post step of a workflow step.
    Post(usize),
    Complete,
}

#[derive(Debug, Clone)]
pub struct Step {
    pub name: String,
    pub number: u32,
    pub kind: StepKind,
    pub status: Status,
    pub conclusion: Option<Conclusion>,
    pub started: Option<SystemTime>,
    pub completed: Option<SystemTime>,
}

/// One line of a job's log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    pub at: SystemTime,
    pub text: String,
}

/// A built distribution in a job's `dist/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dist {
    pub name: String,
    pub version: String,
    pub filename: String,
    pub bytes: Vec<u8>,
}

/// What a job carries from one step to the next.
#[derive(Debug, Clone, Default)]
pub struct Scratch {
    /// Environment exported by earlier steps (`AWS_REGION`, `AWS_ACCESS_KEY_ID`, …).
    pub env: Vec<(String, String)>,
    /// The role session configure-aws-credentials obtained (its access key id).
    pub session: Option<String>,
    /// Built distributions by directory (`dist`, `probe`): what `python -m build` wrote there,
    /// or `actions/download-artifact` put there.
    pub dirs: BTreeMap<String, Vec<Dist>>,
    /// Text files a script wrote with a here-document (`cat > PATH <<'EOF'`), by path.
    pub files: BTreeMap<String, String>,
    /// `.pypirc` sections written by `aws codeartifact login --tool twine`: name → (url, token).
    pub pypirc: BTreeMap<String, (String, String)>,
    /// Values masked as `***` in the log.
    pub masks: Vec<String>,
    /// Whether a step of the job has failed.
    pub failed: bool,
}

/// A directory as a job's steps name it: `dist/`, `./dist`, `dist/*` → `dist`.
pub fn dir_name(path: &str) -> String {
    let trimmed = path.trim().trim_end_matches('*').trim_end_matches('/');
    let trimmed = trimmed.strip_prefix("./").unwrap_or(trimmed);
    if trimmed.is_empty() {
        ".".to_owned()
    } else {
        trimmed.to_owned()
    }
}

impl Scratch {
    /// The distributions in directory `path`.
    pub fn dir(&self, path: &str) -> &[Dist] {
        self.dirs.get(&dir_name(path)).map_or(&[], Vec::as_slice)
    }

    pub fn export(&mut self, name: &str, value: impl Into<String>) {
        self.env.retain(|(k, _)| k != name);
        self.env.push((name.to_owned(), value.into()));
    }
}

/// A release (`POST /repos/{o}/{r}/releases`).
#[derive(Debug, Clone)]
pub struct Release {
    pub id: u64,
    pub owner: String,
    pub repo: String,
    pub tag_name: String,
    pub target_commitish: String,
    pub name: Option<String>,
    pub body: Option<String>,
    pub draft: bool,
    pub prerelease: bool,
    pub created: SystemTime,
    pub published: Option<SystemTime>,
}

/// `at` plus `millis` milliseconds.
pub fn after(at: SystemTime, millis: u64) -> SystemTime {
    at + Duration::from_millis(millis)
}
