//! The key table: one list that the event handler and the footer hints both read.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Up,
    Down,
    /// Create or fix the selected item (asks first).
    Apply,
    Recheck,
    RecheckAll,
    /// Copy the selected item's first planned command (OSC 52).
    Copy,
    Cancel,
    Help,
    Quit,
    Confirm,
    Dismiss,
}

/// One binding: the keys, the label in hints and help, the command.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub keys: &'static str,
    pub label: &'static str,
    pub command: Command,
    /// Shown in the footer (the others only in help).
    pub hint: bool,
}

pub const BINDINGS: &[Binding] = &[
    Binding {
        keys: "↑/k",
        label: "previous item",
        command: Command::Up,
        hint: false,
    },
    Binding {
        keys: "↓/j",
        label: "next item",
        command: Command::Down,
        hint: false,
    },
    Binding {
        keys: "a",
        label: "apply/fix",
        command: Command::Apply,
        hint: true,
    },
    Binding {
        keys: "r",
        label: "re-check",
        command: Command::Recheck,
        hint: true,
    },
    Binding {
        keys: "R",
        label: "re-check all",
        command: Command::RecheckAll,
        hint: true,
    },
    Binding {
        keys: "c",
        label: "copy command",
        command: Command::Copy,
        hint: true,
    },
    Binding {
        keys: "x",
        label: "cancel check",
        command: Command::Cancel,
        hint: false,
    },
    Binding {
        keys: "?",
        label: "help",
        command: Command::Help,
        hint: true,
    },
    Binding {
        keys: "q",
        label: "quit",
        command: Command::Quit,
        hint: true,
    },
];

/// The command a key press means on the main screen.
pub fn command_for(key: KeyEvent) -> Option<Command> {
    if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
        return Some(Command::Quit);
    }
    Some(match key.code {
        KeyCode::Up | KeyCode::Char('k') => Command::Up,
        KeyCode::Down | KeyCode::Char('j') => Command::Down,
        KeyCode::Char('a') => Command::Apply,
        KeyCode::Char('r') => Command::Recheck,
        KeyCode::Char('R') => Command::RecheckAll,
        KeyCode::Char('c') => Command::Copy,
        KeyCode::Char('x') => Command::Cancel,
        KeyCode::Char('?') => Command::Help,
        KeyCode::Char('q') => Command::Quit,
        KeyCode::Char('y') | KeyCode::Enter => Command::Confirm,
        KeyCode::Char('n') | KeyCode::Esc => Command::Dismiss,
        _ => return None,
    })
}
