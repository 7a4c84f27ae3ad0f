//! AssociateExternalConnection and DisassociateExternalConnection.

use aws_sdk_codeartifact::types::{ExternalConnectionStatus, PackageFormat};

use crate::common;
use crate::{code, create_domain, create_repo, describe_repo, failure};

#[tokio::test]
async fn every_public_connection_name_is_known_with_its_format() {
    let sb = common::start_sandbox("empty").await;
    let c = common::codeartifact(sb.url());
    create_domain(&c, "stores").await;
    let known = [
        ("public:npmjs", PackageFormat::Npm),
        ("public:pypi", PackageFormat::Pypi),
        ("public:maven-central", PackageFormat::Maven),
        ("public:maven-googleandroid", PackageFormat::Maven),
        ("public:maven-gradleplugins", PackageFormat::Maven),
        ("public:maven-commonsware", PackageFormat::Maven),
        ("public:maven-clojars", PackageFormat::Maven),
        ("public:nuget-org", PackageFormat::Nuget),
        ("public:ruby-gems-org", PackageFormat::Ruby),
        ("public:crates-io", PackageFormat::Cargo),
    ];
    for (i, (name, format)) in known.iter().enumerate() {
        let repo = format!("store-{i}");
        create_repo(&c, "stores", &repo, &[]).await;
        let out = c
            .associate_external_connection()
            .domain("stores")
            .repository(&repo)
            .external_connection(*name)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let conns = out
            .repository()
            .map(|r| r.external_connections())
            .unwrap_or_default();
        assert_eq!(conns.len(), 1, "{name}");
        assert_eq!(conns[0].external_connection_name(), Some(*name));
        assert_eq!(conns[0].package_format(), Some(format), "{name}");
        assert_eq!(
            conns[0].status(),
            Some(&ExternalConnectionStatus::Available)
        );
    }
    create_repo(&c, "stores", "plain", &[]).await;
    for bad in [
        "public:foo",
        "pypi",
        "public:PyPI",
        "https://pypi.org/simple",
    ] {
        let (code_, status) = failure(
            c.associate_external_connection()
                .domain("stores")
                .repository("plain")
                .external_connection(bad)
                .send()
                .await,
        );
        assert_eq!(
            (code_.as_str(), status),
            ("ValidationException", 400),
            "{bad}"
        );
    }
    assert_eq!(
        code(
            c.associate_external_connection()
                .domain("stores")
                .repository("ghost")
                .external_connection("public:pypi")
                .send()
                .await
        ),
        "ResourceNotFoundException"
    );
}

#[tokio::test]
async fn one_external_connection_per_repository() {
    let sb = common::start_sandbox("complete").await;
    let c = common::codeartifact(sb.url());
    let associate = |name: &'static str| {
        c.associate_external_connection()
            .domain("octo-org")
            .repository("pypi-store")
            .external_connection(name)
            .send()
    };
    let (code_, status) = failure(associate("public:npmjs").await);
    assert_eq!(
        (code_.as_str(), status),
        ("ServiceQuotaExceededException", 402)
    );
    let (code_, status) = failure(associate("public:pypi").await);
    assert_eq!((code_.as_str(), status), ("ConflictException", 409));
    let r = describe_repo(&c, "octo-org", "pypi-store").await;
    let conns = r.external_connections();
    assert_eq!(conns.len(), 1);
    assert_eq!(conns[0].external_connection_name(), Some("public:pypi"));
}

#[tokio::test]
async fn disassociate_external_connection() {
    let sb = common::start_sandbox("complete").await;
    let c = common::codeartifact(sb.url());
    let disassociate = |repo: &'static str, name: &'static str| {
        c.disassociate_external_connection()
            .domain("octo-org")
            .repository(repo)
            .external_connection(name)
            .send()
    };
    let (code_, status) = failure(disassociate("widgets", "public:pypi").await);
    assert_eq!((code_.as_str(), status), ("ResourceNotFoundException", 404));
    assert_eq!(
        code(disassociate("pypi-store", "public:npmjs").await),
        "ResourceNotFoundException"
    );
    let out = disassociate("pypi-store", "public:pypi").await.unwrap();
    assert!(
        out.repository()
            .expect("repository")
            .external_connections()
            .is_empty()
    );
    let r = describe_repo(&c, "octo-org", "pypi-store").await;
    assert!(r.external_connections().is_empty());
    // Now another one fits.
    c.associate_external_connection()
        .domain("octo-org")
        .repository("pypi-store")
        .external_connection("public:npmjs")
        .send()
        .await
        .unwrap();
}
