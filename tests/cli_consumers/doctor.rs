//! The doctor's `consumer-403` on the sandbox broken as a person would break it.

use serde_json::{Value, json};

use crate::common::cli::{Cli, assert_ok, item, text};
use crate::support::*;

/// `cawiz doctor consumer-403 --json`: each cause's verdict by id.
async fn consumer_403(cli: &Cli) -> Vec<(String, String)> {
    let out = cli.run(&["doctor", "consumer-403", "--json"]).await;
    let doc: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("doctor --json is JSON ({e}): {}", text(&out)));
    doc["symptoms"][0]["causes"]
        .as_array()
        .expect("causes")
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap_or_default().to_owned(),
                c["verdict"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn verdict_of(causes: &[(String, String)], id: &str) -> String {
    causes
        .iter()
        .find(|(c, _)| c == id)
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| panic!("{id} in {causes:?}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn the_doctor_names_the_missing_repository_grant_and_a_deny() {
    let (sb, cli) = with_consumer().await;
    let out = cli.run(&["apply", "--yes", "--only", "consumers"]).await;
    assert_ok(&out);
    let healthy = consumer_403(&cli).await;
    for id in [
        "consumer-domain-policy",
        "consumer-repo-policy",
        "consumer-deny",
    ] {
        assert_eq!(verdict_of(&healthy, id), "ok", "{healthy:?}");
    }
    for id in ["consumer-identity-policy", "consumer-domain-owner"] {
        assert_eq!(verdict_of(&healthy, id), "unknown", "{healthy:?}");
    }
    // Every symptom: consumer-403 is among them now.
    let out = cli.run(&["doctor", "--json"]).await;
    let all: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert!(
        all["symptoms"]
            .as_array()
            .is_some_and(|s| s.iter().any(|s| s["symptom"] == "consumer-403")),
        "{all:#}"
    );

    // Only the domain policy grants: the consumer gets a token but cannot read.
    put_repository_policy(
        &sb,
        &json!({"Version": "2012-10-17", "Statement": [team_read()]}),
    )
    .await;
    if let Some(out) = consumer_endpoint(&sb).await {
        assert!(refused(&out).contains("AccessDenied"), "{}", text(&out));
    }
    let causes = consumer_403(&cli).await;
    assert_eq!(
        verdict_of(&causes, "consumer-repo-policy"),
        "fail",
        "{causes:?}"
    );
    assert_eq!(
        verdict_of(&causes, "consumer-domain-policy"),
        "ok",
        "{causes:?}"
    );
    assert_eq!(
        causes[0].0, "consumer-repo-policy",
        "failing first: {causes:?}"
    );

    // cawiz's grant back, and a Deny beside it: the Deny wins.
    let out = cli.run(&["apply", "--yes", "--only", "consumers"]).await;
    assert_ok(&out);
    let (mut policy, _) = repository_policy(&sb).await.expect("a policy");
    policy["Statement"]
        .as_array_mut()
        .expect("list")
        .push(json!({
            // A hostile Sid: it reaches the terminal escaped.
            "Sid": "NoOutside\u{1b}[2JReads", "Effect": "Deny", "Principal": "*",
            "Action": ["codeartifact:ReadFromRepository", "codeartifact:GetRepositoryEndpoint"],
            "Resource": "*",
            "Condition": {"StringNotEquals": {"aws:PrincipalAccount": OWNER}}
        }));
    put_repository_policy(&sb, &policy).await;
    if let Some(out) = consumer_endpoint(&sb).await {
        assert!(refused(&out).contains("explicit deny"), "{}", text(&out));
    }
    let causes = consumer_403(&cli).await;
    assert_eq!(verdict_of(&causes, "consumer-deny"), "fail", "{causes:?}");
    assert_eq!(
        verdict_of(&causes, "consumer-repo-policy"),
        "ok",
        "{causes:?}"
    );
    let (doc, _) = cli.status_json().await;
    assert_eq!(item(&doc, "consumers")["status"], "drift", "{doc:#}");
    for args in [&["status"][..], &["doctor", "consumer-403"][..]] {
        let out = cli.run(args).await;
        let shown = String::from_utf8_lossy(&out.stdout);
        assert!(shown.contains("NoOutside"), "{args:?}: {}", text(&out));
        assert!(
            !shown.contains('\u{1b}'),
            "{args:?} prints the Sid escaped: {shown}"
        );
    }
}
