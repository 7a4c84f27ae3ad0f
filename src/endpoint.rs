//! Which URLs cawiz sends credentials to: https anywhere, plain http only on loopback (127.0.0.0/8,
//! ::1, `localhost`), where the sandbox and the tests' servers listen. Over plain http to another
//! host a GitHub token, or AWS's signed requests and the tokens it answers with, cross the network
//! in clear. `--github-api-url`/`GITHUB_API_URL` are checked by `GithubClient::new`, the AWS
//! endpoints (`--endpoint-url`, `AWS_ENDPOINT_URL*`) by `aws::check_endpoints`.

use reqwest::Url;

/// The rule, for messages.
pub const RULE: &str = "use https (plain http only on loopback: 127.0.0.0/8, ::1, localhost)";

/// True for a loopback host: an address in 127.0.0.0/8, ::1, or `localhost`.
pub fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => host.eq_ignore_ascii_case("localhost"),
    }
}

/// True when `url` is plain http to a host that is not loopback (a URL that does not parse is left
/// to the client that uses it, which refuses it with its own error).
pub fn is_plain_http_off_loopback(url: &str) -> bool {
    Url::parse(url.trim()).is_ok_and(|u| u.scheme() == "http" && !is_loopback(&u))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_is_the_only_place_for_plain_http() {
        for refused in [
            "http://api.example.com",
            "http://10.0.0.1:8080/x",
            "http://[2001:db8::1]:9",
            "http://128.0.0.1",
            "http://localhost.example.com",
            "HTTP://Example.COM",
        ] {
            assert!(is_plain_http_off_loopback(refused), "{refused}");
        }
        for allowed in [
            "http://127.0.0.1:9",
            "http://127.255.0.3",
            "http://[::1]:9/github",
            "http://localhost:4566",
            "http://LOCALHOST",
            "https://api.example.com",
            "not a url",
        ] {
            assert!(!is_plain_http_off_loopback(allowed), "{allowed}");
        }
    }
}
