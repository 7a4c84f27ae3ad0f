//! The EventBridge and SNS calls of `cawiz::aws` (rules, targets, TestEventPattern, topics, their
//! policy, subscriptions) over the wire against the in-process sandbox: typed answers, and
//! "does not exist" as `None`.

mod common;

use cawiz::aws::Clients;
use serde_json::json;

const ACCOUNT: &str = cawiz_sandbox::DEFAULT_ACCOUNT_ID;

async fn clients() -> (cawiz_sandbox::SandboxHandle, Clients) {
    let sb = common::start_sandbox("complete").await;
    let clients = cawiz::sandbox::aws_clients(sb.url(), common::REGION);
    (sb, clients)
}

fn event(detail_type: &str) -> String {
    json!({
        "version": "0", "id": "1", "detail-type": detail_type, "source": "aws.codeartifact",
        "account": ACCOUNT, "time": "2026-01-01T00:00:00Z", "region": "us-east-1",
        "resources": [], "detail": {"domainName": "octo-org", "packageVersionState": "Published"}
    })
    .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn rules_and_targets() {
    let (_sb, c) = clients().await;
    assert_eq!(
        c.describe_rule("cawiz-published")
            .await
            .expect("DescribeRule"),
        None
    );
    assert_eq!(
        c.list_targets("cawiz-published")
            .await
            .expect("ListTargetsByRule"),
        None
    );
    let pattern = json!({"source": ["aws.codeartifact"], "detail-type": ["CodeArtifact Package Version State Change"]}).to_string();
    let arn = c
        .put_rule("cawiz-published", &pattern, "cawiz: versions published")
        .await
        .expect("PutRule");
    assert_eq!(
        arn,
        format!("arn:aws:events:us-east-1:{ACCOUNT}:rule/cawiz-published")
    );
    let rule = c
        .describe_rule("cawiz-published")
        .await
        .expect("DescribeRule")
        .expect("the rule");
    assert_eq!(
        (rule.state.as_str(), rule.event_pattern.as_deref()),
        ("ENABLED", Some(pattern.as_str()))
    );
    assert_eq!(
        rule.description.as_deref(),
        Some("cawiz: versions published")
    );
    let all = c.list_rules().await.expect("ListRules");
    assert_eq!(all, vec![rule]);

    let topic = format!("arn:aws:sns:us-east-1:{ACCOUNT}:releases");
    c.put_target("cawiz-published", "releases", &topic)
        .await
        .expect("PutTargets");
    let targets = c
        .list_targets("cawiz-published")
        .await
        .expect("ListTargetsByRule")
        .expect("the rule");
    assert_eq!(
        (targets[0].id.as_str(), targets[0].arn.as_str()),
        ("releases", topic.as_str())
    );
    assert!(
        c.test_event_pattern(
            &pattern,
            &event("CodeArtifact Package Version State Change")
        )
        .await
        .expect("TestEventPattern")
    );
    assert!(
        !c.test_event_pattern(&pattern, &event("Package Version Published"))
            .await
            .expect("TestEventPattern")
    );
    let err = c
        .test_event_pattern("{\"source\": \"x\"}", &event("x"))
        .await
        .unwrap_err();
    assert_eq!(err.code.as_deref(), Some("InvalidEventPatternException"));

    c.remove_targets("cawiz-published", &["releases".to_owned()])
        .await
        .expect("RemoveTargets");
    c.delete_rule("cawiz-published").await.expect("DeleteRule");
    assert_eq!(
        c.describe_rule("cawiz-published")
            .await
            .expect("DescribeRule"),
        None
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn topics_policy_and_subscriptions() {
    let (_sb, c) = clients().await;
    let missing = format!("arn:aws:sns:us-east-1:{ACCOUNT}:none");
    assert_eq!(
        c.topic_attributes(&missing)
            .await
            .expect("GetTopicAttributes"),
        None
    );
    assert_eq!(
        c.list_subscriptions(&missing)
            .await
            .expect("ListSubscriptionsByTopic"),
        None
    );
    let topic = c.create_topic("releases").await.expect("CreateTopic");
    assert_eq!(topic, format!("arn:aws:sns:us-east-1:{ACCOUNT}:releases"));
    let attrs = c
        .topic_attributes(&topic)
        .await
        .expect("GetTopicAttributes")
        .expect("the topic");
    assert!(
        attrs
            .get("Policy")
            .is_some_and(|p| p.contains("__default_policy_ID")),
        "{attrs:?}"
    );
    let policy = json!({"Statement": [{"Sid": "cawizEventBridge", "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "sns:Publish", "Resource": topic}]}).to_string();
    c.set_topic_policy(&topic, &policy)
        .await
        .expect("SetTopicAttributes");
    let attrs = c
        .topic_attributes(&topic)
        .await
        .expect("GetTopicAttributes")
        .expect("the topic");
    assert_eq!(attrs.get("Policy"), Some(&policy));

    let pending = c
        .subscribe(&topic, "email", "team@example.com")
        .await
        .expect("Subscribe");
    assert_eq!(pending, "pending confirmation");
    let subs = c
        .list_subscriptions(&topic)
        .await
        .expect("ListSubscriptionsByTopic")
        .expect("the topic");
    assert_eq!(subs.len(), 1);
    assert!(subs[0].pending());
    assert_eq!(
        (subs[0].protocol.as_str(), subs[0].endpoint.as_str()),
        ("email", "team@example.com")
    );
    let err = c
        .subscribe(&topic, "http", "http://example.com/hook")
        .await
        .unwrap_err();
    assert_eq!(err.code.as_deref(), Some("InvalidParameter"));
    let err = c.unsubscribe(&format!("{topic}:0000")).await.unwrap_err();
    assert_eq!(err.kind, cawiz::aws::AwsErrorKind::NotFound);

    c.delete_topic(&topic).await.expect("DeleteTopic");
    assert_eq!(
        c.topic_attributes(&topic)
            .await
            .expect("GetTopicAttributes"),
        None
    );
}
