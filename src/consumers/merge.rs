//! cawiz's statements in a resource policy someone else may also write: merged in by `Sid`
//! (prefix `cawiz`), every other statement kept as it is; removed on destroy, leaving the others.

use serde_json::{Value, json};

use crate::policy::statements;

/// Statements whose `Sid` starts with this are cawiz's.
pub const CAWIZ_SID_PREFIX: &str = "cawiz";

fn is_cawiz(st: &Value) -> bool {
    st.get("Sid")
        .and_then(Value::as_str)
        .is_some_and(|s| s.starts_with(CAWIZ_SID_PREFIX))
}

fn sid(st: &Value) -> Option<&str> {
    st.get("Sid").and_then(Value::as_str)
}

/// `existing` (or an empty policy) with `ours` in place: each of ours replaces a statement with
/// its `Sid`, or is appended; every other statement (cawiz's for other consumers included) stays,
/// in its order. `Version` is kept.
pub fn merge_cawiz_statements(existing: Option<&Value>, ours: &[Value]) -> Value {
    let mut merged: Vec<Value> = existing
        .map(|d| statements(d).into_iter().cloned().collect())
        .unwrap_or_default();
    for st in ours {
        match merged
            .iter_mut()
            .find(|m| sid(m).is_some() && sid(m) == sid(st))
        {
            Some(slot) => *slot = st.clone(),
            None => merged.push(st.clone()),
        }
    }
    let version = existing
        .and_then(|d| d.get("Version").cloned())
        .unwrap_or_else(|| json!("2012-10-17"));
    json!({ "Version": version, "Statement": merged })
}

/// `existing` without cawiz's statements; `None` when nothing else is left (delete the policy).
pub fn without_cawiz_statements(existing: &Value) -> Option<Value> {
    let kept: Vec<Value> = statements(existing)
        .into_iter()
        .filter(|st| !is_cawiz(st))
        .cloned()
        .collect();
    if kept.is_empty() {
        return None;
    }
    let version = existing
        .get("Version")
        .cloned()
        .unwrap_or_else(|| json!("2012-10-17"));
    Some(json!({ "Version": version, "Statement": kept }))
}
