//! `cawiz verify`: start a run of the publish workflow where GitHub sends the subject the role
//! trusts for the setup's scope (a manual run publishing the probe package on the default branch,
//! the scope's branch or a throw-away tag; or a real release), print its jobs and steps as they
//! progress, and on failure the cause its log shows, with the line and the fix. Exit 0 only when
//! the run's publish job ran and its version is in the repository (`pipeline::proof`); a scope
//! only a person can verify (a branch to create, a pull request to open) says what to do and
//! exits non-zero.

mod start;

use std::process::ExitCode;

use serde_json::json;

use crate::checklist::Context;
use crate::checklist::pipeline_run::{POLL, project_name};
use crate::checklist::rows::Row;
use crate::cli::{GlobalArgs, VerifyArgs};
use crate::escape::line;
use crate::localtest::Options;
use crate::pipeline::proof::{self, Outcome};
use crate::pipeline::verification::start_and_watch;
use crate::pipeline::{self, RunView};

use super::CliError;
use super::output::header;
use super::session::open_session;

/// A glyph for a job's or step's state.
fn glyph(status: &str, conclusion: Option<&str>) -> &'static str {
    match (status, conclusion) {
        ("completed", Some("success")) => "✓",
        ("completed", Some("skipped")) => "-",
        ("completed", _) => "✗",
        ("in_progress", _) => "…",
        _ => "·",
    }
}

/// A glyph and a state word for a run, job or step.
fn state(status: &str, conclusion: Option<&str>) -> String {
    let word = conclusion.unwrap_or(status).replace('_', " ");
    format!("{} {word}", glyph(status, conclusion))
}

/// The run as (key, line) pairs: the run, each job, each job's steps.
fn run_lines(view: &RunView) -> Vec<(String, String)> {
    let run = &view.run;
    let mut out = vec![(
        "run".to_owned(),
        format!(
            "    run #{}: {}",
            run.run_number,
            state(&run.status, run.conclusion.as_deref())
        ),
    )];
    for job in &view.jobs {
        out.push((
            job.name.clone(),
            format!(
                "      {}: {}",
                job.name,
                state(&job.status, job.conclusion.as_deref())
            ),
        ));
        // A step not started yet says nothing: it is printed when it starts or ends.
        for step in job.steps.iter().filter(|s| s.status != "queued") {
            out.push((
                format!("{}\u{0}{}", job.name, step.name),
                format!(
                    "        {} › {}: {}",
                    job.name,
                    step.name,
                    state(&step.status, step.conclusion.as_deref())
                ),
            ));
        }
    }
    out
}

/// Prints a watched run as it progresses: each run, job or step line once per change of state,
/// so a long run reads as a log rather than a repeated screen.
#[derive(Debug, Default)]
pub struct RunPrinter {
    seen: std::collections::BTreeMap<String, String>,
}

impl RunPrinter {
    /// The lines that changed since the last view.
    pub fn changes(&mut self, view: &RunView) -> Vec<String> {
        run_lines(view)
            .into_iter()
            .filter_map(|(key, line)| {
                let changed = self.seen.get(&key) != Some(&line);
                changed.then(|| {
                    self.seen.insert(key, line.clone());
                    line
                })
            })
            .collect()
    }

    pub fn print(&mut self, view: &RunView) {
        for changed in self.changes(view) {
            outln!("{}", line(&changed));
        }
    }
}

/// The JSON of the issue: `{"run", "diagnosis", "outcome", "published", "summary"}`.
fn json_result(view: &RunView, outcome: &Outcome, summary: &str) -> serde_json::Value {
    let published = match outcome {
        Outcome::Published(p) => json!(p),
        _ => serde_json::Value::Null,
    };
    json!({
        "run": view.json(),
        "diagnosis": view.diagnosis.as_ref().map(|d| json!({
            "cause": d.cause, "title": d.title, "evidence": d.evidence, "fix": d.fix
        })),
        "outcome": outcome.word(),
        "published": published,
        "summary": summary,
    })
}

fn no_token(ctx: &Context) -> CliError {
    CliError::new(
        "no GitHub token: cawiz cannot start or watch a run",
        format!(
            "set GITHUB_TOKEN (or log in with `gh auth login`), or run: {}",
            start::by_hand(ctx)
        ),
    )
}

pub async fn run(global: &GlobalArgs, args: &VerifyArgs) -> Result<ExitCode, CliError> {
    let release = start::release_tag(args)?;
    let session = open_session(global, Options::default()).await?;
    let ctx = &session.ctx;
    if !ctx.github.has_token() {
        return Err(no_token(ctx));
    }
    if !args.json {
        outln!("{}", header(ctx, session.sandbox.is_some()));
    }
    let plan = start::plan(ctx, release, args).await?;
    let json = args.json;
    let mut printer = RunPrinter::default();
    let mut on_update = |view: &RunView| {
        if !json {
            printer.print(view);
        }
    };
    let view = match plan {
        start::Plan::Start(target, how) => {
            let watched = start_and_watch(&ctx.github, &target, &how, POLL, &mut on_update)
                .await
                .map_err(|e| CliError::new(e.to_string(), e.fix()))?;
            if let Some(tag) = &watched.leftover_tag {
                errln!("warning: the verification tag is still there: {tag}; delete it by hand");
            }
            watched.view
        }
        start::Plan::Watch(target, id) => {
            pipeline::watch(&ctx.github, &target, id, POLL, &mut on_update)
                .await
                .map_err(|e| CliError::new(e.to_string(), e.fix()))?
        }
        start::Plan::Done(view) => {
            on_update(&view);
            *view
        }
    };
    let mut view = view;
    crate::checklist::pipeline_run::settle(ctx, &mut view).await;
    let name = project_name();
    let outcome = proof::outcome(
        &ctx.clients,
        &ctx.setup,
        &ctx.account,
        &view,
        name.as_deref(),
    )
    .await
    .map_err(|e| CliError::new(e.to_string(), e.fix()))?;
    let repository = format!("{}/{}", ctx.setup.domain, ctx.setup.repository);
    let summary = outcome.summary(&format!("run #{}", view.run.run_number), &repository);
    let notified = match &outcome {
        Outcome::Published(p) => {
            crate::checklist::notifications::publication_rows(ctx, &p.package, &p.version).await
        }
        _ => Vec::new(),
    };
    if json {
        let mut doc = json_result(&view, &outcome, &summary);
        if !ctx.setup.notify.is_empty() {
            doc["notification"] = notified.iter().map(Row::json).collect();
        }
        super::print::json(&doc);
    } else {
        report(&view, &outcome, &summary);
        if let Some(line) = crate::checklist::notifications::sentence(&notified) {
            outln!("{}", crate::escape::line(&line));
        }
    }
    Ok(if outcome.proves() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn report(view: &RunView, outcome: &Outcome, summary: &str) {
    let run = &view.run;
    if outcome.proves() {
        outln!(
            "\nThe pipeline works: {} ({}).",
            line(summary),
            line(&run.html_url)
        );
        return;
    }
    if !matches!(outcome, Outcome::Failed) {
        outln!(
            "\nNot verified: {} ({}).",
            line(summary),
            line(&run.html_url)
        );
        return;
    }
    outln!(
        "\nRun #{} ended {} ({}).",
        run.run_number,
        line(run.conclusion.as_deref().unwrap_or("unfinished")),
        line(&run.html_url)
    );
    match &view.diagnosis {
        Some(d) => {
            outln!("cause: {} — {}", d.cause, line(&d.title));
            outln!("evidence: {}", line(&d.evidence));
            outln!("fix: {}", line(&d.fix));
        }
        None => outln!(
            "Its log matches no known failure: read it (gh run view {} --log-failed).",
            run.id
        ),
    }
}
