//! The setup form: one block per field (label, value, and under it the rule it breaks or, when
//! focused, what to type). Scrolls so the focused field stays in view; a value wider than its
//! field scrolls sideways to keep its cursor in view, and the terminal's cursor sits on it.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::app::form::{Form, FormField, FormMode};

use super::Theme;

/// Columns before a value and a message.
const INDENT: u16 = 4;

/// The form's lines, with a blank line where each value goes (values are drawn apart, one line
/// each, scrolled sideways rather than wrapped).
struct Lines {
    lines: Vec<Line<'static>>,
    /// Per field, the index of its value's line.
    values: Vec<usize>,
    /// The focused field's first line and the line after its last.
    focus: (usize, usize),
}

impl Lines {
    fn new(form: &Form, theme: &Theme) -> Self {
        let mut this = Self {
            lines: Vec::new(),
            values: Vec::new(),
            focus: (0, 0),
        };
        for (index, field) in form.fields.iter().enumerate() {
            let top = this.lines.len();
            this.push_field(form, field, index == form.focus, theme);
            if index == form.focus {
                this.focus = (top, this.lines.len());
            }
        }
        this
    }

    fn push_field(&mut self, form: &Form, field: &FormField, focused: bool, theme: &Theme) {
        let (marker, style) = if focused {
            ("▸ ", theme.title())
        } else {
            ("  ", theme.label())
        };
        self.lines.push(Line::styled(
            format!("{marker}{}", field.input.label()),
            style,
        ));
        self.values.push(self.lines.len());
        self.lines.push(Line::default());
        match (form.shown_error(field), focused) {
            (Some(error), _) => self
                .lines
                .push(Line::styled(format!("    ✗ {error}"), theme.warning())),
            (None, true) => self.lines.push(Line::styled(
                format!("    {}", field.input.help()),
                theme.dim(),
            )),
            (None, false) => {}
        }
    }

    /// Rows the first `count` lines take as drawn (messages wrap).
    fn rows(&self, count: usize, width: u16) -> usize {
        Paragraph::new(self.lines[..count.min(self.lines.len())].to_vec())
            .wrap(Wrap { trim: false })
            .line_count(width)
    }
}

pub fn render(frame: &mut Frame, area: Rect, form: &Form, theme: &Theme) {
    let title = match form.mode {
        FormMode::First => " New setup: the names cawiz will check and create ",
        FormMode::Edit => " Edit the inputs (Enter on the last field or C-s saves) ",
    };
    let block = Block::new().title(Line::styled(title, theme.title()));
    let inner = block.inner(area);
    let lines = Lines::new(form, theme);
    let rows = |count: usize| lines.rows(count, inner.width);
    // Keep the focused field (label, value, message) in view, its label first if it must choose.
    let (focus_top, focus_end) = lines.focus;
    let scroll = rows(focus_end)
        .saturating_sub(usize::from(inner.height))
        .min(rows(focus_top));
    let value_areas: Vec<Option<Rect>> = lines
        .values
        .iter()
        .map(|line| value_area(inner, rows(*line).saturating_sub(scroll)))
        .collect();
    frame.render_widget(
        Paragraph::new(lines.lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0)),
        area,
    );
    for (index, (field, value)) in form.fields.iter().zip(value_areas).enumerate() {
        if let Some(value) = value {
            render_value(frame, value, field, index == form.focus, theme);
        }
    }
}

/// Where a value goes: its row inside `inner`, after the indent; none when scrolled out of view.
fn value_area(inner: Rect, row: usize) -> Option<Rect> {
    let row = u16::try_from(row).ok().filter(|r| *r < inner.height)?;
    let width = inner.width.saturating_sub(INDENT);
    (width > 0).then(|| Rect::new(inner.x + INDENT, inner.y + row, width, 1))
}

/// A value on one line, scrolled sideways (tui-input's `visual_scroll`) so its cursor stays in
/// view; the focused one gets the terminal's cursor.
fn render_value(frame: &mut Frame, area: Rect, field: &FormField, focused: bool, theme: &Theme) {
    // One column stays free for the cursor after the last character.
    let scroll = field
        .text
        .visual_scroll(usize::from(area.width.saturating_sub(1)));
    let style = if focused {
        theme.selected()
    } else {
        Style::new()
    };
    frame.render_widget(
        Paragraph::new(Span::styled(field.text.value(), style))
            .scroll((0, u16::try_from(scroll).unwrap_or(u16::MAX))),
        area,
    );
    let column = field.text.visual_cursor().saturating_sub(scroll);
    if focused
        && let Ok(column) = u16::try_from(column)
        && column < area.width
    {
        frame.set_cursor_position(Position::new(area.x + column, area.y));
    }
}
