use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::*;
use crate::app::{Identity, Model};
use crate::checklist::{Action, Report, Status};

fn model() -> Model {
    let mut m = Model::new(
        Identity {
            account: "123456789012".into(),
            region: "us-east-1".into(),
            sandbox: true,
            github: "octo-org/widgets".into(),
            ..Identity::default()
        },
        ItemId::Domain,
    );
    let mut domain = Report::new(
        ItemId::Domain,
        Status::Missing {
            summary: "no domain octo-org".into(),
        },
    );
    domain.actions.push(Action::CreateDomain {
        domain: "octo-org".into(),
    });
    domain.details.fact("owner", "123456789012");
    m.items.entry(ItemId::Domain).or_default().report = Some(domain);
    m.items.entry(ItemId::Role).or_default().checking_since = Some(0);
    m.push_log("started");
    m
}

fn draw(m: &Model, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal
        .draw(|f| render(f, m, &Theme { color: true }))
        .expect("draw");
    let buffer = terminal.backend().buffer().clone();
    buffer
        .content()
        .chunks(usize::from(width.max(1)))
        .map(|row| row.iter().map(|c| c.symbol()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_main_screen_shows_the_checklist_the_item_and_the_hints() {
    let screen = draw(&model(), 80, 24);
    assert!(screen.contains("SANDBOX"), "{screen}");
    assert!(screen.contains("✗ CodeArtifact domain"), "{screen}");
    assert!(screen.contains("missing"), "{screen}");
    assert!(
        screen.contains("create-domain --domain octo-org"),
        "{screen}"
    );
    assert!(screen.contains("apply/fix"), "{screen}");
    assert!(screen.contains("Log"), "{screen}");
}

#[test]
fn overlays_draw_on_top() {
    let mut m = model();
    m.overlay = crate::app::Overlay::Help;
    assert!(draw(&m, 80, 24).contains("re-check all"));
    let steps = m
        .view(ItemId::Domain)
        .report
        .as_ref()
        .map(|r| r.steps("us-east-1"))
        .unwrap_or_default();
    m.overlay = crate::app::Overlay::Confirm {
        item: ItemId::Domain,
        steps,
        run: crate::app::Run::Apply,
    };
    let screen = draw(&m, 80, 24);
    assert!(screen.contains("apply these changes?"), "{screen}");
    assert!(screen.contains("y / Enter"), "{screen}");
}

#[test]
fn no_size_panics() {
    let mut m = model();
    for overlay in [crate::app::Overlay::None, crate::app::Overlay::Help] {
        m.overlay = overlay;
        for width in [0, 1, 2, 5, 13, 40, 80, 200] {
            for height in [0, 1, 2, 3, 7, 12, 24, 60] {
                let _ = draw(&m, width, height);
            }
        }
    }
}

#[test]
fn no_color_still_marks_the_selection() {
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    let m = model();
    terminal
        .draw(|f| render(f, &m, &Theme { color: false }))
        .expect("draw");
    let buffer = terminal.backend().buffer();
    let colored = buffer
        .content()
        .iter()
        .filter(|c| c.fg != ratatui::style::Color::Reset || c.bg != ratatui::style::Color::Reset)
        .count();
    assert_eq!(colored, 0, "NO_COLOR: no colours at all");
}

#[test]
fn key_hints_fit_the_width_and_keep_help_and_quit() {
    let mut m = model();
    m.selected = ItemId::LocalTest;
    for width in [40, 80, 100] {
        let screen = draw(&m, width, 24);
        let footer = screen.lines().last().unwrap_or_default().to_owned();
        assert!(footer.contains("? "), "{width}: {footer}");
        assert!(footer.contains("q  quit"), "{width}: {footer}");
    }
    let footer = draw(&m, 100, 24)
        .lines()
        .last()
        .unwrap_or_default()
        .to_owned();
    assert!(footer.contains("run local test"), "{footer}");
}

#[test]
fn the_welcome_screen_and_the_form_fit_small_terminals() {
    use crate::app::form::{Form, FormMode, Input};
    let mut m = model();
    m.phase = crate::app::Phase::Welcome {
        reason: "no AWS credentials in the environment".into(),
    };
    let screen = draw(&m, 80, 24);
    assert!(screen.contains("no AWS credentials"), "{screen}");
    assert!(screen.contains("press s"), "{screen}");
    assert!(screen.contains("start the built-in sandbox"), "{screen}");

    let mut form = Form::new(
        crate::setup::Setup::for_github("octo-org", "widgets"),
        FormMode::Edit,
        Input::PolicyName,
    );
    form.on_key(crossterm::event::KeyEvent::from(
        crossterm::event::KeyCode::Char('x'),
    ));
    m.phase = crate::app::Phase::Form(Box::new(form));
    let screen = draw(&m, 80, 24);
    assert!(screen.contains("Edit the inputs"), "{screen}");
    assert!(screen.contains("IAM policy name"), "{screen}");
    // 40×12: the focused (last) field is scrolled into view.
    let small = draw(&m, 40, 12);
    assert!(small.contains("IAM policy name"), "{small}");
    assert!(small.contains("CodeArtifact-Publish-Policyx"), "{small}");
}

fn form_model(focus: crate::app::form::Input) -> Model {
    use crate::app::form::{Form, FormMode};
    let mut m = model();
    let form = Form::new(
        crate::setup::Setup::for_github("octo-org", "widgets"),
        FormMode::Edit,
        focus,
    );
    m.phase = crate::app::Phase::Form(Box::new(form));
    m
}

fn form_key(m: &mut Model, code: crossterm::event::KeyCode) {
    crate::app::update(
        m,
        crate::app::Msg::Key(crossterm::event::KeyEvent::from(code)),
    );
}

/// The screen and where the terminal's cursor is.
fn draw_with_cursor(m: &Model, width: u16, height: u16) -> (String, (u16, u16)) {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal
        .draw(|f| render(f, m, &Theme { color: true }))
        .expect("draw");
    let cursor = terminal.get_cursor_position().expect("cursor");
    (draw(m, width, height), (cursor.x, cursor.y))
}

#[test]
fn the_terminal_cursor_sits_at_the_cursor_of_the_focused_value() {
    use crossterm::event::KeyCode;
    let mut m = form_model(crate::app::form::Input::Domain);
    let (screen, cursor) = draw_with_cursor(&m, 80, 24);
    let row = screen.lines().position(|l| l.trim() == "octo-org");
    assert_eq!(
        cursor,
        (4 + 8, row.and_then(|r| u16::try_from(r).ok()).unwrap_or(0))
    );
    form_key(&mut m, KeyCode::Home);
    form_key(&mut m, KeyCode::Right);
    assert_eq!(draw_with_cursor(&m, 80, 24).1, (4 + 1, cursor.1));
}

#[test]
fn a_value_wider_than_its_field_scrolls_sideways_to_its_cursor() {
    use crossterm::event::KeyCode;
    let mut m = form_model(crate::app::form::Input::PolicyName);
    for c in "-for-the-octo-org-widgets-publish-job".chars() {
        form_key(&mut m, KeyCode::Char(c));
    }
    let value = "CodeArtifact-Publish-Policy-for-the-octo-org-widgets-publish-job";
    // 40 columns: 36 for the value, one of them kept for the cursor after the end.
    let (screen, (x, y)) = draw_with_cursor(&m, 40, 12);
    let line = screen.lines().nth(usize::from(y)).unwrap_or_default();
    let shown = &value[value.len() - 35..];
    assert_eq!(line, format!("    {shown} "), "{screen}");
    assert_eq!(x, 39, "after the last character");
    let next = screen.lines().nth(usize::from(y) + 1).unwrap_or_default();
    assert!(next.starts_with("    up to 128"), "not wrapped: {screen}");
    // Home: the start in view, the cursor on its first character.
    form_key(&mut m, KeyCode::Home);
    let (screen, (x, y)) = draw_with_cursor(&m, 40, 12);
    let line = screen.lines().nth(usize::from(y)).unwrap_or_default();
    assert_eq!(line, format!("    {}", &value[..36]), "{screen}");
    assert_eq!(x, 4);
    // At 80 columns the whole value fits.
    let (screen, _) = draw_with_cursor(&m, 80, 24);
    assert!(screen.contains(&format!("    {value}")), "{screen}");
}

/// Text as a hostile repository or API would give it: OSC title and clipboard writes, a CSI, a C1
/// CSI, a bidi override, a line break.
const HOSTILE: &str =
    "\x1b]0;pwned\x07 \x1b]52;c;Y3VybCBldmls\x07 \x1b[2J \u{9b}31m \u{202e}gnp.exe \nnext";

fn hostile_model() -> Model {
    use crate::checklist::rows::{Row, Verdict};
    let mut m = model();
    m.identity.profile = Some(format!("dev{HOSTILE}"));
    m.selected = ItemId::Variables;
    let mut report = Report::new(
        ItemId::Variables,
        Status::Drift {
            summary: format!("AWS_REGION differs: {HOSTILE}"),
            diff: vec![format!("- AWS_REGION = {HOSTILE}")],
            findings: Vec::new(),
        },
    );
    report.details.fact("AWS_REGION", HOSTILE);
    report.details.notes.push(format!("note {HOSTILE}"));
    report.details.rows = vec![
        Row::new(
            "variable-region",
            "AWS_REGION is the setup's region",
            Verdict::Fail,
        )
        .evidence(format!("GET …/actions/variables: AWS_REGION = {HOSTILE}"))
        .fix(format!("gh variable set AWS_REGION --body {HOSTILE}"), None),
    ];
    report.actions.push(Action::SetVariable {
        github: "octo-org/widgets".into(),
        name: "AWS_REGION".into(),
        value: HOSTILE.into(),
    });
    let view = m.items.entry(ItemId::Variables).or_default();
    view.report = Some(report);
    view.row_focus = Some(0);
    m.push_log(format!("GitHub said: {HOSTILE}"));
    m
}

/// Every cell whose symbol holds a control character or a bidi override.
fn unsafe_cells(m: &Model, width: u16, height: u16) -> Vec<(u16, u16, String)> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal
        .draw(|f| render(f, m, &Theme { color: true }))
        .expect("draw");
    let buffer = terminal.backend().buffer().clone();
    buffer
        .content()
        .iter()
        .enumerate()
        .filter(|(_, c)| c.symbol().chars().any(crate::escape::is_unsafe))
        .map(|(i, c)| {
            let i = u16::try_from(i).unwrap_or(u16::MAX);
            (i % width, i / width, c.symbol().escape_debug().to_string())
        })
        .collect()
}

#[test]
fn hostile_text_is_drawn_escaped_and_no_cell_holds_a_control_character() {
    let mut m = hostile_model();
    for (width, height) in [(80, 24), (200, 60), (40, 12)] {
        assert_eq!(unsafe_cells(&m, width, height), vec![], "{width}×{height}");
    }
    let screen = draw(&m, 200, 60);
    assert!(screen.contains("\\x1b]0;pwned\\x07"), "{screen}");
    assert!(screen.contains("\\u{202e}gnp.exe"), "{screen}");
    // The confirmation and the local test's output pane.
    let steps = m
        .view(ItemId::Variables)
        .report
        .as_ref()
        .map(|r| r.steps("us-east-1"))
        .unwrap_or_default();
    m.overlay = crate::app::Overlay::Confirm {
        item: ItemId::Variables,
        steps,
        run: crate::app::Run::Apply,
    };
    assert_eq!(unsafe_cells(&m, 120, 40), vec![], "confirm");
    m.overlay = crate::app::Overlay::None;
    m.selected = ItemId::LocalTest;
    m.output.push(format!("pip: {HOSTILE}"));
    assert_eq!(unsafe_cells(&m, 120, 40), vec![], "output");
    assert!(draw(&m, 120, 40).contains("pip: \\x1b]0;pwned"));
}

#[test]
fn the_local_test_screen_names_the_setups_clients() {
    let mut m = model();
    m.connection = crate::app::Connection::Connected;
    m.selected = ItemId::LocalTest;
    let mut setup = crate::setup::Setup::for_github("octo-org", "widgets");
    let screen = |m: &Model| draw(m, 100, 30);
    m.setup = Some(setup.clone());
    let classic = screen(&m);
    assert!(classic.contains("real pip (and twine"), "{classic}");
    assert!(classic.contains("with twine and installs it"), "{classic}");
    setup.formats = crate::format::parse_formats("pypi:uv,npm@octo-org", &[]).expect("formats");
    m.setup = Some(setup);
    let clients = screen(&m);
    assert!(clients.contains("real client (uv, npm)"), "{clients}");
    assert!(!clients.contains("twine"), "{clients}");
    m.selected = ItemId::Upstream;
    let upstream = screen(&m);
    assert!(upstream.contains("per format (pypi, npm)"), "{upstream}");
}
