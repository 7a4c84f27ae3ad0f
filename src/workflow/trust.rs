//! What the role's trust policy accepts as the `sub` claim, for comparing with the subjects a
//! workflow's runs will carry.

use serde_json::Value;

use crate::policy::{GITHUB_OIDC_HOST, SubjectRules, glob_match, statements, strings};
use crate::setup::SubjectScope;

/// One accepted `sub` value: a `StringLike` pattern or a `StringEquals` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubPattern {
    pub value: String,
    pub like: bool,
}

impl SubPattern {
    pub fn accepts(&self, sub: &str) -> bool {
        if self.like {
            glob_match(&self.value, sub)
        } else {
            self.value == sub
        }
    }
}

/// Where the accepted subjects come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrustSource {
    /// The role's trust policy as IAM returned it.
    Live { role: String },
    /// The subject cawiz would write for the setup's scope (the role could not be read: why).
    Setup(String),
}

/// The subjects a role accepts, and what GitHub sends for the repository (its subject rules: the
/// canonical names and the format, or what could not be confirmed about them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trust {
    pub rules: SubjectRules,
    /// The setup's scope (a custom template's claims other than `context` follow it).
    pub scope: SubjectScope,
    pub patterns: Vec<SubPattern>,
    pub source: TrustSource,
}

impl Trust {
    /// The `sub` of the runs whose default-form context is `run_context` (for messages).
    pub fn subject(&self, run_context: &str) -> String {
        self.rules.subject(run_context, &self.scope)
    }

    /// Whether some pattern accepts the subject of those runs (either default form when GitHub
    /// could not confirm which it sends).
    pub fn accepts_run(&self, run_context: &str) -> bool {
        self.patterns.iter().any(|p| {
            self.rules
                .accepts_run(&p.value, p.like, run_context, &self.scope)
        })
    }

    /// The accepted values, quoted, for messages.
    pub fn describe(&self) -> String {
        if self.patterns.is_empty() {
            return "no GitHub subject at all".to_owned();
        }
        self.patterns
            .iter()
            .map(|p| format!("{:?}", p.value))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Where the patterns come from, for messages.
    pub fn origin(&self) -> String {
        match &self.source {
            TrustSource::Live { role } => format!("the trust policy of {role}"),
            TrustSource::Setup(why) => {
                format!("the setup's scope (the role's trust policy could not be read: {why})")
            }
        }
    }
}

/// The `sub` values a trust policy accepts for GitHub's provider: each web-identity statement's
/// `StringLike` / `StringEquals` values (also `ForAnyValue:` and `…IfExists` forms); a statement
/// without a `sub` condition accepts any subject (`*`).
pub fn accepted_subjects(doc: &Value) -> Vec<SubPattern> {
    let sub_key = format!("{GITHUB_OIDC_HOST}:sub");
    let mut out = Vec::new();
    for statement in statements(doc) {
        let allows = statement.get("Effect").and_then(Value::as_str) == Some("Allow")
            && strings(statement.get("Action"))
                .iter()
                .any(|a| a == "sts:AssumeRoleWithWebIdentity" || a == "sts:*" || a == "*");
        if !allows {
            continue;
        }
        let mut found = false;
        if let Some(Value::Object(ops)) = statement.get("Condition") {
            for (op, keys) in ops {
                let values = strings(keys.get(&sub_key));
                if values.is_empty() || op.contains("Not") {
                    continue;
                }
                found = true;
                let like = op.contains("Like");
                out.extend(values.into_iter().map(|value| SubPattern { value, like }));
            }
        }
        if !found {
            out.push(SubPattern {
                value: "*".to_owned(),
                like: true,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_like_and_equals_and_missing_conditions() {
        let doc = json!({"Statement": [
            {"Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity",
             "Condition": {"StringLike": {"token.actions.githubusercontent.com:sub": ["repo:o/r:ref:refs/tags/*"]},
                           "StringEquals": {"token.actions.githubusercontent.com:sub": "repo:o/r:pull_request",
                                            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}},
            {"Effect": "Deny", "Action": "sts:AssumeRoleWithWebIdentity"}
        ]});
        let subs = accepted_subjects(&doc);
        assert_eq!(subs.len(), 2);
        let trust = Trust {
            rules: SubjectRules::classic("o", "r"),
            scope: SubjectScope::AllRefs,
            patterns: subs,
            source: TrustSource::Live { role: "R".into() },
        };
        assert!(trust.accepts_run("ref:refs/tags/v1"));
        assert!(trust.accepts_run("pull_request"));
        assert!(!trust.accepts_run("ref:refs/heads/main"));
        let open = accepted_subjects(
            &json!({"Statement": {"Effect": "Allow", "Action": ["sts:AssumeRoleWithWebIdentity"]}}),
        );
        assert_eq!(
            open,
            [SubPattern {
                value: "*".into(),
                like: true
            }]
        );
        assert!(accepted_subjects(&json!({})).is_empty());
    }
}
