//! Item 10 (optional, with `notify`), notifications: an EventBridge rule on the default bus on
//! CodeArtifact's published versions of this repository (TestEventPattern on the event
//! CodeArtifact sends), its targets the topics, each topic's policy letting EventBridge publish
//! for that rule only, and the endpoints subscribed to cawiz's topic (`sns:ARN` endpoints are
//! existing topics: targeted, nothing subscribed). A rule anywhere in the account waiting for the
//! overview's "Package Version Published" is flagged by name. Judging is `crate::notify`'s;
//! reading here, the plan in `assess`, apply and destroy in `execute`.

mod action;
mod assess;
mod execute;
mod verify;

use serde_json::Value;

use crate::aws::{AwsError, RuleInfo, SubscriptionInfo, TargetInfo};
use crate::notify::{Endpoint, published_event, rule_name, rule_pattern, topic_name};
use crate::policy::partition;

use super::{Context, ItemId, Report, Status};

pub use action::{NotifyAction, fixed_overview_pattern};
pub use assess::assess;
pub use execute::{describe_removal, execute, is_notify_kind, remove};
pub use verify::{publication_rows, sentence};

/// One topic the rule delivers to, as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicFacts {
    pub arn: String,
    /// cawiz's own topic (created for the subscriptions), not one given as `sns:ARN`.
    pub ours: bool,
    /// GetTopicAttributes answered (else: not found).
    pub exists: bool,
    pub policy: Option<Value>,
    /// ListSubscriptionsByTopic (cawiz's topic only).
    pub subscriptions: Vec<SubscriptionInfo>,
}

/// What the check read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub rule_name: String,
    /// The rule's ARN: DescribeRule's, or the one PutRule will give it.
    pub rule_arn: String,
    pub rule: Option<RuleInfo>,
    /// TestEventPattern of the rule's pattern on CodeArtifact's published-version event.
    pub matched: Option<bool>,
    pub targets: Vec<TargetInfo>,
    /// Every rule on the default bus (the overview's pattern is looked for in all of them).
    pub rules: Vec<RuleInfo>,
    pub topics: Vec<TopicFacts>,
    pub endpoints: Vec<Endpoint>,
}

/// The setup's endpoints (the setup was validated: a value that does not parse is skipped).
pub fn endpoints(ctx: &Context) -> Vec<Endpoint> {
    ctx.setup
        .notify
        .iter()
        .filter_map(|v| Endpoint::parse(v).ok())
        .collect()
}

/// The ARN of an SNS topic or EventBridge rule of this account and region.
fn arn(ctx: &Context, service: &str, resource: &str) -> String {
    let region = &ctx.setup.region;
    format!(
        "arn:{}:{service}:{region}:{}:{resource}",
        partition(region),
        ctx.account
    )
}

/// cawiz's topic: needed when an endpoint subscribes.
pub fn own_topic_arn(ctx: &Context) -> String {
    arn(
        ctx,
        "sns",
        &topic_name(&ctx.setup.domain, &ctx.setup.repository),
    )
}

/// The topics the rule targets: cawiz's (when something subscribes), then the given ones.
pub fn topic_arns(ctx: &Context, endpoints: &[Endpoint]) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    if endpoints.iter().any(|e| e.subscription().is_some()) {
        out.push((own_topic_arn(ctx), true));
    }
    for e in endpoints {
        if let Endpoint::Topic(arn) = e
            && !out.iter().any(|(a, _)| a == arn)
        {
            out.push((arn.clone(), false));
        }
    }
    out
}

async fn read_topic(ctx: &Context, arn: String, ours: bool) -> Result<TopicFacts, AwsError> {
    let c = &ctx.clients;
    let attributes = c.topic_attributes(&arn).await?;
    let subscriptions = match (&attributes, ours) {
        (Some(_), true) => c.list_subscriptions(&arn).await?.unwrap_or_default(),
        _ => Vec::new(),
    };
    let policy = attributes
        .as_ref()
        .and_then(|a| a.get("Policy"))
        .and_then(|p| serde_json::from_str(p).ok());
    Ok(TopicFacts {
        arn,
        ours,
        exists: attributes.is_some(),
        policy,
        subscriptions,
    })
}

/// Reads everything the rows judge.
pub async fn read(ctx: &Context) -> Result<Facts, AwsError> {
    let s = &ctx.setup;
    let c = &ctx.clients;
    let name = rule_name(&s.domain, &s.repository);
    let endpoints = endpoints(ctx);
    let (rule, rules, targets) = tokio::join!(
        c.describe_rule(&name),
        c.list_rules(),
        c.list_targets(&name)
    );
    let (rule, rules, targets) = (rule?, rules?, targets?.unwrap_or_default());
    let event = published_event(&s.domain, &ctx.account, &s.repository, &s.region).to_string();
    let matched = match rule.as_ref().and_then(|r| r.event_pattern.as_deref()) {
        Some(pattern) => Some(c.test_event_pattern(pattern, &event).await?),
        None => None,
    };
    let topics = futures::future::join_all(
        topic_arns(ctx, &endpoints)
            .into_iter()
            .map(|(arn, ours)| read_topic(ctx, arn, ours)),
    )
    .await
    .into_iter()
    .collect::<Result<Vec<_>, _>>()?;
    Ok(Facts {
        rule_arn: rule.as_ref().map_or_else(
            || arn(ctx, "events", &format!("rule/{name}")),
            |r| r.arn.clone(),
        ),
        rule_name: name,
        rule,
        matched,
        targets,
        rules,
        topics,
        endpoints,
    })
}

/// `policy` with the `Id` of `existing` (the statement merge keeps `Version` and `Statement`; a
/// topic's policy has an `Id` too, `__default_policy_ID` for the one SNS writes).
pub fn with_id_of(existing: &Value, mut policy: Value) -> Value {
    if let (Some(id), Some(map)) = (existing.get("Id"), policy.as_object_mut()) {
        map.insert("Id".to_owned(), id.clone());
    }
    policy
}

/// The pattern cawiz's rule has.
pub fn pattern(ctx: &Context) -> Value {
    rule_pattern(&ctx.setup.domain, &ctx.account, &ctx.setup.repository)
}

pub async fn check(ctx: &Context) -> Report {
    match read(ctx).await {
        Ok(facts) => assess(ctx, &facts),
        Err(e) => Report::new(ItemId::Notifications, Status::Error(e.into())),
    }
}

#[cfg(test)]
mod tests;
