//! GitHub REST: the Actions variables (`variables.rs`: the repository's, its environments' and
//! the ones its organisation shares with it) and secrets of a repository, its ids and its OIDC
//! subject claim format, its files, refs and pull requests (`contents.rs`). The API base URL is configurable (GitHub Enterprise, tests). The token is sent only as the
//! `Authorization` header and never appears in an error or in `Debug` output.

mod actions;
mod contents;
mod error;
pub mod levels;
mod pages;
mod refs;
mod secret;
mod secret_names;
mod token;
mod transport;
mod types;
mod variables;

use std::fmt;
use std::time::Duration;

use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::listing::Listed;

pub use actions::{Release, Run, RunFilter, RunJob, RunStep};
pub use contents::{Committed, PullRequest, RemoteFile};
pub use error::{GithubError, GithubErrorKind, Need};
pub use levels::{ActionsVariables, Found, Level, Lookup};
pub use secret::{BadPublicKey, SecretsPublicKey, seal_secret};
pub use token::{GH_TIMEOUT, TokenSource, token_from, token_from_env};
pub use types::{OrgSubjectClaim, Repository, SetOutcome, SubjectClaim, Variable};

use error::Context;

/// github.com's API.
pub const DEFAULT_API_URL: &str = "https://api.github.com";
/// The REST API version cawiz is written against.
pub const API_VERSION: &str = "2022-11-28";
/// Items per page of the Actions variables' lists (GitHub's maximum, `variables-per-page`).
pub const VARIABLES_PER_PAGE: usize = 30;
/// Items per page of the Actions secrets' list (GitHub's maximum).
pub const SECRETS_PER_PAGE: usize = 100;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The API base URL for a GitHub host: `https://api.github.com` for github.com, else GitHub
/// Enterprise Server's `https://HOST/api/v3`.
pub fn api_url_for_host(host: &str) -> String {
    match host.trim().to_lowercase().as_str() {
        "github.com" | "www.github.com" | "api.github.com" => DEFAULT_API_URL.to_owned(),
        host => format!("https://{host}/api/v3"),
    }
}

/// The host `gh auth token --hostname` knows the API URL's token by: `github.com` for
/// `https://api.github.com`, `HOST` for GitHub Enterprise's `https://HOST/api/v3` (with its port
/// when it has one). `None` when the URL does not parse.
pub fn gh_hostname(api_url: &str) -> Option<String> {
    let url = reqwest::Url::parse(api_url.trim()).ok()?;
    let host = url.host_str()?.to_lowercase();
    if host == "api.github.com" {
        return Some("github.com".to_owned());
    }
    Some(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    })
}

/// The token, kept out of `Debug` output.
#[derive(Clone)]
struct Token(String);

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(***)")
    }
}

/// A GitHub REST client for one API base URL and (optionally) one token. Its clones share one
/// [`transport::Transport`]: a handful of requests in flight, identical GETs in flight merged.
#[derive(Clone)]
pub struct GithubClient {
    http: reqwest::Client,
    base_url: String,
    token: Option<Token>,
    transport: transport::Transport,
}

impl fmt::Debug for GithubClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GithubClient")
            .field("base_url", &self.base_url)
            .field("token", &self.token.as_ref().map(|_| "***"))
            .finish_non_exhaustive()
    }
}

fn segment(s: &str) -> String {
    urlencoding::encode(s).into_owned()
}

/// `/repos/OWNER/REPO`, each part URL-encoded: the start of every path cawiz calls.
fn repo_path(owner: &str, repo: &str) -> String {
    format!("/repos/{}/{}", segment(owner), segment(repo))
}

impl GithubClient {
    /// A client for `base_url` (`https://api.github.com`, `https://HOST/api/v3`, or a test server).
    pub fn new(base_url: &str, token: Option<String>) -> Result<Self, GithubError> {
        let base_url = base_url.trim().trim_end_matches('/').to_owned();
        let invalid = |message: String| GithubError::InvalidConfig { message };
        let url = reqwest::Url::parse(&base_url)
            .map_err(|e| invalid(format!("API URL {base_url:?}: {e}")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(invalid(format!("API URL {base_url:?} is not http(s)")));
        }
        if url.scheme() == "http" && !crate::endpoint::is_loopback(&url) {
            return Err(invalid(format!(
                "API URL {base_url} is plain http, so the token would cross the network in clear: {}",
                crate::endpoint::RULE
            )));
        }
        let token = token.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
        let mut headers = HeaderMap::new();
        headers.insert(
            ACCEPT,
            HeaderValue::from_static("application/vnd.github+json"),
        );
        headers.insert(
            "x-github-api-version",
            HeaderValue::from_static(API_VERSION),
        );
        if let Some(t) = &token {
            let mut value = HeaderValue::from_str(&format!("Bearer {t}")).map_err(|_| {
                invalid("the token holds characters an HTTP header cannot carry".to_owned())
            })?;
            value.set_sensitive(true);
            headers.insert(AUTHORIZATION, value);
        }
        let http = reqwest::Client::builder()
            .user_agent(concat!("cawiz/", env!("CARGO_PKG_VERSION")))
            .default_headers(headers)
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .build()
            .map_err(|e| invalid(format!("cannot build the HTTP client: {e}")))?;
        Ok(Self {
            http,
            base_url,
            token: token.map(Token),
            transport: transport::Transport::default(),
        })
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub fn has_token(&self) -> bool {
        self.token.is_some()
    }

    fn ctx(&self, operation: String, owner: &str, repo: &str, need: Need) -> Context {
        Context {
            operation,
            repository: format!("{owner}/{repo}"),
            need,
            token_sent: self.token.is_some(),
            base_url: self.base_url.clone(),
        }
    }

    /// Replaces the token wherever it appears (a proxy or server echoing it back).
    fn scrub(&self, text: String) -> String {
        match &self.token {
            Some(Token(t)) if text.contains(t.as_str()) => text.replace(t.as_str(), "***"),
            _ => text,
        }
    }

    /// Sends one request; a 2xx answer's status and body, else the classified error.
    async fn send(
        &self,
        ctx: &Context,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<(StatusCode, String), GithubError> {
        let url = format!("{}{path}", self.base_url);
        let answer = match body {
            None if method == Method::GET => self.transport.get(&self.http, &url).await,
            None => {
                let request = self.http.request(method.clone(), &url);
                self.transport.send(request).await
            }
            Some(body) => {
                let request = self.http.request(method.clone(), &url).json(body);
                self.transport.send(request).await
            }
        };
        let (status, headers, text) = answer.map_err(|message| GithubError::Network {
            operation: ctx.operation.clone(),
            base_url: ctx.base_url.clone(),
            message: self.scrub(message),
        })?;
        tracing::debug!(%method, %url, status = status.as_u16(), "GitHub API call");
        if status.is_success() {
            return Ok((status, text));
        }
        let message = self.scrub(error::error_message(status, &text));
        Err(error::classify(
            ctx,
            status,
            &headers,
            message,
            crate::state::now_secs(),
        ))
    }

    async fn get_json<T: DeserializeOwned>(
        &self,
        ctx: &Context,
        path: &str,
    ) -> Result<T, GithubError> {
        let (status, text) = self.send(ctx, Method::GET, path, None).await?;
        serde_json::from_str(&text).map_err(|e| unexpected(ctx, status, &e))
    }

    /// The repository's OIDC subject claim customization.
    pub async fn oidc_subject_prefix(
        &self,
        owner: &str,
        repo: &str,
    ) -> Result<SubjectClaim, GithubError> {
        let ctx = self.ctx(
            format!("read the OIDC subject claim format of {owner}/{repo}"),
            owner,
            repo,
            Need::ActionsRead,
        );
        let path = format!("{}/actions/oidc/customization/sub", repo_path(owner, repo));
        let (status, text) = self.send(&ctx, Method::GET, &path, None).await?;
        SubjectClaim::parse(&text).map_err(|e| unexpected(&ctx, status, &e))
    }

    /// The organisation's OIDC subject template (repositories that opt out of the default without
    /// keys of their own use it).
    pub async fn org_subject_claim(&self, org: &str) -> Result<OrgSubjectClaim, GithubError> {
        let ctx = self.ctx(
            format!("read the OIDC subject template of the organisation {org}"),
            org,
            "",
            Need::OrgRead,
        );
        let path = format!("/orgs/{}/actions/oidc/customization/sub", segment(org));
        let (status, text) = self.send(&ctx, Method::GET, &path, None).await?;
        OrgSubjectClaim::parse(&text).map_err(|e| unexpected(&ctx, status, &e))
    }

    /// The repository's names and ids.
    pub async fn get_repository(&self, owner: &str, repo: &str) -> Result<Repository, GithubError> {
        let ctx = self.ctx(
            format!("read the repository {owner}/{repo}"),
            owner,
            repo,
            Need::Metadata,
        );
        let path = repo_path(owner, repo);
        let (status, text) = self.send(&ctx, Method::GET, &path, None).await?;
        Repository::parse(&text).map_err(|e| unexpected(&ctx, status, &e))
    }

    /// The names of the repository's Actions secrets (values are never readable), every page.
    pub async fn list_secret_names(
        &self,
        owner: &str,
        repo: &str,
    ) -> Result<Listed<String>, GithubError> {
        #[derive(Deserialize)]
        struct Secret {
            name: String,
        }
        let ctx = self.ctx(
            format!("list the Actions secrets of {owner}/{repo}"),
            owner,
            repo,
            Need::SecretsRead,
        );
        let path = format!("{}/actions/secrets", repo_path(owner, repo));
        let secrets: Listed<Secret> = self
            .list_pages(
                &ctx,
                "actions/list-repo-secrets",
                &path,
                "secrets",
                SECRETS_PER_PAGE,
            )
            .await?;
        Ok(secrets.map(|s| s.name))
    }
}

fn unexpected(ctx: &Context, status: StatusCode, e: &dyn fmt::Display) -> GithubError {
    GithubError::Other {
        operation: ctx.operation.clone(),
        status: status.as_u16(),
        message: format!("unexpected response: {e}"),
    }
}

#[cfg(test)]
mod tests;
