use super::process::{Invocation, Outcome, one_line, strip_ansi};
use super::steps::with_hint;
use super::tools::{dist_name_version, module_name, normalize_name, probe_name};
use super::*;
use crate::shell::shell_quote;

const TOKEN: &str = "eyJ2ZXIiOjEsImlzdSI6MTc.abc+def/ghi=";

fn token() -> Secret {
    Secret::new(TOKEN)
}

#[test]
fn secret_never_prints_itself() {
    let s = token();
    assert_eq!(format!("{s}"), "****");
    assert_eq!(format!("{s:?}"), "****");
    assert_eq!(s.expose(), TOKEN);
    let target = Target {
        endpoint: "https://x/".into(),
        token: s,
        expires_at: None,
        repository: "r".into(),
    };
    assert!(!format!("{target:?}").contains(TOKEN));
}

#[test]
fn mask_replaces_raw_encoded_and_basic_forms() {
    let t = token();
    let encoded = urlencoding::encode(TOKEN).into_owned();
    assert_ne!(encoded, TOKEN);
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("aws:{TOKEN}"));
    let text = format!("a {TOKEN} b {encoded} c Basic {basic} d");
    assert_eq!(mask(&text, &t), "a **** b **** c Basic **** d");
    assert_eq!(mask("nothing here", &t), "nothing here");
    assert_eq!(mask("keep", &Secret::new("")), "keep");
}

#[test]
fn index_urls_insert_credentials_after_the_scheme() {
    let t = Secret::new("tok");
    let aws = "https://octo-org-123456789012.d.codeartifact.us-east-1.amazonaws.com/pypi/widgets/";
    assert_eq!(
        index_url(aws, &t),
        "https://aws:tok@octo-org-123456789012.d.codeartifact.us-east-1.amazonaws.com/pypi/widgets/simple/"
    );
    assert_eq!(
        masked_index_url(aws),
        "https://aws:****@octo-org-123456789012.d.codeartifact.us-east-1.amazonaws.com/pypi/widgets/simple/"
    );
    let sandbox = "http://127.0.0.1:4000/octo-org-123456789012/pypi/widgets";
    assert_eq!(
        index_url(sandbox, &t),
        "http://aws:tok@127.0.0.1:4000/octo-org-123456789012/pypi/widgets/simple/"
    );
    // A token with URL-reserved characters is percent-encoded, and masking still hides it.
    let url = index_url(aws, &token());
    assert!(!url.contains(TOKEN));
    assert_eq!(mask(&url, &token()), masked_index_url(aws));
}

#[test]
fn expiry_counts_down_and_up() {
    let now = 1_000_000;
    assert_eq!(
        expiry_text(Some(now + 12 * 3600 - 60), now),
        "expires in 11 h 59 min"
    );
    assert_eq!(expiry_text(Some(now + 12 * 3600), now), "expires in 12 h");
    assert_eq!(expiry_text(Some(now + 125), now), "expires in 2 min");
    assert_eq!(expiry_text(Some(now + 42), now), "expires in 42 s");
    assert_eq!(expiry_text(Some(now), now), "expires now");
    assert_eq!(expiry_text(Some(now - 180), now), "expired 3 min ago");
    assert_eq!(expiry_text(Some(now - 3700), now), "expired 1 h 1 min ago");
    assert_eq!(expiry_text(None, now), "expiry unknown");
}

#[test]
fn pip_config_warning_names_the_expiry_and_hides_the_token() {
    let target = Target {
        endpoint: "https://h/pypi/r/".into(),
        token: token(),
        expires_at: Some(3600 * 12),
        repository: "r".into(),
    };
    let w = pip_config_warning(&target, 0);
    assert!(w.contains("expires in 12 h"), "{w}");
    assert!(w.contains("https://aws:****@h/pypi/r/simple/"), "{w}");
    assert!(!w.contains(TOKEN));
}

#[test]
fn names_are_normalised_like_pep_503() {
    assert_eq!(normalize_name("Cawiz_Demo..Colors"), "cawiz-demo-colors");
    assert_eq!(probe_name("widgets"), "widgets-cawiz-probe");
    assert_eq!(probe_name("My.Repo__x"), "my-repo-x-cawiz-probe");
    assert_eq!(
        module_name("my-repo-x-cawiz-probe"),
        "my_repo_x_cawiz_probe"
    );
}

#[test]
fn distribution_file_names_give_name_and_version() {
    let cases = [
        ("six-1.17.0-py2.py3-none-any.whl", Some(("six", "1.17.0"))),
        (
            "cawiz_demo_colors-0.3.0-1-py3-none-any.whl",
            Some(("cawiz-demo-colors", "0.3.0")),
        ),
        ("my-pkg-1.0.tar.gz", Some(("my-pkg", "1.0"))),
        ("my_pkg-2.0rc1.zip", Some(("my-pkg", "2.0rc1"))),
        ("README.md", None),
        ("broken.whl", None),
        ("noversion.tar.gz", None),
        // Names and versions that would be options or requirement syntax in `pip install`.
        ("--log=x-1.0.tar.gz", None),
        ("x;evil-1.0.tar.gz", None),
        ("six-1.0 --log=x.tar.gz", None),
        ("six-1.0;extra.zip", None),
    ];
    for (file, want) in cases {
        let want = want.map(|(n, v)| (n.to_owned(), v.to_owned()));
        assert_eq!(dist_name_version(file), want, "{file}");
    }
}

#[test]
fn commands_are_shell_quoted_and_masked() {
    assert_eq!(shell_quote("plain/path-1.0"), "plain/path-1.0");
    assert_eq!(shell_quote("a b"), "'a b'");
    assert_eq!(shell_quote("it's"), r"'it'\''s'");
    assert_eq!(shell_quote(""), "''");
    let t = Secret::new("tok");
    let inv = Invocation::new("/usr/bin/python3")
        .args(["-m", "pip", "download", "six"])
        .env("PIP_INDEX_URL", index_url("https://h/pypi/r/", &t));
    assert_eq!(
        inv.display(&t),
        "PIP_INDEX_URL='https://aws:****@h/pypi/r/simple/' /usr/bin/python3 -m pip download six"
    );
    let inv = Invocation::new("twine")
        .env("TWINE_PASSWORD", t.expose())
        .arg("upload");
    assert_eq!(inv.display(&t), "TWINE_PASSWORD='****' twine upload");
}

fn outcome(stderr: &[&str]) -> Outcome {
    Outcome {
        success: false,
        status: "exit status: 1".into(),
        stderr: stderr.iter().map(|s| (*s).to_owned()).collect(),
        ..Outcome::default()
    }
}

#[test]
fn failure_detail_is_the_last_error_and_keeps_an_earlier_auth_failure() {
    let o = outcome(&[
        "WARNING: 401 Error, Credentials not correct for http://h/simple/six/",
        "ERROR: Could not find a version that satisfies the requirement six (from versions: none)",
        "ERROR: No matching distribution found for six",
        "",
    ]);
    assert_eq!(
        o.failure_detail(),
        "401 Error, Credentials not correct for http://h/simple/six/; No matching distribution found for six"
    );
    let o = outcome(&["ERROR    HTTPError: 409 Conflict from http://h/"]);
    assert_eq!(o.failure_detail(), "HTTPError: 409 Conflict from http://h/");
    // twine writes to stdout, the response body indented under the error.
    let o = Outcome {
        stdout: [
            "Uploading x-1.0-py3-none-any.whl",
            "WARNING  Error during upload. Retry with the --verbose option for more details.",
            "ERROR    HTTPError: 403 Forbidden from https://h/pypi/r/",
            "         Forbidden",
            "",
            "trailing noise",
        ]
        .map(String::from)
        .to_vec(),
        ..outcome(&[])
    };
    assert_eq!(
        o.failure_detail(),
        "HTTPError: 403 Forbidden from https://h/pypi/r/: Forbidden"
    );
    assert_eq!(
        outcome(&[]).failure_detail(),
        "failed (exit status: 1) without output"
    );
    let o = Outcome {
        timed_out: true,
        ..outcome(&["x"])
    };
    assert!(o.failure_detail().starts_with("timed out"));
}

#[test]
fn hints_explain_http_statuses() {
    assert!(with_hint("HTTPError: 401 Unauthorized").contains("expired"));
    assert!(with_hint("HTTPError: 409 Conflict").contains("bump the version"));
    assert!(with_hint("No matching distribution found for x").contains("upstream"));
    assert_eq!(with_hint("something else"), "something else");
    // A loopback port holding 401, 403 or 409 is not a status.
    for port in ["37401", "37403", "14090"] {
        let detail = format!(
            "Looking in indexes: http://aws:****@127.0.0.1:{port}/d/pypi/r/simple/; \
             No matching distribution found for x"
        );
        assert!(
            with_hint(&detail).contains("check the upstream"),
            "{detail}"
        );
    }
    assert!(with_hint("ERROR: HTTP error 403 while getting").contains("permission"));
}

#[test]
fn one_line_flattens_and_truncates() {
    assert_eq!(one_line("a\n  b\tc", 10), "a b c");
    assert_eq!(one_line("abcdefghij", 5), "abcd…");
}

#[test]
fn report_passes_only_when_every_step_passed() {
    let step = |ok| StepResult {
        kind: StepKind::PipDownload,
        ok,
        command: String::new(),
        detail: String::new(),
    };
    assert!(!Report::default().passed());
    let mut r = Report {
        steps: vec![step(true)],
        ..Report::default()
    };
    assert!(r.passed());
    r.steps.push(step(false));
    assert!(!r.passed());
    let json = serde_json::to_value(&r.steps[0]).unwrap();
    assert_eq!(json["kind"], "pip_download");
}

#[test]
fn default_options_download_six_without_publishing() {
    let o = Options::default();
    assert_eq!(o.package, DEFAULT_PACKAGE);
    assert!(!o.publish && o.dist_dir.is_none() && o.python.is_none() && o.twine.is_none());
}

#[test]
fn terminal_escapes_are_stripped() {
    assert_eq!(
        strip_ansi("\u{1b}[31mERROR   \u{1b}[0m HTTPError"),
        "ERROR    HTTPError"
    );
    assert_eq!(
        strip_ansi(
            "see \u{1b}]8;id=1;https://x\u{1b}\\link\u{1b}]8;;\u{1b}\\ and \u{1b}]0;t\u{7}end"
        ),
        "see link and end"
    );
    assert_eq!(strip_ansi("plain ✓"), "plain ✓");
}

#[test]
fn the_run_future_is_send() {
    fn assert_send<T: Send>(_: &T) {}
    let target = Target {
        endpoint: "https://h/pypi/r/".into(),
        token: token(),
        expires_at: None,
        repository: "r".into(),
    };
    let options = Options::default();
    let future = run(&target, &options, |_line| {});
    assert_send(&future);
    let future = write_pip_config(&target, None);
    assert_send(&future);
}
