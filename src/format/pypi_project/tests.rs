use super::*;

fn target() -> PypiTarget {
    PypiTarget {
        domain: "octo-org".to_owned(),
        owner: "111122223333".to_owned(),
        region: "us-east-1".to_owned(),
        repository: "widgets".to_owned(),
        endpoint: None,
    }
}

const ENDPOINT: &str =
    "https://octo-org-111122223333.d.codeartifact.us-east-1.amazonaws.com/pypi/widgets/";

fn lines(found: &[IndexFinding]) -> Vec<(&'static str, usize)> {
    found.iter().map(|f| (f.file, f.line)).collect()
}

#[test]
fn uv_indexes_of_this_repository_use_each_url_for_its_job() {
    let good = format!(
        "[project]\nname = 'w'\n\n[[tool.uv.index]]\nname = 'codeartifact'\nurl = '{ENDPOINT}simple/'\npublish-url = '{ENDPOINT}'\n\n[[tool.uv.index]]\nname = 'pypi'\nurl = 'https://pypi.org/simple/'\n"
    );
    assert_eq!(check_uv(&good, &target()), vec![]);
    let swapped = format!(
        "[[tool.uv.index]]\nname = 'codeartifact'\nurl = '{ENDPOINT}'\npublish-url = '{ENDPOINT}simple'\n"
    );
    let found = check_uv(&swapped, &target());
    assert_eq!(
        lines(&found),
        vec![("pyproject.toml", 3), ("pyproject.toml", 4)]
    );
    assert!(
        found[0].message.contains("package not found"),
        "{}",
        found[0].message
    );
    assert!(
        found[0].fix.ends_with("/pypi/widgets/simple/"),
        "{}",
        found[0].fix
    );
    assert!(
        found[1].message.contains("uploads to it fail"),
        "{}",
        found[1].message
    );
}

#[test]
fn poetry_sources_and_local_repositories_are_judged() {
    let pyproject = format!(
        "[tool.poetry]\nname = 'w'\n\n[[tool.poetry.source]]\nname = 'ca'\nurl = '{ENDPOINT}'\npriority = 'primary'\n"
    );
    let found = check_poetry(&pyproject, None, &target());
    assert_eq!(lines(&found), vec![("pyproject.toml", 6)]);
    let local = "[repositories.codeartifact]\nurl = \"https://other-111122223333.d.codeartifact.us-east-1.amazonaws.com/pypi/x/\"\n";
    let found = check_poetry("[tool.poetry]\n", Some(local), &target());
    assert_eq!(lines(&found), vec![("poetry.toml", 2)]);
    assert!(found[0].message.contains("local"), "{}", found[0].message);
    let simple = format!("[repositories.mine]\nurl = \"{ENDPOINT}simple/\"\n");
    let found = check_poetry("", Some(&simple), &target());
    assert_eq!(lines(&found), vec![("poetry.toml", 2)]);
    // Another repository under another name is someone's own business.
    let other = "[repositories.testpypi]\nurl = \"https://test.pypi.org/legacy/\"\n";
    assert_eq!(check_poetry("", Some(other), &target()), vec![]);
}

#[test]
fn the_sandbox_endpoint_counts_and_bad_files_are_ignored() {
    let mut t = target();
    t.endpoint = Some("http://127.0.0.1:4000/octo-org-111122223333/pypi/widgets/".to_owned());
    let text =
        "[[tool.uv.index]]\nurl = 'http://127.0.0.1:4000/octo-org-111122223333/pypi/widgets/'\n";
    assert_eq!(lines(&check_uv(text, &t)), vec![("pyproject.toml", 2)]);
    assert_eq!(check_uv("not = [toml", &t), vec![]);
    assert_eq!(check_poetry("x", Some("[["), &t), vec![]);
}

#[test]
fn hostile_names_are_escaped() {
    let text = format!("[[tool.uv.index]]\nname = \"a\\u001b[2Jb\"\nurl = '{ENDPOINT}'\n");
    let found = check_uv(&text, &target());
    assert_eq!(found.len(), 1);
    assert!(
        !found[0].message.chars().any(char::is_control),
        "{:?}",
        found[0].message
    );
}
