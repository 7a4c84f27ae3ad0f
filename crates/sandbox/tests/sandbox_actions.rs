//! GitHub Actions in the sandbox over raw HTTP: a publish workflow committed to the repository as
//! a person would (contents API), runs started by `workflow_dispatch` and releases, progressing
//! on the sandbox clock (moved with `advance_clock`, never waited for), and what they do through
//! the sandbox's STS, IAM and CodeArtifact — the probe listed by the real AWS SDK — with the log
//! texts of configure-aws-credentials, the AWS CLI and twine. Broken setups are in
//! `sandbox_actions/broken.rs`, REST details in `sandbox_actions/rest.rs`, what verifying each subject
//! scope goes through in `sandbox_actions/scopes.rs`.

#![allow(clippy::unwrap_used)]

mod common;

#[path = "sandbox_actions/broken.rs"]
mod broken;
#[path = "sandbox_actions/file_commands.rs"]
mod file_commands;
#[path = "sandbox_actions/rest.rs"]
mod rest;
#[path = "sandbox_actions/scopes.rs"]
mod scopes;
#[path = "sandbox_actions/variables.rs"]
mod variables;
#[path = "sandbox_actions/workflow.rs"]
mod workflow;

use std::time::Duration;

use base64::Engine as _;
use cawiz_sandbox::{SANDBOX_GITHUB_TOKEN, SandboxHandle};
use reqwest::Method;
use serde_json::{Value, json};

pub const REPO: &str = "/repos/octo-org/widgets";

/// A GitHub API request with the sandbox token; redirects are not followed.
pub async fn gh(
    sb: &SandboxHandle,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (u16, reqwest::header::HeaderMap, Value) {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut req = client
        .request(method, format!("{}{path}", sb.github_url()))
        .bearer_auth(SANDBOX_GITHUB_TOKEN)
        .header("x-github-api-version", "2022-11-28");
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let text = resp.text().await.unwrap();
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    (status, headers, json)
}

/// Commits `text` as the publish workflow on `main`, as a person would with the contents API.
pub async fn commit_workflow(sb: &SandboxHandle, text: &str) {
    let path = format!("{REPO}/contents/{}", workflow::PATH);
    let (status, _, existing) = gh(sb, Method::GET, &path, None).await;
    let mut body = json!({
        "message": "Add the publish workflow",
        "content": base64::engine::general_purpose::STANDARD.encode(text),
        "branch": "main",
    });
    if status == 200 {
        body["sha"] = existing["sha"].clone();
    }
    let (status, _, answer) = gh(sb, Method::PUT, &path, Some(body)).await;
    assert!(status == 200 || status == 201, "{status} {answer}");
}

/// Dispatches the publish workflow on `main`; the run's id.
pub async fn dispatch(sb: &SandboxHandle, inputs: Value) -> u64 {
    let body = json!({ "ref": "main", "inputs": inputs, "return_run_details": true });
    let path = format!("{REPO}/actions/workflows/publish.yml/dispatches");
    let (status, _, answer) = gh(sb, Method::POST, &path, Some(body)).await;
    assert_eq!(status, 200, "{answer}");
    answer["workflow_run_id"].as_u64().unwrap()
}

/// Publishes a release of `tag`; its JSON.
pub async fn release(sb: &SandboxHandle, tag: &str) -> Value {
    let body = json!({ "tag_name": tag, "name": tag, "body": "notes" });
    let (status, _, answer) = gh(sb, Method::POST, &format!("{REPO}/releases"), Some(body)).await;
    assert_eq!(status, 201, "{answer}");
    answer
}

pub async fn get_run(sb: &SandboxHandle, id: u64) -> Value {
    let (status, _, run) = gh(sb, Method::GET, &format!("{REPO}/actions/runs/{id}"), None).await;
    assert_eq!(status, 200, "{run}");
    run
}

/// Polls the run, moving the sandbox clock a little between polls, until it has completed; the
/// statuses seen, in order, and the final run.
pub async fn watch(sb: &SandboxHandle, id: u64) -> (Vec<String>, Value) {
    let mut seen: Vec<String> = Vec::new();
    for _ in 0..2_000 {
        let run = get_run(sb, id).await;
        let status = run["status"].as_str().unwrap().to_owned();
        if seen.last() != Some(&status) {
            seen.push(status.clone());
        }
        if status == "completed" {
            return (seen, run);
        }
        sb.advance_clock(Duration::from_millis(250));
    }
    panic!("run {id} did not complete; statuses seen: {seen:?}");
}

/// The run's jobs.
pub async fn jobs(sb: &SandboxHandle, id: u64) -> Vec<Value> {
    let path = format!("{REPO}/actions/runs/{id}/jobs");
    let (status, _, page) = gh(sb, Method::GET, &path, None).await;
    assert_eq!(status, 200, "{page}");
    page["jobs"].as_array().unwrap().clone()
}

/// The log of the run's job named `name`, downloaded as a client does: the 302, then the link.
pub async fn log_of(sb: &SandboxHandle, run: u64, name: &str) -> String {
    let job = jobs(sb, run)
        .await
        .into_iter()
        .find(|j| j["name"] == name)
        .unwrap_or_else(|| panic!("no job {name}"));
    let path = format!("{REPO}/actions/jobs/{}/logs", job["id"]);
    let (status, headers, _) = gh(sb, Method::GET, &path, None).await;
    assert_eq!(status, 302);
    let location = headers["location"].to_str().unwrap().to_owned();
    let resp = reqwest::get(&location).await.unwrap();
    assert_eq!(resp.status().as_u16(), 200, "{location}");
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    resp.text().await.unwrap()
}

/// A log without timestamps and colours, twine's wrapped records joined back into one line each:
/// for looking for a whole message.
pub fn unwrapped(log: &str) -> String {
    let ansi = regex::Regex::new(r"\x1b\[[0-9;?]*[A-Za-z]").unwrap();
    let mut out: Vec<String> = Vec::new();
    for line in log.lines() {
        let text = line.split_once(' ').map_or(line, |(_, t)| t);
        let text = ansi.replace_all(text, "").into_owned();
        match text.strip_prefix("         ") {
            Some(rest) if !out.is_empty() => {
                let last = out.last_mut().unwrap();
                last.push(' ');
                last.push_str(rest.trim());
            }
            _ => out.push(text.trim_end().to_owned()),
        }
    }
    out.join("\n")
}

/// (name, conclusion) of each step of a job.
pub fn steps(job: &Value) -> Vec<(String, String)> {
    job["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let text = |k: &str| s[k].as_str().unwrap_or("null").to_owned();
            (text("name"), text("conclusion"))
        })
        .collect()
}

/// The versions of `package` in octo-org/widgets, by the real SDK.
pub async fn versions(sb: &SandboxHandle, package: &str) -> Vec<String> {
    let out = common::codeartifact(sb.url())
        .list_package_versions()
        .domain("octo-org")
        .repository("widgets")
        .format(aws_sdk_codeartifact::types::PackageFormat::Pypi)
        .package(package)
        .send()
        .await;
    match out {
        Ok(out) => out
            .versions()
            .iter()
            .map(|v| v.version().to_owned())
            .collect(),
        Err(_) => Vec::new(),
    }
}

#[tokio::test]
async fn a_dispatch_runs_the_publish_job_as_the_role_and_publishes_the_probe() {
    let sb = common::start_sandbox("complete").await;
    commit_workflow(&sb, workflow::PUBLISH).await;
    let id = dispatch(&sb, json!({})).await;
    let (seen, run) = watch(&sb, id).await;
    // A run takes many seconds of sandbox time: the first poll cannot find it done.
    assert_ne!(seen[0], "completed", "{seen:?}");
    let order = ["queued", "in_progress", "completed"];
    let ranks: Vec<usize> = seen
        .iter()
        .map(|s| order.iter().position(|o| o == s).unwrap())
        .collect();
    assert!(ranks.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
    assert_eq!(run["conclusion"], "success", "{run}");
    assert_eq!(run["event"], "workflow_dispatch");
    assert_eq!(run["path"], workflow::PATH);
    assert_eq!(run["head_branch"], "main");
    assert_eq!(run["display_title"], "Publish Python package");

    let probe = format!("0.0.{id}.1");
    assert_eq!(
        versions(&sb, "widgets-cawiz-probe").await,
        vec![probe.clone()]
    );

    let all = jobs(&sb, id).await;
    let names: Vec<&str> = all.iter().map(|j| j["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Build distribution", "Publish to CodeArtifact"]);
    let publish = steps(&all[1]);
    let ok = |name: &str| (name.to_owned(), "success".to_owned());
    assert_eq!(publish.first(), Some(&ok("Set up job")));
    for name in [
        "Download dist",
        "Configure AWS credentials (OIDC)",
        "Build probe package (probe runs only)",
        "Upload to CodeArtifact",
        "Post Configure AWS credentials (OIDC)",
    ] {
        assert!(publish.contains(&ok(name)), "{name}: {publish:?}");
    }
    assert_eq!(publish.last(), Some(&ok("Complete job")));

    let log = log_of(&sb, id, "Publish to CodeArtifact").await;
    let stamp = regex::Regex::new(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z ").unwrap();
    assert!(log.lines().all(|l| stamp.is_match(l)), "{log}");
    let text = unwrapped(&log);
    for expected in [
        "IdToken: write",
        "##[group]Run aws-actions/configure-aws-credentials@e6de054238d6b7531b4efff3b6587d9aade6a06c",
        "  role-to-assume: arn:aws:iam::123456789012:role/GitHubActions-CodeArtifact",
        "  aws-region: us-east-1",
        "  audience: sts.amazonaws.com",
        "Assuming role with OIDC",
        ":GitHubActions",
        &format!("Built probe widgets-cawiz-probe=={probe}"),
        "  AWS_SECRET_ACCESS_KEY: ***",
        &format!("Uploading widgets_cawiz_probe-{probe}-py3-none-any.whl"),
    ] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }
    assert!(
        text.contains("\nAuthenticated as assumedRoleId AROA"),
        "{text}"
    );
    let endpoint = format!("{}/octo-org-123456789012/pypi/widgets/", sb.url());
    // twine prints through rich at 80 columns: the URL goes to the next line.
    assert!(
        text.contains(&format!("\nUploading distributions to\n{endpoint}\n")),
        "{text}"
    );
    for token in sb.issued_tokens() {
        assert!(!log.contains(&token), "the authorization token is masked");
    }
    let calls = sb.calls();
    for op in [
        "GitHub:CreateWorkflowDispatch",
        "AssumeRoleWithWebIdentity",
        "GetAuthorizationToken",
        "GetRepositoryEndpoint",
        "PypiUpload",
    ] {
        assert_eq!(calls.get(op), Some(&1), "{op}: {calls:?}");
    }
}

#[tokio::test]
async fn pushing_the_workflow_runs_the_build_and_skips_the_publish_job() {
    let sb = common::start_sandbox("complete").await;
    commit_workflow(&sb, workflow::PUBLISH).await;
    sb.finish_runs();
    let runs = sb.workflow_runs("octo-org", "widgets");
    assert_eq!(runs.len(), 1, "{runs:?}");
    let push = &runs[0];
    assert_eq!(
        (push.event.as_str(), push.git_ref.as_str()),
        ("push", "refs/heads/main")
    );
    assert_eq!(push.conclusion.as_deref(), Some("success"));
    let conclusions: Vec<Option<&str>> =
        push.jobs.iter().map(|j| j.conclusion.as_deref()).collect();
    assert_eq!(conclusions, [Some("success"), Some("skipped")]);
    assert!(versions(&sb, "widgets-cawiz-probe").await.is_empty());
    // The build's log is there too, without a step of the publish job.
    let log = sb.job_log(push.jobs[0].id).unwrap();
    assert!(log.contains("Successfully built"), "{log}");
    assert!(!log.contains("Assuming role"), "{log}");
}

#[tokio::test]
async fn a_release_publishes_the_projects_version_from_its_tag() {
    let sb = common::start_sandbox("complete").await;
    commit_workflow(&sb, workflow::PUBLISH).await;
    sb.finish_runs();
    let answer = release(&sb, "v0.2.0").await;
    assert_eq!(answer["tag_name"], "v0.2.0");
    assert_eq!(answer["draft"], false);
    assert!(answer["published_at"].is_string());
    let finished = sb.finish_runs();
    assert_eq!(finished.len(), 1, "one `release: published` run");
    let run = get_run(&sb, finished[0]).await;
    assert_eq!(run["event"], "release");
    assert_eq!(run["head_branch"], "v0.2.0");
    assert_eq!(run["conclusion"], "success", "{run}");
    assert!(versions(&sb, "widgets").await.contains(&"0.2.0".to_owned()));
    assert!(versions(&sb, "widgets-cawiz-probe").await.is_empty());
    let publish = steps(&jobs(&sb, finished[0]).await[1]);
    assert!(publish.contains(&(
        "Build probe package (probe runs only)".to_owned(),
        "skipped".to_owned()
    )));
    let text = unwrapped(&log_of(&sb, finished[0], "Publish to CodeArtifact").await);
    assert!(
        text.contains("Uploading widgets-0.2.0-py3-none-any.whl"),
        "{text}"
    );
    // The release created its tag on main's head.
    let (status, _, tag) = gh(
        &sb,
        Method::GET,
        &format!("{REPO}/git/ref/tags/v0.2.0"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{tag}");
}

#[tokio::test]
async fn a_dispatch_without_the_probe_publishes_the_project() {
    let sb = common::start_sandbox("complete").await;
    commit_workflow(&sb, workflow::PUBLISH).await;
    let id = dispatch(&sb, json!({ "probe": false })).await;
    sb.finish_runs();
    let run = get_run(&sb, id).await;
    // The project is widgets 0.1.0, already published in this scenario: the index says 409.
    assert_eq!(run["conclusion"], "failure");
    let text = unwrapped(&log_of(&sb, id, "Publish to CodeArtifact").await);
    assert!(text.contains("HTTPError: 409 Conflict from "), "{text}");
}
