//! The lint on a corpus (tests/workflows, see its README): each broken file proves its lint ids at
//! their lines, every SPEC id is proven by some file, and the clean files get no finding at all.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use cawiz::policy::Severity;
use cawiz::policy::subject_trust_policy;
use cawiz::setup::AuthMethod;
use cawiz::workflow::{Format, LintContext, LintId, LocalFile, Trust, TrustSource, lint_in};

const PROVIDER: &str =
    "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
const ROLE_ARN: &str = "arn:aws:iam::123456789012:role/GitHubActions-CodeArtifact";

fn corpus(kind: &str) -> Vec<(PathBuf, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/workflows")
        .join(kind);
    let mut files: Vec<(PathBuf, String)> = std::fs::read_dir(&dir)
        .expect("corpus dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yml"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("read");
            (p, text)
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no files in {}", dir.display());
    files
}

/// Every corpus file as a sibling in `.github/workflows` (for the reusable workflows' callers).
fn siblings() -> Vec<LocalFile> {
    ["clean", "broken"]
        .into_iter()
        .flat_map(corpus)
        .map(|(p, text)| LocalFile {
            relative: format!(
                ".github/workflows/{}",
                p.file_name().and_then(|n| n.to_str()).unwrap_or_default()
            ),
            text,
        })
        .collect()
}

/// A `# key: value` comment of the file.
fn comment<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("# {key}: ")))
        .map(str::trim)
}

/// The setup's auth method: OIDC unless `# auth: access-keys`.
fn auth(text: &str) -> AuthMethod {
    match comment(text, "auth") {
        Some("access-keys") => AuthMethod::AccessKeys,
        _ => AuthMethod::Oidc,
    }
}

/// The facts every corpus file is linted with; `# trust:` lines replace the accepted subjects,
/// `# auth:` and `# formats:` the setup's auth method and formats (OIDC, pypi).
fn context(text: &str) -> LintContext {
    let vars: BTreeMap<String, String> = [
        ("AWS_REGION", "us-east-1"),
        ("AWS_ACCOUNT_ID", "123456789012"),
        ("AWS_ROLE_ARN", ROLE_ARN),
        ("CODEARTIFACT_DOMAIN", "octo-org"),
        ("CODEARTIFACT_REPOSITORY", "widgets"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let mut patterns: Vec<(&str, bool)> = text
        .lines()
        .filter_map(|l| l.strip_prefix("# trust: "))
        .map(|p| (p.trim(), true))
        .collect();
    if patterns.is_empty() {
        patterns.push(("repo:octo-org/widgets:*", true));
    }
    LintContext {
        region: Some("us-east-1".to_owned()),
        role_arn: Some(ROLE_ARN.to_owned()),
        variables: Some(cawiz::github::ActionsVariables::new(vars)),
        secrets: Some(vec![
            "AWS_ACCESS_KEY_ID".to_owned(),
            "AWS_SECRET_ACCESS_KEY".to_owned(),
        ]),
        trust: Some(Trust {
            rules: cawiz::policy::SubjectRules::classic("octo-org", "widgets"),
            scope: cawiz::setup::SubjectScope::AllRefs,
            document: subject_trust_policy(PROVIDER, &patterns),
            provider: PROVIDER.to_owned(),
            source: TrustSource::Live {
                role: "GitHubActions-CodeArtifact".to_owned(),
            },
        }),
        auth: Some(auth(text)),
        formats: comment(text, "formats")
            .map(|f| {
                f.split(',')
                    .filter_map(|f| Format::parse(f.trim()))
                    .collect()
            })
            .unwrap_or_else(|| vec![Format::Pypi]),
        org_secrets: Some(Vec::new()),
        ..LintContext::offline()
    }
}

/// The severity each id has in the corpus (`long-lived-keys`: an error with OIDC).
fn severity(id: LintId, auth: AuthMethod) -> Severity {
    match id {
        LintId::OtherFormat => Severity::Info,
        LintId::UnpinnedAction | LintId::ExcessivePermissions | LintId::ExpressionInjection => {
            Severity::Warning
        }
        LintId::LongLivedKeys if auth == AuthMethod::AccessKeys => Severity::Warning,
        _ => Severity::Error,
    }
}

/// `# expect: id@line, …` → (id, line) pairs.
fn expected(text: &str) -> Vec<(String, usize)> {
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("# expect: "))
        .expect("an # expect: line");
    line.split(',')
        .map(|e| {
            let (id, at) = e.trim().split_once('@').expect("id@line");
            (id.to_owned(), at.parse().expect("a line number"))
        })
        .collect()
}

#[test]
fn each_broken_file_has_exactly_its_findings_at_their_lines() {
    let mut proven: BTreeSet<String> = BTreeSet::new();
    let siblings = siblings();
    for (path, text) in corpus("broken") {
        let result = lint_in(&text, &context(&text), &siblings);
        assert_eq!(result.error, None, "{}", path.display());
        let mut found: Vec<(String, usize)> = result
            .findings
            .iter()
            .map(|f| (f.id.to_string(), f.line))
            .collect();
        let mut want = expected(&text);
        found.sort();
        want.sort();
        assert_eq!(found, want, "{}:\n{:#?}", path.display(), result.findings);
        for f in &result.findings {
            assert!(!f.message.is_empty() && !f.fix.is_empty(), "{f:?}");
            assert_eq!(
                f.severity,
                severity(f.id, auth(&text)),
                "{}: {f:?}",
                path.display()
            );
        }
        proven.extend(want.into_iter().map(|(id, _)| id));
    }
    for id in LintId::ALL {
        assert!(proven.contains(id.as_str()), "no broken file proves {id}");
    }
}

#[test]
fn clean_files_get_no_finding() {
    let siblings = siblings();
    for (path, text) in corpus("clean") {
        let result = lint_in(&text, &context(&text), &siblings);
        assert_eq!(result.error, None, "{}", path.display());
        assert!(
            result.findings.is_empty(),
            "{}:\n{:#?}",
            path.display(),
            result.findings
        );
    }
}

#[test]
fn a_clean_file_breaks_when_the_facts_change() {
    // The same clean file, judged against another region and a role that trusts only main.
    let (_, text) = corpus("clean")
        .into_iter()
        .find(|(p, _)| p.ends_with("single-job.yml"))
        .expect("single-job.yml");
    let mut ctx = context(&text);
    ctx.region = Some("eu-west-1".to_owned());
    ctx.trust = ctx.trust.map(|t| Trust {
        document: subject_trust_policy(
            PROVIDER,
            &[("repo:octo-org/widgets:ref:refs/heads/main", false)],
        ),
        ..t
    });
    let ids: BTreeSet<LintId> = lint_in(&text, &ctx, &[])
        .findings
        .iter()
        .map(|f| f.id)
        .collect();
    assert_eq!(
        ids,
        BTreeSet::from([LintId::RegionMismatch, LintId::SubjectNotTrusted])
    );
}

#[test]
fn texts_speak_the_users_client() {
    // A uv, poetry or npm user is never told about twine.
    let siblings = siblings();
    for (name, client) in [
        ("no-publish-job-uv.yml", "uv publish"),
        ("upload-to-pypi-poetry.yml", "poetry publish"),
        ("other-format-npm.yml", "npm publish"),
    ] {
        let (_, text) = corpus("broken")
            .into_iter()
            .find(|(p, _)| p.ends_with(name))
            .expect("corpus file");
        let result = lint_in(&text, &context(&text), &siblings);
        let all: String = result
            .findings
            .iter()
            .map(|f| format!("{} {}\n", f.message, f.fix))
            .collect();
        assert!(all.contains(client), "{name}: {all}");
        assert!(!all.to_lowercase().contains("twine"), "{name}: {all}");
    }
}
