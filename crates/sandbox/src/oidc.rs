//! The sandbox's stand-in for GitHub's OIDC issuer, `https://token.actions.githubusercontent.com`:
//! RS256 JWTs with GitHub's claim set, the keys as JWKS, and verification for the sandbox's STS.
//!
//! The signing key (`assets/oidc-signing-key.json`) is public by design: only this sandbox's STS
//! trusts it. Tokens are minted for a job — repository, ref, event, environment, audience — with
//! the `sub` GitHub would send for that repository's subject settings (classic, immutable, or a
//! custom template; `github::oidc_sub`).

use std::collections::BTreeMap;
use std::sync::LazyLock;
use std::time::SystemTime;

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::world::epoch_seconds;

/// GitHub Actions' issuer, the `iss` of every token.
pub const ISSUER: &str = "https://token.actions.githubusercontent.com";
/// The audience configure-aws-credentials asks for.
pub const DEFAULT_AUDIENCE: &str = "sts.amazonaws.com";
/// GitHub's tokens are valid for five minutes after `iat`, and from ten minutes before it.
pub const LIFETIME_SECS: u64 = 300;
const NOT_BEFORE_SKEW_SECS: u64 = 600;

#[derive(Deserialize)]
struct KeyFile {
    kid: String,
    n: String,
    e: String,
    private_key_pem: String,
}

struct SigningKey {
    kid: String,
    n: String,
    e: String,
    encoding: EncodingKey,
    decoding: DecodingKey,
}

static KEY: LazyLock<Result<SigningKey, String>> = LazyLock::new(|| {
    let file: KeyFile = serde_json::from_str(include_str!("../assets/oidc-signing-key.json"))
        .map_err(|e| format!("the issuer's key file: {e}"))?;
    let encoding = EncodingKey::from_rsa_pem(file.private_key_pem.as_bytes())
        .map_err(|e| format!("the issuer's private key: {e}"))?;
    let decoding = DecodingKey::from_rsa_components(&file.n, &file.e)
        .map_err(|e| format!("the issuer's public key: {e}"))?;
    Ok(SigningKey {
        kid: file.kid,
        n: file.n,
        e: file.e,
        encoding,
        decoding,
    })
});

fn key() -> Result<&'static SigningKey, String> {
    KEY.as_ref().map_err(Clone::clone)
}

/// The job a token is for: what decides its claims.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// `refs/heads/main`, `refs/tags/v1`, `refs/pull/7/merge`.
    pub git_ref: String,
    /// `push`, `release`, `workflow_dispatch`, `pull_request`, …
    pub event_name: String,
    pub environment: Option<String>,
    pub audience: String,
    /// The workflow file (`.github/workflows/publish.yml`), for `workflow_ref`/`job_workflow_ref`.
    pub workflow_path: String,
    pub run_id: u64,
}

/// What the token says of the repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoClaims {
    pub owner: String,
    pub owner_id: u64,
    pub name: String,
    pub id: u64,
    /// `repo:OWNER/REPO` or `repo:OWNER@ID/REPO@ID`.
    pub sub_prefix: String,
    /// A custom template's claim keys; `None`: `repo` then `context`.
    pub claim_keys: Option<Vec<String>>,
}

/// The part of the default subject after the repository: the environment when the job has one,
/// else `pull_request` for pull requests, else the ref.
fn context(job: &Job) -> String {
    match (&job.environment, job.event_name.as_str()) {
        (Some(env), _) => format!("environment:{}", escape(env)),
        (None, "pull_request" | "pull_request_target") => "pull_request".to_owned(),
        (None, _) => format!("ref:{}", escape(&job.git_ref)),
    }
}

fn escape(value: &str) -> String {
    value.replace(':', "%3A")
}

/// The claims of a token for `job` in `repo`, issued at `now`.
pub fn claims(repo: &RepoClaims, job: &Job, now: SystemTime) -> Map<String, Value> {
    let iat = epoch_seconds(now) as u64;
    let full = format!("{}/{}", repo.owner, repo.name);
    let ref_type = if job.git_ref.starts_with("refs/tags/") {
        "tag"
    } else {
        "branch"
    };
    let workflow_ref = format!("{full}/{}@{}", job.workflow_path, job.git_ref);
    let mut strings: BTreeMap<&str, String> = BTreeMap::from([
        ("ref", job.git_ref.clone()),
        ("ref_type", ref_type.to_owned()),
        ("sha", format!("{:040x}", job.run_id)),
        ("repository", full.clone()),
        ("repository_id", repo.id.to_string()),
        ("repository_owner", repo.owner.clone()),
        ("repository_owner_id", repo.owner_id.to_string()),
        ("repository_visibility", "private".to_owned()),
        ("run_id", job.run_id.to_string()),
        ("run_number", job.run_id.to_string()),
        ("run_attempt", "1".to_owned()),
        ("actor", repo.owner.clone()),
        ("actor_id", repo.owner_id.to_string()),
        ("workflow", "publish".to_owned()),
        ("workflow_ref", workflow_ref.clone()),
        ("workflow_sha", format!("{:040x}", job.run_id)),
        ("job_workflow_ref", workflow_ref),
        ("job_workflow_sha", format!("{:040x}", job.run_id)),
        ("event_name", job.event_name.clone()),
        ("head_ref", String::new()),
        ("base_ref", String::new()),
        ("runner_environment", "github-hosted".to_owned()),
    ]);
    if let Some(env) = &job.environment {
        strings.insert("environment", env.clone());
    }
    let sub = subject(repo, job, &strings);
    let mut out: Map<String, Value> = strings
        .into_iter()
        .map(|(k, v)| (k.to_owned(), Value::String(v)))
        .collect();
    out.insert("sub".into(), json!(sub));
    out.insert("aud".into(), json!(job.audience));
    out.insert("iss".into(), json!(ISSUER));
    out.insert(
        "jti".into(),
        json!(format!("{:032x}", rand::random::<u128>())),
    );
    out.insert("iat".into(), json!(iat));
    out.insert(
        "nbf".into(),
        json!(iat.saturating_sub(NOT_BEFORE_SKEW_SECS)),
    );
    out.insert("exp".into(), json!(iat + LIFETIME_SECS));
    out
}

/// The `sub` GitHub sends: `repo:…:CONTEXT`, or the template's `key:value` pairs.
fn subject(repo: &RepoClaims, job: &Job, claims: &BTreeMap<&str, String>) -> String {
    let Some(keys) = &repo.claim_keys else {
        return format!("{}:{}", repo.sub_prefix, context(job));
    };
    keys.iter()
        .map(|key| match key.as_str() {
            "repo" => repo.sub_prefix.clone(),
            "context" => context(job),
            other => format!(
                "{other}:{}",
                escape(claims.get(other).map_or("", String::as_str))
            ),
        })
        .collect::<Vec<_>>()
        .join(":")
}

/// A signed token holding `claims`.
pub fn mint(claims: &Map<String, Value>) -> Result<String, String> {
    let key = key()?;
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(key.kid.clone());
    header.typ = Some("JWT".to_owned());
    jsonwebtoken::encode(&header, claims, &key.encoding).map_err(|e| e.to_string())
}

/// `message` signed with the issuer's RSA key (SHA256withRSA), in standard base64 as SNS sends
/// its message signatures (the sandbox has one key pair for everything it signs).
pub fn sign_sha256_base64(message: &[u8]) -> Result<String, String> {
    use base64::Engine as _;
    let signed = jsonwebtoken::crypto::sign(message, &key()?.encoding, Algorithm::RS256)
        .map_err(|e| e.to_string())?;
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(signed)
        .map_err(|e| e.to_string())?;
    Ok(base64::engine::general_purpose::STANDARD.encode(raw))
}

/// Why a token is refused before any claim is looked at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejected {
    /// Not a JWT signed by the issuer's key (malformed, tampered, another key).
    Signature(String),
    /// Signed by the key, but for another issuer.
    Issuer(String),
}

/// The claims of `token` when the issuer's key signed it. Expiry and audience are the caller's to
/// judge (against the sandbox's clock and the provider's client ids).
pub fn verify(token: &str) -> Result<Map<String, Value>, Rejected> {
    let key = key().map_err(Rejected::Signature)?;
    let mut validation = Validation::new(Algorithm::RS256);
    validation.validate_exp = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    let data = jsonwebtoken::decode::<Map<String, Value>>(token, &key.decoding, &validation)
        .map_err(|e| Rejected::Signature(e.to_string()))?;
    match data.claims.get("iss").and_then(Value::as_str) {
        Some(ISSUER) => Ok(data.claims),
        other => Err(Rejected::Issuer(other.unwrap_or_default().to_owned())),
    }
}

/// The issuer's keys, as `/.well-known/jwks` serves them.
pub fn jwks() -> Value {
    match key() {
        Ok(k) => json!({"keys": [{
            "kty": "RSA", "alg": "RS256", "use": "sig", "kid": k.kid, "n": k.n, "e": k.e
        }]}),
        Err(_) => json!({"keys": []}),
    }
}

/// The issuer's discovery document, with the JWKS at `jwks_url`.
pub fn openid_configuration(jwks_url: &str) -> Value {
    json!({
        "issuer": ISSUER,
        "jwks_uri": jwks_url,
        "subject_types_supported": ["public", "pairwise"],
        "response_types_supported": ["id_token"],
        "claims_supported": ["sub", "aud", "exp", "iat", "iss", "jti", "nbf", "ref", "repository",
            "repository_id", "repository_owner", "repository_owner_id", "run_id", "run_number",
            "run_attempt", "actor", "actor_id", "workflow", "workflow_ref", "workflow_sha",
            "head_ref", "base_ref", "event_name", "ref_type", "environment", "job_workflow_ref",
            "job_workflow_sha", "repository_visibility", "runner_environment"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid"]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo(keys: Option<Vec<&str>>) -> RepoClaims {
        RepoClaims {
            owner: "octo-org".into(),
            owner_id: 1,
            name: "widgets".into(),
            id: 2,
            sub_prefix: "repo:octo-org/widgets".into(),
            claim_keys: keys.map(|k| k.into_iter().map(str::to_owned).collect()),
        }
    }

    fn job(git_ref: &str, event: &str, env: Option<&str>) -> Job {
        Job {
            git_ref: git_ref.into(),
            event_name: event.into(),
            environment: env.map(str::to_owned),
            audience: DEFAULT_AUDIENCE.into(),
            workflow_path: ".github/workflows/publish.yml".into(),
            run_id: 7,
        }
    }

    #[test]
    fn subjects_follow_the_job_and_the_template() {
        let now = SystemTime::UNIX_EPOCH;
        let sub = |r: &RepoClaims, j: &Job| claims(r, j, now)["sub"].as_str().unwrap().to_owned();
        let r = repo(None);
        assert_eq!(
            sub(&r, &job("refs/heads/main", "push", None)),
            "repo:octo-org/widgets:ref:refs/heads/main"
        );
        assert_eq!(
            sub(&r, &job("refs/tags/v1", "release", None)),
            "repo:octo-org/widgets:ref:refs/tags/v1"
        );
        assert_eq!(
            sub(&r, &job("refs/pull/3/merge", "pull_request", None)),
            "repo:octo-org/widgets:pull_request"
        );
        assert_eq!(
            sub(&r, &job("refs/heads/main", "push", Some("prod:eu"))),
            "repo:octo-org/widgets:environment:prod%3Aeu"
        );
        let t = repo(Some(vec!["repo", "context", "job_workflow_ref"]));
        assert_eq!(
            sub(&t, &job("refs/heads/main", "workflow_dispatch", None)),
            "repo:octo-org/widgets:ref:refs/heads/main:job_workflow_ref:octo-org/widgets/.github/workflows/publish.yml@refs/heads/main"
        );
    }

    #[test]
    fn tokens_verify_and_tampering_is_caught() {
        let c = claims(
            &repo(None),
            &job("refs/heads/main", "push", None),
            SystemTime::now(),
        );
        let token = mint(&c).unwrap();
        assert_eq!(verify(&token).unwrap()["sub"], c["sub"]);
        let mut parts: Vec<&str> = token.split('.').collect();
        let mut forged = c.clone();
        forged.insert("sub".into(), json!("repo:evil/repo:ref:refs/heads/main"));
        let forged_payload = {
            use base64::Engine as _;
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(serde_json::to_vec(&forged).unwrap())
        };
        parts[1] = &forged_payload;
        assert!(matches!(
            verify(&parts.join(".")),
            Err(Rejected::Signature(_))
        ));
        assert!(matches!(verify("not.a.jwt"), Err(Rejected::Signature(_))));
        let mut other = c.clone();
        other.insert("iss".into(), json!("https://example.com"));
        assert!(matches!(
            verify(&mint(&other).unwrap()),
            Err(Rejected::Issuer(_))
        ));
        assert_eq!(jwks()["keys"][0]["alg"], "RS256");
    }
}
