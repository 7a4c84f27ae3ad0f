//! The TUI's state machine: `Model`, `Msg` in, `Effect`s out. `update` does no I/O (the runner in
//! `app/run.rs` carries out the effects and turns results into messages), so every transition is
//! tested without a terminal or a network.

pub mod keys;
pub mod run;

use std::collections::BTreeMap;

use crossterm::event::KeyEvent;

use crate::checklist::{ItemId, Report, Status, Step, resolve_blocking};

use keys::{Command, command_for};

/// How many log lines are kept.
pub const LOG_LIMIT: usize = 500;

/// One item as the screen shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemView {
    /// The last check's report, as the item's own check found it.
    pub report: Option<Report>,
    /// A check is running; the tick it started at (to show the elapsed time).
    pub checking_since: Option<u64>,
    pub applying: bool,
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
    },
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Model {
    pub identity: Identity,
    pub items: BTreeMap<ItemId, ItemView>,
    pub selected: ItemId,
    pub overlay: Overlay,
    pub log: Vec<String>,
    /// Ticks (of [`TICK_MS`](run::TICK_MS)) since start; drives spinners and elapsed times.
    pub ticks: u64,
    pub quit: bool,
}

/// Something that happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Msg {
    Key(KeyEvent),
    /// Time passed (sent only while something runs, and for periodic re-checks).
    Tick,
    /// A check finished.
    Checked(Box<Report>),
    /// A check was cancelled before it finished.
    CheckCancelled(ItemId),
    /// A line for the log pane (apply progress, local test output — already masked).
    Log(String),
    /// An apply finished: `Ok` with a summary, or the error and its fix.
    Applied {
        item: ItemId,
        result: Result<String, String>,
    },
    /// The periodic re-check is due.
    RefreshDue,
}

/// What the runner must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Check(ItemId),
    Apply(ItemId),
    CancelCheck(ItemId),
    /// Remember the selected item (the state file).
    SaveSelection(ItemId),
    /// Put text on the clipboard with OSC 52.
    Copy(String),
    Quit,
}

impl Model {
    pub fn new(identity: Identity, selected: ItemId) -> Self {
        Self {
            identity,
            items: ItemId::ALL
                .into_iter()
                .map(|i| (i, ItemView::default()))
                .collect(),
            selected,
            overlay: Overlay::None,
            log: Vec::new(),
            ticks: 0,
            quit: false,
        }
    }

    pub fn view(&self, item: ItemId) -> &ItemView {
        static EMPTY: std::sync::LazyLock<ItemView> = std::sync::LazyLock::new(ItemView::default);
        self.items.get(&item).unwrap_or(&EMPTY)
    }

    /// True while a check or apply runs (the runner ticks only then).
    pub fn busy(&self) -> bool {
        self.items
            .values()
            .any(|v| v.checking_since.is_some() || v.applying)
    }

    /// Each item's status as shown: its own report, with blocking resolved once every item has one.
    pub fn statuses(&self) -> BTreeMap<ItemId, Option<Status>> {
        let mut reports: Vec<Report> = self
            .items
            .values()
            .filter_map(|v| v.report.clone())
            .collect();
        if reports.len() == ItemId::ALL.len() {
            resolve_blocking(&mut reports);
        }
        let mut out: BTreeMap<ItemId, Option<Status>> =
            ItemId::ALL.into_iter().map(|i| (i, None)).collect();
        for r in reports {
            out.insert(r.item, Some(r.status));
        }
        out
    }

    pub fn push_log(&mut self, line: impl Into<String>) {
        self.log.push(line.into());
        if self.log.len() > LOG_LIMIT {
            let excess = self.log.len() - LOG_LIMIT;
            self.log.drain(..excess);
        }
    }

    fn start_check(&mut self, item: ItemId) -> Option<Effect> {
        let ticks = self.ticks;
        let view = self.items.entry(item).or_default();
        if view.checking_since.is_some() || view.applying {
            return None;
        }
        view.checking_since = Some(ticks);
        Some(Effect::Check(item))
    }

    /// Starts every check that is not already running.
    pub fn check_all(&mut self) -> Vec<Effect> {
        ItemId::ALL
            .into_iter()
            .filter_map(|i| self.start_check(i))
            .collect()
    }

    fn move_selection(&mut self, delta: isize) -> Vec<Effect> {
        let all = ItemId::ALL;
        let index = all.iter().position(|i| *i == self.selected).unwrap_or(0);
        let next = index.saturating_add_signed(delta).min(all.len() - 1);
        if all[next] == self.selected {
            return Vec::new();
        }
        self.selected = all[next];
        vec![Effect::SaveSelection(self.selected)]
    }
}

/// The one place state changes.
pub fn update(model: &mut Model, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key) => match command_for(key) {
            Some(command) => on_command(model, command),
            None => Vec::new(),
        },
        Msg::Tick => {
            model.ticks = model.ticks.saturating_add(1);
            Vec::new()
        }
        Msg::RefreshDue => model.check_all(),
        Msg::Checked(report) => {
            let item = report.item;
            if let Status::Error(e) = &report.status {
                model.push_log(format!("{}: {} — {}", item.title(), e.message, e.fix));
            }
            let view = model.items.entry(item).or_default();
            view.checking_since = None;
            view.report = Some(*report);
            Vec::new()
        }
        Msg::CheckCancelled(item) => {
            model.items.entry(item).or_default().checking_since = None;
            model.push_log(format!("{}: check cancelled", item.title()));
            Vec::new()
        }
        Msg::Log(line) => {
            model.push_log(line);
            Vec::new()
        }
        Msg::Applied { item, result } => {
            model.items.entry(item).or_default().applying = false;
            match result {
                Ok(summary) => model.push_log(format!("{}: {summary}", item.title())),
                Err(error) => model.push_log(format!("{}: FAILED {error}", item.title())),
            }
            // Applying one item changes what its dependants see: check everything again.
            model.check_all()
        }
    }
}

fn on_command(model: &mut Model, command: Command) -> Vec<Effect> {
    match (&model.overlay, command) {
        (_, Command::Quit) if !matches!(model.overlay, Overlay::Confirm { .. }) => {
            model.quit = true;
            vec![Effect::Quit]
        }
        (Overlay::Confirm { item, .. }, Command::Confirm) => {
            let item = *item;
            model.overlay = Overlay::None;
            model.items.entry(item).or_default().applying = true;
            model.push_log(format!("{}: applying…", item.title()));
            vec![Effect::Apply(item)]
        }
        (Overlay::Confirm { .. }, Command::Dismiss | Command::Quit) => {
            model.overlay = Overlay::None;
            Vec::new()
        }
        (Overlay::Confirm { .. }, _) => Vec::new(),
        (Overlay::Help, Command::Help | Command::Dismiss | Command::Confirm) => {
            model.overlay = Overlay::None;
            Vec::new()
        }
        (Overlay::Help, _) => Vec::new(),
        (Overlay::None, command) => main_command(model, command),
    }
}

fn main_command(model: &mut Model, command: Command) -> Vec<Effect> {
    let item = model.selected;
    match command {
        Command::Up => model.move_selection(-1),
        Command::Down => model.move_selection(1),
        Command::Help => {
            model.overlay = Overlay::Help;
            Vec::new()
        }
        Command::Recheck => model.start_check(item).into_iter().collect(),
        Command::RecheckAll => model.check_all(),
        Command::Cancel => {
            if model.view(item).checking_since.is_some() {
                vec![Effect::CancelCheck(item)]
            } else {
                Vec::new()
            }
        }
        Command::Copy => {
            let region = model.identity.region.clone();
            match model
                .view(item)
                .report
                .as_ref()
                .and_then(|r| r.steps(&region).into_iter().next())
            {
                Some(step) => {
                    model.push_log(format!("copied: {}", step.command));
                    vec![Effect::Copy(step.command)]
                }
                None => {
                    model.push_log(format!("{}: no command to copy", item.title()));
                    Vec::new()
                }
            }
        }
        Command::Apply => {
            let view = model.view(item);
            if view.applying || view.checking_since.is_some() {
                return Vec::new();
            }
            let statuses = model.statuses();
            if let Some(Some(Status::Blocked { by })) = statuses.get(&item) {
                model.push_log(format!(
                    "{}: blocked, apply {} first",
                    item.title(),
                    by.title()
                ));
                return Vec::new();
            }
            let steps = view
                .report
                .as_ref()
                .map(|r| r.steps(&model.identity.region))
                .unwrap_or_default();
            if steps.is_empty() {
                model.push_log(format!("{}: nothing to do", item.title()));
                return Vec::new();
            }
            model.overlay = Overlay::Confirm { item, steps };
            Vec::new()
        }
        Command::Quit | Command::Confirm | Command::Dismiss => Vec::new(),
    }
}

#[cfg(test)]
mod tests;
