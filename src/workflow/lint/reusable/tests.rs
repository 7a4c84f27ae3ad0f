use crate::workflow::files::LocalFile;
use crate::workflow::lint::{LintContext, LintId, lint_in};

const CALLED: &str = "name: publish (reusable)
on:
  workflow_call:
    inputs:
      region:
        type: string
        default: us-east-1
    secrets:
      role:
        required: true
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: aws-actions/configure-aws-credentials@e6de054238d6b7531b4efff3b6587d9aade6a06c # v6.2.3
        with:
          role-to-assume: ${{ secrets.role }}
          aws-region: ${{ inputs.region }}
      - run: |
          export TWINE_USERNAME=aws TWINE_PASSWORD=\"$(aws codeartifact get-authorization-token --domain d --query authorizationToken --output text)\"
          python -m twine upload --repository-url \"$URL\" dist/*
";

fn caller(permissions: &str, with: &str) -> String {
    format!(
        "on:\n  release:\n    types: [published]\npermissions: {{}}\njobs:\n  release:\n{permissions}    uses: ./.github/workflows/publish-reusable.yml\n{with}"
    )
}

fn ctx() -> LintContext {
    LintContext {
        region: Some("us-east-1".into()),
        role_arn: Some("arn:aws:iam::123456789012:role/R".into()),
        secrets: Some(vec!["PUBLISH_ROLE".into()]),
        org_secrets: Some(Vec::new()),
        ..LintContext::offline()
    }
}

fn siblings() -> Vec<LocalFile> {
    vec![LocalFile {
        relative: ".github/workflows/publish-reusable.yml".into(),
        text: CALLED.into(),
    }]
}

fn ids(text: &str) -> Vec<(LintId, usize)> {
    lint_in(text, &ctx(), &siblings())
        .findings
        .iter()
        .map(|f| (f.id, f.line))
        .collect()
}

#[test]
fn the_called_file_leaves_inputs_secrets_and_permissions_to_its_callers() {
    let r = lint_in(CALLED, &ctx(), &[]);
    assert_eq!(r.findings, [], "{:#?}", r.findings);
    assert!(r.publishes);
}

#[test]
fn the_caller_is_judged_with_the_called_file() {
    let grants = "    permissions:\n      id-token: write\n      contents: read\n";
    let passes = "    secrets:\n      role: ${{ secrets.PUBLISH_ROLE }}\n";
    let good = caller(grants, passes);
    let r = lint_in(&good, &ctx(), &siblings());
    assert_eq!(r.findings, [], "{:#?}", r.findings);
    assert!(r.publishes, "the call publishes");
    // Alone, the caller does not know what it calls.
    assert!(!lint_in(&good, &ctx(), &[]).publishes);

    // No id-token: write to give: the called job cannot have it.
    assert_eq!(
        ids(&caller("", passes)),
        [(LintId::IdTokenMissing, 7)],
        "the caller's uses: line"
    );
    // The secret is not passed: role-to-assume is empty.
    let r = lint_in(&caller(grants, ""), &ctx(), &siblings());
    assert_eq!(r.findings.len(), 1, "{:#?}", r.findings);
    assert_eq!(r.findings[0].id, LintId::RoleArnMismatch);
    assert!(
        r.findings[0]
            .message
            .contains("publish-reusable.yml (job publish, line 15) (it passes no secret role)"),
        "{}",
        r.findings[0].message
    );
    // Another region passed as an input; a secret the repository does not have.
    let other = format!("{passes}    with:\n      region: eu-west-1\n");
    assert_eq!(ids(&caller(grants, &other)), [(LintId::RegionMismatch, 10)]);
    let missing = "    secrets:\n      role: ${{ secrets.NOPE }}\n";
    assert_eq!(
        ids(&caller(grants, missing)),
        [(LintId::RoleArnMismatch, 10)]
    );
}
