//! ListPackageVersions, DescribePackageVersion, DeletePackageVersions.

use serde_json::{Map, Value, json};

use super::input::{self, Violations};
use super::packages::{PYPI, check_name, compare_versions, find_package, origin, package_params};
use super::{Ctx, find_domain, find_domain_mut, find_repository};
use crate::protocol::{ApiError, ApiResult, json_body};
use crate::world::{Package, PackageVersion, World, epoch_seconds};

/// Every version the sandbox stores is `Published`.
const PUBLISHED: &str = "Published";

/// The version PyPI clients see by default: the most recently published one (ties: the highest).
pub fn default_display_version(package: &Package) -> Option<&str> {
    package
        .versions
        .values()
        .max_by(|a, b| {
            a.published
                .cmp(&b.published)
                .then_with(|| compare_versions(&a.version, &b.version))
        })
        .map(|v| v.version.as_str())
}

pub fn list(world: &mut World, cx: &Ctx) -> ApiResult<Value> {
    let q = &cx.q;
    let (format, namespace, name) = package_params(q)?;
    let status = input::query_enum(q, "status", "status", input::VERSION_STATUSES)?;
    let origin_type = input::query_enum(q, "originType", "originType", input::ORIGIN_TYPES)?;
    let sort_by = input::query_enum(q, "sortBy", "sortBy", &["PUBLISHED_TIME"])?;
    let size = input::query_page_size(q)?;
    let domain = find_domain(world, q, cx.region)?;
    let repo = find_repository(domain, q)?;
    let package = find_package(domain, repo, format, namespace, name)?;
    let mut versions: Vec<&PackageVersion> = package
        .versions
        .values()
        .filter(|_| status.is_none_or(|s| s == PUBLISHED))
        .filter(|v| origin_type.is_none_or(|o| o == v.origin_type))
        .collect();
    versions.sort_by(|a, b| match sort_by {
        Some(_) => a
            .published
            .cmp(&b.published)
            .then_with(|| compare_versions(&a.version, &b.version)),
        None => compare_versions(&a.version, &b.version),
    });
    let items = versions
        .into_iter()
        .map(|v| {
            let summary = json!({
                "version": v.version,
                "revision": v.revision,
                "status": PUBLISHED,
                "origin": origin(v),
            });
            (v.version.clone(), summary)
        })
        .collect();
    let (versions, next) = input::paginate(items, q.get("next-token"), size)?;
    let mut out = input::page_json("versions", versions, next);
    out["format"] = json!(PYPI);
    out["package"] = json!(package.name);
    if let Some(d) = default_display_version(package) {
        out["defaultDisplayVersion"] = json!(d);
    }
    Ok(out)
}

/// `PackageVersionDescription`.
pub fn description(package: &Package, version: &PackageVersion) -> Value {
    let mut out = json!({
        "format": PYPI,
        "packageName": package.name,
        "displayName": version.display_name,
        "version": version.version,
        "publishedTime": epoch_seconds(version.published),
        "licenses": [],
        "revision": version.revision,
        "status": PUBLISHED,
        "origin": origin(version),
    });
    if let Some(s) = &version.summary {
        out["summary"] = json!(s);
    }
    out
}

pub fn describe(world: &mut World, cx: &Ctx) -> ApiResult<Value> {
    let q = &cx.q;
    let (format, namespace, name) = package_params(q)?;
    let version = input::required(q, "version", "packageVersion")?;
    let mut v = Violations::default();
    check_name(&mut v, "packageVersion", version);
    v.finish()?;
    let domain = find_domain(world, q, cx.region)?;
    let repo = find_repository(domain, q)?;
    let package = find_package(domain, repo, format, namespace, name)?;
    let found = package.versions.get(version).ok_or_else(|| {
        ApiError::new(
            "ResourceNotFoundException",
            format!(
                "Version {version} of package {} not found in repository {}",
                package.name, repo.name
            ),
        )
    })?;
    Ok(json!({ "packageVersion": description(package, found) }))
}

/// The body of DeletePackageVersions: `versions` (1–100 strings) and `expectedStatus`.
fn delete_body(cx: &Ctx) -> ApiResult<(Vec<String>, Option<String>)> {
    let body = json_body(cx.body)?;
    let versions = match body.get("versions") {
        None | Some(Value::Null) => return Err(input::null("versions")),
        Some(Value::Array(list)) => list
            .iter()
            .map(|v| v.as_str().map(str::to_owned))
            .collect::<Option<Vec<String>>>()
            .ok_or_else(|| {
                ApiError::new(
                    "SerializationException",
                    "versions must be a list of strings",
                )
            })?,
        Some(_) => {
            return Err(ApiError::new(
                "SerializationException",
                "versions must be a list of strings",
            ));
        }
    };
    let expected = input::body_string(&body, "expectedStatus")?;
    let mut v = Violations::default();
    if versions.is_empty() || versions.len() > 100 {
        v.add(
            "versions",
            &format!("{versions:?}"),
            "Member must have length between 1 and 100",
        );
    }
    for (i, version) in versions.iter().enumerate() {
        check_name(&mut v, &format!("versions.{}.member", i + 1), version);
    }
    if let Some(s) = expected {
        v.enumeration("expectedStatus", s, input::VERSION_STATUSES);
    }
    v.finish()?;
    Ok((versions, expected.map(str::to_owned)))
}

pub fn delete(world: &mut World, cx: &Ctx) -> ApiResult<Value> {
    let q = &cx.q;
    let (format, namespace, name) = package_params(q)?;
    let (versions, expected) = delete_body(cx)?;
    let domain = find_domain(world, q, cx.region)?;
    let repo = find_repository(domain, q)?;
    let key = find_package(domain, repo, format, namespace, name)?
        .name
        .clone();
    let repo_name = repo.name.clone();
    let domain = find_domain_mut(world, q, cx.region)?;
    let gone = || {
        ApiError::new(
            "ResourceNotFoundException",
            format!("Package {name} not found"),
        )
    };
    let repo = domain.repositories.get_mut(&repo_name).ok_or_else(gone)?;
    let package = repo.packages.get_mut(&key).ok_or_else(gone)?;
    let mut ok = Map::new();
    let mut failed = Map::new();
    let mut fail = |version: String, code: &str, message: String| {
        failed.insert(
            version,
            json!({ "errorCode": code, "errorMessage": message }),
        );
    };
    for version in versions {
        if !package.versions.contains_key(&version) {
            let message = format!("Version {version} of package {key} does not exist");
            fail(version, "NOT_FOUND", message);
            continue;
        }
        if let Some(e) = expected.as_deref()
            && e != PUBLISHED
        {
            let message = format!("Version {version} has status {PUBLISHED}, not {e}");
            fail(version, "MISMATCHED_STATUS", message);
            continue;
        }
        if let Some(removed) = package.versions.remove(&version) {
            ok.insert(
                version,
                json!({ "revision": removed.revision, "status": "Deleted" }),
            );
        }
    }
    if package.versions.is_empty() {
        repo.packages.remove(&key);
    }
    Ok(json!({ "successfulVersions": ok, "failedVersions": failed }))
}
