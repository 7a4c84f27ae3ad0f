//! Runs the checklist: every check concurrently (status), plans from the reports, and applies them
//! item by item in dependency order, stopping at the first failure.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::aws::Clients;
use crate::github::GithubClient;
use crate::localtest::Line;
use crate::localtest::Options;
use crate::setup::Setup;
use crate::state::LocalTestRecord;

use super::execute::execute;
use super::{
    Context, ItemError, ItemId, Outcome, Report, Status, Step, blocked_by, consumers, domain,
    local_test, notifications, oidc, pipeline_run, repository, role, upstream, variables, workflow,
};

pub use super::execute::ApplyError;

/// What apply and destroy report as they go (the CLI prints it, the TUI turns it into messages).
#[derive(Debug)]
pub enum Progress<'a> {
    ItemStart(ItemId),
    /// Nothing to do: the check found it done.
    AlreadyDone(&'a Report),
    StepStart(&'a Step),
    StepDone(&'a Step, &'a Outcome),
    /// Steps only a person can do (no GitHub token, secrets).
    NeedsYou(ItemId, Vec<Step>),
    ItemDone(&'a Report),
    /// Output of the local test's child processes, token masked.
    Output(Line),
    Destroyed(&'a crate::state::CreatedResource, &'a str),
    /// A watched pipeline run changed (jobs, steps, conclusion).
    Run(&'a crate::pipeline::RunView),
}

pub use super::confirm::identify;

/// A context for `setup` on `clients`, after GetCallerIdentity.
pub async fn connect(
    clients: Clients,
    setup: Setup,
    github: GithubClient,
    local_test: Option<LocalTestRecord>,
    local_test_config: Options,
    read_only: bool,
) -> Result<Context, ItemError> {
    let identity = identify(&clients, &setup).await?;
    let mut ctx = super::confirm::unconfirmed(
        clients,
        setup,
        github,
        local_test,
        local_test_config,
        read_only,
        &crate::state::Known::default(),
    );
    super::confirm::confirm(&mut ctx, identity);
    Ok(ctx)
}

/// One item's check (its own calls only; blocking is decided by [`check_all`]).
pub async fn check_item(ctx: &Context, item: ItemId) -> Report {
    match item {
        ItemId::Domain => domain::check(ctx).await,
        ItemId::Repository => repository::check(ctx).await,
        ItemId::Upstream => upstream::check(ctx).await,
        ItemId::OidcProvider => oidc::check(ctx).await,
        ItemId::Role => role::check(ctx).await,
        ItemId::Variables => variables::check(ctx).await,
        ItemId::LocalTest => local_test::check(ctx),
        ItemId::Workflow => workflow::check(ctx).await,
        ItemId::PipelineRun => pipeline_run::check(ctx).await,
        ItemId::Notifications => notifications::check(ctx).await,
        ItemId::Consumers => consumers::check(ctx).await,
    }
}

/// Every item checked concurrently, in checklist order, with blocked items marked.
pub async fn check_all(ctx: &Context) -> Vec<Report> {
    let items = ItemId::for_setup(Some(&ctx.setup));
    let mut reports =
        futures::future::join_all(items.into_iter().map(|item| check_item(ctx, item))).await;
    resolve_blocking(&mut reports);
    reports
}

/// An item whose own check says done or missing, but whose dependency is not done, is blocked by it
/// (drift and errors stay: they say more). The plan of a blocked item is kept.
pub fn resolve_blocking(reports: &mut [Report]) {
    let mut done: BTreeMap<ItemId, bool> = reports
        .iter()
        .map(|r| (r.item, r.status.is_done()))
        .collect();
    // Reports come in checklist order, so a dependency is settled before its dependants.
    for report in reports.iter_mut() {
        if !matches!(report.status, Status::Done { .. } | Status::Missing { .. }) {
            continue;
        }
        if let Some(by) = blocked_by(report.item, |d| done.get(&d).copied().unwrap_or(false)) {
            report.status = Status::Blocked { by };
            done.insert(report.item, false);
        }
    }
}

/// The steps of every report, in checklist order.
pub fn plan(reports: &[Report], region: &str) -> Vec<Step> {
    reports.iter().flat_map(|r| r.steps(region)).collect()
}

/// Which items to apply: all, or the ones named (`--only`).
pub fn selected(only: &[ItemId], item: ItemId) -> bool {
    only.is_empty() || only.contains(&item)
}

/// How long to wait between verification checks when IAM has not caught up yet.
const VERIFY_DELAYS: [Duration; 2] = [Duration::from_secs(2), Duration::from_secs(5)];

async fn verify(ctx: &Context, item: ItemId) -> Report {
    let mut report = check_item(ctx, item).await;
    if matches!(item, ItemId::OidcProvider | ItemId::Role) {
        for delay in VERIFY_DELAYS {
            if report.status.is_done() {
                break;
            }
            tokio::time::sleep(delay).await;
            report = check_item(ctx, item).await;
        }
    }
    report
}

/// Applies the plan of each selected item in checklist order: check, execute its actions, check
/// again. Done items are left alone (so a second run changes nothing). Stops at the first failure.
/// `on_outcome` sees every outcome first (to record created resources before anything else runs).
pub async fn apply(
    ctx: &mut Context,
    only: &[ItemId],
    progress: &mut (dyn FnMut(Progress<'_>) + Send),
) -> Result<Vec<Report>, ApplyError> {
    apply_until(ctx, only, progress, &|| false).await
}

/// [`apply`], asking `stop` before each item and each step: when it says so, the apply ends there
/// with [`ApplyError::Cancelled`] (a step already started always finishes, and is recorded).
pub async fn apply_until(
    ctx: &mut Context,
    only: &[ItemId],
    progress: &mut (dyn FnMut(Progress<'_>) + Send),
    stop: &(dyn Fn() -> bool + Send + Sync),
) -> Result<Vec<Report>, ApplyError> {
    let mut finished: Vec<Report> = Vec::new();
    let mut done: BTreeMap<ItemId, bool> = BTreeMap::new();
    // Items whose remaining steps were handed to the user (no token): their dependants go on.
    let mut handed: Vec<ItemId> = Vec::new();
    let items = ItemId::for_setup(Some(&ctx.setup));
    for item in items.into_iter().filter(|i| selected(only, *i)) {
        if stop() {
            return Err(ApplyError::Cancelled { item });
        }
        progress(Progress::ItemStart(item));
        let report = check_item(ctx, item).await;
        if report.status.is_done() {
            progress(Progress::AlreadyDone(&report));
            done.insert(item, true);
            finished.push(report);
            continue;
        }
        if let Status::Error(error) = &report.status {
            return Err(ApplyError::Check {
                item,
                error: error.clone(),
            });
        }
        let steps = report.steps(&ctx.setup.region);
        let mut waiting = None;
        for dep in item.depends_on() {
            let dep_done = match done.get(dep) {
                Some(d) => *d || (handed.contains(dep) && item != ItemId::PipelineRun),
                None => check_item(ctx, *dep).await.status.is_done(),
            };
            if !dep_done {
                waiting = Some(*dep);
                break;
            }
        }
        if let Some(dep) = waiting {
            // A run proves the workflow on the default branch: while its change waits for the
            // user (a pull request to merge), the run waits too, handed to the user.
            if item == ItemId::PipelineRun && handed.contains(&dep) {
                progress(Progress::NeedsYou(item, steps));
                handed.push(item);
                finished.push(report);
                continue;
            }
            return Err(ApplyError::Blocked { item, by: dep });
        }
        let needs_github = matches!(item, ItemId::Variables | ItemId::PipelineRun);
        if needs_github && !ctx.github.has_token() {
            progress(Progress::NeedsYou(item, steps));
            done.insert(item, false);
            handed.push(item);
            finished.push(report);
            continue;
        }
        let mut manual = Vec::new();
        for (action, step) in report.actions.iter().zip(&steps) {
            if action.is_manual() {
                manual.push(step.clone());
                continue;
            }
            if stop() {
                return Err(ApplyError::Cancelled { item });
            }
            progress(Progress::StepStart(step));
            let outcome = execute(ctx, action, progress).await?;
            outcome.remember(item, ctx);
            progress(Progress::StepDone(step, &outcome));
        }
        if !manual.is_empty() {
            progress(Progress::NeedsYou(item, manual));
        }
        let after = verify(ctx, item).await;
        let ok = after.status.is_done();
        progress(Progress::ItemDone(&after));
        if !ok && after.actions.iter().any(|a| !a.is_manual()) {
            return Err(ApplyError::NotVerified {
                item,
                kind: after.status.kind(),
                summary: after.status.summary(),
            });
        }
        if !ok {
            // Only steps for the user remain (a pull request to merge, …).
            handed.push(item);
        }
        done.insert(item, ok);
        finished.push(after);
    }
    Ok(finished)
}

/// Carries out `actions` of `item` in order, without apply's dependency checks (`cawiz workflow
/// write`: writing the file needs none), reporting each; manual steps are handed to the user.
pub async fn carry_out(
    ctx: &Context,
    item: ItemId,
    actions: &[super::Action],
    progress: &mut (dyn FnMut(Progress<'_>) + Send),
) -> Result<(), ApplyError> {
    let mut manual = Vec::new();
    for action in actions {
        let step = Step {
            item,
            description: action.describe(),
            command: action.command(&ctx.setup.region),
        };
        if action.is_manual() {
            manual.push(step);
            continue;
        }
        progress(Progress::StepStart(&step));
        let outcome = execute(ctx, action, progress).await?;
        progress(Progress::StepDone(&step, &outcome));
    }
    if !manual.is_empty() {
        progress(Progress::NeedsYou(item, manual));
    }
    Ok(())
}

/// Runs the local test now (whatever its recorded status) and remembers the result in `ctx`.
pub async fn run_local_test(
    ctx: &mut Context,
    progress: &mut (dyn FnMut(Progress<'_>) + Send),
) -> Result<LocalTestRecord, ApplyError> {
    let action = local_test::action(ctx);
    let step = Step {
        item: ItemId::LocalTest,
        description: action.describe(),
        command: action.command(&ctx.setup.region),
    };
    progress(Progress::StepStart(&step));
    let outcome = execute(ctx, &action, progress).await?;
    progress(Progress::StepDone(&step, &outcome));
    match outcome {
        Outcome::LocalTest(record) => {
            ctx.local_test = Some(record.clone());
            Ok(record)
        }
        other => Err(ApplyError::State(format!(
            "the local test produced no result ({other:?})"
        ))),
    }
}
