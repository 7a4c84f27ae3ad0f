//! GitHub Actions, as far as publishing goes: runs of the workflow files in a repository's git
//! data, started by `workflow_dispatch`, a published release, a push or an opened pull request, progressing on the
//! sandbox clock (`queued → in_progress → completed`), with GitHub's REST shapes for workflows,
//! runs, jobs, steps, logs and releases.
//!
//! A run executes the meaning of its workflow: jobs in `needs` order, `if:` conditions, effective
//! permissions. The job that uses `aws-actions/configure-aws-credentials` does what it says, as
//! the role, through the sandbox's own services: a token from the OIDC issuer for the job,
//! AssumeRoleWithWebIdentity, then the `aws codeartifact` calls and the twine upload of its
//! `run:` steps, each authorised by the role's policies — and logs what the real tools print.
//! Steps that do not touch AWS (checkout, setup-python, build, artifacts) are simulated.
//!
//! Runs advance lazily: every request (and the test handle) first catches every run up to the
//! sandbox clock, so a step's effects happen once the clock has passed its end, deterministically
//! under `SandboxHandle::advance_clock`.

mod aws_cli;
mod build;
mod context;
mod credentials;
mod endpoints;
mod expr;
mod handle;
mod json;
mod logs;
mod pip;
mod pull_request;
mod release;
mod run;
mod runner;
mod script;
mod sh;
pub(crate) mod state;
mod steps;
mod trigger;
mod twine;
mod upload;
mod workflow;
mod yaml;

#[cfg(test)]
mod tests;

use std::sync::PoisonError;

use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};

pub use handle::{JobInfo, RunInfo};

use super::Shared;
use super::github::{self, PATH_PREFIX};
use super::protocol::Query;

/// The path of a job log's download (where `…/jobs/{id}/logs` redirects).
fn log_download(path: &str) -> Option<u64> {
    path.strip_prefix(PATH_PREFIX)?
        .strip_prefix("/_logs/jobs/")?
        .parse()
        .ok()
}

/// The operation a request is counted under (`GitHub:CreateWorkflowDispatch`, …), when it is one
/// of the Actions endpoints.
pub fn operation(method: &Method, path: &str) -> Option<String> {
    if *method == Method::GET && log_download(path).is_some() {
        return Some("GitHub:GetJobLogContent".to_owned());
    }
    endpoints::route(method, path).map(|r| format!("GitHub:{}", r.op.name()))
}

/// Answers an Actions request; `None` when the request is for another GitHub endpoint.
pub fn handle(shared: &Shared, parts: &Parts, body: &[u8]) -> Option<Response> {
    if let Some(job) = log_download(parts.uri.path()) {
        return Some(download(shared, job, parts));
    }
    let route = endpoints::route(&parts.method, parts.uri.path())?;
    Some(github::serve(
        shared,
        parts,
        body,
        route.op.endpoint(),
        |world, input| endpoints::answer(world, &route, input),
    ))
}

/// The log text behind a signed link (no token needed, as GitHub's storage links).
fn download(shared: &Shared, job_id: u64, parts: &Parts) -> Response {
    let q = Query::parse(parts.uri.query());
    let world = shared.world();
    let problem = logs::link_problem(
        job_id,
        q.get("urlExpires").unwrap_or_default(),
        q.get("urlSignature").unwrap_or_default(),
        world.now(),
    );
    if let Some(problem) = problem {
        return (StatusCode::FORBIDDEN, problem.to_owned()).into_response();
    }
    match world.actions.job(job_id) {
        Some((_, job)) => (
            StatusCode::OK,
            [("content-type", "text/plain; charset=utf-8")],
            logs::render(job),
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "BlobNotFound").into_response(),
    }
}

/// Catches every run up to the sandbox clock: pushes since the last request start their runs, and
/// each run's due steps happen. The calls the steps made are counted.
pub fn tick(shared: &Shared) {
    let mut world = shared.world();
    let now = world.now();
    trigger::detect_pushes(&mut world, now);
    pull_request::detect(&mut world, now);
    let ids = world.actions.active_run_ids();
    if ids.is_empty() {
        return;
    }
    let mut runner = runner::Runner::new(&mut world, &shared.base_url, &shared.faults);
    for id in ids {
        let Some(mut r) = runner.world.actions.runs.remove(&id) else {
            continue;
        };
        run::advance(&mut r, &mut runner, now);
        runner.world.actions.runs.insert(id, r);
    }
    let calls = std::mem::take(&mut runner.calls);
    drop(world);
    let mut counts = shared.calls.lock().unwrap_or_else(PoisonError::into_inner);
    for call in calls {
        *counts.entry(call).or_insert(0) += 1;
    }
}
