//! `cawiz status` and `cawiz plan`.

use std::process::ExitCode;

use futures::FutureExt as _;

use crate::checklist::{self, Report};
use crate::cli::{GlobalArgs, PlanArgs, PlanFormat, StatusArgs};
use crate::localtest::Options;
use crate::state::now_secs;

use super::output::{header, plan_sh, plan_text, status_json, status_text};
use super::{CliError, Session, open_session, open_unconfirmed};

/// Remembers each item's status and when it was checked.
pub fn record_statuses(session: &mut Session, reports: &[Report]) {
    let at = now_secs();
    for r in reports {
        session
            .state
            .items
            .insert(r.item.key().to_owned(), r.record(at));
    }
}

/// Remembers what the checks learned for the next run ([`crate::state::Known`]).
pub fn record_known(session: &mut Session) {
    session.state.known = session.ctx.learned.snapshot();
}

pub async fn status(global: &GlobalArgs, args: &StatusArgs) -> Result<ExitCode, CliError> {
    let mut session = open_unconfirmed(global, Options::default()).await?;
    let reports =
        checklist::confirmed(&mut session.ctx, &|ctx| checklist::check_all(ctx).boxed()).await?;
    record_statuses(&mut session, &reports);
    record_known(&mut session);
    session.save()?;
    let sandbox = session.sandbox.is_some();
    if args.json {
        let doc = status_json(&session.ctx, &reports, sandbox);
        super::print::json(&doc);
    } else {
        outln!("{}\n", header(&session.ctx, sandbox));
        out!("{}", status_text(&reports));
        let done = reports.iter().filter(|r| r.status.is_done()).count();
        outln!(
            "\n{done}/{} done.{}",
            reports.len(),
            if done == reports.len() {
                ""
            } else {
                " `cawiz plan` shows what apply would do."
            }
        );
    }
    Ok(if reports.iter().all(|r| r.status.is_done()) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

pub async fn plan(global: &GlobalArgs, args: &PlanArgs) -> Result<ExitCode, CliError> {
    let session = open_session(global, Options::default()).await?;
    let reports = checklist::check_all(&session.ctx).await;
    let errors: Vec<&Report> = reports
        .iter()
        .filter(|r| matches!(r.status, checklist::Status::Error(_)))
        .collect();
    let steps = checklist::plan(&reports, &session.ctx.setup.region);
    match args.format {
        PlanFormat::Text => {
            outln!("{}", header(&session.ctx, session.sandbox.is_some()));
            out!("{}", plan_text(&steps, &reports));
        }
        PlanFormat::Sh => out!("{}", plan_sh(&session.ctx, &steps, &reports)),
    }
    for r in &errors {
        errln!(
            "warning: {} could not be checked, so it is not in the plan: {}",
            r.item.title(),
            crate::escape::line(&r.status.summary())
        );
    }
    Ok(if errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
