//! `npm publish` on a repository: the document npm sends (`PUT …/NAME`) checked, then stored as
//! PublishPackageVersion would store it.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::SystemTime;

use axum::http::StatusCode;
use base64::Engine as _;
use serde_json::{Value, json};

use super::digest::{integrity, shasum};
use super::store::{Found, Source, new_package, version_entry};
use crate::codeartifact::status::PUBLISHED;
use crate::protocol::{ApiError, ApiResult};
use crate::pypi::{error, not_found};
use crate::world::{Domain, OriginEntry};

/// A checked `npm publish` document: one version, its manifest and its tarball.
#[derive(Debug)]
pub struct Publish {
    pub version: String,
    pub manifest: Value,
    pub tarball: Vec<u8>,
    pub tags: BTreeMap<String, String>,
}

fn bad_request(message: impl Into<String>) -> ApiError {
    error(StatusCode::BAD_REQUEST, "BadRequest", message)
}

/// Reads the body npm sends with `PUT …/NAME`: `name`, one entry in `versions` and one in
/// `_attachments` (base64 `data` of `length` bytes), `dist-tags`; the manifest's `dist.shasum` and
/// `dist.integrity`, when given, must be the tarball's.
pub fn parse_publish(full: &str, body: &[u8]) -> ApiResult<Publish> {
    let doc: Value = serde_json::from_slice(body)
        .map_err(|e| bad_request(format!("the publish body is not JSON: {e}")))?;
    if doc["name"].as_str() != Some(full) {
        return Err(bad_request(format!(
            "the document's name is not the package in the URL ({full})"
        )));
    }
    let versions = doc["versions"].as_object().filter(|v| v.len() == 1);
    let Some((version, manifest)) = versions.and_then(|v| v.iter().next()) else {
        return Err(bad_request("publish exactly one version"));
    };
    if manifest["name"].as_str() != Some(full) || manifest["version"].as_str() != Some(version) {
        return Err(bad_request(
            "the version's manifest names another package or version",
        ));
    }
    let attachments = doc["_attachments"].as_object().filter(|a| a.len() == 1);
    let Some(attachment) = attachments.and_then(|a| a.values().next()) else {
        return Err(bad_request("publish exactly one attachment (the tarball)"));
    };
    let tarball = attachment["data"]
        .as_str()
        .and_then(|d| base64::engine::general_purpose::STANDARD.decode(d).ok())
        .ok_or_else(|| bad_request("the attachment's data is not base64"))?;
    if attachment["length"]
        .as_u64()
        .is_some_and(|l| l != tarball.len() as u64)
    {
        return Err(bad_request("the attachment's length is not its data's"));
    }
    let dist = &manifest["dist"];
    let differs = |key: &str, actual: String| dist[key].as_str().is_some_and(|d| d != actual);
    if differs("shasum", shasum(&tarball)) || differs("integrity", integrity(&tarball)) {
        return Err(bad_request(
            "dist.shasum or dist.integrity does not match the tarball",
        ));
    }
    let tags = doc["dist-tags"]
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(tag, v)| Some((tag.clone(), v.as_str()?.to_owned())))
        .collect();
    Ok(Publish {
        version: version.clone(),
        manifest: manifest.clone(),
        tarball,
        tags,
    })
}

/// Stores a publish in `repo` (`INTERNAL`, entered here): a package whose origin controls block
/// publishing is a 403, a version already present a 409.
pub fn store(
    domain: &mut Domain,
    repo: &str,
    full: &str,
    publish: Publish,
    now: SystemTime,
) -> ApiResult<Value> {
    let domain_name = domain.name.clone();
    let r = domain.repositories.get_mut(repo).ok_or_else(|| {
        not_found(&format!(
            "Repository {repo} not found in domain {domain_name}"
        ))
    })?;
    let package = r
        .npm
        .entry(full.to_owned())
        .or_insert_with(|| new_package(full, "ALLOW", "BLOCK"));
    if package.package.publish == "BLOCK" {
        return Err(error(
            StatusCode::FORBIDDEN,
            "AccessDeniedException",
            format!(
                "Publishing {full} to {repo} is blocked by its package origin controls (publish=BLOCK: the package came from an upstream repository or public:npmjs)"
            ),
        ));
    }
    if package.package.versions.contains_key(&publish.version) {
        return Err(error(
            StatusCode::CONFLICT,
            "ConflictException",
            format!(
                "{full}@{} already exists in repository {repo}; publish a new version",
                publish.version
            ),
        ));
    }
    let found = Found {
        manifest: publish.manifest.clone(),
        tarball: Arc::new(publish.tarball),
        status: PUBLISHED.to_owned(),
        published: Some(now),
        source: Source::Stored(repo.to_owned()),
    };
    let entry = version_entry(&publish.version, &found, now, "INTERNAL", || {
        OriginEntry::Repository(repo.to_owned())
    });
    package
        .package
        .versions
        .insert(publish.version.clone(), entry);
    package
        .manifests
        .insert(publish.version.clone(), publish.manifest);
    for (tag, version) in publish
        .tags
        .into_iter()
        .filter(|(_, v)| *v == publish.version)
    {
        package.dist_tags.insert(tag, version);
    }
    Ok(json!({ "ok": true, "id": full, "success": true }))
}
