//! Policy documents: the grammar checks IAM applies before storing one (shared by trust policies
//! and managed policies), and the line/column of each statement in the stored text (reported by
//! SimulatePrincipalPolicy).

use serde_json::{Map, Value};

use crate::protocol::{ApiError, ApiResult};

/// Which policy grammar applies: identity (permissions) policies name resources and no principal;
/// trust policies name a principal and no resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    Identity,
    Trust,
}

/// IAM's size quotas, counted without whitespace as IAM does.
const MANAGED_POLICY_MAX: usize = 6144;
const TRUST_POLICY_MAX: usize = 2048;

const TOP_LEVEL: &[&str] = &["Version", "Id", "Statement"];
const STATEMENT_FIELDS: &[&str] = &[
    "Sid",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Principal",
    "NotPrincipal",
    "Condition",
];

fn malformed(message: impl Into<String>) -> ApiError {
    ApiError::new("MalformedPolicyDocument", message)
}

/// Checks a policy document as IAM does and returns it parsed.
pub fn validate(text: &str, kind: DocKind) -> ApiResult<Value> {
    let size = text.chars().filter(|c| !c.is_whitespace()).count();
    match kind {
        DocKind::Identity if size > MANAGED_POLICY_MAX => {
            return Err(ApiError::new(
                "LimitExceeded",
                format!("Cannot exceed quota for PolicySize: {MANAGED_POLICY_MAX}"),
            ));
        }
        DocKind::Trust if size > TRUST_POLICY_MAX => {
            return Err(ApiError::new(
                "LimitExceeded",
                format!("Cannot exceed quota for ACLSizePerRole: {TRUST_POLICY_MAX}"),
            ));
        }
        _ => {}
    }
    let value: Value = serde_json::from_str(text)
        .map_err(|e| malformed(format!("This policy contains invalid Json ({e})")))?;
    let Some(top) = value.as_object() else {
        return Err(malformed(
            "Syntax errors in policy: the document must be a JSON object",
        ));
    };
    if let Some(key) = top.keys().find(|k| !TOP_LEVEL.contains(&k.as_str())) {
        return Err(malformed(format!(
            "Syntax errors in policy: unknown top-level field {key:?} (allowed: Version, Id, Statement)"
        )));
    }
    if let Some(version) = top.get("Version")
        && !matches!(version.as_str(), Some("2012-10-17" | "2008-10-17"))
    {
        return Err(malformed(format!(
            "The policy failed legacy parsing: Version {version} is not supported; use \"2012-10-17\""
        )));
    }
    let statements: Vec<&Value> = match top.get("Statement") {
        Some(Value::Array(items)) if !items.is_empty() => items.iter().collect(),
        Some(one @ Value::Object(_)) => vec![one],
        Some(Value::Array(_)) => {
            return Err(malformed("Syntax errors in policy: Statement is empty"));
        }
        Some(_) => {
            return Err(malformed(
                "Syntax errors in policy: Statement must be an object or an array of objects",
            ));
        }
        None => {
            return Err(malformed(
                "Syntax errors in policy: missing Statement (an object or an array of objects)",
            ));
        }
    };
    for (i, statement) in statements.into_iter().enumerate() {
        let Some(st) = statement.as_object() else {
            return Err(malformed(format!(
                "Syntax errors in policy: statement {} is not an object",
                i + 1
            )));
        };
        validate_statement(st, kind)?;
    }
    Ok(value)
}

fn validate_statement(st: &Map<String, Value>, kind: DocKind) -> ApiResult<()> {
    if let Some(key) = st.keys().find(|k| !STATEMENT_FIELDS.contains(&k.as_str())) {
        return Err(malformed(format!(
            "Syntax errors in policy: unknown statement field {key:?}"
        )));
    }
    match st.get("Effect").and_then(Value::as_str) {
        Some("Allow" | "Deny") => {}
        Some(other) => {
            return Err(malformed(format!(
                "Invalid effect: {other} (a statement's Effect is \"Allow\" or \"Deny\")"
            )));
        }
        None => {
            return Err(malformed(
                "Policy statement must contain an Effect (\"Allow\" or \"Deny\")",
            ));
        }
    }
    let actions = exactly_one(st, "Action", "NotAction")
        .ok_or_else(|| malformed("Policy statement must contain actions."))?;
    let actions = string_list(actions).ok_or_else(|| {
        malformed("Syntax errors in policy: Action must be a string or an array of strings")
    })?;
    if let Some(bad) = actions.iter().find(|a| *a != "*" && !a.contains(':')) {
        return Err(malformed(format!(
            "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc. (got {bad:?})"
        )));
    }
    match kind {
        DocKind::Identity => {
            if st.contains_key("Principal") || st.contains_key("NotPrincipal") {
                return Err(malformed("Policy document should not specify a principal."));
            }
            let resources = exactly_one(st, "Resource", "NotResource")
                .ok_or_else(|| malformed("Policy statement must contain resources."))?;
            if string_list(resources).is_none() {
                return Err(malformed(
                    "Syntax errors in policy: Resource must be a string or an array of strings",
                ));
            }
        }
        DocKind::Trust => {
            if exactly_one(st, "Principal", "NotPrincipal").is_none() {
                return Err(malformed("Missing required field Principal"));
            }
            if st.contains_key("Resource") || st.contains_key("NotResource") {
                return Err(malformed("Has prohibited field Resource"));
            }
        }
    }
    if let Some(condition) = st.get("Condition") {
        let ok = condition
            .as_object()
            .is_some_and(|ops| ops.values().all(Value::is_object));
        if !ok {
            return Err(malformed(
                "Syntax errors in policy: Condition must map operators to objects of key/value pairs",
            ));
        }
    }
    Ok(())
}

/// The value of `a` or `b` when exactly one of the two is present.
fn exactly_one<'a>(st: &'a Map<String, Value>, a: &str, b: &str) -> Option<&'a Value> {
    match (st.get(a), st.get(b)) {
        (Some(v), None) | (None, Some(v)) => Some(v),
        _ => None,
    }
}

/// A string or an array of strings, as a list; `None` for anything else.
pub fn string_list(value: &Value) -> Option<Vec<String>> {
    match value {
        Value::String(s) => Some(vec![s.clone()]),
        Value::Array(items) => items
            .iter()
            .map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PUBLISH: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"codeartifact:*","Resource":"*"}]}"#;

    #[test]
    fn accepts_identity_and_trust_policies() {
        assert!(validate(PUBLISH, DocKind::Identity).is_ok());
        let trust = r#"{"Statement":{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::1:oidc-provider/x"},"Action":"sts:AssumeRoleWithWebIdentity"}}"#;
        assert!(validate(trust, DocKind::Trust).is_ok());
        assert_eq!(
            validate(trust, DocKind::Identity)
                .expect_err("must fail")
                .message,
            "Policy document should not specify a principal."
        );
        assert_eq!(
            validate(PUBLISH, DocKind::Trust)
                .expect_err("must fail")
                .message,
            "Missing required field Principal"
        );
    }

    #[test]
    fn rejects_malformed_documents_with_a_reason() {
        for (doc, needle) in [
            ("not json", "invalid Json"),
            ("[]", "JSON object"),
            (r#"{"Version":"2012-10-17"}"#, "missing Statement"),
            (r#"{"Statement":[]}"#, "empty"),
            (r#"{"Statement":"x"}"#, "object or an array"),
            (
                r#"{"Statement":{"Action":"s3:*","Resource":"*"}}"#,
                "Effect",
            ),
            (
                r#"{"Statement":{"Effect":"allow","Action":"s3:*","Resource":"*"}}"#,
                "Invalid effect",
            ),
            (
                r#"{"Statement":{"Effect":"Allow","Resource":"*"}}"#,
                "actions",
            ),
            (
                r#"{"Statement":{"Effect":"Allow","Action":"s3","Resource":"*"}}"#,
                "vendor",
            ),
            (
                r#"{"Statement":{"Effect":"Allow","Action":"s3:*"}}"#,
                "resources",
            ),
            (
                r#"{"Version":"2020-01-01","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"#,
                "Version",
            ),
            (
                r#"{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":"x"}}}"#,
                "Condition",
            ),
            (
                r#"{"Statement":{"Effect":"Allow","Actions":"s3:*","Resource":"*"}}"#,
                "unknown statement field",
            ),
        ] {
            let err = validate(doc, DocKind::Identity).expect_err("must fail");
            assert_eq!(err.code, "MalformedPolicyDocument", "{doc}");
            assert!(err.message.contains(needle), "{doc}: {}", err.message);
        }
        let huge = format!(
            r#"{{"Statement":{{"Effect":"Allow","Action":"s3:*","Resource":"{}"}}}}"#,
            "a".repeat(7000)
        );
        assert_eq!(
            validate(&huge, DocKind::Identity)
                .expect_err("must fail")
                .code,
            "LimitExceeded"
        );
    }
}
