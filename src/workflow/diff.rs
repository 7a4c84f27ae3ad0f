//! Line diffs of a workflow file (what writing the generated file would change), as a unified
//! diff for terminals and as marked lines for the TUI.

use similar::{ChangeTag, TextDiff};

use crate::policy::DiffLine;

/// Lines of context around each change.
const CONTEXT: usize = 3;

/// A unified diff from `old` to `new` (empty when equal).
pub fn unified(old: &str, new: &str, old_name: &str, new_name: &str) -> String {
    if old == new {
        return String::new();
    }
    TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(CONTEXT)
        .header(old_name, new_name)
        .to_string()
}

/// The changed lines with some context, hunks separated by a `…` line: `Expected` = what writing
/// adds, `Actual` = what it removes (what would be lost).
pub fn lines(old: &str, new: &str) -> Vec<DiffLine> {
    let diff = TextDiff::from_lines(old, new);
    let mut out = Vec::new();
    for (i, group) in diff.grouped_ops(CONTEXT).iter().enumerate() {
        if i > 0 {
            out.push(DiffLine::Same("…".to_owned()));
        }
        for op in group {
            for change in diff.iter_changes(op) {
                let text = change.value().trim_end_matches(['\n', '\r']).to_owned();
                out.push(match change.tag() {
                    ChangeTag::Equal => DiffLine::Same(text),
                    ChangeTag::Insert => DiffLine::Expected(text),
                    ChangeTag::Delete => DiffLine::Actual(text),
                });
            }
        }
    }
    out
}

/// How many lines writing `new` over `old` removes and adds.
pub fn counts(old: &str, new: &str) -> (usize, usize) {
    let diff = TextDiff::from_lines(old, new);
    diff.iter_all_changes()
        .fold((0, 0), |(removed, added), c| match c.tag() {
            ChangeTag::Delete => (removed + 1, added),
            ChangeTag::Insert => (removed, added + 1),
            ChangeTag::Equal => (removed, added),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diffs_show_what_is_lost_and_added() {
        let old = "a\nb\nmine\nc\n";
        let new = "a\nb\ntheirs\nc\n";
        let text = unified(old, new, "publish.yml (yours)", "publish.yml (cawiz)");
        assert!(text.contains("-mine"), "{text}");
        assert!(text.contains("+theirs"), "{text}");
        assert!(text.starts_with("--- publish.yml (yours)"), "{text}");
        assert_eq!(unified(old, old, "a", "b"), "");
        let marked = lines(old, new);
        assert!(marked.contains(&DiffLine::Actual("mine".into())));
        assert!(marked.contains(&DiffLine::Expected("theirs".into())));
        assert_eq!(counts(old, new), (1, 1));
        assert_eq!(counts("", new), (0, 4));
    }
}
