//! The local test of one format with its client: pip+twine (the steps of [`super::steps`]), npm,
//! uv or poetry, each configured only in a temporary place. A client that is not installed makes
//! the format `unknown` with the install hint, never a failed test.

use super::client_report::ClientReport;
use super::tools::{Tool, which};
use super::{Line, LocalTestError, Options, Target};
use crate::format::Client;

/// How to install each client, for the `unknown` row.
pub(super) fn install_hint(client: Client) -> &'static str {
    match client {
        Client::Npm => "install Node.js (https://nodejs.org/), which ships npm",
        Client::Uv => "install uv (https://docs.astral.sh/uv/getting-started/installation/)",
        Client::Poetry => {
            "install poetry (https://python-poetry.org/docs/#installation, e.g. `pipx install \
             poetry`)"
        }
        _ => "this cawiz does not drive it yet",
    }
}

/// The client's program on PATH (absolute entries only), or the `unknown` reason.
pub(super) fn find(client: Client) -> Result<Tool, String> {
    which(client.key()).map(Tool::new).ok_or_else(|| {
        format!(
            "{} not found on PATH: {}",
            client.key(),
            install_hint(client)
        )
    })
}

/// Runs the local test of a format with `client` against `target` (the format's endpoint).
/// `namespace` is the format's (an npm scope, without `@`). Errors are I/O failures and, for
/// pip+twine, a missing Python, pip or twine (as before formats).
pub async fn run_client(
    client: Client,
    namespace: Option<&str>,
    target: &Target,
    options: &Options,
    mut on_line: impl FnMut(Line) + Send,
) -> Result<ClientReport, LocalTestError> {
    let on_line: &mut (dyn FnMut(Line) + Send) = &mut on_line;
    // The package reaches uv's and poetry's command lines (after `--`): a name, nothing else.
    crate::setup::validate(crate::setup::Field::PackageName, &options.package)
        .map_err(LocalTestError::Input)?;
    match client {
        Client::Twine => super::steps::run(target, options, on_line)
            .await
            .map(ClientReport::from_report),
        Client::Npm => match find(client) {
            Ok(npm) => super::npm::run(&npm, namespace, target, options, on_line).await,
            Err(reason) => Ok(ClientReport::unknown(reason)),
        },
        Client::Uv => match find(client) {
            Ok(uv) => super::uv::run(&uv, target, options, on_line).await,
            Err(reason) => Ok(ClientReport::unknown(reason)),
        },
        Client::Poetry => match find(client) {
            Ok(poetry) => super::poetry::run(&poetry, target, options, on_line).await,
            Err(reason) => Ok(ClientReport::unknown(reason)),
        },
        other => Ok(ClientReport::unknown(format!(
            "the local test does not drive {other} yet: run `{}` against the repository by hand",
            other.key()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_package_that_is_not_a_name_never_reaches_a_client() {
        let target = Target {
            endpoint: "http://127.0.0.1:9/o-1/pypi/r/".to_owned(),
            token: super::super::Secret::new("t"),
            expires_at: None,
            repository: "r".to_owned(),
        };
        let options = Options {
            package: "--index-url=http://evil/".to_owned(),
            ..Options::default()
        };
        for client in [Client::Uv, Client::Poetry, Client::Npm] {
            let got = run_client(client, None, &target, &options, |_| {}).await;
            assert!(
                matches!(got, Err(LocalTestError::Input(_))),
                "{client}: {got:?}"
            );
        }
    }

    #[tokio::test]
    async fn a_client_this_build_does_not_drive_is_unknown_not_failed() {
        let target = Target {
            endpoint: "http://127.0.0.1:9/o-1/npm/r/".to_owned(),
            token: super::super::Secret::new("t"),
            expires_at: None,
            repository: "r".to_owned(),
        };
        for client in [Client::Pnpm, Client::Yarn] {
            let report = run_client(client, None, &target, &Options::default(), |_| {})
                .await
                .expect("no error");
            assert!(report.steps.is_empty(), "{report:?}");
            let reason = report.unknown.unwrap_or_default();
            assert!(reason.contains("does not drive"), "{client}: {reason}");
        }
    }
}
