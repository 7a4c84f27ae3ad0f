#![allow(clippy::unwrap_used)]

use super::*;

fn call(world: &mut World, action: &str, pairs: &[(&str, &str)]) -> ApiResult<Answer> {
    let params = Params(
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
    );
    let cx = Ctx {
        params: &params,
        region: "us-east-1",
        base_url: "http://127.0.0.1:9",
    };
    dispatch(world, action, &cx)
}

fn leaf<'x>(xs: &'x [X], name: &str) -> Option<&'x str> {
    xs.iter().find_map(|x| match x {
        X::Leaf(n, v) if n == name => Some(v.as_str()),
        _ => None,
    })
}

const ARN: &str = "arn:aws:sns:us-east-1:123456789012:releases";

#[test]
fn topics_subscriptions_and_confirmation() {
    let mut w = World::new("123456789012");
    let (out, _) = call(&mut w, "CreateTopic", &[("Name", "releases")]).unwrap();
    assert_eq!(leaf(&out, "TopicArn"), Some(ARN));
    // Creating it again answers the same ARN.
    let (again, _) = call(&mut w, "CreateTopic", &[("Name", "releases")]).unwrap();
    assert_eq!(leaf(&again, "TopicArn"), Some(ARN));
    let policy = w
        .sns
        .topics
        .get(ARN)
        .unwrap()
        .attributes
        .get("Policy")
        .cloned()
        .unwrap();
    assert!(policy.contains("__default_policy_ID") && policy.contains("AWS:SourceOwner"));

    let (sub, sent) = call(
        &mut w,
        "Subscribe",
        &[
            ("TopicArn", ARN),
            ("Protocol", "http"),
            ("Endpoint", "http://127.0.0.1:8/hook"),
        ],
    )
    .unwrap();
    assert_eq!(leaf(&sub, "SubscriptionArn"), Some("pending confirmation"));
    let [confirmation] = sent.as_slice() else {
        panic!("{sent:?}")
    };
    let body: serde_json::Value = serde_json::from_str(&confirmation.body).unwrap();
    assert_eq!(body["Type"], "SubscriptionConfirmation");
    assert_eq!(body["TopicArn"], ARN);
    assert_eq!(body["SignatureVersion"], "2");
    let url = body["SubscribeURL"].as_str().unwrap();
    assert!(
        url.starts_with("http://127.0.0.1:9/?Action=ConfirmSubscription&TopicArn="),
        "{url}"
    );
    let token = body["Token"].as_str().unwrap().to_owned();

    // Published before confirmation: nothing is sent.
    let (_, none) = call(&mut w, "Publish", &[("TopicArn", ARN), ("Message", "hi")]).unwrap();
    assert!(none.is_empty());
    let err = call(
        &mut w,
        "ConfirmSubscription",
        &[("TopicArn", ARN), ("Token", "nope")],
    )
    .unwrap_err();
    assert_eq!(err.code, "InvalidParameter");
    let (confirmed, _) = call(
        &mut w,
        "ConfirmSubscription",
        &[("TopicArn", ARN), ("Token", &token)],
    )
    .unwrap();
    let sub_arn = leaf(&confirmed, "SubscriptionArn").unwrap().to_owned();
    assert!(sub_arn.starts_with(&format!("{ARN}:")), "{sub_arn}");

    let (_, sent) = call(
        &mut w,
        "Publish",
        &[("TopicArn", ARN), ("Message", "hi"), ("Subject", "s")],
    )
    .unwrap();
    let [note] = sent.as_slice() else {
        panic!("{sent:?}")
    };
    let body: serde_json::Value = serde_json::from_str(&note.body).unwrap();
    assert_eq!(
        (
            body["Type"].as_str(),
            body["Message"].as_str(),
            body["Subject"].as_str()
        ),
        (Some("Notification"), Some("hi"), Some("s"))
    );
    assert!(
        note.headers
            .contains(&("x-amz-sns-subscription-arn", sub_arn.clone()))
    );

    call(&mut w, "Unsubscribe", &[("SubscriptionArn", &sub_arn)]).unwrap();
    let err = call(&mut w, "Unsubscribe", &[("SubscriptionArn", &sub_arn)]).unwrap_err();
    assert_eq!((err.code.as_str(), err.status.as_u16()), ("NotFound", 404));
    call(&mut w, "DeleteTopic", &[("TopicArn", ARN)]).unwrap();
    call(&mut w, "DeleteTopic", &[("TopicArn", ARN)]).unwrap();
    let err = call(&mut w, "GetTopicAttributes", &[("TopicArn", ARN)]).unwrap_err();
    assert_eq!(err.code, "NotFound");
}

#[test]
fn endpoints_must_match_their_protocol_and_be_on_loopback() {
    let mut w = World::new("123456789012");
    call(&mut w, "CreateTopic", &[("Name", "releases")]).unwrap();
    for (protocol, endpoint) in [
        ("http", "https://127.0.0.1/"),
        ("http", "http://example.com/"),
        ("sqs", "arn:aws:sqs:us-east-1:123456789012:q"),
        ("email", "nobody"),
    ] {
        let err = call(
            &mut w,
            "Subscribe",
            &[
                ("TopicArn", ARN),
                ("Protocol", protocol),
                ("Endpoint", endpoint),
            ],
        )
        .unwrap_err();
        assert_eq!(err.code, "InvalidParameter", "{protocol} {endpoint}");
    }
    // Email stays pending: the sandbox sends no mail.
    let (_, sent) = call(
        &mut w,
        "Subscribe",
        &[
            ("TopicArn", ARN),
            ("Protocol", "email"),
            ("Endpoint", "a@example.com"),
        ],
    )
    .unwrap();
    assert!(sent.is_empty());
    assert!(call(&mut w, "CreateTopic", &[("Name", "bad name")]).is_err());
    let err = call(
        &mut w,
        "SetTopicAttributes",
        &[
            ("TopicArn", ARN),
            ("AttributeName", "Policy"),
            ("AttributeValue", "{"),
        ],
    )
    .unwrap_err();
    assert_eq!(err.code, "InvalidParameter");
}

#[test]
fn eventbridge_publishes_only_as_the_topic_policy_allows() {
    let mut w = World::new("123456789012");
    call(&mut w, "CreateTopic", &[("Name", "releases")]).unwrap();
    let rule = "arn:aws:events:us-east-1:123456789012:rule/published";
    // The default policy does not let EventBridge publish.
    let err = publish_as_service(&w, "http://127.0.0.1:9", ARN, "{}", rule).unwrap_err();
    assert!(err.contains("does not allow events.amazonaws.com"), "{err}");
    let policy = serde_json::json!({"Statement": [{
        "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
        "Action": "sns:Publish", "Resource": ARN,
        "Condition": {"ArnEquals": {"aws:SourceArn": rule}}
    }]})
    .to_string();
    call(
        &mut w,
        "SetTopicAttributes",
        &[
            ("TopicArn", ARN),
            ("AttributeName", "Policy"),
            ("AttributeValue", &policy),
        ],
    )
    .unwrap();
    assert!(publish_as_service(&w, "http://127.0.0.1:9", ARN, "{}", rule).is_ok());
    // Another rule is not the one the policy names.
    let other = "arn:aws:events:us-east-1:123456789012:rule/other";
    assert!(publish_as_service(&w, "http://127.0.0.1:9", ARN, "{}", other).is_err());
    assert!(
        publish_as_service(
            &w,
            "http://127.0.0.1:9",
            "arn:aws:sns:us-east-1:123456789012:none",
            "{}",
            rule
        )
        .is_err()
    );
}
