//! Unit tests of the GitHub answers' parsing and of the client's construction.

use super::*;

#[test]
fn subject_claim_default_custom_and_prefixed() {
    let default = SubjectClaim::parse(r#"{"use_default": true}"#).unwrap();
    assert_eq!(
        default,
        SubjectClaim {
            use_default: true,
            ..Default::default()
        }
    );
    let custom =
        SubjectClaim::parse(r#"{"use_default": false, "include_claim_keys": ["repo", "context"]}"#)
            .unwrap();
    assert!(!custom.use_default);
    assert_eq!(custom.include_claim_keys, ["repo", "context"]);
    assert_eq!(custom.sub_claim_prefix, None);
    let prefixed = SubjectClaim::parse(
        r#"{"use_default": true, "sub_claim_prefix": "repo:octo@1/widgets@2", "future": 1}"#,
    )
    .unwrap();
    assert_eq!(
        prefixed.sub_claim_prefix.as_deref(),
        Some("repo:octo@1/widgets@2")
    );
    // Missing fields: the default is in use exactly when no claim keys are listed.
    assert!(SubjectClaim::parse("{}").unwrap().use_default);
    assert!(
        !SubjectClaim::parse(r#"{"include_claim_keys": ["repo"]}"#)
            .unwrap()
            .use_default
    );
    assert_eq!(
        SubjectClaim::parse(r#"{"sub_claim_prefix": " ", "include_claim_keys": null}"#).unwrap(),
        SubjectClaim {
            use_default: true,
            ..Default::default()
        }
    );
    assert!(SubjectClaim::parse("[]").is_err());
}

#[test]
fn repository_ids_and_subject_prefixes() {
    let repo = Repository::parse(
        r#"{"id": 456, "name": "widgets", "full_name": "octo/widgets", "private": true,
            "owner": {"login": "octo", "id": 123, "type": "Organization"}}"#,
    )
    .unwrap();
    assert_eq!(repo.id, 456);
    assert_eq!(repo.owner_id, 123);
    assert_eq!(repo.full_name, "octo/widgets");
    // The ids make the immutable subject prefix (the trust policy's, built by policy.rs).
    let rules = crate::policy::SubjectRules {
        owner: repo.owner_login.clone(),
        repo: repo.name.clone(),
        canonical: true,
        ids: Some((repo.owner_id, repo.id)),
        claim_keys: None,
        unconfirmed: None,
    };
    assert_eq!(rules.repo_part(), "repo:octo@123/widgets@456");
    assert!(Repository::parse(r#"{"id": 1, "name": "w", "full_name": "o/w"}"#).is_err());
}

#[test]
fn api_urls_for_hosts() {
    assert_eq!(api_url_for_host("github.com"), "https://api.github.com");
    assert_eq!(api_url_for_host("GitHub.com"), "https://api.github.com");
    assert_eq!(
        api_url_for_host("ghe.example.com"),
        "https://ghe.example.com/api/v3"
    );
}

#[test]
fn the_token_stays_out_of_debug_and_bad_urls_are_refused() {
    let client =
        GithubClient::new("https://api.github.com/", Some("ghp_secret123".into())).unwrap();
    let debug = format!("{client:?}");
    assert!(!debug.contains("ghp_secret123"), "{debug}");
    assert!(
        debug.contains("***") && debug.contains("https://api.github.com\""),
        "{debug}"
    );
    assert!(client.has_token());
    assert_eq!(client.base_url(), "https://api.github.com");
    assert!(
        !GithubClient::new(DEFAULT_API_URL, Some("  ".into()))
            .unwrap()
            .has_token()
    );
    for bad in ["not a url", "ftp://example.com"] {
        let e = GithubClient::new(bad, None).unwrap_err();
        assert_eq!(e.kind(), GithubErrorKind::InvalidConfig, "{bad}");
        assert!(!e.fix().is_empty());
    }
    let e = GithubClient::new(DEFAULT_API_URL, Some("ghp_bad\ntoken".into())).unwrap_err();
    assert!(!e.to_string().contains("ghp_bad"), "{e}");
}

#[test]
fn outcomes_display() {
    assert_eq!(SetOutcome::Created.to_string(), "created");
    assert_eq!(SetOutcome::Updated.to_string(), "updated");
    assert_eq!(SetOutcome::Unchanged.to_string(), "unchanged");
}

#[test]
fn plain_http_only_on_loopback() {
    for bad in [
        "http://api.example.com",
        "http://ghe.example.com/api/v3",
        "http://10.0.0.1:8080",
        "http://[2001:db8::1]/api/v3",
        "http://localhost.example.com",
    ] {
        let e = GithubClient::new(bad, Some("ghp_secret".into())).unwrap_err();
        assert_eq!(e.kind(), GithubErrorKind::InvalidConfig, "{bad}");
        assert!(e.to_string().contains("plain http"), "{e}");
        assert!(e.fix().contains("https"), "{}", e.fix());
    }
    for ok in [
        "http://127.0.0.1:9/github",
        "http://127.8.9.10",
        "http://[::1]:9",
        "http://localhost:9",
        "https://ghe.example.com/api/v3",
    ] {
        assert!(GithubClient::new(ok, None).is_ok(), "{ok}");
    }
}

#[test]
fn gh_is_asked_for_the_api_urls_host() {
    assert_eq!(
        gh_hostname("https://api.github.com").as_deref(),
        Some("github.com")
    );
    assert_eq!(
        gh_hostname("https://API.GitHub.com/").as_deref(),
        Some("github.com")
    );
    assert_eq!(
        gh_hostname("https://ghe.example.com/api/v3").as_deref(),
        Some("ghe.example.com")
    );
    assert_eq!(
        gh_hostname("https://ghe.example.com:8443/api/v3").as_deref(),
        Some("ghe.example.com:8443")
    );
    assert_eq!(
        gh_hostname("http://127.0.0.1:4567/github").as_deref(),
        Some("127.0.0.1:4567")
    );
    assert_eq!(gh_hostname("not a url"), None);
}
