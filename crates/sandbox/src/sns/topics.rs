//! CreateTopic, GetTopicAttributes, SetTopicAttributes, DeleteTopic.

use std::collections::BTreeMap;

use serde_json::json;

use super::{Ctx, Topic, error, map_param, topic, topic_mut};
use crate::protocol::{ApiResult, X};
use crate::world::World;

/// Attributes SetTopicAttributes and CreateTopic take (standard topics).
const SETTABLE: &[&str] = &[
    "Policy",
    "DisplayName",
    "DeliveryPolicy",
    "KmsMasterKeyId",
    "SignatureVersion",
    "TracingConfig",
];

/// The policy AWS gives a new topic: the owner's account may use it, nobody else, and no
/// service (EventBridge needs a statement of its own).
pub fn default_policy(arn: &str, account: &str) -> String {
    json!({
        "Version": "2008-10-17",
        "Id": "__default_policy_ID",
        "Statement": [{
            "Sid": "__default_statement_ID",
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": [
                "SNS:GetTopicAttributes",
                "SNS:SetTopicAttributes",
                "SNS:AddPermission",
                "SNS:RemovePermission",
                "SNS:DeleteTopic",
                "SNS:Subscribe",
                "SNS:ListSubscriptionsByTopic",
                "SNS:Publish"
            ],
            "Resource": arn,
            "Condition": {"StringEquals": {"AWS:SourceOwner": account}}
        }]
    })
    .to_string()
}

/// A standard topic's name: 1–256 of letters, digits, `-` and `_`.
fn valid_name(name: &str) -> bool {
    (1..=256).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn check_attribute(name: &str, value: &str) -> ApiResult<()> {
    if !SETTABLE.contains(&name) {
        return Err(error(
            "InvalidParameter",
            "Invalid parameter: AttributeName",
        ));
    }
    if name == "Policy" && serde_json::from_str::<serde_json::Value>(value).is_err() {
        return Err(error(
            "InvalidParameter",
            "Invalid parameter: Policy Error: the policy is not valid JSON",
        ));
    }
    Ok(())
}

pub fn create(world: &mut World, cx: &Ctx) -> ApiResult<Vec<X>> {
    let name = cx.params.required("Name")?;
    if !valid_name(name) {
        return Err(error("InvalidParameter", "Invalid parameter: Topic Name"));
    }
    let attributes = map_param(cx.params, "Attributes");
    for (k, v) in &attributes {
        check_attribute(k, v)?;
    }
    let arn = format!("arn:aws:sns:{}:{}:{name}", cx.region, world.account_id);
    if let Some(existing) = world.sns.topics.get(&arn) {
        let differs = attributes
            .iter()
            .any(|(k, v)| existing.attributes.get(k) != Some(v));
        if differs {
            return Err(error(
                "InvalidParameter",
                "Invalid parameter: Attributes Reason: Topic already exists with different attributes",
            ));
        }
        return Ok(vec![X::leaf("TopicArn", &arn)]);
    }
    let mut all = BTreeMap::from([
        ("Policy".to_owned(), default_policy(&arn, &world.account_id)),
        ("DisplayName".to_owned(), String::new()),
    ]);
    all.extend(attributes);
    world.sns.topics.insert(
        arn.clone(),
        Topic {
            arn: arn.clone(),
            attributes: all,
            subscriptions: Vec::new(),
        },
    );
    Ok(vec![X::leaf("TopicArn", &arn)])
}

pub fn get_attributes(world: &mut World, cx: &Ctx) -> ApiResult<Vec<X>> {
    let t = topic(world, cx.params.required("TopicArn")?)?;
    let confirmed = t.subscriptions.iter().filter(|s| s.confirmed).count();
    let pending = t.subscriptions.len() - confirmed;
    let mut all = t.attributes.clone();
    for (k, v) in [
        ("TopicArn", t.arn.clone()),
        ("Owner", world.account_id.clone()),
        ("SubscriptionsConfirmed", confirmed.to_string()),
        ("SubscriptionsPending", pending.to_string()),
        ("SubscriptionsDeleted", "0".to_owned()),
    ] {
        all.insert(k.to_owned(), v);
    }
    let entries = all
        .into_iter()
        .map(|(k, v)| X::node("entry", vec![X::leaf("key", k), X::leaf("value", v)]))
        .collect();
    Ok(vec![X::node("Attributes", entries)])
}

pub fn set_attribute(world: &mut World, cx: &Ctx) -> ApiResult<Vec<X>> {
    let arn = cx.params.required("TopicArn")?;
    let name = cx.params.required("AttributeName")?;
    let value = cx.params.get("AttributeValue").unwrap_or_default();
    check_attribute(name, value)?;
    let t = topic_mut(world, arn)?;
    t.attributes.insert(name.to_owned(), value.to_owned());
    Ok(Vec::new())
}

/// Deleting a topic that does not exist succeeds, as SNS's does.
pub fn delete(world: &mut World, cx: &Ctx) -> ApiResult<Vec<X>> {
    let arn = cx.params.required("TopicArn")?;
    world.sns.topics.remove(arn);
    Ok(Vec::new())
}
