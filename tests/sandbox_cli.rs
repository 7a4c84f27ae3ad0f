//! `cawiz sandbox` as a user runs it: the built binary prints its URL and the environment lines,
//! and the AWS CLI (botocore, a second SDK) works against it with exactly those lines.
mod common;

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

struct Running {
    child: Child,
    env: Vec<(String, String)>,
    url: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the binary and reads its banner: the URL line and the `export NAME=VALUE` lines.
fn start(args: &[&str]) -> Running {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cawiz"))
        .arg("sandbox")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("cawiz sandbox starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut env = Vec::new();
    let mut url = String::new();
    for line in lines.by_ref() {
        let line = line.expect("banner line");
        if let Some(rest) = line.strip_prefix("cawiz sandbox listening on ") {
            url = rest.split_whitespace().next().expect("url").to_owned();
        }
        if let Some((k, v)) = line
            .trim()
            .strip_prefix("export ")
            .and_then(|kv| kv.split_once('='))
        {
            env.push((k.to_owned(), v.to_owned()));
        }
        if line.starts_with("Press Ctrl-C") {
            break;
        }
    }
    // Keep draining stdout so the child never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    assert!(
        url.starts_with("http://127.0.0.1:"),
        "banner names the URL, got {url:?}"
    );
    Running { child, env, url }
}

fn aws(sb: &Running, args: &[&str]) -> Option<Output> {
    let exe = common::python_tool("aws")?;
    let home = tempfile::tempdir().expect("tempdir");
    let out = Command::new(exe)
        .args(args)
        .args(["--output", "json"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("AWS_CONFIG_FILE", home.path().join("config"))
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            home.path().join("credentials"),
        )
        .envs(sb.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .output()
        .expect("aws runs");
    Some(out)
}

fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "aws failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("aws printed JSON")
}

#[test]
fn banner_prints_the_environment_to_paste() {
    let sb = start(&["--scenario", "complete"]);
    let names: Vec<&str> = sb.env.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        names,
        [
            "AWS_ENDPOINT_URL",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_REGION",
            "AWS_DEFAULT_REGION",
            "GITHUB_API_URL",
            "GITHUB_TOKEN"
        ]
    );
    assert_eq!(sb.env[0].1, sb.url);
    assert_eq!(sb.env[5].1, format!("{}/github", sb.url));
    assert_eq!(sb.env[6].1, cawiz_sandbox::SANDBOX_GITHUB_TOKEN);
}

#[test]
fn aws_cli_works_with_the_pasted_environment() {
    let sb = start(&["--scenario", "complete"]);
    let Some(out) = aws(&sb, &["sts", "get-caller-identity"]) else {
        return;
    };
    assert_eq!(json(&out)["Account"], "123456789012");

    let out = aws(
        &sb,
        &["codeartifact", "describe-domain", "--domain", "octo-org"],
    )
    .expect("aws");
    assert_eq!(json(&out)["domain"]["name"], "octo-org");

    let out = aws(
        &sb,
        &[
            "codeartifact",
            "get-authorization-token",
            "--domain",
            "octo-org",
            "--duration-seconds",
            "900",
        ],
    )
    .expect("aws");
    let token = json(&out);
    assert!(
        token["authorizationToken"]
            .as_str()
            .is_some_and(|t| t.len() > 40)
    );

    let out = aws(
        &sb,
        &[
            "iam",
            "get-role",
            "--role-name",
            "GitHubActions-CodeArtifact",
        ],
    )
    .expect("aws");
    let role = json(&out);
    assert_eq!(
        role["Role"]["Arn"],
        "arn:aws:iam::123456789012:role/GitHubActions-CodeArtifact"
    );
    // botocore decodes the URL-encoded trust policy into a JSON object.
    assert_eq!(
        role["Role"]["AssumeRolePolicyDocument"]["Statement"][0]["Action"],
        "sts:AssumeRoleWithWebIdentity"
    );

    let out = aws(&sb, &["iam", "list-open-id-connect-providers"]).expect("aws");
    assert_eq!(
        json(&out)["OpenIDConnectProviderList"][0]["Arn"],
        "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
    );

    let out = aws(&sb, &["iam", "get-role", "--role-name", "nobody"]).expect("aws");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("NoSuchEntity"));
}

#[test]
fn faults_and_latency_from_the_command_line() {
    let sb = start(&[
        "--fault",
        "GetCallerIdentity=AccessDenied",
        "--latency-ms",
        "10",
    ]);
    let Some(out) = aws(&sb, &["sts", "get-caller-identity"]) else {
        return;
    };
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("AccessDenied"));
}

#[test]
fn ctrl_c_stops_it_cleanly() {
    let mut sb = start(&[]);
    let pid = sb.child.id().to_string();
    let status = Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(status) = sb.child.try_wait().expect("wait") {
            assert!(status.success(), "exit status after Ctrl-C: {status}");
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "sandbox did not stop on SIGINT"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn bad_arguments_are_refused_with_a_clear_message() {
    for (args, expected) in [
        (vec!["--host", "10.0.0.1"], "loopback"),
        (vec!["--host", "not-an-ip"], "not an IP address"),
        (vec!["--account-id", "42"], "12 digits"),
        (vec!["--scenario", "nope"], "unknown scenario"),
        (vec!["--fault", "GetRole"], "OPERATION=ERRORCODE"),
        (vec!["--fault", "GetRole=Throttling@3"], "between 0 and 1"),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_cawiz"))
            .arg("sandbox")
            .args(&args)
            .stdin(Stdio::null())
            .output()
            .expect("runs");
        assert!(!out.status.success(), "{args:?} should fail");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(expected),
            "{args:?}: expected {expected:?} in {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}
