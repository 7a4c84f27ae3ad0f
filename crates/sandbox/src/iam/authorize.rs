//! What a role may do: its identity policies, its permissions boundary and the organisation's
//! service control policies, evaluated as AWS combines them. SimulatePrincipalPolicy answers from
//! this (and calls made as the role are authorised by it), so the two never disagree.
//!
//! An explicit Deny in any of the three wins. Otherwise the request is allowed only when an
//! identity policy allows it, the boundary (if the role has one) allows it, and the SCPs (if the
//! account is in an organisation; AWS's default `FullAWSAccess` is implied) allow it.

use crate::simulate::{ContextEntry, Decision, Evaluation, PolicyInput, evaluate};
use crate::world::{Role, World};

/// AWS's default SCP: everything, for every account of an organisation.
const FULL_AWS_ACCESS: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;

/// The decision for one action on one resource, and the parts that made it.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleDecision {
    pub decision: Decision,
    /// The identity policies' evaluation (their matched statements and missing context).
    pub identity: Evaluation,
    /// `AllowedByPermissionsBoundary`, when the role has a boundary.
    pub boundary_allows: Option<bool>,
    /// `AllowedByOrganizations`, when the account is in an organisation.
    pub organizations_allow: Option<bool>,
}

/// The role's attached managed policies as `(name, default version's document)`.
pub fn identity_policies(world: &World, role: &Role) -> Vec<(String, String)> {
    role.attached
        .iter()
        .filter_map(|arn| managed_document(world, arn))
        .collect()
}

fn managed_document(world: &World, arn: &str) -> Option<(String, String)> {
    let policy = world.policies.get(arn)?;
    let version = policy.default_version()?;
    Some((policy.name.clone(), version.document.clone()))
}

fn as_inputs(policies: &[(String, String)]) -> Vec<PolicyInput<'_>> {
    policies
        .iter()
        .map(|(id, document)| PolicyInput { id, document })
        .collect()
}

/// Evaluates `action` on `resource` for `role`, with `extra` identity policies (the simulation's
/// `PolicyInputList`) besides the attached ones.
pub fn decide(
    world: &World,
    role: &Role,
    extra: &[(String, String)],
    action: &str,
    resource: &str,
    context: &[ContextEntry],
) -> RoleDecision {
    let mut policies = extra.to_vec();
    policies.extend(identity_policies(world, role));
    let identity = evaluate(&as_inputs(&policies), action, resource, context);
    let boundary = role
        .permissions_boundary
        .as_deref()
        .and_then(|arn| managed_document(world, arn))
        .map(|p| evaluate(&as_inputs(&[p]), action, resource, context));
    let organizations = (!world.service_control_policies.is_empty()).then(|| {
        let mut scps = vec![("FullAWSAccess".to_owned(), FULL_AWS_ACCESS.to_owned())];
        scps.extend(
            world
                .service_control_policies
                .iter()
                .enumerate()
                .map(|(i, doc)| (format!("scp-{}", i + 1), doc.clone())),
        );
        evaluate(&as_inputs(&scps), action, resource, context)
    });
    let parts = [Some(&identity), boundary.as_ref(), organizations.as_ref()];
    let decision = if parts
        .iter()
        .flatten()
        .any(|e| e.decision == Decision::ExplicitDeny)
    {
        Decision::ExplicitDeny
    } else if parts
        .iter()
        .flatten()
        .all(|e| e.decision == Decision::Allowed)
    {
        Decision::Allowed
    } else {
        Decision::ImplicitDeny
    };
    RoleDecision {
        decision,
        identity,
        boundary_allows: boundary.map(|b| b.decision == Decision::Allowed),
        organizations_allow: organizations.map(|o| o.decision == Decision::Allowed),
    }
}
