//! The role's trust policy, for judging the subjects a workflow's runs will carry: STS's decision
//! on each run comes from the one evaluator (`policy::judge_run`), the same the role's check and
//! the doctor use.

use serde_json::Value;

use crate::policy::{
    GITHUB_OIDC_HOST, OIDC_AUDIENCE, RunClaims, SubjectRules, Tri, judge_run, statements, strings,
};
use crate::setup::SubjectScope;

/// Where the trust policy comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrustSource {
    /// The role's trust policy as IAM returned it.
    Live { role: String },
    /// The policy cawiz would write for the setup's scope (the role could not be read: why).
    Setup(String),
}

/// A role's trust policy and what GitHub sends for the repository (its subject rules: the
/// canonical names and the format, or what could not be confirmed about them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trust {
    pub rules: SubjectRules,
    /// The setup's scope (a custom template's claims other than `context` follow it).
    pub scope: SubjectScope,
    pub document: Value,
    /// This account's GitHub OIDC provider ARN.
    pub provider: String,
    pub source: TrustSource,
}

impl Trust {
    /// The `sub` of the runs whose default-form context is `run_context` (for messages).
    pub fn subject(&self, run_context: &str) -> String {
        self.rules.subject(run_context, &self.scope)
    }

    /// What STS decides for a token of `run` asking for `audience` (`None`: `sts.amazonaws.com`).
    pub fn accepts(&self, run: &RunClaims, audience: Option<&str>) -> Tri {
        judge_run(
            &self.document,
            &self.rules,
            &self.scope,
            run,
            &self.provider,
            audience.unwrap_or(OIDC_AUDIENCE),
        )
        .accepted
    }

    /// The `sub` values the policy names, quoted, for messages.
    pub fn describe(&self) -> String {
        let key = format!("{GITHUB_OIDC_HOST}:sub");
        let mut values: Vec<String> = Vec::new();
        for ops in statements(&self.document)
            .into_iter()
            .filter_map(|st| st.get("Condition").and_then(Value::as_object))
        {
            for (op, keys) in ops {
                for (k, v) in keys.as_object().into_iter().flatten() {
                    if k.eq_ignore_ascii_case(&key) {
                        values.extend(strings(Some(v)).iter().map(|s| format!("{op} {s:?}")));
                    }
                }
            }
        }
        if values.is_empty() {
            "no GitHub subject condition".to_owned()
        } else {
            values.join(", ")
        }
    }

    /// Where the policy comes from, for messages.
    pub fn origin(&self) -> String {
        match &self.source {
            TrustSource::Live { role } => format!("the trust policy of {role}"),
            TrustSource::Setup(why) => {
                format!("the setup's scope (the role's trust policy could not be read: {why})")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const PROVIDER: &str =
        "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";

    fn run(context: &str, git_ref: &str) -> RunClaims {
        RunClaims::concrete(context, git_ref, None, "a run")
    }

    fn trust(document: Value) -> Trust {
        Trust {
            rules: SubjectRules::classic("o", "r"),
            scope: SubjectScope::AllRefs,
            document,
            provider: PROVIDER.to_owned(),
            source: TrustSource::Live { role: "R".into() },
        }
    }

    #[test]
    fn values_of_one_key_are_ored_and_operators_anded() {
        let doc = json!({"Statement": [
            {"Effect": "Allow", "Principal": {"Federated": PROVIDER},
             "Action": "sts:AssumeRoleWithWebIdentity",
             "Condition": {"StringLike": {"token.actions.githubusercontent.com:sub": ["repo:o/r:ref:refs/tags/*", "repo:o/r:pull_request"]},
                           "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}},
            {"Effect": "Deny", "Principal": {"Federated": PROVIDER}, "Action": "sts:AssumeRoleWithWebIdentity",
             "Condition": {"StringLike": {"token.actions.githubusercontent.com:sub": "*:ref:refs/tags/beta*"}}}
        ]});
        let t = trust(doc);
        assert_eq!(
            t.accepts(&run("ref:refs/tags/v1", "refs/tags/v1"), None),
            Tri::Yes
        );
        assert_eq!(
            t.accepts(&run("pull_request", "refs/pull/1/merge"), None),
            Tri::Yes
        );
        assert_eq!(
            t.accepts(&run("ref:refs/heads/main", "refs/heads/main"), None),
            Tri::No
        );
        assert_eq!(
            t.accepts(&run("ref:refs/tags/beta1", "refs/tags/beta1"), None),
            Tri::No,
            "the Deny wins"
        );
        assert_eq!(
            t.accepts(
                &run("ref:refs/tags/v1", "refs/tags/v1"),
                Some("https://github.com/o")
            ),
            Tri::No,
            "the audience is ANDed with the subject"
        );
        assert!(t.describe().contains("repo:o/r:pull_request"));
    }
}
