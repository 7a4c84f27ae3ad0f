//! A role's permissions boundary: PutRolePermissionsBoundary and DeleteRolePermissionsBoundary.

use super::{Shared, arn_param, no_such_policy, no_such_role};
use crate::protocol::{ApiError, ApiResult, Params, X};

pub fn put(shared: &Shared, params: &Params) -> ApiResult<Vec<X>> {
    let name = params.required("RoleName")?;
    let arn = arn_param(params, "PermissionsBoundary")?;
    let mut world = shared.world();
    if !world.policies.contains_key(arn) {
        return Err(no_such_policy(arn));
    }
    let role = world
        .roles
        .get_mut(name)
        .ok_or_else(|| no_such_role(name))?;
    role.permissions_boundary = Some(arn.to_owned());
    Ok(Vec::new())
}

pub fn delete(shared: &Shared, params: &Params) -> ApiResult<Vec<X>> {
    let name = params.required("RoleName")?;
    let mut world = shared.world();
    let role = world
        .roles
        .get_mut(name)
        .ok_or_else(|| no_such_role(name))?;
    if role.permissions_boundary.take().is_none() {
        return Err(ApiError::new(
            "NoSuchEntity",
            format!("The role with name {name} has no permissions boundary."),
        ));
    }
    Ok(Vec::new())
}
