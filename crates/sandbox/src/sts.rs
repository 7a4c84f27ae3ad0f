//! STS (query protocol): GetCallerIdentity.

use axum::response::Response;

use super::Shared;
use super::protocol::{ApiError, ApiResult, Params, STS_NS, X, query_response};

pub const OPERATIONS: &[&str] = &["GetCallerIdentity"];

/// The identity every sandbox caller is, whatever key it signs with.
pub const SANDBOX_USER: &str = "cawiz-sandbox";
pub const SANDBOX_USER_ID: &str = "AIDACAWIZSANDBOX00000";

pub fn handle(shared: &Shared, action: &str, _params: &Params) -> ApiResult<Response> {
    match action {
        "GetCallerIdentity" => {
            let account = shared.world().account_id.clone();
            Ok(query_response(
                STS_NS,
                action,
                vec![
                    X::leaf("UserId", SANDBOX_USER_ID),
                    X::leaf("Account", &account),
                    X::leaf("Arn", format!("arn:aws:iam::{account}:user/{SANDBOX_USER}")),
                ],
            ))
        }
        other => Err(ApiError::new(
            "InvalidAction",
            format!("Could not find operation {other}"),
        )),
    }
}
