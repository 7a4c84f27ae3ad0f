//! The table of IAM cases (`tests/iam_cases.json`) run through the product's evaluator; the
//! sandbox's enforcement runs the same table (`crates/sandbox/tests/iam_cases.rs`).

use serde_json::{Value, json};

use super::eval::{Caller, Request, evaluate};
use super::trust::claims_request;
use super::{Principal, ResourceDecision, Tri, resource_policy_decision};

fn table() -> Value {
    serde_json::from_str(include_str!("../../tests/iam_cases.json")).expect("the table is JSON")
}

/// A case's statements as a document, with PROVIDER, ROLE and SESSION filled in.
fn document(t: &Value, case: &Value) -> Value {
    let text = case["statements"]
        .to_string()
        .replace("PROVIDER", t["provider"].as_str().unwrap_or_default())
        .replace("\"ROLE\"", &t["session"]["role_arn"].to_string())
        .replace("\"SESSION\"", &t["session"]["session_arn"].to_string());
    json!({"Version": "2012-10-17", "Statement": serde_json::from_str::<Value>(&text).expect("statements")})
}

#[test]
fn trust_cases() {
    let t = table();
    let provider = t["provider"].as_str().expect("provider");
    let cases = t["trust"].as_array().expect("trust cases");
    assert!(cases.len() >= 20);
    for case in cases {
        let claims: Vec<(String, String)> = case["claims"]
            .as_object()
            .expect("claims")
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
            .chain([("aud".to_owned(), "sts.amazonaws.com".to_owned())])
            .collect();
        let decided = evaluate(&document(&t, case), &claims_request(provider, &claims)).allowed;
        let expected = match case["expect"].as_str() {
            Some("allow") => Tri::Yes,
            _ => Tri::No,
        };
        assert_eq!(decided, expected, "{}", case["name"]);
    }
}

#[test]
fn resource_cases() {
    let t = table();
    let s = &t["session"];
    let principal = Principal {
        role_arn: s["role_arn"].as_str().unwrap_or_default().to_owned(),
        account: s["account"].as_str().unwrap_or_default().to_owned(),
        session: s["session"].as_str().map(str::to_owned),
    };
    let action = t["resource_request"]["action"].as_str().unwrap_or_default();
    let resource = t["resource_request"]["resource"]
        .as_str()
        .unwrap_or_default();
    for case in t["resource"].as_array().expect("resource cases") {
        let decided =
            match resource_policy_decision(&document(&t, case), &principal, action, resource) {
                ResourceDecision::ExplicitDeny { .. } => "explicit-deny",
                ResourceDecision::Allow { .. } => "allow",
                ResourceDecision::NotMentioned => "implicit-deny",
                ResourceDecision::ConditionalDeny { statement } => {
                    panic!("{}: undecided ({statement})", case["name"])
                }
            };
        assert_eq!(Some(decided), case["expect"].as_str(), "{}", case["name"]);
    }
}

#[test]
fn consumer_cases() {
    let t = table();
    let account = t["consumer"]["account"].as_str().unwrap_or_default();
    let request = Request {
        caller: Caller::Account {
            account: Some(account.to_owned()),
        },
        action: t["consumer_request"]["action"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        resource: t["consumer_request"]["resource"]
            .as_str()
            .map(str::to_owned),
        keys: vec![(
            "aws:PrincipalAccount".to_owned(),
            super::eval::Claim::Literal(account.to_owned()),
        )],
    };
    let cases = t["consumer_cases"].as_array().expect("consumer cases");
    assert!(cases.len() >= 10);
    for case in cases {
        let eval = evaluate(&document(&t, case), &request);
        let denied = eval
            .statements
            .iter()
            .filter(|s| s.effect == super::eval::Effect::Deny)
            .map(|s| s.applies());
        let decided = match (Tri::any(denied), &eval.allowed) {
            (Tri::Yes, _) => "explicit-deny",
            (Tri::No, Tri::Yes) => "allow",
            (Tri::No, Tri::No) => "implicit-deny",
            (d, a) => panic!("{}: undecided ({d:?}, {a:?})", case["name"]),
        };
        assert_eq!(Some(decided), case["expect"].as_str(), "{}", case["name"]);
    }
}

#[test]
fn the_caller_kind_matters() {
    // A web identity is never an AWS principal, a session never a Federated one.
    let doc = json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "*"}]});
    let request = Request {
        caller: Caller::WebIdentity {
            provider: "arn:aws:iam::1:oidc-provider/x".to_owned(),
        },
        action: "sts:AssumeRoleWithWebIdentity".to_owned(),
        resource: None,
        keys: Vec::new(),
    };
    assert_eq!(evaluate(&doc, &request).allowed, Tri::No);
}
