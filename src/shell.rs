//! Shell words for the commands cawiz shows and runs.

use crate::escape::is_unsafe;

/// `s` in single quotes (each `'` as `'\''`).
fn single_quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// `"$(printf '%b' '…')"`: `s` with each control character (and bidi override) written as the
/// octal escapes of its UTF-8 bytes, which `printf %b` turns back. Command substitution drops
/// trailing line feeds, so the caller keeps those apart.
fn printf_word(s: &str) -> String {
    let mut escaped = String::new();
    for c in s.chars() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            '\'' => escaped.push_str(r"'\''"),
            c if is_unsafe(c) => {
                let mut bytes = [0u8; 4];
                for b in c.encode_utf8(&mut bytes).bytes() {
                    escaped.push_str(&format!("\\0{b:03o}"));
                }
            }
            c => escaped.push(c),
        }
    }
    format!("\"$(printf '%b' '{escaped}')\"")
}

/// Quotes `s` for a POSIX shell when it needs it. The word never holds a control character or a
/// bidi override (the plan is read in a terminal and run by `sh`): those come back through
/// `printf`, exactly, except trailing line feeds, which command substitution would drop and so
/// stay inside quotes (no source cawiz quotes ends in one: paths end in `.yml`, names are
/// validated).
pub fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+%".contains(c))
    {
        return s.to_owned();
    }
    if !s.chars().any(is_unsafe) {
        return single_quoted(s);
    }
    let body = s.trim_end_matches('\n');
    let trailing = &s[body.len()..];
    let mut word = if body.is_empty() {
        String::new()
    } else {
        printf_word(body)
    };
    if !trailing.is_empty() {
        word.push_str(&single_quoted(trailing));
    }
    word
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(shell_quote("octo-org"), "octo-org");
        assert_eq!(
            shell_quote("arn:aws:iam::1:role/r"),
            "arn:aws:iam::1:role/r"
        );
        assert_eq!(
            shell_quote("Python packages for o/r"),
            "'Python packages for o/r'"
        );
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote(""), "''");
    }

    /// What `sh` makes of `word`.
    fn sh_value(word: &str) -> String {
        let out = std::process::Command::new("sh")
            .args(["-c", &format!("printf %s {word}")])
            .output()
            .unwrap();
        assert!(out.status.success(), "{word}: {out:?}");
        String::from_utf8(out.stdout).unwrap()
    }

    #[test]
    fn control_characters_become_printf_escapes_that_sh_turns_back() {
        for hostile in [
            ".github/workflows/x\ntouch PWNED\n.yml",
            "\x1b]0;pwned\x07 it's 100% \\ back",
            "a\u{9b}b\u{202e}c\u{7f}\r\td",
            "\nlead",
        ] {
            let word = shell_quote(hostile);
            assert!(!word.chars().any(crate::escape::is_unsafe), "{word:?}");
            assert!(!word.contains('\n'), "{word:?}");
            assert_eq!(sh_value(&word), hostile, "{word}");
        }
        for exact in ["tail\x1b\n\n", "\n"] {
            assert_eq!(sh_value(&shell_quote(exact)), exact);
        }
    }
}
