//! Package origin controls: DescribePackage and PutPackageOriginConfiguration. A package first
//! published to a repository gets publish=ALLOW, upstream=BLOCK; one first fetched from upstream
//! publish=BLOCK, upstream=ALLOW (the PyPI endpoint sets them and honours publish=BLOCK).

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::packages::{PYPI, find_package, package_params};
use super::{Ctx, find_domain, find_domain_mut, find_repository};
use crate::protocol::{ApiError, ApiResult, json_body};
use crate::world::{Package, World, normalize_name};

const SETTINGS: &[&str] = &["ALLOW", "BLOCK"];

fn configuration(package: &Package) -> Value {
    json!({"restrictions": {"publish": package.publish, "upstream": package.upstream}})
}

/// `GET /v1/package`.
pub fn describe(world: &mut World, cx: &Ctx) -> ApiResult<Value> {
    let (format, namespace, name) = package_params(&cx.q)?;
    let domain = find_domain(world, &cx.q, cx.region)?;
    let repo = find_repository(domain, &cx.q)?;
    let package = find_package(domain, repo, format, namespace, name)?;
    Ok(json!({"package": {
        "format": format,
        "name": package.name,
        "originConfiguration": configuration(package)
    }}))
}

fn setting(restrictions: &Value, field: &str) -> ApiResult<String> {
    match restrictions.get(field).and_then(Value::as_str) {
        Some(v) if SETTINGS.contains(&v) => Ok(v.to_owned()),
        Some(v) => Err(ApiError::new(
            "ValidationException",
            format!(
                "1 validation error detected: Value '{v}' at 'restrictions.{field}' failed to \
                 satisfy constraint: Member must satisfy enum value set: [ALLOW, BLOCK]"
            ),
        )),
        None => Err(ApiError::new(
            "ValidationException",
            format!("restrictions.{field} is required"),
        )),
    }
}

/// `POST /v1/package`: sets both restrictions; a package that does not exist yet is created,
/// with no versions, as CodeArtifact does.
pub fn put(world: &mut World, cx: &Ctx) -> ApiResult<Value> {
    let (format, namespace, name) = package_params(&cx.q)?;
    let body = json_body(cx.body)?;
    let restrictions = body
        .get("restrictions")
        .ok_or_else(|| ApiError::new("ValidationException", "restrictions is required"))?;
    let (publish, upstream) = (
        setting(restrictions, "publish")?,
        setting(restrictions, "upstream")?,
    );
    if format != PYPI || namespace.is_some() {
        return Err(ApiError::new(
            "ValidationException",
            format!("The cawiz sandbox holds only pypi packages, not {format}"),
        ));
    }
    let domain = find_domain_mut(world, &cx.q, cx.region)?;
    let repo_name = find_repository(domain, &cx.q)?.name.clone();
    let repo = domain
        .repositories
        .get_mut(&repo_name)
        .ok_or_else(|| ApiError::new("ResourceNotFoundException", "repository vanished"))?;
    let normalized = normalize_name(name);
    let package = repo
        .packages
        .entry(normalized.clone())
        .or_insert_with(|| Package {
            name: normalized,
            publish: publish.clone(),
            upstream: upstream.clone(),
            versions: BTreeMap::new(),
        });
    package.publish = publish;
    package.upstream = upstream;
    Ok(json!({"originConfiguration": configuration(package)}))
}
