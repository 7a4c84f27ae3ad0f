//! The TUI's event loop: one `tokio::select!` over terminal events, the results of background jobs,
//! a tick that runs only while something is busy, and the periodic re-check. Jobs (checks, applies)
//! run as tasks whose results come back as messages; each check's handle is kept so it can be
//! cancelled, and a panic inside a job becomes an error status (the terminal is left alone).

use std::collections::BTreeMap;
use std::io;
use std::panic::AssertUnwindSafe;
use std::time::Duration;

use crossterm::event::{Event, EventStream, KeyEventKind};
use futures::{FutureExt as _, StreamExt as _};
use ratatui::DefaultTerminal;
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};
use tokio::task::JoinHandle;

use crate::aws::AwsErrorKind;
use crate::checklist::{self, Context, ItemError, ItemId, Outcome, Progress, Report, Status, Step};
use crate::commands::Session;
use crate::state;
use crate::ui::{self, Theme};

use super::{Effect, Identity, Model, Msg, update};

/// One tick (spinners, elapsed times) while something runs.
pub const TICK_MS: u64 = 100;
/// How often everything is checked again.
pub const DEFAULT_REFRESH: Duration = Duration::from_secs(30);

/// What jobs send back: messages for `update`, and what an apply step did (for the state file).
enum Back {
    Msg(Msg),
    Outcome(Step, Outcome),
}

fn panic_report(item: ItemId, panic: &(dyn std::any::Any + Send)) -> Report {
    let what = panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "unknown".to_owned());
    Report::new(
        item,
        Status::Error(ItemError {
            kind: AwsErrorKind::Other,
            message: format!("the check of {} crashed: {what}", item.title()),
            fix: "re-check (r); if it persists, run with RUST_LOG=debug and report it".to_owned(),
        }),
    )
}

fn spawn_check(ctx: &Context, item: ItemId, tx: &UnboundedSender<Back>) -> JoinHandle<()> {
    let ctx = ctx.clone();
    let tx = tx.clone();
    tokio::spawn(async move {
        let report = match AssertUnwindSafe(checklist::check_item(&ctx, item))
            .catch_unwind()
            .await
        {
            Ok(report) => report,
            Err(panic) => panic_report(item, panic.as_ref()),
        };
        let _ = tx.send(Back::Msg(Msg::Checked(Box::new(report))));
    })
}

fn spawn_apply(ctx: &Context, item: ItemId, tx: &UnboundedSender<Back>) -> JoinHandle<()> {
    let mut ctx = ctx.clone();
    let tx = tx.clone();
    tokio::spawn(async move {
        let log = |line: String| Back::Msg(Msg::Log(line));
        let progress_tx = tx.clone();
        let mut progress = move |event: Progress<'_>| {
            let send = |b: Back| {
                let _ = progress_tx.send(b);
            };
            match event {
                Progress::StepStart(step) => send(log(format!("→ {}", step.description))),
                Progress::StepDone(step, outcome) => {
                    send(log(format!("  {}", outcome.describe())));
                    send(Back::Outcome(step.clone(), outcome.clone()));
                }
                Progress::NeedsYou(item, steps) => {
                    send(log(format!("{}: needs you, run:", item.title())));
                    for s in steps {
                        send(log(format!("  $ {}", s.command)));
                    }
                }
                Progress::Output(line) => send(log(format!("  | {}", line.text()))),
                Progress::ItemDone(r) | Progress::AlreadyDone(r) => {
                    send(log(format!("{}: {}", r.status.kind(), r.status.summary())));
                }
                Progress::ItemStart(_) | Progress::Destroyed(..) => {}
            }
        };
        let outcome = AssertUnwindSafe(checklist::apply(&mut ctx, &[item], &mut progress))
            .catch_unwind()
            .await;
        let result = match outcome {
            Ok(Ok(_)) => Ok("applied".to_owned()),
            Ok(Err(e)) => Err(format!("{e} ({}) — {}", e.kind(), e.fix())),
            Err(_) => Err("the apply crashed; re-check before trying again".to_owned()),
        };
        let _ = tx.send(Back::Msg(Msg::Applied { item, result }));
    })
}

/// Writes OSC 52 (set clipboard) to the terminal.
fn copy_to_clipboard(text: &str) -> io::Result<()> {
    use base64::Engine as _;
    use std::io::Write as _;
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    let mut out = io::stdout();
    write!(out, "\x1b]52;c;{encoded}\x07")?;
    out.flush()
}

/// The header's facts, from the session.
pub fn identity(session: &Session) -> Identity {
    let ctx = &session.ctx;
    Identity {
        account: ctx.account.clone(),
        arn: ctx.caller_arn.clone(),
        region: ctx.setup.region.clone(),
        profile: ctx.setup.profile.clone(),
        sandbox: session.sandbox.is_some(),
        github: format!("{}/{}", ctx.setup.github_owner, ctx.setup.github_repo),
    }
}

/// Runs the TUI until the user quits. The caller owns the terminal (init and restore).
pub async fn run(
    terminal: &mut DefaultTerminal,
    mut session: Session,
    refresh: Duration,
) -> io::Result<()> {
    let theme = Theme::from_env();
    let selected = session
        .state
        .selected_item
        .as_deref()
        .and_then(ItemId::from_key)
        .unwrap_or(ItemId::Domain);
    let mut model = Model::new(identity(&session), selected);
    let (tx, mut rx) = unbounded_channel::<Back>();
    let mut checks: BTreeMap<ItemId, JoinHandle<()>> = BTreeMap::new();
    let mut events = EventStream::new();
    let mut tick = tokio::time::interval(Duration::from_millis(TICK_MS));
    let start = tokio::time::Instant::now() + refresh;
    let mut refresh_timer = tokio::time::interval_at(start, refresh);

    let mut effects = model.check_all();
    loop {
        for effect in effects.drain(..) {
            match effect {
                Effect::Check(item) => {
                    checks.insert(item, spawn_check(&session.ctx, item, &tx));
                }
                Effect::CancelCheck(item) => {
                    if let Some(handle) = checks.remove(&item) {
                        handle.abort();
                    }
                    let _ = tx.send(Back::Msg(Msg::CheckCancelled(item)));
                }
                Effect::Apply(item) => {
                    spawn_apply(&session.ctx, item, &tx);
                }
                Effect::SaveSelection(item) => {
                    session.state.selected_item = Some(item.key().to_owned());
                    save(&session, &mut model);
                }
                Effect::Copy(text) => {
                    if let Err(e) = copy_to_clipboard(&text) {
                        model.push_log(format!("copy failed: {e}"));
                    }
                }
                Effect::Quit => {}
            }
        }
        if model.quit {
            break;
        }
        terminal.draw(|frame| ui::render(frame, &model, &theme))?;
        let msg = tokio::select! {
            event = events.next() => match event {
                Some(Ok(Event::Key(key))) if key.kind == KeyEventKind::Press => Msg::Key(key),
                Some(Ok(_)) => continue, // resize and others: redraw
                Some(Err(e)) => return Err(e),
                None => break,
            },
            Some(back) = rx.recv() => match back {
                Back::Msg(msg) => msg,
                Back::Outcome(step, outcome) => {
                    outcome.record(&step, &mut session.state);
                    if let Outcome::LocalTest(record) = outcome {
                        session.ctx.local_test = Some(record);
                    }
                    save(&session, &mut model);
                    continue;
                }
            },
            _ = tick.tick(), if model.busy() => Msg::Tick,
            _ = refresh_timer.tick() => Msg::RefreshDue,
        };
        if let Msg::Checked(report) = &msg {
            checks.remove(&report.item);
            remember_status(&mut session, report, &mut model);
        }
        effects = update(&mut model, msg);
    }
    for handle in checks.values() {
        handle.abort();
    }
    Ok(())
}

/// Records an item's status in the state file when it changed.
fn remember_status(session: &mut Session, report: &Report, model: &mut Model) {
    let key = report.item.key().to_owned();
    let record = report.record(state::now_secs());
    let changed = session
        .state
        .items
        .get(&key)
        .is_none_or(|old| old.status != record.status || old.summary != record.summary);
    if changed {
        session.state.items.insert(key, record);
        save(session, model);
    }
}

fn save(session: &Session, model: &mut Model) {
    if let Err(e) = session.save() {
        model.push_log(format!("state file: {}", e.message));
    }
}
