//! `A`'s transitions: asking (the combined confirmation), starting the one job, following its
//! progress (the item it is on selected and spinning, a log line per item with the elapsed time),
//! cancelling after the current step, and where it ends (the pipeline item, or the item that
//! failed with its failing row open). Also where a single `a` leads: the next item not done.

use crate::app::all::{self, AllApply, AllFailure, NoPlan};
use crate::checklist::ItemId;

use super::super::{Connection, Effect, Model, Overlay};

/// `A`: the combined confirmation, or a log line saying why there is none.
pub fn ask(model: &mut Model) -> Vec<Effect> {
    if model.read_only {
        model.push_log(
            "--read-only: A applies nothing; `cawiz plan` prints what it would do, run without \
             --read-only to apply it",
        );
        return Vec::new();
    }
    match model.connection {
        Connection::Connected => {}
        Connection::Connecting => {
            model.all_requested = true;
            model.push_log("apply all: waiting for the connection and the checks");
            return Vec::new();
        }
        Connection::Idle | Connection::Failed(_) => {
            model.push_log("apply all: not connected to AWS (r tries again)");
            return Vec::new();
        }
    }
    if model.applying() {
        model.push_log("apply all: wait for the running apply to finish");
        return Vec::new();
    }
    match all::plan(model) {
        Ok(plan) => model.overlay = Overlay::ConfirmAll(Box::new(plan)),
        Err(NoPlan::StillChecking) => {
            model.all_requested = true;
            model.push_log("apply all: waiting for the checks to finish");
        }
        Err(NoPlan::NothingPending) => {
            model.push_log("apply all: nothing pending that cawiz can do");
        }
    }
    Vec::new()
}

/// `y` on the combined confirmation: one job for every confirmed item.
pub fn confirmed(model: &mut Model, items: Vec<ItemId>, steps: usize) -> Vec<Effect> {
    model.overlay = Overlay::None;
    model.push_log(format!(
        "apply all: {} items, {steps} steps (x cancels after the current step)",
        items.len()
    ));
    model.all = Some(AllApply {
        items: items.clone(),
        current: None,
        started: model.ticks,
        cancelling: false,
    });
    vec![Effect::ApplyAll(items)]
}

/// `x` while `A` runs.
pub fn cancel(model: &mut Model) -> Vec<Effect> {
    let Some(run) = model.all.as_mut() else {
        return Vec::new();
    };
    if run.cancelling {
        return Vec::new();
    }
    run.cancelling = true;
    model.push_log("apply all: cancelling after the current step");
    vec![Effect::CancelAll]
}

/// The job started `item`: it becomes the selected, spinning item.
pub fn item_started(model: &mut Model, item: ItemId) -> Vec<Effect> {
    let ticks = model.ticks;
    let Some(run) = model.all.as_mut() else {
        return Vec::new();
    };
    if let Some(previous) = run.current.replace(item) {
        model.items.entry(previous).or_default().applying = false;
    }
    let place = run
        .position()
        .map(|(k, n)| format!(" ({k}/{n})"))
        .unwrap_or_default();
    let elapsed = run.seconds(ticks);
    model.items.entry(item).or_default().applying = true;
    model.push_log(format!(
        "apply all{place}: {} — {elapsed} s in",
        item.title()
    ));
    model.select(item)
}

/// The job ended. Done: the pipeline item is selected (its verification, or what it waits for).
/// Failed or cancelled: the item it was on is selected, its failing row opens with its report.
pub fn finished(model: &mut Model, result: Result<String, AllFailure>) -> Vec<Effect> {
    let Some(run) = model.all.take() else {
        return Vec::new();
    };
    for item in &run.items {
        model.items.entry(*item).or_default().applying = false;
    }
    let elapsed = run.seconds(model.ticks);
    let mut effects = match result {
        Ok(summary) => {
            model.push_log(format!("apply all: {summary} ({elapsed} s)"));
            let last = run.items.last().copied().unwrap_or(ItemId::PipelineRun);
            model.select(last)
        }
        Err(AllFailure {
            item,
            message: error,
        }) => {
            let on = run.current;
            let at = item
                .or(on)
                .or(run.items.first().copied())
                .unwrap_or(ItemId::Domain);
            let verb = if run.cancelling { "stopped" } else { "FAILED" };
            model.push_log(format!(
                "apply all {verb} at {}: {error} ({elapsed} s)",
                at.title()
            ));
            model.focus_failure = Some(at);
            model.select(at)
        }
    };
    effects.extend(model.check_all());
    effects
}

/// A report arrived: when `A` waits for the checks and none runs any more, it asks now.
pub fn checks_settled(model: &mut Model) -> Vec<Effect> {
    let settled = model
        .items
        .values()
        .all(|v| v.checking_since.is_none() && v.report.is_some());
    if !model.all_requested || !settled || model.connection != Connection::Connected {
        return Vec::new();
    }
    model.all_requested = false;
    if model.overlay != Overlay::None || model.phase != super::super::Phase::Checklist {
        return Vec::new();
    }
    ask(model)
}

/// A report arrived: where `A` stopped, the first row that is not ok gets the focus.
pub fn focus_failing_row(model: &mut Model, item: ItemId) {
    if model.focus_failure != Some(item) {
        return;
    }
    model.focus_failure = None;
    let view = model.items.entry(item).or_default();
    let failing = view.report.as_ref().and_then(|r| {
        r.details
            .screen_rows()
            .iter()
            .position(|row| row.verdict.rank() < 3)
    });
    if let Some(row) = failing {
        view.row_focus = Some(row);
        view.toggled.remove(&row);
    }
}

/// After a single `a` succeeded on the selected item: the next item that is not done.
pub fn after_single_apply(model: &mut Model, item: ItemId) -> Vec<Effect> {
    if model.selected != item {
        return Vec::new();
    }
    match all::next_not_done(model, item) {
        Some(next) => model.select(next),
        None => Vec::new(),
    }
}
