//! The package and resource-policy evidence the doctor reads (`cawiz::aws`'s DescribePackage,
//! DescribePackageVersion, one page of ListPackageVersions, ListPackageVersionAssets and
//! Get…PermissionsPolicy calls), against the
//! in-process sandbox's `complete` scenario. Broken states are made with the real SDK as the
//! administrator, as the sandbox README's "Putting the sandbox in a broken state" describes.

mod common;

use aws_sdk_codeartifact::config::interceptors::BeforeTransmitInterceptorContextMut;
use aws_sdk_codeartifact::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_codeartifact::types::{
    AllowPublish, AllowUpstream, PackageFormat, PackageOriginRestrictions, PackageVersionStatus,
};
use cawiz::aws::{Clients, PackageInfo, PackageVersionInfo};
use cawiz::policy::{Principal, ResourceDecision, resource_policy_decision};
use cawiz_sandbox::SandboxHandle;

const ACCOUNT: &str = cawiz_sandbox::DEFAULT_ACCOUNT_ID;
const DOMAIN: &str = "octo-org";
const REPOSITORY: &str = "widgets";
const PACKAGE: &str = "widgets";
const ROLE_ARN: &str = "arn:aws:iam::123456789012:role/GitHubActions-CodeArtifact";

async fn complete() -> (SandboxHandle, Clients, aws_sdk_codeartifact::Client) {
    let sb = common::start_sandbox("complete").await;
    let clients = cawiz::sandbox::aws_clients(sb.url(), common::REGION);
    let admin = common::codeartifact(sb.url());
    (sb, clients, admin)
}

/// The newest versions, every status (one page).
async fn versions(clients: &Clients) -> Vec<PackageVersionInfo> {
    clients
        .newest_package_versions(DOMAIN, ACCOUNT, REPOSITORY, PACKAGE, None)
        .await
        .expect("ListPackageVersions")
        .expect("the package exists")
        .items
}

async fn package(clients: &Clients) -> PackageInfo {
    clients
        .describe_package(DOMAIN, ACCOUNT, REPOSITORY, PACKAGE)
        .await
        .expect("DescribePackage")
        .expect("the package exists")
}

#[tokio::test]
async fn a_published_package_its_versions_and_assets() {
    let (_sb, clients, _) = complete().await;
    assert_eq!(
        package(&clients).await,
        PackageInfo {
            name: PACKAGE.to_owned(),
            normalized_name: Some(PACKAGE.to_owned()),
            origin_publish: Some("ALLOW".to_owned()),
            origin_upstream: Some("BLOCK".to_owned()),
        }
    );
    assert_eq!(
        versions(&clients).await,
        vec![PackageVersionInfo {
            version: "0.1.0".to_owned(),
            status: "Published".to_owned(),
            origin_type: Some("INTERNAL".to_owned()),
            origin_repository: Some(REPOSITORY.to_owned()),
            external_connection: None,
        }]
    );
    let assets = clients
        .list_package_version_assets(DOMAIN, ACCOUNT, REPOSITORY, PACKAGE, "0.1.0")
        .await
        .expect("ListPackageVersionAssets")
        .expect("the version exists");
    assert_eq!(assets, vec!["widgets-0.1.0-py3-none-any.whl".to_owned()]);
}

#[tokio::test]
async fn what_does_not_exist_is_none() {
    let (_sb, clients, _) = complete().await;
    let (d, a, r) = (DOMAIN, ACCOUNT, REPOSITORY);
    for name in ["widgets-cawiz-probe", "Widgets_Cawiz.Probe"] {
        assert_eq!(
            clients.describe_package(d, a, r, name).await,
            Ok(None),
            "{name}"
        );
        assert_eq!(
            clients.newest_package_versions(d, a, r, name, None).await,
            Ok(None),
            "{name}"
        );
        let version = clients.describe_package_version(d, a, r, name, "0.1.0");
        assert_eq!(version.await, Ok(None), "{name}");
        let assets = clients.list_package_version_assets(d, a, r, name, "0.1.0");
        assert_eq!(assets.await, Ok(None), "{name}");
    }
    let unknown_version = clients.list_package_version_assets(d, a, r, PACKAGE, "9.9.9");
    assert_eq!(unknown_version.await, Ok(None));
    let unknown_version = clients.describe_package_version(d, a, r, PACKAGE, "9.9.9");
    assert_eq!(unknown_version.await, Ok(None));
    let no_repository = clients.describe_package(d, a, "nowhere", PACKAGE);
    assert_eq!(no_repository.await, Ok(None));
}

/// CodeArtifact's API finds a Python package only by its PEP 503 name (the raw SDK call with
/// `Widgets` is ResourceNotFoundException); cawiz's calls take any spelling pip would take and
/// ask with the normalised one.
#[tokio::test]
async fn any_spelling_is_asked_for_by_its_pep_503_name() {
    let (_sb, clients, admin) = complete().await;
    let raw = admin
        .describe_package()
        .domain(DOMAIN)
        .domain_owner(ACCOUNT)
        .repository(REPOSITORY)
        .format(PackageFormat::Pypi)
        .package("Widgets")
        .send()
        .await;
    assert!(
        raw.as_ref()
            .err()
            .and_then(|e| e.as_service_error())
            .is_some_and(|e| e.is_resource_not_found_exception()),
        "the API itself wants the normalised name: {raw:?}"
    );
    let (d, a, r) = (DOMAIN, ACCOUNT, REPOSITORY);
    for name in ["Widgets", "WIDGETS", "widgets"] {
        let info = clients.describe_package(d, a, r, name).await;
        assert_eq!(
            info.ok().flatten().map(|p| p.name),
            Some(PACKAGE.to_owned()),
            "{name}"
        );
        let listed = clients.newest_package_versions(d, a, r, name, None).await;
        assert_eq!(
            listed.ok().flatten().map(|v| v.items.len()),
            Some(1),
            "{name}"
        );
        let version = clients
            .describe_package_version(d, a, r, name, "0.1.0")
            .await;
        assert_eq!(
            version.ok().flatten().map(|v| v.status),
            Some("Published".to_owned()),
            "{name}"
        );
        let assets = clients.list_package_version_assets(d, a, r, name, "0.1.0");
        assert_eq!(
            assets.await.ok().flatten().map(|a| a.len()),
            Some(1),
            "{name}"
        );
    }
}

#[tokio::test]
async fn an_archived_version_is_read_back() {
    let (_sb, clients, admin) = complete().await;
    admin
        .update_package_versions_status()
        .domain(DOMAIN)
        .domain_owner(ACCOUNT)
        .repository(REPOSITORY)
        .format(PackageFormat::Pypi)
        .package(PACKAGE)
        .versions("0.1.0")
        .target_status(PackageVersionStatus::Archived)
        .send()
        .await
        .expect("UpdatePackageVersionsStatus");
    let listed = versions(&clients).await;
    let statuses: Vec<(&str, &str)> = listed
        .iter()
        .map(|v| (v.version.as_str(), v.status.as_str()))
        .collect();
    assert_eq!(statuses, vec![("0.1.0", "Archived")]);
    let described = clients
        .describe_package_version(DOMAIN, ACCOUNT, REPOSITORY, PACKAGE, "0.1.0")
        .await
        .expect("DescribePackageVersion")
        .expect("the version is still there");
    assert_eq!(described.status, "Archived");
    let published = clients
        .newest_package_versions(DOMAIN, ACCOUNT, REPOSITORY, PACKAGE, Some("Published"))
        .await
        .expect("ListPackageVersions")
        .expect("the package exists");
    assert!(published.items.is_empty(), "{published:?}");
}

#[tokio::test]
async fn a_blocked_origin_is_read_back() {
    let (_sb, clients, admin) = complete().await;
    let restrictions = PackageOriginRestrictions::builder()
        .publish(AllowPublish::Block)
        .upstream(AllowUpstream::Allow)
        .build()
        .expect("both restrictions");
    admin
        .put_package_origin_configuration()
        .domain(DOMAIN)
        .domain_owner(ACCOUNT)
        .repository(REPOSITORY)
        .format(PackageFormat::Pypi)
        .package(PACKAGE)
        .restrictions(restrictions)
        .send()
        .await
        .expect("PutPackageOriginConfiguration");
    let info = package(&clients).await;
    assert_eq!(info.origin_publish.as_deref(), Some("BLOCK"));
    assert_eq!(info.origin_upstream.as_deref(), Some("ALLOW"));
}

fn deny_the_role() -> serde_json::Value {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "ReadForTheAccount",
                "Effect": "Allow",
                "Principal": { "AWS": format!("arn:aws:iam::{ACCOUNT}:root") },
                "Action": "codeartifact:ReadFromRepository",
                "Resource": "*"
            },
            {
                "Sid": "NoPublishFromCi",
                "Effect": "Deny",
                "Principal": { "AWS": ROLE_ARN },
                "Action": "codeartifact:PublishPackageVersion",
                "Resource": "*"
            }
        ]
    })
}

#[tokio::test]
async fn permissions_policies_are_none_until_put_and_their_deny_names_the_role() {
    let (_sb, clients, admin) = complete().await;
    let domain_policy = || clients.domain_permissions_policy(DOMAIN, ACCOUNT);
    let repository_policy = || clients.repository_permissions_policy(DOMAIN, ACCOUNT, REPOSITORY);
    assert_eq!(domain_policy().await, Ok(None));
    assert_eq!(repository_policy().await, Ok(None));

    let domain_doc = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": { "AWS": ACCOUNT },
            "Action": "codeartifact:GetAuthorizationToken",
            "Resource": "*"
        }]
    })
    .to_string();
    admin
        .put_domain_permissions_policy()
        .domain(DOMAIN)
        .domain_owner(ACCOUNT)
        .policy_document(&domain_doc)
        .send()
        .await
        .expect("PutDomainPermissionsPolicy");
    admin
        .put_repository_permissions_policy()
        .domain(DOMAIN)
        .domain_owner(ACCOUNT)
        .repository(REPOSITORY)
        .policy_document(deny_the_role().to_string())
        .send()
        .await
        .expect("PutRepositoryPermissionsPolicy");

    assert_eq!(domain_policy().await, Ok(Some(domain_doc)));
    let document = repository_policy()
        .await
        .expect("GetRepositoryPermissionsPolicy")
        .expect("the repository has a policy now");
    let doc = cawiz::policy::parse_document(&document).expect("JSON");
    let principal = Principal {
        role_arn: ROLE_ARN.to_owned(),
        account: ACCOUNT.to_owned(),
        session: Some("GitHubActions".to_owned()),
    };
    let package_arn = format!(
        "arn:aws:codeartifact:us-east-1:{ACCOUNT}:package/{DOMAIN}/{REPOSITORY}/pypi//{PACKAGE}"
    );
    assert_eq!(
        resource_policy_decision(
            &doc,
            &principal,
            "codeartifact:PublishPackageVersion",
            &package_arn
        ),
        ResourceDecision::ExplicitDeny {
            statement: "NoPublishFromCi".to_owned()
        }
    );
    assert_eq!(
        resource_policy_decision(
            &doc,
            &principal,
            "codeartifact:ReadFromRepository",
            &package_arn
        ),
        ResourceDecision::Allow {
            statement: "ReadForTheAccount".to_owned()
        }
    );
}

/// Asks for one item per page on every listing.
#[derive(Debug)]
struct OnePerPage;

impl Intercept for OnePerPage {
    fn name(&self) -> &'static str {
        "OnePerPage"
    }

    fn modify_before_signing(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let uri = context.request().uri().to_owned();
        let separator = if uri.contains('?') { '&' } else { '?' };
        context
            .request_mut()
            .set_uri(format!("{uri}{separator}max-results=1"))?;
        Ok(())
    }
}

/// Uploads `bytes` as `filename` of `widgets` `version` to the repository, as twine does.
async fn upload(clients: &Clients, filename: &str, version: &str, bytes: Vec<u8>) {
    let endpoint = clients
        .pypi_endpoint(DOMAIN, ACCOUNT, REPOSITORY)
        .await
        .expect("endpoint");
    let (token, _) = clients
        .authorization_token(DOMAIN, ACCOUNT, 900)
        .await
        .expect("token");
    let filetype = if filename.ends_with(".whl") {
        "bdist_wheel"
    } else {
        "sdist"
    };
    let form = reqwest::multipart::Form::new()
        .text(":action", "file_upload")
        .text("protocol_version", "1")
        .text("name", PACKAGE)
        .text("version", version.to_owned())
        .text("filetype", filetype)
        .text("pyversion", "py3")
        .part(
            "content",
            reqwest::multipart::Part::bytes(bytes).file_name(filename.to_owned()),
        );
    let response = reqwest::Client::new()
        .post(endpoint)
        .basic_auth("aws", Some(token))
        .multipart(form)
        .send()
        .await
        .expect("upload");
    assert_eq!(response.status().as_u16(), 200, "upload of {filename}");
}

/// The versions are one page, newest first, whose listing says it was not all; a version's
/// assets follow every page.
#[tokio::test]
async fn versions_are_one_page_of_the_newest_and_assets_follow_every_page() {
    let (sb, mut clients, _) = complete().await;
    for version in ["0.2.0", "0.3.0"] {
        let wheel = cawiz_sandbox::wheel::build_simple(PACKAGE, version, "w").expect("wheel");
        upload(&clients, &wheel.filename, version, wheel.bytes.clone()).await;
    }
    let sdist = format!("{PACKAGE}-0.3.0.tar.gz");
    let wheel = cawiz_sandbox::wheel::build_simple(PACKAGE, "0.3.0", "w").expect("wheel");
    upload(&clients, &sdist, "0.3.0", wheel.bytes).await;

    let config = aws_sdk_codeartifact::config::Builder::from(&clients.config)
        .interceptor(OnePerPage)
        .build();
    clients.codeartifact = aws_sdk_codeartifact::Client::from_conf(config);
    let newest = clients
        .newest_package_versions(DOMAIN, ACCOUNT, REPOSITORY, PACKAGE, Some("Published"))
        .await
        .expect("ListPackageVersions")
        .expect("the package exists");
    let listed: Vec<&str> = newest.items.iter().map(|v| v.version.as_str()).collect();
    assert_eq!(listed, vec!["0.3.0"], "the newest first");
    assert_eq!((newest.listing.pages, newest.listing.complete), (1, false));
    let mut assets = clients
        .list_package_version_assets(DOMAIN, ACCOUNT, REPOSITORY, PACKAGE, "0.3.0")
        .await
        .expect("ListPackageVersionAssets")
        .expect("the version exists");
    assets.sort();
    assert_eq!(
        assets,
        vec!["widgets-0.3.0-py3-none-any.whl".to_owned(), sdist]
    );
    let calls = sb.calls();
    assert_eq!(calls.get("ListPackageVersions"), Some(&1), "{calls:?}");
    assert_eq!(calls.get("ListPackageVersionAssets"), Some(&2), "{calls:?}");
}
