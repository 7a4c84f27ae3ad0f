//! GetAuthorizationToken and GetRepositoryEndpoint.

use aws_sdk_codeartifact::types::PackageFormat;

use crate::common;
use crate::{code, failure, now_secs};

#[tokio::test]
async fn authorization_token_durations() {
    let sb = common::start_sandbox("complete").await;
    let c = common::codeartifact(sb.url());
    // 0 means the default (12 hours, the longest a token lives).
    for (duration, lifetime) in [(0, 43_200), (900, 900), (3600, 3600), (43_200, 43_200)] {
        let before = now_secs();
        let out = c
            .get_authorization_token()
            .domain("octo-org")
            .domain_owner(crate::ACCOUNT)
            .duration_seconds(duration)
            .send()
            .await
            .unwrap_or_else(|e| panic!("duration {duration}: {e:?}"));
        let token = out.authorization_token().expect("token");
        assert!(token.len() > 40, "token looks real: {token}");
        let expires = out.expiration().expect("expiration").secs();
        assert!(expires > now_secs(), "expires in the future");
        assert!(
            expires >= before + lifetime - 5 && expires <= now_secs() + lifetime + 5,
            "duration {duration}: expires in {}s",
            expires - before
        );
    }
    let plain = c
        .get_authorization_token()
        .domain("octo-org")
        .send()
        .await
        .unwrap();
    let expires = plain.expiration().expect("expiration").secs();
    assert!(
        (expires - now_secs() - 43_200).abs() < 10,
        "default is 12 hours"
    );

    for bad in [1, 899, 43_201, -5] {
        let (code_, status) = failure(
            c.get_authorization_token()
                .domain("octo-org")
                .duration_seconds(bad)
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
            c.get_authorization_token()
                .domain("nope-domain")
                .send()
                .await
        ),
        "ResourceNotFoundException"
    );
    assert_eq!(
        code(
            c.get_authorization_token()
                .domain("octo-org")
                .domain_owner("111122223333")
                .send()
                .await
        ),
        "ResourceNotFoundException"
    );
}

#[tokio::test]
async fn two_tokens_differ() {
    let sb = common::start_sandbox("complete").await;
    let c = common::codeartifact(sb.url());
    let a = c
        .get_authorization_token()
        .domain("octo-org")
        .send()
        .await
        .unwrap();
    let b = c
        .get_authorization_token()
        .domain("octo-org")
        .send()
        .await
        .unwrap();
    assert_ne!(a.authorization_token(), b.authorization_token());
}

#[tokio::test]
async fn repository_endpoint_is_the_sandbox_pypi_url() {
    let sb = common::start_sandbox("complete").await;
    let c = common::codeartifact(sb.url());
    let out = c
        .get_repository_endpoint()
        .domain("octo-org")
        .repository("widgets")
        .format(PackageFormat::Pypi)
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.repository_endpoint(),
        Some(format!("{}/octo-org-123456789012/pypi/widgets/", sb.url()).as_str())
    );
    assert_eq!(
        code(
            c.get_repository_endpoint()
                .domain("octo-org")
                .repository("nope")
                .format(PackageFormat::Pypi)
                .send()
                .await
        ),
        "ResourceNotFoundException"
    );
    assert_eq!(
        code(
            c.get_repository_endpoint()
                .domain("nope-domain")
                .repository("widgets")
                .format(PackageFormat::Pypi)
                .send()
                .await
        ),
        "ResourceNotFoundException"
    );
}
