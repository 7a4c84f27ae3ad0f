//! Actions variables: create, update (also by rename), delete, GitHub's name and body rules, and
//! pagination of the list.

use std::collections::BTreeMap;

use reqwest::Method;
use serde_json::{Value, json};

use crate::common;
use crate::{BEARER, link_rel, put_secret, raw, var, variables_of};

#[tokio::test]
async fn set_variable_creates_then_updates_and_delete_removes() {
    let sb = common::start_sandbox("empty").await;
    let path = "/repos/someone/anything/actions/variables";
    let (status, _, page) = raw(&sb, Method::GET, path, BEARER, None).await;
    assert_eq!(status, 200);
    assert_eq!(page, json!({"total_count": 0, "variables": []}));

    // GitHub's way to set a variable: POST creates it (201 and `{}`); POST of an existing name is
    // 409, and then PATCH of `.../variables/NAME` updates it (204, no body).
    let post = |name: &str, value: &str| {
        raw(
            &sb,
            Method::POST,
            path,
            BEARER,
            Some(json!({"name": name, "value": value})),
        )
    };
    let patch = |name: &str, value: &str| {
        let (url, body) = (
            format!("{path}/{name}"),
            json!({"name": name, "value": value}),
        );
        let sb = &sb;
        async move { raw(sb, Method::PATCH, &url, BEARER, Some(body)).await }
    };
    let (status, _, body) = post("AWS_REGION", "us-east-1").await;
    assert_eq!((status, body), (201, json!({})), "created");
    let (status, _, body) = post("AWS_REGION", "eu-west-3").await;
    assert_eq!(status, 409, "exists: {body}");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    let (status, _, body) = patch("AWS_REGION", "eu-west-3").await;
    assert_eq!((status, body), (204, Value::Null), "updated");
    // GitHub upper-cases names and matches them case-insensitively.
    let (status, _, _) = post("codeartifact_domain", "acme").await;
    assert_eq!(status, 201, "created");
    let (status, _, _) = post("CodeArtifact_Domain", "acme2").await;
    assert_eq!(status, 409, "the same name");
    let (status, _, _) = patch("CodeArtifact_Domain", "acme2").await;
    assert_eq!(status, 204, "updated");
    let (status, _, page) = raw(&sb, Method::GET, path, BEARER, None).await;
    assert_eq!(status, 200);
    assert_eq!(page["total_count"], 2);
    assert_eq!(
        variables_of(&page),
        vec![
            var("AWS_REGION", "eu-west-3"),
            var("CODEARTIFACT_DOMAIN", "acme2")
        ]
    );
    assert_eq!(
        sb.github_variables("SOMEONE", "anything"),
        BTreeMap::from([
            ("AWS_REGION".to_owned(), "eu-west-3".to_owned()),
            ("CODEARTIFACT_DOMAIN".to_owned(), "acme2".to_owned()),
        ])
    );

    let (status, _, v) = raw(
        &sb,
        Method::GET,
        "/repos/someone/anything/actions/variables/aws_region",
        BEARER,
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(v["name"], "AWS_REGION");
    assert_eq!(v["value"], "eu-west-3");
    for field in ["created_at", "updated_at"] {
        let t = v[field].as_str().unwrap_or_default();
        assert!(t.len() == 20 && t.ends_with('Z'), "{field}: {t}");
    }

    let (status, _, body) = raw(
        &sb,
        Method::DELETE,
        &format!("{path}/aws_region"),
        BEARER,
        None,
    )
    .await;
    assert_eq!((status, body), (204, Value::Null), "deleted");
    let (status, _, body) = raw(
        &sb,
        Method::DELETE,
        &format!("{path}/AWS_REGION"),
        BEARER,
        None,
    )
    .await;
    assert_eq!(
        (status, body["message"].as_str()),
        (404, Some("Not Found")),
        "already gone"
    );
    let (status, _, _) = raw(
        &sb,
        Method::PATCH,
        "/repos/someone/anything/actions/variables/AWS_REGION",
        BEARER,
        Some(json!({"name": "AWS_REGION", "value": "x"})),
    )
    .await;
    assert_eq!(status, 404, "PATCH of a missing variable");

    let calls = sb.calls();
    assert_eq!(calls["GitHub:CreateVariable"], 4);
    assert_eq!(calls["GitHub:UpdateVariable"], 3);
    assert_eq!(calls["GitHub:DeleteVariable"], 2);
    assert_eq!(calls["GitHub:ListVariables"], 2);
    assert_eq!(calls["GitHub:GetVariable"], 1);
    let mutating = sb.mutating_calls();
    assert_eq!(
        mutating.keys().map(String::as_str).collect::<Vec<_>>(),
        [
            "GitHub:CreateVariable",
            "GitHub:DeleteVariable",
            "GitHub:UpdateVariable"
        ]
    );
}

#[tokio::test]
async fn bad_names_and_bodies_are_refused() {
    let sb = common::start_sandbox("empty").await;
    let path = "/repos/o/r/actions/variables";
    for name in ["1ABC", "GITHUB_THING", "github_lower", "A-B", "A B", ""] {
        let (status, _, body) = raw(
            &sb,
            Method::POST,
            path,
            BEARER,
            Some(json!({"name": name, "value": "v"})),
        )
        .await;
        assert_eq!(status, 422, "{name:?}: {body}");
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    let (status, _, body) = raw(&sb, Method::POST, path, BEARER, Some(json!({"name": "X"}))).await;
    assert_eq!(status, 422);
    assert!(
        body["message"]
            .as_str()
            .unwrap_or_default()
            .contains("\"value\" wasn't supplied")
    );
    let (status, _, _) = raw(
        &sb,
        Method::POST,
        path,
        BEARER,
        Some(json!({"name": "X", "value": 5})),
    )
    .await;
    assert_eq!(status, 422);
    let (status, _, _) = raw(
        &sb,
        Method::POST,
        path,
        BEARER,
        Some(json!({"name": "BIG", "value": "x".repeat(48 * 1024 + 1)})),
    )
    .await;
    assert_eq!(status, 422, "over 48 KB");
    let resp = reqwest::Client::new()
        .post(format!("{}{path}", sb.github_url()))
        .header("authorization", "Bearer ghp_sandbox_cawiz")
        .body("{not json")
        .send()
        .await
        .expect("request");
    assert_eq!(resp.status().as_u16(), 400);

    // A rename onto an existing name conflicts; the client's 409 path shows as Conflict elsewhere.
    for name in ["ONE", "TWO"] {
        let (status, _, body) = raw(
            &sb,
            Method::POST,
            path,
            BEARER,
            Some(json!({"name": name, "value": "v"})),
        )
        .await;
        assert_eq!((status, body.clone()), (201, json!({})));
    }
    let (status, _, _) = raw(
        &sb,
        Method::POST,
        path,
        BEARER,
        Some(json!({"name": "one", "value": "v"})),
    )
    .await;
    assert_eq!(status, 409);
    let (status, _, _) = raw(
        &sb,
        Method::PATCH,
        &format!("{path}/ONE"),
        BEARER,
        Some(json!({"name": "TWO"})),
    )
    .await;
    assert_eq!(status, 409);
    let (status, _, _) = raw(
        &sb,
        Method::PATCH,
        &format!("{path}/ONE"),
        BEARER,
        Some(json!({"name": "THREE"})),
    )
    .await;
    assert_eq!(status, 204, "rename");
    assert_eq!(
        sb.github_variables("o", "r")
            .into_keys()
            .collect::<Vec<_>>(),
        ["THREE", "TWO"]
    );

    // Secret names follow the same rules, even when the value is properly sealed.
    let (status, body) = put_secret(&sb, "o", "r", "GITHUB_SECRET", "v").await;
    assert_eq!(status, 422, "{body}");
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
}

#[tokio::test]
async fn lists_are_paginated_like_github() {
    let sb = common::start_sandbox("empty").await;
    let path = "/repos/o/r/actions/variables";
    for i in 0..35 {
        let (status, _, _) = raw(
            &sb,
            Method::POST,
            path,
            BEARER,
            Some(json!({"name": format!("VAR_{i:02}"), "value": format!("v{i}")})),
        )
        .await;
        assert_eq!(status, 201);
    }
    let page = |q: &'static str| {
        let sb = &sb;
        async move { raw(sb, Method::GET, &format!("{path}{q}"), BEARER, None).await }
    };
    let (status, headers, body) = page("").await;
    assert_eq!(status, 200);
    assert_eq!(body["total_count"], 35);
    assert_eq!(
        body["variables"].as_array().map(Vec::len),
        Some(10),
        "default per_page"
    );
    let link = headers["link"].to_str().unwrap_or_default();
    // As GitHub: the request's parameters and the page (no per_page it was not given).
    assert!(
        link.contains("/actions/variables?page=2>; rel=\"next\""),
        "{link}"
    );
    assert!(
        link.contains("/actions/variables?page=4>; rel=\"last\""),
        "{link}"
    );

    let (_, headers, body) = page("?per_page=30&page=2").await;
    let names: Vec<&str> = body["variables"]
        .as_array()
        .map(|a| a.iter().filter_map(|v| v["name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(names, ["VAR_30", "VAR_31", "VAR_32", "VAR_33", "VAR_34"]);
    let link = headers["link"].to_str().unwrap_or_default();
    assert!(
        link.contains("rel=\"prev\"")
            && link.contains("rel=\"first\"")
            && !link.contains("rel=\"next\""),
        "{link}"
    );

    let (_, _, body) = page("?per_page=100").await;
    assert_eq!(
        body["variables"].as_array().map(Vec::len),
        Some(30),
        "per_page capped at 30"
    );
    let (_, headers, body) = page("?per_page=30&page=9").await;
    assert_eq!(body["variables"], json!([]));
    assert_eq!(body["total_count"], 35);
    assert!(
        headers
            .get("link")
            .is_some_and(|l| l.to_str().unwrap_or_default().contains("prev"))
    );

    // Following `rel="next"` from the first page reaches every variable, each once.
    let (_, mut headers, body) = page("?per_page=30&page=1").await;
    let mut all = variables_of(&body);
    let mut pages = 1;
    while let Some(next) = link_rel(&headers, "next") {
        let next = next
            .strip_prefix(&sb.github_url())
            .unwrap_or_else(|| panic!("a link into the API: {next}"))
            .to_owned();
        let (status, h, body) = raw(&sb, Method::GET, &next, BEARER, None).await;
        assert_eq!(status, 200, "{next}");
        all.extend(variables_of(&body));
        headers = h;
        pages += 1;
        assert!(pages <= 2, "30 a page: two pages");
    }
    assert_eq!(pages, 2);
    let expected: Vec<(String, String)> = (0..35)
        .map(|i| var(&format!("VAR_{i:02}"), &format!("v{i}")))
        .collect();
    assert_eq!(all, expected, "every page, in order");
}
