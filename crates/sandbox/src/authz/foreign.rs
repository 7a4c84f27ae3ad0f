//! Another account's administrator calling into the sandbox's account (IAM User Guide,
//! "Cross-account policy evaluation logic"): a cross-account request needs an Allow from the
//! caller's own identity policies **and** from the resource's policy. The caller is its account's
//! root user, whose own account allows it everything, so a request on a resource of the sandbox's
//! account is decided by CodeArtifact's resource policies alone (the domain's for the domain, the
//! domain's or the repository's for a repository and its packages); an explicit Deny in either
//! wins, and with no statement for the caller the answer is "no resource-based policy allows".
//! Needs on the caller's own account (`sts:GetServiceBearerToken` on `*`) are its own business.

use super::Need;
use super::resource::{codeartifact_owner, decide_for_account};
use crate::matching::ContextEntry;
use crate::protocol::ApiError;
use crate::simulate::Decision;
use crate::world::World;

/// `Ok` when the resource policies let `account`'s administrator do everything in `needs` that
/// touches the sandbox's account; else AWS's AccessDenied (`code`).
pub fn check_account(
    world: &World,
    account: &str,
    needs: &[Need],
    code: &str,
) -> Result<(), ApiError> {
    for need in needs
        .iter()
        .filter(|n| codeartifact_owner(&n.resource) == Some(world.account_id.as_str()))
    {
        let context: Vec<ContextEntry> = need
            .context
            .iter()
            .map(|(key, value)| ContextEntry {
                key: key.clone(),
                values: vec![value.clone()],
            })
            .collect();
        let why = match decide_for_account(world, account, need, &context) {
            Decision::Allowed => continue,
            Decision::ExplicitDeny => "with an explicit deny in a resource-based policy".to_owned(),
            Decision::ImplicitDeny => format!(
                "because no resource-based policy allows the {} action",
                need.action
            ),
        };
        return Err(ApiError::new(
            code,
            format!(
                "User: arn:aws:iam::{account}:root is not authorized to perform: {} on resource: {} {why}",
                need.action, need.resource
            ),
        ));
    }
    Ok(())
}
