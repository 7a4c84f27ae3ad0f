//! `cawiz doctor` against the sandbox: for every cause id of the SPEC, the complete setup broken
//! in exactly that way through AWS's and GitHub's APIs (as a person would break it), and the
//! doctor naming that cause as failing; the complete setup itself reports no failing cause.

mod common;

use aws_sdk_codeartifact::types::{
    PackageFormat, PackageOriginRestrictions, PackageVersionStatus, UpstreamRepository,
};
use cawiz_sandbox::SandboxHandle;
use common::arrange::{ACCOUNT, POLICY_ARN, policy_without, push_workflow, set_variable};
use common::cli::{Cli, text};
use serde_json::{Value, json};

const ROLE: &str = "GitHubActions-CodeArtifact";
const PROVIDER_ARN: &str =
    "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";

/// The complete scenario, set up for octo-org/widgets, with the generated workflow on main
/// (transformed by `edit`).
async fn complete(edit: impl Fn(String) -> String) -> (SandboxHandle, Cli) {
    let sb = common::start_sandbox("complete").await;
    let cli = Cli::new(&sb);
    common::git_init(cli.dir.path());
    cli.init("octo-org/widgets", "octo-org", "widgets").await;
    let out = cli.run(&["workflow", "print"]).await;
    assert!(out.status.success(), "{}", text(&out));
    let workflow = edit(String::from_utf8_lossy(&out.stdout).into_owned());
    push_workflow(&sb, "octo-org", "widgets", &workflow).await;
    (sb, cli)
}

async fn healthy() -> (SandboxHandle, Cli) {
    complete(|w| w).await
}

/// `cawiz doctor --json ARGS`: the document and whether it exited 0.
async fn doctor(cli: &Cli, args: &[&str], env: &[(&str, &str)]) -> (Value, bool) {
    let mut all = vec!["doctor", "--json"];
    all.extend_from_slice(args);
    let all = cli.with_python(&all);
    let out = cli.run_with(&all, env).await;
    let doc: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("doctor --json is JSON ({e}): {}", text(&out)));
    (doc, out.status.success())
}

fn causes(doc: &Value) -> Vec<&Value> {
    doc["symptoms"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| s["causes"].as_array().into_iter().flatten())
        .collect()
}

fn failing(doc: &Value) -> Vec<String> {
    causes(doc)
        .into_iter()
        .filter(|c| c["verdict"] == "fail")
        .filter_map(|c| c["id"].as_str().map(str::to_owned))
        .collect()
}

/// Runs the doctor and asserts `id` fails (exit 1) with evidence and a fix.
async fn assert_names(cli: &Cli, id: &str, args: &[&str], env: &[(&str, &str)]) -> Value {
    let (doc, ok) = doctor(cli, args, env).await;
    assert!(!ok, "exit 1 when a cause fails: {doc:#}");
    let cause = causes(&doc)
        .into_iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("{id} is reported: {doc:#}"))
        .clone();
    assert_eq!(cause["verdict"], "fail", "{id}: {doc:#}");
    assert!(
        cause["evidence"].as_array().is_some_and(|e| !e.is_empty()),
        "{cause:#}"
    );
    assert!(cause["fix"].as_str().is_some_and(|f| !f.is_empty()));
    cause
}

fn iam(sb: &SandboxHandle) -> aws_sdk_iam::Client {
    common::iam(sb.url())
}

fn ca(sb: &SandboxHandle) -> aws_sdk_codeartifact::Client {
    common::codeartifact(sb.url())
}

async fn set_trust(sb: &SandboxHandle, doc: Value) {
    iam(sb)
        .update_assume_role_policy()
        .role_name(ROLE)
        .policy_document(doc.to_string())
        .send()
        .await
        .expect("UpdateAssumeRolePolicy");
}

fn trust(principal: &str, aud: &str, sub: &str) -> Value {
    json!({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow",
        "Principal": {"Federated": principal},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {
            "StringEquals": {"token.actions.githubusercontent.com:aud": aud},
            "StringLike": {"token.actions.githubusercontent.com:sub": sub}
        }
    }]})
}

async fn detach_policy(sb: &SandboxHandle) {
    iam(sb)
        .detach_role_policy()
        .role_name(ROLE)
        .policy_arn(POLICY_ARN)
        .send()
        .await
        .expect("DetachRolePolicy");
}

async fn endpoint(sb: &SandboxHandle, repository: &str) -> String {
    ca(sb)
        .get_repository_endpoint()
        .domain("octo-org")
        .repository(repository)
        .format(PackageFormat::Pypi)
        .send()
        .await
        .expect("GetRepositoryEndpoint")
        .repository_endpoint()
        .unwrap_or_default()
        .to_owned()
}

/// pip's index URL for `repository` with a fresh token (what `aws codeartifact login` writes),
/// and the token.
async fn index_url(sb: &SandboxHandle, repository: &str) -> (String, String) {
    let token = ca(sb)
        .get_authorization_token()
        .domain("octo-org")
        .send()
        .await
        .expect("GetAuthorizationToken")
        .authorization_token()
        .unwrap_or_default()
        .to_owned();
    let endpoint = endpoint(sb, repository).await;
    let (scheme, rest) = endpoint.split_once("://").expect("a URL");
    let slash = if rest.ends_with('/') { "" } else { "/" };
    (
        format!("{scheme}://aws:{token}@{rest}{slash}simple/"),
        token,
    )
}

/// Origin controls on `package` in widgets: publishing blocked, upstream allowed.
async fn block_publishing(sb: &SandboxHandle, package: &str) {
    let restrictions = PackageOriginRestrictions::builder()
        .publish(aws_sdk_codeartifact::types::AllowPublish::Block)
        .upstream(aws_sdk_codeartifact::types::AllowUpstream::Allow)
        .build()
        .expect("restrictions");
    ca(sb)
        .put_package_origin_configuration()
        .domain("octo-org")
        .repository("widgets")
        .format(PackageFormat::Pypi)
        .package(package)
        .restrictions(restrictions)
        .send()
        .await
        .expect("PutPackageOriginConfiguration");
}

async fn unlink_upstream(sb: &SandboxHandle) {
    ca(sb)
        .update_repository()
        .domain("octo-org")
        .repository("widgets")
        .set_upstreams(Some(Vec::<UpstreamRepository>::new()))
        .send()
        .await
        .expect("UpdateRepository");
}

// ---- no false alarms ----

#[tokio::test(flavor = "multi_thread")]
async fn the_complete_setup_has_no_failing_cause_and_the_json_has_the_specs_shape() {
    let (sb, cli) = healthy().await;
    let (index, _) = index_url(&sb, "widgets").await;
    // No version: a published one is "version-exists" for publishing and an unpublished one
    // "package-not-published" for installing — each symptom's own question.
    let (doc, ok) = doctor(&cli, &[], &[("PIP_INDEX_URL", &index)]).await;
    assert!(ok, "exit 0: {:?} {doc:#}", failing(&doc));
    assert!(failing(&doc).is_empty(), "{doc:#}");
    let symptoms: Vec<&str> = doc["symptoms"]
        .as_array()
        .expect("symptoms")
        .iter()
        .filter_map(|s| s["symptom"].as_str())
        .collect();
    assert_eq!(symptoms, ["oidc", "publish-403", "not-found"]);
    let all = causes(&doc);
    assert_eq!(all.len(), 32, "every cause of the SPEC: {doc:#}");
    let mut ids: Vec<&str> = all.iter().filter_map(|c| c["id"].as_str()).collect();
    ids.sort_unstable();
    // consumer-403 is diagnosed only when the setup names consumers (tests/cli_consumers.rs),
    // no-notification only with notify endpoints (tests/cli_notifications.rs).
    let optional = [
        cawiz::doctor::Symptom::Consumer403,
        cawiz::doctor::Symptom::NoNotification,
    ];
    let mut catalogue: Vec<&str> = cawiz::doctor::CAUSES
        .iter()
        .filter(|c| !optional.contains(&c.symptom))
        .map(|c| c.id)
        .collect();
    catalogue.sort_unstable();
    assert_eq!(ids, catalogue, "each cause once, by its own id");
    for c in &all {
        for key in [
            "id", "verdict", "title", "check", "evidence", "fix", "fixable",
        ] {
            assert!(c.get(key).is_some(), "{key} in {c:#}");
        }
        assert!(
            ["fail", "ok", "unknown", "skip"].contains(&c["verdict"].as_str().unwrap_or("")),
            "{c:#}"
        );
    }
    // `check` reads right beside ✓, `title` beside ✗.
    let role = all
        .iter()
        .find(|c| c["id"] == "role-missing")
        .expect("role-missing");
    assert_eq!(role["check"], "The role exists", "{role:#}");
    assert_eq!(role["title"], "The role does not exist", "{role:#}");
    // pip here uses the repository with a good token: both pip causes are checked, and pass.
    for id in ["wrong-endpoint", "token-expired"] {
        let c = all.iter().find(|c| c["id"] == id).expect(id);
        assert_eq!(c["verdict"], "ok", "{c:#}");
    }
    // The token never reaches the output.
    let (_, token) = index_url(&sb, "widgets").await;
    assert!(!doc.to_string().contains(&token));
    // One symptom only.
    let (doc, ok) = doctor(&cli, &["oidc"], &[]).await;
    assert!(ok, "{doc:#}");
    assert_eq!(doc["symptoms"].as_array().map(Vec::len), Some(1));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_text_output_shows_rows_with_evidence_and_fix() {
    let (sb, cli) = healthy().await;
    detach_policy(&sb).await;
    let out = cli.run(&cli.with_python(&["doctor", "publish-403"])).await;
    assert!(!out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("✗ 403 on publish (publish-403)"),
        "{stdout}"
    );
    assert!(stdout.contains("✗ policy-not-attached"), "{stdout}");
    assert!(
        stdout.contains("evidence: ListAttachedRolePolicies"),
        "{stdout}"
    );
    assert!(stdout.contains("fix: "), "{stdout}");
    // Beside ✓ a cause reads as the check it passed, beside ✗ as the finding.
    let line = |id: &str| {
        stdout
            .lines()
            .find(|l| l.split_whitespace().nth(1) == Some(id))
            .unwrap_or_default()
            .to_owned()
    };
    assert!(
        line("policy-missing").contains("✓")
            && line("policy-missing").contains("The publish policy exists"),
        "{stdout}"
    );
    assert!(
        line("policy-not-attached").contains("The publish policy is not attached to the role"),
        "{stdout}"
    );
    let bad = cli.run(&["doctor", "publish-404"]).await;
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("one of: oidc, publish-403, not-found"),
        "{}",
        text(&bad)
    );
}

// ---- oidc ----

#[tokio::test(flavor = "multi_thread")]
async fn provider_missing() {
    let (sb, cli) = healthy().await;
    iam(&sb)
        .delete_open_id_connect_provider()
        .open_id_connect_provider_arn(PROVIDER_ARN)
        .send()
        .await
        .expect("DeleteOpenIDConnectProvider");
    let c = assert_names(&cli, "provider-missing", &["oidc"], &[]).await;
    assert_eq!(c["fixable"], true);
}

#[tokio::test(flavor = "multi_thread")]
async fn provider_audience() {
    let (sb, cli) = healthy().await;
    iam(&sb)
        .remove_client_id_from_open_id_connect_provider()
        .open_id_connect_provider_arn(PROVIDER_ARN)
        .client_id("sts.amazonaws.com")
        .send()
        .await
        .expect("RemoveClientIDFromOpenIDConnectProvider");
    assert_names(&cli, "provider-audience", &["oidc"], &[]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn role_missing() {
    let (sb, cli) = healthy().await;
    detach_policy(&sb).await;
    iam(&sb)
        .delete_role()
        .role_name(ROLE)
        .send()
        .await
        .expect("DeleteRole");
    assert_names(&cli, "role-missing", &["oidc"], &[]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn trust_principal() {
    let (sb, cli) = healthy().await;
    let other = "arn:aws:iam::210987654321:oidc-provider/token.actions.githubusercontent.com";
    set_trust(
        &sb,
        trust(other, "sts.amazonaws.com", "repo:octo-org/widgets:*"),
    )
    .await;
    let c = assert_names(&cli, "trust-principal", &["oidc"], &[]).await;
    assert!(c["evidence"].to_string().contains("210987654321"), "{c:#}");
}

#[tokio::test(flavor = "multi_thread")]
async fn trust_audience() {
    let (sb, cli) = healthy().await;
    set_trust(
        &sb,
        trust(
            PROVIDER_ARN,
            "https://github.com/octo-org",
            "repo:octo-org/widgets:*",
        ),
    )
    .await;
    assert_names(&cli, "trust-audience", &["oidc"], &[]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn trust_subject() {
    let (sb, cli) = healthy().await;
    set_trust(
        &sb,
        trust(PROVIDER_ARN, "sts.amazonaws.com", "repo:octo-org/gadgets:*"),
    )
    .await;
    let c = assert_names(&cli, "trust-subject", &["oidc"], &[]).await;
    assert!(
        c["evidence"]
            .to_string()
            .contains("repo:octo-org/widgets:*"),
        "{c:#}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn trust_subject_wildcard() {
    let (sb, cli) = healthy().await;
    set_trust(
        &sb,
        trust(PROVIDER_ARN, "sts.amazonaws.com", "repo:octo-org/*"),
    )
    .await;
    assert_names(&cli, "trust-subject-wildcard", &["oidc"], &[]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn role_arn_variable() {
    let (sb, cli) = healthy().await;
    set_variable(
        &sb,
        "AWS_ROLE_ARN",
        "arn:aws:iam::123456789012:role/SomeOtherRole",
    )
    .await;
    assert_names(&cli, "role-arn-variable", &["oidc"], &[]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn id_token_permission() {
    let (_sb, cli) = complete(|w| {
        w.lines()
            .filter(|l| !l.contains("id-token: write"))
            .map(|l| format!("{l}\n"))
            .collect()
    })
    .await;
    let c = assert_names(&cli, "id-token-permission", &["oidc"], &[]).await;
    assert!(
        c["evidence"].to_string().contains("publish.yml on main"),
        "{c:#}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn session_duration() {
    let (_sb, cli) = complete(|w| {
        w.lines()
            .flat_map(|l| {
                let mut out = vec![format!("{l}\n")];
                if l.trim_start().starts_with("role-to-assume:") {
                    let indent = &l[..l.len() - l.trim_start().len()];
                    out.push(format!("{indent}role-duration-seconds: 7200\n"));
                }
                out
            })
            .collect()
    })
    .await;
    let c = assert_names(&cli, "session-duration", &["oidc"], &[]).await;
    assert!(c["evidence"].to_string().contains("7200"), "{c:#}");
}

// ---- publish-403 ----

#[tokio::test(flavor = "multi_thread")]
async fn policy_missing() {
    let (sb, cli) = healthy().await;
    detach_policy(&sb).await;
    iam(&sb)
        .delete_policy()
        .policy_arn(POLICY_ARN)
        .send()
        .await
        .expect("DeletePolicy");
    assert_names(&cli, "policy-missing", &["publish-403"], &[]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn policy_not_attached() {
    let (sb, cli) = healthy().await;
    detach_policy(&sb).await;
    assert_names(&cli, "policy-not-attached", &["publish-403"], &[]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn token_denied() {
    let (sb, cli) = healthy().await;
    policy_without(&sb, "codeartifact:GetAuthorizationToken").await;
    assert_names(&cli, "token-denied", &["publish-403"], &[]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn publish_denied() {
    let (sb, cli) = healthy().await;
    policy_without(&sb, "codeartifact:PublishPackageVersion").await;
    let (doc, _) = doctor(&cli, &["publish-403"], &[]).await;
    assert!(
        failing(&doc).contains(&"publish-denied".to_owned()),
        "{doc:#}"
    );
    assert!(
        !failing(&doc).contains(&"token-denied".to_owned()),
        "{doc:#}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn boundary_or_scp_deny() {
    let (sb, cli) = healthy().await;
    sb.set_service_control_policies(&[json!({
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "*", "Resource": "*"},
            {"Effect": "Deny", "Action": "codeartifact:PublishPackageVersion", "Resource": "*"}
        ]
    })]);
    let c = assert_names(&cli, "boundary-or-scp-deny", &["publish-403"], &[]).await;
    assert!(
        c["evidence"].to_string().contains("service control policy"),
        "{c:#}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn resource_policy_deny() {
    let (sb, cli) = healthy().await;
    let document = json!({"Version": "2012-10-17", "Statement": [{
        "Sid": "NoPublishFromCi",
        "Effect": "Deny",
        "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:role/{ROLE}")},
        "Action": "codeartifact:PublishPackageVersion",
        "Resource": "*"
    }]});
    ca(&sb)
        .put_repository_permissions_policy()
        .domain("octo-org")
        .repository("widgets")
        .policy_document(document.to_string())
        .send()
        .await
        .expect("PutRepositoryPermissionsPolicy");
    let c = assert_names(&cli, "resource-policy-deny", &["publish-403"], &[]).await;
    assert!(
        c["evidence"].to_string().contains("NoPublishFromCi"),
        "{c:#}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn names_mismatch() {
    let (sb, cli) = healthy().await;
    set_variable(&sb, "CODEARTIFACT_DOMAIN", "octo-org-typo").await;
    assert_names(&cli, "names-mismatch", &["publish-403"], &[]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn origin_blocked() {
    let (sb, cli) = healthy().await;
    block_publishing(&sb, "widgets").await;
    assert_names(&cli, "origin-blocked", &["publish-403"], &[]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn version_exists() {
    let (_sb, cli) = healthy().await;
    let c = assert_names(
        &cli,
        "version-exists",
        &["publish-403", "--version", "0.1.0"],
        &[],
    )
    .await;
    assert!(c["evidence"].to_string().contains("INTERNAL"), "{c:#}");
}

#[tokio::test(flavor = "multi_thread")]
async fn upload_target() {
    let (_sb, cli) = complete(|w| {
        w.replace(
            "twine upload --non-interactive",
            "twine upload --skip-existing --non-interactive",
        )
    })
    .await;
    assert_names(&cli, "upload-target", &["publish-403"], &[]).await;
}

// ---- not-found ----

#[tokio::test(flavor = "multi_thread")]
async fn upstream_missing() {
    let (sb, cli) = healthy().await;
    unlink_upstream(&sb).await;
    ca(&sb)
        .delete_repository()
        .domain("octo-org")
        .repository("pypi-store")
        .send()
        .await
        .expect("DeleteRepository");
    let c = assert_names(&cli, "upstream-missing", &["not-found"], &[]).await;
    assert_eq!(c["fix_item"], "upstream");
}

#[tokio::test(flavor = "multi_thread")]
async fn upstream_not_linked() {
    let (sb, cli) = healthy().await;
    unlink_upstream(&sb).await;
    assert_names(&cli, "upstream-not-linked", &["not-found"], &[]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn external_connection_missing() {
    let (sb, cli) = healthy().await;
    ca(&sb)
        .disassociate_external_connection()
        .domain("octo-org")
        .repository("pypi-store")
        .external_connection("public:pypi")
        .send()
        .await
        .expect("DisassociateExternalConnection");
    assert_names(&cli, "external-connection-missing", &["not-found"], &[]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn package_not_published() {
    let (_sb, cli) = healthy().await;
    assert_names(
        &cli,
        "package-not-published",
        &["not-found", "--package", "widgets-cawiz-probe"],
        &[],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn version_status() {
    let (sb, cli) = healthy().await;
    ca(&sb)
        .update_package_versions_status()
        .domain("octo-org")
        .repository("widgets")
        .format(PackageFormat::Pypi)
        .package("widgets")
        .versions("0.1.0")
        .target_status(PackageVersionStatus::Archived)
        .send()
        .await
        .expect("UpdatePackageVersionsStatus");
    let c = assert_names(
        &cli,
        "version-status",
        &["not-found", "--version", "0.1.0"],
        &[],
    )
    .await;
    assert!(c["evidence"].to_string().contains("Archived"), "{c:#}");
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_endpoint() {
    let (sb, cli) = healthy().await;
    let (upstream_index, _) = index_url(&sb, "pypi-store").await;
    let c = assert_names(
        &cli,
        "wrong-endpoint",
        &["not-found"],
        &[("PIP_INDEX_URL", &upstream_index)],
    )
    .await;
    assert!(c["evidence"].to_string().contains("pypi-store"), "{c:#}");
    assert!(
        c["evidence"].to_string().contains("aws:****@"),
        "masked: {c:#}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn token_expired() {
    let (sb, cli) = healthy().await;
    let (index, token) = index_url(&sb, "widgets").await;
    assert!(sb.expire_authorization_token(&token));
    let c = assert_names(
        &cli,
        "token-expired",
        &["not-found"],
        &[("PIP_INDEX_URL", &index)],
    )
    .await;
    assert!(
        !c.to_string().contains(&token),
        "the token is masked: {c:#}"
    );
}

/// A step of the publish job that asks CodeArtifact's API for a Python package by a spelling
/// pip would accept but the API does not (`Widgets_Core`: the API knows `widgets-core` only).
fn with_unnormalized_api_call(workflow: String) -> String {
    let upload = "          python -m twine upload --non-interactive dist/*";
    assert!(workflow.contains(upload), "{workflow}");
    workflow.replace(
        upload,
        &format!(
            "{upload}\n          aws codeartifact list-package-versions --domain octo-org \\\n            \
             --repository widgets --format pypi --package Widgets_Core"
        ),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn name_normalization() {
    let (_sb, cli) = complete(with_unnormalized_api_call).await;
    let c = assert_names(&cli, "name-normalization", &["not-found"], &[]).await;
    let evidence = c["evidence"].to_string();
    assert!(
        evidence.contains("Widgets_Core") && evidence.contains("widgets-core"),
        "the call and the name the API knows: {c:#}"
    );
    assert!(evidence.contains("publish.yml"), "where: {c:#}");
}

/// pip and twine take any spelling of a project's name and cawiz asks CodeArtifact with the PEP
/// 503 one: a project named `Widgets` (published as `widgets`) is no cause for anything.
#[tokio::test(flavor = "multi_thread")]
async fn a_project_name_in_another_spelling_is_no_cause() {
    let (_sb, cli) = healthy().await;
    std::fs::write(
        cli.dir.path().join("pyproject.toml"),
        "[project]\nname = \"Widgets\"\nversion = \"0.1.0\"\n",
    )
    .expect("pyproject.toml");
    let (doc, ok) = doctor(&cli, &["not-found"], &[]).await;
    assert!(ok, "exit 0: {:?} {doc:#}", failing(&doc));
    assert_eq!(doc["package"], "widgets", "{doc:#}");
    let published = causes(&doc)
        .into_iter()
        .find(|c| c["id"] == "package-not-published")
        .expect("package-not-published")
        .clone();
    assert_eq!(
        published["verdict"], "ok",
        "0.1.0 is found as widgets: {doc:#}"
    );
    // The same spelling given on the command line.
    let (doc, ok) = doctor(&cli, &["not-found", "--package", "WIDGETS"], &[]).await;
    assert!(ok, "exit 0: {:?} {doc:#}", failing(&doc));
}

// ---- the pipeline's log puts its cause first ----

/// The first cause of `symptom` after a verification run: it must be `id`, named by the run's
/// log (its line first in the evidence), and failing.
async fn first_from_log(cli: &Cli, symptom: &str, id: &str) -> Value {
    let out = cli.run(&["verify", "--json"]).await;
    assert!(!out.status.success(), "the run fails: {}", text(&out));
    let (doc, ok) = doctor(cli, &[symptom], &[]).await;
    assert!(!ok, "{doc:#}");
    let first = doc["symptoms"][0]["causes"][0].clone();
    assert_eq!(first["id"], id, "{doc:#}");
    assert_eq!(first["from_log"], true, "{doc:#}");
    assert_eq!(first["verdict"], "fail", "{doc:#}");
    assert!(
        first["evidence"][0]
            .as_str()
            .is_some_and(|e| e.contains("run #")),
        "{first:#}"
    );
    let others_from_log = causes(&doc)
        .into_iter()
        .filter(|c| c["from_log"] == true && c["id"] != id)
        .count();
    assert_eq!(others_from_log, 0, "one cause from the log: {doc:#}");
    first
}

/// A wrong CODEARTIFACT_DOMAIN: the generated workflow asks for a token first, so the log says
/// AccessDenied on GetAuthorizationToken for `domain/octo-org-typo` — the resource names
/// another domain than the setup's, so it is `names-mismatch`, not a missing permission.
#[tokio::test(flavor = "multi_thread")]
async fn a_token_denied_for_another_domain_is_names_mismatch() {
    let (sb, cli) = healthy().await;
    set_variable(&sb, "CODEARTIFACT_DOMAIN", "octo-org-typo").await;
    let first = first_from_log(&cli, "publish-403", "names-mismatch").await;
    let evidence = first["evidence"].to_string();
    assert!(
        evidence.contains("GetAuthorizationToken") && evidence.contains("domain/octo-org-typo"),
        "the log's line: {first:#}"
    );
    assert!(
        evidence.contains("octo-org-typo, but the setup's is octo-org"),
        "the comparison: {first:#}"
    );
}

/// Origin controls block the probe's name: twine's 403 reads like a missing permission, and
/// DescribePackage's `publish = BLOCK` tells it apart.
#[tokio::test(flavor = "multi_thread")]
async fn a_403_on_a_blocked_name_is_origin_blocked() {
    let (sb, cli) = healthy().await;
    block_publishing(&sb, "widgets-cawiz-probe").await;
    let first = first_from_log(&cli, "publish-403", "origin-blocked").await;
    let evidence = first["evidence"].to_string();
    assert!(
        evidence.contains("403 Forbidden"),
        "the log's line: {first:#}"
    );
    assert!(
        evidence.contains("DescribePackage widgets-cawiz-probe")
            && evidence.contains("publish = BLOCK"),
        "what tells it apart: {first:#}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_latest_failed_runs_cause_comes_first_with_its_line() {
    let (_sb, cli) = complete(|w| {
        w.lines()
            .filter(|l| !l.contains("id-token: write"))
            .map(|l| format!("{l}\n"))
            .collect()
    })
    .await;
    let out = cli.run(&["verify", "--json"]).await;
    assert!(!out.status.success(), "{}", text(&out));
    let (doc, _) = doctor(&cli, &["oidc"], &[]).await;
    let first = &doc["symptoms"][0]["causes"][0];
    assert_eq!(first["id"], "id-token-permission", "{doc:#}");
    assert_eq!(first["from_log"], true, "{doc:#}");
    assert!(
        first["evidence"][0]
            .as_str()
            .is_some_and(|e| e.contains("run #")),
        "{first:#}"
    );
}
