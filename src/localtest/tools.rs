//! Finding the user's Python, pip and twine; the distributions to upload and their names.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use super::LocalTestError;
use super::Secret;
use super::process::{Invocation, Isolation, run_quiet};

/// How to install twine, for the "not found" error.
pub(super) const INSTALL_TWINE: &str = "install it with `python3 -m pip install twine`";

/// A program and the arguments that always come first (`python -m twine` is python + `-m twine`).
#[derive(Debug, Clone)]
pub(super) struct Tool {
    pub program: PathBuf,
    pub prefix: Vec<OsString>,
}

impl Tool {
    fn new(program: PathBuf) -> Self {
        Self {
            program,
            prefix: Vec::new(),
        }
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
    found.map(Tool::new).ok_or_else(|| {
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
        &python.invocation().args(["-m", "pip", "--version"]),
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

/// A path as given (when it has a directory part) or looked up on PATH (a bare name).
fn resolve(program: &Path) -> Option<PathBuf> {
    if program.components().count() > 1 || program.is_absolute() {
        is_executable(program).then(|| program.to_path_buf())
    } else {
        which(&program.to_string_lossy())
    }
}

/// The first executable `name` on PATH.
pub(super) fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).find_map(|dir| {
        let candidates = [dir.join(name), dir.join(format!("{name}.exe"))];
        candidates.into_iter().find(|c| is_executable(c))
    })
}

fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        path.metadata()
            .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
            .unwrap_or(false)
    }
    #[cfg(not(unix))]
    {
        path.is_file()
    }
}

/// The interpreter of a venv created at `venv`.
pub(super) fn venv_python(venv: &Path) -> PathBuf {
    if cfg!(windows) {
        venv.join("Scripts").join("python.exe")
    } else {
        venv.join("bin").join("python")
    }
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

/// The wheels and sdists in `dir` (sorted), or why there are none.
pub(super) fn dist_files(dir: &Path) -> Result<Vec<PathBuf>, LocalTestError> {
    let bad = |reason: String| LocalTestError::BadDistDir {
        path: dir.to_path_buf(),
        reason,
    };
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
    let version_ok = version.starts_with(|c: char| c.is_ascii_digit());
    (!name.is_empty() && version_ok).then(|| (normalize_name(name), version.to_owned()))
}
