//! The built `cawiz` binary reaching each AWS service where the standard endpoint settings say:
//! IAM and STS on `moto_server` through the per-service `AWS_ENDPOINT_URL_IAM` /
//! `AWS_ENDPOINT_URL_STS` variables, CodeArtifact (and GitHub) on the sandbox, and `--endpoint-url`
//! sending every service to one place whatever the environment says.
//!
//! The binary runs with a clean environment (no AWS profile or config file, HOME and XDG dirs in a
//! temporary directory, `--state` there too). Resources are checked afterwards with the AWS SDK
//! pointed at each server, so a request that went to the wrong place cannot go unnoticed.
mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use cawiz_sandbox::{IAM_OPERATIONS, STS_OPERATIONS, SandboxHandle};
use serde_json::Value;

const ACCOUNT: &str = cawiz_sandbox::DEFAULT_ACCOUNT_ID;
const OWNER_REPO: &str = "octo-org/widgets";
const DOMAIN: &str = "octo-org";
const REPOSITORY: &str = "widgets";
const ROLE: &str = "GitHubActions-CodeArtifact";
const POLICY: &str = "CodeArtifact-Publish-Policy";
const SUBJECT: &str = "repo:octo-org/widgets:*";
/// Applies the two IAM items only.
const APPLY_IAM: &[&str] = &[
    "apply",
    "--yes",
    "--only",
    "oidc-provider",
    "--only",
    "role",
];
/// Generous: a loaded 2-core machine, and the SDK's retries of moto's unimplemented operations.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(300);

fn oidc_provider_arn() -> String {
    format!("arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com")
}

fn policy_arn() -> String {
    format!("arn:aws:iam::{ACCOUNT}:policy/{POLICY}")
}

/// A URL nothing listens on: an endpoint variable pointing there must not be used.
fn dead_url() -> String {
    format!("http://127.0.0.1:{}", common::free_port())
}

/// The binary with a clean environment (`common::cawiz`) in a temporary directory: no endpoint
/// unless the test adds one, the state file in the same place.
struct Cawiz {
    home: tempfile::TempDir,
    github_api_url: String,
    endpoints: Vec<(String, String)>,
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }

    fn assert_success(&self, what: &str) {
        assert_eq!(
            self.code, 0,
            "{what} failed\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
    }
}

impl Cawiz {
    fn new(endpoints: &[(&str, &str)], github_api_url: &str) -> Self {
        Self {
            home: tempfile::tempdir().expect("tempdir"),
            github_api_url: github_api_url.to_owned(),
            endpoints: endpoints
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        }
    }

    fn state(&self) -> PathBuf {
        self.home.path().join("state.json")
    }

    async fn run(&self, args: &[&str]) -> Run {
        let mut command = common::cawiz(
            self.home.path(),
            &self.state(),
            &self.github_api_url,
            &self.endpoints,
        );
        command.args(args);
        let out = tokio::time::timeout(COMMAND_TIMEOUT, command.output())
            .await
            .unwrap_or_else(|_| panic!("cawiz {args:?} did not finish within {COMMAND_TIMEOUT:?}"))
            .expect("cawiz runs");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// `cawiz GLOBAL… init` for the setup, without prompts; it must succeed.
    async fn init(&self, global: &[&str]) -> Run {
        let mut args = global.to_vec();
        args.extend([
            "init",
            "--non-interactive",
            "--github",
            OWNER_REPO,
            "--domain",
            DOMAIN,
            "--repository",
            REPOSITORY,
        ]);
        let run = self.run(&args).await;
        run.assert_success(&format!("cawiz {} init", global.join(" ")));
        run
    }
}

/// The report of one item in `status --json`.
fn item<'a>(status: &'a Value, key: &str) -> &'a Value {
    status["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["item"] == key)
        .unwrap_or_else(|| panic!("no item {key} in {status:#}"))
}

fn item_status<'a>(status: &'a Value, key: &str) -> &'a str {
    item(status, key)["status"].as_str().expect("status")
}

/// Which IAM/STS operations the sandbox answered.
fn iam_sts_calls(sb: &SandboxHandle) -> BTreeMap<String, u64> {
    sb.calls()
        .into_iter()
        .filter(|(op, _)| {
            IAM_OPERATIONS.contains(&op.as_str()) || STS_OPERATIONS.contains(&op.as_str())
        })
        .collect()
}

/// What moto holds for the setup, to compare before and after a second apply.
#[derive(Debug, PartialEq)]
struct IamSnapshot {
    providers: Vec<String>,
    client_ids: Vec<String>,
    role_arn: String,
    trust_policy: Value,
    default_version: String,
    versions: Vec<String>,
    document: Value,
    attached: Vec<String>,
}

async fn iam_snapshot(iam: &aws_sdk_iam::Client) -> IamSnapshot {
    let mut providers: Vec<String> = iam
        .list_open_id_connect_providers()
        .send()
        .await
        .expect("ListOpenIDConnectProviders")
        .open_id_connect_provider_list()
        .iter()
        .filter_map(|p| p.arn().map(str::to_owned))
        .collect();
    providers.sort();
    let mut client_ids = iam
        .get_open_id_connect_provider()
        .open_id_connect_provider_arn(oidc_provider_arn())
        .send()
        .await
        .expect("GetOpenIDConnectProvider: the provider is on moto")
        .client_id_list()
        .to_vec();
    client_ids.sort();
    let role = iam
        .get_role()
        .role_name(ROLE)
        .send()
        .await
        .expect("GetRole: the role is on moto");
    let role = role.role().expect("role");
    let trust_policy =
        common::decode_policy(role.assume_role_policy_document().expect("trust policy"));
    let policy = iam
        .get_policy()
        .policy_arn(policy_arn())
        .send()
        .await
        .expect("GetPolicy: the policy is on moto");
    let default_version = policy
        .policy()
        .and_then(|p| p.default_version_id())
        .expect("default version")
        .to_owned();
    let mut versions: Vec<String> = iam
        .list_policy_versions()
        .policy_arn(policy_arn())
        .send()
        .await
        .expect("ListPolicyVersions")
        .versions()
        .iter()
        .filter_map(|v| v.version_id().map(str::to_owned))
        .collect();
    versions.sort();
    let version = iam
        .get_policy_version()
        .policy_arn(policy_arn())
        .version_id(&default_version)
        .send()
        .await
        .expect("GetPolicyVersion");
    let document = common::decode_policy(
        version
            .policy_version()
            .and_then(|v| v.document())
            .expect("policy document"),
    );
    let mut attached: Vec<String> = iam
        .list_attached_role_policies()
        .role_name(ROLE)
        .send()
        .await
        .expect("ListAttachedRolePolicies")
        .attached_policies()
        .iter()
        .filter_map(|p| p.policy_arn().map(str::to_owned))
        .collect();
    attached.sort();
    IamSnapshot {
        providers,
        client_ids,
        role_arn: role.arn().to_owned(),
        trust_policy,
        default_version,
        versions,
        document,
        attached,
    }
}

/// The per-service endpoint variables split cawiz across two servers: `init`, `apply --only
/// oidc-provider --only role` and `status` talk IAM/STS to moto only (the sandbox answers no IAM or
/// STS call and holds no provider, role or policy afterwards), CodeArtifact and GitHub to the
/// sandbox; the role is done although moto cannot simulate it (a note says so); a second apply
/// changes nothing on moto.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn iam_and_sts_follow_the_per_service_endpoint_variables_to_moto() {
    let Some(moto) = common::start_moto() else {
        return;
    };
    let sb = common::start_sandbox("empty").await;
    let cawiz = Cawiz::new(
        &[
            ("AWS_ENDPOINT_URL_IAM", moto.url.as_str()),
            ("AWS_ENDPOINT_URL_STS", moto.url.as_str()),
            ("AWS_ENDPOINT_URL_CODEARTIFACT", sb.url()),
        ],
        &sb.github_url(),
    );

    // STS answers from moto: its caller is user/moto, the sandbox's is user/cawiz-sandbox.
    let init = cawiz.init(&[]).await;
    assert!(
        init.stdout.contains("user/moto") && !init.stdout.contains("cawiz-sandbox"),
        "init's identity comes from moto's STS:\n{}",
        init.stdout
    );

    // The role depends on the domain: create it first (CodeArtifact, so on the sandbox).
    cawiz
        .run(&["apply", "--yes", "--only", "domain"])
        .await
        .assert_success("apply --only domain");
    common::codeartifact(sb.url())
        .describe_domain()
        .domain(DOMAIN)
        .send()
        .await
        .expect("the domain is on the sandbox");

    let apply = cawiz.run(APPLY_IAM).await;
    apply.assert_success("apply --only oidc-provider --only role");

    // Nothing IAM or STS reached the sandbox (checked before the SDK look-ups below add calls).
    assert_eq!(
        iam_sts_calls(&sb),
        BTreeMap::new(),
        "IAM/STS calls reached the sandbox instead of moto"
    );

    // Everything is on moto.
    let moto_iam = common::iam(&moto.url);
    let first = iam_snapshot(&moto_iam).await;
    assert_eq!(first.providers, vec![oidc_provider_arn()]);
    assert_eq!(first.client_ids, vec!["sts.amazonaws.com".to_owned()]);
    assert_eq!(
        first.role_arn,
        format!("arn:aws:iam::{ACCOUNT}:role/{ROLE}")
    );
    let statement = &first.trust_policy["Statement"][0];
    assert_eq!(statement["Principal"]["Federated"], oidc_provider_arn());
    assert_eq!(statement["Action"], "sts:AssumeRoleWithWebIdentity");
    assert_eq!(
        statement["Condition"]["StringLike"]["token.actions.githubusercontent.com:sub"], SUBJECT,
        "trust policy: {:#}",
        first.trust_policy
    );
    assert_eq!(
        statement["Condition"]["StringEquals"]["token.actions.githubusercontent.com:aud"],
        "sts.amazonaws.com"
    );
    assert_eq!(first.versions, vec![first.default_version.clone()]);
    assert!(
        first.document.to_string().contains(&format!(
            "arn:aws:codeartifact:us-east-1:{ACCOUNT}:domain/{DOMAIN}"
        )),
        "publish policy scoped to the domain: {:#}",
        first.document
    );
    assert_eq!(first.attached, vec![policy_arn()]);

    // And nothing is on the sandbox.
    let sandbox_iam = common::iam(sb.url());
    let providers = sandbox_iam
        .list_open_id_connect_providers()
        .send()
        .await
        .expect("ListOpenIDConnectProviders on the sandbox");
    assert!(
        providers.open_id_connect_provider_list().is_empty(),
        "the sandbox got an OIDC provider: {providers:?}"
    );
    assert_eq!(
        common::error_code(sandbox_iam.get_role().role_name(ROLE).send().await),
        "NoSuchEntity"
    );
    assert_eq!(
        common::error_code(
            sandbox_iam
                .get_policy()
                .policy_arn(policy_arn())
                .send()
                .await
        ),
        "NoSuchEntity"
    );
    let sandbox_calls_after_lookups = iam_sts_calls(&sb);

    // status --json: provider and role done; moto has no SimulatePrincipalPolicy, which the role
    // item reports as a note, without simulation results, instead of failing.
    let status = cawiz.run(&["status", "--json"]).await;
    assert_eq!(
        status.code, 1,
        "not every item is done (repository, upstream, …), so exit 1\nstderr:\n{}",
        status.stderr
    );
    let doc = status.json();
    assert_eq!(doc["all_done"], false);
    assert_eq!(doc["sandbox"], false);
    assert!(
        doc["identity"]["arn"]
            .as_str()
            .is_some_and(|a| a.ends_with("user/moto")),
        "identity from moto: {:#}",
        doc["identity"]
    );
    assert_eq!(item_status(&doc, "domain"), "done", "{doc:#}");
    assert_eq!(item_status(&doc, "repository"), "missing", "{doc:#}");
    assert_eq!(item_status(&doc, "oidc_provider"), "done", "{doc:#}");
    let role = item(&doc, "role");
    assert_eq!(role["status"], "done", "{role:#}");
    assert!(role["error"].is_null(), "{role:#}");
    assert_eq!(role["simulation"], serde_json::json!([]), "{role:#}");
    assert!(
        role["summary"]
            .as_str()
            .is_some_and(|s| s.contains(SUBJECT) && s.contains(POLICY)),
        "{role:#}"
    );
    let notes: Vec<&str> = role["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        notes
            .iter()
            .any(|n| n.to_lowercase().contains("could not simulate")),
        "a note says the permissions could not be simulated: {notes:#?}"
    );
    assert_eq!(
        iam_sts_calls(&sb),
        sandbox_calls_after_lookups,
        "status sent IAM/STS calls to the sandbox"
    );

    // A second apply of the same items changes nothing on moto (nor anywhere on the sandbox).
    let sandbox_mutations = sb.mutating_calls();
    let again = cawiz.run(APPLY_IAM).await;
    again.assert_success("second apply --only oidc-provider --only role");
    assert!(
        !again.stdout.contains("→"),
        "the second apply ran steps:\n{}",
        again.stdout
    );
    assert_eq!(iam_snapshot(&moto_iam).await, first);
    assert_eq!(sb.mutating_calls(), sandbox_mutations);
    assert_eq!(iam_sts_calls(&sb), sandbox_calls_after_lookups);
}

/// `--endpoint-url` alone (no endpoint variable at all) sends STS, IAM and CodeArtifact to the
/// sandbox: `status --json` reads the complete scenario, simulation included.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn endpoint_url_flag_alone_reaches_every_service() {
    let sb = common::start_sandbox("complete").await;
    let cawiz = Cawiz::new(&[], &sb.github_url());
    let url = sb.url().to_owned();
    cawiz.init(&["--endpoint-url", &url]).await;
    let status = cawiz
        .run(&["--endpoint-url", &url, "status", "--json"])
        .await;
    assert_complete_scenario(&sb, &status);
}

/// `--endpoint-url` beats the standard variables: with AWS_ENDPOINT_URL and every per-service
/// variable pointing where nothing listens, the flag still reaches the sandbox for every service.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn endpoint_url_flag_beats_the_endpoint_variables() {
    let sb = common::start_sandbox("complete").await;
    let dead = dead_url();
    let cawiz = Cawiz::new(
        &[
            ("AWS_ENDPOINT_URL", dead.as_str()),
            ("AWS_ENDPOINT_URL_IAM", dead.as_str()),
            ("AWS_ENDPOINT_URL_STS", dead.as_str()),
            ("AWS_ENDPOINT_URL_CODEARTIFACT", dead.as_str()),
        ],
        &sb.github_url(),
    );
    let url = sb.url().to_owned();
    cawiz.init(&["--endpoint-url", &url]).await;
    let status = cawiz
        .run(&["--endpoint-url", &url, "status", "--json"])
        .await;
    assert_complete_scenario(&sb, &status);
}

/// A per-service variable beats AWS_ENDPOINT_URL: with the latter at the complete sandbox and
/// AWS_ENDPOINT_URL_IAM/_STS at an empty moto, CodeArtifact items are done (sandbox) while the OIDC
/// provider is missing (moto), and the sandbox answers no IAM or STS call.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn per_service_variables_beat_aws_endpoint_url() {
    let Some(moto) = common::start_moto() else {
        return;
    };
    let sb = common::start_sandbox("complete").await;
    let cawiz = Cawiz::new(
        &[
            ("AWS_ENDPOINT_URL", sb.url()),
            ("AWS_ENDPOINT_URL_IAM", moto.url.as_str()),
            ("AWS_ENDPOINT_URL_STS", moto.url.as_str()),
        ],
        &sb.github_url(),
    );
    cawiz.init(&[]).await;
    let status = cawiz.run(&["status", "--json"]).await;
    assert_eq!(status.code, 1, "stderr:\n{}", status.stderr);
    let doc = status.json();
    assert!(
        doc["identity"]["arn"]
            .as_str()
            .is_some_and(|a| a.ends_with("user/moto")),
        "{:#}",
        doc["identity"]
    );
    for key in ["domain", "repository", "upstream"] {
        assert_eq!(item_status(&doc, key), "done", "{key}: {doc:#}");
    }
    assert_eq!(item_status(&doc, "oidc_provider"), "missing", "{doc:#}");
    assert_eq!(iam_sts_calls(&sb), BTreeMap::new());
    assert!(
        sb.calls().contains_key("DescribeDomain"),
        "{:?}",
        sb.calls()
    );
}

/// The complete scenario as `status --json` reports it when every service reached the sandbox.
fn assert_complete_scenario(sb: &SandboxHandle, status: &Run) {
    // Exit 1: the local test has never run in this scenario.
    assert_eq!(status.code, 1, "stderr:\n{}", status.stderr);
    let doc = status.json();
    assert!(
        doc["identity"]["arn"]
            .as_str()
            .is_some_and(|a| a.ends_with("user/cawiz-sandbox")),
        "identity from the sandbox: {:#}",
        doc["identity"]
    );
    for key in [
        "domain",
        "repository",
        "upstream",
        "oidc_provider",
        "role",
        "variables",
    ] {
        assert_eq!(item_status(&doc, key), "done", "{key}: {doc:#}");
    }
    assert_eq!(item_status(&doc, "local_test"), "missing", "{doc:#}");
    let simulation = item(&doc, "role")["simulation"]
        .as_array()
        .expect("simulation");
    assert!(!simulation.is_empty(), "the sandbox simulates the role");
    assert!(
        simulation.iter().all(|s| s["decision"] == "allowed"),
        "{simulation:#?}"
    );
    let calls = sb.calls();
    for op in [
        "GetCallerIdentity",
        "GetRole",
        "SimulatePrincipalPolicy",
        "DescribeDomain",
    ] {
        assert!(
            calls.contains_key(op),
            "{op} reached the sandbox: {calls:?}"
        );
    }
}
