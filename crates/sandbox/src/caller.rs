//! Who signed a request: the sandbox's own caller (any long-term key: allowed everything, so every
//! scenario and test works as it always did), or a role session from AssumeRoleWithWebIdentity
//! (its `ASIA…` key), whose calls are authorised by the role's policies (`authz`).

use crate::protocol::ApiError;
use crate::world::{Session, World};

#[derive(Debug, Clone)]
pub enum Caller {
    Admin,
    Session(Session),
}

impl Caller {
    pub fn session_key(&self) -> Option<String> {
        match self {
            Caller::Admin => None,
            Caller::Session(s) => Some(s.access_key_id.clone()),
        }
    }
}

/// The caller signing with `access_key_id`. `rest_json`: the error codes of a REST-JSON service
/// (CodeArtifact) rather than the query protocol's (IAM, STS).
pub fn identify(world: &World, access_key_id: &str, rest_json: bool) -> Result<Caller, ApiError> {
    let Some(session) = world.sessions.get(access_key_id) else {
        if access_key_id.starts_with("ASIA") {
            let code = if rest_json {
                "UnrecognizedClientException"
            } else {
                "InvalidClientTokenId"
            };
            return Err(ApiError::new(
                code,
                "The security token included in the request is invalid.",
            ));
        }
        return Ok(Caller::Admin);
    };
    if world.now() >= session.expires {
        let code = if rest_json {
            "ExpiredTokenException"
        } else {
            "ExpiredToken"
        };
        return Err(ApiError::new(
            code,
            "The security token included in the request is expired",
        ));
    }
    Ok(Caller::Session(session.clone()))
}
