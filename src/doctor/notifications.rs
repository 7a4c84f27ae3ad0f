//! `no-notification`: a version was published and nobody was told. Each cause is one kind of the
//! notifications item's rows (`crate::notify::RowId`: the rule, a rule on the overview's pattern,
//! the target, the topic, its policy, the subscriptions), read by the item's own check: the item
//! and the doctor never disagree.

use crate::checklist::rows::Row;
use crate::checklist::{Context, ItemId, Status};
use crate::notify::RowId;

use super::evidence::Evidence;
use super::report::{CauseReport, Verdict, fixable, report};

/// The causes, each with the rows it judges.
const CAUSES: [(&str, RowId); 6] = [
    ("notify-rule", RowId::Rule),
    ("notify-overview-pattern", RowId::OverviewPattern),
    ("notify-target", RowId::Target),
    ("notify-topic", RowId::Topic),
    ("notify-topic-policy", RowId::TopicPolicy),
    ("notify-subscription", RowId::Subscription),
];

fn line(r: &Row) -> String {
    if r.evidence.is_empty() {
        r.title.clone()
    } else {
        format!("{}: {}", r.title, r.evidence.join("; "))
    }
}

/// One cause from the rows with `row`: the worst verdict among them; none is "nothing to judge".
fn judge(id: &'static str, row: RowId, rows: &[Row]) -> CauseReport {
    let mine: Vec<&Row> = rows.iter().filter(|r| r.id == row.key()).collect();
    let worst = mine.iter().map(|r| &r.verdict).min_by_key(|v| v.rank());
    let verdict = match worst {
        Some(Verdict::Fail) => Verdict::Fail,
        Some(Verdict::Warn) => Verdict::Warn,
        Some(Verdict::Unknown(why)) => Verdict::Unknown(why.clone()),
        Some(_) => Verdict::Ok,
        None => Verdict::Skip("nothing of this kind to check".to_owned()),
    };
    let shown: Vec<String> = mine
        .iter()
        .filter(|r| verdict == Verdict::Ok || r.verdict != Verdict::Ok)
        .map(|r| line(r))
        .collect();
    let r = report(id, verdict, shown);
    if id == "notify-overview-pattern" {
        // Someone else's rule: cawiz never changes it.
        r
    } else {
        fixable(r, ItemId::Notifications)
    }
}

pub(super) fn causes(e: &Evidence, _ctx: &Context) -> Vec<CauseReport> {
    let verdict_for_all = match &e.notifications {
        None => Some(Verdict::Skip(
            "the setup has no notify endpoint (init --notify)".to_owned(),
        )),
        Some(r) => match &r.status {
            Status::Error(err) => Some(Verdict::Unknown(format!("{} — {}", err.message, err.fix))),
            Status::Blocked { by } => Some(Verdict::Unknown(format!("waiting for: {by}"))),
            _ => None,
        },
    };
    let rows: &[Row] = e
        .notifications
        .as_ref()
        .map_or(&[], |r| r.details.rows.as_slice());
    CAUSES
        .into_iter()
        .map(|(id, row)| match &verdict_for_all {
            Some(v) => report(id, v.clone(), Vec::new()),
            None => judge(id, row, rows),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_cause_takes_the_worst_of_its_rows() {
        let rows = vec![
            Row::new(RowId::Subscription.key(), "https://a", Verdict::Ok),
            Row::new(RowId::Subscription.key(), "email:b", Verdict::Warn).evidence("pending"),
            Row::new(RowId::Rule.key(), "rule", Verdict::Fail).evidence("disabled"),
        ];
        let sub = judge("notify-subscription", RowId::Subscription, &rows);
        assert_eq!(sub.verdict, Verdict::Warn);
        assert_eq!(sub.evidence, vec!["email:b: pending".to_owned()]);
        let rule = judge("notify-rule", RowId::Rule, &rows);
        assert_eq!(rule.verdict, Verdict::Fail);
        assert_eq!(rule.fix_item, Some(ItemId::Notifications));
        let overview = judge("notify-overview-pattern", RowId::OverviewPattern, &rows);
        assert!(matches!(overview.verdict, Verdict::Skip(_)));
        assert_eq!(overview.fix_item, None);
    }
}
