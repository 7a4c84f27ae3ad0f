//! `update()` on the Doctor screen: opening it runs the doctor, its keys choose a symptom and a
//! cause and expand rows, `f` asks to apply the cause's item (or logs the fix), the doctor runs
//! again once that apply finishes, `r` re-runs, Esc and `d` go back.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{key, model};
use crate::app::*;
use crate::checklist::{Action, ItemId, Report, Status};
use crate::doctor::{CauseReport, Diagnosis, Symptom, SymptomReport, Verdict, cause_of};

fn cause(id: &str, verdict: Verdict, fix_item: Option<ItemId>) -> CauseReport {
    let mut c = CauseReport::new(
        cause_of(id).expect("a cause id of the SPEC"),
        verdict,
        vec![format!("evidence of {id}")],
    );
    c.fix_item = fix_item;
    c
}

/// OIDC: one failing cause cawiz cannot fix, one ok; 403: all ok; not found: the upstream
/// missing (the upstream item fixes it), one unknown, one skipped.
fn diagnosis(upstream: Verdict) -> Diagnosis {
    let symptoms = vec![
        SymptomReport::ranked(
            Symptom::Oidc,
            vec![
                cause("provider-missing", Verdict::Ok, Some(ItemId::OidcProvider)),
                cause("id-token-permission", Verdict::Fail, None),
            ],
        ),
        SymptomReport::ranked(
            Symptom::Publish403,
            vec![cause("policy-missing", Verdict::Ok, Some(ItemId::Role))],
        ),
        SymptomReport::ranked(
            Symptom::NotFound,
            vec![
                cause("upstream-missing", upstream, Some(ItemId::Upstream)),
                cause(
                    "token-expired",
                    Verdict::Unknown("pip is not installed".into()),
                    None,
                ),
                cause(
                    "upstream-not-linked",
                    Verdict::Skip("no repository".into()),
                    Some(ItemId::Upstream),
                ),
            ],
        ),
    ];
    Diagnosis {
        package: "widgets".into(),
        version: None,
        symptoms,
        notes: Vec::new(),
        listings: Vec::new(),
    }
}

fn diagnosed(verdict: Verdict) -> Msg {
    Msg::Diagnosed(Ok(Box::new(diagnosis(verdict))))
}

fn missing_upstream() -> Report {
    let mut r = Report::new(
        ItemId::Upstream,
        Status::Missing {
            summary: "no upstream".into(),
        },
    );
    r.actions.push(Action::CreateRepository {
        domain: "octo-org".into(),
        owner: "123456789012".into(),
        repository: "pypi-store".into(),
        description: "PyPI".into(),
    });
    r
}

/// On the doctor with a diagnosis (the upstream missing).
fn on_doctor() -> Model {
    let mut m = model();
    update(&mut m, key(KeyCode::Char('d')));
    update(&mut m, diagnosed(Verdict::Fail));
    m
}

fn selected_id(m: &Model) -> Option<&'static str> {
    m.doctor.selected_cause().map(|c| c.cause.id)
}

#[test]
fn d_opens_the_doctor_and_runs_it_once() {
    let mut m = model();
    assert_eq!(
        update(&mut m, key(KeyCode::Char('d'))),
        vec![Effect::Diagnose]
    );
    assert_eq!(m.phase, Phase::Doctor);
    assert!(m.doctor.running() && m.busy(), "the spinner runs");
    assert!(
        update(&mut m, key(KeyCode::Char('r'))).is_empty(),
        "not twice at once"
    );
    assert!(update(&mut m, diagnosed(Verdict::Fail)).is_empty());
    assert!(!m.doctor.running());
    assert_eq!(
        m.doctor.symptom_report().map(|s| s.symptom),
        Some(Symptom::Oidc)
    );
    assert_eq!(
        selected_id(&m),
        Some("id-token-permission"),
        "failing first"
    );
    assert!(m.log.iter().any(|l| l.contains("2 failing")), "{:?}", m.log);
}

#[test]
fn without_a_connection_the_doctor_opens_and_waits() {
    let (mut m, _) = Model::start(
        Some(crate::setup::Setup::for_github("octo-org", "widgets")),
        false,
        ItemId::Domain,
        (80, 24),
    );
    assert!(update(&mut m, key(KeyCode::Char('d'))).is_empty());
    assert_eq!(m.phase, Phase::Doctor);
    let effects = update(
        &mut m,
        Msg::Connected(Ok(("123456789012".into(), "arn".into()))),
    );
    assert!(effects.contains(&Effect::Diagnose), "{effects:?}");
}

#[test]
fn symptoms_by_arrows_tab_and_digits_causes_by_arrows() {
    let mut m = on_doctor();
    for (code, symptom) in [
        (KeyCode::Right, 1),
        (KeyCode::Tab, 2),
        (KeyCode::Tab, 0),
        (KeyCode::BackTab, 2),
        (KeyCode::Left, 1),
        (KeyCode::Char('3'), 2),
        (KeyCode::Char('1'), 0),
    ] {
        update(&mut m, key(code));
        assert_eq!(m.doctor.symptom, symptom, "{code:?}");
    }
    update(&mut m, key(KeyCode::Char('3')));
    assert_eq!(selected_id(&m), Some("upstream-missing"));
    update(&mut m, key(KeyCode::Down));
    update(&mut m, key(KeyCode::Char('j')));
    update(&mut m, key(KeyCode::Char('j')));
    assert_eq!(
        selected_id(&m),
        Some("upstream-not-linked"),
        "stops at the end"
    );
    update(&mut m, key(KeyCode::Char('k')));
    assert_eq!(selected_id(&m), Some("token-expired"));
    update(&mut m, key(KeyCode::Tab));
    assert_eq!(
        m.doctor.cause, 0,
        "another symptom starts at its first cause"
    );
}

#[test]
fn enter_expands_and_collapses_the_selected_row() {
    let mut m = on_doctor();
    assert!(update(&mut m, key(KeyCode::Enter)).is_empty());
    assert!(m.doctor.expanded.contains("id-token-permission"));
    assert_eq!(m.overlay, Overlay::None, "Enter is not a confirmation here");
    update(&mut m, key(KeyCode::Enter));
    assert!(m.doctor.expanded.is_empty());
}

#[test]
fn f_asks_to_apply_the_causes_item_then_reruns_after_the_apply() {
    let mut m = on_doctor();
    update(&mut m, Msg::Checked(Box::new(missing_upstream())));
    update(&mut m, key(KeyCode::Char('3')));
    assert!(update(&mut m, key(KeyCode::Char('f'))).is_empty());
    assert!(
        matches!(&m.overlay, Overlay::Confirm { item: ItemId::Upstream, steps, run: Run::Apply } if steps.len() == 1),
        "{:?}",
        m.overlay
    );
    assert_eq!(
        update(&mut m, key(KeyCode::Char('y'))),
        vec![Effect::Apply(ItemId::Upstream)]
    );
    assert_eq!(m.phase, Phase::Doctor, "still on the doctor");
    assert_eq!(m.doctor.fixing, Some(ItemId::Upstream));
    let effects = update(
        &mut m,
        Msg::Applied {
            item: ItemId::Upstream,
            result: Ok("applied".into()),
        },
    );
    assert!(effects.contains(&Effect::Diagnose), "{effects:?}");
    assert!(effects.contains(&Effect::Check(ItemId::Upstream)));
    assert_eq!(m.doctor.fixing, None);
    // The fixed cause stays selected, now ok and ranked lower.
    update(&mut m, diagnosed(Verdict::Ok));
    assert_eq!(selected_id(&m), Some("upstream-missing"));
    assert_eq!(
        m.doctor.selected_cause().map(|c| c.verdict.clone()),
        Some(Verdict::Ok)
    );
}

#[test]
fn f_cancelled_applies_nothing_and_does_not_rerun() {
    let mut m = on_doctor();
    update(&mut m, Msg::Checked(Box::new(missing_upstream())));
    update(&mut m, key(KeyCode::Char('3')));
    update(&mut m, key(KeyCode::Char('f')));
    assert!(update(&mut m, key(KeyCode::Esc)).is_empty());
    assert_eq!(m.overlay, Overlay::None);
    assert_eq!(m.phase, Phase::Doctor, "Esc closed the overlay only");
    assert_eq!(m.doctor.fixing, None);
}

#[test]
fn f_logs_the_fix_when_cawiz_cannot_apply_it_or_nothing_fails() {
    let mut m = on_doctor();
    assert!(update(&mut m, key(KeyCode::Char('f'))).is_empty());
    assert_eq!(m.overlay, Overlay::None);
    let last = m.log.last().cloned().unwrap_or_default();
    assert!(
        last.starts_with("id-token-permission: cawiz cannot fix this; fix: "),
        "{last}"
    );
    update(&mut m, key(KeyCode::Char('2')));
    update(&mut m, key(KeyCode::Char('f')));
    assert_eq!(m.overlay, Overlay::None);
    assert!(
        m.log
            .last()
            .is_some_and(|l| l.contains("ok, nothing to fix"))
    );
}

#[test]
fn f_on_an_item_not_checked_yet_says_there_is_nothing_to_do() {
    let mut m = on_doctor();
    update(&mut m, key(KeyCode::Char('3')));
    assert!(update(&mut m, key(KeyCode::Char('f'))).is_empty());
    assert_eq!(m.overlay, Overlay::None);
    assert!(m.log.last().is_some_and(|l| l.contains("nothing to do")));
}

#[test]
fn r_reruns_keeping_the_last_diagnosis_until_the_new_one() {
    let mut m = on_doctor();
    assert_eq!(
        update(&mut m, key(KeyCode::Char('r'))),
        vec![Effect::Diagnose]
    );
    assert!(m.doctor.running());
    assert!(m.doctor.diagnosis.is_some(), "kept while it runs");
    update(
        &mut m,
        Msg::Diagnosed(Err("the doctor crashed: boom".into())),
    );
    assert!(!m.doctor.running());
    assert!(m.doctor.diagnosis.is_some());
    assert_eq!(m.doctor.error.as_deref(), Some("the doctor crashed: boom"));
    assert!(m.log.last().is_some_and(|l| l.contains("could not run")));
}

#[test]
fn r_reconnects_when_aws_was_unreachable() {
    let mut m = on_doctor();
    m.connection = Connection::Idle;
    assert_eq!(
        update(&mut m, key(KeyCode::Char('r'))),
        vec![Effect::Connect]
    );
    assert_eq!(m.connection, Connection::Connecting);
}

#[test]
fn esc_and_d_go_back_help_opens_and_q_quits() {
    let mut m = on_doctor();
    update(&mut m, key(KeyCode::Esc));
    assert_eq!(m.phase, Phase::Checklist);
    update(&mut m, key(KeyCode::Char('d')));
    assert_eq!(m.phase, Phase::Doctor);
    assert!(m.doctor.diagnosis.is_some(), "the last diagnosis is kept");
    update(&mut m, key(KeyCode::Char('d')));
    assert_eq!(m.phase, Phase::Checklist);
    update(&mut m, key(KeyCode::Char('d')));
    update(&mut m, key(KeyCode::Char('?')));
    assert_eq!(m.overlay, Overlay::Help);
    update(&mut m, key(KeyCode::Esc));
    assert_eq!(
        (m.overlay.clone(), m.phase.clone()),
        (Overlay::None, Phase::Doctor)
    );
    assert_eq!(update(&mut m, key(KeyCode::Char('q'))), vec![Effect::Quit]);
    assert!(m.quit);
}

#[test]
fn ctrl_d_and_the_mouse_do_nothing_on_the_doctor() {
    let mut m = on_doctor();
    let before = m.clone();
    update(
        &mut m,
        Msg::Key(KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL)),
    );
    update(
        &mut m,
        Msg::Mouse(crossterm::event::MouseEvent {
            kind: crossterm::event::MouseEventKind::Down(crossterm::event::MouseButton::Left),
            column: 2,
            row: 3,
            modifiers: KeyModifiers::NONE,
        }),
    );
    assert_eq!(m, before);
}

#[test]
fn saving_the_setup_forgets_the_diagnosis() {
    let mut m = on_doctor();
    m.setup = Some(crate::setup::Setup::for_github("octo-org", "widgets"));
    update(&mut m, key(KeyCode::Esc));
    update(&mut m, key(KeyCode::Char('e')));
    let effects = update(
        &mut m,
        Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
    );
    assert!(
        matches!(effects.as_slice(), [Effect::SaveSetup(_)]),
        "{effects:?}"
    );
    assert_eq!(m.doctor, DoctorView::default());
}

#[test]
fn consumer_403_is_a_fourth_symptom_when_the_diagnosis_has_it() {
    let report = |symptom| SymptomReport {
        symptom,
        causes: Vec::new(),
    };
    let mut view = DoctorView {
        diagnosis: Some(Diagnosis {
            package: "widgets".into(),
            version: None,
            symptoms: Symptom::EVERY
                .into_iter()
                .filter(|s| *s != Symptom::NoNotification)
                .map(report)
                .collect(),
            notes: Vec::new(),
            listings: Vec::new(),
        }),
        ..DoctorView::default()
    };
    assert_eq!(view.symptoms().len(), 4);
    view.select_symptom(4);
    assert_eq!(view.symptom, 0, "no fifth symptom: the digit does nothing");
    view.cycle_symptom(-1);
    assert_eq!(
        view.symptom_report().map(|s| s.symptom),
        Some(Symptom::Consumer403)
    );
    // Without it (no consumers), three, and the previous of the first is the third.
    let mut view = DoctorView::default();
    assert_eq!(view.symptoms(), Symptom::ALL.to_vec());
    view.cycle_symptom(-1);
    assert_eq!(view.symptom, 2);
}

#[test]
fn digits_four_and_five_reach_the_optional_symptoms() {
    let mut m = on_doctor();
    if let Some(d) = m.doctor.diagnosis.as_mut() {
        d.symptoms = Symptom::EVERY
            .into_iter()
            .map(|symptom| SymptomReport {
                symptom,
                causes: Vec::new(),
            })
            .collect();
    }
    update(&mut m, key(KeyCode::Char('5')));
    assert_eq!(
        m.doctor.symptom_report().map(|s| s.symptom),
        Some(Symptom::NoNotification)
    );
    update(&mut m, key(KeyCode::Char('4')));
    assert_eq!(
        m.doctor.symptom_report().map(|s| s.symptom),
        Some(Symptom::Consumer403)
    );
}
