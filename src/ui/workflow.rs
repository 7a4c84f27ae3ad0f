//! The Workflow screen's own part: the lint findings as rows (glyph, id, line, fix), the file with
//! the offending lines marked (a few lines of context around each), and the diff apply would make.

use ratatui::text::{Line, Span};

use crate::policy::{DiffLine, Finding, Severity};
use crate::workflow::{FileView, LintId};

use super::Theme;

/// Lines of the file shown around each marked line.
const CONTEXT: usize = 2;

/// Whether a checklist finding is one of the lint's (those are drawn as rows here instead).
pub fn is_lint(f: &Finding) -> bool {
    LintId::ALL
        .iter()
        .any(|id| f.message.contains(&format!(" [{id}] ")))
}

fn glyph(severity: Severity) -> &'static str {
    match severity {
        Severity::Info => "i",
        Severity::Warning => "~",
        Severity::Error | Severity::Critical => "✗",
    }
}

fn style(theme: &Theme, severity: Severity) -> ratatui::style::Style {
    match severity {
        Severity::Info => theme.label(),
        Severity::Warning => theme.warning(),
        Severity::Error | Severity::Critical => theme.removed(),
    }
}

pub fn lines<'a>(view: &'a FileView, theme: &Theme) -> Vec<Line<'a>> {
    let mut out = vec![Line::from("")];
    let clean = view.findings.is_empty() && view.parse_error.is_none();
    let title = if clean && view.lines.is_empty() {
        format!("{}: not there yet", view.path)
    } else if clean {
        format!("{}: no findings", view.path)
    } else {
        format!("Findings in {}", view.path)
    };
    out.push(Line::styled(title, theme.title()));
    if let Some(e) = &view.parse_error {
        out.push(Line::styled(format!("✗ not YAML: {e}"), theme.removed()));
    }
    for f in &view.findings {
        out.push(Line::from(vec![
            Span::styled(format!("{} ", glyph(f.severity)), style(theme, f.severity)),
            Span::styled(format!("{:<25}", f.id.as_str()), style(theme, f.severity)),
            Span::styled(format!(" line {:<4} ", f.line), theme.label()),
            Span::raw(f.message.as_str()),
        ]));
        out.push(Line::styled(format!("    fix: {}", f.fix), theme.dim()));
    }
    out.extend(marked_file(view, theme));
    if !view.diff.is_empty() {
        out.push(Line::from(""));
        out.push(Line::styled(
            "What a (apply) writes: + added, - lost",
            theme.title(),
        ));
        for d in &view.diff {
            out.push(match d {
                DiffLine::Same(l) => Line::styled(format!("  {l}"), theme.dim()),
                DiffLine::Expected(l) => Line::styled(format!("+ {l}"), theme.added()),
                DiffLine::Actual(l) => Line::styled(format!("- {l}"), theme.removed()),
            });
        }
    }
    out
}

/// The file around its marked lines, numbered, each offending line marked with its glyph.
fn marked_file<'a>(view: &'a FileView, theme: &Theme) -> Vec<Line<'a>> {
    let marked: Vec<usize> = view
        .lines
        .iter()
        .enumerate()
        .filter(|(_, (_, m))| m.is_some())
        .map(|(i, _)| i)
        .collect();
    if marked.is_empty() {
        return Vec::new();
    }
    let shown = |i: usize| marked.iter().any(|m| i + CONTEXT >= *m && i <= m + CONTEXT);
    let mut out = vec![
        Line::from(""),
        Line::styled(
            format!("{} (offending lines marked)", view.path),
            theme.title(),
        ),
    ];
    let mut gap = false;
    for (i, (text, mark)) in view.lines.iter().enumerate() {
        if !shown(i) {
            gap = true;
            continue;
        }
        if gap && out.len() > 2 {
            out.push(Line::styled("     ⋮", theme.dim()));
        }
        gap = false;
        out.push(match mark {
            Some(s) => Line::from(vec![
                Span::styled(format!("{:>4} {} ", i + 1, glyph(*s)), style(theme, *s)),
                Span::styled(text.as_str(), style(theme, *s)),
            ]),
            None => Line::from(vec![
                Span::styled(format!("{:>4}   ", i + 1), theme.dim()),
                Span::raw(text.as_str()),
            ]),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Severity;
    use crate::workflow::{LintFinding, LintId};

    fn finding(id: LintId, severity: Severity, line: usize) -> LintFinding {
        LintFinding {
            id,
            severity,
            line,
            message: format!("{id} message"),
            fix: "a fix".to_owned(),
        }
    }

    #[test]
    fn each_severity_has_its_glyph_on_its_row_and_its_line() {
        let view = FileView {
            path: ".github/workflows/publish.yml".to_owned(),
            findings: vec![
                finding(LintId::OtherFormat, Severity::Info, 1),
                finding(LintId::UnpinnedAction, Severity::Warning, 2),
                finding(LintId::TokenExposed, Severity::Error, 3),
            ],
            parse_error: None,
            lines: vec![
                ("a".to_owned(), Some(Severity::Info)),
                ("b".to_owned(), Some(Severity::Warning)),
                ("c".to_owned(), Some(Severity::Error)),
            ],
            diff: Vec::new(),
        };
        let text: Vec<String> = lines(&view, &Theme::plain())
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect();
        for (glyph, id, row) in [
            ("i", "other-format", "   1 i a"),
            ("~", "unpinned-action", "   2 ~ b"),
            ("✗", "token-exposed", "   3 ✗ c"),
        ] {
            assert!(
                text.iter().any(|l| l.starts_with(&format!("{glyph} {id}"))),
                "{text:#?}"
            );
            assert!(text.iter().any(|l| l.starts_with(row)), "{text:#?}");
        }
    }
}
