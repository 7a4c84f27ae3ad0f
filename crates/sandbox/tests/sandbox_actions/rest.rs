//! The Actions and releases endpoints' shapes: dispatch's answers (200 with run details, 204,
//! 404, 422), workflows, runs with their filters and pagination, jobs and steps, the log's 302
//! and its one-minute link, releases, and how the calls are counted.

use std::time::Duration;

use reqwest::Method;
use serde_json::json;

use super::{REPO, commit_workflow, common, dispatch, gh, workflow};

#[tokio::test]
async fn dispatch_answers_as_github_does() {
    let sb = common::start_sandbox("complete").await;
    let path = |id: &str| format!("{REPO}/actions/workflows/{id}/dispatches");
    let main = Some(json!({ "ref": "main" }));
    let (status, _, body) = gh(&sb, Method::POST, &path("publish.yml"), main.clone()).await;
    assert_eq!((status, body["message"].as_str()), (404, Some("Not Found")));

    commit_workflow(&sb, workflow::PUBLISH).await;
    let other = format!("{REPO}/contents/.github/workflows/lint.yml");
    let content = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        "on: push\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo lint\n",
    );
    let put = json!({ "message": "lint", "content": content });
    assert_eq!(gh(&sb, Method::PUT, &other, Some(put)).await.0, 201);
    let refused = [
        (
            path("lint.yml"),
            json!({ "ref": "main" }),
            "Workflow does not have 'workflow_dispatch' trigger",
        ),
        (
            path("publish.yml"),
            json!({}),
            "Invalid request.\n\n\"ref\" wasn't supplied.",
        ),
        (
            path("publish.yml"),
            json!({ "ref": "nope" }),
            "No ref found for: nope",
        ),
        (
            path("publish.yml"),
            json!({ "ref": "main", "inputs": { "nope": "1" } }),
            "Unexpected inputs provided: [\"nope\"]",
        ),
    ];
    for (url, body, message) in refused {
        let (status, _, answer) = gh(&sb, Method::POST, &url, Some(body)).await;
        assert_eq!(
            (status, answer["message"].as_str()),
            (422, Some(message)),
            "{url}"
        );
        assert_eq!(answer["status"], "422");
    }

    let (_, _, list) = gh(&sb, Method::GET, &format!("{REPO}/actions/workflows"), None).await;
    assert_eq!(list["total_count"], 2, "{list}");
    let publish = list["workflows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["path"] == workflow::PATH)
        .unwrap()
        .clone();
    assert_eq!(publish["name"], "Publish Python package");
    assert_eq!(publish["state"], "active");
    let by_name = gh(
        &sb,
        Method::GET,
        &format!("{REPO}/actions/workflows/publish.yml"),
        None,
    )
    .await;
    assert_eq!(by_name.2["id"], publish["id"]);
    // By numeric id, without run details: 204.
    let id = publish["id"].as_u64().unwrap().to_string();
    let (status, _, _) = gh(&sb, Method::POST, &path(&id), main).await;
    assert_eq!(status, 204);

    let calls = sb.calls();
    assert_eq!(calls.get("GitHub:CreateWorkflowDispatch"), Some(&6));
    let mutating = sb.mutating_calls();
    assert!(mutating.contains_key("GitHub:CreateWorkflowDispatch"));
    assert!(!mutating.contains_key("GitHub:ListRepoWorkflows"));
}

#[tokio::test]
async fn runs_jobs_and_logs_in_githubs_shapes() {
    let sb = common::start_sandbox("complete").await;
    commit_workflow(&sb, workflow::PUBLISH).await;
    sb.finish_runs();
    let id = dispatch(&sb, json!({ "probe": "true" })).await;

    // While queued, the jobs are listed without steps, and no log can be downloaded yet.
    let jobs = super::jobs(&sb, id).await;
    let run = super::get_run(&sb, id).await;
    if run["status"] == "queued" {
        assert!(jobs.iter().all(|j| j["steps"] == json!([])), "{jobs:?}");
    }
    let logs = format!("{REPO}/actions/jobs/{}/logs", jobs[1]["id"]);
    assert_eq!(gh(&sb, Method::GET, &logs, None).await.0, 404);

    sb.finish_runs();
    let run = super::get_run(&sb, id).await;
    for field in [
        "id",
        "name",
        "display_title",
        "path",
        "head_branch",
        "head_sha",
        "run_number",
        "event",
        "status",
        "conclusion",
        "workflow_id",
        "html_url",
        "url",
        "created_at",
        "updated_at",
        "run_started_at",
        "run_attempt",
        "jobs_url",
        "logs_url",
    ] {
        assert!(!run[field].is_null(), "{field}: {run}");
    }
    assert_eq!(run["run_number"], 2, "the push ran first");
    assert_eq!(
        run["run_started_at"], run["created_at"],
        "the first attempt starts at creation"
    );
    assert!(
        run["jobs_url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/actions/runs/{id}/jobs"))
    );

    let job = &super::jobs(&sb, id).await[1];
    for field in [
        "id",
        "run_id",
        "name",
        "status",
        "conclusion",
        "started_at",
        "completed_at",
        "html_url",
    ] {
        assert!(!job[field].is_null(), "{field}: {job}");
    }
    assert_eq!(job["run_id"], id);
    let step = &job["steps"][0];
    assert_eq!(
        (
            &step["name"],
            &step["number"],
            &step["status"],
            &step["conclusion"]
        ),
        (
            &json!("Set up job"),
            &json!(1),
            &json!("completed"),
            &json!("success")
        )
    );
    let one = gh(
        &sb,
        Method::GET,
        &format!("{REPO}/actions/jobs/{}", job["id"]),
        None,
    )
    .await;
    assert_eq!(one.2["name"], "Publish to CodeArtifact");

    let (status, headers, _) = gh(&sb, Method::GET, &logs, None).await;
    assert_eq!(status, 302);
    let location = headers["location"].to_str().unwrap().to_owned();
    assert!(
        location.starts_with(&format!("{}/_logs/jobs/", sb.github_url())),
        "{location}"
    );
    assert_eq!(
        reqwest::get(&location).await.unwrap().status().as_u16(),
        200
    );
    sb.advance_clock(Duration::from_secs(61));
    let expired = reqwest::get(&location).await.unwrap();
    assert_eq!(
        expired.status().as_u16(),
        403,
        "links expire after a minute"
    );

    // Filters and pagination.
    let list = |query: &str| format!("{REPO}/actions/runs?{query}");
    let count = |v: &serde_json::Value| v["total_count"].as_u64().unwrap();
    assert_eq!(count(&gh(&sb, Method::GET, &list(""), None).await.2), 2);
    assert_eq!(
        count(&gh(&sb, Method::GET, &list("event=push"), None).await.2),
        1
    );
    assert_eq!(
        count(
            &gh(&sb, Method::GET, &list("status=success&branch=main"), None)
                .await
                .2
        ),
        2
    );
    assert_eq!(
        count(
            &gh(&sb, Method::GET, &list("status=in_progress"), None)
                .await
                .2
        ),
        0
    );
    let (_, headers, page) = gh(&sb, Method::GET, &list("per_page=1"), None).await;
    assert_eq!(page["workflow_runs"][0]["id"], id, "newest first");
    assert!(headers["link"].to_str().unwrap().contains("rel=\"next\""));
    // GitHub's Link header keeps the request's filters: the next page is of the same listing.
    let (_, headers, _) = gh(&sb, Method::GET, &list("branch=main&per_page=1"), None).await;
    let link = headers["link"].to_str().unwrap();
    assert!(
        link.contains("/actions/runs?branch=main&per_page=1&page=2>; rel=\"next\""),
        "{link}"
    );
    let per_workflow = format!("{REPO}/actions/workflows/publish.yml/runs?event=workflow_dispatch");
    let (_, _, page) = gh(&sb, Method::GET, &per_workflow, None).await;
    assert_eq!(page["workflow_runs"][0]["id"], id);
    assert_eq!(
        gh(&sb, Method::GET, &format!("{REPO}/actions/runs/1"), None)
            .await
            .0,
        404
    );

    let calls = sb.calls();
    assert!(calls.contains_key("GitHub:ListWorkflowRunsForRepo"));
    assert!(calls.contains_key("GitHub:ListJobsForWorkflowRun"));
    assert!(calls.contains_key("GitHub:GetJobLogContent"));
    assert!(
        !sb.mutating_calls()
            .contains_key("GitHub:DownloadJobLogsForWorkflowRun")
    );
}

#[tokio::test]
async fn releases_are_validated_and_drafts_start_nothing() {
    let sb = common::start_sandbox("complete").await;
    commit_workflow(&sb, workflow::PUBLISH).await;
    sb.finish_runs();
    let url = format!("{REPO}/releases");
    let (status, _, answer) = gh(&sb, Method::POST, &url, Some(json!({ "name": "x" }))).await;
    assert_eq!(
        (status, answer["message"].as_str()),
        (422, Some("Validation Failed"))
    );
    assert_eq!(answer["errors"][0]["field"], "tag_name");

    let draft = json!({ "tag_name": "v9.0.0", "draft": true });
    let (status, headers, answer) = gh(&sb, Method::POST, &url, Some(draft)).await;
    assert_eq!(status, 201);
    assert!(answer["published_at"].is_null());
    assert!(
        headers["location"]
            .to_str()
            .unwrap()
            .ends_with(&format!("/releases/{}", answer["id"]))
    );
    assert!(sb.finish_runs().is_empty(), "a draft fires no workflow");
    let tag = format!("{REPO}/git/ref/tags/v9.0.0");
    assert_eq!(
        gh(&sb, Method::GET, &tag, None).await.0,
        404,
        "nor creates its tag"
    );

    super::release(&sb, "v1.0.0").await;
    let (status, _, again) = gh(
        &sb,
        Method::POST,
        &url,
        Some(json!({ "tag_name": "v1.0.0" })),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(again["errors"][0]["code"], "already_exists");
    let (_, _, list) = gh(&sb, Method::GET, &url, None).await;
    assert_eq!(list.as_array().map(Vec::len), Some(2));
    let (status, _, one) = gh(&sb, Method::GET, &format!("{url}/tags/v1.0.0"), None).await;
    assert_eq!((status, &one["tag_name"]), (200, &json!("v1.0.0")));
    assert!(sb.mutating_calls().contains_key("GitHub:CreateRelease"));
}
