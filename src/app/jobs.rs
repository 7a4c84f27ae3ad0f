//! The TUI's background jobs: connecting (credentials, then GetCallerIdentity), one item's check,
//! the doctor, and an apply or local test. Each runs as a task and reports through the runner's channel; a
//! panic inside one becomes a report or a failed result, never a crash of the UI.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use futures::FutureExt as _;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

use crate::aws::AwsErrorKind;
use crate::checklist::{self, Context, ItemError, ItemId, Outcome, Progress, Report, Status, Step};
use crate::cli::GlobalArgs;
use crate::commands::session::{self, SandboxUrls};
use crate::localtest::Line as OutputLine;
use crate::state::State;

use super::Msg;
use super::all::AllFailure;

/// Why a check panicked on purpose (the end-to-end tests' hook, see `run::TEST_PANIC_VAR`).
const TEST_PANIC: &str = "CAWIZ_TEST_PANIC asked for it";

/// What jobs send back: messages for `update`, and what only the runner keeps.
pub(super) enum Back {
    Msg(Msg),
    /// What an apply step did (for the state file).
    Outcome(Step, Outcome),
    /// The connection job's context (kept here; the model gets the identity).
    Connected(Result<Box<Context>, ItemError>),
}

/// What a panic says, as text.
fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "unknown".to_owned())
}

fn panic_report(item: ItemId, panic: &(dyn std::any::Any + Send)) -> Report {
    let what = panic_text(panic);
    Report::new(
        item,
        Status::Error(ItemError {
            kind: AwsErrorKind::Other,
            message: format!("the check of {} crashed: {what}", item.title()),
            fix: "re-check (r); if it persists, run with RUST_LOG=debug and report it".to_owned(),
        }),
    )
}

/// What a job's progress events become: log lines, output lines, and outcomes to record.
fn progress_sender(tx: UnboundedSender<Back>) -> impl FnMut(Progress<'_>) + Send {
    move |event: Progress<'_>| {
        let log = |line: String| {
            let _ = tx.send(Back::Msg(Msg::Log(line)));
        };
        match event {
            Progress::StepStart(step) => log(format!("→ {}", step.description)),
            Progress::StepDone(step, outcome) => {
                log(format!("  {}", outcome.describe()));
                let _ = tx.send(Back::Outcome(step.clone(), outcome.clone()));
            }
            Progress::NeedsYou(item, steps) => {
                log(format!("{}: needs you, run:", item.title()));
                for s in steps {
                    log(format!("  $ {}", s.command));
                }
            }
            Progress::Output(line) => {
                let text = match &line {
                    OutputLine::Step(s) => format!("▸ {s}"),
                    OutputLine::Stdout(s) | OutputLine::Stderr(s) => s.clone(),
                };
                let _ = tx.send(Back::Msg(Msg::Output(text)));
            }
            Progress::ItemDone(r) | Progress::AlreadyDone(r) => {
                log(format!("{}: {}", r.status.kind(), r.status.summary()));
            }
            Progress::Run(view) => {
                let _ = tx.send(Back::Msg(Msg::RunUpdate(Box::new(view.clone()))));
            }
            Progress::ItemStart(_) | Progress::Destroyed(..) => {}
        }
    }
}

/// Looks for credentials (unless in the sandbox), then connects with the setup, if any.
pub(super) fn connect(
    global: GlobalArgs,
    urls: Option<SandboxUrls>,
    state: Option<State>,
    tx: UnboundedSender<Back>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let msg = |m: Msg| {
            let _ = tx.send(Back::Msg(m));
        };
        if urls.is_none() {
            let options = session::connect_options(&global, state.as_ref().map(|s| &s.setup));
            if let Some(reason) = crate::aws::missing_credentials(&options).await {
                return msg(Msg::NoCredentials(reason));
            }
        }
        let Some(state) = state else {
            return msg(Msg::NeedSetup(Box::new(
                session::default_setup(&global).await,
            )));
        };
        let options = crate::localtest::Options::default();
        let result = session::connect(&global, &state, urls.as_ref(), options)
            .await
            .map(Box::new);
        let _ = tx.send(Back::Connected(result));
    })
}

/// One item's check; `panic` makes it panic first (the tests' hook).
pub(super) fn check(
    ctx: Context,
    item: ItemId,
    tx: UnboundedSender<Back>,
    panic: bool,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let check = async {
            if panic {
                panic!("{TEST_PANIC}");
            }
            checklist::check_item(&ctx, item).await
        };
        let report = match AssertUnwindSafe(check).catch_unwind().await {
            Ok(report) => report,
            Err(panic) => panic_report(item, panic.as_ref()),
        };
        let _ = tx.send(Back::Msg(Msg::Checked(Box::new(report))));
    })
}

/// The doctor on all three symptoms with the setup's defaults (read-only).
pub(super) fn diagnose(ctx: Context, tx: UnboundedSender<Back>) -> JoinHandle<()> {
    tokio::spawn(async move {
        let request = crate::doctor::Request::default();
        let result = AssertUnwindSafe(crate::doctor::diagnose(&ctx, &request))
            .catch_unwind()
            .await
            .map(Box::new)
            .map_err(|panic| format!("the doctor crashed: {}", panic_text(panic.as_ref())));
        let _ = tx.send(Back::Msg(Msg::Diagnosed(result)));
    })
}

/// Applies `item`'s plan, or (`local_test`) runs the local test with or without publish.
pub(super) fn apply(
    mut ctx: Context,
    item: ItemId,
    local_test: Option<bool>,
    tx: UnboundedSender<Back>,
) {
    tokio::spawn(async move {
        let mut progress = progress_sender(tx.clone());
        let outcome = match local_test {
            Some(publish) => {
                ctx.local_test_config.publish = publish;
                AssertUnwindSafe(checklist::run_local_test(&mut ctx, &mut progress))
                    .catch_unwind()
                    .await
                    .map(|r| r.map(|record| record.outcome_text().to_owned()))
            }
            None => AssertUnwindSafe(checklist::apply(&mut ctx, &[item], &mut progress))
                .catch_unwind()
                .await
                .map(|r| r.map(|_| "applied".to_owned())),
        };
        let result = match outcome {
            Ok(Ok(summary)) => Ok(summary),
            Ok(Err(e)) => Err(format!("{e} ({}) — {}", e.kind(), e.fix())),
            Err(_) => Err("the job crashed; re-check before trying again".to_owned()),
        };
        let _ = tx.send(Back::Msg(Msg::Applied { item, result }));
    });
}

/// `A`: the items' plans in one apply, stopping at the first failure or, once `cancel` is set,
/// before the next step. Each item it starts is sent (`AllItem`), as is every outcome.
pub(super) fn apply_all(
    mut ctx: Context,
    items: Vec<ItemId>,
    tx: UnboundedSender<Back>,
    cancel: Arc<AtomicBool>,
) {
    tokio::spawn(async move {
        let mut inner = progress_sender(tx.clone());
        let started = tx.clone();
        let mut progress = move |event: Progress<'_>| {
            if let Progress::ItemStart(item) = &event {
                let _ = started.send(Back::Msg(Msg::AllItem(*item)));
            }
            inner(event);
        };
        let stop = move || cancel.load(Ordering::SeqCst);
        let outcome = AssertUnwindSafe(checklist::apply_until(
            &mut ctx,
            &items,
            &mut progress,
            &stop,
        ))
        .catch_unwind()
        .await;
        let result = match outcome {
            Ok(Ok(reports)) => Ok(all_summary(&reports)),
            Ok(Err(e)) => Err(AllFailure {
                item: e.item(),
                message: format!("{e} ({}) — {}", e.kind(), e.fix()),
            }),
            Err(_) => Err(AllFailure {
                item: None,
                message: "the job crashed; re-check before trying again".to_owned(),
            }),
        };
        let _ = tx.send(Back::Msg(Msg::AllFinished(result)));
    });
}

/// "5 items done" and, for those left to the user, "2 wait for you (see the log)".
fn all_summary(reports: &[Report]) -> String {
    let done = reports.iter().filter(|r| r.status.is_done()).count();
    let waiting: Vec<&str> = reports
        .iter()
        .filter(|r| !r.status.is_done())
        .map(|r| r.item.title())
        .collect();
    if waiting.is_empty() {
        format!("{done} items done")
    } else {
        format!(
            "{done} items done; waiting for you: {} (see the log)",
            waiting.join(", ")
        )
    }
}
