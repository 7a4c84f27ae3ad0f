//! Drawing: `render(frame, &model, &theme)` only reads the model. Header | sidebar checklist +
//! item screen | log | key hints, with the help and confirmation overlays on top.

mod screen;
pub mod text;
pub mod theme;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, Paragraph, Wrap};

use crate::app::keys::BINDINGS;
use crate::app::{Model, Overlay};
use crate::checklist::{ItemId, Status};

pub use theme::Theme;

const SPINNER: [&str; 4] = ["◐", "◓", "◑", "◒"];
/// Ticks per second (see `app::run::TICK_MS`).
pub const TICKS_PER_SECOND: u64 = 10;

/// The mark of a status, `·` while none is known yet.
pub fn glyph(status: Option<&Status>) -> &'static str {
    status.map_or("·", Status::glyph)
}

pub fn render(frame: &mut Frame, model: &Model, theme: &Theme) {
    let area = frame.area();
    if area.width == 0 || area.height == 0 {
        return;
    }
    let log_height = if area.height >= 20 { 6 } else { 0 };
    let [header, body, log, footer] = area.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(log_height),
        Constraint::Length(1),
    ]));
    render_header(frame, header, model, theme);
    let side_width = if body.width >= 60 { 26 } else { body.width / 3 };
    let [side, main] = body.layout(&Layout::horizontal([
        Constraint::Length(side_width),
        Constraint::Fill(1),
    ]));
    render_sidebar(frame, side, model, theme);
    screen::render(frame, main, model, theme);
    if log_height > 0 {
        render_log(frame, log, model, theme);
    }
    render_footer(frame, footer, theme);
    match &model.overlay {
        Overlay::None => {}
        Overlay::Help => render_help(frame, area, theme),
        Overlay::Confirm { item, steps } => {
            let lines: Vec<Line> = std::iter::once(Line::styled(
                format!("{}: apply these changes?", item.title()),
                theme.title(),
            ))
            .chain(steps.iter().enumerate().flat_map(|(i, s)| {
                [
                    Line::from(format!("{}. {}", i + 1, s.description)),
                    Line::styled(format!("   $ {}", s.command), theme.command()),
                ]
            }))
            .chain([
                Line::from(" "),
                Line::styled("y / Enter: apply    n / Esc: cancel", theme.warning()),
            ])
            .collect();
            render_box(frame, area, " Confirm ", lines);
        }
    }
}

fn render_header(frame: &mut Frame, area: Rect, model: &Model, theme: &Theme) {
    let id = &model.identity;
    let mut spans = vec![Span::styled(" cawiz ", theme.title())];
    if id.sandbox {
        spans.push(Span::styled(" SANDBOX ", theme.badge()));
        spans.push(Span::raw(" "));
    }
    spans.push(Span::raw(format!(
        "{} · account {} · {}{}",
        id.github,
        if id.account.is_empty() {
            "?"
        } else {
            &id.account
        },
        id.region,
        id.profile
            .as_ref()
            .map(|p| format!(" · profile {p}"))
            .unwrap_or_default()
    )));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn render_sidebar(frame: &mut Frame, area: Rect, model: &Model, theme: &Theme) {
    let statuses = model.statuses();
    let items: Vec<ListItem> = ItemId::ALL
        .into_iter()
        .map(|item| {
            let view = model.view(item);
            let status = statuses.get(&item).and_then(Option::as_ref);
            let busy = view.checking_since.is_some() || view.applying;
            let mark = if busy {
                SPINNER[usize::try_from(model.ticks % 4).unwrap_or(0)]
            } else {
                glyph(status)
            };
            let mut style = theme.status(if busy { None } else { status });
            if item == model.selected {
                style = style.patch(theme.selected());
            }
            ListItem::new(Line::styled(format!(" {mark} {}", item.title()), style))
        })
        .collect();
    let done = statuses
        .values()
        .filter(|s| s.as_ref().is_some_and(Status::is_done))
        .count();
    let block = Block::new()
        .borders(Borders::RIGHT)
        .title(format!(" Checklist {done}/7 "));
    frame.render_widget(List::new(items).block(block), area);
}

fn render_log(frame: &mut Frame, area: Rect, model: &Model, theme: &Theme) {
    let height = usize::from(area.height.saturating_sub(1));
    let start = model.log.len().saturating_sub(height);
    let lines: Vec<Line> = model.log[start..]
        .iter()
        .map(|l| Line::styled(l.as_str(), theme.dim()))
        .collect();
    let block = Block::new().borders(Borders::TOP).title(" Log ");
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

fn render_footer(frame: &mut Frame, area: Rect, theme: &Theme) {
    let mut spans = Vec::new();
    for b in BINDINGS.iter().filter(|b| b.hint) {
        spans.push(Span::styled(format!(" {} ", b.keys), theme.badge()));
        spans.push(Span::raw(format!(" {}  ", b.label)));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn render_help(frame: &mut Frame, area: Rect, theme: &Theme) {
    let lines: Vec<Line> = BINDINGS
        .iter()
        .map(|b| {
            Line::from(vec![
                Span::styled(format!("{:>6}  ", b.keys), theme.command()),
                Span::raw(b.label),
            ])
        })
        .chain([
            Line::from(" "),
            Line::styled("? / Esc closes this help", theme.dim()),
        ])
        .collect();
    render_box(frame, area, " Keys ", lines);
}

/// A bordered box in the middle of `area`, as tall as its wrapped lines, cleared underneath.
fn render_box(frame: &mut Frame, area: Rect, title: &str, lines: Vec<Line>) {
    let across = area.centered_horizontally(Constraint::Percentage(90));
    let paragraph = Paragraph::new(lines)
        .block(Block::bordered().title(title.to_owned()))
        .wrap(Wrap { trim: false });
    // line_count wraps at the width given (the block's borders not taken off) and adds the borders.
    let height =
        u16::try_from(paragraph.line_count(across.width.saturating_sub(2))).unwrap_or(u16::MAX);
    let boxed = across.centered_vertically(Constraint::Length(height.min(area.height)));
    frame.render_widget(Clear, boxed);
    frame.render_widget(paragraph, boxed);
}

#[cfg(test)]
mod tests;
