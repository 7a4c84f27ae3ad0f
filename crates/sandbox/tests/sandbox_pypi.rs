//! The sandbox's PyPI endpoint driven by the real clients: a token and the endpoint from the real
//! SDK, then real `pip` and `twine` processes from the project's venv (TESTING.md layer 5).

mod common;

#[path = "sandbox_pypi/tools.rs"]
mod tools;

use std::time::Duration;

use aws_sdk_codeartifact::types::PackageFormat;
use cawiz_sandbox::SandboxHandle;
use sha2::{Digest as _, Sha256};

use tools::{pip_download, pip_install, run, text, throwaway_venv, tools, twine_upload};

struct Index {
    token: String,
    endpoint: String,
}

impl Index {
    /// The index URL with credentials, as pip takes it.
    fn simple_url(&self) -> String {
        with_token(&self.endpoint, &self.token) + "simple/"
    }
}

fn with_token(endpoint: &str, token: &str) -> String {
    endpoint.replacen("http://", &format!("http://aws:{token}@"), 1)
}

async fn index(sb: &SandboxHandle, domain: &str, repo: &str) -> Index {
    let endpoint = common::codeartifact(sb.url())
        .get_repository_endpoint()
        .domain(domain)
        .repository(repo)
        .format(PackageFormat::Pypi)
        .send()
        .await
        .expect("GetRepositoryEndpoint")
        .repository_endpoint
        .expect("an endpoint");
    let token = token(sb, domain).await;
    Index { token, endpoint }
}

async fn token(sb: &SandboxHandle, domain: &str) -> String {
    common::codeartifact(sb.url())
        .get_authorization_token()
        .domain(domain)
        .send()
        .await
        .expect("GetAuthorizationToken")
        .authorization_token
        .expect("a token")
}

async fn package_names(sb: &SandboxHandle, domain: &str, repo: &str) -> Vec<String> {
    let out = common::codeartifact(sb.url())
        .list_packages()
        .domain(domain)
        .repository(repo)
        .format(PackageFormat::Pypi)
        .send()
        .await
        .expect("ListPackages");
    out.packages()
        .iter()
        .filter_map(|p| p.package().map(str::to_owned))
        .collect()
}

/// `(version, origin type)` of each version of a package.
async fn versions(sb: &SandboxHandle, repo: &str, name: &str) -> Vec<(String, String)> {
    let out = common::codeartifact(sb.url())
        .list_package_versions()
        .domain("octo-org")
        .repository(repo)
        .format(PackageFormat::Pypi)
        .package(name)
        .send()
        .await
        .expect("ListPackageVersions");
    out.versions()
        .iter()
        .map(|v| {
            let origin = v.origin().and_then(|o| o.origin_type()).map(|t| t.as_str());
            (v.version().to_owned(), origin.unwrap_or("?").to_owned())
        })
        .collect()
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pip_gets_public_packages_through_the_upstream_and_codeartifact_retains_them() {
    let Some(t) = tools() else { return };
    let sb = common::start_sandbox("complete").await;
    let idx = index(&sb, "octo-org", "widgets").await;
    let dir = tempfile::tempdir().expect("tempdir");

    let out = pip_download(&t, &idx.simple_url(), dir.path(), "cawiz-demo-greeting").await;
    assert!(out.status.success(), "pip download: {}", text(&out));
    assert!(
        dir.path()
            .join("cawiz_demo_greeting-1.1.0-py3-none-any.whl")
            .is_file()
    );

    for repo in ["widgets", "pypi-store"] {
        let names = package_names(&sb, "octo-org", repo).await;
        assert!(
            names.contains(&"cawiz-demo-greeting".to_owned()),
            "{repo}: {names:?}"
        );
        let v = versions(&sb, repo, "cawiz-demo-greeting").await;
        assert_eq!(
            v,
            vec![("1.1.0".to_owned(), "EXTERNAL".to_owned())],
            "{repo}"
        );
    }

    let python = throwaway_venv(&t, dir.path()).await;
    let out = pip_install(&t, &python, &idx.simple_url(), "cawiz-demo-greeting==1.0.0").await;
    assert!(out.status.success(), "pip install: {}", text(&out));
    let code = "import cawiz_demo_greeting as m; print(m.hello())";
    let out = run(&python, &["-c", code], &[]).await;
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "hello from cawiz-demo-greeting 1.0.0",
        "{}",
        text(&out)
    );
    assert!(sb.calls().get("PypiDownload").copied().unwrap_or(0) >= 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_an_upstream_public_packages_are_not_found() {
    let Some(t) = tools() else { return };
    let sb = common::start_sandbox("guide").await;
    let idx = index(&sb, "acme-geo", "earth-polychromatic-api").await;
    let dir = tempfile::tempdir().expect("tempdir");
    let out = pip_download(&t, &idx.simple_url(), dir.path(), "cawiz-demo-greeting").await;
    assert!(!out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("No matching distribution"),
        "{}",
        text(&out)
    );
    let names = package_names(&sb, "acme-geo", "earth-polychromatic-api").await;
    assert!(names.is_empty(), "{names:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twine_uploads_pip_installs_and_a_reupload_conflicts() {
    let Some(t) = tools() else { return };
    let sb = common::start_sandbox("complete").await;
    let idx = index(&sb, "octo-org", "widgets").await;
    let dir = tempfile::tempdir().expect("tempdir");
    let w =
        cawiz_sandbox::wheel::build_simple("widgets-cawiz-probe", "0.4.2", "Probe").expect("wheel");
    let file = dir.path().join(&w.filename);
    std::fs::write(&file, &w.bytes).expect("write wheel");

    let out = twine_upload(&t, &idx.endpoint, &idx.token, &file).await;
    assert!(out.status.success(), "twine upload: {}", text(&out));
    let v = versions(&sb, "widgets", "widgets-cawiz-probe").await;
    assert_eq!(v, vec![("0.4.2".to_owned(), "INTERNAL".to_owned())]);

    let python = throwaway_venv(&t, dir.path()).await;
    let out = pip_install(&t, &python, &idx.simple_url(), "widgets-cawiz-probe").await;
    assert!(out.status.success(), "pip install: {}", text(&out));
    let code = "import widgets_cawiz_probe as m; print(m.hello())";
    let out = run(&python, &["-c", code], &[]).await;
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "hello from widgets-cawiz-probe 0.4.2",
        "{}",
        text(&out)
    );

    let out = twine_upload(&t, &idx.endpoint, &idx.token, &file).await;
    assert!(
        !out.status.success(),
        "a re-upload must fail: {}",
        text(&out)
    );
    assert!(text(&out).contains("409"), "{}", text(&out));
    assert_eq!(sb.calls().get("PypiUpload").copied(), Some(2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_expired_and_foreign_tokens_get_401() {
    let sb = common::start_sandbox("complete").await;
    let idx = index(&sb, "octo-org", "widgets").await;
    let http = no_redirects();
    let simple = format!("{}simple/", idx.endpoint);
    let status = |token: Option<String>| {
        let mut req = http.get(&simple);
        if let Some(token) = token {
            req = req.basic_auth("aws", Some(token));
        }
        async move { req.send().await.expect("request") }
    };
    let ok = status(Some(idx.token.clone())).await;
    assert_eq!(ok.status(), 200);
    for token in [None, Some("cawizsbx.not-a-token".to_owned())] {
        let r = status(token).await;
        assert_eq!(r.status(), 401);
        assert_eq!(
            r.headers()
                .get("www-authenticate")
                .and_then(|v| v.to_str().ok()),
            Some("Basic realm=\"cawiz-sandbox\"")
        );
    }
    let wrong_user = http.get(&simple).basic_auth("bob", Some(&idx.token));
    assert_eq!(wrong_user.send().await.expect("request").status(), 401);

    let ca = common::codeartifact(sb.url());
    ca.create_domain()
        .domain("other-org")
        .send()
        .await
        .expect("CreateDomain");
    let foreign = token(&sb, "other-org").await;
    assert_eq!(status(Some(foreign)).await.status(), 401);

    sb.advance_clock(Duration::from_secs(13 * 3600));
    assert_eq!(status(Some(idx.token.clone())).await.status(), 401);
    let fresh = token(&sb, "octo-org").await;
    assert_eq!(status(Some(fresh)).await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pip_and_twine_fail_with_a_wrong_or_expired_token() {
    let Some(t) = tools() else { return };
    let sb = common::start_sandbox("complete").await;
    let idx = index(&sb, "octo-org", "widgets").await;
    let dir = tempfile::tempdir().expect("tempdir");
    let w =
        cawiz_sandbox::wheel::build_simple("widgets-cawiz-probe", "0.0.1", "Probe").expect("wheel");
    let file = dir.path().join(&w.filename);
    std::fs::write(&file, &w.bytes).expect("write wheel");

    let wrong = Index {
        token: "cawizsbx.wrong".to_owned(),
        endpoint: idx.endpoint.clone(),
    };
    let out = pip_download(&t, &wrong.simple_url(), dir.path(), "six").await;
    assert!(!out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("401"), "{}", text(&out));
    let out = twine_upload(&t, &idx.endpoint, &wrong.token, &file).await;
    assert!(!out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("401"), "{}", text(&out));

    sb.advance_clock(Duration::from_secs(12 * 3600 + 60));
    let out = pip_download(&t, &idx.simple_url(), dir.path(), "six").await;
    assert!(!out.status.success(), "expired: {}", text(&out));
    assert!(text(&out).contains("401"), "{}", text(&out));
    let out = twine_upload(&t, &idx.endpoint, &idx.token, &file).await;
    assert!(!out.status.success(), "expired: {}", text(&out));
    assert!(package_names(&sb, "octo-org", "widgets").await == vec!["widgets".to_owned()]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn names_are_normalised_and_hashes_match_the_files() {
    let sb = common::start_sandbox("complete").await;
    let idx = index(&sb, "octo-org", "widgets").await;
    let http = no_redirects();
    let get = |url: String| {
        let req = http.get(url).basic_auth("aws", Some(&idx.token));
        async move { req.send().await.expect("request") }
    };
    let simple = format!("{}simple/", idx.endpoint);

    let r = get(format!("{simple}Cawiz_Demo.Colors/")).await;
    assert_eq!(r.status(), 301);
    let location = r.headers()["location"].to_str().expect("ascii").to_owned();
    assert!(
        location.ends_with("/simple/cawiz-demo-colors/"),
        "{location}"
    );
    assert_eq!(get(format!("{simple}no-such-project/")).await.status(), 404);
    let other_repo = simple.replace("/widgets/", "/nope/");
    assert_eq!(get(other_repo).await.status(), 404);

    let root = get(simple.clone()).await.text().await.expect("body");
    assert!(root.contains("<a href=\"cawiz-demo-colors/\">"), "{root}");
    assert!(root.contains("<a href=\"widgets/\">"), "{root}");

    for project in ["cawiz-demo-colors", "cawiz-demo-greeting", "widgets"] {
        let page_url = format!("{simple}{project}/");
        let page = get(page_url.clone()).await;
        assert_eq!(page.status(), 200);
        let html = page.text().await.expect("body");
        let links: Vec<&str> = html
            .split("href=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .collect();
        assert!(!links.is_empty(), "{html}");
        for link in links {
            let (path, fragment) = link.split_once("#sha256=").expect("a sha256 fragment");
            let file = get(format!("{page_url}{path}")).await;
            assert_eq!(file.status(), 200, "{path}");
            let bytes = file.bytes().await.expect("file");
            assert_eq!(hex::encode(Sha256::digest(&bytes)), fragment, "{path}");
        }
    }

    let Some(t) = tools() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let out = pip_download(
        &t,
        &idx.simple_url(),
        dir.path(),
        "Cawiz_Demo.Colors==0.3.0",
    )
    .await;
    assert!(out.status.success(), "pip download: {}", text(&out));
    assert!(
        dir.path()
            .join("cawiz_demo_colors-0.3.0-py3-none-any.whl")
            .is_file()
    );
}
