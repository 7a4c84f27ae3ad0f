//! What a permissions policy document grants, read statically: used when SimulatePrincipalPolicy
//! cannot answer (no role yet, or no permission to simulate), to decide whether attaching a policy
//! would be enough, and to say where a policy is broader than publishing needs. The simulation
//! stays the judge whenever it answers: it sees every policy of the role, its boundary and SCPs.

use serde_json::{Map, Value, json};

use super::{glob_match, statements, strings};

/// Sids of the statements cawiz writes: a statement with one of them is cawiz's to replace.
pub const CAWIZ_SIDS: [&str; 2] = ["CodeArtifactPublish", "CodeArtifactBearerToken"];

fn matches_any(patterns: &[String], value: &str, ignore_case: bool) -> bool {
    patterns.iter().any(|p| {
        if ignore_case {
            glob_match(&p.to_lowercase(), &value.to_lowercase())
        } else {
            glob_match(p, value)
        }
    })
}

/// Whether the statement's `field` (or, inverted, `not_field`) covers `value`.
fn covers(st: &Value, field: &str, not_field: &str, value: &str, ignore_case: bool) -> bool {
    match (st.get(field), st.get(not_field)) {
        (Some(v), _) => matches_any(&strings(Some(v)), value, ignore_case),
        (None, Some(v)) => !matches_any(&strings(Some(v)), value, ignore_case),
        (None, None) => false,
    }
}

/// Conditions on keys `context` gives are checked (`StringEquals`/`StringLike`); others are
/// assumed to hold, as nothing here can evaluate them.
fn conditions_hold(st: &Value, context: &[(&str, &str)]) -> bool {
    let Some(ops) = st.get("Condition").and_then(Value::as_object) else {
        return true;
    };
    ops.iter().all(|(op, keys)| {
        let like = op.ends_with("StringLike");
        let equals = op.ends_with("StringEquals");
        keys.as_object().is_none_or(|keys: &Map<String, Value>| {
            keys.iter().all(|(k, values)| {
                match context.iter().find(|(ck, _)| ck.eq_ignore_ascii_case(k)) {
                    Some((_, given)) if like || equals => {
                        let wanted = strings(Some(values));
                        wanted.iter().any(|w| {
                            if like {
                                glob_match(w, given)
                            } else {
                                w == given
                            }
                        })
                    }
                    _ => true,
                }
            })
        })
    })
}

/// Whether `doc` allows `action` on `resource`: an applying Allow and no applying Deny.
pub fn document_allows(
    doc: &Value,
    action: &str,
    resource: &str,
    context: &[(&str, &str)],
) -> bool {
    let applying: Vec<&Value> = statements(doc)
        .into_iter()
        .filter(|st| {
            covers(st, "Action", "NotAction", action, true)
                && covers(st, "Resource", "NotResource", resource, false)
                && conditions_hold(st, context)
        })
        .collect();
    let effect = |e: &str| {
        applying
            .iter()
            .any(|st| st.get("Effect").and_then(Value::as_str) == Some(e))
    };
    effect("Allow") && !effect("Deny")
}

/// Where `doc` grants more than publishing needs: every action, every CodeArtifact action, or
/// CodeArtifact actions on every resource (a warning, never a reason to change a working policy).
pub fn broader_than_needed(doc: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for st in statements(doc) {
        if st.get("Effect").and_then(Value::as_str) != Some("Allow") {
            continue;
        }
        let actions = strings(st.get("Action"));
        let resources = strings(st.get("Resource"));
        let sid = st
            .get("Sid")
            .and_then(Value::as_str)
            .map_or_else(String::new, |s| format!(" ({s})"));
        if actions.iter().any(|a| a == "*") {
            out.push(format!("a statement{sid} allows every action"));
        } else if actions
            .iter()
            .any(|a| a.eq_ignore_ascii_case("codeartifact:*"))
        {
            out.push(format!("a statement{sid} allows every CodeArtifact action"));
        }
        let codeartifact = actions
            .iter()
            .any(|a| a.to_lowercase().starts_with("codeartifact:"));
        if codeartifact && resources.iter().any(|r| r == "*") {
            out.push(format!(
                "a statement{sid} grants CodeArtifact actions on every resource (\"*\"), not only \
                 this domain"
            ));
        }
    }
    out
}

/// `doc` with cawiz's publish statements added: a statement carrying one of cawiz's Sids is
/// replaced by cawiz's, every other statement is kept as it is.
pub fn with_cawiz_statements(doc: &Value, cawiz: &Value) -> Value {
    let ours: Vec<Value> = statements(cawiz).into_iter().cloned().collect();
    let sid = |st: &Value| st.get("Sid").and_then(Value::as_str).map(str::to_owned);
    let mut kept: Vec<Value> = statements(doc)
        .into_iter()
        .filter(|st| !sid(st).is_some_and(|s| CAWIZ_SIDS.contains(&s.as_str())))
        .cloned()
        .collect();
    kept.extend(ours);
    let version = doc
        .get("Version")
        .cloned()
        .unwrap_or_else(|| json!("2012-10-17"));
    json!({ "Version": version, "Statement": kept })
}
