//! AssumeRoleWithWebIdentity with AWS's checks, in AWS's order and words: the token's signature
//! (the issuer's key), a registered IAM OIDC provider for its issuer, its expiry (the sandbox's
//! clock), its audience among the provider's client ids, the role's trust policy evaluated against
//! its claims (`token.actions.githubusercontent.com:sub`, `:aud`, …; StringEquals/StringLike and
//! their ForAnyValue/ForAllValues forms, case-sensitive), and `DurationSeconds` within the role's
//! `MaxSessionDuration`. Success: temporary credentials for `assumed-role/ROLE/SESSION`.

use std::time::{Duration, SystemTime};

use serde_json::{Map, Value};

use crate::Shared;
use crate::matching::{ContextEntry, statements};
use crate::oidc::{self, Rejected};
use crate::protocol::{ApiError, ApiResult, Params, X};
use crate::simulate::{Decision, PolicyInput, evaluate};
use crate::world::{Role, Session, World, aws_id, iso8601};

const ACTION: &str = "sts:AssumeRoleWithWebIdentity";
const DURATION_MIN: u64 = 900;
const DURATION_MAX: u64 = 43_200;
const DEFAULT_DURATION: u64 = 3600;

fn invalid_token(message: impl Into<String>) -> ApiError {
    ApiError::new("InvalidIdentityToken", message)
}

fn not_authorized() -> ApiError {
    ApiError::new(
        "AccessDenied",
        "Not authorized to perform sts:AssumeRoleWithWebIdentity",
    )
}

fn validation(message: impl Into<String>) -> ApiError {
    ApiError::new("ValidationError", message)
}

/// The request's parameters, checked as STS checks their shapes.
struct Request<'p> {
    role_arn: &'p str,
    session_name: &'p str,
    token: &'p str,
    duration: Option<u64>,
}

fn request(params: &Params) -> ApiResult<Request<'_>> {
    let role_arn = params.required("RoleArn")?;
    let session_name = params.required("RoleSessionName")?;
    let token = params.required("WebIdentityToken")?;
    let name_ok = (2..=64).contains(&session_name.len())
        && session_name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c));
    if !name_ok {
        return Err(validation(format!(
            "1 validation error detected: Value '{session_name}' at 'roleSessionName' failed to \
             satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*"
        )));
    }
    let duration = match params.get("DurationSeconds") {
        None => None,
        Some(raw) => match raw.parse::<u64>() {
            Ok(d) if (DURATION_MIN..=DURATION_MAX).contains(&d) => Some(d),
            _ => {
                return Err(validation(format!(
                    "1 validation error detected: Value '{raw}' at 'durationSeconds' failed to \
                     satisfy constraint: Member must have value between {DURATION_MIN} and \
                     {DURATION_MAX}"
                )));
            }
        },
    };
    Ok(Request {
        role_arn,
        session_name,
        token,
        duration,
    })
}

fn claim_str<'c>(claims: &'c Map<String, Value>, key: &str) -> &'c str {
    claims.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn claim_secs(claims: &Map<String, Value>, key: &str) -> u64 {
    claims.get(key).and_then(Value::as_u64).unwrap_or(0)
}

/// The token's claims, once its signature, issuer provider, lifetime and audience pass.
fn checked_claims(world: &World, token: &str) -> ApiResult<(Map<String, Value>, String)> {
    let claims = oidc::verify(token).map_err(|rejected| match rejected {
        Rejected::Signature(_) => invalid_token(
            "The web identity token that was passed could not be validated by AWS. Get a new \
             identity token from the identity provider and then retry the request.",
        ),
        Rejected::Issuer(iss) => invalid_token(format!(
            "No OpenIDConnect provider found in your account for {iss}"
        )),
    })?;
    let provider = world
        .oidc_providers
        .values()
        .find(|p| p.url.trim_end_matches('/') == oidc::ISSUER)
        .ok_or_else(|| {
            invalid_token(format!(
                "No OpenIDConnect provider found in your account for {}",
                oidc::ISSUER
            ))
        })?;
    let now = world.now();
    let at = |secs: u64| SystemTime::UNIX_EPOCH + Duration::from_secs(secs);
    let exp = at(claim_secs(&claims, "exp"));
    if now >= exp {
        return Err(ApiError::new(
            "ExpiredTokenException",
            format!(
                "Token expired: current date/time {} must be before the expiration date/time {}",
                iso8601(now),
                iso8601(exp)
            ),
        ));
    }
    let audience = claim_str(&claims, "aud");
    if !provider.client_ids.iter().any(|id| id == audience) {
        return Err(invalid_token("Incorrect token audience"));
    }
    Ok((claims, provider.arn.clone()))
}

/// The claims AWS exposes as condition keys for GitHub's provider: `sub`, `aud`, `amr`, and since
/// February 2026 the provider-specific ones (AWS What's New, 2026-02, "AWS STS supports validation
/// of identity provider specific claims"). GitHub's other claims (`event_name`,
/// `repository_owner`, …) are no condition keys: a condition on one finds the key absent.
const CONDITION_CLAIMS: &[&str] = &[
    "sub",
    "aud",
    "amr",
    "actor",
    "actor_id",
    "job_workflow_ref",
    "repository",
    "repository_id",
    "workflow",
    "ref",
    "environment",
    "enterprise_id",
];

/// The claims as condition keys: `token.actions.githubusercontent.com:CLAIM`.
fn context(claims: &Map<String, Value>) -> Vec<ContextEntry> {
    claims
        .iter()
        .filter(|(k, _)| CONDITION_CLAIMS.contains(&k.as_str()))
        .filter_map(|(k, v)| {
            let value = match v {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => return None,
            };
            Some(ContextEntry {
                key: format!("{}:{k}", oidc::ISSUER.trim_start_matches("https://")),
                values: vec![value],
            })
        })
        .collect()
}

/// Whether a statement's principal is the web identity of `provider`: `Principal` `"*"` or
/// `{"Federated": …}` naming it (principals are compared literally), or a `NotPrincipal` that
/// does not name it.
fn names_provider(st: &Value, provider: &str) -> bool {
    let named = |p: &Value| match p {
        Value::String(s) => s == "*",
        Value::Object(map) => match map.get("Federated") {
            Some(Value::String(s)) => s == provider || s == "*",
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(Value::as_str)
                .any(|s| s == provider || s == "*"),
            _ => false,
        },
        _ => false,
    };
    match (st.get("Principal"), st.get("NotPrincipal")) {
        (Some(p), _) => named(p),
        (None, Some(p)) => !named(p),
        (None, None) => false,
    }
}

/// The trust policy's statements that apply to `provider`'s web identities, as a document.
fn statements_for(trust: &str, provider: &str) -> Option<String> {
    let doc: Value = serde_json::from_str(trust).ok()?;
    let kept: Vec<Value> = statements(&doc)
        .into_iter()
        .filter(|st| names_provider(st, provider))
        .cloned()
        .collect();
    Some(serde_json::json!({ "Statement": kept }).to_string())
}

/// Whether the trust policy `trust` lets a token of `provider` with `claims` assume the role: the
/// evaluation STS does (a Deny that applies wins; an Allow must match the principal, the action
/// and every condition), for the STS endpoint and for the table of IAM cases the product's
/// evaluator runs too.
pub fn trust_allows(trust: &str, provider: &str, claims: &Map<String, Value>) -> bool {
    let Some(document) = statements_for(trust, provider) else {
        return false;
    };
    let policy = [PolicyInput {
        id: "trust",
        document: &document,
    }];
    evaluate(&policy, ACTION, "*", &context(claims)).decision == Decision::Allowed
}

/// Whether the role's trust policy lets the token's claims assume it.
fn trusted(role: &Role, provider: &str, claims: &Map<String, Value>) -> bool {
    trust_allows(&role.assume_role_policy, provider, claims)
}

/// The role `arn` names (its path included).
fn role_named<'w>(world: &'w World, arn: &str) -> Option<&'w Role> {
    let name = arn.rsplit('/').next()?;
    world.roles.get(name).filter(|r| r.arn == arn)
}

/// What AssumeRoleWithWebIdentity gave: the session (also stored in the world), the provider's
/// ARN and the token's audience.
#[derive(Debug, Clone)]
pub struct Assumed {
    pub session: Session,
    pub provider: String,
    pub audience: String,
}

/// AssumeRoleWithWebIdentity on the world, for callers inside the sandbox (an Actions run) as for
/// the STS endpoint: every check, then a new session.
pub fn assume_role(
    world: &mut World,
    role_arn: &str,
    session_name: &str,
    token: &str,
    duration: Option<u64>,
) -> ApiResult<Assumed> {
    let (claims, provider) = checked_claims(world, token)?;
    let role = role_named(world, role_arn)
        .filter(|r| trusted(r, &provider, &claims))
        .ok_or_else(not_authorized)?;
    let duration = duration.unwrap_or(DEFAULT_DURATION);
    if duration > u64::from(role.max_session_duration) {
        return Err(validation(
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
        ));
    }
    let session = Session {
        access_key_id: aws_id("ASIA").chars().take(20).collect(),
        secret_access_key: format!("{:040x}", rand::random::<u128>()),
        session_token: format!("cawizsession{:064x}", rand::random::<u128>()),
        role_name: role.name.clone(),
        role_id: role.role_id.clone(),
        session_name: session_name.to_owned(),
        expires: world.now() + Duration::from_secs(duration),
        subject: claim_str(&claims, "sub").to_owned(),
    };
    world
        .sessions
        .insert(session.access_key_id.clone(), session.clone());
    Ok(Assumed {
        session,
        provider,
        audience: claim_str(&claims, "aud").to_owned(),
    })
}

pub fn assume(shared: &Shared, params: &Params) -> ApiResult<Vec<X>> {
    let req = request(params)?;
    let mut world = shared.world();
    let Assumed {
        session,
        provider,
        audience,
    } = assume_role(
        &mut world,
        req.role_arn,
        req.session_name,
        req.token,
        req.duration,
    )?;
    let account = world.account_id.clone();
    Ok(vec![
        X::node(
            "Credentials",
            vec![
                X::leaf("AccessKeyId", &session.access_key_id),
                X::leaf("SecretAccessKey", &session.secret_access_key),
                X::leaf("SessionToken", &session.session_token),
                X::leaf("Expiration", iso8601(session.expires)),
            ],
        ),
        X::leaf("SubjectFromWebIdentityToken", &session.subject),
        X::node(
            "AssumedRoleUser",
            vec![
                X::leaf(
                    "AssumedRoleId",
                    format!("{}:{}", session.role_id, session.session_name),
                ),
                X::leaf("Arn", session.arn(&account)),
            ],
        ),
        X::leaf("Provider", &provider),
        X::leaf("Audience", &audience),
    ])
}
