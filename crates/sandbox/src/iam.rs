//! IAM (query protocol, XML): the OIDC provider, role, managed policy and attachment operations
//! cawiz uses, plus SimulatePrincipalPolicy. Shapes, element names, error codes and messages follow
//! the IAM API reference, so the AWS SDKs, the AWS CLI and boto3 read the answers unchanged.

pub(super) mod authorize;
mod boundaries;
pub(super) mod conditions;
pub(super) mod document;
mod oidc;
mod policies;
mod roles;
mod simulation;
pub(super) mod spans;

use axum::response::Response;

use super::Shared;
use super::protocol::{ApiError, ApiResult, IAM_NS, Params, X, member_name, query_response};

pub const OPERATIONS: &[&str] = &[
    "CreateOpenIDConnectProvider",
    "GetOpenIDConnectProvider",
    "ListOpenIDConnectProviders",
    "DeleteOpenIDConnectProvider",
    "AddClientIDToOpenIDConnectProvider",
    "RemoveClientIDFromOpenIDConnectProvider",
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
    "PutRolePermissionsBoundary",
    "DeleteRolePermissionsBoundary",
    "SimulatePrincipalPolicy",
];

pub fn handle(shared: &Shared, action: &str, params: &Params) -> ApiResult<Response> {
    let result = match action {
        "CreateOpenIDConnectProvider" => oidc::create(shared, params),
        "GetOpenIDConnectProvider" => oidc::get(shared, params),
        "ListOpenIDConnectProviders" => oidc::list(shared),
        "DeleteOpenIDConnectProvider" => oidc::delete(shared, params),
        "AddClientIDToOpenIDConnectProvider" => oidc::add_client_id(shared, params),
        "RemoveClientIDFromOpenIDConnectProvider" => oidc::remove_client_id(shared, params),
        "CreateRole" => roles::create(shared, params),
        "GetRole" => roles::get(shared, params),
        "DeleteRole" => roles::delete(shared, params),
        "UpdateAssumeRolePolicy" => roles::update_trust(shared, params),
        "AttachRolePolicy" => roles::attach(shared, params),
        "DetachRolePolicy" => roles::detach(shared, params),
        "ListAttachedRolePolicies" => roles::list_attached(shared, params),
        "CreatePolicy" => policies::create(shared, params),
        "GetPolicy" => policies::get(shared, params),
        "DeletePolicy" => policies::delete(shared, params),
        "GetPolicyVersion" => policies::get_version(shared, params),
        "CreatePolicyVersion" => policies::create_version(shared, params),
        "DeletePolicyVersion" => policies::delete_version(shared, params),
        "ListPolicyVersions" => policies::list_versions(shared, params),
        "PutRolePermissionsBoundary" => boundaries::put(shared, params),
        "DeleteRolePermissionsBoundary" => boundaries::delete(shared, params),
        "SimulatePrincipalPolicy" => simulation::simulate(shared, params),
        other => {
            return Err(ApiError::new(
                "InvalidAction",
                format!("Could not find operation {other}"),
            ));
        }
    }?;
    Ok(query_response(IAM_NS, action, result))
}

/// `ValidationError` worded as IAM words a failed constraint.
fn constraint(field: &str, value: &str, rule: &str) -> ApiError {
    ApiError::new(
        "ValidationError",
        format!(
            "1 validation error detected: Value '{value}' at '{field}' failed to satisfy constraint: {rule}"
        ),
    )
}

/// A name of 1 to `max` characters from `[\w+=,.@-]` (role and policy names).
fn check_name(field: &str, value: &str, max: usize) -> ApiResult<()> {
    let len = value.chars().count();
    if len < 1 {
        return Err(constraint(
            field,
            value,
            "Member must have length greater than or equal to 1",
        ));
    }
    if len > max {
        return Err(constraint(
            field,
            value,
            &format!("Member must have length less than or equal to {max}"),
        ));
    }
    let ok = value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c));
    if !ok {
        return Err(constraint(
            field,
            value,
            r"Member must satisfy regular expression pattern: [\w+=,.@-]+",
        ));
    }
    Ok(())
}

/// The optional `Path` parameter: `/` or `/text/`, 1–512 printable ASCII characters.
fn path_param(params: &Params) -> ApiResult<String> {
    let path = params.get("Path").unwrap_or("/");
    let printable = path.chars().all(|c| ('\u{21}'..='\u{7e}').contains(&c));
    let ok = path == "/"
        || (path.len() >= 3
            && path.len() <= 512
            && path.starts_with('/')
            && path.ends_with('/')
            && printable);
    if ok {
        Ok(path.to_owned())
    } else {
        Err(constraint(
            "path",
            path,
            r"Member must satisfy regular expression pattern: (\u002F)|(\u002F[\u0021-\u007E]+\u002F)",
        ))
    }
}

/// The optional `Description` parameter of roles and policies: at most 1000 characters.
fn description_param(params: &Params) -> ApiResult<Option<String>> {
    match params.get("Description") {
        Some(d) if d.chars().count() > 1000 => Err(constraint(
            "description",
            d,
            "Member must have length less than or equal to 1000",
        )),
        other => Ok(other.map(str::to_owned)),
    }
}

/// An IAM ARN parameter that must at least look like one (`arn:aws:iam::…`).
fn arn_param<'a>(params: &'a Params, name: &str) -> ApiResult<&'a str> {
    let arn = params.required(name)?;
    let field = member_name(name);
    if arn.len() < 20 {
        return Err(constraint(
            &field,
            arn,
            "Member must have length greater than or equal to 20",
        ));
    }
    if !arn.starts_with("arn:aws:iam::") || arn.split(':').count() < 6 {
        return Err(ApiError::new(
            "InvalidInput",
            format!("ARN {arn} is not valid."),
        ));
    }
    Ok(arn)
}

fn no_such_role(name: &str) -> ApiError {
    ApiError::new(
        "NoSuchEntity",
        format!("The role with name {name} cannot be found."),
    )
}

fn no_such_policy(arn: &str) -> ApiError {
    ApiError::new(
        "NoSuchEntity",
        format!("Policy {arn} does not exist or is not attachable."),
    )
}

/// A policy document as IAM returns it: URL-encoded JSON.
fn encoded(document: &str) -> String {
    urlencoding::encode(document).into_owned()
}

fn bool_text(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}

/// `<IsTruncated>false</IsTruncated>`: the sandbox never paginates.
fn not_truncated() -> X {
    X::leaf("IsTruncated", "false")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_paths() {
        assert!(check_name("roleName", "GitHubActions-CodeArtifact", 64).is_ok());
        assert!(check_name("roleName", "a_b+c=d,e.f@g-h", 64).is_ok());
        assert!(check_name("roleName", &"r".repeat(64), 64).is_ok());
        for bad in ["", "has space", "slash/no", "é"] {
            let err = check_name("roleName", bad, 64).expect_err("must fail");
            assert_eq!(err.code, "ValidationError", "{bad:?}");
        }
        let err = check_name("roleName", &"r".repeat(65), 64).expect_err("must fail");
        assert!(err.message.contains("less than or equal to 64"));

        let p = |v: &str| Params::parse(format!("Path={}", urlencoding::encode(v)).as_bytes());
        assert_eq!(path_param(&Params::default()).expect("must succeed"), "/");
        assert_eq!(path_param(&p("/ci/")).expect("must succeed"), "/ci/");
        for bad in ["ci", "/ci", "//x y/", ""] {
            assert!(path_param(&p(bad)).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn arns_are_checked() {
        let p = |v: &str| Params::parse(format!("PolicyArn={}", urlencoding::encode(v)).as_bytes());
        assert!(arn_param(&p("arn:aws:iam::123456789012:policy/P"), "PolicyArn").is_ok());
        assert_eq!(
            arn_param(&p("short"), "PolicyArn")
                .expect_err("must fail")
                .code,
            "ValidationError"
        );
        assert_eq!(
            arn_param(&p("arn:aws:s3:::bucket-name-here"), "PolicyArn")
                .expect_err("must fail")
                .code,
            "InvalidInput"
        );
        assert_eq!(
            arn_param(&Params::default(), "PolicyArn")
                .expect_err("must fail")
                .code,
            "ValidationError"
        );
    }
}
