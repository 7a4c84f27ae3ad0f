//! Package formats: everything that differs between CodeArtifact's pypi, npm, maven, nuget, cargo
//! and generic lives here, one file per format implementing [`PackageFormat`]. Items, the doctor,
//! the lint and the workflow generator loop over the setup's formats ([`FormatSetup`]) and ask the
//! trait; none of them matches on a format name.
//!
//! This file holds the names (CodeArtifact's formats, the clients), the trait, the registry of the
//! formats this build supports, and the setup's per-format entry with its text form
//! (`pypi:uv, npm`).

use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

mod entry;
mod npm;
pub mod npm_project;
pub mod pypi_project;
pub use npm::split_scope as npm_split_scope;
mod pypi;
pub mod tree;

pub use entry::{
    FormatSetup, detect_formats, formats_text, parse_formats, upstreams_text, with_connections,
    with_upstreams,
};

/// A CodeArtifact package format, by CodeArtifact's name (`--format` values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Pypi,
    Npm,
    Maven,
    Nuget,
    Cargo,
    Swift,
    Generic,
}

impl Format {
    pub const ALL: [Format; 7] = [
        Format::Pypi,
        Format::Npm,
        Format::Maven,
        Format::Nuget,
        Format::Cargo,
        Format::Swift,
        Format::Generic,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Pypi => "pypi",
            Format::Npm => "npm",
            Format::Maven => "maven",
            Format::Nuget => "nuget",
            Format::Cargo => "cargo",
            Format::Swift => "swift",
            Format::Generic => "generic",
        }
    }

    /// CodeArtifact's name (`--format` values) → the format.
    pub fn parse(name: &str) -> Option<Self> {
        Format::ALL
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(name))
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A client that installs and publishes packages of a format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Client {
    /// pip installs, twine uploads.
    Twine,
    Uv,
    Poetry,
    Npm,
    Pnpm,
    Yarn,
    Mvn,
    Gradle,
    Dotnet,
    Cargo,
    AwsCli,
}

impl Client {
    pub const ALL: [Client; 11] = [
        Client::Twine,
        Client::Uv,
        Client::Poetry,
        Client::Npm,
        Client::Pnpm,
        Client::Yarn,
        Client::Mvn,
        Client::Gradle,
        Client::Dotnet,
        Client::Cargo,
        Client::AwsCli,
    ];

    /// The format its publishing produces (the AWS CLI's is read from `--format`).
    pub fn format(self) -> Format {
        match self {
            Client::Twine | Client::Uv | Client::Poetry => Format::Pypi,
            Client::Npm | Client::Pnpm | Client::Yarn => Format::Npm,
            Client::Mvn | Client::Gradle => Format::Maven,
            Client::Dotnet => Format::Nuget,
            Client::Cargo => Format::Cargo,
            Client::AwsCli => Format::Generic,
        }
    }

    /// The name in the setup (`pypi:uv`) and the state file.
    pub fn key(self) -> &'static str {
        match self {
            Client::Twine => "pip",
            Client::Uv => "uv",
            Client::Poetry => "poetry",
            Client::Npm => "npm",
            Client::Pnpm => "pnpm",
            Client::Yarn => "yarn",
            Client::Mvn => "mvn",
            Client::Gradle => "gradle",
            Client::Dotnet => "dotnet",
            Client::Cargo => "cargo",
            Client::AwsCli => "aws",
        }
    }

    /// The `--tool` of `aws codeartifact login` that configures this client to install, when
    /// the AWS CLI has one (pnpm and yarn read npm's configuration).
    pub fn login_tool(self) -> Option<&'static str> {
        match self {
            Client::Twine | Client::Uv | Client::Poetry => Some("pip"),
            Client::Npm | Client::Pnpm | Client::Yarn => Some("npm"),
            Client::Dotnet => Some("dotnet"),
            Client::Mvn | Client::Gradle | Client::Cargo | Client::AwsCli => None,
        }
    }

    /// How people call it (`pip+twine` for the pair the guide uses).
    pub fn title(self) -> &'static str {
        match self {
            Client::Twine => "pip+twine",
            other => other.key(),
        }
    }

    /// A setup's client name → the client (`twine` too, for `pip`).
    pub fn parse(name: &str) -> Option<Self> {
        let name = name.trim().to_ascii_lowercase();
        if matches!(name.as_str(), "twine" | "pip+twine") {
            return Some(Client::Twine);
        }
        Client::ALL.into_iter().find(|c| c.key() == name)
    }
}

impl fmt::Display for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.title())
    }
}

impl Serialize for Client {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.key())
    }
}

impl<'de> Deserialize<'de> for Client {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        Client::parse(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown client {name:?}")))
    }
}

/// What a working tree says about one format: its client and, where the format has them, the
/// namespace of the project's package (an npm scope without `@`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detected {
    pub client: Client,
    pub namespace: Option<String>,
    /// The file that gave it away (`package.json`, `uv.lock`), for messages.
    pub evidence: &'static str,
}

/// One package format: what cawiz needs to know about it, asked by the items, the doctor, the
/// lint and the generator. One implementation per file of `src/format/`.
pub trait PackageFormat: Sync {
    /// CodeArtifact's name of the format.
    fn format(&self) -> Format;

    /// How people name it in a sentence (`PyPI`, `npm`).
    fn title(&self) -> &'static str;

    /// The clients cawiz drives for it, the default first.
    fn clients(&self) -> &'static [Client];

    /// The project of this format in the working tree `dir` (untrusted: read through
    /// [`tree`]), or `None` when it holds none.
    fn detect(&self, dir: &Path) -> Option<Detected>;

    /// The external connections an upstream of this format may have, the default first (empty:
    /// the format has no public registry, as generic).
    fn external_connections(&self) -> &'static [&'static str];

    /// The default name of the upstream repository holding the external connection.
    fn default_upstream(&self) -> Option<&'static str>;

    /// Whether `namespace` is valid for the format (`Err` says the rule). Formats without
    /// namespaces refuse every one.
    fn check_namespace(&self, namespace: &str) -> Result<(), String>;

    /// A package name as the client writes it → its namespace and name as CodeArtifact's API and
    /// ARNs take them (pypi: no namespace, the PEP 503 name; npm: `@scope/name` → `scope`,
    /// `name`).
    fn api_name(&self, name: &str) -> (Option<String>, String);
}

/// The formats this build supports, in the order the upstreams are listed.
const MODULES: [&dyn PackageFormat; 2] = [&pypi::Pypi, &npm::Npm];

/// The module of `format`, when this build supports it.
pub fn module(format: Format) -> Option<&'static dyn PackageFormat> {
    MODULES.iter().copied().find(|m| m.format() == format)
}

/// Every supported format.
pub fn modules() -> impl Iterator<Item = &'static dyn PackageFormat> {
    MODULES.iter().copied()
}

#[cfg(test)]
mod tests;
