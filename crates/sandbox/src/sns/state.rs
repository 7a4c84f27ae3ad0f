//! SNS's state in the world: topics and their subscriptions. Plain data.

use std::collections::BTreeMap;

/// SNS's topics, by ARN.
#[derive(Debug, Default)]
pub struct SnsState {
    pub topics: BTreeMap<String, Topic>,
}

#[derive(Debug, Clone)]
pub struct Topic {
    pub arn: String,
    /// Settable attributes (`Policy`, `DisplayName`, `DeliveryPolicy`, …) as strings.
    pub attributes: BTreeMap<String, String>,
    pub subscriptions: Vec<Subscription>,
}

#[derive(Debug, Clone)]
pub struct Subscription {
    /// `TOPIC_ARN:UUID`, given out once confirmed (`PendingConfirmation` before).
    pub arn: String,
    pub protocol: String,
    pub endpoint: String,
    /// The confirmation token sent in the SubscriptionConfirmation message.
    pub token: String,
    pub confirmed: bool,
}

impl Subscription {
    /// The ARN as the API shows it: `PendingConfirmation` until confirmed.
    pub fn shown_arn(&self) -> &str {
        if self.confirmed {
            &self.arn
        } else {
            "PendingConfirmation"
        }
    }
}
