//! Building distributions in a job, simulated: `python -m build` builds the project's wheel (named
//! after the repository, or `[project].name` of its `pyproject.toml`; the release tag's version,
//! else `[project].version`, else 0.1.0), and the generated probe step — recognised by the
//! `-cawiz-probe` package it writes — builds `<repository>-cawiz-probe` at
//! `0.0.<run id>.<attempt>`, each in the `--outdir` it names (default `dist/`). The wheels are real
//! (`crate::wheel`), so the index checks them.

use super::sh::{Exit, Sh, option};
use super::state::dir_name;
use super::state::{Dist, Run};
use crate::wheel;
use crate::world::normalize_name;

/// What a script must contain to be the probe step.
pub const PROBE_MARK: &str = "cawiz-probe";

/// The project a run builds: (name, version).
pub fn project(run: &Run, pyproject: Option<&str>) -> (String, String) {
    let field = |key: &str| {
        let text = pyproject?;
        let section = text.split("[project]").nth(1)?;
        let section = section.split("\n[").next().unwrap_or(section);
        section.lines().find_map(|l| {
            let (k, v) = l.split_once('=')?;
            (k.trim() == key).then(|| v.trim().trim_matches('"').trim_matches('\'').to_owned())
        })
    };
    let name = field("name").unwrap_or_else(|| run.repo.clone());
    let tag = run
        .event
        .git_ref
        .strip_prefix("refs/tags/")
        .map(|t| t.trim_start_matches(['v', 'V']).to_owned());
    let version = tag
        .or_else(|| field("version"))
        .unwrap_or_else(|| "0.1.0".to_owned());
    (name, version)
}

fn dist(name: &str, version: &str, summary: &str) -> Result<Dist, String> {
    let w = wheel::build_simple(name, version, summary).map_err(|e| e.to_string())?;
    Ok(Dist {
        name: name.to_owned(),
        version: version.to_owned(),
        filename: w.filename,
        bytes: w.bytes,
    })
}

fn built(sh: &mut Sh<'_, '_>, d: Dist, outdir: &str) {
    let sdist = format!("{}-{}.tar.gz", wheel::wheel_dist_name(&d.name), d.version);
    sh.say("* Creating isolated environment: venv+pip...");
    sh.say("* Building sdist...");
    sh.say("* Building wheel from sdist");
    sh.say(format!(
        "Successfully built \x1b[1m{sdist}\x1b[0m and \x1b[1m{}\x1b[0m",
        d.filename
    ));
    sh.scratch.dirs.insert(dir_name(outdir), vec![d]);
}

/// `--outdir DIR` (`-o DIR`) of `python -m build`, default `dist`.
pub fn outdir(args: &[String]) -> String {
    option(args, &["--outdir", "-o"]).unwrap_or_else(|| "dist".to_owned())
}

/// `python -m build [--outdir DIR]`: the project's wheel in `DIR` (default `dist/`).
pub fn build_project(sh: &mut Sh<'_, '_>, args: &[String]) -> Exit {
    let (name, version) = sh.run.project.clone();
    match dist(&name, &version, "Built by the cawiz sandbox's runner") {
        Ok(d) => {
            built(sh, d, &outdir(args));
            Ok(String::new())
        }
        Err(e) => {
            sh.say(format!("ERROR Backend subprocess exited: {e}"));
            Err(1)
        }
    }
}

/// The generated probe step: `<repository>-cawiz-probe==0.0.<run id>.1` in `outdir`.
pub fn build_probe(sh: &mut Sh<'_, '_>, outdir: &str) -> Exit {
    // The name the step's environment gives, else `<repository>-cawiz-probe`.
    let suffix = format!("-{PROBE_MARK}");
    let name = sh
        .vars
        .values()
        .find(|v| v.ends_with(&suffix) && !v.contains(char::is_whitespace))
        .cloned()
        .unwrap_or_else(|| format!("{}{suffix}", normalize_name(&sh.run.repo)));
    let version = format!("0.0.{}.1", sh.run.id);
    let summary = "Throw-away probe package published by cawiz to verify CodeArtifact access.";
    match dist(&name, &version, summary) {
        Ok(d) => {
            built(sh, d, outdir);
            sh.say(format!("Built probe {name}=={version}"));
            Ok(String::new())
        }
        Err(e) => {
            sh.say(format!("ERROR Backend subprocess exited: {e}"));
            Err(1)
        }
    }
}
