//! Changes to a trust policy, each keeping what others rely on: our subject added (to a list or
//! as a statement of its own), wildcards narrowed to our subject, and our own subjects narrowed to
//! the configured scope.

use serde_json::{Map, Value};

use super::super::glob::glob_match;
use super::super::{OIDC_AUDIENCE, PatternScope, SubjectRules, strings};
use super::{TrustReview, allows_web_identity, federated, key};

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

/// The trust policy with this repository's own subjects that accept runs outside the scope
/// (`outside`: their subjects) taken out, and `subject` added. Only statements whose conditions
/// are exactly `aud` and a `StringLike`/`StringEquals` `sub` list are touched (anything else —
/// a `job_workflow_ref` condition, say — is the user's to change); other repositories' subjects
/// stay, and a statement left with no subject is removed. `None` when nothing could be narrowed.
pub fn narrow_to_scope(
    doc: &Value,
    rules: &SubjectRules,
    outside: &[String],
    statement: &Value,
    subject: &str,
    provider: &str,
) -> Option<Value> {
    let mut out = doc.clone();
    let list = statement_list(&mut out)?;
    let mut changed = false;
    list.retain_mut(|st| {
        let ours = allows_web_identity(st) && federated(st).iter().any(|f| f == provider);
        if !(ours && only_audience_and_subject(st)) {
            return true;
        }
        let Some(ops) = st.get_mut("Condition").and_then(Value::as_object_mut) else {
            return true;
        };
        let mut emptied = false;
        for (op, keys) in ops.iter_mut() {
            let like = op == "StringLike";
            if !(like || op == "StringEquals") {
                continue;
            }
            let Some(values) = keys.get_mut(key("sub")) else {
                continue;
            };
            let before = strings(Some(values));
            let kept: Vec<String> = before
                .iter()
                .filter(|v| {
                    let ours = rules.scope_of(v, like) == PatternScope::Ours;
                    let wide = outside
                        .iter()
                        .any(|sub| if like { glob_match(v, sub) } else { *v == sub });
                    !(ours && wide)
                })
                .cloned()
                .collect();
            if kept.len() != before.len() {
                changed = true;
                emptied |= kept.is_empty();
                *values = match kept.as_slice() {
                    [one] => Value::String(one.clone()),
                    _ => Value::Array(kept.into_iter().map(Value::String).collect()),
                };
            }
        }
        !emptied
    });
    changed.then(|| add_subject(&out, statement, subject, provider))
}

/// A statement whose conditions are only `aud` and `sub` (under `StringEquals`/`StringLike`).
fn only_audience_and_subject(st: &Value) -> bool {
    let Some(ops) = st.get("Condition").and_then(Value::as_object) else {
        return false;
    };
    ops.iter().all(|(op, keys)| {
        matches!(op.as_str(), "StringEquals" | "StringLike")
            && keys.as_object().is_some_and(|m| {
                m.keys().all(|k| {
                    k.eq_ignore_ascii_case(&key("aud")) || k.eq_ignore_ascii_case(&key("sub"))
                })
            })
    })
}
