//! Item 7, the local test: the last `cawiz test` result recorded in the state (running pip on every
//! status would be slow and would fetch packages); apply runs the test.

use super::rows::{Row, Verdict};
use super::{Action, Context, ItemId, Report, Status};

/// Running the local test against the setup's repository, as configured.
pub fn action(ctx: &Context) -> Action {
    Action::RunLocalTest {
        domain: ctx.setup.domain.clone(),
        owner: ctx.account.clone(),
        repository: ctx.setup.repository.clone(),
        package: ctx.local_test_config.package.clone(),
        publish: ctx.local_test_config.publish,
    }
}

pub fn check(ctx: &Context) -> Report {
    let target = ctx.local_test_target();
    let record = ctx.local_test.as_ref().filter(|r| r.target == target);
    let status = match record {
        Some(r) if r.passed => Status::Done {
            summary: format!(
                "passed {} ({})",
                crate::state::format_time(r.at),
                r.steps
                    .iter()
                    .map(|s| s.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        },
        Some(r) => Status::Missing {
            summary: format!(
                "last run failed {}: {}",
                crate::state::format_time(r.at),
                r.steps
                    .iter()
                    .find(|s| !s.ok)
                    .map_or("(no step)", |s| s.detail.as_str())
            ),
        },
        None => Status::Missing {
            summary: format!("never run against {target}: run `cawiz test`"),
        },
    };
    let mut report = Report::new(ItemId::LocalTest, status);
    if !report.status.is_done() {
        report.actions.push(action(ctx));
    }
    if let Some(r) = record {
        report.details.rows = r
            .steps
            .iter()
            .map(|step| {
                Row::new(
                    format!("step:{}", step.name),
                    step.name.clone(),
                    Verdict::from_ok(step.ok),
                )
                .evidence(step.detail.clone())
                .fix(
                    "run it again (t) once the cause is fixed",
                    Some(ItemId::LocalTest),
                )
            })
            .collect();
    }
    report
}
