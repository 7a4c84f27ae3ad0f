//! Where the Actions variables beyond a repository's own live, as GitHub's REST API serves them:
//! an organisation's (`/orgs/{org}/actions/variables…`, `org_variables.rs`), the ones an
//! organisation shares with a repository (`GET /repos/{o}/{r}/actions/organization-variables`),
//! and a deployment environment's (`/repos/{o}/{r}/environments/{env}/variables…`,
//! `environments.rs`): the routing of those paths, their documentation links, and the shared
//! listing. A job resolves `vars.X` from its environment, then the repository, then the
//! organisation (`actions::context`).

use serde_json::{Value, json};

use super::endpoints::paginate;
use super::reply::{GhError, GhResult, Input};
use super::state::{GhRepo, GithubState, OrgVariable};
use super::{Op, Route, environments, org_variables};
use crate::world::iso8601;

/// (operation, name, item) of a path.
type Named = (Op, Option<String>, Option<String>);

/// `/orgs/{org}/actions/variables[/{name}[/repositories[/{repository_id}]]]`.
pub(super) fn org_route(method: &str, rest: &[&str]) -> Option<Named> {
    let owned = |s: &str| Some(s.to_owned());
    Some(match (method, rest) {
        ("GET", []) => (Op::ListOrgVariables, None, None),
        ("POST", []) => (Op::CreateOrgVariable, None, None),
        ("GET", [n]) => (Op::GetOrgVariable, owned(n), None),
        ("PATCH", [n]) => (Op::UpdateOrgVariable, owned(n), None),
        ("DELETE", [n]) => (Op::DeleteOrgVariable, owned(n), None),
        ("GET", [n, "repositories"]) => (Op::ListSelectedReposForOrgVariable, owned(n), None),
        ("PUT", [n, "repositories"]) => (Op::SetSelectedReposForOrgVariable, owned(n), None),
        ("PUT", [n, "repositories", id]) => (Op::AddSelectedRepoToOrgVariable, owned(n), owned(id)),
        ("DELETE", [n, "repositories", id]) => {
            (Op::RemoveSelectedRepoFromOrgVariable, owned(n), owned(id))
        }
        _ => return None,
    })
}

/// `/repos/{o}/{r}/environments/{env}[/variables[/{name}]]`: (op, environment, variable).
pub(super) fn environment_route(
    method: &str,
    tail: &[&str],
) -> Option<(Op, String, Option<String>)> {
    let ["environments", env, rest @ ..] = tail else {
        return None;
    };
    let env = (*env).to_owned();
    let variable = |n: &str| Some(n.to_owned());
    Some(match (method, rest) {
        ("GET", []) => (Op::GetEnvironment, env, None),
        ("PUT", []) => (Op::CreateOrUpdateEnvironment, env, None),
        ("GET", ["variables"]) => (Op::ListEnvVariables, env, None),
        ("POST", ["variables"]) => (Op::CreateEnvVariable, env, None),
        ("GET", ["variables", n]) => (Op::GetEnvVariable, env, variable(n)),
        ("PATCH", ["variables", n]) => (Op::UpdateEnvVariable, env, variable(n)),
        ("DELETE", ["variables", n]) => (Op::DeleteEnvVariable, env, variable(n)),
        _ => return None,
    })
}

/// The `documentation_url` of these endpoints' errors.
pub(super) fn doc(op: Op) -> &'static str {
    const BASE: &str = "https://docs.github.com/rest/actions/variables";
    match op {
        Op::ListRepoOrgVariables => {
            "https://docs.github.com/rest/actions/variables#list-repository-organization-variables"
        }
        Op::ListOrgVariables => {
            "https://docs.github.com/rest/actions/variables#list-organization-variables"
        }
        Op::CreateOrgVariable => {
            "https://docs.github.com/rest/actions/variables#create-an-organization-variable"
        }
        Op::GetOrgVariable => {
            "https://docs.github.com/rest/actions/variables#get-an-organization-variable"
        }
        Op::UpdateOrgVariable => {
            "https://docs.github.com/rest/actions/variables#update-an-organization-variable"
        }
        Op::DeleteOrgVariable => {
            "https://docs.github.com/rest/actions/variables#delete-an-organization-variable"
        }
        Op::ListSelectedReposForOrgVariable => {
            "https://docs.github.com/rest/actions/variables#list-selected-repositories-for-an-organization-variable"
        }
        Op::SetSelectedReposForOrgVariable => {
            "https://docs.github.com/rest/actions/variables#set-selected-repositories-for-an-organization-variable"
        }
        Op::AddSelectedRepoToOrgVariable => {
            "https://docs.github.com/rest/actions/variables#add-selected-repository-to-an-organization-variable"
        }
        Op::RemoveSelectedRepoFromOrgVariable => {
            "https://docs.github.com/rest/actions/variables#remove-selected-repository-from-an-organization-variable"
        }
        Op::ListEnvVariables => {
            "https://docs.github.com/rest/actions/variables#list-environment-variables"
        }
        Op::CreateEnvVariable => {
            "https://docs.github.com/rest/actions/variables#create-an-environment-variable"
        }
        Op::GetEnvVariable => {
            "https://docs.github.com/rest/actions/variables#get-an-environment-variable"
        }
        Op::UpdateEnvVariable => {
            "https://docs.github.com/rest/actions/variables#update-an-environment-variable"
        }
        Op::DeleteEnvVariable => {
            "https://docs.github.com/rest/actions/variables#delete-an-environment-variable"
        }
        _ => BASE,
    }
}

/// A variable as the repository-level listings show it (`actions-variable`).
pub fn variable_json(
    name: &str,
    value: &str,
    created: std::time::SystemTime,
    updated: std::time::SystemTime,
) -> Value {
    json!({
        "name": name,
        "value": value,
        "created_at": iso8601(created),
        "updated_at": iso8601(updated),
    })
}

/// `GET /repos/{o}/{r}/actions/organization-variables`: the owner's variables this repository
/// sees (visibility `all` and `private` — every sandbox repository is private — and `selected`
/// naming it), 10 a page by default, at most 30.
pub fn shared_with(gh: &GithubState, repo: &GhRepo, input: &Input<'_>) -> GhResult {
    let items: Vec<Value> = gh
        .shared_variables(repo)
        .into_iter()
        .map(|v: &OrgVariable| variable_json(&v.name, &v.value, v.created, v.updated))
        .collect();
    let url = format!(
        "{}/repos/{}/{}/actions/organization-variables",
        input.api_url, repo.owner, repo.name
    );
    Ok(paginate(items, "variables", &input.query, 10, 30, &url))
}

/// Answers the endpoints of this file's levels (`None` for any other operation).
pub fn dispatch(gh: &mut GithubState, route: &Route, input: &Input<'_>) -> Option<GhResult> {
    Some(match route.op {
        Op::ListOrgVariables
        | Op::CreateOrgVariable
        | Op::GetOrgVariable
        | Op::UpdateOrgVariable
        | Op::DeleteOrgVariable
        | Op::ListSelectedReposForOrgVariable
        | Op::SetSelectedReposForOrgVariable
        | Op::AddSelectedRepoToOrgVariable
        | Op::RemoveSelectedRepoFromOrgVariable => org_variables::dispatch(gh, route, input),
        Op::ListRepoOrgVariables => {
            if gh.repo_mut(&route.owner, &route.repo, input.now).is_none() {
                return Some(Err(GhError::not_found()));
            }
            let repo = gh.get(&route.owner, &route.repo)?;
            shared_with(gh, repo, input)
        }
        Op::GetEnvironment
        | Op::CreateOrUpdateEnvironment
        | Op::ListEnvVariables
        | Op::CreateEnvVariable
        | Op::GetEnvVariable
        | Op::UpdateEnvVariable
        | Op::DeleteEnvVariable => match gh.repo_mut(&route.owner, &route.repo, input.now) {
            Some(repo) => environments::dispatch(repo, route, input),
            None => Err(GhError::not_found()),
        },
        _ => return None,
    })
}
