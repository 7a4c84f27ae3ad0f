use serde_json::json;

use super::*;
use crate::aws::{RuleInfo, SubscriptionInfo};
use crate::checklist::rows::Verdict;

const OWNER: &str = "123456789012";
const RULE: &str = "arn:aws:events:us-east-1:123456789012:rule/cawiz-octo-org-widgets";
const TOPIC: &str = "arn:aws:sns:us-east-1:123456789012:cawiz-octo-org-widgets";

fn rule(pattern: &str, state: &str) -> RuleInfo {
    RuleInfo {
        name: "r".into(),
        arn: "arn:aws:events:us-east-1:123456789012:rule/r".into(),
        event_pattern: Some(pattern.into()),
        state: state.into(),
        description: None,
    }
}

#[test]
fn names_fit_aws_limits_and_stay_stable() {
    assert_eq!(rule_name("octo-org", "widgets"), "cawiz-octo-org-widgets");
    let long = "r".repeat(100);
    let name = rule_name("octo-org", &long);
    assert_eq!(name.len(), 64);
    assert_eq!(name, rule_name("octo-org", &long));
    assert_ne!(name, rule_name("octo-org", &"s".repeat(100)));
    assert_eq!(
        topic_name("octo-org", &long),
        format!("cawiz-octo-org-{long}")
    );
}

#[test]
fn the_pattern_names_codeartifacts_event_and_the_overview_is_recognised() {
    let p = rule_pattern("octo-org", OWNER, "widgets");
    assert_eq!(p["detail-type"], json!([DETAIL_TYPE]));
    assert_eq!(p["detail"]["packageVersionState"], json!(["Published"]));
    assert!(!uses_overview_detail_type(&p.to_string()));
    let overview = json!({"source": ["aws.codeartifact"], "detail-type": [OVERVIEW_DETAIL_TYPE]});
    assert!(uses_overview_detail_type(&overview.to_string()));
    let nested = json!({"$or": [{"detail-type": ["x", OVERVIEW_DETAIL_TYPE]}]});
    assert!(uses_overview_detail_type(&nested.to_string()));
    assert!(!uses_overview_detail_type("not json"));
    let e = published_event("octo-org", OWNER, "widgets", "us-east-1");
    for field in [
        "id",
        "account",
        "source",
        "time",
        "region",
        "resources",
        "detail-type",
    ] {
        assert!(e.get(field).is_some(), "{field}");
    }
    assert_eq!(e["detail"]["repositoryName"], "widgets");
}

#[test]
fn the_rule_row_follows_existence_state_and_the_test() {
    let good = rule(&rule_pattern("d", OWNER, "r").to_string(), "ENABLED");
    assert_eq!(rule_row("r", None, None).verdict, Verdict::Fail);
    assert_eq!(rule_row("r", Some(&good), Some(true)).verdict, Verdict::Ok);
    assert_eq!(
        rule_row("r", Some(&good), Some(false)).verdict,
        Verdict::Fail
    );
    assert!(matches!(
        rule_row("r", Some(&good), None).verdict,
        Verdict::Unknown(_)
    ));
    let off = rule(&good.event_pattern.clone().unwrap_or_default(), "DISABLED");
    assert_eq!(rule_row("r", Some(&off), Some(true)).verdict, Verdict::Fail);

    let overview = rule(
        r#"{"detail-type":["Package Version Published"]}"#,
        "ENABLED",
    );
    let rows = overview_rule_rows(&[good, overview]);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].verdict, Verdict::Fail);
    assert!(rows[0].title.contains("rule r "), "{}", rows[0].title);
    assert!(
        rows[0]
            .fix
            .as_deref()
            .is_some_and(|f| f.contains(DETAIL_TYPE))
    );
}

#[test]
fn the_topic_policy_must_let_eventbridge_publish_for_this_rule_only() {
    let narrow = json!({"Statement": [topic_statement(TOPIC, RULE, OWNER)]});
    assert_eq!(
        topic_policy_row(Some(&narrow), TOPIC, RULE, OWNER).verdict,
        Verdict::Ok
    );
    // AWS's default policy: the owner's account only, not EventBridge.
    let default = json!({"Statement": [{
        "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": ["SNS:Publish", "SNS:Subscribe"],
        "Resource": TOPIC, "Condition": {"StringEquals": {"AWS:SourceOwner": OWNER}}
    }]});
    assert_eq!(
        topic_policy_row(Some(&default), TOPIC, RULE, OWNER).verdict,
        Verdict::Fail
    );
    assert_eq!(
        topic_policy_row(None, TOPIC, RULE, OWNER).verdict,
        Verdict::Fail
    );
    let other_rule = json!({"Statement": [topic_statement(TOPIC, "arn:aws:events:us-east-1:123456789012:rule/other", OWNER)]});
    assert_eq!(
        topic_policy_row(Some(&other_rule), TOPIC, RULE, OWNER).verdict,
        Verdict::Fail
    );
    let broad = json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "sns:Publish", "Resource": TOPIC}]});
    assert_eq!(
        topic_policy_row(Some(&broad), TOPIC, RULE, OWNER).verdict,
        Verdict::Warn
    );
    let denied = json!({"Statement": [
        topic_statement(TOPIC, RULE, OWNER),
        {"Effect": "Deny", "Principal": "*", "Action": "sns:Publish", "Resource": TOPIC}
    ]});
    assert_eq!(
        topic_policy_row(Some(&denied), TOPIC, RULE, OWNER).verdict,
        Verdict::Fail
    );
}

#[test]
fn endpoints_parse_as_the_spec_lists_them() {
    assert_eq!(
        Endpoint::parse("https://hooks.example.com/x"),
        Ok(Endpoint::Http {
            protocol: "https",
            url: "https://hooks.example.com/x".into()
        })
    );
    assert_eq!(
        Endpoint::parse("http://127.0.0.1:8080/hook"),
        Ok(Endpoint::Http {
            protocol: "http",
            url: "http://127.0.0.1:8080/hook".into()
        })
    );
    assert_eq!(
        Endpoint::parse("email:team@example.com"),
        Ok(Endpoint::Email("team@example.com".into()))
    );
    assert_eq!(
        Endpoint::parse("sns:arn:aws:sns:us-east-1:123456789012:t"),
        Ok(Endpoint::Topic(
            "arn:aws:sns:us-east-1:123456789012:t".into()
        ))
    );
    for bad in [
        "http://example.com/",
        "email:nobody",
        "sns:arn:aws:sqs:us-east-1:1:q",
        "ftp://x",
        "https://",
        "\u{1b}[31m",
    ] {
        assert!(Endpoint::parse(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn subscriptions_missing_pending_and_confirmed() {
    let endpoints = [
        Endpoint::Email("a@example.com".into()),
        Endpoint::Http {
            protocol: "https",
            url: "https://h.example.com/".into(),
        },
        Endpoint::Http {
            protocol: "http",
            url: "http://127.0.0.1:9/".into(),
        },
        Endpoint::Topic("arn:aws:sns:us-east-1:123456789012:t".into()),
    ];
    let subs = [
        SubscriptionInfo {
            arn: "PendingConfirmation".into(),
            protocol: "email".into(),
            endpoint: "a@example.com".into(),
        },
        SubscriptionInfo {
            arn: format!("{TOPIC}:1"),
            protocol: "https".into(),
            endpoint: "https://h.example.com/".into(),
        },
    ];
    let rows = subscription_rows(&endpoints, &subs);
    let verdicts: Vec<&Verdict> = rows.iter().map(|r| &r.verdict).collect();
    assert_eq!(verdicts, [&Verdict::Warn, &Verdict::Ok, &Verdict::Fail]);
    assert!(
        rows[0]
            .fix
            .as_deref()
            .is_some_and(|f| f.contains("confirmation mail"))
    );
}

#[test]
fn a_runs_version_went_out_when_the_rule_matches_and_someone_confirmed() {
    let at = Version {
        domain: "octo-org",
        owner: OWNER,
        repository: "widgets",
        region: "us-east-1",
    };
    let e = version_event(&at, "widgets-cawiz-probe", "0.0.7.1");
    assert_eq!(e["detail"]["packageVersion"], "0.0.7.1");
    assert_eq!(e["detail"]["packageName"], "widgets-cawiz-probe");
    assert_eq!(e["detail-type"], DETAIL_TYPE);
    let good = rule(
        &rule_pattern("octo-org", OWNER, "widgets").to_string(),
        "ENABLED",
    );
    let confirmed = SubscriptionInfo {
        arn: format!("{TOPIC}:1"),
        protocol: "https".into(),
        endpoint: "https://h.example.com/".into(),
    };
    let pending = SubscriptionInfo {
        arn: "PendingConfirmation".into(),
        protocol: "email".into(),
        endpoint: "a@example.com".into(),
    };
    let verdicts = |rows: Vec<crate::checklist::rows::Row>| {
        rows.into_iter().map(|r| r.verdict).collect::<Vec<_>>()
    };
    let subs = [confirmed, pending.clone()];
    assert_eq!(
        verdicts(run_rows(
            "r",
            Some(&good),
            Some(true),
            "p 1",
            Some(&subs),
            0
        )),
        [Verdict::Ok, Verdict::Ok]
    );
    assert_eq!(
        verdicts(run_rows(
            "r",
            Some(&good),
            Some(true),
            "p 1",
            Some(&[pending]),
            0
        )),
        [Verdict::Ok, Verdict::Warn],
        "only pending: nobody received it"
    );
    assert_eq!(
        verdicts(run_rows(
            "r",
            Some(&good),
            Some(false),
            "p 1",
            Some(&subs),
            0
        )),
        [Verdict::Fail]
    );
    assert_eq!(
        verdicts(run_rows("r", None, None, "p 1", None, 0)),
        [Verdict::Fail]
    );
    let off = rule(&good.event_pattern.clone().unwrap_or_default(), "DISABLED");
    assert_eq!(
        verdicts(run_rows("r", Some(&off), Some(true), "p 1", Some(&subs), 0)),
        [Verdict::Fail]
    );
    assert_eq!(
        verdicts(run_rows("r", Some(&good), Some(true), "p 1", None, 1)),
        [Verdict::Ok, Verdict::Ok],
        "a given topic: sent to it"
    );
}
