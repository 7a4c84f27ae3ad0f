//! A publish workflow as cawiz generates it (modelled on the reference
//! `research/workflow/publish.yml`; the generator lives in the product, which the sandbox cannot
//! use), and the broken variants the tests commit instead.

pub const PATH: &str = ".github/workflows/publish.yml";

pub const PUBLISH: &str = r#"name: Publish Python package

on:
  push:
    branches: [main, develop]
  pull_request:
  release:
    types: [published]
  workflow_dispatch:
    inputs:
      probe:
        description: publish a throw-away probe package instead of the project
        type: boolean
        default: true

permissions: {}

concurrency:
  group: ${{ github.workflow }}-${{ github.event.pull_request.number || github.ref }}
  cancel-in-progress: ${{ github.event_name == 'pull_request' }}

defaults:
  run:
    shell: bash

jobs:
  build:
    name: Build distribution
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - name: Check out
        uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
        with:
          persist-credentials: false

      - name: Set up Python
        uses: actions/setup-python@5fda3b95a4ea91299a34e894583c3862153e4b97 # v7.0.0
        with:
          python-version: "3.12"

      - name: Install build tooling
        run: python -m pip install build

      - name: Test (placeholder)
        run: |
          if [ -d tests ] || [ -d test ]; then
            python -m pip install pytest
            python -m pytest
          else
            echo "No tests directory; skipping tests."
          fi

      - name: Build sdist and wheel
        run: python -m build

      - name: Upload dist
        uses: actions/upload-artifact@bbbca2ddaa5d8feaa63e36b76fdaad77386f024f # v7.0.0
        with:
          name: dist
          path: dist/
          if-no-files-found: error

  publish:
    name: Publish to CodeArtifact
    needs: build
    if: github.event_name == 'release' || github.event_name == 'workflow_dispatch'
    runs-on: ubuntu-latest
    permissions:
      id-token: write # exchange the GitHub OIDC token for AWS credentials
      contents: read
    steps:
      - name: Download dist
        uses: actions/download-artifact@3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c # v8.0.1
        with:
          name: dist
          path: dist/

      - name: Set up Python
        uses: actions/setup-python@5fda3b95a4ea91299a34e894583c3862153e4b97 # v7.0.0
        with:
          python-version: "3.12"

      - name: Install publishing tooling
        run: python -m pip install build twine

      - name: Configure AWS credentials (OIDC)
        uses: aws-actions/configure-aws-credentials@e6de054238d6b7531b4efff3b6587d9aade6a06c # v6.2.3
        with:
          role-to-assume: ${{ vars.AWS_ROLE_ARN }}
          aws-region: ${{ vars.AWS_REGION }}

      - name: Build probe package (probe runs only)
        if: github.event_name == 'workflow_dispatch' && inputs.probe
        run: |
          repo_name="${GITHUB_REPOSITORY#*/}"
          base="$(printf '%s' "$repo_name" | tr '[:upper:]' '[:lower:]' | sed -E 's/[-_.]+/-/g')"
          name="${base}-cawiz-probe"
          version="0.0.${GITHUB_RUN_ID}.${GITHUB_RUN_ATTEMPT}"
          workdir="$(mktemp -d)"
          cat > "$workdir/pyproject.toml" <<EOF
          [project]
          name = "${name}"
          version = "${version}"
          EOF
          rm -rf dist
          python -m build --outdir dist "$workdir"
          echo "Built probe ${name}==${version}"

      - name: Upload to CodeArtifact
        env:
          AWS_ACCOUNT_ID: ${{ vars.AWS_ACCOUNT_ID }}
          CODEARTIFACT_DOMAIN: ${{ vars.CODEARTIFACT_DOMAIN }}
          CODEARTIFACT_REPOSITORY: ${{ vars.CODEARTIFACT_REPOSITORY }}
        run: |
          set -euo pipefail
          TOKEN="$(aws codeartifact get-authorization-token \
            --domain "$CODEARTIFACT_DOMAIN" \
            --domain-owner "$AWS_ACCOUNT_ID" \
            --query authorizationToken --output text)"
          echo "::add-mask::$TOKEN"
          ENDPOINT="$(aws codeartifact get-repository-endpoint \
            --domain "$CODEARTIFACT_DOMAIN" \
            --domain-owner "$AWS_ACCOUNT_ID" \
            --repository "$CODEARTIFACT_REPOSITORY" \
            --format pypi \
            --query repositoryEndpoint --output text)"
          export TWINE_USERNAME=aws
          export TWINE_PASSWORD="$TOKEN"
          export TWINE_REPOSITORY_URL="$ENDPOINT"
          python -m twine check dist/*
          python -m twine upload --non-interactive dist/*
"#;

/// The upload command of [`PUBLISH`].
const UPLOAD: &str = "python -m twine upload --non-interactive dist/*";

/// [`PUBLISH`] with `from` replaced by `to` (which must be there).
pub fn variant(from: &str, to: &str) -> String {
    assert!(PUBLISH.contains(from), "the workflow has {from:?}");
    PUBLISH.replace(from, to)
}

/// The publish job without `id-token: write`.
pub fn without_id_token() -> String {
    variant(
        "      id-token: write # exchange the GitHub OIDC token for AWS credentials\n",
        "",
    )
}

/// twine asked to skip existing files (a PyPI-only feature).
pub fn skip_existing() -> String {
    variant(
        UPLOAD,
        "python -m twine upload --skip-existing --non-interactive dist/*",
    )
}

/// The guide's way: `aws codeartifact login --tool twine`, then `twine upload` with no
/// repository named (so twine uploads to PyPI).
pub fn login_then_bare_upload() -> String {
    let start = PUBLISH
        .find("          set -euo pipefail")
        .expect("the upload script");
    let mut text = PUBLISH[..start].to_owned();
    text.push_str(
        "          aws codeartifact login --tool twine \\\n            --domain \"$CODEARTIFACT_DOMAIN\" \\\n            --domain-owner \"$AWS_ACCOUNT_ID\" \\\n            --repository \"$CODEARTIFACT_REPOSITORY\"\n          python -m twine upload dist/*\n",
    );
    text
}
