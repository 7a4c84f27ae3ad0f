//! The trust policy taken apart the way STS checks a web-identity request, one condition at a
//! time: the principal (this account's GitHub provider), the audience, the subject. The doctor
//! names each as its own cause, so a policy whose principal is wrong is not reported as a subject
//! mismatch.

use serde_json::Value;

use super::subject::SubjectRules;
use super::trust::{
    Patterns, TrustReview, allows_web_identity, condition_patterns, federated, key,
};
use super::{OIDC_AUDIENCE, glob_match, statements};
use crate::setup::SubjectScope;

/// Each of STS's checks, judged across the statements that allow `sts:AssumeRoleWithWebIdentity`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TrustParts {
    /// Some statement names this account's GitHub provider as `Principal.Federated`.
    pub principal_ok: bool,
    /// The federated principals the web-identity statements name.
    pub principals: Vec<String>,
    /// Some statement accepts the audience (no `aud` condition, or one that matches it).
    pub audience_ok: bool,
    /// The `aud` values the statements require.
    pub audiences: Vec<String>,
    /// Some statement's `sub` condition accepts the configured repository's subject.
    pub subject_ok: bool,
    /// The `sub` patterns of the statements (with their operator).
    pub subjects: Vec<String>,
    /// A web-identity statement without any `sub` condition.
    pub subject_unrestricted: bool,
}

impl TrustReview {
    /// What lets other repositories in, one line each: the wildcard subjects, then the
    /// statements with no subject condition.
    pub fn open_doors(&self) -> Vec<String> {
        self.wildcards
            .iter()
            .cloned()
            .chain(
                self.unrestricted
                    .iter()
                    .map(|i| format!("statement {} has no sub condition", i + 1)),
            )
            .collect()
    }
}

fn audience_accepts(auds: Option<&Patterns>, audience: &str) -> bool {
    auds.is_none_or(|auds| {
        auds.iter().any(|(a, like)| {
            if *like {
                glob_match(a, audience)
            } else {
                a == audience
            }
        })
    })
}

fn operator(like: bool) -> &'static str {
    if like { "StringLike" } else { "StringEquals" }
}

/// Takes `doc` apart for the repository `rules` describe, the runs `scope` allows, this account's
/// `provider` ARN and the `audience` the workflow asks for (`None`: `sts.amazonaws.com`).
pub fn trust_parts(
    doc: &Value,
    rules: &SubjectRules,
    scope: &SubjectScope,
    provider: &str,
    audience: Option<&str>,
) -> TrustParts {
    let audience = audience.unwrap_or(OIDC_AUDIENCE);
    let mut parts = TrustParts::default();
    for st in statements(doc)
        .into_iter()
        .filter(|st| allows_web_identity(st))
    {
        let principals = federated(st);
        let ours = principals.iter().any(|p| p == provider);
        parts.principal_ok |= ours;
        parts.principals.extend(principals);
        let (subs, _) = condition_patterns(st, &key("sub"));
        let (auds, _) = condition_patterns(st, &key("aud"));
        let aud_ok = audience_accepts(auds.as_ref(), audience);
        parts.audience_ok |= aud_ok;
        for (a, like) in auds.iter().flatten() {
            parts.audiences.push(format!("{} {a}", operator(*like)));
        }
        match subs {
            None => parts.subject_unrestricted = true,
            Some(subs) => {
                parts.subject_ok |= subs.iter().any(|(p, like)| rules.accepts(p, *like, scope));
                for (p, like) in &subs {
                    parts.subjects.push(format!("{} {p}", operator(*like)));
                }
            }
        }
    }
    parts.principals.sort();
    parts.principals.dedup();
    parts
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const PROVIDER: &str =
        "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";

    fn statement(principal: &str, aud: Option<&str>, sub: Option<(&str, &str)>) -> Value {
        let mut condition = serde_json::Map::new();
        if let Some(a) = aud {
            condition.insert(
                "StringEquals".into(),
                json!({"token.actions.githubusercontent.com:aud": a}),
            );
        }
        if let Some((op, s)) = sub {
            let entry = condition.entry(op.to_owned()).or_insert_with(|| json!({}));
            entry["token.actions.githubusercontent.com:sub"] = json!(s);
        }
        json!({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow",
            "Principal": {"Federated": principal},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": condition,
        }]})
    }

    fn parts(doc: &Value) -> TrustParts {
        let rules = SubjectRules::classic("octo-org", "widgets");
        trust_parts(doc, &rules, &SubjectScope::AllRefs, PROVIDER, None)
    }

    #[test]
    fn the_guides_policy_for_this_repository_passes_every_part() {
        let doc = statement(
            PROVIDER,
            Some("sts.amazonaws.com"),
            Some(("StringLike", "repo:octo-org/widgets:*")),
        );
        let p = parts(&doc);
        assert!(p.principal_ok && p.audience_ok && p.subject_ok, "{p:?}");
        assert!(!p.subject_unrestricted);
    }

    #[test]
    fn each_part_fails_on_its_own() {
        let other = "arn:aws:iam::999999999999:oidc-provider/token.actions.githubusercontent.com";
        let p = parts(&statement(
            other,
            Some("sts.amazonaws.com"),
            Some(("StringLike", "repo:octo-org/widgets:*")),
        ));
        assert!(!p.principal_ok && p.audience_ok && p.subject_ok);
        assert_eq!(p.principals, vec![other.to_owned()]);
        let p = parts(&statement(
            PROVIDER,
            Some("https://github.com/octo-org"),
            Some(("StringLike", "repo:octo-org/widgets:*")),
        ));
        assert!(p.principal_ok && !p.audience_ok && p.subject_ok);
        let p = parts(&statement(
            PROVIDER,
            Some("sts.amazonaws.com"),
            Some(("StringLike", "repo:octo-org/gadgets:*")),
        ));
        assert!(p.principal_ok && p.audience_ok && !p.subject_ok);
    }

    #[test]
    fn a_wildcard_under_string_equals_never_matches() {
        let p = parts(&statement(
            PROVIDER,
            Some("sts.amazonaws.com"),
            Some(("StringEquals", "repo:octo-org/widgets:*")),
        ));
        assert!(!p.subject_ok, "{p:?}");
    }

    #[test]
    fn no_audience_condition_leaves_the_check_to_the_provider() {
        let p = parts(&statement(
            PROVIDER,
            None,
            Some(("StringLike", "repo:octo-org/widgets:*")),
        ));
        assert!(p.audience_ok);
        let p = parts(&statement(PROVIDER, Some("sts.amazonaws.com"), None));
        assert!(p.subject_unrestricted && !p.subject_ok);
    }
}
