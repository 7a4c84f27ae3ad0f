//! The notifications item's rows, status and plan from what the check read (pure).

use crate::consumers::merge_cawiz_statements;
use crate::notify::{
    RowId, overview_rule_rows, rule_row, subscription_rows, target_id, topic_policy_row,
    topic_statement, uses_overview_detail_type,
};

use super::super::rows::{Row, Verdict};
use super::super::{Action, Context, ItemId, Report, Status};
use super::{Facts, NotifyAction, TopicFacts, fixed_overview_pattern, pattern, with_id_of};

/// The topic exists (a given topic that does not is the user's to fix: cawiz creates only its own).
pub fn topic_row(topic: &TopicFacts) -> Row {
    let title = format!("SNS topic {}", topic.arn);
    let row = |verdict| Row::new(RowId::Topic.key(), title.clone(), verdict);
    match (topic.exists, topic.ours) {
        (true, _) => row(Verdict::Ok).evidence(format!("GetTopicAttributes {}: found", topic.arn)),
        (false, true) => row(Verdict::Fail)
            .evidence(format!("GetTopicAttributes {}: NotFound", topic.arn))
            .fix("create it (apply)", Some(ItemId::Notifications)),
        (false, false) => row(Verdict::Fail)
            .evidence(format!("GetTopicAttributes {}: NotFound", topic.arn))
            .fix(
                "the topic given as sns:ARN does not exist (or is in another region or account \
                 you cannot read): check the ARN, or create it",
                None,
            ),
    }
}

/// The rule delivers to the topic.
pub fn target_row(rule: &str, targets: &[crate::aws::TargetInfo], topic_arn: &str) -> Row {
    let title = format!("rule {rule} delivers to {topic_arn}");
    match targets.iter().find(|t| t.arn == topic_arn) {
        Some(t) => Row::new(RowId::Target.key(), title, Verdict::Ok)
            .evidence(format!("ListTargetsByRule: target {} → {}", t.id, t.arn)),
        None => Row::new(RowId::Target.key(), title, Verdict::Fail)
            .evidence(format!(
                "ListTargetsByRule {rule}: {}",
                if targets.is_empty() {
                    "no targets".to_owned()
                } else {
                    targets
                        .iter()
                        .map(|t| t.arn.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            ))
            .fix(
                "add it (aws events put-targets)",
                Some(ItemId::Notifications),
            ),
    }
}

fn failing(row: &Row) -> bool {
    row.verdict == Verdict::Fail
}

/// Every row, in the order the screen lists them.
pub fn rows(ctx: &Context, facts: &Facts) -> Vec<Row> {
    let mut rows = vec![rule_row(
        &facts.rule_name,
        facts.rule.as_ref(),
        facts.matched,
    )];
    for topic in &facts.topics {
        rows.push(topic_row(topic));
        if topic.exists {
            rows.push(topic_policy_row(
                topic.policy.as_ref(),
                &topic.arn,
                &facts.rule_arn,
                &ctx.account,
            ));
        }
        if topic.exists || topic.ours {
            rows.push(target_row(&facts.rule_name, &facts.targets, &topic.arn));
        }
        if topic.ours {
            rows.extend(subscription_rows(&facts.endpoints, &topic.subscriptions));
        }
    }
    let others: Vec<_> = facts
        .rules
        .iter()
        .filter(|r| r.name != facts.rule_name)
        .cloned()
        .collect();
    rows.extend(overview_rule_rows(&others));
    // What apply fixes (the judging functions leave the item to the caller): not a given topic
    // that does not exist, nor another's rule.
    let applied = [RowId::Rule, RowId::TopicPolicy, RowId::Subscription].map(RowId::key);
    for row in &mut rows {
        if row.fix.is_some() && applied.contains(&row.id.as_str()) {
            row.fix_item = Some(ItemId::Notifications);
        }
    }
    rows
}

/// PutRule, unless the rule is enabled and matches CodeArtifact's event.
fn rule_step(ctx: &Context, facts: &Facts) -> Option<NotifyAction> {
    let ok =
        facts.rule.as_ref().is_some_and(|r| r.state == "ENABLED") && facts.matched == Some(true);
    (!ok).then(|| NotifyAction::PutRule {
        name: facts.rule_name.clone(),
        pattern: pattern(ctx),
        new: facts.rule.is_none(),
    })
}

/// CreateTopic for cawiz's topic when it does not exist (never for a given one).
fn topic_step(topic: &TopicFacts) -> Option<NotifyAction> {
    let (_, name) = topic.arn.rsplit_once(':')?;
    (topic.ours && !topic.exists).then(|| NotifyAction::CreateTopic {
        name: name.to_owned(),
    })
}

/// SetTopicAttributes Policy when EventBridge may not publish for the rule: cawiz's statement
/// merged into the policy there is (its other statements and `Id` kept).
fn policy_step(ctx: &Context, facts: &Facts, topic: &TopicFacts) -> Option<NotifyAction> {
    if !topic.exists && !topic.ours {
        return None;
    }
    let row = topic_policy_row(
        topic.policy.as_ref(),
        &topic.arn,
        &facts.rule_arn,
        &ctx.account,
    );
    if topic.exists && !failing(&row) {
        return None;
    }
    let ours = topic_statement(&topic.arn, &facts.rule_arn, &ctx.account);
    let policy = match &topic.policy {
        Some(existing) => with_id_of(existing, merge_cawiz_statements(Some(existing), &[ours])),
        None => merge_cawiz_statements(None, &[ours]),
    };
    Some(NotifyAction::SetTopicPolicy {
        topic_arn: topic.arn.clone(),
        policy,
    })
}

/// Subscribe each endpoint cawiz's topic lacks (a pending one is there: it waits for its owner).
fn subscribe_steps(facts: &Facts, topic: &TopicFacts) -> Vec<NotifyAction> {
    if !topic.ours {
        return Vec::new();
    }
    facts
        .endpoints
        .iter()
        .filter_map(|e| e.subscription())
        .filter(|(protocol, endpoint)| {
            !topic
                .subscriptions
                .iter()
                .any(|s| s.protocol == *protocol && s.endpoint == *endpoint)
        })
        .map(|(protocol, endpoint)| NotifyAction::Subscribe {
            topic_arn: topic.arn.clone(),
            protocol: protocol.to_owned(),
            endpoint: endpoint.to_owned(),
        })
        .collect()
}

/// PutTargets when the rule does not deliver to the topic (one that exists, or cawiz's).
fn target_step(facts: &Facts, topic: &TopicFacts) -> Option<NotifyAction> {
    let targeted = facts.targets.iter().any(|t| t.arn == topic.arn);
    (!targeted && (topic.exists || topic.ours)).then(|| NotifyAction::PutTarget {
        rule: facts.rule_name.clone(),
        id: target_id(&topic.arn),
        topic_arn: topic.arn.clone(),
    })
}

/// The fixed pattern of every other rule waiting for the overview's detail-type: by hand.
fn overview_steps(facts: &Facts) -> Vec<NotifyAction> {
    facts
        .rules
        .iter()
        .filter(|r| r.name != facts.rule_name)
        .filter_map(|r| {
            let p = r
                .event_pattern
                .as_deref()
                .filter(|p| uses_overview_detail_type(p))?;
            Some(NotifyAction::FixOverviewRule {
                name: r.name.clone(),
                pattern: fixed_overview_pattern(p),
            })
        })
        .collect()
}

/// The steps that make the rows pass, in apply's order: PutRule, CreateTopic,
/// SetTopicAttributes, Subscribe, PutTargets; then what only a person can do.
pub fn actions(ctx: &Context, facts: &Facts) -> Vec<NotifyAction> {
    let topics = &facts.topics;
    let mut out: Vec<NotifyAction> = rule_step(ctx, facts).into_iter().collect();
    out.extend(topics.iter().filter_map(topic_step));
    out.extend(topics.iter().filter_map(|t| policy_step(ctx, facts, t)));
    out.extend(topics.iter().flat_map(|t| subscribe_steps(facts, t)));
    out.extend(topics.iter().filter_map(|t| target_step(facts, t)));
    out.extend(overview_steps(facts));
    out
}

/// Done: no row fails (a pending confirmation warns); missing: neither the rule nor cawiz's topic
/// exists yet; else drift.
fn status(facts: &Facts, rows: &[Row]) -> Status {
    let failed: Vec<&Row> = rows.iter().filter(|r| failing(r)).collect();
    let warned = rows.iter().filter(|r| r.verdict == Verdict::Warn).count();
    let endpoints = facts.endpoints.len();
    if let Some(unknown) = rows.iter().find_map(|r| match &r.verdict {
        Verdict::Unknown(why) if failed.is_empty() => Some(why.clone()),
        _ => None,
    }) {
        return Status::Unknown { reason: unknown };
    }
    if failed.is_empty() {
        let pending = if warned > 0 {
            format!(" ({warned} to look at: see the rows)")
        } else {
            String::new()
        };
        return Status::Done {
            summary: format!(
                "rule {} delivers published versions to {endpoints} endpoint{}{pending}",
                facts.rule_name,
                if endpoints == 1 { "" } else { "s" }
            ),
        };
    }
    let nothing_yet = facts.rule.is_none() && facts.topics.iter().all(|t| !t.exists || !t.ours);
    let summary = format!(
        "{} of {} checks fail: {}",
        failed.len(),
        rows.len(),
        failed.first().map_or("", |r| r.title.as_str())
    );
    if nothing_yet {
        Status::Missing { summary }
    } else {
        Status::Drift {
            summary,
            diff: failed.iter().map(|r| format!("- {}", r.title)).collect(),
            findings: Vec::new(),
        }
    }
}

pub fn assess(ctx: &Context, facts: &Facts) -> Report {
    let rows = rows(ctx, facts);
    let mut report = Report::new(ItemId::Notifications, status(facts, &rows));
    if !report.status.is_done() {
        report.actions = actions(ctx, facts)
            .into_iter()
            .map(Action::Notify)
            .collect();
    }
    let details = &mut report.details;
    details.rows = rows;
    details.fact("rule", &facts.rule_arn);
    for topic in &facts.topics {
        details.fact(if topic.ours { "topic" } else { "given topic" }, &topic.arn);
    }
    for endpoint in &ctx.setup.notify {
        details.fact("notify", endpoint);
    }
    report
}
