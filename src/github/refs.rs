//! Tags through the git refs API: the throw-away `cawiz-verify-…` tag a verification of the `tags`
//! scope dispatches on (`POST …/git/refs` with `refs/tags/NAME`, then `DELETE …/git/refs/tags/NAME`
//! once the run has ended).

use reqwest::Method;

use super::error::Need;
use super::{GithubClient, GithubError, repo_path, segment};

impl GithubClient {
    /// Creates the lightweight tag `tag` at the commit `sha`.
    pub async fn create_tag(
        &self,
        owner: &str,
        repo: &str,
        tag: &str,
        sha: &str,
    ) -> Result<(), GithubError> {
        let ctx = self.ctx(
            format!("create the tag {tag} of {owner}/{repo}"),
            owner,
            repo,
            Need::ContentsWrite,
        );
        let url = format!("{}/git/refs", repo_path(owner, repo));
        let body = serde_json::json!({ "ref": format!("refs/tags/{tag}"), "sha": sha });
        self.send(&ctx, Method::POST, &url, Some(&body)).await?;
        Ok(())
    }

    /// Deletes the tag `tag`; `Ok(false)` when it is not there (GitHub's 422 "Reference does not
    /// exist").
    pub async fn delete_tag(
        &self,
        owner: &str,
        repo: &str,
        tag: &str,
    ) -> Result<bool, GithubError> {
        let ctx = self.ctx(
            format!("delete the tag {tag} of {owner}/{repo}"),
            owner,
            repo,
            Need::ContentsWrite,
        );
        let url = format!("{}/git/refs/tags/{}", repo_path(owner, repo), segment(tag));
        match self.send(&ctx, Method::DELETE, &url, None).await {
            Ok(_) => Ok(true),
            Err(GithubError::Other {
                status: 422,
                message,
                ..
            }) if message.contains("Reference does not exist") => Ok(false),
            Err(e) => Err(e),
        }
    }
}
