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

/// The steps that make the rows pass, in apply's order.
pub fn actions(ctx: &Context, facts: &Facts) -> Vec<NotifyAction> {
    let mut out = Vec::new();
    let rule_ok =
        facts.rule.as_ref().is_some_and(|r| r.state == "ENABLED") && facts.matched == Some(true);
    if !rule_ok {
        out.push(NotifyAction::PutRule {
            name: facts.rule_name.clone(),
            pattern: pattern(ctx),
            new: facts.rule.is_none(),
        });
    }
    for topic in facts.topics.iter().filter(|t| t.ours && !t.exists) {
        if let Some((_, name)) = topic.arn.rsplit_once(':') {
            out.push(NotifyAction::CreateTopic {
                name: name.to_owned(),
            });
        }
    }
    for topic in facts.topics.iter().filter(|t| t.exists || t.ours) {
        let row = topic_policy_row(
            topic.policy.as_ref(),
            &topic.arn,
            &facts.rule_arn,
            &ctx.account,
        );
        if !topic.exists || failing(&row) {
            let ours = topic_statement(&topic.arn, &facts.rule_arn, &ctx.account);
            out.push(NotifyAction::SetTopicPolicy {
                topic_arn: topic.arn.clone(),
                policy: match &topic.policy {
                    Some(existing) => {
                        with_id_of(existing, merge_cawiz_statements(Some(existing), &[ours]))
                    }
                    None => merge_cawiz_statements(None, &[ours]),
                },
            });
        }
    }
    for topic in facts.topics.iter().filter(|t| t.ours) {
        for (protocol, endpoint) in facts.endpoints.iter().filter_map(|e| e.subscription()) {
            let subscribed = topic
                .subscriptions
                .iter()
                .any(|s| s.protocol == protocol && s.endpoint == endpoint);
            if !subscribed {
                out.push(NotifyAction::Subscribe {
                    topic_arn: topic.arn.clone(),
                    protocol: protocol.to_owned(),
                    endpoint: endpoint.to_owned(),
                });
            }
        }
    }
    for topic in &facts.topics {
        if !facts.targets.iter().any(|t| t.arn == topic.arn) && (topic.exists || topic.ours) {
            out.push(NotifyAction::PutTarget {
                rule: facts.rule_name.clone(),
                id: target_id(&topic.arn),
                topic_arn: topic.arn.clone(),
            });
        }
    }
    for r in facts.rules.iter().filter(|r| r.name != facts.rule_name) {
        if let Some(p) = r
            .event_pattern
            .as_deref()
            .filter(|p| uses_overview_detail_type(p))
        {
            out.push(NotifyAction::FixOverviewRule {
                name: r.name.clone(),
                pattern: fixed_overview_pattern(p),
            });
        }
    }
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
