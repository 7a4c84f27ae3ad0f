//! What a repository's npm endpoint sees and stores: versions found through the upstream chain
//! and `public:npmjs`, the packument built from them, publishing, and retaining a version fetched
//! through an upstream (as CodeArtifact copies a package version on first fetch, like PyPI's).
//! Publishing is in `publish.rs`.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::SystemTime;

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::public::PublicNpm;
use crate::codeartifact::packages::compare_versions;
use crate::codeartifact::status::{PUBLISHED, downloadable, listed};
use crate::codeartifact::upstream_chain;
use crate::protocol::ApiResult;
use crate::pypi::not_found;
use crate::world::npm::{NpmPackage, split_name};
use crate::world::{Domain, OriginEntry, Package, PackageFile, PackageVersion, aws_id, iso8601};

/// The external connection name of the public npm registry.
pub const PUBLIC_NPMJS: &str = "public:npmjs";

/// The tarball's file name: `name-VERSION.tgz`, without the scope, as npm names it.
pub fn tarball_name(full: &str, version: &str) -> String {
    format!("{}-{version}.tgz", split_name(full).1)
}

/// Where a visible version comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Stored(String),
    /// The public registry, through the external connection of this repository.
    Public(String),
}

#[derive(Debug, Clone)]
pub struct Found {
    pub manifest: Value,
    pub tarball: Arc<Vec<u8>>,
    pub status: String,
    pub published: Option<SystemTime>,
    pub source: Source,
}

/// Every version of `full` visible in `repo`: each repository of its upstream chain in search
/// order (its own versions, then `public:npmjs` if it holds that connection); a version nearer
/// hides the same version further up, and a package with `upstream=BLOCK` hides what lies beyond.
pub fn visible(
    domain: &Domain,
    public: &PublicNpm,
    repo: &str,
    full: &str,
) -> BTreeMap<String, Found> {
    let mut out = BTreeMap::new();
    for r in upstream_chain(domain, repo) {
        let stored = r.npm.get(full);
        for (version, v) in stored.iter().flat_map(|p| &p.package.versions) {
            let (Some(manifest), Some(file)) = (
                stored.and_then(|p| p.manifests.get(version)),
                v.files.first(),
            ) else {
                continue;
            };
            out.entry(version.clone()).or_insert_with(|| Found {
                manifest: manifest.clone(),
                tarball: file.content.clone(),
                status: v.status.clone(),
                published: Some(v.published),
                source: Source::Stored(r.name.clone()),
            });
        }
        if r.external_connection.as_deref() == Some(PUBLIC_NPMJS) {
            for (version, v) in public.get(full).into_iter().flatten() {
                out.entry(version.clone()).or_insert_with(|| Found {
                    manifest: v.manifest.clone(),
                    tarball: v.tarball.clone(),
                    status: PUBLISHED.to_owned(),
                    published: None,
                    source: Source::Public(r.name.clone()),
                });
            }
        }
        if stored.is_some_and(|p| p.package.upstream == "BLOCK") {
            break;
        }
    }
    out
}

/// The packument (`GET /npm/REPO/NAME`) of the versions listed (status `Published`), every
/// `dist.tarball` pointing at `endpoint` (the repository asked). `None`: nothing listed.
pub fn packument(
    domain: &Domain,
    found: &BTreeMap<String, Found>,
    full: &str,
    endpoint: &str,
) -> Option<Value> {
    let listed_versions: Vec<(&String, &Found)> =
        found.iter().filter(|(_, f)| listed(&f.status)).collect();
    let mut versions = Map::new();
    let mut time = Map::new();
    for (version, f) in &listed_versions {
        let mut manifest = f.manifest.clone();
        manifest["dist"]["tarball"] = json!(format!(
            "{endpoint}{full}/-/{}",
            tarball_name(full, version)
        ));
        versions.insert((*version).clone(), manifest);
        if let Some(t) = f.published {
            time.insert((*version).clone(), json!(iso8601(t)));
        }
    }
    let latest = listed_versions
        .iter()
        .map(|(v, _)| v.as_str())
        .max_by(|a, b| compare_versions(a, b))?;
    let mut tags = stored_tags(domain, found);
    tags.retain(|_, v| versions.contains_key(v));
    tags.entry("latest".to_owned())
        .or_insert_with(|| latest.to_owned());
    Some(json!({
        "_id": full,
        "name": full,
        "dist-tags": tags,
        "versions": versions,
        "time": time,
    }))
}

/// The dist-tags of the nearest repository that stores the package.
fn stored_tags(domain: &Domain, found: &BTreeMap<String, Found>) -> BTreeMap<String, String> {
    let name = found.values().find_map(|f| match &f.source {
        Source::Stored(r) => Some(r),
        Source::Public(_) => None,
    });
    let full = found
        .values()
        .find_map(|f| f.manifest.get("name").and_then(Value::as_str));
    name.zip(full)
        .and_then(|(r, full)| domain.repositories.get(r)?.npm.get(full))
        .map(|p| p.dist_tags.clone())
        .unwrap_or_default()
}

/// A tarball (`GET …/NAME/-/FILE.tgz`); a version found beyond `repo` is retained in `repo` (and,
/// from the public registry, in the repository holding the external connection).
pub fn tarball(
    domain: &mut Domain,
    public: &PublicNpm,
    repo: &str,
    full: &str,
    file: &str,
    now: SystemTime,
) -> ApiResult<Arc<Vec<u8>>> {
    let missing = || not_found(&format!("{file} of {full} not found in repository {repo}"));
    let stem = split_name(full).1;
    let version = file
        .strip_prefix(stem)
        .and_then(|s| s.strip_prefix('-'))
        .and_then(|s| s.strip_suffix(".tgz"))
        .ok_or_else(missing)?;
    let found = visible(domain, public, repo, full)
        .remove(version)
        .filter(|f| downloadable(&f.status))
        .ok_or_else(missing)?;
    match &found.source {
        Source::Public(holder) => {
            let ingested = version_entry(version, &found, now, "EXTERNAL", || {
                OriginEntry::ExternalConnection(PUBLIC_NPMJS.to_owned())
            });
            retain(domain, holder, full, &found.manifest, &ingested);
            retain(domain, repo, full, &found.manifest, &ingested);
        }
        Source::Stored(upstream) if upstream != repo => {
            let copy = domain
                .repositories
                .get(upstream)
                .and_then(|r| r.npm.get(full))
                .and_then(|p| p.package.versions.get(version))
                .cloned();
            if let Some(copy) = copy {
                retain(domain, repo, full, &found.manifest, &copy);
            }
        }
        Source::Stored(_) => {}
    }
    Ok(found.tarball)
}

pub(super) fn version_entry(
    version: &str,
    found: &Found,
    now: SystemTime,
    origin_type: &str,
    entry: impl FnOnce() -> OriginEntry,
) -> PackageVersion {
    let full = found.manifest["name"].as_str().unwrap_or_default();
    PackageVersion {
        version: version.to_owned(),
        display_name: full.to_owned(),
        summary: found.manifest["description"].as_str().map(str::to_owned),
        published: now,
        revision: aws_id("REV"),
        origin_type: origin_type.to_owned(),
        status: PUBLISHED.to_owned(),
        origin_entry: entry(),
        files: vec![PackageFile {
            filename: tarball_name(full, version),
            sha256: hex::encode(Sha256::digest(found.tarball.as_slice())),
            content: found.tarball.clone(),
        }],
    }
}

/// Adds a version that came through an upstream to `repo` (no-op if already there); a package
/// first seen through an upstream gets `publish=BLOCK, upstream=ALLOW`, as on AWS.
fn retain(domain: &mut Domain, repo: &str, full: &str, manifest: &Value, v: &PackageVersion) {
    let Some(r) = domain.repositories.get_mut(repo) else {
        return;
    };
    let package = r
        .npm
        .entry(full.to_owned())
        .or_insert_with(|| new_package(full, "BLOCK", "ALLOW"));
    package
        .manifests
        .entry(v.version.clone())
        .or_insert_with(|| manifest.clone());
    package
        .package
        .versions
        .entry(v.version.clone())
        .or_insert_with(|| v.clone());
}

pub(super) fn new_package(full: &str, publish: &str, upstream: &str) -> NpmPackage {
    let (scope, name) = split_name(full);
    NpmPackage {
        scope: scope.map(str::to_owned),
        package: Package {
            name: name.to_owned(),
            publish: publish.to_owned(),
            upstream: upstream.to_owned(),
            versions: BTreeMap::new(),
        },
        dist_tags: BTreeMap::new(),
        manifests: BTreeMap::new(),
    }
}
