//! CodeArtifact over the wire: the real `aws-sdk-codeartifact` client against the sandbox.
//! Every operation the sandbox emulates, success and error paths, AWS's naming rules, the order
//! of upstream set-up the guide gets wrong, and the `complete` and `guide` scenarios.

#![allow(clippy::unwrap_used)]

mod common;

#[path = "sandbox_codeartifact/connections.rs"]
mod connections;
#[path = "sandbox_codeartifact/domains.rs"]
mod domains;
#[path = "sandbox_codeartifact/packages.rs"]
mod packages;
#[path = "sandbox_codeartifact/repositories.rs"]
mod repositories;
#[path = "sandbox_codeartifact/scenarios.rs"]
mod scenarios;
#[path = "sandbox_codeartifact/tokens.rs"]
mod tokens;
#[path = "sandbox_codeartifact/upstreams.rs"]
mod upstreams;

use aws_sdk_codeartifact::Client;
use aws_sdk_codeartifact::types::{RepositoryDescription, UpstreamRepository};

/// The sandbox's default account.
pub const ACCOUNT: &str = "123456789012";

pub fn up(name: &str) -> UpstreamRepository {
    UpstreamRepository::builder()
        .repository_name(name)
        .build()
        .expect("upstream repository")
}

pub use common::{error_code as code, failure};

pub async fn create_domain(c: &Client, name: &str) {
    c.create_domain()
        .domain(name)
        .send()
        .await
        .unwrap_or_else(|e| panic!("CreateDomain {name}: {e:?}"));
}

pub async fn create_repo(c: &Client, domain: &str, name: &str, upstreams: &[&str]) {
    let mut req = c.create_repository().domain(domain).repository(name);
    for u in upstreams {
        req = req.upstreams(up(u));
    }
    req.send()
        .await
        .unwrap_or_else(|e| panic!("CreateRepository {name}: {e:?}"));
}

/// DescribeRepository, which must succeed: the repository's description.
pub async fn describe_repo(c: &Client, domain: &str, name: &str) -> RepositoryDescription {
    c.describe_repository()
        .domain(domain)
        .repository(name)
        .send()
        .await
        .unwrap_or_else(|e| panic!("DescribeRepository {name}: {e:?}"))
        .repository
        .expect("repository")
}

/// A request the SDK would refuse to send (missing required members, bad JSON): status, the
/// `x-amzn-errortype` header, and the body.
pub async fn raw(
    url: &str,
    method: reqwest::Method,
    path_and_query: &str,
    body: &str,
) -> (u16, String, String) {
    let response = reqwest::Client::new()
        .request(method, format!("{url}{path_and_query}"))
        .header(
            "authorization",
            "AWS4-HMAC-SHA256 Credential=AKIATEST/20260101/us-east-1/codeartifact/aws4_request, SignedHeaders=host, Signature=00",
        )
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .expect("raw request");
    let status = response.status().as_u16();
    let kind = response
        .headers()
        .get("x-amzn-errortype")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, kind, response.text().await.unwrap_or_default())
}

/// The names of a repository's upstreams, in priority order.
pub fn upstream_names_of(r: &RepositoryDescription) -> Vec<String> {
    r.upstreams()
        .iter()
        .filter_map(|u| u.repository_name().map(str::to_owned))
        .collect()
}

/// Seconds since the epoch now.
pub fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
