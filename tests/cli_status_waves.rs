//! `cawiz status` and `cawiz doctor` read everything in one wave when the state recorded the facts
//! the reads need (the account, the role's ARN, the policy's default version, the default
//! branch), each confirmed by the same wave; a stale fact is read again and never judged from.
//! Order, not time: the sandbox holds an answer until the reads that must not wait for it have
//! arrived (a read that waits for it arrives after it, whatever the machine's load).

mod common;

use std::time::Duration;

use cawiz_sandbox::{RequestStep, SandboxConfig, SandboxHandle};
use common::arrange::{ACCOUNT, policy_without};
use common::cli::{Cli, item, text};
use serde_json::Value;

/// Long enough for any loaded machine; reached only when cawiz waits for the held answer.
const HOLD: Duration = Duration::from_secs(20);

async fn recorded(config: SandboxConfig) -> (SandboxHandle, Cli) {
    let sb = common::start_sandbox_with(config).await;
    let cli = Cli::new(&sb);
    cli.init("octo-org/widgets", "octo-org", "widgets").await;
    let out = cli.run(&["status"]).await;
    assert!(out.status.code() == Some(1), "{}", text(&out));
    (sb, cli)
}

fn complete() -> SandboxConfig {
    SandboxConfig::scenario("complete")
}

fn state(cli: &Cli) -> Value {
    serde_json::from_str(&common::cli::read(&cli.state())).expect("state JSON")
}

fn position(order: &[RequestStep], step: &RequestStep) -> usize {
    order
        .iter()
        .position(|s| s == step)
        .unwrap_or_else(|| panic!("{step:?} in {order:?}"))
}

fn arrived(op: &str) -> RequestStep {
    RequestStep::Arrived(op.to_owned())
}

fn answered(op: &str) -> RequestStep {
    RequestStep::Answered(op.to_owned())
}

#[tokio::test]
async fn status_records_the_facts_it_learned() {
    let (_sb, cli) = recorded(complete()).await;
    let known = &state(&cli)["known"];
    assert_eq!(known["account_id"], ACCOUNT);
    assert_eq!(
        known["role"]["arn"],
        format!("arn:aws:iam::{ACCOUNT}:role/GitHubActions-CodeArtifact")
    );
    assert_eq!(known["policy"]["default_version"], "v1");
    assert_eq!(known["default_branch"]["branch"], "main");
}

#[tokio::test]
async fn with_recorded_facts_no_read_waits_for_the_answers_they_come_from() {
    let (sb, cli) = recorded(complete()).await;
    sb.clear_request_order();
    let early = [
        "GetPolicyVersion",
        "SimulatePrincipalPolicy",
        "GitHub:ListWorkflowRuns",
    ];
    sb.hold_answer("GetCallerIdentity", &early, HOLD);
    sb.hold_answer("GetPolicy", &["GetPolicyVersion"], HOLD);
    sb.hold_answer("GetRole", &["SimulatePrincipalPolicy"], HOLD);
    sb.hold_answer("GitHub:GetRepository", &["GitHub:ListWorkflowRuns"], HOLD);
    let (doc, _) = cli.status_json().await;
    assert_eq!(item(&doc, "role")["status"], "done", "{doc}");
    let order = sb.request_order();
    let identity = position(&order, &answered("GetCallerIdentity"));
    for op in early {
        assert!(position(&order, &arrived(op)) < identity, "{op}: {order:?}");
    }
    assert!(
        position(&order, &arrived("GetPolicyVersion")) < position(&order, &answered("GetPolicy"))
    );
    assert!(
        position(&order, &arrived("SimulatePrincipalPolicy"))
            < position(&order, &answered("GetRole"))
    );
    assert!(
        position(&order, &arrived("GitHub:ListWorkflowRuns"))
            < position(&order, &answered("GitHub:GetRepository"))
    );
}

#[tokio::test]
async fn the_doctor_reads_beside_get_caller_identity() {
    let (sb, cli) = recorded(complete()).await;
    sb.clear_request_order();
    sb.hold_answer("GetCallerIdentity", &["GetPolicyVersion"], HOLD);
    let out = cli.run(&cli.with_python(&["doctor", "--json"])).await;
    assert!(out.status.code().is_some_and(|c| c <= 1), "{}", text(&out));
    let order = sb.request_order();
    assert!(
        position(&order, &arrived("GetPolicyVersion"))
            < position(&order, &answered("GetCallerIdentity")),
        "{order:?}"
    );
}

/// The recorded default version is stale: the real one denies publishing. The check reads the
/// real one again and never says done from the recorded one (simulation unavailable, so the
/// verdict comes from the document).
#[tokio::test]
async fn a_stale_default_version_is_read_again_and_judged_from_the_real_one() {
    let mut config = complete();
    config.faults = vec![
        "SimulatePrincipalPolicy=AccessDenied"
            .parse()
            .expect("fault spec"),
    ];
    let (sb, cli) = recorded(config).await;
    assert_eq!(state(&cli)["known"]["policy"]["default_version"], "v1");
    policy_without(&sb, "codeartifact:PublishPackageVersion").await;
    let before = sb.calls().get("GetPolicyVersion").copied().unwrap_or(0);
    let (doc, _) = cli.status_json().await;
    let role = item(&doc, "role");
    assert_eq!(role["status"], "drift", "{role}");
    assert!(
        role["summary"]
            .as_str()
            .unwrap()
            .contains("PublishPackageVersion"),
        "{role}"
    );
    let after = sb.calls().get("GetPolicyVersion").copied().unwrap_or(0);
    assert_eq!(
        after - before,
        2,
        "v1 early, then v2 once GetPolicy named it"
    );
    assert_eq!(state(&cli)["known"]["policy"]["default_version"], "v2");
}

/// A recorded account that is not the caller's: everything is read again in the caller's
/// account, and the facts of the other account are forgotten.
#[tokio::test]
async fn another_account_is_read_again_in_the_callers_account() {
    let (_sb, cli) = recorded(complete()).await;
    let mut st = state(&cli);
    st["known"]["account_id"] = "210987654321".into();
    st["known"]["role"]["arn"] = "arn:aws:iam::210987654321:role/GitHubActions-CodeArtifact".into();
    std::fs::write(cli.state(), st.to_string()).expect("write state");
    let (doc, _) = cli.status_json().await;
    for key in [
        "domain",
        "repository",
        "upstream",
        "oidc_provider",
        "role",
        "variables",
    ] {
        assert_eq!(item(&doc, key)["status"], "done", "{key}: {doc}");
    }
    let known = &state(&cli)["known"];
    assert_eq!(known["account_id"], ACCOUNT);
    assert_eq!(
        known["role"]["arn"],
        format!("arn:aws:iam::{ACCOUNT}:role/GitHubActions-CodeArtifact")
    );
}
