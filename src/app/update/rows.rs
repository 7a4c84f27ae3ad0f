//! The check rows of an item's screen: Tab selects one (wrapping around), Enter expands or
//! folds it.

use crate::app::{Effect, Model};

/// Moves the row selection of the item's screen by `delta`, wrapping around.
pub(super) fn focus_row(model: &mut Model, delta: isize) -> Vec<Effect> {
    let view = model.items.entry(model.selected).or_default();
    let count = view.row_count();
    if count == 0 {
        return Vec::new();
    }
    let next = match view.row_focus {
        None if delta > 0 => 0,
        None => count - 1,
        Some(i) => (i.min(count - 1) as isize + delta).rem_euclid(count as isize) as usize,
    };
    view.row_focus = Some(next);
    Vec::new()
}

/// Enter on the checklist: expands or folds the selected row.
pub(super) fn toggle_row(model: &mut Model) -> Vec<Effect> {
    let view = model.items.entry(model.selected).or_default();
    if let Some(i) = view.row_focus.filter(|i| *i < view.row_count())
        && !view.toggled.remove(&i)
    {
        view.toggled.insert(i);
    }
    Vec::new()
}
