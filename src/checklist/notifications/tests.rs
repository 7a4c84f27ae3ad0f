use serde_json::json;

use super::*;
use crate::aws::{Clients, RuleInfo, SubscriptionInfo, TargetInfo};
use crate::checklist::Action;
use crate::checklist::rows::Verdict;
use crate::notify::{target_id, topic_statement};

const ACCOUNT: &str = "123456789012";
const RULE_ARN: &str = "arn:aws:events:us-east-1:123456789012:rule/cawiz-octo-org-widgets";
const TOPIC: &str = "arn:aws:sns:us-east-1:123456789012:cawiz-octo-org-widgets";
const GIVEN: &str = "arn:aws:sns:us-east-1:123456789012:team-releases";
const HOOK: &str = "https://hooks.example.com/x";

fn ctx(notify: &[&str]) -> Context {
    let mut setup = crate::setup::Setup::for_github("octo-org", "widgets");
    setup.notify = notify.iter().map(|s| (*s).to_owned()).collect();
    Context {
        clients: Clients::with_static_keys("http://127.0.0.1:9", "us-east-1", "AKID", "secret"),
        setup,
        account: ACCOUNT.to_owned(),
        caller_arn: format!("arn:aws:iam::{ACCOUNT}:user/dev"),
        github: crate::github::GithubClient::new("http://127.0.0.1:9", None).expect("client"),
        local_test: None,
        local_test_config: crate::localtest::Options::default(),
        read_only: false,
        created: Vec::new(),
        workflow: crate::checklist::workflow::WorkflowSettings::default(),
        setup_changed_at: None,
        known: crate::state::Known::default(),
        learned: crate::checklist::learned::Learned::new(&crate::state::Known::default(), ACCOUNT),
    }
}

/// Nothing of the item exists yet.
fn nothing(ctx: &Context) -> Facts {
    Facts {
        rule_name: "cawiz-octo-org-widgets".to_owned(),
        rule_arn: RULE_ARN.to_owned(),
        rule: None,
        matched: None,
        targets: Vec::new(),
        rules: Vec::new(),
        topics: topic_arns(ctx, &endpoints(ctx))
            .into_iter()
            .map(|(arn, ours)| TopicFacts {
                arn,
                ours,
                exists: false,
                policy: None,
                subscriptions: Vec::new(),
            })
            .collect(),
        endpoints: endpoints(ctx),
    }
}

/// SNS's default policy for a topic (no statement for EventBridge).
fn default_policy(topic: &str) -> serde_json::Value {
    json!({"Version": "2008-10-17", "Id": "__default_policy_ID", "Statement": [{
        "Sid": "__default_statement_ID", "Effect": "Allow", "Principal": {"AWS": "*"},
        "Action": ["SNS:Publish", "SNS:Subscribe"], "Resource": topic,
        "Condition": {"StringEquals": {"AWS:SourceOwner": ACCOUNT}}
    }]})
}

/// Everything applied; `email` pending confirmation, the hook confirmed.
fn applied(ctx: &Context) -> Facts {
    let mut facts = nothing(ctx);
    facts.rule = Some(RuleInfo {
        name: facts.rule_name.clone(),
        arn: RULE_ARN.to_owned(),
        event_pattern: Some(pattern(ctx).to_string()),
        state: "ENABLED".to_owned(),
        description: None,
    });
    facts.matched = Some(true);
    for topic in &mut facts.topics {
        let ours = json!({"Statement": [topic_statement(&topic.arn, RULE_ARN, ACCOUNT)]});
        topic.exists = true;
        topic.policy = Some(ours);
        facts.targets.push(TargetInfo {
            id: target_id(&topic.arn),
            arn: topic.arn.clone(),
        });
        if topic.ours {
            topic.subscriptions = vec![
                SubscriptionInfo {
                    arn: format!("{TOPIC}:1"),
                    protocol: "https".to_owned(),
                    endpoint: HOOK.to_owned(),
                },
                SubscriptionInfo {
                    arn: "PendingConfirmation".to_owned(),
                    protocol: "email".to_owned(),
                    endpoint: "team@example.com".to_owned(),
                },
            ];
        }
    }
    facts
}

fn steps(report: &crate::checklist::Report) -> Vec<&NotifyAction> {
    report
        .actions
        .iter()
        .filter_map(|a| match a {
            Action::Notify(n) => Some(n),
            _ => None,
        })
        .collect()
}

#[test]
fn nothing_yet_is_missing_and_planned_in_apis_order() {
    let ctx = ctx(&[HOOK, "email:team@example.com"]);
    let report = assess(&ctx, &nothing(&ctx));
    assert_eq!(report.status.kind(), "missing");
    let kinds: Vec<&str> = steps(&report)
        .iter()
        .map(|a| match a {
            NotifyAction::PutRule { new: true, .. } => "put-rule",
            NotifyAction::CreateTopic { .. } => "create-topic",
            NotifyAction::SetTopicPolicy { .. } => "set-topic-attributes",
            NotifyAction::Subscribe { .. } => "subscribe",
            NotifyAction::PutTarget { .. } => "put-targets",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "put-rule",
            "create-topic",
            "set-topic-attributes",
            "subscribe",
            "subscribe",
            "put-targets"
        ]
    );
    let commands: Vec<String> = report
        .steps("us-east-1")
        .into_iter()
        .map(|s| s.command)
        .collect();
    assert!(commands[0].starts_with("aws events put-rule --name cawiz-octo-org-widgets"));
    assert!(commands[0].contains("CodeArtifact Package Version State Change"));
    assert!(commands[5].contains("Id=cawiz-"), "{}", commands[5]);
}

#[test]
fn applied_with_an_email_pending_is_done_with_a_warning_and_no_steps() {
    let ctx = ctx(&[HOOK, "email:team@example.com"]);
    let report = assess(&ctx, &applied(&ctx));
    assert_eq!(report.status.kind(), "done", "{:?}", report.status);
    assert!(report.actions.is_empty());
    let warned: Vec<&str> = report
        .details
        .rows
        .iter()
        .filter(|r| r.verdict == Verdict::Warn)
        .map(|r| r.title.as_str())
        .collect();
    assert_eq!(warned, ["email team@example.com subscribed"]);
}

#[test]
fn a_rule_that_does_not_match_is_put_again_not_recorded_as_created() {
    let ctx = ctx(&[HOOK]);
    let mut facts = applied(&ctx);
    facts.matched = Some(false);
    let report = assess(&ctx, &facts);
    assert_eq!(report.status.kind(), "drift");
    let steps = steps(&report);
    assert!(
        matches!(steps.as_slice(), [NotifyAction::PutRule { new: false, .. }]),
        "{steps:?}"
    );
    assert_eq!(steps[0].creates(), None);
}

#[test]
fn a_given_topic_is_targeted_with_cawizs_statement_merged_in() {
    let ctx = ctx(&[&format!("sns:{GIVEN}")]);
    let mut facts = nothing(&ctx);
    assert_eq!(
        facts.topics.len(),
        1,
        "no topic of cawiz's without a subscription"
    );
    facts.topics[0].exists = true;
    facts.topics[0].policy = Some(default_policy(GIVEN));
    let report = assess(&ctx, &facts);
    let steps = steps(&report);
    assert!(!steps.iter().any(|a| matches!(
        a,
        NotifyAction::CreateTopic { .. } | NotifyAction::Subscribe { .. }
    )));
    let policy = steps
        .iter()
        .find_map(|a| match a {
            NotifyAction::SetTopicPolicy { policy, .. } => Some(policy),
            _ => None,
        })
        .expect("the policy step");
    assert_eq!(policy["Id"], "__default_policy_ID", "the Id kept");
    let sids: Vec<&str> = policy["Statement"]
        .as_array()
        .expect("statements")
        .iter()
        .filter_map(|s| s["Sid"].as_str())
        .collect();
    assert_eq!(sids, ["__default_statement_ID", "cawizEventBridgePublish"]);
    assert!(
        steps
            .iter()
            .any(|a| matches!(a, NotifyAction::PutTarget { topic_arn, .. } if topic_arn == GIVEN))
    );
}

#[test]
fn a_missing_given_topic_is_the_users_to_fix() {
    let ctx = ctx(&[&format!("sns:{GIVEN}")]);
    let report = assess(&ctx, &nothing(&ctx));
    let topic_row = report
        .details
        .rows
        .iter()
        .find(|r| r.id == "notify-topic")
        .expect("the topic row");
    assert_eq!(topic_row.verdict, Verdict::Fail);
    assert_eq!(
        topic_row.fix_item, None,
        "apply does not create someone's topic"
    );
    assert!(!steps(&report).iter().any(|a| matches!(
        a,
        NotifyAction::SetTopicPolicy { .. } | NotifyAction::PutTarget { .. }
    )));
}

#[test]
fn the_overviews_rule_gets_a_fix_for_its_owner() {
    let ctx = ctx(&[HOOK]);
    let mut facts = applied(&ctx);
    facts.rules.push(RuleInfo {
        name: "legacy".to_owned(),
        arn: "arn:aws:events:us-east-1:123456789012:rule/legacy".to_owned(),
        event_pattern: Some(
            r#"{"source":["aws.codeartifact"],"detail-type":["Package Version Published"]}"#
                .to_owned(),
        ),
        state: "ENABLED".to_owned(),
        description: None,
    });
    let report = assess(&ctx, &facts);
    assert_eq!(report.status.kind(), "drift");
    let steps = steps(&report);
    let [NotifyAction::FixOverviewRule { name, pattern }] = steps.as_slice() else {
        panic!("{steps:?}");
    };
    assert_eq!(name, "legacy");
    assert_eq!(
        pattern["detail-type"],
        json!(["CodeArtifact Package Version State Change"])
    );
    assert_eq!(
        pattern["detail"]["packageVersionState"],
        json!(["Published"])
    );
    assert!(steps[0].is_manual());
}
