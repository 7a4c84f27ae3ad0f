//! Who signed a request: the sandbox's own caller (any long-term key: allowed everything, so every
//! scenario and test works as it always did), the administrator of another account (access key id
//! `account-<12 digits>`: what it may do in the sandbox's account is decided by resource policies,
//! `authz::foreign`), or a role session from AssumeRoleWithWebIdentity (its `ASIA…` key), whose
//! calls are authorised by the role's policies (`authz`).

use crate::protocol::ApiError;
use crate::world::{Holder, Session, World};

#[derive(Debug, Clone)]
pub enum Caller {
    Admin,
    /// The administrator (root user) of another account: the 12 digits of its id.
    Account(String),
    Session(Session),
}

/// The prefix of the access key ids that name an account's administrator.
pub const ACCOUNT_KEY_PREFIX: &str = "account-";

/// The account an access key id `account-<12 digits>` names; `None` for any other key. `Err` for
/// a key with the prefix and no account id after it (AWS refuses a key it does not know).
fn named_account(access_key_id: &str) -> Result<Option<&str>, ()> {
    let Some(digits) = access_key_id.strip_prefix(ACCOUNT_KEY_PREFIX) else {
        return Ok(None);
    };
    if digits.len() == 12 && digits.bytes().all(|b| b.is_ascii_digit()) {
        Ok(Some(digits))
    } else {
        Err(())
    }
}

impl Caller {
    /// Whose rights a token this caller obtains carries.
    pub fn holder(&self) -> Holder {
        match self {
            Caller::Admin => Holder::Admin,
            Caller::Account(a) => Holder::Account(a.clone()),
            Caller::Session(s) => Holder::Session(s.access_key_id.clone()),
        }
    }
}

/// The caller signing with `access_key_id`. `rest_json`: the error codes of a REST-JSON service
/// (CodeArtifact) rather than the query protocol's (IAM, STS).
pub fn identify(world: &World, access_key_id: &str, rest_json: bool) -> Result<Caller, ApiError> {
    let invalid = || {
        let code = if rest_json {
            "UnrecognizedClientException"
        } else {
            "InvalidClientTokenId"
        };
        ApiError::new(
            code,
            "The security token included in the request is invalid.",
        )
    };
    match named_account(access_key_id) {
        Err(()) => return Err(invalid()),
        Ok(Some(account)) if account != world.account_id => {
            return Ok(Caller::Account(account.to_owned()));
        }
        Ok(Some(_)) => return Ok(Caller::Admin),
        Ok(None) => {}
    }
    let Some(session) = world.sessions.get(access_key_id) else {
        if access_key_id.starts_with("ASIA") {
            return Err(invalid());
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn account_keys_name_that_accounts_administrator() {
        let world = World::new("123456789012");
        let other = identify(&world, "account-210987654321", true).unwrap();
        assert!(matches!(other, Caller::Account(a) if a == "210987654321"));
        let own = identify(&world, "account-123456789012", true).unwrap();
        assert!(matches!(own, Caller::Admin));
        assert!(matches!(
            identify(&world, "AKIAIOSFODNN7EXAMPLE", false).unwrap(),
            Caller::Admin
        ));
        for bad in [
            "account-",
            "account-12345",
            "account-2109876543210",
            "account-21098765432x",
        ] {
            let err = identify(&world, bad, true).unwrap_err();
            assert_eq!(err.code, "UnrecognizedClientException", "{bad}");
        }
    }
}
