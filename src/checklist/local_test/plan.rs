//! What the local test's step says it does, per format and client, and its equivalent shell
//! command (the token from `aws codeartifact get-authorization-token`, each format's endpoint from
//! `get-repository-endpoint`, the token in each client's environment only).

use crate::format::{Client, FormatSetup};
use crate::shell::shell_quote as q;

/// What one format's part of the run does.
fn describe_one(entry: &FormatSetup, repository: &str, package: &str, publish: bool) -> String {
    let then = |text: &str| {
        if publish {
            text.to_owned()
        } else {
            String::new()
        }
    };
    match entry.client {
        Client::Twine => format!(
            "pip fetches {package} through {repository}{}",
            then(", twine uploads, pip installs the upload in a throw-away venv")
        ),
        Client::Npm => {
            let probe = match &entry.namespace {
                Some(scope) => format!("@{scope}/cawiz-probe"),
                None => "cawiz-probe".to_owned(),
            };
            format!(
                "npm pings {repository}, installs is-number through it{}",
                then(&format!(", publishes {probe}"))
            )
        }
        Client::Uv => format!(
            "uv installs {package} through {repository}{}",
            then(", uv publishes a probe")
        ),
        Client::Poetry => format!(
            "poetry resolves {package} through {repository}{}",
            then(", poetry publishes a probe")
        ),
        other => format!("{other} is not driven yet ({} unknown)", entry.format),
    }
}

/// `Run the local test: pip fetches six through widgets; npm pings widgets, …`.
pub fn describe(formats: &[FormatSetup], repository: &str, package: &str, publish: bool) -> String {
    let parts: Vec<String> = formats
        .iter()
        .map(|f| describe_one(f, repository, package, publish))
        .collect();
    format!("Run the local test: {}", parts.join("; "))
}

/// The shell command reading one format's part (the read only: publishing is not repeated here).
fn command_one(entry: &FormatSetup, endpoint: &str, package: &str) -> Option<String> {
    let package = q(package);
    match entry.client {
        Client::Twine => Some(format!(
            "PIP_INDEX_URL=\"${{{endpoint}%%://*}}://aws:${{TOKEN}}@${{{endpoint}#*://}}simple/\" \
             python3 -I -m pip download --no-deps --dest \"$(mktemp -d)\" -- {package}"
        )),
        Client::Npm => Some(format!(
            "NPMRC=$(mktemp) && printf 'registry=%s\\n//%s:_authToken=${{NODE_AUTH_TOKEN}}\\n' \
             \"${endpoint}\" \"${{{endpoint}#*://}}\" > \"$NPMRC\" && NODE_AUTH_TOKEN=\"$TOKEN\" npm \
             --userconfig \"$NPMRC\" ping"
        )),
        Client::Uv => Some(format!(
            "UV_DEFAULT_INDEX=\"codeartifact=${{{endpoint}}}simple/\" \
             UV_INDEX_CODEARTIFACT_USERNAME=aws UV_INDEX_CODEARTIFACT_PASSWORD=\"$TOKEN\" uv pip \
             install --no-deps --target \"$(mktemp -d)\" -- {package}"
        )),
        _ => None,
    }
}

/// `TOKEN=$(…) && ENDPOINT=$(… --format pypi …) && PIP_INDEX_URL=… pip download …`, one endpoint
/// variable per format (`ENDPOINT` for the first, as before formats).
pub fn command(formats: &[FormatSetup], common: &str, repository: &str, package: &str) -> String {
    let mut parts = vec![format!(
        "TOKEN=$(aws codeartifact get-authorization-token {common} --query authorizationToken \
         --output text)"
    )];
    for (i, entry) in formats.iter().enumerate() {
        let Some(_) = command_one(entry, "X", package) else {
            continue;
        };
        let var = if i == 0 {
            "ENDPOINT".to_owned()
        } else {
            format!("ENDPOINT_{}", entry.format.as_str().to_ascii_uppercase())
        };
        parts.push(format!(
            "{var}=$(aws codeartifact get-repository-endpoint {common} --repository {} --format {} \
             --query repositoryEndpoint --output text)",
            q(repository),
            entry.format
        ));
        parts.extend(command_one(entry, &var, package));
    }
    parts.join(" && ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::parse_formats;

    const COMMON: &str = "--domain octo-org --domain-owner 123456789012 --region us-east-1";

    fn formats(text: &str) -> Vec<FormatSetup> {
        parse_formats(text, &[]).expect("formats")
    }

    #[test]
    fn pip_and_twine_read_as_before_formats() {
        let pypi = formats("pypi");
        assert_eq!(
            describe(&pypi, "widgets", "six", true),
            "Run the local test: pip fetches six through widgets, twine uploads, pip installs the \
             upload in a throw-away venv"
        );
        assert_eq!(
            command(&pypi, COMMON, "widgets", "six"),
            format!(
                "TOKEN=$(aws codeartifact get-authorization-token {COMMON} --query \
                 authorizationToken --output text) && ENDPOINT=$(aws codeartifact \
                 get-repository-endpoint {COMMON} --repository widgets --format pypi --query \
                 repositoryEndpoint --output text) && \
                 PIP_INDEX_URL=\"${{ENDPOINT%%://*}}://aws:${{TOKEN}}@${{ENDPOINT#*://}}simple/\" \
                 python3 -I -m pip download --no-deps --dest \"$(mktemp -d)\" -- six"
            )
        );
    }

    #[test]
    fn each_format_says_what_its_client_does() {
        let both = formats("pypi:uv, npm@octo-org");
        let text = describe(&both, "widgets", "six", true);
        assert_eq!(
            text,
            "Run the local test: uv installs six through widgets, uv publishes a probe; npm pings \
             widgets, installs is-number through it, publishes @octo-org/cawiz-probe"
        );
        let shell = command(&both, COMMON, "widgets", "six");
        assert!(shell.contains("--format pypi"), "{shell}");
        assert!(shell.contains("ENDPOINT_NPM=$(aws codeartifact get-repository-endpoint"));
        assert!(shell.contains("--format npm"), "{shell}");
        assert!(shell.contains("UV_INDEX_CODEARTIFACT_PASSWORD=\"$TOKEN\" uv pip install"));
        assert!(shell.contains("_authToken=${NODE_AUTH_TOKEN}"), "{shell}");
        assert!(
            shell.contains("npm --userconfig \"$NPMRC\" ping"),
            "{shell}"
        );
    }
}
