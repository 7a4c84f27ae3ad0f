//! The setup form: one block per field (label, value with the cursor, and under it the rule it
//! breaks or, when focused, what to type). Scrolls so the focused field stays in view.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::app::form::{Form, FormMode};

use super::Theme;

pub fn render(frame: &mut Frame, area: Rect, form: &Form, theme: &Theme) {
    let title = match form.mode {
        FormMode::First => " New setup: the names cawiz will check and create ",
        FormMode::Edit => " Edit the inputs (Enter on the last field or C-s saves) ",
    };
    let block = Block::new().title(Line::styled(title, theme.title()));
    let inner = block.inner(area);
    let mut lines: Vec<Line> = Vec::new();
    let mut cursor: Option<(usize, usize)> = None;
    let mut focus_top = 0usize;
    let mut focus_end = 0usize;
    for (index, field) in form.fields.iter().enumerate() {
        let focused = index == form.focus;
        if focused {
            focus_top = lines.len();
        }
        let marker = if focused { "▸ " } else { "  " };
        lines.push(Line::styled(
            format!("{marker}{}", field.input.label()),
            if focused {
                theme.title()
            } else {
                theme.label()
            },
        ));
        let value = Line::from(vec![
            Span::raw("    "),
            Span::styled(
                field.text.value.clone(),
                if focused {
                    theme.selected()
                } else {
                    ratatui::style::Style::new()
                },
            ),
        ]);
        if focused {
            let column = 4 + field.text.value.chars().take(field.text.cursor).count();
            cursor = Some((column, lines.len()));
        }
        lines.push(value);
        match (form.shown_error(field), focused) {
            (Some(error), _) => lines.push(Line::styled(format!("    ✗ {error}"), theme.warning())),
            (None, true) => lines.push(Line::styled(
                format!("    {}", field.input.help()),
                theme.dim(),
            )),
            (None, false) => {}
        }
        if focused {
            focus_end = lines.len();
        }
    }
    // Rows as drawn (messages wrap): where the focused field starts, and its value line.
    let rows = |count: usize| {
        Paragraph::new(lines[..count.min(lines.len())].to_vec())
            .wrap(Wrap { trim: false })
            .line_count(inner.width)
    };
    let height = usize::from(inner.height);
    // Keep the focused field (label, value, message) in view, its label first if it must choose.
    let scroll = rows(focus_end).saturating_sub(height).min(rows(focus_top));
    let cursor = cursor.map(|(column, line)| (column, rows(line).saturating_sub(scroll)));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0)),
        area,
    );
    if let Some((column, row)) = cursor
        && let (Ok(column), Ok(row)) = (u16::try_from(column), u16::try_from(row))
        && column < inner.width
        && row < inner.height
    {
        frame.set_cursor_position(Position::new(inner.x + column, inner.y + row));
    }
}
