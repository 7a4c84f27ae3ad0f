//! A project's own files break a right workflow. npm: package.json's publishConfig.registry, the
//! project's `.npmrc` (another registry, a literal token) and a scope outside the setup's
//! namespace (confirmed by SimulatePrincipalPolicy) — the workflow item and the doctor's
//! "403 on publish" name the same causes. uv and poetry: the repository's URLs swapped in
//! pyproject.toml or poetry.toml (the doctor's `index-config`). The built binary against the
//! in-process sandbox.

mod common;

use common::arrange::ACCOUNT;
use common::cli::{Cli, item, text};
use serde_json::Value;

fn row<'a>(doc: &'a Value, id: &str) -> &'a Value {
    item(doc, "workflow")["rows"]
        .as_array()
        .and_then(|rows| rows.iter().find(|r| r["id"] == id))
        .unwrap_or_else(|| panic!("row {id} in {doc:#}"))
}

async fn doctor_publish(cli: &Cli) -> Value {
    let out = cli.run(&["doctor", "publish-403", "--json"]).await;
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("doctor --json is JSON ({e}): {}", text(&out)))
}

fn verdict(doc: &Value, id: &str) -> String {
    doc["symptoms"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| s["causes"].as_array().into_iter().flatten())
        .find(|c| c["id"] == id)
        .map(|c| c["verdict"].as_str().unwrap_or_default().to_owned())
        .unwrap_or_else(|| panic!("cause {id} in {doc:#}"))
}

/// The items a role check needs.
const ROLE_AND_BEFORE: [&str; 5] = ["domain", "repository", "upstream", "oidc-provider", "role"];

const LITERAL: &str = "eyJ2ZXIiOjEsImlzdSI6MTcwMH0.literal-token";

#[tokio::test(flavor = "multi_thread")]
async fn the_projects_npm_files_are_judged_by_the_item_and_the_doctor() {
    let sb = common::start_sandbox("empty").await;
    let cli = Cli::new(&sb);
    let dir = cli.dir.path();
    common::git_init(dir);
    std::fs::write(
        dir.join("package.json"),
        "{\n  \"name\": \"@someone/widgets\",\n  \"version\": \"1.0.0\",\n  \"publishConfig\": {\n    \"registry\": \"https://registry.npmjs.org/\"\n  }\n}\n",
    )
    .expect("package.json");
    std::fs::write(
        dir.join(".npmrc"),
        format!("//registry.npmjs.org/:_authToken={LITERAL}\n"),
    )
    .expect(".npmrc");
    cli.init_with(&["--format", "npm@octo-org"]).await;
    cli.apply_only(&ROLE_AND_BEFORE).await;

    let (doc, _) = cli.status_json().await;
    let elsewhere = row(&doc, "npm:npm-registry-elsewhere");
    assert_eq!(elsewhere["verdict"], "fail", "{elsewhere:#}");
    assert!(
        elsewhere.to_string().contains("package.json:5"),
        "{elsewhere:#}"
    );
    let scope = row(&doc, "npm:npm-scope-namespace");
    assert_eq!(scope["verdict"], "fail", "{scope:#}");
    let scope_text = scope.to_string();
    assert!(scope_text.contains("SimulatePrincipalPolicy"), "{scope:#}");
    assert!(
        scope_text.contains("package/octo-org/widgets/npm/someone/widgets"),
        "{scope:#}"
    );
    let token = row(&doc, "npm:npm-token-config");
    assert_eq!(token["verdict"], "fail", "{token:#}");
    assert!(
        !doc.to_string().contains(LITERAL),
        "the token is never repeated"
    );

    let diagnosis = doctor_publish(&cli).await;
    for id in [
        "npm-registry-elsewhere",
        "npm-scope-namespace",
        "npm-token-config",
    ] {
        assert_eq!(verdict(&diagnosis, id), "fail", "{id}: {diagnosis:#}");
    }
    assert!(!diagnosis.to_string().contains(LITERAL));

    // Fixed as the findings say: the scope in the namespace, the registry the repository's npm
    // endpoint (the sandbox's, as GetRepositoryEndpoint answers), the token from the environment.
    let endpoint = format!("{}/octo-org-{ACCOUNT}/npm/widgets/", sb.url());
    std::fs::write(
        dir.join("package.json"),
        r#"{"name": "@octo-org/widgets", "version": "1.0.0"}"#,
    )
    .expect("package.json");
    let host_path = endpoint
        .trim_start_matches("http:")
        .trim_start_matches("https:");
    std::fs::write(
        dir.join(".npmrc"),
        format!("@octo-org:registry={endpoint}\n{host_path}:_authToken=${{NODE_AUTH_TOKEN}}\n"),
    )
    .expect(".npmrc");
    let (doc, _) = cli.status_json().await;
    for id in [
        "npm:npm-registry-elsewhere",
        "npm:npm-scope-namespace",
        "npm:npm-token-config",
    ] {
        assert_eq!(row(&doc, id)["verdict"], "ok", "{id}: {doc:#}");
    }
    let diagnosis = doctor_publish(&cli).await;
    for id in [
        "npm-registry-elsewhere",
        "npm-scope-namespace",
        "npm-token-config",
    ] {
        assert_eq!(verdict(&diagnosis, id), "ok", "{id}: {diagnosis:#}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_scope_the_roles_policies_allow_is_not_a_cause() {
    let sb = common::start_sandbox("empty").await;
    let cli = Cli::new(&sb);
    let dir = cli.dir.path();
    common::git_init(dir);
    std::fs::write(dir.join("package.json"), r#"{"name": "@someone/widgets"}"#)
        .expect("package.json");
    cli.init_with(&["--format", "npm@octo-org"]).await;
    cli.apply_only(&ROLE_AND_BEFORE).await;
    // Another policy on the role allows every npm package of the repository.
    let iam = common::iam(sb.url());
    let document = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Action": "codeartifact:PublishPackageVersion",
            "Resource": format!("arn:aws:codeartifact:us-east-1:{ACCOUNT}:package/octo-org/widgets/npm/*"),
        }],
    });
    let created = iam
        .create_policy()
        .policy_name("all-npm")
        .policy_document(document.to_string())
        .send()
        .await
        .expect("CreatePolicy");
    let arn = created.policy().and_then(|p| p.arn()).expect("policy ARN");
    iam.attach_role_policy()
        .role_name("GitHubActions-CodeArtifact")
        .policy_arn(arn)
        .send()
        .await
        .expect("AttachRolePolicy");
    let (doc, _) = cli.status_json().await;
    let scope = row(&doc, "npm:npm-scope-namespace");
    assert_eq!(scope["verdict"], "ok", "{scope:#}");
    assert_eq!(
        verdict(&doctor_publish(&cli).await, "npm-scope-namespace"),
        "ok"
    );
}

async fn doctor_not_found(cli: &Cli) -> Value {
    let args = cli.with_python(&["doctor", "not-found", "--json"]);
    let out = cli.run(&args).await;
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("doctor --json is JSON ({e}): {}", text(&out)))
}

/// The setup's repository with its PyPI endpoint, as GetRepositoryEndpoint answers it.
async fn pypi_endpoint(cli: &Cli, sb: &cawiz_sandbox::SandboxHandle) -> String {
    cli.apply_only(&["domain", "repository"]).await;
    common::codeartifact(sb.url())
        .get_repository_endpoint()
        .domain("octo-org")
        .repository("widgets")
        .format(aws_sdk_codeartifact::types::PackageFormat::Pypi)
        .send()
        .await
        .expect("GetRepositoryEndpoint")
        .repository_endpoint()
        .expect("endpoint")
        .to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn uv_and_poetry_index_urls_are_judged_by_the_doctor() {
    let sb = common::start_sandbox("empty").await;
    let cli = Cli::new(&sb);
    let dir = cli.dir.path();
    common::git_init(dir);
    cli.init_with(&["--format", "pypi:uv"]).await;
    let endpoint = pypi_endpoint(&cli, &sb).await;
    let base = endpoint.trim_end_matches('/');
    // The upload endpoint as the index, the index as the upload URL.
    std::fs::write(
        dir.join("pyproject.toml"),
        format!(
            "[project]\nname = \"widgets\"\n\n[[tool.uv.index]]\nname = \"codeartifact\"\nurl = \"{base}/\"\npublish-url = \"{base}/simple/\"\n"
        ),
    )
    .expect("pyproject.toml");
    let doc = doctor_not_found(&cli).await;
    assert_eq!(verdict(&doc, "index-config"), "fail", "{doc:#}");
    assert!(doc.to_string().contains("pyproject.toml:6"), "{doc:#}");
    std::fs::write(
        dir.join("pyproject.toml"),
        format!(
            "[project]\nname = \"widgets\"\n\n[[tool.uv.index]]\nname = \"codeartifact\"\nurl = \"{base}/simple/\"\npublish-url = \"{base}/\"\n"
        ),
    )
    .expect("pyproject.toml");
    assert_eq!(verdict(&doctor_not_found(&cli).await, "index-config"), "ok");

    // poetry: the local poetry.toml overrides the repository the workflow configures.
    cli.init_with(&["--format", "pypi:poetry"]).await;
    std::fs::write(
        dir.join("poetry.toml"),
        "[repositories.codeartifact]\nurl = \"https://elsewhere.example/pypi/\"\n",
    )
    .expect("poetry.toml");
    let doc = doctor_not_found(&cli).await;
    assert_eq!(verdict(&doc, "index-config"), "fail", "{doc:#}");
    assert!(doc.to_string().contains("poetry.toml:2"), "{doc:#}");

    // pip+twine: not this cause's business.
    cli.init_with(&["--format", "pypi"]).await;
    let doc = doctor_not_found(&cli).await;
    assert_eq!(verdict(&doc, "index-config"), "skip", "{doc:#}");
}
