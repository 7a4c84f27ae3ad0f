//! The Doctor screen's transitions: choosing a symptom and a cause, expanding a row, running the
//! doctor again, fixing the selected cause (the item's confirmation, as `a` asks), going back.

use crate::app::keys::Command;
use crate::app::{Connection, Effect, Model, Overlay, Phase};
use crate::doctor::Diagnosis;

/// What a key's command does on the Doctor screen (no overlay open).
pub(super) fn on_command(model: &mut Model, command: Command) -> Vec<Effect> {
    let doctor = &mut model.doctor;
    match command {
        Command::Quit => return super::quit(model),
        Command::Up => doctor.move_cause(-1),
        Command::Down => doctor.move_cause(1),
        Command::NextSymptom => doctor.cycle_symptom(1),
        Command::PreviousSymptom => doctor.cycle_symptom(-1),
        Command::SymptomAt(index) => doctor.select_symptom(usize::from(index)),
        Command::Expand => doctor.toggle_expanded(),
        Command::Fix => return fix(model),
        Command::Recheck | Command::RecheckAll => return run_again(model),
        Command::Doctor | Command::Dismiss => model.phase = Phase::Checklist,
        Command::Help => model.overlay = Overlay::Help,
        Command::Apply
        | Command::ApplyAll
        | Command::Copy
        | Command::Cancel
        | Command::Edit
        | Command::RunTest
        | Command::RunTestPublish
        | Command::ScrollUp
        | Command::ScrollDown
        | Command::Confirm
        | Command::NextRow
        | Command::PrevRow
        | Command::StartSandbox => {}
    }
    Vec::new()
}

/// `r`: the doctor again, or the connection first when there is none.
fn run_again(model: &mut Model) -> Vec<Effect> {
    match model.connection {
        Connection::Failed(_) | Connection::Idle => {
            model.connection = Connection::Connecting;
            vec![Effect::Connect]
        }
        Connection::Connecting => Vec::new(),
        Connection::Connected => model.start_diagnose().into_iter().collect(),
    }
}

/// `f`: a failing (or undecided) cause that an item's apply fixes asks to apply that item's
/// plan; any other cause's fix goes to the log.
fn fix(model: &mut Model) -> Vec<Effect> {
    let Some(cause) = model.doctor.selected_cause() else {
        return Vec::new();
    };
    let (id, fix, item) = (cause.cause.id, cause.fix(), cause.fix_item);
    let (verdict, fine) = (cause.verdict.key(), cause.verdict.rank() >= 3);
    if fine {
        model.push_log(format!("{id}: {verdict}, nothing to fix"));
        return Vec::new();
    }
    let Some(item) = item else {
        model.push_log(format!("{id}: cawiz cannot fix this; fix: {fix}"));
        return Vec::new();
    };
    super::apply::ask_to_apply(model, item).unwrap_or_else(|| {
        model.push_log(format!(
            "{}: busy (being checked or applied); f again when it is done",
            item.title()
        ));
        Vec::new()
    })
}

/// The doctor finished: the diagnosis replaces the last one (or the error is logged).
pub(super) fn diagnosed(model: &mut Model, result: Result<Diagnosis, String>) {
    match &result {
        Ok(d) if d.failing() == 0 => model.push_log("Doctor: no cause fails"),
        Ok(d) => model.push_log(format!("Doctor: {} failing cause(s)", d.failing())),
        Err(e) => model.push_log(format!("Doctor: could not run: {e}")),
    }
    model.doctor.receive(result);
}
