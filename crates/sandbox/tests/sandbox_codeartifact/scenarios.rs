//! The starting states, as CodeArtifact describes them.

use aws_sdk_codeartifact::types::PackageFormat;

use crate::common;
use crate::{code, describe_repo, upstream_names_of};

#[tokio::test]
async fn complete_scenario_is_set_up() {
    let sb = common::start_sandbox("complete").await;
    let c = common::codeartifact(sb.url());
    let domains = c.list_domains().send().await.unwrap();
    let names: Vec<_> = domains.domains().iter().filter_map(|d| d.name()).collect();
    assert_eq!(names, ["octo-org"]);
    let d = c.describe_domain().domain("octo-org").send().await.unwrap();
    let d = d.domain().expect("domain");
    assert_eq!(d.repository_count(), 2);
    assert!(d.asset_size_bytes() > 0, "widgets 0.1.0 has a wheel");

    let widgets = describe_repo(&c, "octo-org", "widgets").await;
    assert_eq!(
        widgets.description(),
        Some("Python packages for octo-org/widgets")
    );
    assert_eq!(upstream_names_of(&widgets), ["pypi-store"]);
    assert!(widgets.external_connections().is_empty());

    let store = describe_repo(&c, "octo-org", "pypi-store").await;
    assert!(store.upstreams().is_empty());
    let conns = store.external_connections();
    assert_eq!(conns.len(), 1);
    assert_eq!(conns[0].external_connection_name(), Some("public:pypi"));
    assert_eq!(conns[0].package_format(), Some(&PackageFormat::Pypi));
}

#[tokio::test]
async fn guide_scenario_has_no_upstream() {
    let sb = common::start_sandbox("guide").await;
    let c = common::codeartifact(sb.url());
    let d = c.describe_domain().domain("acme-geo").send().await.unwrap();
    assert_eq!(d.domain().map(|d| d.repository_count()), Some(1));
    let repo = describe_repo(&c, "acme-geo", "earth-polychromatic-api").await;
    assert!(
        repo.upstreams().is_empty(),
        "the guide's upstream was never created"
    );
    assert!(repo.external_connections().is_empty());
    assert_eq!(
        code(
            c.describe_repository()
                .domain("acme-geo")
                .repository("pypi-store")
                .send()
                .await
        ),
        "ResourceNotFoundException"
    );
    let packages = c
        .list_packages()
        .domain("acme-geo")
        .repository("earth-polychromatic-api")
        .send()
        .await
        .unwrap();
    assert!(packages.packages().is_empty());
}

#[tokio::test]
async fn empty_scenario_has_no_domains() {
    let sb = common::start_sandbox("empty").await;
    let c = common::codeartifact(sb.url());
    assert!(c.list_domains().send().await.unwrap().domains().is_empty());
    assert_eq!(
        code(c.describe_domain().domain("octo-org").send().await),
        "ResourceNotFoundException"
    );
}
