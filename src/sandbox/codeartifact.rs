//! CodeArtifact (REST-JSON). TODO(helper).

use axum::http::Method;
use axum::http::request::Parts;
use axum::response::Response;

use super::Shared;
use super::protocol::{ApiError, ApiResult};

/// The operation a method and path name, as the AWS SDK sends them.
pub fn operation(method: &Method, path: &str) -> Option<&'static str> {
    let _ = (method, path);
    None
}

pub fn handle(
    _shared: &Shared,
    operation: &str,
    _parts: &Parts,
    _body: &[u8],
    _region: &str,
) -> ApiResult<Response> {
    Err(ApiError::new(
        "UnknownOperationException",
        format!("not yet implemented: {operation}"),
    ))
}
