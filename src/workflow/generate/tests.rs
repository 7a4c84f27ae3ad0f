use std::collections::BTreeMap;

use super::*;
use crate::policy::{SubjectRules, trust_policy};
use crate::workflow::lint::{LintContext, lint};
use crate::workflow::trust::{Trust, TrustSource};

/// Every scope the setup offers, and both auth methods.
pub fn setups() -> Vec<Setup> {
    let scopes = [
        SubjectScope::AllRefs,
        SubjectScope::Branch("main".into()),
        SubjectScope::Branch("release/v2".into()),
        SubjectScope::Tags,
        SubjectScope::PullRequests,
        SubjectScope::Environment("production".into()),
    ];
    let mut out = Vec::new();
    for scope in scopes {
        for auth in [AuthMethod::Oidc, AuthMethod::AccessKeys] {
            let mut s = Setup::for_github("octo-org", "widgets");
            s.scope = scope.clone();
            s.auth = auth;
            out.push(s);
        }
    }
    out
}

/// What the lint knows when the setup is applied as cawiz applies it.
fn applied(setup: &Setup) -> LintContext {
    let account = "123456789012";
    let role_arn = format!("arn:aws:iam::{account}:role/{}", setup.role_name);
    let rules = SubjectRules::classic(&setup.github_owner, &setup.github_repo);
    let doc = trust_policy(setup, account, &rules);
    let mut vars = BTreeMap::new();
    vars.insert("AWS_REGION".to_owned(), setup.region.clone());
    vars.insert("AWS_ROLE_ARN".to_owned(), role_arn.clone());
    LintContext {
        region: Some(setup.region.clone()),
        role_arn: Some(role_arn),
        variables: Some(crate::github::ActionsVariables::new(vars)),
        secrets: Some(vec![
            "AWS_ACCESS_KEY_ID".into(),
            "AWS_SECRET_ACCESS_KEY".into(),
        ]),
        trust: Some(Trust {
            rules: SubjectRules::classic(&setup.github_owner, &setup.github_repo),
            scope: setup.scope.clone(),
            document: doc,
            provider: crate::policy::oidc_provider_arn(&setup.region, account),
            source: TrustSource::Live {
                role: setup.role_name.clone(),
            },
        }),
        require_publish_job: true,
        auth: Some(setup.auth),
        ..LintContext::offline()
    }
}

#[test]
fn every_scope_and_auth_generates_a_clean_publishing_workflow() {
    let pins = Pins::shipped("test");
    for setup in setups() {
        let text = generate(&setup, &pins);
        let label = format!("{} {:?}", setup.scope, setup.auth);
        assert!(
            !text.contains("@@"),
            "{label}: a placeholder is left:\n{text}"
        );
        let result = lint(&text, &applied(&setup));
        assert_eq!(result.error, None, "{label}");
        assert!(result.publishes, "{label}: no publish job");
        assert!(
            result.findings.is_empty(),
            "{label}: {:#?}\n{text}",
            result.findings
        );
        for pin in &pins.pins {
            assert!(
                text.contains(&pin.uses()),
                "{label}: {} not pinned",
                pin.action
            );
        }
        assert!(text.contains("permissions: {}"), "{label}");
        assert!(text.contains("persist-credentials: false"), "{label}");
        assert!(!text.contains("--skip-existing"), "{label}");
        assert!(text.contains("widgets-cawiz-probe"), "{label}");
    }
}

#[test]
fn each_variant_says_what_the_scope_means() {
    let pins = Pins::shipped("test");
    let by_scope = |scope: SubjectScope, auth: AuthMethod| {
        let mut s = Setup::for_github("octo-org", "widgets");
        s.scope = scope;
        s.auth = auth;
        generate(&s, &pins)
    };
    let all = by_scope(SubjectScope::AllRefs, AuthMethod::Oidc);
    assert!(all.contains("  release:\n    types: [published]\n"));
    assert!(all.contains("id-token: write"));
    assert!(all.contains("role-to-assume: ${{ vars.AWS_ROLE_ARN }}"));
    let branch = by_scope(SubjectScope::Branch("release/v2".into()), AuthMethod::Oidc);
    assert!(
        !branch.contains("release:\n"),
        "no release trigger on a branch scope"
    );
    assert!(branch.contains("branches: ['main', 'develop', 'release/v2']"));
    assert!(branch.contains("github.ref == 'refs/heads/release/v2'"));
    let env = by_scope(
        SubjectScope::Environment("prod 'eu'".into()),
        AuthMethod::Oidc,
    );
    assert!(env.contains("    environment: 'prod ''eu'''\n"), "{env}");
    let keys = by_scope(SubjectScope::AllRefs, AuthMethod::AccessKeys);
    assert!(!keys.contains("id-token"));
    assert!(keys.contains("aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}"));
    assert!(keys.contains("# zizmor: ignore[use-trusted-publishing]"));
    let pr = by_scope(SubjectScope::PullRequests, AuthMethod::Oidc);
    assert!(pr.contains("github.event.pull_request.head.repo.full_name == github.repository"));
    assert!(
        !publish_job(&pr).contains("inputs.probe"),
        "pull requests publish only the probe: {pr}"
    );
}

#[test]
fn the_generated_file_breaks_when_the_trust_is_narrower_than_the_scope() {
    // A workflow generated for "all" against a role that trusts main only: releases and manual
    // runs on other branches are refused, and the lint says so.
    let pins = Pins::shipped("test");
    let setup = Setup::for_github("octo-org", "widgets");
    let mut narrow = setup.clone();
    narrow.scope = SubjectScope::Branch("main".into());
    let mut ctx = applied(&narrow);
    ctx.trust = ctx.trust.map(|t| Trust {
        document: trust_policy(
            &narrow,
            "123456789012",
            &SubjectRules::classic("octo-org", "widgets"),
        ),
        ..t
    });
    let result = lint(&generate(&setup, &pins), &ctx);
    let subjects: Vec<_> = result
        .findings
        .iter()
        .filter(|f| f.id == crate::workflow::LintId::SubjectNotTrusted)
        .collect();
    assert_eq!(subjects.len(), 2, "{:#?}", result.findings);
    assert!(
        subjects[0]
            .message
            .contains("repo:octo-org/widgets:ref:refs/tags/v1.0.0")
    );
}

/// The publish job's part of a generated workflow (it is the last job).
fn publish_job(text: &str) -> &str {
    text.split("\n  publish:\n").nth(1).expect("a publish job")
}

#[test]
fn the_token_lives_fifteen_minutes_not_the_default_twelve_hours() {
    let pins = Pins::shipped("test");
    for setup in setups() {
        let text = generate(&setup, &pins);
        let call = text
            .split("aws codeartifact get-authorization-token")
            .nth(1)
            .and_then(|rest| rest.split("--query").next())
            .expect("the token call");
        assert!(
            call.contains("--duration-seconds 900"),
            "{} {:?}: {call}",
            setup.scope,
            setup.auth
        );
    }
}

#[test]
fn nothing_unpinned_is_installed_where_the_credentials_are() {
    let pins = Pins::shipped("test");
    for setup in setups() {
        let text = generate(&setup, &pins);
        let label = format!("{} {:?}", setup.scope, setup.auth);
        let publish = publish_job(&text);
        let installs: Vec<&str> = publish
            .lines()
            .filter(|l| l.contains("pip install"))
            .collect();
        assert_eq!(installs.len(), 1, "{label}: {installs:?}");
        assert!(
            installs[0].contains("--require-hashes -r"),
            "{label}: {}",
            installs[0]
        );
        assert!(
            !publish.contains("-m build"),
            "{label}: builds in the publish job"
        );
        // Every requirement of the here-document is pinned with == and has a hash.
        let body = publish
            .split("<<'EOF'\n")
            .nth(1)
            .and_then(|b| b.split("\n          EOF\n").next())
            .expect("the requirements");
        let mut requirements = 0;
        let mut current: Option<(String, bool)> = None;
        for line in body.lines().map(str::trim) {
            if line.starts_with("--hash=sha256:") {
                if let Some(c) = current.as_mut() {
                    c.1 = true;
                }
            } else if !line.starts_with('#') {
                if let Some((spec, hashed)) = current.take() {
                    assert!(hashed, "{label}: {spec} has no hash");
                }
                let spec = line.trim_end_matches('\\').trim().to_owned();
                assert!(spec.contains("=="), "{label}: {spec} is not pinned");
                requirements += 1;
                current = Some((spec, false));
            }
        }
        assert!(current.is_some_and(|(_, hashed)| hashed), "{label}");
        assert!(
            requirements > 1,
            "{label}: the whole closure, not twine alone"
        );
        assert!(body.contains("twine==7.0.0"), "{label}");
        // The probe is built without credentials and handed over as an artifact.
        let build = text.split("\n  publish:\n").next().unwrap_or_default();
        assert!(build.contains("python -m build --outdir probe"), "{label}");
        assert!(
            build.contains("name: probe\n          path: probe/"),
            "{label}"
        );
        assert!(
            publish.contains("name: probe\n          path: dist/"),
            "{label}"
        );
    }
}

#[test]
fn every_scope_declares_the_probe_input_verification_sends() {
    let pins = Pins::shipped("test");
    for setup in setups() {
        let text = generate(&setup, &pins);
        assert!(
            text.contains("  workflow_dispatch:\n    inputs:\n      probe:\n"),
            "{}: {text}",
            setup.scope
        );
    }
}
