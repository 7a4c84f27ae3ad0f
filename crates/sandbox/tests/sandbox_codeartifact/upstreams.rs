//! Upstream repositories: they must exist first (the guide's mistake), the order that works,
//! and UpdateRepository's rules (replace, clear, no self, no cycles, no repeats, at most ten).

use aws_sdk_codeartifact::types::{ExternalConnectionStatus, PackageFormat};

use crate::common;
use crate::{
    code, create_domain, create_repo, describe_repo, failure, up,
    upstream_names_of as upstream_names,
};

#[tokio::test]
async fn an_upstream_must_exist_before_it_is_named() {
    // The guide's first mistake: `create-repository --upstreams repositoryName=pypi-store`
    // before pypi-store exists.
    let sb = common::start_sandbox("empty").await;
    let c = common::codeartifact(sb.url());
    create_domain(&c, "acme-geo").await;
    let (code_, status) = failure(
        c.create_repository()
            .domain("acme-geo")
            .repository("earth-polychromatic-api")
            .upstreams(up("pypi-store"))
            .send()
            .await,
    );
    assert_eq!((code_.as_str(), status), ("ResourceNotFoundException", 404));
    assert_eq!(
        code(
            c.describe_repository()
                .domain("acme-geo")
                .repository("earth-polychromatic-api")
                .send()
                .await
        ),
        "ResourceNotFoundException",
        "a failed create leaves nothing behind"
    );
}

#[tokio::test]
async fn the_right_order_sets_up_the_pypi_upstream() {
    let sb = common::start_sandbox("empty").await;
    let c = common::codeartifact(sb.url());
    create_domain(&c, "acme-geo").await;
    // 1. the upstream, 2. its external connection, 3. the repository, 4. link them.
    create_repo(&c, "acme-geo", "pypi-store", &[]).await;
    let out = c
        .associate_external_connection()
        .domain("acme-geo")
        .repository("pypi-store")
        .external_connection("public:pypi")
        .send()
        .await
        .unwrap();
    let conns = out
        .repository()
        .map(|r| r.external_connections())
        .unwrap_or_default();
    assert_eq!(conns.len(), 1);
    assert_eq!(conns[0].external_connection_name(), Some("public:pypi"));
    assert_eq!(conns[0].package_format(), Some(&PackageFormat::Pypi));
    assert_eq!(
        conns[0].status(),
        Some(&ExternalConnectionStatus::Available)
    );
    create_repo(&c, "acme-geo", "earth-polychromatic-api", &[]).await;
    let updated = c
        .update_repository()
        .domain("acme-geo")
        .repository("earth-polychromatic-api")
        .upstreams(up("pypi-store"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        upstream_names(updated.repository().expect("repository")),
        ["pypi-store"]
    );

    let r = describe_repo(&c, "acme-geo", "earth-polychromatic-api").await;
    assert_eq!(upstream_names(&r), ["pypi-store"]);
    assert!(r.external_connections().is_empty());
    let store = describe_repo(&c, "acme-geo", "pypi-store").await;
    assert_eq!(
        store.external_connections()[0].external_connection_name(),
        Some("public:pypi")
    );
}

#[tokio::test]
async fn update_repository_rules() {
    let sb = common::start_sandbox("empty").await;
    let c = common::codeartifact(sb.url());
    create_domain(&c, "d1").await;
    create_repo(&c, "d1", "aa", &[]).await;
    create_repo(&c, "d1", "bb", &["aa"]).await;
    create_repo(&c, "d1", "cc", &["bb"]).await;

    // Description only: upstreams stay.
    let out = c
        .update_repository()
        .domain("d1")
        .repository("cc")
        .description("new words")
        .send()
        .await
        .unwrap();
    let r = out.repository().expect("repository");
    assert_eq!(r.description(), Some("new words"));
    assert_eq!(upstream_names(r), ["bb"]);

    // Upstreams replace, in the order given.
    let out = c
        .update_repository()
        .domain("d1")
        .repository("cc")
        .upstreams(up("aa"))
        .upstreams(up("bb"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        upstream_names(out.repository().expect("repository")),
        ["aa", "bb"]
    );
    assert_eq!(
        out.repository().and_then(|r| r.description()),
        Some("new words")
    );

    // An explicit empty list removes them all.
    let out = c
        .update_repository()
        .domain("d1")
        .repository("cc")
        .set_upstreams(Some(vec![]))
        .send()
        .await
        .unwrap();
    assert!(out.repository().expect("repository").upstreams().is_empty());

    let update = |repo: &str, ups: &[&str]| {
        let mut req = c.update_repository().domain("d1").repository(repo);
        for u in ups {
            req = req.upstreams(up(u));
        }
        req.send()
    };
    assert_eq!(
        code(update("aa", &["aa"]).await),
        "ValidationException",
        "itself"
    );
    assert_eq!(
        code(update("aa", &["bb"]).await),
        "ValidationException",
        "aa <- bb <- aa"
    );
    assert_eq!(
        code(update("cc", &["bb", "bb"]).await),
        "ValidationException",
        "repeat"
    );
    assert_eq!(
        code(update("cc", &["ghost"]).await),
        "ResourceNotFoundException"
    );
    assert_eq!(
        code(update("ghost", &["aa"]).await),
        "ResourceNotFoundException"
    );

    // At most ten upstreams.
    let many: Vec<String> = (0..11).map(|i| format!("up-{i:02}")).collect();
    for name in &many {
        create_repo(&c, "d1", name, &[]).await;
    }
    let names: Vec<&str> = many.iter().map(String::as_str).collect();
    assert!(update("cc", &names[..10]).await.is_ok());
    let (code_, status) = failure(update("cc", &names).await);
    assert_eq!(
        (code_.as_str(), status),
        ("ServiceQuotaExceededException", 402)
    );

    // Failed updates changed nothing.
    assert!(describe_repo(&c, "d1", "aa").await.upstreams().is_empty());
}
