//! The AWS CLI (v2) in a job, as the role session configure-aws-credentials exported:
//! `aws codeartifact <command>` (GetAuthorizationToken, GetRepositoryEndpoint, `login --tool
//! twine`, and any other CodeArtifact command the sandbox answers), `aws sts
//! get-caller-identity`. Each call is authorised by the role's policies, as the endpoint would do,
//! and fails with the CLI's words and exit codes (254 for a service error, 253 for missing
//! credentials or region, 252 for bad parameters).

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{Value, json};

use super::sh::{Exit, Sh, option};
use crate::codeartifact::{self, Ctx};
use crate::protocol::{ApiError, Query};
use crate::{authz, caller};

/// CLI options → the query parameters of CodeArtifact's REST API.
const PARAMS: &[(&str, &str)] = &[
    ("--domain", "domain"),
    ("--domain-owner", "domain-owner"),
    ("--repository", "repository"),
    ("--format", "format"),
    ("--namespace", "namespace"),
    ("--package", "package"),
    ("--package-version", "version"),
    ("--duration-seconds", "duration"),
];

/// The API's minimum lengths, as the CLI validates them before calling.
const MIN_LENGTHS: &[(&str, &str, usize)] = &[
    ("domain", "domain", 2),
    ("domain-owner", "domainOwner", 12),
    ("repository", "repository", 2),
];

pub fn aws(sh: &mut Sh<'_, '_>, args: &[String]) -> Exit {
    match (
        args.first().map(String::as_str),
        args.get(1).map(String::as_str),
    ) {
        (Some("codeartifact"), Some("login")) => login(sh, &args[2..]),
        (Some("codeartifact"), Some(command)) => {
            let value = codeartifact_call(sh, &pascal(command), &args[2..])?;
            Ok(output(&value, &args[2..]))
        }
        (Some("sts"), Some("get-caller-identity")) => caller_identity(sh, &args[2..]),
        // Other commands are not emulated: they print nothing and succeed.
        _ => Ok(String::new()),
    }
}

/// `get-authorization-token` → `GetAuthorizationToken`.
fn pascal(command: &str) -> String {
    command
        .split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// What the command prints: the `--query`'d field (a top-level key) as `--output` says.
fn output(value: &Value, args: &[String]) -> String {
    let picked = match option(args, &["--query"]) {
        Some(key) => value.get(key.trim()).cloned().unwrap_or(Value::Null),
        None => value.clone(),
    };
    match (option(args, &["--output"]).as_deref(), &picked) {
        (Some("text"), Value::String(s)) => s.clone(),
        (Some("text"), other) => other.to_string(),
        _ => serde_json::to_string_pretty(&picked).unwrap_or_default(),
    }
}

/// Prints the CLI's answer to a failed call and gives its exit code.
fn fail(sh: &mut Sh<'_, '_>, lines: &[String], code: i32) -> i32 {
    sh.say("");
    sh.say_all(lines.iter().cloned());
    code
}

fn service_error(sh: &mut Sh<'_, '_>, operation: &str, e: &ApiError) -> i32 {
    let line = format!(
        "An error occurred ({}) when calling the {operation} operation: {}",
        e.code, e.message
    );
    fail(sh, &[line], 254)
}

/// The session's access key and the region, or the CLI's refusal.
fn credentials(sh: &mut Sh<'_, '_>, args: &[String]) -> Result<(String, String), i32> {
    let Some(key) = sh.scratch.session.clone() else {
        let line = "Unable to locate credentials. You can configure credentials by running \"aws configure\".";
        return Err(fail(sh, &[line.to_owned()], 253));
    };
    let region = option(args, &["--region"])
        .or_else(|| sh.var("AWS_REGION").map(str::to_owned))
        .or_else(|| sh.var("AWS_DEFAULT_REGION").map(str::to_owned));
    let Some(region) = region else {
        let line = "You must specify a region. You can also configure your region by running \"aws configure\".";
        return Err(fail(sh, &[line.to_owned()], 253));
    };
    Ok((key, region))
}

/// One CodeArtifact call as the session: the CLI's validation, the role's policies, the call.
fn codeartifact_call(sh: &mut Sh<'_, '_>, operation: &str, args: &[String]) -> Result<Value, i32> {
    let mut q: BTreeMap<String, String> = BTreeMap::new();
    for (flag, param) in PARAMS {
        if let Some(v) = option(args, &[flag]) {
            q.insert((*param).to_owned(), v);
        }
    }
    let invalid: Vec<String> = MIN_LENGTHS
        .iter()
        .filter_map(|(param, name, min)| {
            let len = q.get(*param)?.chars().count();
            (len < *min).then(|| {
                format!(
                    "Invalid length for parameter {name}, value: {len}, valid min length: {min}"
                )
            })
        })
        .collect();
    if !invalid.is_empty() {
        let mut lines = vec!["Parameter validation failed:".to_owned()];
        lines.extend(invalid);
        return Err(fail(sh, &lines, 252));
    }
    let (key, region) = credentials(sh, args)?;
    let q = Query(q);
    let result = call_as_session(sh, operation, &q, &key, &region);
    result.map_err(|e| service_error(sh, operation, &e))
}

fn call_as_session(
    sh: &mut Sh<'_, '_>,
    operation: &str,
    q: &Query,
    key: &str,
    region: &str,
) -> Result<Value, ApiError> {
    sh.runner.call(operation)?;
    let world = &mut *sh.runner.world;
    let session = match caller::identify(world, key, true)? {
        caller::Caller::Session(s) => s,
        caller::Caller::Admin | caller::Caller::Account(_) => {
            return Err(ApiError::new(
                "UnrecognizedClientException",
                "The security token included in the request is invalid.",
            ));
        }
    };
    let needs = authz::codeartifact_needs(operation, q, region, &world.account_id);
    authz::check(world, &session, &needs, "AccessDeniedException")?;
    let cx = Ctx {
        q: q.clone(),
        body: b"{}",
        region,
        base_url: sh.runner.base_url,
        holder: crate::world::Holder::Session(key.to_owned()),
    };
    codeartifact::dispatch(world, operation, &cx)
}

/// `aws codeartifact login --tool twine`: a token and the endpoint, written to `~/.pypirc` as the
/// `codeartifact` repository.
fn login(sh: &mut Sh<'_, '_>, args: &[String]) -> Exit {
    let tool = option(args, &["--tool"]).unwrap_or_default();
    let token = codeartifact_call(sh, "GetAuthorizationToken", args)?;
    let mut endpoint_args = args.to_vec();
    endpoint_args.extend(["--format".to_owned(), "pypi".to_owned()]);
    let endpoint = codeartifact_call(sh, "GetRepositoryEndpoint", &endpoint_args)?;
    let url = endpoint["repositoryEndpoint"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let secret = token["authorizationToken"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let expires = token["expiration"].as_f64().unwrap_or(0.0);
    if tool == "twine" {
        sh.scratch
            .pypirc
            .insert("codeartifact".to_owned(), (url.clone(), secret));
    }
    let at = std::time::SystemTime::UNIX_EPOCH + Duration::from_secs_f64(expires.max(0.0));
    let hours = at
        .duration_since(sh.runner.world.now())
        .map(|d| (d.as_secs() + 1800) / 3600)
        .unwrap_or(0);
    let when = time::OffsetDateTime::from(at);
    let fmt =
        time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]+00:00");
    sh.say(format!(
        "Successfully configured {tool} to use AWS CodeArtifact repository {url} "
    ));
    sh.say(format!(
        "Login expires in {hours} hours at {}",
        when.format(&fmt).unwrap_or_default()
    ));
    Ok(String::new())
}

fn caller_identity(sh: &mut Sh<'_, '_>, args: &[String]) -> Exit {
    let (key, _) = credentials(sh, args)?;
    if let Err(e) = sh.runner.call("GetCallerIdentity") {
        return Err(service_error(sh, "GetCallerIdentity", &e));
    }
    let world = &*sh.runner.world;
    let identity = match caller::identify(world, &key, false) {
        Ok(caller::Caller::Session(s)) => json!({
            "UserId": format!("{}:{}", s.role_id, s.session_name),
            "Account": world.account_id,
            "Arn": s.arn(&world.account_id),
        }),
        Ok(caller::Caller::Admin | caller::Caller::Account(_)) => Value::Null,
        Err(e) => return Err(service_error(sh, "GetCallerIdentity", &e)),
    };
    Ok(output(&identity, args))
}
