use super::*;

fn ok(field: Field, good: &[&str], bad: &[&str]) {
    for v in good {
        assert_eq!(
            validate(field, v),
            Ok(()),
            "{field} {v:?} should be accepted"
        );
    }
    for v in bad {
        let err = validate(field, v).expect_err(&format!("{field} {v:?} should be rejected"));
        assert_eq!(err.field, field);
        assert!(err.to_string().starts_with(&format!("{field} ")), "{err}");
    }
}

#[test]
fn naming_rules() {
    ok(
        Field::Region,
        &[
            "us-east-1",
            "eu-west-3",
            "us-gov-west-1",
            "us-iso-east-1",
            "us-isob-east-1",
        ],
        &[
            "US-EAST-1",
            "us-east",
            "useast1",
            "",
            "us-east-12",
            "us-east-١",
        ],
    );
    ok(
        Field::AccountId,
        &["123456789012"],
        &[
            "12345678901",
            "1234567890123",
            "12345678901a",
            "",
            "١٢٣٤٥٦٧٨٩٠١٢",
        ],
    );
    ok(
        Field::Domain,
        &["my-domain", "ab", "octo-org", &"a".repeat(50)],
        &[
            "a",
            "My-domain",
            "1domain",
            "domain-",
            "dom_ain",
            &"a".repeat(51),
        ],
    );
    ok(
        Field::Repository,
        &["widgets", "Py.Store_1-x", "ab", &"r".repeat(100)],
        &[
            "w",
            "-widgets",
            ".widgets",
            "wid gets",
            "wid/gets",
            &"r".repeat(101),
        ],
    );
    ok(
        Field::ExternalConnection,
        &["public:pypi", "public:npmjs"],
        &["pypi", "public:PyPI", ""],
    );
    ok(
        Field::GithubOwner,
        &["octo-org", "a", "Octo0", &"o".repeat(39)],
        &["-octo", "octo_org", "", &"o".repeat(40)],
    );
    ok(
        Field::GithubRepo,
        &["widgets", "my.repo_name-2", "a"],
        &["", "my repo", "a/b", ".", ".."],
    );
    ok(
        Field::Branch,
        &["main", "release/1.x", "feature-x"],
        &["", "a..b", "a b", "x:y", "/main", "main.lock"],
    );
    ok(
        Field::Environment,
        &["production", "pypi release"],
        &["", "a:b"],
    );
    ok(
        Field::RoleName,
        &["GitHubActions-CodeArtifact", "a+b=c,d.e@f_g-h"],
        &["", "has space", "a/b", "rôle", &"r".repeat(65)],
    );
    ok(
        Field::PolicyName,
        &["CodeArtifact-Publish-Policy", &"p".repeat(128)],
        &["", "no*", &"p".repeat(129)],
    );
    ok(
        Field::PackageName,
        &[
            "six",
            "a",
            "Z9",
            "My_Pkg",
            "zope.interface",
            "widgets-cawiz-probe",
            "A1-b_2.c3",
        ],
        &[
            "",
            "--log=/tmp/x",
            "-r",
            "-",
            "pkg-",
            "_pkg",
            ".pkg",
            "a b",
            "six==1.0",
            "six[extra]",
            "six;python_version<'4'",
            "./six",
            "six\n--log=x",
            "pàckage",
        ],
    );
}

#[test]
fn github_remotes() {
    let expected = Some(("octo-org".to_owned(), "widgets".to_owned()));
    for url in [
        "https://github.com/octo-org/widgets.git",
        "https://github.com/octo-org/widgets",
        "https://github.com/octo-org/widgets/",
        "https://user@github.com/octo-org/widgets.git",
        "git@github.com:octo-org/widgets.git",
        "git@github.com:octo-org/widgets",
        "ssh://git@github.com/octo-org/widgets.git",
        "ssh://git@github.example.com:2222/octo-org/widgets",
        "  https://github.com/octo-org/widgets.git\n",
    ] {
        assert_eq!(parse_github_remote(url), expected, "{url}");
    }
    for url in [
        "",
        "/local/path/repo",
        "https://github.com/octo-org",
        "https://github.com/a/b/c",
        "file:///x",
    ] {
        assert_eq!(parse_github_remote(url), None, "{url}");
    }
}

#[test]
fn defaults_follow_the_spec_and_validate() {
    let s = Setup::for_github("Octo-Org", "widgets");
    assert_eq!(s.domain, "octo-org");
    assert_eq!(s.upstreams(), vec!["pypi-store"]);
    assert_eq!(s.formats, vec![crate::format::FormatSetup::pypi()]);
    assert_eq!(s.role_name, "GitHubActions-CodeArtifact");
    assert_eq!(s.validate(), vec![]);
    assert_eq!(s.slug(), "octo-org-widgets");
}

#[test]
fn every_broken_field_is_reported() {
    let mut s = Setup::for_github("octo", "widgets");
    s.region = "mars-1".into();
    s.formats[0].upstream = Some("widgets".into());
    s.scope = SubjectScope::Branch("bad branch".into());
    let fields: Vec<Field> = s.validate().iter().map(|e| e.field).collect();
    assert_eq!(fields, vec![Field::Region, Field::Branch, Field::Upstream]);
}

#[test]
fn scope_suffixes() {
    assert_eq!(SubjectScope::AllRefs.suffix(), "*");
    assert_eq!(
        SubjectScope::Branch("main".into()).suffix(),
        "ref:refs/heads/main"
    );
    assert_eq!(SubjectScope::Tags.suffix(), "ref:refs/tags/*");
    assert_eq!(SubjectScope::PullRequests.suffix(), "pull_request");
    assert_eq!(
        SubjectScope::Environment("prod".into()).suffix(),
        "environment:prod"
    );
}

/// A valid value of each field (the scope as typed).
const GOOD: &[(Field, &str)] = &[
    (Field::Profile, "dev"),
    (Field::Region, "us-east-1"),
    (Field::AccountId, "123456789012"),
    (Field::Domain, "octo-org"),
    (Field::Repository, "widgets"),
    (Field::Upstream, "pypi-store"),
    (Field::ExternalConnection, "public:pypi"),
    (Field::GithubOwner, "octo-org"),
    (Field::GithubRepo, "widgets"),
    (Field::Branch, "main"),
    (Field::Environment, "prod"),
    (Field::Scope, "environment:prod"),
    (Field::RoleName, "GitHubActions-CodeArtifact"),
    (Field::PolicyName, "CodeArtifact-Publish-Policy"),
];

#[test]
fn control_characters_are_refused_in_every_field() {
    for (field, good) in GOOD {
        assert_eq!(validate(*field, good), Ok(()), "{field} {good:?}");
        for hostile in [
            "\n",
            "\ntouch PWNED\n",
            "\x1b]0;t\x07",
            "\r",
            "\u{7f}",
            "\u{9b}",
            "\u{202e}",
        ] {
            for value in [format!("{good}{hostile}"), format!("{hostile}{good}")] {
                let err = validate(*field, &value)
                    .expect_err(&format!("{field} {value:?} should be refused"));
                let shown = err.to_string();
                assert!(!shown.chars().any(crate::escape::is_unsafe), "{shown:?}");
            }
        }
    }
    let err = parse_scope("environment:x\n      - run: curl evil").expect_err("refused");
    assert_eq!(err.field, Field::Environment);
    assert!(err.rule.contains("control characters"), "{err}");
}

#[test]
fn branches_follow_git_check_ref_format() {
    ok(
        Field::Branch,
        &[
            "main",
            "release/1.x",
            "feature-x",
            "a.b/c@d",
            "naïve",
            "v1.2",
        ],
        &[
            "a/.hidden",
            ".hidden",
            "a//b",
            "main.",
            "a/b.lock/c",
            "a@{1}",
            "@",
            "-x",
            "a\u{7f}b",
            "a\tb",
            "a~1",
            "a^b",
            "a?b",
            "a*b",
            "a[b",
            "a\\b",
        ],
    );
    let err = validate(Field::Branch, "a//b").expect_err("refused");
    assert!(err.rule.contains("git check-ref-format"), "{err}");
}

#[test]
fn environments_follow_github() {
    ok(
        Field::Environment,
        &["production", "pypi release", "team/prod", &"e".repeat(255)],
        &["", "a:b", &"e".repeat(256), "pro\u{85}d", "prod\u{2066}"],
    );
}

#[test]
fn notify_values_are_validated_at_the_field() {
    let mut s = Setup::for_github("octo-org", "widgets");
    assert!(s.notify.is_empty(), "no notifications by default");
    s.notify = vec![
        "https://hooks.example.com/x".into(),
        "http://127.0.0.1:8080/hook".into(),
        "http://localhost/hook".into(),
        "email:team@example.com".into(),
        "sns:arn:aws:sns:us-east-1:123456789012:builds".into(),
    ];
    assert_eq!(s.validate(), vec![]);
    for bad in [
        "http://example.com/hook",
        "email:nobody",
        "sns:arn:aws:sqs:us-east-1:123456789012:q",
        "https://x\u{1b}]0;t",
        "ftp://x",
    ] {
        s.notify = vec![bad.into()];
        let errors = s.validate();
        assert_eq!(errors.len(), 1, "{bad:?}");
        assert_eq!(errors[0].field, Field::Notify, "{bad:?}");
        assert!(!errors[0].rule.is_empty());
    }
    assert_eq!(
        parse_notify(
            "https://a.example.com/, email:b@example.com  sns:arn:aws:sns:us-east-1:123456789012:t"
        ),
        Ok(vec![
            "https://a.example.com/".to_owned(),
            "email:b@example.com".to_owned(),
            "sns:arn:aws:sns:us-east-1:123456789012:t".to_owned()
        ])
    );
    assert_eq!(parse_notify(""), Ok(vec![]));
    let err = parse_notify("email:b@example.com, http://10.0.0.1/").unwrap_err();
    assert_eq!(err.field, Field::Notify);
    assert!(err.rule.contains("127.0.0.1"), "{}", err.rule);
}

#[test]
fn consumers_are_accounts_or_an_organisation_never_our_own() {
    use super::Consumer;
    let own = Some("123456789012");
    assert_eq!(
        parse_account("222233334444", own),
        Ok(Consumer::Account("222233334444".into()))
    );
    for (bad, needle) in [
        ("123456789012", "own account"),
        ("12345", "12 digits"),
        ("o-a1b2c3d4e5", "--consumer-org"),
        ("2222\u{1b}33334444", "control characters"),
    ] {
        let err = parse_account(bad, own).expect_err(bad);
        assert_eq!(err.field, Field::Consumers);
        assert!(err.rule.contains(needle), "{bad}: {err}");
    }
    assert!(parse_org("o-a1b2c3d4e5").is_ok());
    for bad in [
        "o-short",
        "o-A1B2C3D4E5",
        "222233334444",
        &format!("o-{}", "a".repeat(33)),
    ] {
        let err = parse_org(bad).expect_err(bad);
        assert!(err.rule.contains("^o-[a-z0-9]{10,32}$"), "{bad}: {err}");
    }
    assert_eq!(
        parse_consumers("222233334444, o-a1b2c3d4e5 555566667777", own).map(|c| c.len()),
        Ok(3)
    );
    assert!(parse_consumers("222233334444,222233334444", own).is_err());
    assert_eq!(parse_consumers("  ", own), Ok(vec![]));
    // The setup refuses its own account as a consumer once the account is known.
    let mut setup = Setup::for_github("octo-org", "widgets");
    setup.account_id = own.map(str::to_owned);
    setup.consumers = vec![Consumer::Account("123456789012".into())];
    assert!(setup.validate().iter().any(|e| e.field == Field::Consumers));
    setup.consumers = vec![Consumer::Account("222233334444".into())];
    assert!(setup.validate().is_empty(), "{:?}", setup.validate());
}
