//! The step apply takes on a permissions policy: put the merged document with the revision read
//! (what it says and its `aws` command; carried out in `execute.rs`).

use serde_json::Value;

use crate::shell::shell_quote as q;

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
        /// How many statements of others the merged document keeps.
        kept: usize,
    },
}

pub(super) fn compact(doc: &Value) -> String {
    serde_json::to_string(doc).unwrap_or_default()
}

/// `domain` / `domain/repository`, for the record and the messages.
pub(super) fn target_id(domain: &str, repository: Option<&str>) -> String {
    repository.map_or_else(|| domain.to_owned(), |r| format!("{domain}/{r}"))
}

impl ConsumerAction {
    pub fn describe(&self) -> String {
        let ConsumerAction::PutPolicy {
            domain,
            repository,
            kept,
            ..
        } = self;
        let what = repository.as_ref().map_or_else(
            || format!("the permissions policy of the domain {domain}"),
            |r| format!("the permissions policy of the repository {r}"),
        );
        format!(
            "Merge cawiz's consumer statements into {what} (keeping its {} other statements)",
            kept
        )
    }

    pub fn command(&self, region: &str) -> String {
        let ConsumerAction::PutPolicy {
            domain,
            owner,
            repository,
            document,
            revision,
            ..
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
            kept: 1,
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
            kept: 1,
        };
        let command = domain.command("us-east-1");
        assert!(command.contains("put-domain-permissions-policy"));
        assert!(
            !command.contains("--policy-revision"),
            "no policy: no revision"
        );
        assert!(!command.contains("--repository"));
    }
}
