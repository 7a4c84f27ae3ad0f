use serde_json::json;

use super::*;
use crate::github::Run;

fn view(event: &str, branch: &str, publish: &str, probe_step: &str) -> RunView {
    let run: Run = serde_json::from_value(json!({
        "id": 19000000002u64, "run_attempt": 2, "event": event, "status": "completed",
        "conclusion": "success", "head_branch": branch
    }))
    .expect("a run");
    let jobs: Vec<RunJob> = serde_json::from_value(json!([
        {"id": 1, "name": "Build distribution", "status": "completed", "conclusion": "success",
         "steps": [{"name": "Build the probe package (probe runs only)", "status": "completed",
                    "conclusion": probe_step}]},
        {"id": 2, "name": "Publish to CodeArtifact", "status": "completed", "conclusion": publish,
         "steps": []}
    ]))
    .expect("jobs");
    RunView {
        run,
        jobs,
        diagnosis: None,
    }
}

fn listed(version: &str, status: &str) -> Vec<PackageVersionInfo> {
    vec![PackageVersionInfo {
        version: version.to_owned(),
        status: status.to_owned(),
        origin_type: Some("INTERNAL".to_owned()),
        origin_repository: Some("widgets".to_owned()),
        external_connection: None,
    }]
}

#[test]
fn a_probe_run_proves_only_the_version_it_built() {
    let v = view("workflow_dispatch", "main", "success", "success");
    let want = expected(&v, "widgets-cawiz-probe", None);
    let publication = Publication {
        package: "widgets-cawiz-probe".into(),
        version: "0.0.19000000002.2".into(),
    };
    assert_eq!(want, Ok(publication.clone()));
    let scope = SubjectScope::AllRefs;
    let there = listed("0.0.19000000002.2", "Published");
    assert_eq!(
        judge(&v, &scope, want.clone(), Some(&there)),
        Outcome::Published(publication.clone())
    );
    let older = listed("0.0.19000000001.1", "Published");
    assert_eq!(
        judge(&v, &scope, want.clone(), Some(&older)),
        Outcome::NotInRepository(publication.clone())
    );
    let unfinished = listed("0.0.19000000002.2", "Unfinished");
    assert!(!judge(&v, &scope, want.clone(), Some(&unfinished)).proves());
    assert!(!judge(&v, &scope, want, None).proves());
}

#[test]
fn a_successful_run_with_a_skipped_publish_job_is_no_proof() {
    let v = view("workflow_dispatch", "main", "skipped", "skipped");
    let want = expected(&v, "widgets-cawiz-probe", None);
    let there = listed("0.0.19000000002.2", "Published");
    let outcome = judge(&v, &SubjectScope::Tags, want, Some(&there));
    assert_eq!(outcome.word(), "skipped");
    let summary = outcome.summary("run #2", "octo-org/widgets");
    assert!(summary.contains("publish job was skipped"), "{summary}");
    assert!(
        summary.contains("workflow_dispatch run on main"),
        "{summary}"
    );
}

#[test]
fn a_release_proves_the_projects_version_when_cawiz_can_name_it() {
    let v = view("release", "v1.2.0", "success", "skipped");
    assert_eq!(
        expected(&v, "widgets-cawiz-probe", Some("Widgets_Core")),
        Ok(Publication {
            package: "widgets-core".into(),
            version: "1.2.0".into(),
        })
    );
    let unknown = expected(&v, "widgets-cawiz-probe", None);
    assert!(unknown.is_err());
    assert_eq!(
        judge(&v, &SubjectScope::AllRefs, unknown, None).word(),
        "unconfirmed"
    );
}
