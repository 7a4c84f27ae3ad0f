//! The GitHub REST endpoints cawiz uses, under `/github` of the sandbox's URL (so the API base URL
//! is `{sandbox_url}/github`): a repository's names and ids, its OIDC subject claim format, its
//! Actions variables and secrets, its files, branches and refs (contents API, git refs), pull
//! requests, and the tags of the actions a publish workflow pins.
//!
//! Every repository with a name GitHub accepts exists (created on first use, with ids derived from
//! its name, stable across runs); the scenario's repository may fix its ids and subject format.
//! Requests need `Authorization: Bearer TOKEN` (or `token TOKEN`, or basic auth with the token as
//! the password) with a token starting with `ghp_sandbox`, such as [`SANDBOX_GITHUB_TOKEN`].
//! Errors are GitHub's JSON (`message`, `documentation_url`, `status`), and every answer carries
//! GitHub's rate-limit headers (5,000 requests an hour, counted against the sandbox's clock).

mod contents;
pub(crate) mod endpoints;
mod environments;
mod files;
pub(crate) mod git;
mod oidc_sub;
pub(crate) mod oidc_token;
mod org_variables;
mod pulls;
mod refs;
pub(crate) mod reply;
mod routes;
pub(crate) mod state;
pub(crate) mod variables;
pub(crate) mod writes;

use axum::body::Body;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

pub use files::PullRequestInfo;
pub use routes::{Op, Route, is_github_path, operation, route};
pub(crate) use state::{GhVariable, name_problem, valid_repository};

use super::Shared;
use super::protocol::{ApiError, Query, request_id};
use super::world::{World, epoch_seconds};
use reply::{GhError, GhResult, Input, Reply};

/// The GitHub token the sandbox prints for users to paste; any token starting with `ghp_sandbox`
/// is accepted, any other is "Bad credentials".
pub const SANDBOX_GITHUB_TOKEN: &str = "ghp_sandbox_cawiz";
/// The path the GitHub API is served under.
pub const PATH_PREFIX: &str = "/github";
const TOKEN_PREFIX: &str = "ghp_sandbox";
/// The `X-GitHub-Api-Version` values GitHub supports; others are refused with 400 as GitHub does.
const API_VERSIONS: &[&str] = &["2022-11-28", "2026-03-10"];
const DEFAULT_API_VERSION: &str = "2022-11-28";
const DOCS: &str = "https://docs.github.com/rest";

enum Auth {
    Missing,
    Bad,
    Ok,
}

fn auth(parts: &Parts) -> Auth {
    let Some(value) = parts
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
    else {
        return Auth::Missing;
    };
    let (scheme, credentials) = value.trim().split_once(' ').unwrap_or((value, ""));
    let credentials = credentials.trim();
    let token = match scheme.to_ascii_lowercase().as_str() {
        "bearer" | "token" => Some(credentials.to_owned()),
        // Basic auth with the token as the password, as git and GitHub accept it.
        "basic" => STANDARD
            .decode(credentials)
            .ok()
            .and_then(|raw| String::from_utf8(raw).ok())
            .and_then(|pair| pair.split_once(':').map(|(_, t)| t.to_owned())),
        _ => None,
    };
    match token {
        Some(t) if t.starts_with(TOKEN_PREFIX) => Auth::Ok,
        _ => Auth::Bad,
    }
}

/// What the front door needs of an endpoint: its errors' documentation, the permission GitHub
/// names for it, and whether it answers without a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Endpoint {
    pub doc: &'static str,
    pub permission: &'static str,
    pub public: bool,
}

impl Op {
    fn endpoint(self) -> Endpoint {
        Endpoint {
            doc: self.doc(),
            permission: self.permission(),
            public: matches!(self, Op::GetOidcKeys | Op::GetOidcConfig),
        }
    }
}

/// Answers one GitHub API request (already counted, delayed and fault-checked by the router).
pub fn handle(shared: &Shared, parts: &Parts, body: &[u8]) -> Response {
    let Some(route) = route(&parts.method, parts.uri.path()) else {
        return not_found();
    };
    serve(shared, parts, body, route.op.endpoint(), |world, input| {
        variables::dispatch(&mut world.github, &route, input)
            .unwrap_or_else(|| endpoints::dispatch(&mut world.github, &route, input))
    })
}

/// GitHub's front door around `answer`: the API version, the token, the rate limit, then GitHub's
/// headers on the reply or error. Other GitHub-shaped endpoints (Actions) come through here too.
pub fn serve(
    shared: &Shared,
    parts: &Parts,
    body: &[u8],
    endpoint: Endpoint,
    answer: impl FnOnce(&mut World, &Input<'_>) -> GhResult,
) -> Response {
    let version = match parts
        .headers
        .get("x-github-api-version")
        .map(|v| v.to_str().unwrap_or("").trim())
    {
        None => DEFAULT_API_VERSION,
        Some(v) => match API_VERSIONS.iter().find(|known| **known == v) {
            Some(known) => known,
            None => {
                let message = format!("The requested version '{v}' is not supported.");
                let err = GhError::new(StatusCode::BAD_REQUEST, message);
                return render(Err(err), endpoint, DEFAULT_API_VERSION, None);
            }
        },
    };
    let unauthorized = |message: &str| {
        let err = GhError::new(StatusCode::UNAUTHORIZED, message);
        render(Err(err), endpoint, version, None)
    };
    match auth(parts) {
        _ if endpoint.public => {}
        Auth::Missing => return unauthorized("Requires authentication"),
        Auth::Bad => return unauthorized("Bad credentials"),
        Auth::Ok => {}
    }

    let mut world = shared.world();
    let now = world.now();
    let unix = epoch_seconds(now) as u64;
    let allowed = world.github.rate.take(unix);
    let rate = world.github.rate;
    let result = if allowed {
        let input = Input {
            query: Query::parse(parts.uri.query()),
            body,
            now,
            api_url: format!("{}{PATH_PREFIX}", shared.base_url),
        };
        answer(&mut world, &input)
    } else {
        Err(GhError::new(
            StatusCode::FORBIDDEN,
            "API rate limit exceeded for user ID 1. (The cawiz sandbox allows 5000 requests an hour.)",
        ))
    };
    drop(world);
    render(result, endpoint, version, Some(rate))
}

fn header(response: &mut Response, name: &'static str, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        response.headers_mut().insert(name, v);
    }
}

fn json_body(status: StatusCode, value: &serde_json::Value) -> Response {
    (
        status,
        [("content-type", "application/json; charset=utf-8")],
        value.to_string(),
    )
        .into_response()
}

fn error_body(status: StatusCode, message: &str, doc: &str) -> Response {
    error_body_with(status, message, doc, &[])
}

/// GitHub's error JSON, with a 422's `errors` when there are any.
fn error_body_with(
    status: StatusCode,
    message: &str,
    doc: &str,
    errors: &[serde_json::Value],
) -> Response {
    let mut body = serde_json::json!({
        "message": message,
        "documentation_url": doc,
        "status": status.as_u16().to_string(),
    });
    if !errors.is_empty() {
        body["errors"] = serde_json::Value::Array(errors.to_vec());
    }
    json_body(status, &body)
}

/// GitHub's answer to a path it does not serve.
fn not_found() -> Response {
    let mut r = error_body(StatusCode::NOT_FOUND, "Not Found", DOCS);
    header(&mut r, "x-github-request-id", &request_id());
    r
}

fn render(
    result: Result<Reply, GhError>,
    endpoint: Endpoint,
    version: &str,
    rate: Option<state::RateWindow>,
) -> Response {
    let mut response = match result {
        Ok(reply) => {
            let mut r = match &reply.body {
                Some(body) => json_body(reply.status, body),
                None => (reply.status, Body::empty()).into_response(),
            };
            if let Some(link) = &reply.link {
                header(&mut r, "link", link);
            }
            if let Some(location) = &reply.location {
                header(&mut r, "location", location);
            }
            r
        }
        Err(err) => error_body_with(err.status, &err.message, endpoint.doc, &err.errors),
    };
    header(&mut response, "x-github-api-version-selected", version);
    header(
        &mut response,
        "x-github-media-type",
        "github.v3; format=json",
    );
    header(&mut response, "x-github-request-id", &request_id());
    header(
        &mut response,
        "x-accepted-github-permissions",
        endpoint.permission,
    );
    if let Some(rate) = rate {
        header(
            &mut response,
            "x-ratelimit-limit",
            &state::RATE_LIMIT.to_string(),
        );
        header(
            &mut response,
            "x-ratelimit-remaining",
            &rate.remaining().to_string(),
        );
        header(&mut response, "x-ratelimit-used", &rate.used.to_string());
        header(&mut response, "x-ratelimit-reset", &rate.reset.to_string());
        header(&mut response, "x-ratelimit-resource", "core");
    }
    response
}

/// An error the router raises for a GitHub request (an injected `--fault`, or an unknown path),
/// in GitHub's shape. Rate-limit codes (`RateLimited`, or any code answering 429) come with the
/// headers GitHub sends when the limit is exhausted.
pub fn api_error_response(err: &ApiError) -> Response {
    let message = if err.code == "NotFound" {
        "Not Found".to_owned()
    } else if err.code == "403" {
        // What GitHub answers a token that lacks the endpoint's permission.
        "Resource not accessible by personal access token".to_owned()
    } else {
        format!("{} ({})", err.message, err.code)
    };
    let mut response = error_body(err.status, &message, DOCS);
    header(&mut response, "x-github-request-id", &request_id());
    let rate_limited =
        err.status == StatusCode::TOO_MANY_REQUESTS || err.code.contains("RateLimit");
    if rate_limited {
        let reset = epoch_seconds(std::time::SystemTime::now()) as u64 + 60;
        header(&mut response, "x-ratelimit-remaining", "0");
        header(&mut response, "x-ratelimit-reset", &reset.to_string());
        header(&mut response, "retry-after", "60");
    }
    response
}

#[cfg(test)]
mod tests;
