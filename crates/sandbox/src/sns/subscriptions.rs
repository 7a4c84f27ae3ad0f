//! Subscribe, ConfirmSubscription, ListSubscriptionsByTopic, Unsubscribe.

use super::deliver::{Outgoing, confirmation, uuid};
use super::{Answer, Ctx, Subscription, error, topic, topic_mut};
use crate::protocol::{ApiResult, X};
use crate::world::World;

/// Whether an http(s) endpoint is on loopback: the sandbox never posts anywhere else.
fn loopback(endpoint: &str) -> bool {
    let rest = endpoint
        .strip_prefix("http://")
        .or_else(|| endpoint.strip_prefix("https://"))
        .unwrap_or_default();
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default()
    } else {
        authority.split(':').next().unwrap_or_default()
    };
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Checks the protocol and endpoint as SNS does, and the sandbox's loopback rule.
fn check_endpoint(protocol: &str, endpoint: &str) -> ApiResult<()> {
    let matches = match protocol {
        "http" => endpoint.starts_with("http://"),
        "https" => endpoint.starts_with("https://"),
        "email" | "email-json" => endpoint.contains('@'),
        _ => {
            return Err(error(
                "InvalidParameter",
                format!(
                    "Invalid parameter: Protocol (the cawiz sandbox takes http, https, email and \
                     email-json, not {protocol})"
                ),
            ));
        }
    };
    if !matches {
        return Err(error(
            "InvalidParameter",
            "Invalid parameter: Endpoint must match the specified protocol",
        ));
    }
    if protocol.starts_with("http") && !loopback(endpoint) {
        return Err(error(
            "InvalidParameter",
            "Invalid parameter: Endpoint (the cawiz sandbox delivers only to loopback addresses)",
        ));
    }
    Ok(())
}

pub fn subscribe(world: &mut World, cx: &Ctx) -> ApiResult<Answer> {
    let arn = cx.params.required("TopicArn")?;
    let protocol = cx.params.required("Protocol")?.to_owned();
    let endpoint = cx.params.get("Endpoint").unwrap_or_default().to_owned();
    check_endpoint(&protocol, &endpoint)?;
    let return_arn = cx.params.get("ReturnSubscriptionArn") == Some("true");
    let base_url = cx.base_url.to_owned();
    let t = topic_mut(world, arn)?;
    let index = match t
        .subscriptions
        .iter()
        .position(|s| s.protocol == protocol && s.endpoint == endpoint)
    {
        Some(i) => i,
        None => {
            t.subscriptions.push(Subscription {
                arn: format!("{}:{}", t.arn, uuid()),
                protocol: protocol.clone(),
                endpoint,
                token: hex::encode(rand::random::<[u8; 64]>()),
                confirmed: false,
            });
            t.subscriptions.len() - 1
        }
    };
    let Some(sub) = t.subscriptions.get(index) else {
        return Err(error("InternalError", "the subscription vanished"));
    };
    let mut outgoing: Vec<Outgoing> = Vec::new();
    if !sub.confirmed && protocol.starts_with("http") {
        outgoing.push(confirmation(&base_url, &t.arn, sub));
    }
    let shown = if sub.confirmed || return_arn {
        sub.arn.clone()
    } else {
        "pending confirmation".to_owned()
    };
    Ok((vec![X::leaf("SubscriptionArn", shown)], outgoing))
}

pub fn confirm(world: &mut World, cx: &Ctx) -> ApiResult<Vec<X>> {
    let arn = cx.params.required("TopicArn")?;
    let token = cx.params.required("Token")?;
    let t = topic_mut(world, arn)?;
    let sub = t
        .subscriptions
        .iter_mut()
        .find(|s| s.token == token)
        .ok_or_else(|| error("InvalidParameter", "Invalid token"))?;
    sub.confirmed = true;
    Ok(vec![X::leaf("SubscriptionArn", &sub.arn)])
}

pub fn list(world: &mut World, cx: &Ctx) -> ApiResult<Vec<X>> {
    let t = topic(world, cx.params.required("TopicArn")?)?;
    let members = t
        .subscriptions
        .iter()
        .map(|s| {
            vec![
                X::leaf("SubscriptionArn", s.shown_arn()),
                X::leaf("Owner", &world.account_id),
                X::leaf("Protocol", &s.protocol),
                X::leaf("Endpoint", &s.endpoint),
                X::leaf("TopicArn", &t.arn),
            ]
        })
        .collect();
    Ok(vec![X::members("Subscriptions", members)])
}

pub fn unsubscribe(world: &mut World, cx: &Ctx) -> ApiResult<Vec<X>> {
    let arn = cx.params.required("SubscriptionArn")?;
    let topic_arn = arn
        .rsplit_once(':')
        .map(|(t, _)| t)
        .ok_or_else(|| error("InvalidParameter", "Invalid parameter: SubscriptionArn"))?;
    let t = topic_mut(world, topic_arn)
        .map_err(|_| error("NotFound", "Subscription does not exist"))?;
    let before = t.subscriptions.len();
    t.subscriptions.retain(|s| s.arn != arn);
    if t.subscriptions.len() == before {
        return Err(error("NotFound", "Subscription does not exist"));
    }
    Ok(Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_endpoints() {
        for ok in [
            "http://127.0.0.1:8080/hook",
            "http://localhost/x",
            "https://[::1]:9/",
            "http://user@127.0.0.2/",
        ] {
            assert!(loopback(ok), "{ok}");
        }
        for bad in [
            "http://example.com/",
            "http://10.0.0.1/",
            "http://127.0.0.1.example.com/",
            "ftp://127.0.0.1/",
            "http://[2001:db8::1]/",
        ] {
            assert!(!loopback(bad), "{bad}");
        }
    }
}
