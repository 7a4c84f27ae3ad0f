use super::*;

fn target(namespace: Option<&str>) -> NpmTarget {
    NpmTarget {
        domain: "octo-org".to_owned(),
        owner: "111122223333".to_owned(),
        region: "us-east-1".to_owned(),
        repository: "widgets".to_owned(),
        namespace: namespace.map(str::to_owned),
        endpoint: None,
    }
}

const THIS: &str =
    "https://octo-org-111122223333.d.codeartifact.us-east-1.amazonaws.com/npm/widgets/";

fn project(package_json: &str, npmrc: Option<&str>) -> NpmProject {
    NpmProject {
        package_json: Some(package_json.to_owned()),
        npmrc: npmrc.map(str::to_owned),
        npmrc_tracked: Some(true),
    }
}

fn causes(found: &[NpmFinding]) -> Vec<(&'static str, &'static str, usize)> {
    found.iter().map(|f| (f.cause, f.file, f.line)).collect()
}

#[test]
fn a_clean_project_has_no_finding() {
    let p = project(
        r#"{"name": "@octo-org/widgets", "version": "1.0.0"}"#,
        Some("@octo-org:registry=${CODEARTIFACT_URL}\n"),
    );
    assert_eq!(check(&p, &target(Some("octo-org"))), vec![]);
    let p = project(
        r#"{"name": "widgets"}"#,
        Some(&format!("registry={THIS}\n")),
    );
    assert_eq!(check(&p, &target(None)), vec![]);
    assert_eq!(check(&NpmProject::default(), &target(None)), vec![]);
}

#[test]
fn publish_config_to_npmjs_overrides_everything() {
    let text = "{\n  \"name\": \"widgets\",\n  \"publishConfig\": {\n    \"registry\": \"https://registry.npmjs.org/\"\n  }\n}\n";
    let found = check(
        &project(text, Some(&format!("registry={THIS}"))),
        &target(None),
    );
    assert_eq!(
        causes(&found),
        vec![("npm-registry-elsewhere", "package.json", 4)]
    );
    assert!(
        found[0].message.contains("registry.npmjs.org/"),
        "{}",
        found[0].message
    );
    assert!(found[0].fix.contains(THIS), "{}", found[0].fix);
}

#[test]
fn the_project_npmrc_decides_by_the_package_scope() {
    let rc = format!("registry={THIS}\n@octo-org:registry=https://npm.pkg.github.com/\n");
    let found = check(
        &project(r#"{"name": "@octo-org/widgets"}"#, Some(&rc)),
        &target(Some("octo-org")),
    );
    assert_eq!(
        causes(&found),
        vec![("npm-registry-elsewhere", ".npmrc", 2)]
    );
    // An unscoped package publishes to `registry=`: this repository.
    let found = check(&project(r#"{"name": "widgets"}"#, Some(&rc)), &target(None));
    assert_eq!(found, vec![]);
    let found = check(
        &project(
            r#"{"name": "widgets"}"#,
            Some("registry=https://registry.npmjs.org/"),
        ),
        &target(None),
    );
    assert_eq!(
        causes(&found),
        vec![("npm-registry-elsewhere", ".npmrc", 1)]
    );
}

#[test]
fn this_repository_without_the_final_slash_is_an_error() {
    let rc = format!("registry={}", THIS.trim_end_matches('/'));
    let found = check(&project(r#"{"name": "widgets"}"#, Some(&rc)), &target(None));
    assert_eq!(
        causes(&found),
        vec![("npm-registry-elsewhere", ".npmrc", 1)]
    );
    assert!(
        found[0].message.contains("final '/'"),
        "{}",
        found[0].message
    );
}

#[test]
fn the_sandbox_endpoint_counts_as_this_repository() {
    let mut t = target(None);
    t.endpoint = Some("http://127.0.0.1:4000/octo-org-111122223333/npm/widgets/".to_owned());
    let rc = "registry=http://127.0.0.1:4000/octo-org-111122223333/npm/widgets/\n";
    assert_eq!(
        check(&project(r#"{"name": "widgets"}"#, Some(rc)), &t),
        vec![]
    );
    // Another repository of the same domain is elsewhere.
    let rc =
        "registry=https://octo-org-111122223333.d.codeartifact.us-east-1.amazonaws.com/npm/other/";
    let found = check(&project(r#"{"name": "widgets"}"#, Some(rc)), &t);
    assert_eq!(
        causes(&found),
        vec![("npm-registry-elsewhere", ".npmrc", 1)]
    );
}

#[test]
fn a_scope_other_than_the_namespace_is_denied() {
    let text = "{\n  \"name\": \"@someone/widgets\"\n}";
    let found = check(&project(text, None), &target(Some("octo-org")));
    assert_eq!(
        causes(&found),
        vec![("npm-scope-namespace", "package.json", 2)]
    );
    assert!(
        found[0]
            .message
            .contains("package/octo-org/widgets/npm/octo-org/*")
    );
    let found = check(
        &project(r#"{"name": "widgets"}"#, None),
        &target(Some("octo-org")),
    );
    assert_eq!(
        causes(&found),
        vec![("npm-scope-namespace", "package.json", 1)]
    );
    assert!(found[0].message.contains("has no scope"));
    // Without a namespace the policy covers every scope.
    assert_eq!(check(&project(text, None), &target(None)), vec![]);
}

#[test]
fn a_literal_token_is_flagged_without_repeating_it() {
    let rc = "//octo-org-111122223333.d.codeartifact.us-east-1.amazonaws.com/npm/widgets/:_authToken=eyJsecret\n\
              //registry.npmjs.org/:_authToken=${NPM_TOKEN}\n_auth=dXNlcjpwYXNz\nalways-auth=true\n";
    let found = check(&project(r#"{"name": "widgets"}"#, Some(rc)), &target(None));
    assert_eq!(
        causes(&found),
        vec![
            ("npm-token-config", ".npmrc", 1),
            ("npm-token-config", ".npmrc", 3),
            ("npm-token-config", ".npmrc", 4),
        ]
    );
    assert_eq!(found[2].level, Level::Warning);
    for f in &found {
        assert!(!f.message.contains("eyJsecret") && !f.fix.contains("eyJsecret"));
        assert!(!f.message.contains("dXNlcjpwYXNz"));
    }
    assert!(found[0].message.contains("committed .npmrc"));
    assert!(
        found[0].fix.contains("_authToken=${NODE_AUTH_TOKEN}"),
        "{}",
        found[0].fix
    );
}

#[test]
fn hostile_values_are_escaped() {
    let rc = "registry=https://evil.example/\u{1b}]0;x\u{7}/\n";
    let found = check(
        &project("{\"name\": \"@a\\u001b[2J/w\"}", Some(rc)),
        &target(Some("b")),
    );
    assert!(!found.is_empty());
    for f in &found {
        assert!(
            !f.message.chars().any(|c| c.is_control()),
            "{:?}",
            f.message
        );
    }
}

#[test]
fn comments_and_quotes_follow_ini_rules() {
    let rc = "; registry=https://registry.npmjs.org/\n# _authToken=abc\nregistry = \"https://registry.npmjs.org/\"\n";
    let found = check(&project(r#"{"name": "widgets"}"#, Some(rc)), &target(None));
    assert_eq!(
        causes(&found),
        vec![("npm-registry-elsewhere", ".npmrc", 3)]
    );
}

#[test]
fn only_a_valid_name_is_put_in_an_arn() {
    assert_eq!(
        package_name(r#"{"name": "@octo-org/widgets"}"#).as_deref(),
        Some("@octo-org/widgets")
    );
    assert_eq!(
        package_name(r#"{"name": "widgets"}"#).as_deref(),
        Some("widgets")
    );
    for bad in [
        r#"{"name": "@Octo/w"}"#,
        r#"{"name": "w*"}"#,
        r#"{"name": ""}"#,
        "{}",
        "x",
    ] {
        assert_eq!(package_name(bad), None, "{bad}");
    }
}

#[test]
fn a_scoped_package_without_its_scope_line_is_told_to_add_it() {
    let found = check(
        &project(
            r#"{"name": "@octo-org/widgets"}"#,
            Some("registry=https://registry.npmjs.org/\n"),
        ),
        &target(Some("octo-org")),
    );
    assert_eq!(
        causes(&found),
        vec![("npm-registry-elsewhere", ".npmrc", 1)]
    );
    assert!(
        found[0].fix.contains(&format!("@octo-org:registry={THIS}")),
        "{}",
        found[0].fix
    );
    // With the scope line in place, npmjs as the default registry is fine.
    let rc = format!("registry=https://registry.npmjs.org/\n@octo-org:registry={THIS}\n");
    let found = check(
        &project(r#"{"name": "@octo-org/widgets"}"#, Some(&rc)),
        &target(Some("octo-org")),
    );
    assert_eq!(found, vec![]);
}
