//! The PEP 503 simple index and file downloads of a repository, including what it sees through its
//! upstream chain and the `public:pypi` external connection.
//!
//! Only versions whose status is `Published` are listed on a project page, and only `Published`
//! and `Unlisted` ones are downloadable (`Archived` and `Disposed` are 404s): the CodeArtifact
//! User Guide's "Package version status". A version stored nearer in the search order hides the
//! same version further up, whatever its status.
//!
//! Versions found beyond the repository asked are retained when a file is downloaded (not when the
//! project page is served), as CodeArtifact copies a reference to a package version once it is
//! fetched: a public version is added to the repository holding the external connection and to
//! the repository asked (not to repositories in between), as `EXTERNAL` with domain entry point
//! `public:pypi` in both; a version stored in an upstream repository is copied to the repository
//! asked with its origin unchanged (the domain entry point is where it first entered the domain).

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::Arc;
use std::time::SystemTime;

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::{PypiPath, not_found};
use crate::Shared;
use crate::codeartifact::status::{PUBLISHED, downloadable, listed};
use crate::codeartifact::{PUBLIC_PYPI, reaches_public_pypi, upstream_chain};
use quick_xml::escape::escape;

use crate::protocol::ApiResult;
use crate::public::PublicIndex;
use crate::wheel::Wheel;
use crate::world::{
    Domain, OriginEntry, Package, PackageFile, PackageVersion, aws_id, normalize_name,
};

/// A file's bytes, wherever they live.
#[derive(Debug, Clone)]
pub enum Content {
    Stored(Arc<Vec<u8>>),
    Public(Arc<Wheel>),
}

#[derive(Debug, Clone)]
pub struct FileRef {
    pub filename: String,
    pub sha256: String,
    pub content: Content,
}

/// Where a visible version comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Stored in this repository (of the chain).
    Stored(String),
    /// Public PyPI, through the external connection of this repository.
    Public(String),
}

/// One version of a project as a repository sees it.
#[derive(Debug, Clone)]
pub struct Found {
    pub display_name: String,
    pub summary: Option<String>,
    pub files: Vec<FileRef>,
    pub source: Source,
    /// The version's status where it was found (public versions are `Published`).
    pub status: String,
}

/// Every version of project `name` visible in `repo`, searching the repositories of its upstream
/// chain in priority order (each one's own versions, then public PyPI if it holds the external
/// connection, then its upstreams, depth first). A package whose
/// origin controls say `upstream=BLOCK` in a repository hides what lies beyond that repository.
pub fn visible(
    domain: &Domain,
    public: &PublicIndex,
    repo: &str,
    name: &str,
) -> BTreeMap<String, Found> {
    let mut out = BTreeMap::new();
    walk(
        domain,
        public,
        repo,
        &normalize_name(name),
        &mut HashSet::new(),
        &mut out,
    );
    out
}

fn walk(
    domain: &Domain,
    public: &PublicIndex,
    repo_name: &str,
    name: &str,
    seen: &mut HashSet<String>,
    out: &mut BTreeMap<String, Found>,
) {
    if !seen.insert(repo_name.to_owned()) {
        return;
    }
    let Some(repo) = domain.repositories.get(repo_name) else {
        return;
    };
    let package = repo.packages.get(name);
    for (version, v) in package.iter().flat_map(|p| &p.versions) {
        out.entry(version.clone()).or_insert_with(|| Found {
            display_name: v.display_name.clone(),
            summary: v.summary.clone(),
            files: v
                .files
                .iter()
                .map(|f| FileRef {
                    filename: f.filename.clone(),
                    sha256: f.sha256.clone(),
                    content: Content::Stored(f.content.clone()),
                })
                .collect(),
            source: Source::Stored(repo_name.to_owned()),
            status: v.status.clone(),
        });
    }
    if package.is_some_and(|p| p.upstream == "BLOCK") {
        return;
    }
    // Its own external connection first, then its upstreams: the order of `upstream_chain`, so the
    // repository serving a public package is the one `reaches_public_pypi` names.
    if repo.external_connection.as_deref() == Some(PUBLIC_PYPI)
        && let Some(p) = public.get(name)
    {
        for (version, wheel) in &p.versions {
            out.entry(version.clone()).or_insert_with(|| Found {
                display_name: p.display_name.clone(),
                summary: Some(p.summary.clone()),
                files: vec![FileRef {
                    filename: wheel.filename.clone(),
                    sha256: wheel.sha256_hex(),
                    content: Content::Public(wheel.clone()),
                }],
                source: Source::Public(repo_name.to_owned()),
                status: PUBLISHED.to_owned(),
            });
        }
    }
    for upstream in &repo.upstreams {
        walk(domain, public, upstream, name, seen, out);
    }
}

/// The versions of project `name` that package managers are shown in `repo` (status `Published`).
pub fn listed_versions(
    domain: &Domain,
    public: &PublicIndex,
    repo: &str,
    name: &str,
) -> BTreeMap<String, Found> {
    let mut found = visible(domain, public, repo, name);
    found.retain(|_, f| listed(&f.status));
    found
}

/// The normalised names of every project with a listed version in `repo`.
pub fn projects(domain: &Domain, public: &PublicIndex, repo: &str) -> BTreeSet<String> {
    let mut candidates: BTreeSet<String> = upstream_chain(domain, repo)
        .into_iter()
        .flat_map(|r| r.packages.keys().cloned())
        .collect();
    if reaches_public_pypi(domain, repo).is_some() {
        candidates.extend(public.packages.keys().cloned());
    }
    candidates
        .into_iter()
        .filter(|n| !listed_versions(domain, public, repo, n).is_empty())
        .collect()
}

/// `GET …/simple/` and `GET …/simple/<project>/`.
pub fn simple(shared: &Shared, path: &PypiPath, repo: &str) -> ApiResult<Response> {
    let world = shared.world();
    let domain = super::find_domain(&world, path)?;
    let base = format!("/{}-{}/pypi/{repo}/simple/", path.domain, path.owner);
    match path.rest.as_slice() {
        [s] if s == "simple" => {
            if !path.trailing_slash {
                return Ok(redirect(&base));
            }
            let names = projects(domain, &shared.public, repo);
            Ok(html(&root_page(&names)))
        }
        [s, name] if s == "simple" => {
            let found = listed_versions(domain, &shared.public, repo, name);
            if found.is_empty() {
                return Err(not_found(&format!(
                    "Project {name} not found in repository {repo}"
                )));
            }
            let normalized = normalize_name(name);
            if *name != normalized || !path.trailing_slash {
                return Ok(redirect(&format!(
                    "{base}{}/",
                    urlencoding::encode(&normalized)
                )));
            }
            Ok(html(&project_page(&normalized, &found)))
        }
        _ => Err(not_found(&format!(
            "No such page in repository {repo}; the index is at {base}"
        ))),
    }
}

/// `GET …/simple/<project>/<version>/<filename>`: the file. A version found beyond the repository
/// asked is retained on the way, as CodeArtifact copies a reference to it (see the module docs).
pub fn download(shared: &Shared, path: &PypiPath, repo: &str) -> ApiResult<Response> {
    let [_, name, version, filename] = path.rest.as_slice() else {
        return Err(not_found("not a file path"));
    };
    let mut world = shared.world();
    let now = world.now();
    let domain = super::find_domain_mut(&mut world, path)?;
    let bytes = fetch(domain, &shared.public, repo, name, version, filename, now)?;
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/octet-stream")],
        bytes.as_ref().clone(),
    )
        .into_response())
}

/// The bytes of `filename` of `name` `version` as `repo` sees it, retaining the version in `repo`
/// (and, for public packages, in the repository with the external connection).
pub fn fetch(
    domain: &mut Domain,
    public: &PublicIndex,
    repo: &str,
    name: &str,
    version: &str,
    filename: &str,
    now: SystemTime,
) -> ApiResult<Arc<Vec<u8>>> {
    let normalized = normalize_name(name);
    let missing = || not_found(&format!("{filename} not found in repository {repo}"));
    let found = visible(domain, public, repo, &normalized)
        .remove(version)
        .filter(|f| downloadable(&f.status))
        .ok_or_else(missing)?;
    let file = found
        .files
        .iter()
        .find(|f| f.filename == filename)
        .ok_or_else(missing)?;
    let bytes = match &file.content {
        Content::Stored(b) => b.clone(),
        Content::Public(w) => Arc::new(w.bytes.clone()),
    };
    match &found.source {
        Source::Public(holder) => {
            let ingested = PackageVersion {
                version: version.to_owned(),
                display_name: found.display_name.clone(),
                summary: found.summary.clone(),
                published: now,
                revision: aws_id("REV"),
                origin_type: "EXTERNAL".to_owned(),
                status: crate::codeartifact::status::PUBLISHED.to_owned(),
                origin_entry: OriginEntry::ExternalConnection(PUBLIC_PYPI.to_owned()),
                files: vec![PackageFile {
                    filename: file.filename.clone(),
                    sha256: file.sha256.clone(),
                    content: bytes.clone(),
                }],
            };
            retain(domain, holder, &normalized, &ingested);
            retain(domain, repo, &normalized, &ingested);
        }
        Source::Stored(upstream) if upstream != repo => {
            let copy = domain
                .repositories
                .get(upstream)
                .and_then(|r| r.packages.get(&normalized))
                .and_then(|p| p.versions.get(version))
                .cloned();
            if let Some(copy) = copy {
                retain(domain, repo, &normalized, &copy);
            }
        }
        Source::Stored(_) => {}
    }
    Ok(bytes)
}

/// Adds a version that came through an upstream to `repo` (no-op if already there). Its origin
/// (type and domain entry point) stays where it first entered the domain.
fn retain(domain: &mut Domain, repo: &str, name: &str, version: &PackageVersion) {
    let Some(r) = domain.repositories.get_mut(repo) else {
        return;
    };
    // A package first seen through an upstream gets these origin controls on AWS.
    let package = r
        .packages
        .entry(name.to_owned())
        .or_insert_with(|| Package {
            name: name.to_owned(),
            publish: "BLOCK".to_owned(),
            upstream: "ALLOW".to_owned(),
            versions: BTreeMap::new(),
        });
    package
        .versions
        .entry(version.version.clone())
        .or_insert_with(|| version.clone());
}

fn html(body: &str) -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body.to_owned(),
    )
        .into_response()
}

fn redirect(location: &str) -> Response {
    (
        StatusCode::MOVED_PERMANENTLY,
        [(header::LOCATION, location.to_owned())],
    )
        .into_response()
}

fn page(title: &str, links: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html>\n  <head>\n    <meta name=\"pypi:repository-version\" content=\"1.0\">\n    <title>{}</title>\n  </head>\n  <body>\n    <h1>{}</h1>\n{links}  </body>\n</html>\n",
        escape(title),
        escape(title)
    )
}

/// PEP 503 root: one anchor per project, linking to its normalised name.
pub fn root_page(names: &BTreeSet<String>) -> String {
    let links: String = names
        .iter()
        .map(|n| {
            format!(
                "    <a href=\"{}/\">{}</a><br/>\n",
                urlencoding::encode(n),
                escape(n)
            )
        })
        .collect();
    page("Simple index", &links)
}

/// PEP 503 project page: every file with its `#sha256=` fragment, relative to the page
/// (`<version>/<filename>`), so the links work whatever host name the client used.
pub fn project_page(name: &str, versions: &BTreeMap<String, Found>) -> String {
    let mut links = String::new();
    for (version, found) in versions {
        for f in &found.files {
            links.push_str(&format!(
                "    <a href=\"{}/{}#sha256={}\">{}</a><br/>\n",
                urlencoding::encode(version),
                urlencoding::encode(&f.filename),
                f.sha256,
                escape(&f.filename)
            ));
        }
    }
    page(&format!("Links for {name}"), &links)
}
