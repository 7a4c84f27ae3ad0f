//! Whether a verification run's publish went out as a notification: the event CodeArtifact sends
//! for that version (User Guide, "CodeArtifact event format and example": the envelope, and
//! `detail` with the domain, owner, repository, format, namespace, name, version, state, revision,
//! changes, operation, sequence number and deduplication id), the rule's TestEventPattern answer on
//! it, and the topic's confirmed subscriptions (SNS delivers to those only; each message's delivery
//! shows in CloudWatch, which cawiz does not read).

use serde_json::{Value, json};

use super::{DETAIL_TYPE, RowId};
use crate::aws::{RuleInfo, SubscriptionInfo};
use crate::checklist::rows::{Row, Verdict};

/// Where a version was published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Version<'a> {
    pub domain: &'a str,
    pub owner: &'a str,
    pub repository: &'a str,
    pub region: &'a str,
}

/// The event CodeArtifact sends when `package` `version` (pypi) is published to the repository.
pub fn version_event(at: &Version<'_>, package: &str, version: &str) -> Value {
    let Version {
        domain,
        owner,
        repository,
        region,
    } = *at;
    let partition = crate::policy::partition(region);
    json!({
        "version": "0",
        "id": "00000000-0000-4000-a000-000000000000",
        "detail-type": DETAIL_TYPE,
        "source": "aws.codeartifact",
        "account": owner,
        "time": "2026-01-01T00:00:00Z",
        "region": region,
        "resources": [format!(
            "arn:{partition}:codeartifact:{region}:{owner}:package/{domain}/{repository}/pypi//{package}"
        )],
        "detail": {
            "domainName": domain,
            "domainOwner": owner,
            "repositoryName": repository,
            "packageFormat": "pypi",
            "packageNamespace": null,
            "packageName": package,
            "packageVersion": version,
            "packageVersionState": "Published",
            "packageVersionRevision": "cawiz",
            "changes": {"assetsAdded": 1, "assetsRemoved": 0, "metadataUpdated": true,
                        "assetsUpdated": 0, "statusChanged": true},
            "operationType": "Created",
            "sequenceNumber": 1,
            "eventDeduplicationId": "cawiz"
        }
    })
}

/// The rule matched the version's event (`matched`: TestEventPattern's answer).
fn matched_row(name: &str, rule: Option<&RuleInfo>, matched: Option<bool>, what: &str) -> Row {
    let title = format!("the notification rule {name} matched the event of {what}");
    let row = |verdict| Row::new(RowId::RunMatched.key(), title.clone(), verdict);
    match (rule, matched) {
        (None, _) => row(Verdict::Fail)
            .evidence(format!("DescribeRule {name}: not found — nothing was sent"))
            .fix("apply the notifications item", None),
        (Some(r), _) if r.state != "ENABLED" => row(Verdict::Fail)
            .evidence(format!(
                "DescribeRule {name}: State {} — nothing was sent",
                r.state
            ))
            .fix("enable it (aws events enable-rule)", None),
        (Some(_), Some(true)) => row(Verdict::Ok).evidence(format!(
            "TestEventPattern on CodeArtifact's event for {what}: true"
        )),
        (Some(_), Some(false)) => row(Verdict::Fail)
            .evidence(format!(
                "TestEventPattern on CodeArtifact's event for {what}: false — nothing was sent"
            ))
            .fix(
                "apply the notifications item (it puts the right pattern)",
                None,
            ),
        (Some(_), None) => row(Verdict::Unknown(
            "the rule has no event pattern to test".to_owned(),
        )),
    }
}

/// Who SNS delivered it to: the confirmed subscriptions of cawiz's topic (`None`: the topic does
/// not exist), and the topics given as `sns:ARN` (their subscribers are theirs).
fn delivery_row(subscriptions: Option<&[SubscriptionInfo]>, given_topics: usize) -> Row {
    let title = "SNS delivered it to the subscribed endpoints";
    let row = |verdict| Row::new(RowId::RunDelivery.key(), title, verdict);
    let cloudwatch = "each delivery shows in CloudWatch (SNS NumberOfNotificationsDelivered and \
                      NumberOfNotificationsFailed), which cawiz does not read";
    let Some(subs) = subscriptions else {
        if given_topics > 0 {
            return row(Verdict::Ok)
                .evidence(format!(
                    "sent to {given_topics} topic(s) given as sns:ARN; their subscribers are theirs"
                ))
                .evidence(cloudwatch);
        }
        return row(Verdict::Fail)
            .evidence("GetTopicAttributes: cawiz's topic does not exist")
            .fix("apply the notifications item", None);
    };
    let confirmed = subs.iter().filter(|s| !s.pending()).count();
    let pending: Vec<&str> = subs
        .iter()
        .filter(|s| s.pending())
        .map(|s| s.endpoint.as_str())
        .collect();
    let mut out = if confirmed > 0 || given_topics > 0 {
        row(Verdict::Ok).evidence(format!(
            "ListSubscriptionsByTopic: {confirmed} confirmed subscription(s) receive it"
        ))
    } else {
        row(Verdict::Warn)
            .evidence("ListSubscriptionsByTopic: no confirmed subscription — nobody received it")
            .fix(
                "confirm the subscriptions (see the notifications item)",
                None,
            )
    };
    if !pending.is_empty() {
        out = out.evidence(format!(
            "pending confirmation, not delivered: {}",
            pending.join(", ")
        ));
    }
    out.evidence(cloudwatch)
}

/// The rows a verification run's version adds when notifications are configured.
pub fn run_rows(
    rule_name: &str,
    rule: Option<&RuleInfo>,
    matched: Option<bool>,
    what: &str,
    subscriptions: Option<&[SubscriptionInfo]>,
    given_topics: usize,
) -> Vec<Row> {
    let matched_row = matched_row(rule_name, rule, matched, what);
    let sent = matched_row.verdict == Verdict::Ok;
    let mut rows = vec![matched_row];
    if sent {
        rows.push(delivery_row(subscriptions, given_topics));
    }
    rows
}
