//! CreateDomain, DescribeDomain, DeleteDomain, ListDomains; naming rules; owner and input checks.

use aws_sdk_codeartifact::types::DomainStatus;
use reqwest::Method;

use crate::common;
use crate::{ACCOUNT, code, create_domain, create_repo, failure, now_secs, raw};

#[tokio::test]
async fn create_describe_list_and_delete_a_domain() {
    let sb = common::start_sandbox("empty").await;
    let c = common::codeartifact(sb.url());
    let out = c.create_domain().domain("cawiz-test").send().await.unwrap();
    let d = out.domain().expect("domain");
    assert_eq!(d.name(), Some("cawiz-test"));
    assert_eq!(d.owner(), Some(ACCOUNT));
    assert_eq!(
        d.arn(),
        Some("arn:aws:codeartifact:us-east-1:123456789012:domain/cawiz-test")
    );
    assert_eq!(d.status(), Some(&DomainStatus::Active));
    assert!(
        d.encryption_key()
            .is_some_and(|k| k.starts_with("arn:aws:kms:us-east-1:"))
    );
    assert_eq!(d.repository_count(), 0);
    assert_eq!(d.asset_size_bytes(), 0);
    let created = d.created_time().expect("createdTime").secs();
    assert!((now_secs() - created).abs() < 600, "createdTime is now");

    let described = c
        .describe_domain()
        .domain("cawiz-test")
        .send()
        .await
        .unwrap();
    assert_eq!(described.domain(), out.domain());
    let described = c
        .describe_domain()
        .domain("cawiz-test")
        .domain_owner(ACCOUNT)
        .send()
        .await
        .unwrap();
    assert_eq!(described.domain(), out.domain());

    let list = c.list_domains().send().await.unwrap();
    let names: Vec<_> = list.domains().iter().filter_map(|d| d.name()).collect();
    assert_eq!(names, ["cawiz-test"]);
    let summary = &list.domains()[0];
    assert_eq!(summary.arn(), d.arn());
    assert_eq!(summary.status(), Some(&DomainStatus::Active));
    assert_eq!(summary.encryption_key(), d.encryption_key());
    assert!(list.next_token().is_none());

    let deleted = c.delete_domain().domain("cawiz-test").send().await.unwrap();
    assert_eq!(deleted.domain().and_then(|d| d.name()), Some("cawiz-test"));
    assert_eq!(
        code(c.describe_domain().domain("cawiz-test").send().await),
        "ResourceNotFoundException"
    );
    assert_eq!(
        code(c.delete_domain().domain("cawiz-test").send().await),
        "ResourceNotFoundException"
    );
    assert!(c.list_domains().send().await.unwrap().domains().is_empty());
}

#[tokio::test]
async fn create_domain_keeps_the_given_kms_key() {
    let sb = common::start_sandbox("empty").await;
    let c = common::codeartifact(sb.url());
    let key = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555";
    let out = c
        .create_domain()
        .domain("keyed")
        .encryption_key(key)
        .send()
        .await
        .unwrap();
    assert_eq!(out.domain().and_then(|d| d.encryption_key()), Some(key));
}

#[tokio::test]
async fn domain_naming_rules() {
    let sb = common::start_sandbox("empty").await;
    let c = common::codeartifact(sb.url());
    let fifty = "a".repeat(50);
    for good in ["ab", "a1", "octo-org", "a-b-c9", fifty.as_str()] {
        c.create_domain()
            .domain(good)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{good} should be accepted: {e:?}"));
    }
    let fifty_one = "a".repeat(51);
    for bad in [
        "a",
        "A-org",
        "Octo",
        "1org",
        "-org",
        "org-",
        "my_org",
        "my.org",
        "my org",
        fifty_one.as_str(),
    ] {
        let (code, status) = failure(c.create_domain().domain(bad).send().await);
        assert_eq!(
            (code.as_str(), status),
            ("ValidationException", 400),
            "{bad}"
        );
    }
    let err = c.create_domain().domain("Octo").send().await.unwrap_err();
    let message = err
        .as_service_error()
        .and_then(|e| e.meta().message())
        .unwrap_or_default()
        .to_owned();
    assert!(
        message.contains("Value 'Octo' at 'domain' failed to satisfy constraint"),
        "{message}"
    );
    assert!(
        message.contains(r"[a-z][a-z0-9\-]{0,48}[a-z0-9]"),
        "{message}"
    );
    // The rule holds for every operation naming a domain, not only CreateDomain.
    assert_eq!(
        code(c.describe_domain().domain("Bad_Name").send().await),
        "ValidationException"
    );
    assert_eq!(c.list_domains().send().await.unwrap().domains().len(), 5);
}

#[tokio::test]
async fn duplicate_domain_is_a_conflict() {
    let sb = common::start_sandbox("complete").await;
    let c = common::codeartifact(sb.url());
    let (code, status) = failure(c.create_domain().domain("octo-org").send().await);
    assert_eq!((code.as_str(), status), ("ConflictException", 409));
}

#[tokio::test]
async fn a_domain_with_repositories_cannot_be_deleted() {
    let sb = common::start_sandbox("complete").await;
    let c = common::codeartifact(sb.url());
    let (code, status) = failure(c.delete_domain().domain("octo-org").send().await);
    assert_eq!((code.as_str(), status), ("ConflictException", 409));
    for repo in ["widgets", "pypi-store"] {
        c.delete_repository()
            .domain("octo-org")
            .repository(repo)
            .send()
            .await
            .unwrap();
    }
    let out = c.delete_domain().domain("octo-org").send().await.unwrap();
    assert_eq!(out.domain().map(|d| d.repository_count()), Some(0));
}

#[tokio::test]
async fn list_domains_paginates() {
    let sb = common::start_sandbox("empty").await;
    let c = common::codeartifact(sb.url());
    for name in ["d-1", "d-2", "d-3", "d-4", "d-5"] {
        create_domain(&c, name).await;
    }
    let mut seen = Vec::new();
    let mut pages = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let out = c
            .list_domains()
            .max_results(2)
            .set_next_token(token.clone())
            .send()
            .await
            .unwrap();
        pages.push(out.domains().len());
        seen.extend(
            out.domains()
                .iter()
                .filter_map(|d| d.name().map(str::to_owned)),
        );
        token = out.next_token().map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    assert_eq!(pages, [2, 2, 1]);
    assert_eq!(seen, ["d-1", "d-2", "d-3", "d-4", "d-5"]);

    let all: Vec<_> = c
        .list_domains()
        .max_results(3)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    assert_eq!(all.len(), 5);

    for bad in [0, 1001] {
        assert_eq!(
            code(c.list_domains().max_results(bad).send().await),
            "ValidationException",
            "maxResults {bad}"
        );
    }
    assert_eq!(
        code(c.list_domains().next_token("not-a-token").send().await),
        "ValidationException"
    );
}

#[tokio::test]
async fn another_owner_is_not_found_and_a_malformed_owner_is_invalid() {
    let sb = common::start_sandbox("complete").await;
    let c = common::codeartifact(sb.url());
    let (code_, status) = failure(
        c.describe_domain()
            .domain("octo-org")
            .domain_owner("111122223333")
            .send()
            .await,
    );
    assert_eq!((code_.as_str(), status), ("ResourceNotFoundException", 404));
    assert_eq!(
        code(
            c.describe_repository()
                .domain("octo-org")
                .domain_owner("111122223333")
                .repository("widgets")
                .send()
                .await
        ),
        "ResourceNotFoundException"
    );
    assert_eq!(
        code(
            c.describe_domain()
                .domain("octo-org")
                .domain_owner("12ab")
                .send()
                .await
        ),
        "ValidationException"
    );
}

#[tokio::test]
async fn missing_members_and_malformed_json_are_rejected() {
    let sb = common::start_sandbox("complete").await;
    let url = sb.url();
    let (status, kind, body) = raw(url, Method::POST, "/v1/domain", "").await;
    assert_eq!(
        (status, kind.as_str()),
        (400, "ValidationException"),
        "{body}"
    );
    assert!(body.contains("Value null at 'domain'"), "{body}");
    let (status, kind, _) = raw(url, Method::GET, "/v1/repository?domain=octo-org", "").await;
    assert_eq!((status, kind.as_str()), (400, "ValidationException"));
    let (status, kind, _) = raw(
        url,
        Method::POST,
        "/v1/repository/external-connection?domain=octo-org&repository=widgets",
        "",
    )
    .await;
    assert_eq!((status, kind.as_str()), (400, "ValidationException"));
    let (status, kind, _) = raw(
        url,
        Method::GET,
        "/v1/package/versions?domain=octo-org&repository=widgets&format=pypi",
        "",
    )
    .await;
    assert_eq!(
        (status, kind.as_str()),
        (404, "UnknownOperationException"),
        "GET is not routed"
    );
    let (status, kind, _) = raw(
        url,
        Method::POST,
        "/v1/package/versions?domain=octo-org&repository=widgets&format=pypi",
        "",
    )
    .await;
    assert_eq!(
        (status, kind.as_str()),
        (400, "ValidationException"),
        "package is required"
    );
    let (status, kind, _) = raw(url, Method::POST, "/v1/domain?domain=fresh", "{oops").await;
    assert_eq!((status, kind.as_str()), (400, "SerializationException"));
    let (status, kind, _) = raw(
        url,
        Method::POST,
        "/v1/repository?domain=octo-org&repository=x1",
        r#"{"upstreams": "pypi-store"}"#,
    )
    .await;
    assert_eq!((status, kind.as_str()), (400, "SerializationException"));
    let (status, kind, _) = raw(
        url,
        Method::POST,
        "/v1/package/versions/delete?domain=octo-org&repository=widgets&format=pypi&package=widgets",
        "{}",
    )
    .await;
    assert_eq!(
        (status, kind.as_str()),
        (400, "ValidationException"),
        "versions is required"
    );
    // Nothing above changed the world.
    let c = common::codeartifact(url);
    assert_eq!(c.list_domains().send().await.unwrap().domains().len(), 1);
    let rejected = c
        .describe_repository()
        .domain("octo-org")
        .repository("x1")
        .send()
        .await;
    assert_eq!(
        common::error_code(rejected),
        "ResourceNotFoundException",
        "the rejected x1 was not created"
    );
    create_repo(&c, "octo-org", "after-checks", &[]).await;
}
