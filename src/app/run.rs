//! The TUI's event loop: one `tokio::select!` over terminal events, the results of background jobs,
//! a tick that runs only while something is busy, and the periodic re-check. Nothing here waits on
//! the network: connecting, checks, the doctor, applies and the local test run as tasks whose results come
//! back as messages. Each check's handle is kept so it can be cancelled, and a panic inside a job
//! becomes an error status (the terminal is left alone).

use std::collections::BTreeMap;
use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crossterm::event::{Event, EventStream, KeyEventKind};
use futures::StreamExt as _;
use ratatui::DefaultTerminal;
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};
use tokio::task::JoinHandle;

use crate::checklist::{Context, ItemId, Report};
use crate::cli::GlobalArgs;
use crate::commands::session::{self, SandboxUrls, TuiStart};
use crate::sandbox::SandboxHandle;
use crate::state::{self, State};
use crate::ui::{self, Theme};

use super::jobs::{self, Back};
use super::{Effect, Model, Msg, update};

pub use super::model::TICK_MS;
/// How often everything is checked again, unless `--refresh` says otherwise.
pub const DEFAULT_REFRESH: Duration = Duration::from_secs(30);

/// For the end-to-end tests only: `CAWIZ_TEST_PANIC=check:ITEM` makes that item's check task
/// panic, `ui` makes the UI loop panic after the first frame. Neither is documented for users.
const TEST_PANIC_VAR: &str = "CAWIZ_TEST_PANIC";

/// How the TUI runs (from the command line).
#[derive(Debug, Clone)]
pub struct Options {
    /// The periodic re-check; `None` turns it off.
    pub refresh: Option<Duration>,
    /// When `main` started (the first frame's time is logged against it).
    pub started: Instant,
}

/// The runner's side of the session: what the model does not hold (clients, the state file, jobs).
struct Runtime {
    global: GlobalArgs,
    sandbox: Option<SandboxHandle>,
    path: Option<PathBuf>,
    state: Option<State>,
    ctx: Option<Context>,
    tx: UnboundedSender<Back>,
    checks: BTreeMap<ItemId, JoinHandle<()>>,
    connecting: Option<JoinHandle<()>>,
    diagnosing: Option<JoinHandle<()>>,
    /// Set by `x` during `A`: the job stops before its next step.
    cancel_all: Arc<AtomicBool>,
    test_panic: Option<String>,
}

impl Runtime {
    fn send(&self, msg: Msg) {
        let _ = self.tx.send(Back::Msg(msg));
    }

    fn urls(&self) -> Option<SandboxUrls> {
        self.sandbox.as_ref().map(SandboxUrls::of)
    }

    /// Looks for credentials (unless in the sandbox), then connects with the setup, if any.
    fn connect(&mut self) {
        for (_, handle) in std::mem::take(&mut self.checks) {
            handle.abort();
        }
        if let Some(old) = self.connecting.take() {
            old.abort();
        }
        if let Some(old) = self.diagnosing.take() {
            old.abort();
        }
        self.connecting = Some(jobs::connect(
            self.global.clone(),
            self.urls(),
            self.state.clone(),
            self.tx.clone(),
        ));
    }

    fn spawn_check(&mut self, item: ItemId) {
        let Some(ctx) = self.ctx.clone() else {
            return;
        };
        let panic = self.test_panic.as_deref() == Some(&format!("check:{}", item.key()));
        let handle = jobs::check(ctx, item, self.tx.clone(), panic);
        self.checks.insert(item, handle);
    }

    /// Runs the doctor (a run still going is replaced).
    fn spawn_diagnose(&mut self) {
        let Some(ctx) = self.ctx.clone() else {
            return self.send(Msg::Diagnosed(Err("not connected to AWS".to_owned())));
        };
        if let Some(old) = self.diagnosing.take() {
            old.abort();
        }
        self.diagnosing = Some(jobs::diagnose(ctx, self.tx.clone()));
    }

    /// Applies `item`'s plan, or (`local_test`) runs the local test with or without publish.
    fn spawn_apply(&self, item: ItemId, local_test: Option<bool>) {
        match self.ctx.clone() {
            Some(ctx) => jobs::apply(ctx, item, local_test, self.tx.clone()),
            None => self.send(Msg::Applied {
                item,
                result: Err("not connected to AWS".to_owned()),
            }),
        }
    }

    fn spawn_apply_all(&mut self, items: Vec<ItemId>) {
        self.cancel_all = Arc::new(AtomicBool::new(false));
        match self.ctx.clone() {
            Some(ctx) => jobs::apply_all(ctx, items, self.tx.clone(), self.cancel_all.clone()),
            None => self.send(Msg::AllFinished(Err(super::all::AllFailure {
                item: None,
                message: "not connected to AWS".to_owned(),
            }))),
        }
    }

    async fn start_sandbox(&mut self, model: &mut Model) {
        self.global.sandbox = true;
        let started = match session::prepare_tui(&self.global).await {
            Ok(start) => start,
            Err(e) => {
                model.push_log(format!("cannot start the sandbox: {}", e.one_line()));
                self.global.sandbox = false;
                return self.send(Msg::NoCredentials(e.message));
            }
        };
        self.sandbox = started.sandbox;
        self.path = started.path;
        self.state = started.state;
        self.ctx = None;
        match &self.state {
            Some(state) => self.send(Msg::SandboxStarted(Box::new(state.setup.clone()))),
            None => self.send(Msg::NoCredentials(
                "the sandbox started without a setup".to_owned(),
            )),
        }
    }

    fn save_setup(&mut self, setup: crate::setup::Setup, model: &mut Model) {
        match session::save_setup(self.path.as_deref(), self.sandbox.is_some(), setup, "tui") {
            Ok((path, state)) => {
                self.path = Some(path);
                self.state = Some(state);
            }
            Err(e) => model.push_log(format!("state file: {}", e.one_line())),
        }
        self.ctx = None;
        self.connect();
    }

    fn save(&self, model: &mut Model) {
        if let (Some(path), Some(state)) = (&self.path, &self.state)
            && let Err(e) = state::save(path, state)
        {
            model.push_log(format!("state file: {e}"));
        }
    }

    /// Records an item's status in the state file when it changed.
    fn remember_status(&mut self, report: &Report, model: &mut Model) {
        let Some(state) = self.state.as_mut() else {
            return;
        };
        let key = report.item.key().to_owned();
        let record = report.record(state::now_secs());
        let changed = state
            .items
            .get(&key)
            .is_none_or(|old| old.status != record.status || old.summary != record.summary);
        if changed {
            state.items.insert(key, record);
            self.save(model);
        }
    }

    async fn execute(&mut self, effect: Effect, model: &mut Model) {
        match effect {
            Effect::Connect => self.connect(),
            Effect::StartSandbox => self.start_sandbox(model).await,
            Effect::SaveSetup(setup) => self.save_setup(*setup, model),
            Effect::Check(item) => self.spawn_check(item),
            Effect::CancelCheck(item) => {
                if let Some(handle) = self.checks.remove(&item) {
                    handle.abort();
                }
                self.send(Msg::CheckCancelled(item));
            }
            Effect::Diagnose => self.spawn_diagnose(),
            Effect::Apply(item) => self.spawn_apply(item, None),
            Effect::ApplyAll(items) => self.spawn_apply_all(items),
            Effect::CancelAll => self.cancel_all.store(true, Ordering::SeqCst),
            Effect::RunLocalTest { publish } => self.spawn_apply(ItemId::LocalTest, Some(publish)),
            Effect::SaveSelection(item) => {
                if let Some(state) = self.state.as_mut() {
                    state.selected_item = Some(item.key().to_owned());
                }
                self.save(model);
            }
            Effect::Copy(text) => {
                if let Err(e) = copy_to_clipboard(&text) {
                    model.push_log(format!("copy failed: {e}"));
                }
            }
            Effect::Quit => {}
        }
    }

    /// Turns what a job sent into a message for `update` (or keeps it: outcomes, the context).
    fn receive(&mut self, back: Back, model: &mut Model) -> Option<Msg> {
        match back {
            Back::Msg(msg) => {
                match &msg {
                    Msg::Checked(report) => {
                        self.checks.remove(&report.item);
                        self.remember_status(report, model);
                    }
                    Msg::Diagnosed(_) => self.diagnosing = None,
                    _ => {}
                }
                Some(msg)
            }
            Back::Outcome(step, outcome) => {
                if let Some(state) = self.state.as_mut() {
                    outcome.record(&step, state);
                }
                if let Some(ctx) = self.ctx.as_mut() {
                    outcome.remember(step.item, ctx);
                }
                self.save(model);
                None
            }
            Back::Connected(result) => {
                self.connecting = None;
                Some(Msg::Connected(match result {
                    Ok(ctx) => {
                        let identity = (ctx.account.clone(), ctx.caller_arn.clone());
                        self.ctx = Some(*ctx);
                        Ok(identity)
                    }
                    Err(e) => Err(e),
                }))
            }
        }
    }
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

/// Runs the TUI until the user quits. The caller owns the terminal (init and restore).
pub async fn run(
    terminal: &mut DefaultTerminal,
    global: GlobalArgs,
    start: TuiStart,
    options: Options,
) -> io::Result<()> {
    let theme = Theme::from_env();
    let selected = start
        .state
        .as_ref()
        .and_then(|s| s.selected_item.as_deref())
        .and_then(ItemId::from_key)
        .unwrap_or(ItemId::Domain);
    let size = terminal.size()?;
    let (mut model, mut effects) = Model::start(
        start.state.as_ref().map(|s| s.setup.clone()),
        start.sandbox.is_some(),
        selected,
        (size.width, size.height),
    );
    model.read_only = global.read_only;
    let (tx, mut rx) = unbounded_channel::<Back>();
    let mut rt = Runtime {
        global,
        sandbox: start.sandbox,
        path: start.path,
        state: start.state,
        ctx: None,
        tx,
        checks: BTreeMap::new(),
        connecting: None,
        diagnosing: None,
        cancel_all: Arc::new(AtomicBool::new(false)),
        test_panic: std::env::var(TEST_PANIC_VAR).ok(),
    };
    let mut events = EventStream::new();
    let mut tick = tokio::time::interval(Duration::from_millis(TICK_MS));
    // Disabled in the select below when there is no refresh; the period then does not matter.
    let period = options.refresh.unwrap_or(DEFAULT_REFRESH);
    let mut refresh_timer = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    let mut frames: u64 = 0;
    loop {
        for effect in std::mem::take(&mut effects) {
            rt.execute(effect, &mut model).await;
        }
        if model.quit {
            break;
        }
        terminal.draw(|frame| ui::render(frame, &model, &theme))?;
        frames += 1;
        if frames == 1 {
            tracing::info!(
                target: "cawiz::tui",
                elapsed_ms = u64::try_from(options.started.elapsed().as_millis()).unwrap_or(u64::MAX),
                "first frame drawn"
            );
            if rt.test_panic.as_deref() == Some("ui") {
                panic!("{TEST_PANIC_VAR} asked for it");
            }
        }
        tracing::debug!(target: "cawiz::tui", frames, "frame drawn");
        let msg = tokio::select! {
            event = events.next() => match event {
                Some(Ok(Event::Key(key))) if key.kind == KeyEventKind::Press => Msg::Key(key),
                Some(Ok(Event::Mouse(mouse))) => Msg::Mouse(mouse),
                Some(Ok(Event::Resize(width, height))) => Msg::Resize(width, height),
                Some(Ok(_)) => continue,
                Some(Err(e)) => return Err(e),
                None => break,
            },
            Some(back) = rx.recv() => match rt.receive(back, &mut model) {
                Some(msg) => msg,
                None => continue,
            },
            _ = tick.tick(), if model.busy() => Msg::Tick,
            _ = refresh_timer.tick(), if options.refresh.is_some() => Msg::RefreshDue,
        };
        effects = update(&mut model, msg);
    }
    for handle in rt.checks.values().chain(&rt.diagnosing) {
        handle.abort();
    }
    Ok(())
}
