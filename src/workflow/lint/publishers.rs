//! Which commands publish packages, with which client and in which CodeArtifact format: twine,
//! uv, poetry, npm/pnpm/yarn, mvn, gradle, dotnet/nuget, cargo and the AWS CLI's
//! `publish-package-version`; and which clients a job uses at all (for texts that speak the
//! user's tool). The setup's formats come in as a list ([`super::LintContext::formats`]), so a
//! format model can plug its own in.

pub use crate::format::{Client, Format};

use super::super::model::Job;
use super::shell::{self, Command};
use super::words::unquote;

impl Client {
    /// The publishing command, as people write it.
    pub fn command(self) -> &'static str {
        match self {
            Client::Twine => "twine upload",
            Client::Uv => "uv publish",
            Client::Poetry => "poetry publish",
            Client::Npm => "npm publish",
            Client::Pnpm => "pnpm publish",
            Client::Yarn => "yarn publish",
            Client::Mvn => "mvn deploy",
            Client::Gradle => "gradle publish",
            Client::Dotnet => "dotnet nuget push",
            Client::Cargo => "cargo publish",
            Client::AwsCli => "aws codeartifact publish-package-version",
        }
    }

    /// How this client publishes to the repository endpoint (for a fix).
    pub fn how(self) -> &'static str {
        match self {
            Client::Twine => {
                "`twine upload` with TWINE_REPOSITORY_URL from `aws codeartifact get-repository-endpoint \
                 --format pypi`, TWINE_USERNAME=aws and TWINE_PASSWORD from get-authorization-token"
            }
            Client::Uv => {
                "`uv publish` with UV_PUBLISH_URL from `aws codeartifact get-repository-endpoint --format \
                 pypi`, UV_PUBLISH_USERNAME=aws and UV_PUBLISH_PASSWORD from get-authorization-token"
            }
            Client::Poetry => {
                "`poetry config repositories.codeartifact URL` (from get-repository-endpoint --format \
                 pypi), then `poetry publish -r codeartifact` with POETRY_HTTP_BASIC_CODEARTIFACT_USERNAME=aws \
                 and POETRY_HTTP_BASIC_CODEARTIFACT_PASSWORD from get-authorization-token"
            }
            Client::Npm | Client::Pnpm | Client::Yarn => {
                "the registry from `aws codeartifact get-repository-endpoint --format npm` and the token \
                 from get-authorization-token in NODE_AUTH_TOKEN, then `npm publish`"
            }
            Client::Mvn => {
                "`mvn deploy` to the URL from get-repository-endpoint --format maven, with a settings.xml \
                 server (username aws, password the token from get-authorization-token)"
            }
            Client::Gradle => {
                "`gradle publish` to a maven repository at the URL from get-repository-endpoint --format \
                 maven (username aws, password the token from get-authorization-token)"
            }
            Client::Dotnet => {
                "`dotnet nuget push` to the source from get-repository-endpoint --format nuget (ending in \
                 v3/index.json), after `aws codeartifact login --tool dotnet`"
            }
            Client::Cargo => {
                "`cargo publish --registry NAME` with CARGO_REGISTRIES_NAME_INDEX (sparse+ the endpoint \
                 from get-repository-endpoint --format cargo) and CARGO_REGISTRIES_NAME_TOKEN"
            }
            Client::AwsCli => {
                "`aws codeartifact publish-package-version` for each asset (generic format)"
            }
        }
    }
}

/// One publishing command of a job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publish {
    pub client: Client,
    pub format: Format,
    /// The file line of the command.
    pub line: usize,
}

/// The words of `c` after wrappers that run a tool (`python -m X`, `pipx run X`, `uvx X`,
/// `npx X`, `sudo`, `env`).
fn tool_words(c: &Command) -> Vec<String> {
    let mut words: Vec<String> = c.program_words().iter().map(|w| unquote(w)).collect();
    loop {
        let first = words
            .first()
            .map(|w| w.rsplit('/').next().unwrap_or(w).to_owned());
        let skip = match first.as_deref() {
            Some("sudo" | "env" | "uvx" | "npx" | "exec") => 1,
            Some("pipx" | "poetry" | "uv" | "pdm")
                if words.get(1).map(String::as_str) == Some("run") =>
            {
                2
            }
            Some(p)
                if p.starts_with("python") && words.get(1).map(String::as_str) == Some("-m") =>
            {
                2
            }
            _ => break,
        };
        words.drain(..skip.min(words.len()));
        // The wrapper's own flags and `env`'s assignments.
        let extra = words
            .iter()
            .take_while(|w| w.starts_with('-') || super::shell::assignment(w).is_some())
            .count();
        words.drain(..extra);
    }
    if let Some(first) = words.first_mut() {
        *first = first.rsplit('/').next().unwrap_or(first).to_owned();
    }
    words
}

/// Whether `words` (after the program) run the Maven goal `deploy`.
fn maven_deploys(args: &[String]) -> bool {
    args.iter()
        .any(|a| a == "deploy" || a.starts_with("deploy:") || a.ends_with(":deploy"))
}

/// Whether `args` run a Gradle publishing task to a remote repository (not
/// `publishToMavenLocal`, nor the plugin portal's `publishPlugins`).
fn gradle_publishes(args: &[String]) -> bool {
    args.iter().any(|a| {
        let task = a.rsplit(':').next().unwrap_or(a);
        !a.starts_with('-')
            && task.starts_with("publish")
            && !task.ends_with("ToMavenLocal")
            && task != "publishPlugins"
    })
}

/// The client and format `c` publishes with, if it publishes.
pub fn publishes(c: &Command) -> Option<(Client, Format)> {
    let words = tool_words(c);
    let (program, args) = words.split_first()?;
    let arg = |i: usize| args.get(i).map(String::as_str);
    let sub = args
        .iter()
        .find(|a| !a.starts_with('-'))
        .map(String::as_str);
    let client = match program.as_str() {
        "twine" if sub == Some("upload") => Client::Twine,
        "uv" if sub == Some("publish") => Client::Uv,
        "poetry" if sub == Some("publish") => Client::Poetry,
        "npm" | "lerna" if sub == Some("publish") => Client::Npm,
        "pnpm" if args.iter().any(|a| a == "publish") => Client::Pnpm,
        "yarn" if sub == Some("publish") || (sub == Some("npm") && arg(1) == Some("publish")) => {
            Client::Yarn
        }
        "mvn" | "mvnw" if maven_deploys(args) => Client::Mvn,
        "gradle" | "gradlew" if gradle_publishes(args) => Client::Gradle,
        "dotnet" if sub == Some("nuget") && args.iter().any(|a| a == "push") => Client::Dotnet,
        "nuget" | "nuget.exe" if sub == Some("push") => Client::Dotnet,
        "cargo" if sub == Some("publish") => Client::Cargo,
        "aws" if arg(0) == Some("codeartifact") && arg(1) == Some("publish-package-version") => {
            let format = super::words::option(args, "--format")
                .and_then(|f| Format::parse(&f))
                .unwrap_or(Format::Generic);
            return Some((Client::AwsCli, format));
        }
        _ => return None,
    };
    Some((client, client.format()))
}

/// The publishing commands of `job`, with their file lines (`lines(run_line, script)` maps a
/// script's line to the file's).
pub fn in_job(job: &Job, lines: &dyn Fn(usize, &str) -> Vec<usize>) -> Vec<Publish> {
    let mut out = Vec::new();
    for (_, script, run_line) in job.scripts() {
        let map = lines(run_line, script);
        for c in shell::commands(script) {
            if let Some((client, format)) = publishes(&c) {
                out.push(Publish {
                    client,
                    format,
                    line: map.get(c.line).copied().unwrap_or(run_line),
                });
            }
        }
    }
    out
}

/// The clients `job` shows signs of using, most specific first: `aws codeartifact login --tool`,
/// the setup actions, the commands it runs.
pub fn hinted(job: &Job) -> Vec<Client> {
    let mut out = Vec::new();
    for step in &job.steps {
        let action = step.action().unwrap_or_default();
        let by_action = match action.as_str() {
            "astral-sh/setup-uv" => Some(Client::Uv),
            "snok/install-poetry" => Some(Client::Poetry),
            "pnpm/action-setup" => Some(Client::Pnpm),
            "actions/setup-node" => Some(Client::Npm),
            "actions/setup-dotnet" => Some(Client::Dotnet),
            "gradle/actions" | "gradle/gradle-build-action" => Some(Client::Gradle),
            _ => None,
        };
        out.extend(by_action);
    }
    for (_, script, _) in job.scripts() {
        for c in shell::commands(script) {
            let words = tool_words(&c);
            let hint = match words.first().map(String::as_str) {
                Some("aws")
                    if words.get(1).map(String::as_str) == Some("codeartifact")
                        && words.get(2).map(String::as_str) == Some("login") =>
                {
                    match super::words::option(&words, "--tool").as_deref() {
                        Some("twine" | "pip") => Some(Client::Twine),
                        Some("npm") => Some(Client::Npm),
                        Some("dotnet" | "nuget") => Some(Client::Dotnet),
                        _ => None,
                    }
                }
                Some("uv") => Some(Client::Uv),
                Some("poetry") => Some(Client::Poetry),
                Some("twine") => Some(Client::Twine),
                Some("pnpm") => Some(Client::Pnpm),
                Some("yarn") => Some(Client::Yarn),
                Some("npm") => Some(Client::Npm),
                Some("mvn" | "mvnw") => Some(Client::Mvn),
                Some("gradle" | "gradlew") => Some(Client::Gradle),
                Some("dotnet" | "nuget") => Some(Client::Dotnet),
                Some("cargo") => Some(Client::Cargo),
                _ => None,
            };
            out.extend(hint);
        }
    }
    // Login names the target most precisely; keep the first sighting of each.
    let mut seen = Vec::new();
    out.retain(|c| {
        let new = !seen.contains(c);
        seen.push(*c);
        new
    });
    out
}

/// The client a job that should publish `formats` would use: the first it shows signs of whose
/// format is among them, else the default client of the first format (twine for pypi).
pub fn likely_client(jobs: &[&Job], formats: &[Format]) -> Client {
    let wanted = |c: &Client| formats.is_empty() || formats.contains(&c.format());
    jobs.iter()
        .flat_map(|j| hinted(j))
        .find(wanted)
        .unwrap_or(match formats.first() {
            Some(Format::Npm) => Client::Npm,
            Some(Format::Maven) => Client::Mvn,
            Some(Format::Nuget) => Client::Dotnet,
            Some(Format::Cargo) => Client::Cargo,
            Some(Format::Generic) => Client::AwsCli,
            _ => Client::Twine,
        })
}

#[cfg(test)]
mod tests;
