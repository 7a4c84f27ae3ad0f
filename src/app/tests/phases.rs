//! `update()` around the checklist: start-up and connecting, the welcome screen, the setup form,
//! the local test, scrolling, the mouse and Ctrl-C.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{key, missing_domain, model};
use crate::app::*;
use crate::checklist::ItemId;

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn setup() -> crate::setup::Setup {
    crate::setup::Setup::for_github("octo-org", "widgets")
}

fn type_text(m: &mut Model, text: &str) {
    for c in text.chars() {
        update(m, key(KeyCode::Char(c)));
    }
}

#[test]
fn start_up_with_a_setup_connects_before_checking() {
    let (mut m, effects) = Model::start(Some(setup()), false, ItemId::Role, (80, 24));
    assert_eq!(effects, vec![Effect::Connect]);
    assert_eq!(m.phase, Phase::Checklist);
    assert_eq!(m.connection, Connection::Connecting);
    assert!(m.busy(), "the spinner runs while connecting");
    assert!(m.check_all().is_empty(), "no check before the identity");
    let effects = update(
        &mut m,
        Msg::Connected(Ok(("123456789012".into(), "arn:aws:iam::1:user/me".into()))),
    );
    assert_eq!(
        effects.len(),
        ItemId::ALL.len(),
        "every check starts at once: {effects:?}"
    );
    assert_eq!(m.identity.account, "123456789012");
    assert_eq!(m.selected, ItemId::Role, "resumes on the saved item");
}

#[test]
fn a_failed_connection_shows_the_fix_and_r_retries() {
    let (mut m, _) = Model::start(Some(setup()), false, ItemId::Domain, (80, 24));
    let error = crate::checklist::ItemError {
        kind: crate::aws::AwsErrorKind::ExpiredCredentials,
        message: "the security token is expired".into(),
        fix: "aws sso login".into(),
    };
    assert!(update(&mut m, Msg::Connected(Err(error.clone()))).is_empty());
    assert_eq!(m.connection, Connection::Failed(error));
    assert!(!m.busy());
    assert!(m.log.last().is_some_and(|l| l.contains("aws sso login")));
    assert_eq!(
        update(&mut m, key(KeyCode::Char('r'))),
        vec![Effect::Connect]
    );
    assert_eq!(m.connection, Connection::Connecting);
}

#[test]
fn without_credentials_the_welcome_screen_offers_the_sandbox() {
    let (mut m, _) = Model::start(None, false, ItemId::Domain, (80, 24));
    assert_eq!(m.phase, Phase::Starting);
    update(&mut m, Msg::NoCredentials("no AWS credentials".into()));
    assert_eq!(
        m.phase,
        Phase::Welcome {
            reason: "no AWS credentials".into()
        }
    );
    assert!(!m.busy(), "nothing animates on the welcome screen");
    assert!(update(&mut m, key(KeyCode::Char('a'))).is_empty());
    assert_eq!(
        update(&mut m, key(KeyCode::Char('s'))),
        vec![Effect::StartSandbox]
    );
    assert_eq!(
        update(&mut m, Msg::SandboxStarted(Box::new(setup()))),
        vec![Effect::Connect]
    );
    assert!(m.identity.sandbox);
    assert_eq!(m.phase, Phase::Checklist);
    assert_eq!(m.identity.github, "octo-org/widgets");

    let (mut m, _) = Model::start(None, false, ItemId::Domain, (80, 24));
    update(&mut m, Msg::NoCredentials("none".into()));
    assert_eq!(
        update(&mut m, key(KeyCode::Char('r'))),
        vec![Effect::Connect],
        "r looks again after configuring AWS elsewhere"
    );
    assert_eq!(update(&mut m, key(KeyCode::Char('q'))), vec![Effect::Quit]);
}

#[test]
fn the_first_run_form_saves_the_setup_then_connects() {
    let (mut m, _) = Model::start(None, false, ItemId::Domain, (80, 24));
    let mut blank = setup();
    blank.github_owner.clear();
    blank.github_repo.clear();
    blank.domain.clear();
    blank.repository.clear();
    update(&mut m, Msg::NeedSetup(Box::new(blank)));
    let Phase::Form(form) = &m.phase else {
        panic!("the form: {:?}", m.phase);
    };
    assert_eq!(form.mode, FormMode::First);
    assert!(
        form.fields.iter().all(|f| form.shown_error(f).is_none()),
        "no message before the user typed"
    );
    // `q`, `a`, `j` are text here, not commands.
    type_text(&mut m, "acme/gadgets-aqj");
    assert!(!m.quit);
    assert!(
        update(&mut m, ctrl('s'))[..]
            == [Effect::SaveSetup(Box::new({
                let mut s = setup();
                s.github_owner = "acme".into();
                s.github_repo = "gadgets-aqj".into();
                s.domain = "acme".into();
                s.repository = "gadgets-aqj".into();
                s
            }))]
    );
    assert_eq!(m.phase, Phase::Checklist);
    assert_eq!(m.connection, Connection::Connecting);
    assert_eq!(m.identity.github, "acme/gadgets-aqj");
    assert!(m.setup.is_some());
}

#[test]
fn a_bad_value_keeps_the_form_open_and_esc_on_the_first_run_quits() {
    let (mut m, _) = Model::start(None, false, ItemId::Domain, (80, 24));
    update(&mut m, Msg::NeedSetup(Box::new(setup())));
    update(&mut m, ctrl('u'));
    type_text(&mut m, "not a repo");
    assert!(update(&mut m, ctrl('s')).is_empty());
    let Phase::Form(form) = &m.phase else {
        panic!("still the form");
    };
    assert!(form.shown_error(&form.fields[0]).is_some());
    assert_eq!(update(&mut m, key(KeyCode::Esc)), vec![Effect::Quit]);
    assert!(m.quit);
}

#[test]
fn e_edits_the_inputs_and_esc_goes_back_unchanged() {
    let (mut m, _) = Model::start(Some(setup()), false, ItemId::Upstream, (80, 24));
    update(&mut m, Msg::Connected(Ok(("1".into(), "arn".into()))));
    update(&mut m, key(KeyCode::Char('e')));
    let Phase::Form(form) = &m.phase else {
        panic!("the form: {:?}", m.phase);
    };
    assert_eq!(form.mode, FormMode::Edit);
    assert_eq!(
        form.focused().map(|f| f.input),
        Some(super::form::Input::Upstream),
        "focused on the selected item's input"
    );
    update(&mut m, key(KeyCode::Esc));
    assert_eq!(m.phase, Phase::Checklist);
    assert_eq!(m.setup, Some(setup()));

    // Not while an apply runs.
    m.items.entry(ItemId::Domain).or_default().applying = true;
    update(&mut m, key(KeyCode::Char('e')));
    assert_eq!(m.phase, Phase::Checklist);
    assert!(m.log.last().is_some_and(|l| l.contains("wait")));
}

#[test]
fn t_and_p_run_the_local_test_after_confirmation_and_output_streams() {
    let (mut m, _) = Model::start(Some(setup()), false, ItemId::Domain, (80, 24));
    update(
        &mut m,
        Msg::Connected(Ok(("123456789012".into(), "arn".into()))),
    );
    m.output.push("old run".into());
    assert_eq!(
        update(&mut m, key(KeyCode::Char('p'))),
        vec![Effect::SaveSelection(ItemId::LocalTest)]
    );
    let Overlay::Confirm { item, steps, run } = &m.overlay else {
        panic!("a confirmation: {:?}", m.overlay);
    };
    assert_eq!(
        (*item, *run),
        (ItemId::LocalTest, Run::LocalTest { publish: true })
    );
    assert!(steps[0].description.contains("twine uploads"), "{steps:?}");
    assert_eq!(
        update(&mut m, key(KeyCode::Char('y'))),
        vec![Effect::RunLocalTest { publish: true }]
    );
    assert!(m.output.is_empty(), "a new run starts a new output");
    update(&mut m, Msg::Output("Successfully installed six".into()));
    assert_eq!(m.output, vec!["Successfully installed six".to_owned()]);
    update(
        &mut m,
        Msg::Applied {
            item: ItemId::LocalTest,
            result: Ok("passed".into()),
        },
    );
    assert!(!m.view(ItemId::LocalTest).applying);
    assert_eq!(m.output.len(), 1, "the output stays after the run");
}

#[test]
fn scrolling_stays_within_the_screen_and_resets_on_a_new_item() {
    let mut m = model();
    m.size = (30, 8);
    update(&mut m, Msg::Checked(Box::new(missing_domain())));
    let max = crate::ui::max_scroll(&m);
    assert!(max > 0, "a 30x8 screen cannot show the domain screen whole");
    for _ in 0..50 {
        update(&mut m, key(KeyCode::PageDown));
    }
    assert_eq!(m.scroll, max);
    update(&mut m, key(KeyCode::PageUp));
    assert!(m.scroll < max);
    update(&mut m, Msg::Resize(200, 60));
    assert_eq!(m.scroll, 0, "everything fits: no scroll left");
    m.scroll = 3;
    update(&mut m, key(KeyCode::Down));
    assert_eq!(m.scroll, 0);
}

#[test]
fn the_mouse_selects_items_and_scrolls() {
    use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let mut m = model();
    let click = |column, row| {
        Msg::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    // Row 0 is the header, row 1 the sidebar's title: the items start on row 2.
    assert_eq!(
        update(&mut m, click(3, 4)),
        vec![Effect::SaveSelection(ItemId::Upstream)]
    );
    assert!(update(&mut m, click(60, 4)).is_empty(), "not the sidebar");
    assert!(update(&mut m, click(3, 20)).is_empty(), "below the items");
    assert_eq!(m.selected, ItemId::Upstream);

    // The wheel scrolls the item screen (on a terminal too small to show it whole).
    m.size = (30, 8);
    update(&mut m, Msg::Checked(Box::new(missing_domain())));
    update(&mut m, key(KeyCode::Up));
    update(&mut m, key(KeyCode::Up));
    let wheel = Msg::Mouse(MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: 20,
        row: 4,
        modifiers: KeyModifiers::NONE,
    });
    update(&mut m, wheel);
    assert!(m.scroll > 0, "the wheel scrolled");
}

#[test]
fn ctrl_c_quits_from_every_phase() {
    let (mut m, _) = Model::start(None, false, ItemId::Domain, (80, 24));
    update(&mut m, Msg::NeedSetup(Box::new(setup())));
    assert_eq!(update(&mut m, ctrl('c')), vec![Effect::Quit]);
    let mut m = model();
    update(&mut m, Msg::Checked(Box::new(missing_domain())));
    update(&mut m, key(KeyCode::Char('a')));
    assert_eq!(
        update(&mut m, ctrl('c')),
        vec![Effect::Quit],
        "even in a dialog"
    );
}
