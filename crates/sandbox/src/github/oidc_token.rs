//! The Actions runtime's token endpoint, as the sandbox serves it:
//! `GET /github/_oidc/token?repository=OWNER/REPO&ref=REF&event_name=EVENT[&environment=ENV]
//! [&audience=AUD][&workflow=PATH]` answers `{"value": "<JWT>"}` — a token from the sandbox's
//! issuer (`crate::oidc`) with the `sub` the repository's subject settings give that job. Real
//! runners get theirs from `ACTIONS_ID_TOKEN_REQUEST_URL`; this is that, for tests and rehearsals.

use std::time::SystemTime;

use serde_json::json;

use super::oidc_sub::repo_claims;
use super::reply::{GhError, GhResult, Input, Reply};
use super::state::GithubState;
use crate::oidc::{self, Job};

/// GitHub's default audience for a token: the owner's URL.
fn default_audience(owner: &str) -> String {
    format!("https://github.com/{owner}")
}

/// A token for `job` in `owner/repo` (created on first use, as every repository here), signed now.
pub fn mint_for(
    gh: &mut GithubState,
    owner: &str,
    repo: &str,
    job: &Job,
    now: SystemTime,
) -> Result<String, GhError> {
    let org = gh.org(owner).cloned();
    let repo = gh
        .repo_mut(owner, repo, now)
        .ok_or_else(GhError::not_found)?;
    let claims = oidc::claims(&repo_claims(repo, org.as_ref()), job, now);
    oidc::mint(&claims).map_err(|e| {
        GhError::new(
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            format!("the sandbox's issuer cannot sign: {e}"),
        )
    })
}

/// `GET /github/_oidc/token`.
pub fn token(gh: &mut GithubState, input: &Input<'_>) -> GhResult {
    let q = &input.query;
    let repository = q.get("repository").unwrap_or_default();
    let Some((owner, repo)) = repository.split_once('/') else {
        return Err(GhError::invalid(
            "repository=OWNER/REPO is required (the repository the job runs in)",
        ));
    };
    let job = Job {
        git_ref: q.get("ref").unwrap_or("refs/heads/main").to_owned(),
        event_name: q
            .get("event_name")
            .unwrap_or("workflow_dispatch")
            .to_owned(),
        environment: q
            .get("environment")
            .filter(|e| !e.is_empty())
            .map(str::to_owned),
        audience: q
            .get("audience")
            .map_or_else(|| default_audience(owner), str::to_owned),
        workflow_path: q
            .get("workflow")
            .unwrap_or(".github/workflows/publish.yml")
            .to_owned(),
        run_id: rand::random::<u32>().into(),
    };
    let value = mint_for(gh, owner, repo, &job, input.now)?;
    Ok(Reply::ok(json!({ "value": value })))
}
