//! The Pipeline screen's own part: the run (live while an apply watches it), each job and step
//! with its glyph, and the cause a failed run's log shows with the matched line and the fix.

use ratatui::text::{Line, Span};

use crate::pipeline::RunView;

use super::Theme;

/// A glyph and a style for a job's or step's state; the spinner frame while it runs.
fn state(
    status: &str,
    conclusion: Option<&str>,
    frame: &'static str,
    theme: &Theme,
) -> (&'static str, ratatui::style::Style) {
    match (status, conclusion) {
        ("completed", Some("success")) => ("✓", theme.added()),
        ("completed", Some("skipped")) => ("-", theme.dim()),
        ("completed", _) => ("✗", theme.removed()),
        ("in_progress", _) => (frame, theme.warning()),
        _ => ("·", theme.dim()),
    }
}

pub fn lines<'a>(
    view: &'a RunView,
    live: bool,
    frame: &'static str,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let run = &view.run;
    let mut out = vec![Line::from("")];
    let (glyph, style) = state(&run.status, run.conclusion.as_deref(), frame, theme);
    let what = run
        .conclusion
        .as_deref()
        .filter(|_| run.completed())
        .unwrap_or(run.status.as_str())
        .replace('_', " ");
    out.push(Line::from(vec![
        Span::styled(format!("{glyph} "), style),
        Span::styled(
            format!(
                "Run #{} ({}){}: {what}",
                run.run_number,
                run.event,
                if live && !run.completed() {
                    ", watching"
                } else {
                    ""
                }
            ),
            theme.title(),
        ),
    ]));
    for job in &view.jobs {
        let (glyph, style) = state(&job.status, job.conclusion.as_deref(), frame, theme);
        out.push(Line::from(vec![
            Span::styled(format!("  {glyph} "), style),
            Span::raw(job.name.as_str()),
        ]));
        for step in &job.steps {
            let (glyph, style) = state(&step.status, step.conclusion.as_deref(), frame, theme);
            out.push(Line::from(vec![
                Span::styled(format!("      {glyph} "), style),
                Span::styled(step.name.as_str(), theme.dim()),
            ]));
        }
    }
    if let Some(d) = &view.diagnosis {
        out.push(Line::from(""));
        out.push(Line::styled(
            format!("✗ cause: {} — {}", d.cause, d.title),
            theme.removed(),
        ));
        out.push(Line::styled(
            format!("  log: {}", d.evidence),
            theme.label(),
        ));
        out.push(Line::styled(format!("  fix: {}", d.fix), theme.dim()));
    }
    out
}
