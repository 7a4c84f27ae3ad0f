//! The publish policy cawiz writes names the setup's repository (and the upstream only for
//! reading), and an adopted policy broader than that is a warning, never rewritten (issue
//! "Hostile repositories and inputs" item 7).

mod common;

use common::arrange::{ACCOUNT, default_policy_document, policy_without};
use common::cli::{Cli, item, text};
use serde_json::Value;

fn resources(doc: &Value, sid: &str) -> Vec<String> {
    doc["Statement"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|st| st["Sid"] == sid)
        .flat_map(|st| cawiz::policy::strings(st.get("Resource")))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_policy_names_the_repository_and_reads_only_the_upstream() {
    let sb = common::start_sandbox("empty").await;
    let cli = Cli::new(&sb);
    cli.init("octo-org/widgets", "octo-org", "widgets").await;
    let out = cli
        .run(&[
            "apply",
            "--yes",
            "--only",
            "domain",
            "--only",
            "oidc-provider",
            "--only",
            "role",
        ])
        .await;
    assert!(out.status.success(), "{}", text(&out));
    let doc = default_policy_document(&sb).await;
    let base = format!("arn:aws:codeartifact:us-east-1:{ACCOUNT}");
    assert_eq!(
        resources(&doc, "CodeArtifactPublish"),
        [
            format!("{base}:domain/octo-org"),
            format!("{base}:repository/octo-org/widgets"),
            format!("{base}:package/octo-org/widgets/pypi/*"),
        ],
        "{doc:#}"
    );
    assert_eq!(
        resources(&doc, "CodeArtifactReadUpstream"),
        [format!("{base}:repository/octo-org/pypi-store")]
    );
    let text = doc.to_string();
    assert!(
        !text.contains("octo-org/*"),
        "no domain-wide grant: {doc:#}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_adopted_domain_wide_policy_is_a_warning_and_kept() {
    let sb = common::start_sandbox("complete").await;
    let cli = Cli::new(&sb);
    cli.init("octo-org/widgets", "octo-org", "widgets").await;
    // The guide's policy: every repository of the domain, the upstream proxy included.
    policy_without(&sb, "").await;
    let before = default_policy_document(&sb).await;
    let (doc, _) = cli.status_json().await;
    let role = item(&doc, "role");
    assert_eq!(role["status"], "done", "it works: {role:#}");
    let row = role["rows"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["id"] == "policy-scope")
        .unwrap_or_else(|| panic!("a policy-scope row: {role:#}"));
    assert_eq!(row["verdict"], "warn", "{row:#}");
    assert!(
        row["evidence"].to_string().contains("pypi-store"),
        "the upstream is named: {row:#}"
    );
    let out = cli.run(&["apply", "--yes", "--only", "role"]).await;
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        default_policy_document(&sb).await,
        before,
        "never rewritten"
    );
}
