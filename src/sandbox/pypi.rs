//! The PyPI endpoint of each repository. TODO(helper).

use axum::body::Bytes;
use axum::http::Method;
use axum::http::request::Parts;
use axum::response::Response;

use super::Shared;
use super::protocol::{ApiError, ApiResult};

pub fn is_pypi_path(path: &str) -> bool {
    let _ = path;
    false
}

pub fn operation(method: &Method, path: &str) -> Option<&'static str> {
    let _ = (method, path);
    None
}

pub async fn handle(
    _shared: &Shared,
    operation: &str,
    _parts: &Parts,
    _body: Bytes,
) -> ApiResult<Response> {
    Err(ApiError::new(
        "NotFound",
        format!("not yet implemented: {operation}"),
    ))
}
