//! Text that cawiz did not write (API answers, workflow files, log lines), made safe to show on
//! a terminal: control characters (escape sequences, carriage returns, bells…) are written out
//! as `\u{1b}`, so nothing read can move the cursor, recolour or clear the screen.

/// `text` with every control character escaped.
pub fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_written_out() {
        assert_eq!(
            printable("plain arn:aws:iam::1:role/R"),
            "plain arn:aws:iam::1:role/R"
        );
        assert_eq!(printable("a\u{1b}[2Jb\r\n"), "a\\u{1b}[2Jb\\u{d}\\u{a}");
        assert_eq!(printable("é ✓"), "é ✓", "only control characters");
    }
}
