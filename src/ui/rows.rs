//! Check rows as a traffic-light list: the glyph in its colour, the title, and the first line of
//! evidence (or the reason it could not be checked) cut to the width; an expanded row shows all
//! its evidence and its fix. The item screens and the doctor draw their rows with this.

use ratatui::text::{Line, Span};

use crate::checklist::rows::Row;

use super::Theme;

/// `text` escaped ([`super::safe::text`]) and cut to `width` characters, with `…` when cut.
pub fn cut(text: &str, width: usize) -> String {
    let text = super::safe::text(text);
    if text.chars().count() <= width {
        return text.into_owned();
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// The short evidence shown on a collapsed row: the reason, else the first evidence line.
fn summary(row: &Row) -> Option<&str> {
    row.verdict
        .reason()
        .or_else(|| row.evidence.first().map(String::as_str))
}

/// One row: `✗ title — evidence…` on one line of `width` columns (selected: reversed); an
/// expanded row leaves the evidence to the lines under it.
pub fn row_line(row: &Row, selected: bool, width: u16, theme: &Theme) -> Line<'static> {
    row_line_with(row, selected, false, width, theme)
}

fn row_line_with(
    row: &Row,
    selected: bool,
    expanded: bool,
    width: u16,
    theme: &Theme,
) -> Line<'static> {
    let width = usize::from(width);
    let head = format!("{} ", row.verdict.glyph());
    let title = cut(&row.title, width.saturating_sub(2));
    let room = width.saturating_sub(2 + title.chars().count() + 3);
    let mut spans = vec![
        Span::styled(head, theme.verdict(&row.verdict)),
        Span::styled(
            title,
            if selected {
                theme.selected()
            } else {
                theme.label()
            },
        ),
    ];
    if let Some(s) = summary(row).filter(|_| room > 8 && !expanded) {
        spans.push(Span::styled(format!(" — {}", cut(s, room)), theme.dim()));
    }
    Line::from(spans)
}

/// What an expanded row shows under its line: every evidence line and the fix (wrapped by the
/// paragraph that draws them).
pub fn detail_lines(row: &Row, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    if let Some(reason) = row.verdict.reason() {
        out.push(Line::styled(format!("    {reason}"), theme.dim()));
    }
    for e in &row.evidence {
        out.push(Line::from(vec![
            Span::styled("    evidence: ", theme.label()),
            Span::raw(e.clone()),
        ]));
    }
    if let Some(fix) = row.fix.as_ref().filter(|_| row.verdict.rank() < 3) {
        out.push(Line::from(vec![
            Span::styled("    fix: ", theme.label()),
            Span::styled(fix.clone(), theme.command()),
        ]));
    }
    super::safe::lines(out)
}

/// A list of rows; `expanded` rows show their detail. `selected` is highlighted.
pub fn lines(
    rows: &[Row],
    selected: Option<usize>,
    expanded: impl Fn(usize) -> bool,
    width: u16,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let open = expanded(i);
        out.push(row_line_with(row, selected == Some(i), open, width, theme));
        if open {
            out.extend(detail_lines(row, theme));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::rows::Verdict;

    fn text(line: &Line) -> String {
        line.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn a_row_fits_its_width_with_its_glyph_title_and_evidence() {
        let row = Row::new(
            "trust-subject",
            "The trust policy accepts the subject",
            Verdict::Fail,
        )
        .evidence("GetRole trust sub: [StringLike repo:acme-geo/earth-polychromatic-images:*]");
        for width in [20u16, 40, 80] {
            let line = text(&row_line(&row, false, width, &Theme::plain()));
            assert!(line.starts_with("✗ "), "{line}");
            assert!(
                line.chars().count() <= usize::from(width),
                "{width}: {line}"
            );
        }
        let wide = text(&row_line(&row, false, 120, &Theme::plain()));
        assert!(wide.contains("— GetRole trust sub"), "{wide}");
    }

    #[test]
    fn expanded_rows_show_every_evidence_line_and_the_fix_unless_ok() {
        let failing = Row::new("a", "A", Verdict::Fail)
            .evidence("one")
            .evidence("two")
            .fix("do it", None);
        let shown: Vec<String> = lines(&[failing], None, |_| true, 80, &Theme::plain())
            .iter()
            .map(text)
            .collect();
        assert_eq!(shown.len(), 4, "{shown:?}");
        assert!(shown[3].contains("fix: do it"));
        let ok = Row::new("b", "B", Verdict::Ok)
            .evidence("fine")
            .fix("n/a", None);
        let shown = lines(&[ok], None, |_| true, 80, &Theme::plain());
        assert_eq!(shown.len(), 2, "no fix for a passing row");
        let skipped = Row::new("c", "C", Verdict::Skip("no role".into()));
        let line = text(&row_line(&skipped, false, 80, &Theme::plain()));
        assert!(line.starts_with("- C — no role"), "{line}");
    }
}
