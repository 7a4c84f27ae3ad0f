//! PutTargets, ListTargetsByRule and RemoveTargets.

use serde_json::{Value, json};

use super::{Ctx, Target, error, rules};
use crate::protocol::ApiResult;
use crate::world::World;

/// Targets per rule (EventBridge quotas: 5).
const MAX_TARGETS: usize = 5;

fn rule_mut<'w>(world: &'w mut World, cx: &Ctx) -> ApiResult<&'w mut super::Rule> {
    let name = cx.required("Rule")?;
    world
        .events
        .rules
        .get_mut(&(cx.region.to_owned(), name.to_owned()))
        .ok_or_else(|| rules::not_found(name))
}

/// One `Targets` entry: `Id` (1–64 of `[.\-_A-Za-z0-9]`) and `Arn` required.
fn parse_target(entry: &Value) -> ApiResult<Target> {
    let text = |member: &str| entry.get(member).and_then(Value::as_str);
    let (Some(id), Some(arn)) = (text("Id"), text("Arn")) else {
        return Err(error(
            "ValidationException",
            "1 validation error detected: every target needs an Id and an Arn",
        ));
    };
    let id_ok = (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
    if !id_ok || arn.is_empty() || arn.len() > 1600 {
        return Err(error(
            "ValidationException",
            format!("1 validation error detected: target Id '{id}' or its Arn is not valid"),
        ));
    }
    if let Some(input) = text("Input")
        && serde_json::from_str::<Value>(input).is_err()
    {
        return Err(error(
            "ValidationException",
            format!("Input for target {id} is not valid JSON text."),
        ));
    }
    Ok(Target {
        id: id.to_owned(),
        arn: arn.to_owned(),
        input: text("Input").map(str::to_owned),
    })
}

pub fn put(world: &mut World, cx: &Ctx) -> ApiResult<Value> {
    let entries = cx
        .body
        .get("Targets")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            error(
                "ValidationException",
                "1 validation error detected: Value null at 'targets' failed to satisfy constraint: Member must not be null",
            )
        })?;
    let parsed = entries
        .iter()
        .map(parse_target)
        .collect::<ApiResult<Vec<_>>>()?;
    let rule = rule_mut(world, cx)?;
    let mut after = rule.targets.clone();
    for target in parsed {
        match after.iter_mut().find(|t| t.id == target.id) {
            Some(existing) => *existing = target,
            None => after.push(target),
        }
    }
    if after.len() > MAX_TARGETS {
        return Err(error(
            "LimitExceededException",
            format!(
                "The requested resource exceeds the maximum number allowed. A rule can have at most {MAX_TARGETS} targets."
            ),
        ));
    }
    rule.targets = after;
    Ok(json!({ "FailedEntryCount": 0, "FailedEntries": [] }))
}

pub fn list(world: &mut World, cx: &Ctx) -> ApiResult<Value> {
    let rule = rules::find(world, cx, "Rule")?;
    let targets: Vec<Value> = rule
        .targets
        .iter()
        .map(|t| {
            let mut v = json!({ "Id": t.id, "Arn": t.arn });
            if let Some(input) = &t.input {
                v["Input"] = json!(input);
            }
            v
        })
        .collect();
    Ok(json!({ "Targets": targets }))
}

/// Removes the listed targets; an id the rule does not have is simply not there afterwards.
pub fn remove(world: &mut World, cx: &Ctx) -> ApiResult<Value> {
    let ids: Vec<String> = cx
        .body
        .get("Ids")
        .and_then(Value::as_array)
        .map(|ids| {
            ids.iter()
                .filter_map(|i| i.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    if ids.is_empty() {
        return Err(error(
            "ValidationException",
            "1 validation error detected: Value at 'ids' failed to satisfy constraint: Member must have length greater than or equal to 1",
        ));
    }
    let rule = rule_mut(world, cx)?;
    rule.targets.retain(|t| !ids.contains(&t.id));
    Ok(json!({ "FailedEntryCount": 0, "FailedEntries": [] }))
}
