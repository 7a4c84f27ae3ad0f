//! What a role session may do: every call it signs, and every PyPI request made with a token it
//! obtained, is authorised by the role's policies through the same evaluator as
//! SimulatePrincipalPolicy (`iam::authorize`). A refusal reads as AWS's: "User: ARN is not
//! authorized to perform: ACTION on resource: RESOURCE because no identity-based policy allows the
//! ACTION action". The sandbox's own caller is never checked. CodeArtifact's resource policies on
//! the domain and repository take part too (`resource`): their explicit Deny refuses "with an
//! explicit deny in a resource-based policy", and their Allow grants what no identity policy does
//! (same account), within the boundary and the SCPs.

mod foreign;
mod resource;

pub use foreign::check_account;
pub use resource::{account_document_decision, document_decision};

use crate::iam::authorize::{RoleDecision, decide};
use crate::matching::ContextEntry;
use crate::protocol::{ApiError, Params, Query};
use crate::simulate::Decision;
use crate::world::{Session, World};

/// One permission a request needs: an action on a resource, with its context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Need {
    pub action: String,
    pub resource: String,
    pub context: Vec<(String, String)>,
}

impl Need {
    pub fn new(action: &str, resource: impl Into<String>) -> Self {
        Self {
            action: action.to_owned(),
            resource: resource.into(),
            context: Vec::new(),
        }
    }
}

/// `arn:aws:codeartifact:REGION:OWNER:` for the request's domain owner.
fn codeartifact_base(q: &Query, region: &str, account: &str) -> String {
    let owner = q.get("domain-owner").unwrap_or(account);
    format!("arn:aws:codeartifact:{region}:{owner}")
}

/// The CodeArtifact permissions `operation` needs (the Service Authorization Reference's
/// resource for each action; `GetAuthorizationToken` also needs `sts:GetServiceBearerToken`).
pub fn codeartifact_needs(operation: &str, q: &Query, region: &str, account: &str) -> Vec<Need> {
    let base = codeartifact_base(q, region, account);
    let domain = q.get("domain").unwrap_or_default();
    let repo = q.get("repository").unwrap_or_default();
    let domain_arn = format!("{base}:domain/{domain}");
    let repo_arn = format!("{base}:repository/{domain}/{repo}");
    let package_arn = format!(
        "{base}:package/{domain}/{repo}/{}/{}/{}",
        q.get("format").unwrap_or_default(),
        q.get("namespace").unwrap_or_default(),
        crate::world::normalize_name(q.get("package").unwrap_or_default())
    );
    let action = format!("codeartifact:{operation}");
    let resource = match operation {
        "ListDomains" | "CreateDomain" | "CreateRepository" => "*".to_owned(),
        "DescribeDomain"
        | "DeleteDomain"
        | "GetAuthorizationToken"
        | "ListRepositoriesInDomain"
        | "GetDomainPermissionsPolicy"
        | "PutDomainPermissionsPolicy"
        | "DeleteDomainPermissionsPolicy" => domain_arn,
        "ListPackageVersions"
        | "DescribePackageVersion"
        | "DeletePackageVersions"
        | "DescribePackage"
        | "PutPackageOriginConfiguration"
        | "UpdatePackageVersionsStatus"
        | "DisposePackageVersions"
        | "ListPackageVersionAssets" => package_arn,
        _ => repo_arn,
    };
    let mut needs = vec![Need::new(&action, resource)];
    if operation == "GetAuthorizationToken" {
        let mut bearer = Need::new("sts:GetServiceBearerToken", "*");
        bearer.context.push((
            "sts:AWSServiceName".to_owned(),
            "codeartifact.amazonaws.com".to_owned(),
        ));
        needs.push(bearer);
    }
    needs
}

/// The IAM permission a query-protocol IAM call needs, on the entity it names.
pub fn iam_needs(operation: &str, params: &Params, world: &World) -> Vec<Need> {
    let account = &world.account_id;
    let resource = if let Some(arn) = params
        .get("PolicyArn")
        .or_else(|| params.get("OpenIDConnectProviderArn"))
        .or_else(|| params.get("PolicySourceArn"))
    {
        arn.to_owned()
    } else if let Some(name) = params.get("RoleName") {
        world.roles.get(name).map_or_else(
            || format!("arn:aws:iam::{account}:role/{name}"),
            |r| r.arn.clone(),
        )
    } else {
        "*".to_owned()
    };
    vec![Need::new(&format!("iam:{operation}"), resource)]
}

/// `Ok` when the session's role may do everything in `needs`, else AWS's AccessDenied (`code`).
pub fn check(world: &World, session: &Session, needs: &[Need], code: &str) -> Result<(), ApiError> {
    let Some(role) = world.roles.get(&session.role_name) else {
        return Err(ApiError::new(
            code,
            format!(
                "User: {} is not authorized to perform: {} because the role no longer exists",
                session.arn(&world.account_id),
                needs.first().map_or("", |n| n.action.as_str())
            ),
        ));
    };
    for need in needs {
        let context: Vec<ContextEntry> = need
            .context
            .iter()
            .map(|(key, value)| ContextEntry {
                key: key.clone(),
                values: vec![value.clone()],
            })
            .collect();
        let decision = decide(world, role, &[], &need.action, &need.resource, &context);
        let by_resource = resource::decide(world, session, need, &context);
        if let Some(why) = refusal(&decision, by_resource, &need.action) {
            return Err(ApiError::new(
                code,
                format!(
                    "User: {} is not authorized to perform: {} on resource: {} {why}",
                    session.arn(&world.account_id),
                    need.action,
                    need.resource
                ),
            ));
        }
    }
    Ok(())
}

/// Why AWS refuses the action, given the role's decision (identity policies, boundary, SCPs) and
/// the resource policies': an explicit Deny anywhere refuses; a resource policy's Allow stands in
/// for a missing identity-policy Allow when the boundary and the SCPs allow.
fn refusal(role: &RoleDecision, by_resource: Decision, action: &str) -> Option<String> {
    if role.decision == Decision::ExplicitDeny {
        return role.denial(action);
    }
    if by_resource == Decision::ExplicitDeny {
        return Some("with an explicit deny in a resource-based policy".to_owned());
    }
    let granted_by_resource = by_resource == Decision::Allowed
        && role.boundary_allows() != Some(false)
        && role.organizations_allow() != Some(false);
    if role.decision == Decision::Allowed || granted_by_resource {
        return None;
    }
    role.denial(action)
}
