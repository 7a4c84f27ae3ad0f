//! The selected item's screen: why, status, the check's rows (traffic lights; Tab selects one,
//! Enter expands it), details (facts, policy documents with drifted lines marked, findings,
//! notes) and the plan with its commands.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::app::model::{Connection, Model};
use crate::checklist::{ItemId, Status};
use crate::policy::{DiffLine, Severity};

use super::{TICKS_PER_SECOND, Theme, safe, text};

pub fn render(frame: &mut Frame, area: Rect, model: &Model, theme: &Theme) {
    let (top, output) = split(model, area);
    let max = max_scroll(model, area);
    let scroll = model.scroll.min(max);
    let more = if scroll < max {
        " ↓ more: PgDn "
    } else if scroll > 0 {
        " ↑ PgUp "
    } else {
        ""
    };
    let block = Block::new().title(Line::from(vec![
        Span::styled(format!(" {} ", model.selected.title()), theme.title()),
        Span::styled(more, theme.dim()),
    ]));
    frame.render_widget(
        Paragraph::new(lines(model, theme, top.height, top.width))
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        top,
    );
    if let Some(output) = output {
        render_output(frame, output, model, theme);
    }
}

/// The local test screen gives its lower half to the output pane once there is output.
fn split(model: &Model, area: Rect) -> (Rect, Option<Rect>) {
    let running = model.view(ItemId::LocalTest).applying;
    if model.selected != ItemId::LocalTest || (model.output.is_empty() && !running) {
        return (area, None);
    }
    let [top, bottom] = area.layout(&Layout::vertical([
        Constraint::Fill(1),
        Constraint::Percentage(50),
    ]));
    (top, Some(bottom))
}

/// The tail of the local test's output (pip and twine, tokens masked), newest line at the bottom.
fn render_output(frame: &mut Frame, area: Rect, model: &Model, theme: &Theme) {
    let running = model.view(ItemId::LocalTest).applying;
    let title = if running {
        format!(" Output {} ", super::spinner(model))
    } else {
        " Output of the last run ".to_owned()
    };
    let block = Block::new().borders(Borders::TOP).title(title);
    let height = usize::from(block.inner(area).height);
    let start = model.output.len().saturating_sub(height);
    let lines: Vec<Line> = model.output[start..]
        .iter()
        .map(|l| {
            let style = if l.starts_with('▸') {
                theme.title()
            } else {
                theme.dim()
            };
            Line::styled(safe::text(l), style)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// How many lines the screen's text can scroll by in `area` (its wrapped height minus the view).
pub fn max_scroll(model: &Model, area: Rect) -> u16 {
    let (top, _) = split(model, area);
    let total = Paragraph::new(lines(model, &Theme::plain(), top.height, top.width))
        .wrap(Wrap { trim: false })
        .line_count(top.width);
    let view = usize::from(top.height.saturating_sub(1));
    u16::try_from(total.saturating_sub(view)).unwrap_or(u16::MAX)
}

fn section<'a>(title: &str, theme: &Theme) -> Line<'a> {
    Line::styled(title.to_owned(), theme.title())
}

/// The screen's text for a view `height` rows high (a short one starts with the status), escaped
/// ([`safe::lines`]): it holds facts, findings, documents and commands from AWS and GitHub.
pub fn lines<'a>(model: &'a Model, theme: &Theme, height: u16, width: u16) -> Vec<Line<'a>> {
    safe::lines(unescaped_lines(model, theme, height, width))
}

/// What `t` and `p` do on the local test's screen, in the setup's clients.
fn local_test_hint(model: &Model) -> String {
    let formats = model
        .setup
        .as_ref()
        .map(|s| s.formats.as_slice())
        .unwrap_or(&[]);
    if formats
        .iter()
        .all(|f| f.client == crate::format::Client::Twine)
    {
        return format!(
            "t runs it now (pip install {} through the repository); p also uploads a probe \
             package with twine and installs it",
            model.test_package
        );
    }
    let clients: Vec<&str> = formats.iter().map(|f| f.client.title()).collect();
    format!(
        "t runs it now (each format's client installs a public package through the repository: \
         {}); p also publishes a probe package in each format",
        clients.join(", ")
    )
}

fn unescaped_lines<'a>(model: &'a Model, theme: &Theme, height: u16, width: u16) -> Vec<Line<'a>> {
    let item = model.selected;
    let view = model.view(item);
    let statuses = model.statuses();
    let status = statuses.get(&item).and_then(Option::as_ref);
    // In a short view the status comes first: what the item is, is left out.
    let mut out = if height >= 12 {
        let formats = model
            .setup
            .as_ref()
            .map(|s| s.formats.as_slice())
            .unwrap_or(&[]);
        vec![
            Line::styled(text::why_for(item, formats), theme.dim()),
            Line::from(""),
        ]
    } else {
        Vec::new()
    };
    match &model.connection {
        Connection::Connecting => out.push(Line::styled(
            "connecting to AWS (GetCallerIdentity)…",
            theme.status(None),
        )),
        Connection::Failed(e) => {
            out.push(Line::styled(
                format!("✗ cannot check: {}", e.message),
                theme.removed(),
            ));
            out.push(Line::styled(format!("fix: {}", e.fix), theme.warning()));
            out.push(Line::from("r tries again"));
            return out;
        }
        Connection::Connected | Connection::Idle => {}
    }

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
        None if view.checking_since.is_none() && model.connection == Connection::Connected => {
            out.push(Line::from("not checked yet (r checks)"));
        }
        None => {}
    }
    if item == ItemId::LocalTest && model.connection == Connection::Connected {
        out.push(Line::styled(local_test_hint(model), theme.dim()));
    }
    // The run an apply is watching, live; else the latest run the check read.
    let run = view.live_run.as_ref().map(|r| (r, true)).or_else(|| {
        view.report
            .as_ref()?
            .details
            .run
            .as_ref()
            .map(|r| (r, false))
    });
    if let Some((run, live)) = run {
        out.extend(super::pipeline::lines(
            run,
            live,
            super::spinner(model),
            theme,
        ));
    }
    let Some(report) = &view.report else {
        return out;
    };
    let d = &report.details;
    // The workflow's findings come first: rows, the marked file, the diff.
    if let Some(workflow) = &d.workflow {
        out.extend(super::workflow::lines(workflow, theme));
    }
    let rows = d.screen_rows();
    if !rows.is_empty() {
        out.push(Line::from(""));
        out.push(section("Checks (Tab selects, Enter expands)", theme));
        out.extend(super::rows::lines(
            rows,
            view.row_focus,
            |i| view.expanded(i),
            width,
            theme,
        ));
    }
    if !d.facts.is_empty() {
        out.push(Line::from(""));
        for (label, value) in &d.facts {
            out.push(Line::from(vec![
                Span::styled(format!("{label}: "), theme.label()),
                Span::raw(value.as_str()),
            ]));
        }
    }
    // The workflow's lint findings are drawn as rows with its file below.
    let generic = d
        .findings
        .iter()
        .filter(|f| d.workflow.is_none() || !super::workflow::is_lint(f));
    for f in generic {
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
    // With rows, each simulated action is a row already.
    if !d.simulations.is_empty() && rows.is_empty() {
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
