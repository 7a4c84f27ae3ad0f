//! IAM calls (OIDC providers, roles; managed policies are in `policies.rs`), typed: `Ok(None)` where "does not exist" is an answer, not an error. Policy documents
//! come back as IAM sends them (URL-encoded); `crate::policy::parse_document` reads both forms.

use super::{AwsError, Clients, found};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcProviderInfo {
    pub arn: String,
    /// Without the scheme, as IAM reports it (`token.actions.githubusercontent.com`).
    pub url: String,
    pub client_ids: Vec<String>,
    pub thumbprints: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleInfo {
    pub name: String,
    /// As IAM returns it, with the role's path (`arn:aws:iam::ACCOUNT:role/ci/NAME`).
    pub arn: String,
    /// The trust policy as IAM returned it (usually URL-encoded JSON).
    pub trust_policy: String,
    pub max_session_duration: i32,
    /// The ARN of the policy set as the role's permissions boundary.
    pub permissions_boundary: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyInfo {
    pub arn: String,
    pub default_version_id: String,
    pub attachment_count: i32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyVersionInfo {
    pub version_id: String,
    pub is_default: bool,
    /// Seconds since the epoch.
    pub created: i64,
    /// The document as IAM returned it (usually URL-encoded JSON); empty when listed.
    pub document: String,
}

/// One SimulatePrincipalPolicy evaluation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Simulation {
    pub action: String,
    pub resource: String,
    /// `allowed`, `explicitDeny` or `implicitDeny`.
    pub decision: String,
    /// The policies whose statements decided (`SourcePolicyId`).
    pub matched: Vec<String>,
    pub missing_context: Vec<String>,
    /// `PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary`, when the role has one.
    pub boundary_allows: Option<bool>,
    /// `OrganizationsDecisionDetail.AllowedByOrganizations`, when the account is in an organisation.
    pub organizations_allow: Option<bool>,
}

impl Simulation {
    pub fn allowed(&self) -> bool {
        self.decision == "allowed"
    }

    /// What denied the action, when something other than missing grants did.
    pub fn denied_by(&self) -> Option<&'static str> {
        if self.organizations_allow == Some(false) {
            Some("a service control policy of the organisation")
        } else if self.boundary_allows == Some(false) {
            Some("the role's permissions boundary")
        } else if self.decision == "explicitDeny" {
            Some("an explicit Deny in a policy attached to the role")
        } else {
            None
        }
    }
}

impl Clients {
    /// The ARNs of every OIDC provider in the account.
    pub async fn list_oidc_providers(&self) -> Result<Vec<String>, AwsError> {
        const OP: &str = "ListOpenIDConnectProviders";
        let out = self
            .iam
            .list_open_id_connect_providers()
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e))?;
        Ok(out
            .open_id_connect_provider_list()
            .iter()
            .filter_map(|p| p.arn())
            .map(str::to_owned)
            .collect())
    }

    pub async fn get_oidc_provider(&self, arn: &str) -> Result<Option<OidcProviderInfo>, AwsError> {
        const OP: &str = "GetOpenIDConnectProvider";
        let result = self
            .iam
            .get_open_id_connect_provider()
            .open_id_connect_provider_arn(arn)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e));
        Ok(found(result)?.map(|out| OidcProviderInfo {
            arn: arn.to_owned(),
            url: out.url().unwrap_or_default().to_owned(),
            client_ids: out.client_id_list().to_vec(),
            thumbprints: out.thumbprint_list().to_vec(),
        }))
    }

    pub async fn create_oidc_provider(
        &self,
        url: &str,
        client_id: &str,
        thumbprint: &str,
    ) -> Result<String, AwsError> {
        const OP: &str = "CreateOpenIDConnectProvider";
        let out = self
            .iam
            .create_open_id_connect_provider()
            .url(url)
            .client_id_list(client_id)
            .thumbprint_list(thumbprint)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e))?;
        Ok(out
            .open_id_connect_provider_arn()
            .unwrap_or_default()
            .to_owned())
    }

    pub async fn add_oidc_client_id(&self, arn: &str, client_id: &str) -> Result<(), AwsError> {
        const OP: &str = "AddClientIDToOpenIDConnectProvider";
        self.iam
            .add_client_id_to_open_id_connect_provider()
            .open_id_connect_provider_arn(arn)
            .client_id(client_id)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e))?;
        Ok(())
    }

    pub async fn delete_oidc_provider(&self, arn: &str) -> Result<(), AwsError> {
        const OP: &str = "DeleteOpenIDConnectProvider";
        self.iam
            .delete_open_id_connect_provider()
            .open_id_connect_provider_arn(arn)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e))?;
        Ok(())
    }

    pub async fn get_role(&self, name: &str) -> Result<Option<RoleInfo>, AwsError> {
        const OP: &str = "GetRole";
        let result = self
            .iam
            .get_role()
            .role_name(name)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e));
        Ok(found(result)?.and_then(|out| {
            out.role().map(|r| RoleInfo {
                name: r.role_name().to_owned(),
                arn: r.arn().to_owned(),
                trust_policy: r
                    .assume_role_policy_document()
                    .unwrap_or_default()
                    .to_owned(),
                max_session_duration: r.max_session_duration().unwrap_or(3600),
                permissions_boundary: r
                    .permissions_boundary()
                    .and_then(|b| b.permissions_boundary_arn())
                    .map(str::to_owned),
            })
        }))
    }

    pub async fn create_role(
        &self,
        name: &str,
        trust_policy: &str,
        description: &str,
    ) -> Result<String, AwsError> {
        const OP: &str = "CreateRole";
        let out = self
            .iam
            .create_role()
            .role_name(name)
            .assume_role_policy_document(trust_policy)
            .description(description)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e))?;
        Ok(out.role().map(|r| r.arn().to_owned()).unwrap_or_default())
    }

    pub async fn update_trust_policy(&self, role: &str, document: &str) -> Result<(), AwsError> {
        const OP: &str = "UpdateAssumeRolePolicy";
        self.iam
            .update_assume_role_policy()
            .role_name(role)
            .policy_document(document)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e))?;
        Ok(())
    }

    pub async fn delete_role(&self, name: &str) -> Result<(), AwsError> {
        const OP: &str = "DeleteRole";
        self.iam
            .delete_role()
            .role_name(name)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e))?;
        Ok(())
    }
}
