//! The workflow reader and the expression evaluator.

use super::expr::{self, Context, Value};
use super::workflow::{
    self, JobDef, Permissions, Workflow, grants_id_token, token_permission_lines,
};

fn job<'w>(w: &'w Workflow, id: &str) -> &'w JobDef {
    w.jobs.iter().find(|j| j.id == id).unwrap()
}

struct Fixed {
    event: &'static str,
    git_ref: &'static str,
    probe: bool,
    ok: bool,
}

impl Context for Fixed {
    fn property(&self, path: &[String]) -> Option<Value> {
        let p: Vec<&str> = path.iter().map(String::as_str).collect();
        match p.as_slice() {
            ["github", "event_name"] => Some(Value::Str(self.event.to_owned())),
            ["github", "ref"] => Some(Value::Str(self.git_ref.to_owned())),
            ["github", "repository"] => Some(Value::Str("octo-org/widgets".to_owned())),
            ["inputs", "probe"] => Some(Value::Bool(self.probe)),
            _ => None,
        }
    }
    fn succeeded(&self) -> bool {
        self.ok
    }
}

const DISPATCH: Fixed = Fixed {
    event: "workflow_dispatch",
    git_ref: "refs/heads/main",
    probe: true,
    ok: true,
};

fn holds(text: &str, cx: &Fixed) -> bool {
    expr::condition(Some(text), cx)
}

#[test]
fn conditions_of_publish_workflows() {
    let release = Fixed {
        event: "release",
        git_ref: "refs/tags/v1.2.0",
        probe: false,
        ok: true,
    };
    let publish = "github.event_name == 'release' || github.event_name == 'workflow_dispatch'";
    assert!(holds(publish, &DISPATCH));
    assert!(holds(publish, &release));
    assert!(!holds("github.event_name == 'push'", &release));
    let probe = "${{ github.event_name == 'workflow_dispatch' && inputs.probe }}";
    assert!(holds(probe, &DISPATCH));
    assert!(!holds(probe, &release));
    assert!(holds("startsWith(github.ref, 'refs/tags/')", &release));
    assert!(!holds("startsWith(github.ref, 'refs/tags/')", &DISPATCH));
    assert!(
        holds("github.ref == 'REFS/HEADS/MAIN'", &DISPATCH),
        "case-insensitive"
    );
    assert!(holds("!(github.ref != 'refs/heads/main')", &DISPATCH));
    // A fork check on a run with no pull request: null == 'octo-org/widgets' is false.
    let fork = "github.event.pull_request.head.repo.full_name == github.repository";
    assert!(!holds(fork, &DISPATCH));
    assert!(holds(
        &format!("{fork} || github.event_name != 'pull_request'"),
        &DISPATCH
    ));
}

#[test]
fn status_functions_and_the_implicit_success() {
    let failed = Fixed {
        ok: false,
        ..DISPATCH
    };
    assert!(!holds("github.event_name == 'workflow_dispatch'", &failed));
    assert!(holds("always()", &failed));
    assert!(holds("failure()", &failed));
    assert!(!holds("success() && true", &failed));
    assert!(!expr::condition(None, &failed));
    assert!(expr::condition(None, &DISPATCH));
}

#[test]
fn what_cannot_be_read_counts_as_true() {
    assert!(holds("hashFiles('**/*.py') != ''", &DISPATCH));
    assert!(holds("github.event_name ==", &DISPATCH));
    assert!(holds("fromJSON(inputs.x).y", &DISPATCH));
}

#[test]
fn interpolation_and_or_values() {
    let text = "${{ github.workflow }}-${{ github.event.pull_request.number || github.ref }}";
    assert_eq!(expr::interpolate(text, &DISPATCH), "-refs/heads/main");
    assert_eq!(
        expr::interpolate("a ${{ format('{0}/{1}', 'x', 1) }} b", &DISPATCH),
        "a x/1 b"
    );
    assert_eq!(
        expr::evaluate("inputs.probe && 'yes'", &DISPATCH),
        Some(Value::Str("yes".to_owned()))
    );
}

const WORKFLOW: &str = r#"
name: Publish Python package
on:
  push:
    branches: [main]
  release:
    types: [published]
  workflow_dispatch:
    inputs:
      probe:
        type: boolean
        default: true
permissions: {}
defaults:
  run:
    shell: bash
jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@v7
  publish:
    name: Publish to CodeArtifact
    needs: build
    environment: release
    if: github.event_name == 'release'
    permissions:
      id-token: write
      contents: read
    steps:
      - uses: aws-actions/configure-aws-credentials@v6
        with:
          role-to-assume: ${{ vars.AWS_ROLE_ARN }}
          aws-region: ${{ vars.AWS_REGION }}
      - name: Upload
        env:
          DOMAIN: ${{ vars.CODEARTIFACT_DOMAIN }}
        run: |
          twine upload dist/*
"#;

#[test]
fn reads_a_publish_workflow() {
    let w = workflow::parse(WORKFLOW).unwrap();
    assert_eq!(w.name.as_deref(), Some("Publish Python package"));
    let inputs = w.on.dispatch.clone().unwrap();
    assert_eq!(inputs[0].name, "probe");
    assert_eq!(inputs[0].kind, "boolean");
    assert_eq!(inputs[0].default.as_deref(), Some("true"));
    assert_eq!(w.on.release, Some(vec!["published".to_owned()]));
    assert_eq!(
        w.on.push.as_ref().unwrap().branches,
        vec!["main".to_owned()]
    );
    assert_eq!(w.permissions, Some(Permissions::Scopes(Default::default())));
    assert_eq!(w.default_shell.as_deref(), Some("bash"));
    let publish = job(&w, "publish");
    assert_eq!(publish.needs, vec!["build".to_owned()]);
    assert_eq!(publish.environment.as_deref(), Some("release"));
    assert!(grants_id_token(&w, publish));
    assert!(!grants_id_token(&w, job(&w, "build")));
    assert_eq!(publish.steps[1].env[0].0, "DOMAIN");
    assert_eq!(
        publish.steps[1].run.as_deref(),
        Some("twine upload dist/*\n")
    );
    assert_eq!(
        token_permission_lines(&w, publish),
        vec!["Contents: read", "IdToken: write", "Metadata: read"]
    );
}

#[test]
fn job_permissions_replace_the_workflows_and_the_default_has_no_id_token() {
    let text = "on: workflow_dispatch\npermissions:\n  id-token: write\njobs:\n  a:\n    permissions:\n      contents: read\n    steps: []\n  b:\n    steps: []\n";
    let w = workflow::parse(text).unwrap();
    assert!(!grants_id_token(&w, job(&w, "a")));
    assert!(grants_id_token(&w, job(&w, "b")));
    let bare =
        workflow::parse("on: [push, workflow_dispatch]\njobs:\n  a:\n    steps: []\n").unwrap();
    assert!(bare.on.dispatch.is_some() && bare.on.push.is_some());
    assert!(!grants_id_token(&bare, job(&bare, "a")));
    let all =
        workflow::parse("on: push\npermissions: write-all\njobs:\n  a:\n    steps: []\n").unwrap();
    assert!(grants_id_token(&all, job(&all, "a")));
    assert!(workflow::parse("on: push\n").is_err());
    assert!(workflow::parse("jobs: [").is_err());
}
