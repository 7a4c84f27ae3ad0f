//! `cawiz apply` and `cawiz destroy`: confirm, run, print progress, and keep the state file up to
//! date after every step (so an interrupted run loses nothing).

use std::path::Path;
use std::process::ExitCode;

use crate::checklist::{self, Context, Progress};
use crate::cli::{ApplyArgs, DestroyArgs, GlobalArgs, TestOptions};
use crate::escape::line;
use crate::localtest::Options;
use crate::state::{self, State};

use super::output::{header, plan_text, workflow_diffs};
use super::status::record_statuses;
use super::{CliError, Session, confirm, open_session};

pub fn local_test_config(options: &TestOptions) -> Options {
    Options {
        package: options.package.clone(),
        publish: options.publish || options.dist.is_some(),
        dist_dir: options.dist.clone(),
        python: options.python.clone(),
        twine: None,
        as_role: options.as_role,
    }
}

/// The session's context, and a progress callback for it that prints each event and records it in
/// the state file (`on_progress`).
pub fn recording<'a>(
    session: &'a mut Session,
    save_error: &'a mut Option<String>,
) -> (&'a mut Context, impl FnMut(Progress<'_>) + Send + 'a) {
    let Session {
        ctx, state, path, ..
    } = session;
    let mut printer = super::verify::RunPrinter::default();
    (ctx, move |event| {
        on_progress(event, state, path, save_error, &mut printer)
    })
}

/// Prints one progress event and records it in the state (saved at once; the first save error is
/// kept for the end).
fn on_progress(
    event: Progress<'_>,
    state: &mut State,
    path: &Path,
    save_error: &mut Option<String>,
    printer: &mut super::verify::RunPrinter,
) {
    let mut changed = false;
    match event {
        Progress::ItemStart(item) => outln!("▸ {}", item.title()),
        Progress::AlreadyDone(r) => outln!("  ✓ already done: {}", line(&r.status.summary())),
        Progress::StepStart(step) => {
            outln!(
                "  → {}\n    $ {}",
                line(&step.description),
                line(&step.command)
            );
        }
        Progress::StepDone(step, outcome) => {
            outln!("    {}", line(&outcome.describe()));
            outcome.record(step, state);
            changed = true;
        }
        Progress::NeedsYou(item, steps) => {
            outln!("  needs you ({}): run these yourself:", item.title());
            for s in steps {
                outln!("    $ {}", line(&s.command));
            }
        }
        Progress::ItemDone(r) => {
            outln!(
                "  {} {}: {}",
                r.status.glyph(),
                r.status.kind(),
                line(&r.status.summary())
            );
        }
        Progress::Output(output) => outln!("    | {}", line(output.text())),
        Progress::Run(view) => printer.print(view),
        Progress::Destroyed(r, what) => {
            outln!("  - {} {}: {}", r.kind, line(&r.id), line(what));
            state.record(&r.item, &format!("destroy {} {}", r.kind, r.id), what);
            changed = true;
        }
    }
    if changed
        && let Err(e) = state::save(path, state)
        && save_error.is_none()
    {
        *save_error = Some(e.to_string());
    }
}

pub async fn apply(global: &GlobalArgs, args: &ApplyArgs) -> Result<ExitCode, CliError> {
    let mut session = open_session(global, local_test_config(&args.test)).await?;
    session.ctx.workflow.commit = crate::cli::commit_mode(args.commit);
    let sandbox = session.sandbox.is_some();
    outln!("{}", header(&session.ctx, sandbox));
    let chosen: Vec<_> = checklist::check_all(&session.ctx)
        .await
        .into_iter()
        .filter(|r| checklist::selected(&args.only, r.item))
        .collect();
    let steps = checklist::plan(&chosen, &session.ctx.setup.region);
    out!("{}", plan_text(&steps, &chosen));
    let actions: Vec<_> = chosen.iter().flat_map(|r| r.actions.clone()).collect();
    out!("{}", workflow_diffs(&actions));
    if steps.is_empty() {
        // An item that could not be checked was not applied either: not a success.
        let unchecked = chosen
            .iter()
            .any(|r| matches!(r.status, checklist::Status::Error(_)));
        return Ok(if unchecked {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        });
    }
    if !args.yes && !confirm("Apply these changes?", "--yes")? {
        outln!("Nothing changed.");
        return Ok(ExitCode::FAILURE);
    }
    outln!();
    let mut save_error = None;
    let result = {
        let (ctx, mut progress) = recording(&mut session, &mut save_error);
        checklist::apply(ctx, &args.only, &mut progress).await
    };
    let after = checklist::check_all(&session.ctx).await;
    record_statuses(&mut session, &after);
    session.save()?;
    if let Some(e) = save_error {
        return Err(CliError::new(
            format!("the state file could not be written during apply: {e}"),
            "fix the state file location (--state) before applying again",
        ));
    }
    let done = after.iter().filter(|r| r.status.is_done()).count();
    match result {
        Ok(_) => {
            outln!("\n{done}/{} items done.", after.len());
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn destroy(global: &GlobalArgs, args: &DestroyArgs) -> Result<ExitCode, CliError> {
    let mut session = open_session(global, Options::default()).await?;
    outln!("{}", header(&session.ctx, session.sandbox.is_some()));
    let created = session.state.created.clone();
    if created.is_empty() {
        outln!("cawiz created nothing for this setup: nothing to delete.");
        return Ok(ExitCode::SUCCESS);
    }
    outln!("Will delete, in this order (only what cawiz created):");
    for r in created.iter().rev() {
        let (what, command) = checklist::describe_removal(r, &session.ctx.setup.region);
        outln!("  - {}\n    $ {}", line(&what), line(&command));
    }
    if !args.yes && !confirm("Delete these resources?", "--yes")? {
        outln!("Nothing deleted.");
        return Ok(ExitCode::FAILURE);
    }
    let mut save_error = None;
    let (removed, result) = {
        let (ctx, mut progress) = recording(&mut session, &mut save_error);
        checklist::destroy(ctx, &created, &mut progress).await
    };
    session.state.created.retain(|c| !removed.contains(c));
    if removed
        .iter()
        .any(|r| r.kind == "repository" || r.kind == "domain")
    {
        session.state.local_test = None;
    }
    session.save()?;
    match result {
        Ok(()) => {
            outln!("Deleted {} resources.", removed.len());
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => Err(e.into()),
    }
}
