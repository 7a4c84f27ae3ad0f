//! The TUI's side of [`crate::escape`]: every line a widget draws passes through [`lines`] (or
//! [`line`], [`text`]) on its way into the widget, so a control character or bidi override from a
//! variable value, a workflow line, an API message or pip's output is drawn as its escape
//! (`\x1b]0;t\x07`) and never reaches the terminal. ratatui 0.30 drops control characters from a
//! span but draws the rest of the sequence (so the text lies about what was there), and hands
//! zero-width characters such as U+202E to the terminal inside the previous cell. Widths are
//! measured after escaping (`rows::cut`, the scroll and wrap counts use escaped lines), so the
//! layout is the one drawn.

use std::borrow::Cow;

use ratatui::text::{Line, Span};

use crate::escape;

/// `text` escaped as one line.
pub fn text(text: &str) -> Cow<'_, str> {
    escape::line(text)
}

/// The span with its content escaped (unchanged, and not copied, when it is clean).
pub fn span(span: Span<'_>) -> Span<'_> {
    let escaped = match escape::line(&span.content) {
        Cow::Owned(s) => Some(s),
        Cow::Borrowed(_) => None,
    };
    match escaped {
        Some(content) => Span {
            content: content.into(),
            ..span
        },
        None => span,
    }
}

/// The line with each span escaped; its style and alignment kept.
pub fn line(line: Line<'_>) -> Line<'_> {
    Line {
        spans: line.spans.into_iter().map(span).collect(),
        ..line
    }
}

pub fn lines(lines: Vec<Line<'_>>) -> Vec<Line<'_>> {
    lines.into_iter().map(line).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Style;

    #[test]
    fn spans_keep_their_style_and_lose_their_controls() {
        let styled = Line::from(vec![
            Span::styled("value: ", Style::new().bold()),
            Span::raw("\x1b]52;c;eA==\x07\u{202e}"),
        ]);
        let safe = line(styled);
        assert_eq!(safe.spans[0].style, Style::new().bold());
        assert_eq!(safe.spans[1].content, "\\x1b]52;c;eA==\\x07\\u{202e}");
        assert!(matches!(
            span(Span::raw("clean")).content,
            Cow::Borrowed("clean")
        ));
    }
}
