//! The selected item's screen: why, status, details (facts, policy documents with drifted lines
//! marked, simulation per action, findings, notes) and the plan with its commands.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::app::Model;
use crate::checklist::Status;
use crate::policy::{DiffLine, Severity};

use super::{TICKS_PER_SECOND, Theme, text};

pub fn render(frame: &mut Frame, area: Rect, model: &Model, theme: &Theme) {
    let lines = lines(model, theme);
    let block = Block::new().title(Line::styled(
        format!(" {} ", model.selected.title()),
        theme.title(),
    ));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}

fn section<'a>(title: &str, theme: &Theme) -> Line<'a> {
    Line::styled(title.to_owned(), theme.title())
}

pub fn lines<'a>(model: &'a Model, theme: &Theme) -> Vec<Line<'a>> {
    let item = model.selected;
    let view = model.view(item);
    let statuses = model.statuses();
    let status = statuses.get(&item).and_then(Option::as_ref);
    let mut out = vec![Line::styled(text::why(item), theme.dim()), Line::from("")];

    if let Some(since) = view.checking_since {
        let secs = model.ticks.saturating_sub(since) / TICKS_PER_SECOND;
        out.push(Line::styled(
            format!("checking… {secs}s (x cancels)"),
            theme.status(None),
        ));
    } else if view.applying {
        out.push(Line::styled("applying…", theme.status(None)));
    }
    match status {
        Some(s) => {
            out.push(Line::from(vec![
                Span::styled(
                    format!("{} {} ", s.glyph(), s.kind()),
                    theme.status(Some(s)),
                ),
                Span::raw(match s {
                    Status::Error(e) => e.message.clone(),
                    other => other.summary(),
                }),
            ]));
            if let Status::Error(e) = s {
                out.push(Line::styled(format!("fix: {}", e.fix), theme.warning()));
            }
        }
        None if view.checking_since.is_none() => out.push(Line::from("not checked yet (r checks)")),
        None => {}
    }
    let Some(report) = &view.report else {
        return out;
    };
    let d = &report.details;
    if !d.facts.is_empty() {
        out.push(Line::from(""));
        for (label, value) in &d.facts {
            out.push(Line::from(vec![
                Span::styled(format!("{label}: "), theme.label()),
                Span::raw(value.as_str()),
            ]));
        }
    }
    for f in &d.findings {
        let style = if f.severity >= Severity::Error {
            theme.warning()
        } else {
            theme.label()
        };
        out.push(Line::styled(
            format!("{:?}: {}", f.severity, f.message),
            style,
        ));
        out.push(Line::styled(format!("  fix: {}", f.fix), theme.dim()));
    }
    if !d.simulations.is_empty() {
        out.push(Line::from(""));
        out.push(section(
            "Simulation (SimulatePrincipalPolicy, as the role)",
            theme,
        ));
        for s in &d.simulations {
            let style = if s.allowed() {
                theme.added()
            } else {
                theme.removed()
            };
            out.push(Line::from(vec![
                Span::styled(format!("{:<13} ", s.decision), style),
                Span::raw(format!("{} on {}", s.action, s.resource)),
                Span::styled(
                    if s.matched.is_empty() {
                        String::new()
                    } else {
                        format!("  ({})", s.matched.join(", "))
                    },
                    theme.dim(),
                ),
            ]));
        }
    }
    for doc in &d.documents {
        out.push(Line::from(""));
        out.push(section(&doc.title, theme));
        for line in &doc.lines {
            out.push(match line {
                DiffLine::Same(l) => Line::raw(format!("  {l}")),
                DiffLine::Expected(l) => Line::styled(format!("+ {l}"), theme.added()),
                DiffLine::Actual(l) => Line::styled(format!("- {l}"), theme.removed()),
            });
        }
    }
    for note in &d.notes {
        out.push(Line::styled(format!("note: {note}"), theme.dim()));
    }
    let steps = report.steps(&model.identity.region);
    if !steps.is_empty() {
        out.push(Line::from(""));
        out.push(section(
            "Plan (a applies, c copies the first command)",
            theme,
        ));
        for (i, s) in steps.iter().enumerate() {
            out.push(Line::from(format!("{}. {}", i + 1, s.description)));
            out.push(Line::styled(format!("   $ {}", s.command), theme.command()));
        }
    }
    out
}
