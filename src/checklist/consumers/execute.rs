//! What apply and destroy do to the permissions policies: put the merged document with the
//! revision read; on destroy, read again and take out only cawiz's statements (deleting the
//! policy when nothing else is left in it), again at the revision read.

use crate::aws::{AwsError, AwsErrorKind, PolicyOn};
use crate::consumers::without_cawiz_statements;
use crate::policy::{parse_document, statements};
use crate::shell::shell_quote as q;
use crate::state::CreatedResource;

use super::super::{ApplyError, Context, Outcome};
use super::action::{ConsumerAction, STATEMENTS_KIND, compact, target_id};

fn on(repository: Option<&str>) -> PolicyOn<'_> {
    repository.map_or(PolicyOn::Domain, PolicyOn::Repository)
}

/// Puts the merged policy; the first write to a policy is recorded for destroy.
pub async fn execute(ctx: &Context, action: &ConsumerAction) -> Result<Outcome, ApplyError> {
    let ConsumerAction::PutPolicy {
        domain,
        owner,
        repository,
        document,
        revision,
        ..
    } = action;
    let place = on(repository.as_deref());
    ctx.clients
        .put_resource_policy(
            domain,
            owner,
            place,
            &compact(document),
            revision.as_deref(),
        )
        .await?;
    let id = target_id(domain, repository.as_deref());
    if ctx.created_by_cawiz(STATEMENTS_KIND, &id) {
        return Ok(Outcome::Changed(format!("consumer statements in {id}")));
    }
    Ok(Outcome::Created {
        kind: STATEMENTS_KIND,
        id,
        region: Some(ctx.setup.region.clone()),
    })
}

/// What removing `r` means, and the equivalent command (`region` already quoted).
pub fn describe_removal(r: &CreatedResource, region: &str) -> (String, String) {
    let (domain, repository) = match r.id.split_once('/') {
        Some((d, repo)) => (d, Some(repo)),
        None => (r.id.as_str(), None),
    };
    let (what, verb, repo) = match repository {
        None => (
            format!("the permissions policy of the domain {domain}"),
            "domain",
            String::new(),
        ),
        Some(repo) => (
            format!("the permissions policy of the repository {repo}"),
            "repository",
            format!(" --repository {}", q(repo)),
        ),
    };
    (
        format!("Remove cawiz's consumer statements from {what} (others kept)"),
        format!(
            "aws codeartifact put-{verb}-permissions-policy --domain {}{repo} --policy-revision REV \
             --policy-document DOCUMENT_WITHOUT_CAWIZ_STATEMENTS --region {region}  # or \
             delete-{verb}-permissions-policy when nothing else is left",
            q(domain),
        ),
    )
}

/// Takes cawiz's statements out of the recorded policy, at the revision read.
pub async fn remove(ctx: &Context, r: &CreatedResource) -> Result<String, ApplyError> {
    let (domain, repository) = match r.id.split_once('/') {
        Some((d, repo)) => (d, Some(repo)),
        None => (r.id.as_str(), None),
    };
    let place = on(repository);
    let c = &ctx.clients;
    let owner = &ctx.account;
    let Some(read) = c.resource_policy(domain, owner, place).await? else {
        return Ok("already gone (no policy)".to_owned());
    };
    let doc = parse_document(&read.document).map_err(|e| {
        AwsError::new(
            AwsErrorKind::Other,
            "GetPermissionsPolicy",
            None,
            format!(
                "the permissions policy on {} is not a policy document: {e}",
                r.id
            ),
        )
    })?;
    let rev = read.revision.as_deref();
    match without_cawiz_statements(&doc) {
        Some(rest)
            if rest["Statement"].as_array().map(Vec::len) == Some(statements(&doc).len()) =>
        {
            Ok("already gone (no cawiz statement left)".to_owned())
        }
        Some(rest) => {
            c.put_resource_policy(domain, owner, place, &compact(&rest), rev)
                .await?;
            Ok(format!(
                "deleted cawiz's statements ({} others kept)",
                statements(&rest).len()
            ))
        }
        None => {
            c.delete_resource_policy(domain, owner, place, rev).await?;
            Ok("deleted (the policy held only cawiz's statements)".to_owned())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destroy_says_which_policy_loses_only_cawizs_statements() {
        let record = |id: &str| CreatedResource {
            item: "consumers".into(),
            kind: STATEMENTS_KIND.into(),
            id: id.into(),
            created_at: 1,
            region: Some("us-east-1".into()),
        };
        let (what, command) = describe_removal(&record("octo-org/widgets"), "us-east-1");
        assert!(what.contains("repository widgets"), "{what}");
        assert!(
            command.contains("put-repository-permissions-policy"),
            "{command}"
        );
        let (what, command) = describe_removal(&record("octo-org"), "us-east-1");
        assert!(what.contains("domain octo-org"), "{what}");
        assert!(
            command.contains("delete-domain-permissions-policy"),
            "{command}"
        );
    }
}
