//! Files, branches and refs: the contents API (base64 with GitHub's line breaks, blob SHAs, the
//! 404/409/422 answers), branches and `git/ref`, creating a branch, and the action repositories'
//! tags (lightweight and annotated).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use reqwest::Method;
use serde_json::{Value, json};

use crate::common;
use crate::{BEARER, raw};

const FILE: &str = "/repos/octo-org/widgets/contents/.github/workflows/publish.yml";

fn decode(file: &Value) -> String {
    let content: String = file["content"]
        .as_str()
        .unwrap_or_default()
        .chars()
        .filter(|c| *c != '\n')
        .collect();
    String::from_utf8(STANDARD.decode(content).expect("base64")).expect("utf-8")
}

async fn put(sb: &cawiz_sandbox::SandboxHandle, body: Value) -> (u16, Value) {
    let (status, _, answer) = raw(sb, Method::PUT, FILE, BEARER, Some(body)).await;
    (status, answer)
}

#[tokio::test]
async fn a_file_is_created_read_and_updated_with_its_blob_sha() {
    let sb = common::start_sandbox("empty").await;
    let (status, _, missing) = raw(&sb, Method::GET, FILE, BEARER, None).await;
    assert_eq!((status, &missing["message"]), (404, &json!("Not Found")));

    let text = "name: publish\n".repeat(10);
    let (status, created) = put(
        &sb,
        json!({"message": "add the workflow", "content": STANDARD.encode(&text)}),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["content"]["path"], ".github/workflows/publish.yml");
    assert_eq!(created["commit"]["message"], "add the workflow");
    let sha = created["content"]["sha"].as_str().expect("sha").to_owned();
    // git hash-object of the text.
    assert_eq!(
        sha,
        {
            use std::process::Command;
            let dir = tempfile::tempdir().expect("dir");
            let path = dir.path().join("f");
            std::fs::write(&path, &text).expect("write");
            let out = Command::new("git")
                .arg("hash-object")
                .arg(&path)
                .output()
                .expect("git");
            String::from_utf8_lossy(&out.stdout).trim().to_owned()
        },
        "the blob SHA is git's"
    );

    let (status, _, file) = raw(&sb, Method::GET, FILE, BEARER, None).await;
    assert_eq!(status, 200, "{file}");
    assert_eq!(
        (&file["type"], &file["encoding"]),
        (&json!("file"), &json!("base64"))
    );
    assert_eq!(file["sha"], sha.as_str());
    assert!(
        file["content"]
            .as_str()
            .is_some_and(|c| c.lines().all(|l| l.len() <= 60) && c.contains('\n')),
        "base64 wrapped at 60: {file}"
    );
    assert_eq!(decode(&file), text);
    assert_eq!(
        sb.github_file("octo-org", "widgets", None, ".github/workflows/publish.yml"),
        Some(text.clone())
    );

    // Updating needs the current blob SHA: missing is 422, wrong is 409, right is 200.
    let new = STANDARD.encode("name: v2\n");
    let (status, body) = put(&sb, json!({"message": "m", "content": new})).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        body["message"],
        "Invalid request.\n\n\"sha\" wasn't supplied."
    );
    let (status, body) = put(
        &sb,
        json!({"message": "m", "content": new, "sha": "deadbeef"}),
    )
    .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["message"], "publish.yml does not match deadbeef");
    let (status, body) = put(&sb, json!({"message": "m", "content": new, "sha": sha})).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = put(&sb, json!({"message": "m", "content": new, "sha": null})).await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("nil is not a string"))
    );
    let (status, body) = put(&sb, json!({"message": "m", "content": "!!not base64!!"})).await;
    assert_eq!(
        (status, &body["message"]),
        (422, &json!("content is not valid Base64"))
    );
    let (status, body) = put(&sb, json!({"content": new})).await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = put(
        &sb,
        json!({"message": "m", "content": new, "branch": "nope"}),
    )
    .await;
    assert_eq!(
        (status, &body["message"]),
        (404, &json!("Branch nope not found"))
    );
}

#[tokio::test]
async fn directories_list_their_entries_and_refs_select_the_commit() {
    let sb = common::start_sandbox("empty").await;
    assert!(sb.put_github_file(
        "octo-org",
        "widgets",
        None,
        ".github/workflows/ci.yml",
        "on: push\n"
    ));
    let (status, _, listing) = raw(
        &sb,
        Method::GET,
        "/repos/octo-org/widgets/contents/.github/workflows",
        BEARER,
        None,
    )
    .await;
    assert_eq!(status, 200, "{listing}");
    let names: Vec<&str> = listing
        .as_array()
        .expect("an array")
        .iter()
        .filter_map(|e| e["name"].as_str())
        .collect();
    assert_eq!(names, ["ci.yml"]);
    assert!(
        listing[0].get("content").is_none(),
        "a listing holds no content"
    );
    let (_, _, root) = raw(
        &sb,
        Method::GET,
        "/repos/octo-org/widgets/contents/",
        BEARER,
        None,
    )
    .await;
    let kinds: Vec<(&str, &str)> = root
        .as_array()
        .expect("array")
        .iter()
        .map(|e| {
            (
                e["name"].as_str().unwrap_or(""),
                e["type"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(kinds, [(".github", "dir"), ("README.md", "file")]);

    // A ref that does not exist, and the first commit (before the workflow) by SHA.
    let (status, _, body) = raw(
        &sb,
        Method::GET,
        "/repos/octo-org/widgets/contents/README.md?ref=nope",
        BEARER,
        None,
    )
    .await;
    assert_eq!(
        (status, &body["message"]),
        (404, &json!("No commit found for the ref nope"))
    );
    let (_, _, main) = raw(
        &sb,
        Method::GET,
        "/repos/octo-org/widgets/branches/main",
        BEARER,
        None,
    )
    .await;
    let first = main["commit"]["commit"]["parents"][0]["sha"]
        .as_str()
        .expect("parent")
        .to_owned();
    let (status, _, _) = raw(
        &sb,
        Method::GET,
        &format!("/repos/octo-org/widgets/contents/.github/workflows/ci.yml?ref={first}"),
        BEARER,
        None,
    )
    .await;
    assert_eq!(status, 404, "the first commit has no workflow");
}

#[tokio::test]
async fn branches_are_created_from_a_commit_and_read_back() {
    let sb = common::start_sandbox("empty").await;
    let (status, _, repo) = raw(&sb, Method::GET, "/repos/octo-org/widgets", BEARER, None).await;
    assert_eq!((status, &repo["default_branch"]), (200, &json!("main")));
    let (status, _, main) = raw(
        &sb,
        Method::GET,
        "/repos/octo-org/widgets/git/ref/heads/main",
        BEARER,
        None,
    )
    .await;
    assert_eq!(status, 200, "{main}");
    assert_eq!(main["ref"], "refs/heads/main");
    assert_eq!(main["object"]["type"], "commit");
    let sha = main["object"]["sha"].as_str().expect("sha").to_owned();

    let create = |r: &str, s: &str| json!({"ref": r, "sha": s});
    let refs = "/repos/octo-org/widgets/git/refs";
    let (status, _, made) = raw(
        &sb,
        Method::POST,
        refs,
        BEARER,
        Some(create("refs/heads/topic/x", &sha)),
    )
    .await;
    assert_eq!(status, 201, "{made}");
    assert_eq!(made["ref"], "refs/heads/topic/x");
    let (status, _, again) = raw(
        &sb,
        Method::POST,
        refs,
        BEARER,
        Some(create("refs/heads/topic/x", &sha)),
    )
    .await;
    assert_eq!(
        (status, &again["message"]),
        (422, &json!("Reference already exists"))
    );
    let (status, _, bad) = raw(&sb, Method::POST, refs, BEARER, Some(create("topic", &sha))).await;
    assert_eq!(status, 422, "{bad}");
    let (status, _, bad) = raw(
        &sb,
        Method::POST,
        refs,
        BEARER,
        Some(create("refs/heads/y", &"0".repeat(40))),
    )
    .await;
    assert_eq!(
        (status, &bad["message"]),
        (422, &json!("Object does not exist"))
    );

    let (status, _, branch) = raw(
        &sb,
        Method::GET,
        "/repos/octo-org/widgets/branches/topic/x",
        BEARER,
        None,
    )
    .await;
    assert_eq!((status, &branch["commit"]["sha"]), (200, &json!(sha)));
    let (status, _, body) = raw(
        &sb,
        Method::GET,
        "/repos/octo-org/widgets/branches/nope",
        BEARER,
        None,
    )
    .await;
    assert_eq!(
        (status, &body["message"]),
        (404, &json!("Branch not found"))
    );
    let (status, _, _) = raw(
        &sb,
        Method::GET,
        "/repos/octo-org/widgets/git/ref/heads/mai",
        BEARER,
        None,
    )
    .await;
    assert_eq!(status, 404, "refs match exactly");
    assert_eq!(
        sb.github_branches("octo-org", "widgets"),
        ["main", "topic/x"]
    );
    let calls = sb.mutating_calls();
    assert_eq!(calls.get("GitHub:CreateRef"), Some(&4), "{calls:?}");
    assert!(!calls.contains_key("GitHub:GetRef"));
}

#[tokio::test]
async fn action_tags_resolve_to_commits_through_annotated_tag_objects() {
    let sb = common::start_sandbox("empty").await;
    let (status, _, light) = raw(
        &sb,
        Method::GET,
        "/repos/actions/checkout/git/ref/tags/v7.0.1",
        BEARER,
        None,
    )
    .await;
    assert_eq!(status, 200, "{light}");
    assert_eq!(light["object"]["type"], "commit");
    assert_eq!(
        light["object"]["sha"],
        "3d3c42e5aac5ba805825da76410c181273ba90b1"
    );

    let path = "/repos/aws-actions/configure-aws-credentials/git/ref/tags/v6";
    let (status, _, annotated) = raw(&sb, Method::GET, path, BEARER, None).await;
    assert_eq!(status, 200, "{annotated}");
    assert_eq!(annotated["object"]["type"], "tag");
    let tag_sha = annotated["object"]["sha"].as_str().expect("sha");
    assert_eq!(tag_sha, "451ce2a72e8d729a59ebeaacab82dbce58e7af4c");
    let (status, _, tag) = raw(
        &sb,
        Method::GET,
        &format!("/repos/aws-actions/configure-aws-credentials/git/tags/{tag_sha}"),
        BEARER,
        None,
    )
    .await;
    assert_eq!(status, 200, "{tag}");
    assert_eq!(tag["tag"], "v6");
    assert_eq!(tag["object"]["type"], "commit");
    assert_eq!(
        tag["object"]["sha"],
        "e6de054238d6b7531b4efff3b6587d9aade6a06c"
    );

    let (status, _, _) = raw(
        &sb,
        Method::GET,
        "/repos/actions/checkout/git/ref/tags/v99",
        BEARER,
        None,
    )
    .await;
    assert_eq!(status, 404);
    let (status, _, _) = raw(
        &sb,
        Method::GET,
        "/repos/actions/checkout/git/tags/451ce2a72e8d729a59ebeaacab82dbce58e7af4c",
        BEARER,
        None,
    )
    .await;
    assert_eq!(status, 404, "a tag object of another repository");
}
