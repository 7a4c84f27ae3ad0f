//! The pipeline-run item's judgement, from what the check read: the branch the run needs, the
//! latest run of the scope, and what that run proved (`pipeline::proof`). Pure: no I/O.

use crate::github::Run;
use crate::pipeline::proof::Outcome as Proof;
use crate::pipeline::{RunView, Target, workflow_file};
use crate::policy::{Finding, Severity};
use crate::workflow::WORKFLOW_PATH;

use super::super::rows::{Row, Verdict};
use super::super::{Action, Context, ItemId, Report, Status};
use super::{BranchFacts, PipelineAction, github};

fn report(status: Status, action: PipelineAction, rows: Vec<Row>) -> Report {
    let mut report = Report::new(ItemId::PipelineRun, status);
    report.actions.push(Action::Pipeline(action));
    report.details.rows = rows;
    report
}

/// The scope's branch does not exist: a person creates it (cawiz does not create branches that
/// trigger pushes of their own).
fn no_branch(ctx: &Context, target: &Target, branch: &str) -> Report {
    let summary = format!(
        "the branch {branch} does not exist in {}: the role trusts runs on {branch} only, so \
         create it from {} (the plan's step), then verify",
        github(ctx),
        target.branch
    );
    let row = Row::new(
        "workflow-on-branch",
        format!("Branch {branch}"),
        Verdict::Fail,
    )
    .evidence(format!("git refs API: heads/{branch} not found"))
    .fix(
        format!("create {branch} from {}", target.branch),
        Some(ItemId::PipelineRun),
    );
    let action = PipelineAction::CreateBranch {
        github: github(ctx),
        branch: branch.to_owned(),
        from: target.branch.clone(),
    };
    report(Status::Missing { summary }, action, vec![row])
}

/// The workflow is not on the branch a run needs: no run can start (GitHub dispatches the
/// branch's copy, and lists only the default branch's workflows).
fn not_on_branch(ctx: &Context, target: &Target, branch: &str) -> Report {
    let on_default = branch == target.branch;
    let how = if on_default {
        "merge cawiz's pull request (or push the file)".to_owned()
    } else {
        format!("merge {} into {branch}", target.branch)
    };
    let summary = format!(
        "{WORKFLOW_PATH} is not on {branch} of {} yet: {how}, then verify",
        github(ctx)
    );
    let row = Row::new(
        "workflow-on-branch",
        format!("{WORKFLOW_PATH} on {branch}"),
        Verdict::Fail,
    )
    .evidence(format!("contents API on {branch}: 404, not there"))
    .fix(how, Some(ItemId::PipelineRun));
    let action = if on_default {
        PipelineAction::Merge {
            github: github(ctx),
            branch: branch.to_owned(),
        }
    } else {
        PipelineAction::UpdateBranch {
            github: github(ctx),
            branch: branch.to_owned(),
            from: target.branch.clone(),
        }
    };
    report(Status::Missing { summary }, action, vec![row])
}

fn on_branch_row(branch: &str) -> Row {
    Row::new(
        "workflow-on-branch",
        format!("{WORKFLOW_PATH} on {branch}"),
        Verdict::Ok,
    )
    .evidence(format!("contents API on {branch}: found"))
}

/// No run of the scope yet.
fn never_ran(ctx: &Context, branch: &str, next: PipelineAction) -> Report {
    let summary = match &next {
        PipelineAction::PullRequest { .. } => format!(
            "no pull request of {} has run {} yet: the role trusts pull_request runs only, which \
             no dispatch can start — open a pull request from a branch of the repository (the \
             plan's step); its run publishes the probe",
            github(ctx),
            workflow_file()
        ),
        _ => format!(
            "{} never ran for the scope {} in {}",
            workflow_file(),
            ctx.setup.scope,
            github(ctx)
        ),
    };
    report(
        Status::Missing { summary },
        next,
        vec![on_branch_row(branch)],
    )
}

/// Seconds since the epoch of a run's `created_at` (RFC 3339).
fn created_secs(run: &Run) -> Option<u64> {
    time::OffsetDateTime::parse(
        &run.created_at,
        &time::format_description::well_known::Rfc3339,
    )
    .ok()
    .and_then(|t| u64::try_from(t.unix_timestamp()).ok())
}

/// Whether the run is older than the setup's last change (it proves nothing about the setup as
/// it is now).
fn stale(ctx: &Context, run: &Run) -> bool {
    match (ctx.setup_changed_at, created_secs(run)) {
        (Some(changed), Some(created)) => created < changed,
        _ => false,
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

/// A run still going: a verification run (dispatched, a release, a pull request's) is watched;
/// any other (a push building a commit) says nothing about publishing, so one is started.
fn in_progress(
    ctx: &Context,
    run: &Run,
    name: &str,
    next: PipelineAction,
) -> (Status, PipelineAction) {
    let reason = format!("{name} is {}: wait for it", run.status.replace('_', " "));
    let next = match run.event.as_str() {
        "workflow_dispatch" | "release" | "pull_request" => PipelineAction::Watch {
            github: github(ctx),
            id: run.id,
            run_number: run.run_number,
        },
        _ => next,
    };
    (Status::Unknown { reason }, next)
}

/// The status a completed run's proof gives.
fn judged(ctx: &Context, view: &RunView, proof: &Proof, name: &str) -> Status {
    let repository = format!("{}/{}", ctx.setup.domain, ctx.setup.repository);
    let summary = proof.summary(name, &repository);
    match proof {
        Proof::Failed => failed(view, name),
        _ if stale(ctx, &view.run) => Status::Missing {
            summary: format!("{summary}, before the setup last changed: verify again"),
        },
        Proof::Published(_) => Status::Done { summary },
        Proof::NotInRepository(_) => Status::Drift {
            summary,
            diff: Vec::new(),
            findings: Vec::new(),
        },
        Proof::Skipped { .. } | Proof::Unconfirmed { .. } | Proof::Running => {
            Status::Missing { summary }
        }
    }
}

/// The row saying whether the run's version is in the repository.
fn publication_row(proof: &Proof, status: &Status) -> Row {
    let verdict = match proof {
        Proof::Published(_) => Verdict::Ok,
        Proof::NotInRepository(_) | Proof::Skipped { .. } => Verdict::Fail,
        Proof::Failed => Verdict::Skip("the run failed before it could publish".to_owned()),
        Proof::Running | Proof::Unconfirmed { .. } => Verdict::Unknown(status.summary()),
    };
    let title = match proof {
        Proof::Published(p) | Proof::NotInRepository(p) => {
            format!("{} {} in the repository", p.package, p.version)
        }
        _ => "The run published a version".to_owned(),
    };
    Row::new("run-published", title, verdict).evidence(status.summary())
}

/// The latest run, as a row: its verdict follows the item's status.
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

/// The item's report: `branch` is where the workflow must be, `latest` the scope's latest run
/// with what it proved, `next` the step that verifies the scope.
pub fn assess(
    ctx: &Context,
    target: &Target,
    branch: &str,
    facts: &BranchFacts,
    latest: Option<(RunView, Option<Proof>)>,
    next: PipelineAction,
) -> Report {
    match facts {
        BranchFacts::Missing => return no_branch(ctx, target, branch),
        BranchFacts::Found { workflow: false } => return not_on_branch(ctx, target, branch),
        BranchFacts::Found { workflow: true } => {}
    }
    let Some((view, proof)) = latest else {
        return never_ran(ctx, branch, next);
    };
    let run = &view.run;
    let name = format!(
        "run #{} ({}, {})",
        run.run_number, run.event, run.created_at
    );
    let proof = proof.filter(|_| run.completed()).unwrap_or(Proof::Running);
    let (status, next) = match &proof {
        Proof::Running => in_progress(ctx, run, &name, next),
        _ => (judged(ctx, &view, &proof, &name), next),
    };
    let mut rows = vec![on_branch_row(branch), run_row(&view, &status, &name)];
    if run.completed() {
        rows.push(publication_row(&proof, &status));
    }
    let mut report = Report::new(ItemId::PipelineRun, status);
    if !report.status.is_done() {
        report.actions.push(Action::Pipeline(next));
    }
    report.details.rows = rows;
    report.details.fact("run", run.html_url.clone());
    report.details.run = Some(view);
    report
}
