//! Notifications (SPEC "Notifications"): an EventBridge rule on CodeArtifact's real event for this
//! domain, owner and repository (published versions only), its target an SNS topic whose policy
//! lets `events.amazonaws.com` publish for that rule alone, and the endpoints subscribed. Pure
//! judging of what the AWS calls read (`crate::aws`): each function takes the facts and returns
//! the rows a screen shows.

mod rule;
mod run;
mod subscriptions;
mod topic;

pub use rule::{
    DETAIL_TYPE, OVERVIEW_DETAIL_TYPE, overview_rule_rows, published_event, rule_name,
    rule_pattern, rule_row, uses_overview_detail_type,
};
pub use run::{Version, run_rows, version_event};
pub use subscriptions::{Endpoint, EndpointError, subscription_rows};
pub use topic::{TOPIC_SID, topic_name, topic_policy_row, topic_statement};

/// The stable ids of the notifications item's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowId {
    /// The rule on CodeArtifact's event exists, is enabled and matches it.
    Rule,
    /// A rule in the account on the overview's "Package Version Published", which never fires.
    OverviewPattern,
    /// The topic's policy lets EventBridge publish for the rule, and only for it.
    TopicPolicy,
    /// An endpoint's subscription.
    Subscription,
    /// The topic the rule delivers to exists.
    Topic,
    /// The rule's targets include the topic.
    Target,
    /// A verification run's version: the rule matches its event.
    RunMatched,
    /// A verification run's version: who SNS delivers it to.
    RunDelivery,
}

impl RowId {
    pub fn key(self) -> &'static str {
        match self {
            RowId::Rule => "notify-rule",
            RowId::OverviewPattern => "notify-overview-pattern",
            RowId::TopicPolicy => "notify-topic-policy",
            RowId::Subscription => "notify-subscription",
            RowId::Topic => "notify-topic",
            RowId::Target => "notify-target",
            RowId::RunMatched => "notify-run-matched",
            RowId::RunDelivery => "notify-run-delivery",
        }
    }
}

/// The id of the rule's target delivering to `topic_arn`: `cawiz-` and a stable hash (EventBridge:
/// 1–64 of `[.-_A-Za-z0-9]`), so that targets others added to the rule keep theirs.
pub fn target_id(topic_arn: &str) -> String {
    format!("cawiz-{}", short_hash(topic_arn))
}

/// A short, stable suffix for names that must fit AWS's limits (FNV-1a, 8 hex digits).
fn short_hash(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{:08x}", h & 0xffff_ffff)
}

/// `cawiz-DOMAIN-REPO` cut to `max` characters with a hash of the whole when longer.
fn bounded_name(domain: &str, repository: &str, max: usize) -> String {
    let full = format!("cawiz-{domain}-{repository}");
    if full.len() <= max {
        return full;
    }
    let hash = short_hash(&full);
    let keep = max.saturating_sub(hash.len() + 1);
    let head: String = full.chars().take(keep).collect();
    format!("{head}-{hash}")
}

#[cfg(test)]
mod tests;
