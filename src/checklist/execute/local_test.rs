//! Running the local test: a token (as you, or as the role), then pip and twine.

use crate::state::{FormatTestResult, LocalTestRecord, LocalTestStep};

use super::super::{Context, Progress};
use super::{ApplyError, Outcome};

/// How long the local test's token lives: long enough for pip and twine, no longer.
const LOCAL_TEST_TOKEN_SECONDS: i64 = 900;

/// The repository's PyPI endpoint and a fresh token valid for `seconds` (a secret: masked
/// everywhere it is shown).
pub async fn pypi_target(
    ctx: &Context,
    seconds: i64,
) -> Result<crate::localtest::Target, ApplyError> {
    let s = &ctx.setup;
    target(
        &ctx.clients,
        &s.domain,
        &ctx.account,
        &s.repository,
        seconds,
    )
    .await
}

async fn target(
    c: &crate::aws::Clients,
    domain: &str,
    owner: &str,
    repository: &str,
    seconds: i64,
) -> Result<crate::localtest::Target, ApplyError> {
    use crate::localtest::{Secret, Target};
    let (token, endpoint) = tokio::join!(
        c.authorization_token(domain, owner, seconds),
        c.pypi_endpoint(domain, owner, repository)
    );
    let (token, expires_at) = token?;
    Ok(Target {
        endpoint: endpoint?,
        token: Secret::new(token),
        expires_at,
        repository: repository.to_owned(),
    })
}

pub(super) async fn run_local_test(
    ctx: &Context,
    domain: &str,
    owner: &str,
    repository: &str,
    package: &str,
    progress: &mut (dyn FnMut(Progress<'_>) + Send),
) -> Result<Outcome, ApplyError> {
    let record = |steps: Vec<LocalTestStep>, formats: Vec<FormatTestResult>| {
        LocalTestRecord::new(
            crate::state::now_secs(),
            format!("{domain}/{repository}"),
            steps,
            formats,
        )
    };
    let mut first = Vec::new();
    let role_clients;
    let clients = if ctx.local_test_config.as_role {
        let (clients, step) = super::super::as_role::clients(ctx).await;
        progress(Progress::Output(crate::localtest::Line::Step(format!(
            "assume the role: {}",
            step.detail
        ))));
        first.push(step);
        match clients {
            Some(c) => {
                role_clients = c;
                &role_clients
            }
            None => return Ok(Outcome::LocalTest(record(first, Vec::new()))),
        }
    } else {
        &ctx.clients
    };
    let target = match target(clients, domain, owner, repository, LOCAL_TEST_TOKEN_SECONDS).await {
        Ok(t) => t,
        // As the role, a refused token is the test's finding, not a failure to run it.
        Err(ApplyError::Aws(e)) if ctx.local_test_config.as_role => {
            first.push(LocalTestStep {
                name: "token as the role".to_owned(),
                ok: false,
                detail: e.to_string(),
            });
            return Ok(Outcome::LocalTest(record(first, Vec::new())));
        }
        Err(e) => return Err(e),
    };
    let options = crate::localtest::Options {
        package: package.to_owned(),
        ..ctx.local_test_config.clone()
    };
    let mut formats = Vec::new();
    for entry in &ctx.setup.formats {
        let endpoint = clients
            .repository_endpoint(domain, owner, repository, entry.format)
            .await?;
        let target = crate::localtest::Target {
            endpoint,
            ..target.clone()
        };
        progress(Progress::Output(crate::localtest::Line::Step(format!(
            "{} with {}",
            entry.format, entry.client
        ))));
        let report = crate::localtest::run_client(
            entry.client,
            entry.namespace.as_deref(),
            &target,
            &options,
            |line| progress(Progress::Output(line)),
        )
        .await?;
        if let Some(reason) = &report.unknown {
            progress(Progress::Output(crate::localtest::Line::Step(format!(
                "{} with {}: unknown: {reason}",
                entry.format, entry.client
            ))));
        }
        formats.push(format_result(entry, report));
    }
    Ok(Outcome::LocalTest(record(first, formats)))
}

/// What the state keeps of one format's run: its steps (no token) or why it could not run.
fn format_result(
    entry: &crate::format::FormatSetup,
    report: crate::localtest::ClientReport,
) -> FormatTestResult {
    FormatTestResult {
        format: entry.format,
        client: entry.client,
        steps: report
            .steps
            .iter()
            .map(|s| LocalTestStep {
                name: s.kind.label().to_owned(),
                ok: s.ok,
                detail: s.detail.clone(),
            })
            .collect(),
        unknown: report.unknown,
    }
}
