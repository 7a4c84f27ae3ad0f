//! The secrets a job can see besides the repository's: the organisation's shared with the
//! repository, and those of the environments the working tree's jobs name. A level that could not
//! be read leaves a secret's absence unknown (the lint then says nothing about it).

use std::collections::BTreeMap;

use crate::github::GithubError;
use crate::workflow::{model, yaml};

use super::super::Context;
use super::read::Local;

/// The most environments read for one check.
const MOST: usize = 10;

/// The organisation's secrets (`None`: unread) and each environment's.
pub type Levels = (Option<Vec<String>>, BTreeMap<String, Vec<String>>);

/// The environments the working tree's jobs name literally.
fn environments(local: &Local) -> Vec<String> {
    let Local::Tree { files, .. } = local else {
        return Vec::new();
    };
    let mut out: Vec<String> = files
        .iter()
        .filter_map(|f| yaml::parse(&f.text).ok())
        .flat_map(|root| model::read(&root).jobs)
        .filter_map(|j| j.environment.map(|(e, _)| e))
        .filter(|e| !e.contains("${{"))
        .collect();
    out.sort();
    out.dedup();
    out.truncate(MOST);
    out
}

/// The levels' secret names, when a token can read them and a working tree's workflow names a
/// secret (the lint checks nothing else against them; a big organisation's list is not read for
/// nothing).
pub async fn read(ctx: &Context, local: &Local, notes: &mut Vec<String>) -> Levels {
    if !ctx.github.has_token() || !super::read::names_secrets(&super::read::local_texts(local)) {
        return (None, BTreeMap::new());
    }
    let s = &ctx.setup;
    let (owner, repo) = (s.github_owner.as_str(), s.github_repo.as_str());
    let names = environments(local);
    let reads = names
        .iter()
        .map(|e| ctx.github.list_environment_secret_names(owner, repo, e));
    let (org, envs) = tokio::join!(
        ctx.github.list_org_secret_names(owner, repo),
        futures::future::join_all(reads)
    );
    let org = match org {
        Ok(names) => Some(names),
        Err(e) => {
            notes.push(format!(
                "The organisation's secrets could not be read ({e}): a secret the repository lacks \
                 is not called missing."
            ));
            None
        }
    };
    let mut by_environment = BTreeMap::new();
    for (name, answer) in names.into_iter().zip(envs) {
        match answer {
            Ok(secrets) => {
                by_environment.insert(name, secrets);
            }
            // No such environment yet: GitHub creates it, empty, when a job first names it.
            Err(GithubError::NotFound { .. }) => {
                by_environment.insert(name, Vec::new());
            }
            Err(e) => notes.push(format!(
                "The secrets of the environment {name} could not be read ({e})."
            )),
        }
    }
    (org, by_environment)
}
