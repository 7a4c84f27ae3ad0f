//! The Actions variables a job can see, at each level GitHub resolves `vars.X` from: the
//! repository's (read and written), the ones its organisation shares with it (`GET
//! /repos/{o}/{r}/actions/organization-variables`, filtered by GitHub by the variables'
//! visibility) and an environment's (`GET /repos/{o}/{r}/environments/{env}/variables`, 404 while
//! the environment does not exist). What each level holds is judged in `levels.rs`.

use reqwest::Method;

use super::error::Need;
use super::{GithubClient, GithubError, SetOutcome, Variable, repo_path, segment};

impl GithubClient {
    /// The repository's Actions variables (all pages).
    pub async fn list_variables(
        &self,
        owner: &str,
        repo: &str,
    ) -> Result<Vec<Variable>, GithubError> {
        let ctx = self.ctx(
            format!("list the Actions variables of {owner}/{repo}"),
            owner,
            repo,
            Need::VariablesRead,
        );
        let path = format!("{}/actions/variables", repo_path(owner, repo));
        self.list_all(&ctx, &path, "variables").await
    }

    /// Creates the variable, or updates it when it exists (409 on create).
    pub async fn set_variable(
        &self,
        owner: &str,
        repo: &str,
        name: &str,
        value: &str,
    ) -> Result<SetOutcome, GithubError> {
        let ctx = self.ctx(
            format!("set the Actions variable {name} of {owner}/{repo}"),
            owner,
            repo,
            Need::VariablesWrite,
        );
        let path = format!("{}/actions/variables", repo_path(owner, repo));
        let body = serde_json::json!({ "name": name, "value": value });
        match self.send(&ctx, Method::POST, &path, Some(&body)).await {
            Ok(_) => Ok(SetOutcome::Created),
            Err(GithubError::Conflict { .. }) => {
                let path = format!("{path}/{}", segment(name));
                self.send(&ctx, Method::PATCH, &path, Some(&body)).await?;
                Ok(SetOutcome::Updated)
            }
            Err(e) => Err(e),
        }
    }

    /// Deletes the variable: `Ok(true)` when it was deleted, `Ok(false)` when it did not exist (404;
    /// destroying what is already gone is fine).
    pub async fn delete_variable(
        &self,
        owner: &str,
        repo: &str,
        name: &str,
    ) -> Result<bool, GithubError> {
        let ctx = self.ctx(
            format!("delete the Actions variable {name} of {owner}/{repo}"),
            owner,
            repo,
            Need::VariablesWrite,
        );
        let path = format!(
            "{}/actions/variables/{}",
            repo_path(owner, repo),
            segment(name)
        );
        match self.send(&ctx, Method::DELETE, &path, None).await {
            Ok(_) => Ok(true),
            Err(GithubError::NotFound { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// The organisation variables shared with the repository (all pages). A repository owned
    /// by a user has none.
    pub async fn list_org_variables_for_repo(
        &self,
        owner: &str,
        repo: &str,
    ) -> Result<Vec<Variable>, GithubError> {
        let ctx = self.ctx(
            format!("list the organisation variables shared with {owner}/{repo}"),
            owner,
            repo,
            Need::VariablesRead,
        );
        let path = format!("{}/actions/organization-variables", repo_path(owner, repo));
        self.list_all(&ctx, &path, "variables").await
    }

    /// Environment `environment`'s variables (all pages); `None` when the environment does not
    /// exist (GitHub creates it when a job first names it, with no variables).
    pub async fn list_environment_variables(
        &self,
        owner: &str,
        repo: &str,
        environment: &str,
    ) -> Result<Option<Vec<Variable>>, GithubError> {
        let ctx = self.ctx(
            format!("list the variables of the environment {environment} of {owner}/{repo}"),
            owner,
            repo,
            Need::VariablesRead,
        );
        let path = format!(
            "{}/environments/{}/variables",
            repo_path(owner, repo),
            segment(environment)
        );
        match self.list_all(&ctx, &path, "variables").await {
            Ok(vars) => Ok(Some(vars)),
            Err(GithubError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }
}
