//! Rendering (TESTING.md layer 7): insta snapshots of every item screen on a `TestBackend`, at 80×24
//! and at a tiny 40×12, plus the help and confirmation overlays.
//!
//! The reports are real: each scenario runs in the in-process sandbox and `check_all` checks it;
//! the model gets them through `update(Msg::Checked)`, as the runner delivers them. Account ids,
//! ARNs' account part, times, durations, generated ids and loopback ports are redacted. No `Tick`
//! is sent, so spinners and elapsed times cannot move between runs.
//!
//! Matrix: each item at 80×24 and at 40×12 on `empty` (missing and blocked), `guide` (done,
//! missing, drift), `complete` (done) and `error` (`complete` with every item's first read denied:
//! each item an error); help and confirm at both sizes; the Workflow screen on a broken workflow
//! in a working tree (findings, marked lines, the diff, the confirmation); and the screens around
//! the checklist: the start, the welcome screen, the setup form (first run, with a rule broken),
//! AWS unreachable, and the local test's output pane while it runs and after; the Doctor screen
//! (running, a diagnosis, a cause expanded, its fix's confirmation, its help); `A`'s combined
//! confirmation and its progress.

#[path = "ui_snapshots/apply_all.rs"]
mod apply_all;
#[path = "ui_snapshots/around.rs"]
mod around;
#[path = "ui_snapshots/consumers.rs"]
mod consumers;
#[path = "ui_snapshots/doctor.rs"]
mod doctor;
#[path = "ui_snapshots/notifications.rs"]
mod notifications;
#[path = "ui_snapshots/redact.rs"]
mod redact;
#[path = "ui_fixture/mod.rs"]
mod ui_fixture;
#[path = "ui_snapshots/workflow.rs"]
mod workflow;

use cawiz::app::{Identity, Model, Msg, Overlay, update};
use cawiz::checklist::{self, ItemId, Report};
use cawiz::format::{Client, Format};
use cawiz::setup::Setup;
use cawiz::state::{FormatTestResult, LocalTestRecord, LocalTestStep};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// 2026-01-01 12:00 UTC: when the `complete` scenario's local test "passed" (redacted anyway).
const LOCAL_TEST_AT: u64 = 1_767_268_800;

/// What the runner would have after connecting and checking everything.
struct Fixture {
    identity: Identity,
    reports: Vec<Report>,
}

/// The sandbox scenarios the snapshots are taken on.
#[derive(Debug, Clone, Copy)]
enum Case {
    Empty,
    Guide,
    Complete,
    /// `complete` with every item's first read denied: each item (but the local test, which reads
    /// the state) is an error.
    Error,
}

impl Case {
    fn name(self) -> &'static str {
        match self {
            Case::Empty => "empty",
            Case::Guide => "guide",
            Case::Complete => "complete",
            Case::Error => "error",
        }
    }

    fn scenario(self) -> &'static str {
        match self {
            Case::Empty => "empty",
            Case::Guide => "guide",
            Case::Complete | Case::Error => "complete",
        }
    }

    fn setup(self) -> Setup {
        match self {
            Case::Guide => Setup::for_github("acme-geo", "earth-polychromatic-api"),
            _ => Setup::for_github("octo-org", "widgets"),
        }
    }

    fn faults(self) -> &'static [&'static str] {
        match self {
            Case::Error => &[
                "DescribeDomain=AccessDeniedException",
                "DescribeRepository=AccessDeniedException",
                "GetOpenIDConnectProvider=AccessDeniedException",
                "GetRole=AccessDeniedException",
                "GitHub:GetVariable=403",
            ],
            _ => &[],
        }
    }

    /// `complete` has passed its local test (as the state file would record it), so that the
    /// local test is done there too.
    fn local_test(self, setup: &Setup) -> Option<LocalTestRecord> {
        matches!(self, Case::Complete).then(|| {
            LocalTestRecord::new(
                LOCAL_TEST_AT,
                format!("{}/{}", setup.domain, setup.repository),
                Vec::new(),
                vec![FormatTestResult {
                    format: Format::Pypi,
                    client: Client::Twine,
                    steps: vec![LocalTestStep {
                        name: "pip download".to_owned(),
                        ok: true,
                        detail: format!(
                            "six-1.17.0-py2.py3-none-any.whl through {}/{} in 1.4s",
                            setup.domain, setup.repository
                        ),
                    }],
                    unknown: None,
                }],
            )
        })
    }
}

/// Starts the case's sandbox, connects as the TUI does and checks every item.
async fn fixture(case: Case) -> Fixture {
    let setup = case.setup();
    let (sb, ctx) = ui_fixture::connected(
        case.scenario(),
        case.faults(),
        setup.clone(),
        case.local_test(&setup),
    )
    .await;
    let mut reports = checklist::check_all(&ctx).await;
    for report in &mut reports {
        redact::scrub_url(report, sb.url());
    }
    Fixture {
        identity: fixture_identity(&ctx, &setup),
        reports,
    }
}

/// The identity the TUI shows after connecting `ctx` for `setup`.
fn fixture_identity(ctx: &checklist::Context, setup: &Setup) -> Identity {
    Identity {
        account: ctx.account.clone(),
        arn: ctx.caller_arn.clone(),
        region: setup.region.clone(),
        profile: setup.profile.clone(),
        sandbox: true,
        github: format!("{}/{}", setup.github_owner, setup.github_repo),
    }
}

/// The model after every report arrived, with `selected` selected.
fn model(fixture: &Fixture, selected: ItemId) -> Model {
    let mut model = Model::new(fixture.identity.clone(), selected);
    for report in &fixture.reports {
        update(&mut model, Msg::Checked(Box::new(report.clone())));
    }
    model
}

fn press(model: &mut Model, c: char) {
    update(
        model,
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
    );
}

/// The screen as text (one quoted row per line, as `TestBackend` shows it), redacted.
fn draw(model: &Model, (width, height): (u16, u16)) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal
        .draw(|frame| cawiz::ui::render(frame, model, &cawiz::ui::Theme::plain()))
        .expect("draw");
    redact::redact(&terminal.backend().to_string())
}

const NORMAL: (u16, u16) = (80, 24);
const TINY: (u16, u16) = (40, 12);

fn size_name((width, height): (u16, u16)) -> String {
    format!("{width}x{height}")
}

/// Snapshots `screen` as `name`, with a description saying what it shows.
fn snapshot(name: &str, description: &str, screen: &str) {
    insta::with_settings!({
        description => description,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name, screen);
    });
}

/// The item's status word as the screen shows it (after blocking is resolved).
fn status_kind(model: &Model, item: ItemId) -> &'static str {
    model
        .statuses()
        .get(&item)
        .and_then(Option::as_ref)
        .map_or("not checked", |s| s.kind())
}

/// One item screen: the snapshot, and that the status is there in words.
fn item_screen(case: Case, fixture: &Fixture, item: ItemId, size: (u16, u16)) {
    let model = model(fixture, item);
    let kind = status_kind(&model, item);
    let screen = draw(&model, size);
    if size == NORMAL {
        assert!(
            screen.contains(kind),
            "{} at {}: the status ({kind}) is not on screen:\n{screen}",
            case.name(),
            size_name(size)
        );
    }
    snapshot(
        &format!("{}_{}_{}", case.name(), item.key(), size_name(size)),
        &format!(
            "{} scenario, {} selected ({kind}), {}",
            case.name(),
            item.title(),
            size_name(size)
        ),
        &screen,
    );
}

fn every_item(case: Case, fixture: &Fixture) {
    for size in [NORMAL, TINY] {
        for item in ItemId::ALL {
            item_screen(case, fixture, item, size);
        }
    }
}

/// `a` on `item`: the confirmation overlay with the item's plan.
fn confirm(case: Case, fixture: &Fixture, item: ItemId, size: (u16, u16)) {
    let mut model = model(fixture, item);
    press(&mut model, 'a');
    assert!(
        matches!(model.overlay, Overlay::Confirm { item: i, .. } if i == item),
        "a on {item:?} asks first: {:?}",
        model.overlay
    );
    let screen = draw(&model, size);
    snapshot(
        &format!("{}_{}_confirm_{}", case.name(), item.key(), size_name(size)),
        &format!(
            "{} scenario, a pressed on {}: the confirmation, {}",
            case.name(),
            item.title(),
            size_name(size)
        ),
        &screen,
    );
}

fn help(case: Case, fixture: &Fixture, size: (u16, u16)) {
    let mut model = model(fixture, ItemId::Domain);
    press(&mut model, '?');
    assert_eq!(model.overlay, Overlay::Help);
    let screen = draw(&model, size);
    snapshot(
        &format!("{}_help_{}", case.name(), size_name(size)),
        &format!(
            "{} scenario, ? pressed: the keys, {}",
            case.name(),
            size_name(size)
        ),
        &screen,
    );
}

#[tokio::test]
async fn empty_screens() {
    let case = Case::Empty;
    let fixture = fixture(case).await;
    every_item(case, &fixture);
}

#[tokio::test]
async fn guide_screens() {
    let case = Case::Guide;
    let fixture = fixture(case).await;
    every_item(case, &fixture);
    // A short plan (three CLI commands) and a long one (policy documents inline).
    confirm(case, &fixture, ItemId::Upstream, NORMAL);
    confirm(case, &fixture, ItemId::Role, NORMAL);
    confirm(case, &fixture, ItemId::Upstream, TINY);
}

#[tokio::test]
async fn complete_screens() {
    let case = Case::Complete;
    let fixture = fixture(case).await;
    every_item(case, &fixture);
    help(case, &fixture, NORMAL);
    help(case, &fixture, TINY);
}

#[tokio::test]
async fn error_screens() {
    let case = Case::Error;
    let fixture = fixture(case).await;
    // The local test reads the state; the workflow falls back to the setup's facts when the role
    // and the variables cannot be read, and waits for the variables; the pipeline run (GitHub
    // only) waits for the workflow.
    for item in ItemId::ALL.into_iter().filter(|i| {
        !matches!(
            i,
            ItemId::LocalTest | ItemId::Workflow | ItemId::PipelineRun
        )
    }) {
        let model = model(&fixture, item);
        assert_eq!(status_kind(&model, item), "error", "{item:?}");
    }
    assert_eq!(
        status_kind(&model(&fixture, ItemId::Workflow), ItemId::Workflow),
        "blocked"
    );
    assert_eq!(
        status_kind(&model(&fixture, ItemId::PipelineRun), ItemId::PipelineRun),
        "blocked"
    );
    every_item(case, &fixture);
}
