use super::*;
use axum::http::Method;

#[test]
fn routes_the_endpoints_cawiz_uses() {
    let r = |m: Method, p: &str| route(&m, p).map(|r| (r.op, r.owner, r.repo, r.name));
    assert_eq!(
        r(Method::GET, "/github/repos/octo/widgets"),
        Some((Op::GetRepository, "octo".into(), "widgets".into(), None))
    );
    assert_eq!(
        r(
            Method::PATCH,
            "/github/repos/o/r/actions/variables/AWS_REGION"
        )
        .map(|x| x.3),
        Some(Some("AWS_REGION".into()))
    );
    assert_eq!(
        r(Method::GET, "/github/repos/o/r/actions/secrets/public-key").map(|x| x.0),
        Some(Op::GetPublicKey)
    );
    assert_eq!(
        r(Method::GET, "/github/repos/o/my%2Erepo").map(|x| x.2),
        Some("my.repo".into()),
        "segments are percent-decoded"
    );
    assert_eq!(r(Method::POST, "/github/repos/o/r"), None);
    assert_eq!(r(Method::GET, "/github/user"), None);
    assert_eq!(r(Method::GET, "/repos/o/r"), None);
    assert_eq!(
        operation(&Method::PUT, "/github/repos/o/r/actions/secrets/X"),
        Some("GitHub:SetSecret".to_owned())
    );
}

#[test]
fn github_paths() {
    assert!(is_github_path("/github"));
    assert!(is_github_path("/github/repos/o/r"));
    assert!(!is_github_path("/githubber/x"));
    assert!(!is_github_path("/v1/domain"));
}
