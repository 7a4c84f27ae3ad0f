//! Publish: by a caller (the `Publish` operation), or by EventBridge for a rule's target
//! (`publish_as_service`), which the topic's policy must allow: AWS services publish as their
//! service principal, with `aws:SourceArn` (the rule) and `aws:SourceAccount` in the context. Each
//! confirmed HTTP(S) subscription then gets a `Notification`.

use serde_json::Value;

use super::deliver::{Outgoing, notification};
use super::{Answer, Ctx, Topic, error, topic};
use crate::iam::document::string_list;
use crate::matching::{ContextEntry, statements};
use crate::protocol::{ApiResult, X};
use crate::simulate::{Decision, PolicyInput, evaluate};
use crate::world::World;

/// SNS's largest message (256 KiB).
const MAX_MESSAGE: usize = 256 * 1024;

/// The notifications of `message` for the topic's confirmed HTTP(S) subscriptions.
fn fan_out(base_url: &str, t: &Topic, subject: Option<&str>, message: &str) -> Vec<Outgoing> {
    let message_id = super::deliver::uuid();
    t.subscriptions
        .iter()
        .filter(|s| s.confirmed && s.protocol.starts_with("http"))
        .map(|s| notification(base_url, &t.arn, s, &message_id, subject, message))
        .collect()
}

pub fn publish(world: &mut World, cx: &Ctx) -> ApiResult<Answer> {
    let arn = cx
        .params
        .get("TopicArn")
        .or_else(|| cx.params.get("TargetArn"))
        .ok_or_else(|| {
            error(
                "InvalidParameter",
                "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter",
            )
        })?;
    let message = cx.params.required("Message")?;
    if message.is_empty() || message.len() > MAX_MESSAGE {
        return Err(error(
            "InvalidParameter",
            "Invalid parameter: Message Reason: Message must be at least 1 byte and at most 256 KiB",
        ));
    }
    let t = topic(world, arn)?;
    let outgoing = fan_out(cx.base_url, t, cx.params.get("Subject"), message);
    let id = outgoing
        .first()
        .map_or_else(super::deliver::uuid, |o| o.message_id.clone());
    Ok((vec![X::leaf("MessageId", id)], outgoing))
}

/// Whether a statement's `Principal` names the service principal (or everyone).
fn names_service(statement: &Value, service: &str) -> bool {
    match statement.get("Principal") {
        Some(Value::String(s)) => s == "*",
        Some(Value::Object(map)) => {
            map.get("AWS").is_some_and(|v| v == "*")
                || map
                    .get("Service")
                    .and_then(string_list)
                    .is_some_and(|list| list.iter().any(|s| s == service))
        }
        _ => false,
    }
}

/// What the topic's policy says about `service` publishing for `source_arn`.
pub fn service_decision(t: &Topic, service: &str, source_arn: &str, account: &str) -> Decision {
    let Some(doc) = t
        .attributes
        .get("Policy")
        .and_then(|p| serde_json::from_str::<Value>(p).ok())
    else {
        return Decision::ImplicitDeny;
    };
    let kept: Vec<Value> = statements(&doc)
        .into_iter()
        .filter(|s| names_service(s, service))
        .cloned()
        .collect();
    let document = serde_json::json!({ "Statement": kept }).to_string();
    let entry = |key: &str, value: &str| ContextEntry {
        key: key.to_owned(),
        values: vec![value.to_owned()],
    };
    let context = [
        entry("aws:SourceArn", source_arn),
        entry("aws:SourceAccount", account),
        entry("aws:PrincipalServiceName", service),
    ];
    let inputs = [PolicyInput {
        id: "topic policy",
        document: &document,
    }];
    evaluate(&inputs, "sns:Publish", &t.arn, &context).decision
}

/// EventBridge publishing `message` for the rule `source_arn`: the notifications to send, or why
/// the topic refused (a missing topic, or a policy that does not allow `events.amazonaws.com`).
pub fn publish_as_service(
    world: &World,
    base_url: &str,
    topic_arn: &str,
    message: &str,
    source_arn: &str,
) -> Result<Vec<Outgoing>, String> {
    let t = topic(world, topic_arn).map_err(|e| format!("{}: {}", e.code, e.message))?;
    match service_decision(t, "events.amazonaws.com", source_arn, &world.account_id) {
        Decision::Allowed => Ok(fan_out(base_url, t, None, message)),
        Decision::ExplicitDeny => Err(format!(
            "AuthorizationError: the policy of {topic_arn} denies events.amazonaws.com sns:Publish"
        )),
        Decision::ImplicitDeny => Err(format!(
            "AuthorizationError: the policy of {topic_arn} does not allow events.amazonaws.com \
             sns:Publish for {source_arn}"
        )),
    }
}
