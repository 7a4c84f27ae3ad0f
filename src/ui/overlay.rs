//! What sits on top of the screens: the help (the current screen's key table) and the
//! confirmation of an apply or a local test, each in a box cleared underneath.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::app::all::AllPlan;
use crate::app::keys::{BINDINGS, Binding, DOCTOR_BINDINGS, FORM_BINDINGS};
use crate::app::model::{Model, Overlay, Phase};
use crate::checklist::{ItemId, Step};

use super::Theme;
use super::rows::cut;

pub fn render(frame: &mut Frame, area: Rect, model: &Model, theme: &Theme) {
    match &model.overlay {
        Overlay::None => {}
        Overlay::Help if model.phase == Phase::Doctor => {
            render_help(frame, area, DOCTOR_BINDINGS, Vec::new(), theme);
        }
        Overlay::Help => {
            let more = vec![
                Line::styled(
                    "Mouse (with --mouse): click an item, wheel scrolls",
                    theme.dim(),
                ),
                form_keys(theme),
            ];
            render_help(frame, area, BINDINGS, more, theme);
        }
        Overlay::Confirm { item, steps, .. } => render_confirm(frame, area, *item, steps, theme),
        Overlay::ConfirmAll(plan) => render_confirm_all(frame, area, plan, theme),
    }
}

/// `A`'s confirmation: every pending step under its item's title, with its command, and the
/// workflow's changed lines. When that does not fit, one line per step (the commands are on each
/// item's screen and in `cawiz plan`); PgDn/PgUp scroll what still does not fit.
fn render_confirm_all(frame: &mut Frame, area: Rect, plan: &AllPlan, theme: &Theme) {
    let width = usize::from(area.width.saturating_mul(9) / 10).saturating_sub(4);
    let full = confirm_all_lines(plan, width, theme);
    let lines = if full.len() + 2 > usize::from(area.height) {
        compact_lines(plan, width, theme)
    } else {
        full
    };
    let room = usize::from(area.height.saturating_sub(2));
    let hidden = lines.len().saturating_sub(room);
    let scroll = plan.scroll.min(u16::try_from(hidden).unwrap_or(u16::MAX));
    let footer = if hidden > 0 {
        " y / Enter: apply all    n / Esc: cancel    PgDn/PgUp: more "
    } else {
        " y / Enter: apply all    n / Esc: cancel "
    };
    render_box_scrolled(
        frame,
        area,
        " Confirm ",
        lines,
        Line::styled(footer, theme.warning()),
        scroll,
    );
}

fn all_title(plan: &AllPlan, theme: &Theme) -> Line<'static> {
    Line::styled(
        format!(
            "Apply all pending: {} items, {} steps, in this order?",
            plan.items.len(),
            plan.steps.len()
        ),
        theme.title(),
    )
}

fn confirm_all_lines(plan: &AllPlan, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = vec![all_title(plan, theme)];
    let mut number = 0;
    for item in &plan.items {
        out.push(Line::styled(item.title().to_owned(), theme.label()));
        for step in plan.steps.iter().filter(|s| s.item == *item) {
            number += 1;
            out.push(Line::from(cut(
                &format!(" {number}. {}", step.description),
                width,
            )));
            out.push(Line::styled(
                format!("    $ {}", cut(&step.command, width.saturating_sub(6))),
                theme.command(),
            ));
        }
        if *item == ItemId::Workflow && plan.diff_total > 0 {
            out.extend(diff_lines(plan, width, theme));
        }
    }
    out
}

/// One line per step: "3. PyPI upstream: Create the repository pypi-store…".
fn compact_lines(plan: &AllPlan, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = vec![
        all_title(plan, theme),
        Line::styled("(commands: each item's screen, `cawiz plan`)", theme.dim()),
    ];
    for (i, step) in plan.steps.iter().enumerate() {
        out.push(Line::from(vec![
            Span::styled(
                format!("{:>2}. {}: ", i + 1, step.item.short_title()),
                theme.label(),
            ),
            Span::raw(cut(
                &step.description,
                width.saturating_sub(6 + step.item.short_title().chars().count()),
            )),
        ]));
    }
    out
}

fn diff_lines(plan: &AllPlan, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut out: Vec<Line<'static>> = plan
        .diff
        .iter()
        .map(|l| {
            let style = if l.starts_with('+') {
                theme.added()
            } else {
                theme.removed()
            };
            Line::styled(format!("    {}", cut(l, width)), style)
        })
        .collect();
    if plan.diff_total > plan.diff.len() {
        out.push(Line::styled(
            format!(
                "    … {} more changed lines (the Publish workflow screen)",
                plan.diff_total - plan.diff.len()
            ),
            theme.dim(),
        ));
    }
    out
}

fn render_confirm(frame: &mut Frame, area: Rect, item: ItemId, steps: &[Step], theme: &Theme) {
    // Long commands (policy JSON) are cut to one line so every step stays in view; the
    // whole commands are in the plan on the item's screen (`c` copies).
    let width = usize::from(area.width.saturating_mul(9) / 10).saturating_sub(8);
    let lines: Vec<Line> = std::iter::once(Line::styled(
        format!("{}: apply these changes?", item.title()),
        theme.title(),
    ))
    .chain(steps.iter().enumerate().flat_map(|(i, s)| {
        [
            Line::from(format!("{}. {}", i + 1, s.description)),
            Line::styled(format!("   $ {}", cut(&s.command, width)), theme.command()),
        ]
    }))
    .collect();
    render_box(
        frame,
        area,
        " Confirm ",
        lines,
        Line::styled(" y / Enter: apply    n / Esc: cancel ", theme.warning()),
    );
}

/// Every binding of `table`, then `more` lines.
fn render_help(
    frame: &mut Frame,
    area: Rect,
    table: &[Binding],
    more: Vec<Line<'static>>,
    theme: &Theme,
) {
    let lines: Vec<Line> = table
        .iter()
        .map(|b| {
            Line::from(vec![
                Span::styled(format!("{:>9}  ", b.keys), theme.command()),
                Span::raw(b.label),
            ])
        })
        .chain(more)
        .collect();
    render_box(
        frame,
        area,
        " Keys ",
        lines,
        Line::styled(" ? / Esc closes ", theme.dim()),
    );
}

/// The setup form's keys, on one wrapped line (the form takes text, so `?` there is a character).
fn form_keys(theme: &Theme) -> Line<'static> {
    let mut spans = vec![Span::styled("In the setup form: ", theme.dim())];
    for (index, b) in FORM_BINDINGS.iter().enumerate() {
        if index > 0 {
            spans.push(Span::styled(" · ", theme.dim()));
        }
        spans.push(Span::styled(b.keys, theme.command()));
        spans.push(Span::raw(format!(" {}", b.label)));
    }
    Line::from(spans)
}

/// A bordered box in the middle of `area`, as tall as its wrapped lines, cleared underneath.
/// The `footer` sits on the bottom border: it stays in view when the lines do not fit.
fn render_box(frame: &mut Frame, area: Rect, title: &str, lines: Vec<Line>, footer: Line) {
    render_box_scrolled(frame, area, title, lines, footer, 0);
}

/// [`render_box`], its lines scrolled down by `scroll`.
fn render_box_scrolled(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    lines: Vec<Line>,
    footer: Line,
    scroll: u16,
) {
    let across = area.centered_horizontally(Constraint::Percentage(90));
    let paragraph = Paragraph::new(super::safe::lines(lines))
        .block(
            Block::bordered()
                .title(title.to_owned())
                .title_bottom(footer),
        )
        .wrap(Wrap { trim: false });
    // line_count wraps at the width given (the block's borders not taken off) and adds the borders.
    let height =
        u16::try_from(paragraph.line_count(across.width.saturating_sub(2))).unwrap_or(u16::MAX);
    let boxed = across.centered_vertically(Constraint::Length(height.min(area.height)));
    frame.render_widget(Clear, boxed);
    frame.render_widget(paragraph.scroll((scroll, 0)), boxed);
}
