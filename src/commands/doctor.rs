//! `cawiz doctor [SYMPTOM] [--package NAME] [--version V] [--json]`: the causes of each symptom
//! as traffic-light rows (most likely first), each with its evidence and fix; exit 0 only when no
//! cause fails.

use std::process::ExitCode;

use futures::FutureExt as _;

use crate::cli::{DoctorArgs, GlobalArgs};
use crate::doctor::{CauseReport, Diagnosis, Request, SymptomReport, Verdict, diagnose};
use crate::escape::line;
use crate::localtest::Options;

use super::CliError;
use super::output::header;
use super::session::open_unconfirmed;

fn cause_lines(c: &CauseReport) -> Vec<String> {
    let mut out = vec![format!(
        "  {} {:<28} {}{}",
        c.verdict.glyph(),
        c.cause.id,
        c.headline(),
        if c.from_log {
            "  [the latest run's log]"
        } else {
            ""
        }
    )];
    if let Some(reason) = c.verdict.reason() {
        out.push(format!("      {reason}"));
    }
    if c.fails() || matches!(c.verdict, Verdict::Unknown(_)) {
        out.extend(
            c.evidence
                .iter()
                .map(|e| format!("      evidence: {}", line(e))),
        );
    }
    if c.fails() {
        out.push(format!("      fix: {}", c.fix()));
    }
    out
}

fn symptom_lines(s: &SymptomReport) -> Vec<String> {
    let failing = s.failing();
    let mut out = vec![format!(
        "{} {} ({}): {}",
        s.verdict().glyph(),
        s.symptom.title(),
        s.symptom.key(),
        if failing == 0 {
            "no cause found".to_owned()
        } else {
            format!("{failing} cause(s) found")
        }
    )];
    out.extend(s.causes.iter().flat_map(cause_lines));
    out
}

/// The diagnosis as text: per symptom, its causes as rows (evidence and fix under each failing
/// or unknown one).
pub fn text(d: &Diagnosis) -> String {
    let mut out = vec![format!(
        "package {}{}",
        d.package,
        d.version
            .as_ref()
            .map_or_else(String::new, |v| format!(" {v}"))
    )];
    out.push(
        "✗ the cause is there · ✓ ruled out · ? could not be checked · - does not apply".to_owned(),
    );
    for s in &d.symptoms {
        out.push(String::new());
        out.extend(symptom_lines(s));
    }
    if !d.notes.is_empty() {
        out.push(String::new());
        out.extend(d.notes.iter().map(|n| format!("note: {n}")));
    }
    // Each entry is one line: a log line or an API message in the evidence cannot start another.
    out.iter().map(|l| line(l)).collect::<Vec<_>>().join("\n")
}

pub async fn run(global: &GlobalArgs, args: &DoctorArgs) -> Result<ExitCode, CliError> {
    let options = Options {
        python: args.python.clone(),
        ..Options::default()
    };
    let mut session = open_unconfirmed(global, options).await?;
    let request = Request {
        symptoms: args.symptom.into_iter().collect(),
        package: args.package.clone(),
        version: args.version.clone(),
    };
    let diagnosis = crate::checklist::confirmed(&mut session.ctx, &|ctx| {
        let request = request.clone();
        async move { diagnose(ctx, &request).await }.boxed()
    })
    .await?;
    // What the reads learned (the account, the role's ARN, …) lets the next run read at once.
    let known = session.ctx.learned.snapshot();
    if known != session.state.known {
        session.state.known = known;
        // Only a hint for the next run: the diagnosis stands without it.
        if let Err(e) = session.save() {
            errln!(
                "warning: the facts for the next run were not saved: {}",
                crate::escape::line(&e.one_line())
            );
        }
    }
    let ctx = &session.ctx;
    if args.json {
        super::print::json(&diagnosis.json());
    } else {
        outln!("{}\n", header(ctx, session.sandbox.is_some()));
        outln!("{}", text(&diagnosis));
    }
    Ok(if diagnosis.failing() == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
