//! Helpers shared by the integration tests of both packages (cawiz's tests include this file):
//! sandbox start-up, real SDK clients pointed at a loopback endpoint, and the Python tools
//! (moto_server, twine, pip, aws) from the workspace's venv.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use aws_sdk_sts::error::ProvideErrorMetadata as _;
use cawiz_sandbox::{self as sandbox, SandboxConfig, SandboxHandle};

pub const REGION: &str = "us-east-1";

pub async fn start_sandbox(scenario: &str) -> SandboxHandle {
    sandbox::start(SandboxConfig::scenario(scenario))
        .await
        .expect("sandbox starts")
}

pub async fn start_sandbox_with(config: SandboxConfig) -> SandboxHandle {
    sandbox::start(config).await.expect("sandbox starts")
}

/// A sandbox of `scenario` where the given faults (`OPERATION=CODE[@RATE|#COUNT]`) are injected.
pub async fn start_sandbox_with_faults(scenario: &str, faults: &[&str]) -> SandboxHandle {
    let mut config = SandboxConfig::scenario(scenario);
    config.faults = faults
        .iter()
        .map(|f| f.parse().expect("fault spec"))
        .collect();
    start_sandbox_with(config).await
}

/// SDK configuration for a loopback endpoint: static keys, us-east-1, retries off (TESTING.md).
pub fn sdk_config(url: &str) -> aws_config::SdkConfig {
    sdk_config_with_retries(url, aws_config::retry::RetryConfig::disabled())
}

pub fn sdk_config_with_retries(
    url: &str,
    retry: aws_config::retry::RetryConfig,
) -> aws_config::SdkConfig {
    aws_config::SdkConfig::builder()
        .behavior_version(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new(REGION))
        .endpoint_url(url)
        .credentials_provider(aws_sdk_sts::config::SharedCredentialsProvider::new(
            aws_sdk_sts::config::Credentials::new(
                "AKIAI44QH8DHBEXAMPLE",
                "secret",
                None,
                None,
                "tests",
            ),
        ))
        .retry_config(retry)
        .timeout_config(
            aws_config::timeout::TimeoutConfig::builder()
                .operation_timeout(Duration::from_secs(60))
                .build(),
        )
        .build()
}

pub fn iam(url: &str) -> aws_sdk_iam::Client {
    aws_sdk_iam::Client::new(&sdk_config(url))
}

pub fn sts(url: &str) -> aws_sdk_sts::Client {
    aws_sdk_sts::Client::new(&sdk_config(url))
}

pub fn codeartifact(url: &str) -> aws_sdk_codeartifact::Client {
    aws_sdk_codeartifact::Client::new(&sdk_config(url))
}

/// The error code and HTTP status of a failed SDK call (panics if the call succeeded).
pub fn failure<T: std::fmt::Debug, E>(
    result: Result<T, aws_sdk_sts::error::SdkError<E>>,
) -> (String, u16)
where
    E: aws_sdk_sts::error::ProvideErrorMetadata + std::fmt::Debug,
{
    match result {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => {
            let status = e.raw_response().map(|r| r.status().as_u16()).unwrap_or(0);
            let code = e
                .code()
                .map(str::to_owned)
                .unwrap_or_else(|| panic!("error without a code: {e:?}"));
            (code, status)
        }
    }
}

/// The error code of a failed SDK call (panics if the call succeeded).
pub fn error_code<T: std::fmt::Debug, E>(
    result: Result<T, aws_sdk_sts::error::SdkError<E>>,
) -> String
where
    E: aws_sdk_sts::error::ProvideErrorMetadata + std::fmt::Debug,
{
    failure(result).0
}

/// Decodes a policy document as IAM returns it (URL-encoded; moto sometimes does not encode).
pub fn decode_policy(doc: &str) -> serde_json::Value {
    let decoded = urlencoding::decode(doc)
        .map(|c| c.into_owned())
        .unwrap_or_else(|_| doc.to_owned());
    serde_json::from_str(&decoded)
        .or_else(|_| serde_json::from_str(doc))
        .unwrap_or_else(|e| panic!("policy document is not JSON ({e}): {doc}"))
}

/// The workspace's root directory (where `.venv` and `Cargo.lock` are), from either package.
pub fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .find(|dir| dir.join("Cargo.lock").is_file())
        .unwrap_or(&manifest)
        .to_path_buf()
}

/// A Python tool from the workspace's venv (`.venv/bin`, created by `scripts/test`) or PATH.
/// Missing tools fail the test loudly, unless CAWIZ_SKIP_PYTHON_TESTS=1 says to skip (returns None).
pub fn python_tool(name: &str) -> Option<PathBuf> {
    let venv = workspace_root().join(".venv/bin").join(name);
    if venv.is_file() {
        return Some(venv);
    }
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    if std::env::var("CAWIZ_SKIP_PYTHON_TESTS").as_deref() == Ok("1") {
        eprintln!("!!! SKIPPED: {name} not found and CAWIZ_SKIP_PYTHON_TESTS=1 !!!");
        return None;
    }
    panic!(
        "{name} is not installed. Run `scripts/test` (it creates .venv with moto[server], twine, build, awscli), \
         or set CAWIZ_SKIP_PYTHON_TESTS=1 to skip the tests that need it."
    );
}

/// `moto_server` on a free loopback port, killed on drop.
pub struct Moto {
    child: Child,
    pub url: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn start_moto() -> Option<Moto> {
    let exe = python_tool("moto_server")?;
    let port = free_port();
    let child = Command::new(exe)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("moto_server starts");
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(60);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "moto_server did not listen on {url} within 60 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    Some(Moto { child, url })
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// A GitHub OIDC trust policy for the sandbox's default account allowing `subject`.
pub fn github_trust_policy(subject: &str) -> serde_json::Value {
    let account = sandbox::DEFAULT_ACCOUNT_ID;
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Federated": format!("arn:aws:iam::{account}:oidc-provider/token.actions.githubusercontent.com")},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
                "StringLike": {"token.actions.githubusercontent.com:sub": subject}
            }
        }]
    })
}
