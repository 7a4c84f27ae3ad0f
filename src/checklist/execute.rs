//! Carries out one planned action. "Already exists" answers mean someone else created it between
//! the check and now: the resource is adopted, not failed on.

use crate::aws::{AwsError, AwsErrorKind};
use crate::github::{GithubError, SetOutcome};
use crate::localtest::LocalTestError;
use crate::state::{CreatedResource, LocalTestRecord, State};

use super::action::{POLICY_DESCRIPTION, ROLE_DESCRIPTION};
use super::{Action, Context, ItemError, ItemId, Progress, Step};

mod local_test;
pub use local_test::pypi_target;
use local_test::run_local_test;

/// What one action did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A new resource, recorded for `destroy` (`kind` as in [`Action::creates`]), with its region
    /// when it has one.
    Created {
        kind: &'static str,
        id: String,
        region: Option<String>,
    },
    Changed(String),
    /// It already existed: adopted as it is.
    Adopted(String),
    /// Only a person can do it; shown, not done.
    Manual(String),
    LocalTest(LocalTestRecord),
}

impl Outcome {
    /// Writes what `step` did into the state: the resource created (for `destroy`), the local
    /// test's result, and a history entry.
    pub fn record(&self, step: &Step, state: &mut State) {
        if let Some(resource) = self.resource(step.item) {
            state.created.push(resource);
        }
        if let Outcome::LocalTest(record) = self {
            state.local_test = Some(record.clone());
        }
        state.record(step.item.key(), &step.description, &self.describe());
    }

    /// The resource this outcome created, as the state records it.
    pub fn resource(&self, item: ItemId) -> Option<CreatedResource> {
        match self {
            Outcome::Created { kind, id, region } => Some(CreatedResource {
                item: item.key().to_owned(),
                kind: (*kind).to_owned(),
                id: id.clone(),
                created_at: crate::state::now_secs(),
                region: region.clone(),
            }),
            _ => None,
        }
    }

    /// What a session's context must know after this outcome: the local test's result, and what
    /// cawiz created (only that may later be replaced whole).
    pub fn remember(&self, item: ItemId, ctx: &mut Context) {
        if let Some(resource) = self.resource(item) {
            ctx.created.push(resource);
        }
        if let Outcome::LocalTest(record) = self {
            ctx.local_test = Some(record.clone());
        }
    }

    /// One line for logs and history (no secrets: outcomes never hold one).
    pub fn describe(&self) -> String {
        match self {
            // A written file's id carries its hash (for destroy); its path says enough.
            Outcome::Created { kind, id, .. } if *kind == super::workflow::FILE_KIND => format!(
                "created {kind} {}",
                id.rsplit_once('|').map_or(id.as_str(), |(path, _)| path)
            ),
            Outcome::Created { kind, id, .. } => format!("created {kind} {id}"),
            Outcome::Changed(what) => format!("changed: {what}"),
            Outcome::Adopted(what) => format!("already existed: adopted {what}"),
            Outcome::Manual(command) => format!("by hand: {command}"),
            Outcome::LocalTest(r) => format!("local test {}", r.summary()),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    #[error("--read-only: refusing to {0}")]
    ReadOnly(String),
    #[error(transparent)]
    Aws(#[from] AwsError),
    #[error(transparent)]
    Github(#[from] GithubError),
    #[error("{item} cannot be checked: {error}")]
    Check { item: ItemId, error: ItemError },
    #[error("{item} is blocked: {by} is not done yet")]
    Blocked { item: ItemId, by: ItemId },
    /// Stopped on request (the TUI's `x` during `A`) before `item`'s next step.
    #[error("cancelled before the next step of {item}")]
    Cancelled { item: ItemId },
    #[error("after applying, {item} is {kind}: {summary}")]
    NotVerified {
        item: ItemId,
        kind: &'static str,
        summary: String,
    },
    #[error("the local test could not run: {0}")]
    LocalTest(#[from] LocalTestError),
    #[error("the state file: {0}")]
    State(String),
    /// A change cawiz will not make as things are (a file changed since the check, …).
    #[error("{message}")]
    Refused { message: String, fix: String },
    #[error(transparent)]
    Pipeline(crate::pipeline::PipelineError),
    /// The verification run failed (the cause, when its log shows one).
    #[error("{}", run_failure(.0))]
    RunFailed(Box<crate::pipeline::RunView>),
}

/// "run #N failed: TITLE (CAUSE) — EVIDENCE".
fn run_failure(view: &crate::pipeline::RunView) -> String {
    let run = &view.run;
    let conclusion = run.conclusion.as_deref().unwrap_or("unknown");
    match &view.diagnosis {
        Some(d) => format!(
            "run #{} ended {conclusion}: {} ({}) — {}",
            run.run_number, d.title, d.cause, d.evidence
        ),
        None => format!(
            "run #{} ended {conclusion}; its log matches no known failure ({})",
            run.run_number, run.html_url
        ),
    }
}

impl ApplyError {
    /// What the user should try.
    pub fn fix(&self) -> String {
        match self {
            ApplyError::ReadOnly(_) => "run without --read-only to make changes".to_owned(),
            ApplyError::Aws(e) => e.fix(),
            ApplyError::Github(e) => e.fix(),
            ApplyError::Pipeline(e) => e.fix(),
            ApplyError::RunFailed(view) => view.diagnosis.as_ref().map_or_else(
                || format!("read the run's log: {}", view.run.html_url),
                |d| d.fix.clone(),
            ),
            ApplyError::Check { error, .. } => error.fix.clone(),
            ApplyError::Blocked { by, .. } => {
                format!("apply it first: cawiz apply --only {}", by.key())
            }
            ApplyError::Cancelled { .. } => {
                "nothing half-done: apply again (A) to go on from there".to_owned()
            }
            ApplyError::NotVerified { item, .. } => format!(
                "look at `cawiz status` for {item}; if IAM is still propagating, wait a minute and run \
                 `cawiz apply` again"
            ),
            ApplyError::LocalTest(e) => e.to_string(),
            ApplyError::State(_) => "fix or move the state file, or pass --state".to_owned(),
            ApplyError::Refused { fix, .. } => fix.clone(),
        }
    }

    /// The item the error names, when it names one.
    pub fn item(&self) -> Option<ItemId> {
        match self {
            ApplyError::Check { item, .. }
            | ApplyError::Blocked { item, .. }
            | ApplyError::Cancelled { item }
            | ApplyError::NotVerified { item, .. } => Some(*item),
            _ => None,
        }
    }

    /// The error class shown next to the message.
    pub fn kind(&self) -> String {
        match self {
            ApplyError::Aws(e) => e.kind.to_string(),
            ApplyError::Check { error, .. } => error.kind.to_string(),
            ApplyError::Github(e) => ItemError::from(e.clone()).kind.to_string(),
            ApplyError::ReadOnly(_) => "read-only".to_owned(),
            ApplyError::Blocked { .. } => "blocked".to_owned(),
            ApplyError::Cancelled { .. } => "cancelled".to_owned(),
            ApplyError::NotVerified { .. } => "not verified".to_owned(),
            ApplyError::LocalTest(_) => "local test".to_owned(),
            ApplyError::State(_) => "state file".to_owned(),
            ApplyError::Refused { .. } => "refused".to_owned(),
            ApplyError::Pipeline(_) => "pipeline".to_owned(),
            ApplyError::RunFailed(_) => "run failed".to_owned(),
        }
    }
}

/// Turns an "already exists" into an adoption.
fn adopt(result: Result<Outcome, AwsError>, what: String) -> Result<Outcome, ApplyError> {
    match result {
        Err(e) if e.kind == AwsErrorKind::Conflict => Ok(Outcome::Adopted(what)),
        other => Ok(other?),
    }
}

/// True when `action` only reads (allowed with --read-only).
fn reads_only(ctx: &Context, action: &Action) -> bool {
    match action {
        Action::RunLocalTest { .. } => !ctx.local_test_config.publish,
        Action::Pipeline(super::pipeline_run::PipelineAction::Watch { .. }) => true,
        _ => false,
    }
}

pub async fn execute(
    ctx: &Context,
    action: &Action,
    progress: &mut (dyn FnMut(Progress<'_>) + Send),
) -> Result<Outcome, ApplyError> {
    if ctx.read_only && !reads_only(ctx, action) && !action.is_manual() {
        return Err(ApplyError::ReadOnly(action.describe().to_lowercase()));
    }
    let c = &ctx.clients;
    let s = &ctx.setup;
    let kind = action.creates().unwrap_or("resource");
    let region = crate::state::REGIONAL_KINDS
        .contains(&kind)
        .then(|| s.region.clone());
    let created = |id: String| Outcome::Created {
        kind,
        id,
        region: region.clone(),
    };
    match action {
        Action::CreateDomain { domain } => adopt(
            c.create_domain(domain)
                .await
                .map(|_| created(domain.clone())),
            format!("domain {domain}"),
        ),
        Action::CreateRepository {
            domain,
            owner,
            repository,
            description,
        } => adopt(
            c.create_repository(domain, owner, repository, description)
                .await
                .map(|_| created(format!("{domain}/{repository}"))),
            format!("repository {repository}"),
        ),
        Action::AssociateExternalConnection {
            domain,
            owner,
            repository,
            connection,
        } => adopt(
            c.associate_external_connection(domain, owner, repository, connection)
                .await
                .map(|()| Outcome::Changed(format!("{repository} → {connection}"))),
            format!("{connection} on {repository}"),
        ),
        Action::SetUpstreams {
            domain,
            owner,
            repository,
            upstreams,
        } => {
            c.set_upstreams(domain, owner, repository, upstreams)
                .await?;
            // Each step appends one upstream (the last): that link is what it created.
            let added = upstreams.last().map_or("", String::as_str);
            Ok(created(format!("{domain}/{repository}/{added}")))
        }
        Action::CreateOidcProvider {
            url,
            client_id,
            thumbprint,
        } => adopt(
            c.create_oidc_provider(url, client_id, thumbprint)
                .await
                .map(created),
            format!("OIDC provider {url}"),
        ),
        Action::AddOidcClientId { arn, client_id } => {
            c.add_oidc_client_id(arn, client_id).await?;
            Ok(Outcome::Changed(format!("client id {client_id} added")))
        }
        Action::CreateRole { name, trust_policy } => adopt(
            c.create_role(name, &trust_policy.to_string(), ROLE_DESCRIPTION)
                .await
                .map(|_| created(name.clone())),
            format!("role {name}"),
        ),
        Action::UpdateTrustPolicy {
            role,
            trust_policy,
            change,
        } => {
            c.update_trust_policy(role, &trust_policy.to_string())
                .await?;
            Ok(Outcome::Changed(format!(
                "trust policy of {role}: {change}"
            )))
        }
        Action::CreatePolicy { name, document } => adopt(
            c.create_policy(name, &document.to_string(), POLICY_DESCRIPTION)
                .await
                .map(created),
            format!("policy {name}"),
        ),
        Action::DeletePolicyVersion { arn, version } => {
            c.delete_policy_version(arn, version).await?;
            Ok(Outcome::Changed(format!("version {version} deleted")))
        }
        Action::CreatePolicyVersion { arn, document, .. } => {
            let version = c.create_policy_version(arn, &document.to_string()).await?;
            Ok(Outcome::Changed(format!(
                "version {version} is now the default"
            )))
        }
        Action::AttachRolePolicy { role, policy_arn } => {
            c.attach_role_policy(role, policy_arn).await?;
            Ok(created(format!("{role}|{policy_arn}")))
        }
        Action::SetVariable {
            github,
            name,
            value,
        } => {
            let outcome = ctx
                .github
                .set_variable(&s.github_owner, &s.github_repo, name, value)
                .await?;
            Ok(match outcome {
                SetOutcome::Created => created(format!("{github}/{name}")),
                SetOutcome::Updated | SetOutcome::Unchanged => {
                    Outcome::Changed(format!("{name} {outcome}"))
                }
            })
        }
        Action::SetSecretByHand { .. }
        | Action::SubjectTemplateByHand { .. }
        | Action::SetEnvVariableByHand { .. } => Ok(Outcome::Manual(action.command(&s.region))),
        Action::RunLocalTest {
            domain,
            owner,
            repository,
            package,
            ..
        } => run_local_test(ctx, domain, owner, repository, package, progress).await,
        Action::Workflow(w) => super::workflow::execute(ctx, w).await,
        Action::Pipeline(p) => super::pipeline_run::execute(ctx, p, progress).await,
        Action::Notify(n) => super::notifications::execute(ctx, n).await,
        Action::Consumers(c) => super::consumers::execute(ctx, c).await,
    }
}
