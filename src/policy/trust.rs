//! A role's trust policy judged the way STS judges it: would the configured repository's GitHub
//! token be accepted? Other repositories' subjects are facts, not errors; wildcards that let any
//! other repository in are critical.

use serde_json::{Map, Value};

use super::subject::{PatternScope, SubjectRules};
use super::{Finding, GITHUB_OIDC_HOST, OIDC_AUDIENCE, Severity, glob_match, statements, strings};
use crate::setup::SubjectScope;

const WEB_IDENTITY: &str = "sts:AssumeRoleWithWebIdentity";

/// What the trust policy means for the configured repository.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TrustReview {
    /// Problems, worst first.
    pub findings: Vec<Finding>,
    /// Whether some statement accepts every token the scope allows.
    pub accepts: bool,
    /// Subject patterns of other repositories (kept as they are).
    pub others: Vec<String>,
    /// Conditions of the accepting statement cawiz cannot evaluate (assumed to hold).
    pub unchecked: Vec<String>,
    /// Subjects that let any other repository in (`*`, `repo:OWNER/*`, …).
    pub wildcards: Vec<String>,
    /// Statements that trust the GitHub provider with no subject condition at all.
    pub unrestricted: Vec<usize>,
}

/// `sub` or `aud` patterns of a statement: (pattern, under a `Like` operator).
pub(super) type Patterns = Vec<(String, bool)>;

/// The operator without a set qualifier or `IfExists` (`sub` and `aud` are single-valued, so
/// `ForAnyValue:StringLike` decides as `StringLike` does).
fn base_operator(op: &str) -> &str {
    let op = op.rsplit(':').next().unwrap_or(op);
    op.strip_suffix("IfExists").unwrap_or(op)
}

/// What a statement's conditions say of one key, and the conditions on other keys.
pub(super) fn condition_patterns(st: &Value, key: &str) -> (Option<Patterns>, Vec<String>) {
    let mut found: Option<Patterns> = None;
    let mut other = Vec::new();
    let Some(ops) = st.get("Condition").and_then(Value::as_object) else {
        return (None, other);
    };
    for (op, keys) in ops {
        let Some(keys) = keys.as_object() else {
            continue;
        };
        for (k, values) in keys {
            let like = match base_operator(op) {
                "StringLike" => Some(true),
                "StringEquals" => Some(false),
                _ => None,
            };
            match (k.eq_ignore_ascii_case(key), like) {
                (true, Some(like)) => found
                    .get_or_insert_with(Vec::new)
                    .extend(strings(Some(values)).into_iter().map(|v| (v, like))),
                _ => other.push(format!("{op} {k}")),
            }
        }
    }
    (found, other)
}

pub(super) fn allows_web_identity(st: &Value) -> bool {
    st.get("Effect").and_then(Value::as_str) == Some("Allow")
        && strings(st.get("Action"))
            .iter()
            .any(|a| glob_match(&a.to_lowercase(), &WEB_IDENTITY.to_lowercase()))
}

pub(super) fn federated(st: &Value) -> Vec<String> {
    strings(st.get("Principal").and_then(|p| p.get("Federated")))
}

pub(super) fn key(name: &str) -> String {
    format!("{GITHUB_OIDC_HOST}:{name}")
}

/// Reviews `doc` for the repository `rules` describe and the runs `scope` allows; `provider` is
/// this account's GitHub OIDC provider ARN.
pub fn review_trust(
    doc: &Value,
    rules: &SubjectRules,
    scope: &SubjectScope,
    provider: &str,
) -> TrustReview {
    let mut review = TrustReview::default();
    let all = statements(doc);
    let ours: Vec<(usize, &Value)> = all
        .iter()
        .enumerate()
        .filter(|(_, st)| allows_web_identity(st) && federated(st).iter().any(|f| f == provider))
        .map(|(i, st)| (i, *st))
        .collect();
    for (index, st) in &ours {
        let (subs, others) = condition_patterns(st, &key("sub"));
        let (auds, _) = condition_patterns(st, &key("aud"));
        let Some(subs) = subs else {
            review.unrestricted.push(*index);
            continue;
        };
        for (pattern, like) in &subs {
            match rules.scope_of(pattern, *like) {
                PatternScope::BeyondRepository => review.wildcards.push(pattern.clone()),
                PatternScope::Other(_) => review.others.push(pattern.clone()),
                PatternScope::Ours | PatternScope::Custom => {}
            }
        }
        let aud_ok = auds.is_some_and(|auds| {
            auds.iter().any(|(a, like)| {
                if *like {
                    glob_match(a, OIDC_AUDIENCE)
                } else {
                    a == OIDC_AUDIENCE
                }
            })
        });
        let sub_ok = subs.iter().any(|(p, like)| rules.accepts(p, *like, scope));
        if aud_ok && sub_ok && !review.accepts {
            review.accepts = true;
            review.unchecked = others
                .into_iter()
                .filter(|o| !o.ends_with(&key("aud")))
                .collect();
        }
    }
    review.findings = findings(&review, &all, &ours, rules, scope, provider);
    review
}

fn findings(
    review: &TrustReview,
    all: &[&Value],
    ours: &[(usize, &Value)],
    rules: &SubjectRules,
    scope: &SubjectScope,
    provider: &str,
) -> Vec<Finding> {
    let expected = rules.expected(scope);
    let mut out = Vec::new();
    for index in &review.unrestricted {
        out.push(Finding {
            severity: Severity::Critical,
            message: format!(
                "statement {} has no {} condition: ANY GitHub repository can assume this role",
                index + 1,
                key("sub")
            ),
            fix: format!("add \"StringLike\": {{\"{}\": \"{expected}\"}}", key("sub")),
        });
    }
    for pattern in &review.wildcards {
        out.push(Finding {
            severity: Severity::Critical,
            message: format!(
                "subject pattern {pattern:?} matches other repositories than {}/{}: they could assume this role",
                rules.owner, rules.repo
            ),
            fix: format!("restrict the subject to {expected:?}"),
        });
    }
    if let Some(keys) = rules
        .claim_keys
        .as_ref()
        .filter(|_| !rules.names_repository())
    {
        out.push(Finding {
            severity: Severity::Critical,
            message: format!(
                "the subject template ({}) does not name the repository: every repository whose \
                 token carries {expected} can assume this role",
                keys.join(", ")
            ),
            fix: "add `repo` (or `repository_id`) to the template's include_claim_keys".to_owned(),
        });
    }
    if !review.accepts {
        out.push(refusal(all, ours, rules, scope, provider));
    }
    for condition in &review.unchecked {
        out.push(Finding {
            severity: Severity::Warning,
            message: format!(
                "the trusting statement also requires {condition}, which cawiz cannot evaluate; \
                 it is assumed to hold for the publishing workflow"
            ),
            fix: "check that the workflow's token satisfies it (cawiz verify runs the workflow)"
                .to_owned(),
        });
    }
    out.sort_by_key(|f| std::cmp::Reverse(f.severity));
    out
}

/// Why no statement accepts the configured repository's tokens, as precisely as the document says.
fn refusal(
    all: &[&Value],
    ours: &[(usize, &Value)],
    rules: &SubjectRules,
    scope: &SubjectScope,
    provider: &str,
) -> Finding {
    let expected = rules.expected(scope);
    let error = |message: String| Finding {
        severity: Severity::Error,
        message,
        fix: format!(
            "add a statement (or a subject) allowing {expected:?} — apply does, keeping everything \
             else in the policy"
        ),
    };
    let web_identity: Vec<&&Value> = all.iter().filter(|st| allows_web_identity(st)).collect();
    if web_identity.is_empty() {
        return error("no statement allows sts:AssumeRoleWithWebIdentity".to_owned());
    }
    if ours.is_empty() {
        let found: Vec<String> = web_identity.iter().flat_map(|st| federated(st)).collect();
        return error(format!(
            "the Federated principal is {found:?}, not this account's GitHub provider {provider}"
        ));
    }
    let aud_missing = ours.iter().all(|(_, st)| {
        condition_patterns(st, &key("aud"))
            .0
            .is_none_or(|auds| !auds.iter().any(|(a, _)| a == OIDC_AUDIENCE))
    });
    if aud_missing {
        return error(format!(
            "no StringEquals {} = {OIDC_AUDIENCE} condition",
            key("aud")
        ));
    }
    let mentioned: Vec<(String, bool)> = ours
        .iter()
        .filter_map(|(_, st)| condition_patterns(st, &key("sub")).0)
        .flatten()
        .filter(|(p, like)| rules.scope_of(p, *like) == PatternScope::Ours)
        .collect();
    let others: Vec<String> = ours
        .iter()
        .filter_map(|(_, st)| condition_patterns(st, &key("sub")).0)
        .flatten()
        .filter(|(p, like)| matches!(rules.scope_of(p, *like), PatternScope::Other(_)))
        .map(|(p, _)| p)
        .collect();
    let trusted = if others.is_empty() {
        String::new()
    } else {
        format!(" — it trusts {}", others.join(", "))
    };
    error(match mentioned.first() {
        None => format!(
            "no subject condition names {}/{}{trusted} (GitHub sends {expected})",
            rules.owner, rules.repo
        ),
        Some((pattern, like)) => why_not(pattern, *like, rules, &expected),
    })
}

/// Why a pattern about this repository does not accept its tokens.
fn why_not(pattern: &str, like: bool, rules: &SubjectRules, expected: &str) -> String {
    let name = pattern
        .strip_prefix("repo:")
        .and_then(|p| p.split(':').next())
        .unwrap_or(pattern);
    let canonical = format!("{}/{}", rules.owner, rules.repo);
    if rules.canonical && name.eq_ignore_ascii_case(&canonical) && name != canonical {
        return format!(
            "subject {pattern:?} spells the repository {name}, GitHub sends {canonical}: IAM compares \
             case-sensitively (GitHub sends {expected})"
        );
    }
    if rules.ids.is_some() && !name.contains('@') {
        return format!(
            "subject {pattern:?} uses the classic repo:OWNER/REPO form, but this repository's tokens \
             carry the immutable repo:OWNER@ID/REPO@ID form ({expected})"
        );
    }
    if !like && pattern.contains(['*', '?']) {
        return format!(
            "subject {pattern:?} has a wildcard under StringEquals, where it is a literal character: \
             it never matches (use StringLike)"
        );
    }
    format!("no subject condition allows what GitHub sends for the configured scope: {expected}")
}

/// The trust policy with the configured repository's subject added, everything else kept: into
/// the `StringLike` list of a statement that already trusts the provider with only `aud` and `sub`
/// conditions, else as a new statement.
pub fn add_subject(doc: &Value, statement: &Value, subject: &str, provider: &str) -> Value {
    let mut out = doc.clone();
    let target = statement_list(&mut out).and_then(|list| {
        list.iter_mut().find(|st| {
            allows_web_identity(st) && federated(st).iter().any(|f| f == provider) && extendable(st)
        })
    });
    if let Some(st) = target
        && let Some(like) = st
            .get_mut("Condition")
            .and_then(|c| c.get_mut("StringLike"))
            .and_then(Value::as_object_mut)
    {
        let entry = like.entry(key("sub")).or_insert(Value::Array(Vec::new()));
        let mut values = strings(Some(entry));
        if !values.iter().any(|v| v == subject) {
            values.push(subject.to_owned());
        }
        *entry = Value::Array(values.into_iter().map(Value::String).collect());
        return out;
    }
    if let Some(list) = statement_list(&mut out) {
        list.push(statement.clone());
    }
    out
}

/// A statement whose conditions are exactly `StringEquals aud = sts.amazonaws.com` and a
/// `StringLike sub` list: adding a subject there changes nothing else.
fn extendable(st: &Value) -> bool {
    let Some(ops) = st.get("Condition").and_then(Value::as_object) else {
        return false;
    };
    let only = |op: &str, k: &str| {
        ops.get(op)
            .and_then(Value::as_object)
            .is_some_and(|m| m.len() == 1 && m.contains_key(&key(k)))
    };
    let aud_ok = ops
        .get("StringEquals")
        .and_then(|m| m.get(key("aud")))
        .is_some_and(|v| strings(Some(v)) == [OIDC_AUDIENCE]);
    ops.len() == 2 && only("StringEquals", "aud") && aud_ok && only("StringLike", "sub")
}

/// The document's statements as a list (a single statement object becomes a list of one).
fn statement_list(doc: &mut Value) -> Option<&mut Vec<Value>> {
    let map: &mut Map<String, Value> = doc.as_object_mut()?;
    let statement = map
        .entry("Statement")
        .or_insert_with(|| Value::Array(Vec::new()));
    if statement.is_object() {
        *statement = Value::Array(vec![statement.take()]);
    }
    statement.as_array_mut()
}

/// The trust policy with every subject that lets other repositories in replaced by `subject`, and
/// a `sub` condition added to statements trusting the provider without one. Asked for explicitly:
/// it removes access others have (that is the point).
pub fn narrow(doc: &Value, review: &TrustReview, subject: &str, provider: &str) -> Value {
    let mut out = doc.clone();
    let Some(list) = statement_list(&mut out) else {
        return out;
    };
    for (index, st) in list.iter_mut().enumerate() {
        if review.unrestricted.contains(&index) {
            if let Some(cond) = st
                .as_object_mut()
                .map(|m| {
                    m.entry("Condition")
                        .or_insert_with(|| Value::Object(Map::new()))
                })
                .and_then(Value::as_object_mut)
            {
                let like = cond
                    .entry("StringLike")
                    .or_insert_with(|| Value::Object(Map::new()));
                like[key("sub")] = Value::String(subject.to_owned());
            }
            continue;
        }
        if !(allows_web_identity(st) && federated(st).iter().any(|f| f == provider)) {
            continue;
        }
        let Some(like) = st
            .get_mut("Condition")
            .and_then(|c| c.get_mut("StringLike"))
            .and_then(|m| m.get_mut(key("sub")))
        else {
            continue;
        };
        let mut values: Vec<String> = Vec::new();
        for v in strings(Some(like)) {
            let kept = if review.wildcards.contains(&v) {
                subject.to_owned()
            } else {
                v
            };
            if !values.contains(&kept) {
                values.push(kept);
            }
        }
        *like = match values.as_slice() {
            [one] => Value::String(one.clone()),
            _ => Value::Array(values.into_iter().map(Value::String).collect()),
        };
    }
    out
}
