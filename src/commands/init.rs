//! `cawiz init`: the setup, from prompts (dialoguer) or, with `--non-interactive`, from flags and
//! defaults only. Every answer is validated with AWS's and GitHub's naming rules at its field.

use std::io::IsTerminal as _;
use std::process::ExitCode;

use crate::checklist;
use crate::cli::{GlobalArgs, InitArgs};
use crate::consumers::Consumer;
use crate::format::{
    FormatSetup, formats_text, parse_formats, upstreams_text, with_connections, with_upstreams,
};
use crate::setup::{
    AuthMethod, Field, FieldError, Setup, consumer_errors, consumers_text, parse_account,
    parse_consumers, parse_github, parse_org, parse_scope, upstream_differs, validate,
};

use super::CliError;
use super::session::{
    SandboxUrls, clients, default_region, repository_here, save_setup, start_sandbox,
};

fn field_error(e: &FieldError) -> CliError {
    CliError::new(
        format!("{}: {:?} is not valid", e.field, e.value),
        e.rule.clone(),
    )
}

/// One prompt, validated as the user types Enter; the default is accepted with Enter.
fn ask(prompt: &str, default: &str, field: Field) -> Result<String, CliError> {
    ask_with(prompt, Some(default), |value| validate(field, value))
}

/// One prompt with its own rule (the default, if any, is checked too when accepted with Enter).
fn ask_with(
    prompt: &str,
    default: Option<&str>,
    rule: impl Fn(&str) -> Result<(), FieldError>,
) -> Result<String, CliError> {
    let mut input = dialoguer::Input::<String>::new()
        .with_prompt(prompt)
        .validate_with(|value: &String| {
            rule(value).map_err(|e| wrap_for_terminal(&format!("{:?}: {}", e.value, e.rule)))
        });
    if let Some(d) = default {
        input = input.default(d.to_owned());
    }
    input
        .interact_text()
        .map_err(|e| CliError::plain(format!("could not read the answer: {e}")))
}

/// `text` broken into lines that fit the terminal after dialoguer's `error: ` prefix: dialoguer
/// clears what it drew by counting lines, so a message the terminal wraps would leave stale rows.
fn wrap_for_terminal(text: &str) -> String {
    let columns = usize::from(dialoguer::console::Term::stderr().size().1).max(20);
    let width = columns.saturating_sub("error: ".len() + 1);
    let mut lines: Vec<String> = vec![String::new()];
    for word in text.split(' ') {
        let current = lines.last_mut().map_or(0, |l| l.chars().count());
        if current > 0 && current + 1 + word.chars().count() > width {
            lines.push(String::new());
        }
        if let Some(line) = lines.last_mut() {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    lines.join("\n")
}

/// The upstream's rule: a repository name, and not the repository itself.
fn upstream_rule(repository: &str) -> impl Fn(&str) -> Result<(), FieldError> + '_ {
    move |value| {
        validate(Field::Upstream, value)?;
        upstream_differs(value, repository)
    }
}

/// The formats, the detected ones as the default.
fn ask_formats(detected: &[FormatSetup]) -> Result<Vec<FormatSetup>, CliError> {
    let text = ask_with(
        "Package formats (pypi, npm; a client as pypi:uv, an npm scope as npm@SCOPE)",
        Some(&formats_text(detected)),
        |value| parse_formats(value, detected).map(|_| ()),
    )?;
    parse_formats(&text, detected).map_err(|e| field_error(&e))
}

/// Each format's upstream repository, one prompt per format that has one.
fn ask_upstreams(formats: &[FormatSetup], repository: &str) -> Result<Vec<FormatSetup>, CliError> {
    let mut out = formats.to_vec();
    for f in out.iter_mut() {
        let Some(default) = f.upstream.clone() else {
            continue;
        };
        let prompt = format!("Upstream repository (proxies {})", f.module().title());
        f.upstream = Some(ask_with(
            &prompt,
            Some(&default),
            upstream_rule(repository),
        )?);
    }
    if let Some(first) = out.iter().flat_map(|f| f.validate(repository)).next() {
        return Err(field_error(&first));
    }
    Ok(out)
}

fn ask_github(default: Option<String>) -> Result<(String, String), CliError> {
    let text = ask_with(
        "GitHub repository (OWNER/REPO)",
        default.as_deref(),
        |value| parse_github(value).map(|_| ()),
    )?;
    parse_github(&text).map_err(|e| field_error(&e))
}

/// The consumers, asked (empty: none), each checked as typed.
fn ask_consumers(own: Option<&str>) -> Result<Vec<Consumer>, CliError> {
    let text = dialoguer::Input::<String>::new()
        .with_prompt("Consumer accounts (ids or o-… orgs, comma-separated; empty: none)")
        .allow_empty(true)
        .validate_with(|value: &String| {
            parse_consumers(value, own)
                .map(|_| ())
                .map_err(|e| wrap_for_terminal(&format!("{:?}: {}", e.value, e.rule)))
        })
        .interact_text()
        .map_err(|e| CliError::plain(format!("could not read the answer: {e}")))?;
    parse_consumers(&text, own).map_err(|e| field_error(&e))
}

/// `--consumer` and `--consumer-org`, each checked at its field, none twice.
fn consumers_of(args: &InitArgs, own: Option<&str>) -> Result<Vec<Consumer>, CliError> {
    let mut out: Vec<Consumer> = Vec::new();
    let accounts = args.consumers.iter().map(|a| parse_account(a, own));
    let orgs = args.consumer_orgs.iter().map(|o| parse_org(o));
    for consumer in accounts.chain(orgs) {
        let consumer = consumer.map_err(|e| field_error(&e))?;
        if !out.contains(&consumer) {
            out.push(consumer);
        }
    }
    Ok(out)
}

/// Builds the setup from flags, asking for each answer unless `--non-interactive`.
fn build_setup(
    global: &GlobalArgs,
    args: &InitArgs,
    detected: Option<(String, String)>,
    region: String,
) -> Result<Setup, CliError> {
    let interactive = !args.non_interactive;
    let (owner, repo) = match (&args.github, interactive) {
        (Some(text), _) => parse_github(text).map_err(|e| field_error(&e))?,
        (None, true) => ask_github(detected.map(|(o, r)| format!("{o}/{r}")))?,
        (None, false) => detected.ok_or_else(|| {
            CliError::new(
                "no GitHub repository: `git remote get-url origin` gives none here",
                "pass --github OWNER/REPO",
            )
        })?,
    };
    let mut setup = Setup::for_github(&owner, &repo);
    setup.profile = global.profile.clone();
    setup.region = region;
    setup.formats = match &args.format {
        Some(text) => parse_formats(text, &[]).map_err(|e| field_error(&e))?,
        None => super::session::formats_here(),
    };
    setup.role_name = args.role_name.clone();
    setup.policy_name = args.policy_name.clone();
    setup.account_id = args.account_id.clone();
    if let Some(d) = &args.domain {
        setup.domain = d.clone();
    }
    if let Some(r) = &args.repository {
        setup.repository = r.clone();
    }
    if let Some(text) = &args.upstream {
        setup.formats =
            with_upstreams(&setup.formats, text, &setup.repository).map_err(|e| field_error(&e))?;
    }
    if let Some(text) = &args.external_connection {
        setup.formats = with_connections(&setup.formats, text).map_err(|e| field_error(&e))?;
    }
    setup.scope = parse_scope(&args.scope).map_err(|e| field_error(&e))?;
    setup.notify = args.notify.iter().map(|v| v.trim().to_owned()).collect();
    setup.consumers = consumers_of(args, setup.account_id.as_deref())?;
    setup.auth = if args.auth == "access-keys" {
        AuthMethod::AccessKeys
    } else {
        AuthMethod::Oidc
    };
    if interactive {
        if global.region.is_none() {
            setup.region = ask("AWS region", &setup.region, Field::Region)?;
        }
        if args.domain.is_none() {
            setup.domain = ask("CodeArtifact domain", &setup.domain, Field::Domain)?;
        }
        if args.repository.is_none() {
            setup.repository = ask(
                "CodeArtifact repository",
                &setup.repository,
                Field::Repository,
            )?;
        }
        if args.format.is_none() {
            setup.formats = ask_formats(&setup.formats)?;
        }
        if args.upstream.is_none() {
            setup.formats = ask_upstreams(&setup.formats, &setup.repository)?;
        }
        let scope = ask(
            "Role scope (all, branch:NAME, tags, pull-requests, environment:NAME)",
            &setup.scope.to_string(),
            Field::Scope,
        )?;
        setup.scope = parse_scope(&scope).map_err(|e| field_error(&e))?;
        setup.role_name = ask("IAM role name", &setup.role_name, Field::RoleName)?;
        setup.policy_name = ask("IAM policy name", &setup.policy_name, Field::PolicyName)?;
        if args.consumers.is_empty() && args.consumer_orgs.is_empty() {
            setup.consumers = ask_consumers(setup.account_id.as_deref())?;
        }
    }
    if let Some(first) = setup.validate().first() {
        return Err(field_error(first));
    }
    Ok(setup)
}

pub async fn run(global: &GlobalArgs, args: InitArgs) -> Result<ExitCode, CliError> {
    if !args.non_interactive && !std::io::stdin().is_terminal() {
        return Err(CliError::new(
            "cawiz init asks questions, but there is no terminal",
            "pass --non-interactive with --github OWNER/REPO and the other answers as flags",
        ));
    }
    let sandbox = start_sandbox(global).await?;
    let detected =
        repository_here().or_else(|| sandbox.as_ref().and_then(|s| s.github_repository()));
    let setup = build_setup(global, &args, detected, default_region(global).await)?;

    let urls = sandbox.as_ref().map(SandboxUrls::of);
    let aws = clients(global, &setup, urls.as_ref()).await?;
    match checklist::identify(&aws, &setup).await {
        Ok(identity) => {
            outln!(
                "AWS identity: {} (account {})",
                identity.arn,
                identity.account
            );
            // The account is known only now when --account-id was not given.
            if let Some(e) = consumer_errors(&setup.consumers, Some(&identity.account)).first() {
                return Err(field_error(e));
            }
        }
        Err(e) => {
            errln!(
                "warning: {}\n  fix: {}",
                crate::escape::line(&e.message),
                crate::escape::line(&e.fix)
            );
            errln!("  (the setup is saved anyway; `cawiz status` checks again)");
        }
    }

    let (path, state) = save_setup(global.state.as_deref(), global.sandbox, setup, "init")?;
    let s = &state.setup;
    outln!(
        "Saved the setup for {}/{} (domain {}, repository {}, formats {}, upstream {}, role {}, region {}, scope {}) to {}",
        s.github_owner,
        s.github_repo,
        s.domain,
        s.repository,
        formats_text(&s.formats),
        upstreams_text(&s.formats),
        s.role_name,
        s.region,
        s.scope,
        path.display()
    );
    if !s.consumers.is_empty() {
        outln!(
            "Consumers (may read the repository): {}",
            consumers_text(&s.consumers)
        );
    }
    outln!(
        "Next: `cawiz status` shows what exists, `cawiz plan` what apply would do, `cawiz apply` does it."
    );
    Ok(ExitCode::SUCCESS)
}
