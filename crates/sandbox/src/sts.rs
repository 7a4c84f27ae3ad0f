//! STS (query protocol): GetCallerIdentity, and AssumeRoleWithWebIdentity for GitHub's OIDC tokens
//! (`sts/web_identity.rs`), whose sessions then sign calls as `assumed-role/ROLE/SESSION`.

pub(crate) mod web_identity;

use axum::response::Response;

use super::Shared;
use super::caller::Caller;
use super::protocol::{ApiError, ApiResult, Params, STS_NS, X, query_response};

pub const OPERATIONS: &[&str] = &["GetCallerIdentity", "AssumeRoleWithWebIdentity"];

/// Operations sent without a signature (only a web identity token).
pub const UNSIGNED: &[&str] = &["AssumeRoleWithWebIdentity"];

/// The identity the sandbox's own caller is, whatever long-term key it signs with.
pub const SANDBOX_USER: &str = "cawiz-sandbox";
pub const SANDBOX_USER_ID: &str = "AIDACAWIZSANDBOX00000";

pub fn handle(
    shared: &Shared,
    action: &str,
    params: &Params,
    caller: &Caller,
) -> ApiResult<Response> {
    let result = match action {
        "GetCallerIdentity" => caller_identity(shared, caller),
        "AssumeRoleWithWebIdentity" => web_identity::assume(shared, params)?,
        other => {
            return Err(ApiError::new(
                "InvalidAction",
                format!("Could not find operation {other}"),
            ));
        }
    };
    Ok(query_response(STS_NS, action, result))
}

fn caller_identity(shared: &Shared, caller: &Caller) -> Vec<X> {
    let account = shared.world().account_id.clone();
    let (user_id, arn) = match caller {
        Caller::Admin => (
            SANDBOX_USER_ID.to_owned(),
            format!("arn:aws:iam::{account}:user/{SANDBOX_USER}"),
        ),
        // An account's root user: its UserId is the account id (IAM User Guide, aws:userid).
        Caller::Account(other) => {
            return vec![
                X::leaf("UserId", other),
                X::leaf("Account", other),
                X::leaf("Arn", format!("arn:aws:iam::{other}:root")),
            ];
        }
        Caller::Session(s) => (format!("{}:{}", s.role_id, s.session_name), s.arn(&account)),
    };
    vec![
        X::leaf("UserId", user_id),
        X::leaf("Account", &account),
        X::leaf("Arn", arn),
    ]
}
