//! What apply and destroy do to the permissions policies: put the merged document with the
//! revision read; on destroy, read again and take out only cawiz's statements (deleting the
//! policy when nothing else is left in it), again at the revision read.

use serde_json::Value;

use crate::aws::{AwsError, AwsErrorKind, PolicyOn};
use crate::consumers::{CAWIZ_SID_PREFIX, without_cawiz_statements};
use crate::policy::{parse_document, statements};
use crate::shell::shell_quote as q;
use crate::state::CreatedResource;

use super::super::{ApplyError, Context, Outcome};

/// The state's record of cawiz's statements in a policy: id `DOMAIN` (the domain's policy) or
/// `DOMAIN/REPOSITORY`.
pub const STATEMENTS_KIND: &str = "consumer_statements";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsumerAction {
    /// Put{Domain,Repository}PermissionsPolicy with cawiz's statements merged in.
    PutPolicy {
        domain: String,
        owner: String,
        /// `None`: the domain's policy.
        repository: Option<String>,
        document: Value,
        /// The revision read (`None`: there was no policy).
        revision: Option<String>,
    },
}

fn on(repository: Option<&str>) -> PolicyOn<'_> {
    repository.map_or(PolicyOn::Domain, PolicyOn::Repository)
}

fn compact(doc: &Value) -> String {
    serde_json::to_string(doc).unwrap_or_default()
}

/// `domain` / `domain/repository`, for the record and the messages.
fn target_id(domain: &str, repository: Option<&str>) -> String {
    repository.map_or_else(|| domain.to_owned(), |r| format!("{domain}/{r}"))
}

fn others(doc: &Value) -> usize {
    statements(doc)
        .into_iter()
        .filter(|st| {
            !st.get("Sid")
                .and_then(Value::as_str)
                .is_some_and(|s| s.starts_with(CAWIZ_SID_PREFIX))
        })
        .count()
}

impl ConsumerAction {
    pub fn describe(&self) -> String {
        let ConsumerAction::PutPolicy {
            domain,
            repository,
            document,
            ..
        } = self;
        let what = repository.as_ref().map_or_else(
            || format!("the permissions policy of the domain {domain}"),
            |r| format!("the permissions policy of the repository {r}"),
        );
        format!(
            "Merge cawiz's consumer statements into {what} (keeping its {} other statements)",
            others(document)
        )
    }

    pub fn command(&self, region: &str) -> String {
        let ConsumerAction::PutPolicy {
            domain,
            owner,
            repository,
            document,
            revision,
        } = self;
        let (verb, repo) = match repository {
            None => ("put-domain-permissions-policy", String::new()),
            Some(r) => (
                "put-repository-permissions-policy",
                format!(" --repository {}", q(r)),
            ),
        };
        let rev = revision
            .as_ref()
            .map(|r| format!(" --policy-revision {}", q(r)))
            .unwrap_or_default();
        format!(
            "aws codeartifact {verb} --domain {} --domain-owner {}{repo}{rev} --policy-document {} \
             --region {}",
            q(domain),
            q(owner),
            q(&compact(document)),
            q(region)
        )
    }
}

/// Puts the merged policy; the first write to a policy is recorded for destroy.
pub async fn execute(ctx: &Context, action: &ConsumerAction) -> Result<Outcome, ApplyError> {
    let ConsumerAction::PutPolicy {
        domain,
        owner,
        repository,
        document,
        revision,
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
    use serde_json::json;

    use super::*;

    #[test]
    fn the_plan_writes_at_the_revision_read_with_the_merged_document() {
        let doc = json!({"Version": "2012-10-17", "Statement": [
            {"Sid": "TeamRead", "Effect": "Allow", "Principal": "*", "Action": "x:y"},
            {"Sid": "cawizConsumer222233334444Read", "Effect": "Allow", "Principal": "*", "Action": "x:y"}
        ]});
        let put = ConsumerAction::PutPolicy {
            domain: "octo-org".into(),
            owner: "123456789012".into(),
            repository: Some("widgets".into()),
            document: doc.clone(),
            revision: Some("rev'; rm -rf /".into()),
        };
        let command = put.command("us-east-1");
        assert!(
            command.starts_with(
                "aws codeartifact put-repository-permissions-policy --domain octo-org \
                 --domain-owner 123456789012 --repository widgets --policy-revision "
            ),
            "{command}"
        );
        assert!(
            command.contains(r"'rev'\''; rm -rf /'"),
            "quoted: {command}"
        );
        assert!(command.contains(&q(&compact(&doc))), "{command}");
        assert!(put.describe().contains("keeping its 1 other statements"));
        let domain = ConsumerAction::PutPolicy {
            domain: "octo-org".into(),
            owner: "123456789012".into(),
            repository: None,
            document: doc,
            revision: None,
        };
        let command = domain.command("us-east-1");
        assert!(command.contains("put-domain-permissions-policy"));
        assert!(
            !command.contains("--policy-revision"),
            "no policy: no revision"
        );
        assert!(!command.contains("--repository"));
    }

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
