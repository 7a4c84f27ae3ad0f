//! Which `sub` format GitHub issues for the repository: read from GitHub when a token is at hand.

use crate::policy::SubjectFormat;

use super::super::Context;

/// The format to check against, and a note saying how it was decided.
pub async fn subject_format(ctx: &Context) -> (SubjectFormat, String) {
    let s = &ctx.setup;
    if !ctx.github.has_token() {
        return (
            SubjectFormat::Classic,
            format!(
                "No GitHub token: assuming the classic subject format repo:{}/{}:… Repositories created or \
                 renamed after 2026-06-18 (or opted in) use repo:OWNER@ID/REPO@ID:…; set GITHUB_TOKEN (or \
                 log in with `gh`) so cawiz reads the real one.",
                s.github_owner, s.github_repo
            ),
        );
    }
    let (claim, repo) = tokio::join!(
        ctx.github
            .oidc_subject_prefix(&s.github_owner, &s.github_repo),
        ctx.github.get_repository(&s.github_owner, &s.github_repo)
    );
    let claim = match claim {
        Ok(c) => c,
        Err(e) => {
            return (
                SubjectFormat::Classic,
                format!(
                    "Could not read the OIDC subject format from GitHub ({e}); assuming the classic \
                     repo:OWNER/REPO:… format. {}",
                    e.fix()
                ),
            );
        }
    };
    let mut note = String::new();
    if !claim.use_default {
        note = format!(
            "The repository customizes its OIDC subject (claims: {}); cawiz checks the default prefix. ",
            claim.include_claim_keys.join(", ")
        );
    }
    match claim
        .sub_claim_prefix
        .as_deref()
        .filter(|p| p.contains('@'))
    {
        Some(prefix) => {
            let ids =
                parse_immutable(prefix).or_else(|| repo.as_ref().ok().map(|r| (r.owner_id, r.id)));
            match ids {
                Some((owner_id, repo_id)) => (
                    SubjectFormat::Immutable { owner_id, repo_id },
                    format!("{note}GitHub issues immutable subjects: {prefix}:…"),
                ),
                None => (
                    SubjectFormat::Classic,
                    format!(
                        "{note}GitHub reports the prefix {prefix}, which cawiz cannot read; assuming classic."
                    ),
                ),
            }
        }
        None => (
            SubjectFormat::Classic,
            format!(
                "{note}GitHub issues classic subjects: repo:{}/{}:…",
                s.github_owner, s.github_repo
            ),
        ),
    }
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
