//! A big, old account costs what a fresh one does (issue 23): `status` and `doctor` against the
//! `complete` scenario after a year of nightly builds — 1,000 more versions of the package and
//! 120 more Actions variables, made through the PyPI endpoint and the REST API — ask for what they
//! judge (variables by name, the version in question, one page of the newest versions), counted in
//! the sandbox's request log. A listing read page by page where a targeted call exists fails here.

mod common;

use std::collections::BTreeMap;

use cawiz_sandbox::SandboxHandle;
use common::arrange::{add_variables, publish, publish_versions};
use common::cli::{Cli, item, text};
use reqwest::Method;
use serde_json::{Value, json};

const VERSIONS: usize = 1_000;
const VARIABLES: usize = 120;

/// The complete scenario after a year: 1,000 more versions of `widgets`, the newest `0.2.0`
/// (published last, on its own), and 120 more repository variables.
async fn big() -> (SandboxHandle, Cli) {
    let sb = common::start_sandbox("complete").await;
    tokio::join!(
        publish_versions(&sb, VERSIONS),
        add_variables(&sb, "octo-org", "widgets", VARIABLES),
    );
    publish_newest(&sb).await;
    let cli = Cli::new(&sb);
    cli.init("octo-org/widgets", "octo-org", "widgets").await;
    (sb, cli)
}

/// `widgets 0.2.0`, uploaded after every other version.
async fn publish_newest(sb: &SandboxHandle) {
    publish(sb, vec!["0.2.0".to_owned()]).await;
}

/// The requests per operation `run` made (the sandbox's counters before and after).
async fn counted<F: Future<Output = T>, T>(
    sb: &SandboxHandle,
    run: F,
) -> (T, BTreeMap<String, u64>) {
    let before = sb.calls();
    let out = run.await;
    let after = sb.calls();
    let delta = after
        .into_iter()
        .filter_map(|(op, n)| {
            let made = n - before.get(&op).copied().unwrap_or(0);
            (made > 0).then_some((op, made))
        })
        .collect();
    (out, delta)
}

fn calls(counts: &BTreeMap<String, u64>, op: &str) -> u64 {
    counts.get(op).copied().unwrap_or(0)
}

/// `cawiz doctor --json ARGS`: the document.
async fn doctor(cli: &Cli, args: &[&str]) -> Value {
    let mut all = vec!["doctor", "--json"];
    all.extend_from_slice(args);
    let out = cli.run(&all).await;
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("doctor --json is JSON ({e}): {}", text(&out)))
}

fn cause<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["symptoms"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| s["causes"].as_array().into_iter().flatten())
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("cause {id} in {doc:#}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn status_reads_the_variables_it_judges_by_name() {
    let (sb, cli) = big().await;
    let ((doc, _), counts) = counted(&sb, cli.status_json()).await;
    assert_eq!(item(&doc, "variables")["status"], "done", "{doc:#}");
    // 125 variables are five pages of GitHub's 30: the five cawiz judges are asked for by name.
    assert_eq!(
        calls(&counts, "GitHub:ListVariables"),
        0,
        "the repository's variables listed page by page: {counts:?}"
    );
    let by_name = calls(&counts, "GitHub:GetVariable");
    assert!((5..=10).contains(&by_name), "{counts:?}");
    assert_eq!(calls(&counts, "ListPackageVersions"), 0, "{counts:?}");
    // No workflow names a secret (OIDC): the secrets, which only the lint would check, are not listed.
    assert_eq!(calls(&counts, "GitHub:ListSecrets"), 0, "{counts:?}");
    // The organisation's level has no by-name read for a repository: it is listed, and says how.
    let listings = &item(&doc, "variables")["listings"];
    let org = listings
        .as_array()
        .and_then(|l| {
            l.iter()
                .find(|l| l["operation"] == "actions/list-repo-organization-variables")
        })
        .unwrap_or_else(|| panic!("the organisation's listing in {doc:#}"));
    assert_eq!(org["pages"], 1, "{org}");
    assert_eq!(org["complete"], true, "{org}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_environment_s_variables_are_read_by_name() {
    let sb = common::start_sandbox("complete").await;
    let path = "/repos/octo-org/widgets/environments/prod";
    let (status, _) = common::github_request(&sb, Method::PUT, path, None).await;
    assert_eq!(status, 200);
    for n in 0..40 {
        let body = json!({"name": format!("ENV_{n:02}"), "value": "x"});
        let vars = format!("{path}/variables");
        let (status, answer) = common::github_request(&sb, Method::POST, &vars, Some(body)).await;
        assert_eq!(status, 201, "{answer}");
    }
    let cli = Cli::new(&sb);
    let out = cli
        .run(&[
            "init",
            "--non-interactive",
            "--github",
            "octo-org/widgets",
            "--domain",
            "octo-org",
            "--repository",
            "widgets",
            "--scope",
            "environment:prod",
        ])
        .await;
    assert!(out.status.success(), "{}", text(&out));
    let ((doc, _), counts) = counted(&sb, cli.status_json()).await;
    assert_eq!(
        calls(&counts, "GitHub:ListEnvironmentVariables"),
        0,
        "environment prod's variables listed page by page: {counts:?}"
    );
    assert!(
        calls(&counts, "GitHub:GetEnvironmentVariable") >= 5,
        "{counts:?}"
    );
    // The role trusts every ref, not the environment's subject: the role drifts and what
    // depends on it waits; nothing is in error for want of a listing.
    assert_ne!(item(&doc, "workflow")["status"], "error", "{doc:#}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_doctor_asks_for_the_version_in_question_and_one_page_of_the_newest() {
    let (sb, cli) = big().await;
    let (doc, counts) = counted(
        &sb,
        doctor(&cli, &["--package", "widgets", "--version", "0.1.500"]),
    )
    .await;
    assert!(
        calls(&counts, "ListPackageVersions") <= 1,
        "ListPackageVersions read page by page: {counts:?}"
    );
    assert_eq!(calls(&counts, "DescribePackageVersion"), 1, "{counts:?}");
    assert_eq!(calls(&counts, "GitHub:ListVariables"), 0, "{counts:?}");
    assert_eq!(cause(&doc, "version-exists")["verdict"], "fail", "{doc:#}");
    assert_eq!(
        cause(&doc, "package-not-published")["verdict"],
        "ok",
        "{doc:#}"
    );
    assert_eq!(cause(&doc, "version-status")["verdict"], "ok", "{doc:#}");
    assert_eq!(cause(&doc, "names-mismatch")["verdict"], "ok", "{doc:#}");
    // 1,002 versions: the newest 1,000 published are one page, and the JSON says it was not all.
    let listing = doc["listings"]
        .as_array()
        .and_then(|l| l.iter().find(|l| l["operation"] == "ListPackageVersions"))
        .unwrap_or_else(|| panic!("the versions' listing in {doc:#}"));
    assert_eq!(listing["pages"], 1, "{listing}");
    assert_eq!(listing["complete"], false, "{listing}");

    let (doc, counts) = counted(
        &sb,
        doctor(&cli, &["--package", "widgets", "--version", "9.9.9"]),
    )
    .await;
    assert!(calls(&counts, "ListPackageVersions") <= 1, "{counts:?}");
    let missing = cause(&doc, "package-not-published");
    assert_eq!(missing["verdict"], "fail", "{doc:#}");
    let evidence = missing["evidence"].to_string();
    assert!(
        evidence.contains("DescribePackageVersion") && evidence.contains("0.2.0"),
        "the evidence names the call and the newest published version: {evidence}"
    );
}
