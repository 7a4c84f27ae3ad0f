//! Notifications as they are delivered: the AWS CLI's `events` and `sns` commands against the
//! sandbox, CodeArtifact's event on a twine upload, a rule on it targeting a topic whose policy
//! lets EventBridge publish, and a loopback HTTP receiver that confirms its subscription through
//! the `SubscribeURL` and receives the notification with the event as its `Message`; the event of
//! an `npm publish`, its namespace the scope.

#![allow(clippy::unwrap_used)]

mod common;
#[path = "sandbox_notifications/npm.rs"]
mod npm;
#[allow(dead_code)] // the installs and the AWS CLI are for sandbox_npm
#[path = "sandbox_npm/tools.rs"]
mod npm_tools;
#[path = "sandbox_notifications/support.rs"]
mod support;
#[allow(dead_code)] // pip is for the tests that install
#[path = "sandbox_pypi/tools.rs"]
mod tools;

use serde_json::{Value, json};

use support::{ACCOUNT, aws, next, ok, pattern, receiver, topic_policy, twine_upload};

#[tokio::test(flavor = "multi_thread")]
async fn a_twine_upload_reaches_a_confirmed_http_subscriber() {
    let sb = common::start_sandbox("complete").await;
    let Some(out) = aws(
        &sb,
        &[
            "events",
            "put-rule",
            "--name",
            "cawiz-published",
            "--event-pattern",
            &pattern(),
        ],
    )
    .await
    else {
        return;
    };
    let rule = ok(&out)["RuleArn"].as_str().unwrap().to_owned();
    assert_eq!(
        rule,
        format!("arn:aws:events:us-east-1:{ACCOUNT}:rule/cawiz-published")
    );
    let described = ok(&aws(
        &sb,
        &["events", "describe-rule", "--name", "cawiz-published"],
    )
    .await
    .unwrap());
    assert_eq!(described["State"], "ENABLED");
    let listed = ok(
        &aws(&sb, &["events", "list-rules", "--name-prefix", "cawiz"])
            .await
            .unwrap(),
    );
    assert_eq!(listed["Rules"][0]["Arn"], rule);

    let topic = ok(&aws(&sb, &["sns", "create-topic", "--name", "releases"])
        .await
        .unwrap())["TopicArn"]
        .as_str()
        .unwrap()
        .to_owned();
    let attrs = ok(
        &aws(&sb, &["sns", "get-topic-attributes", "--topic-arn", &topic])
            .await
            .unwrap(),
    );
    assert_eq!(attrs["Attributes"]["TopicArn"], topic);
    assert!(
        attrs["Attributes"]["Policy"]
            .as_str()
            .unwrap()
            .contains("__default_policy_ID")
    );
    let policy = topic_policy(&topic, &rule);
    ok(&aws(
        &sb,
        &[
            "sns",
            "set-topic-attributes",
            "--topic-arn",
            &topic,
            "--attribute-name",
            "Policy",
            "--attribute-value",
            &policy,
        ],
    )
    .await
    .unwrap());

    let (endpoint, mut rx) = receiver().await;
    let sub = ok(&aws(
        &sb,
        &[
            "sns",
            "subscribe",
            "--topic-arn",
            &topic,
            "--protocol",
            "http",
            "--notification-endpoint",
            &endpoint,
        ],
    )
    .await
    .unwrap());
    assert_eq!(sub["SubscriptionArn"], "pending confirmation");
    let (kind, confirmation) = next(&mut rx).await;
    assert_eq!(kind, "SubscriptionConfirmation");
    assert_eq!(confirmation["TopicArn"], topic);
    let pending = ok(&aws(
        &sb,
        &["sns", "list-subscriptions-by-topic", "--topic-arn", &topic],
    )
    .await
    .unwrap());
    assert_eq!(
        pending["Subscriptions"][0]["SubscriptionArn"],
        "PendingConfirmation"
    );
    // The receiver confirms by visiting the SubscribeURL, as an SNS subscriber does.
    let visit = reqwest::get(confirmation["SubscribeURL"].as_str().unwrap())
        .await
        .unwrap();
    assert_eq!(visit.status().as_u16(), 200);
    assert!(
        visit
            .text()
            .await
            .unwrap()
            .contains("<ConfirmSubscriptionResult>")
    );
    let confirmed = ok(&aws(
        &sb,
        &["sns", "list-subscriptions-by-topic", "--topic-arn", &topic],
    )
    .await
    .unwrap());
    let sub_arn = confirmed["Subscriptions"][0]["SubscriptionArn"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(sub_arn.starts_with(&format!("{topic}:")), "{confirmed}");

    let targets = json!([{"Id": "releases", "Arn": topic}]).to_string();
    let put = ok(&aws(
        &sb,
        &[
            "events",
            "put-targets",
            "--rule",
            "cawiz-published",
            "--targets",
            &targets,
        ],
    )
    .await
    .unwrap());
    assert_eq!(put["FailedEntryCount"], 0);
    let listed = ok(&aws(
        &sb,
        &[
            "events",
            "list-targets-by-rule",
            "--rule",
            "cawiz-published",
        ],
    )
    .await
    .unwrap());
    assert_eq!(listed["Targets"][0]["Arn"], topic);

    twine_upload(&sb, "7.1.0").await;
    let (kind, note) = next(&mut rx).await;
    assert_eq!(kind, "Notification");
    assert_eq!(note["TopicArn"], topic);
    let event: Value = serde_json::from_str(note["Message"].as_str().unwrap()).unwrap();
    assert_eq!(
        event["detail-type"],
        "CodeArtifact Package Version State Change"
    );
    assert_eq!(event["source"], "aws.codeartifact");
    assert_eq!(
        event["resources"],
        json!([format!(
            "arn:aws:codeartifact:us-east-1:{ACCOUNT}:package/octo-org/widgets/pypi//widgets-cawiz-probe"
        )])
    );
    let d = &event["detail"];
    assert_eq!(
        (
            d["domainName"].as_str(),
            d["domainOwner"].as_str(),
            d["repositoryName"].as_str()
        ),
        (Some("octo-org"), Some(ACCOUNT), Some("widgets"))
    );
    assert_eq!(
        (d["packageFormat"].as_str(), d["packageNamespace"].is_null()),
        (Some("pypi"), true)
    );
    assert_eq!(
        (d["packageName"].as_str(), d["packageVersion"].as_str()),
        (Some("widgets-cawiz-probe"), Some("7.1.0"))
    );
    assert_eq!(
        (
            d["packageVersionState"].as_str(),
            d["operationType"].as_str()
        ),
        (Some("Published"), Some("Created"))
    );
    assert_eq!(d["sequenceNumber"], 1);
    assert!(d["eventDeduplicationId"].is_string() && d["packageVersionRevision"].is_string());
    // The event the sandbox emitted is the one EventBridge's own matcher accepts for the rule.
    let tested = ok(&aws(
        &sb,
        &[
            "events",
            "test-event-pattern",
            "--event-pattern",
            &pattern(),
            "--event",
            &event.to_string(),
        ],
    )
    .await
    .unwrap());
    assert_eq!(tested["Result"], true);

    // A message published by hand reaches the subscriber too.
    ok(&aws(
        &sb,
        &[
            "sns",
            "publish",
            "--topic-arn",
            &topic,
            "--message",
            "hello",
        ],
    )
    .await
    .unwrap());
    let (_, hello) = next(&mut rx).await;
    assert_eq!(hello["Message"], "hello");

    ok(&aws(
        &sb,
        &[
            "events",
            "remove-targets",
            "--rule",
            "cawiz-published",
            "--ids",
            "releases",
        ],
    )
    .await
    .unwrap());
    ok(
        &aws(&sb, &["events", "delete-rule", "--name", "cawiz-published"])
            .await
            .unwrap(),
    );
    ok(
        &aws(&sb, &["sns", "unsubscribe", "--subscription-arn", &sub_arn])
            .await
            .unwrap(),
    );
    ok(&aws(&sb, &["sns", "delete-topic", "--topic-arn", &topic])
        .await
        .unwrap());
    let gone = aws(&sb, &["sns", "get-topic-attributes", "--topic-arn", &topic])
        .await
        .unwrap();
    assert!(
        String::from_utf8_lossy(&gone.stderr).contains("NotFound"),
        "{}",
        tools::text(&gone)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_topic_policy_without_eventbridge_and_the_overviews_pattern_deliver_nothing() {
    let sb = common::start_sandbox("complete").await;
    let Some(out) = aws(&sb, &["sns", "create-topic", "--name", "releases"]).await else {
        return;
    };
    let topic = ok(&out)["TopicArn"].as_str().unwrap().to_owned();
    let rule = ok(&aws(
        &sb,
        &[
            "events",
            "put-rule",
            "--name",
            "cawiz-published",
            "--event-pattern",
            &pattern(),
        ],
    )
    .await
    .unwrap())["RuleArn"]
        .as_str()
        .unwrap()
        .to_owned();
    let overview =
        json!({"source": ["aws.codeartifact"], "detail-type": ["Package Version Published"]})
            .to_string();
    ok(&aws(
        &sb,
        &[
            "events",
            "put-rule",
            "--name",
            "overview",
            "--event-pattern",
            &overview,
        ],
    )
    .await
    .unwrap());
    let targets = json!([{"Id": "releases", "Arn": topic}]).to_string();
    for name in ["cawiz-published", "overview"] {
        ok(&aws(
            &sb,
            &[
                "events",
                "put-targets",
                "--rule",
                name,
                "--targets",
                &targets,
            ],
        )
        .await
        .unwrap());
    }
    twine_upload(&sb, "7.2.0").await;
    if tools::tools().is_none() {
        return;
    }
    assert_eq!(sb.emitted_events().len(), 1);
    // The default topic policy does not let EventBridge publish: a failed invocation; the
    // overview's rule never matched at all.
    let invocations = sb.event_invocations();
    assert_eq!(invocations.len(), 1, "{invocations:?}");
    let (by_rule, to, failure) = &invocations[0];
    assert_eq!((by_rule, to), (&rule, &topic));
    assert!(
        failure
            .as_deref()
            .is_some_and(|f| f.contains("does not allow events.amazonaws.com")),
        "{failure:?}"
    );
}
