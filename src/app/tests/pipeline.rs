//! The Pipeline screen's run: the one an apply watches while it runs, then the check's latest.

use super::super::*;
use crate::checklist::{ItemId, Report, Status};

#[test]
fn a_check_after_the_watched_run_shows_the_checks_latest_run() {
    let mut m = Model::new(Identity::default(), ItemId::PipelineRun);
    m.phase = Phase::Checklist;
    let run: crate::github::Run = serde_json::from_value(serde_json::json!({
        "id": 2, "run_number": 2, "event": "workflow_dispatch",
        "status": "completed", "conclusion": "success"
    }))
    .expect("a run");
    let view = crate::pipeline::RunView {
        run,
        jobs: Vec::new(),
        diagnosis: None,
    };
    m.items.entry(ItemId::PipelineRun).or_default().applying = true;
    update(&mut m, Msg::RunUpdate(Box::new(view)));
    let report = || {
        Box::new(Report::new(
            ItemId::PipelineRun,
            Status::Done {
                summary: "ok".into(),
            },
        ))
    };
    // While the apply watches, a check result keeps the live run on screen.
    update(&mut m, Msg::Checked(report()));
    assert!(m.view(ItemId::PipelineRun).live_run.is_some());
    m.items.entry(ItemId::PipelineRun).or_default().applying = false;
    update(&mut m, Msg::Checked(report()));
    assert!(m.view(ItemId::PipelineRun).live_run.is_none());
}
