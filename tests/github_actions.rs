//! cawiz's GitHub Actions client against wiremock answering GitHub's REST shapes: starting a run
//! (with and without `return_run_details`), reading runs, jobs and steps, a job's log behind a
//! redirect (the token is not sent to the download host), publishing a release — and the
//! pipeline's watch and diagnosis on top of them.

use cawiz::github::GithubClient;
use cawiz::pipeline::{self, DispatchRef, Start, Target};
use cawiz::setup::SubjectScope;
use serde_json::json;
use wiremock::matchers::{body_partial_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "ghp_test_token_0123456789";

async fn server() -> (MockServer, GithubClient) {
    let server = MockServer::start().await;
    let client = GithubClient::new(&server.uri(), Some(TOKEN.to_owned())).expect("client");
    (server, client)
}

fn target() -> Target {
    Target {
        owner: "octo".into(),
        repo: "widgets".into(),
        branch: "main".into(),
        scope: SubjectScope::AllRefs,
    }
}

/// The probe dispatched on main.
fn probe() -> Start {
    Start::Probe {
        on: DispatchRef::Branch("main".into()),
    }
}

fn run(id: u64, status: &str, conclusion: Option<&str>) -> serde_json::Value {
    json!({
        "id": id, "run_number": 7, "name": "Publish Python package", "event": "workflow_dispatch",
        "status": status, "conclusion": conclusion, "head_branch": "main", "head_sha": "abc",
        "html_url": format!("https://github.com/octo/widgets/actions/runs/{id}"),
        "created_at": "2026-11-29T03:00:00Z", "path": ".github/workflows/publish.yml"
    })
}

/// A run a push started.
fn push_run(id: u64) -> serde_json::Value {
    let mut r = run(id, "queued", None);
    r["event"] = json!("push");
    r
}

/// A run a release started: its event, and its tag as `head_branch`.
fn release_run(id: u64) -> serde_json::Value {
    let mut r = run(id, "queued", None);
    r["event"] = json!("release");
    r["head_branch"] = json!("v1.2.3");
    r
}

fn jobs(conclusion: Option<&str>) -> serde_json::Value {
    json!({"total_count": 2, "jobs": [
        {"id": 11, "name": "build", "status": "completed", "conclusion": "success",
         "steps": [{"name": "Set up job", "status": "completed", "conclusion": "success", "number": 1}]},
        {"id": 12, "name": "publish", "status": if conclusion.is_some() { "completed" } else { "in_progress" },
         "conclusion": conclusion,
         "steps": [{"name": "Configure AWS credentials", "status": "completed", "conclusion": conclusion, "number": 1}]}
    ]})
}

#[tokio::test]
async fn a_dispatch_with_run_details_names_the_run() {
    let (server, client) = server().await;
    Mock::given(method("POST"))
        .and(path(
            "/repos/octo/widgets/actions/workflows/publish.yml/dispatches",
        ))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(body_partial_json(
            json!({"ref": "main", "inputs": {"probe": "true"}, "return_run_details": true}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "workflow_run_id": 4242, "run_url": "x", "html_url": "y"
        })))
        .mount(&server)
        .await;
    let id = pipeline::start(&client, &target(), &probe(), None)
        .await
        .unwrap();
    assert_eq!(id, 4242);
}

#[tokio::test]
async fn without_run_details_the_new_run_is_found_in_the_list() {
    let (server, client) = server().await;
    Mock::given(method("POST"))
        .and(path(
            "/repos/octo/widgets/actions/workflows/publish.yml/dispatches",
        ))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/octo/widgets/actions/workflows/publish.yml/runs"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "total_count": 2, "workflow_runs": [run(9, "queued", None), run(8, "completed", Some("success"))]
        })))
        .mount(&server)
        .await;
    let id = pipeline::start(&client, &target(), &probe(), Some(8))
        .await
        .unwrap();
    assert_eq!(id, 9, "the newest run that was not there before");
}

#[tokio::test]
async fn a_release_is_published_on_the_default_branch() {
    let (server, client) = server().await;
    Mock::given(method("POST"))
        .and(path("/repos/octo/widgets/releases"))
        .and(body_partial_json(json!({"tag_name": "v1.2.3", "target_commitish": "main", "draft": false})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "id": 1, "tag_name": "v1.2.3", "html_url": "https://github.com/octo/widgets/releases/tag/v1.2.3"
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(
            "/repos/octo/widgets/actions/workflows/publish.yml/runs",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            // A push run newer than the release's is not the one it started.
            "total_count": 2, "workflow_runs": [push_run(6), release_run(5)]
        })))
        .mount(&server)
        .await;
    let how = Start::Release {
        tag: "v1.2.3".into(),
    };
    assert_eq!(
        pipeline::start(&client, &target(), &how, None)
            .await
            .unwrap(),
        5
    );
}

#[tokio::test]
async fn watching_follows_the_run_to_its_end_and_diagnoses_the_failure() {
    let (server, client) = server().await;
    // First read: in progress; then completed, failed.
    Mock::given(method("GET"))
        .and(path("/repos/octo/widgets/actions/runs/5"))
        .respond_with(ResponseTemplate::new(200).set_body_json(run(5, "in_progress", None)))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/octo/widgets/actions/runs/5"))
        .respond_with(ResponseTemplate::new(200).set_body_json(run(
            5,
            "completed",
            Some("failure"),
        )))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/octo/widgets/actions/runs/5/jobs"))
        .and(query_param("per_page", "100"))
        .respond_with(ResponseTemplate::new(200).set_body_json(jobs(Some("failure"))))
        .mount(&server)
        .await;
    // The log is behind a redirect to another host, which must not get the token.
    let storage = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/repos/octo/widgets/actions/jobs/12/logs"))
        .respond_with(ResponseTemplate::new(302).insert_header(
            "location",
            format!(
                "{}/blob/12.txt",
                storage.uri().replace("127.0.0.1", "localhost")
            ),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/blob/12.txt"))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            "2026-11-29T03:00:01.0000000Z ##[group]Run aws-actions/configure-aws-credentials@e6de0542\n\
             2026-11-29T03:00:02.0000000Z ##[error]Could not assume role with OIDC: Not authorized to perform sts:AssumeRoleWithWebIdentity\n",
        ))
        .mount(&storage)
        .await;
    let mut seen = Vec::new();
    let mut on_update = |v: &pipeline::RunView| seen.push(v.run.status.clone());
    let view = pipeline::watch(
        &client,
        &target(),
        5,
        std::time::Duration::from_millis(10),
        &mut on_update,
    )
    .await
    .unwrap();
    assert_eq!(seen, ["in_progress", "completed"]);
    let d = view.diagnosis.clone().expect("a diagnosis");
    assert_eq!(d.cause, "trust-subject");
    assert!(
        d.evidence
            .starts_with("publish: ##[error]Could not assume role"),
        "{}",
        d.evidence
    );
    let requests = storage.received_requests().await.unwrap_or_default();
    assert_eq!(requests.len(), 1);
    assert!(
        !requests[0].headers.contains_key("authorization"),
        "the token never leaves the API's host"
    );
    let json = view.json();
    assert_eq!(json["jobs"][1]["steps"][0]["conclusion"], "failure");
}

/// Jobs whose publish job ended `publish` (`skipped`: a build of a push).
fn publish_jobs(publish: &str) -> serde_json::Value {
    json!({"total_count": 2, "jobs": [
        {"id": 31, "name": "Build distribution", "status": "completed", "conclusion": "success",
         "steps": []},
        {"id": 32, "name": "Publish to CodeArtifact", "status": "completed", "conclusion": publish,
         "steps": []}
    ]})
}

fn succeeded(mut r: serde_json::Value) -> serde_json::Value {
    r["status"] = json!("completed");
    r["conclusion"] = json!("success");
    r
}

/// An old repository's runs: the latest run asks GitHub for a few of the scope's runs (the
/// default branch's, the releases'), filtered by GitHub, and reads the candidates' jobs; the
/// newest run that tried to publish is the release behind two builds of pushes.
#[tokio::test]
async fn the_latest_run_is_asked_for_by_branch_and_event_a_few_at_a_time() {
    let (server, client) = server().await;
    let runs = "/repos/octo/widgets/actions/workflows/publish.yml/runs";
    Mock::given(method("GET"))
        .and(path(runs))
        .and(query_param("branch", "main"))
        .and(query_param("per_page", "5"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "total_count": 900, "workflow_runs": [succeeded(push_run(20)), succeeded(push_run(19))]
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(runs))
        .and(query_param("event", "release"))
        .and(query_param("per_page", "5"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "total_count": 1, "workflow_runs": [succeeded(release_run(18))]
        })))
        .expect(1)
        .mount(&server)
        .await;
    for (id, publish) in [(20, "skipped"), (19, "skipped"), (18, "success")] {
        Mock::given(method("GET"))
            .and(path(format!("/repos/octo/widgets/actions/runs/{id}/jobs")))
            .respond_with(ResponseTemplate::new(200).set_body_json(publish_jobs(publish)))
            .expect(1)
            .mount(&server)
            .await;
    }
    let latest = pipeline::latest(&client, &target())
        .await
        .expect("read")
        .expect("a run");
    assert_eq!(latest.run.id, 18, "{latest:?}");
}
