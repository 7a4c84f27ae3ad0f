//! GitHub API errors, classified into what a user can act on, each with the fix to try. Messages come
//! from GitHub's JSON error body (`message`, `documentation_url`) and never hold the token.

use std::fmt;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::{Deserialize, Serialize};

/// The permission a call needs, named as GitHub's token settings name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Need {
    /// `GET /repos/{o}/{r}`.
    Metadata,
    /// The OIDC subject customization.
    ActionsRead,
    VariablesRead,
    VariablesWrite,
    SecretsRead,
    SecretsWrite,
    /// An organisation's OIDC subject template (an organisation permission, not a repository one).
    OrgRead,
    /// Starting a workflow run (`workflow_dispatch`).
    ActionsWrite,
    /// Publishing a release (it creates a tag).
    ContentsWrite,
    /// Reading files and refs.
    ContentsRead,
    /// Committing a file under `.github/workflows` (and creating a branch for it).
    WorkflowsWrite,
    PullRequestsWrite,
}

impl Need {
    /// The fine-grained token (and GitHub App) repository permission.
    pub fn fine_grained(self) -> &'static str {
        match self {
            Need::Metadata => "Metadata: read",
            Need::ActionsRead => "Actions: read",
            Need::VariablesRead => "Variables: read",
            Need::VariablesWrite => "Variables: read and write",
            Need::SecretsRead => "Secrets: read",
            Need::SecretsWrite => "Secrets: read and write",
            Need::OrgRead => "Administration: read",
            Need::ActionsWrite => "Actions: read and write",
            Need::ContentsWrite => "Contents: read and write",
            Need::ContentsRead => "Contents: read",
            Need::WorkflowsWrite => "Contents: read and write, and Workflows: read and write",
            Need::PullRequestsWrite => "Pull requests: read and write",
        }
    }
}

/// The kind of a [`GithubError`], for statuses and the state file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GithubErrorKind {
    Unauthorized,
    Forbidden,
    RateLimited,
    NotFound,
    Conflict,
    Network,
    InvalidConfig,
    Other,
}

/// A classified GitHub API error. `operation` says what cawiz was doing ("list the Actions variables
/// of octo/widgets").
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GithubError {
    #[error("{operation}: GitHub rejected the credentials (401 Unauthorized): {message}")]
    Unauthorized {
        operation: String,
        /// Whether a token was sent at all.
        token_sent: bool,
        message: String,
    },
    #[error("{operation}: the token lacks a permission (403 Forbidden): {message}")]
    Forbidden {
        operation: String,
        need: Need,
        /// GitHub's `x-accepted-github-permissions` header, when it sent one.
        accepted: Option<String>,
        message: String,
    },
    #[error("{operation}: GitHub's API rate limit is exhausted ({status}){}: {message}", reset_text(*.reset_at))]
    RateLimited {
        operation: String,
        status: u16,
        /// Unix time (seconds) when requests are allowed again, when GitHub said.
        reset_at: Option<u64>,
        message: String,
    },
    #[error("{operation}: not found (404): {message}")]
    NotFound {
        operation: String,
        /// `owner/repo`.
        repository: String,
        message: String,
    },
    #[error("{operation}: conflict (409): {message}")]
    Conflict { operation: String, message: String },
    #[error("{operation}: could not reach GitHub at {base_url}: {message}")]
    Network {
        operation: String,
        base_url: String,
        message: String,
    },
    #[error("invalid GitHub API configuration: {message}")]
    InvalidConfig { message: String },
    #[error("{operation}: GitHub answered {status}: {message}")]
    Other {
        operation: String,
        status: u16,
        message: String,
    },
}

fn reset_text(reset_at: Option<u64>) -> String {
    reset_at
        .and_then(|t| i64::try_from(t).ok())
        .and_then(|t| time::OffsetDateTime::from_unix_timestamp(t).ok())
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .map(|t| format!(" until {t}"))
        .unwrap_or_default()
}

/// GitHub's JSON error body.
#[derive(Debug, Default, Deserialize)]
struct ErrorBody {
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    documentation_url: Option<String>,
    /// A 422's details: `{"resource", "field", "code", "message"}`.
    #[serde(default)]
    errors: Vec<serde_json::Value>,
}

/// One of a 422's `errors` in words: its `message`, else `FIELD CODE`.
fn detail(error: &serde_json::Value) -> Option<String> {
    if let Some(m) = error.get("message").and_then(|m| m.as_str()) {
        return Some(m.to_owned());
    }
    let field = error.get("field").and_then(|f| f.as_str());
    let code = error.get("code").and_then(|c| c.as_str())?;
    Some(match field {
        Some(f) => format!("{f} {code}"),
        None => code.to_owned(),
    })
}

/// The message of an error response: GitHub's `message` (with its documentation link), else the
/// start of the body, else the status's reason.
pub(crate) fn error_message(status: StatusCode, body: &str) -> String {
    let parsed: ErrorBody = serde_json::from_str(body).unwrap_or_default();
    let mut message = match parsed.message {
        Some(m) if !m.trim().is_empty() => m.trim().to_owned(),
        _ if !body.trim().is_empty() => body.trim().chars().take(200).collect(),
        _ => status.canonical_reason().unwrap_or("no message").to_owned(),
    };
    let details: Vec<String> = parsed.errors.iter().filter_map(detail).collect();
    if !details.is_empty() {
        message.push_str(&format!(": {}", details.join("; ")));
    }
    if let Some(url) = parsed.documentation_url {
        message.push_str(&format!(" (see {url})"));
    }
    message
}

fn header_u64(headers: &HeaderMap, name: &str) -> Option<u64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

/// What cawiz was doing when a call failed.
#[derive(Debug, Clone)]
pub(crate) struct Context {
    pub operation: String,
    pub repository: String,
    pub need: Need,
    pub token_sent: bool,
    pub base_url: String,
}

/// Classifies an error response. `now` (Unix seconds) turns a `retry-after` into a reset time.
pub(crate) fn classify(
    ctx: &Context,
    status: StatusCode,
    headers: &HeaderMap,
    message: String,
    now: u64,
) -> GithubError {
    let operation = ctx.operation.clone();
    let remaining = header_u64(headers, "x-ratelimit-remaining");
    let retry_after = header_u64(headers, "retry-after");
    let rate_limited = status == StatusCode::TOO_MANY_REQUESTS
        || (status == StatusCode::FORBIDDEN
            && (remaining == Some(0)
                || retry_after.is_some()
                || message.to_lowercase().contains("rate limit")));
    if rate_limited {
        let reset_at = retry_after
            .map(|s| now.saturating_add(s))
            .or_else(|| header_u64(headers, "x-ratelimit-reset"));
        return GithubError::RateLimited {
            operation,
            status: status.as_u16(),
            reset_at,
            message,
        };
    }
    match status {
        StatusCode::UNAUTHORIZED => GithubError::Unauthorized {
            operation,
            token_sent: ctx.token_sent,
            message,
        },
        StatusCode::FORBIDDEN => GithubError::Forbidden {
            operation,
            need: ctx.need,
            accepted: headers
                .get("x-accepted-github-permissions")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
                .filter(|v| !v.is_empty()),
            message,
        },
        StatusCode::NOT_FOUND => GithubError::NotFound {
            operation,
            repository: ctx.repository.clone(),
            message,
        },
        StatusCode::CONFLICT => GithubError::Conflict { operation, message },
        _ => GithubError::Other {
            operation,
            status: status.as_u16(),
            message,
        },
    }
}

impl GithubError {
    pub fn kind(&self) -> GithubErrorKind {
        match self {
            GithubError::Unauthorized { .. } => GithubErrorKind::Unauthorized,
            GithubError::Forbidden { .. } => GithubErrorKind::Forbidden,
            GithubError::RateLimited { .. } => GithubErrorKind::RateLimited,
            GithubError::NotFound { .. } => GithubErrorKind::NotFound,
            GithubError::Conflict { .. } => GithubErrorKind::Conflict,
            GithubError::Network { .. } => GithubErrorKind::Network,
            GithubError::InvalidConfig { .. } => GithubErrorKind::InvalidConfig,
            GithubError::Other { .. } => GithubErrorKind::Other,
        }
    }

    /// The HTTP status GitHub answered, when it answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            GithubError::Unauthorized { .. } => Some(401),
            GithubError::Forbidden { .. } => Some(403),
            GithubError::RateLimited { status, .. } | GithubError::Other { status, .. } => {
                Some(*status)
            }
            GithubError::NotFound { .. } => Some(404),
            GithubError::Conflict { .. } => Some(409),
            GithubError::Network { .. } | GithubError::InvalidConfig { .. } => None,
        }
    }

    /// What the user should try.
    pub fn fix(&self) -> String {
        match self {
            GithubError::Unauthorized {
                token_sent: false, ..
            } => "No GitHub token was found: run `gh auth login` (cawiz reads `gh auth token`), or set \
                  GITHUB_TOKEN (or GH_TOKEN) to a token for this repository."
                .to_owned(),
            GithubError::Unauthorized { .. } => {
                "The GitHub token is invalid, revoked or expired: run `gh auth login` again, or set \
                 GITHUB_TOKEN (or GH_TOKEN) to a fresh token."
                    .to_owned()
            }
            GithubError::Forbidden {
                need: Need::OrgRead,
                ..
            } => "Give the token the organization permission \"Administration: read\" (fine-grained \
                  token or GitHub App), or the `read:org` scope (classic token; with gh: `gh auth \
                  refresh -s read:org`)."
                .to_owned(),
            GithubError::Forbidden { need, accepted, .. } => {
                let mut fix = format!(
                    "Give the token the repository permission \"{}\" on this repository (fine-grained token \
                     or GitHub App), or the `repo` scope (classic token; with gh: `gh auth refresh -s repo`). \
                     Only repository admins can manage Actions variables and secrets.",
                    need.fine_grained()
                );
                if let Some(accepted) = accepted {
                    fix.push_str(&format!(" GitHub accepts: {accepted}."));
                }
                fix
            }
            GithubError::RateLimited { reset_at, .. } => format!(
                "Wait{} and re-check. Unauthenticated requests get only 60 an hour: set GITHUB_TOKEN or run \
                 `gh auth login`.",
                reset_text(*reset_at)
            ),
            GithubError::NotFound { repository, .. } => format!(
                "GitHub answers 404 both when {repository} does not exist and when the token cannot see it: \
                 check the owner and repository names (and the API URL for GitHub Enterprise), and that the \
                 token has access to this repository (a fine-grained token lists the repositories it may use)."
            ),
            GithubError::Conflict { .. } => {
                "It already exists: re-check to read the current value.".to_owned()
            }
            GithubError::Network { .. } => {
                "Check the network and proxy settings (HTTPS_PROXY), and for GitHub Enterprise the API URL \
                 `https://HOST/api/v3`; then re-check."
                    .to_owned()
            }
            GithubError::InvalidConfig { .. } => {
                "Use an API URL like https://api.github.com or, for GitHub Enterprise, https://HOST/api/v3."
                    .to_owned()
            }
            GithubError::Other { status, .. } if *status >= 500 => {
                "GitHub had an internal error: wait a moment and re-check (https://www.githubstatus.com)."
                    .to_owned()
            }
            GithubError::Other { .. } => {
                "Re-check; if it persists, run again with RUST_LOG=debug to see each request on stderr (tokens are never logged).".to_owned()
            }
        }
    }
}

impl fmt::Display for Need {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.fine_grained())
    }
}

#[cfg(test)]
mod tests;
