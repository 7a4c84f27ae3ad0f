//! What tests read and arrange in a repository's git data without an API call: files on a branch,
//! branches, pull requests.

use super::git::DEFAULT_BRANCH;

/// A pull request as a test sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullRequestInfo {
    pub number: u64,
    pub title: String,
    pub head: String,
    pub base: String,
    pub state: String,
}

impl crate::SandboxHandle {
    /// The text of `path` on `branch` (the default branch when `None`) of a GitHub repository.
    pub fn github_file(
        &self,
        owner: &str,
        repo: &str,
        branch: Option<&str>,
        path: &str,
    ) -> Option<String> {
        let world = self.shared.world();
        let r = world.github.get(owner, repo)?;
        let commit = r.git.branch(branch.unwrap_or(&r.git.default_branch))?;
        let blob = commit.files.get(path)?;
        Some(String::from_utf8_lossy(&blob.content).into_owned())
    }

    /// Commits `text` at `path` on `branch` (which must exist; the default branch is `main`), as a
    /// push would. Creates the repository on first use. `false` when the branch does not exist.
    pub fn put_github_file(
        &self,
        owner: &str,
        repo: &str,
        branch: Option<&str>,
        path: &str,
        text: &str,
    ) -> bool {
        let mut world = self.shared.world();
        let now = world.now();
        let Some(r) = world.github.repo_mut(owner, repo, now) else {
            return false;
        };
        let branch = branch.unwrap_or(DEFAULT_BRANCH).to_owned();
        r.git
            .commit_file(
                &branch,
                path,
                text.as_bytes().to_vec(),
                &format!("Update {path}"),
                now,
            )
            .is_some()
    }

    /// The branch names of a GitHub repository (empty for one not used yet).
    pub fn github_branches(&self, owner: &str, repo: &str) -> Vec<String> {
        self.shared
            .world()
            .github
            .get(owner, repo)
            .map(|r| r.git.branches.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// The pull requests of a GitHub repository, oldest first.
    pub fn github_pull_requests(&self, owner: &str, repo: &str) -> Vec<PullRequestInfo> {
        self.shared
            .world()
            .github
            .get(owner, repo)
            .map(|r| {
                r.git
                    .pulls
                    .iter()
                    .map(|p| PullRequestInfo {
                        number: p.number,
                        title: p.title.clone(),
                        head: p.head.clone(),
                        base: p.base.clone(),
                        state: p.state.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}
