//! Unit tests of the PyPI endpoint's pure parts: upload validation, visibility through the upstream
//! chain, public-package caching rules, and the PEP 503 pages.

#![allow(clippy::unwrap_used)] // tests may unwrap (the team rule); clippy.toml does not say so yet

use std::time::SystemTime;

use axum::body::Bytes;
use axum::http::StatusCode;

use super::index::{Source, fetch, project_page, projects, root_page, visible};
use super::upload::{Form, filename_matches, is_project_name, store, validate};
use super::*;
use crate::public::PublicIndex;
use crate::scenario;
use crate::wheel;
use crate::world::{OriginEntry, World};

fn form(name: &str, version: &str, filename: &str, bytes: &[u8], sha: Option<&str>) -> Form {
    let mut f = Form::default();
    f.fields.insert(":action".into(), "file_upload".into());
    f.fields.insert("name".into(), name.into());
    f.fields.insert("version".into(), version.into());
    f.fields.insert("summary".into(), "probe".into());
    if let Some(sha) = sha {
        f.fields.insert("sha256_digest".into(), sha.into());
    }
    f.content = Some((filename.into(), Bytes::copy_from_slice(bytes)));
    f
}

fn complete() -> World {
    scenario::load("complete", "123456789012").unwrap()
}

#[test]
fn file_names_must_match_the_project_and_version() {
    let whl = "cawiz_probe-1.0.0-py3-none-any.whl";
    assert!(filename_matches(whl, "cawiz-probe", "1.0.0"));
    assert!(filename_matches(whl, "Cawiz.Probe", "1.0.0"));
    assert!(filename_matches(
        "cawiz_probe-1.0.0-1-py3-none-any.whl",
        "cawiz-probe",
        "1.0.0"
    ));
    assert!(filename_matches(
        "cawiz-probe-1.0.0.tar.gz",
        "cawiz_probe",
        "1.0.0"
    ));
    assert!(filename_matches(
        "cawiz_probe-1.0.0.zip",
        "cawiz-probe",
        "1.0.0"
    ));
    assert!(!filename_matches(whl, "cawiz-probe", "1.0.1"));
    assert!(!filename_matches(whl, "other", "1.0.0"));
    assert!(!filename_matches(
        "cawiz_probe-1.0.0.whl",
        "cawiz-probe",
        "1.0.0"
    ));
    assert!(!filename_matches(
        "cawiz_probe-1.0.0.egg",
        "cawiz-probe",
        "1.0.0"
    ));
    assert!(!filename_matches(
        "../cawiz_probe-1.0.0.tar.gz",
        "cawiz-probe",
        "1.0.0"
    ));
    assert!(is_project_name("Cawiz_Demo.Colors"));
    assert!(!is_project_name("-bad"));
    assert!(!is_project_name("bad name"));
}

#[test]
fn validation_rejects_bad_uploads_with_400() {
    let w = wheel::build_simple("cawiz-probe", "1.0.0", "probe").unwrap();
    let good = validate(form(
        "cawiz-probe",
        "1.0.0",
        &w.filename,
        &w.bytes,
        Some(&w.sha256_hex()),
    ));
    assert_eq!(good.unwrap().sha256, w.sha256_hex());
    let bad = [
        form(
            "cawiz-probe",
            "1.0.0",
            &w.filename,
            &w.bytes,
            Some(&"0".repeat(64)),
        ),
        form("", "1.0.0", &w.filename, &w.bytes, None),
        form("cawiz-probe", "", &w.filename, &w.bytes, None),
        form("cawiz-probe", "2.0.0", &w.filename, &w.bytes, None),
        form("cawiz-probe", "1.0.0", &w.filename, b"", None),
    ];
    for f in bad {
        let err = validate(f).unwrap_err();
        assert_eq!(err.status, StatusCode::BAD_REQUEST, "{err:?}");
    }
    let mut no_action = form("cawiz-probe", "1.0.0", &w.filename, &w.bytes, None);
    no_action.fields.remove(":action");
    assert!(validate(no_action).is_err());
}

#[test]
fn public_packages_are_visible_only_through_the_external_connection() {
    let world = complete();
    let public = PublicIndex::load();
    let domain = &world.domains["octo-org"];
    let found = visible(domain, &public, "widgets", "Cawiz_Demo.Colors");
    assert_eq!(found.keys().collect::<Vec<_>>(), vec!["0.3.0"]);
    assert_eq!(found["0.3.0"].source, Source::Public("pypi-store".into()));
    let names = projects(domain, &public, "widgets");
    assert!(names.contains("widgets") && names.contains("cawiz-demo-colors"));
    assert!(names.contains("six") && names.contains("cawiz-demo-greeting"));
    // pypi-store does not see widgets' own package.
    assert!(!projects(domain, &public, "pypi-store").contains("widgets"));

    let guide = scenario::load("guide", "123456789012").unwrap();
    let domain = &guide.domains["acme-geo"];
    assert!(visible(domain, &public, "earth-polychromatic-api", "six").is_empty());
    assert!(projects(domain, &public, "earth-polychromatic-api").is_empty());
}

#[test]
fn uploads_are_internal_and_conflict_on_reupload() {
    let mut world = complete();
    let now = SystemTime::now();
    let domain = world.domains.get_mut("octo-org").unwrap();
    let w = wheel::build_simple("Cawiz.Probe", "1.0.0", "probe").unwrap();
    let upload = || form("Cawiz.Probe", "1.0.0", &w.filename, &w.bytes, None);
    store(domain, "widgets", upload(), now).unwrap();
    let v = &domain.repositories["widgets"].packages["cawiz-probe"].versions["1.0.0"];
    assert_eq!(v.origin_type, "INTERNAL");
    assert_eq!(v.origin_entry, OriginEntry::Repository("widgets".into()));
    assert_eq!(v.display_name, "Cawiz.Probe");
    assert_eq!(v.files[0].sha256, w.sha256_hex());

    let again = store(domain, "widgets", upload(), now).unwrap_err();
    assert_eq!(again.status, StatusCode::CONFLICT);
    // The sdist of the same version is another file of it.
    let sdist = form(
        "Cawiz.Probe",
        "1.0.0",
        "cawiz_probe-1.0.0.tar.gz",
        b"sdist",
        None,
    );
    store(domain, "widgets", sdist, now).unwrap();
    let files = &domain.repositories["widgets"].packages["cawiz-probe"].versions["1.0.0"].files;
    assert_eq!(files.len(), 2);
    assert!(store(domain, "nope", upload(), now).is_err());
}

#[test]
fn origin_controls_block_publishing_and_upstream_versions() {
    let mut world = complete();
    let public = PublicIndex::load();
    let now = SystemTime::now();
    let domain = world.domains.get_mut("octo-org").unwrap();
    let six = wheel::build_simple("six", "1.17.0", "x").unwrap();
    // Publishing "six" to widgets first: publish=ALLOW, upstream=BLOCK hides public six.
    let mine = wheel::build_simple("six", "9.0.0", "mine").unwrap();
    store(
        domain,
        "widgets",
        form("six", "9.0.0", &mine.filename, &mine.bytes, None),
        now,
    )
    .unwrap();
    let found = visible(domain, &public, "widgets", "six");
    assert_eq!(found.keys().collect::<Vec<_>>(), vec!["9.0.0"]);
    // A package that came from upstream (publish=BLOCK) cannot be published to.
    let store_pkg = domain
        .repositories
        .get_mut("pypi-store")
        .unwrap()
        .packages
        .entry("six".into())
        .or_insert_with(|| crate::world::Package {
            name: "six".into(),
            publish: "BLOCK".into(),
            upstream: "ALLOW".into(),
            versions: Default::default(),
        });
    assert_eq!(store_pkg.publish, "BLOCK");
    let err = store(
        domain,
        "pypi-store",
        form("six", "1.17.0", &six.filename, &six.bytes, None),
        now,
    )
    .unwrap_err();
    assert_eq!(err.status, StatusCode::FORBIDDEN);
}

#[test]
fn pages_follow_pep_503() {
    let world = complete();
    let public = PublicIndex::load();
    let domain = &world.domains["octo-org"];
    let found = visible(domain, &public, "widgets", "cawiz-demo-greeting");
    let page = project_page("cawiz-demo-greeting", &found);
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<meta name=\"pypi:repository-version\" content=\"1.0\">"));
    let sha = public.get("cawiz-demo-greeting").unwrap().versions["1.0.0"].sha256_hex();
    assert!(page.contains(&format!(
        "<a href=\"1.0.0/cawiz_demo_greeting-1.0.0-py3-none-any.whl#sha256={sha}\">"
    )));
    assert!(!page.contains("data-requires-python"));
    let root = root_page(&projects(domain, &public, "widgets"));
    assert!(root.contains("<a href=\"cawiz-demo-colors/\">cawiz-demo-colors</a>"));
}

#[test]
fn recognises_pypi_paths_only() {
    assert!(is_pypi_path("/octo-org-123456789012/pypi/widgets/simple/"));
    assert!(is_pypi_path("/a1-123456789012/pypi/r/"));
    assert!(!is_pypi_path("/v1/repository/endpoint"));
    assert!(!is_pypi_path("/v1/domain"));
    assert!(!is_pypi_path("/"));
    assert!(!is_pypi_path("/octo-org-12345678901/pypi/widgets/"));
    assert!(!is_pypi_path("/octo-org-123456789012/npm/widgets/"));
    assert!(!is_pypi_path("/Octo-123456789012/pypi/widgets/"));
    assert!(!is_pypi_path("/octo--123456789012/pypi/widgets/"));
    let p = PypiPath::parse("/octo-org-123456789012/pypi/widgets/simple/a%2Bb/").unwrap();
    assert_eq!(p.domain, "octo-org");
    assert_eq!(p.owner, "123456789012");
    assert_eq!(p.repo.as_deref(), Some("widgets"));
    assert_eq!(p.rest, vec!["simple", "a+b"]);
    assert!(p.trailing_slash);
}

#[test]
fn operations() {
    let base = "/d1-123456789012/pypi/r";
    let op = |m: Method, p: &str| operation(&m, &format!("{base}{p}"));
    assert_eq!(op(Method::GET, "/simple/"), Some("PypiSimple"));
    assert_eq!(op(Method::GET, "/simple/six/"), Some("PypiSimple"));
    assert_eq!(op(Method::HEAD, "/simple/six"), Some("PypiSimple"));
    assert_eq!(
        op(Method::GET, "/simple/six/1.0/six-1.0-py3-none-any.whl"),
        Some("PypiDownload")
    );
    assert_eq!(op(Method::POST, "/"), Some("PypiUpload"));
    assert_eq!(op(Method::POST, ""), Some("PypiUpload"));
    assert_eq!(op(Method::POST, "/simple/"), None);
    assert_eq!(op(Method::DELETE, "/"), None);
    assert_eq!(operation(&Method::GET, "/d1-123456789012/pypi/"), None);
    assert_eq!(operation(&Method::GET, "/v1/domain"), None);
}

#[test]
fn reads_basic_and_bearer_credentials() {
    use base64::Engine as _;
    let parts = |auth: &str| {
        axum::http::Request::builder()
            .header("authorization", auth)
            .body(())
            .unwrap()
            .into_parts()
            .0
    };
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    assert_eq!(
        credentials(&parts(&format!("Basic {}", b64("aws:tok")))),
        Some("tok".into())
    );
    assert_eq!(
        credentials(&parts(&format!("Basic {}", b64("bob:tok")))),
        None
    );
    assert_eq!(credentials(&parts(&format!("Basic {}", b64("aws:")))), None);
    assert_eq!(credentials(&parts("Bearer tok")), Some("tok".into()));
    assert_eq!(credentials(&parts("Basic !!!")), None);
}

#[test]
fn fetching_retains_versions_as_codeartifact_does() {
    let mut world = complete();
    let public = PublicIndex::load();
    let now = SystemTime::now();
    let domain = world.domains.get_mut("octo-org").unwrap();
    let greeting = public.get("cawiz-demo-greeting").unwrap().versions["1.0.0"].clone();

    // Public, through widgets → pypi-store: retained in both, as ingested from public:pypi.
    let bytes = fetch(
        domain,
        &public,
        "widgets",
        "Cawiz.Demo-Greeting",
        "1.0.0",
        &greeting.filename,
        now,
    )
    .unwrap();
    assert_eq!(*bytes, greeting.bytes);
    for repo in ["widgets", "pypi-store"] {
        let p = &domain.repositories[repo].packages["cawiz-demo-greeting"];
        assert_eq!(
            (p.publish.as_str(), p.upstream.as_str()),
            ("BLOCK", "ALLOW")
        );
        let v = &p.versions["1.0.0"];
        assert_eq!(v.origin_type, "EXTERNAL");
        assert_eq!(
            v.origin_entry,
            OriginEntry::ExternalConnection("public:pypi".into())
        );
        assert!(
            !p.versions.contains_key("1.1.0"),
            "only the version fetched"
        );
    }
    // Served from widgets itself now.
    let found = visible(domain, &public, "widgets", "cawiz-demo-greeting");
    assert_eq!(found["1.0.0"].source, Source::Stored("widgets".into()));
    assert_eq!(found["1.1.0"].source, Source::Public("pypi-store".into()));

    // Published to pypi-store, fetched through widgets: copied with its origin unchanged.
    let w = wheel::build_simple("store-only", "2.0.0", "x").unwrap();
    store(
        domain,
        "pypi-store",
        form("store-only", "2.0.0", &w.filename, &w.bytes, None),
        now,
    )
    .unwrap();
    fetch(
        domain,
        &public,
        "widgets",
        "store-only",
        "2.0.0",
        &w.filename,
        now,
    )
    .unwrap();
    let v = &domain.repositories["widgets"].packages["store-only"].versions["2.0.0"];
    assert_eq!(v.origin_type, "INTERNAL");
    assert_eq!(v.origin_entry, OriginEntry::Repository("pypi-store".into()));

    let missing = fetch(domain, &public, "widgets", "six", "1.17.0", "nope.whl", now).unwrap_err();
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(!domain.repositories["widgets"].packages.contains_key("six"));
}
