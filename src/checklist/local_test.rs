//! Item 7, the local test: the last `cawiz test` result recorded in the state (running the clients
//! on every status would be slow and would fetch packages); apply runs the test. One group of rows
//! per format and client of the setup.

pub mod plan;

use super::rows::{Row, Verdict};
use super::{Action, Context, ItemId, Report, Status};
use crate::format::FormatSetup;
use crate::state::{FormatTestResult, LocalTestRecord, LocalTestStep};

/// Running the local test against the setup's repository, as configured.
pub fn action(ctx: &Context) -> Action {
    Action::RunLocalTest {
        domain: ctx.setup.domain.clone(),
        owner: ctx.account.clone(),
        repository: ctx.setup.repository.clone(),
        package: ctx.local_test_config.package.clone(),
        publish: ctx.local_test_config.publish,
        formats: ctx.setup.formats.clone(),
    }
}

pub fn check(ctx: &Context) -> Report {
    let target = ctx.local_test_target();
    let record = ctx.local_test.as_ref().filter(|r| r.target == target);
    let status = match record {
        Some(r) => status(r, &ctx.setup.formats),
        None => Status::Missing {
            summary: format!("never run against {target}: run `cawiz test`"),
        },
    };
    let mut report = Report::new(ItemId::LocalTest, status);
    if !report.status.is_done() {
        report.actions.push(action(ctx));
    }
    if let Some(r) = record {
        report.details.rows = rows(r, &ctx.setup.formats);
    }
    report
}

/// The formats of the setup the record has no result for (`npm (npm)`).
fn not_run(record: &LocalTestRecord, formats: &[FormatSetup]) -> Vec<String> {
    formats
        .iter()
        .filter(|f| record.result(f.format, f.client).is_none())
        .map(|f| format!("{} ({})", f.format, f.client))
        .collect()
}

/// Done when every format of the setup passed; missing when a step failed or a format was not
/// run; unknown when a format could not run (its client is not installed).
fn status(record: &LocalTestRecord, formats: &[FormatSetup]) -> Status {
    let at = crate::state::format_time(record.at);
    if let Some((label, step)) = record.first_failure() {
        let prefix = label.map(|l| format!("{l}: ")).unwrap_or_default();
        return Status::Missing {
            summary: format!("last run failed {at}: {prefix}{}", step.detail),
        };
    }
    let missing = not_run(record, formats);
    if !missing.is_empty() {
        return Status::Missing {
            summary: format!("not run for {}: run `cawiz test`", missing.join(", ")),
        };
    }
    let results = || {
        formats
            .iter()
            .filter_map(|f| record.result(f.format, f.client))
    };
    let unknown: Vec<String> = results()
        .filter_map(|r| Some(format!("{}: {}", r.label(), r.unknown.as_ref()?)))
        .collect();
    if !unknown.is_empty() {
        return Status::Unknown {
            reason: unknown.join("; "),
        };
    }
    let names: Vec<&str> = record
        .steps
        .iter()
        .chain(results().flat_map(|r| r.steps.iter()))
        .map(|s| s.name.as_str())
        .collect();
    Status::Done {
        summary: format!("passed {at} ({})", names.join(", ")),
    }
}

fn step_row(id: String, title: String, step: &LocalTestStep) -> Row {
    Row::new(id, title, Verdict::from_ok(step.ok))
        .evidence(step.detail.clone())
        .fix(
            "run it again (t) once the cause is fixed",
            Some(ItemId::LocalTest),
        )
}

/// The steps before any format, then one group per format of the setup: its steps, or the
/// `unknown` row saying why it could not run.
fn rows(record: &LocalTestRecord, formats: &[FormatSetup]) -> Vec<Row> {
    let mut rows: Vec<Row> = record
        .steps
        .iter()
        .map(|s| step_row(format!("step:{}", s.name), s.name.clone(), s))
        .collect();
    for result in formats
        .iter()
        .filter_map(|f| record.result(f.format, f.client))
    {
        rows.extend(format_rows(result));
    }
    rows
}

fn format_rows(result: &FormatTestResult) -> Vec<Row> {
    let id = format!("step:{}:{}", result.format, result.client.key());
    let label = result.label();
    if let Some(reason) = &result.unknown {
        return vec![
            Row::new(
                format!("{id}:client"),
                format!("{label}: {}", result.client.key()),
                Verdict::Unknown(reason.clone()),
            )
            .fix(reason.clone(), None),
        ];
    }
    result
        .steps
        .iter()
        .map(|s| {
            step_row(
                format!("{id}:{}", s.name),
                format!("{label}: {}", s.name),
                s,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::{Client, Format, parse_formats};

    fn step(name: &str, ok: bool) -> LocalTestStep {
        LocalTestStep {
            name: name.to_owned(),
            ok,
            detail: format!("{name} detail"),
        }
    }

    fn result(format: Format, client: Client, steps: Vec<LocalTestStep>) -> FormatTestResult {
        FormatTestResult {
            format,
            client,
            steps,
            unknown: None,
        }
    }

    fn record(formats: Vec<FormatTestResult>) -> LocalTestRecord {
        LocalTestRecord::new(0, "octo-org/widgets".to_owned(), Vec::new(), formats)
    }

    #[test]
    fn a_format_added_since_the_last_run_is_not_run() {
        let setup = parse_formats("pypi, npm@octo-org", &[]).expect("formats");
        let pypi = result(
            Format::Pypi,
            Client::Twine,
            vec![step("pip download", true)],
        );
        let found = status(&record(vec![pypi.clone()]), &setup);
        assert_eq!(found.kind(), "missing");
        assert!(
            found.summary().contains("not run for npm (npm)"),
            "{found:?}"
        );

        let npm = result(Format::Npm, Client::Npm, vec![step("npm ping", true)]);
        let both = record(vec![pypi, npm]);
        assert!(status(&both, &setup).is_done());
        let ids: Vec<String> = rows(&both, &setup).into_iter().map(|r| r.id).collect();
        assert_eq!(ids, ["step:pypi:pip:pip download", "step:npm:npm:npm ping"]);
    }

    #[test]
    fn a_missing_client_is_unknown_and_a_failed_step_names_its_format() {
        let setup = parse_formats("pypi:uv", &[]).expect("formats");
        let missing = FormatTestResult {
            unknown: Some("uv not found on PATH: install uv".to_owned()),
            ..result(Format::Pypi, Client::Uv, Vec::new())
        };
        let r = record(vec![missing]);
        let found = status(&r, &setup);
        assert_eq!(found.kind(), "unknown");
        assert!(
            found.summary().contains("pypi (uv): uv not found"),
            "{found:?}"
        );
        let row = &rows(&r, &setup)[0];
        assert_eq!(row.id, "step:pypi:uv:client");
        assert_eq!(row.verdict.key(), "unknown");

        let failed = result(
            Format::Pypi,
            Client::Uv,
            vec![step("uv pip install", false)],
        );
        let found = status(&record(vec![failed]), &setup);
        assert_eq!(found.kind(), "missing");
        assert!(
            found
                .summary()
                .ends_with("pypi (uv): uv pip install detail"),
            "{found:?}"
        );
    }
}
