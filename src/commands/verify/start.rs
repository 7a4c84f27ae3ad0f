//! Where `cawiz verify` starts its run for the setup's scope (`pipeline::scope`), what it asks
//! first (a release, a tag it creates), and what it refuses because only a person can do it (a
//! branch that does not exist, a workflow not on it, a pull request to open).

use crate::checklist::Context;
use crate::checklist::pipeline_run::{
    BranchFacts, PipelineAction, branch_facts, by_hand as by_hand_action, probe_start, target,
};
use crate::cli::VerifyArgs;
use crate::pipeline::scope::{self, Route, pull_request_steps};
use crate::pipeline::{self, DispatchRef, RunView, Start, Target, workflow_file};
use crate::setup::SubjectScope;
use crate::workflow::WORKFLOW_PATH;

use super::super::{CliError, confirm};

/// What `verify` does.
pub enum Plan {
    /// Start a run and watch it.
    Start(Target, Start),
    /// Watch a run already going (a pull request's).
    Watch(Target, u64),
    /// Judge a run that has ended (a pull request's).
    Done(Box<RunView>),
}

/// The gh commands a person runs without a token.
pub fn by_hand(ctx: &Context) -> String {
    by_hand_action(ctx).command()
}

/// The project's version from `pyproject.toml` in the working directory, for a release's tag.
fn project_version() -> Option<String> {
    crate::setup::pyproject::read(std::path::Path::new("."))?.version
}

/// `--release [TAG]`: the tag (default `v` + pyproject's version), or `None` for the probe.
pub fn release_tag(args: &VerifyArgs) -> Result<Option<String>, CliError> {
    match args.release.as_deref() {
        None => Ok(None),
        Some("") => project_version()
            .map(|v| Some(format!("v{v}")))
            .ok_or_else(|| {
                CliError::new(
                    "no tag for the release: pyproject.toml here has no version",
                    "pass the tag: cawiz verify --release v1.2.3",
                )
            }),
        Some(tag) => Ok(Some(tag.to_owned())),
    }
}

fn github(ctx: &Context) -> String {
    format!("{}/{}", ctx.setup.github_owner, ctx.setup.github_repo)
}

fn cli(e: impl std::fmt::Display, fix: String) -> CliError {
    CliError::new(e.to_string(), fix)
}

/// Asks before a change in the repository (`--yes` skips it); refused: nothing changed.
fn ask(question: &str, args: &VerifyArgs) -> Result<(), CliError> {
    if args.yes || confirm(question, "--yes")? {
        return Ok(());
    }
    Err(CliError::plain("nothing changed: the run was not started"))
}

/// A release publishes the project on a tag's subject: refused where the role trusts no tag.
fn release(
    ctx: &Context,
    target: Target,
    tag: String,
    args: &VerifyArgs,
) -> Result<Plan, CliError> {
    let s = &ctx.setup;
    if matches!(
        s.scope,
        SubjectScope::Branch(_) | SubjectScope::PullRequests
    ) {
        return Err(CliError::new(
            format!(
                "a release cannot verify the scope {}: its run's subject is a tag \
                 (ref:refs/tags/{tag}), which the role does not trust",
                s.scope
            ),
            "verify with the probe: cawiz verify",
        ));
    }
    let question = format!(
        "Publish the release {tag} of {}? It is a real release and publishes that version.",
        github(ctx)
    );
    ask(&question, args)?;
    Ok(Plan::Start(target, Start::Release { tag }))
}

/// The scope's branch must exist and hold the workflow (a dispatch runs the branch's own copy).
async fn branch_ready(ctx: &Context, target: &Target, branch: &str) -> Result<(), CliError> {
    if branch == target.branch {
        return Ok(());
    }
    let facts = branch_facts(ctx, branch)
        .await
        .map_err(|e| cli(&e, e.fix()))?;
    let (problem, action) = match facts {
        BranchFacts::Found { workflow: true } => return Ok(()),
        BranchFacts::Missing => (
            format!("the branch {branch} does not exist in {}", github(ctx)),
            PipelineAction::CreateBranch {
                github: github(ctx),
                branch: branch.to_owned(),
                from: target.branch.clone(),
            },
        ),
        BranchFacts::Found { workflow: false } => (
            format!("{WORKFLOW_PATH} is not on {branch} of {}", github(ctx)),
            PipelineAction::UpdateBranch {
                github: github(ctx),
                branch: branch.to_owned(),
                from: target.branch.clone(),
            },
        ),
    };
    Err(CliError::new(
        format!(
            "cannot verify the scope {}: {problem}, and the role trusts runs on {branch} only",
            ctx.setup.scope
        ),
        format!(
            "{}: {}; then cawiz verify",
            action.describe(),
            action.command()
        ),
    ))
}

/// Pull requests: no dispatch carries their subject; the latest pull request run is judged.
async fn pull_request(ctx: &Context, target: Target) -> Result<Plan, CliError> {
    let latest = pipeline::latest(&ctx.github, &target)
        .await
        .map_err(|e| cli(&e, e.fix()))?;
    match latest {
        None => Err(CliError::new(
            format!(
                "cannot verify the scope pull-requests by starting a run: the role trusts \
                 pull_request runs only, which no dispatch can start, and no pull request of {} \
                 has run {} yet",
                github(ctx),
                workflow_file()
            ),
            pull_request_steps(&github(ctx)),
        )),
        Some(view) if !view.run.completed() => Ok(Plan::Watch(target, view.run.id)),
        Some(view) => Ok(Plan::Done(Box::new(view))),
    }
}

/// What to do for the setup's scope (and `--release`).
pub async fn plan(
    ctx: &Context,
    release_tag: Option<String>,
    args: &VerifyArgs,
) -> Result<Plan, CliError> {
    let target = target(ctx).await.map_err(|e| cli(&e, e.fix()))?;
    if let Some(tag) = release_tag {
        return release(ctx, target, tag, args);
    }
    let route = scope::route(&target.scope, &target.branch);
    let Some(how) = probe_start(&route) else {
        return pull_request(ctx, target).await;
    };
    if let Route::Branch(branch) = &route {
        branch_ready(ctx, &target, branch).await?;
    }
    if let Start::Probe {
        on: DispatchRef::NewTag(tag),
    } = &how
    {
        let question = format!(
            "Create the tag {tag} at the head of {} of {} to run the workflow on a tag (the \
             subject the role trusts), and delete it after the run?",
            target.branch,
            github(ctx)
        );
        ask(&question, args)?;
    }
    Ok(Plan::Start(target, how))
}
