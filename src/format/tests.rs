use super::*;
use crate::setup::{Field, Setup};

#[test]
fn formats_parse_with_clients_and_namespaces_and_read_back() {
    let formats = parse_formats("pypi:uv, npm@octo-org", &[]).expect("valid");
    assert_eq!(formats.len(), 2);
    assert_eq!(formats[0].format, Format::Pypi);
    assert_eq!(formats[0].client, Client::Uv);
    assert_eq!(formats[0].upstream.as_deref(), Some("pypi-store"));
    assert_eq!(formats[1].client, Client::Npm);
    assert_eq!(formats[1].upstream.as_deref(), Some("npm-store"));
    assert_eq!(
        formats[1].external_connection.as_deref(),
        Some("public:npmjs")
    );
    assert_eq!(formats[1].namespace.as_deref(), Some("octo-org"));
    assert_eq!(formats_text(&formats), "pypi:uv, npm@octo-org");
    assert_eq!(parse_formats(&formats_text(&formats), &[]), Ok(formats));
    assert_eq!(
        parse_formats("pypi:twine", &[]).map(|f| f[0].client),
        Ok(Client::Twine)
    );
}

#[test]
fn bad_formats_are_refused_with_the_rule() {
    for (text, field, rule) in [
        ("", Field::Formats, "at least one format"),
        ("rubygems", Field::Formats, "one of CodeArtifact's"),
        ("maven", Field::Formats, "not supported yet"),
        (
            "npm:uv",
            Field::Formats,
            "the clients of npm are npm, pnpm, yarn",
        ),
        ("pypi, pypi:uv", Field::Formats, "listed twice"),
        ("npm@Octo", Field::Namespace, "lower-case"),
        ("pypi@x", Field::Namespace, "no namespace"),
        ("pypi\u{1b}]0;x", Field::Formats, "control characters"),
    ] {
        let e = parse_formats(text, &[]).expect_err(text);
        assert_eq!(e.field, field, "{text}: {e}");
        assert!(e.rule.contains(rule), "{text}: {e}");
    }
}

#[test]
fn a_previous_entry_keeps_its_upstream() {
    let previous = with_upstreams(&[FormatSetup::pypi()], "py-proxy", "widgets").expect("valid");
    let formats = parse_formats("pypi:poetry, npm", &previous).expect("valid");
    assert_eq!(formats[0].upstream.as_deref(), Some("py-proxy"));
    assert_eq!(formats[0].client, Client::Poetry);
    assert_eq!(upstreams_text(&formats), "py-proxy, npm-store");
}

#[test]
fn upstreams_are_one_per_format_and_never_the_repository() {
    let formats = parse_formats("pypi, npm", &[]).expect("valid");
    let e = with_upstreams(&formats, "pypi-store", "widgets").expect_err("one missing");
    assert!(e.rule.contains("2 (pypi, npm)"), "{e}");
    let e = with_upstreams(&formats, "pypi-store, widgets", "widgets").expect_err("itself");
    assert!(e.rule.contains("must differ"), "{e}");
    let e = with_connections(&formats, "public:pypi, public:pypi").expect_err("wrong");
    assert!(
        e.rule.contains("npm upstreams connect to public:npmjs"),
        "{e}"
    );
    let mut setup = Setup::for_github("octo-org", "widgets");
    setup.formats = with_upstreams(&formats, "store, store", "widgets").expect("names valid");
    let errors = setup.validate();
    assert!(
        errors.iter().any(|e| e.rule.contains("its own upstream")),
        "{errors:?}"
    );
}

#[test]
fn detection_finds_each_project_and_defaults_to_pypi() {
    let dir = tempfile::tempdir().expect("tempdir");
    assert_eq!(detect_formats(dir.path()), vec![FormatSetup::pypi()]);
    std::fs::write(dir.path().join("package.json"), r#"{"name":"@octo-org/w"}"#).expect("write");
    let found = detect_formats(dir.path());
    assert_eq!(formats_text(&found), "npm@octo-org");
    std::fs::write(dir.path().join("pyproject.toml"), "[project]\nname='w'\n").expect("write");
    std::fs::write(dir.path().join("uv.lock"), "").expect("write");
    assert_eq!(
        formats_text(&detect_formats(dir.path())),
        "pypi:uv, npm@octo-org"
    );
}

#[test]
fn a_state_entry_of_an_unsupported_format_or_client_is_refused() {
    let ok: FormatSetup =
        serde_json::from_str(r#"{"format":"npm","client":"pnpm","upstream":"npm-store"}"#)
            .expect("valid");
    assert_eq!(ok.client, Client::Pnpm);
    for bad in [
        r#"{"format":"maven","client":"mvn"}"#,
        r#"{"format":"npm","client":"uv"}"#,
        r#"{"format":"pypi","client":"cargo-publish"}"#,
    ] {
        assert!(serde_json::from_str::<FormatSetup>(bad).is_err(), "{bad}");
    }
}
