//! The sandbox's GitHub API (`{url}/github`) over raw HTTP: what GitHub answers — statuses, JSON
//! bodies, error bodies, headers, pagination — and how calls are counted. A GitHub client's view of
//! these answers is its own package's business.
mod common;

#[path = "sandbox_github/contents.rs"]
mod contents;
#[path = "sandbox_github/org_env_variables.rs"]
mod org_env_variables;
#[path = "sandbox_github/pulls.rs"]
mod pulls;
#[path = "sandbox_github/repositories.rs"]
mod repositories;
#[path = "sandbox_github/requests.rs"]
mod requests;
#[path = "sandbox_github/secrets.rs"]
mod secrets;
#[path = "sandbox_github/variables.rs"]
mod variables;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cawiz_sandbox::SandboxHandle;
use reqwest::Method;
use serde_json::{Value, json};

/// A raw request with the sandbox token (unless `token` says otherwise).
pub async fn raw(
    sb: &SandboxHandle,
    method: Method,
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

/// `(name, value)` of each variable of a list page (`{"variables": [...]}`), in the page's order.
pub fn variables_of(page: &Value) -> Vec<(String, String)> {
    page["variables"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|v| {
                    let field = |f: &str| v[f].as_str().unwrap_or_default().to_owned();
                    (field("name"), field("value"))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `(name, value)` owned, for comparing with [`variables_of`].
pub fn var(name: &str, value: &str) -> (String, String) {
    (name.to_owned(), value.to_owned())
}

/// The names of a secrets list page (`{"secrets": [...]}`), in the page's order.
pub fn secret_names(page: &Value) -> Vec<String> {
    page["secrets"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s["name"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// The URL of the `rel` link of a `Link` header, if any.
pub fn link_rel(headers: &reqwest::header::HeaderMap, rel: &str) -> Option<String> {
    let link = headers.get("link")?.to_str().ok()?;
    link.split(',').find_map(|part| {
        let (url, params) = part.trim().split_once(';')?;
        params.contains(&format!("rel=\"{rel}\"")).then(|| {
            url.trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_owned()
        })
    })
}

/// `value` sealed (libsodium `crypto_box_seal`) for the base64 X25519 `public_key`, base64-encoded,
/// as GitHub's `encrypted_value` expects.
pub fn seal(public_key: &str, value: &str) -> String {
    let bytes: [u8; 32] = STANDARD
        .decode(public_key)
        .expect("base64 key")
        .try_into()
        .expect("a 32-byte key");
    let sealed = crypto_box::PublicKey::from(bytes)
        .seal(&mut crypto_box::aead::OsRng, value.as_bytes())
        .expect("seal");
    STANDARD.encode(sealed)
}

/// Writes a secret as GitHub's clients do: read the repository's public key, seal the value for it,
/// and PUT it with the key's id. The PUT's status (201 created, 204 updated) and body.
pub async fn put_secret(
    sb: &SandboxHandle,
    owner: &str,
    repo: &str,
    name: &str,
    value: &str,
) -> (u16, Value) {
    let base = format!("/repos/{owner}/{repo}/actions/secrets");
    let (status, _, key) = raw(sb, Method::GET, &format!("{base}/public-key"), BEARER, None).await;
    assert_eq!(status, 200, "public key: {key}");
    let sealed = seal(key["key"].as_str().unwrap_or_default(), value);
    let body = json!({"encrypted_value": sealed, "key_id": key["key_id"]});
    let (status, _, answer) = raw(
        sb,
        Method::PUT,
        &format!("{base}/{name}"),
        BEARER,
        Some(body),
    )
    .await;
    (status, answer)
}
