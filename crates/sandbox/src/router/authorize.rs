//! Who is calling, and whether they may: role sessions by their role's policies (and the
//! resource policies), other accounts' administrators by the resource policies alone.

use axum::http::request::Parts;

use super::{Scope, Service};
use crate::caller::{self, Caller};
use crate::protocol::{ApiError, Params};
use crate::world::World;
use crate::{Shared, authz, codeartifact};

/// Who is calling, once a role session's call is found allowed by the role's policies.
pub(super) fn authorize(
    shared: &Shared,
    service: Service,
    scope: &Scope,
    operation: &str,
    parts: &Parts,
    params: &Params,
    body: &[u8],
) -> Result<Caller, ApiError> {
    if scope.access_key.is_empty() {
        return Ok(Caller::Admin);
    }
    let world = shared.world();
    let caller = caller::identify(&world, &scope.access_key, service == Service::CodeArtifact)?;
    if let Caller::Account(account) = &caller {
        authorize_account(&world, account, service, scope, operation, parts, body)?;
        return Ok(caller);
    }
    let Caller::Session(session) = &caller else {
        return Ok(caller);
    };
    let (needs, code) = match service {
        Service::CodeArtifact => {
            let q = codeartifact::request_query(operation, parts.uri.query(), body);
            let region = if scope.region.is_empty() {
                crate::SANDBOX_REGION
            } else {
                &scope.region
            };
            let needs = authz::codeartifact_needs(operation, &q, region, &world.account_id);
            (needs, "AccessDeniedException")
        }
        Service::Iam => (authz::iam_needs(operation, params, &world), "AccessDenied"),
        Service::Events => {
            let need = crate::events::needs(operation, body, &scope.region, &world.account_id);
            (vec![need], "AccessDeniedException")
        }
        Service::Sns => (
            vec![crate::sns::needs(operation, params)],
            "AuthorizationError",
        ),
        _ => return Ok(caller),
    };
    authz::check(&world, session, &needs, code)?;
    Ok(caller)
}

/// Another account's administrator: CodeArtifact calls on the sandbox account's resources as its
/// resource policies allow; STS answers who it is; IAM of other accounts is not emulated.
fn authorize_account(
    world: &World,
    account: &str,
    service: Service,
    scope: &Scope,
    operation: &str,
    parts: &Parts,
    body: &[u8],
) -> Result<(), ApiError> {
    match service {
        Service::CodeArtifact => {
            let q = codeartifact::request_query(operation, parts.uri.query(), body);
            let region = if scope.region.is_empty() {
                crate::SANDBOX_REGION
            } else {
                &scope.region
            };
            let needs = authz::codeartifact_needs(operation, &q, region, account);
            authz::check_account(world, account, &needs, "AccessDeniedException")
        }
        Service::Iam | Service::Events | Service::Sns => Err(ApiError::new(
            if service == Service::Iam {
                "AccessDenied"
            } else {
                "AccessDeniedException"
            },
            format!(
                "The cawiz sandbox emulates IAM, EventBridge and SNS for account {} only; account \
                 {account} has none",
                world.account_id
            ),
        )),
        _ => Ok(()),
    }
}
