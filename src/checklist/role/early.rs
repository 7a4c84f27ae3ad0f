//! The role's reads that wait for another answer — the default version's document (its id comes
//! from GetPolicy) and the simulations as the role (its ARN comes from GetRole, with the role's
//! path) — started in the first wave with what an earlier check recorded. GetRole and GetPolicy
//! still run in that wave; what they answer decides whether the early read counts. A stale fact
//! (a new default version, another ARN) costs the read again, one round trip, and never a verdict.

use crate::aws::{AwsError, PolicyInfo, PolicyVersionInfo, RoleInfo, Simulation};

use super::super::Context;
use super::simulation;

/// What the first wave reads beside GetRole and GetPolicy, from the recorded facts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Early {
    /// Simulate as this ARN (the role's, as GetRole answered last time).
    pub role_arn: Option<String>,
    /// Read this version of the policy (its default last time).
    pub policy_version: Option<String>,
}

/// The early reads for `ctx`'s role and the policy `policy_arn`: only what was recorded for them.
pub fn plan(ctx: &Context, policy_arn: &str) -> Early {
    Early {
        role_arn: ctx.known.role_arn(&ctx.setup.role_name).map(str::to_owned),
        policy_version: ctx.known.policy_version(policy_arn).map(str::to_owned),
    }
}

/// Whether the version read early is the default version GetPolicy answered with.
pub fn version_confirmed(early: &Early, policy: &PolicyInfo) -> bool {
    early.policy_version.as_deref() == Some(policy.default_version_id.as_str())
}

/// Whether the early simulations ran as the role GetRole answered with.
pub fn role_confirmed(early: &Early, role: &RoleInfo) -> bool {
    early.role_arn.as_deref() == Some(role.arn.as_str())
}

/// The early read of the recorded version (`None`: nothing recorded).
pub async fn version(
    ctx: &Context,
    policy_arn: &str,
    early: &Early,
) -> Option<Result<PolicyVersionInfo, AwsError>> {
    let version = early.policy_version.as_deref()?;
    Some(ctx.clients.get_policy_version(policy_arn, version).await)
}

/// The early simulations as the recorded ARN (`None`: nothing recorded).
pub async fn simulations(
    ctx: &Context,
    early: &Early,
) -> Option<Result<Vec<Simulation>, AwsError>> {
    let arn = early.role_arn.as_deref()?;
    Some(simulation::simulate(ctx, arn).await)
}

/// The default version's document: the early read when GetPolicy confirmed it, else read now.
pub async fn confirmed_version(
    ctx: &Context,
    early: &Early,
    read: Option<Result<PolicyVersionInfo, AwsError>>,
    policy: Option<&PolicyInfo>,
) -> Result<Option<PolicyVersionInfo>, AwsError> {
    let Some(policy) = policy else {
        return Ok(None);
    };
    match read {
        Some(read) if version_confirmed(early, policy) => read.map(Some),
        _ => ctx
            .clients
            .get_policy_version(&policy.arn, &policy.default_version_id)
            .await
            .map(Some),
    }
}

/// The simulations as the role GetRole answered with: the early ones when they ran as it, else
/// run now (`None`: no role).
pub async fn confirmed_simulations(
    ctx: &Context,
    early: &Early,
    ran: Option<Result<Vec<Simulation>, AwsError>>,
    role: Option<&RoleInfo>,
) -> Option<Result<Vec<Simulation>, AwsError>> {
    let role = role?;
    match ran {
        Some(ran) if role_confirmed(early, role) => Some(ran),
        _ => Some(simulation::simulate(ctx, &role.arn).await),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn early() -> Early {
        Early {
            role_arn: Some("arn:aws:iam::123456789012:role/GitHubActions-CodeArtifact".into()),
            policy_version: Some("v1".into()),
        }
    }

    fn policy(default_version: &str) -> PolicyInfo {
        PolicyInfo {
            arn: "arn:aws:iam::123456789012:policy/CodeArtifact-Publish-Policy".into(),
            default_version_id: default_version.into(),
            attachment_count: 1,
        }
    }

    fn role(arn: &str) -> RoleInfo {
        RoleInfo {
            name: "GitHubActions-CodeArtifact".into(),
            arn: arn.into(),
            trust_policy: String::new(),
            max_session_duration: 3600,
            permissions_boundary: None,
        }
    }

    #[test]
    fn the_version_read_early_counts_only_while_it_is_the_default() {
        assert!(version_confirmed(&early(), &policy("v1")));
        assert!(!version_confirmed(&early(), &policy("v2")), "a new default");
        assert!(
            !version_confirmed(&Early::default(), &policy("v1")),
            "none read"
        );
    }

    #[test]
    fn the_simulations_run_early_count_only_as_the_role_getrole_names() {
        let plain = "arn:aws:iam::123456789012:role/GitHubActions-CodeArtifact";
        assert!(role_confirmed(&early(), &role(plain)));
        let with_path = "arn:aws:iam::123456789012:role/ci/GitHubActions-CodeArtifact";
        assert!(!role_confirmed(&early(), &role(with_path)), "a path since");
        assert!(!role_confirmed(&Early::default(), &role(plain)), "none run");
    }
}
