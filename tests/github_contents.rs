//! cawiz's GitHub client for files, refs, pull requests and tags, against the sandbox's GitHub:
//! reading a file that is not there, committing it to a new branch and opening a pull request
//! (twice: the second finds the first), committing to the default branch, and resolving action
//! tags (lightweight and annotated) to commits.

mod common;

use cawiz::github::GithubClient;
use cawiz_sandbox::SANDBOX_GITHUB_TOKEN;

const PATH: &str = ".github/workflows/publish.yml";

async fn client() -> (cawiz_sandbox::SandboxHandle, GithubClient) {
    let sb = common::start_sandbox("empty").await;
    let gh =
        GithubClient::new(&sb.github_url(), Some(SANDBOX_GITHUB_TOKEN.to_owned())).expect("client");
    (sb, gh)
}

#[tokio::test]
async fn a_branch_a_commit_and_a_pull_request() {
    let (sb, gh) = client().await;
    assert_eq!(
        gh.default_branch("octo-org", "widgets").await.unwrap(),
        "main"
    );
    assert_eq!(
        gh.get_file("octo-org", "widgets", PATH, None)
            .await
            .unwrap(),
        None
    );
    assert!(
        gh.list_files("octo-org", "widgets", ".github/workflows", None)
            .await
            .unwrap()
            .is_empty()
    );
    let main = gh
        .branch_head("octo-org", "widgets", "main")
        .await
        .unwrap()
        .expect("main");
    assert_eq!(
        gh.branch_head("octo-org", "widgets", "nope").await.unwrap(),
        None
    );

    assert!(
        gh.create_branch("octo-org", "widgets", "cawiz/publish-workflow", &main)
            .await
            .unwrap()
    );
    assert!(
        !gh.create_branch("octo-org", "widgets", "cawiz/publish-workflow", &main)
            .await
            .unwrap(),
        "exists"
    );
    let committed = gh
        .put_file(
            "octo-org",
            "widgets",
            PATH,
            "on: push\n",
            "Add the workflow",
            "cawiz/publish-workflow",
            None,
        )
        .await
        .unwrap();
    assert_eq!(committed.sha.len(), 40);
    let on_branch = gh
        .get_file("octo-org", "widgets", PATH, Some("cawiz/publish-workflow"))
        .await
        .unwrap()
        .expect("on the branch");
    assert_eq!(on_branch.text, "on: push\n");
    assert_eq!(
        gh.get_file("octo-org", "widgets", PATH, None)
            .await
            .unwrap(),
        None,
        "not on main"
    );
    assert_eq!(
        gh.list_files(
            "octo-org",
            "widgets",
            ".github/workflows",
            Some("cawiz/publish-workflow")
        )
        .await
        .unwrap(),
        [PATH]
    );

    let pr = gh
        .open_pull(
            "octo-org",
            "widgets",
            "cawiz/publish-workflow",
            "main",
            "Add the workflow",
            "body",
        )
        .await
        .unwrap();
    assert_eq!((pr.number, pr.existed), (1, false));
    let again = gh
        .open_pull(
            "octo-org",
            "widgets",
            "cawiz/publish-workflow",
            "main",
            "Add the workflow",
            "body",
        )
        .await
        .unwrap();
    assert_eq!(
        (again.number, again.existed),
        (1, true),
        "the open one is found"
    );
    assert_eq!(sb.github_pull_requests("octo-org", "widgets").len(), 1);

    // Updating needs the blob SHA; a stale one is a conflict.
    let stale = gh
        .put_file(
            "octo-org",
            "widgets",
            PATH,
            "on: release\n",
            "m",
            "cawiz/publish-workflow",
            Some("0000000"),
        )
        .await
        .unwrap_err();
    assert_eq!(stale.status(), Some(409), "{stale}");
    gh.put_file(
        "octo-org",
        "widgets",
        PATH,
        "on: release\n",
        "m",
        "cawiz/publish-workflow",
        Some(&on_branch.sha),
    )
    .await
    .unwrap();
    // Straight to the default branch.
    gh.put_file("octo-org", "widgets", PATH, "on: push\n", "m", "main", None)
        .await
        .unwrap();
    assert_eq!(
        sb.github_file("octo-org", "widgets", None, PATH).as_deref(),
        Some("on: push\n")
    );
}

#[tokio::test]
async fn tags_resolve_to_commits() {
    let (_sb, gh) = client().await;
    assert_eq!(
        gh.resolve_tag("aws-actions", "configure-aws-credentials", "v6")
            .await
            .unwrap(),
        "e6de054238d6b7531b4efff3b6587d9aade6a06c",
        "annotated: through the tag object"
    );
    assert_eq!(
        gh.resolve_tag("actions", "checkout", "v7.0.1")
            .await
            .unwrap(),
        "3d3c42e5aac5ba805825da76410c181273ba90b1"
    );
    let missing = gh
        .resolve_tag("actions", "checkout", "v99")
        .await
        .unwrap_err();
    assert_eq!(missing.status(), Some(404));
}
