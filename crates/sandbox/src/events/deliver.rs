//! An event on the default bus: every enabled rule of its region whose pattern matches sends it
//! to its targets. SNS topics are the targets the sandbox delivers to: EventBridge publishes as
//! the service principal `events.amazonaws.com` with `aws:SourceArn` the rule's ARN, so the
//! topic's policy decides (`sns::publish_as_service`); a refusal counts as a failed invocation,
//! as CloudWatch's `FailedInvocations` would show. Other targets are recorded, not invoked.

use serde_json::Value;

use super::state::Invocation;
use crate::sns::{self, Outgoing};
use crate::world::World;

/// Puts `event` on the default bus of `region`: the invocations it caused (also recorded in the
/// world) and the HTTP messages SNS then sends, to be posted outside the world's lock.
pub fn put_event(world: &mut World, base_url: &str, region: &str, event: &Value) -> Vec<Outgoing> {
    let matching: Vec<(String, Vec<super::Target>)> = world
        .events
        .rules
        .values()
        .filter(|r| r.region == region && r.state != "DISABLED")
        .filter(|r| {
            r.event_pattern
                .as_deref()
                .and_then(|p| serde_json::from_str::<Value>(p).ok())
                .is_some_and(|p| super::pattern::matches(&p, event))
        })
        .map(|r| (r.arn.clone(), r.targets.clone()))
        .collect();
    let mut outgoing = Vec::new();
    for (rule_arn, targets) in matching {
        for target in targets {
            let message = target.input.clone().unwrap_or_else(|| event.to_string());
            let failure = if target.arn.starts_with("arn:aws:sns:") {
                match sns::publish_as_service(world, base_url, &target.arn, &message, &rule_arn) {
                    Ok(mut sent) => {
                        outgoing.append(&mut sent);
                        None
                    }
                    Err(why) => Some(why),
                }
            } else {
                Some("the cawiz sandbox delivers only to SNS topics".to_owned())
            };
            world.events.invocations.push(Invocation {
                rule_arn: rule_arn.clone(),
                target_arn: target.arn,
                failure,
            });
        }
    }
    outgoing
}
