//! One entry point for every request: find the service (SigV4 credential scope, the PyPI path, or
//! `/github/…` without a SigV4 signature),
//! resolve the operation, apply latency and injected faults, count the call, dispatch.

use std::sync::{Arc, PoisonError};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::request::Parts;
use axum::response::Response;

mod authorize;

use super::protocol::{ApiError, IAM_NS, Params, SNS_NS, STS_NS, Wire, error_response};
use super::registry::npm;
use super::{Shared, actions, codeartifact, events, github, iam, pypi, sns, sts};
use authorize::authorize;

/// Largest request body accepted (package uploads).
const BODY_LIMIT: usize = 256 * 1024 * 1024;

pub fn app(shared: Arc<Shared>) -> Router {
    Router::new()
        .fallback(handle)
        .with_state(shared)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(|_| {
            error_response(
                Wire::Plain,
                &ApiError::new("InternalFailure", "the sandbox hit an internal error"),
            )
        }))
}

/// The service a request is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    Sts,
    Iam,
    CodeArtifact,
    Events,
    Sns,
    Pypi,
    Npm,
    GitHub,
}

impl Service {
    /// The error as this service sends it: AWS's shapes for its wire format, or GitHub's JSON.
    pub fn error_response(self, err: &ApiError) -> Response {
        let wire = match self {
            Service::Sts => Wire::Query(STS_NS),
            Service::Iam => Wire::Query(IAM_NS),
            Service::CodeArtifact => Wire::RestJson,
            Service::Events => Wire::Json11,
            Service::Sns => Wire::Query(SNS_NS),
            Service::Pypi | Service::Npm => Wire::Plain,
            Service::GitHub => return github::api_error_response(err),
        };
        error_response(wire, err)
    }
}

/// The SigV4 credential scope `AKID/DATE/REGION/SERVICE/aws4_request`, from the `Authorization`
/// header or a presigned URL's `X-Amz-Credential`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub region: String,
    pub service: String,
    /// Who signed: the access key id.
    pub access_key: String,
}

pub fn credential_scope(parts: &Parts) -> Option<Scope> {
    let from_header = parts
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|auth| auth.strip_prefix("AWS4-HMAC-SHA256"))
        .and_then(|rest| {
            rest.split(',')
                .find_map(|kv| kv.trim().strip_prefix("Credential=").map(str::to_owned))
        });
    let credential = from_header.or_else(|| {
        form_urlencoded::parse(parts.uri.query().unwrap_or("").as_bytes())
            .find(|(k, _)| k == "X-Amz-Credential")
            .map(|(_, v)| v.into_owned())
    })?;
    let fields: Vec<&str> = credential.split('/').collect();
    match fields.as_slice() {
        [key, _, region, service, "aws4_request"] => Some(Scope {
            region: (*region).to_owned(),
            service: (*service).to_owned(),
            access_key: (*key).to_owned(),
        }),
        _ => None,
    }
}

/// Whether an operation changes state (used to prove idempotency: a second `apply` makes none).
/// Downloads (a job's log) change nothing. GitHub operations (`GitHub:ListVariables`, `GitHub:CreateVariable`, …) follow the same rule.
pub fn is_mutating(operation: &str) -> bool {
    let operation = operation.strip_prefix("GitHub:").unwrap_or(operation);
    !["Get", "List", "Describe", "Simulate", "Download"]
        .iter()
        .any(|p| operation.starts_with(p))
        && !matches!(
            operation,
            "PypiSimple"
                | "PypiDownload"
                | "NpmPackument"
                | "NpmTarball"
                | "NpmPing"
                | "NpmWhoami"
                // EventBridge evaluates a pattern on an event: nothing is stored.
                | "TestEventPattern"
        )
}

async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = match axum::body::to_bytes(body, BODY_LIMIT).await {
        Ok(b) => b,
        Err(_) => {
            return error_response(
                Wire::Plain,
                &ApiError::new(
                    "RequestEntityTooLarge",
                    "request body unreadable or over 256 MiB",
                ),
            );
        }
    };
    if !shared.latency.is_zero() {
        tokio::time::sleep(shared.latency).await;
    }
    // Every request sees the Actions runs as they are on the sandbox clock now.
    actions::tick(&shared);

    let (service, scope) = match service_of(&parts, &bytes) {
        Ok(found) => found,
        // No service to answer in its own shape: the query protocol's, as AWS's front door does.
        Err(err) => return error_response(Wire::Query(IAM_NS), &err),
    };
    let resolved = resolve(service, &parts, &bytes);
    let (operation, params) = match resolved {
        Ok(r) => r,
        Err(err) => return service.error_response(&err),
    };

    *shared
        .calls
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .entry(operation.clone())
        .or_insert(0) += 1;
    tracing::debug!(?service, %operation, "sandbox request");
    shared.order.arrived(&operation);

    let injected = shared
        .faults
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .decide(&operation);
    if let Some(code) = injected {
        let err = ApiError::new(
            &code,
            format!("Injected fault for {operation} (cawiz sandbox --fault)"),
        );
        return service.error_response(&err);
    }

    let caller = match authorize(
        &shared, service, &scope, &operation, &parts, &params, &bytes,
    ) {
        Ok(caller) => caller,
        Err(err) => return service.error_response(&err),
    };
    let region = scope.region;
    let result = match service {
        Service::Sts => sts::handle(&shared, &operation, &params, &caller),
        Service::Iam => iam::handle(&shared, &operation, &params),
        Service::CodeArtifact => codeartifact::handle(
            &shared,
            &operation,
            &parts,
            &bytes,
            &region,
            caller.holder(),
        ),
        Service::Events => events::handle(&shared, &operation, &bytes, &region),
        Service::Sns => sns::handle(&shared, &operation, &params, &region),
        Service::Pypi => pypi::handle(&shared, &operation, &parts, bytes).await,
        Service::Npm => npm::handle(&shared, &operation, &parts, bytes),
        Service::GitHub => Ok(actions::handle(&shared, &parts, &bytes)
            .unwrap_or_else(|| github::handle(&shared, &parts, &bytes))),
    };
    let response = result.unwrap_or_else(|err| service.error_response(&err));
    shared.order.answer(&operation).await;
    response
}

/// Which service a request is for, and its credential scope (empty for GitHub, PyPI and unsigned
/// STS calls); or the error for a request no service takes.
fn service_of(parts: &Parts, body: &Bytes) -> Result<(Service, Scope), ApiError> {
    let unsigned = || Scope {
        region: String::new(),
        service: String::new(),
        access_key: String::new(),
    };
    let scope = credential_scope(parts);
    if github::is_github_path(parts.uri.path()) && scope.is_none() {
        return Ok((Service::GitHub, unsigned()));
    }
    if pypi::is_pypi_path(parts.uri.path()) {
        return Ok((Service::Pypi, unsigned()));
    }
    if npm::is_npm_path(parts.uri.path()) {
        return Ok((Service::Npm, unsigned()));
    }
    let Some(scope) = scope else {
        if unsigned_action(parts, body, sts::UNSIGNED) {
            return Ok((Service::Sts, unsigned()));
        }
        if unsigned_action(parts, body, sns::UNSIGNED) {
            return Ok((Service::Sns, unsigned()));
        }
        return Err(ApiError::new(
            "MissingAuthenticationToken",
            "Request is missing a SigV4 Authentication Token (Authorization header with a credential scope)",
        ));
    };
    let service = match scope.service.as_str() {
        "sts" => Service::Sts,
        "iam" => Service::Iam,
        "codeartifact" => Service::CodeArtifact,
        "events" => Service::Events,
        "sns" => Service::Sns,
        other => {
            return Err(ApiError::new(
                "UnknownService",
                format!(
                    "the cawiz sandbox emulates sts, iam, codeartifact, events and sns, not {other:?}"
                ),
            ));
        }
    };
    Ok((service, scope))
}

/// An operation that is sent unsigned: STS's AssumeRoleWithWebIdentity (it carries only its
/// token), SNS's links in messages (SubscribeURL, UnsubscribeURL).
fn unsigned_action(parts: &Parts, body: &Bytes, operations: &[&str]) -> bool {
    let mut params = Params::parse(parts.uri.query().unwrap_or("").as_bytes());
    params.0.extend(Params::parse(body).0);
    params
        .get("Action")
        .is_some_and(|a| operations.contains(&a))
}

/// The operation name, and for the query protocol its parameters (query string and form body).
fn resolve(service: Service, parts: &Parts, body: &Bytes) -> Result<(String, Params), ApiError> {
    match service {
        Service::Sts | Service::Iam | Service::Sns => {
            let mut params = Params::parse(parts.uri.query().unwrap_or("").as_bytes());
            params.0.extend(Params::parse(body).0);
            let action = params
                .get("Action")
                .ok_or_else(|| ApiError::new("MissingAction", "Missing Action parameter"))?
                .to_owned();
            let known = match service {
                Service::Sts => sts::OPERATIONS.contains(&action.as_str()),
                Service::Sns => sns::OPERATIONS.contains(&action.as_str()),
                _ => iam::OPERATIONS.contains(&action.as_str()),
            };
            if !known {
                return Err(ApiError::new(
                    "InvalidAction",
                    format!(
                        "Could not find operation {action} (the cawiz sandbox does not emulate it)"
                    ),
                ));
            }
            Ok((action, params))
        }
        Service::CodeArtifact => codeartifact::operation(&parts.method, parts.uri.path())
            .map(|op| (op.to_owned(), Params::default()))
            .ok_or_else(|| {
                ApiError::new(
                    "UnknownOperationException",
                    format!(
                        "{} {} is not a CodeArtifact operation the cawiz sandbox emulates",
                        parts.method,
                        parts.uri.path()
                    ),
                )
            }),
        Service::Events => events::operation(parts)
            .map(|op| (op, Params::default()))
            .ok_or_else(|| {
                ApiError::new(
                    "UnknownOperationException",
                    "the X-Amz-Target header names no EventBridge operation the cawiz sandbox emulates",
                )
            }),
        Service::GitHub => actions::operation(&parts.method, parts.uri.path())
            .or_else(|| github::operation(&parts.method, parts.uri.path()))
            .map(|op| (op, Params::default()))
            .ok_or_else(|| ApiError::new("NotFound", "Not Found")),
        Service::Pypi => pypi::operation(&parts.method, parts.uri.path())
            .map(|op| (op.to_owned(), Params::default()))
            .ok_or_else(|| {
                ApiError::new(
                    "NotFound",
                    format!(
                        "{} {} is not a PyPI endpoint",
                        parts.method,
                        parts.uri.path()
                    ),
                )
            }),
        Service::Npm => npm::operation(&parts.method, parts.uri.path())
            .map(|op| (op.to_owned(), Params::default()))
            .ok_or_else(|| {
                let message = format!(
                    "{} {} is not an npm endpoint",
                    parts.method,
                    parts.uri.path()
                );
                pypi::not_found(&message)
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(auth: Option<&str>, uri: &str) -> Parts {
        let mut b = axum::http::Request::builder().uri(uri);
        if let Some(a) = auth {
            b = b.header("authorization", a);
        }
        b.body(()).unwrap().into_parts().0
    }

    #[test]
    fn finds_the_service_in_the_credential_scope() {
        let p = parts(
            Some(
                "AWS4-HMAC-SHA256 Credential=AKIA/20261121/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=ab",
            ),
            "/",
        );
        assert_eq!(
            credential_scope(&p),
            Some(Scope {
                region: "us-east-1".into(),
                service: "iam".into(),
                access_key: "AKIA".into(),
            })
        );
        let p = parts(
            None,
            "/x?X-Amz-Credential=AKIA%2F20261121%2Feu-west-1%2Fcodeartifact%2Faws4_request",
        );
        assert_eq!(
            credential_scope(&p).map(|s| s.service),
            Some("codeartifact".to_owned())
        );
        assert_eq!(credential_scope(&parts(Some("Basic abc"), "/")), None);
        assert_eq!(
            credential_scope(&parts(Some("AWS4-HMAC-SHA256 Credential=garbage"), "/")),
            None
        );
    }

    #[test]
    fn mutating_operations() {
        assert!(is_mutating("CreateRole"));
        assert!(is_mutating("PypiUpload"));
        assert!(!is_mutating("GetRole"));
        assert!(!is_mutating("SimulatePrincipalPolicy"));
        assert!(!is_mutating("TestEventPattern"));
        assert!(is_mutating("PutRule"));
        assert!(!is_mutating("PypiSimple"));
        assert!(!is_mutating("NpmPackument"));
        assert!(!is_mutating("NpmTarball"));
        assert!(is_mutating("NpmPublish"));
        assert!(!is_mutating("GitHub:ListVariables"));
        assert!(!is_mutating("GitHub:GetPublicKey"));
        assert!(is_mutating("GitHub:CreateVariable"));
        assert!(is_mutating("GitHub:UpdateVariable"));
        assert!(is_mutating("GitHub:DeleteVariable"));
        assert!(is_mutating("GitHub:SetSecret"));
        assert!(is_mutating("GitHub:CreateOrUpdateFileContents"));
        assert!(is_mutating("GitHub:CreateRef"));
        assert!(is_mutating("GitHub:CreatePullRequest"));
        assert!(!is_mutating("GitHub:GetContent"));
        assert!(!is_mutating("GitHub:GetRef"));
        assert!(!is_mutating("GitHub:ListPullRequests"));
        assert!(is_mutating("GitHub:CreateWorkflowDispatch"));
        assert!(is_mutating("GitHub:CreateRelease"));
        assert!(!is_mutating("GitHub:ListWorkflowRunsForRepo"));
        assert!(!is_mutating("GitHub:DownloadJobLogsForWorkflowRun"));
        assert!(!is_mutating("GitHub:GetJobLogContent"));
    }
}
