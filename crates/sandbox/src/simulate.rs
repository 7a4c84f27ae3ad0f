//! IAM policy evaluation for SimulatePrincipalPolicy: identity policies only (no resource policies,
//! permissions boundaries, session policies or SCPs — the simulation cannot see those either).
//!
//! A statement applies to a request when its Action/NotAction matches the action (wildcards `*` and
//! `?`, case-insensitive), its Resource/NotResource matches the resource (wildcards, case-sensitive)
//! and every condition holds. An applying Deny wins (`explicitDeny`); otherwise an applying Allow
//! gives `allowed`; otherwise `implicitDeny`.

use serde_json::{Map, Value};

use super::iam::conditions::conditions_hold;
use super::iam::document::string_list;
use super::iam::spans::{Span, statement_spans};
pub use super::matching::ContextEntry;
use super::matching::{statements, wildcard_match};

/// One policy taking part in the simulation.
#[derive(Debug, Clone, Copy)]
pub struct PolicyInput<'a> {
    /// Reported as `SourcePolicyId` (the managed policy's name).
    pub id: &'a str,
    /// The document text as stored.
    pub document: &'a str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allowed,
    ExplicitDeny,
    ImplicitDeny,
}

impl Decision {
    /// The `EvalDecision` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allowed => "allowed",
            Decision::ExplicitDeny => "explicitDeny",
            Decision::ImplicitDeny => "implicitDeny",
        }
    }
}

/// A statement that decided the result.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchedStatement {
    pub policy_id: String,
    /// Where the statement is in the document; `None` if it could not be located.
    pub span: Option<Span>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub decision: Decision,
    /// The deny statements for `explicitDeny`, the allow statements for `allowed`, else empty.
    pub matched: Vec<MatchedStatement>,
    /// Condition keys the applicable statements use that the context does not supply.
    pub missing_context: Vec<String>,
}

/// Evaluates `action` on `resource` against `policies`.
pub fn evaluate(
    policies: &[PolicyInput<'_>],
    action: &str,
    resource: &str,
    context: &[ContextEntry],
) -> Evaluation {
    let mut allows = Vec::new();
    let mut denies = Vec::new();
    let mut missing = Vec::new();
    for policy in policies {
        let Ok(doc) = serde_json::from_str::<Value>(policy.document) else {
            continue;
        };
        let spans = statement_spans(policy.document);
        for (index, statement) in statements(&doc).into_iter().enumerate() {
            let Some(st) = statement.as_object() else {
                continue;
            };
            if !matches_field(st, "Action", "NotAction", action, true)
                || !matches_field(st, "Resource", "NotResource", resource, false)
            {
                continue;
            }
            let holds = match st.get("Condition") {
                Some(Value::Object(ops)) => conditions_hold(ops, context, &mut missing),
                Some(_) => false,
                None => true,
            };
            if !holds {
                continue;
            }
            let matched = MatchedStatement {
                policy_id: policy.id.to_owned(),
                span: spans.get(index).copied(),
            };
            match st.get("Effect").and_then(Value::as_str) {
                Some("Deny") => denies.push(matched),
                Some("Allow") => allows.push(matched),
                _ => {}
            }
        }
    }
    let (decision, matched) = if !denies.is_empty() {
        (Decision::ExplicitDeny, denies)
    } else if !allows.is_empty() {
        (Decision::Allowed, allows)
    } else {
        (Decision::ImplicitDeny, Vec::new())
    };
    Evaluation {
        decision,
        matched,
        missing_context: missing,
    }
}

/// Whether `value` is covered by the statement's `field` (or not excluded by its `not_field`). A
/// statement with neither (not valid in a stored identity policy) covers everything.
fn matches_field(
    st: &Map<String, Value>,
    field: &str,
    not_field: &str,
    value: &str,
    ignore_case: bool,
) -> bool {
    let any = |patterns: &Value| {
        string_list(patterns)
            .unwrap_or_default()
            .iter()
            .any(|p| wildcard_match(p, value, ignore_case))
    };
    match (st.get(field), st.get(not_field)) {
        (Some(patterns), _) => any(patterns),
        (None, Some(patterns)) => !any(patterns),
        (None, None) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iam::conditions::arn_match;

    fn ctx(key: &str, values: &[&str]) -> Vec<ContextEntry> {
        vec![ContextEntry {
            key: key.to_owned(),
            values: values.iter().map(|v| (*v).to_owned()).collect(),
        }]
    }

    fn decide(doc: &str, action: &str, resource: &str, context: &[ContextEntry]) -> Evaluation {
        let policies = [PolicyInput {
            id: "P",
            document: doc,
        }];
        evaluate(&policies, action, resource, context)
    }

    #[test]
    fn wildcards() {
        assert!(wildcard_match("*", "", false));
        assert!(wildcard_match(
            "codeartifact:*",
            "codeartifact:GetAuthorizationToken",
            false
        ));
        assert!(wildcard_match(
            "CodeArtifact:get*",
            "codeartifact:GetAuthorizationToken",
            true
        ));
        assert!(!wildcard_match(
            "CodeArtifact:get*",
            "codeartifact:GetAuthorizationToken",
            false
        ));
        assert!(wildcard_match("a?c", "abc", false));
        assert!(!wildcard_match("a?c", "ac", false));
        assert!(wildcard_match("a*b*c", "aXXbYYbZc", false));
        assert!(!wildcard_match("a*b*c", "aXXbYYbZ", false));
        assert!(wildcard_match("*/*/*", "package/d/r/pypi//n", false));
        assert!(!wildcard_match(
            "repository/octo/*",
            "repository/Octo/x",
            false
        ));
        assert!(arn_match(
            "arn:aws:codeartifact:*:123456789012:domain/octo-org",
            "arn:aws:codeartifact:eu-west-1:123456789012:domain/octo-org"
        ));
        assert!(!arn_match(
            "arn:aws:codeartifact:*:123456789012:domain/octo-org",
            "arn:aws:codeartifact:eu-west-1:210987654321:domain/octo-org"
        ));
    }

    #[test]
    fn actions_resources_and_effects() {
        let doc = r#"{"Statement":[
            {"Effect":"Allow","Action":["s3:Get*","s3:List?ucket"],"Resource":"arn:aws:s3:::b/*"},
            {"Effect":"Deny","Action":"s3:GetObjectAcl","Resource":"*"},
            {"Effect":"Allow","NotAction":"s3:*","NotResource":"arn:aws:iam::*:*"}]}"#;
        let d = |a: &str, r: &str| decide(doc, a, r, &[]).decision;
        assert_eq!(d("s3:getobject", "arn:aws:s3:::b/k"), Decision::Allowed);
        assert_eq!(
            d("s3:GetObject", "arn:aws:s3:::B/k"),
            Decision::ImplicitDeny
        );
        assert_eq!(d("s3:ListBucket", "arn:aws:s3:::b/k"), Decision::Allowed);
        assert_eq!(
            d("s3:GetObjectAcl", "arn:aws:s3:::b/k"),
            Decision::ExplicitDeny
        );
        assert_eq!(d("ec2:RunInstances", "*"), Decision::Allowed);
        assert_eq!(
            d("ec2:RunInstances", "arn:aws:iam::1:role/x"),
            Decision::ImplicitDeny
        );
        let denied = decide(doc, "s3:GetObjectAcl", "arn:aws:s3:::b/k", &[]);
        assert_eq!(denied.matched.len(), 1, "only the deny is reported");
    }

    #[test]
    fn condition_operators() {
        let cond = |op: &str, value: &str| {
            format!(
                r#"{{"Statement":{{"Effect":"Allow","Action":"*","Resource":"*","Condition":{{"{op}":{{"k":{value}}}}}}}}}"#
            )
        };
        let allowed = |op: &str, value: &str, context: &[ContextEntry]| {
            decide(&cond(op, value), "x:Y", "*", context).decision == Decision::Allowed
        };
        let k = |v: &[&str]| ctx("K", v);
        assert!(allowed("StringEquals", r#""a""#, &k(&["a"])));
        assert!(!allowed("StringEquals", r#""a""#, &k(&["A"])));
        assert!(allowed("StringEquals", r#"["b","a"]"#, &k(&["a"])));
        assert!(allowed("StringNotEquals", r#""a""#, &k(&["b"])));
        assert!(!allowed("StringNotEquals", r#""a""#, &k(&["a"])));
        assert!(allowed("StringEqualsIgnoreCase", r#""ABC""#, &k(&["abc"])));
        assert!(allowed(
            "StringLike",
            r#""repo:o/r:*""#,
            &k(&["repo:o/r:ref:x"])
        ));
        assert!(!allowed(
            "StringLike",
            r#""repo:o/r:*""#,
            &k(&["repo:o/other:ref"])
        ));
        assert!(allowed("StringNotLike", r#""repo:*""#, &k(&["x"])));
        assert!(allowed(
            "ArnLike",
            r#""arn:aws:iam::*:role/*""#,
            &k(&["arn:aws:iam::1:role/r"])
        ));
        assert!(allowed(
            "ArnEquals",
            r#""arn:aws:iam::1:role/r""#,
            &k(&["arn:aws:iam::1:role/r"])
        ));
        assert!(!allowed(
            "ArnEquals",
            r#""arn:aws:iam::1:role/r""#,
            &k(&["arn:aws:iam::2:role/r"])
        ));
        assert!(
            !allowed("NumericLessThan", r#""1""#, &k(&["0"])),
            "unknown operators never hold"
        );

        // Missing keys: positive operators fail, negated ones hold; both report the key.
        let missing = decide(&cond("StringEquals", r#""a""#), "x:Y", "*", &[]);
        assert_eq!(missing.decision, Decision::ImplicitDeny);
        assert_eq!(missing.missing_context, vec!["k"]);
        let negated = decide(&cond("StringNotEquals", r#""a""#), "x:Y", "*", &[]);
        assert_eq!(negated.decision, Decision::Allowed);
        assert_eq!(negated.missing_context, vec!["k"]);
        assert!(allowed("StringEqualsIfExists", r#""a""#, &[]));

        // Several keys AND together.
        let two = r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"a":"1","b":"2"}}}}"#;
        let both = [ctx("a", &["1"]), ctx("b", &["2"])].concat();
        assert_eq!(decide(two, "x:Y", "*", &both).decision, Decision::Allowed);
        let one = decide(two, "x:Y", "*", &ctx("a", &["1"]));
        assert_eq!(one.decision, Decision::ImplicitDeny);
        assert_eq!(one.missing_context, vec!["b"]);
    }

    #[test]
    fn reports_statement_positions() {
        let doc = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\": \"Allow\", \"Action\": \"s3:List*\", \"Resource\": \"*\"},\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"s3:Get*\",\n      \"Resource\": \"*\"\n    }\n  ]\n}";
        let eval = decide(doc, "s3:GetObject", "*", &[]);
        assert_eq!(eval.decision, Decision::Allowed);
        let span = eval.matched[0].span.expect("located");
        assert_eq!((span.start.line, span.start.column), (5, 5));
        assert_eq!((span.end.line, span.end.column), (9, 6));
        assert_eq!(eval.matched[0].policy_id, "P");
    }
}
