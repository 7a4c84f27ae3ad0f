//! The changes apply can make, as data: a plan is a list of actions, each with a sentence and the
//! equivalent shell command, and apply executes exactly that list (so plan and apply cannot differ).

use serde_json::Value;

use crate::shell::shell_quote as q;

use super::consumers::{ConsumerAction, STATEMENTS_KIND};
use super::notifications::NotifyAction;
use super::pipeline_run::PipelineAction;
use super::workflow::WorkflowAction;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    CreateDomain {
        domain: String,
    },
    CreateRepository {
        domain: String,
        owner: String,
        repository: String,
        description: String,
    },
    AssociateExternalConnection {
        domain: String,
        owner: String,
        repository: String,
        connection: String,
    },
    /// UpdateRepository with the full upstream list (existing upstreams kept, ours appended).
    SetUpstreams {
        domain: String,
        owner: String,
        repository: String,
        upstreams: Vec<String>,
    },
    CreateOidcProvider {
        url: String,
        client_id: String,
        thumbprint: String,
    },
    AddOidcClientId {
        arn: String,
        client_id: String,
    },
    CreateRole {
        name: String,
        trust_policy: Value,
    },
    /// A new trust policy: the current one with what is missing added (or, when asked for by the
    /// plan, wildcard subjects narrowed); `change` says which, in a sentence.
    UpdateTrustPolicy {
        role: String,
        trust_policy: Value,
        change: String,
    },
    CreatePolicy {
        name: String,
        document: Value,
    },
    /// Makes room at IAM's five-version limit: deletes the oldest non-default version.
    DeletePolicyVersion {
        arn: String,
        version: String,
    },
    /// A new default version; `change` says what it adds or replaces, in a sentence.
    CreatePolicyVersion {
        arn: String,
        document: Value,
        change: String,
    },
    AttachRolePolicy {
        role: String,
        policy_arn: String,
    },
    SetVariable {
        github: String,
        name: String,
        value: String,
    },
    /// A repository secret cawiz cannot write because it does not hold the value.
    SetSecretByHand {
        github: String,
        name: String,
    },
    /// The repository's OIDC subject template does not name the repository: cawiz will not write
    /// a trust on it (any repository of the owner could present it); the user changes it.
    SubjectTemplateByHand {
        github: String,
    },
    /// An environment's variable that shadows the repository's for the publish job: the
    /// variables item writes repository variables only, so this one is the user's to change.
    SetEnvVariableByHand {
        github: String,
        environment: String,
        name: String,
        value: String,
    },
    RunLocalTest {
        domain: String,
        owner: String,
        repository: String,
        package: String,
        /// Also upload (twine) and reinstall (pip in a throw-away venv).
        publish: bool,
        /// The setup's formats, each tested with its client.
        formats: Vec<crate::format::FormatSetup>,
    },
    /// Write the publish workflow, or commit it.
    Workflow(WorkflowAction),
    Pipeline(PipelineAction),
    /// A step of the notifications item (EventBridge and SNS).
    Notify(NotifyAction),
    /// A consumer grant in a permissions policy.
    Consumers(ConsumerAction),
}

pub const ROLE_DESCRIPTION: &str =
    "Assumed by GitHub Actions through OIDC to publish Python packages to CodeArtifact (cawiz)";
pub const POLICY_DESCRIPTION: &str =
    "Publish and read Python packages in CodeArtifact from GitHub Actions (cawiz)";

fn compact(doc: &Value) -> String {
    serde_json::to_string(doc).unwrap_or_default()
}

impl Action {
    /// True for the steps only a person can do (apply shows them and goes on).
    pub fn is_manual(&self) -> bool {
        match self {
            Action::SetSecretByHand { .. }
            | Action::SubjectTemplateByHand { .. }
            | Action::SetEnvVariableByHand { .. } => true,
            Action::Workflow(w) => w.is_manual(),
            Action::Pipeline(p) => p.is_manual(),
            Action::Notify(n) => n.is_manual(),
            _ => false,
        }
    }

    /// One sentence: what this step changes.
    pub fn describe(&self) -> String {
        match self {
            Action::CreateDomain { domain } => format!("Create the CodeArtifact domain {domain}"),
            Action::CreateRepository {
                domain, repository, ..
            } => format!("Create the repository {repository} in domain {domain}"),
            Action::AssociateExternalConnection {
                repository,
                connection,
                ..
            } => format!("Connect {repository} to {connection}"),
            Action::SetUpstreams {
                repository,
                upstreams,
                ..
            } => format!(
                "Set the upstreams of {repository} to {}",
                upstreams.join(", ")
            ),
            Action::CreateOidcProvider { url, client_id, .. } => {
                format!("Create the IAM OIDC provider for {url} with client id {client_id}")
            }
            Action::AddOidcClientId { client_id, .. } => {
                format!("Add the client id {client_id} to the existing GitHub OIDC provider")
            }
            Action::CreateRole { name, .. } => {
                format!("Create the role {name} trusted by GitHub's OIDC provider")
            }
            Action::UpdateTrustPolicy { role, change, .. } => {
                format!("Update the trust policy of {role}: {change}")
            }
            Action::CreatePolicy { name, .. } => {
                format!("Create the customer-managed policy {name}")
            }
            Action::DeletePolicyVersion { version, .. } => format!(
                "Delete the oldest non-default policy version {version} (IAM keeps at most 5)"
            ),
            Action::CreatePolicyVersion { change, .. } => {
                format!("Create a new default version of the publish policy: {change}")
            }
            Action::AttachRolePolicy { role, policy_arn } => {
                format!("Attach {policy_arn} to {role}")
            }
            Action::SetVariable {
                github,
                name,
                value,
            } => format!("Set the Actions variable {name}={value} on {github}"),
            Action::SetSecretByHand { github, name } => {
                format!("Store the secret {name} on {github} (by hand: cawiz never holds keys)")
            }
            Action::SubjectTemplateByHand { github } => format!(
                "Make {github}'s OIDC subject name the repository (the default template, or one \
                 with `repo`), by hand: cawiz will not trust a subject any repository of the \
                 owner can present"
            ),
            Action::SetEnvVariableByHand {
                github,
                environment,
                name,
                value,
            } => format!(
                "Set the variable {name}={value} of the environment {environment} of {github} (by \
                 hand: it shadows the repository's for the publish job, and cawiz writes \
                 repository variables only)"
            ),
            Action::RunLocalTest {
                repository,
                package,
                publish,
                formats,
                ..
            } => super::local_test::plan::describe(formats, repository, package, *publish),
            Action::Workflow(w) => w.describe(),
            Action::Pipeline(p) => p.describe(),
            Action::Notify(n) => n.describe(),
            Action::Consumers(c) => c.describe(),
        }
    }

    /// The equivalent command for a POSIX shell (AWS CLI v2, or `gh` for GitHub).
    pub fn command(&self, region: &str) -> String {
        let r = q(region);
        match self {
            Action::CreateDomain { domain } => format!(
                "aws codeartifact create-domain --domain {} --region {r}",
                q(domain)
            ),
            Action::CreateRepository {
                domain,
                owner,
                repository,
                description,
            } => format!(
                "aws codeartifact create-repository --domain {} --domain-owner {} --repository {} \
                 --description {} --region {r}",
                q(domain),
                q(owner),
                q(repository),
                q(description)
            ),
            Action::AssociateExternalConnection {
                domain,
                owner,
                repository,
                connection,
            } => format!(
                "aws codeartifact associate-external-connection --domain {} --domain-owner {} \
                 --repository {} --external-connection {} --region {r}",
                q(domain),
                q(owner),
                q(repository),
                q(connection)
            ),
            Action::SetUpstreams {
                domain,
                owner,
                repository,
                upstreams,
            } => format!(
                "aws codeartifact update-repository --domain {} --domain-owner {} --repository {} \
                 --upstreams {} --region {r}",
                q(domain),
                q(owner),
                q(repository),
                upstreams
                    .iter()
                    .map(|u| q(&format!("repositoryName={u}")))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            Action::CreateOidcProvider {
                url,
                client_id,
                thumbprint,
            } => format!(
                "aws iam create-open-id-connect-provider --url {} --client-id-list {} --thumbprint-list {}",
                q(url),
                q(client_id),
                q(thumbprint)
            ),
            Action::AddOidcClientId { arn, client_id } => format!(
                "aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn {} \
                 --client-id {}",
                q(arn),
                q(client_id)
            ),
            Action::CreateRole { name, trust_policy } => format!(
                "aws iam create-role --role-name {} --assume-role-policy-document {} --description {}",
                q(name),
                q(&compact(trust_policy)),
                q(ROLE_DESCRIPTION)
            ),
            Action::UpdateTrustPolicy {
                role, trust_policy, ..
            } => format!(
                "aws iam update-assume-role-policy --role-name {} --policy-document {}",
                q(role),
                q(&compact(trust_policy))
            ),
            Action::CreatePolicy { name, document } => format!(
                "aws iam create-policy --policy-name {} --policy-document {} --description {}",
                q(name),
                q(&compact(document)),
                q(POLICY_DESCRIPTION)
            ),
            Action::DeletePolicyVersion { arn, version } => format!(
                "aws iam delete-policy-version --policy-arn {} --version-id {}",
                q(arn),
                q(version)
            ),
            Action::CreatePolicyVersion { arn, document, .. } => format!(
                "aws iam create-policy-version --policy-arn {} --policy-document {} --set-as-default",
                q(arn),
                q(&compact(document))
            ),
            Action::AttachRolePolicy { role, policy_arn } => format!(
                "aws iam attach-role-policy --role-name {} --policy-arn {}",
                q(role),
                q(policy_arn)
            ),
            Action::SetVariable {
                github,
                name,
                value,
            } => format!(
                "gh variable set {} --body {} --repo {}",
                q(name),
                q(value),
                q(github)
            ),
            Action::SetSecretByHand { github, name } => {
                format!("gh secret set {} --repo {}", q(name), q(github))
            }
            Action::SubjectTemplateByHand { github } => format!(
                "gh api --method PUT {} -F use_default=true",
                q(&format!("repos/{github}/actions/oidc/customization/sub"))
            ),
            Action::SetEnvVariableByHand {
                github,
                environment,
                name,
                value,
            } => format!(
                "gh variable set {} --env {} --body {} --repo {}",
                q(name),
                q(environment),
                q(value),
                q(github)
            ),
            Action::RunLocalTest {
                domain,
                owner,
                repository,
                package,
                formats,
                ..
            } => {
                let common = format!(
                    "--domain {} --domain-owner {} --region {r}",
                    q(domain),
                    q(owner)
                );
                super::local_test::plan::command(formats, &common, repository, package)
            }
            Action::Workflow(w) => w.command(),
            Action::Pipeline(p) => p.command(),
            Action::Notify(n) => n.command(region),
            Action::Consumers(c) => c.command(region),
        }
    }

    /// The `kind` recorded for a resource this action creates (for `destroy`), if it creates one.
    pub fn creates(&self) -> Option<&'static str> {
        match self {
            Action::CreateDomain { .. } => Some("domain"),
            Action::CreateRepository { .. } => Some("repository"),
            Action::SetUpstreams { .. } => Some("upstream_link"),
            Action::CreateOidcProvider { .. } => Some("oidc_provider"),
            Action::CreateRole { .. } => Some("role"),
            Action::CreatePolicy { .. } => Some("policy"),
            Action::AttachRolePolicy { .. } => Some("policy_attachment"),
            Action::SetVariable { .. } => Some("variable"),
            Action::Workflow(w) => w.creates(),
            Action::Notify(n) => n.creates(),
            Action::Consumers(_) => Some(STATEMENTS_KIND),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests;
