//! What real `pip` and `twine` see of the package states (TESTING.md layer 5): only Published
//! versions in the index, Archived/Disposed files gone, a re-publish of a version still present
//! refused (409), origin controls (403 for publishing, not found through `upstream: BLOCK`),
//! non-normalised names, and tokens that expire early.

use aws_sdk_codeartifact::types::{PackageFormat, PackageOriginRestrictions, PackageVersionStatus};

use crate::tools::{pip_download, text, tools, twine_upload};
use crate::{ACCOUNT, DOMAIN, REPO, STORE, ca, common, endpoint, get, simple_url, token_of};
use cawiz_sandbox::SandboxHandle;

const PROBE: &str = "widgets-cawiz-probe";

async fn set_status(sb: &SandboxHandle, version: &str, status: PackageVersionStatus) {
    let out = ca(sb)
        .update_package_versions_status()
        .domain(DOMAIN)
        .repository(REPO)
        .format(PackageFormat::Pypi)
        .package(PROBE)
        .versions(version)
        .target_status(status)
        .send()
        .await
        .unwrap();
    assert!(
        out.failed_versions().is_none_or(|f| f.is_empty()),
        "{out:?}"
    );
}

async fn origin_controls(sb: &SandboxHandle, package: &str, publish: &str, upstream: &str) {
    ca(sb)
        .put_package_origin_configuration()
        .domain(DOMAIN)
        .repository(REPO)
        .format(PackageFormat::Pypi)
        .package(package)
        .restrictions(
            PackageOriginRestrictions::builder()
                .publish(publish.into())
                .upstream(upstream.into())
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
}

/// A probe wheel written to `dir` (its path).
fn probe_file(dir: &std::path::Path, version: &str, summary: &str) -> std::path::PathBuf {
    let wheel = cawiz_sandbox::wheel::build_simple(PROBE, version, summary).unwrap();
    let path = dir.join(&wheel.filename);
    std::fs::write(&path, &wheel.bytes).unwrap();
    path
}

/// A tool's output with runs of white space as one space (twine wraps long lines).
fn squashed(out: &std::process::Output) -> String {
    text(out).split_whitespace().collect::<Vec<_>>().join(" ")
}

fn file_url(sb: &SandboxHandle, version: &str) -> String {
    format!(
        "{}/{DOMAIN}-{ACCOUNT}/pypi/{REPO}/simple/{PROBE}/{version}/widgets_cawiz_probe-{version}-py3-none-any.whl",
        sb.url()
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pip_sees_only_published_versions_and_archived_files_are_gone() {
    let Some(t) = tools() else { return };
    let sb = common::start_sandbox("complete").await;
    let token = token_of(&ca(&sb)).await;
    let ep = endpoint(&sb, REPO).await;
    let index = simple_url(&ep, &token);
    let dir = tempfile::tempdir().unwrap();
    for version in ["0.2.0", "0.3.0"] {
        let out = twine_upload(&t, &ep, &token, &probe_file(dir.path(), version, "p")).await;
        assert!(out.status.success(), "{}", text(&out));
    }

    set_status(&sb, "0.3.0", PackageVersionStatus::Archived).await;
    let dest = tempfile::tempdir().unwrap();
    let out = pip_download(&t, &index, dest.path(), PROBE).await;
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        dest.path()
            .join("widgets_cawiz_probe-0.2.0-py3-none-any.whl")
            .is_file(),
        "the archived 0.3.0 is not offered"
    );
    let out = pip_download(&t, &index, dest.path(), &format!("{PROBE}==0.3.0")).await;
    assert!(!out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains(&format!(
            "No matching distribution found for {PROBE}==0.3.0"
        )),
        "{}",
        text(&out)
    );
    assert_eq!(get(&file_url(&sb, "0.3.0"), &token).await.0, 404);

    // Unlisted: not in the index, but its file still downloads.
    set_status(&sb, "0.2.0", PackageVersionStatus::Unlisted).await;
    let out = pip_download(&t, &index, dest.path(), PROBE).await;
    assert!(!out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("(from versions: none)"),
        "{}",
        text(&out)
    );
    assert_eq!(get(&file_url(&sb, "0.2.0"), &token).await.0, 200);
    let (status, _) = get(&format!("{index}{PROBE}/"), &token).await;
    assert_eq!(status, 404, "a project with no listed version has no page");

    // Disposed: gone for good.
    ca(&sb)
        .dispose_package_versions()
        .domain(DOMAIN)
        .repository(REPO)
        .format(PackageFormat::Pypi)
        .package(PROBE)
        .versions("0.2.0")
        .send()
        .await
        .unwrap();
    assert_eq!(get(&file_url(&sb, "0.2.0"), &token).await.0, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twine_cannot_republish_a_version_that_is_still_present() {
    let Some(t) = tools() else { return };
    let sb = common::start_sandbox("complete").await;
    let token = token_of(&ca(&sb)).await;
    let ep = endpoint(&sb, REPO).await;
    let dir = tempfile::tempdir().unwrap();
    let first = probe_file(dir.path(), "1.0.0", "first");
    let out = twine_upload(&t, &ep, &token, &first).await;
    assert!(out.status.success(), "{}", text(&out));

    set_status(&sb, "1.0.0", PackageVersionStatus::Archived).await;
    let rebuilt = tempfile::tempdir().unwrap();
    let out = twine_upload(
        &t,
        &ep,
        &token,
        &probe_file(rebuilt.path(), "1.0.0", "again"),
    )
    .await;
    assert!(!out.status.success(), "{}", text(&out));
    assert!(
        squashed(&out).contains(&format!("HTTPError: 409 Conflict from {ep}")),
        "{}",
        text(&out)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn origin_controls_refuse_twine_and_hide_upstream_packages_from_pip() {
    let Some(t) = tools() else { return };
    let sb = common::start_sandbox("complete").await;
    let token = token_of(&ca(&sb)).await;
    let ep = endpoint(&sb, REPO).await;
    let index = simple_url(&ep, &token);
    let dir = tempfile::tempdir().unwrap();

    // publish: BLOCK — twine's upload is a 403.
    origin_controls(&sb, PROBE, "BLOCK", "ALLOW").await;
    let out = twine_upload(&t, &ep, &token, &probe_file(dir.path(), "0.0.1", "p")).await;
    assert!(!out.status.success(), "{}", text(&out));
    assert!(
        squashed(&out).contains(&format!("HTTPError: 403 Forbidden from {ep}")),
        "{}",
        text(&out)
    );

    // upstream: BLOCK — a public package is not found through the repository, only upstream.
    origin_controls(&sb, "six", "ALLOW", "BLOCK").await;
    let dest = tempfile::tempdir().unwrap();
    let out = pip_download(&t, &index, dest.path(), "six").await;
    assert!(!out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("No matching distribution found for six"),
        "{}",
        text(&out)
    );
    let store = simple_url(&endpoint(&sb, STORE).await, &token);
    let out = pip_download(&t, &store, dest.path(), "six").await;
    assert!(out.status.success(), "{}", text(&out));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pip_takes_any_spelling_while_the_api_takes_the_normalised_name() {
    let Some(t) = tools() else { return };
    let sb = common::start_sandbox("complete").await;
    let token = token_of(&ca(&sb)).await;
    let ep = endpoint(&sb, REPO).await;
    let dir = tempfile::tempdir().unwrap();
    let out = twine_upload(&t, &ep, &token, &probe_file(dir.path(), "0.5.0", "p")).await;
    assert!(out.status.success(), "{}", text(&out));
    let dest = tempfile::tempdir().unwrap();
    let out = pip_download(
        &t,
        &simple_url(&ep, &token),
        dest.path(),
        "Widgets_Cawiz.Probe",
    )
    .await;
    assert!(out.status.success(), "{}", text(&out));

    let describe = |package: &'static str| {
        ca(&sb)
            .describe_package_version()
            .domain(DOMAIN)
            .repository(REPO)
            .format(PackageFormat::Pypi)
            .package(package)
            .package_version("0.5.0")
            .send()
    };
    assert!(describe(PROBE).await.is_ok());
    assert_eq!(
        crate::err(describe("Widgets_Cawiz.Probe").await).0,
        "ResourceNotFoundException"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_expired_early_is_refused_like_any_expired_token() {
    let Some(t) = tools() else { return };
    let sb = common::start_sandbox("complete").await;
    let token = token_of(&ca(&sb)).await;
    let index = simple_url(&endpoint(&sb, REPO).await, &token);
    assert_eq!(get(&index, &token).await.0, 200);
    assert!(sb.expire_authorization_token(&token));
    assert!(!sb.expire_authorization_token("cawizsbx.never-issued"));
    let dest = tempfile::tempdir().unwrap();
    let out = pip_download(&t, &index, dest.path(), "six").await;
    assert!(!out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("401"), "{}", text(&out));

    let fresh = token_of(&ca(&sb)).await;
    assert_eq!(
        get(&simple_url(&endpoint(&sb, REPO).await, &fresh), &fresh)
            .await
            .0,
        200
    );
    assert_eq!(sb.expire_authorization_tokens(), 2);
    assert_eq!(
        get(&simple_url(&endpoint(&sb, REPO).await, &fresh), &fresh)
            .await
            .0,
        401
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_public_package_fetched_through_pip_blocks_publishing_then_its_versions_conflict() {
    let Some(t) = tools() else { return };
    let sb = common::start_sandbox("complete").await;
    let token = token_of(&ca(&sb)).await;
    let ep = endpoint(&sb, REPO).await;
    let dest = tempfile::tempdir().unwrap();
    let out = pip_download(
        &t,
        &simple_url(&ep, &token),
        dest.path(),
        "cawiz-demo-greeting",
    )
    .await;
    assert!(out.status.success(), "{}", text(&out));

    // Retained with the origin controls of a package that came from upstream, as EXTERNAL.
    let described = ca(&sb)
        .describe_package()
        .domain(DOMAIN)
        .repository(REPO)
        .format(PackageFormat::Pypi)
        .package("cawiz-demo-greeting")
        .send()
        .await
        .unwrap();
    let restrictions = described
        .package()
        .and_then(|p| p.origin_configuration())
        .and_then(|o| o.restrictions())
        .unwrap();
    assert_eq!(
        (
            restrictions.publish().as_str(),
            restrictions.upstream().as_str()
        ),
        ("BLOCK", "ALLOW")
    );
    let listed = ca(&sb)
        .list_package_versions()
        .domain(DOMAIN)
        .repository(REPO)
        .format(PackageFormat::Pypi)
        .package("cawiz-demo-greeting")
        .send()
        .await
        .unwrap();
    let v = &listed.versions()[0];
    assert_eq!(v.version(), "1.1.0");
    let origin = v.origin().unwrap();
    assert_eq!(origin.origin_type().map(|o| o.as_str()), Some("EXTERNAL"));
    assert_eq!(
        origin
            .domain_entry_point()
            .and_then(|e| e.external_connection_name()),
        Some("public:pypi")
    );

    let dir = tempfile::tempdir().unwrap();
    let wheel = |version: &str| {
        let w = cawiz_sandbox::wheel::build_simple("cawiz-demo-greeting", version, "ours").unwrap();
        let path = dir.path().join(&w.filename);
        std::fs::write(&path, &w.bytes).unwrap();
        path
    };
    let out = twine_upload(&t, &ep, &token, &wheel("1.1.0")).await;
    assert!(
        squashed(&out).contains(&format!("HTTPError: 403 Forbidden from {ep}")),
        "origin-blocked: {}",
        text(&out)
    );
    origin_controls(&sb, "cawiz-demo-greeting", "ALLOW", "ALLOW").await;
    let out = twine_upload(&t, &ep, &token, &wheel("1.1.0")).await;
    assert!(
        squashed(&out).contains(&format!("HTTPError: 409 Conflict from {ep}")),
        "version-exists: {}",
        text(&out)
    );
    let out = twine_upload(&t, &ep, &token, &wheel("9.0.0")).await;
    assert!(out.status.success(), "{}", text(&out));
}
