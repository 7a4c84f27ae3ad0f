#![allow(clippy::unwrap_used)]

use super::*;

#[test]
fn paths_name_scoped_packages_in_both_spellings() {
    let encoded = NpmPath::parse("/octo-org-123456789012/npm/widgets/@octo-org%2fhello").unwrap();
    let plain = NpmPath::parse("/octo-org-123456789012/npm/widgets/@octo-org/hello").unwrap();
    for p in [&encoded, &plain] {
        assert_eq!(p.repo.as_deref(), Some("widgets"));
        assert_eq!(
            p.package().map(|(n, t)| (n, t.len())),
            Some(("@octo-org/hello".into(), 0))
        );
    }
    let tarball =
        NpmPath::parse("/octo-org-123456789012/npm/widgets/@octo-org/hello/-/hello-1.0.0.tgz")
            .unwrap();
    assert_eq!(tarball.package().unwrap().1, ["-", "hello-1.0.0.tgz"]);
    assert!(NpmPath::parse("/octo-org-123456789012/pypi/widgets/").is_none());
    assert!(NpmPath::parse("/v1/package/versions").is_none());
}

#[test]
fn operations() {
    let op = |m: Method, p: &str| operation(&m, &format!("/octo-org-123456789012/npm/widgets/{p}"));
    assert_eq!(op(Method::GET, "is-number"), Some("NpmPackument"));
    assert_eq!(op(Method::GET, "@s%2fn"), Some("NpmPackument"));
    assert_eq!(op(Method::PUT, "@s%2fn"), Some("NpmPublish"));
    assert_eq!(op(Method::GET, "@s/n/-/n-1.0.0.tgz"), Some("NpmTarball"));
    assert_eq!(
        op(Method::GET, "is-number/-/is-number-7.0.0.tgz"),
        Some("NpmTarball")
    );
    assert_eq!(op(Method::GET, "-/ping"), Some("NpmPing"));
    assert_eq!(op(Method::GET, "-/whoami"), Some("NpmWhoami"));
    assert_eq!(op(Method::POST, "-/npm/v1/security/advisories/bulk"), None);
    assert_eq!(op(Method::DELETE, "is-number"), None);
}

fn publish_body(name: &str, version: &str, tarball: &[u8]) -> serde_json::Value {
    use base64::Engine as _;
    let data = base64::engine::general_purpose::STANDARD.encode(tarball);
    json!({
        "_id": name, "name": name, "dist-tags": { "latest": version },
        "versions": { version: { "name": name, "version": version, "dist": {
            "shasum": digest::shasum(tarball), "integrity": digest::integrity(tarball),
            "tarball": "http://ignored/x.tgz" } } },
        "_attachments": { format!("{name}-{version}.tgz"): {
            "content_type": "application/octet-stream", "data": data, "length": tarball.len() } },
    })
}

#[test]
fn publish_documents_are_checked() {
    let body = publish_body("@s/n", "1.0.0", b"tgz");
    let ok = publish::parse_publish("@s/n", body.to_string().as_bytes()).unwrap();
    assert_eq!(
        (ok.version.as_str(), ok.tarball.as_slice()),
        ("1.0.0", &b"tgz"[..])
    );
    assert_eq!(ok.tags["latest"], "1.0.0");

    let status = |body: serde_json::Value, name: &str| {
        publish::parse_publish(name, body.to_string().as_bytes())
            .unwrap_err()
            .status
    };
    assert_eq!(status(body.clone(), "@s/other"), StatusCode::BAD_REQUEST);
    let mut wrong_hash = body.clone();
    wrong_hash["versions"]["1.0.0"]["dist"]["shasum"] = json!("0000");
    assert_eq!(status(wrong_hash, "@s/n"), StatusCode::BAD_REQUEST);
    let mut wrong_length = body.clone();
    wrong_length["_attachments"]["@s/n-1.0.0.tgz"]["length"] = json!(4);
    assert_eq!(status(wrong_length, "@s/n"), StatusCode::BAD_REQUEST);
    let mut two = body;
    two["versions"]["2.0.0"] = json!({ "name": "@s/n", "version": "2.0.0" });
    assert_eq!(status(two, "@s/n"), StatusCode::BAD_REQUEST);
}

#[test]
fn packuments_point_tarballs_at_the_repository_asked_and_hide_unlisted_versions() {
    let world = crate::world::World::new("123456789012");
    let mut domain = world.new_domain("octo-org", "us-east-1", None);
    let mut repo = world.new_repository("octo-org", "widgets", "us-east-1", None);
    repo.external_connection = Some(store::PUBLIC_NPMJS.to_owned());
    domain.repositories.insert("widgets".into(), repo);
    let public = public::PublicNpm::load();
    let now = world.now();
    let body = publish_body("@s/n", "1.0.0", b"one");
    let publish = publish::parse_publish("@s/n", body.to_string().as_bytes()).unwrap();
    publish::store(&mut domain, "widgets", "@s/n", publish, now).unwrap();
    let body = publish_body("@s/n", "1.1.0", b"two");
    let publish = publish::parse_publish("@s/n", body.to_string().as_bytes()).unwrap();
    publish::store(&mut domain, "widgets", "@s/n", publish, now).unwrap();
    let again = publish::parse_publish("@s/n", body.to_string().as_bytes()).unwrap();
    let err = publish::store(&mut domain, "widgets", "@s/n", again, now).unwrap_err();
    assert_eq!(err.status, StatusCode::CONFLICT);

    let endpoint = "http://sb/octo-org-123456789012/npm/widgets/";
    let found = store::visible(&domain, &public, "widgets", "@s/n");
    let doc = store::packument(&domain, &found, "@s/n", endpoint).unwrap();
    assert_eq!(doc["dist-tags"]["latest"], "1.1.0");
    assert_eq!(
        doc["versions"]["1.0.0"]["dist"]["tarball"],
        format!("{endpoint}@s/n/-/n-1.0.0.tgz")
    );

    let pkg = domain
        .repositories
        .get_mut("widgets")
        .unwrap()
        .npm
        .get_mut("@s/n")
        .unwrap();
    pkg.package.versions.get_mut("1.1.0").unwrap().status = "Unlisted".into();
    let found = store::visible(&domain, &public, "widgets", "@s/n");
    let doc = store::packument(&domain, &found, "@s/n", endpoint).unwrap();
    assert!(doc["versions"].get("1.1.0").is_none());
    assert_eq!(doc["dist-tags"]["latest"], "1.0.0");
    // Unlisted is still downloadable.
    let bytes = store::tarball(&mut domain, &public, "widgets", "@s/n", "n-1.1.0.tgz", now);
    assert_eq!(bytes.unwrap().as_slice(), b"two");

    // The public fixture, through the external connection; retained once fetched.
    let found = store::visible(&domain, &public, "widgets", "is-number");
    assert!(found.contains_key("7.0.0"));
    store::tarball(
        &mut domain,
        &public,
        "widgets",
        "is-number",
        "is-number-7.0.0.tgz",
        now,
    )
    .unwrap();
    let kept = &domain.repositories["widgets"].npm["is-number"].package;
    assert_eq!(kept.versions["7.0.0"].origin_type, "EXTERNAL");
    assert_eq!(kept.publish, "BLOCK");
}
