//! Item 6, the GitHub Actions variables the workflow reads (and, for the access-key method, the
//! secrets it needs), judged as GitHub resolves `vars.X` for the publish job: its environment's,
//! then the repository's, then the organisation's (`read.rs` reads the levels, `judge.rs` judges
//! each variable). Apply writes repository variables. Without a GitHub token the item is unknown
//! and the plan gives the exact `gh variable set` commands.

mod judge;
pub mod read;

use crate::github::{ActionsVariables, GithubError};
use crate::listing::Listed;
use crate::setup::AuthMethod;

use super::rows::{Row, Verdict};
use super::{Action, Context, ItemId, Report, Status};

/// The access-key method's secrets (cawiz checks they exist; it never holds their values).
pub const ACCESS_KEY_SECRETS: [&str; 2] = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"];

/// Name → value, as the workflow expects them; `role_arn` is the role's ARN as GetRole returns it
/// (with its path), so GitHub can assume it.
pub fn expected_variables(ctx: &Context, role_arn: &str) -> Vec<(String, String)> {
    let s = &ctx.setup;
    let mut vars = vec![
        ("AWS_REGION".to_owned(), s.region.clone()),
        ("AWS_ACCOUNT_ID".to_owned(), ctx.account.clone()),
    ];
    if s.auth == AuthMethod::Oidc {
        vars.push(("AWS_ROLE_ARN".to_owned(), role_arn.to_owned()));
    }
    vars.push(("CODEARTIFACT_DOMAIN".to_owned(), s.domain.clone()));
    vars.push(("CODEARTIFACT_REPOSITORY".to_owned(), s.repository.clone()));
    vars
}

fn github(ctx: &Context) -> String {
    format!("{}/{}", ctx.setup.github_owner, ctx.setup.github_repo)
}

fn set_all(ctx: &Context, names: &[(String, String)]) -> Vec<Action> {
    names
        .iter()
        .map(|(name, value)| Action::SetVariable {
            github: github(ctx),
            name: name.clone(),
            value: value.clone(),
        })
        .collect()
}

/// The secrets only a person can store (cawiz never holds their values).
fn set_by_hand(ctx: &Context, names: &[&str]) -> Vec<Action> {
    names
        .iter()
        .map(|name| Action::SetSecretByHand {
            github: github(ctx),
            name: (*name).to_owned(),
        })
        .collect()
}

/// The role's ARN as AWS has it (a role may have a path: `…:role/ci/NAME`), else the ARN cawiz's
/// role will get; the note says when it could not be read.
pub async fn role_arn(ctx: &Context) -> (String, Option<String>) {
    if ctx.setup.auth != AuthMethod::Oidc {
        return (ctx.role_arn(), None);
    }
    match ctx.clients.get_role(&ctx.setup.role_name).await {
        Ok(Some(role)) => (role.arn, None),
        Ok(None) => (ctx.role_arn(), None),
        Err(e) => (
            ctx.role_arn(),
            Some(format!(
                "Could not read the role ({e}); AWS_ROLE_ARN assumes it has no path."
            )),
        ),
    }
}

/// The working tree's workflow files (where the publish job's `environment:` is read).
fn local_workflows(ctx: &Context) -> Vec<String> {
    ctx.workflow
        .root
        .as_deref()
        .and_then(|root| crate::workflow::workflow_files(root).ok())
        .unwrap_or_default()
        .into_iter()
        .map(|f| f.text)
        .collect()
}

pub async fn check(ctx: &Context) -> Report {
    let texts = local_workflows(ctx);
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let environments = read::publish_environments(ctx, &refs);
    let ((arn, note), github) = tokio::join!(role_arn(ctx), read_github(ctx, &environments));
    let expected = expected_variables(ctx, &arn);
    let mut report = match github {
        None => without_token(ctx, &expected),
        Some(Ok((actual, secrets))) => {
            let env = environments.first().map(String::as_str);
            let names = secrets.as_ref().map(|s| s.items.as_slice());
            let mut report = assess(ctx, &expected, &actual, env, names);
            report
                .details
                .listings
                .extend(actual.listings().iter().cloned());
            report.details.listings.extend(secrets.map(|s| s.listing));
            report
        }
        Some(Err(e)) => Report::new(ItemId::Variables, Status::Error(e.into())),
    };
    report.details.notes.extend(note);
    if environments.len() > 1 {
        report.details.notes.push(format!(
            "Publish jobs run in the environments {}: the variables were judged for {}.",
            environments.join(", "),
            environments[0]
        ));
    }
    report
}

type Read = (ActionsVariables, Option<Listed<String>>);

/// The judged variables at every level (and, for access keys, the secrets' names); `None`
/// without a token.
async fn read_github(ctx: &Context, environments: &[String]) -> Option<Result<Read, GithubError>> {
    if !ctx.github.has_token() {
        return None;
    }
    let s = &ctx.setup;
    let secrets = async {
        if s.auth == AuthMethod::AccessKeys {
            ctx.github
                .list_secret_names(&s.github_owner, &s.github_repo)
                .await
                .map(Some)
        } else {
            Ok(None)
        }
    };
    let names = read::judged(ctx);
    let (vars, secrets) = tokio::join!(read::read_levels(ctx, environments, &names), secrets);
    Some(vars.and_then(|vars| secrets.map(|secrets| (vars, secrets))))
}

/// Without a GitHub token: unknown, with the `gh` commands that set everything.
fn without_token(ctx: &Context, expected: &[(String, String)]) -> Report {
    let mut report = Report::new(
        ItemId::Variables,
        Status::Unknown {
            reason:
                "no GitHub token (set GITHUB_TOKEN or GH_TOKEN, or log in with `gh auth login`); \
                     run the gh commands of the plan instead"
                    .to_owned(),
        },
    );
    report.actions = set_all(ctx, expected);
    if ctx.setup.auth == AuthMethod::AccessKeys {
        report.actions.extend(set_by_hand(ctx, &ACCESS_KEY_SECRETS));
    }
    for (name, value) in expected {
        report.details.fact(name, value.clone());
    }
    report
}

pub fn assess(
    ctx: &Context,
    expected: &[(String, String)],
    actual: &ActionsVariables,
    environment: Option<&str>,
    secrets: Option<&[String]>,
) -> Report {
    let mut wrong = Vec::new();
    let mut diff = Vec::new();
    let mut rows = Vec::new();
    let mut writes = Vec::new();
    let mut by_hand = Vec::new();
    let mut notes = Vec::new();
    let mut present = 0;
    for (name, value) in expected {
        let j = judge::judge(&github(ctx), name, value, actual, environment);
        rows.push(j.row);
        diff.extend(j.diff);
        notes.extend(j.note);
        by_hand.extend(j.by_hand);
        present += usize::from(j.present);
        if j.write {
            writes.push((name.clone(), value.clone()));
        }
        if j.wrong {
            wrong.push(name.clone());
        }
    }
    let missing_secrets: Vec<&str> = secrets
        .map(|have| {
            ACCESS_KEY_SECRETS
                .iter()
                .copied()
                .filter(|s| !have.iter().any(|h| h == s))
                .collect()
        })
        .unwrap_or_default();
    for secret in &missing_secrets {
        rows.push(
            Row::new(
                format!("secret:{secret}"),
                format!("secret {secret}"),
                Verdict::Fail,
            )
            .evidence("not stored in the repository's secrets")
            .fix(format!("gh secret set {secret}"), None),
        );
        diff.push(format!("+ secret {secret}"));
    }
    let status = if wrong.is_empty() && missing_secrets.is_empty() {
        Status::Done {
            summary: format!("{} variables set on {}", expected.len(), github(ctx)),
        }
    } else if present == 0 {
        Status::Missing {
            summary: format!(
                "none of the {} variables is set on {}",
                expected.len(),
                github(ctx)
            ),
        }
    } else {
        Status::Drift {
            summary: format!(
                "{} of {} variables differ or are missing on {}{}",
                wrong.len(),
                expected.len(),
                github(ctx),
                if missing_secrets.is_empty() {
                    String::new()
                } else {
                    format!("; secrets missing: {}", missing_secrets.join(", "))
                }
            ),
            diff,
            findings: Vec::new(),
        }
    };
    let mut report = Report::new(ItemId::Variables, status);
    report.actions = set_all(ctx, &writes);
    report.actions.extend(by_hand);
    report.actions.extend(set_by_hand(ctx, &missing_secrets));
    report.details.rows = rows;
    report.details.notes.extend(notes);
    report
}
