//! The state file: one JSON file per setup, written atomically (temp file + fsync + rename) with mode
//! 0600, versioned, append-only history, never a secret. A file that cannot be read is kept and
//! reported, never overwritten; a file from a newer cawiz is refused.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::setup::Setup;

mod known;
mod local_test;
mod migrate;

pub use known::{Known, KnownBranch, KnownPolicy, KnownRole};
pub use local_test::{FormatTestResult, LocalTestRecord, LocalTestStep};
pub use migrate::REGIONAL_KINDS;

/// The schema this build writes and reads. Bump it with a migration (`state/migrate.rs`) when the
/// shape changes. 2: created resources record their region. 3: the setup has package formats.
pub const SCHEMA_VERSION: u32 = 3;

#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error(
        "the state file {path} cannot be read as cawiz state ({reason}). It was left untouched: fix or move it, \
         or pass --state with another path"
    )]
    Corrupt { path: PathBuf, reason: String },
    #[error(
        "the state file {path} was written by a newer cawiz (schema {found}; this build reads up to {supported}). \
         Upgrade cawiz, or pass --state with another path"
    )]
    NewerSchema {
        path: PathBuf,
        found: u64,
        supported: u32,
    },
    #[error("cannot {action} the state file {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("refusing to write the state file {path}: it would contain a secret ({what})")]
    Secret { path: PathBuf, what: String },
    #[error("no data directory for this user (HOME unset?); pass --state PATH")]
    NoDataDir,
}

/// The last known status of one checklist item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemRecord {
    /// done | missing | drift | blocked | error | unknown
    pub status: String,
    /// One line a person can read.
    pub summary: String,
    /// Seconds since the epoch.
    pub checked_at: u64,
}

/// A resource cawiz created (and so may destroy).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedResource {
    pub item: String,
    pub kind: String,
    /// ARN, or name where a resource has no ARN.
    pub id: String,
    pub created_at: u64,
    /// The region it was created in (CodeArtifact's resources; IAM and GitHub ones are global):
    /// destroy and checks look for it there, whatever region a later command runs in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// One action in the append-only history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub at: u64,
    pub item: String,
    pub action: String,
    pub outcome: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    pub schema_version: u32,
    pub setup: Setup,
    #[serde(default)]
    pub items: BTreeMap<String, ItemRecord>,
    #[serde(default)]
    pub created: Vec<CreatedResource>,
    #[serde(default)]
    pub history: Vec<HistoryEntry>,
    /// The item the TUI showed last, to resume there.
    #[serde(default)]
    pub selected_item: Option<String>,
    /// The last local test's outcome (no token, no URL with credentials).
    #[serde(default)]
    pub local_test: Option<LocalTestRecord>,
    /// Facts learned from AWS that let the next `status` read everything at once (a file without
    /// them loads: the first status then waits for the answers, as before).
    #[serde(default, skip_serializing_if = "Known::is_empty")]
    pub known: Known,
}

impl State {
    pub fn new(setup: Setup) -> Self {
        Self {
            schema_version: SCHEMA_VERSION,
            setup,
            items: BTreeMap::new(),
            created: Vec::new(),
            history: Vec::new(),
            selected_item: None,
            local_test: None,
            known: Known::default(),
        }
    }

    pub fn record(&mut self, item: &str, action: &str, outcome: &str) {
        self.history.push(HistoryEntry {
            at: now_secs(),
            item: item.to_owned(),
            action: action.to_owned(),
            outcome: outcome.to_owned(),
        });
    }
}

pub fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// `2026-11-21 06:30 UTC` for seconds since the epoch.
pub fn format_time(secs: u64) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    i64::try_from(secs)
        .ok()
        .and_then(|s| time::OffsetDateTime::from_unix_timestamp(s).ok())
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_else(|| format!("@{secs}"))
}

/// The state file of `setup` in a setups directory: `<owner>-<repo>.json`, e.g.
/// `~/.local/share/cawiz/setups/octo-org-widgets.json`.
pub fn setup_file(dir: &Path, setup: &Setup) -> PathBuf {
    dir.join(format!("{}.json", setup.slug()))
}

/// Where setups live: `<data dir>/setups`, or `<data dir>/sandbox` for rehearsals against the
/// sandbox (kept apart so sandbox resources never mix with real ones).
pub fn setups_dir(sandbox: bool) -> Result<PathBuf, StateError> {
    let dirs =
        directories::ProjectDirs::from("dev", "cawiz", "cawiz").ok_or(StateError::NoDataDir)?;
    Ok(dirs
        .data_dir()
        .join(if sandbox { "sandbox" } else { "setups" }))
}

/// The state files in `dir` (sorted), for finding the one setup when no repository says which.
pub fn list_setups(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
}

/// Reads a state file; `Ok(None)` when there is none yet.
pub fn load(path: &Path) -> Result<Option<State>, StateError> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(StateError::Io {
                action: "read",
                path: path.to_owned(),
                source,
            });
        }
    };
    let corrupt = |reason: String| StateError::Corrupt {
        path: path.to_owned(),
        reason,
    };
    let value: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|e| corrupt(format!("not JSON: {e}")))?;
    let version = value
        .get("schema_version")
        .and_then(serde_json::Value::as_u64)
        .ok_or_else(|| corrupt("no schema_version".to_owned()))?;
    if version > u64::from(SCHEMA_VERSION) {
        return Err(StateError::NewerSchema {
            path: path.to_owned(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    serde_json::from_value(migrate::migrate(value, version))
        .map(Some)
        .map_err(|e| corrupt(e.to_string()))
}

/// Credentials in a URL (`scheme://user:password@host`), a CodeArtifact-looking token, or an AWS
/// access key id.
static SECRET: LazyLock<regex::Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used)]
    regex::Regex::new(
        r"://[^/@\s]+:[^/@\s]+@|cawizsbx\.|(?:^|[^A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}",
    )
    .expect("valid built-in pattern")
});

/// AWS's documented example key ids (`AKIAIOSFODNN7EXAMPLE`, the sandbox's) end in `EXAMPLE`: no
/// real key does, and secret scanners let them through.
fn is_example_key(found: &str) -> bool {
    found.ends_with("EXAMPLE") && (found.contains("AKIA") || found.contains("ASIA"))
}

/// The first text in `json` that looks like a secret.
fn secret_in(json: &str) -> Option<&str> {
    SECRET
        .find_iter(json)
        .map(|m| m.as_str())
        .find(|found| !is_example_key(found))
}

/// Writes atomically ([`crate::atomic::write`]: a temporary file with a random name created with
/// `create_new`, mode 0600, beside the target; fsync, rename, fsync the directory).
/// Refuses to replace a file it could not read (call `load` first; `Corrupt` is never overwritten).
pub fn save(path: &Path, state: &State) -> Result<(), StateError> {
    let io = |action: &'static str| {
        move |source| StateError::Io {
            action,
            path: path.to_owned(),
            source,
        }
    };
    let json = serde_json::to_string_pretty(state)
        .map_err(|e| io("serialise")(std::io::Error::other(e)))?;
    if let Some(found) = secret_in(&json) {
        return Err(StateError::Secret {
            path: path.to_owned(),
            what: format!("text like {:?}", found.chars().take(12).collect::<String>()),
        });
    }
    if path.exists() {
        // Never clobber a file we cannot read: it may be a user's edit, or a newer cawiz's.
        load(path)?;
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io("create the directory of"))?;
    let mut text = json.into_bytes();
    text.push(b'\n');
    crate::atomic::write(path, &text, 0o600).map_err(io("write"))
}

#[cfg(test)]
mod tests;
