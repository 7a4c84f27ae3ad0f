//! ListPackageVersions (every status unless `status` filters), DescribePackageVersion,
//! DeletePackageVersions.

use serde_json::{Value, json};

use super::batch::{self, Outcome, precondition};
use super::input::{self, Violations};
use super::packages::{
    check_name, compare_versions, find_package, identify, origin, package_params,
};
use super::paging;
use super::status::listed;
use super::{Ctx, find_domain, find_repository};
use crate::protocol::{ApiError, ApiResult, json_body};
use crate::world::{Package, PackageVersion, World, epoch_seconds};

/// The version PyPI clients see by default: the most recently published one (ties: the highest)
/// of those package managers are shown (status `Published`).
pub fn default_display_version(package: &Package) -> Option<&str> {
    package
        .versions
        .values()
        .filter(|v| listed(&v.status))
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
    let size = paging::query_page_size_or(q, paging::VERSIONS_DEFAULT_PAGE)?;
    let token = paging::query_token(q)?;
    let domain = find_domain(world, q, cx.region)?;
    let repo = find_repository(domain, q)?;
    let package = find_package(domain, repo, format, namespace, name)?;
    let mut versions: Vec<&PackageVersion> = package
        .versions
        .values()
        .filter(|v| status.is_none_or(|s| s == v.status))
        .filter(|v| origin_type.is_none_or(|o| o == v.origin_type))
        .collect();
    // `PUBLISHED_TIME`: "sorted in descending order by publish time" (User Guide, "List package
    // versions"), ties the higher version first.
    versions.sort_by(|a, b| match sort_by {
        Some(_) => b
            .published
            .cmp(&a.published)
            .then_with(|| compare_versions(&b.version, &a.version)),
        None => compare_versions(&a.version, &b.version),
    });
    let items = versions
        .into_iter()
        .map(|v| {
            let summary = json!({
                "version": v.version,
                "revision": v.revision,
                "status": v.status,
                "origin": origin(v),
            });
            (v.version.clone(), summary)
        })
        .collect();
    let (versions, next) = paging::paginate(items, token, size)?;
    let mut out = paging::page_json("versions", versions, next);
    identify(&mut out, format, namespace);
    out["package"] = json!(package.name);
    if let Some(d) = default_display_version(package) {
        out["defaultDisplayVersion"] = json!(d);
    }
    Ok(out)
}

/// `PackageVersionDescription`.
pub fn description(
    format: &str,
    namespace: Option<&str>,
    package: &Package,
    version: &PackageVersion,
) -> Value {
    let mut out = json!({
        "packageName": package.name,
        "displayName": version.display_name,
        "version": version.version,
        "publishedTime": epoch_seconds(version.published),
        "licenses": [],
        "revision": version.revision,
        "status": version.status,
        "origin": origin(version),
    });
    identify(&mut out, format, namespace);
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
    Ok(json!({ "packageVersion": description(format, namespace, package, found) }))
}

/// `POST /v1/package/versions/delete`: the versions are removed (a package left with none goes).
pub fn delete(world: &mut World, cx: &Ctx) -> ApiResult<Value> {
    let batch = batch::parse(&json_body(cx.body)?)?;
    batch::with_package(world, cx, |repo, key| {
        let mut outcome = Outcome::default();
        let Some(package) = repo.packages.get_mut(key) else {
            return outcome.into_json();
        };
        for version in &batch.versions {
            if let Err(refusal) = precondition(&batch, key, version, package.versions.get(version))
            {
                outcome.fail(version, refusal);
                continue;
            }
            if let Some(removed) = package.versions.remove(version) {
                outcome.succeed(version, &removed.revision, "Deleted");
            }
        }
        if package.versions.is_empty() {
            repo.packages.remove(key);
        }
        outcome.into_json()
    })
}
