use std::collections::BTreeMap;

use super::*;
use crate::github::ActionsVariables;
use crate::policy::subject_trust_policy;
use crate::workflow::trust::TrustSource;

const PROVIDER: &str =
    "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";

const JOB: &str = "name: p
on:
  release:
    types: [published]
permissions: {}
jobs:
  publish:
    runs-on: ubuntu-latest
    permissions:
      id-token: write
      contents: read
    steps:
      - uses: aws-actions/configure-aws-credentials@e6de054238d6b7531b4efff3b6587d9aade6a06c # v6.2.3
        with:
          role-to-assume: ROLE
          aws-region: REGION
      - env:
          TWINE_REPOSITORY_URL: https://x.d.codeartifact.us-east-1.amazonaws.com/pypi/r/
        run: python -m twine upload dist/*
";

fn with(role: &str, region: &str) -> String {
    JOB.replace("ROLE", role).replace("REGION", region)
}

fn ctx() -> LintContext {
    LintContext {
        region: Some("us-east-1".into()),
        role_arn: Some("arn:aws:iam::123456789012:role/R".into()),
        org_secrets: Some(Vec::new()),
        ..LintContext::offline()
    }
}

fn ids(result: &FileLint) -> Vec<(LintId, Severity, usize)> {
    result
        .findings
        .iter()
        .map(|f| (f.id, f.severity, f.line))
        .collect()
}

#[test]
fn a_clean_job_has_no_findings_and_publishes() {
    let r = lint(
        &with("${{ vars.AWS_ROLE_ARN }}", "${{ vars.AWS_REGION }}"),
        &ctx(),
    );
    assert!(r.publishes && r.touches_aws);
    assert_eq!(ids(&r), []);
}

#[test]
fn variables_are_resolved_when_known() {
    let mut c = ctx();
    let text = with("${{ vars.AWS_ROLE_ARN }}", "${{ vars.AWS_REGION }}");
    c.variables = Some(ActionsVariables::new(Vec::<(String, String)>::new()));
    let r = lint(&text, &c);
    assert_eq!(
        ids(&r),
        [
            (LintId::RoleArnMismatch, Severity::Error, 15),
            (LintId::RegionMismatch, Severity::Error, 16)
        ],
        "variables that do not exist: {:#?}",
        r.findings
    );
    let mut vars = BTreeMap::new();
    vars.insert(
        "AWS_ROLE_ARN".to_owned(),
        "arn:aws:iam::123456789012:role/Other".to_owned(),
    );
    vars.insert("AWS_REGION".to_owned(), "eu-west-1".to_owned());
    c.variables = Some(ActionsVariables::new(vars));
    let r = lint(&text, &c);
    assert!(
        r.findings[0].message.contains("role/Other"),
        "{:#?}",
        r.findings
    );
    assert!(
        r.findings[1].message.contains("eu-west-1"),
        "{:#?}",
        r.findings
    );
}

#[test]
fn variables_are_resolved_at_the_organisation_level_too() {
    let mut c = ctx();
    let text = with("${{ vars.AWS_ROLE_ARN }}", "${{ vars.AWS_REGION }}");
    let org = vec![
        (
            "AWS_ROLE_ARN".to_owned(),
            "arn:aws:iam::123456789012:role/Other".to_owned(),
        ),
        ("AWS_REGION".to_owned(), "us-east-1".to_owned()),
    ];
    c.variables = Some(ActionsVariables::new(Vec::new()).with_organization(Ok(org)));
    let r = lint(&text, &c);
    assert_eq!(
        ids(&r),
        [(LintId::RoleArnMismatch, Severity::Error, 15)],
        "{:#?}",
        r.findings
    );
    assert!(
        r.findings[0]
            .message
            .contains("from vars.AWS_ROLE_ARN, the organisation's variable"),
        "{:#?}",
        r.findings
    );
    let unread = ActionsVariables::new(Vec::<(String, String)>::new()).with_organization(Err::<
        Vec<(String, String)>,
        _,
    >(
        "403".to_owned(),
    ));
    c.variables = Some(unread);
    let r = lint(&text, &c);
    assert!(
        r.findings.iter().all(|f| f.severity == Severity::Warning),
        "a variable the organisation may hold is not called missing: {:#?}",
        r.findings
    );
}

#[test]
fn literals_and_other_references() {
    let r = lint(
        &with("arn:aws:iam::123456789012:role/R", "us-east-1"),
        &ctx(),
    );
    assert_eq!(ids(&r), []);
    let r = lint(
        &with("arn:aws:iam::123456789012:role/X", "eu-west-1"),
        &ctx(),
    );
    assert_eq!(
        ids(&r),
        [
            (LintId::RoleArnMismatch, Severity::Error, 15),
            (LintId::RegionMismatch, Severity::Error, 16)
        ]
    );
    // Another variable, unreadable without a token: a warning, not an error.
    let r = lint(
        &with("${{ vars.MY_ROLE }}", "${{ vars.AWS_REGION }}"),
        &ctx(),
    );
    assert_eq!(ids(&r), [(LintId::RoleArnMismatch, Severity::Warning, 15)]);
    // A secret that does not exist.
    let mut c = ctx();
    c.secrets = Some(vec!["OTHER".into()]);
    let r = lint(&with("${{ secrets.ROLE }}", "us-east-1"), &c);
    assert_eq!(ids(&r), [(LintId::RoleArnMismatch, Severity::Error, 15)]);
    assert!(r.findings[0].message.contains("secret ROLE"));
}

#[test]
fn subjects_are_compared_with_the_live_trust() {
    let mut c = ctx();
    c.trust = Some(Trust {
        rules: crate::policy::SubjectRules::classic("o", "r"),
        scope: crate::setup::SubjectScope::AllRefs,
        document: subject_trust_policy(PROVIDER, &[("repo:o/r:ref:refs/heads/main", false)]),
        provider: PROVIDER.into(),
        source: TrustSource::Live { role: "R".into() },
    });
    let text = with("${{ vars.AWS_ROLE_ARN }}", "us-east-1");
    let r = lint(&text, &c);
    assert_eq!(ids(&r), [(LintId::SubjectNotTrusted, Severity::Error, 3)]);
    assert!(
        r.findings[0]
            .message
            .contains("repo:o/r:ref:refs/tags/v1.0.0")
    );
    assert!(r.findings[0].message.contains("the trust policy of R"));
    // The environment replaces the ref: then the environment's subject must be accepted.
    let env = text.replace(
        "    runs-on: ubuntu-latest\n",
        "    runs-on: ubuntu-latest\n    environment: prod\n",
    );
    c.trust = c.trust.map(|t| Trust {
        document: subject_trust_policy(PROVIDER, &[("repo:o/r:environment:prod", false)]),
        ..t
    });
    assert_eq!(ids(&lint(&env, &c)), []);
}

#[test]
fn not_yaml_is_an_error_with_a_line() {
    let r = lint("on: [push\njobs: {}\n", &ctx());
    assert!(r.error.is_some());
    assert_eq!(r.errors(), 1);
    assert!(r.marked_lines().values().all(|s| *s == Severity::Error));
}

#[test]
fn a_file_that_does_not_touch_aws_needs_no_publish_job_unless_asked() {
    let ci = "on: push\npermissions: {}\njobs:\n  test:\n    runs-on: ubuntu-latest\n    permissions:\n      contents: read\n    steps:\n      - run: make test\n";
    assert_eq!(ids(&lint(ci, &ctx())), []);
    let mut c = ctx();
    c.require_publish_job = true;
    assert_eq!(
        ids(&lint(ci, &c)),
        [(LintId::NoPublishJob, Severity::Error, 3)]
    );
}

#[test]
fn ids_are_the_spec_table() {
    let all: Vec<&str> = LintId::ALL.iter().map(|i| i.as_str()).collect();
    assert_eq!(
        all,
        [
            "no-publish-job",
            "id-token-missing",
            "role-arn-mismatch",
            "region-mismatch",
            "subject-not-trusted",
            "skip-existing-unsupported",
            "upload-to-pypi",
            "untrusted-trigger",
            "unpinned-action",
            "excessive-permissions",
            "token-exposed",
            "long-lived-keys",
            "expression-injection",
            "other-format"
        ]
    );
    assert_eq!(
        serde_json::to_value(LintId::UploadToPypi).unwrap(),
        serde_json::json!("upload-to-pypi")
    );
}

#[test]
fn organisation_and_environment_secrets_count_as_present() {
    let text = with("${{ secrets.PUBLISH_ROLE }}", "us-east-1");
    let role = |c: &LintContext| {
        lint(&text, c)
            .findings
            .iter()
            .filter(|f| f.id == LintId::RoleArnMismatch)
            .count()
    };
    let mut c = ctx();
    c.secrets = Some(vec!["OTHER".into()]);
    assert_eq!(role(&c), 1, "missing at every level read");
    c.org_secrets = Some(vec!["PUBLISH_ROLE".into()]);
    assert_eq!(role(&c), 0, "an organisation secret");
    c.org_secrets = None;
    assert_eq!(
        role(&c),
        0,
        "the organisation's secrets unread: absence unknown"
    );
    // An environment's secret, for a job in that environment.
    let env = text.replace(
        "    runs-on: ubuntu-latest\n",
        "    runs-on: ubuntu-latest\n    environment: prod\n",
    );
    c.org_secrets = Some(Vec::new());
    c.environment_secrets
        .insert("prod".into(), vec!["PUBLISH_ROLE".into()]);
    let count = lint(&env, &c)
        .findings
        .iter()
        .filter(|f| f.id == LintId::RoleArnMismatch)
        .count();
    assert_eq!(count, 0, "{:#?}", lint(&env, &c).findings);
    c.environment_secrets.insert("prod".into(), Vec::new());
    let count = lint(&env, &c)
        .findings
        .iter()
        .filter(|f| f.id == LintId::RoleArnMismatch)
        .count();
    assert_eq!(count, 1);
}

#[test]
fn hostile_workflows_never_panic() {
    let scripts = [
        "echo \"unterminated",
        "T=$(aws codeartifact get-authorization-token\necho \"$T\" >> \"$GITHUB_ENV",
        "cat <<EOF\n$T\n",
        "echo ${{ steps.x.outputs.y",
        "echo `",
        "printf '%s' \"$(echo $(echo $(echo x)))\" | tee -a ${GITHUB_ENV}x",
        "\u{1b}[31mecho\u{7} é ${é} $é \u{202e}",
        "set -x; export A=${{ secrets.X }} AWS_ACCESS_KEY_ID=AKIA0123456789ABCDEF",
        "&& || ; | > >> < << <<- 2>&1 >&2 &>",
        "npm publish ${{ github.event.issue.title }} $(( 1 + ",
    ];
    for script in scripts {
        let text = format!(
            "on:\n  workflow_dispatch:\n    inputs:\n      x: {{}}\njobs:\n  j:\n    outputs:\n      t: ${{{{ steps.s.outputs.t }}}}\n    steps:\n      - id: s\n        uses: aws-actions/configure-aws-credentials@v4\n        with:\n          role-to-assume: \"${{{{ inputs.x }}}}\"\n      - run: {}\n  k:\n    needs: j\n    uses: ./.github/workflows/nope.yml\n    with:\n      a: ${{{{ needs.j.outputs.t }}}}\n",
            serde_json::to_string(script).unwrap()
        );
        let r = lint(&text, &ctx());
        assert_eq!(r.error, None, "{script:?}");
    }
}
