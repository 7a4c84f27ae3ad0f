//! Error classification at the SDK edge, with `aws-smithy-mocks`: each `AwsErrorKind` from the SDK
//! error it comes from — modeled and unmodeled service errors, raw HTTP error responses run through
//! the SDK's own deserializer, errors without any code, and throttling being retried.
//!
//! STS is the vehicle (it is the crate with `test-util`); `AwsError::from_sdk` is generic over the
//! services, so what holds for STS's errors holds for IAM's and CodeArtifact's.

use std::time::Duration;

use aws_sdk_sts::Client;
use aws_sdk_sts::config::http::HttpResponse;
use aws_sdk_sts::config::retry::RetryConfig;
use aws_sdk_sts::config::{BehaviorVersion, Region};
use aws_sdk_sts::error::{ErrorMetadata, SdkError};
use aws_sdk_sts::operation::assume_role::{AssumeRoleError, AssumeRoleOutput};
use aws_sdk_sts::operation::get_caller_identity::{
    GetCallerIdentityError, GetCallerIdentityOutput,
};
use aws_sdk_sts::types::error::{ExpiredTokenException, RegionDisabledException};
use aws_smithy_mocks::{
    MockResponseInterceptor, Rule, RuleMode, create_mock_http_client, mock, mock_client,
};
use cawiz::aws::{AwsError, AwsErrorKind};

const OP: &str = "GetCallerIdentity";
const ACCOUNT: &str = "123456789012";

/// A client answering from `rules`, in order, with retries disabled.
fn client(rules: &[&Rule]) -> Client {
    mock_client!(aws_sdk_sts, RuleMode::Sequential, rules, |c| c
        .retry_config(RetryConfig::disabled()))
}

/// A client answering from `rules`, in order, with standard retries and a 1 ms initial backoff.
fn retrying_client(rules: &[&Rule]) -> Client {
    mock_client!(aws_sdk_sts, RuleMode::Sequential, rules, |c| c
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(3)
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(5)),
        ))
}

/// The metadata the SDK attaches to an error from a response: code and message.
fn metadata(code: &str, message: &str) -> ErrorMetadata {
    ErrorMetadata::builder().code(code).message(message).build()
}

/// An unmodeled error as the SDK builds it from a response: code and message in the metadata.
fn unmodeled(code: &str, message: &str) -> GetCallerIdentityError {
    GetCallerIdentityError::generic(metadata(code, message))
}

fn identity() -> GetCallerIdentityOutput {
    GetCallerIdentityOutput::builder()
        .account(ACCOUNT)
        .arn(format!("arn:aws:iam::{ACCOUNT}:user/dev"))
        .user_id("AIDAEXAMPLE")
        .build()
}

/// The classified error of one GetCallerIdentity call against `client`.
async fn classified(client: &Client) -> AwsError {
    let err = client
        .get_caller_identity()
        .send()
        .await
        .expect_err("the mock answers an error");
    AwsError::from_sdk(OP, &err)
}

/// The classified error for one unmodeled GetCallerIdentity error.
async fn classify_unmodeled(code: &'static str, message: &'static str) -> AwsError {
    let rule = mock!(Client::get_caller_identity).then_error(move || unmodeled(code, message));
    let e = classified(&client(&[&rule])).await;
    assert_eq!(rule.num_calls(), 1, "{code}: one call, no retry");
    e
}

/// An STS-style (awsQuery) XML error body.
fn xml_error(kind: &str, code: &str, message: &str) -> String {
    format!(
        "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
           <Error><Type>{kind}</Type><Code>{code}</Code><Message>{message}</Message></Error>\
           <RequestId>4c0a2b7e-0000-4000-8000-000000000000</RequestId>\
         </ErrorResponse>"
    )
}

fn http(status: u16, body: &str) -> HttpResponse {
    HttpResponse::new(
        status.try_into().expect("a valid status code"),
        body.to_owned().into(),
    )
}

/// The classified error for one raw HTTP answer to GetCallerIdentity.
async fn classify_http(status: u16, body: impl Into<String>) -> AwsError {
    let body = body.into();
    let rule = mock!(Client::get_caller_identity).then_http_response(move || http(status, &body));
    let e = classified(&client(&[&rule])).await;
    assert_eq!(rule.num_calls(), 1, "{status}: one call, no retry");
    e
}

const DENIED: &str = "User: arn:aws:iam::123456789012:user/dev is not authorized to perform: \
    codeartifact:CreateDomain on resource: arn:aws:codeartifact:us-east-1:123456789012:domain/octo-org \
    because no identity-based policy allows the codeartifact:CreateDomain action";

// --- Unmodeled service errors (GetCallerIdentity models none) ---------------------------------------

#[tokio::test]
async fn expired_token_is_expired_credentials() {
    let e = classify_unmodeled(
        "ExpiredToken",
        "The security token included in the request is expired",
    )
    .await;
    assert_eq!(e.kind, AwsErrorKind::ExpiredCredentials, "{e}");
    assert_eq!(e.code.as_deref(), Some("ExpiredToken"));
    assert_eq!(e.operation, OP);
    assert_eq!(
        e.message,
        "The security token included in the request is expired"
    );
    assert!(e.fix().contains("aws sso login"), "{}", e.fix());
    assert!(e.fix().contains("aws configure"), "{}", e.fix());
    assert_eq!(
        e.to_string(),
        "GetCallerIdentity failed (expired or missing credentials, ExpiredToken): The security token \
         included in the request is expired"
    );
}

#[tokio::test]
async fn invalid_client_token_id_is_expired_credentials() {
    let e = classify_unmodeled(
        "InvalidClientTokenId",
        "The security token included in the request is invalid.",
    )
    .await;
    assert_eq!(e.kind, AwsErrorKind::ExpiredCredentials, "{e}");
    assert_eq!(e.code.as_deref(), Some("InvalidClientTokenId"));
    assert!(e.fix().contains("--profile"), "{}", e.fix());
}

#[tokio::test]
async fn access_denied_names_the_action_and_resource() {
    let e = classify_unmodeled("AccessDenied", DENIED).await;
    assert_eq!(e.kind, AwsErrorKind::AccessDenied, "{e}");
    assert_eq!(e.code.as_deref(), Some("AccessDenied"));
    assert_eq!(e.message, DENIED);
    assert_eq!(
        e.denied_action(),
        Some((
            "codeartifact:CreateDomain".to_owned(),
            Some("arn:aws:codeartifact:us-east-1:123456789012:domain/octo-org".to_owned())
        ))
    );
    assert_eq!(
        e.fix(),
        "Your identity may not call codeartifact:CreateDomain on \
         arn:aws:codeartifact:us-east-1:123456789012:domain/octo-org. Use a profile with that permission \
         (--profile), or ask an administrator to grant it."
    );
}

#[tokio::test]
async fn access_denied_without_a_resource_names_the_action() {
    let e = classify_unmodeled(
        "AccessDeniedException",
        "User: arn:aws:iam::123456789012:user/dev is not authorized to perform: sts:GetCallerIdentity",
    )
    .await;
    assert_eq!(e.kind, AwsErrorKind::AccessDenied, "{e}");
    assert_eq!(
        e.denied_action(),
        Some(("sts:GetCallerIdentity".to_owned(), None))
    );
    assert!(
        e.fix()
            .starts_with("Your identity may not call sts:GetCallerIdentity. "),
        "{}",
        e.fix()
    );
}

#[tokio::test]
async fn access_denied_without_the_usual_message_names_the_operation() {
    let e = classify_unmodeled("AccessDenied", "Access Denied").await;
    assert_eq!(e.kind, AwsErrorKind::AccessDenied, "{e}");
    assert_eq!(e.denied_action(), None);
    assert!(
        e.fix()
            .starts_with("Your identity may not call GetCallerIdentity. "),
        "{}",
        e.fix()
    );
}

#[tokio::test]
async fn throttling_is_throttled() {
    for code in ["Throttling", "ThrottlingException", "RequestLimitExceeded"] {
        let rule =
            mock!(Client::get_caller_identity).then_error(move || unmodeled(code, "Rate exceeded"));
        let e = classified(&client(&[&rule])).await;
        assert_eq!(e.kind, AwsErrorKind::Throttled, "{code}: {e}");
        assert_eq!(e.code.as_deref(), Some(code));
        assert_eq!(e.message, "Rate exceeded");
        assert!(e.fix().contains("rate-limiting"), "{}", e.fix());
    }
}

#[tokio::test]
async fn no_such_entity_is_not_found() {
    for code in ["NoSuchEntity", "ResourceNotFoundException"] {
        let rule = mock!(Client::get_caller_identity)
            .then_error(move || unmodeled(code, "The role with name gh-publish cannot be found."));
        let e = classified(&client(&[&rule])).await;
        assert_eq!(e.kind, AwsErrorKind::NotFound, "{code}: {e}");
        assert_eq!(e.code.as_deref(), Some(code));
        assert!(e.fix().contains("does not exist"), "{}", e.fix());
    }
}

#[tokio::test]
async fn entity_already_exists_is_conflict() {
    let e = classify_unmodeled(
        "EntityAlreadyExists",
        "Role with name gh-publish already exists.",
    )
    .await;
    assert_eq!(e.kind, AwsErrorKind::Conflict, "{e}");
    assert!(e.fix().contains("adopt"), "{}", e.fix());
}

#[tokio::test]
async fn an_unknown_code_is_other() {
    let e = classify_unmodeled("ValidationError", "1 validation error detected").await;
    assert_eq!(e.kind, AwsErrorKind::Other, "{e}");
    assert_eq!(e.code.as_deref(), Some("ValidationError"));
    assert_eq!(e.message, "1 validation error detected");
    assert!(e.fix().contains("RUST_LOG=debug"), "{}", e.fix());
}

#[tokio::test]
async fn a_code_without_a_message_uses_the_code() {
    let rule = mock!(Client::get_caller_identity).then_error(|| {
        GetCallerIdentityError::generic(ErrorMetadata::builder().code("Throttling").build())
    });
    let e = classified(&client(&[&rule])).await;
    assert_eq!(e.kind, AwsErrorKind::Throttled, "{e}");
    assert_eq!(e.message, "Throttling");
}

// --- Modeled service errors (AssumeRole models some) ------------------------------------------------

/// The classified error of one AssumeRole call answered by `error`.
async fn classify_assume_role(
    error: impl Fn() -> AssumeRoleError + Send + Sync + 'static,
) -> AwsError {
    let rule = mock!(Client::assume_role).then_error(error);
    let err = assume_role(&client(&[&rule]))
        .await
        .expect_err("the mock answers an error");
    assert_eq!(rule.num_calls(), 1);
    AwsError::from_sdk("AssumeRole", &err)
}

/// One AssumeRole call of the role gh-publish.
async fn assume_role(
    client: &Client,
) -> Result<AssumeRoleOutput, SdkError<AssumeRoleError, HttpResponse>> {
    client
        .assume_role()
        .role_arn(format!("arn:aws:iam::{ACCOUNT}:role/gh-publish"))
        .role_session_name("cawiz")
        .send()
        .await
}

#[tokio::test]
async fn a_modeled_expired_token_is_expired_credentials() {
    // As the SDK's deserializer builds it: the modeled shape, with the response's metadata attached.
    let message = "The security token included in the request is expired";
    let e = classify_assume_role(move || {
        AssumeRoleError::ExpiredTokenException(
            ExpiredTokenException::builder()
                .message(message)
                .meta(metadata("ExpiredTokenException", message))
                .build(),
        )
    })
    .await;
    assert_eq!(e.kind, AwsErrorKind::ExpiredCredentials, "{e}");
    assert_eq!(e.code.as_deref(), Some("ExpiredTokenException"));
    assert_eq!(e.operation, "AssumeRole");
    assert_eq!(e.message, message);
}

#[tokio::test]
async fn a_modeled_error_of_no_known_kind_is_other() {
    let message = "STS is not activated in this region for account 123456789012.";
    let e = classify_assume_role(move || {
        AssumeRoleError::RegionDisabledException(
            RegionDisabledException::builder()
                .message(message)
                .meta(metadata("RegionDisabledException", message))
                .build(),
        )
    })
    .await;
    assert_eq!(e.kind, AwsErrorKind::Other, "{e}");
    assert_eq!(e.code.as_deref(), Some("RegionDisabledException"));
    assert_eq!(e.message, message);
}

#[tokio::test]
async fn an_unmodeled_error_of_an_operation_with_models_is_classified_by_code() {
    let e = classify_assume_role(|| {
        AssumeRoleError::generic(metadata(
            "AccessDenied",
            "User: arn:aws:iam::123456789012:user/dev is not authorized to perform: sts:AssumeRole on \
             resource: arn:aws:iam::123456789012:role/gh-publish",
        ))
    })
    .await;
    assert_eq!(e.kind, AwsErrorKind::AccessDenied, "{e}");
    assert_eq!(
        e.denied_action(),
        Some((
            "sts:AssumeRole".to_owned(),
            Some("arn:aws:iam::123456789012:role/gh-publish".to_owned())
        ))
    );
}

#[tokio::test]
async fn a_success_is_not_an_error() {
    let rule = mock!(Client::assume_role).then_output(|| AssumeRoleOutput::builder().build());
    assume_role(&client(&[&rule]))
        .await
        .expect("the mock answers a success");
    let rule = mock!(Client::get_caller_identity).then_output(identity);
    let got = client(&[&rule])
        .get_caller_identity()
        .send()
        .await
        .expect("the mock answers a success");
    assert_eq!(got.account(), Some(ACCOUNT));
}

// --- Raw HTTP responses, through the SDK's awsQuery error deserializer ------------------------------

#[tokio::test]
async fn http_403_with_an_xml_access_denied_body() {
    let body = xml_error("Sender", "AccessDenied", DENIED);
    let e = classify_http(403, body).await;
    assert_eq!(e.kind, AwsErrorKind::AccessDenied, "{e}");
    assert_eq!(e.code.as_deref(), Some("AccessDenied"));
    assert_eq!(e.message, DENIED);
    let (action, resource) = e.denied_action().expect("the action is named");
    assert_eq!(action, "codeartifact:CreateDomain");
    assert_eq!(
        resource.as_deref(),
        Some("arn:aws:codeartifact:us-east-1:123456789012:domain/octo-org")
    );
    assert!(
        e.fix().contains(
            "codeartifact:CreateDomain on arn:aws:codeartifact:us-east-1:123456789012:domain/octo-org"
        ),
        "{}",
        e.fix()
    );
}

#[tokio::test]
async fn http_403_with_an_xml_expired_token_body() {
    let body = xml_error(
        "Sender",
        "ExpiredToken",
        "The security token included in the request is expired",
    );
    let e = classify_http(403, body).await;
    assert_eq!(e.kind, AwsErrorKind::ExpiredCredentials, "{e}");
    assert_eq!(e.code.as_deref(), Some("ExpiredToken"));
}

#[tokio::test]
async fn http_400_with_an_xml_throttling_body() {
    let body = xml_error("Sender", "Throttling", "Rate exceeded");
    let e = classify_http(400, body).await;
    assert_eq!(e.kind, AwsErrorKind::Throttled, "{e}");
    assert_eq!(e.code.as_deref(), Some("Throttling"));
    assert_eq!(e.message, "Rate exceeded");
}

#[tokio::test]
async fn http_404_with_an_xml_no_such_entity_body() {
    let body = xml_error(
        "Sender",
        "NoSuchEntity",
        "The role with name gh-publish cannot be found.",
    );
    let e = classify_http(404, body).await;
    assert_eq!(e.kind, AwsErrorKind::NotFound, "{e}");
    assert_eq!(e.code.as_deref(), Some("NoSuchEntity"));
}

#[tokio::test]
async fn http_500_without_a_body_has_no_code_and_a_readable_message() {
    let e = classify_http(500, "").await;
    assert_eq!(e.kind, AwsErrorKind::Other, "{e}");
    assert_eq!(e.code, None);
    assert_eq!(
        e.message,
        "service error: unhandled error: error parsing XML: no root element"
    );
    assert!(
        e.to_string()
            .starts_with("GetCallerIdentity failed (error): "),
        "{e}"
    );
    assert!(e.fix().contains("RUST_LOG=debug"), "{}", e.fix());
}

#[tokio::test]
async fn http_503_with_an_html_body_has_no_code_and_a_readable_message() {
    let e = classify_http(503, "<html><body>Service Unavailable</body></html>").await;
    assert_eq!(e.kind, AwsErrorKind::Other, "{e}");
    assert_eq!(e.code, None);
    assert!(e.message.starts_with("service error: "), "{e:?}");
}

// --- Errors that carry no code at all -------------------------------------------------------------

#[tokio::test]
async fn missing_credentials_have_no_code_and_are_expired_credentials() {
    // A modeled output would be set over the failed attempt by the mock interceptor; an HTTP answer
    // only takes effect when the request is sent, which it never is.
    let rule = mock!(Client::get_caller_identity).then_http_response(|| http(200, ""));
    // `mock_client!` installs test credentials, so the client is put together by hand, without any.
    let config = aws_sdk_sts::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .http_client(create_mock_http_client())
        .interceptor(
            MockResponseInterceptor::new()
                .rule_mode(RuleMode::Sequential)
                .with_rule(&rule),
        )
        .retry_config(RetryConfig::disabled())
        .build();
    let err = Client::from_conf(config)
        .get_caller_identity()
        .send()
        .await
        .expect_err("no credentials to sign with");
    let e = AwsError::from_sdk(OP, &err);
    assert_eq!(e.kind, AwsErrorKind::ExpiredCredentials, "{e}");
    assert_eq!(e.code, None);
    assert!(e.message.to_lowercase().contains("credential"), "{e:?}");
    assert!(e.fix().contains("aws sso login"), "{}", e.fix());
}

#[tokio::test]
async fn a_missing_region_has_no_code_and_a_readable_message() {
    // A modeled output would be set over the failed attempt by the mock interceptor; an HTTP answer
    // only takes effect when the request is sent, which it never is.
    let rule = mock!(Client::get_caller_identity).then_http_response(|| http(200, ""));
    let client = mock_client!(aws_sdk_sts, RuleMode::Sequential, &[&rule], |mut c| {
        c.set_region(None);
        c.retry_config(RetryConfig::disabled())
    });
    let err = client
        .get_caller_identity()
        .send()
        .await
        .expect_err("no region to resolve the endpoint with");
    let e = AwsError::from_sdk(OP, &err);
    assert_eq!(e.kind, AwsErrorKind::Other, "{e}");
    assert_eq!(e.code, None);
    assert!(e.message.contains("Missing Region"), "{e:?}");
    assert!(e.fix().contains("RUST_LOG=debug"), "{}", e.fix());
}

// --- Retries ----------------------------------------------------------------------------------------

#[tokio::test]
async fn throttling_is_retried_until_success() {
    let rule = mock!(Client::get_caller_identity)
        .sequence()
        .error(|| unmodeled("Throttling", "Rate exceeded"))
        .times(2)
        .output(identity)
        .build();
    let got = retrying_client(&[&rule])
        .get_caller_identity()
        .send()
        .await
        .expect("retried past the throttling");
    assert_eq!(got.account(), Some(ACCOUNT));
    assert_eq!(rule.num_calls(), 3, "two throttled attempts and a success");
}

#[tokio::test]
async fn a_throttling_http_response_is_retried_until_success() {
    let rule = mock!(Client::get_caller_identity)
        .sequence()
        .http_response(|| http(400, &xml_error("Sender", "Throttling", "Rate exceeded")))
        .output(identity)
        .build();
    let got = retrying_client(&[&rule])
        .get_caller_identity()
        .send()
        .await
        .expect("retried past the throttling");
    assert_eq!(got.account(), Some(ACCOUNT));
    assert_eq!(rule.num_calls(), 2);
}

#[tokio::test]
async fn throttling_past_the_attempts_is_throttled() {
    let rule = mock!(Client::get_caller_identity)
        .sequence()
        .error(|| unmodeled("Throttling", "Rate exceeded"))
        .times(3)
        .output(identity)
        .build();
    let e = classified(&retrying_client(&[&rule])).await;
    assert_eq!(e.kind, AwsErrorKind::Throttled, "{e}");
    assert_eq!(rule.num_calls(), 3, "max_attempts = 3");
}

#[tokio::test]
async fn without_retries_throttling_surfaces() {
    let rule = mock!(Client::get_caller_identity)
        .sequence()
        .error(|| unmodeled("Throttling", "Rate exceeded"))
        .output(identity)
        .build();
    let e = classified(&client(&[&rule])).await;
    assert_eq!(e.kind, AwsErrorKind::Throttled, "{e}");
    assert_eq!(rule.num_calls(), 1);
}

#[tokio::test]
async fn access_denied_is_not_retried() {
    let rule = mock!(Client::get_caller_identity)
        .sequence()
        .error(|| unmodeled("AccessDenied", DENIED))
        .output(identity)
        .build();
    let e = classified(&retrying_client(&[&rule])).await;
    assert_eq!(e.kind, AwsErrorKind::AccessDenied, "{e}");
    assert_eq!(rule.num_calls(), 1, "access denied is final");
}
