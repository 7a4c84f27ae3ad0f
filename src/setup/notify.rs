//! The `notify` input's values (SPEC "Inputs"): `https://…`, `http://127.0.0.1…`/`localhost` for the
//! sandbox, `email:ADDR`, `sns:TOPIC_ARN` (an existing topic). Parsed here, with the setup's rules,
//! so that validating a setup needs nothing of `crate::notify` (which judges what AWS answers).

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
