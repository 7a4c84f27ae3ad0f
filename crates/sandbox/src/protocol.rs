//! Wire formats: the AWS query protocol (form-encoded requests, XML responses) used by IAM and STS,
//! and REST-JSON (used by CodeArtifact), with AWS-shaped errors for both.

use std::collections::BTreeMap;

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::fault::status_for;

/// An AWS error as the service would send it.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
}

impl ApiError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        let status = StatusCode::from_u16(status_for(code)).unwrap_or(StatusCode::BAD_REQUEST);
        Self {
            status,
            code: code.to_owned(),
            message: message.into(),
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// Which wire format a service speaks; decides how errors are rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wire {
    /// Query protocol with this XML namespace.
    Query(&'static str),
    RestJson,
    /// AWS's JSON 1.1 protocol (EventBridge): `{"__type": CODE, "message": …}`.
    Json11,
    /// The PyPI endpoint: plain text errors.
    Plain,
}

pub const IAM_NS: &str = "https://iam.amazonaws.com/doc/2010-05-08/";
pub const STS_NS: &str = "https://sts.amazonaws.com/doc/2011-06-15/";
pub const SNS_NS: &str = "http://sns.amazonaws.com/doc/2010-03-31/";

/// The non-empty segments of a URL path, percent-decoded (kept as sent when not decodable).
pub fn path_segments<'a>(segments: impl Iterator<Item = &'a str>) -> Vec<String> {
    segments
        .filter(|s| !s.is_empty())
        .map(|s| {
            urlencoding::decode(s)
                .map(|c| c.into_owned())
                .unwrap_or_else(|_| s.to_owned())
        })
        .collect()
}

pub fn request_id() -> String {
    let bytes: [u8; 16] = rand::random();
    let h = hex::encode(bytes);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

pub fn error_response(wire: Wire, err: &ApiError) -> Response {
    let rid = request_id();
    let mut response = match wire {
        Wire::Query(ns) => {
            let kind = if err.status.is_server_error() {
                "Receiver"
            } else {
                "Sender"
            };
            let body = to_xml(
                "ErrorResponse",
                &[
                    X::leaf("@xmlns", ns),
                    X::node(
                        "Error",
                        vec![
                            X::leaf("Type", kind),
                            X::leaf("Code", &err.code),
                            X::leaf("Message", &err.message),
                        ],
                    ),
                    X::leaf("RequestId", &rid),
                ],
            );
            (err.status, [("content-type", "text/xml")], body).into_response()
        }
        Wire::RestJson => {
            let body = serde_json::json!({ "message": err.message }).to_string();
            let mut r = (err.status, [("content-type", "application/json")], body).into_response();
            if let Ok(v) = HeaderValue::from_str(&err.code) {
                r.headers_mut().insert("x-amzn-errortype", v);
            }
            r
        }
        Wire::Json11 => {
            let body = serde_json::json!({ "__type": err.code, "message": err.message });
            (
                err.status,
                [("content-type", "application/x-amz-json-1.1")],
                body.to_string(),
            )
                .into_response()
        }
        Wire::Plain => (
            err.status,
            [("content-type", "text/plain")],
            format!("{}: {}\n", err.code, err.message),
        )
            .into_response(),
    };
    if let Ok(v) = HeaderValue::from_str(&rid) {
        response.headers_mut().insert("x-amzn-requestid", v);
    }
    response
}

/// A tiny XML tree for query-protocol responses.
#[derive(Debug, Clone)]
pub enum X {
    Leaf(String, String),
    Node(String, Vec<X>),
}

impl X {
    pub fn leaf(name: &str, value: impl ToString) -> X {
        X::Leaf(name.to_owned(), value.to_string())
    }
    pub fn node(name: &str, children: Vec<X>) -> X {
        X::Node(name.to_owned(), children)
    }
    /// `<name><member>…</member>…</name>` where each item gives a member's children.
    pub fn members(name: &str, items: Vec<Vec<X>>) -> X {
        X::Node(
            name.to_owned(),
            items.into_iter().map(|c| X::node("member", c)).collect(),
        )
    }
    /// `<name><member>text</member>…</name>`.
    pub fn text_members(name: &str, items: &[String]) -> X {
        X::Node(
            name.to_owned(),
            items.iter().map(|v| X::leaf("member", v)).collect(),
        )
    }
}

/// A list of elements as quick-xml serialises a map: each entry `<name>value</name>`, in order
/// (names may repeat, as `member` does); a name starting with `@` is an attribute of the parent.
struct Children<'a>(&'a [X]);

impl serde::Serialize for Children<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for child in self.0 {
            match child {
                X::Leaf(name, value) => map.serialize_entry(name, value)?,
                X::Node(name, children) => map.serialize_entry(name, &Children(children))?,
            }
        }
        map.end()
    }
}

/// `<root>children</root>` through quick-xml's serializer: every special character escaped, empty
/// elements written as `<a></a>` (as AWS does), no declaration or indentation.
pub fn to_xml(root: &str, children: &[X]) -> String {
    use serde::Serialize as _;
    let mut out = String::new();
    let written = quick_xml::se::Serializer::with_root(&mut out, Some(root)).and_then(|mut ser| {
        ser.expand_empty_elements(true)
            .set_quote_level(quick_xml::se::QuoteLevel::Full);
        Children(children).serialize(ser)
    });
    match written {
        Ok(_) => out,
        // Element names are the sandbox's own constants: a failure is a bug in the sandbox.
        Err(e) => {
            tracing::error!("cannot write the XML answer <{root}>: {e}");
            format!("<{root}></{root}>")
        }
    }
}

/// `<{Action}Response><{Action}Result>…</…Result><ResponseMetadata>…</…></…Response>`.
pub fn query_response(ns: &str, action: &str, result: Vec<X>) -> Response {
    let body = to_xml(
        &format!("{action}Response"),
        &[
            X::leaf("@xmlns", ns),
            X::node(&format!("{action}Result"), result),
            X::node("ResponseMetadata", vec![X::leaf("RequestId", request_id())]),
        ],
    );
    (StatusCode::OK, [("content-type", "text/xml")], body).into_response()
}

/// Form parameters of a query-protocol request.
#[derive(Debug, Clone, Default)]
pub struct Params(pub BTreeMap<String, String>);

impl Params {
    pub fn parse(bytes: &[u8]) -> Self {
        Params(form_urlencoded::parse(bytes).into_owned().collect())
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// A required parameter, with IAM's own wording when it is missing.
    pub fn required(&self, name: &str) -> ApiResult<&str> {
        self.get(name).ok_or_else(|| {
            let field = member_name(name);
            ApiError::new(
                "ValidationError",
                format!("1 validation error detected: Value null at '{field}' failed to satisfy constraint: Member must not be null"),
            )
        })
    }

    /// `Name.member.1`, `Name.member.2`, … in order.
    pub fn list(&self, name: &str) -> Vec<String> {
        let prefix = format!("{name}.member.");
        let mut items: Vec<(u32, String)> = self
            .0
            .iter()
            .filter_map(|(k, v)| {
                k.strip_prefix(&prefix)?
                    .parse()
                    .ok()
                    .map(|n: u32| (n, v.clone()))
            })
            .collect();
        items.sort();
        items.into_iter().map(|(_, v)| v).collect()
    }

    /// `Name.member.N.Field…` grouped per N, each as its own `Params` with the prefix removed.
    pub fn struct_list(&self, name: &str) -> Vec<Params> {
        let prefix = format!("{name}.member.");
        let mut groups: BTreeMap<u32, BTreeMap<String, String>> = BTreeMap::new();
        for (k, v) in &self.0 {
            if let Some(rest) = k.strip_prefix(&prefix)
                && let Some((n, field)) = rest.split_once('.')
                && let Ok(n) = n.parse::<u32>()
            {
                groups
                    .entry(n)
                    .or_default()
                    .insert(field.to_owned(), v.clone());
            }
        }
        groups.into_values().map(Params).collect()
    }
}

/// The member a query-protocol parameter is reported as in errors: `RoleName` → `roleName`.
pub fn member_name(param: &str) -> String {
    let mut field = param.to_owned();
    if let Some(first) = field.get_mut(0..1) {
        first.make_ascii_lowercase();
    }
    field
}

/// Query-string parameters of a REST-JSON request.
#[derive(Debug, Clone, Default)]
pub struct Query(pub BTreeMap<String, String>);

impl Query {
    pub fn parse(raw: Option<&str>) -> Self {
        Query(
            form_urlencoded::parse(raw.unwrap_or("").as_bytes())
                .into_owned()
                .collect(),
        )
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// A required parameter, reported as CodeArtifact does.
    pub fn required(&self, name: &str) -> ApiResult<&str> {
        self.get(name).ok_or_else(|| {
            ApiError::new("ValidationException", format!("1 validation error detected: Value null at '{name}' failed to satisfy constraint: Member must not be null"))
        })
    }
}

pub fn json_response(value: serde_json::Value) -> Response {
    (
        StatusCode::OK,
        [("content-type", "application/json")],
        value.to_string(),
    )
        .into_response()
}

/// Parses a REST-JSON body; an empty body is an empty object.
pub fn json_body(bytes: &[u8]) -> ApiResult<serde_json::Value> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(serde_json::json!({}));
    }
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        ApiError::new(
            "SerializationException",
            format!("Could not parse request body as JSON: {e}"),
        )
    })?;
    if value.is_object() {
        Ok(value)
    } else {
        Err(ApiError::new(
            "SerializationException",
            "Request body must be a JSON object",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_lists_and_structs() {
        let p = Params::parse(
            b"Action=SimulatePrincipalPolicy&ActionNames.member.2=b&ActionNames.member.1=a&ActionNames.member.10=c\
              &ContextEntries.member.1.ContextKeyName=k&ContextEntries.member.1.ContextKeyValues.member.1=v",
        );
        assert_eq!(p.list("ActionNames"), vec!["a", "b", "c"]);
        let entries = p.struct_list("ContextEntries");
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].get("ContextKeyName"), Some("k"));
        assert_eq!(entries[0].list("ContextKeyValues"), vec!["v"]);
        let err = p.required("RoleName").unwrap_err();
        assert_eq!(err.code, "ValidationError");
        assert!(err.message.contains("'roleName'"));
    }

    #[test]
    fn xml_is_escaped() {
        let s = to_xml("A", &[X::leaf("B", "<&\"'>")]);
        assert_eq!(s, "<A><B>&lt;&amp;&quot;&apos;&gt;</B></A>");
    }

    #[test]
    fn xml_keeps_order_repeats_and_empty_elements() {
        let s = to_xml(
            "R",
            &[
                X::leaf("@xmlns", "https://x/"),
                X::text_members("L", &["a".to_owned(), "b".to_owned()]),
                X::node("E", vec![]),
                X::leaf("V", ""),
            ],
        );
        assert_eq!(
            s,
            "<R xmlns=\"https://x/\"><L><member>a</member><member>b</member></L><E></E><V></V></R>"
        );
    }
}
