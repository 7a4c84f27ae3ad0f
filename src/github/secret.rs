//! Writing an Actions secret: the value is sealed (libsodium sealed box) with the repository's
//! public key, so only GitHub can read it. The value never appears in an error or a log.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use crypto_box::PublicKey;
use crypto_box::aead::OsRng;
use reqwest::{Method, StatusCode};
use serde::Deserialize;

use super::{GithubClient, GithubError, Need, SetOutcome, repo_path, segment, unexpected};

/// A repository's public key for secrets (`GET /repos/{o}/{r}/actions/secrets/public-key`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SecretsPublicKey {
    pub key_id: String,
    /// Base64 of the 32-byte Curve25519 public key.
    pub key: String,
}

/// The public key was not 32 bytes of base64.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the repository's public key is not 32 bytes of base64")]
pub struct BadPublicKey;

/// `value` sealed for `public_key_b64` (libsodium `crypto_box_seal`), base64-encoded, as GitHub's
/// `encrypted_value` expects.
pub fn seal_secret(public_key_b64: &str, value: &str) -> Result<String, BadPublicKey> {
    let bytes = STANDARD
        .decode(public_key_b64.trim())
        .map_err(|_| BadPublicKey)?;
    let key = PublicKey::from_slice(&bytes).map_err(|_| BadPublicKey)?;
    let sealed = key
        .seal(&mut OsRng, value.as_bytes())
        .map_err(|_| BadPublicKey)?;
    Ok(STANDARD.encode(sealed))
}

impl GithubClient {
    /// Creates or replaces the Actions secret `name` (201 → Created, 204 → Updated).
    pub async fn set_secret(
        &self,
        owner: &str,
        repo: &str,
        name: &str,
        value: &str,
    ) -> Result<SetOutcome, GithubError> {
        let ctx = self.ctx(
            format!("set the Actions secret {name} of {owner}/{repo}"),
            owner,
            repo,
            Need::SecretsWrite,
        );
        let base = format!("{}/actions/secrets", repo_path(owner, repo));
        let key: SecretsPublicKey = self.get_json(&ctx, &format!("{base}/public-key")).await?;
        let encrypted_value =
            seal_secret(&key.key, value).map_err(|e| unexpected(&ctx, StatusCode::OK, &e))?;
        let body = serde_json::json!({ "encrypted_value": encrypted_value, "key_id": key.key_id });
        let path = format!("{base}/{}", segment(name));
        let (status, _) = self.send(&ctx, Method::PUT, &path, Some(&body)).await?;
        Ok(if status == StatusCode::CREATED {
            SetOutcome::Created
        } else {
            SetOutcome::Updated
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crypto_box::SecretKey;

    #[test]
    fn sealed_values_open_with_the_matching_secret_key() {
        let secret = SecretKey::from_bytes([7; 32]);
        let public = STANDARD.encode(secret.public_key().as_bytes());
        let sealed = seal_secret(&public, "wJalrXUtnFEMI/K7MDENG").unwrap();
        let raw = STANDARD.decode(&sealed).unwrap();
        // Ephemeral public key (32) + MAC (16) + the message.
        assert_eq!(raw.len(), 32 + 16 + "wJalrXUtnFEMI/K7MDENG".len());
        assert_eq!(secret.unseal(&raw).unwrap(), b"wJalrXUtnFEMI/K7MDENG");
        // A fresh ephemeral key each time.
        assert_ne!(
            seal_secret(&public, "x").unwrap(),
            seal_secret(&public, "x").unwrap()
        );
        let other = SecretKey::from_bytes([8; 32]);
        assert!(other.unseal(&raw).is_err());
    }

    #[test]
    fn bad_public_keys_are_refused() {
        assert_eq!(seal_secret("not base64!", "v"), Err(BadPublicKey));
        assert_eq!(
            seal_secret(&STANDARD.encode([1u8; 31]), "v"),
            Err(BadPublicKey)
        );
    }

    #[tokio::test]
    async fn set_secret_seals_with_the_repository_key() {
        use wiremock::matchers::{method, path};
        use wiremock::{Mock, MockServer, Request, ResponseTemplate};

        let secret = SecretKey::from_bytes([9; 32]);
        let public = STANDARD.encode(secret.public_key().as_bytes());
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/repos/octo/widgets/actions/secrets/public-key"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(serde_json::json!({"key_id": "kid-1", "key": public})),
            )
            .expect(2)
            .mount(&server)
            .await;
        let opens = move |req: &Request| {
            let body: serde_json::Value = serde_json::from_slice(&req.body).unwrap_or_default();
            let sealed = body["encrypted_value"].as_str().unwrap_or_default();
            body["key_id"] == "kid-1"
                && STANDARD
                    .decode(sealed)
                    .ok()
                    .and_then(|raw| secret.unseal(&raw).ok())
                    .is_some_and(|plain| plain == b"s3cr3t")
        };
        for (name, status) in [("AWS_SECRET_ACCESS_KEY", 201), ("AWS_ACCESS_KEY_ID", 204)] {
            Mock::given(method("PUT"))
                .and(path(format!("/repos/octo/widgets/actions/secrets/{name}")))
                .and(opens.clone())
                .respond_with(ResponseTemplate::new(status))
                .expect(1)
                .mount(&server)
                .await;
        }
        let client = GithubClient::new(&server.uri(), Some("ghp_t".into())).unwrap();
        let created = client.set_secret("octo", "widgets", "AWS_SECRET_ACCESS_KEY", "s3cr3t");
        assert_eq!(created.await.unwrap(), SetOutcome::Created);
        let updated = client.set_secret("octo", "widgets", "AWS_ACCESS_KEY_ID", "s3cr3t");
        assert_eq!(updated.await.unwrap(), SetOutcome::Updated);
    }
}
