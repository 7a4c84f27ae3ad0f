//! The Doctor screen: the three symptoms at the top (their light, title and how many causes
//! fail), the selected symptom's causes as rows (most likely first, one selected, expanded ones
//! with their evidence and fix), and below them the selected cause's evidence and fix. While the
//! doctor runs, a spinner; the last diagnosis stays on screen until the new one arrives.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::app::doctor::DoctorView;
use crate::app::model::{Connection, Model};
use crate::doctor::{CauseReport, Diagnosis, Symptom, SymptomReport};

use super::rows::{self, cut};
use super::{TICKS_PER_SECOND, Theme};

pub fn render(frame: &mut Frame, area: Rect, model: &Model, theme: &Theme) {
    let view = &model.doctor;
    let block = Block::new().title(super::safe::line(title(model, theme)));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(diagnosis) = &view.diagnosis else {
        let waiting = Paragraph::new(super::safe::lines(waiting_lines(model, theme)))
            .wrap(Wrap { trim: false });
        frame.render_widget(waiting, inner);
        return;
    };
    let [tabs, list, detail] = inner.layout(&Layout::vertical([
        Constraint::Length(3),
        Constraint::Fill(1),
        Constraint::Percentage(40),
    ]));
    frame.render_widget(
        Paragraph::new(symptom_lines(diagnosis, view, tabs.width, theme)),
        tabs,
    );
    let Some(report) = view.symptom_report() else {
        return;
    };
    render_causes(frame, list, report, view, theme);
    if let Some(cause) = view.selected_cause() {
        render_detail(frame, detail, cause, theme);
    }
}

/// ` Doctor ` with the spinner while it runs, and the package the package causes looked at.
fn title<'a>(model: &Model, theme: &Theme) -> Line<'a> {
    let view = &model.doctor;
    let mut spans = vec![Span::styled(" Doctor ", theme.title())];
    if let Some(since) = view.running_since {
        let secs = model.ticks.saturating_sub(since) / TICKS_PER_SECOND;
        spans.push(Span::styled(
            format!("{} diagnosing… {secs}s ", super::spinner(model)),
            theme.status(None),
        ));
    }
    if let Some(d) = &view.diagnosis {
        let version = d
            .version
            .as_deref()
            .map(|v| format!(" {v}"))
            .unwrap_or_default();
        spans.push(Span::styled(
            format!(" package {}{version} ", d.package),
            theme.dim(),
        ));
    }
    Line::from(spans)
}

/// Before the first diagnosis: running, why it cannot run, or how to start it.
fn waiting_lines<'a>(model: &Model, theme: &Theme) -> Vec<Line<'a>> {
    let view = &model.doctor;
    let mut out = Vec::new();
    if view.running() {
        out.push(Line::styled(
            "reading AWS, GitHub and pip (read-only) to judge every cause of the three symptoms…",
            theme.status(None),
        ));
    } else if let Some(e) = &view.error {
        out.push(Line::styled(
            format!("✗ the doctor could not run: {e}"),
            theme.removed(),
        ));
        out.push(Line::from("r tries again"));
    } else {
        out.push(match &model.connection {
            Connection::Connecting => {
                Line::styled("connecting to AWS (GetCallerIdentity)…", theme.status(None))
            }
            Connection::Failed(e) => Line::styled(
                format!("✗ not connected: {} (r tries again)", e.message),
                theme.removed(),
            ),
            Connection::Connected | Connection::Idle => Line::from("not diagnosed yet (r runs it)"),
        });
    }
    out.push(Line::from(""));
    for (i, symptom) in Symptom::ALL.iter().enumerate() {
        out.push(Line::styled(
            format!("· {} {}", i + 1, symptom.title()),
            theme.dim(),
        ));
    }
    out
}

/// One line per symptom: `✗ 1 OIDC authentication failed (2 failing)`, the selected reversed;
/// the title is cut first so that the count stays.
fn symptom_lines<'a>(
    diagnosis: &Diagnosis,
    view: &DoctorView,
    width: u16,
    theme: &Theme,
) -> Vec<Line<'a>> {
    view.symptoms()
        .iter()
        .enumerate()
        .filter_map(|(i, symptom)| {
            let report = diagnosis.symptoms.iter().find(|s| s.symptom == *symptom)?;
            Some(symptom_line(report, i, i == view.symptom, width, theme))
        })
        .collect()
}

fn symptom_line<'a>(
    report: &SymptomReport,
    index: usize,
    selected: bool,
    width: u16,
    theme: &Theme,
) -> Line<'a> {
    let verdict = report.verdict();
    let count = match report.failing() {
        0 => String::new(),
        n => format!(" ({n} failing)"),
    };
    let room = usize::from(width).saturating_sub(4 + count.chars().count());
    let style = if selected {
        theme.selected()
    } else {
        theme.label()
    };
    Line::from(vec![
        Span::styled(format!("{} ", verdict.glyph()), theme.verdict(&verdict)),
        Span::styled(
            format!("{} {}", index + 1, cut(report.symptom.title(), room)),
            style,
        ),
        Span::styled(count, theme.verdict(&verdict)),
    ])
}

/// The causes as rows, scrolled so that the selected row is in view.
fn render_causes(
    frame: &mut Frame,
    area: Rect,
    report: &SymptomReport,
    view: &DoctorView,
    theme: &Theme,
) {
    let causes: Vec<_> = report.causes.iter().map(CauseReport::row).collect();
    let expanded = |i: usize| {
        report
            .causes
            .get(i)
            .is_some_and(|c| view.expanded.contains(c.cause.id))
    };
    let lines = rows::lines(&causes, Some(view.cause), expanded, area.width, theme);
    // Where the selected row starts: the rows above it, with their detail when expanded.
    let above: usize = (0..view.cause.min(causes.len()))
        .map(|i| {
            1 + if expanded(i) {
                rows::detail_lines(&causes[i], theme).len()
            } else {
                0
            }
        })
        .sum();
    let scroll = scroll_to(&lines[..above.min(lines.len())], area);
    let list = Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .scroll((scroll, 0));
    frame.render_widget(list, area);
}

/// How far to scroll so that the line after `above` (wrapped at the area's width) is the last
/// one in view, when it would be below it.
fn scroll_to(above: &[Line], area: Rect) -> u16 {
    let top: usize = above
        .iter()
        .map(|l| {
            Paragraph::new(l.clone())
                .wrap(Wrap { trim: false })
                .line_count(area.width)
        })
        .sum();
    let height = usize::from(area.height);
    u16::try_from((top + 1).saturating_sub(height)).unwrap_or(u16::MAX)
}

/// The selected cause: its id in the border, its evidence and fix, and what `f` does for it.
fn render_detail(frame: &mut Frame, area: Rect, cause: &CauseReport, theme: &Theme) {
    let row = cause.row();
    let block = Block::new().borders(Borders::TOP).title(Line::from(vec![
        Span::styled(
            format!(" {} ", row.verdict.glyph()),
            theme.verdict(&row.verdict),
        ),
        Span::styled(format!("{} ", row.id), theme.title()),
    ]));
    let mut lines = rows::detail_lines(&row, theme);
    if lines.is_empty() {
        lines.push(Line::styled("    no evidence to show", theme.dim()));
    }
    if cause.from_log {
        lines.insert(
            0,
            Line::styled(
                "    the latest failed run's log names this cause",
                theme.warning(),
            ),
        );
    }
    lines.push(fix_hint(cause, theme));
    let detail = Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false });
    frame.render_widget(detail, area);
}

fn fix_hint<'a>(cause: &CauseReport, theme: &Theme) -> Line<'a> {
    let text = match cause.fix_item {
        _ if cause.verdict.rank() >= 3 => "    nothing to fix".to_owned(),
        Some(item) => format!("    f applies {} (asks first)", item.title()),
        None => "    f puts the fix in the log (cawiz cannot apply it)".to_owned(),
    };
    Line::styled(text, theme.dim())
}
