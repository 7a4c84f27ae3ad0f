//! IAM (query protocol, XML). TODO(helper): implement the operations listed in OPERATIONS.

use axum::response::Response;

use super::Shared;
use super::protocol::{ApiError, ApiResult, Params};

pub const OPERATIONS: &[&str] = &[
    "CreateOpenIDConnectProvider",
    "GetOpenIDConnectProvider",
    "ListOpenIDConnectProviders",
    "DeleteOpenIDConnectProvider",
    "AddClientIDToOpenIDConnectProvider",
    "CreateRole",
    "GetRole",
    "DeleteRole",
    "UpdateAssumeRolePolicy",
    "CreatePolicy",
    "GetPolicy",
    "DeletePolicy",
    "GetPolicyVersion",
    "CreatePolicyVersion",
    "DeletePolicyVersion",
    "ListPolicyVersions",
    "AttachRolePolicy",
    "DetachRolePolicy",
    "ListAttachedRolePolicies",
    "SimulatePrincipalPolicy",
];

pub fn handle(_shared: &Shared, action: &str, _params: &Params) -> ApiResult<Response> {
    Err(ApiError::new(
        "InvalidAction",
        format!("not yet implemented: {action}"),
    ))
}
