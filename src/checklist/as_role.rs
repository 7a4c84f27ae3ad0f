//! The local test as the role (`cawiz test --as-role`, the sandbox only): a token from the
//! sandbox's issuer for a job the scope allows, AssumeRoleWithWebIdentity as configure-aws-
//! credentials does it, then the test's CodeArtifact calls and twine upload with the session's
//! rights — so the role's policy is exercised without running a workflow.
//!
//! cawiz calls AssumeRoleWithWebIdentity itself with the SDK's STS client: the SDK's web-identity
//! credentials provider reads its STS endpoint only from the process environment, which a
//! sandbox inside this process cannot set.

use crate::aws::Clients;
use crate::github::GithubErrorKind;
use crate::setup::SubjectScope;
use crate::state::LocalTestStep;

use super::Context;

/// The session name, as the workflow's configure-aws-credentials names its own.
pub const SESSION_NAME: &str = "GitHubActions";

/// The ref, event and environment of a job the scope lets assume the role.
fn job(scope: &SubjectScope) -> (String, &'static str, Option<String>) {
    match scope {
        SubjectScope::AllRefs => ("refs/heads/main".to_owned(), "workflow_dispatch", None),
        SubjectScope::Branch(b) => (format!("refs/heads/{b}"), "push", None),
        SubjectScope::Tags => ("refs/tags/v0.0.0".to_owned(), "release", None),
        SubjectScope::PullRequests => ("refs/pull/1/merge".to_owned(), "pull_request", None),
        SubjectScope::Environment(e) => (
            "refs/heads/main".to_owned(),
            "workflow_dispatch",
            Some(e.clone()),
        ),
    }
}

/// The clients signing as the role, and the step that says how it went (a refusal is a failed
/// step of the test, not an error: it is what the test is for).
pub async fn clients(ctx: &Context) -> (Option<Clients>, LocalTestStep) {
    let step = |ok: bool, detail: String| LocalTestStep {
        name: "assume the role".to_owned(),
        ok,
        detail,
    };
    let s = &ctx.setup;
    let (git_ref, event, environment) = job(&s.scope);
    let token = ctx
        .github
        .sandbox_oidc_token(
            &s.github_owner,
            &s.github_repo,
            &git_ref,
            event,
            environment.as_deref(),
        )
        .await;
    let token = match token {
        Ok(t) => t,
        Err(e) if e.kind() == GithubErrorKind::NotFound => {
            let detail = "no OIDC token endpoint: --as-role works against the sandbox only \
                          (cawiz --sandbox); on GitHub, run the workflow (cawiz verify)";
            return (None, step(false, detail.to_owned()));
        }
        Err(e) => return (None, step(false, format!("{e} — {}", e.fix()))),
    };
    let role_arn = match ctx.clients.get_role(&s.role_name).await {
        Ok(Some(role)) => role.arn,
        Ok(None) => ctx.role_arn(),
        Err(e) => return (None, step(false, format!("{e} — {}", e.fix()))),
    };
    match ctx
        .clients
        .assume_role_with_web_identity(&role_arn, SESSION_NAME, &token)
        .await
    {
        Ok(creds) => (
            Some(ctx.clients.as_session(&creds)),
            step(
                true,
                format!(
                    "{} (a token for {event} on {git_ref}{})",
                    creds.assumed_role_arn,
                    environment.map_or_else(String::new, |e| format!(", environment {e}"))
                ),
            ),
        ),
        Err(e) => (None, step(false, format!("{e} — {}", e.fix()))),
    }
}
