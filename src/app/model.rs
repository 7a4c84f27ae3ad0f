//! The TUI's data: `Model` (what the screens show), `Msg` (what happened), `Effect` (what the runner
//! must do). Plain data and the pure helpers that change it; `update` (in `app/update.rs`) decides the
//! transitions. The renderer (`ui`) reads these types and nothing else of `app`.

use std::collections::BTreeMap;

use crossterm::event::{KeyEvent, MouseEvent};

use crate::checklist::{Action, ItemError, ItemId, Report, Status, Step, resolve_blocking};
use crate::setup::Setup;

use super::doctor::DoctorView;
use super::form::Form;

/// One tick (spinners, elapsed times) while something runs.
pub const TICK_MS: u64 = 100;
/// How many log lines are kept.
pub const LOG_LIMIT: usize = 500;
/// How many lines of local test output are kept.
pub const OUTPUT_LIMIT: usize = 2000;

/// One item as the screen shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemView {
    /// The last check's report, as the item's own check found it.
    pub report: Option<Report>,
    /// A check is running; the tick it started at (to show the elapsed time).
    pub checking_since: Option<u64>,
    pub applying: bool,
    /// The run an apply of the pipeline-run item is watching, as it progresses.
    pub live_run: Option<crate::pipeline::RunView>,
    /// The check row Tab selected (Enter expands or folds it).
    pub row_focus: Option<usize>,
    /// Rows expanded (or, for a row that is not ok, folded) by Enter.
    pub toggled: std::collections::BTreeSet<usize>,
}

impl ItemView {
    /// How many check rows the screen shows.
    pub fn row_count(&self) -> usize {
        self.report
            .as_ref()
            .map_or(0, |r| r.details.screen_rows().len())
    }

    /// Whether row `i` shows its evidence and fix: a row that is not ok does by default, Enter
    /// flips it.
    pub fn expanded(&self, i: usize) -> bool {
        let failing = self
            .report
            .as_ref()
            .and_then(|r| r.details.screen_rows().get(i))
            .is_some_and(|row| row.verdict.rank() < 3 && !row.compact);
        failing != self.toggled.contains(&i)
    }
}

/// What a confirmed dialog runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Run {
    /// The item's plan (`cawiz apply --only ITEM`).
    Apply,
    /// The local test now, whatever its status (`cawiz test [--publish]`).
    LocalTest { publish: bool },
}

/// What sits on top of the screens.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Overlay {
    #[default]
    None,
    Help,
    /// Apply asks first, listing exactly what will change.
    Confirm {
        item: ItemId,
        steps: Vec<Step>,
        run: Run,
    },
    /// `A` asks first, listing every pending step of every item.
    ConfirmAll(Box<super::all::AllPlan>),
}

/// Which screen fills the terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// Before the first answer: looking for credentials (no setup yet).
    Starting,
    /// No AWS credentials and no sandbox: how to configure AWS, or start the sandbox.
    Welcome {
        reason: String,
    },
    /// The setup's inputs: on the first run, or to edit them (`e`).
    Form(Box<Form>),
    Checklist,
    /// The Doctor screen (`d`): the three symptoms' causes, in place of the item screen.
    Doctor,
}

/// The AWS identity behind the checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Connection {
    /// Waiting on the user (welcome screen, first-run form).
    Idle,
    Connecting,
    Connected,
    Failed(ItemError),
}

/// Who and where (the header).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identity {
    pub account: String,
    pub arn: String,
    pub region: String,
    pub profile: Option<String>,
    pub sandbox: bool,
    pub github: String,
}

impl Identity {
    /// The header's facts for `setup` (account and ARN come with the connection).
    pub fn for_setup(setup: &Setup, sandbox: bool) -> Self {
        Self {
            account: String::new(),
            arn: String::new(),
            region: setup.region.clone(),
            profile: setup.profile.clone(),
            sandbox,
            github: format!("{}/{}", setup.github_owner, setup.github_repo),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Model {
    pub identity: Identity,
    /// The inputs (absent until the first run's form is saved).
    pub setup: Option<Setup>,
    pub phase: Phase,
    pub connection: Connection,
    pub items: BTreeMap<ItemId, ItemView>,
    pub selected: ItemId,
    pub overlay: Overlay,
    /// The Doctor screen's diagnosis and selection (kept when going back to the checklist).
    pub doctor: DoctorView,
    /// An `A` in progress.
    pub all: Option<super::all::AllApply>,
    /// `A` was pressed while checks ran: the confirmation opens when they have finished.
    pub all_requested: bool,
    /// The item whose failing row opens when its next report arrives (where `A` stopped).
    pub focus_failure: Option<ItemId>,
    /// `--read-only`: nothing is applied (`A` explains instead of asking).
    pub read_only: bool,
    pub log: Vec<String>,
    /// The last local test's output, streamed line by line (tokens already masked).
    pub output: Vec<String>,
    /// The package the local test installs.
    pub test_package: String,
    /// Lines the item screen is scrolled down by.
    pub scroll: u16,
    /// The terminal's size (for mouse hits and scroll limits).
    pub size: (u16, u16),
    /// Ticks (of [`TICK_MS`]) since start; drives spinners and elapsed times.
    pub ticks: u64,
    pub quit: bool,
}

/// Something that happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// Time passed (sent only while something runs).
    Tick,
    /// The standard credential chain has none (and there is no sandbox): the reason.
    NoCredentials(String),
    /// Credentials exist but there is no setup yet: the form, with these defaults.
    NeedSetup(Box<Setup>),
    /// The sandbox started (from the welcome screen), with the setup found or made for it.
    SandboxStarted(Box<Setup>),
    /// GetCallerIdentity answered: account and ARN, or why not.
    Connected(Result<(String, String), ItemError>),
    /// A check finished.
    Checked(Box<Report>),
    /// A check was cancelled before it finished.
    CheckCancelled(ItemId),
    /// A line for the log pane (apply progress — already masked).
    Log(String),
    /// A line of the local test's child processes (already masked).
    Output(String),
    /// The run a pipeline-run apply watches changed.
    RunUpdate(Box<crate::pipeline::RunView>),
    /// An apply or local test finished: `Ok` with a summary, or the error and its fix.
    Applied {
        item: ItemId,
        result: Result<String, String>,
    },
    /// The periodic re-check is due.
    RefreshDue,
    /// The `A` job started an item.
    AllItem(ItemId),
    /// The `A` job ended: a summary, or where and why it stopped.
    AllFinished(Result<String, super::all::AllFailure>),
    /// The doctor finished: its diagnosis, or why it could not run.
    Diagnosed(Result<Box<crate::doctor::Diagnosis>, String>),
}

/// What the runner must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Look for credentials, then (with a setup) call GetCallerIdentity.
    Connect,
    StartSandbox,
    /// Save the setup to the state file, then connect with it.
    SaveSetup(Box<Setup>),
    Check(ItemId),
    Apply(ItemId),
    /// `A`: apply these items in order, in one job.
    ApplyAll(Vec<ItemId>),
    /// `x` during `A`: stop before the next step.
    CancelAll,
    RunLocalTest {
        publish: bool,
    },
    CancelCheck(ItemId),
    /// Run the doctor on all three symptoms with the setup's defaults (read-only).
    Diagnose,
    /// Remember the selected item (the state file).
    SaveSelection(ItemId),
    /// Put text on the clipboard with OSC 52.
    Copy(String),
    Quit,
}

impl Model {
    /// A model on the checklist, already connected (tests and snapshots feed it reports).
    pub fn new(identity: Identity, selected: ItemId) -> Self {
        Self {
            identity,
            setup: None,
            phase: Phase::Checklist,
            connection: Connection::Connected,
            items: ItemId::ALL
                .into_iter()
                .map(|i| (i, ItemView::default()))
                .collect(),
            selected,
            overlay: Overlay::None,
            doctor: DoctorView::default(),
            all: None,
            all_requested: false,
            focus_failure: None,
            read_only: false,
            log: Vec::new(),
            output: Vec::new(),
            test_package: crate::localtest::DEFAULT_PACKAGE.to_owned(),
            scroll: 0,
            size: (80, 24),
            ticks: 0,
            quit: false,
        }
    }

    /// The model at start-up: connecting for `setup`, or looking for credentials without one.
    /// The runner carries out the returned effects.
    pub fn start(
        setup: Option<Setup>,
        sandbox: bool,
        selected: ItemId,
        size: (u16, u16),
    ) -> (Self, Vec<Effect>) {
        let identity = setup
            .as_ref()
            .map(|s| Identity::for_setup(s, sandbox))
            .unwrap_or(Identity {
                sandbox,
                ..Identity::default()
            });
        let mut model = Self::new(identity, selected);
        model.phase = if setup.is_some() {
            Phase::Checklist
        } else {
            Phase::Starting
        };
        model.setup = setup;
        model.connection = Connection::Connecting;
        model.size = size;
        (model, vec![Effect::Connect])
    }

    pub fn view(&self, item: ItemId) -> &ItemView {
        static EMPTY: std::sync::LazyLock<ItemView> = std::sync::LazyLock::new(ItemView::default);
        self.items.get(&item).unwrap_or(&EMPTY)
    }

    /// True while something runs that the screen animates (the runner ticks only then).
    pub fn busy(&self) -> bool {
        self.connection == Connection::Connecting
            || self.all.is_some()
            || self.doctor.running()
            || self
                .items
                .values()
                .any(|v| v.checking_since.is_some() || v.applying)
    }

    /// True while an apply or local test runs (the setup cannot change under it).
    pub fn applying(&self) -> bool {
        self.all.is_some() || self.items.values().any(|v| v.applying)
    }

    /// The items of the setup, in checklist order (the optional ones only when configured).
    pub fn item_ids(&self) -> Vec<ItemId> {
        ItemId::for_setup(self.setup.as_ref())
    }

    /// Each item's status as shown: its own report, with blocking resolved once every item has one.
    pub fn statuses(&self) -> BTreeMap<ItemId, Option<Status>> {
        let ids = self.item_ids();
        let mut reports: Vec<Report> = ids
            .iter()
            .filter_map(|i| self.items.get(i).and_then(|v| v.report.clone()))
            .collect();
        let ids = self.item_ids();
        reports.retain(|r| ids.contains(&r.item));
        if reports.len() == ids.len() {
            resolve_blocking(&mut reports);
        }
        let mut out: BTreeMap<ItemId, Option<Status>> =
            ids.into_iter().map(|i| (i, None)).collect();
        for r in reports {
            out.insert(r.item, Some(r.status));
        }
        out
    }

    pub fn push_log(&mut self, line: impl Into<String>) {
        push_limited(&mut self.log, line.into(), LOG_LIMIT);
    }

    /// The step the local test confirmation lists.
    pub fn local_test_step(&self, publish: bool) -> Step {
        let (domain, repository, formats) = self
            .setup
            .as_ref()
            .map(|s| (s.domain.clone(), s.repository.clone(), s.formats.clone()))
            .unwrap_or_default();
        let action = Action::RunLocalTest {
            domain,
            owner: self.identity.account.clone(),
            repository,
            package: self.test_package.clone(),
            publish,
            formats,
        };
        Step {
            item: ItemId::LocalTest,
            description: action.describe(),
            command: action.command(&self.identity.region),
        }
    }

    pub(super) fn start_check(&mut self, item: ItemId) -> Option<Effect> {
        if self.connection != Connection::Connected {
            return None;
        }
        let ticks = self.ticks;
        let view = self.items.entry(item).or_default();
        if view.checking_since.is_some() || view.applying {
            return None;
        }
        view.checking_since = Some(ticks);
        Some(Effect::Check(item))
    }

    /// Starts the doctor unless it runs already or there is no connection to run it on.
    pub(super) fn start_diagnose(&mut self) -> Option<Effect> {
        if self.connection != Connection::Connected || self.doctor.running() {
            return None;
        }
        self.doctor.running_since = Some(self.ticks);
        Some(Effect::Diagnose)
    }

    /// Starts every check that is not already running.
    pub fn check_all(&mut self) -> Vec<Effect> {
        self.item_ids()
            .into_iter()
            .filter_map(|i| self.start_check(i))
            .collect()
    }

    pub(super) fn select(&mut self, item: ItemId) -> Vec<Effect> {
        if item == self.selected {
            return Vec::new();
        }
        self.selected = item;
        self.scroll = 0;
        vec![Effect::SaveSelection(item)]
    }

    pub(super) fn move_selection(&mut self, delta: isize) -> Vec<Effect> {
        let all = self.item_ids();
        let index = all.iter().position(|i| *i == self.selected).unwrap_or(0);
        let next = index.saturating_add_signed(delta).min(all.len() - 1);
        self.select(all[next])
    }
}

pub(super) fn push_limited(lines: &mut Vec<String>, line: String, limit: usize) {
    lines.push(line);
    if lines.len() > limit {
        let excess = lines.len() - limit;
        lines.drain(..excess);
    }
}
