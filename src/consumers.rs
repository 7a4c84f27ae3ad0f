//! Consumers (SPEC "Consumers"): other AWS accounts (or an organisation) that read the
//! repository. A consumer needs BOTH the domain's permissions policy (GetAuthorizationToken, and
//! DescribeDomain) and a read grant (ReadFromRepository and the describe/list actions) — from the
//! repository's policy or the domain's, which CodeArtifact evaluates together — and an explicit
//! Deny in either wins. Pure judging of the policies as read, with the one evaluator, and the
//! statements cawiz writes (Sid prefix `cawiz`), merged into whatever policy exists.

mod merge;
mod policies;
mod steps;

pub use merge::{CAWIZ_SID_PREFIX, merge_cawiz_statements, without_cawiz_statements};
pub use policies::{
    DOMAIN_ACTIONS, REPOSITORY_ACTIONS, all_rows, consumer_rows, domain_statement, is_denial,
    repository_statement,
};
pub use steps::{IDENTITY_ACTIONS, identity_policy, login_commands};

/// The setup's consumers (`crate::setup` keeps them; judged here).
pub use crate::setup::{Consumer, ConsumerError};

/// The stable ids of the consumers item's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowId {
    /// The domain policy lets the consumer get a token (and describe the domain).
    DomainPolicy,
    /// The repository (or domain) policy lets the consumer read.
    RepositoryPolicy,
}

impl RowId {
    pub fn key(self) -> &'static str {
        match self {
            RowId::DomainPolicy => "consumer-domain-policy",
            RowId::RepositoryPolicy => "consumer-repo-policy",
        }
    }
}

#[cfg(test)]
mod tests;
