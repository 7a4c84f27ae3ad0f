//! Condition operators of IAM policy statements, for the simulator in `sandbox::simulate`.

use serde_json::{Map, Value};

use crate::matching::{ContextEntry, wildcard_match};

/// ArnLike/ArnEquals: each of the six colon-separated parts matched on its own, with wildcards.
pub(crate) fn arn_match(pattern: &str, value: &str) -> bool {
    let p: Vec<&str> = pattern.splitn(6, ':').collect();
    let v: Vec<&str> = value.splitn(6, ':').collect();
    if p.len() != 6 || v.len() != 6 {
        return wildcard_match(pattern, value, false);
    }
    p.iter().zip(&v).all(|(p, v)| wildcard_match(p, v, false))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SetQualifier {
    None,
    ForAnyValue,
    ForAllValues,
}

/// All operators of a `Condition` block hold (keys within an operator: AND; values: OR). Every
/// operator is evaluated so that all missing keys are reported.
pub(crate) fn conditions_hold(
    ops: &Map<String, Value>,
    context: &[ContextEntry],
    missing: &mut Vec<String>,
) -> bool {
    let mut all = true;
    for (operator, keys) in ops {
        let Some(keys) = keys.as_object() else {
            all = false;
            continue;
        };
        for (key, values) in keys {
            let wanted = condition_values(values);
            if !operator_holds(operator, key, &wanted, context, missing) {
                all = false;
            }
        }
    }
    all
}

fn condition_values(value: &Value) -> Vec<String> {
    let one = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Bool(_) | Value::Number(_) => Some(v.to_string()),
        _ => None,
    };
    match value {
        Value::Array(items) => items.iter().filter_map(one).collect(),
        other => one(other).into_iter().collect(),
    }
}

fn operator_holds(
    operator: &str,
    key: &str,
    wanted: &[String],
    context: &[ContextEntry],
    missing: &mut Vec<String>,
) -> bool {
    let (qualifier, op) = if let Some(rest) = operator.strip_prefix("ForAnyValue:") {
        (SetQualifier::ForAnyValue, rest)
    } else if let Some(rest) = operator.strip_prefix("ForAllValues:") {
        (SetQualifier::ForAllValues, rest)
    } else {
        (SetQualifier::None, operator)
    };
    let (op, if_exists) = match op.strip_suffix("IfExists") {
        Some(base) => (base, true),
        None => (op, false),
    };
    let present = context
        .iter()
        .find(|e| e.key.eq_ignore_ascii_case(key))
        .map(|e| e.values.as_slice());

    if op == "Null" {
        let is_null = present.is_none_or(<[String]>::is_empty);
        return wanted
            .iter()
            .any(|w| w.eq_ignore_ascii_case(&is_null.to_string()));
    }
    let (negated, compare): (bool, fn(&str, &str) -> bool) = match op {
        "StringEquals" => (false, |w, c| w == c),
        "StringNotEquals" => (true, |w, c| w == c),
        "StringEqualsIgnoreCase" => (false, |w, c| w.to_lowercase() == c.to_lowercase()),
        "StringNotEqualsIgnoreCase" => (true, |w, c| w.to_lowercase() == c.to_lowercase()),
        "StringLike" => (false, |w, c| wildcard_match(w, c, false)),
        "StringNotLike" => (true, |w, c| wildcard_match(w, c, false)),
        "ArnEquals" | "ArnLike" => (false, arn_match),
        "ArnNotEquals" | "ArnNotLike" => (true, arn_match),
        "Bool" => (false, |w, c| w.eq_ignore_ascii_case(c)),
        // An operator the sandbox does not evaluate never holds, so it cannot grant access.
        _ => return false,
    };
    let Some(values) = present else {
        if !missing.iter().any(|m| m.eq_ignore_ascii_case(key)) {
            missing.push(key.to_owned());
        }
        // A missing key fails positive operators and satisfies negated ones.
        return if_exists || negated || qualifier == SetQualifier::ForAllValues;
    };
    let matches_one = |c: &String| wanted.iter().any(|w| compare(w, c));
    match (qualifier, negated) {
        (SetQualifier::ForAllValues, false) => values.iter().all(matches_one),
        (SetQualifier::ForAllValues, true) => !values.iter().any(matches_one),
        (SetQualifier::ForAnyValue, true) => values.iter().any(|c| !matches_one(c)),
        (_, false) => values.iter().any(matches_one),
        (SetQualifier::None, true) => !values.iter().any(matches_one),
    }
}
