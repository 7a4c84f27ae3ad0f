//! The SNS topic's policy: EventBridge publishes as the service principal
//! `events.amazonaws.com`, with `aws:SourceArn` the rule's ARN and `aws:SourceAccount` the account
//! (SNS Developer Guide, "Amazon SNS topic policies for EventBridge"; a policy without that
//! statement makes `FailedInvocations` climb while `Invocations` look fine). Judged with the one
//! evaluator (`policy::eval`).

use serde_json::{Value, json};

use super::{RowId, bounded_name};
use crate::checklist::rows::{Row, Verdict};
use crate::policy::Tri;
use crate::policy::eval::{Caller, Claim, Request, evaluate};

/// The `Sid` of cawiz's statement in the topic policy.
pub const TOPIC_SID: &str = "cawizEventBridgePublish";

/// The principal EventBridge publishes as.
const EVENTS: &str = "events.amazonaws.com";

/// The topic's name: `cawiz-DOMAIN-REPO` within SNS's 256 characters.
pub fn topic_name(domain: &str, repository: &str) -> String {
    bounded_name(domain, repository, 256)
}

/// cawiz's statement: EventBridge may publish to the topic for this rule only.
pub fn topic_statement(topic_arn: &str, rule_arn: &str, account: &str) -> Value {
    json!({
        "Sid": TOPIC_SID,
        "Effect": "Allow",
        "Principal": {"Service": EVENTS},
        "Action": "sns:Publish",
        "Resource": topic_arn,
        "Condition": {
            "ArnEquals": {"aws:SourceArn": rule_arn},
            "StringEquals": {"aws:SourceAccount": account}
        }
    })
}

/// EventBridge publishing to `topic_arn` with `aws:SourceArn` as `source`.
fn allowed(policy: &Value, topic_arn: &str, account: &str, source: Claim) -> Tri {
    let request = Request {
        caller: Caller::Service {
            name: EVENTS.to_owned(),
        },
        action: "sns:Publish".to_owned(),
        resource: Some(topic_arn.to_owned()),
        keys: vec![
            ("aws:SourceArn".to_owned(), source),
            (
                "aws:SourceAccount".to_owned(),
                Claim::Literal(account.to_owned()),
            ),
            // EventBridge's request carries no `aws:SourceOwner`: the default topic policy's
            // condition on it never lets EventBridge publish.
            ("aws:SourceOwner".to_owned(), Claim::Absent),
        ],
    };
    evaluate(policy, &request).allowed
}

/// The topic policy's row: EventBridge may publish for `rule_arn` (else fail), and for no other
/// source (else warn: broader than needed).
pub fn topic_policy_row(
    policy: Option<&Value>,
    topic_arn: &str,
    rule_arn: &str,
    account: &str,
) -> Row {
    let row = |verdict| {
        Row::new(
            RowId::TopicPolicy.key(),
            "the topic lets EventBridge publish for the rule only",
            verdict,
        )
    };
    let Some(policy) = policy else {
        return row(Verdict::Fail)
            .evidence(format!("GetTopicAttributes {topic_arn}: no Policy"))
            .fix(
                format!(
                    "add a statement allowing {EVENTS} sns:Publish with aws:SourceArn {rule_arn}"
                ),
                None,
            );
    };
    let evidence = format!("GetTopicAttributes {topic_arn}: Policy {policy}");
    match allowed(
        policy,
        topic_arn,
        account,
        Claim::Literal(rule_arn.to_owned()),
    ) {
        Tri::Yes => {}
        Tri::No => {
            return row(Verdict::Fail)
                .evidence(evidence)
                .evidence(format!("{EVENTS} may not publish for {rule_arn}: deliveries fail (FailedInvocations)"))
                .fix(format!("add a statement allowing {EVENTS} sns:Publish with aws:SourceArn {rule_arn}"), None);
        }
        Tri::Maybe(why) => return row(Verdict::Unknown(why)).evidence(evidence),
    }
    // Any other source (or none): a narrow policy allows none of them.
    match allowed(policy, topic_arn, account, Claim::Optional("*".to_owned())) {
        Tri::Yes => row(Verdict::Warn)
            .evidence(evidence)
            .evidence(format!(
                "{EVENTS} may publish for any rule, not only {rule_arn}"
            ))
            .fix(
                format!("condition the statement on aws:SourceArn {rule_arn}"),
                None,
            ),
        _ => row(Verdict::Ok).evidence(evidence),
    }
}
