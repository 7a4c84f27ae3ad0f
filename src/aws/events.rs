//! EventBridge: the rules on the default event bus and their targets, and `TestEventPattern`.

use super::{AwsError, Clients, found};

/// A rule as DescribeRule / ListRules answer it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleInfo {
    pub name: String,
    pub arn: String,
    /// The pattern as stored (JSON text); `None` for a scheduled rule.
    pub event_pattern: Option<String>,
    /// `ENABLED`, `DISABLED`, …
    pub state: String,
    pub description: Option<String>,
}

/// A rule's target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetInfo {
    pub id: String,
    pub arn: String,
}

fn rule_info(
    name: Option<&str>,
    arn: Option<&str>,
    pattern: Option<&str>,
    state: Option<&aws_sdk_eventbridge::types::RuleState>,
    description: Option<&str>,
) -> RuleInfo {
    RuleInfo {
        name: name.unwrap_or_default().to_owned(),
        arn: arn.unwrap_or_default().to_owned(),
        event_pattern: pattern.map(str::to_owned),
        state: state.map(|s| s.as_str().to_owned()).unwrap_or_default(),
        description: description.map(str::to_owned),
    }
}

impl Clients {
    /// The rule `name` on the default bus, or `None`.
    pub async fn describe_rule(&self, name: &str) -> Result<Option<RuleInfo>, AwsError> {
        const OP: &str = "DescribeRule";
        let result = self
            .events
            .describe_rule()
            .name(name)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e));
        Ok(found(result)?.map(|r| {
            rule_info(
                r.name(),
                r.arn(),
                r.event_pattern(),
                r.state(),
                r.description(),
            )
        }))
    }

    /// Every rule on the default bus (all pages).
    pub async fn list_rules(&self) -> Result<Vec<RuleInfo>, AwsError> {
        const OP: &str = "ListRules";
        let mut rules = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let out = self
                .events
                .list_rules()
                .set_next_token(token.take())
                .send()
                .await
                .map_err(|e| AwsError::from_sdk(OP, &e))?;
            rules.extend(out.rules().iter().map(|r| {
                rule_info(
                    r.name(),
                    r.arn(),
                    r.event_pattern(),
                    r.state(),
                    r.description(),
                )
            }));
            match out.next_token() {
                Some(t) if !t.is_empty() => token = Some(t.to_owned()),
                _ => return Ok(rules),
            }
        }
    }

    /// Creates or updates the rule `name` (enabled) with `pattern`; its ARN.
    pub async fn put_rule(
        &self,
        name: &str,
        pattern: &str,
        description: &str,
    ) -> Result<String, AwsError> {
        const OP: &str = "PutRule";
        let out = self
            .events
            .put_rule()
            .name(name)
            .event_pattern(pattern)
            .state(aws_sdk_eventbridge::types::RuleState::Enabled)
            .description(description)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e))?;
        Ok(out.rule_arn().unwrap_or_default().to_owned())
    }

    /// The targets of `rule` (all pages); `None` when the rule does not exist.
    pub async fn list_targets(&self, rule: &str) -> Result<Option<Vec<TargetInfo>>, AwsError> {
        const OP: &str = "ListTargetsByRule";
        let mut targets = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let result = self
                .events
                .list_targets_by_rule()
                .rule(rule)
                .set_next_token(token.take())
                .send()
                .await
                .map_err(|e| AwsError::from_sdk(OP, &e));
            let Some(out) = found(result)? else {
                return Ok(None);
            };
            targets.extend(out.targets().iter().map(|t| TargetInfo {
                id: t.id().to_owned(),
                arn: t.arn().to_owned(),
            }));
            match out.next_token() {
                Some(t) if !t.is_empty() => token = Some(t.to_owned()),
                _ => return Ok(Some(targets)),
            }
        }
    }

    /// Sets the target `id` of `rule` to `arn`. A failed entry is an error.
    pub async fn put_target(&self, rule: &str, id: &str, arn: &str) -> Result<(), AwsError> {
        const OP: &str = "PutTargets";
        let target = aws_sdk_eventbridge::types::Target::builder()
            .id(id)
            .arn(arn)
            .build()
            .map_err(|e| AwsError::new(super::AwsErrorKind::Other, OP, None, e.to_string()))?;
        let out = self
            .events
            .put_targets()
            .rule(rule)
            .targets(target)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e))?;
        match out.failed_entries().first() {
            None => Ok(()),
            Some(f) => Err(AwsError::new(
                super::classify_code(f.error_code().unwrap_or_default()),
                OP,
                f.error_code().map(str::to_owned),
                f.error_message().unwrap_or("the target was not added"),
            )),
        }
    }

    pub async fn remove_targets(&self, rule: &str, ids: &[String]) -> Result<(), AwsError> {
        const OP: &str = "RemoveTargets";
        self.events
            .remove_targets()
            .rule(rule)
            .set_ids(Some(ids.to_vec()))
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e))?;
        Ok(())
    }

    pub async fn delete_rule(&self, name: &str) -> Result<(), AwsError> {
        const OP: &str = "DeleteRule";
        self.events
            .delete_rule()
            .name(name)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e))?;
        Ok(())
    }

    /// Whether EventBridge matches `event` (JSON text) with `pattern`.
    pub async fn test_event_pattern(&self, pattern: &str, event: &str) -> Result<bool, AwsError> {
        const OP: &str = "TestEventPattern";
        let out = self
            .events
            .test_event_pattern()
            .event_pattern(pattern)
            .event(event)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e))?;
        Ok(out.result())
    }
}
