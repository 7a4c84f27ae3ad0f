//! `A`: every pending item applied after one confirmation, in dependency order — the same plan
//! as `cawiz apply`, carried out by one job (`checklist::apply_until`) that stops at the first
//! failure or, on `x`, before its next step. Plain data and the pure helpers that read the model;
//! `update/all.rs` decides the transitions.

use crate::checklist::{ItemId, Status, Step};
use crate::policy::DiffLine;

use super::Model;
use super::TICK_MS;

/// Changed lines of the workflow's diff shown in the combined confirmation (the item's screen
/// shows all of it).
pub const DIFF_LINES: usize = 8;

/// An `A` in progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllApply {
    /// The items confirmed, in the order they run.
    pub items: Vec<ItemId>,
    /// The item the job is on (from its progress).
    pub current: Option<ItemId>,
    /// The tick `y` was pressed at.
    pub started: u64,
    /// `x` was pressed: the job stops before its next step.
    pub cancelling: bool,
}

impl AllApply {
    /// Whole seconds since `y`, at `ticks`.
    pub fn seconds(&self, ticks: u64) -> u64 {
        ticks.saturating_sub(self.started).saturating_mul(TICK_MS) / 1000
    }

    /// "2/5": the current item's place among those confirmed.
    pub fn position(&self) -> Option<(usize, usize)> {
        let item = self.current?;
        let index = self.items.iter().position(|i| *i == item)?;
        Some((index + 1, self.items.len()))
    }
}

/// Where and why an `A` stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllFailure {
    /// The item the error names (cancelled before it, blocked, not verified…); `None`: the item
    /// the job was on.
    pub item: Option<ItemId>,
    /// The error, its class and the fix.
    pub message: String,
}

/// What the combined confirmation lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllPlan {
    pub items: Vec<ItemId>,
    pub steps: Vec<Step>,
    /// The workflow's changed lines (`+ …`/`- …`), at most [`DIFF_LINES`], and how many there are.
    pub diff: Vec<String>,
    pub diff_total: usize,
    /// Lines the confirmation is scrolled down by (PgDn/PgUp, when it does not fit).
    pub scroll: u16,
}

/// Why `A` has nothing to confirm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoPlan {
    /// Some item has no report yet, or its check runs.
    StillChecking,
    /// Every item is done, or only needs the user (no step cawiz can list).
    NothingPending,
}

/// How many items are done (the header's gauge) and how many there are.
pub fn progress(model: &Model) -> (usize, usize) {
    let statuses = model.statuses();
    let done = statuses
        .values()
        .filter(|s| s.as_ref().is_some_and(Status::is_done))
        .count();
    (done, statuses.len())
}

/// Whether some checked item is not done (the footer names `A` then).
pub fn pending(model: &Model) -> bool {
    model
        .statuses()
        .values()
        .any(|s| s.as_ref().is_some_and(|s| !s.is_done()))
}

/// The next item after `item`, in checklist order, that is not done (wrapping to the first).
pub fn next_not_done(model: &Model, item: ItemId) -> Option<ItemId> {
    let statuses = model.statuses();
    let all = model.item_ids();
    let start = all.iter().position(|i| *i == item).unwrap_or(0);
    (1..all.len())
        .map(|k| all[(start + k) % all.len()])
        .find(|i| {
            !statuses
                .get(i)
                .is_some_and(|s| s.as_ref().is_some_and(Status::is_done))
        })
}

/// Every pending step of every item in checklist (dependency) order: items not done whose report
/// lists steps. A blocked item's plan is kept: its blocker comes first in the same run.
pub fn plan(model: &Model) -> Result<AllPlan, NoPlan> {
    // A plan from a report older than a running check could list what is already done.
    if model.item_ids().iter().any(|i| {
        let view = model.view(*i);
        view.report.is_none() || view.checking_since.is_some()
    }) {
        return Err(NoPlan::StillChecking);
    }
    let statuses = model.statuses();
    let region = &model.identity.region;
    let mut out = AllPlan {
        items: Vec::new(),
        steps: Vec::new(),
        diff: Vec::new(),
        diff_total: 0,
        scroll: 0,
    };
    for item in model.item_ids() {
        if statuses
            .get(&item)
            .is_some_and(|s| s.as_ref().is_some_and(Status::is_done))
        {
            continue;
        }
        let Some(report) = model.view(item).report.as_ref() else {
            continue;
        };
        let steps = report.steps(region);
        if steps.is_empty() {
            continue;
        }
        if let Some(view) = &report.details.workflow {
            let changed: Vec<String> = view.diff.iter().filter_map(changed_line).collect();
            out.diff_total = changed.len();
            out.diff = changed.into_iter().take(DIFF_LINES).collect();
        }
        out.items.push(item);
        out.steps.extend(steps);
    }
    if out.items.is_empty() {
        return Err(NoPlan::NothingPending);
    }
    Ok(out)
}

fn changed_line(line: &DiffLine) -> Option<String> {
    match line {
        DiffLine::Same(_) => None,
        DiffLine::Expected(l) => Some(format!("+ {l}")),
        DiffLine::Actual(l) => Some(format!("- {l}")),
    }
}
