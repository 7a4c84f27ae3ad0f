//! The names of the secrets a repository's workflows may use beyond its own: the organisation's
//! secrets shared with it (`GET /repos/{o}/{r}/actions/organization-secrets`) and an
//! environment's (`GET /repos/{o}/{r}/environments/{env}/secrets`). Values are never readable.

use serde::Deserialize;

use super::{GithubClient, GithubError, Need, repo_path, segment};

/// GitHub's largest page of secrets.
const SECRETS_PER_PAGE: usize = 100;

#[derive(Deserialize)]
struct Secret {
    name: String,
}

impl GithubClient {
    /// The organisation secrets shared with `owner/repo`.
    pub async fn list_org_secret_names(
        &self,
        owner: &str,
        repo: &str,
    ) -> Result<Vec<String>, GithubError> {
        let ctx = self.ctx(
            format!("list the organisation secrets {owner}/{repo} can use"),
            owner,
            repo,
            Need::SecretsRead,
        );
        let path = format!("{}/actions/organization-secrets", repo_path(owner, repo));
        let secrets = self
            .list_pages::<Secret>(
                &ctx,
                "actions/list-repo-organization-secrets",
                &path,
                "secrets",
                SECRETS_PER_PAGE,
            )
            .await?;
        Ok(secrets.items.into_iter().map(|s| s.name).collect())
    }

    /// The secrets of the environment `environment` of `owner/repo` (404 when there is no such
    /// environment).
    pub async fn list_environment_secret_names(
        &self,
        owner: &str,
        repo: &str,
        environment: &str,
    ) -> Result<Vec<String>, GithubError> {
        let ctx = self.ctx(
            format!("list the secrets of the environment {environment} of {owner}/{repo}"),
            owner,
            repo,
            Need::SecretsRead,
        );
        let path = format!(
            "{}/environments/{}/secrets",
            repo_path(owner, repo),
            segment(environment)
        );
        let secrets = self
            .list_pages::<Secret>(
                &ctx,
                "actions/list-environment-secrets",
                &path,
                "secrets",
                SECRETS_PER_PAGE,
            )
            .await?;
        Ok(secrets.items.into_iter().map(|s| s.name).collect())
    }
}
