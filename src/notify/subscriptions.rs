//! The endpoints told of a publish (`notify`: `https://…`, `http://127.0.0.1…` for the sandbox,
//! `email:ADDR`, `sns:TOPIC_ARN`), and their subscriptions: missing fails, pending confirmation
//! warns with what to do, confirmed is fine.

use super::RowId;
use crate::aws::SubscriptionInfo;
use crate::checklist::rows::{Row, Verdict};

pub use crate::setup::notify::{Endpoint, EndpointError};

/// One row per endpoint that needs a subscription.
pub fn subscription_rows(endpoints: &[Endpoint], subscriptions: &[SubscriptionInfo]) -> Vec<Row> {
    endpoints
        .iter()
        .filter_map(|e| e.subscription())
        .map(|(protocol, endpoint)| {
            let row = |verdict| {
                Row::new(RowId::Subscription.key(), format!("{protocol} {endpoint} subscribed"), verdict)
            };
            let found = subscriptions
                .iter()
                .find(|s| s.protocol == protocol && s.endpoint == endpoint);
            match found {
                None => row(Verdict::Fail)
                    .evidence("ListSubscriptionsByTopic: not subscribed")
                    .fix("subscribe it (aws sns subscribe)", None),
                Some(s) if s.pending() => {
                    let todo = if protocol == "email" {
                        "open the confirmation mail SNS sent and follow its link"
                    } else {
                        "the endpoint must visit the SubscribeURL of the SubscriptionConfirmation SNS posted to it"
                    };
                    row(Verdict::Warn)
                        .evidence("ListSubscriptionsByTopic: PendingConfirmation (nothing is delivered until confirmed)")
                        .fix(todo, None)
                }
                Some(s) => row(Verdict::Ok).evidence(format!("ListSubscriptionsByTopic: {}", s.arn)),
            }
        })
        .collect()
}
