//! The `notifications` item end to end with the binary against the in-process sandbox: `init
//! --notify` (a loopback HTTP receiver that confirms its subscription through the `SubscribeURL`,
//! and an email address that stays pending), status, apply, apply again (nothing changes), a
//! publish delivered as an SNS Notification whose `Message` is CodeArtifact's event, destroy
//! (only what cawiz created); the overview's "Package Version Published" rule flagged by name;
//! an existing topic given as `sns:ARN` targeted, never created or deleted.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "cli_notifications/runs.rs"]
mod runs;
#[path = "cli_notifications/support.rs"]
mod support;

use common::cli::{Cli, assert_ok, text};
use serde_json::{Value, json};
use support::{
    ACCOUNT, RULE, clients, created_count, item, next_of, receiver, rows, status_until, verdict_of,
};

#[tokio::test(flavor = "multi_thread")]
async fn notify_apply_deliver_and_destroy() {
    let sb = common::start_sandbox("complete").await;
    let aws = clients(sb.url());
    // Someone else's rule on the same events: never touched.
    let theirs = json!({"source": ["aws.codeartifact"]}).to_string();
    aws.put_rule("team-audit", &theirs, "theirs").await.unwrap();
    let (url, mut rx) = receiver().await;
    let cli = Cli::new(&sb);
    cli.init_with(&["--notify", &url, "--notify", "email:x@example.com"])
        .await;

    let (doc, _) = cli.status_json().await;
    assert_eq!(item(&doc, "notifications")["status"], "missing", "{doc}");
    assert_eq!(doc["setup"]["notify"], json!([url, "email:x@example.com"]));
    let plan = cli.run(&["plan", "--format", "sh"]).await;
    assert_ok(&plan);
    let script = String::from_utf8_lossy(&plan.stdout).to_string();
    for command in [
        "aws events put-rule",
        "aws sns create-topic",
        "aws sns set-topic-attributes",
        "aws sns subscribe",
        "aws events put-targets",
    ] {
        assert!(script.contains(command), "{command} in {script}");
    }

    let out = cli
        .run(&["apply", "--yes", "--only", "notifications"])
        .await;
    assert_ok(&out);
    let confirmation = next_of(&mut rx, "SubscriptionConfirmation").await;
    assert!(
        confirmation["TopicArn"]
            .as_str()
            .is_some_and(|t| t.ends_with(":cawiz-octo-org-widgets")),
        "{confirmation}"
    );
    let doc = status_until(&cli, "the http subscription confirmed", |doc| {
        item(doc, "notifications")["status"] == "done"
            && verdict_of(doc, &format!("http {url}")) == "ok"
    })
    .await;
    assert_eq!(verdict_of(&doc, "email x@example.com"), "warn", "{doc}");
    assert_eq!(verdict_of(&doc, "EventBridge rule"), "ok");
    assert_eq!(verdict_of(&doc, "lets EventBridge publish"), "ok");

    // Apply again: nothing to do, nothing recorded.
    let before = created_count(&cli).await;
    assert_eq!(
        before,
        6,
        "rule, topic, its statement, two subscriptions, target: {}",
        common::cli::read(&cli.state())
    );
    let mutating = sb.mutating_calls();
    let again = cli
        .run(&["apply", "--yes", "--only", "notifications"])
        .await;
    assert_ok(&again);
    assert_eq!(created_count(&cli).await, before, "{}", text(&again));
    assert_eq!(sb.mutating_calls(), mutating, "{}", text(&again));

    // A publish is delivered: the Notification's Message is CodeArtifact's event.
    common::arrange::publish(&sb, vec!["7.7.7".to_owned()]).await;
    let notification = next_of(&mut rx, "Notification").await;
    let event: Value =
        serde_json::from_str(notification["Message"].as_str().expect("Message")).unwrap();
    assert_eq!(
        event["detail-type"],
        "CodeArtifact Package Version State Change"
    );
    assert_eq!(event["detail"]["repositoryName"], "widgets");
    assert_eq!(event["detail"]["packageVersion"], "7.7.7");
    assert_eq!(event["detail"]["packageVersionState"], "Published");

    let out = cli.run(&["destroy", "--yes"]).await;
    assert_ok(&out);
    assert_eq!(aws.describe_rule(RULE).await.unwrap(), None);
    let topic = format!("arn:aws:sns:us-east-1:{ACCOUNT}:cawiz-octo-org-widgets");
    assert_eq!(aws.topic_attributes(&topic).await.unwrap(), None);
    assert!(aws.describe_rule("team-audit").await.unwrap().is_some());
    assert!(
        aws.describe_domain("octo-org", ACCOUNT)
            .await
            .unwrap()
            .is_some(),
        "the scenario's domain is not cawiz's"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_overviews_pattern_is_flagged_by_name() {
    let sb = common::start_sandbox("complete").await;
    let aws = clients(sb.url());
    let overview =
        json!({"source": ["aws.codeartifact"], "detail-type": ["Package Version Published"]});
    aws.put_rule(
        "legacy-published",
        &overview.to_string(),
        "from the overview",
    )
    .await
    .unwrap();
    let cli = Cli::new(&sb);
    cli.init_with(&["--notify", "email:x@example.com"]).await;
    let (doc, _) = cli.status_json().await;
    let flagged: Vec<_> = rows(&doc)
        .into_iter()
        .filter(|(id, _, _)| id == "notify-overview-pattern")
        .collect();
    assert_eq!(flagged.len(), 1, "{doc}");
    assert!(flagged[0].1.contains("legacy-published"), "{flagged:?}");
    assert_eq!(flagged[0].2, "fail");
    // The plan shows the fix for their rule; apply never changes it.
    let plan = cli.run(&["plan", "--format", "sh"]).await;
    let script = String::from_utf8_lossy(&plan.stdout).to_string();
    assert!(
        script.contains("--name legacy-published")
            && script.contains("CodeArtifact Package Version State Change"),
        "{script}"
    );
    cli.run(&["apply", "--yes", "--only", "notifications"])
        .await;
    let after = aws
        .describe_rule("legacy-published")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        after.event_pattern.as_deref(),
        Some(overview.to_string().as_str())
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_existing_topic_is_targeted_never_created_or_deleted() {
    let sb = common::start_sandbox("complete").await;
    let aws = clients(sb.url());
    let topic = aws.create_topic("team-releases").await.unwrap();
    let cli = Cli::new(&sb);
    cli.init_with(&["--notify", &format!("sns:{topic}")]).await;
    let out = cli
        .run(&["apply", "--yes", "--only", "notifications"])
        .await;
    assert_ok(&out);
    let (doc, _) = cli.status_json().await;
    assert_eq!(item(&doc, "notifications")["status"], "done", "{doc}");
    let ours = format!("arn:aws:sns:us-east-1:{ACCOUNT}:cawiz-octo-org-widgets");
    assert_eq!(
        aws.topic_attributes(&ours).await.unwrap(),
        None,
        "no topic of cawiz's"
    );
    let targets = aws.list_targets(RULE).await.unwrap().unwrap();
    assert_eq!(
        targets.iter().map(|t| t.arn.as_str()).collect::<Vec<_>>(),
        [topic.as_str()]
    );
    let policy = |attrs: std::collections::BTreeMap<String, String>| attrs["Policy"].clone();
    let with_ours = policy(aws.topic_attributes(&topic).await.unwrap().unwrap());
    assert!(
        with_ours.contains("cawizEventBridgePublish")
            && with_ours.contains("__default_statement_ID")
            && with_ours.contains("__default_policy_ID"),
        "{with_ours}"
    );

    let out = cli.run(&["destroy", "--yes"]).await;
    assert_ok(&out);
    let kept = aws
        .topic_attributes(&topic)
        .await
        .unwrap()
        .expect("the topic stays");
    let kept = policy(kept);
    assert!(!kept.contains("cawizEventBridgePublish"), "{kept}");
    assert!(
        kept.contains("__default_statement_ID") && kept.contains("__default_policy_ID"),
        "{kept}"
    );
    assert_eq!(aws.describe_rule(RULE).await.unwrap(), None);
}

#[tokio::test(flavor = "multi_thread")]
async fn access_denied_on_eventbridge_is_an_error_with_what_to_check() {
    let sb = common::start_sandbox_with_faults("complete", &["DescribeRule=AccessDeniedException"])
        .await;
    let cli = Cli::new(&sb);
    cli.init_with(&["--notify", "email:x@example.com"]).await;
    let (doc, ok) = cli.status_json().await;
    assert!(!ok, "an error is not done");
    let notifications = item(&doc, "notifications");
    assert_eq!(notifications["status"], "error", "{notifications:#}");
    let summary = notifications["summary"].as_str().unwrap_or_default();
    assert!(
        summary.contains("DescribeRule") && summary.contains("--profile"),
        "the call and what to check: {summary}"
    );
    assert!(
        notifications["rows"].as_array().is_some_and(Vec::is_empty),
        "no row judged on facts that could not be read: {notifications:#}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_notify_value_is_refused_at_its_field() {
    let sb = common::start_sandbox("empty").await;
    let cli = Cli::new(&sb);
    for (bad, rule) in [
        ("http://example.com/hook", "127.0.0.1"),
        ("email:nobody", "not an email address"),
        (
            "sns:arn:aws:sqs:us-east-1:123456789012:q",
            "not an SNS topic ARN",
        ),
        ("https://x\u{1b}]0;pwned\u{7}", "control characters"),
    ] {
        let out = cli
            .run(&[
                "init",
                "--non-interactive",
                "--github",
                "octo-org/widgets",
                "--notify",
                bad,
            ])
            .await;
        assert!(!out.status.success(), "{bad:?} refused: {}", text(&out));
        common::cli::assert_no_panic(&out);
        let all = text(&out);
        assert!(
            all.contains("notify:") && all.contains(rule),
            "{bad:?}: {all}"
        );
        assert!(
            !all.contains('\u{1b}'),
            "no control character reaches the terminal"
        );
        assert!(!cli.state().exists(), "nothing saved");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_doctor_says_why_nobody_is_told() {
    let sb = common::start_sandbox("complete").await;
    let cli = Cli::new(&sb);
    cli.init_with(&["--notify", "email:x@example.com"]).await;
    let doctor = |args: &'static [&'static str]| {
        let cli = &cli;
        async move {
            let mut all = vec!["doctor", "--json"];
            all.extend_from_slice(args);
            let all = cli.with_python(&all);
            let out = cli.run(&all).await;
            let doc: serde_json::Value = serde_json::from_slice(&out.stdout)
                .unwrap_or_else(|e| panic!("doctor --json ({e}): {}", text(&out)));
            doc
        }
    };
    let verdict = |doc: &serde_json::Value, id: &str| -> String {
        doc["symptoms"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|s| s["causes"].as_array().into_iter().flatten())
            .find(|c| c["id"] == id)
            .and_then(|c| c["verdict"].as_str().map(str::to_owned))
            .unwrap_or_else(|| panic!("{id} in {doc:#}"))
    };
    // Nothing applied: no rule, no topic.
    let doc = doctor(&["no-notification"]).await;
    assert_eq!(doc["symptoms"][0]["symptom"], "no-notification", "{doc:#}");
    assert_eq!(verdict(&doc, "notify-rule"), "fail", "{doc:#}");
    assert_eq!(verdict(&doc, "notify-topic"), "fail", "{doc:#}");
    // Every symptom of the setup: the fourth is this one.
    let all = doctor(&[]).await;
    let symptoms: Vec<&str> = all["symptoms"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["symptom"].as_str())
        .collect();
    assert_eq!(
        symptoms,
        ["oidc", "publish-403", "not-found", "no-notification"]
    );

    let out = cli
        .run(&["apply", "--yes", "--only", "notifications"])
        .await;
    assert_ok(&out);
    let doc = doctor(&["no-notification"]).await;
    for id in [
        "notify-rule",
        "notify-target",
        "notify-topic",
        "notify-topic-policy",
    ] {
        assert_eq!(verdict(&doc, id), "ok", "{id}: {doc:#}");
    }
    // The email has not confirmed its subscription yet.
    assert_eq!(verdict(&doc, "notify-subscription"), "warn", "{doc:#}");
}
