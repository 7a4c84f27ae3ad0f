//! STS: who the credentials belong to.

use super::{AwsError, Clients};

/// The caller's identity (GetCallerIdentity).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub account: String,
    pub arn: String,
    pub user_id: String,
}

impl Clients {
    pub async fn caller_identity(&self) -> Result<Identity, AwsError> {
        const OP: &str = "GetCallerIdentity";
        let out = self
            .sts
            .get_caller_identity()
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e))?;
        Ok(Identity {
            account: out.account().unwrap_or_default().to_owned(),
            arn: out.arn().unwrap_or_default().to_owned(),
            user_id: out.user_id().unwrap_or_default().to_owned(),
        })
    }
}

/// Temporary credentials from AssumeRoleWithWebIdentity (the session token is a secret: it never
/// reaches a log, the state or the screen).
#[derive(Clone)]
pub struct SessionCredentials {
    pub access_key_id: String,
    secret_access_key: String,
    session_token: String,
    /// `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`.
    pub assumed_role_arn: String,
}

impl std::fmt::Debug for SessionCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionCredentials")
            .field("access_key_id", &self.access_key_id)
            .field("assumed_role_arn", &self.assumed_role_arn)
            .finish_non_exhaustive()
    }
}

impl Clients {
    /// AssumeRoleWithWebIdentity with a GitHub OIDC `token`, as a workflow's
    /// configure-aws-credentials does (the SDK sends it unsigned).
    pub async fn assume_role_with_web_identity(
        &self,
        role_arn: &str,
        session_name: &str,
        token: &str,
    ) -> Result<SessionCredentials, AwsError> {
        const OP: &str = "AssumeRoleWithWebIdentity";
        let out = self
            .sts
            .assume_role_with_web_identity()
            .role_arn(role_arn)
            .role_session_name(session_name)
            .web_identity_token(token)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e))?;
        let creds = out.credentials().ok_or_else(|| AwsError {
            kind: super::AwsErrorKind::Other,
            operation: OP.to_owned(),
            code: None,
            message: "AssumeRoleWithWebIdentity answered no credentials".to_owned(),
        })?;
        Ok(SessionCredentials {
            access_key_id: creds.access_key_id().to_owned(),
            secret_access_key: creds.secret_access_key().to_owned(),
            session_token: creds.session_token().to_owned(),
            assumed_role_arn: out
                .assumed_role_user()
                .map(|u| u.arn().to_owned())
                .unwrap_or_default(),
        })
    }

    /// The same clients (endpoint, region, retries) signing as the role session.
    pub fn as_session(&self, creds: &SessionCredentials) -> Clients {
        let credentials = aws_sdk_sts::config::Credentials::new(
            creds.access_key_id.clone(),
            creds.secret_access_key.clone(),
            Some(creds.session_token.clone()),
            None,
            "web-identity",
        );
        let config = self
            .config
            .to_builder()
            .credentials_provider(aws_sdk_sts::config::SharedCredentialsProvider::new(
                credentials,
            ))
            .build();
        Clients::from_config(config)
    }
}
