//! Drawing: `render(frame, &model, &theme)` only reads the model. The checklist is the header, the
//! sidebar beside the item screen, the log and the key hints, with the help and confirmation
//! overlays on top; the Doctor screen takes the item screen's place (and the sidebar's, when
//! narrow); the welcome screen and the setup form replace the body in those phases.

mod doctor;
mod form;
mod overlay;
mod pipeline;
pub mod rows;
pub mod safe;
mod screen;
pub mod text;
pub mod theme;
mod welcome;
mod workflow;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph, Wrap};

use crate::app::keys::{BINDINGS, Binding, DOCTOR_BINDINGS, FORM_BINDINGS, Hint, WELCOME_BINDINGS};
use crate::app::model::{Connection, Model, Phase};
use crate::checklist::{ItemId, Status};

pub use theme::Theme;

const SPINNER: [&str; 4] = ["◐", "◓", "◑", "◒"];
/// Ticks per second (see `app::model::TICK_MS`).
pub const TICKS_PER_SECOND: u64 = 10;

/// The mark of a status, `·` while none is known yet.
pub fn glyph(status: Option<&Status>) -> &'static str {
    status.map_or("·", Status::glyph)
}

fn spinner(model: &Model) -> &'static str {
    SPINNER[usize::try_from(model.ticks % 4).unwrap_or(0)]
}

/// Where each part of the checklist goes in `area`.
struct Areas {
    header: Rect,
    side: Rect,
    main: Rect,
    log: Rect,
    footer: Rect,
}

fn areas(area: Rect) -> Areas {
    let log_height = if area.height >= 20 { 6 } else { 0 };
    let [header, body, log, footer] = area.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(log_height),
        Constraint::Length(1),
    ]));
    let side_width = if body.width >= 60 {
        26
    } else {
        (body.width / 3).max(body.width.min(14))
    };
    let [side, main] = body.layout(&Layout::horizontal([
        Constraint::Length(side_width),
        Constraint::Fill(1),
    ]));
    Areas {
        header,
        side,
        main,
        log,
        footer,
    }
}

fn sidebar_block<'a>(title: String) -> Block<'a> {
    Block::new().borders(Borders::RIGHT).title(title)
}

/// The checklist item drawn at a terminal cell (mouse clicks), for a terminal of `size`.
pub fn item_at(model: &Model, column: u16, row: u16) -> Option<ItemId> {
    let size = model.size;
    let side = areas(Rect::new(0, 0, size.0, size.1)).side;
    let inner = sidebar_block(String::new()).inner(side);
    if column < inner.x || column >= inner.right() || row < inner.y || row >= inner.bottom() {
        return None;
    }
    let ids = model.item_ids();
    // The sidebar scrolls (ratatui's List from offset 0) just enough to show the selected item.
    let selected = ids.iter().position(|i| *i == model.selected).unwrap_or(0);
    let offset = (selected + 1).saturating_sub(usize::from(inner.height));
    ids.get(offset + usize::from(row - inner.y)).copied()
}

/// How far the selected item's screen can scroll at the model's terminal size.
pub fn max_scroll(model: &Model) -> u16 {
    let main = areas(Rect::new(0, 0, model.size.0, model.size.1)).main;
    screen::max_scroll(model, main)
}

/// The narrowest sidebar kept beside the Doctor screen (the sidebar of an 80-column terminal).
const DOCTOR_SIDEBAR_MIN: u16 = 26;

/// Below this the layout cannot hold its parts; a one-line notice is drawn instead.
pub const MIN_SIZE: (u16, u16) = (20, 5);

pub fn render(frame: &mut Frame, model: &Model, theme: &Theme) {
    let area = frame.area();
    if area.width == 0 || area.height == 0 {
        return;
    }
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        // Unwrapped: ratatui's wrapping can write outside a 2-cell area (ratatui#2679).
        let notice = format!(
            "cawiz: terminal too small ({}×{}, needs {}×{}); q quits",
            area.width, area.height, MIN_SIZE.0, MIN_SIZE.1
        );
        frame.render_widget(Paragraph::new(notice), area);
        return;
    }
    let a = areas(area);
    render_header(frame, a.header, model, theme);
    let [_, body, footer] = area.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
    ]));
    match &model.phase {
        Phase::Starting | Phase::Welcome { .. } => {
            welcome::render(frame, body, model, theme);
            render_hints(frame, footer, hints(model), theme);
            return;
        }
        Phase::Form(form) => {
            form::render(frame, body, form, theme);
            render_hints(frame, footer, hints(model), theme);
            return;
        }
        Phase::Checklist => {
            render_sidebar(frame, a.side, model, theme);
            screen::render(frame, a.main, model, theme);
        }
        // The sidebar stays beside the doctor when there is room for both.
        Phase::Doctor if a.side.width >= DOCTOR_SIDEBAR_MIN => {
            render_sidebar(frame, a.side, model, theme);
            doctor::render(frame, a.main, model, theme);
        }
        Phase::Doctor => doctor::render(frame, a.side.union(a.main), model, theme),
    }
    if a.log.height > 0 {
        render_log(frame, a.log, model, theme);
    }
    render_hints(frame, a.footer, hints(model), theme);
    overlay::render(frame, area, model, theme);
}

fn render_header(frame: &mut Frame, area: Rect, model: &Model, theme: &Theme) {
    let full = header_spans(model, theme, true);
    let spans = if Line::from(full.clone()).width() > usize::from(area.width) {
        header_spans(model, theme, false)
    } else {
        full
    };
    frame.render_widget(Paragraph::new(safe::line(Line::from(spans))), area);
}

/// The header's parts; not `wordy`, the labels are left out (a narrow terminal, a long name).
fn header_spans<'a>(model: &Model, theme: &Theme, wordy: bool) -> Vec<Span<'a>> {
    let id = &model.identity;
    let mut spans = vec![Span::styled(" cawiz ", theme.title())];
    // The profile and the repository are the user's; the account comes from STS: escaped all the
    // same, and before the width is measured.
    if id.sandbox {
        spans.push(Span::styled(" SANDBOX ", theme.badge()));
        spans.push(Span::raw(" "));
    }
    if !id.github.is_empty() {
        spans.push(Span::raw(format!("{} · ", safe::text(&id.github))));
    }
    match &model.connection {
        Connection::Connected if wordy => {
            spans.push(Span::raw(format!("account {}", safe::text(&id.account))));
        }
        Connection::Connected => spans.push(Span::raw(safe::text(&id.account).into_owned())),
        Connection::Connecting => spans.push(Span::styled(
            format!("{} connecting", spinner(model)),
            theme.status(None),
        )),
        Connection::Idle => spans.push(Span::styled("not connected", theme.dim())),
        Connection::Failed(_) => spans.push(Span::styled("AWS unreachable", theme.warning())),
    }
    if !id.region.is_empty() {
        spans.push(Span::raw(format!(" · {}", safe::text(&id.region))));
    }
    if let Some(p) = &id.profile {
        let p = safe::text(p);
        spans.push(Span::raw(if wordy {
            format!(" · profile {p}")
        } else {
            format!(" · {p}")
        }));
    }
    spans.extend(gauge(model, theme));
    spans
}

/// "4/9 done" once connected (the sidebar's title says where `A` is while it runs).
fn gauge<'a>(model: &Model, theme: &Theme) -> Vec<Span<'a>> {
    if model.connection != Connection::Connected || matches!(model.phase, Phase::Form(_)) {
        return Vec::new();
    }
    let (done, total) = crate::app::all::progress(model);
    vec![
        Span::raw(" · "),
        Span::styled(format!("{done}/{total} done"), theme.title()),
    ]
}

/// The sidebar's title: "Checklist 4/9", or while `A` runs its place and time ("Applying 2/5 ·
/// 12 s", "Stopping …" once `x` was pressed).
fn sidebar_title(model: &Model, done: usize) -> String {
    match &model.all {
        Some(run) => {
            let (k, n) = run.position().unwrap_or((0, run.items.len()));
            let seconds = run.seconds(model.ticks);
            let verb = if run.cancelling {
                "Stopping"
            } else {
                "Applying"
            };
            format!(" {verb} {k}/{n} · {seconds} s ")
        }
        None => format!(" Checklist {done}/{} ", model.item_ids().len()),
    }
}

fn render_sidebar(frame: &mut Frame, area: Rect, model: &Model, theme: &Theme) {
    let statuses = model.statuses();
    let items: Vec<ListItem> = model
        .item_ids()
        .into_iter()
        .map(|item| {
            let view = model.view(item);
            let status = statuses.get(&item).and_then(Option::as_ref);
            let busy = view.checking_since.is_some()
                || view.applying
                || model.connection == Connection::Connecting;
            let mark = if busy { spinner(model) } else { glyph(status) };
            let mut style = theme.status(if busy { None } else { status });
            if item == model.selected {
                style = style.patch(theme.selected());
            }
            let title = if area.width >= 24 {
                item.title()
            } else {
                item.short_title()
            };
            ListItem::new(Line::styled(format!(" {mark} {title}"), style))
        })
        .collect();
    let done = statuses
        .values()
        .filter(|s| s.as_ref().is_some_and(Status::is_done))
        .count();
    // The selected item stays in view when the list is taller than the sidebar (a tiny terminal
    // with the optional items).
    let selected = model.item_ids().iter().position(|i| *i == model.selected);
    let mut state = ListState::default().with_selected(selected);
    frame.render_stateful_widget(
        List::new(items).block(sidebar_block(sidebar_title(model, done))),
        area,
        &mut state,
    );
}

/// The newest log lines that fit, wrapped, the last at the bottom.
fn render_log(frame: &mut Frame, area: Rect, model: &Model, theme: &Theme) {
    let block = Block::new().borders(Borders::TOP).title(" Log ");
    let inner = block.inner(area);
    let height = usize::from(inner.height);
    let mut rows = 0;
    let mut start = model.log.len();
    while start > 0 && rows < height {
        start -= 1;
        rows += Paragraph::new(safe::text(&model.log[start]))
            .wrap(Wrap { trim: false })
            .line_count(inner.width)
            .max(1);
    }
    let lines: Vec<Line> = model.log[start..]
        .iter()
        .map(|l| Line::styled(safe::text(l), theme.dim()))
        .collect();
    let hidden = u16::try_from(rows.saturating_sub(height)).unwrap_or(u16::MAX);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((hidden, 0)),
        area,
    );
}

/// The key hints that apply now: the phase's table, filtered by each binding's condition.
pub fn hints(model: &Model) -> Vec<&'static Binding> {
    let table: &'static [Binding] = match &model.phase {
        Phase::Starting => &WELCOME_BINDINGS[2..],
        Phase::Welcome { .. } => WELCOME_BINDINGS,
        Phase::Form(_) => FORM_BINDINGS,
        Phase::Checklist => BINDINGS,
        Phase::Doctor => DOCTOR_BINDINGS,
    };
    let checking = model.view(model.selected).checking_since.is_some();
    let local_test = model.selected == ItemId::LocalTest;
    let applying_all = model.all.is_some();
    let pending = !applying_all && crate::app::all::pending(model);
    table
        .iter()
        .filter(|b| match b.hint {
            Hint::Always => true,
            Hint::Never => false,
            Hint::WhileChecking => checking && !applying_all,
            Hint::OnLocalTest => local_test,
            Hint::WhilePending => pending,
            Hint::WhileApplyingAll => applying_all,
        })
        .collect()
}

/// The hints that fit in `width`, in the table's order, always keeping help and quit (`?` lists
/// every key).
fn fitting(bindings: Vec<&Binding>, width: u16) -> Vec<&Binding> {
    let cost = |b: &Binding| b.keys.chars().count() + b.label.chars().count() + 4;
    let kept = |b: &Binding| matches!(b.keys, "?" | "q");
    let mut used: usize = bindings.iter().filter(|b| kept(b)).map(|b| cost(b)).sum();
    bindings
        .into_iter()
        .filter(|b| {
            if kept(b) {
                return true;
            }
            let fits = used + cost(b) <= usize::from(width);
            if fits {
                used += cost(b);
            }
            fits
        })
        .collect()
}

fn render_hints(frame: &mut Frame, area: Rect, bindings: Vec<&Binding>, theme: &Theme) {
    let mut spans = Vec::new();
    for b in fitting(bindings, area.width) {
        spans.push(Span::styled(format!(" {} ", b.keys), theme.badge()));
        spans.push(Span::raw(format!(" {} ", b.label)));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

#[cfg(test)]
mod tests;
