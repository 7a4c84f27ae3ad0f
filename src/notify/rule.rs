//! The EventBridge rule: CodeArtifact's real event, filtered to this repository's published
//! versions (events also fire for versions fetched from an upstream or copied), and the
//! CodeArtifact overview's pattern, which never fires.

use serde_json::{Value, json};

use super::{RowId, bounded_name};
use crate::aws::RuleInfo;
use crate::checklist::rows::{Row, Verdict};

/// The `detail-type` CodeArtifact sends (User Guide, "CodeArtifact event format and example").
pub const DETAIL_TYPE: &str = "CodeArtifact Package Version State Change";
/// The `detail-type` the CodeArtifact overview writes; CodeArtifact never sends it.
pub const OVERVIEW_DETAIL_TYPE: &str = "Package Version Published";

/// The rule's name: `cawiz-DOMAIN-REPO` within EventBridge's 64 characters.
pub fn rule_name(domain: &str, repository: &str) -> String {
    bounded_name(domain, repository, 64)
}

/// The pattern cawiz writes.
pub fn rule_pattern(domain: &str, owner: &str, repository: &str) -> Value {
    json!({
        "source": ["aws.codeartifact"],
        "detail-type": [DETAIL_TYPE],
        "detail": {
            "domainName": [domain],
            "domainOwner": [owner],
            "repositoryName": [repository],
            "packageVersionState": ["Published"]
        }
    })
}

/// The event CodeArtifact sends when a version is published to the repository, with every field
/// TestEventPattern requires: what the rule must match.
pub fn published_event(domain: &str, owner: &str, repository: &str, region: &str) -> Value {
    super::run::version_event(
        &super::run::Version {
            domain,
            owner,
            repository,
            region,
        },
        "cawiz-probe",
        "1.0.0",
    )
}

/// Whether a pattern (JSON text) filters on the overview's `detail-type` anywhere.
pub fn uses_overview_detail_type(pattern: &str) -> bool {
    fn names(v: &Value) -> bool {
        match v {
            Value::Object(map) => map.iter().any(|(k, v)| {
                (k == "detail-type"
                    && v.as_array()
                        .is_some_and(|a| a.iter().any(|x| x == OVERVIEW_DETAIL_TYPE)))
                    || names(v)
            }),
            Value::Array(items) => items.iter().any(names),
            _ => false,
        }
    }
    serde_json::from_str::<Value>(pattern).is_ok_and(|p| names(&p))
}

/// The rule's row: missing, disabled, not matching the real event (`matched`: TestEventPattern's
/// answer on [`published_event`], `None` when not asked), or fine.
pub fn rule_row(name: &str, rule: Option<&RuleInfo>, matched: Option<bool>) -> Row {
    let title = format!("EventBridge rule {} on published versions", name);
    let row = |verdict| Row::new(RowId::Rule.key(), title.clone(), verdict);
    let Some(rule) = rule else {
        return row(Verdict::Fail)
            .evidence(format!("DescribeRule {}: not found", name))
            .fix("create it (aws events put-rule)", None);
    };
    let pattern = rule.event_pattern.as_deref().unwrap_or_default();
    let evidence = format!(
        "DescribeRule: State {}, EventPattern {}",
        &rule.state, pattern
    );
    if rule.state == "DISABLED" {
        return row(Verdict::Fail)
            .evidence(evidence)
            .fix("enable it (aws events enable-rule)", None);
    }
    match matched {
        Some(true) => row(Verdict::Ok).evidence(evidence),
        Some(false) => row(Verdict::Fail)
            .evidence(evidence)
            .evidence("TestEventPattern on CodeArtifact's published-version event: false")
            .fix(
                format!("match source aws.codeartifact, detail-type \"{DETAIL_TYPE}\", this repository and packageVersionState Published"),
                None,
            ),
        None => row(Verdict::Unknown(
            "TestEventPattern was not asked whether the pattern matches CodeArtifact's event"
                .to_owned(),
        ))
        .evidence(evidence),
    }
}

/// One failing row per rule in the account that waits for the overview's "Package Version
/// Published", by name, with the fix.
pub fn overview_rule_rows(rules: &[RuleInfo]) -> Vec<Row> {
    rules
        .iter()
        .filter(|r| {
            r.event_pattern
                .as_deref()
                .is_some_and(uses_overview_detail_type)
        })
        .map(|r| {
            Row::new(
                RowId::OverviewPattern.key(),
                format!(
                    "rule {} waits for \"{OVERVIEW_DETAIL_TYPE}\", which CodeArtifact never sends",
                    &r.name
                ),
                Verdict::Fail,
            )
            .evidence(format!("ListRules: {}", &r.arn))
            .fix(
                format!(
                    "use \"detail-type\": [\"{DETAIL_TYPE}\"] with \"detail\": {{\"packageVersionState\": [\"Published\"]}}"
                ),
                None,
            )
        })
        .collect()
}
