//! Helpers of cawiz's integration tests: the ones both packages share (sandbox start-up, SDK
//! clients, the Python tools; `crates/sandbox/tests/common`), and running the cawiz binary.
#![allow(dead_code)]

pub mod arrange;
pub mod cli;
#[path = "../../crates/sandbox/tests/common/mod.rs"]
mod shared;
pub mod tmux;

pub use shared::*;

use std::process::Stdio;

/// The environment [`cawiz`] gives the binary besides PATH and HOME: AWS config files under
/// `home`, static test keys, us-east-1, no instance metadata, and the sandbox's GitHub
/// (`github_api_url` with the sandbox token).
pub fn cawiz_env(home: &std::path::Path, github_api_url: &str) -> Vec<(&'static str, String)> {
    let path = |name: &str| home.join(name).display().to_string();
    vec![
        ("AWS_CONFIG_FILE", path("aws-config")),
        ("AWS_SHARED_CREDENTIALS_FILE", path("aws-credentials")),
        ("AWS_ACCESS_KEY_ID", "AKIAI44QH8DHBEXAMPLE".to_owned()),
        ("AWS_SECRET_ACCESS_KEY", "secret".to_owned()),
        ("AWS_REGION", REGION.to_owned()),
        ("AWS_EC2_METADATA_DISABLED", "true".to_owned()),
        ("GITHUB_API_URL", github_api_url.to_owned()),
        (
            "GITHUB_TOKEN",
            cawiz_sandbox::SANDBOX_GITHUB_TOKEN.to_owned(),
        ),
    ]
}

/// `cawiz --state STATE` ready to take arguments, with a clean environment: HOME (and so the
/// data and config directories) under `dir/home`, [`cawiz_env`], and `endpoints`
/// (`AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_IAM`, …). Runs in `dir`.
pub fn cawiz(
    dir: &std::path::Path,
    state: &std::path::Path,
    github_api_url: &str,
    endpoints: &[(String, String)],
) -> tokio::process::Command {
    let home = dir.join("home");
    std::fs::create_dir_all(&home).expect("home");
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_cawiz"));
    command
        .arg("--state")
        .arg(state)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &home)
        .envs(cawiz_env(&home, github_api_url))
        .envs(endpoints.iter().map(|(k, v)| (k, v)))
        .current_dir(dir)
        .stdin(Stdio::null())
        .kill_on_drop(true);
    command
}

/// Makes `dir` a git working tree (no remote): the workflow item reads and writes
/// `.github/workflows` there.
pub fn git_init(dir: &std::path::Path) {
    let ok = std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(dir)
        .env("HOME", dir)
        .status()
        .expect("git runs")
        .success();
    assert!(ok, "git init in {}", dir.display());
}

/// A call on the sandbox's GitHub API with its token, as `gh api` would make it: the status and
/// the JSON body (`null` when there is none).
pub async fn github_request(
    sb: &cawiz_sandbox::SandboxHandle,
    method: reqwest::Method,
    path: &str,
    body: Option<serde_json::Value>,
) -> (u16, serde_json::Value) {
    let mut request = reqwest::Client::new()
        .request(method, format!("{}{path}", sb.github_url()))
        .bearer_auth(cawiz_sandbox::SANDBOX_GITHUB_TOKEN);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("GitHub request");
    let status = response.status().as_u16();
    let text = response.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or_default())
}

/// Merges pull request `number` of `owner/repo` (`gh pr merge`).
pub async fn merge_pull(sb: &cawiz_sandbox::SandboxHandle, owner: &str, repo: &str, number: u64) {
    let path = format!("/repos/{owner}/{repo}/pulls/{number}/merge");
    let (status, body) = github_request(sb, reqwest::Method::PUT, &path, None).await;
    assert_eq!(status, 200, "merge {path}: {body}");
}
