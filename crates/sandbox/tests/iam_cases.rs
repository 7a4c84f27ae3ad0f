//! The table of IAM cases (`tests/iam_cases.json` at the workspace root) run through the sandbox's
//! enforcement — STS's trust evaluation and CodeArtifact's resource policies —; the product's
//! evaluator runs the same table (`src/policy/cases_tests.rs`).

use cawiz_sandbox::iam_cases::{Decision, consumer_decision, resource_decision, trust_allows};
use serde_json::{Map, Value, json};

fn table() -> Value {
    serde_json::from_str(include_str!("../../../tests/iam_cases.json")).expect("the table is JSON")
}

fn document(t: &Value, case: &Value) -> String {
    let text = case["statements"]
        .to_string()
        .replace("PROVIDER", t["provider"].as_str().unwrap_or_default())
        .replace("\"ROLE\"", &t["session"]["role_arn"].to_string())
        .replace("\"SESSION\"", &t["session"]["session_arn"].to_string());
    json!({"Version": "2012-10-17", "Statement": serde_json::from_str::<Value>(&text).expect("statements")})
        .to_string()
}

#[test]
fn trust_cases() {
    let t = table();
    let provider = t["provider"].as_str().expect("provider");
    for case in t["trust"].as_array().expect("trust cases") {
        let mut claims: Map<String, Value> = case["claims"].as_object().expect("claims").clone();
        claims.insert("aud".to_owned(), json!("sts.amazonaws.com"));
        let allowed = trust_allows(&document(&t, case), provider, &claims);
        assert_eq!(allowed, case["expect"] == "allow", "{}", case["name"]);
    }
}

#[test]
fn resource_cases() {
    let t = table();
    let s = &t["session"];
    let field = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    for case in t["resource"].as_array().expect("resource cases") {
        let decision = resource_decision(
            &document(&t, case),
            &field(&s["account"]),
            &field(&s["role_arn"]),
            &field(&s["session_arn"]),
            &field(&t["resource_request"]["action"]),
            &field(&t["resource_request"]["resource"]),
        );
        let decided = match decision {
            Decision::Allowed => "allow",
            Decision::ExplicitDeny => "explicit-deny",
            Decision::ImplicitDeny => "implicit-deny",
        };
        assert_eq!(Some(decided), case["expect"].as_str(), "{}", case["name"]);
    }
}

#[test]
fn consumer_cases() {
    let t = table();
    let field = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let cases = t["consumer_cases"].as_array().expect("consumer cases");
    assert!(cases.len() >= 10);
    for case in cases {
        let decision = consumer_decision(
            &document(&t, case),
            &field(&t["consumer"]["account"]),
            &field(&t["consumer_request"]["action"]),
            &field(&t["consumer_request"]["resource"]),
        );
        let decided = match decision {
            Decision::Allowed => "allow",
            Decision::ExplicitDeny => "explicit-deny",
            Decision::ImplicitDeny => "implicit-deny",
        };
        assert_eq!(Some(decided), case["expect"].as_str(), "{}", case["name"]);
    }
}
