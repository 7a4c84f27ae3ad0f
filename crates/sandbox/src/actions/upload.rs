//! twine in a job: `twine check` and `twine upload` of the job's `dist/`, with twine's rules for
//! the target (`--repository-url` > `TWINE_REPOSITORY_URL` > the `-r`/`TWINE_REPOSITORY` section
//! of `~/.pypirc`, default `pypi`), its refusal of `--skip-existing` for anything but PyPI, and its
//! credentials (`-u`/`-p` > `TWINE_USERNAME`/`TWINE_PASSWORD` > the section's). An upload to the
//! sandbox's PyPI endpoint is the real one (`pypi::upload_local`: the token, the role session's
//! right to publish, origin controls, conflicts); pypi.org refuses a CodeArtifact token with 403.

use super::sh::{Exit, Sh, flag, option};
use super::state::Dist;
use super::twine;
use crate::pypi::{self, LocalUpload};

const PYPI: &str = "https://upload.pypi.org/legacy/";
const TEST_PYPI: &str = "https://test.pypi.org/legacy/";
const PYPIRC: &str = "/home/runner/.pypirc";

pub fn twine(sh: &mut Sh<'_, '_>, args: &[String]) -> Exit {
    match args.first().map(String::as_str) {
        Some("check") => check(sh, &args[1..]),
        Some("upload") => upload(sh, &args[1..]),
        _ => Ok(String::new()),
    }
}

/// The files the arguments name: `DIR/*`, `DIR/NAME*.whl`, `DIR/FILE` (the directory as the job's
/// steps filled it).
fn selected(sh: &Sh<'_, '_>, args: &[String]) -> Vec<Dist> {
    let mut out: Vec<Dist> = Vec::new();
    for pattern in positional(args) {
        let (dir, name) = pattern.rsplit_once('/').unwrap_or((".", pattern.as_str()));
        let matcher = wildmatch::WildMatch::new(if name.is_empty() { "*" } else { name });
        for d in sh.scratch.dir(dir) {
            if matcher.matches(&d.filename) && !out.contains(d) {
                out.push(d.clone());
            }
        }
    }
    out
}

/// The arguments that are not options (nor their values).
fn positional(args: &[String]) -> Vec<&String> {
    const WITH_VALUE: &[&str] = &[
        "-r",
        "--repository",
        "--repository-url",
        "-u",
        "--username",
        "-p",
        "--password",
        "--config-file",
        "--comment",
        "--cert",
        "--client-cert",
        "-i",
        "--identity",
        "--sign-with",
    ];
    let mut out = Vec::new();
    let mut skip = false;
    for a in args {
        if skip {
            skip = false;
        } else if WITH_VALUE.contains(&a.as_str()) {
            skip = true;
        } else if !a.starts_with('-') {
            out.push(a);
        }
    }
    out
}

fn missing_files(sh: &mut Sh<'_, '_>, args: &[String]) -> i32 {
    let pattern = positional(args).first().map_or("dist/*", |p| p.as_str());
    sh.say_all(twine::log(
        "ERROR",
        &format!("InvalidDistribution: Cannot find file (or expand pattern): '{pattern}'"),
    ));
    1
}

fn check(sh: &mut Sh<'_, '_>, args: &[String]) -> Exit {
    let files = selected(sh, args);
    if files.is_empty() {
        return Err(missing_files(sh, args));
    }
    let dir = positional(args)
        .first()
        .and_then(|p| p.rsplit_once('/'))
        .map_or_else(|| ".".to_owned(), |(d, _)| d.to_owned());
    for d in files {
        sh.say(format!(
            "Checking {dir}/{}: \x1b[32mPASSED\x1b[0m",
            d.filename
        ));
    }
    Ok(String::new())
}

/// Where twine uploads and with which credentials; twine's error when it cannot tell.
struct Target {
    url: String,
    username: String,
    password: String,
}

fn target(sh: &mut Sh<'_, '_>, args: &[String]) -> Result<Target, i32> {
    let section = option(args, &["-r", "--repository"])
        .or_else(|| sh.var("TWINE_REPOSITORY").map(str::to_owned))
        .unwrap_or_else(|| "pypi".to_owned());
    let from_file = sh.scratch.pypirc.get(&section).cloned();
    let url = option(args, &["--repository-url"])
        .or_else(|| sh.var("TWINE_REPOSITORY_URL").map(str::to_owned))
        .or_else(|| from_file.as_ref().map(|(url, _)| url.clone()))
        .or_else(|| match section.as_str() {
            "pypi" => Some(PYPI.to_owned()),
            "testpypi" => Some(TEST_PYPI.to_owned()),
            _ => None,
        });
    let Some(url) = url else {
        let message = format!(
            "InvalidConfiguration: Missing '{section}' section from {PYPIRC}.\nMore info: https://packaging.python.org/specifications/pypirc/ "
        );
        sh.say_all(twine::log("ERROR", &message));
        return Err(1);
    };
    let file_user = from_file.as_ref().map(|_| "aws".to_owned());
    let file_password = from_file.map(|(_, token)| token);
    let username = option(args, &["-u", "--username"])
        .or_else(|| sh.var("TWINE_USERNAME").map(str::to_owned))
        .or(file_user)
        .unwrap_or_else(|| "__token__".to_owned());
    let password = option(args, &["-p", "--password"])
        .or_else(|| sh.var("TWINE_PASSWORD").map(str::to_owned))
        .or(file_password)
        .unwrap_or_default();
    Ok(Target {
        url,
        username,
        password,
    })
}

fn upload(sh: &mut Sh<'_, '_>, args: &[String]) -> Exit {
    let target = target(sh, args)?;
    let on_pypi = target.url.starts_with(PYPI) || target.url.starts_with(TEST_PYPI);
    if flag(args, "--skip-existing") && !on_pypi {
        let message = format!(
            "UnsupportedConfiguration: The configured repository '{}' does not have support for the following features: --skip-existing and is an unsupported configuration",
            target.url
        );
        sh.say_all(twine::log("ERROR", &message));
        return Err(1);
    }
    let files = selected(sh, args);
    if files.is_empty() {
        return Err(missing_files(sh, args));
    }
    sh.say_all(twine::print(&format!(
        "Uploading distributions to {}",
        target.url
    )));
    let mut show_cursor = "";
    for d in files {
        sh.say(format!("{show_cursor}Uploading {}", d.filename));
        sh.say(twine::progress(d.bytes.len()));
        show_cursor = twine::SHOW_CURSOR;
        if let Err(lines) = send(sh, &target, &d) {
            let mut lines = lines.into_iter();
            if let Some(first) = lines.next() {
                sh.say(format!("{show_cursor}{first}"));
            }
            sh.say_all(lines);
            return Err(1);
        }
    }
    sh.say(show_cursor);
    Ok(String::new())
}

/// One file to the target; twine's error lines when the index refuses it.
fn send(sh: &mut Sh<'_, '_>, target: &Target, d: &Dist) -> Result<(), Vec<String>> {
    let base = sh.runner.base_url;
    let Some(path) = target.url.strip_prefix(base) else {
        if target.url.starts_with(PYPI) || target.url.starts_with(TEST_PYPI) {
            // pypi.org knows no CodeArtifact token.
            return Err(twine::http_error_with_reason(
                403,
                "Forbidden",
                &target.url,
                "Invalid or non-existent authentication information. See https://pypi.org/help/#invalid-auth for more information.",
            ));
        }
        let host = target.url.split('/').nth(2).unwrap_or_default();
        return Err(twine::log(
            "ERROR",
            &format!(
                "ConnectionError: HTTPSConnectionPool(host='{host}', port=443): Max retries exceeded (the sandbox's runner reaches only the sandbox)"
            ),
        ));
    };
    let path = path.to_owned();
    if let Err(e) = sh.runner.call("PypiUpload") {
        return Err(twine::http_error(e.status.as_u16(), &target.url));
    }
    let result = pypi::upload_local(
        sh.runner.world,
        LocalUpload {
            base_url: sh.runner.base_url,
            path: &path,
            username: &target.username,
            token: &target.password,
            name: &d.name,
            version: &d.version,
            filename: &d.filename,
            bytes: d.bytes.clone(),
        },
    );
    result.map_err(|e| twine::http_error(e.status.as_u16(), &target.url))
}
