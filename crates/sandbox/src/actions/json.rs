//! Runs, jobs and workflows in GitHub's REST shapes (`actions/get-workflow-run`,
//! `actions/get-job-for-workflow-run`, `actions/get-workflow`).

use std::time::SystemTime;

use serde_json::{Value, json};

use super::state::{Job, Run, Status, Step};
use super::trigger::WorkflowFile;
use crate::github::endpoints::node_id;
use crate::github::state::GhRepo;
use crate::world::iso8601;

fn time(t: Option<SystemTime>) -> Value {
    t.map_or(Value::Null, |t| Value::String(iso8601(t)))
}

fn actor(login: &str, id: u64) -> Value {
    json!({
        "login": login,
        "id": id,
        "node_id": node_id("User", id),
        "type": "User",
        "site_admin": false,
        "html_url": format!("https://github.com/{login}"),
    })
}

fn repository(repo: &GhRepo, api_url: &str) -> Value {
    json!({
        "id": repo.id,
        "node_id": node_id("Repository", repo.id),
        "name": repo.name,
        "full_name": format!("{}/{}", repo.owner, repo.name),
        "owner": actor(&repo.owner, repo.owner_id),
        "private": true,
        "html_url": format!("https://github.com/{}/{}", repo.owner, repo.name),
        "url": format!("{api_url}/repos/{}/{}", repo.owner, repo.name),
    })
}

pub fn run_json(run: &Run, repo: &GhRepo, api_url: &str) -> Value {
    let base = format!("{api_url}/repos/{}/{}", run.owner, run.repo);
    let url = format!("{base}/actions/runs/{}", run.id);
    let head_commit = repo.git.commits.get(&run.event.sha).map(|c| {
        json!({
            "id": c.sha,
            "tree_id": c.tree,
            "message": c.message,
            "timestamp": iso8601(c.date),
            "author": { "name": "Sandbox", "email": "sandbox@users.noreply.github.com" },
            "committer": { "name": "GitHub", "email": "noreply@github.com" },
        })
    });
    json!({
        "id": run.id,
        "name": run.name(),
        "node_id": node_id("WorkflowRun", run.id),
        "check_suite_id": run.id + 7_000_000_000,
        "check_suite_node_id": node_id("CheckSuite", run.id + 7_000_000_000),
        "head_branch": run.head_branch(),
        "head_sha": run.event.sha,
        "path": run.path,
        "display_title": run.event.title,
        "run_number": run.run_number,
        "event": run.event.name,
        "status": run.status.as_str(),
        "conclusion": run.conclusion.map(|c| c.as_str()),
        "workflow_id": run.workflow_id,
        "url": url,
        "html_url": format!("https://github.com/{}/{}/actions/runs/{}", run.owner, run.repo, run.id),
        "pull_requests": [],
        "created_at": iso8601(run.created),
        "updated_at": iso8601(run.updated),
        "actor": actor(&repo.owner, repo.owner_id),
        "triggering_actor": actor(&repo.owner, repo.owner_id),
        "run_attempt": 1,
        "referenced_workflows": [],
        // The attempt started when the run was created (it then waits in the queue).
        "run_started_at": iso8601(run.created),
        "jobs_url": format!("{url}/jobs"),
        "logs_url": format!("{url}/logs"),
        "check_suite_url": format!("{base}/check-suites/{}", run.id + 7_000_000_000),
        "artifacts_url": format!("{url}/artifacts"),
        "cancel_url": format!("{url}/cancel"),
        "rerun_url": format!("{url}/rerun"),
        "previous_attempt_url": null,
        "workflow_url": format!("{base}/actions/workflows/{}", run.workflow_id),
        "head_commit": head_commit,
        "repository": repository(repo, api_url),
        "head_repository": repository(repo, api_url),
        "head_repository_id": repo.id,
    })
}

fn step_json(s: &Step) -> Value {
    json!({
        "name": s.name,
        "status": s.status.as_str(),
        "conclusion": s.conclusion.map(|c| c.as_str()),
        "number": s.number,
        "started_at": time(s.started),
        "completed_at": time(s.completed),
    })
}

pub fn job_json(run: &Run, job: &Job, api_url: &str) -> Value {
    let base = format!("{api_url}/repos/{}/{}", run.owner, run.repo);
    let started = job.status != Status::Queued;
    let runner = started.then(|| job.id % 1_000_000 + 1_000_000_000);
    json!({
        "id": job.id,
        "run_id": run.id,
        "workflow_name": run.name(),
        "head_branch": run.head_branch(),
        "run_url": format!("{base}/actions/runs/{}", run.id),
        "run_attempt": 1,
        "node_id": node_id("WorkflowJob", job.id),
        "head_sha": run.event.sha,
        "url": format!("{base}/actions/jobs/{}", job.id),
        "html_url": format!("https://github.com/{}/{}/actions/runs/{}/job/{}", run.owner, run.repo, run.id, job.id),
        "status": job.status.as_str(),
        "conclusion": job.conclusion.map(|c| c.as_str()),
        "created_at": iso8601(run.created),
        "started_at": iso8601(job.started.unwrap_or(run.created)),
        "completed_at": time(job.completed),
        "name": job.name,
        "steps": job.steps.iter().map(step_json).collect::<Vec<_>>(),
        "check_run_url": format!("{base}/check-runs/{}", job.id),
        "labels": ["ubuntu-latest"],
        "runner_id": runner,
        "runner_name": runner.map(|id| format!("GitHub Actions {id}")),
        "runner_group_id": runner.map(|_| 0),
        "runner_group_name": runner.map(|_| "GitHub Actions"),
    })
}

pub fn workflow_json(repo: &GhRepo, w: &WorkflowFile, name: Option<&str>, api_url: &str) -> Value {
    let created = iso8601(repo.created);
    let branch = &repo.git.default_branch;
    json!({
        "id": w.id,
        "node_id": node_id("Workflow", w.id),
        "name": name.unwrap_or(&w.path),
        "path": w.path,
        "state": "active",
        "created_at": created,
        "updated_at": created,
        "url": format!("{api_url}/repos/{}/{}/actions/workflows/{}", repo.owner, repo.name, w.id),
        "html_url": format!("https://github.com/{}/{}/blob/{branch}/{}", repo.owner, repo.name, w.path),
        "badge_url": format!("https://github.com/{}/{}/workflows/{}/badge.svg", repo.owner, repo.name, urlencoding::encode(name.unwrap_or(&w.path))),
    })
}
