//! Finding the user's Python, pip and twine; the distributions to upload and their names.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use super::LocalTestError;
use super::Secret;
use super::process::{Invocation, Isolation, run_quiet};

/// How to install twine, for the "not found" error.
pub(super) const INSTALL_TWINE: &str = "install it with `python3 -m pip install twine`";

/// How every Python child starts: `-I`, isolated mode (neither the working directory nor a
/// script's directory on the import path, no `PYTHON*` variables, no user site-packages: nothing
/// of a clone is imported), and `-u`, unbuffered (output streams line by line, as
/// `PYTHONUNBUFFERED` did before `-I` made Python ignore it).
pub(super) const PYTHON_FLAGS: [&str; 2] = ["-I", "-u"];

/// A program and the arguments that always come first (`python -I -u -m twine` is python +
/// its flags + `-m twine`).
#[derive(Debug, Clone)]
pub(super) struct Tool {
    pub program: PathBuf,
    pub prefix: Vec<OsString>,
}

impl Tool {
    pub(super) fn new(program: PathBuf) -> Self {
        Self {
            program,
            prefix: Vec::new(),
        }
    }

    /// A Python interpreter, run with [`PYTHON_FLAGS`].
    pub fn python(program: PathBuf) -> Self {
        Self {
            program,
            prefix: PYTHON_FLAGS.iter().map(OsString::from).collect(),
        }
    }

    /// This interpreter running `module` (`-m module`).
    pub fn module(&self, module: &str) -> Invocation {
        self.invocation().args(["-m", module])
    }

    pub fn invocation(&self) -> Invocation {
        Invocation::new(&self.program).args(self.prefix.iter().cloned())
    }
}

/// The interpreter: `explicit` (a path, or a name looked up on PATH), else `python3` then `python`
/// on PATH.
pub(super) fn find_python(explicit: Option<&Path>) -> Result<Tool, LocalTestError> {
    let found = match explicit {
        Some(p) => resolve(p),
        None => which("python3").or_else(|| which("python")),
    };
    found.map(Tool::python).ok_or_else(|| {
        let what = explicit.map_or_else(
            || "python3 (or python) on PATH".to_owned(),
            |p| p.display().to_string(),
        );
        LocalTestError::ToolNotFound {
            tool: "Python".to_owned(),
            install: format!(
                "{what} does not exist; install Python 3 (https://www.python.org/downloads/) or \
                 choose the interpreter to use"
            ),
        }
    })
}

/// Checks that `python -m pip` works; returns its `--version` line (`pip 26.3 from … (python 3.11)`).
pub(super) async fn check_pip(python: &Tool, token: &Secret) -> Result<String, LocalTestError> {
    let outcome = run_quiet(
        &python.module("pip").arg("--version"),
        token,
        Isolation::Isolated,
    )
    .await?;
    match outcome.first_stdout() {
        Some(version) if outcome.success => Ok(version.to_owned()),
        _ => {
            let py = python.program.display();
            Err(LocalTestError::ToolNotFound {
                tool: "pip".to_owned(),
                install: format!(
                    "`{py} -m pip` does not work ({}); install it with `{py} -m ensurepip --upgrade`",
                    outcome.failure_detail()
                ),
            })
        }
    }
}

/// twine: `explicit`, else `twine` on PATH, else `python -m twine`. Returns it with its
/// `--version` line.
pub(super) async fn find_twine(
    explicit: Option<&Path>,
    python: &Tool,
    token: &Secret,
) -> Result<(Tool, String), LocalTestError> {
    let mut candidates = Vec::new();
    match explicit {
        Some(p) => candidates.extend(resolve(p).map(Tool::new)),
        None => {
            candidates.extend(which("twine").map(Tool::new));
            let mut module = python.clone();
            module.prefix.extend(["-m".into(), "twine".into()]);
            candidates.push(module);
        }
    }
    for tool in candidates {
        let outcome = run_quiet(
            &tool.invocation().arg("--version"),
            token,
            Isolation::Isolated,
        )
        .await?;
        if let (true, Some(version)) = (outcome.success, outcome.first_stdout()) {
            // `twine version 7.0.0 (readme-renderer: 43.0, requests: …)`: the part before ` (`.
            let version = version.split(" (").next().unwrap_or(version).to_owned();
            return Ok((tool, version));
        }
    }
    let install = match explicit {
        Some(p) => format!("{} does not run; {INSTALL_TWINE}", p.display()),
        None => format!("neither on PATH nor importable by Python; {INSTALL_TWINE}"),
    };
    Err(LocalTestError::ToolNotFound {
        tool: "twine".to_owned(),
        install,
    })
}

pub(super) use crate::child::{resolve, which};

/// The interpreter of a venv created at `venv`.
pub(super) fn venv_python(venv: &Path) -> Tool {
    Tool::python(if cfg!(windows) {
        venv.join("Scripts").join("python.exe")
    } else {
        venv.join("bin").join("python")
    })
}

/// PEP 503 name normalisation (one implementation for the whole crate).
pub(super) use crate::setup::normalize_package_name as normalize_name;

/// The generated probe's name: `<repository>-cawiz-probe`, normalised.
pub(super) fn probe_name(repository: &str) -> String {
    normalize_name(&format!("{repository}-cawiz-probe"))
}

/// The module `sandbox::wheel::build_simple` puts in a wheel of `name`.
pub(super) fn module_name(name: &str) -> String {
    crate::sandbox::wheel::wheel_dist_name(name)
}

/// The wheels and sdists in `dir` (sorted, absolute: twine runs in a directory of its own), or why
/// there are none.
pub(super) fn dist_files(dir: &Path) -> Result<Vec<PathBuf>, LocalTestError> {
    let bad = |reason: String| LocalTestError::BadDistDir {
        path: dir.to_path_buf(),
        reason,
    };
    let dir = &std::path::absolute(dir).map_err(|e| bad(format!("cannot be read: {e}")))?;
    if !dir.is_dir() {
        return Err(bad(
            "does not exist or is not a directory; build your package first (e.g. \
             `python3 -m build`)"
                .to_owned(),
        ));
    }
    let entries = std::fs::read_dir(dir).map_err(|e| bad(format!("cannot be read: {e}")))?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| bad(format!("cannot be read: {e}")))?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_file() && dist_name_version(&name).is_some() {
            files.push(path);
        }
    }
    if files.is_empty() {
        return Err(bad(
            "holds no wheel or sdist (*.whl, *.tar.gz, *.zip); build your package first (e.g. \
             `python3 -m build`)"
                .to_owned(),
        ));
    }
    files.sort();
    Ok(files)
}

/// The (normalised name, version) a distribution file name declares: wheels
/// `{name}-{version}(-{build})?-{python}-{abi}-{platform}.whl` (PEP 427), sdists
/// `{name}-{version}.tar.gz` or `.zip`.
pub fn dist_name_version(file_name: &str) -> Option<(String, String)> {
    let (name, version) = if let Some(stem) = file_name.strip_suffix(".whl") {
        let parts: Vec<&str> = stem.split('-').collect();
        if !(5..=6).contains(&parts.len()) {
            return None;
        }
        (parts[0], parts[1])
    } else {
        let stem = file_name
            .strip_suffix(".tar.gz")
            .or_else(|| file_name.strip_suffix(".zip"))?;
        stem.rsplit_once('-')?
    };
    // Both end up in `pip install NAME==VERSION`: a PEP 508 name, and a version of PEP 440's
    // characters (a wheel spells `-` as `_`).
    let version_ok = version.starts_with(|c: char| c.is_ascii_digit())
        && version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".+!_".contains(c));
    let name_ok = crate::setup::validate(crate::setup::Field::PackageName, name).is_ok();
    (name_ok && version_ok).then(|| (normalize_name(name), version.to_owned()))
}
