//! The Actions variables at every level a job of the repository sees (`github::levels`): the
//! repository's, the ones its organisation shares with it, and those of the environments the
//! publish job runs in — the setup's `environment:NAME` scope and the `environment:` of each job
//! that configures AWS credentials in the workflows read. One reading for the variables item, the
//! workflow lint and the doctor.
//!
//! Only what is judged is asked for (issue 23: an old repository has hundreds of variables, 30 a
//! page): the repository's and the environments' variables by name — the names the variables
//! item judges and the ones the workflows read as `vars.NAME` — all at once. The organisation's
//! level is listed, since a repository cannot read a shared variable by name; its listing's pages
//! are recorded.

use std::sync::LazyLock;

use regex::Regex;

use crate::github::{ActionsVariables, GithubError, Variable};
use crate::listing::{Listed, Listing};
use crate::setup::SubjectScope;
use crate::workflow::{model, yaml};

use super::super::Context;

/// The most names read for the `vars.NAME` of the workflows (a hostile workflow may name
/// thousands); the rest are "not read" for the lint, never "missing".
pub const MAX_REFERENCED: usize = 50;

/// One by-name read: the variable `name` of the repository (`environment: None`) or of an
/// environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameRead {
    pub environment: Option<String>,
    pub name: String,
}

fn pairs(vars: Vec<Variable>) -> Vec<(String, String)> {
    vars.into_iter().map(|v| (v.name, v.value)).collect()
}

/// A level's variables, or why they could not be read.
type LevelVars = Result<Vec<(String, String)>, String>;

/// The organisation's level and its listing: a repository whose owner is no organisation has
/// none (404).
fn organization(read: Result<Listed<Variable>, GithubError>) -> (LevelVars, Option<Listing>) {
    match read {
        Ok(listed) => (Ok(pairs(listed.items)), Some(listed.listing)),
        Err(GithubError::NotFound { .. }) => (Ok(Vec::new()), None),
        Err(e) => (
            Err(format!(
                "the organisation's variables could not be read: {e}"
            )),
            None,
        ),
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

/// The names the variables item judges (the expected variables').
pub fn judged(ctx: &Context) -> Vec<String> {
    super::expected_variables(ctx, "")
        .into_iter()
        .map(|(name, _)| name)
        .collect()
}

/// `names` followed by the variables `workflows` (file texts) read as `vars.NAME`, each once
/// (upper-cased, as GitHub stores them), at most [`MAX_REFERENCED`] of the workflows'.
pub fn with_referenced(names: Vec<String>, workflows: &[&str]) -> Vec<String> {
    static VARS: LazyLock<Option<Regex>> =
        LazyLock::new(|| Regex::new(r"\bvars\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)").ok());
    let mut out: Vec<String> = Vec::new();
    let mut push = |name: String| {
        let name = name.to_ascii_uppercase();
        if !out.contains(&name) {
            out.push(name);
        }
    };
    names.into_iter().for_each(&mut push);
    let Some(vars) = VARS.as_ref() else {
        return out;
    };
    let referenced = workflows
        .iter()
        .flat_map(|text| vars.captures_iter(text))
        .filter_map(|c| c.get(1).map(|m| m.as_str().to_owned()));
    let mut seen: Vec<String> = Vec::new();
    for name in referenced {
        let name = name.to_ascii_uppercase();
        if seen.contains(&name) {
            continue;
        }
        if seen.len() == MAX_REFERENCED {
            break;
        }
        seen.push(name.clone());
        push(name);
    }
    out
}

/// The request plan: the by-name reads `names` at the repository and in each of `environments`
/// need, leaving out what `read` already holds.
pub fn plan(
    read: Option<&ActionsVariables>,
    environments: &[String],
    names: &[String],
) -> Vec<NameRead> {
    let mut out = Vec::new();
    for name in names {
        if read.is_none_or(|r| !r.has_name(name)) {
            out.push(NameRead {
                environment: None,
                name: name.clone(),
            });
        }
        for env in environments {
            if read.is_none_or(|r| !r.environment_has_name(env, name)) {
                out.push(NameRead {
                    environment: Some(env.clone()),
                    name: name.clone(),
                });
            }
        }
    }
    out
}

type Answer = Result<Option<Variable>, GithubError>;

/// Makes the reads, all at once.
async fn read_names(ctx: &Context, reads: &[NameRead]) -> Vec<Answer> {
    let (owner, repo) = (&ctx.setup.github_owner, &ctx.setup.github_repo);
    let gh = &ctx.github;
    let answers = reads.iter().map(|r| async move {
        match &r.environment {
            None => gh.get_variable(owner, repo, &r.name).await,
            Some(env) => gh.get_environment_variable(owner, repo, env, &r.name).await,
        }
    });
    futures::future::join_all(answers).await
}

/// `vars` with the answers to `reads`. The repository's level is required: its first error is
/// the answer. An environment that could not be read is recorded as such.
fn merge(
    mut vars: ActionsVariables,
    reads: &[NameRead],
    answers: Vec<Answer>,
) -> Result<ActionsVariables, GithubError> {
    let mut asked = Vec::new();
    let mut found = Vec::new();
    for (read, answer) in reads.iter().zip(answers) {
        let name = read.name.clone();
        match (&read.environment, answer) {
            (None, Ok(value)) => {
                asked.push(name);
                found.extend(value.map(|v| (v.name, v.value)));
            }
            (None, Err(e)) => return Err(e),
            (Some(env), Ok(value)) => {
                let value = value.map(|v| (v.name, v.value));
                vars = vars.with_environment_named(env, [name], Ok(value));
            }
            (Some(env), Err(e)) => {
                let why = format!("environment {env}'s variables could not be read: {e}");
                vars =
                    vars.with_environment_named(env, [name], Err::<Vec<(String, String)>, _>(why));
            }
        }
    }
    Ok(vars.with_names(asked, found))
}

/// Every level at once: `names` by name at the repository and in `environments`, the
/// organisation's listed. The repository's level is required (its error is the answer); the
/// others that cannot be read are recorded as such, and a variable missing below them is then
/// undecided rather than missing.
pub async fn read_levels(
    ctx: &Context,
    environments: &[String],
    names: &[String],
) -> Result<ActionsVariables, GithubError> {
    let s = &ctx.setup;
    let reads = plan(None, environments, names);
    let (answers, org) = tokio::join!(
        read_names(ctx, &reads),
        ctx.github
            .list_org_variables_for_repo(&s.github_owner, &s.github_repo),
    );
    let (org, listing) = organization(org);
    let mut vars = ActionsVariables::named(Vec::new(), Vec::new()).with_organization(org);
    if let Some(listing) = listing {
        vars = vars.with_listing(listing);
    }
    merge(vars, &reads, answers)
}

/// `vars` with the environments and names it has not read yet (a workflow read later, the
/// default branch's, may run the publish job elsewhere or read other variables). A repository
/// read that fails leaves its names unread (a lookup says so).
pub async fn add_missing(
    ctx: &Context,
    vars: ActionsVariables,
    environments: &[String],
    names: &[String],
) -> ActionsVariables {
    let reads = plan(Some(&vars), environments, names);
    if reads.is_empty() {
        return vars;
    }
    let answers = read_names(ctx, &reads).await;
    merge(vars.clone(), &reads, answers).unwrap_or(vars)
}

#[cfg(test)]
mod tests;
