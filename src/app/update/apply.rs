//! A single `a`: asking to apply the selected item's plan, and whether its success moves the
//! selection on.

use crate::app::{Effect, Model, Overlay, Phase, Run};
use crate::checklist::{ItemId, Status};

/// Whether a successful single apply moves the selection on: not for the local test and the
/// pipeline run (their output and run are what the user watches), nor from the doctor.
pub(super) fn moves_on_after(model: &Model, item: ItemId) -> bool {
    model.phase == Phase::Checklist && !matches!(item, ItemId::LocalTest | ItemId::PipelineRun)
}

/// Asks to apply `item`'s plan (the confirmation overlay, as `a` does), unless it applies or is
/// being checked (`None`: nothing happened), is blocked or has nothing to do (both logged).
pub(super) fn ask_to_apply(model: &mut Model, item: ItemId) -> Option<Vec<Effect>> {
    let view = model.view(item);
    if view.applying || view.checking_since.is_some() {
        return None;
    }
    let statuses = model.statuses();
    if let Some(Some(Status::Blocked { by })) = statuses.get(&item) {
        model.push_log(format!(
            "{}: blocked, apply {} first",
            item.title(),
            by.title()
        ));
        return Some(Vec::new());
    }
    let steps = view
        .report
        .as_ref()
        .map(|r| r.steps(&model.identity.region))
        .unwrap_or_default();
    if steps.is_empty() {
        let hint = if item == ItemId::LocalTest {
            " (t runs the local test again)"
        } else {
            ""
        };
        model.push_log(format!("{}: nothing to do{hint}", item.title()));
        return Some(Vec::new());
    }
    model.overlay = Overlay::Confirm {
        item,
        steps,
        run: Run::Apply,
    };
    Some(Vec::new())
}
