//! Item 9, the pipeline run: the guide's "create a test release to verify pipeline", for real.
//! Done when the latest run of the publish workflow on the default branch succeeded after the
//! setup last changed (an older success is missing: verify again); a failed run is drift, with
//! the cause its log shows. Apply starts a
//! verification run (the probe package, through `workflow_dispatch`) and watches it.

mod action;

use std::time::Duration;

pub use action::PipelineAction;

use crate::github::GithubError;
use crate::pipeline::{self, RunView, Start, Target};
use crate::policy::{Finding, Severity};
use crate::workflow::WORKFLOW_PATH;

use super::rows::{Row, Verdict};
use super::{Action, ApplyError, Context, ItemId, Outcome, Progress, Report, Status};

/// How often a watched run is polled.
pub const POLL: Duration = Duration::from_secs(2);

fn github(ctx: &Context) -> String {
    format!("{}/{}", ctx.setup.github_owner, ctx.setup.github_repo)
}

/// The repository and its default branch (GitHub says which).
pub async fn target(ctx: &Context) -> Result<Target, GithubError> {
    let s = &ctx.setup;
    let branch = ctx
        .github
        .default_branch(&s.github_owner, &s.github_repo)
        .await?;
    Ok(Target {
        owner: s.github_owner.clone(),
        repo: s.github_repo.clone(),
        branch,
    })
}

fn start(ctx: &Context, target: &Target) -> Action {
    Action::Pipeline(PipelineAction::Start {
        github: github(ctx),
        branch: target.branch.clone(),
        how: Start::Probe,
    })
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
        report
            .actions
            .push(Action::Pipeline(PipelineAction::ByHand {
                github: github(ctx),
                branch: "main".to_owned(),
            }));
        return report;
    }
    let target = match target(ctx).await {
        Ok(t) => t,
        Err(e) => return Report::new(ItemId::PipelineRun, Status::Error(e.into())),
    };
    let s = &ctx.setup;
    let (file, latest) = tokio::join!(
        ctx.github.get_file(
            &s.github_owner,
            &s.github_repo,
            WORKFLOW_PATH,
            Some(&target.branch)
        ),
        pipeline::latest(&ctx.github, &target)
    );
    match (file, latest) {
        (Ok(file), Ok(latest)) => assess(ctx, &target, file.is_some(), latest),
        (Err(e), _) | (_, Err(e)) => Report::new(ItemId::PipelineRun, Status::Error(e.into())),
    }
}

/// The workflow is not on the default branch: no run can start (GitHub dispatches the default
/// branch's copy and answers 404 for a file it does not have).
fn not_on_branch(ctx: &Context, target: &Target) -> Report {
    let mut report = Report::new(
        ItemId::PipelineRun,
        Status::Missing {
            summary: format!(
                "{WORKFLOW_PATH} is not on {} of {} yet: merge cawiz's pull request (or push \
                 the file), then verify",
                target.branch,
                github(ctx)
            ),
        },
    );
    report.actions.push(Action::Pipeline(PipelineAction::Merge {
        github: github(ctx),
        branch: target.branch.clone(),
    }));
    report.details.rows = vec![
        Row::new(
            "workflow-on-branch",
            format!("{WORKFLOW_PATH} on {}", target.branch),
            Verdict::Fail,
        )
        .evidence(format!("contents API on {}: 404, not there", target.branch))
        .fix(
            "merge cawiz's pull request (or push the file)",
            Some(ItemId::PipelineRun),
        ),
    ];
    report
}

/// Seconds since the epoch of a run's `created_at` (RFC 3339).
fn created_secs(run: &crate::github::Run) -> Option<u64> {
    time::OffsetDateTime::parse(
        &run.created_at,
        &time::format_description::well_known::Rfc3339,
    )
    .ok()
    .and_then(|t| u64::try_from(t.unix_timestamp()).ok())
}

pub fn assess(ctx: &Context, target: &Target, on_branch: bool, latest: Option<RunView>) -> Report {
    let workflow = pipeline::workflow_file();
    if !on_branch {
        return not_on_branch(ctx, target);
    }
    let Some(view) = latest else {
        let mut report = Report::new(
            ItemId::PipelineRun,
            Status::Missing {
                summary: format!(
                    "{workflow} never ran on {} of {}",
                    target.branch,
                    github(ctx)
                ),
            },
        );
        report.actions.push(start(ctx, target));
        return report;
    };
    let run = &view.run;
    let name = format!(
        "run #{} ({}, {})",
        run.run_number, run.event, run.created_at
    );
    let (status, next) = if !run.completed() {
        in_progress(ctx, target, run, &name)
    } else if !pipeline::tried_publishing(&view) {
        let summary =
            format!("{name} skipped the publish job: no run of {workflow} has published yet");
        (Status::Missing { summary }, Some(start(ctx, target)))
    } else if run.succeeded() {
        (succeeded(ctx, run, &name), Some(start(ctx, target)))
    } else {
        (failed(&view, &name), Some(start(ctx, target)))
    };
    let mut report = Report::new(ItemId::PipelineRun, status);
    if !report.status.is_done() {
        report.actions.extend(next);
    }
    report.details.rows = vec![on_branch_row(target), run_row(&view, &report.status, &name)];
    report.details.fact("run", run.html_url.clone());
    report.details.run = Some(view);
    report
}

fn on_branch_row(target: &Target) -> Row {
    Row::new(
        "workflow-on-branch",
        format!("{WORKFLOW_PATH} on {}", target.branch),
        Verdict::Ok,
    )
    .evidence(format!("contents API on {}: found", target.branch))
}

/// The latest run that tried to publish, as a row: its verdict follows the item's status.
fn run_row(view: &RunView, status: &Status, name: &str) -> Row {
    let verdict = match status {
        Status::Done { .. } => Verdict::Ok,
        Status::Unknown { reason } => Verdict::Unknown(reason.clone()),
        Status::Missing { .. } => Verdict::Warn,
        _ => Verdict::Fail,
    };
    let mut row = Row::new("latest-run", format!("Latest {name}"), verdict)
        .evidence(status.summary())
        .evidence(view.run.html_url.clone());
    if let Some(d) = &view.diagnosis {
        row = row
            .evidence(format!("{}: {}", d.cause, d.evidence))
            .fix(d.fix.clone(), None);
    }
    row
}

/// A run still going: a verification run (dispatched, or a release) is watched; any other (a
/// push building a commit) says nothing about publishing, so a verification run is started.
fn in_progress(
    ctx: &Context,
    target: &Target,
    run: &crate::github::Run,
    name: &str,
) -> (Status, Option<Action>) {
    let reason = format!("{name} is {}: wait for it", run.status.replace('_', " "));
    let next = match run.event.as_str() {
        "workflow_dispatch" | "release" => Action::Pipeline(PipelineAction::Watch {
            github: github(ctx),
            id: run.id,
            run_number: run.run_number,
        }),
        _ => start(ctx, target),
    };
    (Status::Unknown { reason }, Some(next))
}

/// A successful run: done, unless the setup changed after it (then missing: verify again).
fn succeeded(ctx: &Context, run: &crate::github::Run, name: &str) -> Status {
    let stale = match (ctx.setup_changed_at, created_secs(run)) {
        (Some(changed), Some(created)) => created < changed,
        _ => false,
    };
    // Not a failure: the pipeline is simply not verified for the setup as it is now.
    if stale {
        return Status::Missing {
            summary: format!(
                "the last successful {name} ran before the setup last changed: verify again"
            ),
        };
    }
    Status::Done {
        summary: format!("{name} succeeded"),
    }
}

/// A failed run's status: its cause, the log line that shows it, and the fix.
fn failed(view: &RunView, name: &str) -> Status {
    let conclusion = view.run.conclusion.clone().unwrap_or_default();
    match &view.diagnosis {
        Some(d) => Status::Drift {
            summary: format!("{name} failed: {} ({})", d.title, d.cause),
            diff: Vec::new(),
            findings: vec![Finding {
                severity: Severity::Error,
                message: format!("{} — {}", d.cause, d.evidence),
                fix: d.fix.clone(),
            }],
        },
        None => Status::Drift {
            summary: format!("{name} ended {conclusion}; its log matches no known failure"),
            diff: Vec::new(),
            findings: Vec::new(),
        },
    }
}

/// Starts the run and watches it; the outcome names it, a failure its cause.
pub async fn execute(
    ctx: &Context,
    action: &PipelineAction,
    progress: &mut (dyn FnMut(Progress<'_>) + Send),
) -> Result<Outcome, ApplyError> {
    let target = target(ctx).await?;
    let id = match action {
        PipelineAction::Start { how, .. } => {
            let before = pipeline::latest(&ctx.github, &target)
                .await?
                .map(|v| v.run.id);
            pipeline::start(&ctx.github, &target, how, before)
                .await
                .map_err(ApplyError::Pipeline)?
        }
        PipelineAction::Watch { id, .. } => *id,
        PipelineAction::ByHand { .. } | PipelineAction::Merge { .. } => {
            return Ok(Outcome::Manual(action.command()));
        }
    };
    let mut on_update = |view: &RunView| progress(Progress::Run(view));
    let view = pipeline::watch(&ctx.github, &target, id, POLL, &mut on_update).await?;
    if view.run.succeeded() {
        return Ok(Outcome::Changed(format!(
            "run #{} succeeded ({})",
            view.run.run_number, view.run.html_url
        )));
    }
    Err(ApplyError::RunFailed(Box::new(view)))
}
