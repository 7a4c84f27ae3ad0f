//! twine's legacy upload API: a `multipart/form-data` POST to the repository endpoint with
//! `:action=file_upload`, `name`, `version`, `content` (the file) and optional digests and metadata.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::SystemTime;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest as _, Multipart, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use sha2::{Digest as _, Sha256};

use super::{error, not_found};
use crate::protocol::{ApiError, ApiResult};
use crate::world::{
    Domain, OriginEntry, Package, PackageFile, PackageVersion, aws_id, normalize_name,
};

/// What an upload request carried.
#[derive(Debug, Clone, Default)]
pub struct Form {
    /// Text fields (the last value wins for repeated ones such as `classifiers`).
    pub fields: BTreeMap<String, String>,
    /// The `content` field: file name and bytes.
    pub content: Option<(String, Bytes)>,
}

impl Form {
    /// The project the upload is for (its `name` field), before validation.
    pub fn project(&self) -> Option<&str> {
        self.field("name")
    }

    fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .get(name)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }
}

fn bad_request(message: impl Into<String>) -> ApiError {
    error(StatusCode::BAD_REQUEST, "BadRequest", message)
}

/// Reads the multipart body (already in memory) with the request's own headers and body limit.
pub async fn parse_form(parts: &Parts, body: Bytes) -> ApiResult<Form> {
    let request = Request::from_parts(parts.clone(), Body::from(body));
    let mut multipart = Multipart::from_request(request, &())
        .await
        .map_err(|e| bad_request(format!("expected a multipart/form-data upload: {e}")))?;
    let mut form = Form::default();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| bad_request(format!("malformed multipart body: {e}")))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let data = field
            .bytes()
            .await
            .map_err(|e| bad_request(format!("malformed multipart field {name:?}: {e}")))?;
        match (name.as_str(), file_name) {
            ("content", Some(file_name)) => form.content = Some((file_name, data)),
            ("content", None) => return Err(bad_request("the content field must be a file")),
            _ => {
                form.fields
                    .insert(name, String::from_utf8_lossy(&data).into_owned());
            }
        }
    }
    Ok(form)
}

/// A validated upload.
#[derive(Debug, Clone, PartialEq)]
pub struct Upload {
    pub name: String,
    pub version: String,
    pub summary: Option<String>,
    pub filename: String,
    pub sha256: String,
    pub bytes: Bytes,
}

/// Checks an upload form: action, name and version, a file named for them, matching digest.
pub fn validate(form: Form) -> ApiResult<Upload> {
    match form.field(":action") {
        Some("file_upload") => {}
        Some(other) => return Err(bad_request(format!("unsupported :action {other:?}"))),
        None => return Err(bad_request("missing :action (expected file_upload)")),
    }
    let name = form
        .field("name")
        .ok_or_else(|| bad_request("missing field: name"))?
        .to_owned();
    if !is_project_name(&name) {
        return Err(bad_request(format!(
            "invalid project name {name:?}: use letters, digits, '.', '_' and '-', starting and ending with a letter or digit"
        )));
    }
    let version = form
        .field("version")
        .ok_or_else(|| bad_request("missing field: version"))?
        .to_owned();
    if !version
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '!' | '_' | '-'))
    {
        return Err(bad_request(format!("invalid version {version:?}")));
    }
    let summary = form.field("summary").map(str::to_owned);
    let expected = form.field("sha256_digest").map(str::to_ascii_lowercase);
    let (filename, bytes) = form
        .content
        .ok_or_else(|| bad_request("missing file: content"))?;
    if bytes.is_empty() {
        return Err(bad_request(format!("{filename} is empty")));
    }
    if !filename_matches(&filename, &name, &version) {
        return Err(bad_request(format!(
            "{filename:?} is not a wheel (.whl) or sdist (.tar.gz, .zip) of {name} {version}"
        )));
    }
    let sha256 = hex::encode(Sha256::digest(&bytes));
    if let Some(expected) = expected
        && expected != sha256
    {
        return Err(bad_request(format!(
            "sha256_digest {expected} does not match the uploaded file ({sha256})"
        )));
    }
    Ok(Upload {
        name,
        version,
        summary,
        filename,
        sha256,
        bytes,
    })
}

/// PEP 508 project names: `[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?`.
pub fn is_project_name(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty()
        && b.len() <= 200
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'))
}

/// Whether `filename` is a wheel (`{name}-{version}(-{build})?-{py}-{abi}-{platform}.whl`) or an
/// sdist (`{name}-{version}.tar.gz` / `.zip`) of this project and version (names compared
/// normalised, versions as given, case-insensitively).
pub fn filename_matches(filename: &str, name: &str, version: &str) -> bool {
    if filename.contains(['/', '\\']) || filename.starts_with('.') {
        return false;
    }
    let same_version = |v: &str| v.eq_ignore_ascii_case(version);
    let same_name = |n: &str| normalize_name(n) == normalize_name(name);
    if let Some(stem) = filename.strip_suffix(".whl") {
        let parts: Vec<&str> = stem.split('-').collect();
        return matches!(parts.len(), 5 | 6)
            && same_name(parts[0])
            && same_version(parts[1])
            && parts[parts.len() - 3..].iter().all(|p| !p.is_empty());
    }
    let stem = filename
        .strip_suffix(".tar.gz")
        .or_else(|| filename.strip_suffix(".zip"));
    match stem.and_then(|s| s.rsplit_once('-')) {
        Some((n, v)) => same_name(n) && same_version(v),
        None => false,
    }
}

/// Stores an upload in `repo`, as PublishPackageVersion would: `INTERNAL`, entered through this
/// repository. A file already there, or any file of a version that is not `Published` here (an
/// Unlisted, Archived or Disposed version is still present: it cannot be re-published) or that
/// came from upstream, is a 409; a package whose origin controls block publishing (it came from an
/// upstream) is a 403.
pub fn store(domain: &mut Domain, repo: &str, form: Form, now: SystemTime) -> ApiResult<Response> {
    let upload = validate(form)?;
    let domain_name = domain.name.clone();
    let r = domain.repositories.get_mut(repo).ok_or_else(|| {
        not_found(&format!(
            "Repository {repo} not found in domain {domain_name}"
        ))
    })?;
    let normalized = normalize_name(&upload.name);
    let package = r
        .packages
        .entry(normalized.clone())
        .or_insert_with(|| Package {
            name: normalized.clone(),
            publish: "ALLOW".to_owned(),
            upstream: "BLOCK".to_owned(),
            versions: BTreeMap::new(),
        });
    if package.publish == "BLOCK" {
        return Err(error(
            StatusCode::FORBIDDEN,
            "AccessDeniedException",
            format!(
                "Publishing {normalized} to {repo} is blocked by its package origin controls (publish=BLOCK: the package came from an upstream repository or public PyPI)"
            ),
        ));
    }
    let file = PackageFile {
        filename: upload.filename.clone(),
        sha256: upload.sha256.clone(),
        content: Arc::new(upload.bytes.to_vec()),
    };
    match package.versions.get_mut(&upload.version) {
        Some(existing)
            if existing.origin_type != "INTERNAL"
                || existing.status != crate::codeartifact::status::PUBLISHED
                || existing.files.iter().any(|f| f.filename == file.filename) =>
        {
            return Err(error(
                StatusCode::CONFLICT,
                "ConflictException",
                format!(
                    "{} {} already exists in repository {repo} ({}); publish a new version",
                    upload.name, upload.version, upload.filename
                ),
            ));
        }
        // Another file (e.g. the sdist next to the wheel) of a version published here.
        Some(existing) => existing.files.push(file),
        None => {
            package.versions.insert(
                upload.version.clone(),
                PackageVersion {
                    version: upload.version.clone(),
                    display_name: upload.name.clone(),
                    summary: upload.summary.clone(),
                    published: now,
                    revision: aws_id("REV"),
                    origin_type: "INTERNAL".to_owned(),
                    status: crate::codeartifact::status::PUBLISHED.to_owned(),
                    origin_entry: OriginEntry::Repository(repo.to_owned()),
                    files: vec![file],
                },
            );
        }
    }
    Ok((
        StatusCode::OK,
        [("content-type", "text/plain")],
        format!(
            "OK: {} {} ({}) published to {repo}\n",
            upload.name, upload.version, upload.filename
        ),
    )
        .into_response())
}
