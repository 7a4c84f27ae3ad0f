//! The npm endpoint of each CodeArtifact repository: `{base_url}/{domain}-{owner}/npm/{repo}/`,
//! as `GetRepositoryEndpoint(format=npm)` returns it.
//!
//! - `GET …/NAME` — the packument, a scoped name as `@scope%2fname` (npm's spelling) or
//!   `@scope/name` (`NpmPackument`);
//! - `GET …/NAME/-/FILE.tgz` — a tarball (`NpmTarball`);
//! - `PUT …/NAME` — `npm publish`: the document with base64 `_attachments` and `dist-tags`
//!   (`NpmPublish`);
//! - `GET …/-/ping` — `npm ping`: `{}` once the token may read the repository (`NpmPing`);
//! - `GET …/-/whoami` — a 404: `whoami` is among the npm commands CodeArtifact does not support.
//!
//! The token is npm's `Authorization: Bearer TOKEN` (from `//host/path/:_authToken=`), or Basic
//! `aws:TOKEN`; a missing, wrong or expired one is a 401 (or, with the fault `NpmBadToken=404`,
//! the 404 CodeArtifact sometimes answers instead). Role sessions need `ReadFromRepository` on the
//! repository for reads and `PublishPackageVersion` on `package/D/R/npm/SCOPE/NAME` (unscoped:
//! `package/D/R/npm//NAME`) to publish; other accounts' administrators what the resource policies
//! grant (`registry::token`, as on the PyPI endpoint). A stored publish emits CodeArtifact's
//! EventBridge event (`packageFormat` `npm`, `packageNamespace` the scope without `@`).

pub mod digest;
pub mod public;
pub mod publish;
pub mod store;

use axum::body::Bytes;
use axum::http::request::Parts;
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::Shared;
use crate::codeartifact::notify::{self, Change};
use crate::codeartifact::{is_account_id, is_domain_name};
use crate::protocol::{ApiResult, path_segments};
use crate::pypi::{self, not_found};
use crate::registry::token;

/// A request path on the npm endpoint (segments percent-decoded: `@scope%2fname` is one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NpmPath {
    pub domain: String,
    pub owner: String,
    pub repo: Option<String>,
    pub rest: Vec<String>,
}

impl NpmPath {
    pub fn parse(path: &str) -> Option<Self> {
        let mut segments = path.strip_prefix('/')?.split('/');
        let (domain, owner) = segments.next()?.rsplit_once('-')?;
        if !is_domain_name(domain) || !is_account_id(owner) || segments.next()? != "npm" {
            return None;
        }
        let mut decoded = path_segments(segments).into_iter();
        Some(Self {
            domain: domain.to_owned(),
            owner: owner.to_owned(),
            repo: decoded.next(),
            rest: decoded.collect(),
        })
    }

    /// The package named by the path and what follows it: `["@s/n", …]`, `["@s", "n", …]` or
    /// `["n", …]`.
    pub fn package(&self) -> Option<(String, &[String])> {
        let first = self.rest.first()?;
        if first.starts_with('-') {
            return None;
        }
        if first.starts_with('@') && !first.contains('/') {
            let second = self.rest.get(1)?;
            return Some((format!("{first}/{second}"), &self.rest[2..]));
        }
        Some((first.clone(), &self.rest[1..]))
    }
}

/// Whether a path belongs to an npm endpoint (`/{domain}-{12 digits}/npm/…`).
pub fn is_npm_path(path: &str) -> bool {
    NpmPath::parse(path).is_some()
}

/// The operation a request on the npm endpoint performs, or `None` if it is not one.
pub fn operation(method: &Method, path: &str) -> Option<&'static str> {
    let p = NpmPath::parse(path)?;
    p.repo.as_ref()?;
    let read = *method == Method::GET || *method == Method::HEAD;
    let rest: Vec<&str> = p.rest.iter().map(String::as_str).collect();
    match rest.as_slice() {
        ["-", "ping"] if read => return Some("NpmPing"),
        ["-", "whoami"] if read => return Some("NpmWhoami"),
        _ => {}
    }
    let (_, tail) = p.package()?;
    match tail {
        [] if read => Some("NpmPackument"),
        [] if *method == Method::PUT => Some("NpmPublish"),
        [dash, _] if read && dash == "-" => Some("NpmTarball"),
        _ => None,
    }
}

pub fn handle(shared: &Shared, operation: &str, parts: &Parts, body: Bytes) -> ApiResult<Response> {
    let path = NpmPath::parse(parts.uri.path()).ok_or_else(|| not_found("not an npm path"))?;
    let repo = path.repo.clone().unwrap_or_default();
    let holder = {
        let world = shared.world();
        let checked = pypi::credentials(parts)
            .ok_or_else(|| {
                "this repository needs a CodeArtifact authorization token (npm's _authToken)"
                    .to_owned()
            })
            .and_then(|token| token::authorize(&world, &token, &path.domain, &path.owner));
        let holder = match checked {
            Ok(holder) => holder,
            Err(message) => return Ok(pypi::bad_token_for(shared, "NpmBadToken", &message)),
        };
        let domain = world
            .domains
            .get(&path.domain)
            .filter(|d| d.owner == path.owner)
            .ok_or_else(|| not_found(&format!("Domain {} not found", path.domain)))?;
        if !domain.repositories.contains_key(&repo) {
            return Err(not_found(&format!(
                "Repository {repo} not found in domain {}",
                domain.name
            )));
        }
        holder
    };
    let allowed = |action: &str, resource: String| {
        token::holder_allows(&shared.world(), &holder, action, resource)
    };
    let base = format!("arn:aws:codeartifact:{{region}}:{}", path.owner);
    let repo_arn = format!("{base}:repository/{}/{repo}", path.domain);
    let full = path.package().map(|(full, _)| full).unwrap_or_default();
    match operation {
        "NpmPing" => {
            allowed("codeartifact:ReadFromRepository", repo_arn)?;
            Ok(json_response(StatusCode::OK, &json!({})))
        }
        "NpmWhoami" => Err(not_found(
            "npm whoami is not supported by CodeArtifact repositories",
        )),
        "NpmPackument" => {
            allowed("codeartifact:ReadFromRepository", repo_arn)?;
            let world = shared.world();
            let domain = world
                .domains
                .get(&path.domain)
                .ok_or_else(|| not_found(""))?;
            let found = store::visible(domain, &shared.public_npm, &repo, &full);
            let endpoint = endpoint(shared, &path, &repo);
            let doc = store::packument(domain, &found, &full, &endpoint)
                .ok_or_else(|| not_found(&format!("{full} not found in repository {repo}")))?;
            Ok(json_response(StatusCode::OK, &doc))
        }
        "NpmTarball" => {
            allowed("codeartifact:ReadFromRepository", repo_arn)?;
            let file = path.rest.last().cloned().unwrap_or_default();
            let mut world = shared.world();
            let now = world.now();
            let domain = world
                .domains
                .get_mut(&path.domain)
                .ok_or_else(|| not_found(""))?;
            let bytes = store::tarball(domain, &shared.public_npm, &repo, &full, &file, now)?;
            Ok((
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/octet-stream")],
                bytes.to_vec(),
            )
                .into_response())
        }
        "NpmPublish" => {
            let (scope, name) = crate::world::npm::split_name(&full);
            let arn = format!(
                "{base}:package/{}/{repo}/npm/{}/{name}",
                path.domain,
                scope.unwrap_or_default()
            );
            allowed("codeartifact:PublishPackageVersion", arn)?;
            let publish = publish::parse_publish(&full, &body)?;
            let version = publish.version.clone();
            let (answer, outgoing) = {
                let mut world = shared.world();
                let now = world.now();
                let domain = world
                    .domains
                    .get_mut(&path.domain)
                    .ok_or_else(|| not_found(""))?;
                let answer = publish::store(domain, &repo, &full, publish, now)?;
                let change = Change {
                    domain: &path.domain,
                    repository: &repo,
                    format: "npm",
                    namespace: scope,
                    package: name,
                    version: &version,
                    created: true,
                };
                (answer, notify::emit(&mut world, &shared.base_url, &change))
            };
            crate::sns::send_all(outgoing);
            Ok(json_response(StatusCode::OK, &answer))
        }
        other => Err(not_found(&format!("{other} is not an npm operation"))),
    }
}

/// The repository's npm endpoint URL, with its trailing slash.
fn endpoint(shared: &Shared, path: &NpmPath, repo: &str) -> String {
    format!(
        "{}/{}-{}/npm/{repo}/",
        shared.base_url, path.domain, path.owner
    )
}

fn json_response(status: StatusCode, body: &serde_json::Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

#[cfg(test)]
mod tests;
