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
    /// The permissions boundary's decision, when the role has one.
    pub boundary: Option<Decision>,
    /// The service control policies' decision, when the account is in an organisation.
    pub organizations: Option<Decision>,
}

impl RoleDecision {
    /// `AllowedByPermissionsBoundary`, when the role has a boundary.
    pub fn boundary_allows(&self) -> Option<bool> {
        self.boundary.map(|d| d == Decision::Allowed)
    }

    /// `AllowedByOrganizations`, when the account is in an organisation.
    pub fn organizations_allow(&self) -> Option<bool> {
        self.organizations.map(|d| d == Decision::Allowed)
    }

    /// Why AWS refuses the action, in the words of its AccessDenied messages: "with an explicit
    /// deny in a service control policy", "because no identity-based policy allows the X action".
    pub fn denial(&self, action: &str) -> Option<String> {
        if self.decision == Decision::Allowed {
            return None;
        }
        let parts = [
            (self.organizations, "a service control policy"),
            (self.boundary, "a permissions boundary"),
            (Some(self.identity.decision), "an identity-based policy"),
        ];
        if let Some((_, what)) = parts
            .iter()
            .find(|(d, _)| *d == Some(Decision::ExplicitDeny))
        {
            return Some(format!("with an explicit deny in {what}"));
        }
        let (_, what) = parts
            .iter()
            .find(|(d, _)| d.is_some_and(|d| d != Decision::Allowed))
            .copied()
            .unwrap_or((None, "an identity-based policy"));
        let what = what.trim_start_matches("a ").trim_start_matches("an ");
        Some(format!("because no {what} allows the {action} action"))
    }
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
        boundary: boundary.map(|b| b.decision),
        organizations: organizations.map(|o| o.decision),
        identity,
    }
}
