//! A uv or poetry project's own index configuration, judged for the setup's repository (the
//! doctor's `index-config`). CodeArtifact's PyPI endpoint has two URLs: the repository endpoint
//! (`…/pypi/REPO/`) that uploads go to, and the simple index under it (`…/pypi/REPO/simple/`) that
//! installs read. Mixing them up is the classic mistake:
//!
//! - uv: a `[[tool.uv.index]]` of this repository whose `url` is not the `simple/` index (installs
//!   find nothing), or whose `publish-url` is (`uv publish --index NAME` fails);
//! - poetry: a `[[tool.poetry.source]]` of this repository whose `url` is not the `simple/` index;
//!   a `poetry.toml` repository (poetry's local configuration, which wins over what `poetry config`
//!   writes globally) of this repository pointing at the `simple/` index, or one named
//!   `codeartifact` — the name the generated workflow configures — pointing elsewhere.
//!
//! Pure: the caller reads the files (never through a link). Values from the files are quoted with
//! `{:?}` (escaped) in messages.

use serde::Deserialize;

use super::npm_project::Level;

/// The setup's repository, for PyPI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PypiTarget {
    pub domain: String,
    pub owner: String,
    pub region: String,
    pub repository: String,
    /// GetRepositoryEndpoint's answer, when known (the sandbox's is on loopback).
    pub endpoint: Option<String>,
}

impl PypiTarget {
    fn official(&self) -> String {
        format!(
            "https://{}-{}.d.codeartifact.{}.amazonaws.com/pypi/{}/",
            self.domain, self.owner, self.region, self.repository
        )
    }

    /// The repository endpoint uploads go to.
    pub fn endpoint(&self) -> String {
        self.endpoint.clone().unwrap_or_else(|| self.official())
    }

    /// Whether `url` is this repository's endpoint or its simple index: `Some(true)` for the
    /// simple index, `Some(false)` for the endpoint, `None` for another place.
    fn place(&self, url: &str) -> Option<bool> {
        let norm = |s: &str| s.trim().trim_end_matches('/').to_ascii_lowercase();
        let url = norm(url);
        [self.endpoint(), self.official()].iter().find_map(|base| {
            let base = norm(base);
            if url == base {
                Some(false)
            } else if url == format!("{base}/simple") {
                Some(true)
            } else {
                None
            }
        })
    }
}

/// One mistake, at a line of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexFinding {
    pub level: Level,
    pub file: &'static str,
    /// 1-based.
    pub line: usize,
    pub message: String,
    pub fix: String,
}

#[derive(Debug, Default, Deserialize)]
struct Pyproject {
    #[serde(default)]
    tool: Tool,
}

#[derive(Debug, Default, Deserialize)]
struct Tool {
    #[serde(default)]
    uv: Uv,
    #[serde(default)]
    poetry: Poetry,
}

#[derive(Debug, Default, Deserialize)]
struct Uv {
    #[serde(default)]
    index: Vec<UvIndex>,
}

#[derive(Debug, Deserialize)]
struct UvIndex {
    name: Option<String>,
    url: Option<String>,
    #[serde(rename = "publish-url")]
    publish_url: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct Poetry {
    #[serde(default)]
    source: Vec<PoetrySource>,
}

#[derive(Debug, Deserialize)]
struct PoetrySource {
    name: Option<String>,
    url: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct PoetryToml {
    #[serde(default)]
    repositories: std::collections::BTreeMap<String, PoetryRepository>,
}

#[derive(Debug, Deserialize)]
struct PoetryRepository {
    url: Option<String>,
}

/// The 1-based line of the first line of `text` holding `value` (1 when not found).
fn line_of(text: &str, value: &str) -> usize {
    text.lines()
        .position(|l| l.contains(value))
        .map_or(1, |i| i + 1)
}

fn error(file: &'static str, text: &str, url: &str, message: String, fix: String) -> IndexFinding {
    IndexFinding {
        level: Level::Error,
        file,
        line: line_of(text, url),
        message,
        fix,
    }
}

fn install_url(
    file: &'static str,
    text: &str,
    what: String,
    url: &str,
    t: &PypiTarget,
) -> Option<IndexFinding> {
    (!t.place(url)?).then(|| {
        error(
            file,
            text,
            url,
            format!(
                "{what} names this repository's upload endpoint, not its index: installs through \
                 it find nothing (package not found)"
            ),
            format!("use the simple index: {}simple/", t.endpoint()),
        )
    })
}

fn publish_url(
    file: &'static str,
    text: &str,
    what: String,
    url: &str,
    t: &PypiTarget,
) -> Option<IndexFinding> {
    t.place(url)?.then(|| {
        error(
            file,
            text,
            url,
            format!("{what} names this repository's simple index: uploads to it fail"),
            format!("upload to the repository endpoint: {}", t.endpoint()),
        )
    })
}

/// uv's indexes in pyproject.toml.
pub fn check_uv(pyproject: &str, t: &PypiTarget) -> Vec<IndexFinding> {
    let Ok(p) = toml::from_str::<Pyproject>(pyproject) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for index in &p.tool.uv.index {
        let name = format!("{:?}", index.name.as_deref().unwrap_or("(unnamed)"));
        if let Some(url) = &index.url {
            out.extend(install_url(
                "pyproject.toml",
                pyproject,
                format!("[[tool.uv.index]] {name}'s url"),
                url,
                t,
            ));
        }
        if let Some(url) = &index.publish_url {
            out.extend(publish_url(
                "pyproject.toml",
                pyproject,
                format!("[[tool.uv.index]] {name}'s publish-url"),
                url,
                t,
            ));
        }
    }
    out
}

/// poetry's sources in pyproject.toml and repositories in poetry.toml.
pub fn check_poetry(
    pyproject: &str,
    poetry_toml: Option<&str>,
    t: &PypiTarget,
) -> Vec<IndexFinding> {
    let mut out = Vec::new();
    if let Ok(p) = toml::from_str::<Pyproject>(pyproject) {
        for source in &p.tool.poetry.source {
            let name = format!("{:?}", source.name.as_deref().unwrap_or("(unnamed)"));
            if let Some(url) = &source.url {
                out.extend(install_url(
                    "pyproject.toml",
                    pyproject,
                    format!("[[tool.poetry.source]] {name}'s url"),
                    url,
                    t,
                ));
            }
        }
    }
    let Some(text) = poetry_toml else {
        return out;
    };
    let Ok(config) = toml::from_str::<PoetryToml>(text) else {
        return out;
    };
    for (name, repo) in &config.repositories {
        let Some(url) = &repo.url else { continue };
        let what = format!("poetry.toml's repositories.{:?}.url", name);
        match t.place(url) {
            Some(true) => out.extend(publish_url("poetry.toml", text, what, url, t)),
            Some(false) => {}
            None if name == "codeartifact" && !url.contains("${") => out.push(error(
                "poetry.toml",
                text,
                url,
                format!(
                    "{what} sends `poetry publish -r codeartifact` elsewhere: poetry's local \
                     configuration wins over the URL the workflow sets with `poetry config`"
                ),
                format!(
                    "remove the repository from poetry.toml, or set it to {}",
                    t.endpoint()
                ),
            )),
            None => {}
        }
    }
    out
}

#[cfg(test)]
mod tests;
