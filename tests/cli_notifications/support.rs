//! What the notifications scenarios share: SDK clients on the sandbox, a tiny loopback HTTP
//! receiver that confirms its subscription through the `SubscribeURL`, and waiting for a message
//! or a status with a deadline.

use std::time::Duration;

use cawiz::aws::Clients;
use serde_json::Value;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::sync::mpsc;

use crate::common;
use crate::common::cli::Cli;
pub use crate::common::cli::item;

pub const ACCOUNT: &str = cawiz_sandbox::DEFAULT_ACCOUNT_ID;
pub const RULE: &str = "cawiz-octo-org-widgets";
pub const DEADLINE: Duration = Duration::from_secs(120);

pub fn clients(url: &str) -> Clients {
    Clients::from_config(common::sdk_config(url))
}

/// Reads one HTTP request: its body (by Content-Length).
pub async fn read_request(stream: &mut tokio::net::TcpStream) -> Option<Vec<u8>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Some(buf[head_end..].to_vec())
}

/// A tiny loopback HTTP endpoint: answers 200 to each POST, confirms a SubscriptionConfirmation
/// by GETting its SubscribeURL, and hands every message to the test.
pub async fn receiver() -> (String, mpsc::UnboundedReceiver<Value>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                let Some(body) = read_request(&mut stream).await else {
                    return;
                };
                let _ = stream
                    .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .await;
                let message: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                if message["Type"] == "SubscriptionConfirmation"
                    && let Some(link) = message["SubscribeURL"].as_str()
                {
                    let confirmed = reqwest::get(link).await.expect("SubscribeURL answers");
                    assert!(confirmed.status().is_success(), "{}", confirmed.status());
                }
                let _ = tx.send(message);
            });
        }
    });
    (url, rx)
}

/// The next message of `kind` (others skipped), within the deadline.
pub async fn next_of(rx: &mut mpsc::UnboundedReceiver<Value>, kind: &str) -> Value {
    tokio::time::timeout(DEADLINE, async {
        loop {
            let message = rx.recv().await.expect("the receiver runs");
            if message["Type"] == kind {
                return message;
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("a {kind} within the deadline"))
}

pub fn rows(doc: &Value) -> Vec<(String, String, String)> {
    item(doc, "notifications")["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap_or_default().to_owned(),
                r["title"].as_str().unwrap_or_default().to_owned(),
                r["verdict"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

pub fn verdict_of(doc: &Value, title_part: &str) -> String {
    rows(doc)
        .into_iter()
        .find(|(_, t, _)| t.contains(title_part))
        .unwrap_or_else(|| panic!("a row about {title_part}: {:?}", rows(doc)))
        .2
}

pub async fn created_count(cli: &Cli) -> usize {
    let state: Value = serde_json::from_str(&common::cli::read(&cli.state())).unwrap();
    state["created"].as_array().map_or(0, Vec::len)
}

/// Polls `status --json` until `ready` says so (the http subscription confirms asynchronously).
pub async fn status_until(cli: &Cli, what: &str, ready: impl Fn(&Value) -> bool) -> Value {
    let start = std::time::Instant::now();
    loop {
        let (doc, _) = cli.status_json().await;
        if ready(&doc) {
            return doc;
        }
        assert!(start.elapsed() < DEADLINE, "{what}: {doc}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
