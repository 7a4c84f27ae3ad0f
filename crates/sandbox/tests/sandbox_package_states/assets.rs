//! ListPackageVersionAssets: `assets` with name, size and hashes of the files really stored.

use aws_sdk_codeartifact::types::{HashAlgorithm, PackageFormat};
use sha1::Sha1;
use sha2::{Digest as _, Sha256, Sha512};

use crate::{ACCOUNT, DOMAIN, REPO, ca, common, err, token_of, upload};
use cawiz_sandbox::SandboxHandle;

fn assets(
    sb: &SandboxHandle,
    package: &str,
    version: &str,
) -> aws_sdk_codeartifact::operation::list_package_version_assets::builders::ListPackageVersionAssetsFluentBuilder
{
    ca(sb)
        .list_package_version_assets()
        .domain(DOMAIN)
        .repository(REPO)
        .format(PackageFormat::Pypi)
        .package(package)
        .package_version(version)
}

#[tokio::test]
async fn assets_name_size_and_hash_the_stored_files() {
    let sb = common::start_sandbox("complete").await;
    let token = token_of(&ca(&sb)).await;
    // A second file of a version published here is accepted (wheel and sdist, say).
    let wheel =
        cawiz_sandbox::wheel::build_simple("widgets", "0.1.0", "a second build tag").unwrap();
    let mut sdist = wheel.clone();
    sdist.filename = "widgets-0.1.0.tar.gz".into();
    let (status, body) = upload(&sb, &token, REPO, &sdist).await;
    assert_eq!(status, 200, "{body}");

    let out = assets(&sb, "widgets", "0.1.0").send().await.unwrap();
    assert_eq!(out.format(), Some(&PackageFormat::Pypi));
    assert_eq!(out.package(), Some("widgets"));
    assert_eq!(out.version(), Some("0.1.0"));
    assert_eq!(out.namespace(), None);
    let described = ca(&sb)
        .describe_package_version()
        .domain(DOMAIN)
        .repository(REPO)
        .format(PackageFormat::Pypi)
        .package("widgets")
        .package_version("0.1.0")
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.version_revision(),
        described.package_version().and_then(|v| v.revision())
    );
    let names: Vec<&str> = out.assets().iter().map(|a| a.name()).collect();
    assert_eq!(
        names,
        ["widgets-0.1.0-py3-none-any.whl", "widgets-0.1.0.tar.gz"]
    );
    for asset in out.assets() {
        let url = format!(
            "{}/{DOMAIN}-{ACCOUNT}/pypi/{REPO}/simple/widgets/0.1.0/{}",
            sb.url(),
            asset.name()
        );
        let response = reqwest::Client::new()
            .get(url)
            .basic_auth("aws", Some(&token))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{}", asset.name());
        let bytes = response.bytes().await.unwrap();
        assert_eq!(asset.size(), Some(bytes.len() as i64));
        let hashes = asset.hashes().unwrap();
        assert_eq!(
            hashes[&HashAlgorithm::Sha256],
            hex::encode(Sha256::digest(&bytes))
        );
        assert_eq!(
            hashes[&HashAlgorithm::Sha1],
            hex::encode(Sha1::digest(&bytes))
        );
        assert_eq!(
            hashes[&HashAlgorithm::Sha512],
            hex::encode(Sha512::digest(&bytes))
        );
    }

    // Pages of one.
    let first = assets(&sb, "widgets", "0.1.0")
        .max_results(1)
        .send()
        .await
        .unwrap();
    assert_eq!(first.assets().len(), 1);
    let next = first.next_token().unwrap();
    let second = assets(&sb, "widgets", "0.1.0")
        .max_results(1)
        .next_token(next)
        .send()
        .await
        .unwrap();
    assert_eq!(second.assets()[0].name(), "widgets-0.1.0.tar.gz");
    assert_eq!(second.next_token(), None);
}

#[tokio::test]
async fn assets_of_what_does_not_exist_are_not_found() {
    let sb = common::start_sandbox("complete").await;
    for (package, version) in [
        ("widgets", "9.9.9"),
        ("gadgets", "0.1.0"),
        ("Widgets", "0.1.0"),
    ] {
        let (code, _) = err(assets(&sb, package, version).send().await);
        assert_eq!(code, "ResourceNotFoundException", "{package} {version}");
    }
    let (code, message) = err(assets(&sb, "widgets", "0.1.0").max_results(0).send().await);
    assert_eq!(code, "ValidationException");
    assert!(message.contains("maxResults"), "{message}");
}
