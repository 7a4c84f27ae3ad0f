//! UpdatePackageVersionsStatus and DisposePackageVersions, and the statuses ListPackageVersions
//! and DescribePackageVersion report (the doctor's `version-status`).

use aws_sdk_codeartifact::types::{
    PackageFormat, PackageVersionErrorCode, PackageVersionOriginType, PackageVersionStatus,
};

use crate::{DOMAIN, REPO, ca, common, err, publish};
use cawiz_sandbox::SandboxHandle;

use PackageVersionStatus::{Archived, Disposed, Published, Unlisted};

fn update(
    sb: &SandboxHandle,
    package: &str,
) -> aws_sdk_codeartifact::operation::update_package_versions_status::builders::UpdatePackageVersionsStatusFluentBuilder
{
    ca(sb)
        .update_package_versions_status()
        .domain(DOMAIN)
        .repository(REPO)
        .format(PackageFormat::Pypi)
        .package(package)
}

/// `(version, status)` of each version ListPackageVersions lists, filtered by `status`.
async fn listed(
    sb: &SandboxHandle,
    package: &str,
    status: Option<PackageVersionStatus>,
) -> Vec<(String, PackageVersionStatus)> {
    let out = ca(sb)
        .list_package_versions()
        .domain(DOMAIN)
        .repository(REPO)
        .format(PackageFormat::Pypi)
        .package(package)
        .set_status(status)
        .send()
        .await
        .unwrap();
    out.versions()
        .iter()
        .map(|v| (v.version().to_owned(), v.status().clone()))
        .collect()
}

async fn describe(
    sb: &SandboxHandle,
    package: &str,
    version: &str,
) -> aws_sdk_codeartifact::types::PackageVersionDescription {
    ca(sb)
        .describe_package_version()
        .domain(DOMAIN)
        .repository(REPO)
        .format(PackageFormat::Pypi)
        .package(package)
        .package_version(version)
        .send()
        .await
        .unwrap()
        .package_version()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn versions_are_archived_unlisted_and_published_again() {
    let sb = common::start_sandbox("complete").await;
    publish(&sb, "widgets", "0.2.0").await;
    let before = describe(&sb, "widgets", "0.1.0").await;
    assert_eq!(before.status(), Some(&Published));

    let out = update(&sb, "widgets")
        .versions("0.1.0")
        .target_status(Archived)
        .send()
        .await
        .unwrap();
    let ok = out.successful_versions().unwrap();
    assert_eq!(ok["0.1.0"].status(), Some(&Archived));
    assert_ne!(ok["0.1.0"].revision(), before.revision(), "a new revision");
    assert!(out.failed_versions().is_none_or(|f| f.is_empty()));

    // ListPackageVersions returns every status unless filtered.
    assert_eq!(
        listed(&sb, "widgets", None).await,
        [("0.1.0".into(), Archived), ("0.2.0".into(), Published)]
    );
    assert_eq!(
        listed(&sb, "widgets", Some(Archived)).await,
        [("0.1.0".into(), Archived)]
    );
    assert_eq!(
        listed(&sb, "widgets", Some(Published)).await,
        [("0.2.0".into(), Published)]
    );
    let archived = describe(&sb, "widgets", "0.1.0").await;
    assert_eq!(archived.status(), Some(&Archived));
    assert_eq!(archived.revision(), ok["0.1.0"].revision());
    let origin = archived.origin().unwrap();
    assert_eq!(
        origin.origin_type(),
        Some(&PackageVersionOriginType::Internal)
    );
    assert_eq!(
        origin
            .domain_entry_point()
            .and_then(|e| e.repository_name()),
        Some(REPO)
    );

    // expectedStatus guards the change; Unlisted, then Published again.
    let out = update(&sb, "widgets")
        .versions("0.1.0")
        .expected_status(Archived)
        .target_status(Unlisted)
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.successful_versions().unwrap()["0.1.0"].status(),
        Some(&Unlisted)
    );
    update(&sb, "widgets")
        .versions("0.1.0")
        .target_status(Published)
        .send()
        .await
        .unwrap();
    assert_eq!(
        listed(&sb, "widgets", Some(Published)).await.len(),
        2,
        "both published"
    );
}

#[tokio::test]
async fn each_version_that_cannot_change_is_reported_with_its_error_code() {
    let sb = common::start_sandbox("complete").await;
    let out = update(&sb, "widgets")
        .versions("0.1.0")
        .versions("9.9.9")
        .expected_status(Unlisted)
        .target_status(Archived)
        .send()
        .await
        .unwrap();
    let failed = out.failed_versions().unwrap();
    assert_eq!(
        failed["0.1.0"].error_code(),
        Some(&PackageVersionErrorCode::MismatchedStatus)
    );
    assert_eq!(
        failed["0.1.0"].error_message(),
        Some("current status: Published, expected status: Unlisted")
    );
    assert_eq!(
        failed["9.9.9"].error_code(),
        Some(&PackageVersionErrorCode::NotFound)
    );
    assert!(out.successful_versions().is_none_or(|s| s.is_empty()));
    assert_eq!(
        describe(&sb, "widgets", "0.1.0").await.status(),
        Some(&Published)
    );

    let out = update(&sb, "widgets")
        .versions("0.1.0")
        .version_revisions("0.1.0", "not-the-revision")
        .target_status(Archived)
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.failed_versions().unwrap()["0.1.0"].error_code(),
        Some(&PackageVersionErrorCode::MismatchedRevision)
    );
    let revision = describe(&sb, "widgets", "0.1.0")
        .await
        .revision()
        .unwrap()
        .to_owned();
    let out = update(&sb, "widgets")
        .versions("0.1.0")
        .version_revisions("0.1.0", revision)
        .target_status(Archived)
        .send()
        .await
        .unwrap();
    assert!(out.successful_versions().unwrap().contains_key("0.1.0"));
}

#[tokio::test]
async fn update_refuses_targets_and_names_aws_does_not_accept() {
    let sb = common::start_sandbox("complete").await;
    let (code, message) = err(update(&sb, "widgets")
        .versions("0.1.0")
        .target_status(Disposed)
        .send()
        .await);
    assert_eq!(code, "ValidationException");
    assert!(message.contains("DisposePackageVersions"), "{message}");
    for target in [
        PackageVersionStatus::Unfinished,
        PackageVersionStatus::Deleted,
    ] {
        let (code, _) = err(update(&sb, "widgets")
            .versions("0.1.0")
            .target_status(target.clone())
            .send()
            .await);
        assert_eq!(code, "ValidationException", "{target:?}");
    }
    let (code, message) = err(update(&sb, "widgets")
        .set_versions(Some(Vec::new()))
        .target_status(Archived)
        .send()
        .await);
    assert_eq!(code, "ValidationException");
    assert!(message.contains("versions"), "{message}");
    // Python names: the API takes the normalised name only.
    for package in ["gadgets", "Widgets"] {
        let (code, _) = err(update(&sb, package)
            .versions("0.1.0")
            .target_status(Archived)
            .send()
            .await);
        assert_eq!(code, "ResourceNotFoundException", "{package}");
    }
    let (code, message) = err(ca(&sb)
        .update_package_versions_status()
        .domain("no-such-domain")
        .repository(REPO)
        .format(PackageFormat::Pypi)
        .package("widgets")
        .versions("0.1.0")
        .target_status(Archived)
        .send()
        .await);
    assert_eq!(code, "ResourceNotFoundException");
    assert_eq!(
        message,
        "Domain not found. Domain 'no-such-domain' owned by account '123456789012' does not exist."
    );
}

#[tokio::test]
async fn disposing_deletes_the_assets_and_cannot_be_undone() {
    let sb = common::start_sandbox("complete").await;
    let out = ca(&sb)
        .dispose_package_versions()
        .domain(DOMAIN)
        .repository(REPO)
        .format(PackageFormat::Pypi)
        .package("widgets")
        .versions("0.1.0")
        .versions("0.0.9")
        .expected_status(Published)
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.successful_versions().unwrap()["0.1.0"].status(),
        Some(&Disposed)
    );
    assert_eq!(
        out.failed_versions().unwrap()["0.0.9"].error_code(),
        Some(&PackageVersionErrorCode::NotFound)
    );
    assert_eq!(
        listed(&sb, "widgets", Some(Disposed)).await,
        [("0.1.0".into(), Disposed)]
    );
    assert_eq!(
        describe(&sb, "widgets", "0.1.0").await.status(),
        Some(&Disposed)
    );
    let assets = ca(&sb)
        .list_package_version_assets()
        .domain(DOMAIN)
        .repository(REPO)
        .format(PackageFormat::Pypi)
        .package("widgets")
        .package_version("0.1.0")
        .send()
        .await
        .unwrap();
    assert!(assets.assets().is_empty(), "{:?}", assets.assets());

    let out = update(&sb, "widgets")
        .versions("0.1.0")
        .target_status(Published)
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.failed_versions().unwrap()["0.1.0"].error_code(),
        Some(&PackageVersionErrorCode::NotAllowed)
    );
    assert_eq!(
        describe(&sb, "widgets", "0.1.0").await.status(),
        Some(&Disposed)
    );
}
