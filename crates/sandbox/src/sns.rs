//! SNS (query protocol, XML answers in `http://sns.amazonaws.com/doc/2010-03-31/`): topics, their
//! attributes and policy, subscriptions of HTTP(S) endpoints on loopback (and `email`, which stays
//! pending: the sandbox sends no mail), and Publish — by a caller, or by EventBridge as the service
//! principal `events.amazonaws.com` (`publish_as_service`). Endpoints get SNS's JSON messages
//! (`deliver`): a `SubscriptionConfirmation` with a `SubscribeURL` that confirms when visited, then
//! a `Notification` per message.

mod deliver;
mod publish;
pub mod state;
mod subscriptions;
mod topics;

use std::collections::BTreeMap;

use axum::http::StatusCode;
use axum::response::Response;

use crate::Shared;
use crate::protocol::{ApiError, ApiResult, Params, SNS_NS, X, query_response};
use crate::world::World;

pub use state::{Subscription, Topic};

pub use deliver::{Outgoing, send_all, uuid};
pub use publish::publish_as_service;

pub const OPERATIONS: &[&str] = &[
    "CreateTopic",
    "GetTopicAttributes",
    "SetTopicAttributes",
    "DeleteTopic",
    "Subscribe",
    "ConfirmSubscription",
    "ListSubscriptionsByTopic",
    "Unsubscribe",
    "Publish",
];

/// Operations a link in a message may call without a signature (SubscribeURL, UnsubscribeURL).
pub const UNSIGNED: &[&str] = &["ConfirmSubscription", "Unsubscribe"];

/// An SNS error with the status botocore's model gives it.
pub fn error(code: &str, message: impl Into<String>) -> ApiError {
    let mut e = ApiError::new(code, message);
    e.status = match code {
        "NotFound" => StatusCode::NOT_FOUND,
        "AuthorizationError" => StatusCode::FORBIDDEN,
        "InternalError" => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::BAD_REQUEST,
    };
    e
}

/// One request as the operations see it.
pub struct Ctx<'a> {
    pub params: &'a Params,
    pub region: &'a str,
    pub base_url: &'a str,
}

pub fn handle(shared: &Shared, action: &str, params: &Params, region: &str) -> ApiResult<Response> {
    let region = if region.is_empty() {
        crate::SANDBOX_REGION
    } else {
        region
    };
    let cx = Ctx {
        params,
        region,
        base_url: &shared.base_url,
    };
    let (result, outgoing) = {
        let mut world = shared.world();
        dispatch(&mut world, action, &cx)?
    };
    send_all(outgoing);
    Ok(query_response(SNS_NS, action, result))
}

type Answer = (Vec<X>, Vec<Outgoing>);

pub fn dispatch(world: &mut World, action: &str, cx: &Ctx) -> ApiResult<Answer> {
    let quiet = |r: ApiResult<Vec<X>>| r.map(|x| (x, Vec::new()));
    match action {
        "CreateTopic" => quiet(topics::create(world, cx)),
        "GetTopicAttributes" => quiet(topics::get_attributes(world, cx)),
        "SetTopicAttributes" => quiet(topics::set_attribute(world, cx)),
        "DeleteTopic" => quiet(topics::delete(world, cx)),
        "Subscribe" => subscriptions::subscribe(world, cx),
        "ConfirmSubscription" => quiet(subscriptions::confirm(world, cx)),
        "ListSubscriptionsByTopic" => quiet(subscriptions::list(world, cx)),
        "Unsubscribe" => quiet(subscriptions::unsubscribe(world, cx)),
        "Publish" => publish::publish(world, cx),
        other => Err(error(
            "InvalidAction",
            format!("{other} is not an SNS operation the cawiz sandbox emulates"),
        )),
    }
}

/// The topic named by `TopicArn`, or SNS's `NotFound`.
pub fn topic<'w>(world: &'w World, arn: &str) -> ApiResult<&'w Topic> {
    world
        .sns
        .topics
        .get(arn)
        .ok_or_else(|| error("NotFound", "Topic does not exist"))
}

pub fn topic_mut<'w>(world: &'w mut World, arn: &str) -> ApiResult<&'w mut Topic> {
    world
        .sns
        .topics
        .get_mut(arn)
        .ok_or_else(|| error("NotFound", "Topic does not exist"))
}

/// A query-protocol map: `Name.entry.N.key` / `Name.entry.N.value`.
pub fn map_param(params: &Params, name: &str) -> BTreeMap<String, String> {
    let prefix = format!("{name}.entry.");
    let mut keys: BTreeMap<String, String> = BTreeMap::new();
    let mut values: BTreeMap<String, String> = BTreeMap::new();
    for (k, v) in &params.0 {
        if let Some(rest) = k.strip_prefix(&prefix) {
            match rest.split_once('.') {
                Some((n, "key")) => keys.insert(n.to_owned(), v.clone()),
                Some((n, "value")) => values.insert(n.to_owned(), v.clone()),
                _ => None,
            };
        }
    }
    keys.into_iter()
        .filter_map(|(n, k)| values.get(&n).map(|v| (k, v.clone())))
        .collect()
}

/// The permission a role session needs for `action`: `sns:<Action>` on the topic it names.
pub fn needs(action: &str, params: &Params) -> crate::authz::Need {
    let resource = params
        .get("TopicArn")
        .or_else(|| {
            params
                .get("SubscriptionArn")
                .and_then(|s| s.rsplit_once(':').map(|(t, _)| t))
        })
        .unwrap_or("*");
    crate::authz::Need::new(&format!("sns:{action}"), resource)
}

#[cfg(test)]
mod tests;
