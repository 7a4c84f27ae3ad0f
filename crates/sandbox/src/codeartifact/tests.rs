//! Unit tests of the helpers other modules use, and of paths the wire tests cannot reach.
#![allow(clippy::unwrap_used)]

use serde_json::Value;

use super::{Ctx, dispatch, reaches_public_pypi, upstream_chain};
use crate::protocol::{ApiResult, Query};
use crate::scenario;
use crate::world::World;

/// `op` signed for us-east-1, the scenarios' region.
fn call(world: &mut World, op: &str, query: &str, body: &str) -> ApiResult<Value> {
    call_in(world, "us-east-1", op, query, body)
}

fn call_in(world: &mut World, region: &str, op: &str, query: &str, body: &str) -> ApiResult<Value> {
    let cx = Ctx {
        q: Query::parse(Some(query)),
        body: body.as_bytes(),
        region,
        base_url: "http://127.0.0.1:9",
        holder: crate::world::Holder::Admin,
    };
    dispatch(world, op, &cx)
}

fn names(chain: &[&crate::world::Repository]) -> Vec<String> {
    chain.iter().map(|r| r.name.clone()).collect()
}

#[test]
fn upstream_chain_is_depth_first_without_repeats_and_cycle_safe() {
    let mut w = World::new("123456789012");
    call(&mut w, "CreateDomain", "domain=d1", "").unwrap();
    for (repo, ups) in [
        ("dd", &[][..]),
        ("cc", &[][..]),
        ("bb", &["dd"][..]),
        ("aa", &["bb", "cc"][..]),
    ] {
        let body = serde_json::json!({
            "upstreams": ups.iter().map(|u| serde_json::json!({"repositoryName": u})).collect::<Vec<_>>()
        });
        call(
            &mut w,
            "CreateRepository",
            &format!("domain=d1&repository={repo}"),
            &body.to_string(),
        )
        .unwrap();
    }
    let d = &w.domains["d1"];
    assert_eq!(names(&upstream_chain(d, "aa")), ["aa", "bb", "dd", "cc"]);
    assert_eq!(names(&upstream_chain(d, "cc")), ["cc"]);
    assert!(upstream_chain(d, "nope").is_empty());

    // A cycle cannot be made through the API; the chain still stops if the world holds one.
    let mut d = w.domains["d1"].clone();
    if let Some(r) = d.repositories.get_mut("dd") {
        r.upstreams = vec!["aa".into(), "cc".into()];
    }
    assert_eq!(names(&upstream_chain(&d, "aa")), ["aa", "bb", "dd", "cc"]);
    assert_eq!(names(&upstream_chain(&d, "dd")), ["dd", "aa", "bb", "cc"]);
}

#[test]
fn reaches_public_pypi_names_the_store() {
    let w = scenario::load("complete", "123456789012").unwrap();
    let d = &w.domains["octo-org"];
    assert_eq!(
        reaches_public_pypi(d, "widgets").as_deref(),
        Some("pypi-store")
    );
    assert_eq!(
        reaches_public_pypi(d, "pypi-store").as_deref(),
        Some("pypi-store")
    );
    assert_eq!(reaches_public_pypi(d, "missing"), None);
    let g = scenario::load("guide", "123456789012").unwrap();
    assert_eq!(
        reaches_public_pypi(&g.domains["acme-geo"], "earth-polychromatic-api"),
        None
    );
}

#[test]
fn new_arns_use_the_signing_region() {
    let mut w = World::new("123456789012");
    let out = call_in(&mut w, "eu-west-1", "CreateDomain", "domain=d1", "").unwrap();
    assert_eq!(
        out["domain"]["arn"],
        "arn:aws:codeartifact:eu-west-1:123456789012:domain/d1"
    );
    assert_eq!(
        out["domain"]["s3BucketArn"],
        "arn:aws:s3:::assets-123456789012-eu-west-1"
    );
    let out = call_in(
        &mut w,
        "eu-west-1",
        "CreateRepository",
        "domain=d1&repository=r1",
        "",
    )
    .unwrap();
    assert_eq!(
        out["repository"]["arn"],
        "arn:aws:codeartifact:eu-west-1:123456789012:repository/d1/r1"
    );
}

#[test]
fn repository_permissions_policy() {
    let mut w = scenario::load("complete", "123456789012").unwrap();
    let q = "domain=octo-org&repository=widgets";
    let err = call(&mut w, "GetRepositoryPermissionsPolicy", q, "").unwrap_err();
    assert_eq!(err.code, "ResourceNotFoundException");
    let doc = r#"{"Version":"2012-10-17","Statement":[]}"#;
    if let Some(r) = w
        .domains
        .get_mut("octo-org")
        .and_then(|d| d.repositories.get_mut("widgets"))
    {
        r.permissions_policy = Some(doc.to_owned());
    }
    let out = call(&mut w, "GetRepositoryPermissionsPolicy", q, "").unwrap();
    assert_eq!(out["policy"]["document"], doc);
    assert_eq!(
        out["policy"]["resourceArn"],
        "arn:aws:codeartifact:us-east-1:123456789012:repository/octo-org/widgets"
    );
    let revision = out["policy"]["revision"].as_str().unwrap().to_owned();
    let again = call(&mut w, "GetRepositoryPermissionsPolicy", q, "").unwrap();
    assert_eq!(again["policy"]["revision"], revision.as_str());
}

#[test]
fn malformed_bodies_and_unknown_operations() {
    let mut w = World::new("123456789012");
    let err = call(&mut w, "CreateDomain", "domain=d1", "{not json").unwrap_err();
    assert_eq!(err.code, "SerializationException");
    let err = call(&mut w, "ListDomains", "", r#"{"maxResults":"ten"}"#).unwrap_err();
    assert_eq!(err.code, "SerializationException");
    let err = call(&mut w, "CopyPackageVersions", "", "").unwrap_err();
    assert_eq!(err.code, "UnknownOperationException");
}

/// The `complete` world with more packages in octo-org/widgets: `alpha` (0.9.0, 0.10.0 published
/// first, then 0.2.0) and `beta-pkg`, `gamma`.
fn world_with_packages() -> World {
    use crate::world::{OriginEntry, Package, PackageVersion};
    use std::time::{Duration, SystemTime};
    let mut w = scenario::load("complete", "123456789012").unwrap();
    let repo = w
        .domains
        .get_mut("octo-org")
        .and_then(|d| d.repositories.get_mut("widgets"))
        .unwrap();
    let t0 = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
    for (name, versions) in [
        ("alpha", &[("0.9.0", 0), ("0.10.0", 10), ("0.2.0", 20)][..]),
        ("beta-pkg", &[("1.0", 0)][..]),
        ("gamma", &[("2.0", 0)][..]),
    ] {
        let mut p = Package {
            name: name.to_owned(),
            publish: "ALLOW".into(),
            upstream: "ALLOW".into(),
            versions: Default::default(),
        };
        for (v, at) in versions {
            p.versions.insert(
                (*v).to_owned(),
                PackageVersion {
                    version: (*v).to_owned(),
                    display_name: name.to_owned(),
                    summary: Some("a test package".into()),
                    published: t0 + Duration::from_secs(*at),
                    revision: format!("rev-{name}-{v}"),
                    origin_type: "EXTERNAL".into(),
                    status: "Published".into(),
                    origin_entry: OriginEntry::ExternalConnection("public:pypi".into()),
                    files: Vec::new(),
                },
            );
        }
        repo.packages.insert(name.to_owned(), p);
    }
    w
}

#[test]
fn list_packages_pages_and_filters() {
    let mut w = world_with_packages();
    let base = "domain=octo-org&repository=widgets";
    let mut seen = Vec::new();
    let mut token = String::new();
    loop {
        let q = format!("{base}&max-results=2{token}");
        let out = call(&mut w, "ListPackages", &q, "").unwrap();
        for p in out["packages"].as_array().unwrap() {
            seen.push(p["package"].as_str().unwrap().to_owned());
        }
        match out["nextToken"].as_str() {
            Some(t) => token = format!("&next-token={t}"),
            None => break,
        }
    }
    assert_eq!(seen, ["alpha", "beta-pkg", "gamma", "widgets"]);
    let out = call(
        &mut w,
        "ListPackages",
        &format!("{base}&upstream=ALLOW"),
        "",
    )
    .unwrap();
    assert_eq!(out["packages"].as_array().unwrap().len(), 3);
    let out = call(
        &mut w,
        "ListPackages",
        &format!("{base}&package-prefix=beta-"),
        "",
    )
    .unwrap();
    assert_eq!(out["packages"][0]["package"], "beta-pkg");
    // The API takes normalised names only: another spelling matches nothing.
    let out = call(
        &mut w,
        "ListPackages",
        &format!("{base}&package-prefix=Beta_"),
        "",
    )
    .unwrap();
    assert_eq!(out["packages"].as_array().unwrap().len(), 0);
    let err = call(&mut w, "ListPackages", &format!("{base}&publish=MAYBE"), "").unwrap_err();
    assert_eq!(err.code, "ValidationException");
}

#[test]
fn package_versions_order_pages_and_default_display_version() {
    let mut w = world_with_packages();
    let err = call(
        &mut w,
        "ListPackageVersions",
        "domain=octo-org&repository=widgets&format=pypi&package=ALPHA",
        "",
    )
    .unwrap_err();
    assert_eq!(err.code, "ResourceNotFoundException");
    let q = "domain=octo-org&repository=widgets&format=pypi&package=alpha";
    let out = call(&mut w, "ListPackageVersions", q, "").unwrap();
    let versions: Vec<&str> = out["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_str().unwrap())
        .collect();
    assert_eq!(versions, ["0.2.0", "0.9.0", "0.10.0"]);
    // PyPI: the most recently published version, not the highest.
    assert_eq!(out["defaultDisplayVersion"], "0.2.0");
    assert_eq!(
        out["versions"][0]["origin"],
        serde_json::json!({
            "domainEntryPoint": { "externalConnectionName": "public:pypi" },
            "originType": "EXTERNAL"
        })
    );
    let out = call(
        &mut w,
        "ListPackageVersions",
        &format!("{q}&sortBy=PUBLISHED_TIME&max-results=2"),
        "",
    )
    .unwrap();
    let first: Vec<&str> = out["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_str().unwrap())
        .collect();
    // "sorted in descending order by publish time" (User Guide, "List package versions").
    assert_eq!(first, ["0.2.0", "0.10.0"]);
    let token = out["nextToken"].as_str().unwrap().to_owned();
    let out = call(
        &mut w,
        "ListPackageVersions",
        &format!("{q}&sortBy=PUBLISHED_TIME&max-results=2&next-token={token}"),
        "",
    )
    .unwrap();
    assert_eq!(out["versions"][0]["version"], "0.9.0");
    assert!(out.get("nextToken").is_none());

    let out = call(
        &mut w,
        "DescribePackageVersion",
        "domain=octo-org&repository=widgets&format=pypi&package=alpha&version=0.10.0",
        "",
    )
    .unwrap();
    assert_eq!(out["packageVersion"]["summary"], "a test package");
    assert_eq!(out["packageVersion"]["revision"], "rev-alpha-0.10.0");
}

#[test]
fn list_package_versions_pages_fifty_by_default_and_checks_its_token() {
    use crate::world::{OriginEntry, PackageVersion};
    use std::time::{Duration, SystemTime};
    let mut w = world_with_packages();
    let alpha = w
        .domains
        .get_mut("octo-org")
        .and_then(|d| d.repositories.get_mut("widgets"))
        .and_then(|r| r.packages.get_mut("alpha"))
        .unwrap();
    let t0 = SystemTime::UNIX_EPOCH + Duration::from_secs(1_900_000_000);
    for n in 0..120u64 {
        let v = format!("1.0.{n}");
        alpha.versions.insert(
            v.clone(),
            PackageVersion {
                version: v,
                display_name: "alpha".into(),
                summary: None,
                published: t0 + Duration::from_secs(n),
                revision: format!("rev-{n}"),
                origin_type: "INTERNAL".into(),
                status: if n % 2 == 0 { "Published" } else { "Unlisted" }.into(),
                origin_entry: OriginEntry::Repository("widgets".into()),
                files: Vec::new(),
            },
        );
    }
    let q = "domain=octo-org&repository=widgets&format=pypi&package=alpha";
    // "For --max-results, specify an integer from 1 to 1000 … Its default is 50."
    let out = call(&mut w, "ListPackageVersions", q, "").unwrap();
    assert_eq!(out["versions"].as_array().unwrap().len(), 50);
    assert!(out["nextToken"].is_string());
    let out = call(
        &mut w,
        "ListPackageVersions",
        &format!("{q}&max-results=1000"),
        "",
    )
    .unwrap();
    assert_eq!(out["versions"].as_array().unwrap().len(), 123);
    assert!(out.get("nextToken").is_none());
    // The newest published first, filtered by status.
    let out = call(
        &mut w,
        "ListPackageVersions",
        &format!("{q}&sortBy=PUBLISHED_TIME&status=Published&max-results=3"),
        "",
    )
    .unwrap();
    let newest: Vec<&str> = out["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_str().unwrap())
        .collect();
    assert_eq!(newest, ["1.0.118", "1.0.116", "1.0.114"]);
    // PaginationToken: 1 to 2000 characters.
    for token in [String::new(), "x".repeat(2001)] {
        let err = call(
            &mut w,
            "ListPackageVersions",
            &format!("{q}&next-token={token}"),
            "",
        )
        .unwrap_err();
        assert_eq!(err.code, "ValidationException", "{token:.10}");
        assert!(err.message.contains("nextToken"), "{}", err.message);
    }
    for bad in ["0", "1001"] {
        let err = call(
            &mut w,
            "ListPackageVersions",
            &format!("{q}&max-results={bad}"),
            "",
        )
        .unwrap_err();
        assert_eq!(err.code, "ValidationException", "{bad}");
    }
}
