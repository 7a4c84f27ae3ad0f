//! Roles and their managed-policy attachments.

use super::document::{DocKind, validate};
use super::{
    Shared, arn_param, check_name, constraint, description_param, encoded, no_such_policy,
    no_such_role, not_truncated, path_param,
};
use crate::protocol::{ApiError, ApiResult, Params, X};
use crate::world::{Role, iso8601};

const MAX_ROLE_NAME: usize = 64;
const SESSION_MIN: u32 = 3600;
const SESSION_MAX: u32 = 43200;
/// IAM's default quota of managed policies per role.
const MAX_ATTACHED: usize = 10;

/// The `Role` element of CreateRole and GetRole; the trust policy URL-encoded, as IAM sends it.
fn role_xml(role: &Role) -> X {
    let mut children = vec![
        X::leaf("Path", &role.path),
        X::leaf("RoleName", &role.name),
        X::leaf("RoleId", &role.role_id),
        X::leaf("Arn", &role.arn),
        X::leaf("CreateDate", iso8601(role.created)),
        X::leaf(
            "AssumeRolePolicyDocument",
            encoded(&role.assume_role_policy),
        ),
    ];
    if let Some(description) = &role.description {
        children.push(X::leaf("Description", description));
    }
    children.push(X::leaf("MaxSessionDuration", role.max_session_duration));
    if let Some(arn) = &role.permissions_boundary {
        children.push(X::node(
            "PermissionsBoundary",
            vec![
                X::leaf("PermissionsBoundaryType", "Policy"),
                X::leaf("PermissionsBoundaryArn", arn),
            ],
        ));
    }
    children.push(X::node("RoleLastUsed", Vec::new()));
    X::node("Role", children)
}

fn role_name(params: &Params) -> ApiResult<&str> {
    let name = params.required("RoleName")?;
    check_name("roleName", name, MAX_ROLE_NAME)?;
    Ok(name)
}

fn max_session_duration(params: &Params) -> ApiResult<Option<u32>> {
    let Some(raw) = params.get("MaxSessionDuration") else {
        return Ok(None);
    };
    let value: i64 = raw.parse().map_err(|_| {
        constraint(
            "maxSessionDuration",
            raw,
            "Member must be an integer number of seconds",
        )
    })?;
    if value < i64::from(SESSION_MIN) {
        return Err(constraint(
            "maxSessionDuration",
            raw,
            "Member must have value greater than or equal to 3600",
        ));
    }
    if value > i64::from(SESSION_MAX) {
        return Err(constraint(
            "maxSessionDuration",
            raw,
            "Member must have value less than or equal to 43200",
        ));
    }
    Ok(u32::try_from(value).ok())
}

pub fn create(shared: &Shared, params: &Params) -> ApiResult<Vec<X>> {
    let name = role_name(params)?;
    let path = path_param(params)?;
    let document = params.required("AssumeRolePolicyDocument")?;
    let description = description_param(params)?;
    let max_session = max_session_duration(params)?;
    validate(document, DocKind::Trust)?;

    let mut world = shared.world();
    // Role names are unique regardless of case.
    if world.roles.keys().any(|k| k.eq_ignore_ascii_case(name)) {
        return Err(ApiError::new(
            "EntityAlreadyExists",
            format!("Role with name {name} already exists."),
        ));
    }
    let boundary = match params.get("PermissionsBoundary") {
        Some(_) => {
            let arn = arn_param(params, "PermissionsBoundary")?;
            if !world.policies.contains_key(arn) {
                return Err(no_such_policy(arn));
            }
            Some(arn.to_owned())
        }
        None => None,
    };
    let mut role = world.new_role(name, &path, document, description);
    role.permissions_boundary = boundary;
    if let Some(seconds) = max_session {
        role.max_session_duration = seconds;
    }
    let xml = role_xml(&role);
    world.roles.insert(name.to_owned(), role);
    Ok(vec![xml])
}

pub fn get(shared: &Shared, params: &Params) -> ApiResult<Vec<X>> {
    let name = role_name(params)?;
    let world = shared.world();
    let role = world.roles.get(name).ok_or_else(|| no_such_role(name))?;
    Ok(vec![role_xml(role)])
}

pub fn delete(shared: &Shared, params: &Params) -> ApiResult<Vec<X>> {
    let name = role_name(params)?;
    let mut world = shared.world();
    let role = world.roles.get(name).ok_or_else(|| no_such_role(name))?;
    if !role.attached.is_empty() {
        return Err(ApiError::new(
            "DeleteConflict",
            "Cannot delete entity, must detach all policies first.",
        ));
    }
    world.roles.remove(name);
    Ok(Vec::new())
}

pub fn update_trust(shared: &Shared, params: &Params) -> ApiResult<Vec<X>> {
    let name = role_name(params)?;
    let document = params.required("PolicyDocument")?;
    validate(document, DocKind::Trust)?;
    let mut world = shared.world();
    let role = world
        .roles
        .get_mut(name)
        .ok_or_else(|| no_such_role(name))?;
    role.assume_role_policy = document.to_owned();
    Ok(Vec::new())
}

pub fn attach(shared: &Shared, params: &Params) -> ApiResult<Vec<X>> {
    let name = role_name(params)?;
    let arn = arn_param(params, "PolicyArn")?;
    let mut world = shared.world();
    if !world.roles.contains_key(name) {
        return Err(no_such_role(name));
    }
    if !world.policies.contains_key(arn) {
        return Err(no_such_policy(arn));
    }
    let role = world
        .roles
        .get_mut(name)
        .ok_or_else(|| no_such_role(name))?;
    if !role.attached.iter().any(|a| a == arn) {
        if role.attached.len() >= MAX_ATTACHED {
            return Err(ApiError::new(
                "LimitExceeded",
                format!("Cannot exceed quota for PoliciesPerRole: {MAX_ATTACHED}"),
            ));
        }
        role.attached.push(arn.to_owned());
    }
    Ok(Vec::new())
}

pub fn detach(shared: &Shared, params: &Params) -> ApiResult<Vec<X>> {
    let name = role_name(params)?;
    let arn = arn_param(params, "PolicyArn")?;
    let mut world = shared.world();
    let role = world
        .roles
        .get_mut(name)
        .ok_or_else(|| no_such_role(name))?;
    let before = role.attached.len();
    role.attached.retain(|a| a != arn);
    if role.attached.len() == before {
        return Err(ApiError::new(
            "NoSuchEntity",
            format!("Policy {arn} was not found."),
        ));
    }
    Ok(Vec::new())
}

pub fn list_attached(shared: &Shared, params: &Params) -> ApiResult<Vec<X>> {
    let name = role_name(params)?;
    let prefix = params.get("PathPrefix").unwrap_or("/");
    let world = shared.world();
    let role = world.roles.get(name).ok_or_else(|| no_such_role(name))?;
    let members = role
        .attached
        .iter()
        .filter_map(|arn| world.policies.get(arn))
        .filter(|p| p.path.starts_with(prefix))
        .map(|p| vec![X::leaf("PolicyName", &p.name), X::leaf("PolicyArn", &p.arn)])
        .collect();
    Ok(vec![
        X::members("AttachedPolicies", members),
        not_truncated(),
    ])
}
