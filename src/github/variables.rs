//! The Actions variables a job can see, at each level GitHub resolves `vars.X` from: the
//! repository's (read by name, listed, written), the ones its organisation shares with it (`GET
//! /repos/{o}/{r}/actions/organization-variables`, filtered by GitHub by the variables'
//! visibility: a repository can list them but not read one by name — `GET
//! /orgs/{org}/actions/variables/{name}` needs the organisation's own permission and ignores
//! visibility) and an environment's (`GET /repos/{o}/{r}/environments/{env}/variables[/{name}]`,
//! 404 while the environment does not exist). What each level holds is judged in `levels.rs`.

use reqwest::Method;

use super::error::{Context, Need};
use super::{
    GithubClient, GithubError, SetOutcome, VARIABLES_PER_PAGE, Variable, repo_path, segment,
};
use crate::listing::Listed;

/// GitHub's operation ids of the variables' lists.
const LIST_REPO: &str = "actions/list-repo-variables";
const LIST_SHARED: &str = "actions/list-repo-organization-variables";
const LIST_ENVIRONMENT: &str = "actions/list-environment-variables";

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
        let listed = self.list_variable_pages(&ctx, LIST_REPO, &path).await?;
        Ok(listed.items)
    }

    async fn list_variable_pages(
        &self,
        ctx: &Context,
        operation: &str,
        path: &str,
    ) -> Result<Listed<Variable>, GithubError> {
        self.list_pages(ctx, operation, path, "variables", VARIABLES_PER_PAGE)
            .await
    }

    /// One repository variable by name (`GET …/actions/variables/{name}`); `None` when the
    /// repository has none of that name (404).
    pub async fn get_variable(
        &self,
        owner: &str,
        repo: &str,
        name: &str,
    ) -> Result<Option<Variable>, GithubError> {
        let ctx = self.ctx(
            format!("read the Actions variable {name} of {owner}/{repo}"),
            owner,
            repo,
            Need::VariablesRead,
        );
        let path = format!(
            "{}/actions/variables/{}",
            repo_path(owner, repo),
            segment(name)
        );
        missing_is_none(self.get_json(&ctx, &path).await)
    }

    /// One variable of environment `environment` by name; `None` when the environment has none
    /// of that name, or does not exist (both 404: GitHub creates an environment when a job first
    /// names it, with no variables).
    pub async fn get_environment_variable(
        &self,
        owner: &str,
        repo: &str,
        environment: &str,
        name: &str,
    ) -> Result<Option<Variable>, GithubError> {
        let ctx = self.ctx(
            format!("read the variable {name} of the environment {environment} of {owner}/{repo}"),
            owner,
            repo,
            Need::VariablesRead,
        );
        let path = format!(
            "{}/environments/{}/variables/{}",
            repo_path(owner, repo),
            segment(environment),
            segment(name)
        );
        missing_is_none(self.get_json(&ctx, &path).await)
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
    ) -> Result<Listed<Variable>, GithubError> {
        let ctx = self.ctx(
            format!("list the organisation variables shared with {owner}/{repo}"),
            owner,
            repo,
            Need::VariablesRead,
        );
        let path = format!("{}/actions/organization-variables", repo_path(owner, repo));
        self.list_variable_pages(&ctx, LIST_SHARED, &path).await
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
        match self
            .list_variable_pages(&ctx, LIST_ENVIRONMENT, &path)
            .await
        {
            Ok(vars) => Ok(Some(vars.items)),
            Err(GithubError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// A read whose 404 means "there is none".
fn missing_is_none<T>(read: Result<T, GithubError>) -> Result<Option<T>, GithubError> {
    match read {
        Ok(found) => Ok(Some(found)),
        Err(GithubError::NotFound { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}
