//! IAM managed policies: attachment, versions, and SimulatePrincipalPolicy.

use aws_sdk_iam::types::{ContextEntry, ContextKeyTypeEnum};

use super::iam::{PolicyInfo, PolicyVersionInfo, Simulation};
use super::{AwsError, Clients, found};

impl Clients {
    /// The ARNs of the managed policies attached to the role (all pages).
    pub async fn attached_policies(&self, role: &str) -> Result<Vec<String>, AwsError> {
        const OP: &str = "ListAttachedRolePolicies";
        let mut arns = Vec::new();
        let mut marker: Option<String> = None;
        loop {
            let out = self
                .iam
                .list_attached_role_policies()
                .role_name(role)
                .set_marker(marker.take())
                .send()
                .await
                .map_err(|e| AwsError::from_sdk(OP, &e))?;
            arns.extend(
                out.attached_policies()
                    .iter()
                    .filter_map(|p| p.policy_arn())
                    .map(str::to_owned),
            );
            match out.marker() {
                Some(m) if out.is_truncated() => marker = Some(m.to_owned()),
                _ => return Ok(arns),
            }
        }
    }

    pub async fn attach_role_policy(&self, role: &str, policy_arn: &str) -> Result<(), AwsError> {
        const OP: &str = "AttachRolePolicy";
        self.iam
            .attach_role_policy()
            .role_name(role)
            .policy_arn(policy_arn)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e))?;
        Ok(())
    }

    pub async fn detach_role_policy(&self, role: &str, policy_arn: &str) -> Result<(), AwsError> {
        const OP: &str = "DetachRolePolicy";
        self.iam
            .detach_role_policy()
            .role_name(role)
            .policy_arn(policy_arn)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e))?;
        Ok(())
    }

    pub async fn get_policy(&self, arn: &str) -> Result<Option<PolicyInfo>, AwsError> {
        const OP: &str = "GetPolicy";
        let result = self
            .iam
            .get_policy()
            .policy_arn(arn)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e));
        Ok(found(result)?.and_then(|out| {
            out.policy().map(|p| PolicyInfo {
                arn: p.arn().unwrap_or(arn).to_owned(),
                default_version_id: p.default_version_id().unwrap_or_default().to_owned(),
                attachment_count: p.attachment_count().unwrap_or_default(),
            })
        }))
    }

    pub async fn get_policy_version(
        &self,
        arn: &str,
        version: &str,
    ) -> Result<PolicyVersionInfo, AwsError> {
        const OP: &str = "GetPolicyVersion";
        let out = self
            .iam
            .get_policy_version()
            .policy_arn(arn)
            .version_id(version)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e))?;
        let v = out.policy_version();
        Ok(PolicyVersionInfo {
            version_id: v.and_then(|v| v.version_id()).unwrap_or(version).to_owned(),
            is_default: v.is_some_and(|v| v.is_default_version()),
            created: v.and_then(|v| v.create_date()).map_or(0, |d| d.secs()),
            document: v.and_then(|v| v.document()).unwrap_or_default().to_owned(),
        })
    }

    pub async fn list_policy_versions(
        &self,
        arn: &str,
    ) -> Result<Vec<PolicyVersionInfo>, AwsError> {
        const OP: &str = "ListPolicyVersions";
        let out = self
            .iam
            .list_policy_versions()
            .policy_arn(arn)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e))?;
        Ok(out
            .versions()
            .iter()
            .map(|v| PolicyVersionInfo {
                version_id: v.version_id().unwrap_or_default().to_owned(),
                is_default: v.is_default_version(),
                created: v.create_date().map_or(0, |d| d.secs()),
                document: String::new(),
            })
            .collect())
    }

    pub async fn create_policy(
        &self,
        name: &str,
        document: &str,
        description: &str,
    ) -> Result<String, AwsError> {
        const OP: &str = "CreatePolicy";
        let out = self
            .iam
            .create_policy()
            .policy_name(name)
            .policy_document(document)
            .description(description)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e))?;
        Ok(out
            .policy()
            .and_then(|p| p.arn())
            .unwrap_or_default()
            .to_owned())
    }

    /// A new default version of the policy.
    pub async fn create_policy_version(
        &self,
        arn: &str,
        document: &str,
    ) -> Result<String, AwsError> {
        const OP: &str = "CreatePolicyVersion";
        let out = self
            .iam
            .create_policy_version()
            .policy_arn(arn)
            .policy_document(document)
            .set_as_default(true)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e))?;
        Ok(out
            .policy_version()
            .and_then(|v| v.version_id())
            .unwrap_or_default()
            .to_owned())
    }

    pub async fn delete_policy_version(&self, arn: &str, version: &str) -> Result<(), AwsError> {
        const OP: &str = "DeletePolicyVersion";
        self.iam
            .delete_policy_version()
            .policy_arn(arn)
            .version_id(version)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e))?;
        Ok(())
    }

    pub async fn delete_policy(&self, arn: &str) -> Result<(), AwsError> {
        const OP: &str = "DeletePolicy";
        self.iam
            .delete_policy()
            .policy_arn(arn)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e))?;
        Ok(())
    }

    /// SimulatePrincipalPolicy of `actions` on `resource` as `principal_arn`, with optional
    /// string context values (`(key, value)`).
    pub async fn simulate(
        &self,
        principal_arn: &str,
        actions: &[&str],
        resource: &str,
        context: &[(&str, &str)],
    ) -> Result<Vec<Simulation>, AwsError> {
        const OP: &str = "SimulatePrincipalPolicy";
        let mut request = self
            .iam
            .simulate_principal_policy()
            .policy_source_arn(principal_arn)
            .resource_arns(resource);
        for action in actions {
            request = request.action_names(*action);
        }
        for (key, value) in context {
            request = request.context_entries(
                ContextEntry::builder()
                    .context_key_name(*key)
                    .context_key_values(*value)
                    .context_key_type(ContextKeyTypeEnum::String)
                    .build(),
            );
        }
        let out = request
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, &e))?;
        Ok(out
            .evaluation_results()
            .iter()
            .map(|r| Simulation {
                action: r.eval_action_name().to_owned(),
                resource: r.eval_resource_name().unwrap_or(resource).to_owned(),
                decision: r.eval_decision().as_str().to_owned(),
                matched: r
                    .matched_statements()
                    .iter()
                    .filter_map(|s| s.source_policy_id())
                    .map(str::to_owned)
                    .collect(),
                missing_context: r.missing_context_values().to_vec(),
                boundary_allows: r
                    .permissions_boundary_decision_detail()
                    .map(|d| d.allowed_by_permissions_boundary()),
                organizations_allow: r
                    .organizations_decision_detail()
                    .map(|d| d.allowed_by_organizations()),
            })
            .collect())
    }
}
