//! Who else the trust policy lets in: for each statement that trusts this account's GitHub
//! provider, the conditions that pin the repository (positive conditions on `sub`, `repository`
//! or `repository_id`). Conditions are ANDed, so one condition whose every value is this
//! repository's closes the statement; a statement without any such condition lets ANY GitHub
//! repository in; a statement whose every pinning condition has a value matching other
//! repositories (`repo:*`, `rep?:*`, `repo:octo-*`) is a wildcard door — decided by matching the
//! value against this repository's subjects, not by its first characters. Values naming one other
//! repository are facts (a shared role), not errors.

use serde_json::Value;

use super::super::eval::{Caller, Tri, parse_operator};
use super::super::principal::applies;
use super::super::{PatternScope, SubjectRules, statements, strings};
use super::{WEB_IDENTITY_ACTION, key};

/// Who else may assume the role through GitHub's provider.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Doors {
    /// Values that let other repositories in.
    pub wildcards: Vec<String>,
    /// Statements (0-based) that trust the provider with no condition pinning the repository.
    pub unrestricted: Vec<usize>,
    /// Other repositories named one by one (kept as they are).
    pub others: Vec<String>,
}

/// The pinning conditions of a statement: (claim, values, under a `Like` operator).
fn pinning(st: &Value) -> Vec<(&'static str, Vec<String>, bool)> {
    let mut out = Vec::new();
    let Some(ops) = st.get("Condition").and_then(Value::as_object) else {
        return out;
    };
    for (op, keys) in ops {
        let parsed = parse_operator(op);
        let like = parsed.base.contains("Like");
        let compares = matches!(
            parsed.base.as_str(),
            "StringEquals" | "StringLike" | "StringEqualsIgnoreCase"
        );
        let Some(keys) = keys.as_object() else {
            continue;
        };
        for (k, values) in keys {
            let claim = ["sub", "repository", "repository_id"]
                .into_iter()
                .find(|c| k.eq_ignore_ascii_case(&key(c)));
            if let Some(claim) = claim
                && compares
                && !parsed.negated
            {
                out.push((claim, strings(Some(values)), like));
            }
        }
    }
    out
}

fn trusts_provider(st: &Value, provider: &str) -> bool {
    let caller = Caller::WebIdentity {
        provider: provider.to_owned(),
    };
    st.get("Effect").and_then(Value::as_str) == Some("Allow")
        && applies(st, &caller) == Tri::Yes
        && strings(st.get("Action")).iter().any(|a| {
            super::super::glob::glob_match(&a.to_lowercase(), &WEB_IDENTITY_ACTION.to_lowercase())
        })
}

/// Reads every statement of `doc` trusting `provider` for the repository `rules` describe.
pub fn doors(doc: &Value, rules: &SubjectRules, provider: &str) -> Doors {
    let mut out = Doors::default();
    for (index, st) in statements(doc).into_iter().enumerate() {
        if !trusts_provider(st, provider) {
            continue;
        }
        let conditions = pinning(st);
        if conditions.is_empty() {
            out.unrestricted.push(index);
            continue;
        }
        let classified: Vec<Vec<(String, PatternScope)>> = conditions
            .iter()
            .map(|(claim, values, like)| {
                values
                    .iter()
                    .map(|v| {
                        let scope = match *claim {
                            "sub" => rules.scope_of(v, *like),
                            other => rules.scope_of_claim(other, v, *like),
                        };
                        (v.clone(), scope)
                    })
                    .collect()
            })
            .collect();
        let closed = classified
            .iter()
            .any(|c| c.iter().all(|(_, s)| *s == PatternScope::Ours));
        if closed {
            continue;
        }
        let beyond = |c: &Vec<(String, PatternScope)>| {
            c.iter().any(|(_, s)| *s == PatternScope::BeyondRepository)
        };
        if classified.iter().all(beyond) {
            for (value, scope) in classified.iter().flatten() {
                if *scope == PatternScope::BeyondRepository && !out.wildcards.contains(value) {
                    out.wildcards.push(value.clone());
                }
            }
            continue;
        }
        for (value, scope) in classified.iter().flatten() {
            if matches!(scope, PatternScope::Other(_)) && !out.others.contains(value) {
                out.others.push(value.clone());
            }
        }
    }
    out
}
