#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};

use super::*;

fn call(world: &mut World, op: &str, body: Value) -> ApiResult<Value> {
    let cx = Ctx {
        body,
        region: "us-east-1",
    };
    dispatch(world, op, &cx)
}

const PATTERN: &str = r#"{"source":["aws.codeartifact"],"detail-type":["CodeArtifact Package Version State Change"]}"#;

#[test]
fn rules_are_put_described_listed_and_deleted() {
    let mut w = World::new("123456789012");
    let out = call(
        &mut w,
        "PutRule",
        json!({"Name": "published", "EventPattern": PATTERN}),
    )
    .unwrap();
    assert_eq!(
        out["RuleArn"],
        "arn:aws:events:us-east-1:123456789012:rule/published"
    );
    let d = call(&mut w, "DescribeRule", json!({"Name": "published"})).unwrap();
    assert_eq!(d["State"], "ENABLED");
    assert_eq!(d["EventBusName"], "default");
    assert_eq!(d["EventPattern"], PATTERN);
    call(
        &mut w,
        "PutRule",
        json!({"Name": "other", "EventPattern": PATTERN, "State": "DISABLED"}),
    )
    .unwrap();
    let l = call(&mut w, "ListRules", json!({"NamePrefix": "pub"})).unwrap();
    assert_eq!(l["Rules"].as_array().map(Vec::len), Some(1));
    let l = call(&mut w, "ListRules", json!({"Limit": 1})).unwrap();
    assert_eq!(l["NextToken"], "1");
    let l = call(&mut w, "ListRules", json!({"Limit": 1, "NextToken": "1"})).unwrap();
    assert_eq!(l["Rules"][0]["Name"], "published");
    assert!(l.get("NextToken").is_none());

    let target = json!({"Rule": "published", "Targets": [{"Id": "topic", "Arn": "arn:aws:sns:us-east-1:123456789012:t"}]});
    call(&mut w, "PutTargets", target).unwrap();
    let err = call(&mut w, "DeleteRule", json!({"Name": "published"})).unwrap_err();
    assert_eq!(err.code, "ValidationException");
    let t = call(&mut w, "ListTargetsByRule", json!({"Rule": "published"})).unwrap();
    assert_eq!(t["Targets"][0]["Id"], "topic");
    call(
        &mut w,
        "RemoveTargets",
        json!({"Rule": "published", "Ids": ["topic"]}),
    )
    .unwrap();
    call(&mut w, "DeleteRule", json!({"Name": "published"})).unwrap();
    // Deleting it again succeeds, as the API reference says.
    call(&mut w, "DeleteRule", json!({"Name": "published"})).unwrap();
    let err = call(&mut w, "DescribeRule", json!({"Name": "published"})).unwrap_err();
    assert_eq!(
        (err.code.as_str(), err.message.as_str(), err.status.as_u16()),
        (
            "ResourceNotFoundException",
            "Rule published does not exist on EventBus default.",
            400
        )
    );
}

#[test]
fn bad_input_is_refused_as_eventbridge_does() {
    let mut w = World::new("123456789012");
    let cases = [
        ("PutRule", json!({"Name": "x"}), "ValidationException"),
        (
            "PutRule",
            json!({"Name": "bad name", "EventPattern": PATTERN}),
            "ValidationException",
        ),
        (
            "PutRule",
            json!({"Name": "x", "EventPattern": "{\"source\": \"aws.codeartifact\"}"}),
            "InvalidEventPatternException",
        ),
        (
            "PutRule",
            json!({"Name": "x", "EventPattern": "not json"}),
            "InvalidEventPatternException",
        ),
        (
            "PutRule",
            json!({"Name": "x", "EventPattern": PATTERN, "EventBusName": "custom"}),
            "ResourceNotFoundException",
        ),
        (
            "PutTargets",
            json!({"Rule": "none", "Targets": [{"Id": "a", "Arn": "b"}]}),
            "ResourceNotFoundException",
        ),
        (
            "TestEventPattern",
            json!({"EventPattern": PATTERN, "Event": "{\"source\": \"aws.codeartifact\"}"}),
            "ValidationException",
        ),
    ];
    for (op, body, code) in cases {
        let err = call(&mut w, op, body.clone()).unwrap_err();
        assert_eq!(err.code, code, "{op} {body}");
    }
    call(&mut w, "PutRule", json!({"Name": "x", "EventPattern": PATTERN, "EventBusName": "arn:aws:events:us-east-1:123456789012:event-bus/default"})).unwrap();
    let six: Vec<Value> = (0..6)
        .map(|i| json!({"Id": format!("t{i}"), "Arn": "arn:aws:sns:us-east-1:123456789012:t"}))
        .collect();
    let err = call(&mut w, "PutTargets", json!({"Rule": "x", "Targets": six})).unwrap_err();
    assert_eq!(err.code, "LimitExceededException");
}

#[test]
fn test_event_pattern_matches_codeartifacts_event_not_the_overviews_pattern() {
    let mut w = World::new("123456789012");
    let event = json!({
        "version": "0", "id": "1", "detail-type": "CodeArtifact Package Version State Change",
        "source": "aws.codeartifact", "account": "123456789012", "time": "2026-01-01T00:00:00Z",
        "region": "us-east-1", "resources": [], "detail": {"packageVersionState": "Published"}
    })
    .to_string();
    let out = call(
        &mut w,
        "TestEventPattern",
        json!({"EventPattern": PATTERN, "Event": event}),
    )
    .unwrap();
    assert_eq!(out["Result"], true);
    let overview = r#"{"source":["aws.codeartifact"],"detail-type":["Package Version Published"]}"#;
    let out = call(
        &mut w,
        "TestEventPattern",
        json!({"EventPattern": overview, "Event": event}),
    )
    .unwrap();
    assert_eq!(out["Result"], false);
}
