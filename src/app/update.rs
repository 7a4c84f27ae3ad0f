//! `update(model, msg) -> effects`: the one place state changes. The Doctor screen's keys are
//! decided in `update/doctor.rs`.

mod all;
mod apply;
mod doctor;
mod rows;

use crossterm::event::{KeyCode, KeyModifiers, MouseButton, MouseEventKind};

use crate::checklist::{ItemId, Status};

use super::form::{FormOutcome, Input};
use super::keys::{Command, command_for, doctor_command_for};
use super::{
    Connection, DoctorView, Effect, Form, FormMode, Identity, ItemView, Model, Msg, OUTPUT_LIMIT,
    Overlay, Phase, Run, push_limited,
};

pub fn update(model: &mut Model, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key)
            if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') =>
        {
            quit(model)
        }
        Msg::Key(key) => match &mut model.phase {
            Phase::Form(form) => match form.on_key(key) {
                FormOutcome::Editing => Vec::new(),
                FormOutcome::Submit(setup) => {
                    let first = form.mode == FormMode::First;
                    model.identity = Identity {
                        account: model.identity.account.clone(),
                        arn: model.identity.arn.clone(),
                        ..Identity::for_setup(&setup, model.identity.sandbox)
                    };
                    model.setup = Some((*setup).clone());
                    model.phase = Phase::Checklist;
                    model.connection = Connection::Connecting;
                    model.items = ItemId::for_setup(Some(&setup))
                        .into_iter()
                        .map(|i| (i, ItemView::default()))
                        .collect();
                    model.doctor = DoctorView::default();
                    model.push_log(if first {
                        "setup saved; checking — then A applies everything pending, after one \
                         confirmation"
                    } else {
                        "setup saved; checking again"
                    });
                    vec![Effect::SaveSetup(setup)]
                }
                FormOutcome::Cancel if form.mode == FormMode::Edit => {
                    model.phase = Phase::Checklist;
                    Vec::new()
                }
                FormOutcome::Cancel => quit(model),
            },
            Phase::Welcome { .. } => match command_for(key) {
                Some(Command::StartSandbox) => {
                    model.phase = Phase::Starting;
                    vec![Effect::StartSandbox]
                }
                Some(Command::Recheck | Command::RecheckAll) => {
                    model.phase = Phase::Starting;
                    model.connection = Connection::Connecting;
                    vec![Effect::Connect]
                }
                Some(Command::Quit) => quit(model),
                _ => Vec::new(),
            },
            Phase::Starting => match command_for(key) {
                Some(Command::Quit) => quit(model),
                _ => Vec::new(),
            },
            Phase::Checklist => match command_for(key) {
                Some(command) => on_command(model, command),
                None => Vec::new(),
            },
            // Overlays on the doctor (confirm, help) take the checklist's keys.
            Phase::Doctor if model.overlay != Overlay::None => match command_for(key) {
                Some(command) => on_command(model, command),
                None => Vec::new(),
            },
            Phase::Doctor => match doctor_command_for(key) {
                Some(command) => doctor::on_command(model, command),
                None => Vec::new(),
            },
        },
        Msg::Mouse(mouse) => {
            if model.phase != Phase::Checklist || model.overlay != Overlay::None {
                return Vec::new();
            }
            match mouse.kind {
                MouseEventKind::ScrollDown => scroll(model, 3),
                MouseEventKind::ScrollUp => scroll(model, -3),
                MouseEventKind::Down(MouseButton::Left) => {
                    match crate::ui::item_at(model, mouse.column, mouse.row) {
                        Some(item) => model.select(item),
                        None => Vec::new(),
                    }
                }
                _ => Vec::new(),
            }
        }
        Msg::Resize(width, height) => {
            model.size = (width, height);
            model.scroll = model.scroll.min(crate::ui::max_scroll(model));
            Vec::new()
        }
        Msg::Tick => {
            model.ticks = model.ticks.saturating_add(1);
            Vec::new()
        }
        Msg::NoCredentials(reason) => {
            model.connection = Connection::Idle;
            model.phase = Phase::Welcome { reason };
            Vec::new()
        }
        Msg::NeedSetup(defaults) => {
            model.connection = Connection::Idle;
            model.phase = Phase::Form(Box::new(Form::new(
                *defaults,
                FormMode::First,
                Input::Github,
            )));
            Vec::new()
        }
        Msg::SandboxStarted(setup) => {
            model.identity = Identity::for_setup(&setup, true);
            model.setup = Some(*setup);
            model.phase = Phase::Checklist;
            model.connection = Connection::Connecting;
            model.push_log(
                "sandbox started: everything runs against the built-in AWS emulation; A applies \
                 everything pending, after one confirmation",
            );
            vec![Effect::Connect]
        }
        Msg::Connected(Ok((account, arn))) => {
            model.identity.account = account;
            model.identity.arn = arn;
            model.connection = Connection::Connected;
            if model.phase == Phase::Starting {
                model.phase = Phase::Checklist;
            }
            let mut effects = model.check_all();
            if model.phase == Phase::Doctor {
                effects.extend(model.start_diagnose());
            }
            effects
        }
        Msg::Connected(Err(e)) => {
            model.push_log(format!("AWS: {} — {}", e.message, e.fix));
            model.connection = Connection::Failed(e);
            if model.phase == Phase::Starting {
                model.phase = Phase::Checklist;
            }
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
            // Once no apply watches a run, the check's latest run is the one to show: a run
            // watched earlier would hide a newer one (a failure started elsewhere).
            if !view.applying {
                view.live_run = None;
            }
            all::focus_failing_row(model, item);
            all::checks_settled(model)
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
        Msg::Output(line) => {
            push_limited(&mut model.output, line, OUTPUT_LIMIT);
            Vec::new()
        }
        Msg::RunUpdate(view) => {
            model.items.entry(ItemId::PipelineRun).or_default().live_run = Some(*view);
            Vec::new()
        }
        Msg::Applied { item, result } => {
            model.items.entry(item).or_default().applying = false;
            let mut effects = Vec::new();
            match result {
                Ok(summary) => {
                    model.push_log(format!("{}: {summary}", item.title()));
                    if apply::moves_on_after(model, item) {
                        effects.extend(all::after_single_apply(model, item));
                    }
                }
                Err(error) => model.push_log(format!("{}: FAILED {error}", item.title())),
            }
            // Applying one item changes what its dependants see: check everything again.
            effects.extend(model.check_all());
            // A fix from the doctor: diagnose again to show whether it worked.
            if model.doctor.fixing == Some(item) {
                model.doctor.fixing = None;
                effects.extend(model.start_diagnose());
            }
            effects
        }
        Msg::AllItem(item) => all::item_started(model, item),
        Msg::AllFinished(result) => all::finished(model, result),
        Msg::Diagnosed(result) => {
            doctor::diagnosed(model, result.map(|d| *d));
            Vec::new()
        }
    }
}

fn quit(model: &mut Model) -> Vec<Effect> {
    model.quit = true;
    vec![Effect::Quit]
}

fn scroll(model: &mut Model, delta: i32) -> Vec<Effect> {
    let max = crate::ui::max_scroll(model);
    let next = i32::from(model.scroll).saturating_add(delta).max(0);
    model.scroll = u16::try_from(next).unwrap_or(u16::MAX).min(max);
    Vec::new()
}

fn on_command(model: &mut Model, command: Command) -> Vec<Effect> {
    match (&mut model.overlay, command) {
        (Overlay::Confirm { item, run, .. }, Command::Confirm) => {
            let (item, run) = (*item, *run);
            model.overlay = Overlay::None;
            model.items.entry(item).or_default().applying = true;
            if model.phase == Phase::Doctor && run == Run::Apply {
                model.doctor.fixing = Some(item);
            }
            if item == ItemId::LocalTest {
                model.output.clear();
            }
            match run {
                Run::Apply => {
                    model.push_log(format!("{}: applying…", item.title()));
                    vec![Effect::Apply(item)]
                }
                Run::LocalTest { publish } => {
                    model.push_log("Local test: running…");
                    vec![Effect::RunLocalTest { publish }]
                }
            }
        }
        (Overlay::ConfirmAll(plan), Command::Confirm) => {
            let (items, steps) = (plan.items.clone(), plan.steps.len());
            all::confirmed(model, items, steps)
        }
        (Overlay::Confirm { .. } | Overlay::ConfirmAll(_), Command::Dismiss | Command::Quit) => {
            model.overlay = Overlay::None;
            Vec::new()
        }
        (Overlay::ConfirmAll(plan), Command::ScrollDown) => {
            plan.scroll = plan.scroll.saturating_add(model.size.1 / 2);
            Vec::new()
        }
        (Overlay::ConfirmAll(plan), Command::ScrollUp) => {
            plan.scroll = plan.scroll.saturating_sub(model.size.1 / 2);
            Vec::new()
        }
        (Overlay::Confirm { .. } | Overlay::ConfirmAll(_), _) => Vec::new(),
        (Overlay::Help, Command::Help | Command::Dismiss | Command::Confirm | Command::Quit) => {
            model.overlay = Overlay::None;
            Vec::new()
        }
        (Overlay::Help, _) => Vec::new(),
        (Overlay::None, command) => main_command(model, command),
    }
}

/// The input the form focuses when opened from an item's screen.
fn input_for(item: ItemId) -> Input {
    match item {
        ItemId::Domain | ItemId::LocalTest => Input::Domain,
        ItemId::Repository => Input::Repository,
        ItemId::Upstream => Input::Upstream,
        ItemId::OidcProvider | ItemId::Variables => Input::Github,
        ItemId::Role => Input::RoleName,
        // The workflow and its runs follow the scope (its triggers and environment).
        ItemId::Workflow | ItemId::PipelineRun => Input::Scope,
        ItemId::Notifications => Input::Notify,
        ItemId::Consumers => Input::Consumers,
    }
}

fn main_command(model: &mut Model, command: Command) -> Vec<Effect> {
    let item = model.selected;
    match command {
        Command::Quit => quit(model),
        Command::Up => model.move_selection(-1),
        Command::Down => model.move_selection(1),
        Command::ScrollDown => scroll(model, i32::from((model.size.1 / 2).max(1))),
        Command::ScrollUp => scroll(model, -i32::from((model.size.1 / 2).max(1))),
        Command::Help => {
            model.overlay = Overlay::Help;
            Vec::new()
        }
        Command::Recheck | Command::RecheckAll
            if matches!(model.connection, Connection::Failed(_) | Connection::Idle) =>
        {
            model.connection = Connection::Connecting;
            vec![Effect::Connect]
        }
        Command::Recheck => model.start_check(item).into_iter().collect(),
        Command::RecheckAll => model.check_all(),
        Command::Cancel if model.all.is_some() => all::cancel(model),
        Command::Cancel => {
            if model.view(item).checking_since.is_some() {
                vec![Effect::CancelCheck(item)]
            } else {
                Vec::new()
            }
        }
        Command::Edit => {
            if model.applying() {
                model.push_log("wait for the running apply to finish before editing the inputs");
                return Vec::new();
            }
            if let Some(setup) = model.setup.clone() {
                model.phase =
                    Phase::Form(Box::new(Form::new(setup, FormMode::Edit, input_for(item))));
            }
            Vec::new()
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
        Command::RunTest | Command::RunTestPublish => {
            if model.connection != Connection::Connected {
                model.push_log("Local test: not connected to AWS yet");
                return Vec::new();
            }
            if model.view(ItemId::LocalTest).applying {
                return Vec::new();
            }
            let effects = model.select(ItemId::LocalTest);
            let publish = command == Command::RunTestPublish;
            model.overlay = Overlay::Confirm {
                item: ItemId::LocalTest,
                steps: vec![model.local_test_step(publish)],
                run: Run::LocalTest { publish },
            };
            effects
        }
        Command::Apply => apply::ask_to_apply(model, item).unwrap_or_default(),
        Command::ApplyAll => all::ask(model),
        Command::Doctor => {
            model.phase = Phase::Doctor;
            model.start_diagnose().into_iter().collect()
        }
        Command::NextRow => rows::focus_row(model, 1),
        Command::PrevRow => rows::focus_row(model, -1),
        Command::Confirm => rows::toggle_row(model),
        Command::Dismiss
        | Command::StartSandbox
        | Command::NextSymptom
        | Command::PreviousSymptom
        | Command::SymptomAt(_)
        | Command::Expand
        | Command::Fix => Vec::new(),
    }
}
