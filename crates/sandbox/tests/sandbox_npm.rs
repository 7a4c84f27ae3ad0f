//! The sandbox's npm endpoint driven by the real `npm` (TESTING.md layer 13): a token and the
//! endpoint from the real SDK, publish of a scoped and an unscoped package, install of both and of
//! the public fixture `is-number` through the `public:npmjs` upstream, `npm ping`, a bad token
//! refused, and CodeArtifact's API (the SDK and the AWS CLI) seeing the npm packages.

mod common;

#[path = "sandbox_npm/tools.rs"]
mod tools;

use aws_sdk_codeartifact::types::PackageFormat;
use cawiz_sandbox::SandboxHandle;

use tools::{Client, aws, npm, package, text};

async fn endpoint(sb: &SandboxHandle) -> String {
    common::codeartifact(sb.url())
        .get_repository_endpoint()
        .domain("octo-org")
        .repository("widgets")
        .format(PackageFormat::Npm)
        .send()
        .await
        .expect("GetRepositoryEndpoint(npm)")
        .repository_endpoint
        .expect("an endpoint")
}

async fn token(sb: &SandboxHandle) -> String {
    common::codeartifact(sb.url())
        .get_authorization_token()
        .domain("octo-org")
        .send()
        .await
        .expect("GetAuthorizationToken")
        .authorization_token
        .expect("a token")
}

/// `npm-store` with the `public:npmjs` external connection, as the upstream of `widgets`.
async fn npm_upstream(sb: &SandboxHandle) {
    let ca = common::codeartifact(sb.url());
    ca.create_repository()
        .domain("octo-org")
        .repository("npm-store")
        .send()
        .await
        .expect("CreateRepository npm-store");
    ca.associate_external_connection()
        .domain("octo-org")
        .repository("npm-store")
        .external_connection("public:npmjs")
        .send()
        .await
        .expect("AssociateExternalConnection");
    let upstream = |name: &str| {
        aws_sdk_codeartifact::types::UpstreamRepository::builder()
            .repository_name(name)
            .build()
            .expect("upstream")
    };
    ca.update_repository()
        .domain("octo-org")
        .repository("widgets")
        .upstreams(upstream("pypi-store"))
        .upstreams(upstream("npm-store"))
        .send()
        .await
        .expect("UpdateRepository");
}

/// `(version, origin type)` of each version of an npm package in `repo`.
async fn versions(
    sb: &SandboxHandle,
    repo: &str,
    namespace: Option<&str>,
    name: &str,
) -> Vec<(String, String)> {
    let out = common::codeartifact(sb.url())
        .list_package_versions()
        .domain("octo-org")
        .repository(repo)
        .format(PackageFormat::Npm)
        .set_namespace(namespace.map(str::to_owned))
        .package(name)
        .send()
        .await
        .expect("ListPackageVersions(npm)");
    assert_eq!(out.format(), Some(&PackageFormat::Npm));
    assert_eq!(out.namespace(), namespace);
    out.versions()
        .iter()
        .map(|v| {
            let origin = v.origin().and_then(|o| o.origin_type()).map(|t| t.as_str());
            (v.version().to_owned(), origin.unwrap_or("?").to_owned())
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn npm_publishes_and_installs_scoped_unscoped_and_public_packages() {
    let Some(npm) = npm() else { return };
    let sb = common::start_sandbox("complete").await;
    npm_upstream(&sb).await;
    let endpoint = endpoint(&sb).await;
    assert!(
        endpoint.ends_with("/octo-org-123456789012/npm/widgets/"),
        "{endpoint}"
    );
    let client = Client::new(&npm, &endpoint, &token(&sb).await);

    let ping = client.run(client.home.path(), &["ping"]).await;
    assert!(ping.status.success(), "npm ping: {}", text(&ping));

    let scoped = package("@octo-org/hello", "1.0.0", "hello from a scope");
    let out = client.run(scoped.path(), &["publish"]).await;
    assert!(out.status.success(), "npm publish scoped: {}", text(&out));
    let unscoped = package("cawiz-npm-probe", "0.1.0", "hello unscoped");
    let out = client.run(unscoped.path(), &["publish"]).await;
    assert!(out.status.success(), "npm publish unscoped: {}", text(&out));
    // The same version again is refused.
    let out = client.run(unscoped.path(), &["publish"]).await;
    assert!(!out.status.success(), "republish: {}", text(&out));

    let project = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        project.path().join("package.json"),
        r#"{"name":"consumer","version":"1.0.0","private":true}"#,
    )
    .expect("package.json");
    let out = client
        .run(
            project.path(),
            &[
                "install",
                "@octo-org/hello",
                "cawiz-npm-probe",
                "is-number@7.0.0",
            ],
        )
        .await;
    assert!(out.status.success(), "npm install: {}", text(&out));
    let script = "console.log([require('@octo-org/hello'), require('cawiz-npm-probe'), \
                  require('is-number')('42')].join('|'))";
    let node = tokio::process::Command::new("node")
        .args(["-e", script])
        .current_dir(project.path())
        .output()
        .await
        .expect("node runs");
    assert_eq!(
        String::from_utf8_lossy(&node.stdout).trim(),
        "hello from a scope|hello unscoped|true",
        "{}",
        text(&node)
    );

    // CodeArtifact's API sees them: the namespace is the scope without `@`.
    let internal = vec![("1.0.0".to_owned(), "INTERNAL".to_owned())];
    assert_eq!(
        versions(&sb, "widgets", Some("octo-org"), "hello").await,
        internal
    );
    assert_eq!(
        versions(&sb, "widgets", None, "cawiz-npm-probe").await,
        vec![("0.1.0".to_owned(), "INTERNAL".to_owned())]
    );
    // The public package was retained where it entered the domain and where it was asked for.
    let external = vec![("7.0.0".to_owned(), "EXTERNAL".to_owned())];
    assert_eq!(versions(&sb, "widgets", None, "is-number").await, external);
    assert_eq!(
        versions(&sb, "npm-store", None, "is-number").await,
        external
    );

    describe_and_assets(&sb).await;

    let cli = aws(
        sb.url(),
        &[
            "codeartifact",
            "list-package-versions",
            "--domain",
            "octo-org",
            "--repository",
            "widgets",
            "--format",
            "npm",
            "--namespace",
            "octo-org",
            "--package",
            "hello",
            "--query",
            "versions[].version",
            "--output",
            "text",
        ],
    )
    .await;
    if let Some(cli) = cli {
        assert_eq!(
            String::from_utf8_lossy(&cli.stdout).trim(),
            "1.0.0",
            "{}",
            text(&cli)
        );
    }
}

/// DescribePackageVersion, ListPackageVersionAssets and ListPackages by namespace on what npm
/// published: the namespace answered, the tarball's bytes listed with their hashes.
async fn describe_and_assets(sb: &SandboxHandle) {
    let ca = common::codeartifact(sb.url());
    let described = ca
        .describe_package_version()
        .domain("octo-org")
        .repository("widgets")
        .format(PackageFormat::Npm)
        .namespace("octo-org")
        .package("hello")
        .package_version("1.0.0")
        .send()
        .await
        .expect("DescribePackageVersion(npm)");
    let v = described.package_version().expect("a description");
    assert_eq!(
        (
            v.format(),
            v.namespace(),
            v.package_name(),
            v.display_name()
        ),
        (
            Some(&PackageFormat::Npm),
            Some("octo-org"),
            Some("hello"),
            Some("@octo-org/hello")
        )
    );
    // Without its namespace the scoped package is another one: not found.
    let unscoped = ca
        .describe_package_version()
        .domain("octo-org")
        .repository("widgets")
        .format(PackageFormat::Npm)
        .package("hello")
        .package_version("1.0.0")
        .send()
        .await;
    assert_eq!(common::error_code(unscoped), "ResourceNotFoundException");
    let assets = ca
        .list_package_version_assets()
        .domain("octo-org")
        .repository("widgets")
        .format(PackageFormat::Npm)
        .namespace("octo-org")
        .package("hello")
        .package_version("1.0.0")
        .send()
        .await
        .expect("ListPackageVersionAssets(npm)");
    let names: Vec<&str> = assets.assets().iter().map(|a| a.name()).collect();
    assert_eq!(names, ["hello-1.0.0.tgz"]);
    let listed = ca
        .list_packages()
        .domain("octo-org")
        .repository("widgets")
        .format(PackageFormat::Npm)
        .namespace("octo-org")
        .send()
        .await
        .expect("ListPackages(npm, namespace)");
    let packages: Vec<(Option<&str>, Option<&str>)> = listed
        .packages()
        .iter()
        .map(|p| (p.namespace(), p.package()))
        .collect();
    assert_eq!(packages, [(Some("octo-org"), Some("hello"))]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn npm_is_refused_with_a_bad_token() {
    let Some(npm) = npm() else { return };
    let sb = common::start_sandbox("complete").await;
    let endpoint = endpoint(&sb).await;
    let client = Client::new(&npm, &endpoint, "not-a-codeartifact-token");
    let ping = client.run(client.home.path(), &["ping"]).await;
    assert!(!ping.status.success(), "npm ping: {}", text(&ping));
    assert!(text(&ping).contains("E401"), "{}", text(&ping));
    let scoped = package("@octo-org/hello", "1.0.0", "hello");
    let out = client.run(scoped.path(), &["publish"]).await;
    assert!(!out.status.success(), "npm publish: {}", text(&out));
    assert!(
        common::codeartifact(sb.url())
            .list_packages()
            .domain("octo-org")
            .repository("widgets")
            .format(PackageFormat::Npm)
            .send()
            .await
            .expect("ListPackages")
            .packages()
            .is_empty()
    );
}

/// CodeArtifact may answer 404 instead of 401 for a bad token (`NpmBadToken=404`).
#[tokio::test]
async fn a_bad_token_can_be_a_404_as_codeartifact_sometimes_answers() {
    let sb = common::start_sandbox_with_faults("complete", &["NpmBadToken=404"]).await;
    let endpoint = endpoint(&sb).await;
    let response = reqwest::Client::new()
        .get(format!("{endpoint}is-number"))
        .bearer_auth("not-a-codeartifact-token")
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status(), 404);
}
