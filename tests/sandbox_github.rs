//! The sandbox's GitHub API (`{url}/github`) driven by cawiz's real `GithubClient`, plus raw HTTP
//! checks of what GitHub answers that the client never shows: statuses, error bodies, headers,
//! pagination, and how calls are counted.
mod common;

#[path = "sandbox_github/repositories.rs"]
mod repositories;
#[path = "sandbox_github/requests.rs"]
mod requests;
#[path = "sandbox_github/secrets.rs"]
mod secrets;
#[path = "sandbox_github/variables.rs"]
mod variables;

use cawiz::github::{GithubClient, Variable};
use cawiz::sandbox::{SANDBOX_GITHUB_TOKEN, SandboxHandle};
use serde_json::Value;

pub fn client(sb: &SandboxHandle) -> GithubClient {
    GithubClient::new(&sb.github_url(), Some(SANDBOX_GITHUB_TOKEN.to_owned())).expect("client")
}

pub fn var(name: &str, value: &str) -> Variable {
    Variable {
        name: name.to_owned(),
        value: value.to_owned(),
    }
}

/// A raw request with the sandbox token (unless `token` says otherwise).
pub async fn raw(
    sb: &SandboxHandle,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, reqwest::header::HeaderMap, Value) {
    let mut req = reqwest::Client::new()
        .request(method, format!("{}{path}", sb.github_url()))
        .header("accept", "application/vnd.github+json")
        .header("x-github-api-version", "2022-11-28");
    if let Some(t) = token {
        req = req.header("authorization", t);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.expect("request");
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let text = resp.text().await.expect("body");
    let json = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
    };
    (status, headers, json)
}

pub const BEARER: Option<&str> = Some("Bearer ghp_sandbox_cawiz");
