//! PutRule, DescribeRule, ListRules, DeleteRule and TestEventPattern on the default event bus.

use serde_json::{Value, json};

use super::{Ctx, Rule, error, pattern, rule_arn};
use crate::protocol::ApiResult;
use crate::world::World;

/// The default bus, by name or ARN, is the only one: another is `ResourceNotFoundException`.
pub fn check_bus(cx: &Ctx) -> ApiResult<()> {
    let Some(bus) = cx.string("EventBusName")? else {
        return Ok(());
    };
    let name = bus.rsplit_once(":event-bus/").map_or(bus, |(_, n)| n);
    if name == "default" {
        Ok(())
    } else {
        Err(error(
            "ResourceNotFoundException",
            format!("Event bus {name} does not exist."),
        ))
    }
}

/// `RuleName`: 1–64 of `[.\-_A-Za-z0-9]`.
fn check_name(member: &str, name: &str) -> ApiResult<()> {
    let ok = (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
    if ok {
        return Ok(());
    }
    Err(error(
        "ValidationException",
        format!(
            "1 validation error detected: Value '{}' at '{member}' failed to satisfy constraint: \
             Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+ and have length \
             between 1 and 64",
            name
        ),
    ))
}

/// Parses and validates an event pattern as PutRule and TestEventPattern do.
pub fn parse_pattern(text: &str) -> ApiResult<Value> {
    let invalid = |reason: String| {
        error(
            "InvalidEventPatternException",
            format!("Event pattern is not valid. Reason: {reason}"),
        )
    };
    if text.len() > 4096 {
        return Err(invalid(
            "the pattern is longer than 4096 characters".to_owned(),
        ));
    }
    let value: Value = serde_json::from_str(text).map_err(|e| invalid(e.to_string()))?;
    pattern::validate(&value).map_err(invalid)?;
    Ok(value)
}

pub fn put(world: &mut World, cx: &Ctx) -> ApiResult<Value> {
    let name = cx.required("Name")?;
    check_name("name", name)?;
    let event_pattern = cx.string("EventPattern")?;
    let schedule = cx.string("ScheduleExpression")?;
    if event_pattern.is_none() && schedule.is_none() {
        return Err(error(
            "ValidationException",
            "Parameter(s) ScheduleExpression or EventPattern must be specified.",
        ));
    }
    if let Some(p) = event_pattern {
        parse_pattern(p)?;
    }
    let state = cx.string("State")?.unwrap_or("ENABLED");
    if ![
        "ENABLED",
        "DISABLED",
        "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS",
    ]
    .contains(&state)
    {
        return Err(error(
            "ValidationException",
            format!(
                "1 validation error detected: Value '{}' at 'state' failed to satisfy constraint: \
                 Member must satisfy enum value set: [ENABLED, DISABLED, \
                 ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]",
                state
            ),
        ));
    }
    let arn = rule_arn(cx.region, &world.account_id, name);
    let key = (cx.region.to_owned(), name.to_owned());
    let targets = world
        .events
        .rules
        .get(&key)
        .map(|r| r.targets.clone())
        .unwrap_or_default();
    let rule = Rule {
        name: name.to_owned(),
        arn: arn.clone(),
        region: cx.region.to_owned(),
        event_pattern: event_pattern.map(str::to_owned),
        schedule_expression: schedule.map(str::to_owned),
        state: state.to_owned(),
        description: cx.string("Description")?.map(str::to_owned),
        targets,
    };
    world.events.rules.insert(key, rule);
    Ok(json!({ "RuleArn": arn }))
}

/// The rule named by `member` of the request, or `ResourceNotFoundException`.
pub fn find<'w>(world: &'w World, cx: &Ctx, member: &str) -> ApiResult<&'w Rule> {
    let name = cx.required(member)?;
    world
        .events
        .rules
        .get(&(cx.region.to_owned(), name.to_owned()))
        .ok_or_else(|| not_found(name))
}

pub fn not_found(name: &str) -> crate::protocol::ApiError {
    error(
        "ResourceNotFoundException",
        format!("Rule {} does not exist on EventBus default.", name),
    )
}

fn summary(rule: &Rule) -> Value {
    let mut out = json!({
        "Name": rule.name,
        "Arn": rule.arn,
        "State": rule.state,
        "EventBusName": "default",
    });
    for (member, value) in [
        ("EventPattern", &rule.event_pattern),
        ("ScheduleExpression", &rule.schedule_expression),
        ("Description", &rule.description),
    ] {
        if let Some(v) = value {
            out[member] = json!(v);
        }
    }
    out
}

pub fn describe(world: &mut World, cx: &Ctx) -> ApiResult<Value> {
    let rule = find(world, cx, "Name")?;
    let mut out = summary(rule);
    out["CreatedBy"] = json!(world.account_id);
    Ok(out)
}

pub fn list(world: &mut World, cx: &Ctx) -> ApiResult<Value> {
    let prefix = cx.string("NamePrefix")?.unwrap_or_default();
    let limit = match cx.body.get("Limit") {
        None | Some(Value::Null) => 100,
        Some(n) => match n.as_u64() {
            Some(n @ 1..=100) => n as usize,
            _ => {
                return Err(error(
                    "ValidationException",
                    "1 validation error detected: Value at 'limit' failed to satisfy constraint: \
                     Member must have value between 1 and 100",
                ));
            }
        },
    };
    let start = match cx.string("NextToken")? {
        None => 0,
        Some(t) => t
            .parse::<usize>()
            .map_err(|_| error("ValidationException", "The NextToken is not valid."))?,
    };
    let matching: Vec<&Rule> = world
        .events
        .rules
        .values()
        .filter(|r| r.region == cx.region && r.name.starts_with(prefix))
        .collect();
    let page: Vec<Value> = matching
        .iter()
        .skip(start)
        .take(limit)
        .map(|r| summary(r))
        .collect();
    let mut out = json!({ "Rules": page });
    if start + limit < matching.len() {
        out["NextToken"] = json!((start + limit).to_string());
    }
    Ok(out)
}

/// Deleting a rule that still has targets is refused; deleting one that does not exist succeeds
/// (the API reference: "If you call delete rule multiple times for the same rule, all calls will
/// succeed").
pub fn delete(world: &mut World, cx: &Ctx) -> ApiResult<Value> {
    let name = cx.required("Name")?;
    let key = (cx.region.to_owned(), name.to_owned());
    if world
        .events
        .rules
        .get(&key)
        .is_some_and(|r| !r.targets.is_empty())
    {
        return Err(error(
            "ValidationException",
            "Rule can't be deleted since it has targets.",
        ));
    }
    world.events.rules.remove(&key);
    Ok(json!({}))
}

/// The fields TestEventPattern requires in the event (API reference).
const EVENT_FIELDS: &[&str] = &[
    "id",
    "account",
    "source",
    "time",
    "region",
    "resources",
    "detail-type",
];

pub fn test_event_pattern(cx: &Ctx) -> ApiResult<Value> {
    let pattern = parse_pattern(cx.required("EventPattern")?)?;
    let event: Value = serde_json::from_str(cx.required("Event")?)
        .map_err(|_| error("ValidationException", "Parameter Event is not valid."))?;
    let complete = event
        .as_object()
        .is_some_and(|o| EVENT_FIELDS.iter().all(|f| o.contains_key(*f)));
    if !complete {
        return Err(error(
            "ValidationException",
            "Parameter Event is not valid.",
        ));
    }
    Ok(json!({ "Result": pattern::matches(&pattern, &event) }))
}
