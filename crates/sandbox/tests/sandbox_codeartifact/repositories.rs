//! CreateRepository, DescribeRepository, UpdateRepository, DeleteRepository,
//! ListRepositoriesInDomain: naming rules, upstream rules and the order the guide gets wrong.

use crate::common;
use crate::{
    ACCOUNT, code, create_domain, create_repo, failure, now_secs, up,
    upstream_names_of as upstream_names,
};

#[tokio::test]
async fn create_and_describe_a_repository() {
    let sb = common::start_sandbox("empty").await;
    let c = common::codeartifact(sb.url());
    create_domain(&c, "octo-org").await;
    let out = c
        .create_repository()
        .domain("octo-org")
        .repository("widgets")
        .description("Python packages for octo-org/widgets")
        .send()
        .await
        .unwrap();
    let r = out.repository().expect("repository");
    assert_eq!(r.name(), Some("widgets"));
    assert_eq!(r.administrator_account(), Some(ACCOUNT));
    assert_eq!(r.domain_name(), Some("octo-org"));
    assert_eq!(r.domain_owner(), Some(ACCOUNT));
    assert_eq!(
        r.arn(),
        Some("arn:aws:codeartifact:us-east-1:123456789012:repository/octo-org/widgets")
    );
    assert_eq!(
        r.description(),
        Some("Python packages for octo-org/widgets")
    );
    assert!(r.upstreams().is_empty());
    assert!(r.external_connections().is_empty());
    let created = r.created_time().expect("createdTime").secs();
    assert!((now_secs() - created).abs() < 600);

    let described = c
        .describe_repository()
        .domain("octo-org")
        .repository("widgets")
        .send()
        .await
        .unwrap();
    assert_eq!(described.repository(), out.repository());
    let domain = c.describe_domain().domain("octo-org").send().await.unwrap();
    assert_eq!(domain.domain().map(|d| d.repository_count()), Some(1));

    assert_eq!(
        code(
            c.describe_repository()
                .domain("octo-org")
                .repository("nope")
                .send()
                .await
        ),
        "ResourceNotFoundException"
    );
    assert_eq!(
        code(
            c.create_repository()
                .domain("no-such-domain")
                .repository("widgets")
                .send()
                .await
        ),
        "ResourceNotFoundException"
    );
    let (code_, status) = failure(
        c.create_repository()
            .domain("octo-org")
            .repository("widgets")
            .send()
            .await,
    );
    assert_eq!((code_.as_str(), status), ("ConflictException", 409));
}

#[tokio::test]
async fn repository_naming_rules() {
    let sb = common::start_sandbox("empty").await;
    let c = common::codeartifact(sb.url());
    create_domain(&c, "names").await;
    let hundred = "R".repeat(100);
    for good in [
        "ab",
        "A1",
        "pypi-store",
        "my_repo.v2",
        "9x",
        "UPPER",
        hundred.as_str(),
    ] {
        c.create_repository()
            .domain("names")
            .repository(good)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{good} should be accepted: {e:?}"));
    }
    let long = "r".repeat(101);
    for bad in [
        "a",
        "-repo",
        ".repo",
        "_repo",
        "re po",
        "re/po",
        "re:po",
        long.as_str(),
    ] {
        let (code_, status) = failure(
            c.create_repository()
                .domain("names")
                .repository(bad)
                .send()
                .await,
        );
        assert_eq!(
            (code_.as_str(), status),
            ("ValidationException", 400),
            "{bad}"
        );
    }
    assert_eq!(
        code(
            c.create_repository()
                .domain("names")
                .repository("okay")
                .upstreams(up("-bad-upstream"))
                .send()
                .await
        ),
        "ValidationException"
    );
    let listed = c
        .list_repositories_in_domain()
        .domain("names")
        .send()
        .await
        .unwrap();
    assert_eq!(listed.repositories().len(), 7);
}

#[tokio::test]
async fn delete_repository_refuses_an_upstream_in_use() {
    let sb = common::start_sandbox("complete").await;
    let c = common::codeartifact(sb.url());
    let (code_, status) = failure(
        c.delete_repository()
            .domain("octo-org")
            .repository("pypi-store")
            .send()
            .await,
    );
    assert_eq!((code_.as_str(), status), ("ConflictException", 409));
    let out = c
        .delete_repository()
        .domain("octo-org")
        .repository("widgets")
        .send()
        .await
        .unwrap();
    let r = out.repository().expect("repository");
    assert_eq!(r.name(), Some("widgets"));
    assert_eq!(upstream_names(r), ["pypi-store"]);
    c.delete_repository()
        .domain("octo-org")
        .repository("pypi-store")
        .send()
        .await
        .unwrap();
    assert_eq!(
        code(
            c.delete_repository()
                .domain("octo-org")
                .repository("widgets")
                .send()
                .await
        ),
        "ResourceNotFoundException"
    );
}

#[tokio::test]
async fn list_repositories_in_domain_filters_and_paginates() {
    let sb = common::start_sandbox("complete").await;
    let c = common::codeartifact(sb.url());
    for name in ["widgets-dev", "widgets-staging", "zz-last"] {
        create_repo(&c, "octo-org", name, &[]).await;
    }
    let out = c
        .list_repositories_in_domain()
        .domain("octo-org")
        .send()
        .await
        .unwrap();
    let names: Vec<_> = out.repositories().iter().filter_map(|r| r.name()).collect();
    assert_eq!(
        names,
        [
            "pypi-store",
            "widgets",
            "widgets-dev",
            "widgets-staging",
            "zz-last"
        ]
    );
    let widgets = &out.repositories()[1];
    assert_eq!(widgets.domain_name(), Some("octo-org"));
    assert_eq!(widgets.domain_owner(), Some(ACCOUNT));
    assert_eq!(widgets.administrator_account(), Some(ACCOUNT));
    assert_eq!(
        widgets.description(),
        Some("Python packages for octo-org/widgets")
    );
    assert!(widgets.created_time().is_some());

    let prefixed = c
        .list_repositories_in_domain()
        .domain("octo-org")
        .repository_prefix("widgets")
        .send()
        .await
        .unwrap();
    let names: Vec<_> = prefixed
        .repositories()
        .iter()
        .filter_map(|r| r.name())
        .collect();
    assert_eq!(names, ["widgets", "widgets-dev", "widgets-staging"]);

    let other_admin = c
        .list_repositories_in_domain()
        .domain("octo-org")
        .administrator_account("111122223333")
        .send()
        .await
        .unwrap();
    assert!(other_admin.repositories().is_empty());

    let first = c
        .list_repositories_in_domain()
        .domain("octo-org")
        .max_results(2)
        .send()
        .await
        .unwrap();
    assert_eq!(first.repositories().len(), 2);
    let token = first.next_token().expect("more pages");
    let second = c
        .list_repositories_in_domain()
        .domain("octo-org")
        .max_results(2)
        .next_token(token)
        .send()
        .await
        .unwrap();
    let names: Vec<_> = second
        .repositories()
        .iter()
        .filter_map(|r| r.name())
        .collect();
    assert_eq!(names, ["widgets-dev", "widgets-staging"]);

    let all: Vec<_> = c
        .list_repositories_in_domain()
        .domain("octo-org")
        .max_results(1)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    assert_eq!(all.len(), 5);
    assert_eq!(
        code(
            c.list_repositories_in_domain()
                .domain("nope-domain")
                .send()
                .await
        ),
        "ResourceNotFoundException"
    );
}
