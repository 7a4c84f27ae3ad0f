//! A repository's deployment environments (`PUT`/`GET /repos/{o}/{r}/environments/{env}`) and
//! their Actions variables (`…/environments/{env}/variables[/{name}]`), with GitHub's shapes and
//! status codes: the environment must exist (404 otherwise; `PUT` creates it, 200, with an
//! optional body), names are case-insensitive, a variable is created with 201 (409 when the name
//! is taken), updated and deleted with 204, listed 10 a page by default (at most 30).

use serde_json::{Value, json};

use super::endpoints::{node_id, paginate, variable_json};
use super::reply::{GhError, GhResult, Input, Reply};
use super::state::{GhEnvironment, GhRepo, MAX_ENV_VARIABLES, fnv1a};
use super::writes::{Variables, body_object, create_variable, update_variable};
use super::{Op, Route};
use crate::world::iso8601;

/// GitHub's limit on an environment's name.
const MAX_NAME: usize = 255;

fn environment_json(repo: &GhRepo, env: &GhEnvironment, api_url: &str) -> Value {
    json!({
        "id": env.id,
        "node_id": node_id("Environment", env.id),
        "name": env.name,
        "url": format!("{api_url}/repos/{}/{}/environments/{}", repo.owner, repo.name, env.name),
        "html_url": format!(
            "https://github.com/{}/{}/deployments/activity_log?environments_filter={}",
            repo.owner, repo.name, env.name
        ),
        "created_at": iso8601(env.created),
        "updated_at": iso8601(env.updated),
        "protection_rules": [],
        "deployment_branch_policy": null,
    })
}

fn valid_name(name: &str) -> Result<(), GhError> {
    let ok = !name.trim().is_empty()
        && name.chars().count() <= MAX_NAME
        && !name.chars().any(char::is_control);
    if ok {
        return Ok(());
    }
    Err(GhError::invalid(format!(
        "Invalid environment name {name:?}: 1 to {MAX_NAME} characters, no control characters."
    )))
}

/// `PUT`: creates the environment, or updates it (its protection rules, which the sandbox does
/// not model; the body may be empty).
fn create_or_update(repo: &mut GhRepo, name: &str, input: &Input<'_>) -> GhResult {
    valid_name(name)?;
    if !input.body.iter().all(u8::is_ascii_whitespace) {
        body_object(input)?;
    }
    let id = 1_000_000_000
        + fnv1a(&format!("{}/{}/{name}", repo.owner, repo.name).to_lowercase()) % 900_000_000;
    let env = repo
        .environments
        .entry(name.to_lowercase())
        .or_insert_with(|| GhEnvironment {
            name: name.to_owned(),
            id,
            created: input.now,
            updated: input.now,
            variables: Default::default(),
        });
    env.updated = input.now;
    let env = env.clone();
    Ok(Reply::ok(environment_json(repo, &env, &input.api_url)))
}

/// Answers an environment endpoint of `repo`.
pub fn dispatch(repo: &mut GhRepo, route: &Route, input: &Input<'_>) -> GhResult {
    let name = route.name.as_deref().unwrap_or_default();
    if route.op == Op::CreateOrUpdateEnvironment {
        return create_or_update(repo, name, input);
    }
    let Some(env) = repo.environments.get(&name.to_lowercase()).cloned() else {
        return Err(GhError::not_found());
    };
    let key = route
        .item
        .as_deref()
        .unwrap_or_default()
        .to_ascii_uppercase();
    match route.op {
        Op::GetEnvironment => return Ok(Reply::ok(environment_json(repo, &env, &input.api_url))),
        Op::ListEnvVariables => {
            let url = format!(
                "{}/repos/{}/{}/environments/{}/variables",
                input.api_url, repo.owner, repo.name, env.name
            );
            let items = env.variables.values().map(variable_json).collect();
            return Ok(paginate(items, "variables", &input.query, 10, 30, &url));
        }
        Op::GetEnvVariable => {
            return env
                .variables
                .get(&key)
                .map(|v| Reply::ok(variable_json(v)))
                .ok_or_else(GhError::not_found);
        }
        _ => {}
    }
    let Some(stored) = repo.environments.get_mut(&name.to_lowercase()) else {
        return Err(GhError::not_found());
    };
    let vars = Variables {
        map: &mut stored.variables,
        max: MAX_ENV_VARIABLES,
        holder: "An environment",
    };
    match route.op {
        Op::CreateEnvVariable => create_variable(vars, input),
        Op::UpdateEnvVariable => update_variable(vars, &key, input),
        Op::DeleteEnvVariable => vars
            .map
            .remove(&key)
            .map(|_| Reply::no_content())
            .ok_or_else(GhError::not_found),
        _ => Err(GhError::not_found()),
    }
}
