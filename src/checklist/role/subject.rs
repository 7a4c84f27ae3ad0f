//! The subjects GitHub sends for the configured repository, read from GitHub when a token is at
//! hand: its canonical names (`GET /repos/{o}/{r}`), and its subject format from the repository's
//! and, when it defers to it, the organisation's OIDC customization.

use crate::github::{GithubError, Repository, SubjectClaim};
use crate::policy::SubjectRules;

use super::super::Context;

/// What cawiz knows of the repository's subjects; unconfirmed (either default form, any case)
/// when GitHub cannot tell.
pub async fn subject_rules(ctx: &Context) -> SubjectRules {
    let s = &ctx.setup;
    if !ctx.github.has_token() {
        return SubjectRules::unconfirmed(
            s,
            "no GitHub token: set GITHUB_TOKEN or GH_TOKEN, or log in with `gh`",
        );
    }
    let (repo, claim) = tokio::join!(
        ctx.github.get_repository(&s.github_owner, &s.github_repo),
        ctx.github
            .oidc_subject_prefix(&s.github_owner, &s.github_repo)
    );
    let repo = match repo {
        Ok(r) => r,
        Err(e) => return SubjectRules::unconfirmed(s, github_failure(&e)),
    };
    let mut rules = SubjectRules {
        owner: repo.owner_login.clone(),
        repo: repo.name.clone(),
        canonical: true,
        ids: None,
        claim_keys: None,
        unconfirmed: None,
    };
    let claim = match claim {
        Ok(c) => c,
        Err(e) => {
            rules.unconfirmed = Some(format!(
                "reading the repository's OIDC subject format: {}",
                github_failure(&e)
            ));
            return rules;
        }
    };
    rules.ids = immutable_ids(&claim, &repo);
    if !claim.use_default {
        match custom_keys(ctx, &claim, &repo).await {
            Ok(keys) => rules.claim_keys = keys,
            Err(why) => rules.unconfirmed = Some(why),
        }
    }
    rules
}

fn github_failure(e: &GithubError) -> String {
    format!("{e}. {}", e.fix())
}

/// The ids the `repo` part carries: GitHub's `sub_claim_prefix` is authoritative (it can be
/// immutable while `use_immutable_subject` is false, for repositories created since it became the
/// default); without one, the opt-in flag decides.
fn immutable_ids(claim: &SubjectClaim, repo: &Repository) -> Option<(u64, u64)> {
    match claim.sub_claim_prefix.as_deref() {
        Some(prefix) => parse_immutable(prefix),
        None => (claim.use_immutable_subject == Some(true)).then_some((repo.owner_id, repo.id)),
    }
}

/// The claim keys of a customized subject: the repository's own, else its organisation's
/// template. `None` when they amount to the default (`repo`, `context`).
async fn custom_keys(
    ctx: &Context,
    claim: &SubjectClaim,
    repo: &Repository,
) -> Result<Option<Vec<String>>, String> {
    let keys = if claim.include_claim_keys.is_empty() {
        let org = ctx
            .github
            .org_subject_claim(&repo.owner_login)
            .await
            .map_err(|e| {
                format!(
                    "the repository uses its organisation's subject template, which could not be \
                     read: {}",
                    github_failure(&e)
                )
            })?;
        org.include_claim_keys
    } else {
        claim.include_claim_keys.clone()
    };
    let default = keys.is_empty() || keys == ["repo", "context"];
    Ok((!default).then_some(keys))
}

/// `repo:OWNER@OID/REPO@RID` → (OID, RID).
pub fn parse_immutable(prefix: &str) -> Option<(u64, u64)> {
    let rest = prefix.strip_prefix("repo:")?;
    let (owner, repo) = rest.split_once('/')?;
    let owner_id = owner.rsplit_once('@')?.1.parse().ok()?;
    let repo_id = repo.rsplit_once('@')?.1.parse().ok()?;
    Some((owner_id, repo_id))
}

#[cfg(test)]
mod tests {
    #[test]
    fn immutable_prefix_ids() {
        assert_eq!(
            super::parse_immutable("repo:octo-org@123/widgets@456"),
            Some((123, 456))
        );
        assert_eq!(super::parse_immutable("repo:octo-org/widgets"), None);
    }
}
