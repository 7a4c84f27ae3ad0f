//! Reads on the GitHub repository's default branch, started with the branch an earlier check
//! recorded while GET /repos/{owner}/{repo} confirms it in the same wave; when GitHub answers with
//! another branch, they are read again on it (one more round trip, only then).

use std::future::Future;

use crate::github::GithubError;

use super::Context;

/// `reads` on the default branch GitHub answers with, and that branch.
pub async fn on_default_branch<T, F, Fut>(
    ctx: &Context,
    reads: F,
) -> Result<(String, T), GithubError>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = T>,
{
    let s = &ctx.setup;
    let (owner, repo) = (s.github_owner.as_str(), s.github_repo.as_str());
    let asked = ctx.github.default_branch(owner, repo);
    let (branch, early) = match ctx.known.default_branch(owner, repo) {
        Some(recorded) => {
            let (branch, early) = tokio::join!(asked, reads(recorded.to_owned()));
            (branch?, Some((recorded, early)))
        }
        None => (asked.await?, None),
    };
    ctx.learned.default_branch(owner, repo, &branch);
    match early {
        Some((recorded, early)) if recorded == branch => Ok((branch, early)),
        _ => {
            let read = reads(branch.clone()).await;
            Ok((branch, read))
        }
    }
}
