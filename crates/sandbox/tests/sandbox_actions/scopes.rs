//! What a verification of each subject scope goes through, as GitHub does it: a dispatch on a tag
//! (the ref a tags-only trust accepts), the tag deleted again through the refs API, a job whose
//! `if:` is false reported `skipped` in a run that still concludes `success`, and a publish job
//! that installs its tooling from a here-doc requirements file in pip's hash-checking mode.

use cawiz_sandbox::SandboxHandle;
use reqwest::Method;
use serde_json::json;

use super::{REPO, commit_workflow, common, dispatch, get_run, gh, jobs, log_of, steps, unwrapped};
use super::{versions, workflow};

const ROLE: &str = "GitHubActions-CodeArtifact";

async fn trust_only(sb: &SandboxHandle, subject: &str) {
    common::iam(sb.url())
        .update_assume_role_policy()
        .role_name(ROLE)
        .policy_document(common::github_trust_policy(subject).to_string())
        .send()
        .await
        .unwrap();
}

/// Creates `refs/tags/TAG` at main's head.
async fn tag_main(sb: &SandboxHandle, tag: &str) {
    let (_, _, head) = gh(sb, Method::GET, &format!("{REPO}/git/ref/heads/main"), None).await;
    let body = json!({"ref": format!("refs/tags/{tag}"), "sha": head["object"]["sha"]});
    let (status, _, answer) = gh(sb, Method::POST, &format!("{REPO}/git/refs"), Some(body)).await;
    assert_eq!(status, 201, "{answer}");
}

/// The publish job of [`workflow::PUBLISH`] gated to tag refs, as cawiz writes it for `tags`.
fn tags_only() -> String {
    workflow::variant(
        "    if: github.event_name == 'release' || github.event_name == 'workflow_dispatch'\n",
        "    if: github.event_name == 'release' || (github.event_name == 'workflow_dispatch' && startsWith(github.ref, 'refs/tags/'))\n",
    )
}

#[tokio::test]
async fn a_dispatch_on_a_tag_runs_with_the_tags_subject_and_the_tag_can_go() {
    let sb = common::start_sandbox("complete").await;
    trust_only(&sb, "repo:octo-org/widgets:ref:refs/tags/*").await;
    commit_workflow(&sb, &tags_only()).await;
    tag_main(&sb, "cawiz-verify-1").await;
    let body =
        json!({"ref": "cawiz-verify-1", "inputs": {"probe": true}, "return_run_details": true});
    let path = format!("{REPO}/actions/workflows/publish.yml/dispatches");
    let (status, _, answer) = gh(&sb, Method::POST, &path, Some(body)).await;
    assert_eq!(status, 200, "{answer}");
    let id = answer["workflow_run_id"].as_u64().unwrap();
    sb.finish_runs();
    let run = get_run(&sb, id).await;
    assert_eq!(run["conclusion"], "success", "{run}");
    assert_eq!(run["head_branch"], "cawiz-verify-1");
    assert_eq!(
        versions(&sb, "widgets-cawiz-probe").await,
        vec![format!("0.0.{id}.1")]
    );

    let tag = format!("{REPO}/git/refs/tags/cawiz-verify-1");
    let (status, _, _) = gh(&sb, Method::DELETE, &tag, None).await;
    assert_eq!(status, 204);
    let (status, _, answer) = gh(&sb, Method::DELETE, &tag, None).await;
    assert_eq!(status, 422, "{answer}");
    assert_eq!(answer["message"], "Reference does not exist");
    let (status, _, _) = gh(
        &sb,
        Method::GET,
        &format!("{REPO}/git/ref/tags/cawiz-verify-1"),
        None,
    )
    .await;
    assert_eq!(status, 404);
    let (status, _, answer) = gh(
        &sb,
        Method::DELETE,
        &format!("{REPO}/git/refs/heads/main"),
        None,
    )
    .await;
    assert_eq!(status, 422, "the default branch stays: {answer}");
}

#[tokio::test]
async fn a_job_whose_if_is_false_is_skipped_and_the_run_still_succeeds() {
    let sb = common::start_sandbox("complete").await;
    commit_workflow(&sb, &tags_only()).await;
    let id = dispatch(&sb, json!({})).await;
    sb.finish_runs();
    let run = get_run(&sb, id).await;
    assert_eq!(run["status"], "completed");
    assert_eq!(run["conclusion"], "success", "{run}");
    let all = jobs(&sb, id).await;
    assert_eq!(all[1]["name"], "Publish to CodeArtifact");
    assert_eq!(all[1]["status"], "completed");
    assert_eq!(all[1]["conclusion"], "skipped");
    assert!(steps(&all[1]).is_empty(), "a skipped job has no steps");
    assert!(versions(&sb, "widgets-cawiz-probe").await.is_empty());
}

/// The publish job's tooling installed from `requirements` written by a here-document.
fn pinned(requirements: &str) -> String {
    let lines: String = requirements
        .lines()
        .map(|l| format!("          {l}\n"))
        .collect();
    workflow::variant(
        "        run: python -m pip install build twine\n",
        &format!(
            "        run: |\n          cat > \"$RUNNER_TEMP/req.txt\" <<'EOF'\n{lines}          EOF\n          python -m pip install --require-hashes -r \"$RUNNER_TEMP/req.txt\"\n"
        ),
    )
}

const HASHED: &str = "twine==7.0.0 \\\n    --hash=sha256:aaaa \\\n    --hash=sha256:bbbb\n    # via -r publish-requirements.in\nrich==15.0.0 \\\n    --hash=sha256:cccc\n";

#[tokio::test]
async fn a_requirements_file_with_hashes_installs_its_pins() {
    let sb = common::start_sandbox("complete").await;
    commit_workflow(&sb, &pinned(HASHED)).await;
    let id = dispatch(&sb, json!({})).await;
    sb.finish_runs();
    assert_eq!(get_run(&sb, id).await["conclusion"], "success");
    let text = unwrapped(&log_of(&sb, id, "Publish to CodeArtifact").await);
    assert!(
        text.contains("\nSuccessfully installed twine-7.0.0 rich-15.0.0\n"),
        "{text}"
    );
    assert_eq!(versions(&sb, "widgets-cawiz-probe").await.len(), 1);
}

#[tokio::test]
async fn hash_checking_mode_refuses_an_unhashed_or_unpinned_requirement() {
    let sb = common::start_sandbox("complete").await;
    let unhashed = format!("{HASHED}requests==2.34.2\n");
    commit_workflow(&sb, &pinned(&unhashed)).await;
    let id = dispatch(&sb, json!({})).await;
    sb.finish_runs();
    assert_eq!(get_run(&sb, id).await["conclusion"], "failure");
    let text = unwrapped(&log_of(&sb, id, "Publish to CodeArtifact").await);
    assert!(
        text.contains("ERROR: Hashes are required in --require-hashes mode, but they are missing from some requirements."),
        "{text}"
    );
    assert!(text.contains("\n    requests==2.34.2\n"), "{text}");
    assert!(
        text.contains("##[error]Process completed with exit code 1."),
        "{text}"
    );
    assert!(versions(&sb, "widgets-cawiz-probe").await.is_empty());

    commit_workflow(&sb, &pinned("twine --hash=sha256:aaaa\n")).await;
    let id = dispatch(&sb, json!({})).await;
    sb.finish_runs();
    let text = unwrapped(&log_of(&sb, id, "Publish to CodeArtifact").await);
    assert!(
        text.contains("ERROR: In --require-hashes mode, all requirements must have their versions pinned with ==. These do not:"),
        "{text}"
    );
}

/// [`workflow::PUBLISH`] as cawiz writes it for `pull-requests`: the publish job and the probe on
/// pull requests of the repository itself only.
fn pull_requests_only() -> String {
    workflow::variant(
        "    if: github.event_name == 'release' || github.event_name == 'workflow_dispatch'\n",
        "    if: github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name == github.repository\n",
    )
    .replace(
        "        if: github.event_name == 'workflow_dispatch' && inputs.probe\n",
        "        if: github.event_name == 'pull_request'\n",
    )
}

#[tokio::test]
async fn opening_a_pull_request_runs_it_with_the_pull_request_subject() {
    let sb = common::start_sandbox("complete").await;
    trust_only(&sb, "repo:octo-org/widgets:pull_request").await;
    commit_workflow(&sb, &pull_requests_only()).await;
    let (_, _, head) = gh(
        &sb,
        Method::GET,
        &format!("{REPO}/git/ref/heads/main"),
        None,
    )
    .await;
    let body = json!({"ref": "refs/heads/feature", "sha": head["object"]["sha"]});
    let (status, _, _) = gh(&sb, Method::POST, &format!("{REPO}/git/refs"), Some(body)).await;
    assert_eq!(status, 201);
    assert!(sb.put_github_file("octo-org", "widgets", Some("feature"), "notes.txt", "x\n"));
    sb.finish_runs();
    assert!(
        sb.workflow_runs("octo-org", "widgets")
            .iter()
            .all(|r| r.git_ref != "refs/heads/feature"),
        "a push to feature runs nothing (the push filter names main and develop)"
    );
    let body = json!({"title": "Try the pipeline", "head": "feature", "base": "main"});
    let (status, _, pull) = gh(&sb, Method::POST, &format!("{REPO}/pulls"), Some(body)).await;
    assert_eq!(status, 201, "{pull}");
    let finished = sb.finish_runs();
    assert_eq!(finished.len(), 1, "one pull_request run");
    let run = get_run(&sb, finished[0]).await;
    assert_eq!(run["event"], "pull_request");
    assert_eq!(run["head_branch"], "feature");
    assert_eq!(run["conclusion"], "success", "{run}");
    let publish = &jobs(&sb, finished[0]).await[1];
    assert_eq!(publish["conclusion"], "success", "{publish}");
    assert_eq!(
        versions(&sb, "widgets-cawiz-probe").await,
        vec![format!("0.0.{}.1", finished[0])]
    );
    let text = unwrapped(&log_of(&sb, finished[0], "Publish to CodeArtifact").await);
    assert!(text.contains("Authenticated as assumedRoleId"), "{text}");
}
