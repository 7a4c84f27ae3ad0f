//! The notifications seen from runs: a verification run says whether its notification went out
//! (before the item is applied: not sent; after: sent and delivered), and `apply --yes` of
//! everything on the `empty` scenario notifies of its verification run and, run again, makes no
//! mutating call.

use serde_json::Value;

use super::support::{item, next_of, receiver, status_until, verdict_of};
use crate::common;
use crate::common::cli::{Cli, assert_ok, text};

#[tokio::test(flavor = "multi_thread")]
async fn the_verification_run_says_whether_the_notification_went_out() {
    let sb = common::start_sandbox("complete").await;
    let (url, mut rx) = receiver().await;
    let cli = Cli::new(&sb);
    common::git_init(cli.dir.path());
    cli.init_with(&["--notify", &url]).await;
    let out = cli
        .run(&["workflow", "write", "--yes", "--commit", "default"])
        .await;
    assert_ok(&out);

    // Before the notifications item is applied: the run publishes, nothing is sent.
    let out = cli.run(&["verify"]).await;
    assert_ok(&out);
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(stdout.contains("notification NOT sent"), "{stdout}");
    let (doc, _) = cli.status_json().await;
    let pipeline = item(&doc, "pipeline_run");
    assert_eq!(pipeline["status"], "done", "{pipeline:#}");
    let matched = |doc: &Value, id: &str| {
        item(doc, "pipeline_run")["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .find(|r| r["id"] == id)
            .map(|r| r["verdict"].as_str().unwrap_or_default().to_owned())
    };
    assert_eq!(matched(&doc, "notify-run-matched").as_deref(), Some("fail"));

    let out = cli
        .run(&["apply", "--yes", "--only", "notifications"])
        .await;
    assert_ok(&out);
    next_of(&mut rx, "SubscriptionConfirmation").await;
    status_until(&cli, "the http subscription confirmed", |doc| {
        verdict_of(doc, &format!("http {url}")) == "ok"
    })
    .await;

    let out = cli.run(&["verify", "--json"]).await;
    assert_ok(&out);
    let verified: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let version = verified["published"]["version"]
        .as_str()
        .expect("a version")
        .to_owned();
    let rows = verified["notification"]
        .as_array()
        .expect("notification rows");
    assert_eq!(rows[0]["id"], "notify-run-matched");
    assert_eq!(rows[0]["verdict"], "ok", "{verified:#}");
    assert_eq!(rows[1]["id"], "notify-run-delivery");
    assert_eq!(rows[1]["verdict"], "ok", "{verified:#}");
    // And it really went out: the probe's event, delivered to the receiver.
    let notification = next_of(&mut rx, "Notification").await;
    let event: Value =
        serde_json::from_str(notification["Message"].as_str().expect("Message")).unwrap();
    assert_eq!(event["detail"]["packageName"], "widgets-cawiz-probe");
    assert_eq!(event["detail"]["packageVersion"], version.as_str());
    let (doc, _) = cli.status_json().await;
    assert_eq!(matched(&doc, "notify-run-matched").as_deref(), Some("ok"));
    assert_eq!(matched(&doc, "notify-run-delivery").as_deref(), Some("ok"));
}

#[tokio::test(flavor = "multi_thread")]
async fn apply_of_everything_notifies_of_the_verification_run_and_a_second_changes_nothing() {
    let sb = common::start_sandbox("empty").await;
    let (url, mut rx) = receiver().await;
    let cli = Cli::new(&sb);
    common::git_init(cli.dir.path());
    cli.init_with(&["--notify", &url]).await;
    let (doc, _) = cli.status_json().await;
    let notifications = item(&doc, "notifications");
    assert_eq!(notifications["status"], "blocked", "{notifications:#}");
    assert_eq!(notifications["blocked_by"], "repository");

    let apply = cli.with_python(&["apply", "--yes"]);
    let out = cli.run(&apply).await;
    assert_ok(&out);
    next_of(&mut rx, "SubscriptionConfirmation").await;
    status_until(&cli, "notifications done", |doc| {
        item(doc, "notifications")["status"] == "done"
    })
    .await;
    // The workflow went to a pull request; merged, the next apply's verification run publishes
    // the probe, and its notification goes out.
    common::merge_pull(&sb, "octo-org", "widgets", 1).await;
    let out = cli.run(&apply).await;
    assert_ok(&out);
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(stdout.contains("notification sent"), "{stdout}");
    let notification = next_of(&mut rx, "Notification").await;
    let event: Value =
        serde_json::from_str(notification["Message"].as_str().expect("Message")).unwrap();
    assert_eq!(event["detail"]["packageName"], "widgets-cawiz-probe");

    let mutating = sb.mutating_calls();
    let again = cli.run(&apply).await;
    assert_ok(&again);
    assert_eq!(
        sb.mutating_calls(),
        mutating,
        "a second apply must change nothing:\n{}",
        text(&again)
    );
}
