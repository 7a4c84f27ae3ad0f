//! `cawiz workflow lint` as a user runs it, on real-looking workflows: what could not be read is
//! said once (not in every finding), filters print as patterns, the pin fix pins the tag the
//! workflow names (looked up in the sandbox's copy of the action's tags), a named caller is judged
//! with the reusable workflow beside it, and the JSON carries the new ids and the info severity.

mod common;

use std::process::Output;

use serde_json::Value;

/// A git working tree with a setup for octo-org/widgets in `scope`, made against the sandbox.
async fn tree(sb: &cawiz_sandbox::SandboxHandle, scope: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    common::git_init(dir.path());
    let out = run(
        sb,
        dir.path(),
        &[
            "init",
            "--non-interactive",
            "--github",
            "octo-org/widgets",
            "--scope",
            scope,
        ],
        &[],
    )
    .await;
    assert!(out.status.success(), "{}", text(&out));
    dir
}

async fn run(
    sb: &cawiz_sandbox::SandboxHandle,
    dir: &std::path::Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> Output {
    let endpoint = [("AWS_ENDPOINT_URL".to_owned(), sb.url().to_owned())];
    common::cawiz(dir, &dir.join("state.json"), &sb.github_url(), &endpoint)
        .args(args)
        .envs(env.iter().copied())
        .output()
        .await
        .expect("cawiz runs")
}

fn text(out: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn write(dir: &std::path::Path, name: &str, body: &str) -> std::path::PathBuf {
    let path = dir.join(".github/workflows").join(name);
    std::fs::create_dir_all(path.parent().expect("dir")).expect("mkdir");
    std::fs::write(&path, body).expect("write");
    path
}

fn findings(out: &Output) -> Vec<Value> {
    let doc: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("lint --json ({e}): {}", text(out)));
    doc["files"]
        .as_array()
        .map(|files| {
            files
                .iter()
                .flat_map(|f| f["findings"].as_array().cloned().unwrap_or_default())
                .collect()
        })
        .unwrap_or_default()
}

const TAG_PUSH: &str = "on:
  push:
    tags: ['v*']
permissions: {}
jobs:
  publish:
    runs-on: ubuntu-latest
    permissions:
      id-token: write
      contents: read
    steps:
      - uses: actions/checkout@v2
        with:
          persist-credentials: false
      - uses: aws-actions/configure-aws-credentials@e6de054238d6b7531b4efff3b6587d9aade6a06c # v6.2.3
        with:
          role-to-assume: ${{ vars.AWS_ROLE_ARN }}
          aws-region: ${{ vars.AWS_REGION }}
      - run: |
          TOKEN=\"$(aws codeartifact get-authorization-token --domain octo-org --query authorizationToken --output text)\"
          echo \"::add-mask::$TOKEN\"
          export TWINE_USERNAME=aws TWINE_PASSWORD=\"$TOKEN\"
          pipx run twine upload --repository-url https://octo-org-123456789012.d.codeartifact.us-east-1.amazonaws.com/pypi/widgets/ dist/*
";

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_aws_is_said_once_and_filters_print_as_patterns() {
    let sb = common::start_sandbox("complete").await;
    let dir = tree(&sb, "branch:main").await;
    let file = write(dir.path(), "publish.yml", TAG_PUSH);
    let file = file.display().to_string();
    let closed = [("AWS_ENDPOINT_URL", "http://127.0.0.1:9")];
    let out = run(
        &sb,
        dir.path(),
        &["workflow", "lint", "--json", &file],
        &closed,
    )
    .await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.matches("could not reach the AWS endpoint").count(),
        1,
        "{}",
        text(&out)
    );
    let found = findings(&out);
    let subject = found
        .iter()
        .find(|f| f["id"] == "subject-not-trusted")
        .unwrap_or_else(|| panic!("{}", text(&out)));
    let message = subject["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("repo:octo-org/widgets:ref:refs/tags/v*"),
        "{message}"
    );
    assert!(!message.contains("refs/tags/vx"), "{message}");
    for f in &found {
        let all = format!("{} {}", f["message"], f["fix"]);
        assert!(!all.contains("could not reach"), "{all}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_pin_fix_pins_the_tag_the_workflow_names() {
    let sb = common::start_sandbox("complete").await;
    let dir = tree(&sb, "all").await;
    let file = write(dir.path(), "publish.yml", TAG_PUSH)
        .display()
        .to_string();
    let out = run(&sb, dir.path(), &["workflow", "lint", "--json", &file], &[]).await;
    let pin = findings(&out)
        .into_iter()
        .find(|f| f["id"] == "unpinned-action")
        .unwrap_or_else(|| panic!("{}", text(&out)));
    // The sandbox holds actions/checkout's real tags: v2 is 0717577d…, not v7's commit.
    assert_eq!(
        pin["fix"],
        "pin the commit v2 points at: `actions/checkout@0717577d45739eb3c851188b29f50ed6c0b2194e # v2` (looked up through GitHub)",
        "{}",
        text(&out)
    );
    // Without a token nothing is looked up, said once; the fix says v7 is a newer major.
    let out = run(
        &sb,
        dir.path(),
        &["workflow", "lint", "--json", &file],
        &[("GITHUB_TOKEN", ""), ("GH_TOKEN", "")],
    )
    .await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.matches("were not looked up").count(),
        1,
        "{}",
        text(&out)
    );
    let pin = findings(&out)
        .into_iter()
        .find(|f| f["id"] == "unpinned-action")
        .unwrap_or_else(|| panic!("{}", text(&out)));
    let fix = pin["fix"].as_str().unwrap_or_default();
    assert!(fix.contains("a newer major (v2 → v7)"), "{fix}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_named_caller_is_judged_with_the_reusable_workflow_beside_it() {
    let sb = common::start_sandbox("complete").await;
    let dir = tree(&sb, "all").await;
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/workflows");
    let read = |p: &str| std::fs::read_to_string(corpus.join(p)).expect("corpus");
    write(
        dir.path(),
        "publish-reusable.yml",
        &read("clean/publish-reusable.yml"),
    );
    let caller = write(
        dir.path(),
        "release.yml",
        &read("broken/reusable-caller-no-id-token.yml"),
    )
    .display()
    .to_string();
    let out = run(
        &sb,
        dir.path(),
        &["workflow", "lint", "--json", &caller],
        &[],
    )
    .await;
    let ids: Vec<(String, u64)> = findings(&out)
        .iter()
        .map(|f| {
            (
                f["id"].as_str().unwrap_or_default().to_owned(),
                f["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(ids, [("id-token-missing".to_owned(), 11)], "{}", text(&out));
    assert_eq!(out.status.code(), Some(1));
    // The whole tree: the reusable file alone has nothing for its callers to fix.
    let out = run(&sb, dir.path(), &["workflow", "lint", "--json"], &[]).await;
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let reusable = doc["files"]
        .as_array()
        .and_then(|f| {
            f.iter()
                .find(|f| f["path"] == ".github/workflows/publish-reusable.yml")
                .cloned()
        })
        .unwrap_or_else(|| panic!("{}", text(&out)));
    assert_eq!(reusable["findings"], Value::Array(vec![]), "{}", text(&out));
}

#[tokio::test(flavor = "multi_thread")]
async fn json_carries_the_new_ids_and_an_info_is_no_error() {
    let sb = common::start_sandbox("complete").await;
    let dir = tree(&sb, "all").await;
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/workflows/broken");
    let npm = write(
        dir.path(),
        "npm.yml",
        &std::fs::read_to_string(corpus.join("other-format-npm.yml")).expect("corpus"),
    )
    .display()
    .to_string();
    let out = run(&sb, dir.path(), &["workflow", "lint", "--json", &npm], &[]).await;
    let found = findings(&out);
    assert_eq!(found.len(), 1, "{}", text(&out));
    assert_eq!(found[0]["id"], "other-format");
    assert_eq!(found[0]["severity"], "info");
    assert_eq!(
        out.status.code(),
        Some(0),
        "an info is not an error: {}",
        text(&out)
    );
    let env = write(
        dir.path(),
        "env.yml",
        &std::fs::read_to_string(corpus.join("token-github-env.yml")).expect("corpus"),
    )
    .display()
    .to_string();
    let out = run(&sb, dir.path(), &["workflow", "lint", &env], &[]).await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("token-exposed") && stdout.contains("$GITHUB_ENV"),
        "{}",
        text(&out)
    );
    assert_eq!(out.status.code(), Some(1));
}
