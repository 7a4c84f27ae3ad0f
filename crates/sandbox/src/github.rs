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
mod files;
pub(crate) mod git;
mod oidc_sub;
pub(crate) mod oidc_token;
mod pulls;
pub(crate) mod reply;
pub(crate) mod state;
pub(crate) mod writes;

use axum::body::Body;
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

pub use files::PullRequestInfo;
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

/// An endpoint, named after the operation in GitHub's REST documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    GetRepository,
    GetOidcSubClaim,
    SetOidcSubClaim,
    GetOrgOidcSubClaim,
    SetOrgOidcSubClaim,
    /// The Actions runtime's token endpoint (`/github/_oidc/token`).
    GetOidcToken,
    /// The issuer's keys and discovery document (no token needed).
    GetOidcKeys,
    GetOidcConfig,
    ListVariables,
    CreateVariable,
    GetVariable,
    UpdateVariable,
    DeleteVariable,
    ListSecrets,
    GetPublicKey,
    GetSecret,
    SetSecret,
    DeleteSecret,
    GetContent,
    PutContent,
    GetBranch,
    GetRef,
    CreateRef,
    GetTag,
    CreatePullRequest,
    ListPullRequests,
    GetPullRequest,
    MergePullRequest,
}

impl Op {
    /// The operation name counted by `SandboxHandle::calls()` after `GitHub:`.
    pub fn name(self) -> &'static str {
        match self {
            Op::GetRepository => "GetRepository",
            Op::GetOidcSubClaim => "GetOidcSubClaim",
            Op::SetOidcSubClaim => "SetOidcSubClaim",
            Op::GetOrgOidcSubClaim => "GetOrgOidcSubClaim",
            Op::SetOrgOidcSubClaim => "SetOrgOidcSubClaim",
            Op::GetOidcToken => "GetOidcToken",
            Op::GetOidcKeys => "GetOidcKeys",
            Op::GetOidcConfig => "GetOidcConfig",
            Op::ListVariables => "ListVariables",
            Op::CreateVariable => "CreateVariable",
            Op::GetVariable => "GetVariable",
            Op::UpdateVariable => "UpdateVariable",
            Op::DeleteVariable => "DeleteVariable",
            Op::ListSecrets => "ListSecrets",
            Op::GetPublicKey => "GetPublicKey",
            Op::GetSecret => "GetSecret",
            Op::SetSecret => "SetSecret",
            Op::DeleteSecret => "DeleteSecret",
            Op::GetContent => "GetContent",
            Op::PutContent => "CreateOrUpdateFileContents",
            Op::GetBranch => "GetBranch",
            Op::GetRef => "GetRef",
            Op::CreateRef => "CreateRef",
            Op::GetTag => "GetTag",
            Op::CreatePullRequest => "CreatePullRequest",
            Op::ListPullRequests => "ListPullRequests",
            Op::GetPullRequest => "GetPullRequest",
            Op::MergePullRequest => "MergePullRequest",
        }
    }

    /// The `documentation_url` of the endpoint's errors.
    fn doc(self) -> &'static str {
        match self {
            Op::GetRepository => "https://docs.github.com/rest/repos/repos#get-a-repository",
            Op::GetOidcSubClaim => {
                "https://docs.github.com/rest/actions/oidc#get-the-customization-template-for-an-oidc-subject-claim-for-a-repository"
            }
            Op::SetOidcSubClaim => {
                "https://docs.github.com/rest/actions/oidc#set-the-customization-template-for-an-oidc-subject-claim-for-a-repository"
            }
            Op::GetOrgOidcSubClaim => {
                "https://docs.github.com/rest/actions/oidc#get-the-customization-template-for-an-oidc-subject-claim-for-an-organization"
            }
            Op::GetOidcToken | Op::GetOidcKeys | Op::GetOidcConfig => {
                "https://docs.github.com/actions/reference/security/oidc"
            }
            Op::SetOrgOidcSubClaim => {
                "https://docs.github.com/rest/actions/oidc#set-the-customization-template-for-an-oidc-subject-claim-for-an-organization"
            }
            Op::ListVariables => {
                "https://docs.github.com/rest/actions/variables#list-repository-variables"
            }
            Op::CreateVariable => {
                "https://docs.github.com/rest/actions/variables#create-a-repository-variable"
            }
            Op::GetVariable => {
                "https://docs.github.com/rest/actions/variables#get-a-repository-variable"
            }
            Op::UpdateVariable => {
                "https://docs.github.com/rest/actions/variables#update-a-repository-variable"
            }
            Op::DeleteVariable => {
                "https://docs.github.com/rest/actions/variables#delete-a-repository-variable"
            }
            Op::ListSecrets => {
                "https://docs.github.com/rest/actions/secrets#list-repository-secrets"
            }
            Op::GetPublicKey => {
                "https://docs.github.com/rest/actions/secrets#get-a-repository-public-key"
            }
            Op::GetSecret => "https://docs.github.com/rest/actions/secrets#get-a-repository-secret",
            Op::SetSecret => {
                "https://docs.github.com/rest/actions/secrets#create-or-update-a-repository-secret"
            }
            Op::DeleteSecret => {
                "https://docs.github.com/rest/actions/secrets#delete-a-repository-secret"
            }
            Op::GetContent => "https://docs.github.com/rest/repos/contents#get-repository-content",
            Op::PutContent => {
                "https://docs.github.com/rest/repos/contents#create-or-update-file-contents"
            }
            Op::GetBranch => "https://docs.github.com/rest/branches/branches#get-a-branch",
            Op::GetRef => "https://docs.github.com/rest/git/refs#get-a-reference",
            Op::CreateRef => "https://docs.github.com/rest/git/refs#create-a-reference",
            Op::GetTag => "https://docs.github.com/rest/git/tags#get-a-tag",
            Op::CreatePullRequest => {
                "https://docs.github.com/rest/pulls/pulls#create-a-pull-request"
            }
            Op::ListPullRequests => "https://docs.github.com/rest/pulls/pulls#list-pull-requests",
            Op::GetPullRequest => "https://docs.github.com/rest/pulls/pulls#get-a-pull-request",
            Op::MergePullRequest => "https://docs.github.com/rest/pulls/pulls#merge-a-pull-request",
        }
    }

    /// GitHub's `x-accepted-github-permissions`: the fine-grained permission the endpoint needs.
    fn permission(self) -> &'static str {
        match self {
            Op::GetRepository => "metadata=read",
            Op::GetOidcSubClaim => "actions=read",
            Op::SetOidcSubClaim => "actions=write",
            Op::GetOrgOidcSubClaim => "organization_administration=read",
            Op::SetOrgOidcSubClaim => "organization_administration=write",
            Op::GetOidcToken => "id-token=write",
            Op::GetOidcKeys | Op::GetOidcConfig => "",
            Op::ListVariables | Op::GetVariable => "actions_variables=read",
            Op::CreateVariable | Op::UpdateVariable | Op::DeleteVariable => {
                "actions_variables=write"
            }
            Op::ListSecrets | Op::GetPublicKey | Op::GetSecret => "secrets=read",
            Op::SetSecret | Op::DeleteSecret => "secrets=write",
            Op::GetContent | Op::GetBranch | Op::GetRef | Op::GetTag => "contents=read",
            Op::PutContent | Op::CreateRef | Op::MergePullRequest => "contents=write",
            Op::CreatePullRequest => "pull_requests=write",
            Op::ListPullRequests | Op::GetPullRequest => "pull_requests=read",
        }
    }
}

/// A request on the GitHub API: the endpoint and the names in its path (percent-decoded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub op: Op,
    pub owner: String,
    pub repo: String,
    /// The variable or secret name, the file path, the branch, the ref (`heads/main`), the tag
    /// object's SHA or the pull request's number, for the endpoints about one.
    pub name: Option<String>,
}

/// Whether a path is under [`PATH_PREFIX`].
pub fn is_github_path(path: &str) -> bool {
    path == PATH_PREFIX
        || path
            .strip_prefix(PATH_PREFIX)
            .is_some_and(|rest| rest.starts_with('/'))
}

pub fn route(method: &Method, path: &str) -> Option<Route> {
    let rest = path.strip_prefix(PATH_PREFIX)?;
    let segments = super::protocol::path_segments(rest.split('/'));
    let s: Vec<&str> = segments.iter().map(String::as_str).collect();
    let m = method.as_str();
    let (owner, repo, tail) = match s.as_slice() {
        ["repos", owner, repo, tail @ ..] => (*owner, *repo, tail),
        ["_oidc", rest @ ..] => {
            let op = match (m, rest) {
                ("GET", ["token"]) => Op::GetOidcToken,
                ("GET", [".well-known", "jwks"]) => Op::GetOidcKeys,
                ("GET", [".well-known", "openid-configuration"]) => Op::GetOidcConfig,
                _ => return None,
            };
            return Some(Route {
                op,
                owner: String::new(),
                repo: String::new(),
                name: None,
            });
        }
        ["orgs", org, "actions", "oidc", "customization", "sub"] => {
            let op = match m {
                "GET" => Op::GetOrgOidcSubClaim,
                "PUT" => Op::SetOrgOidcSubClaim,
                _ => return None,
            };
            return Some(Route {
                op,
                owner: (*org).to_owned(),
                repo: String::new(),
                name: None,
            });
        }
        _ => return None,
    };
    let joined = |rest: &[&str]| Some(rest.join("/"));
    let with_name = |op: Op, name: Option<String>| Route {
        op,
        owner: owner.to_owned(),
        repo: repo.to_owned(),
        name,
    };
    let (op, name) = match (m, tail) {
        ("GET", []) => (Op::GetRepository, None),
        ("GET", ["actions", "oidc", "customization", "sub"]) => (Op::GetOidcSubClaim, None),
        ("PUT", ["actions", "oidc", "customization", "sub"]) => (Op::SetOidcSubClaim, None),
        ("GET", ["actions", "variables"]) => (Op::ListVariables, None),
        ("POST", ["actions", "variables"]) => (Op::CreateVariable, None),
        ("GET", ["actions", "variables", n]) => (Op::GetVariable, Some(*n)),
        ("PATCH", ["actions", "variables", n]) => (Op::UpdateVariable, Some(*n)),
        ("DELETE", ["actions", "variables", n]) => (Op::DeleteVariable, Some(*n)),
        ("GET", ["actions", "secrets"]) => (Op::ListSecrets, None),
        ("GET", ["actions", "secrets", "public-key"]) => (Op::GetPublicKey, None),
        ("GET", ["actions", "secrets", n]) => (Op::GetSecret, Some(*n)),
        ("PUT", ["actions", "secrets", n]) => (Op::SetSecret, Some(*n)),
        ("DELETE", ["actions", "secrets", n]) => (Op::DeleteSecret, Some(*n)),
        ("GET", ["contents", rest @ ..]) => return Some(with_name(Op::GetContent, joined(rest))),
        ("PUT", ["contents", rest @ ..]) if !rest.is_empty() => {
            return Some(with_name(Op::PutContent, joined(rest)));
        }
        ("GET", ["branches", rest @ ..]) if !rest.is_empty() => {
            return Some(with_name(Op::GetBranch, joined(rest)));
        }
        ("GET", ["git", "ref", rest @ ..]) if rest.len() >= 2 => {
            return Some(with_name(Op::GetRef, joined(rest)));
        }
        ("POST", ["git", "refs"]) => (Op::CreateRef, None),
        ("GET", ["git", "tags", sha]) => (Op::GetTag, Some(*sha)),
        ("POST", ["pulls"]) => (Op::CreatePullRequest, None),
        ("GET", ["pulls"]) => (Op::ListPullRequests, None),
        ("GET", ["pulls", n]) => (Op::GetPullRequest, Some(*n)),
        ("PUT", ["pulls", n, "merge"]) => (Op::MergePullRequest, Some(*n)),
        _ => return None,
    };
    Some(with_name(op, name.map(str::to_owned)))
}

/// The operation name a request is counted (and faults are matched) under, e.g.
/// `GitHub:ListVariables`; `None` for paths GitHub would answer 404.
pub fn operation(method: &Method, path: &str) -> Option<String> {
    route(method, path).map(|r| format!("GitHub:{}", r.op.name()))
}

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
        endpoints::dispatch(&mut world.github, &route, input)
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
