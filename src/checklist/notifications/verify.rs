//! The pipeline run's word on notifications: for the version a verification run published, the
//! rule's TestEventPattern on the event CodeArtifact sent for it, and who SNS delivers to.

use crate::aws::AwsError;
use crate::notify::{Endpoint, Version, rule_name, run_rows, version_event};

use super::super::Context;
use super::super::rows::{Row, Verdict};
use super::{endpoints, own_topic_arn};

async fn read_rows(ctx: &Context, package: &str, version: &str) -> Result<Vec<Row>, AwsError> {
    let s = &ctx.setup;
    let c = &ctx.clients;
    let name = rule_name(&s.domain, &s.repository);
    let rule = c.describe_rule(&name).await?;
    let at = Version {
        domain: &s.domain,
        owner: &ctx.account,
        repository: &s.repository,
        region: &s.region,
    };
    let event = version_event(&at, package, version).to_string();
    let matched = match rule.as_ref().and_then(|r| r.event_pattern.as_deref()) {
        Some(pattern) => Some(c.test_event_pattern(pattern, &event).await?),
        None => None,
    };
    let endpoints = endpoints(ctx);
    let given = endpoints
        .iter()
        .filter(|e| matches!(e, Endpoint::Topic(_)))
        .count();
    let subscriptions = if endpoints.iter().any(|e| e.subscription().is_some()) {
        c.list_subscriptions(&own_topic_arn(ctx)).await?
    } else {
        None
    };
    let what = format!("{package} {version}");
    Ok(run_rows(
        &name,
        rule.as_ref(),
        matched,
        &what,
        subscriptions.as_deref(),
        given,
    ))
}

/// The rows for `package` `version`; none when the setup has no `notify`. A read that fails is an
/// unknown row saying why.
pub async fn publication_rows(ctx: &Context, package: &str, version: &str) -> Vec<Row> {
    if ctx.setup.notify.is_empty() {
        return Vec::new();
    }
    match read_rows(ctx, package, version).await {
        Ok(rows) => rows,
        Err(e) => vec![
            Row::new(
                crate::notify::RowId::RunMatched.key(),
                format!("the notification of {package} {version}"),
                Verdict::Unknown(e.to_string()),
            )
            .fix(e.fix(), None),
        ],
    }
}

/// One line: whether the notification went out (for the run's outcome and `verify`).
pub fn sentence(rows: &[Row]) -> Option<String> {
    let first = rows.first()?;
    let sent = first.verdict == Verdict::Ok;
    let detail = rows
        .iter()
        .flat_map(|r| r.evidence.first())
        .cloned()
        .collect::<Vec<_>>()
        .join("; ");
    Some(if sent {
        format!("notification sent: {detail}")
    } else {
        format!("notification NOT sent: {detail}")
    })
}
