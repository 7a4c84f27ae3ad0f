//! What the checks of one session learn that the state keeps ([`Known`]): the checks run
//! concurrently and each adds what it read; the command saves the whole at the end.

use std::sync::{Arc, Mutex, PoisonError};

use crate::state::{Known, KnownBranch, KnownPolicy, KnownRole};

/// Shared by a context's clones (every concurrent check writes to the same one).
#[derive(Debug, Clone, Default)]
pub struct Learned(Arc<Mutex<Known>>);

impl Learned {
    /// Starting from what was known (and still holds in `account`, the confirmed one).
    pub fn new(known: &Known, account: &str) -> Self {
        Self(Arc::new(Mutex::new(known.in_account(account))))
    }

    fn update(&self, change: impl FnOnce(&mut Known)) {
        change(&mut self.0.lock().unwrap_or_else(PoisonError::into_inner));
    }

    /// GetRole answered: the role's ARN, or that there is no such role.
    pub fn role(&self, name: &str, arn: Option<&str>) {
        self.update(|k| {
            k.role = arn.map(|arn| KnownRole {
                name: name.to_owned(),
                arn: arn.to_owned(),
            });
        });
    }

    /// GetPolicy answered: the policy's default version, or that there is no such policy.
    pub fn policy(&self, arn: &str, default_version: Option<&str>) {
        self.update(|k| {
            k.policy = default_version.map(|v| KnownPolicy {
                arn: arn.to_owned(),
                default_version: v.to_owned(),
            });
        });
    }

    /// GitHub answered with the default branch of `owner/repo`.
    pub fn default_branch(&self, owner: &str, repo: &str, branch: &str) {
        self.update(|k| {
            k.default_branch = Some(KnownBranch {
                repository: format!("{owner}/{repo}"),
                branch: branch.to_owned(),
            });
        });
    }

    /// Everything learned so far, to save.
    pub fn snapshot(&self) -> Known {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}
