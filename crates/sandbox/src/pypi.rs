//! The PyPI endpoint of each CodeArtifact repository:
//! `{base_url}/{domain}-{owner}/pypi/{repo}/`, as `GetRepositoryEndpoint(format=pypi)` returns it.
//!
//! - `GET …/simple/` and `GET …/simple/<project>/` — the PEP 503 simple index (`PypiSimple`);
//! - `GET …/simple/<project>/<version>/<filename>` — a file, as real CodeArtifact lays them out
//!   (`PypiDownload`);
//! - `POST …/` — twine's legacy upload API (`PypiUpload`).
//!
//! Every request needs HTTP Basic auth with user `aws` and a token from GetAuthorizationToken for
//! the domain in the path; anything else is a `401` with a `WWW-Authenticate` challenge. Unknown
//! domains, repositories and projects are `404`. Errors are plain text.

mod index;
#[cfg(test)]
mod tests;
mod upload;

use axum::body::Bytes;
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::Response;

use super::Shared;
use super::codeartifact::{is_account_id, is_domain_name};
use super::protocol::{ApiError, ApiResult, Wire, error_response};
use super::registry::token::{self, holder_allows};
use super::world::{Domain, Holder, World};

/// The realm of the Basic challenge sent with every `401`.
pub const REALM: &str = "cawiz-sandbox";

/// A request path on the PyPI endpoint, split into its parts (segments percent-decoded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PypiPath {
    pub domain: String,
    pub owner: String,
    /// `None` for `/{domain}-{owner}/pypi/` with nothing after it.
    pub repo: Option<String>,
    /// The segments after the repository, without empty ones.
    pub rest: Vec<String>,
    /// Whether the path ends with `/`.
    pub trailing_slash: bool,
}

impl PypiPath {
    pub fn parse(path: &str) -> Option<Self> {
        let trimmed = path.strip_prefix('/')?;
        let mut segments = trimmed.split('/');
        let (domain, owner) = segments.next()?.rsplit_once('-')?;
        if !is_domain_name(domain) || !is_account_id(owner) || segments.next()? != "pypi" {
            return None;
        }
        let decoded = super::protocol::path_segments(segments);
        let mut decoded = decoded.into_iter();
        Some(Self {
            domain: domain.to_owned(),
            owner: owner.to_owned(),
            repo: decoded.next(),
            rest: decoded.collect(),
            trailing_slash: path.ends_with('/'),
        })
    }
}

/// Whether a path belongs to the PyPI endpoint (`/{domain}-{12 digits}/pypi/…`). CodeArtifact API
/// paths (`/v1/…`) never match.
pub fn is_pypi_path(path: &str) -> bool {
    PypiPath::parse(path).is_some()
}

/// The operation a request on the PyPI endpoint performs, or `None` if it is not one.
pub fn operation(method: &Method, path: &str) -> Option<&'static str> {
    let p = PypiPath::parse(path)?;
    p.repo.as_ref()?;
    let read = *method == Method::GET || *method == Method::HEAD;
    match p.rest.as_slice() {
        [first, _, _, _] if read && first == "simple" => Some("PypiDownload"),
        // Any other read under a repository is an index read; unknown pages are 404s.
        _ if read => Some("PypiSimple"),
        [] if *method == Method::POST => Some("PypiUpload"),
        _ => None,
    }
}

pub async fn handle(
    shared: &Shared,
    operation: &str,
    parts: &Parts,
    body: Bytes,
) -> ApiResult<Response> {
    let path = PypiPath::parse(parts.uri.path()).ok_or_else(|| not_found("not a PyPI path"))?;
    let (repo, holder) = {
        let world = shared.world();
        let holder = match credentials(parts)
            .ok_or_else(|| {
                "this repository needs HTTP Basic auth with user 'aws' and a CodeArtifact authorization token"
                    .to_owned()
            })
            .and_then(|token| authorize(&world, &token, &path))
        {
            Ok(holder) => holder,
            Err(message) => return Ok(bad_token(shared, &message)),
        };
        let domain = find_domain(&world, &path)?;
        let repo = path.repo.clone().unwrap_or_default();
        if !domain.repositories.contains_key(&repo) {
            return Err(not_found(&format!(
                "Repository {repo} not found in domain {}",
                domain.name
            )));
        }
        (repo, holder)
    };
    let allowed =
        |action: &str, resource: String| holder_allows(&shared.world(), &holder, action, resource);
    let base = format!("arn:aws:codeartifact:{{region}}:{}", path.owner);
    match operation {
        "PypiSimple" | "PypiDownload" => {
            let arn = format!("{base}:repository/{}/{repo}", path.domain);
            allowed("codeartifact:ReadFromRepository", arn)?;
            if operation == "PypiSimple" {
                index::simple(shared, &path, &repo)
            } else {
                index::download(shared, &path, &repo)
            }
        }
        "PypiUpload" => {
            let form = upload::parse_form(parts, body).await?;
            let name = crate::world::normalize_name(form.project().unwrap_or_default());
            let arn = format!("{base}:package/{}/{repo}/pypi//{name}", path.domain);
            allowed("codeartifact:PublishPackageVersion", arn)?;
            let version = form.fields.get("version").map(|v| v.trim().to_owned());
            let (response, outgoing) = {
                let mut world = shared.world();
                let now = world.now();
                let domain = find_domain_mut(&mut world, &path)?;
                let created = !has_version(domain, &repo, &name, version.as_deref());
                let response = upload::store(domain, &repo, form, now)?;
                let outgoing = announce(
                    &mut world,
                    &shared.base_url,
                    &path,
                    &repo,
                    &name,
                    version.as_deref(),
                    created,
                );
                (response, outgoing)
            };
            crate::sns::send_all(outgoing);
            Ok(response)
        }
        other => Err(not_found(&format!("{other} is not a PyPI operation"))),
    }
}

/// A distribution twine uploads from inside the sandbox (an Actions run).
pub struct LocalUpload<'a> {
    /// The sandbox's URL (the links in SNS messages point at it).
    pub base_url: &'a str,
    /// The path of the repository's endpoint (`/DOMAIN-OWNER/pypi/REPO/`).
    pub path: &'a str,
    pub username: &'a str,
    pub token: &'a str,
    pub name: &'a str,
    pub version: &'a str,
    pub filename: &'a str,
    pub bytes: Vec<u8>,
}

/// The legacy upload as over HTTP, on the world: Basic credentials, the role session's right to
/// publish, origin controls, conflicts. `Err` carries the status the endpoint would answer.
pub fn upload_local(world: &mut World, up: LocalUpload<'_>) -> ApiResult<()> {
    let path = PypiPath::parse(up.path).ok_or_else(|| not_found("not a PyPI path"))?;
    let unauthorized = |m: String| error(StatusCode::UNAUTHORIZED, "Unauthorized", m);
    if up.username != "aws" {
        return Err(unauthorized(format!(
            "user {:?} is not 'aws': CodeArtifact takes user 'aws' and an authorization token",
            up.username
        )));
    }
    let holder = authorize(world, up.token, &path).map_err(unauthorized)?;
    let repo = path.repo.clone().unwrap_or_default();
    if !find_domain(world, &path)?.repositories.contains_key(&repo) {
        return Err(not_found(&format!(
            "Repository {repo} not found in domain {}",
            path.domain
        )));
    }
    let name = crate::world::normalize_name(up.name);
    let arn = format!(
        "arn:aws:codeartifact:{{region}}:{}:package/{}/{repo}/pypi//{name}",
        path.owner, path.domain
    );
    holder_allows(world, &holder, "codeartifact:PublishPackageVersion", arn)?;
    let now = world.now();
    let domain = find_domain_mut(world, &path)?;
    let created = !has_version(domain, &repo, &name, Some(up.version));
    let sha256 = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&up.bytes));
    let form = upload::Form {
        fields: [
            (":action", "file_upload"),
            ("protocol_version", "1"),
            ("metadata_version", "2.1"),
            ("name", up.name),
            ("version", up.version),
            ("filetype", "bdist_wheel"),
            ("pyversion", "py3"),
            ("sha256_digest", sha256.as_str()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect(),
        content: Some((up.filename.to_owned(), Bytes::from(up.bytes))),
    };
    upload::store(domain, &repo, form, now)?;
    let outgoing = announce(
        world,
        up.base_url,
        &path,
        &repo,
        &name,
        Some(up.version),
        created,
    );
    crate::sns::send_all(outgoing);
    Ok(())
}

/// Whether `repo` already holds `version` of the (normalised) package `name`.
fn has_version(domain: &Domain, repo: &str, name: &str, version: Option<&str>) -> bool {
    domain
        .repositories
        .get(repo)
        .and_then(|r| r.packages.get(name))
        .zip(version)
        .is_some_and(|(p, v)| p.versions.contains_key(v))
}

/// CodeArtifact's event for a version just stored: the SNS messages it causes.
fn announce(
    world: &mut World,
    base_url: &str,
    path: &PypiPath,
    repo: &str,
    name: &str,
    version: Option<&str>,
    created: bool,
) -> Vec<crate::sns::Outgoing> {
    let Some(version) = version else {
        return Vec::new();
    };
    let change = crate::codeartifact::notify::Change {
        domain: &path.domain,
        repository: repo,
        format: "pypi",
        namespace: None,
        package: name,
        version,
        created,
    };
    crate::codeartifact::notify::emit(world, base_url, &change)
}

/// Checks a token (the password of `aws:TOKEN`) for the domain in the path: who obtained it, or
/// the reason for the 401 body.
fn authorize(world: &World, token: &str, path: &PypiPath) -> Result<Holder, String> {
    token::authorize(world, token, &path.domain, &path.owner)
}

/// The token from `Authorization: Basic base64(aws:TOKEN)` (or `Bearer TOKEN`, which CodeArtifact
/// also accepts).
pub fn credentials(parts: &Parts) -> Option<String> {
    use base64::Engine as _;
    let header = parts.headers.get("authorization")?.to_str().ok()?.trim();
    let (scheme, value) = header.split_once(' ')?;
    let value = value.trim();
    if scheme.eq_ignore_ascii_case("bearer") {
        return Some(value.to_owned());
    }
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(value)
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, token) = text.split_once(':')?;
    (user == "aws" && !token.is_empty()).then(|| token.to_owned())
}

fn find_domain<'w>(world: &'w World, path: &PypiPath) -> ApiResult<&'w Domain> {
    world
        .domains
        .get(&path.domain)
        .filter(|d| d.owner == path.owner)
        .ok_or_else(|| domain_not_found(path))
}

fn find_domain_mut<'w>(world: &'w mut World, path: &PypiPath) -> ApiResult<&'w mut Domain> {
    world
        .domains
        .get_mut(&path.domain)
        .filter(|d| d.owner == path.owner)
        .ok_or_else(|| domain_not_found(path))
}

fn domain_not_found(path: &PypiPath) -> ApiError {
    not_found(&format!(
        "Domain {} not found in account {}",
        path.domain, path.owner
    ))
}

/// An error with an explicit HTTP status (the PyPI endpoint's codes are not AWS error codes).
pub fn error(status: StatusCode, code: &str, message: impl Into<String>) -> ApiError {
    ApiError {
        status,
        code: code.to_owned(),
        message: message.into(),
    }
}

pub fn not_found(message: &str) -> ApiError {
    error(StatusCode::NOT_FOUND, "NotFound", message)
}

/// `401` with the Basic challenge pip and twine react to.
/// The answer to a missing, wrong or expired token: 401 with a challenge, or — as CodeArtifact
/// sometimes answers instead — the status of a `PypiBadToken=STATUS` fault (e.g. 404).
fn bad_token(shared: &Shared, message: &str) -> Response {
    bad_token_for(shared, "PypiBadToken", message)
}

/// The answer to a bad token on any format's endpoint: 401, or the status of the `fault`
/// (`PypiBadToken=404`, `NpmBadToken=404`) when one is injected.
pub(crate) fn bad_token_for(shared: &Shared, fault: &str, message: &str) -> Response {
    let instead = shared
        .faults
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .decide_named(fault)
        .and_then(|code| code.parse::<u16>().ok())
        .and_then(|status| StatusCode::from_u16(status).ok());
    match instead {
        Some(status) => error_response(Wire::Plain, &error(status, "NotFound", "Not Found")),
        None => unauthorized(message),
    }
}

fn unauthorized(message: &str) -> Response {
    let mut response = error_response(
        Wire::Plain,
        &error(StatusCode::UNAUTHORIZED, "Unauthorized", message),
    );
    let challenge = format!("Basic realm=\"{REALM}\"");
    if let Ok(v) = HeaderValue::from_str(&challenge) {
        response.headers_mut().insert("www-authenticate", v);
    }
    response
}
