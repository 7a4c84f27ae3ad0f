//! The sandbox as a server: routing, malformed requests, injected faults and latency, concurrency.
mod common;

use std::time::{Duration, Instant};

use cawiz_sandbox::SandboxConfig;

fn sigv4(service: &str) -> String {
    format!(
        "AWS4-HMAC-SHA256 Credential=AKIATEST/20261121/us-east-1/{service}/aws4_request, SignedHeaders=host, Signature=00"
    )
}

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .expect("client")
}

#[tokio::test]
async fn unsigned_and_malformed_requests_get_aws_style_400s() {
    let sb = common::start_sandbox("empty").await;
    let url = sb.url();
    let c = http();

    let r = c
        .post(url)
        .body("Action=GetCallerIdentity")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("<Code>MissingAuthenticationToken</Code>"),
        "{body}"
    );

    let r = c
        .post(url)
        .header("authorization", sigv4("iam"))
        .body("Version=2010-05-08")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("<Code>MissingAction</Code>")
    );

    let r = c
        .post(url)
        .header("authorization", sigv4("iam"))
        .body("Action=CreateUser")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("<ErrorResponse") && body.contains("<Code>InvalidAction</Code>"),
        "{body}"
    );

    let r = c
        .post(url)
        .header("authorization", sigv4("iam"))
        .body(vec![0xff, 0xfe, 0x00, 0x26])
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        400,
        "binary garbage is a client error, not a crash"
    );

    let r = c
        .get(format!("{url}/v1/nothing-here"))
        .header("authorization", sigv4("codeartifact"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(r.headers()["x-amzn-errortype"], "UnknownOperationException");

    let r = c
        .post(url)
        .header("authorization", sigv4("s3"))
        .body("")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("UnknownService"));

    let r = c
        .post(url)
        .header(
            "authorization",
            "AWS4-HMAC-SHA256 Credential=broken, Signature=1",
        )
        .body("Action=GetCallerIdentity")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);

    // The server is still fine after all of that.
    let out = common::sts(url)
        .get_caller_identity()
        .send()
        .await
        .expect("still serving");
    assert_eq!(out.account(), Some("123456789012"));
}

#[tokio::test]
async fn query_protocol_get_requests_work_too() {
    let sb = common::start_sandbox("empty").await;
    let r = http()
        .get(format!(
            "{}/?Action=GetCallerIdentity&Version=2011-06-15",
            sb.url()
        ))
        .header("authorization", sigv4("sts"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("<GetCallerIdentityResult>")
            && body.contains("<Account>123456789012</Account>"),
        "{body}"
    );
}

#[tokio::test]
async fn injected_errors_reach_the_sdk_with_their_code_and_status() {
    let sb = common::start_sandbox_with_faults(
        "complete",
        &[
            "GetCallerIdentity=AccessDenied",
            "GetAuthorizationToken=InternalServerException",
        ],
    )
    .await;
    let result = common::sts(sb.url()).get_caller_identity().send().await;
    assert_eq!(common::failure(result), ("AccessDenied".to_owned(), 403));

    let result = common::codeartifact(sb.url())
        .get_authorization_token()
        .domain("octo-org")
        .send()
        .await;
    assert_eq!(
        common::failure(result),
        ("InternalServerException".to_owned(), 500)
    );

    // Operations without a fault are untouched.
    let ok = common::codeartifact(sb.url())
        .get_repository_endpoint()
        .domain("octo-org")
        .repository("widgets")
        .format(aws_sdk_codeartifact::types::PackageFormat::Pypi)
        .send()
        .await;
    assert!(ok.is_ok(), "{ok:?}");
}

#[tokio::test]
async fn throttling_at_a_seeded_rate_is_recovered_by_sdk_retries() {
    let config = SandboxConfig {
        faults: vec!["GetCallerIdentity=Throttling@0.5".parse().unwrap()],
        fault_seed: 42,
        ..Default::default()
    };
    let sb = common::start_sandbox_with(config).await;
    let retry = aws_config::retry::RetryConfig::standard()
        .with_max_attempts(20)
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(5));
    let sts = aws_sdk_sts::Client::new(&common::sdk_config_with_retries(sb.url(), retry));
    for _ in 0..20 {
        let out = sts
            .get_caller_identity()
            .send()
            .await
            .expect("retries get through the throttling");
        assert_eq!(out.account(), Some("123456789012"));
    }
    let calls = sb.calls()["GetCallerIdentity"];
    assert!(
        calls > 20,
        "some calls were throttled and retried ({calls} calls for 20 successes)"
    );

    // Without retries the same fault is visible, classified as AWS names it.
    let plain = common::sts(sb.url());
    let mut codes = Vec::new();
    for _ in 0..20 {
        if let Err(e) = plain.get_caller_identity().send().await {
            codes.push(common::error_code(Err::<(), _>(e)));
        }
    }
    assert!(
        !codes.is_empty() && codes.iter().all(|c| c == "Throttling"),
        "{codes:?}"
    );
}

#[tokio::test]
async fn latency_delays_every_request() {
    let config = SandboxConfig {
        latency: Duration::from_millis(150),
        ..Default::default()
    };
    let sb = common::start_sandbox_with(config).await;
    let started = Instant::now();
    common::sts(sb.url())
        .get_caller_identity()
        .send()
        .await
        .expect("answered");
    // A lower bound only: the sandbox sleeps at least this long before answering.
    assert!(started.elapsed() >= Duration::from_millis(150));
}

#[tokio::test]
async fn a_hundred_concurrent_requests_are_answered_correctly() {
    let sb = common::start_sandbox("complete").await;
    let sts = common::sts(sb.url());
    let ca = common::codeartifact(sb.url());
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..100 {
        let (sts, ca) = (sts.clone(), ca.clone());
        let expected_endpoint = format!("{}/octo-org-123456789012/pypi/widgets/", sb.url());
        tasks.spawn(async move {
            match i % 3 {
                0 => {
                    let out = sts.get_caller_identity().send().await.expect("identity");
                    assert_eq!(out.account(), Some("123456789012"));
                }
                1 => {
                    let out = ca
                        .get_authorization_token()
                        .domain("octo-org")
                        .send()
                        .await
                        .expect("token");
                    assert!(out.authorization_token().is_some_and(|t| t.len() > 40));
                }
                _ => {
                    let out = ca
                        .get_repository_endpoint()
                        .domain("octo-org")
                        .repository("widgets")
                        .format(aws_sdk_codeartifact::types::PackageFormat::Pypi)
                        .send()
                        .await
                        .expect("endpoint");
                    assert_eq!(out.repository_endpoint(), Some(expected_endpoint.as_str()));
                }
            }
        });
    }
    while let Some(joined) = tasks.join_next().await {
        joined.expect("task succeeded");
    }
    let calls = sb.calls();
    assert_eq!(calls.values().sum::<u64>(), 100);
    assert_eq!(calls["GetCallerIdentity"], 34);
    assert_eq!(
        sb.mutating_calls().len(),
        0,
        "reads and tokens change nothing"
    );
}

#[tokio::test]
async fn config_is_validated() {
    let bad_host = SandboxConfig {
        host: "10.1.2.3".parse().unwrap(),
        ..Default::default()
    };
    assert!(
        cawiz_sandbox::start(bad_host)
            .await
            .err()
            .unwrap()
            .to_string()
            .contains("loopback")
    );
    let bad_account = SandboxConfig {
        account_id: "12345".into(),
        ..Default::default()
    };
    assert!(
        cawiz_sandbox::start(bad_account)
            .await
            .err()
            .unwrap()
            .to_string()
            .contains("12 digits")
    );
    let bad_scenario = SandboxConfig::scenario("nope");
    assert!(
        cawiz_sandbox::start(bad_scenario)
            .await
            .err()
            .unwrap()
            .to_string()
            .contains("unknown scenario")
    );
}

#[tokio::test]
async fn stopping_frees_the_port() {
    let sb = common::start_sandbox("empty").await;
    let addr = sb.addr();
    sb.stop().await.expect("stops cleanly");
    let listener = std::net::TcpListener::bind(addr);
    assert!(listener.is_ok(), "port {addr} is free again after stop");
}
