//! The headless commands' only way to the terminal (`outln!`, `out!`, `errln!`, [`json`]): what
//! they print holds text cawiz did not write (variable values, workflow lines, API messages, run
//! logs, pip's output), so everything passes through [`crate::escape`] here, keeping the line
//! feeds a report needs and nothing else. `print!`/`println!`/`eprintln!` are denied in the library
//! (clippy's `print_stdout`/`print_stderr`), so no command prints around it. A closed pipe
//! (`cawiz status | head`) ends the output quietly instead of panicking.

use std::io::Write as _;

use crate::escape::{Keep, escape, json as escape_json};

/// Writes `text` to stdout, escaped.
pub fn out(text: &str) {
    let _ = std::io::stdout()
        .lock()
        .write_all(escape(text, Keep::Newlines).as_bytes());
}

/// Writes `text` to stderr, escaped.
pub fn err(text: &str) {
    let _ = std::io::stderr()
        .lock()
        .write_all(escape(text, Keep::Newlines).as_bytes());
}

/// Prints `value` as pretty JSON on stdout (DEL, C1 and bidi controls as `\uXXXX`; serde_json
/// already escapes the rest).
pub fn json(value: &serde_json::Value) {
    let text = serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".to_owned());
    let _ = writeln!(std::io::stdout().lock(), "{}", escape_json(&text));
}
