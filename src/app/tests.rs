use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::checklist::{Action, ItemId, Report, Status};

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn model() -> Model {
    Model::new(
        Identity {
            region: "us-east-1".into(),
            ..Identity::default()
        },
        ItemId::Domain,
    )
}

fn missing_domain() -> Report {
    let mut r = Report::new(
        ItemId::Domain,
        Status::Missing {
            summary: "no domain".into(),
        },
    );
    r.actions.push(Action::CreateDomain {
        domain: "octo-org".into(),
    });
    r
}

fn done(item: ItemId) -> Report {
    Report::new(
        item,
        Status::Done {
            summary: "ok".into(),
        },
    )
}

#[test]
fn start_checks_everything_once() {
    let mut m = model();
    let effects = m.check_all();
    assert_eq!(effects.len(), ItemId::ALL.len());
    assert!(m.busy());
    assert!(
        m.check_all().is_empty(),
        "running checks are not started twice"
    );
}

#[test]
fn a_result_arrives_as_a_message() {
    let mut m = model();
    m.check_all();
    assert!(update(&mut m, Msg::Checked(Box::new(missing_domain()))).is_empty());
    let view = m.view(ItemId::Domain);
    assert_eq!(view.checking_since, None);
    assert_eq!(
        view.report.as_ref().map(|r| r.status.kind()),
        Some("missing")
    );
}

#[test]
fn blocking_is_resolved_once_every_item_is_known() {
    let mut m = model();
    update(&mut m, Msg::Checked(Box::new(missing_domain())));
    let mut repo = done(ItemId::Repository);
    repo.status = Status::Missing {
        summary: "no repository".into(),
    };
    update(&mut m, Msg::Checked(Box::new(repo)));
    assert_eq!(
        m.statuses()[&ItemId::Repository].as_ref().map(Status::kind),
        Some("missing"),
        "not all known yet"
    );
    for item in [
        ItemId::Upstream,
        ItemId::OidcProvider,
        ItemId::Role,
        ItemId::Variables,
        ItemId::LocalTest,
        ItemId::Workflow,
        ItemId::PipelineRun,
    ] {
        update(&mut m, Msg::Checked(Box::new(done(item))));
    }
    assert_eq!(
        m.statuses()[&ItemId::Repository],
        Some(Status::Blocked { by: ItemId::Domain })
    );
}

#[test]
fn moving_the_selection_saves_it_and_stops_at_the_ends() {
    let mut m = model();
    assert!(update(&mut m, key(KeyCode::Up)).is_empty());
    assert_eq!(
        update(&mut m, key(KeyCode::Down)),
        vec![Effect::SaveSelection(ItemId::Repository)]
    );
    assert_eq!(
        update(&mut m, key(KeyCode::Char('k'))),
        vec![Effect::SaveSelection(ItemId::Domain)]
    );
    for _ in 0..10 {
        update(&mut m, key(KeyCode::Char('j')));
    }
    assert_eq!(m.selected, ItemId::PipelineRun);
}

#[test]
fn apply_asks_first_and_lists_the_steps() {
    let mut m = model();
    update(&mut m, Msg::Checked(Box::new(missing_domain())));
    assert!(update(&mut m, key(KeyCode::Char('a'))).is_empty());
    let Overlay::Confirm { item, steps, .. } = &m.overlay else {
        panic!("a confirmation: {:?}", m.overlay);
    };
    assert_eq!(*item, ItemId::Domain);
    assert_eq!(
        steps[0].command,
        "aws codeartifact create-domain --domain octo-org --region us-east-1"
    );
    // Other keys do nothing while it is open; `n` closes it without applying.
    assert!(update(&mut m, key(KeyCode::Char('r'))).is_empty());
    assert!(update(&mut m, key(KeyCode::Char('n'))).is_empty());
    assert_eq!(m.overlay, Overlay::None);
    // `a` then `y` applies.
    update(&mut m, key(KeyCode::Char('a')));
    assert_eq!(
        update(&mut m, key(KeyCode::Char('y'))),
        vec![Effect::Apply(ItemId::Domain)]
    );
    assert!(m.view(ItemId::Domain).applying);
    assert!(m.busy());
}

#[test]
fn after_apply_everything_is_checked_again() {
    let mut m = model();
    update(&mut m, Msg::Checked(Box::new(missing_domain())));
    update(&mut m, key(KeyCode::Char('a')));
    update(&mut m, key(KeyCode::Enter));
    let effects = update(
        &mut m,
        Msg::Applied {
            item: ItemId::Domain,
            result: Ok("created domain octo-org".into()),
        },
    );
    let checks = effects
        .iter()
        .filter(|e| matches!(e, Effect::Check(_)))
        .count();
    assert_eq!(checks, ItemId::ALL.len());
    assert!(!m.view(ItemId::Domain).applying);
    assert!(m.log.iter().any(|l| l.contains("created domain octo-org")));
}

#[test]
fn nothing_to_apply_or_blocked_says_so() {
    let mut m = model();
    update(&mut m, Msg::Checked(Box::new(done(ItemId::Domain))));
    update(&mut m, key(KeyCode::Char('a')));
    assert_eq!(m.overlay, Overlay::None);
    assert!(m.log.last().is_some_and(|l| l.contains("nothing to do")));
}

#[test]
fn quit_help_copy_cancel() {
    let mut m = model();
    update(&mut m, key(KeyCode::Char('?')));
    assert_eq!(m.overlay, Overlay::Help);
    update(&mut m, key(KeyCode::Esc));
    assert_eq!(m.overlay, Overlay::None);

    update(&mut m, Msg::Checked(Box::new(missing_domain())));
    assert_eq!(
        update(&mut m, key(KeyCode::Char('c'))),
        vec![Effect::Copy(
            "aws codeartifact create-domain --domain octo-org --region us-east-1".into()
        )]
    );

    assert!(
        update(&mut m, key(KeyCode::Char('x'))).is_empty(),
        "nothing running"
    );
    update(&mut m, key(KeyCode::Char('r')));
    assert_eq!(
        update(&mut m, key(KeyCode::Char('x'))),
        vec![Effect::CancelCheck(ItemId::Domain)]
    );
    update(&mut m, Msg::CheckCancelled(ItemId::Domain));
    assert!(!m.busy());

    assert_eq!(update(&mut m, key(KeyCode::Char('q'))), vec![Effect::Quit]);
    assert!(m.quit);
    let mut m = model();
    let ctrl_c = Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    assert_eq!(update(&mut m, ctrl_c), vec![Effect::Quit]);
}

#[test]
fn the_log_is_bounded() {
    let mut m = model();
    for i in 0..(LOG_LIMIT + 10) {
        update(&mut m, Msg::Log(format!("line {i}")));
    }
    assert_eq!(m.log.len(), LOG_LIMIT);
    assert_eq!(m.log[0], "line 10");
}

#[test]
fn notifications_is_an_item_only_with_notify() {
    let mut m = model();
    let mut setup = crate::setup::Setup::for_github("octo-org", "widgets");
    m.setup = Some(setup.clone());
    assert_eq!(m.item_ids(), ItemId::ALL.to_vec());
    setup.notify = vec!["email:team@example.com".into()];
    m.setup = Some(setup);
    let effects = m.check_all();
    assert_eq!(effects.len(), ItemId::ALL.len() + 1);
    assert!(effects.contains(&Effect::Check(ItemId::Notifications)));
    // Every item but the last done: the statuses list it, and `A` plans it.
    for item in ItemId::ALL {
        update(&mut m, Msg::Checked(Box::new(done(item))));
    }
    let mut notify = Report::new(
        ItemId::Notifications,
        Status::Missing {
            summary: "no rule".into(),
        },
    );
    notify.actions.push(Action::Notify(
        crate::checklist::notifications::NotifyAction::CreateTopic {
            name: "cawiz-octo-org-widgets".into(),
        },
    ));
    update(&mut m, Msg::Checked(Box::new(notify)));
    assert_eq!(
        m.statuses()
            .get(&ItemId::Notifications)
            .and_then(Option::as_ref)
            .map(Status::kind),
        Some("missing")
    );
    let plan = crate::app::all::plan(&m).expect("a plan");
    assert_eq!(plan.items, [ItemId::Notifications]);
    assert!(plan.steps[0].command.starts_with("aws sns create-topic"));
    m.selected = ItemId::PipelineRun;
    m.move_selection(1);
    assert_eq!(m.selected, ItemId::Notifications, "↓ reaches it");
}

mod all;
mod doctor;
mod phases;
mod pipeline;
mod rows;

#[test]
fn the_consumers_item_is_checked_listed_and_reached_only_when_the_setup_names_consumers() {
    let mut m = model();
    let mut setup = crate::setup::Setup::for_github("octo-org", "widgets");
    m.setup = Some(setup.clone());
    assert!(!m.check_all().contains(&Effect::Check(ItemId::Consumers)));
    for item in ItemId::ALL {
        update(&mut m, Msg::Checked(Box::new(done(item))));
    }
    assert!(!m.statuses().contains_key(&ItemId::Consumers));

    let mut m = model();
    setup.consumers = vec![crate::consumers::Consumer::Account("222233334444".into())];
    m.setup = Some(setup);
    assert!(m.check_all().contains(&Effect::Check(ItemId::Consumers)));
    for item in ItemId::ALL {
        update(&mut m, Msg::Checked(Box::new(done(item))));
    }
    assert_eq!(m.statuses().get(&ItemId::Consumers), Some(&None));
    for _ in 0..ItemId::ALL.len() {
        update(&mut m, key(KeyCode::Down));
    }
    assert_eq!(m.selected, ItemId::Consumers, "the last row");
}

#[test]
fn a_click_on_a_scrolled_sidebar_selects_the_item_drawn_there() {
    use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let click = |row| {
        Msg::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: 3,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    let mut m = model();
    let mut setup = crate::setup::Setup::for_github("octo-org", "widgets");
    setup.consumers = vec![crate::consumers::Consumer::Account("222233334444".into())];
    m.setup = Some(setup);
    m.size = (40, 12);
    m.selected = ItemId::Consumers;
    // Ten items, nine rows (2..=10): the list starts at the repository, the consumers last.
    update(&mut m, click(10));
    assert_eq!(m.selected, ItemId::Consumers);
    update(&mut m, click(2));
    assert_eq!(m.selected, ItemId::Repository);
}
