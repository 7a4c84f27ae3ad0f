//! GitHub Actions runs of the publish workflow: start one (`workflow_dispatch`, or a published
//! release), read runs, their jobs and steps, and a job's log (`…/jobs/{id}/logs` answers a
//! redirect to a short-lived download URL, which reqwest follows without the token when it leaves
//! the API's host).

use reqwest::Method;
use serde::Deserialize;
use serde_json::{Value, json};

use super::error::Need;
use super::{GithubClient, GithubError, repo_path, segment, unexpected};

/// A workflow run, as `GET …/actions/runs/{id}` answers (the fields cawiz reads).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
pub struct Run {
    pub id: u64,
    #[serde(default)]
    pub run_number: u64,
    /// 1 for a run's first attempt, one more for each re-run.
    #[serde(default = "first_attempt")]
    pub run_attempt: u64,
    #[serde(default)]
    pub name: Option<String>,
    pub event: String,
    /// `queued`, `in_progress`, `completed`, `waiting`, `requested`, `pending`.
    pub status: String,
    /// `success`, `failure`, `cancelled`, `skipped`, … once completed.
    pub conclusion: Option<String>,
    #[serde(default)]
    pub head_branch: Option<String>,
    #[serde(default)]
    pub head_sha: String,
    #[serde(default)]
    pub html_url: String,
    #[serde(default)]
    pub created_at: String,
    /// `.github/workflows/publish.yml`.
    #[serde(default)]
    pub path: String,
}

fn first_attempt() -> u64 {
    1
}

impl Run {
    pub fn completed(&self) -> bool {
        self.status == "completed"
    }

    pub fn succeeded(&self) -> bool {
        self.conclusion.as_deref() == Some("success")
    }
}

/// One step of a job.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
pub struct RunStep {
    pub name: String,
    pub status: String,
    pub conclusion: Option<String>,
    #[serde(default)]
    pub number: u64,
}

/// A job of a run, with its steps.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
pub struct RunJob {
    pub id: u64,
    pub name: String,
    pub status: String,
    pub conclusion: Option<String>,
    #[serde(default)]
    pub steps: Vec<RunStep>,
}

/// A published release.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Release {
    pub id: u64,
    pub tag_name: String,
    #[serde(default)]
    pub html_url: String,
}

/// Which runs of a workflow to list, as GitHub filters them (`GET …/workflows/{id}/runs`: `branch`,
/// `event`, `per_page` up to 100), newest first; pull requests are left out of each run
/// (`exclude_pull_requests`), which cawiz never reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunFilter {
    pub branch: Option<String>,
    pub event: Option<String>,
    pub per_page: usize,
}

impl RunFilter {
    /// The newest `per_page` runs, any branch, any event.
    pub fn newest(per_page: usize) -> Self {
        Self {
            branch: None,
            event: None,
            per_page,
        }
    }

    /// The query string (`?per_page=…`).
    pub fn query(&self) -> String {
        let mut out = format!(
            "?per_page={}&exclude_pull_requests=true",
            self.per_page.clamp(1, 100)
        );
        if let Some(branch) = &self.branch {
            out.push_str(&format!("&branch={}", segment(branch)));
        }
        if let Some(event) = &self.event {
            out.push_str(&format!("&event={}", segment(event)));
        }
        out
    }
}

fn workflow_path(owner: &str, repo: &str, workflow: &str) -> String {
    format!(
        "{}/actions/workflows/{}",
        repo_path(owner, repo),
        segment(workflow)
    )
}

impl GithubClient {
    /// A GitHub OIDC token for a job of `owner/repo` from the Actions runtime's token endpoint as
    /// the cawiz sandbox serves it (`{api}/_oidc/token`): GitHub itself hands tokens only to jobs,
    /// so this works against the sandbox alone (the local test's `--as-role`).
    pub async fn sandbox_oidc_token(
        &self,
        owner: &str,
        repo: &str,
        git_ref: &str,
        event: &str,
        environment: Option<&str>,
    ) -> Result<String, GithubError> {
        let ctx = self.ctx(
            format!("get an OIDC token for a job of {owner}/{repo} (sandbox)"),
            owner,
            repo,
            Need::ActionsRead,
        );
        let mut path = format!(
            "/_oidc/token?repository={}/{}&ref={}&event_name={}&audience=sts.amazonaws.com",
            segment(owner),
            segment(repo),
            segment(git_ref),
            segment(event)
        );
        if let Some(env) = environment {
            path.push_str(&format!("&environment={}", segment(env)));
        }
        let value: Value = self.get_json(&ctx, &path).await?;
        value
            .get("value")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| unexpected(&ctx, reqwest::StatusCode::OK, &"no value in the answer"))
    }

    /// Starts a run of `workflow` (its file name, e.g. `publish.yml`) on `git_ref` with `inputs`.
    /// Returns the run's id when GitHub says it (`return_run_details`), else `None` (find it with
    /// [`GithubClient::workflow_runs`]).
    pub async fn dispatch_workflow(
        &self,
        owner: &str,
        repo: &str,
        workflow: &str,
        git_ref: &str,
        inputs: &Value,
    ) -> Result<Option<u64>, GithubError> {
        let ctx = self.ctx(
            format!("start the workflow {workflow} of {owner}/{repo} on {git_ref}"),
            owner,
            repo,
            Need::ActionsWrite,
        );
        let path = format!("{}/dispatches", workflow_path(owner, repo, workflow));
        let body = json!({"ref": git_ref, "inputs": inputs, "return_run_details": true});
        let (status, text) = self.send(&ctx, Method::POST, &path, Some(&body)).await?;
        if text.trim().is_empty() {
            return Ok(None);
        }
        let value: Value = serde_json::from_str(&text).map_err(|e| unexpected(&ctx, status, &e))?;
        Ok(value.get("workflow_run_id").and_then(Value::as_u64))
    }

    /// The newest runs of `workflow` that `filter` selects (one page, newest first).
    pub async fn workflow_runs(
        &self,
        owner: &str,
        repo: &str,
        workflow: &str,
        filter: &RunFilter,
    ) -> Result<Vec<Run>, GithubError> {
        #[derive(Deserialize)]
        struct Page {
            workflow_runs: Vec<Run>,
        }
        let ctx = self.ctx(
            format!("list the runs of {workflow} in {owner}/{repo}"),
            owner,
            repo,
            Need::ActionsRead,
        );
        let path = format!(
            "{}/runs{}",
            workflow_path(owner, repo, workflow),
            filter.query()
        );
        match self.get_json::<Page>(&ctx, &path).await {
            Ok(page) => Ok(page.workflow_runs),
            // No such workflow on GitHub yet: no runs.
            Err(GithubError::NotFound { .. }) => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }

    pub async fn workflow_run(&self, owner: &str, repo: &str, id: u64) -> Result<Run, GithubError> {
        let ctx = self.ctx(
            format!("read the run {id} of {owner}/{repo}"),
            owner,
            repo,
            Need::ActionsRead,
        );
        let path = format!("{}/actions/runs/{id}", repo_path(owner, repo));
        self.get_json(&ctx, &path).await
    }

    /// The jobs of a run, with their steps.
    pub async fn run_jobs(
        &self,
        owner: &str,
        repo: &str,
        run: u64,
    ) -> Result<Vec<RunJob>, GithubError> {
        #[derive(Deserialize)]
        struct Page {
            jobs: Vec<RunJob>,
        }
        let ctx = self.ctx(
            format!("list the jobs of run {run} in {owner}/{repo}"),
            owner,
            repo,
            Need::ActionsRead,
        );
        let path = format!(
            "{}/actions/runs/{run}/jobs?per_page=100",
            repo_path(owner, repo)
        );
        Ok(self.get_json::<Page>(&ctx, &path).await?.jobs)
    }

    /// A job's plain-text log.
    pub async fn job_log(&self, owner: &str, repo: &str, job: u64) -> Result<String, GithubError> {
        let ctx = self.ctx(
            format!("download the log of job {job} in {owner}/{repo}"),
            owner,
            repo,
            Need::ActionsRead,
        );
        let path = format!("{}/actions/jobs/{job}/logs", repo_path(owner, repo));
        let (_, text) = self.send(&ctx, Method::GET, &path, None).await?;
        Ok(text)
    }

    /// Publishes a release of `tag` on `target` (a branch or commit): GitHub creates the tag and
    /// fires the `release` event.
    pub async fn create_release(
        &self,
        owner: &str,
        repo: &str,
        tag: &str,
        target: &str,
    ) -> Result<Release, GithubError> {
        let ctx = self.ctx(
            format!("publish the release {tag} of {owner}/{repo}"),
            owner,
            repo,
            Need::ContentsWrite,
        );
        let path = format!("{}/releases", repo_path(owner, repo));
        let body = json!({
            "tag_name": tag, "target_commitish": target, "name": tag,
            "body": "Published by `cawiz verify --release` to prove the publish workflow.",
            "draft": false, "prerelease": false
        });
        let (status, text) = self.send(&ctx, Method::POST, &path, Some(&body)).await?;
        serde_json::from_str(&text).map_err(|e| unexpected(&ctx, status, &e))
    }
}
