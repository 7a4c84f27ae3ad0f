//! The upload command: twine must go to the CodeArtifact repository endpoint, and without
//! `--skip-existing` (twine 6.2+ refuses it for any repository but PyPI); `uv publish` and
//! `poetry publish` must name the repository too (both publish to pypi.org by default).

use std::sync::LazyLock;

use regex::Regex;

use super::super::calls::commands;
use super::super::model::{Job, Workflow};
use super::publishers::{self, Client};
use super::shell;
use super::words::{option, unquote};
use super::{LintFinding, LintId, Source};

fn re(pattern: &str) -> Regex {
    #[allow(clippy::expect_used)]
    Regex::new(pattern).expect("valid built-in pattern")
}

static TWINE_UPLOAD: LazyLock<Regex> = LazyLock::new(|| re(r"\btwine\s+upload\b"));
static REPOSITORY_NAME: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:^|\s)(?:-r|--repository)(?:\s+|=)([^\s]+)"));
static REPOSITORY_URL: LazyLock<Regex> = LazyLock::new(|| re(r"--repository-url(?:\s+|=)([^\s]+)"));
static CODEARTIFACT_LOGIN: LazyLock<Regex> =
    LazyLock::new(|| re(r"aws\s+codeartifact\s+login\b[^\n]*--tool\s+twine"));

/// Whether the job sets TWINE_REPOSITORY_URL / TWINE_REPOSITORY for twine somewhere (`env:` of the
/// step, job or workflow, or a script exporting it or writing it to $GITHUB_ENV).
fn sets_twine_target(wf: &Workflow, job: &Job, step_env: &[super::super::model::Input]) -> bool {
    let named = |n: &str| n == "TWINE_REPOSITORY_URL" || n == "TWINE_REPOSITORY";
    step_env
        .iter()
        .chain(&job.env)
        .chain(&wf.env)
        .any(|i| named(&i.name))
        || job
            .scripts()
            .any(|(_, s, _)| s.contains("TWINE_REPOSITORY_URL=") || s.contains("TWINE_REPOSITORY="))
}

/// Where a twine command uploads, when it names the target: `Ok(())` for CodeArtifact (or
/// anything but PyPI), `Err(what)` for pypi.org, `None` when it does not say.
fn target(command: &str) -> Option<Result<(), String>> {
    if let Some(c) = REPOSITORY_URL.captures(command) {
        let url = c[1].to_owned();
        return Some(if url.contains("pypi.org") {
            Err(format!("--repository-url {url}"))
        } else {
            Ok(())
        });
    }
    if let Some(c) = REPOSITORY_NAME.captures(command) {
        let name = c[1].trim_matches(['"', '\'']).to_owned();
        return Some(if matches!(name.as_str(), "pypi" | "testpypi") {
            Err(format!("-r {name}"))
        } else {
            Ok(())
        });
    }
    None
}

/// `skip-existing-unsupported` and `upload-to-pypi` for the uploads of a job that talks to
/// CodeArtifact.
pub fn uploads_findings(wf: &Workflow, job: &Job, src: &Source) -> Vec<LintFinding> {
    let login = job
        .scripts()
        .any(|(_, s, _)| CODEARTIFACT_LOGIN.is_match(s));
    let mut out = other_clients(wf, job, src);
    for (step, script, run_line) in job.scripts() {
        let lines = src.script_lines(run_line, script);
        for (index, command) in commands(script) {
            if !TWINE_UPLOAD.is_match(&command) {
                continue;
            }
            let line = lines.get(index).copied().unwrap_or(run_line);
            if command.contains("--skip-existing") {
                let at = script
                    .lines()
                    .enumerate()
                    .skip(index)
                    .find(|(_, l)| l.contains("--skip-existing"))
                    .and_then(|(i, _)| lines.get(i).copied())
                    .unwrap_or(line);
                out.push(LintFinding::error(
                    LintId::SkipExistingUnsupported,
                    at,
                    format!(
                        "job {}: `twine upload --skip-existing` to CodeArtifact: twine 6.2+ refuses it for \
                         any repository but PyPI (\"does not have support for the following features: \
                         --skip-existing\")",
                        job.id
                    ),
                    "drop --skip-existing; bump the version for each upload (CodeArtifact answers 409 \
                     for a version that exists)"
                        .to_owned(),
                ));
            }
            let problem = match target(&command) {
                Some(Ok(())) => None,
                Some(Err(what)) => Some(format!("uploads to PyPI ({what}), not CodeArtifact")),
                None if sets_twine_target(wf, job, &step.env) => None,
                None if login => Some(
                    "runs after `aws codeartifact login --tool twine` without `-r codeartifact` or a \
                     repository URL, so it uploads to pypi.org"
                        .to_owned(),
                ),
                None => Some(
                    "names no repository (no -r, --repository-url or TWINE_REPOSITORY_URL), so it \
                     uploads to pypi.org"
                        .to_owned(),
                ),
            };
            if let Some(problem) = problem {
                out.push(LintFinding::error(
                    LintId::UploadToPypi,
                    line,
                    format!("job {}: `twine upload` {problem}", job.id),
                    "export TWINE_REPOSITORY_URL from `aws codeartifact get-repository-endpoint --format \
                     pypi` (with TWINE_USERNAME=aws and TWINE_PASSWORD from get-authorization-token), or \
                     pass `-r codeartifact` after `aws codeartifact login --tool twine`"
                        .to_owned(),
                ));
            }
        }
    }
    out
}

/// Whether the job sets `name` for its tools (`env:` of a step, the job or the workflow, or a
/// script assigning it).
fn sets(wf: &Workflow, job: &Job, name: &str) -> bool {
    let in_env = |inputs: &[super::super::model::Input]| inputs.iter().any(|i| i.name == name);
    in_env(&wf.env)
        || in_env(&job.env)
        || job.steps.iter().any(|s| in_env(&s.env))
        || job
            .scripts()
            .any(|(_, s, _)| s.contains(&format!("{name}=")))
}

/// `upload-to-pypi` for `uv publish` and `poetry publish` without a target.
fn other_clients(wf: &Workflow, job: &Job, src: &Source) -> Vec<LintFinding> {
    let mut out = Vec::new();
    for (_, script, run_line) in job.scripts() {
        let lines = src.script_lines(run_line, script);
        for c in shell::commands(script) {
            let Some((client, _)) = publishers::publishes(&c) else {
                continue;
            };
            let args: Vec<String> = c.program_words().iter().map(|w| unquote(w)).collect();
            let named = |flags: &[&str]| flags.iter().find_map(|f| option(&args, f));
            let problem = match client {
                Client::Uv => match named(&["--publish-url", "--index"]) {
                    Some(url) if url.contains("pypi.org") => Some(format!("--publish-url {url}")),
                    Some(_) => None,
                    None if sets(wf, job, "UV_PUBLISH_URL") => None,
                    None => Some("no --publish-url, --index or UV_PUBLISH_URL".to_owned()),
                },
                Client::Poetry => match named(&["-r", "--repository"]) {
                    Some(r) if r == "pypi" => Some("-r pypi".to_owned()),
                    Some(_) => None,
                    None => Some("no -r/--repository".to_owned()),
                },
                _ => None,
            };
            if let Some(problem) = problem {
                out.push(LintFinding::error(
                    LintId::UploadToPypi,
                    lines.get(c.line).copied().unwrap_or(run_line),
                    format!(
                        "job {}: `{}` with {problem} publishes to pypi.org, not CodeArtifact",
                        job.id,
                        client.command()
                    ),
                    format!("publish with {}", client.how()),
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        assert_eq!(target("twine upload -r codeartifact dist/*"), Some(Ok(())));
        assert!(target("twine upload --repository pypi dist/*").is_some_and(|t| t.is_err()));
        assert!(
            target("twine upload --repository-url https://upload.pypi.org/legacy/ x")
                .is_some_and(|t| t.is_err())
        );
        assert_eq!(
            target("twine upload --repository-url \"$ENDPOINT\" dist/*"),
            Some(Ok(()))
        );
        assert_eq!(target("twine upload dist/*"), None);
    }
}
