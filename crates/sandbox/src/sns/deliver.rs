//! SNS's HTTP(S) messages (SNS Developer Guide, "HTTP/HTTPS subscription confirmation JSON
//! format", "HTTP/HTTPS notification JSON format", "HTTP/HTTPS headers"): a POST whose body is a
//! JSON document, `Content-Type: text/plain; charset=UTF-8`, and the `x-amz-sns-*` headers. Each
//! message is signed (SignatureVersion 2: SHA256withRSA over SNS's canonical string of the
//! message's fields) with the sandbox's key. Messages are sent after the world's lock is released,
//! each on its own task, with up to three attempts.

use std::time::{Duration, SystemTime};

use serde_json::{Map, Value, json};

use super::Subscription;

/// One HTTP message to an endpoint.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub url: String,
    pub message_id: String,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
}

/// `2012-04-26T20:45:04.751Z`, as SNS writes `Timestamp`.
fn timestamp(t: SystemTime) -> String {
    let dt = time::OffsetDateTime::from(t);
    let fmt = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    );
    dt.format(&fmt)
        .unwrap_or_else(|_| "1970-01-01T00:00:00.000Z".to_owned())
}

/// The fields SNS signs, in its order, for the message's type.
const SIGNED_CONFIRMATION: &[&str] = &[
    "Message",
    "MessageId",
    "SubscribeURL",
    "Timestamp",
    "Token",
    "TopicArn",
    "Type",
];
const SIGNED_NOTIFICATION: &[&str] = &[
    "Message",
    "MessageId",
    "Subject",
    "Timestamp",
    "TopicArn",
    "Type",
];

/// Adds `SignatureVersion`, `Signature` and `SigningCertURL` to `fields`.
fn sign(base_url: &str, fields: &mut Map<String, Value>, signed: &[&str]) {
    let mut canonical = String::new();
    for name in signed {
        if let Some(Value::String(v)) = fields.get(*name) {
            canonical.push_str(name);
            canonical.push('\n');
            canonical.push_str(v);
            canonical.push('\n');
        }
    }
    let signature = crate::oidc::sign_sha256_base64(canonical.as_bytes()).unwrap_or_default();
    fields.insert("SignatureVersion".to_owned(), json!("2"));
    fields.insert("Signature".to_owned(), json!(signature));
    fields.insert(
        "SigningCertURL".to_owned(),
        json!(format!(
            "{base_url}/SimpleNotificationService-cawiz-sandbox.pem"
        )),
    );
}

fn query(base_url: &str, pairs: &[(&str, &str)]) -> String {
    let encoded: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    format!("{base_url}/?{encoded}")
}

fn outgoing(
    sub: &Subscription,
    kind: &str,
    topic_arn: &str,
    message_id: &str,
    body: Map<String, Value>,
) -> Outgoing {
    let mut headers = vec![
        ("content-type", "text/plain; charset=UTF-8".to_owned()),
        (
            "user-agent",
            "Amazon Simple Notification Service Agent".to_owned(),
        ),
        ("x-amz-sns-message-type", kind.to_owned()),
        ("x-amz-sns-message-id", message_id.to_owned()),
        ("x-amz-sns-topic-arn", topic_arn.to_owned()),
    ];
    if kind == "Notification" {
        headers.push(("x-amz-sns-subscription-arn", sub.arn.clone()));
    }
    Outgoing {
        url: sub.endpoint.clone(),
        message_id: message_id.to_owned(),
        headers,
        body: Value::Object(body).to_string(),
    }
}

/// The `SubscriptionConfirmation` for a new HTTP(S) subscription; its `SubscribeURL` confirms it.
pub fn confirmation(base_url: &str, topic_arn: &str, sub: &Subscription) -> Outgoing {
    let id = uuid();
    let subscribe_url = query(
        base_url,
        &[
            ("Action", "ConfirmSubscription"),
            ("TopicArn", topic_arn),
            ("Token", &sub.token),
        ],
    );
    let mut fields = Map::new();
    for (k, v) in [
        ("Type", "SubscriptionConfirmation".to_owned()),
        ("MessageId", id.clone()),
        ("Token", sub.token.clone()),
        ("TopicArn", topic_arn.to_owned()),
        (
            "Message",
            format!(
                "You have chosen to subscribe to the topic {topic_arn}.\nTo confirm the \
                 subscription, visit the SubscribeURL included in this message."
            ),
        ),
        ("SubscribeURL", subscribe_url),
        ("Timestamp", timestamp(SystemTime::now())),
    ] {
        fields.insert(k.to_owned(), json!(v));
    }
    sign(base_url, &mut fields, SIGNED_CONFIRMATION);
    outgoing(sub, "SubscriptionConfirmation", topic_arn, &id, fields)
}

/// A `Notification` of `message` for a confirmed subscription.
pub fn notification(
    base_url: &str,
    topic_arn: &str,
    sub: &Subscription,
    message_id: &str,
    subject: Option<&str>,
    message: &str,
) -> Outgoing {
    let mut fields = Map::new();
    fields.insert("Type".to_owned(), json!("Notification"));
    fields.insert("MessageId".to_owned(), json!(message_id));
    fields.insert("TopicArn".to_owned(), json!(topic_arn));
    if let Some(s) = subject {
        fields.insert("Subject".to_owned(), json!(s));
    }
    fields.insert("Message".to_owned(), json!(message));
    fields.insert("Timestamp".to_owned(), json!(timestamp(SystemTime::now())));
    sign(base_url, &mut fields, SIGNED_NOTIFICATION);
    fields.insert(
        "UnsubscribeURL".to_owned(),
        json!(query(
            base_url,
            &[("Action", "Unsubscribe"), ("SubscriptionArn", &sub.arn)]
        )),
    );
    outgoing(sub, "Notification", topic_arn, message_id, fields)
}

/// Posts each message on its own task (when a Tokio runtime is running; a message built outside
/// one is dropped).
pub fn send_all(messages: Vec<Outgoing>) {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return;
    };
    for message in messages {
        runtime.spawn(post(message));
    }
}

async fn post(message: Outgoing) {
    let client = match reqwest::Client::builder()
        .timeout(Duration::from_secs(15))
        .no_proxy()
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            tracing::warn!("SNS delivery: no HTTP client: {e}");
            return;
        }
    };
    for attempt in 1..=3 {
        let mut request = client.post(&message.url).body(message.body.clone());
        for (name, value) in &message.headers {
            request = request.header(*name, value);
        }
        match request.send().await {
            Ok(r) if r.status().is_success() => return,
            Ok(r) => tracing::debug!(attempt, status = %r.status(), "SNS delivery refused"),
            Err(e) => tracing::debug!(attempt, "SNS delivery failed: {e}"),
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// A random UUID (version 4 layout), as SNS's message and subscription ids.
pub fn uuid() -> String {
    let h = hex::encode(rand::random::<[u8; 16]>());
    format!(
        "{}-{}-4{}-a{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..32]
    )
}
