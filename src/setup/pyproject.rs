//! The working tree's `pyproject.toml`: the project's `name` and `version` (PEP 621 `[project]`,
//! static values only), read with the `toml` crate.

use std::path::Path;

use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
struct File {
    #[serde(default)]
    project: Project,
}

/// `[project]`'s name and version, when static.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Project {
    pub name: Option<String>,
    pub version: Option<String>,
}

/// `dir/pyproject.toml`'s project; `None` when there is no readable, valid file.
pub fn read(dir: &Path) -> Option<Project> {
    let text = std::fs::read_to_string(dir.join("pyproject.toml")).ok()?;
    parse(&text)
}

fn parse(text: &str) -> Option<Project> {
    let file: File = toml::from_str(text).ok()?;
    let keep = |v: Option<String>| v.filter(|v| !v.trim().is_empty());
    Some(Project {
        name: keep(file.project.name),
        version: keep(file.project.version),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_and_version_come_from_the_project_table_only() {
        let p = parse(
            "[build-system]\nrequires = [\"hatchling\"]\nversion = \"9\"\n\n[project]\nname = \"My_Pkg\"\nversion = \"1.2.3\"\n",
        )
        .expect("valid");
        assert_eq!(p.name.as_deref(), Some("My_Pkg"));
        assert_eq!(p.version.as_deref(), Some("1.2.3"));
        let dynamic = parse("[project]\nname = \"x\"\ndynamic = [\"version\"]\n").expect("valid");
        assert_eq!(dynamic.version, None);
        assert_eq!(parse("not toml ["), None);
    }
}
