//! Everything the doctor looks at, read concurrently and read-only: the role (trust, policies,
//! simulation), the OIDC provider, the workflow as Actions runs it and the variables, the domain
//! and repositories, the package (origin controls, versions), the resource policies, what pip on
//! this machine uses, and the latest pipeline run.

use crate::aws::{AwsError, DomainInfo, OidcProviderInfo, RepositoryInfo, Simulation};
use crate::checklist::role::RoleFacts;
use crate::checklist::workflow::{self, Facts as WorkflowFacts, Local, Remote};
use crate::checklist::{Context, oidc, pipeline_run, role};
use crate::github::{GithubError, Lookup};
use crate::listing::Listing;
use crate::localtest::{PipView, pip_view};
use crate::pipeline::{self, RunView};
use crate::policy::package_arn;
use crate::workflow::{FileLint, LintId, LocalFile, lint, model, publishing, yaml};

use super::package::{self, PackageRead, Target};

/// The workflow file Actions runs (the default branch's), else the working tree's, linted.
#[derive(Debug, Clone)]
pub struct WorkflowRead {
    pub facts: WorkflowFacts,
    /// (where it came from, its text, its lint).
    pub file: Option<(String, String, FileLint)>,
}

pub struct Evidence {
    pub target: Target,
    pub role: Result<RoleFacts, AwsError>,
    /// PublishPackageVersion simulated on the package's ARN (when it is not the repository's
    /// name, which the role check already simulated).
    pub package_simulation: Option<Result<Vec<Simulation>, AwsError>>,
    pub provider: Result<Option<OidcProviderInfo>, AwsError>,
    pub workflow: WorkflowRead,
    pub domain: Result<Option<DomainInfo>, AwsError>,
    pub repository: Result<Option<RepositoryInfo>, AwsError>,
    pub upstream: Result<Option<RepositoryInfo>, AwsError>,
    pub endpoint: Result<String, AwsError>,
    pub package: PackageRead,
    pub domain_policy: Result<Option<String>, AwsError>,
    pub repository_policy: Result<Option<String>, AwsError>,
    pub pip: PipView,
    /// `None` without a GitHub token.
    pub run: Option<Result<Option<RunView>, GithubError>>,
    /// The notifications item's report (`None`: the setup has no `notify` endpoint).
    pub notifications: Option<crate::checklist::Report>,
}

impl Evidence {
    /// The environment the job running configure-aws-credentials names (literally) in the
    /// workflow Actions runs.
    pub fn publish_environment(&self) -> Option<String> {
        let (_, text, _) = self.workflow.file.as_ref()?;
        let workflow = model::read(&yaml::parse(text).ok()?);
        workflow.jobs.iter().find_map(|j| {
            j.aws_step()?;
            let (name, _) = j.environment.as_ref()?;
            let name = name.trim();
            (!name.is_empty() && !name.contains("${{")).then(|| name.to_owned())
        })
    }

    /// `vars.NAME` as the publish job sees it (its environment's, the repository's, the
    /// organisation's); `None` when the variables could not be read.
    pub fn variable(&self, name: &str) -> Option<Lookup> {
        let vars = self.workflow.facts.lint.variables.as_ref()?;
        Some(vars.lookup(name, self.publish_environment().as_deref()))
    }

    /// The configure-aws-credentials step's input `name` in the workflow Actions runs, and its
    /// line.
    pub fn cac_input(&self, name: &str) -> Option<(String, usize)> {
        let (_, text, _) = self.workflow.file.as_ref()?;
        let workflow = model::read(&yaml::parse(text).ok()?);
        workflow.jobs.iter().find_map(|j| {
            let input = j.aws_step()?.input(name)?;
            Some((input.value.clone(), input.line))
        })
    }

    /// Where the workflow Actions runs was read from.
    pub fn workflow_where(&self) -> String {
        self.workflow
            .file
            .as_ref()
            .map_or_else(|| "the workflow".to_owned(), |(w, _, _)| w.clone())
    }

    /// Lint findings of `id` in the workflow Actions runs, as evidence lines.
    pub fn lint_lines(&self, id: LintId) -> Vec<String> {
        let Some((path, _, lint)) = &self.workflow.file else {
            return Vec::new();
        };
        lint.findings
            .iter()
            .filter(|f| f.id == id)
            .map(|f| format!("{path}:{}: {} ({})", f.line, f.message, f.id))
            .collect()
    }

    /// The listings read (where no by-name read exists), with their pages, for `--json`.
    pub fn listings(&self) -> Vec<Listing> {
        let mut out = self.workflow.facts.listings.clone();
        out.extend(self.package.listing().cloned());
        out
    }

    /// What pip here is configured with, for the notes.
    pub fn pip_note(&self) -> Option<String> {
        match &self.pip.index_url {
            Ok(Some(url)) => Some(format!("pip here uses the index {url}")),
            Ok(None) => Some("pip here has no index-url (it uses pypi.org)".to_owned()),
            Err(e) => Some(format!("pip could not be asked for its index: {e}")),
        }
    }
}

fn pick(files: &[LocalFile], facts: &WorkflowFacts) -> Option<(String, String, FileLint)> {
    publishing(files, &facts.lint).map(|(f, l)| (f.relative.clone(), f.text.clone(), l))
}

/// The default branch's publishing workflow (what Actions runs), else the working tree's.
fn workflow_file(facts: &WorkflowFacts) -> Option<(String, String, FileLint)> {
    if let Remote::Read { branch, files } = &facts.remote {
        let remote: Vec<LocalFile> = files
            .iter()
            .map(|f| LocalFile {
                relative: f.path.clone(),
                text: f.text.clone(),
            })
            .collect();
        if let Some((path, text, _)) = pick(&remote, facts) {
            let linted = lint(&text, &facts.lint);
            return Some((format!("{path} on {branch}"), text, linted));
        }
    }
    match &facts.local {
        Local::Tree { files, .. } => {
            pick(files, facts).map(|(path, text, l)| (format!("{path} (working tree)"), text, l))
        }
        Local::None(_) => None,
    }
}

async fn read_workflow(ctx: &Context) -> WorkflowRead {
    let facts = workflow::read(ctx).await;
    let file = workflow_file(&facts);
    WorkflowRead { facts, file }
}

/// The latest run of the publish workflow, its failure's cause settled (`pipeline::cause`).
async fn read_run(ctx: &Context) -> Option<Result<Option<RunView>, GithubError>> {
    if !ctx.github.has_token() {
        return None;
    }
    let read = crate::checklist::on_default_branch(ctx, |branch| {
        let target = pipeline_run::target_on(ctx, branch);
        async move { pipeline::latest(&ctx.github, &target).await }
    });
    let latest = match read.await {
        Ok((_, latest)) => latest,
        Err(e) => Err(e),
    };
    let mut view = match latest {
        Ok(Some(view)) => view,
        other => return Some(other),
    };
    pipeline_run::settle(ctx, &mut view).await;
    Some(Ok(Some(view)))
}

async fn simulate_package(
    ctx: &Context,
    target: &Target,
) -> Option<Result<Vec<Simulation>, AwsError>> {
    let s = &ctx.setup;
    if target.normalized == crate::setup::normalize_package_name(&s.github_repo) {
        return None;
    }
    let arn = package_arn(s, &ctx.account, &target.normalized);
    let simulate = |role_arn: String| {
        let arn = arn.clone();
        async move {
            ctx.clients
                .simulate(
                    &role_arn,
                    &["codeartifact:PublishPackageVersion"],
                    &arn,
                    &[],
                )
                .await
        }
    };
    // As the recorded ARN at once; again as GetRole's when that is another (see role::early).
    let recorded = ctx.known.role_arn(&s.role_name).map(str::to_owned);
    let (role, early) = tokio::join!(ctx.clients.get_role(&s.role_name), async {
        match &recorded {
            Some(role_arn) => Some(simulate(role_arn.clone()).await),
            None => None,
        }
    });
    let role = match role {
        Ok(Some(role)) => role,
        Ok(None) => return None,
        Err(e) => return Some(Err(e)),
    };
    Some(match early {
        Some(ran) if recorded.as_deref() == Some(role.arn.as_str()) => ran,
        _ => simulate(role.arn.clone()).await,
    })
}

/// The upstream the package symptoms look through (`Ok(None)` also when the setup has none).
async fn read_upstream(ctx: &Context) -> Result<Option<RepositoryInfo>, AwsError> {
    let s = &ctx.setup;
    match s.first_upstream() {
        Some((upstream, _)) => {
            ctx.clients
                .describe_repository(&s.domain, &ctx.account, upstream)
                .await
        }
        None => Ok(None),
    }
}

/// Reads everything at once: one wave when the facts recorded by an earlier check hold (the
/// account, the role's ARN, the policy's default version, the default branch), with pip's two
/// processes running beside it.
pub async fn gather(ctx: &Context, target: Target) -> Evidence {
    let s = &ctx.setup;
    let (domain, owner) = (&s.domain, &ctx.account);
    let c = &ctx.clients;
    let python = ctx.local_test_config.python.clone();
    // One wave: the two groups (tokio::join! takes a bounded number of futures) run together.
    let (first, second) = tokio::join!(
        async {
            tokio::join!(
                role::read(ctx),
                simulate_package(ctx, &target),
                oidc::find(ctx),
                read_workflow(ctx),
                c.describe_domain(domain, owner),
                c.describe_repository(domain, owner, &s.repository),
                read_upstream(ctx),
            )
        },
        async {
            tokio::join!(
                c.pypi_endpoint(domain, owner, &s.repository),
                package::read(ctx, &target),
                c.domain_permissions_policy(domain, owner),
                c.repository_permissions_policy(domain, owner, &s.repository),
                pip_view(python.as_deref(), &target.normalized),
                read_run(ctx),
                read_notifications(ctx),
            )
        },
    );
    let (role, package_simulation, provider, workflow, domain_info, repository, upstream) = first;
    let (endpoint, package, domain_policy, repository_policy, pip, run, notifications) = second;
    Evidence {
        target,
        role,
        package_simulation,
        provider,
        workflow,
        domain: domain_info,
        repository,
        upstream,
        endpoint,
        package,
        domain_policy,
        repository_policy,
        pip,
        run,
        notifications,
    }
}

/// The notifications item's check, when the setup has `notify` endpoints (the doctor's
/// `no-notification` judges its rows: one place).
async fn read_notifications(ctx: &Context) -> Option<crate::checklist::Report> {
    if ctx.setup.notify.is_empty() {
        return None;
    }
    Some(crate::checklist::notifications::check(ctx).await)
}
