//! ListPackages, ListPackageVersions, DescribePackageVersion, DeletePackageVersions,
//! GetRepositoryPermissionsPolicy, on the `complete` scenario's `widgets` 0.1.0.

use aws_sdk_codeartifact::types::{
    AllowPublish, AllowUpstream, PackageFormat, PackageVersionErrorCode, PackageVersionOriginType,
    PackageVersionStatus,
};

use crate::common;
use crate::{code, failure, now_secs};

#[tokio::test]
async fn list_packages_finds_widgets_by_its_normalised_name() {
    let sb = common::start_sandbox("complete").await;
    let c = common::codeartifact(sb.url());
    let list = || c.list_packages().domain("octo-org").repository("widgets");
    let out = list().send().await.unwrap();
    assert_eq!(out.packages().len(), 1);
    let p = &out.packages()[0];
    assert_eq!(p.format(), Some(&PackageFormat::Pypi));
    assert_eq!(p.package(), Some("widgets"));
    assert_eq!(p.namespace(), None);
    let r = p
        .origin_configuration()
        .and_then(|o| o.restrictions())
        .expect("restrictions");
    assert_eq!(r.publish(), &AllowPublish::Allow);
    assert_eq!(r.upstream(), &AllowUpstream::Block);
    assert!(out.next_token().is_none());

    let count = |out: aws_sdk_codeartifact::operation::list_packages::ListPackagesOutput| {
        out.packages().len()
    };
    assert_eq!(
        count(list().format(PackageFormat::Pypi).send().await.unwrap()),
        1
    );
    assert_eq!(
        count(list().format(PackageFormat::Npm).send().await.unwrap()),
        0
    );
    assert_eq!(count(list().package_prefix("wid").send().await.unwrap()), 1);
    // Python names: "the normalized name must be used in CodeArtifact CLI or API requests".
    assert_eq!(count(list().package_prefix("Wid").send().await.unwrap()), 0);
    assert_eq!(count(list().package_prefix("x").send().await.unwrap()), 0);
    assert_eq!(
        count(list().publish(AllowPublish::Allow).send().await.unwrap()),
        1
    );
    assert_eq!(
        count(list().publish(AllowPublish::Block).send().await.unwrap()),
        0
    );
    assert_eq!(
        count(list().upstream(AllowUpstream::Block).send().await.unwrap()),
        1
    );
    assert_eq!(count(list().max_results(1).send().await.unwrap()), 1);
    assert_eq!(
        code(list().format(PackageFormat::from("tarball")).send().await),
        "ValidationException"
    );
    assert_eq!(
        code(list().max_results(0).send().await),
        "ValidationException"
    );
    let store = c
        .list_packages()
        .domain("octo-org")
        .repository("pypi-store")
        .send()
        .await
        .unwrap();
    assert!(store.packages().is_empty());
    assert_eq!(
        code(
            c.list_packages()
                .domain("octo-org")
                .repository("nope")
                .send()
                .await
        ),
        "ResourceNotFoundException"
    );
}

#[tokio::test]
async fn list_package_versions_of_widgets() {
    let sb = common::start_sandbox("complete").await;
    let c = common::codeartifact(sb.url());
    let versions = |package: &str| {
        c.list_package_versions()
            .domain("octo-org")
            .repository("widgets")
            .format(PackageFormat::Pypi)
            .package(package)
    };
    for spelling in ["Widgets", "WIDGETS"] {
        let (code_, status) = failure(versions(spelling).send().await);
        assert_eq!(
            (code_.as_str(), status),
            ("ResourceNotFoundException", 404),
            "{spelling}: the API takes the normalised name only"
        );
    }
    {
        let out = versions("widgets").send().await.unwrap();
        assert_eq!(out.package(), Some("widgets"));
        assert_eq!(out.format(), Some(&PackageFormat::Pypi));
        assert_eq!(out.default_display_version(), Some("0.1.0"));
        assert_eq!(out.versions().len(), 1);
        let v = &out.versions()[0];
        assert_eq!(v.version(), "0.1.0");
        assert_eq!(v.status(), &PackageVersionStatus::Published);
        assert!(v.revision().is_some_and(|r| !r.is_empty()));
        let origin = v.origin().expect("origin");
        assert_eq!(
            origin.origin_type(),
            Some(&PackageVersionOriginType::Internal)
        );
        let entry = origin.domain_entry_point().expect("domainEntryPoint");
        assert_eq!(entry.repository_name(), Some("widgets"));
        assert_eq!(entry.external_connection_name(), None);
    }
    let out = versions("widgets")
        .status(PackageVersionStatus::Archived)
        .send()
        .await
        .unwrap();
    assert!(out.versions().is_empty());
    let out = versions("widgets")
        .origin_type(PackageVersionOriginType::External)
        .send()
        .await
        .unwrap();
    assert!(out.versions().is_empty());
    let (code_, status) = failure(versions("gadgets").send().await);
    assert_eq!((code_.as_str(), status), ("ResourceNotFoundException", 404));
    assert_eq!(
        code(
            c.list_package_versions()
                .domain("octo-org")
                .repository("widgets")
                .format(PackageFormat::Npm)
                .package("widgets")
                .send()
                .await
        ),
        "ResourceNotFoundException",
        "widgets is a PyPI package"
    );
    assert_eq!(
        code(
            c.list_package_versions()
                .domain("octo-org")
                .repository("pypi-store")
                .format(PackageFormat::Pypi)
                .package("widgets")
                .send()
                .await
        ),
        "ResourceNotFoundException",
        "ListPackageVersions does not look upstream"
    );
}

#[tokio::test]
async fn describe_package_version_of_widgets() {
    let sb = common::start_sandbox("complete").await;
    let c = common::codeartifact(sb.url());
    let describe = |package: &str, version: &str| {
        c.describe_package_version()
            .domain("octo-org")
            .repository("widgets")
            .format(PackageFormat::Pypi)
            .package(package)
            .package_version(version)
            .send()
    };
    assert_eq!(
        code(describe("Widgets", "0.1.0").await),
        "ResourceNotFoundException"
    );
    let out = describe("widgets", "0.1.0").await.unwrap();
    let v = out.package_version().expect("packageVersion");
    assert_eq!(v.format(), Some(&PackageFormat::Pypi));
    assert_eq!(v.package_name(), Some("widgets"));
    assert_eq!(v.display_name(), Some("widgets"));
    assert_eq!(v.version(), Some("0.1.0"));
    assert_eq!(v.status(), Some(&PackageVersionStatus::Published));
    assert!(v.revision().is_some());
    let published = v.published_time().expect("publishedTime").secs();
    assert!((now_secs() - published).abs() < 600);
    let origin = v.origin().expect("origin");
    assert_eq!(
        origin.origin_type(),
        Some(&PackageVersionOriginType::Internal)
    );
    assert_eq!(
        origin
            .domain_entry_point()
            .and_then(|e| e.repository_name()),
        Some("widgets")
    );
    let listed = c
        .list_package_versions()
        .domain("octo-org")
        .repository("widgets")
        .format(PackageFormat::Pypi)
        .package("widgets")
        .send()
        .await
        .unwrap();
    assert_eq!(listed.versions()[0].revision(), v.revision());

    assert_eq!(
        code(describe("widgets", "9.9.9").await),
        "ResourceNotFoundException"
    );
    assert_eq!(
        code(describe("gadgets", "0.1.0").await),
        "ResourceNotFoundException"
    );
}

#[tokio::test]
async fn delete_package_versions_of_widgets() {
    let sb = common::start_sandbox("complete").await;
    let c = common::codeartifact(sb.url());
    let delete = || {
        c.delete_package_versions()
            .domain("octo-org")
            .repository("widgets")
            .format(PackageFormat::Pypi)
            .package("widgets")
    };
    // A status that does not match: nothing deleted.
    let out = delete()
        .versions("0.1.0")
        .expected_status(PackageVersionStatus::Archived)
        .send()
        .await
        .unwrap();
    let failed = out.failed_versions().expect("failedVersions");
    assert_eq!(
        failed["0.1.0"].error_code(),
        Some(&PackageVersionErrorCode::MismatchedStatus)
    );
    assert!(out.successful_versions().is_none_or(|s| s.is_empty()));

    let revision = c
        .describe_package_version()
        .domain("octo-org")
        .repository("widgets")
        .format(PackageFormat::Pypi)
        .package("widgets")
        .package_version("0.1.0")
        .send()
        .await
        .unwrap()
        .package_version()
        .and_then(|v| v.revision().map(str::to_owned));

    let out = delete()
        .versions("0.1.0")
        .versions("9.9.9")
        .expected_status(PackageVersionStatus::Published)
        .send()
        .await
        .unwrap();
    let ok = out.successful_versions().expect("successfulVersions");
    assert_eq!(ok.len(), 1);
    assert_eq!(ok["0.1.0"].status(), Some(&PackageVersionStatus::Deleted));
    assert_eq!(ok["0.1.0"].revision().map(str::to_owned), revision);
    let failed = out.failed_versions().expect("failedVersions");
    assert_eq!(failed.len(), 1);
    assert_eq!(
        failed["9.9.9"].error_code(),
        Some(&PackageVersionErrorCode::NotFound)
    );
    assert!(failed["9.9.9"].error_message().is_some());

    // The last version went, so the package went.
    let packages = c
        .list_packages()
        .domain("octo-org")
        .repository("widgets")
        .send()
        .await
        .unwrap();
    assert!(packages.packages().is_empty());
    assert_eq!(
        code(
            c.list_package_versions()
                .domain("octo-org")
                .repository("widgets")
                .format(PackageFormat::Pypi)
                .package("widgets")
                .send()
                .await
        ),
        "ResourceNotFoundException"
    );
    assert_eq!(
        code(delete().versions("0.1.0").send().await),
        "ResourceNotFoundException"
    );
    let domain = c.describe_domain().domain("octo-org").send().await.unwrap();
    assert_eq!(domain.domain().map(|d| d.asset_size_bytes()), Some(0));
}

#[tokio::test]
async fn repository_without_a_policy_has_none() {
    let sb = common::start_sandbox("complete").await;
    let c = common::codeartifact(sb.url());
    let (code_, status) = failure(
        c.get_repository_permissions_policy()
            .domain("octo-org")
            .repository("widgets")
            .send()
            .await,
    );
    assert_eq!((code_.as_str(), status), ("ResourceNotFoundException", 404));
    assert_eq!(
        code(
            c.get_repository_permissions_policy()
                .domain("octo-org")
                .repository("nope")
                .send()
                .await
        ),
        "ResourceNotFoundException"
    );
}
