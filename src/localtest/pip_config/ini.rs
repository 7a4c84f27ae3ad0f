//! Setting one `[global]` key in a pip configuration file, as pip's own parser (Python's
//! `configparser.RawConfigParser`, keys normalised by pip: lower case, `_` as `-`, no leading
//! `--`) reads the file, changing nothing else: comments, other keys and sections, and the bytes
//! of lines cawiz does not touch stay as they were.

/// The line kinds `configparser` tells apart.
enum Kind<'a> {
    /// Empty or a full-line comment (`#`, `;`): they never end a multi-line value.
    Blank,
    /// More indented than the open option's line: part of its value.
    Continuation,
    /// `[name]`.
    Header(&'a [u8]),
    /// `key = value` / `key: value`, with the key as pip normalises it.
    Option(String),
    /// Anything else (pip refuses such a file; kept as it is).
    Other,
}

/// `text` with `[global] key = value` (the first `[global]` section gets it right after its
/// header, or a `[global]` section is appended), and every other spelling of `key` in `[global]`
/// (`index_url`, `INDEX-URL`, `--index-url`, with its continuation lines) removed.
pub(super) fn set_global(text: &[u8], key: &str, value: &str) -> Vec<u8> {
    let mut out: Vec<&[u8]> = Vec::new();
    let mut insert_at = None;
    walk(text, key, |line, global_header| {
        if global_header && insert_at.is_none() {
            insert_at = Some(out.len() + 1);
        }
        out.push(line);
    });
    let setting = format!("{key} = {value}\n").into_bytes();
    let mut result: Vec<u8> = Vec::with_capacity(text.len() + setting.len() + 10);
    match insert_at {
        Some(at) => {
            for (i, line) in out.iter().enumerate() {
                if i == at {
                    result.extend_from_slice(&setting);
                }
                result.extend_from_slice(line);
                if i + 1 == at && !line.ends_with(b"\n") {
                    result.push(b'\n');
                }
            }
            if at == out.len() {
                result.extend_from_slice(&setting);
            }
        }
        None => {
            result.extend(out.concat());
            if !result.is_empty() && !result.ends_with(b"\n") {
                result.push(b'\n');
            }
            result.extend_from_slice(b"[global]\n");
            result.extend_from_slice(&setting);
        }
    }
    result
}

/// Whether `text` sets `[global] key` (in any of pip's spellings).
pub(super) fn has_global(text: &[u8], key: &str) -> bool {
    let mut kept = 0;
    walk(text, key, |_, _| kept += 1);
    kept != text.split_inclusive(|b| *b == b'\n').count()
}

/// Calls `keep(line, is_a_global_header)` for every line of `text` except the lines of a
/// `[global]` option named `key`.
fn walk<'a>(text: &'a [u8], key: &str, mut keep: impl FnMut(&'a [u8], bool)) {
    let mut section: Option<&[u8]> = None;
    // The indentation of the open option's line, and whether that option is being removed.
    let mut open: Option<(usize, bool)> = None;
    // Blank lines after a removed option: dropped if its value goes on after them.
    let mut pending: Vec<&[u8]> = Vec::new();
    for line in text.split_inclusive(|b| *b == b'\n') {
        let removing = open.is_some_and(|(_, removing)| removing);
        match kind(line, section.is_some(), open.map(|(indent, _)| indent)) {
            Kind::Blank if removing => pending.push(line),
            Kind::Blank => keep(line, false),
            Kind::Continuation if removing => pending.clear(),
            Kind::Continuation => keep(line, false),
            other => {
                pending.drain(..).for_each(|l| keep(l, false));
                match other {
                    Kind::Header(name) => {
                        section = Some(name);
                        open = None;
                        keep(line, name == b"global");
                    }
                    Kind::Option(name) => {
                        let remove = section == Some(b"global") && name == key;
                        open = Some((indent(line), remove));
                        if !remove {
                            keep(line, false);
                        }
                    }
                    _ => {
                        open = None;
                        keep(line, false);
                    }
                }
            }
        }
    }
    pending.drain(..).for_each(|l| keep(l, false));
}

fn kind(line: &[u8], in_section: bool, open_indent: Option<usize>) -> Kind<'_> {
    let stripped = line.trim_ascii();
    if stripped.is_empty() || stripped.starts_with(b"#") || stripped.starts_with(b";") {
        return Kind::Blank;
    }
    if open_indent.is_some_and(|open| indent(line) > open) {
        return Kind::Continuation;
    }
    if let Some(name) = header(stripped) {
        return Kind::Header(name);
    }
    if !in_section {
        return Kind::Other;
    }
    match stripped.iter().position(|b| *b == b'=' || *b == b':') {
        Some(at) => Kind::Option(normalize(&stripped[..at])),
        None => Kind::Other,
    }
}

/// `[name]` → `name` (configparser: `\[(?P<header>.+)\]` from the start, to the last `]`).
fn header(stripped: &[u8]) -> Option<&[u8]> {
    let rest = stripped.strip_prefix(b"[")?;
    let end = rest.iter().rposition(|b| *b == b']')?;
    (end > 0).then(|| &rest[..end])
}

/// pip's key normalisation: lower case, `_` as `-`, without a leading `--`.
fn normalize(key: &[u8]) -> String {
    let key = String::from_utf8_lossy(key.trim_ascii())
        .to_lowercase()
        .replace('_', "-");
    key.strip_prefix("--").map(str::to_owned).unwrap_or(key)
}

fn indent(line: &[u8]) -> usize {
    line.iter().take_while(|b| b.is_ascii_whitespace()).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://aws:t@h/pypi/r/simple/";

    fn set(text: &str) -> String {
        String::from_utf8(set_global(text.as_bytes(), "index-url", URL)).unwrap()
    }

    #[test]
    fn a_new_file_gets_a_global_section() {
        assert_eq!(set(""), format!("[global]\nindex-url = {URL}\n"));
        assert_eq!(
            set("[install]\nno-compile = yes"),
            format!("[install]\nno-compile = yes\n[global]\nindex-url = {URL}\n")
        );
    }

    #[test]
    fn every_spelling_of_the_key_in_global_is_replaced_and_the_rest_kept() {
        let before = "# my settings\n[global]\ntimeout = 60\nindex_url = https://old/simple/\n\
                      ; a comment\nINDEX-URL=https://older/simple/\n--index-url: x\n\
                      [install]\nindex-url = https://install-only/simple/\n";
        assert_eq!(
            set(before),
            format!(
                "# my settings\n[global]\nindex-url = {URL}\ntimeout = 60\n; a comment\n\
                 [install]\nindex-url = https://install-only/simple/\n"
            )
        );
    }

    #[test]
    fn a_multi_line_value_goes_with_its_key() {
        let before = "[global]\nindex-url =\n    https://a/simple/\n\n    https://b/simple/\n\
                      \ntrusted-host = h\n  more\n";
        assert_eq!(
            set(before),
            format!("[global]\nindex-url = {URL}\n\ntrusted-host = h\n  more\n")
        );
    }

    #[test]
    fn an_indented_header_inside_a_value_is_part_of_the_value() {
        let before = "[install]\nx = 1\n  [global]\n";
        assert_eq!(
            set(before),
            format!("[install]\nx = 1\n  [global]\n[global]\nindex-url = {URL}\n")
        );
        assert!(!has_global(before.as_bytes(), "index-url"));
    }

    #[test]
    fn a_header_without_a_final_newline_still_gets_its_own_line() {
        assert_eq!(set("[global]"), format!("[global]\nindex-url = {URL}\n"));
        assert_eq!(
            set("[global] # pip's\r\nx = 1\r\n"),
            format!("[global] # pip's\r\nindex-url = {URL}\nx = 1\r\n")
        );
    }

    #[test]
    fn bytes_that_are_not_utf8_are_kept() {
        let before = b"# caf\xe9\n[global]\nindex-url = old\n";
        let after = set_global(before, "index-url", URL);
        assert!(after.starts_with(b"# caf\xe9\n[global]\nindex-url = https://"));
    }

    #[test]
    fn has_global_finds_any_spelling_in_global_only() {
        assert!(has_global(b"[global]\nIndex_URL = x\n", "index-url"));
        assert!(!has_global(b"[install]\nindex-url = x\n", "index-url"));
        assert!(!has_global(b"", "index-url"));
        assert!(!has_global(b"[global]\ntimeout = 1\n", "index-url"));
    }
}
