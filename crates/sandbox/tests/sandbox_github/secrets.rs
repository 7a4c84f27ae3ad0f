//! Actions secrets: sealed for the repository's public key, never returned.

use base64::Engine as _;
use reqwest::Method;
use serde_json::json;

use crate::common;
use crate::{BEARER, put_secret, raw, seal, secret_names};

#[tokio::test]
async fn secrets_are_sealed_for_the_repository_key_and_never_returned() {
    let sb = common::start_sandbox("complete").await;
    // Each write reads the public key and seals for it: 201 creates, 204 replaces (names are
    // case-insensitive).
    let (status, body) = put_secret(
        &sb,
        "octo-org",
        "widgets",
        "AWS_SECRET_ACCESS_KEY",
        "s3cr3t/value",
    )
    .await;
    assert_eq!((status, body), (201, json!({})), "created");
    let (status, body) = put_secret(
        &sb,
        "octo-org",
        "widgets",
        "aws_secret_access_key",
        "rotated",
    )
    .await;
    assert_eq!((status, body), (204, serde_json::Value::Null), "updated");
    let (status, _) = put_secret(
        &sb,
        "octo-org",
        "widgets",
        "AWS_ACCESS_KEY_ID",
        "AKIAEXAMPLE",
    )
    .await;
    assert_eq!(status, 201, "created");
    let (status, _, list) = raw(
        &sb,
        Method::GET,
        "/repos/octo-org/widgets/actions/secrets?per_page=30&page=1",
        BEARER,
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        secret_names(&list),
        ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]
    );
    // The sandbox can open what was sealed: the value arrived intact.
    assert_eq!(
        sb.github_secret("octo-org", "widgets", "AWS_SECRET_ACCESS_KEY")
            .as_deref(),
        Some("rotated")
    );

    let (status, _, key) = raw(
        &sb,
        Method::GET,
        "/repos/octo-org/widgets/actions/secrets/public-key",
        BEARER,
        None,
    )
    .await;
    assert_eq!(status, 200);
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(key["key"].as_str().unwrap_or_default())
        .expect("base64 key");
    assert_eq!(bytes.len(), 32, "an X25519 public key");
    assert!(key["key_id"].as_str().is_some_and(|id| !id.is_empty()));

    let (status, _, list) = raw(
        &sb,
        Method::GET,
        "/repos/octo-org/widgets/actions/secrets",
        BEARER,
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(list["total_count"], 2);
    let first = list["secrets"][0].as_object().cloned().unwrap_or_default();
    let mut fields: Vec<&str> = first.keys().map(String::as_str).collect();
    fields.sort_unstable();
    assert_eq!(fields, ["created_at", "name", "updated_at"], "no value");

    // A value not sealed for this key, or the wrong key id, is refused.
    let (status, _, _) = raw(
        &sb,
        Method::PUT,
        "/repos/octo-org/widgets/actions/secrets/OTHER",
        BEARER,
        Some(json!({"encrypted_value": "bm90IHNlYWxlZA==", "key_id": key["key_id"]})),
    )
    .await;
    assert_eq!(status, 422);
    let sealed = seal(key["key"].as_str().unwrap_or_default(), "v");
    let (status, _, _) = raw(
        &sb,
        Method::PUT,
        "/repos/octo-org/widgets/actions/secrets/OTHER",
        BEARER,
        Some(json!({"encrypted_value": sealed, "key_id": "0"})),
    )
    .await;
    assert_eq!(status, 422);

    let calls = sb.calls();
    assert_eq!(calls["GitHub:GetPublicKey"], 4);
    assert_eq!(calls["GitHub:SetSecret"], 5);
    assert!(!sb.mutating_calls().contains_key("GitHub:GetPublicKey"));
    assert!(!sb.mutating_calls().contains_key("GitHub:ListSecrets"));
}
