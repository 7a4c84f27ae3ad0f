//! SNS: topics, their attributes (the policy) and subscriptions.

use std::collections::BTreeMap;

use super::{AwsError, Clients, found};

/// A subscription as ListSubscriptionsByTopic answers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriptionInfo {
    /// The ARN, or `PendingConfirmation`.
    pub arn: String,
    pub protocol: String,
    pub endpoint: String,
}

impl SubscriptionInfo {
    pub fn pending(&self) -> bool {
        self.arn == "PendingConfirmation"
    }
}

impl Clients {
    /// Creates the topic `name` (or finds it: CreateTopic is idempotent); its ARN.
    pub async fn create_topic(&self, name: &str) -> Result<String, AwsError> {
        const OP: &str = "CreateTopic";
        let out = self
            .sns
            .create_topic()
            .name(name)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e))?;
        Ok(out.topic_arn().unwrap_or_default().to_owned())
    }

    /// The topic's attributes (`Policy`, `Owner`, …), or `None` when it does not exist.
    pub async fn topic_attributes(
        &self,
        arn: &str,
    ) -> Result<Option<BTreeMap<String, String>>, AwsError> {
        const OP: &str = "GetTopicAttributes";
        let result = self
            .sns
            .get_topic_attributes()
            .topic_arn(arn)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e));
        Ok(found(result)?.map(|out| {
            out.attributes()
                .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default()
        }))
    }

    pub async fn set_topic_policy(&self, arn: &str, policy: &str) -> Result<(), AwsError> {
        const OP: &str = "SetTopicAttributes";
        self.sns
            .set_topic_attributes()
            .topic_arn(arn)
            .attribute_name("Policy")
            .attribute_value(policy)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e))?;
        Ok(())
    }

    /// Subscribes `endpoint` with `protocol` (`https`, `http`, `email`); the subscription's ARN,
    /// or `pending confirmation`.
    pub async fn subscribe(
        &self,
        topic: &str,
        protocol: &str,
        endpoint: &str,
    ) -> Result<String, AwsError> {
        const OP: &str = "Subscribe";
        let out = self
            .sns
            .subscribe()
            .topic_arn(topic)
            .protocol(protocol)
            .endpoint(endpoint)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e))?;
        Ok(out.subscription_arn().unwrap_or_default().to_owned())
    }

    /// The topic's subscriptions (all pages); `None` when the topic does not exist.
    pub async fn list_subscriptions(
        &self,
        topic: &str,
    ) -> Result<Option<Vec<SubscriptionInfo>>, AwsError> {
        const OP: &str = "ListSubscriptionsByTopic";
        let mut subs = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let result = self
                .sns
                .list_subscriptions_by_topic()
                .topic_arn(topic)
                .set_next_token(token.take())
                .send()
                .await
                .map_err(|e| AwsError::from_sdk(OP, &e));
            let Some(out) = found(result)? else {
                return Ok(None);
            };
            subs.extend(out.subscriptions().iter().map(|s| SubscriptionInfo {
                arn: s.subscription_arn().unwrap_or_default().to_owned(),
                protocol: s.protocol().unwrap_or_default().to_owned(),
                endpoint: s.endpoint().unwrap_or_default().to_owned(),
            }));
            match out.next_token() {
                Some(t) if !t.is_empty() => token = Some(t.to_owned()),
                _ => return Ok(Some(subs)),
            }
        }
    }

    pub async fn unsubscribe(&self, subscription: &str) -> Result<(), AwsError> {
        const OP: &str = "Unsubscribe";
        self.sns
            .unsubscribe()
            .subscription_arn(subscription)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e))?;
        Ok(())
    }

    pub async fn delete_topic(&self, arn: &str) -> Result<(), AwsError> {
        const OP: &str = "DeleteTopic";
        self.sns
            .delete_topic()
            .topic_arn(arn)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e))?;
        Ok(())
    }
}
