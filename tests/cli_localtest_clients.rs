//! `cawiz test` per format and client (TESTING.md layer 13): the built binary against the
//! in-process sandbox drives the real npm, uv and poetry, each configured only in temporary
//! places; the probes it publishes are seen through CodeArtifact's API; a client that is not
//! installed is `unknown` with its install hint, never a failure.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use aws_sdk_codeartifact::types::PackageFormat;
use cawiz_sandbox::SandboxHandle;
use common::cli::{Cli, assert_ok, item, read, text};
use serde_json::Value;

/// `PATH` with the directory of `tool` first.
fn path_with(tool: &Path) -> String {
    let dir = tool.parent().map(Path::to_path_buf).unwrap_or_default();
    let rest = std::env::var_os("PATH").unwrap_or_default();
    let all = std::iter::once(dir).chain(std::env::split_paths(&rest));
    std::env::join_paths(all)
        .expect("PATH")
        .to_string_lossy()
        .into_owned()
}

/// `npm` on PATH; missing, the test fails unless `CAWIZ_SKIP_NPM_TESTS=1`.
fn npm() -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join("npm"))
            .find(|candidate| candidate.is_file())
    });
    if found.is_none() && std::env::var("CAWIZ_SKIP_NPM_TESTS").as_deref() != Ok("1") {
        panic!("npm is not installed (Node 20+); set CAWIZ_SKIP_NPM_TESTS=1 to skip");
    }
    found
}

/// The versions of a package in `widgets`.
async fn versions(
    sb: &SandboxHandle,
    format: PackageFormat,
    namespace: Option<&str>,
    name: &str,
) -> Vec<String> {
    common::codeartifact(sb.url())
        .list_package_versions()
        .domain("octo-org")
        .repository("widgets")
        .format(format)
        .set_namespace(namespace.map(str::to_owned))
        .package(name)
        .send()
        .await
        .map(|out| {
            out.versions()
                .iter()
                .map(|v| v.version().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn assert_no_token(sb: &SandboxHandle, out: &Output, cli: &Cli) {
    let all = text(out) + &read(&cli.state());
    for token in sb.issued_tokens() {
        assert!(!all.contains(token.as_str()), "a token was shown or stored");
    }
}

/// The local test item of `status --json`: its status and `(id, verdict)` per row.
async fn local_test_rows(cli: &Cli) -> (String, Vec<(String, String, Value)>) {
    let (doc, _) = cli.status_json().await;
    let local = item(&doc, "local_test");
    let rows = local["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap_or_default().to_owned(),
                r["verdict"].as_str().unwrap_or_default().to_owned(),
                r.clone(),
            )
        })
        .collect();
    (
        local["status"].as_str().unwrap_or_default().to_owned(),
        rows,
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn npm_pings_installs_through_npm_store_and_publishes_the_scoped_probe() {
    let Some(_) = npm() else { return };
    let sb = common::start_sandbox("complete").await;
    let cli = Cli::new(&sb);
    cli.init_with(&["--format", "npm@octo-org"]).await;
    assert_ok(&cli.run(&["apply", "--yes", "--only", "upstream"]).await);

    let out = cli.run(&["test", "--publish"]).await;
    assert_ok(&out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    for expected in [
        "npm ping passed",
        "npm install passed: installed is-number 7.0.0",
        "npm publish passed: published @octo-org/cawiz-probe",
        "--userconfig",
        "NODE_AUTH_TOKEN='****'",
        "Local test passed.",
    ] {
        assert!(stdout.contains(expected), "{expected}: {}", text(&out));
    }
    assert_no_token(&sb, &out, &cli);

    let published = versions(&sb, PackageFormat::Npm, Some("octo-org"), "cawiz-probe").await;
    assert_eq!(published.len(), 1, "{published:?}");
    let through = versions(&sb, PackageFormat::Npm, None, "is-number").await;
    assert_eq!(through, ["7.0.0"], "is-number came through the upstream");

    let (status, rows) = local_test_rows(&cli).await;
    assert_eq!(status, "done", "{rows:?}");
    let ids: Vec<&str> = rows.iter().map(|(id, _, _)| id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "step:npm:npm:npm ping",
            "step:npm:npm:npm install",
            "step:npm:npm:npm publish"
        ]
    );
    assert!(rows.iter().all(|(_, v, _)| v == "ok"), "{rows:?}");
    let state: Value = serde_json::from_str(&read(&cli.state())).expect("state");
    assert_eq!(state["local_test"]["formats"][0]["format"], "npm");
    assert_eq!(state["local_test"]["formats"][0]["client"], "npm");
}

#[tokio::test(flavor = "multi_thread")]
async fn uv_installs_through_the_repository_and_publishes_the_probe() {
    let Some(uv) = common::python_tool("uv") else {
        return;
    };
    let sb = common::start_sandbox("complete").await;
    let cli = Cli::new(&sb);
    cli.init_with(&["--format", "pypi:uv"]).await;
    let path = path_with(&uv);
    let out = cli
        .run_with(&["test", "--publish"], &[("PATH", path.as_str())])
        .await;
    assert_ok(&out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    for expected in [
        "uv pip install passed: installed six 1.17.0",
        "uv publish passed: published widgets-cawiz-probe",
        "UV_DEFAULT_INDEX=codeartifact=",
        "UV_PUBLISH_PASSWORD='****'",
    ] {
        assert!(stdout.contains(expected), "{expected}: {}", text(&out));
    }
    assert_no_token(&sb, &out, &cli);
    let published = versions(&sb, PackageFormat::Pypi, None, "widgets-cawiz-probe").await;
    assert_eq!(published.len(), 1, "{published:?}");
    let (status, rows) = local_test_rows(&cli).await;
    assert_eq!(status, "done", "{rows:?}");
    assert!(
        rows.iter()
            .any(|(id, v, _)| id == "step:pypi:uv:uv publish" && v == "ok"),
        "{rows:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn poetry_resolves_through_the_repository_and_publishes_the_probe() {
    let Some(poetry) = common::python_tool("poetry") else {
        return;
    };
    let sb = common::start_sandbox("complete").await;
    let cli = Cli::new(&sb);
    cli.init_with(&["--format", "pypi:poetry"]).await;
    let path = path_with(&poetry);
    let out = cli
        .run_with(&["test", "--publish"], &[("PATH", path.as_str())])
        .await;
    assert_ok(&out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    for expected in [
        "poetry add passed: resolved six 1.17.0",
        "poetry publish passed: published widgets-cawiz-probe",
        "POETRY_HTTP_BASIC_CODEARTIFACT_PASSWORD='****'",
    ] {
        assert!(stdout.contains(expected), "{expected}: {}", text(&out));
    }
    assert_no_token(&sb, &out, &cli);
    let published = versions(&sb, PackageFormat::Pypi, None, "widgets-cawiz-probe").await;
    assert_eq!(published.len(), 1, "{published:?}");
    let (status, _) = local_test_rows(&cli).await;
    assert_eq!(status, "done");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_client_is_unknown_with_the_install_hint() {
    let sb = common::start_sandbox("complete").await;
    let cli = Cli::new(&sb);
    cli.init_with(&["--format", "npm@octo-org"]).await;
    let empty = tempfile::tempdir().expect("tempdir");
    let path = empty.path().display().to_string();
    let out = cli.run_with(&["test"], &[("PATH", path.as_str())]).await;
    assert_ok(&out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("? npm (npm): not tested: npm not found on PATH: install Node.js"),
        "{}",
        text(&out)
    );
    assert!(!stdout.contains("Local test passed."), "{}", text(&out));

    let (status, rows) = local_test_rows(&cli).await;
    assert_eq!(status, "unknown", "{rows:?}");
    let (id, verdict, row) = &rows[0];
    assert_eq!(id, "step:npm:npm:client");
    assert_eq!(verdict, "unknown");
    assert!(
        row["reason"]
            .as_str()
            .is_some_and(|r| r.contains("install Node.js")),
        "{row}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn as_the_role_the_npm_probe_is_inside_the_policys_namespace() {
    let Some(_) = npm() else { return };
    let sb = common::start_sandbox("complete").await;
    let cli = Cli::new(&sb);
    cli.init_with(&["--format", "npm@octo-org"]).await;
    let apply = ["apply", "--yes", "--only", "upstream", "--only", "role"];
    assert_ok(&cli.run(&apply).await);

    // The role may publish `package/octo-org/widgets/npm/octo-org/*` only: the probe is there.
    let out = cli.run(&["test", "--as-role", "--publish"]).await;
    assert_ok(&out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("npm publish passed: published @octo-org/cawiz-probe"),
        "{}",
        text(&out)
    );
    let published = versions(&sb, PackageFormat::Npm, Some("octo-org"), "cawiz-probe").await;
    assert_eq!(published.len(), 1, "{published:?}");
    assert_no_token(&sb, &out, &cli);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_setup_with_two_formats_gets_one_group_of_rows_each() {
    let Some(_) = npm() else { return };
    let sb = common::start_sandbox("complete").await;
    let cli = Cli::new(&sb);
    if cli.python.is_none() {
        return;
    }
    cli.init_with(&["--format", "pypi,npm@octo-org"]).await;
    assert_ok(&cli.run(&["apply", "--yes", "--only", "upstream"]).await);
    let out = cli.run(&cli.with_python(&["test"])).await;
    assert_ok(&out);

    let (status, rows) = local_test_rows(&cli).await;
    assert_eq!(status, "done", "{rows:?}");
    let titles: Vec<&str> = rows
        .iter()
        .filter_map(|(_, _, r)| r["title"].as_str())
        .collect();
    assert_eq!(
        titles,
        [
            "pypi (pip+twine): pip download",
            "npm (npm): npm ping",
            "npm (npm): npm install"
        ]
    );
    let state: Value = serde_json::from_str(&read(&cli.state())).expect("state");
    let formats: Vec<&str> = state["local_test"]["formats"]
        .as_array()
        .expect("formats")
        .iter()
        .filter_map(|f| f["format"].as_str())
        .collect();
    assert_eq!(formats, ["pypi", "npm"]);
}
