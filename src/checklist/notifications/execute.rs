//! Apply and destroy for the notifications item. What a step creates is recorded with its region;
//! destroy removes exactly that: cawiz's target on the rule (others' targets stay), its
//! subscriptions, its statement in a topic's policy (others stay), its topic (never one given as
//! `sns:ARN`), its rule (never someone else's).

use crate::aws::found;
use crate::consumers::without_cawiz_statements;
use crate::shell::shell_quote as q;
use crate::state::CreatedResource;

use super::super::{ApplyError, Context, Outcome};
use super::action::{
    NotifyAction, RULE_DESCRIPTION, RULE_KIND, STATEMENT_KIND, SUBSCRIPTION_KIND, TARGET_KIND,
    TOPIC_KIND,
};

/// Whether destroy hands a recorded `kind` to this module.
pub fn is_notify_kind(kind: &str) -> bool {
    [
        RULE_KIND,
        TOPIC_KIND,
        STATEMENT_KIND,
        SUBSCRIPTION_KIND,
        TARGET_KIND,
    ]
    .contains(&kind)
}

/// `TOPIC|PROTOCOL|ENDPOINT`: how a subscription is recorded (SNS gives a pending one no ARN).
fn subscription_id(topic: &str, protocol: &str, endpoint: &str) -> String {
    format!("{topic}|{protocol}|{endpoint}")
}

pub async fn execute(ctx: &Context, action: &NotifyAction) -> Result<Outcome, ApplyError> {
    let c = &ctx.clients;
    let created = |kind: &'static str, id: String| Outcome::Created {
        kind,
        id,
        region: Some(ctx.setup.region.clone()),
    };
    match action {
        NotifyAction::PutRule { name, pattern, new } => {
            let arn = c
                .put_rule(name, &pattern.to_string(), RULE_DESCRIPTION)
                .await?;
            Ok(if *new {
                created(RULE_KIND, name.clone())
            } else {
                Outcome::Changed(format!("rule {arn}: pattern and state put"))
            })
        }
        NotifyAction::CreateTopic { name } => {
            let arn = c.create_topic(name).await?;
            Ok(created(TOPIC_KIND, arn))
        }
        NotifyAction::SetTopicPolicy { topic_arn, policy } => {
            c.set_topic_policy(topic_arn, &policy.to_string()).await?;
            Ok(created(STATEMENT_KIND, topic_arn.clone()))
        }
        NotifyAction::Subscribe {
            topic_arn,
            protocol,
            endpoint,
        } => {
            c.subscribe(topic_arn, protocol, endpoint).await?;
            Ok(created(
                SUBSCRIPTION_KIND,
                subscription_id(topic_arn, protocol, endpoint),
            ))
        }
        NotifyAction::PutTarget {
            rule,
            id,
            topic_arn,
        } => {
            c.put_target(rule, id, topic_arn).await?;
            Ok(created(TARGET_KIND, format!("{rule}|{id}")))
        }
        NotifyAction::FixOverviewRule { .. } => {
            Ok(Outcome::Manual(action.command(&ctx.setup.region)))
        }
    }
}

/// What deleting `r` means, and the equivalent command (`region`: the resource's, shell-quoted).
pub fn describe_removal(r: &CreatedResource, region: &str) -> (String, String) {
    let mut parts = r.id.splitn(3, '|');
    let (a, b, c) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );
    match r.kind.as_str() {
        RULE_KIND => (
            format!("Delete the EventBridge rule {a}"),
            format!("aws events delete-rule --name {} --region {region}", q(a)),
        ),
        TOPIC_KIND => (
            format!("Delete the SNS topic {a}"),
            format!(
                "aws sns delete-topic --topic-arn {} --region {region}",
                q(a)
            ),
        ),
        STATEMENT_KIND => (
            format!("Remove cawiz's statement from the policy of {a} (others kept)"),
            format!(
                "aws sns set-topic-attributes --topic-arn {} --attribute-name Policy \
                 --attribute-value \"$POLICY_WITHOUT_CAWIZ_STATEMENTS\" --region {region}",
                q(a)
            ),
        ),
        SUBSCRIPTION_KIND => (
            format!("Unsubscribe {b} {c} from {a}"),
            format!(
                "aws sns unsubscribe --subscription-arn \"$(aws sns list-subscriptions-by-topic \
                 --topic-arn {} --query {} --output text --region {region})\" --region {region}",
                q(a),
                q(&format!("Subscriptions[?Endpoint=='{c}'].SubscriptionArn"))
            ),
        ),
        _ => (
            format!("Remove the target {b} from the rule {a} (others kept)"),
            format!(
                "aws events remove-targets --rule {} --ids {} --region {region}",
                q(a),
                q(b)
            ),
        ),
    }
}

fn gone(deleted: bool, region: &str) -> String {
    if deleted {
        "deleted".to_owned()
    } else {
        format!("already gone (not found in {region})")
    }
}

async fn remove_subscription(ctx: &Context, id: &str, region: &str) -> Result<String, ApplyError> {
    let mut parts = id.splitn(3, '|');
    let (topic, protocol, endpoint) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );
    let c = &ctx.clients;
    let Some(subs) = c.list_subscriptions(topic).await? else {
        return Ok(gone(false, region));
    };
    let Some(sub) = subs
        .iter()
        .find(|s| s.protocol == protocol && s.endpoint == endpoint)
    else {
        return Ok(gone(false, region));
    };
    if sub.pending() {
        // SNS cannot delete a subscription pending confirmation (it has no ARN to unsubscribe):
        // it goes with its topic, or SNS deletes it after 48 hours.
        return Ok("pending confirmation: goes with its topic".to_owned());
    }
    Ok(gone(
        found(c.unsubscribe(&sub.arn).await)?.is_some(),
        region,
    ))
}

async fn remove_statement(ctx: &Context, topic: &str, region: &str) -> Result<String, ApplyError> {
    let c = &ctx.clients;
    let Some(attributes) = c.topic_attributes(topic).await? else {
        return Ok(gone(false, region));
    };
    let policy = attributes
        .get("Policy")
        .and_then(|p| serde_json::from_str::<serde_json::Value>(p).ok());
    let Some(policy) = policy else {
        return Ok("no policy: nothing to remove".to_owned());
    };
    match without_cawiz_statements(&policy).map(|rest| super::with_id_of(&policy, rest)) {
        Some(rest) if rest != policy => {
            c.set_topic_policy(topic, &rest.to_string()).await?;
            Ok("removed (other statements kept)".to_owned())
        }
        Some(_) => Ok("no cawiz statement left: nothing to remove".to_owned()),
        // Only cawiz's statement: SNS keeps a policy; the topic (cawiz's) goes next.
        None => Ok("kept: it is the policy's only statement".to_owned()),
    }
}

/// Deletes one recorded resource in its own region (the caller checked the region).
pub async fn remove(
    ctx: &Context,
    r: &CreatedResource,
    region: &str,
) -> Result<String, ApplyError> {
    let c = &ctx.clients;
    let (a, b) = r.id.split_once('|').unwrap_or((r.id.as_str(), ""));
    match r.kind.as_str() {
        RULE_KIND => Ok(gone(found(c.delete_rule(a).await)?.is_some(), region)),
        TOPIC_KIND => Ok(gone(found(c.delete_topic(a).await)?.is_some(), region)),
        STATEMENT_KIND => remove_statement(ctx, a, region).await,
        SUBSCRIPTION_KIND => remove_subscription(ctx, &r.id, region).await,
        _ => Ok(gone(
            found(c.remove_targets(a, &[b.to_owned()]).await)?.is_some(),
            region,
        )),
    }
}
