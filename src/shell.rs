//! Shell words for the commands cawiz shows and runs.

/// Quotes `s` for a POSIX shell when it needs it.
pub fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+%".contains(c))
    {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
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
}
