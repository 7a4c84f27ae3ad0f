//! Facts a check learned from AWS, kept so that the next `status` can send every read at once
//! instead of waiting for the answer they come from: the account (GetCallerIdentity), the role's
//! ARN (GetRole: it has the role's path), the policy's default version (GetPolicy) and the GitHub
//! repository's default branch (GET /repos/{owner}/{repo}). Each is
//! confirmed by the same wave that uses it (GetCallerIdentity, GetRole and GetPolicy still run);
//! a stale one costs one more round trip, and nothing is judged from it.

use serde::{Deserialize, Serialize};

/// The role's ARN, for the role of that name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownRole {
    pub name: String,
    pub arn: String,
}

/// The default version of the policy with that ARN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownPolicy {
    pub arn: String,
    pub default_version: String,
}

/// The default branch of the GitHub repository `owner/repo`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownBranch {
    pub repository: String,
    pub branch: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Known {
    /// The account GetCallerIdentity answered with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<KnownRole>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<KnownPolicy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_branch: Option<KnownBranch>,
}

impl Known {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// The recorded ARN of the role `name`.
    pub fn role_arn(&self, name: &str) -> Option<&str> {
        self.role
            .as_ref()
            .filter(|r| r.name == name)
            .map(|r| r.arn.as_str())
    }

    /// The recorded default version of the policy `arn`.
    pub fn policy_version(&self, arn: &str) -> Option<&str> {
        self.policy
            .as_ref()
            .filter(|p| p.arn == arn)
            .map(|p| p.default_version.as_str())
    }

    /// The recorded default branch of `owner/repo`.
    pub fn default_branch(&self, owner: &str, repo: &str) -> Option<&str> {
        self.default_branch
            .as_ref()
            .filter(|b| b.repository == format!("{owner}/{repo}"))
            .map(|b| b.branch.as_str())
    }

    /// What is still true in `account`: everything when it is the recorded one, else only GitHub's
    /// default branch (the role and policy of another account are other resources).
    pub fn in_account(&self, account: &str) -> Self {
        if self.account_id.as_deref() == Some(account) {
            return self.clone();
        }
        Self {
            account_id: Some(account.to_owned()),
            default_branch: self.default_branch.clone(),
            ..Self::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recorded() -> Known {
        Known {
            account_id: Some("123456789012".into()),
            role: Some(KnownRole {
                name: "R".into(),
                arn: "arn:aws:iam::123456789012:role/ci/R".into(),
            }),
            policy: Some(KnownPolicy {
                arn: "arn:aws:iam::123456789012:policy/P".into(),
                default_version: "v3".into(),
            }),
            default_branch: Some(KnownBranch {
                repository: "octo-org/widgets".into(),
                branch: "trunk".into(),
            }),
        }
    }

    #[test]
    fn facts_count_only_for_what_they_were_recorded_for() {
        let k = recorded();
        assert_eq!(k.role_arn("R"), Some("arn:aws:iam::123456789012:role/ci/R"));
        assert_eq!(k.role_arn("Other"), None);
        assert_eq!(
            k.policy_version("arn:aws:iam::123456789012:policy/P"),
            Some("v3")
        );
        assert_eq!(k.policy_version("arn:aws:iam::210987654321:policy/P"), None);
        assert_eq!(k.default_branch("octo-org", "widgets"), Some("trunk"));
        assert_eq!(k.default_branch("octo-org", "gadgets"), None);
    }

    #[test]
    fn another_account_forgets_the_role_and_the_policy() {
        let k = recorded();
        assert_eq!(k.in_account("123456789012"), k);
        let other = k.in_account("210987654321");
        assert_eq!(other.account_id.as_deref(), Some("210987654321"));
        assert_eq!((other.role, other.policy), (None, None));
        assert_eq!(
            other.default_branch, k.default_branch,
            "GitHub's, not the account's"
        );
    }
}
