//! The Actions and releases endpoints, under the GitHub API: routing, names (counted as
//! `GitHub:CreateWorkflowDispatch`, `GitHub:ListWorkflowRunsForRepo`, …) and answers.

use axum::http::Method;
use serde_json::Value;

use super::json::{job_json, run_json, workflow_json};
use super::state::{Run, Status};
use super::trigger::{dispatch, find_workflow, known_workflows};
use super::{logs, release, workflow};
use crate::github::endpoints::paginate;
use crate::github::reply::{GhError, GhResult, Input, Reply};
use crate::github::{Endpoint, PATH_PREFIX};
use crate::world::World;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    ListRepoWorkflows,
    GetWorkflow,
    CreateWorkflowDispatch,
    ListWorkflowRunsForRepo,
    ListWorkflowRuns,
    GetWorkflowRun,
    ListJobsForWorkflowRun,
    GetJobForWorkflowRun,
    DownloadJobLogsForWorkflowRun,
    CreateRelease,
    ListReleases,
    GetReleaseByTag,
}

const WORKFLOWS_DOC: &str = "https://docs.github.com/rest/actions/workflows";
const RUNS_DOC: &str = "https://docs.github.com/rest/actions/workflow-runs";
const JOBS_DOC: &str = "https://docs.github.com/rest/actions/workflow-jobs";
const RELEASES_DOC: &str = "https://docs.github.com/rest/releases/releases";

impl Op {
    pub fn name(self) -> &'static str {
        match self {
            Op::ListRepoWorkflows => "ListRepoWorkflows",
            Op::GetWorkflow => "GetWorkflow",
            Op::CreateWorkflowDispatch => "CreateWorkflowDispatch",
            Op::ListWorkflowRunsForRepo => "ListWorkflowRunsForRepo",
            Op::ListWorkflowRuns => "ListWorkflowRuns",
            Op::GetWorkflowRun => "GetWorkflowRun",
            Op::ListJobsForWorkflowRun => "ListJobsForWorkflowRun",
            Op::GetJobForWorkflowRun => "GetJobForWorkflowRun",
            Op::DownloadJobLogsForWorkflowRun => "DownloadJobLogsForWorkflowRun",
            Op::CreateRelease => "CreateRelease",
            Op::ListReleases => "ListReleases",
            Op::GetReleaseByTag => "GetReleaseByTag",
        }
    }

    pub fn endpoint(self) -> Endpoint {
        let (doc, permission) = match self {
            Op::ListRepoWorkflows | Op::GetWorkflow => (WORKFLOWS_DOC, "actions=read"),
            Op::CreateWorkflowDispatch => (WORKFLOWS_DOC, "actions=write"),
            Op::ListWorkflowRunsForRepo | Op::ListWorkflowRuns | Op::GetWorkflowRun => {
                (RUNS_DOC, "actions=read")
            }
            Op::ListJobsForWorkflowRun
            | Op::GetJobForWorkflowRun
            | Op::DownloadJobLogsForWorkflowRun => (JOBS_DOC, "actions=read"),
            Op::CreateRelease => (RELEASES_DOC, "contents=write"),
            Op::ListReleases | Op::GetReleaseByTag => (RELEASES_DOC, "contents=read"),
        };
        Endpoint {
            doc,
            permission,
            public: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub op: Op,
    pub owner: String,
    pub repo: String,
    /// The workflow id or file name, the run or job id, or the tag.
    pub id: String,
}

pub fn route(method: &Method, path: &str) -> Option<Route> {
    let rest = path.strip_prefix(PATH_PREFIX)?;
    let segments = crate::protocol::path_segments(rest.split('/'));
    let s: Vec<&str> = segments.iter().map(String::as_str).collect();
    let ["repos", owner, repo, tail @ ..] = s.as_slice() else {
        return None;
    };
    let (op, id) = match (method.as_str(), tail) {
        ("GET", ["actions", "workflows"]) => (Op::ListRepoWorkflows, ""),
        ("GET", ["actions", "workflows", id]) => (Op::GetWorkflow, *id),
        ("POST", ["actions", "workflows", id, "dispatches"]) => (Op::CreateWorkflowDispatch, *id),
        ("GET", ["actions", "workflows", id, "runs"]) => (Op::ListWorkflowRuns, *id),
        ("GET", ["actions", "runs"]) => (Op::ListWorkflowRunsForRepo, ""),
        ("GET", ["actions", "runs", id]) => (Op::GetWorkflowRun, *id),
        ("GET", ["actions", "runs", id, "jobs"]) => (Op::ListJobsForWorkflowRun, *id),
        ("GET", ["actions", "jobs", id]) => (Op::GetJobForWorkflowRun, *id),
        ("GET", ["actions", "jobs", id, "logs"]) => (Op::DownloadJobLogsForWorkflowRun, *id),
        ("POST", ["releases"]) => (Op::CreateRelease, ""),
        ("GET", ["releases"]) => (Op::ListReleases, ""),
        ("GET", ["releases", "tags", tag]) => (Op::GetReleaseByTag, *tag),
        _ => return None,
    };
    Some(Route {
        op,
        owner: (*owner).to_owned(),
        repo: (*repo).to_owned(),
        id: id.to_owned(),
    })
}

pub fn answer(world: &mut World, route: &Route, input: &Input<'_>) -> GhResult {
    let (owner, name) = {
        let repo = world
            .github
            .repo_mut(&route.owner, &route.repo, input.now)
            .ok_or_else(GhError::not_found)?;
        (repo.owner.clone(), repo.name.clone())
    };
    match route.op {
        Op::CreateWorkflowDispatch => dispatch(world, &owner, &name, &route.id, input),
        Op::CreateRelease => release::create(world, &owner, &name, input),
        Op::ListReleases => release::read(world, &owner, &name, None, input),
        Op::GetReleaseByTag => release::read(world, &owner, &name, Some(&route.id), input),
        _ => read(world, &owner, &name, route, input),
    }
}

fn number(id: &str) -> Result<u64, GhError> {
    id.parse().map_err(|_| GhError::not_found())
}

/// The endpoints that only read runs, jobs and workflows.
fn read(world: &World, owner: &str, name: &str, route: &Route, input: &Input<'_>) -> GhResult {
    let repo = world
        .github
        .get(owner, name)
        .ok_or_else(GhError::not_found)?;
    let api = &input.api_url;
    let mine = |r: &&Run| r.owner == owner && r.repo == name;
    let run = |id: &str| -> Result<&Run, GhError> {
        let id = number(id)?;
        world
            .actions
            .runs
            .get(&id)
            .filter(|r| mine(r))
            .ok_or_else(GhError::not_found)
    };
    match route.op {
        Op::ListRepoWorkflows => {
            let items: Vec<Value> = known_workflows(repo)
                .iter()
                .map(|w| {
                    let title = workflow::parse(&w.text).ok().and_then(|p| p.name);
                    workflow_json(repo, w, title.as_deref(), api)
                })
                .collect();
            let url = format!("{api}/repos/{owner}/{name}/actions/workflows");
            Ok(paginate(items, "workflows", &input.query, 30, 100, &url))
        }
        Op::GetWorkflow => {
            let w = find_workflow(repo, &route.id).ok_or_else(GhError::not_found)?;
            let title = workflow::parse(&w.text).ok().and_then(|p| p.name);
            Ok(Reply::ok(workflow_json(repo, &w, title.as_deref(), api)))
        }
        Op::ListWorkflowRunsForRepo | Op::ListWorkflowRuns => {
            let workflow_id = match route.op {
                Op::ListWorkflowRuns => Some(
                    find_workflow(repo, &route.id)
                        .ok_or_else(GhError::not_found)?
                        .id,
                ),
                _ => None,
            };
            let items: Vec<Value> = world
                .actions
                .runs
                .values()
                .rev()
                .filter(mine)
                .filter(|r| workflow_id.is_none_or(|id| r.workflow_id == id))
                .filter(|r| selected(r, input))
                .map(|r| run_json(r, repo, api))
                .collect();
            let url = format!("{api}/repos/{owner}/{name}/actions/runs");
            Ok(paginate(
                items,
                "workflow_runs",
                &input.query,
                30,
                100,
                &url,
            ))
        }
        Op::GetWorkflowRun => Ok(Reply::ok(run_json(run(&route.id)?, repo, api))),
        Op::ListJobsForWorkflowRun => {
            let r = run(&route.id)?;
            let items: Vec<Value> = r.jobs.iter().map(|j| job_json(r, j, api)).collect();
            let url = format!("{api}/repos/{owner}/{name}/actions/runs/{}/jobs", r.id);
            Ok(paginate(items, "jobs", &input.query, 30, 100, &url))
        }
        Op::GetJobForWorkflowRun | Op::DownloadJobLogsForWorkflowRun => {
            let (r, job) = world
                .actions
                .job(number(&route.id)?)
                .filter(|(r, _)| mine(r))
                .ok_or_else(GhError::not_found)?;
            if route.op == Op::GetJobForWorkflowRun {
                return Ok(Reply::ok(job_json(r, job, api)));
            }
            if job.status != Status::Completed {
                return Err(GhError::not_found());
            }
            Ok(Reply::found(logs::signed_url(api, job.id, input.now)))
        }
        _ => Err(GhError::not_found()),
    }
}

/// The `event`, `branch`, `status` (a status or a conclusion) and `head_sha` filters.
fn selected(run: &Run, input: &Input<'_>) -> bool {
    let q = &input.query;
    let status_ok = q.get("status").is_none_or(|s| {
        run.status.as_str() == s || run.conclusion.is_some_and(|c| c.as_str() == s)
    });
    status_ok
        && q.get("event").is_none_or(|e| run.event.name == e)
        && q.get("branch").is_none_or(|b| run.head_branch() == b)
        && q.get("head_sha").is_none_or(|h| run.event.sha == h)
}
