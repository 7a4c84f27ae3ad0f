//! The authorization tokens every format's endpoint takes (PyPI's and the others'): who obtained
//! a token, and whether they may do what a request asks, decided the same way for all formats.

use axum::http::StatusCode;

use crate::protocol::{ApiError, ApiResult};
use crate::world::{Holder, World};

/// The endpoints' refusal: 403 with AWS's reason, as CodeArtifact's.
fn forbidden(message: impl Into<String>) -> ApiError {
    ApiError {
        status: StatusCode::FORBIDDEN,
        code: "Forbidden".to_owned(),
        message: message.into(),
    }
}

/// Checks a token against the tokens GetAuthorizationToken handed out, for the repositories of
/// `domain` (owned by `owner`): who obtained it, or the reason for the 401 body.
pub fn authorize(world: &World, token: &str, domain: &str, owner: &str) -> Result<Holder, String> {
    let known = world.tokens.get(token).ok_or_else(|| {
        "the authorization token is not valid (get one with GetAuthorizationToken)".to_owned()
    })?;
    if world.now() >= known.expires {
        return Err(
            "the authorization token has expired; get a new one with GetAuthorizationToken"
                .to_owned(),
        );
    }
    if known.domain != domain || known.owner != owner {
        return Err(format!(
            "the authorization token is for domain {} (owner {}), not {domain} (owner {owner})",
            known.domain, known.owner
        ));
    }
    Ok(known.holder.clone())
}

/// Whether whoever obtained the token may do `action` on `resource` (the region placeholder
/// filled with its domain's): the sandbox's administrator anything, a role session what its role's
/// policies allow, another account's administrator what the resource policies allow. The endpoint
/// answers 403 otherwise, as CodeArtifact's.
pub fn holder_allows(
    world: &World,
    holder: &Holder,
    action: &str,
    resource: String,
) -> ApiResult<()> {
    let region = resource
        .split('/')
        .nth(1)
        .and_then(|domain| world.domains.get(domain))
        .map_or(crate::SANDBOX_REGION, World::domain_region);
    let need = crate::authz::Need::new(action, resource.replace("{region}", region));
    match holder {
        Holder::Admin => Ok(()),
        Holder::Account(account) => {
            crate::authz::check_account(world, account, &[need], "AccessDeniedException")
                .map_err(|e| forbidden(e.message))
        }
        Holder::Session(key) => {
            let Some(session) = world.sessions.get(key) else {
                return Err(forbidden(
                    "the role session that obtained this token no longer exists",
                ));
            };
            crate::authz::check(world, session, &[need], "AccessDeniedException")
                .map_err(|e| forbidden(e.message))
        }
    }
}
