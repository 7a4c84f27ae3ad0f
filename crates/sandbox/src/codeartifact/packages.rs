//! ListPackages, plus what the package-version operations share: package lookup by PEP 503 name,
//! version ordering, origins.

use std::cmp::Ordering;

use serde_json::{Value, json};

use super::input::{self, Violations};
use super::paging;
use super::{Ctx, find_domain, find_repository};
use crate::protocol::{ApiError, ApiResult, Query};
use crate::world::{Domain, OriginEntry, Package, PackageVersion, Repository, World};

/// The formats the sandbox stores.
pub const PYPI: &str = "pypi";
pub const NPM: &str = "npm";

/// `[^#/\s]+`, 1–255 characters: package names, prefixes and versions.
pub fn check_name(v: &mut Violations, member: &str, value: &str) {
    v.length(member, value, 1, 255);
    v.pattern(
        member,
        value,
        !value
            .chars()
            .any(|c| c == '#' || c == '/' || c.is_whitespace()),
        r"[^#/\s]+",
    );
}

/// A repository's package by its stored (PEP 503-normalised) name, in `format` and `namespace`.
/// Another spelling is not found: "The non-normalized name can be used by pip and twine but the
/// normalized name must be used in CodeArtifact CLI or API requests" (CodeArtifact User Guide,
/// "Python package name normalization").
pub fn find_package<'r>(
    domain: &Domain,
    repo: &'r Repository,
    format: &str,
    namespace: Option<&str>,
    name: &str,
) -> ApiResult<&'r Package> {
    let found = match (format, namespace) {
        (PYPI, None) => repo.packages.get(name),
        (NPM, _) => repo
            .npm
            .get(&crate::world::npm::full_name(namespace, name))
            .map(|p| &p.package),
        _ => None,
    };
    found.ok_or_else(|| package_not_found(domain, repo, format, name))
}

/// The `format` (and `namespace`, when there is one) members of an answer about a package.
pub fn identify(out: &mut Value, format: &str, namespace: Option<&str>) {
    out["format"] = json!(format);
    if let Some(ns) = namespace {
        out["namespace"] = json!(ns);
    }
}

pub fn package_not_found(domain: &Domain, repo: &Repository, format: &str, name: &str) -> ApiError {
    ApiError::new(
        "ResourceNotFoundException",
        format!(
            "Package {name} (format {format}) not found in repository {} of domain {}",
            repo.name, domain.name
        ),
    )
}

/// The `format` / `namespace` / `package` parameters the package-version operations require.
pub fn package_params(q: &Query) -> ApiResult<(&str, Option<&str>, &str)> {
    let format = input::required(q, "format", "format")?;
    let package = input::required(q, "package", "package")?;
    let namespace = q.get("namespace");
    let mut v = Violations::default();
    v.enumeration("format", format, input::PACKAGE_FORMATS);
    check_name(&mut v, "package", package);
    if let Some(ns) = namespace {
        check_name(&mut v, "namespace", ns);
    }
    v.finish()?;
    Ok((format, namespace, package))
}

/// `PackageVersionOrigin`.
pub fn origin(version: &PackageVersion) -> Value {
    let entry = match &version.origin_entry {
        OriginEntry::Repository(r) => json!({ "repositoryName": r }),
        OriginEntry::ExternalConnection(c) => json!({ "externalConnectionName": c }),
    };
    json!({ "domainEntryPoint": entry, "originType": version.origin_type })
}

/// Orders versions the way people read them: numeric runs as numbers, so `0.10.0` > `0.9.1`,
/// and a release after its pre-releases (`1.0` > `1.0rc1`).
pub fn compare_versions(a: &str, b: &str) -> Ordering {
    fn tokens(s: &str) -> Vec<Result<u64, String>> {
        let mut out = Vec::new();
        let mut cur = String::new();
        let mut digits = false;
        let flush = |cur: &mut String, digits: bool, out: &mut Vec<Result<u64, String>>| {
            if !cur.is_empty() {
                out.push(if digits {
                    cur.parse::<u64>().map_err(|_| cur.clone())
                } else {
                    Err(cur.to_lowercase())
                });
                cur.clear();
            }
        };
        for c in s.chars() {
            if c.is_ascii_alphanumeric() {
                if !cur.is_empty() && c.is_ascii_digit() != digits {
                    flush(&mut cur, digits, &mut out);
                }
                digits = c.is_ascii_digit();
                cur.push(c);
            } else {
                flush(&mut cur, digits, &mut out);
            }
        }
        flush(&mut cur, digits, &mut out);
        out
    }
    /// PEP 440 order of the letter parts: dev < a < b < rc < (release) < post.
    const RELEASE: u8 = 4;
    fn rank(word: &str) -> u8 {
        match word {
            "dev" => 0,
            "a" | "alpha" => 1,
            "b" | "beta" => 2,
            "c" | "rc" | "pre" | "preview" => 3,
            "post" | "rev" | "r" => 5,
            _ => 1,
        }
    }
    let (ta, tb) = (tokens(a), tokens(b));
    for i in 0..ta.len().max(tb.len()) {
        let ord = match (ta.get(i), tb.get(i)) {
            (Some(Ok(x)), Some(Ok(y))) => x.cmp(y),
            (Some(Err(x)), Some(Err(y))) => rank(x).cmp(&rank(y)).then_with(|| x.cmp(y)),
            (Some(Ok(_)), Some(Err(_))) => Ordering::Greater,
            (Some(Err(_)), Some(Ok(_))) => Ordering::Less,
            // A letter run where the other ended: a pre-release (`1.0rc1` < `1.0`) or a
            // post-release (`1.0.post1` > `1.0`); more numbers are later.
            (Some(Err(x)), None) => rank(x).cmp(&RELEASE),
            (None, Some(Err(y))) => RELEASE.cmp(&rank(y)),
            (Some(Ok(_)), None) => Ordering::Greater,
            (None, Some(Ok(_))) => Ordering::Less,
            (None, None) => Ordering::Equal,
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    a.cmp(b)
}

/// A package's key in ListPackages' order and tokens: the name alone for pypi (as before other
/// formats were stored), `format:namespace/name` for the others.
fn page_key(format: &str, namespace: Option<&str>, name: &str) -> String {
    if format == PYPI {
        name.to_owned()
    } else {
        format!("{format}:{}/{name}", namespace.unwrap_or_default())
    }
}

pub fn list_packages(world: &mut World, cx: &Ctx) -> ApiResult<Value> {
    let q = &cx.q;
    let format = input::query_enum(q, "format", "format", input::PACKAGE_FORMATS)?;
    let publish = input::query_enum(q, "publish", "publish", input::ALLOW_BLOCK)?;
    let upstream = input::query_enum(q, "upstream", "upstream", input::ALLOW_BLOCK)?;
    let prefix = q.get("package-prefix");
    let namespace = q.get("namespace");
    let mut v = Violations::default();
    if let Some(p) = prefix {
        check_name(&mut v, "packagePrefix", p);
    }
    if let Some(ns) = namespace {
        check_name(&mut v, "namespace", ns);
    }
    v.finish()?;
    let size = paging::query_page_size(q)?;
    let domain = find_domain(world, q, cx.region)?;
    let repo = find_repository(domain, q)?;
    let pypi = repo
        .packages
        .values()
        .filter(|_| format.is_none_or(|f| f == PYPI) && namespace.is_none())
        .map(|p| (PYPI, None, p));
    let npm = repo
        .npm
        .values()
        .filter(|_| format.is_none_or(|f| f == NPM))
        .filter(|p| namespace.is_none_or(|ns| p.scope.as_deref() == Some(ns)))
        .map(|p| (NPM, p.scope.as_deref(), &p.package));
    let mut items = pypi
        .chain(npm)
        .filter(|(_, _, p)| prefix.is_none_or(|pre| p.name.starts_with(pre)))
        .filter(|(_, _, p)| publish.is_none_or(|x| x == p.publish))
        .filter(|(_, _, p)| upstream.is_none_or(|x| x == p.upstream))
        .map(|(format, namespace, p)| {
            let mut summary = json!({
                "package": p.name,
                "originConfiguration": {
                    "restrictions": { "publish": p.publish, "upstream": p.upstream }
                },
            });
            identify(&mut summary, format, namespace);
            (page_key(format, namespace, &p.name), summary)
        })
        .collect::<Vec<_>>();
    items.sort_by(|a, b| a.0.cmp(&b.0));
    let (packages, next) = paging::paginate(items, paging::query_token(q)?, size)?;
    Ok(paging::page_json("packages", packages, next))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn versions_order_like_people_read_them() {
        let mut v = vec![
            "0.10.0",
            "0.9.1",
            "1.0",
            "1.0rc1",
            "0.1.0",
            "1.0.post1",
            "0.9",
            "1.0.dev1",
            "1.0a2",
            "1.0.1",
        ];
        v.sort_by(|a, b| compare_versions(a, b));
        assert_eq!(
            v,
            vec![
                "0.1.0",
                "0.9",
                "0.9.1",
                "0.10.0",
                "1.0.dev1",
                "1.0a2",
                "1.0rc1",
                "1.0",
                "1.0.post1",
                "1.0.1"
            ]
        );
    }
}
