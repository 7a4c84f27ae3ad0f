//! `A`: the combined confirmation, the one job's progress, stopping, cancelling and resuming;
//! and where a single `a` leads.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::all::{AllApply, AllFailure};
use crate::app::*;
use crate::checklist::rows::{Row, Verdict};
use crate::checklist::{Action, ItemId, Report, Status};

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn missing(item: ItemId, actions: Vec<Action>) -> Report {
    let mut r = Report::new(
        item,
        Status::Missing {
            summary: format!("no {}", item.key()),
        },
    );
    r.actions = actions;
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

fn domain() -> Report {
    missing(
        ItemId::Domain,
        vec![Action::CreateDomain {
            domain: "octo-org".into(),
        }],
    )
}

fn repository() -> Report {
    missing(
        ItemId::Repository,
        vec![Action::CreateRepository {
            domain: "octo-org".into(),
            owner: "111122223333".into(),
            repository: "python".into(),
            description: "d".into(),
        }],
    )
}

/// A model where the domain and the repository are missing (with their plans), the rest done.
fn empty_start() -> Model {
    let mut m = Model::new(
        Identity {
            region: "us-east-1".into(),
            ..Identity::default()
        },
        ItemId::Domain,
    );
    update(&mut m, Msg::Checked(Box::new(domain())));
    update(&mut m, Msg::Checked(Box::new(repository())));
    for item in ItemId::ALL.into_iter().skip(2) {
        update(&mut m, Msg::Checked(Box::new(done(item))));
    }
    m
}

#[test]
fn a_capital_lists_every_pending_step_of_every_item_in_order() {
    let mut m = empty_start();
    assert!(update(&mut m, key('A')).is_empty());
    let Overlay::ConfirmAll(plan) = &m.overlay else {
        panic!("the combined confirmation: {:?}", m.overlay);
    };
    assert_eq!(plan.items, vec![ItemId::Domain, ItemId::Repository]);
    let commands: Vec<&str> = plan.steps.iter().map(|s| s.command.as_str()).collect();
    assert_eq!(commands.len(), 2);
    assert!(commands[0].starts_with("aws codeartifact create-domain --domain octo-org"));
    assert!(commands[1].starts_with("aws codeartifact create-repository"));
    // The repository is blocked by the domain, and still listed: its blocker runs first.
    assert_eq!(
        m.statuses()[&ItemId::Repository],
        Some(Status::Blocked { by: ItemId::Domain })
    );
    // `n` closes it, nothing runs.
    assert!(update(&mut m, key('n')).is_empty());
    assert_eq!(m.overlay, Overlay::None);
    assert!(m.all.is_none());
}

#[test]
fn y_runs_one_job_that_reports_each_item_and_ends_on_the_last() {
    let mut m = empty_start();
    update(&mut m, key('A'));
    assert_eq!(
        update(&mut m, key('y')),
        vec![Effect::ApplyAll(vec![ItemId::Domain, ItemId::Repository])]
    );
    assert!(m.busy() && m.applying());
    assert!(update(&mut m, key('A')).is_empty(), "not twice at once");
    assert_eq!(m.overlay, Overlay::None);

    // Progress: the item it is on is selected and spinning, the log says where it is.
    assert!(
        update(&mut m, Msg::AllItem(ItemId::Domain)).is_empty(),
        "already selected"
    );
    assert!(m.view(ItemId::Domain).applying);
    for _ in 0..25 {
        update(&mut m, Msg::Tick);
    }
    assert_eq!(
        update(&mut m, Msg::AllItem(ItemId::Repository)),
        vec![Effect::SaveSelection(ItemId::Repository)]
    );
    assert!(!m.view(ItemId::Domain).applying);
    assert!(m.view(ItemId::Repository).applying);
    assert_eq!(m.selected, ItemId::Repository);
    assert!(
        m.log
            .iter()
            .any(|l| l == "apply all (2/2): Repository — 2 s in"),
        "{:?}",
        m.log
    );

    let effects = update(&mut m, Msg::AllFinished(Ok("2 items done".into())));
    assert!(m.all.is_none() && !m.applying());
    assert!(!m.view(ItemId::Repository).applying);
    assert_eq!(m.selected, ItemId::Repository, "it ends on the last item");
    // Everything is checked again.
    assert_eq!(
        effects
            .iter()
            .filter(|e| matches!(e, Effect::Check(_)))
            .count(),
        ItemId::ALL.len()
    );
    assert!(
        m.log
            .iter()
            .any(|l| l.starts_with("apply all: 2 items done"))
    );
}

#[test]
fn a_failure_stops_there_with_that_item_selected_and_its_failing_row_open() {
    let mut m = empty_start();
    update(&mut m, key('A'));
    update(&mut m, key('y'));
    update(&mut m, Msg::AllItem(ItemId::Domain));
    update(&mut m, Msg::AllItem(ItemId::Repository));
    m.selected = ItemId::Domain; // the user looked elsewhere meanwhile
    update(
        &mut m,
        Msg::AllFinished(Err(AllFailure {
            item: None,
            message: "AccessDenied (access denied) — add the permission".into(),
        })),
    );
    assert_eq!(m.selected, ItemId::Repository);
    assert!(
        m.log
            .iter()
            .any(|l| l.starts_with("apply all FAILED at Repository: AccessDenied")),
        "{:?}",
        m.log
    );
    // Its next report opens the first row that is not ok.
    let mut report = repository();
    report
        .details
        .rows
        .push(Row::new("domain", "Domain octo-org", Verdict::Ok));
    report.details.rows.push(
        Row::new("repository", "Repository python", Verdict::Fail)
            .evidence("python: not found")
            .fix("cawiz apply --only repository", Some(ItemId::Repository)),
    );
    update(&mut m, Msg::Checked(Box::new(report)));
    let view = m.view(ItemId::Repository);
    assert_eq!(view.row_focus, Some(1));
    assert!(view.expanded(1));
    assert_eq!(m.focus_failure, None);
}

#[test]
fn x_cancels_after_the_current_step_and_the_next_a_resumes() {
    let mut m = empty_start();
    update(&mut m, key('A'));
    update(&mut m, key('y'));
    update(&mut m, Msg::AllItem(ItemId::Domain));
    assert_eq!(update(&mut m, key('x')), vec![Effect::CancelAll]);
    assert!(update(&mut m, key('x')).is_empty(), "asked once");
    assert!(matches!(
        m.all,
        Some(AllApply {
            cancelling: true,
            ..
        })
    ));
    update(
        &mut m,
        Msg::AllFinished(Err(AllFailure {
            item: Some(ItemId::Repository),
            message: "cancelled before the next step of Repository".into(),
        })),
    );
    assert!(
        m.log
            .iter()
            .any(|l| l.starts_with("apply all stopped at Repository")),
        "the item it stopped before: {:?}",
        m.log
    );
    // The domain got created; the checks (started again) say so: `A` lists only what is left.
    update(&mut m, Msg::Checked(Box::new(done(ItemId::Domain))));
    update(&mut m, Msg::Checked(Box::new(repository())));
    update(&mut m, key('A'));
    assert_eq!(m.overlay, Overlay::None, "not before every check finished");
    for item in ItemId::ALL.into_iter().skip(2) {
        update(&mut m, Msg::Checked(Box::new(done(item))));
    }
    let Overlay::ConfirmAll(plan) = &m.overlay else {
        panic!("the combined confirmation: {:?}", m.overlay);
    };
    assert_eq!(plan.items, vec![ItemId::Repository]);
}

#[test]
fn a_pressed_while_connecting_asks_once_connected_and_checked() {
    let (mut m, _) = Model::start(None, true, ItemId::Domain, (80, 24));
    m.phase = Phase::Checklist;
    assert!(update(&mut m, key('A')).is_empty());
    assert_eq!(m.overlay, Overlay::None);
    assert!(
        m.log
            .last()
            .is_some_and(|l| l.contains("waiting for the connection"))
    );
    let checks = update(
        &mut m,
        Msg::Connected(Ok(("123456789012".into(), "arn".into()))),
    );
    assert_eq!(checks.len(), ItemId::ALL.len());
    update(&mut m, Msg::Checked(Box::new(domain())));
    update(&mut m, Msg::Checked(Box::new(repository())));
    assert_eq!(m.overlay, Overlay::None, "not before every check answered");
    for item in ItemId::ALL.into_iter().skip(2) {
        update(&mut m, Msg::Checked(Box::new(done(item))));
    }
    assert!(
        matches!(&m.overlay, Overlay::ConfirmAll(_)),
        "{:?}",
        m.overlay
    );
}

#[test]
fn read_only_explains_and_applies_nothing() {
    let mut m = empty_start();
    m.read_only = true;
    assert!(update(&mut m, key('A')).is_empty());
    assert_eq!(m.overlay, Overlay::None);
    assert!(
        m.log
            .last()
            .is_some_and(|l| l.starts_with("--read-only: A applies nothing"))
    );
}

#[test]
fn a_waits_for_the_checks_and_nothing_is_confirmed_when_all_is_done() {
    // While checks run, A waits for them, then asks.
    let mut m = empty_start();
    m.items.entry(ItemId::Workflow).or_default().report = None;
    m.items.entry(ItemId::Workflow).or_default().checking_since = Some(0);
    update(&mut m, key('A'));
    assert_eq!(m.overlay, Overlay::None);
    assert!(
        m.log
            .last()
            .is_some_and(|l| l.contains("waiting for the checks"))
    );
    update(&mut m, Msg::Checked(Box::new(done(ItemId::Workflow))));
    assert!(
        matches!(&m.overlay, Overlay::ConfirmAll(plan) if plan.items[0] == ItemId::Domain),
        "{:?}",
        m.overlay
    );

    let mut m = empty_start();
    update(&mut m, Msg::Checked(Box::new(done(ItemId::Domain))));
    update(&mut m, Msg::Checked(Box::new(done(ItemId::Repository))));
    update(&mut m, key('A'));
    assert_eq!(m.overlay, Overlay::None);
    assert!(m.log.last().is_some_and(|l| l.contains("nothing pending")));
}

#[test]
fn after_a_single_apply_the_selection_moves_to_the_next_item_not_done() {
    let mut m = empty_start();
    update(&mut m, key('a'));
    update(&mut m, key('y'));
    let effects = update(
        &mut m,
        Msg::Applied {
            item: ItemId::Domain,
            result: Ok("applied".into()),
        },
    );
    assert_eq!(m.selected, ItemId::Repository);
    assert!(effects.contains(&Effect::SaveSelection(ItemId::Repository)));
    // A failure stays where it is.
    update(&mut m, key('a'));
    update(&mut m, key('y'));
    update(
        &mut m,
        Msg::Applied {
            item: ItemId::Repository,
            result: Err("denied".into()),
        },
    );
    assert_eq!(m.selected, ItemId::Repository);
}

#[test]
fn the_footer_names_a_capital_while_something_is_pending() {
    let mut m = empty_start();
    let named = |m: &Model| crate::ui::hints(m).iter().any(|b| b.keys == "A");
    assert!(named(&m));
    // Everything else waits on the domain (blocked), but the OIDC provider.
    assert_eq!(crate::app::all::progress(&m), (1, 9));
    update(&mut m, Msg::Checked(Box::new(done(ItemId::Domain))));
    update(&mut m, Msg::Checked(Box::new(done(ItemId::Repository))));
    assert!(!named(&m));
    assert_eq!(crate::app::all::progress(&m), (9, 9));
}
