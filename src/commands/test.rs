//! `cawiz test`: the local test with real pip (and twine when opted in), its result recorded.

use std::process::ExitCode;

use crate::checklist;
use crate::cli::{GlobalArgs, TestArgs};
use crate::escape::line;
use crate::localtest;

/// A pip configuration token lives as long as CodeArtifact allows (12 hours), like the guide's.
const PIP_CONFIG_TOKEN_SECONDS: i64 = 43_200;

use super::apply::{local_test_config, recording};
use super::output::header;
use super::{CliError, confirm, open_session};

pub async fn run(global: &GlobalArgs, args: &TestArgs) -> Result<ExitCode, CliError> {
    let mut session = open_session(global, local_test_config(&args.options)).await?;
    outln!("{}", header(&session.ctx, session.sandbox.is_some()));
    let mut save_error = None;
    let result = {
        let (ctx, mut progress) = recording(&mut session, &mut save_error);
        checklist::run_local_test(ctx, &mut progress).await
    };
    session.save()?;
    if let Some(e) = save_error {
        return Err(CliError::plain(format!(
            "the state file could not be written: {e}"
        )));
    }
    let record = result?;
    if let Some((label, failed)) = record.first_failure() {
        let label = label.map(|l| format!("{l}: ")).unwrap_or_default();
        return Err(CliError::new(
            format!(
                "the local test failed at {label}{}: {}",
                failed.name,
                line(&failed.detail)
            ),
            "run `cawiz status` to see which item is not done, or `cawiz apply` to fix it",
        ));
    }
    for unknown in record.formats.iter().filter(|f| f.unknown.is_some()) {
        outln!(
            "? {}: not tested: {}",
            unknown.label(),
            line(unknown.unknown.as_deref().unwrap_or_default())
        );
    }
    if !record.passed {
        outln!("Local test: nothing failed, but not every format could be tested (see above).");
        return Ok(ExitCode::SUCCESS);
    }
    outln!("Local test passed.");
    if args.write_pip_config {
        let target = checklist::pypi_target(&session.ctx, PIP_CONFIG_TOKEN_SECONDS).await?;
        outln!(
            "{}",
            localtest::pip_config_warning(&target, localtest::now_epoch())
        );
        if !args.yes
            && !confirm(
                "Write the repository URL (with its token) to your user pip configuration?",
                "--yes",
            )?
        {
            outln!("Your pip configuration was not changed.");
            return Ok(ExitCode::SUCCESS);
        }
        let path = localtest::write_pip_config(&target, args.options.python.as_deref())
            .await
            .map_err(|e| CliError::plain(e.to_string()))?;
        outln!(
            "Set global.index-url = {} in {} (readable by you only); pip reads it back.",
            localtest::masked_index_url(&target.endpoint),
            path.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
