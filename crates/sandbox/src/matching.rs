//! What IAM policy evaluation matches with, shared by the simulator and its condition operators:
//! wildcards, the statements of a document and the request context.

use serde_json::Value;
use wildmatch::WildMatch;

/// A context key with its values (`ContextEntries`).
#[derive(Debug, Clone)]
pub struct ContextEntry {
    pub key: String,
    pub values: Vec<String>,
}

/// `*` matches any run of characters (also empty), `?` exactly one: IAM's `StringLike`, optionally
/// ignoring case (as action names are matched).
pub fn wildcard_match(pattern: &str, value: &str, ignore_case: bool) -> bool {
    if ignore_case {
        WildMatch::new_case_insensitive(pattern).matches(value)
    } else {
        WildMatch::new(pattern).matches(value)
    }
}

/// A policy's statements: `Statement` as a list or as a single object.
pub fn statements(doc: &Value) -> Vec<&Value> {
    match doc.get("Statement") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(v @ Value::Object(_)) => vec![v],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_as_list_or_object() {
        let one = serde_json::json!({"Statement": {"Effect": "Allow"}});
        let two = serde_json::json!({"Statement": [{"Effect": "Allow"}, {"Effect": "Deny"}]});
        assert_eq!(statements(&one).len(), 1);
        assert_eq!(statements(&two).len(), 2);
        assert!(statements(&serde_json::json!({})).is_empty());
    }
}
