//! The commits of the tags the workflows name (`actions/checkout@v2`), looked up through GitHub for
//! the `unpinned-action` fix: each action and tag once per process and API URL, at most
//! [`MOST`] of them, every answer a full commit SHA or nothing.

use std::collections::BTreeMap;
use std::sync::{LazyLock, Mutex, PoisonError};

use crate::github::{GithubClient, GithubError};
use crate::workflow::pins::{Pin, is_full_sha};

/// The most tags looked up for one check (a workflow naming hundreds costs no more).
pub const MOST: usize = 30;

type Key = (String, String, String);

/// (API URL, action, tag) → the commit (`None`: no such tag, e.g. a branch).
static LOOKED_UP: LazyLock<Mutex<BTreeMap<Key, Option<String>>>> =
    LazyLock::new(|| Mutex::new(BTreeMap::new()));

fn cached(key: &Key) -> Option<Option<String>> {
    LOOKED_UP
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(key)
        .cloned()
}

fn remember(key: Key, sha: Option<String>) {
    LOOKED_UP
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(key, sha);
}

/// The pins of the tags in `wanted` (action, tag) that GitHub knows, and why some could not be
/// looked up (said once for all of them).
pub async fn resolve(
    github: &GithubClient,
    wanted: &[(String, String)],
) -> (Vec<Pin>, Option<String>) {
    if wanted.is_empty() {
        return (Vec::new(), None);
    }
    if !github.has_token() {
        return (
            Vec::new(),
            Some("no GitHub token: the tags the workflows name were not looked up".to_owned()),
        );
    }
    let base = github.base_url().to_owned();
    let keys: Vec<Key> = wanted
        .iter()
        .take(MOST)
        .map(|(a, t)| (base.clone(), a.clone(), t.clone()))
        .collect();
    let missing: Vec<&Key> = keys.iter().filter(|k| cached(k).is_none()).collect();
    let lookups = missing.iter().map(|(_, action, tag)| async move {
        let (owner, repo) = action.split_once('/').unwrap_or((action, ""));
        github.resolve_tag(owner, repo, tag).await
    });
    let mut problem = None;
    for (key, answer) in missing.iter().zip(futures::future::join_all(lookups).await) {
        match answer {
            Ok(sha) if is_full_sha(&sha) => remember((*key).clone(), Some(sha.to_lowercase())),
            Ok(_) | Err(GithubError::NotFound { .. }) => remember((*key).clone(), None),
            Err(e) => {
                problem.get_or_insert_with(|| {
                    format!("the tags the workflows name could not be looked up: {e}")
                });
            }
        }
    }
    let pins = keys
        .iter()
        .filter_map(|key| {
            let sha = cached(key)??;
            Some(Pin {
                action: key.1.clone(),
                tag: key.2.clone(),
                sha,
                major: key.2.clone(),
            })
        })
        .collect();
    (pins, problem)
}
