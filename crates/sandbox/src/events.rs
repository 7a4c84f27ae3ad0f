//! EventBridge (AWS JSON 1.1, `X-Amz-Target: AWSEvents.<Operation>`): rules on the default event
//! bus and their targets, `TestEventPattern`, and the delivery of events to matching rules'
//! targets (`deliver`). Shapes, names and error codes follow botocore's `events` service model.

pub mod deliver;
pub mod pattern;
mod rules;
pub mod state;
mod targets;

use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::Shared;
use crate::protocol::{ApiError, ApiResult};
use crate::world::World;

pub use state::{Rule, Target};

/// The operations the sandbox emulates.
pub const OPERATIONS: &[&str] = &[
    "PutRule",
    "DescribeRule",
    "ListRules",
    "DeleteRule",
    "PutTargets",
    "ListTargetsByRule",
    "RemoveTargets",
    "TestEventPattern",
];

/// The operation an `X-Amz-Target` header names.
pub fn operation(parts: &Parts) -> Option<String> {
    let target = parts.headers.get("x-amz-target")?.to_str().ok()?;
    let op = target.strip_prefix("AWSEvents.")?;
    OPERATIONS.contains(&op).then(|| op.to_owned())
}

/// An EventBridge error: every client error is a 400 in the JSON protocol.
pub fn error(code: &str, message: impl Into<String>) -> ApiError {
    let mut e = ApiError::new(code, message);
    if e.status != StatusCode::INTERNAL_SERVER_ERROR {
        e.status = StatusCode::BAD_REQUEST;
    }
    e
}

/// One request as the operations see it.
pub struct Ctx<'a> {
    pub body: Value,
    pub region: &'a str,
}

impl Ctx<'_> {
    pub fn string(&self, member: &str) -> ApiResult<Option<&str>> {
        match self.body.get(member) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(error(
                "SerializationException",
                format!("{member} must be a string"),
            )),
        }
    }

    pub fn required(&self, member: &str) -> ApiResult<&str> {
        self.string(member)?.ok_or_else(|| {
            error(
                "ValidationException",
                format!(
                    "1 validation error detected: Value null at '{}' failed to satisfy constraint: Member must not be null",
                    lower_first(member)
                ),
            )
        })
    }
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_lowercase().chain(chars).collect::<String>()
    })
}

pub fn handle(shared: &Shared, operation: &str, body: &[u8], region: &str) -> ApiResult<Response> {
    let body: Value = if body.is_empty() {
        Value::Object(Default::default())
    } else {
        serde_json::from_slice(body)
            .map_err(|_| error("SerializationException", "the request body is not JSON"))?
    };
    let region = if region.is_empty() {
        crate::SANDBOX_REGION
    } else {
        region
    };
    let cx = Ctx { body, region };
    let mut world = shared.world();
    let out = dispatch(&mut world, operation, &cx)?;
    Ok((
        StatusCode::OK,
        [("content-type", "application/x-amz-json-1.1")],
        out.to_string(),
    )
        .into_response())
}

pub fn dispatch(world: &mut World, operation: &str, cx: &Ctx) -> ApiResult<Value> {
    rules::check_bus(cx)?;
    match operation {
        "PutRule" => rules::put(world, cx),
        "DescribeRule" => rules::describe(world, cx),
        "ListRules" => rules::list(world, cx),
        "DeleteRule" => rules::delete(world, cx),
        "PutTargets" => targets::put(world, cx),
        "ListTargetsByRule" => targets::list(world, cx),
        "RemoveTargets" => targets::remove(world, cx),
        "TestEventPattern" => rules::test_event_pattern(cx),
        other => Err(error(
            "UnknownOperationException",
            format!("{other} is not an EventBridge operation the cawiz sandbox emulates"),
        )),
    }
}

/// The permission a role session needs for `operation`: `events:<Operation>` on the rule it
/// names (`arn:aws:events:REGION:ACCOUNT:rule/NAME`), else `*`.
pub fn needs(operation: &str, body: &[u8], region: &str, account: &str) -> crate::authz::Need {
    let body: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let rule = body
        .get("Name")
        .or_else(|| body.get("Rule"))
        .and_then(Value::as_str);
    let resource = rule.map_or_else(|| "*".to_owned(), |r| rule_arn(region, account, r));
    crate::authz::Need::new(&format!("events:{operation}"), resource)
}

pub fn rule_arn(region: &str, account: &str, name: &str) -> String {
    format!("arn:aws:events:{region}:{account}:rule/{name}")
}

#[cfg(test)]
mod tests;
