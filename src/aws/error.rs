//! AWS errors classified into the kinds cawiz explains, each with the fix to try.

use std::error::Error as StdError;
use std::fmt;

use aws_sdk_sts::error::{ProvideErrorMetadata, SdkError};

/// What went wrong, in the terms a user can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AwsErrorKind {
    NotFound,
    AccessDenied,
    Throttled,
    ExpiredCredentials,
    Conflict,
    Other,
}

impl fmt::Display for AwsErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AwsErrorKind::NotFound => "not found",
            AwsErrorKind::AccessDenied => "access denied",
            AwsErrorKind::Throttled => "throttled",
            AwsErrorKind::ExpiredCredentials => "expired or missing credentials",
            AwsErrorKind::Conflict => "conflict",
            AwsErrorKind::Other => "error",
        })
    }
}

/// A classified AWS error: the operation, AWS's code and message, and the fix to try.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{operation} failed ({kind}{}): {message}", code.as_deref().map(|c| format!(", {c}")).unwrap_or_default())]
pub struct AwsError {
    pub kind: AwsErrorKind,
    pub operation: String,
    pub code: Option<String>,
    pub message: String,
}

/// The kind an AWS error code belongs to.
pub fn classify_code(code: &str) -> AwsErrorKind {
    match code {
        "ResourceNotFoundException"
        | "NoSuchEntity"
        | "NoSuchEntityException"
        | "NotFoundException"
        | "NotFound" => AwsErrorKind::NotFound,
        "AccessDenied"
        | "AccessDeniedException"
        | "UnauthorizedOperation"
        | "AuthorizationError"
        | "UnauthorizedException" => AwsErrorKind::AccessDenied,
        "Throttling"
        | "ThrottlingException"
        | "TooManyRequestsException"
        | "RequestLimitExceeded"
        | "SlowDown"
        | "RequestThrottled"
        | "RequestThrottledException" => AwsErrorKind::Throttled,
        "ExpiredToken"
        | "ExpiredTokenException"
        | "RequestExpired"
        | "InvalidClientTokenId"
        | "UnrecognizedClientException"
        | "SignatureDoesNotMatch"
        | "MissingAuthenticationToken"
        | "InvalidAccessKeyId"
        | "IncompleteSignature" => AwsErrorKind::ExpiredCredentials,
        "ConflictException"
        | "EntityAlreadyExists"
        | "DeleteConflict"
        | "ResourceExistsException" => AwsErrorKind::Conflict,
        _ => AwsErrorKind::Other,
    }
}

/// "Does not exist" as an answer: `Ok(None)` for a not-found error, the value otherwise.
pub fn found<T>(result: Result<T, AwsError>) -> Result<Option<T>, AwsError> {
    match result {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.kind == AwsErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

impl AwsError {
    pub fn new(
        kind: AwsErrorKind,
        operation: &str,
        code: Option<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            kind,
            operation: operation.to_owned(),
            code,
            message: message.into(),
        }
    }

    /// Classifies any SDK error of `operation`.
    pub fn from_sdk<E, R>(operation: &str, err: &SdkError<E, R>) -> Self
    where
        E: ProvideErrorMetadata + StdError + 'static,
        R: fmt::Debug + 'static,
    {
        if let Some(code) = err.code() {
            let message = err.message().unwrap_or(code).to_owned();
            return Self::new(
                classify_code(code),
                operation,
                Some(code.to_owned()),
                message,
            );
        }
        let chain = crate::error_text::error_chain(err);
        let lower = chain.to_lowercase();
        let kind = if lower.contains("credential")
            || lower.contains("no token")
            || lower.contains("sso")
        {
            AwsErrorKind::ExpiredCredentials
        } else {
            AwsErrorKind::Other
        };
        let message = match err {
            SdkError::TimeoutError(_) => format!("timed out: {chain}"),
            SdkError::DispatchFailure(_) if kind == AwsErrorKind::Other => {
                format!("could not reach the AWS endpoint: {chain}")
            }
            _ => chain,
        };
        Self::new(kind, operation, None, message)
    }

    /// From AWS's access-denied message, "…is not authorized to perform: ACTION on resource: ARN…".
    pub fn denied_action(&self) -> Option<(String, Option<String>)> {
        let rest = self.message.split("perform: ").nth(1)?;
        let action = rest
            .split_whitespace()
            .next()?
            .trim_end_matches([',', '.'])
            .to_owned();
        let resource = rest
            .split("on resource: ")
            .nth(1)
            .and_then(|r| r.split_whitespace().next())
            .map(|r| r.trim_end_matches([',', '.']).to_owned());
        Some((action, resource))
    }

    /// What the user should try.
    pub fn fix(&self) -> String {
        match self.kind {
            AwsErrorKind::NotFound => {
                "It does not exist (yet): apply the item that creates it, or check the name, region and account."
                    .to_owned()
            }
            AwsErrorKind::AccessDenied => match self.denied_action() {
                Some((action, Some(resource))) => format!(
                    "Your identity may not call {action} on {resource}. Use a profile with that permission \
                     (--profile), or ask an administrator to grant it."
                ),
                Some((action, None)) => format!(
                    "Your identity may not call {action}. Use a profile with that permission (--profile), or ask \
                     an administrator to grant it."
                ),
                None => format!(
                    "Your identity may not call {}. Use a profile with that permission (--profile), or ask an \
                     administrator to grant it.",
                    self.operation
                ),
            },
            AwsErrorKind::Throttled => {
                "AWS is rate-limiting these calls; cawiz retries with backoff. Wait a moment and re-check.".to_owned()
            }
            AwsErrorKind::ExpiredCredentials => "Your AWS credentials are missing or expired: run `aws sso login` \
                 (SSO profiles) or `aws configure` (access keys), or pick a profile with --profile. To rehearse \
                 without AWS, run with --sandbox."
                .to_owned(),
            AwsErrorKind::Conflict => {
                "It already exists or is in use; re-check to adopt the existing resource.".to_owned()
            }
            AwsErrorKind::Other => {
                "Re-check; if it persists, run again with RUST_LOG=debug to see each request on stderr (tokens are never logged).".to_owned()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_map_to_kinds() {
        for (code, kind) in [
            ("ResourceNotFoundException", AwsErrorKind::NotFound),
            ("NoSuchEntity", AwsErrorKind::NotFound),
            ("AccessDenied", AwsErrorKind::AccessDenied),
            ("AccessDeniedException", AwsErrorKind::AccessDenied),
            ("Throttling", AwsErrorKind::Throttled),
            ("ThrottlingException", AwsErrorKind::Throttled),
            ("ExpiredToken", AwsErrorKind::ExpiredCredentials),
            ("InvalidClientTokenId", AwsErrorKind::ExpiredCredentials),
            ("ConflictException", AwsErrorKind::Conflict),
            ("EntityAlreadyExists", AwsErrorKind::Conflict),
            ("ValidationException", AwsErrorKind::Other),
        ] {
            assert_eq!(classify_code(code), kind, "{code}");
        }
    }

    #[test]
    fn access_denied_names_the_action_and_resource() {
        let e = AwsError::new(
            AwsErrorKind::AccessDenied,
            "CreateDomain",
            Some("AccessDeniedException".into()),
            "User: arn:aws:iam::123456789012:user/dev is not authorized to perform: codeartifact:CreateDomain on \
             resource: arn:aws:codeartifact:us-east-1:123456789012:domain/octo-org because no identity-based policy allows it",
        );
        assert_eq!(
            e.denied_action(),
            Some((
                "codeartifact:CreateDomain".to_owned(),
                Some("arn:aws:codeartifact:us-east-1:123456789012:domain/octo-org".to_owned())
            ))
        );
        assert!(
            e.fix()
                .contains("codeartifact:CreateDomain on arn:aws:codeartifact")
        );
        let expired = AwsError::new(
            AwsErrorKind::ExpiredCredentials,
            "GetCallerIdentity",
            None,
            "x",
        );
        assert!(expired.fix().contains("aws sso login") && expired.fix().contains("aws configure"));
    }
}
