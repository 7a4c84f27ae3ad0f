//! `cawiz verify`: start a run of the publish workflow (a manual run publishing the probe package,
//! or a real release), print its jobs and steps as they progress, and on failure the cause its log
//! shows, with the line and the fix. Exit 0 only when the run succeeded.

use std::process::ExitCode;

use serde_json::json;

use crate::checklist::pipeline_run::{POLL, target};
use crate::cli::{GlobalArgs, VerifyArgs};
use crate::escape::line;
use crate::localtest::Options;
use crate::pipeline::{self, RunView, Start};

use super::output::header;
use super::session::open_session;
use super::{CliError, confirm};

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

/// The project's version from `pyproject.toml` in the working directory, for a release's tag.
fn project_version() -> Option<String> {
    crate::setup::pyproject::read(std::path::Path::new("."))?.version
}

/// What to start: the probe, or a release of `--release TAG` (default `v` + pyproject's version).
fn how(args: &VerifyArgs) -> Result<Start, CliError> {
    match args.release.as_deref() {
        None => Ok(Start::Probe),
        Some("") => project_version()
            .map(|v| Start::Release {
                tag: format!("v{v}"),
            })
            .ok_or_else(|| {
                CliError::new(
                    "no tag for the release: pyproject.toml here has no version",
                    "pass the tag: cawiz verify --release v1.2.3",
                )
            }),
        Some(tag) => Ok(Start::Release {
            tag: tag.to_owned(),
        }),
    }
}

/// The JSON of the issue: `{"run": …, "diagnosis": {"cause","evidence","fix"} | null}`.
fn json_result(view: &RunView) -> serde_json::Value {
    json!({
        "run": view.json(),
        "diagnosis": view.diagnosis.as_ref().map(|d| json!({
            "cause": d.cause, "title": d.title, "evidence": d.evidence, "fix": d.fix
        })),
    })
}

pub async fn run(global: &GlobalArgs, args: &VerifyArgs) -> Result<ExitCode, CliError> {
    let how = how(args)?;
    let session = open_session(global, Options::default()).await?;
    let ctx = &session.ctx;
    if !ctx.github.has_token() {
        let github = format!("{}/{}", ctx.setup.github_owner, ctx.setup.github_repo);
        return Err(CliError::new(
            "no GitHub token: cawiz cannot start or watch a run",
            format!(
                "set GITHUB_TOKEN (or log in with `gh auth login`), or run: gh workflow run {} -f \
                 probe=true --repo {github} && gh run watch --repo {github}",
                pipeline::workflow_file()
            ),
        ));
    }
    if !args.json {
        outln!("{}", header(ctx, session.sandbox.is_some()));
    }
    if let Start::Release { tag } = &how {
        let question = format!(
            "Publish the release {tag} of {}/{}? It is a real release and publishes that version.",
            ctx.setup.github_owner, ctx.setup.github_repo
        );
        if !args.yes && !confirm(&question, "--yes")? {
            outln!("Nothing changed.");
            return Ok(ExitCode::FAILURE);
        }
    }
    let target = target(ctx)
        .await
        .map_err(|e| CliError::new(e.to_string(), e.fix()))?;
    let before = pipeline::latest(&ctx.github, &target)
        .await
        .map_err(|e| CliError::new(e.to_string(), e.fix()))?
        .map(|v| v.run.id);
    let id = pipeline::start(&ctx.github, &target, &how, before)
        .await
        .map_err(|e| CliError::new(e.to_string(), e.fix()))?;
    let json = args.json;
    let mut printer = RunPrinter::default();
    let mut on_update = |view: &RunView| {
        if !json {
            printer.print(view);
        }
    };
    let view = pipeline::watch(&ctx.github, &target, id, POLL, &mut on_update)
        .await
        .map_err(|e| CliError::new(e.to_string(), e.fix()))?;
    if json {
        super::print::json(&json_result(&view));
    } else {
        report(&view);
    }
    Ok(if view.run.succeeded() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn report(view: &RunView) {
    let run = &view.run;
    if run.succeeded() {
        outln!(
            "\nThe pipeline works: run #{} succeeded ({}).",
            run.run_number,
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
