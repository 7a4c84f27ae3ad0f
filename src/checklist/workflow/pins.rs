//! The action pins the generated workflow uses: each action's major tag resolved to its commit
//! through the GitHub API (once per process and API URL), or the SHAs cawiz ships.

use std::collections::BTreeMap;
use std::sync::{LazyLock, Mutex, PoisonError};

use crate::github::GithubClient;
use crate::workflow::pins::{self, PinSource, Pins};

static RESOLVED: LazyLock<Mutex<BTreeMap<String, Pins>>> =
    LazyLock::new(|| Mutex::new(BTreeMap::new()));

/// The pins to generate with: resolved through `github` when it has a token (every major tag
/// must resolve to a full commit SHA), else the shipped ones with the reason.
pub async fn resolve(github: &GithubClient) -> Pins {
    if !github.has_token() {
        return Pins::shipped("no GitHub token to look the tags up");
    }
    let key = github.base_url().to_owned();
    if let Some(p) = RESOLVED
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&key)
    {
        return p.clone();
    }
    let shipped = pins::shipped();
    let lookups = shipped.iter().map(|pin| async move {
        let (owner, repo) = pin.action.split_once('/').unwrap_or((&pin.action, ""));
        github.resolve_tag(owner, repo, &pin.major).await
    });
    let answers = futures::future::join_all(lookups).await;
    let mut resolved = Vec::new();
    let mut notes = Vec::new();
    for (pin, answer) in shipped.iter().zip(answers) {
        match answer.map(|sha| pins::resolved(pin, &sha)) {
            Ok(Ok((pin, note))) => {
                resolved.push(pin);
                notes.extend(note);
            }
            Ok(Err(refused)) => return Pins::shipped(refused),
            Err(e) => {
                return Pins::shipped(format!(
                    "the tag {} of {} could not be looked up: {e}",
                    pin.major, pin.action
                ));
            }
        }
    }
    let pins = Pins {
        pins: resolved,
        source: PinSource::Resolved(notes),
    };
    RESOLVED
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(key, pins.clone());
    pins
}
