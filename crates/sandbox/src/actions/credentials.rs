//! The meaning of `aws-actions/configure-aws-credentials` (v6.2.3, its OIDC path) in a job: the
//! required `aws-region`, `role-to-assume`, the job's `id-token` permission, a token from the
//! issuer for the job (repository, ref, event, `environment`, `audience`), then
//! AssumeRoleWithWebIdentity with every check STS makes. Its lines are the action's own
//! (`Assuming role with OIDC`, `Authenticated as assumedRoleId …`, `Could not assume role with
//! OIDC: …`). On success the job's later steps run as the role session.
//!
//! Departures: v6.2's retries (`Retry AssumeRole: attempt N of 12 failed: …`) are not written —
//! the step fails on the first refusal; the access-key and web-identity-file paths and role
//! chaining are not emulated.

use super::context::Cx;
use super::runner::Runner;
use super::state::{Job, Run};
use super::steps::Outcome;
use super::workflow::{StepDef, grants_id_token};
use crate::github::oidc_token::mint_for;
use crate::oidc::{DEFAULT_AUDIENCE, Job as TokenJob};
use crate::sts::web_identity::assume_role;

const NO_CREDENTIALS: &str = "Credentials could not be loaded, please check your action inputs: Could not load credentials from any providers";
const OIDC_HINT: &str = "It looks like you might be trying to authenticate with OIDC. Did you mean to set the `id-token` permission? If you are not trying to authenticate with OIDC and the action is working successfully, you can ignore this message.";
const DEFAULT_SESSION_NAME: &str = "GitHubActions";
const DEFAULT_DURATION: u64 = 3600;

/// The action's inputs, with the job's expressions resolved.
struct Inputs {
    role: String,
    region: String,
    audience: String,
    session_name: String,
    duration: u64,
}

fn inputs(step: &StepDef, cx: &Cx<'_>) -> Inputs {
    let get = |name: &str| {
        step.input(name)
            .map(|v| cx.interpolate(v).trim().to_owned())
            .unwrap_or_default()
    };
    let or = |value: String, default: &str| {
        if value.is_empty() {
            default.to_owned()
        } else {
            value
        }
    };
    Inputs {
        role: get("role-to-assume"),
        region: get("aws-region"),
        audience: or(get("audience"), DEFAULT_AUDIENCE),
        session_name: or(get("role-session-name"), DEFAULT_SESSION_NAME),
        // An empty or unparsable duration is the default, as the action reads it.
        duration: get("role-duration-seconds")
            .parse()
            .unwrap_or(DEFAULT_DURATION),
    }
}

/// A role name (not an ARN) becomes the account's role ARN, as the action builds it.
fn role_arn(role: &str, account: &str) -> String {
    if role.starts_with("arn:") {
        role.to_owned()
    } else {
        format!("arn:aws:iam::{account}:role/{role}")
    }
}

/// Runs the step: the outcome, and on success the session and environment in `job.scratch`.
pub fn configure(
    runner: &mut Runner<'_>,
    run: &Run,
    job: &mut Job,
    step: &StepDef,
    cx: &Cx<'_>,
) -> Outcome {
    let inputs = inputs(step, cx);
    if inputs.region.is_empty() {
        return Outcome::failed(Vec::new(), "Input required and not supplied: aws-region");
    }
    if inputs.role.is_empty() {
        return Outcome::failed(Vec::new(), NO_CREDENTIALS);
    }
    if !grants_id_token(&run.workflow, &job.def) {
        return Outcome::failed(vec![OIDC_HINT.to_owned()], NO_CREDENTIALS);
    }
    let environment = job
        .def
        .environment
        .as_deref()
        .map(|e| cx.interpolate(e))
        .filter(|e| !e.is_empty());
    let token_job = TokenJob {
        git_ref: run.event.git_ref.clone(),
        event_name: run.event.name.clone(),
        environment,
        audience: inputs.audience.clone(),
        workflow_path: run.path.clone(),
        run_id: run.id,
    };
    let now = runner.world.now();
    let token = match mint_for(
        &mut runner.world.github,
        &run.owner,
        &run.repo,
        &token_job,
        now,
    ) {
        Ok(token) => token,
        Err(e) => {
            return Outcome::failed(
                Vec::new(),
                &format!("getIDToken call failed: {}", e.message),
            );
        }
    };
    let mut lines = vec!["Assuming role with OIDC".to_owned()];
    let arn = role_arn(&inputs.role, &runner.world.account_id);
    let assumed = runner.call("AssumeRoleWithWebIdentity").and_then(|()| {
        assume_role(
            runner.world,
            &arn,
            &inputs.session_name,
            &token,
            Some(inputs.duration),
        )
    });
    let assumed = match assumed {
        Ok(a) => a,
        Err(e) => {
            let message = format!("Could not assume role with OIDC: {}", e.message);
            return Outcome::failed(lines, &message);
        }
    };
    let session = assumed.session;
    lines.push(format!(
        "Authenticated as assumedRoleId {}:{}",
        session.role_id, session.session_name
    ));
    // The action checks the credentials and reads the account id with GetCallerIdentity.
    if let Err(e) = runner.call("GetCallerIdentity") {
        let message = format!(
            "Could not get Account ID or ARN from STS. Did you set credentials? ({})",
            e.message
        );
        return Outcome::failed(lines, &message);
    }
    let scratch = &mut job.scratch;
    scratch.export("AWS_DEFAULT_REGION", inputs.region.clone());
    scratch.export("AWS_REGION", inputs.region);
    scratch.export("AWS_ACCESS_KEY_ID", session.access_key_id.clone());
    scratch.export("AWS_SECRET_ACCESS_KEY", session.secret_access_key.clone());
    scratch.export("AWS_SESSION_TOKEN", session.session_token.clone());
    scratch.masks.extend([
        session.access_key_id.clone(),
        session.secret_access_key.clone(),
        session.session_token.clone(),
    ]);
    scratch.session = Some(session.access_key_id);
    Outcome::ok(lines)
}
