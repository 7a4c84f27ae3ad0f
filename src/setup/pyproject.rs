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

/// `dir/pyproject.toml`'s project; `None` when there is no readable, valid file. The tree is
/// untrusted: a link (which could point out of it) or a file over 1 MiB is not read.
pub fn read(dir: &Path) -> Option<Project> {
    let text = crate::format::tree::read_text(dir, "pyproject.toml")?;
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

    #[test]
    fn a_link_out_of_the_tree_is_not_read() {
        let dir = tempfile::tempdir().expect("tempdir");
        let outside = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            outside.path().join("p.toml"),
            "[project]\nname = \"secret\"\n",
        )
        .expect("write");
        std::os::unix::fs::symlink(
            outside.path().join("p.toml"),
            dir.path().join("pyproject.toml"),
        )
        .expect("link");
        assert_eq!(read(dir.path()), None);
        std::fs::remove_file(dir.path().join("pyproject.toml")).expect("unlink");
        std::fs::write(
            dir.path().join("pyproject.toml"),
            "[project]\nname = \"w\"\n",
        )
        .expect("write");
        assert_eq!(read(dir.path()).and_then(|p| p.name).as_deref(), Some("w"));
    }
}
