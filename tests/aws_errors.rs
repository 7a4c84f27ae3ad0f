//! Error classification over the wire: each AwsError kind from the error the real SDK gets from the
//! sandbox, plus missing credentials and an unreachable endpoint.
mod common;

use cawiz::aws::{AwsError, AwsErrorKind, Clients};
use cawiz_sandbox::SandboxConfig;

async fn kind_of(code: &str) -> AwsError {
    let config = SandboxConfig {
        faults: vec![
            format!("GetCallerIdentity={code}")
                .parse()
                .expect("fault spec"),
        ],
        ..Default::default()
    };
    let sb = common::start_sandbox_with(config).await;
    let clients = Clients::from_config(common::sdk_config(sb.url()));
    let err = clients
        .sts
        .get_caller_identity()
        .send()
        .await
        .expect_err("fault injected");
    AwsError::from_sdk("GetCallerIdentity", &err)
}

#[tokio::test]
async fn each_kind_from_a_real_sdk_error() {
    for (code, kind) in [
        ("AccessDenied", AwsErrorKind::AccessDenied),
        ("Throttling", AwsErrorKind::Throttled),
        ("ExpiredToken", AwsErrorKind::ExpiredCredentials),
        ("InvalidClientTokenId", AwsErrorKind::ExpiredCredentials),
        ("NoSuchEntity", AwsErrorKind::NotFound),
        ("EntityAlreadyExists", AwsErrorKind::Conflict),
        ("InternalFailure", AwsErrorKind::Other),
    ] {
        let e = kind_of(code).await;
        assert_eq!(e.kind, kind, "{code}: {e}");
        assert_eq!(e.code.as_deref(), Some(code));
        assert!(!e.fix().is_empty());
    }
}

#[tokio::test]
async fn rest_json_errors_are_classified_too() {
    let sb = common::start_sandbox("empty").await;
    let clients = Clients::from_config(common::sdk_config(sb.url()));
    let err = clients
        .codeartifact
        .describe_domain()
        .domain("nope")
        .send()
        .await
        .unwrap_err();
    let e = AwsError::from_sdk("DescribeDomain", &err);
    assert_eq!(e.kind, AwsErrorKind::NotFound, "{e}");
    assert_eq!(e.code.as_deref(), Some("ResourceNotFoundException"));
}

#[tokio::test]
async fn missing_credentials_say_how_to_log_in() {
    let sb = common::start_sandbox("empty").await;
    let config = aws_config::SdkConfig::builder()
        .behavior_version(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new("us-east-1"))
        .endpoint_url(sb.url())
        .build();
    let clients = Clients::from_config(config);
    let err = clients.sts.get_caller_identity().send().await.unwrap_err();
    let e = AwsError::from_sdk("GetCallerIdentity", &err);
    assert_eq!(e.kind, AwsErrorKind::ExpiredCredentials, "{e}");
    assert!(e.fix().contains("aws sso login"));
}

#[tokio::test]
async fn unreachable_endpoint_is_reported_plainly() {
    let port = common::free_port();
    let clients = Clients::from_config(common::sdk_config(&format!("http://127.0.0.1:{port}")));
    let err = clients.sts.get_caller_identity().send().await.unwrap_err();
    let e = AwsError::from_sdk("GetCallerIdentity", &err);
    assert_eq!(e.kind, AwsErrorKind::Other, "{e}");
    assert!(e.message.contains("could not reach"), "{e}");
}
