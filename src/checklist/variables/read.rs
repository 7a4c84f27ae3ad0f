//! The Actions variables at every level a job of the repository sees (`github::levels`): the
//! repository's, the ones its organisation shares with it, and those of the environments the
//! publish job runs in — the setup's `environment:NAME` scope and the `environment:` of each job
//! that configures AWS credentials in the workflows read. One reading for the variables item, the
//! workflow lint and the doctor.

use crate::github::{ActionsVariables, GithubError, Variable};
use crate::setup::SubjectScope;
use crate::workflow::{model, yaml};

use super::super::Context;

fn pairs(vars: Vec<Variable>) -> Vec<(String, String)> {
    vars.into_iter().map(|v| (v.name, v.value)).collect()
}

/// The organisation's level: a repository whose owner is no organisation has none (404).
fn organization(read: Result<Vec<Variable>, GithubError>) -> Result<Vec<(String, String)>, String> {
    match read {
        Ok(vars) => Ok(pairs(vars)),
        Err(GithubError::NotFound { .. }) => Ok(Vec::new()),
        Err(e) => Err(format!(
            "the organisation's variables could not be read: {e}"
        )),
    }
}

/// An environment's level: one that does not exist yet has none.
fn environment(
    name: &str,
    read: Result<Option<Vec<Variable>>, GithubError>,
) -> Result<Vec<(String, String)>, String> {
    match read {
        Ok(vars) => Ok(vars.map(pairs).unwrap_or_default()),
        Err(e) => Err(format!(
            "environment {name}'s variables could not be read: {e}"
        )),
    }
}

/// The environment a job names literally (`environment: NAME`); one built by an expression
/// is not followed.
fn literal(name: &str) -> Option<String> {
    let name = name.trim();
    (!name.is_empty() && !name.contains("${{")).then(|| name.to_owned())
}

/// The environments the publish job runs in: the scope's, and the `environment:` of every job
/// running configure-aws-credentials in `workflows` (file texts), each once (case-insensitively).
pub fn publish_environments(ctx: &Context, workflows: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if let SubjectScope::Environment(name) = &ctx.setup.scope {
        out.push(name.clone());
    }
    for text in workflows {
        let Ok(doc) = yaml::parse(text) else {
            continue;
        };
        let wf = model::read(&doc);
        let named = wf
            .jobs
            .iter()
            .filter(|j| j.aws_step().is_some())
            .filter_map(|j| j.environment.as_ref().and_then(|(e, _)| literal(e)));
        for name in named {
            if !out.iter().any(|o| o.eq_ignore_ascii_case(&name)) {
                out.push(name);
            }
        }
    }
    out
}

/// Every level, read at once. The repository's level is required (its error is the answer);
/// the others that cannot be read are recorded as such, and a variable missing below them is
/// then undecided rather than missing.
pub async fn read_levels(
    ctx: &Context,
    environments: &[String],
) -> Result<ActionsVariables, GithubError> {
    let s = &ctx.setup;
    let (owner, repo) = (s.github_owner.as_str(), s.github_repo.as_str());
    let envs = environments
        .iter()
        .map(|e| ctx.github.list_environment_variables(owner, repo, e));
    let (repository, org, envs) = tokio::join!(
        ctx.github.list_variables(owner, repo),
        ctx.github.list_org_variables_for_repo(owner, repo),
        futures::future::join_all(envs),
    );
    let mut vars = ActionsVariables::new(pairs(repository?)).with_organization(organization(org));
    for (name, read) in environments.iter().zip(envs) {
        vars = vars.with_environment(name, environment(name, read));
    }
    Ok(vars)
}

/// `vars` with the environments of `names` it has not read yet.
pub async fn add_environments(
    ctx: &Context,
    mut vars: ActionsVariables,
    names: &[String],
) -> ActionsVariables {
    let s = &ctx.setup;
    let (owner, repo) = (s.github_owner.as_str(), s.github_repo.as_str());
    let missing: Vec<&String> = names.iter().filter(|n| !vars.has_environment(n)).collect();
    let reads = missing
        .iter()
        .map(|e| ctx.github.list_environment_variables(owner, repo, e));
    for (name, read) in missing.iter().zip(futures::future::join_all(reads).await) {
        vars = vars.with_environment(name, environment(name, read));
    }
    vars
}
