//! What a GitHub endpoint sees of a request and what it answers: a reply or GitHub's error.

use std::time::SystemTime;

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::protocol::Query;

/// What an endpoint sees of a request.
pub struct Input<'a> {
    pub query: Query,
    pub body: &'a [u8],
    pub now: SystemTime,
    /// `{sandbox_url}/github`, for the URLs in answers.
    pub api_url: String,
}

/// A successful answer.
pub struct Reply {
    pub status: StatusCode,
    /// `None` for `204 No Content`.
    pub body: Option<Value>,
    /// The `Link` header of a paginated list.
    pub link: Option<String>,
    /// The `Location` header of a redirect.
    pub location: Option<String>,
}

impl Reply {
    pub fn ok(body: Value) -> Self {
        Self {
            status: StatusCode::OK,
            body: Some(body),
            link: None,
            location: None,
        }
    }
    /// `201 Created` with GitHub's empty object.
    pub fn created() -> Self {
        Self {
            status: StatusCode::CREATED,
            body: Some(json!({})),
            link: None,
            location: None,
        }
    }
    /// `302 Found` to `location` (GitHub's answer for a log download).
    pub fn found(location: String) -> Self {
        Self {
            status: StatusCode::FOUND,
            body: None,
            link: None,
            location: Some(location),
        }
    }
    pub fn no_content() -> Self {
        Self {
            status: StatusCode::NO_CONTENT,
            body: None,
            link: None,
            location: None,
        }
    }
}

/// An error answer: the status and GitHub's `message`.
#[derive(Debug)]
pub struct GhError {
    pub status: StatusCode,
    pub message: String,
    /// A 422's `errors` (`{"resource", "field", "code", "message"}` objects), sent when not empty.
    pub errors: Vec<Value>,
}

impl GhError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            errors: Vec::new(),
        }
    }
    /// GitHub's `422 Validation Failed` with its `errors`.
    pub fn validation(errors: Vec<Value>) -> Self {
        Self {
            errors,
            ..Self::new(StatusCode::UNPROCESSABLE_ENTITY, "Validation Failed")
        }
    }
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "Not Found")
    }
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, message)
    }
}

pub type GhResult = Result<Reply, GhError>;
