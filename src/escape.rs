//! Text made safe for a terminal, a shell comment, a JSON document or a TUI cell: the one place that
//! decides which characters never reach them raw, and how they are shown instead.
//!
//! cawiz prints and draws text it did not write: workflow files and their names, GitHub variable
//! values, API and AWS error messages, run logs, child-process output. An ESC there starts a
//! terminal sequence (a title change, an OSC 52 clipboard write, a hidden line); a newline in a file
//! name ends a `# …` comment of `plan --format sh` and starts a command; a bidi override reorders
//! what a reviewer reads (Trojan Source). So every byte of output passes through [`escape`] at the
//! **sink** — the CLI's printer (`commands::print`), the TUI's widgets (`ui::safe`), a shell
//! comment, a JSON document — and not where the text enters the model. The model keeps facts as
//! they are: a variable value is compared with what it should be, a workflow is parsed as written,
//! a path is written to; escaping there would make facts wrong (an escaped value compares unequal,
//! a path names another file) and would still leave every later sink to remember it. At the sink
//! the output's own needs are known (a report keeps its newlines, a cell or a comment keeps none),
//! and cawiz's own text, which holds none of these characters, passes unchanged.

use std::borrow::Cow;

/// What a sink keeps as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// Nothing: one line (a TUI cell, a shell comment, a path in a sentence).
    Nothing,
    /// Line feeds: multi-line text for a terminal (a report, a diff).
    Newlines,
}

/// Characters that never reach a sink raw: C0 controls (ESC, BEL, CR, backspace, …), DEL, C1
/// controls (0x80–0x9F: a one-character CSI or OSC for some terminals), and the Unicode bidi
/// controls that reorder what is displayed (U+061C, U+200E/F, U+202A–E, U+2066–9).
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// `\n`, `\t`, `\r`; `\x1b` up to 0xFF; `\u{202e}` above.
fn visible(c: char, out: &mut String) {
    match c {
        '\n' => out.push_str("\\n"),
        '\t' => out.push_str("\\t"),
        '\r' => out.push_str("\\r"),
        c if u32::from(c) <= 0xFF => out.push_str(&format!("\\x{:02x}", u32::from(c))),
        c => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
    }
}

/// `\u001b`: the JSON escape of a character (every unsafe one is in the Basic Multilingual Plane).
fn json_escape(c: char, out: &mut String) {
    out.push_str(&format!("\\u{:04x}", u32::from(c)));
}

/// `text` with each unsafe character replaced by `write`'s form of it, except those `keep`s.
fn replace(text: &str, keep: impl Fn(char) -> bool, write: fn(char, &mut String)) -> Cow<'_, str> {
    let unsafe_here = |c: char| is_unsafe(c) && !keep(c);
    if !text.chars().any(unsafe_here) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_here(c) {
            write(c, &mut out);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` with every unsafe character shown as its escape (`\x1b]0;t\x07`, `\u{202e}`), except
/// line feeds when `keep` says so.
pub fn escape(text: &str, keep: Keep) -> Cow<'_, str> {
    replace(text, |c| keep == Keep::Newlines && c == '\n', visible)
}

/// One line: [`escape`] keeping nothing.
pub fn line(text: &str) -> Cow<'_, str> {
    escape(text, Keep::Nothing)
}

/// A serialised JSON document with the unsafe characters serde_json leaves raw (DEL, C1, bidi) as
/// `\uXXXX`. serde_json already escapes C0 inside strings and never writes one outside them, so
/// every character replaced is inside a string and the document means the same.
pub fn json(document: &str) -> Cow<'_, str> {
    replace(document, |c| c == '\n', json_escape)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_sequences_are_shown_not_sent() {
        assert_eq!(line("\x1b]0;pwned\x07"), "\\x1b]0;pwned\\x07");
        assert_eq!(
            line("\x1b]52;c;Y3VybCBldmls\x07"),
            "\\x1b]52;c;Y3VybCBldmls\\x07"
        );
        assert_eq!(line("a\u{9b}31mb\u{7f}"), "a\\x9b31mb\\x7f");
        assert_eq!(line("x\ntouch PWNED\r\t"), "x\\ntouch PWNED\\r\\t");
        assert_eq!(line("abc\u{202e}fed\u{2066}"), "abc\\u{202e}fed\\u{2066}");
    }

    #[test]
    fn newlines_are_kept_only_when_asked() {
        assert_eq!(escape("a\nb\x1b", Keep::Newlines), "a\nb\\x1b");
        assert_eq!(escape("a\nb", Keep::Nothing), "a\\nb");
    }

    #[test]
    fn clean_text_is_borrowed_unchanged() {
        for clean in ["", "✓ Domain · ✗ — …", "C:\\path", "naïve 日本 😀"] {
            assert!(
                matches!(line(clean), Cow::Borrowed(t) if t == clean),
                "{clean}"
            );
        }
        assert!(!line("x\x1by").chars().any(is_unsafe));
    }

    #[test]
    fn json_stays_json_with_the_same_meaning() {
        let value = serde_json::json!({"v": "\x1b]0;t\x07 \u{7f}\u{85}\u{202e}"});
        let text = serde_json::to_string_pretty(&value).unwrap();
        let safe = json(&text);
        assert!(!safe.chars().any(|c| is_unsafe(c) && c != '\n'), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, value);
    }
}
