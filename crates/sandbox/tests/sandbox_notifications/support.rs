//! What the notification tests share: the AWS CLI as the sandbox's administrator, a loopback
//! HTTP receiver, the rule's pattern and topic policy cawiz writes, and a twine upload.

use std::process::Output;
use std::time::Duration;

use axum::http::HeaderMap;
use cawiz_sandbox::SandboxHandle;
use serde_json::{Value, json};
use tokio::sync::mpsc;

use crate::{common, tools};

pub const ACCOUNT: &str = "123456789012";

pub async fn aws(sb: &SandboxHandle, args: &[&str]) -> Option<Output> {
    let exe = common::python_tool("aws")?;
    let home = tempfile::tempdir().unwrap();
    let out = tokio::process::Command::new(exe)
        .args(args)
        .args(["--output", "json"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_ENDPOINT_URL", sb.url())
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "any-secret")
        .output()
        .await
        .unwrap();
    Some(out)
}

/// The CLI's JSON answer (`{}` for a command that prints nothing).
pub fn ok(out: &Output) -> Value {
    assert!(out.status.success(), "aws failed: {}", tools::text(out));
    if out.stdout.iter().all(u8::is_ascii_whitespace) {
        return json!({});
    }
    serde_json::from_slice(&out.stdout).unwrap()
}

/// One message the receiver got: the `x-amz-sns-message-type` header and the JSON body.
pub type Received = (String, Value);

/// A loopback HTTP endpoint that answers 200 to every POST and hands each message to the test.
pub async fn receiver() -> (String, mpsc::UnboundedReceiver<Received>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: String| {
            let tx = tx.clone();
            async move {
                let kind = headers
                    .get("x-amz-sns-message-type")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_owned();
                let _ = tx.send((kind, serde_json::from_str(&body).unwrap_or(Value::Null)));
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, rx)
}

pub async fn next(rx: &mut mpsc::UnboundedReceiver<Received>) -> Received {
    tokio::time::timeout(Duration::from_secs(120), rx.recv())
        .await
        .expect("a message within the deadline")
        .expect("the receiver is running")
}

/// The rule cawiz writes: CodeArtifact's real event, this domain, owner and repository, published.
pub fn pattern() -> String {
    json!({
        "source": ["aws.codeartifact"],
        "detail-type": ["CodeArtifact Package Version State Change"],
        "detail": {
            "domainName": ["octo-org"],
            "domainOwner": [ACCOUNT],
            "repositoryName": ["widgets"],
            "packageVersionState": ["Published"]
        }
    })
    .to_string()
}

pub fn topic_policy(topic: &str, rule: &str) -> String {
    json!({"Version": "2012-10-17", "Statement": [{
        "Sid": "cawizEventBridge", "Effect": "Allow",
        "Principal": {"Service": "events.amazonaws.com"},
        "Action": "sns:Publish", "Resource": topic,
        "Condition": {"ArnEquals": {"aws:SourceArn": rule}}
    }]})
    .to_string()
}

/// Uploads a fresh probe with twine, with a token and endpoint from the AWS CLI.
pub async fn twine_upload(sb: &SandboxHandle, version: &str) {
    let Some(t) = tools::tools() else { return };
    let token = ok(&aws(
        sb,
        &[
            "codeartifact",
            "get-authorization-token",
            "--domain",
            "octo-org",
        ],
    )
    .await
    .unwrap());
    let endpoint = ok(&aws(
        sb,
        &[
            "codeartifact",
            "get-repository-endpoint",
            "--domain",
            "octo-org",
            "--repository",
            "widgets",
            "--format",
            "pypi",
        ],
    )
    .await
    .unwrap());
    let dir = tempfile::tempdir().unwrap();
    let w = cawiz_sandbox::wheel::build_simple("widgets-cawiz-probe", version, "Probe").unwrap();
    let file = dir.path().join(&w.filename);
    std::fs::write(&file, &w.bytes).unwrap();
    let out = tools::twine_upload(
        &t,
        endpoint["repositoryEndpoint"].as_str().unwrap(),
        token["authorizationToken"].as_str().unwrap(),
        &file,
    )
    .await;
    assert!(out.status.success(), "twine: {}", tools::text(&out));
}
