//! What apply can change for the notifications item, as data: each step a sentence and the
//! equivalent `aws` command, in the order apply runs them (PutRule, CreateTopic,
//! SetTopicAttributes, Subscribe, PutTargets).

use serde_json::Value;

use crate::shell::shell_quote as q;

/// The rule's description.
pub const RULE_DESCRIPTION: &str = "CodeArtifact versions published to the repository (cawiz)";

/// The `kind`s what this item creates is recorded under (for `destroy`).
pub const RULE_KIND: &str = "notify_rule";
pub const TOPIC_KIND: &str = "notify_topic";
pub const STATEMENT_KIND: &str = "notify_topic_statement";
pub const SUBSCRIPTION_KIND: &str = "notify_subscription";
pub const TARGET_KIND: &str = "notify_target";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotifyAction {
    /// Creates the rule (`new`) or puts the right pattern and state on cawiz's rule.
    PutRule {
        name: String,
        pattern: Value,
        new: bool,
    },
    CreateTopic {
        name: String,
    },
    /// SetTopicAttributes Policy: the topic's policy with cawiz's statement merged in (every other
    /// statement kept).
    SetTopicPolicy {
        topic_arn: String,
        policy: Value,
    },
    Subscribe {
        topic_arn: String,
        protocol: String,
        endpoint: String,
    },
    PutTarget {
        rule: String,
        id: String,
        topic_arn: String,
    },
    /// Another rule waits for the overview's detail-type: its owner fixes it (cawiz never changes
    /// a rule it did not create).
    FixOverviewRule {
        name: String,
        pattern: Value,
    },
}

fn compact(doc: &Value) -> String {
    serde_json::to_string(doc).unwrap_or_default()
}

impl NotifyAction {
    pub fn is_manual(&self) -> bool {
        matches!(self, NotifyAction::FixOverviewRule { .. })
    }

    pub fn describe(&self) -> String {
        match self {
            NotifyAction::PutRule {
                name, new: true, ..
            } => format!(
                "Create the EventBridge rule {name} on CodeArtifact's published versions of the repository"
            ),
            NotifyAction::PutRule { name, .. } => {
                format!("Put the published-version pattern on the rule {name}, enabled")
            }
            NotifyAction::CreateTopic { name } => format!("Create the SNS topic {name}"),
            NotifyAction::SetTopicPolicy { topic_arn, .. } => format!(
                "Let EventBridge publish to {topic_arn} for the rule only (topic policy; other \
                 statements kept)"
            ),
            NotifyAction::Subscribe {
                protocol, endpoint, ..
            } => format!("Subscribe {protocol} {endpoint} to the topic"),
            NotifyAction::PutTarget {
                rule, topic_arn, ..
            } => format!("Make {topic_arn} a target of the rule {rule}"),
            NotifyAction::FixOverviewRule { name, .. } => format!(
                "Fix the rule {name} (by hand: not cawiz's): it waits for \"{}\", which \
                 CodeArtifact never sends",
                crate::notify::OVERVIEW_DETAIL_TYPE
            ),
        }
    }

    pub fn command(&self, region: &str) -> String {
        let r = q(region);
        match self {
            NotifyAction::PutRule { name, pattern, .. } => format!(
                "aws events put-rule --name {} --event-pattern {} --state ENABLED --description {} \
                 --region {r}",
                q(name),
                q(&compact(pattern)),
                q(RULE_DESCRIPTION)
            ),
            NotifyAction::CreateTopic { name } => {
                format!("aws sns create-topic --name {} --region {r}", q(name))
            }
            NotifyAction::SetTopicPolicy { topic_arn, policy } => format!(
                "aws sns set-topic-attributes --topic-arn {} --attribute-name Policy \
                 --attribute-value {} --region {r}",
                q(topic_arn),
                q(&compact(policy))
            ),
            NotifyAction::Subscribe {
                topic_arn,
                protocol,
                endpoint,
            } => format!(
                "aws sns subscribe --topic-arn {} --protocol {} --notification-endpoint {} \
                 --region {r}",
                q(topic_arn),
                q(protocol),
                q(endpoint)
            ),
            NotifyAction::PutTarget {
                rule,
                id,
                topic_arn,
            } => format!(
                "aws events put-targets --rule {} --targets {} --region {r}",
                q(rule),
                q(&format!("Id={id},Arn={topic_arn}"))
            ),
            NotifyAction::FixOverviewRule { name, pattern } => format!(
                "aws events put-rule --name {} --event-pattern {} --region {r}",
                q(name),
                q(&compact(pattern))
            ),
        }
    }

    /// The `kind` recorded for what this step creates, if it creates something.
    pub fn creates(&self) -> Option<&'static str> {
        match self {
            NotifyAction::PutRule { new: true, .. } => Some(RULE_KIND),
            NotifyAction::CreateTopic { .. } => Some(TOPIC_KIND),
            NotifyAction::SetTopicPolicy { .. } => Some(STATEMENT_KIND),
            NotifyAction::Subscribe { .. } => Some(SUBSCRIPTION_KIND),
            NotifyAction::PutTarget { .. } => Some(TARGET_KIND),
            NotifyAction::PutRule { .. } | NotifyAction::FixOverviewRule { .. } => None,
        }
    }
}

/// `pattern` with the overview's detail-type replaced by CodeArtifact's, and, when it filters on
/// nothing of the state, `packageVersionState: Published` added to its `detail`.
pub fn fixed_overview_pattern(pattern: &str) -> Value {
    let mut value: Value = serde_json::from_str(pattern).unwrap_or(Value::Null);
    fix_detail_types(&mut value);
    if let Some(map) = value.as_object_mut() {
        let detail = map
            .entry("detail")
            .or_insert_with(|| Value::Object(serde_json::Map::new()));
        if let Some(detail) = detail.as_object_mut() {
            detail
                .entry("packageVersionState")
                .or_insert_with(|| serde_json::json!(["Published"]));
        }
    }
    value
}

fn fix_detail_types(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if key == "detail-type"
                    && let Some(items) = v.as_array_mut()
                {
                    for item in items.iter_mut() {
                        if item == crate::notify::OVERVIEW_DETAIL_TYPE {
                            *item = Value::from(crate::notify::DETAIL_TYPE);
                        }
                    }
                } else {
                    fix_detail_types(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(fix_detail_types),
        _ => {}
    }
}
