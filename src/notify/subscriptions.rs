//! The endpoints told of a publish (`notify`: `https://…`, `http://127.0.0.1…` for the sandbox,
//! `email:ADDR`, `sns:TOPIC_ARN`), and their subscriptions: missing fails, pending confirmation
//! warns with what to do, confirmed is fine.

use super::RowId;
use crate::aws::SubscriptionInfo;
use crate::checklist::rows::{Row, Verdict};

/// One `notify` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    /// An `https` URL (or `http` on loopback: the sandbox).
    Http {
        protocol: &'static str,
        url: String,
    },
    Email(String),
    /// An existing topic: targeted, nothing subscribed.
    Topic(String),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct EndpointError(pub String);

fn loopback_http(url: &str) -> bool {
    let rest = url.strip_prefix("http://").unwrap_or_default();
    let host = rest.split(['/', ':', '?', '#']).next().unwrap_or_default();
    host == "localhost"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

impl Endpoint {
    /// Parses a `notify` value; plain `http` only on loopback (SNS would send in clear text).
    pub fn parse(value: &str) -> Result<Self, EndpointError> {
        let v = value.trim();
        if let Some(addr) = v.strip_prefix("email:") {
            let ok = addr.split_once('@').is_some_and(|(user, host)| {
                !user.is_empty() && host.contains('.') && !addr.chars().any(char::is_whitespace)
            });
            return if ok {
                Ok(Endpoint::Email(addr.to_owned()))
            } else {
                Err(EndpointError(format!("{addr:?} is not an email address")))
            };
        }
        if let Some(arn) = v.strip_prefix("sns:") {
            let parts: Vec<&str> = arn.split(':').collect();
            let ok = parts.len() == 6
                && parts.first() == Some(&"arn")
                && parts.get(2) == Some(&"sns")
                && parts
                    .get(4)
                    .is_some_and(|a| a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()));
            return if ok {
                Ok(Endpoint::Topic(arn.to_owned()))
            } else {
                Err(EndpointError(format!(
                    "{arn:?} is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)"
                )))
            };
        }
        if v.starts_with("https://") && v.len() > "https://".len() {
            return Ok(Endpoint::Http {
                protocol: "https",
                url: v.to_owned(),
            });
        }
        if v.starts_with("http://") && loopback_http(v) {
            return Ok(Endpoint::Http {
                protocol: "http",
                url: v.to_owned(),
            });
        }
        Err(EndpointError(format!(
            "{v:?}: use https://…, email:ADDR or sns:TOPIC_ARN (http:// only on 127.0.0.1, for the sandbox)"
        )))
    }

    /// SNS's protocol and endpoint, or `None` for a topic (nothing to subscribe).
    pub fn subscription(&self) -> Option<(&'static str, &str)> {
        match self {
            Endpoint::Http { protocol, url } => Some((protocol, url)),
            Endpoint::Email(addr) => Some(("email", addr)),
            Endpoint::Topic(_) => None,
        }
    }
}

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
