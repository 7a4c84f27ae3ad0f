//! The check rows of an item's screen: Tab selects one (wrapping), Enter expands or folds it; a
//! failing row starts expanded, a table row (compact) folded.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::super::*;
use crate::checklist::rows::{Row, Verdict};
use crate::checklist::{ItemId, Report, Status};

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn with_rows() -> Model {
    let mut m = Model::new(Identity::default(), ItemId::Role);
    m.phase = Phase::Checklist;
    let mut r = Report::new(
        ItemId::Role,
        Status::Drift {
            summary: "x".into(),
            diff: vec![],
            findings: vec![],
        },
    );
    r.details.rows = vec![
        Row::new("a", "A", Verdict::Ok),
        Row::new("b", "B", Verdict::Fail),
        Row::new("c", "C", Verdict::Fail).compact(),
    ];
    update(&mut m, Msg::Checked(Box::new(r)));
    m
}

#[test]
fn failing_rows_start_expanded_and_table_rows_folded() {
    let m = with_rows();
    let v = m.view(ItemId::Role);
    assert_eq!(v.row_count(), 3);
    assert!(!v.expanded(0) && v.expanded(1) && !v.expanded(2));
}

#[test]
fn tab_selects_rows_wrapping_and_enter_flips_the_selected_one() {
    let mut m = with_rows();
    update(&mut m, key(KeyCode::Tab));
    assert_eq!(m.view(ItemId::Role).row_focus, Some(0));
    update(&mut m, key(KeyCode::Enter));
    assert!(m.view(ItemId::Role).expanded(0), "an ok row opens");
    update(&mut m, key(KeyCode::Tab));
    update(&mut m, key(KeyCode::Enter));
    assert!(!m.view(ItemId::Role).expanded(1), "a failing row folds");
    update(&mut m, key(KeyCode::Tab));
    update(&mut m, key(KeyCode::Tab));
    assert_eq!(m.view(ItemId::Role).row_focus, Some(0), "wraps around");
    update(&mut m, key(KeyCode::BackTab));
    assert_eq!(m.view(ItemId::Role).row_focus, Some(2));
}

#[test]
fn without_rows_tab_and_enter_do_nothing() {
    let mut m = Model::new(Identity::default(), ItemId::Domain);
    m.phase = Phase::Checklist;
    assert!(update(&mut m, key(KeyCode::Tab)).is_empty());
    assert!(update(&mut m, key(KeyCode::Enter)).is_empty());
    assert_eq!(m.view(ItemId::Domain).row_focus, None);
}
