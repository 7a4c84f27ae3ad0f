//! Pull requests: opening one from a branch with a commit, GitHub's 422s (missing branch, no
//! commits between, one already open, no title), and listing by head.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use reqwest::Method;
use serde_json::json;

use crate::common;
use crate::{BEARER, raw};

const PULLS: &str = "/repos/octo-org/widgets/pulls";

#[tokio::test]
async fn a_branch_with_a_commit_becomes_a_pull_request_once() {
    let sb = common::start_sandbox("empty").await;
    let (_, _, main) = raw(
        &sb,
        Method::GET,
        "/repos/octo-org/widgets/git/ref/heads/main",
        BEARER,
        None,
    )
    .await;
    let sha = main["object"]["sha"].clone();
    let (status, _, _) = raw(
        &sb,
        Method::POST,
        "/repos/octo-org/widgets/git/refs",
        BEARER,
        Some(json!({"ref": "refs/heads/add-workflow", "sha": sha})),
    )
    .await;
    assert_eq!(status, 201);
    let open = json!({"title": "Add the publish workflow", "head": "octo-org:add-workflow", "base": "main", "body": "b"});

    // No commit on the branch yet.
    let (status, _, body) = raw(&sb, Method::POST, PULLS, BEARER, Some(open.clone())).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["message"], "Validation Failed");
    assert_eq!(
        body["errors"][0]["message"],
        "No commits between main and add-workflow"
    );

    let (status, _, _) = raw(
        &sb,
        Method::PUT,
        "/repos/octo-org/widgets/contents/.github/workflows/publish.yml",
        BEARER,
        Some(json!({"message": "m", "content": STANDARD.encode("on: push\n"), "branch": "add-workflow"})),
    )
    .await;
    assert_eq!(status, 201);
    assert_eq!(
        sb.github_file("octo-org", "widgets", None, ".github/workflows/publish.yml"),
        None,
        "the default branch is untouched"
    );
    let (status, _, pull) = raw(&sb, Method::POST, PULLS, BEARER, Some(open.clone())).await;
    assert_eq!(status, 201, "{pull}");
    assert_eq!(pull["number"], 1);
    assert_eq!(pull["state"], "open");
    assert_eq!(pull["head"]["ref"], "add-workflow");
    assert_eq!(pull["base"]["ref"], "main");
    assert_eq!(
        pull["html_url"],
        "https://github.com/octo-org/widgets/pull/1"
    );

    let (status, _, body) = raw(&sb, Method::POST, PULLS, BEARER, Some(open)).await;
    assert_eq!(status, 422);
    assert_eq!(
        body["errors"][0]["message"],
        "A pull request already exists for octo-org:add-workflow."
    );
    let (status, _, list) = raw(
        &sb,
        Method::GET,
        &format!("{PULLS}?head=octo-org:add-workflow&state=open"),
        BEARER,
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
    let (_, _, none) = raw(
        &sb,
        Method::GET,
        &format!("{PULLS}?head=octo-org:other"),
        BEARER,
        None,
    )
    .await;
    assert_eq!(none, json!([]));
    let (status, _, one) = raw(&sb, Method::GET, &format!("{PULLS}/1"), BEARER, None).await;
    assert_eq!(
        (status, &one["title"]),
        (200, &json!("Add the publish workflow"))
    );
    let pulls = sb.github_pull_requests("octo-org", "widgets");
    assert_eq!(pulls.len(), 1);
    assert_eq!(
        (pulls[0].head.as_str(), pulls[0].base.as_str()),
        ("add-workflow", "main")
    );
}

#[tokio::test]
async fn bad_pull_requests_are_refused_as_github_does() {
    let sb = common::start_sandbox("empty").await;
    let ask = |body| raw(&sb, Method::POST, PULLS, BEARER, Some(body));
    let (status, _, body) = ask(json!({"title": "t", "head": "nope", "base": "main"})).await;
    assert_eq!((status, &body["errors"][0]["field"]), (422, &json!("head")));
    let (status, _, body) = ask(json!({"title": "t", "head": "main", "base": "nope"})).await;
    assert_eq!((status, &body["errors"][0]["field"]), (422, &json!("base")));
    let (status, _, body) = ask(json!({"head": "main", "base": "main"})).await;
    assert_eq!(status, 422, "{body}");
    let (status, _, _) = ask(json!({"title": "t"})).await;
    assert_eq!(status, 422);
    let (status, _, _) = raw(&sb, Method::GET, &format!("{PULLS}/7"), BEARER, None).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn merging_a_pull_request_moves_the_base_and_closes_it() {
    let sb = common::start_sandbox("empty").await;
    let (_, _, main) = raw(
        &sb,
        Method::GET,
        "/repos/octo-org/widgets/git/ref/heads/main",
        BEARER,
        None,
    )
    .await;
    let sha = main["object"]["sha"].clone();
    raw(
        &sb,
        Method::POST,
        "/repos/octo-org/widgets/git/refs",
        BEARER,
        Some(json!({"ref": "refs/heads/add-workflow", "sha": sha})),
    )
    .await;
    let (_, _, put) = raw(
        &sb,
        Method::PUT,
        "/repos/octo-org/widgets/contents/.github/workflows/publish.yml",
        BEARER,
        Some(json!({"message": "m", "content": STANDARD.encode("on: push\n"), "branch": "add-workflow"})),
    )
    .await;
    let head = put["commit"]["sha"]
        .as_str()
        .expect("commit sha")
        .to_owned();
    let open = json!({"title": "Add the publish workflow", "head": "add-workflow", "base": "main"});
    let (status, _, _) = raw(&sb, Method::POST, PULLS, BEARER, Some(open)).await;
    assert_eq!(status, 201);
    let merge = "/repos/octo-org/widgets/pulls/1/merge";

    // Another head than the branch's: GitHub's 409.
    let (status, _, body) = raw(
        &sb,
        Method::PUT,
        merge,
        BEARER,
        Some(json!({"sha": "0000000000000000000000000000000000000000"})),
    )
    .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(
        body["message"],
        "Head branch was modified. Review and try the merge again."
    );

    let (status, _, body) = raw(
        &sb,
        Method::PUT,
        merge,
        BEARER,
        Some(json!({"sha": head, "merge_method": "squash"})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["merged"], true);
    assert_eq!(body["message"], "Pull Request successfully merged");
    assert_eq!(
        sb.github_file("octo-org", "widgets", None, ".github/workflows/publish.yml")
            .as_deref(),
        Some("on: push\n"),
        "the default branch has the file"
    );
    let (_, _, pull) = raw(&sb, Method::GET, &format!("{PULLS}/1"), BEARER, None).await;
    assert_eq!(pull["state"], "closed");
    assert_eq!(pull["merged"], true);
    assert_eq!(pull["merge_commit_sha"], body["sha"]);

    // Merged already, or no such pull request.
    let (status, _, body) = raw(&sb, Method::PUT, merge, BEARER, None).await;
    assert_eq!(status, 405);
    assert_eq!(body["message"], "Pull Request is not mergeable");
    let (status, _, _) = raw(
        &sb,
        Method::PUT,
        "/repos/octo-org/widgets/pulls/9/merge",
        BEARER,
        None,
    )
    .await;
    assert_eq!(status, 404);
}
