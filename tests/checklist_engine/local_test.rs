//! The local test item with the venv's real pip: apply runs it on a complete setup, run_local_test
//! on a freshly applied one; no token reaches the record or the streamed output.

use base64::Engine as _;
use cawiz::checklist::{self, ItemId, Outcome};
use cawiz::format::{Client, Format};
use cawiz::localtest::Options;
use cawiz::state::LocalTestRecord;

use super::{Event, WITHOUT_LOCAL_TEST, apply_ok, common, context, context_with, widgets};

/// Every token the sandbox issues starts with this (`cawizsbx.` + URL-safe base64).
const TOKEN_PREFIX: &str = "cawizsbx.";

fn config() -> Option<Options> {
    Some(Options {
        python: Some(common::python_tool("python")?),
        ..Options::default()
    })
}

/// No sandbox token, raw, URL-encoded or inside a Basic credential, in `text`.
fn assert_no_token(text: &str) {
    // base64("aws:cawizsbx") is a fixed 16-character prefix of every Basic credential.
    let basic = base64::engine::general_purpose::STANDARD.encode("aws:cawizsbx");
    for needle in [TOKEN_PREFIX, basic.as_str()] {
        assert!(!text.contains(needle), "a token leaked ({needle}):\n{text}");
    }
}

fn check_record(record: &LocalTestRecord, events: &[Event]) {
    assert!(record.passed, "{record:#?}\n{events:#?}");
    assert_eq!(record.target, "octo-org/widgets");
    let pypi = record
        .result(Format::Pypi, Client::Twine)
        .unwrap_or_else(|| panic!("a pypi result: {record:#?}"));
    assert!(
        pypi.steps.iter().any(|s| s.name == "pip download" && s.ok),
        "{record:#?}"
    );
    let mut everything = serde_json::to_string(record).expect("record JSON");
    everything.push_str(&format!("{record:?}"));
    let mut outputs = 0;
    for event in events {
        if let Event::Output(line) = event {
            outputs += 1;
            everything.push('\n');
            everything.push_str(line);
        }
        everything.push_str(&format!("{event:?}"));
    }
    assert!(outputs > 0, "pip's output is streamed: {events:#?}");
    assert_no_token(&everything);
}

#[tokio::test]
async fn apply_runs_the_local_test_on_the_complete_setup() {
    let Some(config) = config() else { return };
    let sb = common::start_sandbox("complete").await;
    let mut ctx = context_with(&sb, widgets(), true, false, config).await;
    let events = apply_ok(&mut ctx, &[]).await;
    for item in WITHOUT_LOCAL_TEST {
        assert!(
            events
                .iter()
                .any(|e| matches!(e, Event::AlreadyDone(i) if *i == item)),
            "{item:?}: {events:#?}"
        );
    }
    let record = events
        .iter()
        .find_map(|e| match e {
            Event::StepDone(_, Outcome::LocalTest(r)) => Some(r.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("the local test did not run: {events:#?}"));
    check_record(&record, &events);
    assert_eq!(ctx.local_test.as_ref(), Some(&record));
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::ItemDone(ItemId::LocalTest, s) if s.is_done())),
        "{events:#?}"
    );
    assert!(sb.calls().get("PypiSimple").is_some_and(|n| *n > 0));
    // The only writes are the workflow's commit (a branch, the file, a pull request): not in a
    // working tree here, apply commits it through the API.
    let writes: Vec<String> = sb.mutating_calls().into_keys().collect();
    assert_eq!(
        writes,
        [
            "GitHub:CreateOrUpdateFileContents",
            "GitHub:CreatePullRequest",
            "GitHub:CreateRef"
        ],
        "the read-only local test uploads nothing"
    );
}

#[tokio::test]
async fn run_local_test_after_apply_from_empty() {
    let Some(config) = config() else { return };
    let sb = common::start_sandbox("empty").await;
    let mut ctx = context(&sb, widgets()).await;
    apply_ok(&mut ctx, &WITHOUT_LOCAL_TEST).await;
    let mut ctx = context_with(&sb, widgets(), true, false, config).await;
    let before = checklist::check_item(&ctx, ItemId::LocalTest).await;
    assert!(!before.status.is_done(), "never run: {:?}", before.status);

    let mut events = Vec::new();
    let record = {
        let mut progress = |p: checklist::Progress<'_>| events.push(Event::from_progress(p));
        checklist::run_local_test(&mut ctx, &mut progress).await
    }
    .unwrap_or_else(|e| panic!("the local test could not run: {e}"));
    check_record(&record, &events);
    assert!(
        sb.calls()
            .get("GetAuthorizationToken")
            .is_some_and(|n| *n >= 1)
    );
    let after = checklist::check_item(&ctx, ItemId::LocalTest).await;
    assert!(after.status.is_done(), "{:?}", after.status);
}
