//! Item 9, the pipeline run: the guide's "create a test release to verify pipeline", for real.
//! Done when the latest run of the publish workflow for the setup's scope (`pipeline::scope`)
//! published — its publish job ran and the version it built is in the repository
//! (`pipeline::proof`) — after the setup last changed (an older one is missing: verify again); a
//! failed run is drift, with the cause its log shows. Apply starts a verification run where GitHub
//! sends the subject the role trusts for the scope (and watches it); a scope only a person can
//! verify (a branch to create, a pull request to open) gets the exact commands.

mod action;
mod assess;

use std::time::Duration;

pub use action::PipelineAction;
pub use assess::assess;

use crate::aws::AwsError;
use crate::github::GithubError;
use crate::pipeline::cause::{self, Expected};
use crate::pipeline::proof::{self, Outcome as Proof};
use crate::pipeline::scope::{self, Route};
use crate::pipeline::verification::start_and_watch;
use crate::pipeline::{self, DispatchRef, RunView, Start, Target};
use crate::workflow::WORKFLOW_PATH;

use super::{ApplyError, Context, ItemId, Outcome, Progress, Report, Status};

/// How often a watched run is polled.
pub const POLL: Duration = Duration::from_secs(2);

fn github(ctx: &Context) -> String {
    format!("{}/{}", ctx.setup.github_owner, ctx.setup.github_repo)
}

/// The repository, its default branch (GitHub says which) and the setup's scope.
pub async fn target(ctx: &Context) -> Result<Target, GithubError> {
    let s = &ctx.setup;
    let branch = ctx
        .github
        .default_branch(&s.github_owner, &s.github_repo)
        .await?;
    Ok(target_on(ctx, branch))
}

/// The repository with `branch` as its default branch, and the setup's scope.
pub fn target_on(ctx: &Context, branch: String) -> Target {
    let s = &ctx.setup;
    Target {
        owner: s.github_owner.clone(),
        repo: s.github_repo.clone(),
        branch,
        scope: s.scope.clone(),
    }
}

/// The project's `[project].name` in the working directory (what a release publishes).
pub fn project_name() -> Option<String> {
    crate::setup::pyproject::read(std::path::Path::new("."))?.name
}

/// How a verification run of the scope starts on `route`; `None` for pull requests.
pub fn probe_start(route: &Route) -> Option<Start> {
    let on = match route {
        Route::Branch(branch) => DispatchRef::Branch(branch.clone()),
        Route::Tag => DispatchRef::NewTag(scope::verify_tag(crate::state::now_secs())),
        Route::PullRequest => return None,
    };
    Some(Start::Probe { on })
}

/// The step that verifies the scope: a start, or the pull request a person opens.
fn start(ctx: &Context, target: &Target, route: &Route) -> PipelineAction {
    match probe_start(route) {
        Some(how) => PipelineAction::Start {
            github: github(ctx),
            branch: target.branch.clone(),
            how,
        },
        None => PipelineAction::PullRequest {
            github: github(ctx),
        },
    }
}

/// Without a token: the commands for the scope, assuming the default branch is `main`.
pub fn by_hand(ctx: &Context) -> PipelineAction {
    let route = scope::route(&ctx.setup.scope, "main");
    match probe_start(&route) {
        Some(how) => PipelineAction::ByHand {
            github: github(ctx),
            branch: "main".to_owned(),
            how,
        },
        None => PipelineAction::PullRequest {
            github: github(ctx),
        },
    }
}

/// Where the workflow must be for the route: the branch dispatched on, or the default branch (a
/// verification tag is made at its head; pull requests merge into it).
fn workflow_branch<'a>(route: &'a Route, target: &'a Target) -> &'a str {
    match route {
        Route::Branch(branch) => branch,
        Route::Tag | Route::PullRequest => &target.branch,
    }
}

/// What the check read about the branch the run needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BranchFacts {
    /// The branch is there and holds the workflow (or not).
    Found { workflow: bool },
    /// The scope's branch does not exist.
    Missing,
}

/// The branch's head and the workflow file on it, read together (a missing branch has no file).
pub async fn branch_facts(ctx: &Context, branch: &str) -> Result<BranchFacts, GithubError> {
    let s = &ctx.setup;
    let (owner, repo) = (&s.github_owner, &s.github_repo);
    let (head, file) = tokio::join!(
        ctx.github.branch_head(owner, repo, branch),
        ctx.github
            .get_file(owner, repo, WORKFLOW_PATH, Some(branch))
    );
    if head?.is_none() {
        return Ok(BranchFacts::Missing);
    }
    Ok(BranchFacts::Found {
        workflow: file?.is_some(),
    })
}

/// The names the setup gives a run (what the workflow's variables should hold), for settling a
/// failed run's cause.
pub fn expected_names(ctx: &Context) -> Expected {
    let s = &ctx.setup;
    Expected {
        domain: s.domain.clone(),
        account: ctx.account.clone(),
        region: s.region.clone(),
        repository: s.repository.clone(),
    }
}

/// A failed run's cause settled by the facts (`pipeline::cause`): verify, this item and the
/// doctor name the same cause for the same run.
pub async fn settle(ctx: &Context, view: &mut RunView) {
    cause::judge_view(&ctx.clients, &expected_names(ctx), view).await;
}

/// What the latest run proved (`None` while there is none).
async fn proof_of(ctx: &Context, latest: Option<&RunView>) -> Result<Option<Proof>, AwsError> {
    let Some(view) = latest else { return Ok(None) };
    let name = project_name();
    let proved = proof::outcome(
        &ctx.clients,
        &ctx.setup,
        &ctx.account,
        view,
        name.as_deref(),
    );
    Ok(Some(proved.await?))
}

/// With `notify` set, whether the version `proved` published went out as a notification (rows),
/// else nothing.
async fn notification_rows(ctx: &Context, proved: Option<&Proof>) -> Vec<super::rows::Row> {
    match proved {
        Some(Proof::Published(p)) => {
            super::notifications::publication_rows(ctx, &p.package, &p.version).await
        }
        _ => Vec::new(),
    }
}

pub async fn check(ctx: &Context) -> Report {
    if !ctx.github.has_token() {
        let mut report = Report::new(
            ItemId::PipelineRun,
            Status::Unknown {
                reason: "no GitHub token: cawiz cannot read or start runs (set GITHUB_TOKEN or \
                         GH_TOKEN, or log in with `gh auth login`); run the gh commands of the plan"
                    .to_owned(),
            },
        );
        report.actions.push(super::Action::Pipeline(by_hand(ctx)));
        return report;
    }
    let read = super::on_default_branch(ctx, |branch| async move {
        let target = target_on(ctx, branch);
        let route = scope::route(&target.scope, &target.branch);
        let on = workflow_branch(&route, &target).to_owned();
        let (facts, latest) = tokio::join!(
            branch_facts(ctx, &on),
            pipeline::latest(&ctx.github, &target)
        );
        (target, route, on, facts, latest)
    })
    .await;
    let (target, route, branch, facts, latest) = match read {
        Ok((_, read)) => read,
        Err(e) => return Report::new(ItemId::PipelineRun, Status::Error(e.into())),
    };
    let (facts, mut latest) = match (facts, latest) {
        (Ok(facts), Ok(latest)) => (facts, latest),
        (Err(e), _) | (_, Err(e)) => {
            return Report::new(ItemId::PipelineRun, Status::Error(e.into()));
        }
    };
    if let Some(view) = latest.as_mut() {
        settle(ctx, view).await;
    }
    let proved = match proof_of(ctx, latest.as_ref()).await {
        Ok(p) => p,
        Err(e) => return Report::new(ItemId::PipelineRun, Status::Error(e.into())),
    };
    let notified = notification_rows(ctx, proved.as_ref()).await;
    let next = start(ctx, &target, &route);
    let mut report = assess(
        ctx,
        &target,
        &branch,
        &facts,
        latest.map(|v| (v, proved)),
        next,
    );
    if let Some(line) = super::notifications::sentence(&notified) {
        report.details.fact("notification", line);
    }
    report.details.rows.extend(notified);
    report
}

/// Starts the run and watches it (or watches one already going); the outcome names what it
/// published, a failure its cause, a run that published nothing why.
pub async fn execute(
    ctx: &Context,
    action: &PipelineAction,
    progress: &mut (dyn FnMut(Progress<'_>) + Send),
) -> Result<Outcome, ApplyError> {
    let target = target(ctx).await?;
    let mut on_update = |view: &RunView| progress(Progress::Run(view));
    let view = match action {
        PipelineAction::Start { how, .. } => {
            let watched = start_and_watch(&ctx.github, &target, how, POLL, &mut on_update)
                .await
                .map_err(ApplyError::Pipeline)?;
            watched.view
        }
        PipelineAction::Watch { id, .. } => {
            pipeline::watch(&ctx.github, &target, *id, POLL, &mut on_update).await?
        }
        _ => return Ok(Outcome::Manual(action.command())),
    };
    let mut view = view;
    settle(ctx, &mut view).await;
    if !view.run.succeeded() {
        return Err(ApplyError::RunFailed(Box::new(view)));
    }
    let name = format!("run #{}", view.run.run_number);
    let repository = format!("{}/{}", ctx.setup.domain, ctx.setup.repository);
    match proof_of(ctx, Some(&view)).await? {
        Some(p) if p.proves() => {
            let notified = notification_rows(ctx, Some(&p)).await;
            let notified = super::notifications::sentence(&notified)
                .map(|s| format!("; {s}"))
                .unwrap_or_default();
            Ok(Outcome::Changed(format!(
                "{} ({}){notified}",
                p.summary(&name, &repository),
                view.run.html_url
            )))
        }
        Some(p) => Err(ApplyError::Refused {
            message: p.summary(&name, &repository),
            fix: format!(
                "the run must publish for the scope {}: see `cawiz workflow lint` and {}",
                ctx.setup.scope, view.run.html_url
            ),
        }),
        None => Err(ApplyError::RunFailed(Box::new(view))),
    }
}
