//! The optional `consumers` item end to end: `init --consumer`, status, plan, apply and destroy
//! against the sandbox, with the real AWS CLI as the consumer's client (access key
//! `account-222233334444`) — refused before apply, served after; others' statements in the
//! policies survive apply and destroy; the doctor's `consumer-403` names the missing grant and
//! an explicit Deny.

mod common;
#[allow(dead_code)] // twine is for the tests that publish
#[path = "../crates/sandbox/tests/sandbox_pypi/tools.rs"]
mod tools;

#[path = "cli_consumers/doctor.rs"]
mod doctor;
#[path = "cli_consumers/support.rs"]
mod support;

use common::cli::{Cli, assert_ok, statuses, text};
use serde_json::json;
use support::*;

#[tokio::test(flavor = "multi_thread")]
async fn a_consumer_is_refused_then_served_and_others_statements_survive() {
    let (sb, cli) = with_consumer().await;
    let (doc, _) = cli.status_json().await;
    let items = statuses(&doc);
    assert_eq!(
        items.last().map(|(i, _)| i.as_str()),
        Some("consumers"),
        "the item comes last: {items:?}"
    );
    assert_eq!(consumers_status(&cli).await, "missing");
    let Some(out) = consumer_token(&sb).await else {
        return; // no AWS CLI (CAWIZ_SKIP_PYTHON_TESTS=1)
    };
    assert!(refused(&out).contains("AccessDenied"), "{}", text(&out));

    let plan = cli.run(&["plan"]).await;
    assert_ok(&plan);
    let plan_text = String::from_utf8_lossy(&plan.stdout).into_owned();
    for needle in [
        "put-domain-permissions-policy",
        "put-repository-permissions-policy",
        "--policy-revision",
        "cawizConsumer222233334444Read",
        "TeamRead",
    ] {
        assert!(plan_text.contains(needle), "{needle}: {plan_text}");
    }

    let out = cli.run(&["apply", "--yes", "--only", "consumers"]).await;
    assert_ok(&out);
    assert_eq!(consumers_status(&cli).await, "done");
    let token = consumer_token(&sb).await.expect("aws");
    assert!(token.status.success(), "{}", text(&token));
    let endpoint = consumer_endpoint(&sb).await.expect("aws");
    assert!(endpoint.status.success(), "{}", text(&endpoint));
    consumer_installs(&token, &endpoint).await;
    let stranger = as_account(
        &sb,
        STRANGER,
        &[
            "codeartifact",
            "get-authorization-token",
            "--domain",
            "octo-org",
            "--domain-owner",
            OWNER,
        ],
    )
    .await
    .expect("aws");
    assert!(
        refused(&stranger).contains("AccessDenied"),
        "others stay out"
    );
    let (policy, revision) = repository_policy(&sb).await.expect("a policy");
    assert_eq!(
        sids(&policy),
        ["TeamRead", "cawizConsumer222233334444Read"],
        "merged, the foreign statement first and unchanged"
    );
    assert_eq!(policy["Statement"][0], team_read());

    // Again: nothing to change, nothing written.
    let out = cli.run(&["apply", "--yes", "--only", "consumers"]).await;
    assert_ok(&out);
    assert_eq!(repository_policy(&sb).await.map(|p| p.1), Some(revision));

    let out = cli.run(&["destroy", "--yes"]).await;
    assert_ok(&out);
    let (left, _) = repository_policy(&sb)
        .await
        .expect("the foreign statement stays");
    assert_eq!(left["Statement"], json!([team_read()]));
    assert_eq!(
        domain_policy(&sb).await,
        None,
        "the domain policy held only cawiz's statement: deleted"
    );
    assert!(refused(&consumer_token(&sb).await.expect("aws")).contains("AccessDenied"));
    assert_eq!(consumers_status(&cli).await, "missing");
}

#[tokio::test(flavor = "multi_thread")]
async fn without_consumers_there_is_no_item() {
    let sb = common::start_sandbox("complete").await;
    let cli = Cli::new(&sb);
    cli.init_with(&[]).await;
    let (doc, _) = cli.status_json().await;
    assert!(
        statuses(&doc).iter().all(|(i, _)| i != "consumers"),
        "{doc:#}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn init_refuses_a_bad_consumer_at_its_field() {
    let sb = common::start_sandbox("complete").await;
    let cli = Cli::new(&sb);
    for (flag, value, needle) in [
        ("--consumer", "12345", "12 digits"),
        ("--consumer", OWNER, "own account"),
        ("--consumer-org", "o-short", "^o-[a-z0-9]{10,32}$"),
    ] {
        let out = cli
            .run(&[
                "init",
                "--non-interactive",
                "--github",
                "octo-org/widgets",
                flag,
                value,
            ])
            .await;
        assert!(!out.status.success(), "{flag} {value}: {}", text(&out));
        assert!(
            text(&out).contains(needle),
            "{flag} {value}: {}",
            text(&out)
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_grant_someone_else_wrote_is_adopted_not_rewritten() {
    let (sb, cli) = with_consumer().await;
    let theirs = json!({"Sid": "PartnerReads", "Effect": "Allow",
        "Principal": {"AWS": format!("arn:aws:iam::{CONSUMER}:root")},
        "Action": "codeartifact:*", "Resource": "*"});
    put_repository_policy(
        &sb,
        &json!({"Version": "2012-10-17", "Statement": [team_read(), theirs]}),
    )
    .await;
    let (_, revision) = repository_policy(&sb).await.expect("a policy");
    let plan = cli.run(&["plan"]).await;
    let plan_text = String::from_utf8_lossy(&plan.stdout).into_owned();
    assert!(
        plan_text.contains("put-domain-permissions-policy"),
        "{plan_text}"
    );
    assert!(
        !plan_text.contains("put-repository-permissions-policy"),
        "the reads are granted already: {plan_text}"
    );
    let out = cli.run(&["apply", "--yes", "--only", "consumers"]).await;
    assert_ok(&out);
    assert_eq!(consumers_status(&cli).await, "done");
    assert_eq!(repository_policy(&sb).await.map(|p| p.1), Some(revision));
}
