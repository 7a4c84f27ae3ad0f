//! A canonical form of IAM policy documents, so that two documents IAM treats the same compare
//! equal (a string vs a one-element list, element order, statement ids).

use serde_json::Value;

const LISTS: &[&str] = &["Action", "NotAction", "Resource", "NotResource"];

fn sorted_strings(v: &Value) -> Value {
    let mut items: Vec<String> = super::strings(Some(v));
    items.sort();
    items.dedup();
    Value::Array(items.into_iter().map(Value::String).collect())
}

fn normalize_condition(v: &Value) -> Value {
    match v {
        Value::Object(ops) => Value::Object(
            ops.iter()
                .map(|(op, keys)| {
                    let keys = match keys {
                        Value::Object(k) => Value::Object(
                            k.iter()
                                .map(|(key, val)| (key.clone(), sorted_strings(val)))
                                .collect(),
                        ),
                        other => other.clone(),
                    };
                    (op.clone(), keys)
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

fn normalize_statement(s: &Value) -> Value {
    let Value::Object(map) = s else {
        return s.clone();
    };
    let mut out = serde_json::Map::new();
    for (key, value) in map {
        if key == "Sid" {
            continue;
        }
        let value = if LISTS.contains(&key.as_str()) {
            sorted_strings(value)
        } else if key == "Condition" {
            normalize_condition(value)
        } else {
            value.clone()
        };
        out.insert(key.clone(), value);
    }
    Value::Object(out)
}

/// `v` with every object's keys in sorted order, whatever serde_json's map type keeps (a dependency
/// may turn on `preserve_order`): so that printing and sorting do not depend on key order.
pub fn sorted_keys(v: &Value) -> Value {
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let mut out = serde_json::Map::new();
            for k in keys {
                if let Some(inner) = map.get(k) {
                    out.insert(k.clone(), sorted_keys(inner));
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted_keys).collect()),
        other => other.clone(),
    }
}

/// The canonical form: statements as a sorted list, list fields sorted, `Sid`s dropped.
pub fn normalize_policy(doc: &Value) -> Value {
    let mut statements: Vec<Value> = super::statements(doc)
        .into_iter()
        .map(|s| sorted_keys(&normalize_statement(s)))
        .collect();
    statements.sort_by_key(|s| s.to_string());
    serde_json::json!({
        "Version": doc.get("Version").cloned().unwrap_or(Value::Null),
        "Statement": statements,
    })
}

/// True when IAM would treat the two documents the same.
pub fn same_policy(a: &Value, b: &Value) -> bool {
    normalize_policy(a) == normalize_policy(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn order_sid_and_single_strings_do_not_matter() {
        let a = json!({"Version": "2012-10-17", "Statement": [
            {"Sid": "A", "Effect": "Allow", "Action": ["b:x", "a:y"], "Resource": "*",
             "Condition": {"StringEquals": {"k": "v"}}},
            {"Effect": "Allow", "Action": "c:z", "Resource": ["r"]}
        ]});
        let b = json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["c:z"], "Resource": "r"},
            {"Effect": "Allow", "Action": ["a:y", "b:x"], "Resource": ["*"],
             "Condition": {"StringEquals": {"k": ["v"]}}}
        ]});
        assert!(same_policy(&a, &b));
        let c = json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["c:z"], "Resource": "r2"},
            {"Effect": "Allow", "Action": ["a:y", "b:x"], "Resource": ["*"],
             "Condition": {"StringEquals": {"k": ["v"]}}}
        ]});
        assert!(!same_policy(&a, &c));
        let single = json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "c:z", "Resource": "r"}});
        let list = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["c:z"], "Resource": "r"}]});
        assert!(same_policy(&single, &list));
    }

    #[test]
    fn key_order_never_matters() {
        let a = json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "a:x", "Resource": "r1"},
            {"Effect": "Allow", "Action": "b:y", "Resource": "r2"}
        ]});
        let b = json!({"Statement": [
            {"Resource": "r1", "Effect": "Allow", "Action": "a:x"},
            {"Resource": "r2", "Action": "b:y", "Effect": "Allow"}
        ], "Version": "2012-10-17"});
        assert!(same_policy(&a, &b));
        assert!(crate::policy::diff_json(&a, &b).is_empty());
        let mut c = b.clone();
        c["Statement"][1]["Resource"] = json!("r3");
        let diff: Vec<String> =
            crate::policy::changed_lines(&crate::policy::diff_json(&a, &c)).collect();
        assert_eq!(diff.len(), 2, "{diff:?}");
        assert!(
            diff.iter().any(|l| l.starts_with('+') && l.contains("r2")),
            "{diff:?}"
        );
        assert!(
            diff.iter().any(|l| l.starts_with('-') && l.contains("r3")),
            "{diff:?}"
        );
    }
}
