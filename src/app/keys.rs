//! The key tables: lists that the event handler, the footer hints and the help overlay all read.
//! The checklist's and the Doctor screen's keys are commands; the setup form takes text, so its
//! table only documents keys that `app::form` and tui-input handle.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Up,
    Down,
    /// Create or fix the selected item (asks first).
    Apply,
    /// Apply every pending item, in order (asks once, `x` cancels after the current step).
    ApplyAll,
    Recheck,
    RecheckAll,
    /// Copy the selected item's first planned command (OSC 52).
    Copy,
    Cancel,
    /// Open the setup form on the current inputs.
    Edit,
    /// Run the local test now (asks first), or with publish.
    RunTest,
    RunTestPublish,
    ScrollUp,
    ScrollDown,
    Help,
    Quit,
    Confirm,
    Dismiss,
    /// The next or previous check row of the item's screen.
    NextRow,
    PrevRow,
    /// On the welcome screen: start the built-in sandbox.
    StartSandbox,
    /// Open the Doctor screen (on the checklist), or go back to the checklist (on the doctor).
    Doctor,
    /// On the doctor: the next or previous symptom, or the one at an index (from 0).
    NextSymptom,
    PreviousSymptom,
    SymptomAt(u8),
    /// On the doctor: expand or collapse the selected cause's row.
    Expand,
    /// On the doctor: apply the selected cause's fix (asks first), or log it.
    Fix,
}

/// When a binding shows in the footer (all show in help).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hint {
    Always,
    Never,
    /// Only while the selected item's check runs.
    WhileChecking,
    /// Only on the local test screen.
    OnLocalTest,
    /// Only while some item is not done (and no `A` runs).
    WhilePending,
    /// Only while `A` runs.
    WhileApplyingAll,
}

/// One binding: the keys, the label in hints and help, the command.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub keys: &'static str,
    pub label: &'static str,
    pub command: Option<Command>,
    pub hint: Hint,
}

const fn bind(keys: &'static str, label: &'static str, command: Command, hint: Hint) -> Binding {
    Binding {
        keys,
        label,
        command: Some(command),
        hint,
    }
}

pub const BINDINGS: &[Binding] = &[
    bind("↑/k", "previous item", Command::Up, Hint::Never),
    bind("↓/j", "next item", Command::Down, Hint::Never),
    bind(
        "Tab/S-Tab",
        "select a check row",
        Command::NextRow,
        Hint::Never,
    ),
    bind(
        "Enter",
        "expand or fold the selected row",
        Command::Confirm,
        Hint::Never,
    ),
    bind("a", "apply/fix", Command::Apply, Hint::Always),
    bind("A", "apply all", Command::ApplyAll, Hint::WhilePending),
    bind(
        "x",
        "cancel after this step",
        Command::Cancel,
        Hint::WhileApplyingAll,
    ),
    bind("t", "run local test", Command::RunTest, Hint::OnLocalTest),
    bind(
        "p",
        "test + publish a probe",
        Command::RunTestPublish,
        Hint::OnLocalTest,
    ),
    bind("r", "re-check", Command::Recheck, Hint::Always),
    bind("R", "re-check all", Command::RecheckAll, Hint::Never),
    bind("x", "cancel check", Command::Cancel, Hint::WhileChecking),
    bind("d", "doctor", Command::Doctor, Hint::Always),
    bind("c", "copy command", Command::Copy, Hint::Always),
    bind("e", "edit inputs", Command::Edit, Hint::Always),
    bind(
        "PgUp/PgDn",
        "scroll the screen",
        Command::ScrollDown,
        Hint::Never,
    ),
    bind("?", "help", Command::Help, Hint::Always),
    bind("q", "quit", Command::Quit, Hint::Always),
];

pub const WELCOME_BINDINGS: &[Binding] = &[
    bind(
        "s",
        "start the built-in sandbox",
        Command::StartSandbox,
        Hint::Always,
    ),
    bind("r", "check again", Command::Recheck, Hint::Always),
    bind("q", "quit", Command::Quit, Hint::Always),
];

/// The Doctor screen's keys (the confirmation and help overlays on it take the checklist's).
pub const DOCTOR_BINDINGS: &[Binding] = &[
    bind("←/→", "symptom", Command::NextSymptom, Hint::Always),
    bind(
        "Tab/S-Tab",
        "next/previous symptom",
        Command::NextSymptom,
        Hint::Never,
    ),
    bind("1…5", "that symptom", Command::SymptomAt(0), Hint::Never),
    bind("↑/↓ k/j", "previous/next cause", Command::Down, Hint::Never),
    bind("Enter", "expand", Command::Expand, Hint::Always),
    bind("f", "fix", Command::Fix, Hint::Always),
    bind("r", "re-run", Command::Recheck, Hint::Always),
    bind("Esc/d", "back", Command::Doctor, Hint::Always),
    bind("?", "help", Command::Help, Hint::Always),
    bind("q", "quit", Command::Quit, Hint::Always),
];

const fn note(keys: &'static str, label: &'static str) -> Binding {
    Binding {
        keys,
        label,
        command: None,
        hint: Hint::Always,
    }
}

/// The form's keys: moving between fields and saving (`app::form`), then editing the focused
/// value (tui-input's keys). The footer shows those that fit, in this order; help lists them all.
pub const FORM_BINDINGS: &[Binding] = &[
    note("C-s", "save"),
    note("Esc", "cancel"),
    note("Tab/↓", "next"),
    note("S-Tab/↑", "previous"),
    note("Enter", "next, saves on the last"),
    note("C-u", "clear"),
    note("←/→", "move"),
    note("Home/C-a", "start"),
    note("End/C-e", "end"),
    note("C-←/C-→", "word left/right"),
    note("C-w/Alt-⌫", "delete a word"),
    note("C-k", "delete to the end"),
    note("C-y", "paste what C-u/C-w/C-k cut"),
];

/// The command a key press means on the checklist and the welcome screen.
pub fn command_for(key: KeyEvent) -> Option<Command> {
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return match key.code {
            KeyCode::Char('c') => Some(Command::Quit),
            KeyCode::Char('d') => Some(Command::ScrollDown),
            KeyCode::Char('u') => Some(Command::ScrollUp),
            _ => None,
        };
    }
    Some(match key.code {
        KeyCode::Up | KeyCode::Char('k') => Command::Up,
        KeyCode::Down | KeyCode::Char('j') => Command::Down,
        KeyCode::Char('a') => Command::Apply,
        KeyCode::Char('A') => Command::ApplyAll,
        KeyCode::Char('r') => Command::Recheck,
        KeyCode::Char('R') => Command::RecheckAll,
        KeyCode::Char('c') => Command::Copy,
        KeyCode::Char('x') => Command::Cancel,
        KeyCode::Char('e') => Command::Edit,
        KeyCode::Char('t') => Command::RunTest,
        KeyCode::Char('p') => Command::RunTestPublish,
        KeyCode::Char('s') => Command::StartSandbox,
        KeyCode::Char('d') => Command::Doctor,
        KeyCode::PageUp => Command::ScrollUp,
        KeyCode::PageDown => Command::ScrollDown,
        KeyCode::Char('?') => Command::Help,
        KeyCode::Char('q') => Command::Quit,
        KeyCode::Char('y') | KeyCode::Enter => Command::Confirm,
        KeyCode::Tab => Command::NextRow,
        KeyCode::BackTab => Command::PrevRow,
        KeyCode::Char('n') | KeyCode::Esc => Command::Dismiss,
        _ => return None,
    })
}

/// The command a key press means on the Doctor screen (no overlay open).
pub fn doctor_command_for(key: KeyEvent) -> Option<Command> {
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return match key.code {
            KeyCode::Char('c') => Some(Command::Quit),
            _ => None,
        };
    }
    Some(match key.code {
        KeyCode::Right | KeyCode::Tab => Command::NextSymptom,
        KeyCode::Left | KeyCode::BackTab => Command::PreviousSymptom,
        // 4 and 5: the optional symptoms (consumer-403, no-notification), when the setup has them.
        KeyCode::Char(c @ '1'..='5') => Command::SymptomAt(c as u8 - b'1'),
        KeyCode::Up | KeyCode::Char('k') => Command::Up,
        KeyCode::Down | KeyCode::Char('j') => Command::Down,
        KeyCode::Enter => Command::Expand,
        KeyCode::Char('f') => Command::Fix,
        KeyCode::Char('r') => Command::Recheck,
        KeyCode::Esc | KeyCode::Char('d') => Command::Doctor,
        KeyCode::Char('?') => Command::Help,
        KeyCode::Char('q') => Command::Quit,
        _ => return None,
    })
}
