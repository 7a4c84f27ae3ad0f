//! Customer-managed policies and their versions.

use super::document::{DocKind, validate};
use super::{
    Shared, arn_param, bool_text, check_name, constraint, description_param, encoded,
    no_such_policy, not_truncated, path_param,
};
use crate::protocol::{ApiError, ApiResult, Params, X};
use crate::world::{ManagedPolicy, PolicyVersion, World, iso8601};

const MAX_POLICY_NAME: usize = 128;
/// IAM keeps at most five versions of a managed policy.
const MAX_VERSIONS: usize = 5;

fn attachment_count(world: &World, arn: &str) -> usize {
    world
        .roles
        .values()
        .filter(|r| r.attached.iter().any(|a| a == arn))
        .count()
}

/// The `Policy` element of CreatePolicy and GetPolicy.
fn policy_xml(policy: &ManagedPolicy, attachments: usize) -> X {
    let default_version = policy.default_version().map_or("v1", |v| v.id.as_str());
    let mut children = vec![
        X::leaf("PolicyName", &policy.name),
        X::leaf("PolicyId", &policy.policy_id),
        X::leaf("Arn", &policy.arn),
        X::leaf("Path", &policy.path),
        X::leaf("DefaultVersionId", default_version),
        X::leaf("AttachmentCount", attachments),
        X::leaf("PermissionsBoundaryUsageCount", 0),
        X::leaf("IsAttachable", "true"),
    ];
    if let Some(description) = &policy.description {
        children.push(X::leaf("Description", description));
    }
    children.push(X::leaf("CreateDate", iso8601(policy.created)));
    children.push(X::leaf("UpdateDate", iso8601(policy.updated)));
    X::node("Policy", children)
}

/// A `PolicyVersion` element; the document (URL-encoded) only where IAM sends it.
fn version_xml(name: &str, version: &PolicyVersion, with_document: bool) -> X {
    let mut children = Vec::new();
    if with_document {
        children.push(X::leaf("Document", encoded(&version.document)));
    }
    children.push(X::leaf("VersionId", &version.id));
    children.push(X::leaf("IsDefaultVersion", bool_text(version.is_default)));
    children.push(X::leaf("CreateDate", iso8601(version.created)));
    X::node(name, children)
}

fn version_id(params: &Params) -> ApiResult<&str> {
    let id = params.required("VersionId")?;
    let valid = id.strip_prefix('v').is_some_and(|rest| {
        let (number, suffix) = rest.split_once('.').unwrap_or((rest, ""));
        !number.starts_with('0')
            && !number.is_empty()
            && number.bytes().all(|b| b.is_ascii_digit())
            && suffix
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    });
    if valid {
        Ok(id)
    } else {
        Err(constraint(
            "versionId",
            id,
            r"Member must satisfy regular expression pattern: v[1-9][0-9]*(\.[A-Za-z0-9-]*)?",
        ))
    }
}

fn no_such_version(arn: &str, id: &str) -> ApiError {
    ApiError::new(
        "NoSuchEntity",
        format!("Policy {arn} version {id} does not exist or is not attachable."),
    )
}

pub fn create(shared: &Shared, params: &Params) -> ApiResult<Vec<X>> {
    let name = params.required("PolicyName")?;
    check_name("policyName", name, MAX_POLICY_NAME)?;
    let path = path_param(params)?;
    let document = params.required("PolicyDocument")?;
    let description = description_param(params)?;
    validate(document, DocKind::Identity)?;

    let mut world = shared.world();
    // Policy names are unique in an account regardless of path and case.
    if world
        .policies
        .values()
        .any(|p| p.name.eq_ignore_ascii_case(name))
    {
        return Err(ApiError::new(
            "EntityAlreadyExists",
            format!("A policy called {name} already exists. Duplicate names are not allowed."),
        ));
    }
    let policy = world.new_policy(name, &path, document, description);
    let xml = policy_xml(&policy, 0);
    world.policies.insert(policy.arn.clone(), policy);
    Ok(vec![xml])
}

pub fn get(shared: &Shared, params: &Params) -> ApiResult<Vec<X>> {
    let arn = arn_param(params, "PolicyArn")?;
    let world = shared.world();
    let policy = world.policies.get(arn).ok_or_else(|| no_such_policy(arn))?;
    Ok(vec![policy_xml(policy, attachment_count(&world, arn))])
}

pub fn delete(shared: &Shared, params: &Params) -> ApiResult<Vec<X>> {
    let arn = arn_param(params, "PolicyArn")?;
    let mut world = shared.world();
    let policy = world.policies.get(arn).ok_or_else(|| no_such_policy(arn))?;
    if policy.versions.len() > 1 {
        return Err(ApiError::new(
            "DeleteConflict",
            "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
        ));
    }
    if attachment_count(&world, arn) > 0 {
        return Err(ApiError::new(
            "DeleteConflict",
            "Cannot delete a policy attached to entities.",
        ));
    }
    world.policies.remove(arn);
    Ok(Vec::new())
}

pub fn get_version(shared: &Shared, params: &Params) -> ApiResult<Vec<X>> {
    let arn = arn_param(params, "PolicyArn")?;
    let id = version_id(params)?;
    let world = shared.world();
    let policy = world.policies.get(arn).ok_or_else(|| no_such_policy(arn))?;
    let version = policy
        .versions
        .iter()
        .find(|v| v.id == id)
        .ok_or_else(|| no_such_version(arn, id))?;
    Ok(vec![version_xml("PolicyVersion", version, true)])
}

pub fn create_version(shared: &Shared, params: &Params) -> ApiResult<Vec<X>> {
    let arn = arn_param(params, "PolicyArn")?;
    let document = params.required("PolicyDocument")?;
    let set_as_default = match params.get("SetAsDefault") {
        None | Some("false") => false,
        Some("true") => true,
        Some(other) => {
            return Err(constraint(
                "setAsDefault",
                other,
                "Member must be true or false",
            ));
        }
    };
    validate(document, DocKind::Identity)?;
    let mut world = shared.world();
    let now = world.now();
    let policy = world
        .policies
        .get_mut(arn)
        .ok_or_else(|| no_such_policy(arn))?;
    if policy.versions.len() >= MAX_VERSIONS {
        return Err(ApiError::new(
            "LimitExceeded",
            "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.",
        ));
    }
    if set_as_default {
        for v in &mut policy.versions {
            v.is_default = false;
        }
    }
    let version = PolicyVersion {
        id: format!("v{}", policy.next_version),
        document: document.to_owned(),
        is_default: set_as_default,
        created: now,
    };
    policy.next_version += 1;
    policy.updated = now;
    let xml = version_xml("PolicyVersion", &version, false);
    policy.versions.push(version);
    Ok(vec![xml])
}

pub fn delete_version(shared: &Shared, params: &Params) -> ApiResult<Vec<X>> {
    let arn = arn_param(params, "PolicyArn")?;
    let id = version_id(params)?;
    let mut world = shared.world();
    let policy = world
        .policies
        .get_mut(arn)
        .ok_or_else(|| no_such_policy(arn))?;
    let index = policy
        .versions
        .iter()
        .position(|v| v.id == id)
        .ok_or_else(|| no_such_version(arn, id))?;
    if policy.versions[index].is_default {
        return Err(ApiError::new(
            "DeleteConflict",
            "Cannot delete the default version of a policy.",
        ));
    }
    policy.versions.remove(index);
    Ok(Vec::new())
}

/// Newest first, as IAM lists them.
pub fn list_versions(shared: &Shared, params: &Params) -> ApiResult<Vec<X>> {
    let arn = arn_param(params, "PolicyArn")?;
    let world = shared.world();
    let policy = world.policies.get(arn).ok_or_else(|| no_such_policy(arn))?;
    let versions = policy
        .versions
        .iter()
        .rev()
        .map(|v| version_xml("member", v, false))
        .collect();
    Ok(vec![X::node("Versions", versions), not_truncated()])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_ids() {
        let p = |v: &str| Params::parse(format!("VersionId={v}").as_bytes());
        for good in ["v1", "v12", "v3.beta-1"] {
            assert!(version_id(&p(good)).is_ok(), "{good}");
        }
        for bad in ["1", "v0", "v", "V1", "v1.x_y"] {
            assert!(version_id(&p(bad)).is_err(), "{bad}");
        }
    }
}
