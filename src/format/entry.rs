//! The setup's entry per format: the format, its client, its upstream repository with the
//! external connection, and the namespace its packages live in (an npm scope). Written as text
//! `FORMAT[:CLIENT][@NAMESPACE]`, comma-separated (`pypi:uv, npm@octo-org`), as `init --format`
//! and the form take it.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{Client, Format, PackageFormat, module, modules};
use crate::setup::rules::{Field, FieldError, upstream_differs, validate};

/// One format of the setup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Raw")]
pub struct FormatSetup {
    pub format: Format,
    pub client: Client,
    /// The upstream repository holding the external connection (none for generic).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upstream: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_connection: Option<String>,
    /// Where the project's packages live in the format's namespace (an npm scope, no `@`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
}

/// The same fields, before the format and client are known to fit together.
#[derive(Deserialize)]
struct Raw {
    format: Format,
    client: Client,
    #[serde(default)]
    upstream: Option<String>,
    #[serde(default)]
    external_connection: Option<String>,
    #[serde(default)]
    namespace: Option<String>,
}

impl TryFrom<Raw> for FormatSetup {
    type Error = String;

    fn try_from(raw: Raw) -> Result<Self, String> {
        let m = supported(raw.format).map_err(|e| e.rule)?;
        if !m.clients().contains(&raw.client) {
            return Err(format!("{} is not a client of {}", raw.client, raw.format));
        }
        Ok(FormatSetup {
            format: raw.format,
            client: raw.client,
            upstream: raw.upstream,
            external_connection: raw.external_connection,
            namespace: raw.namespace,
        })
    }
}

fn formats_error(value: &str, rule: String) -> FieldError {
    FieldError {
        field: Field::Formats,
        value: value.to_owned(),
        rule,
    }
}

/// The module of `format`, or the rule saying which formats this build supports.
fn supported(format: Format) -> Result<&'static dyn PackageFormat, FieldError> {
    module(format).ok_or_else(|| {
        let names: Vec<&str> = modules().map(|m| m.format().as_str()).collect();
        formats_error(
            format.as_str(),
            format!(
                "this cawiz sets up {} (CodeArtifact's {format} format is not supported yet)",
                names.join(" and ")
            ),
        )
    })
}

impl FormatSetup {
    /// `format` with `client` and the format's default upstream and external connection.
    pub fn new(m: &dyn PackageFormat, client: Client) -> Self {
        Self {
            format: m.format(),
            client,
            upstream: m.default_upstream().map(str::to_owned),
            external_connection: m.external_connections().first().map(|c| (*c).to_owned()),
            namespace: None,
        }
    }

    /// pypi with pip+twine, `pypi-store` on `public:pypi`: the guide's setup.
    pub fn pypi() -> Self {
        Self::new(&super::pypi::Pypi, Client::Twine)
    }

    /// The format's module (every entry's format is supported: deserialising checks it).
    pub fn module(&self) -> &'static dyn PackageFormat {
        module(self.format).unwrap_or(&super::pypi::Pypi)
    }

    /// `FORMAT[:CLIENT][@NAMESPACE]`, the client left out when it is the format's default.
    pub fn text(&self) -> String {
        let mut out = self.format.as_str().to_owned();
        if self.module().clients().first() != Some(&self.client) {
            out.push(':');
            out.push_str(self.client.key());
        }
        if let Some(ns) = &self.namespace {
            out.push('@');
            out.push_str(ns);
        }
        out
    }

    /// Every rule the entry breaks, against the setup's repository.
    pub fn validate(&self, repository: &str) -> Vec<FieldError> {
        let m = self.module();
        let mut errors = Vec::new();
        if let Some(upstream) = &self.upstream {
            errors.extend(validate(Field::Upstream, upstream).err());
            errors.extend(upstream_differs(upstream, repository).err());
        }
        match &self.external_connection {
            Some(c) if !m.external_connections().contains(&c.as_str()) => {
                errors.push(FieldError {
                    field: Field::ExternalConnection,
                    value: c.clone(),
                    rule: format!(
                        "{} upstreams connect to {}",
                        m.title(),
                        m.external_connections().join(" or ")
                    ),
                });
            }
            Some(_) if self.upstream.is_none() => errors.push(formats_error(
                self.format.as_str(),
                "an external connection needs an upstream repository to hold it".to_owned(),
            )),
            _ => {}
        }
        if let Some(ns) = &self.namespace {
            errors.extend(m.check_namespace(ns).err().map(|rule| FieldError {
                field: Field::Namespace,
                value: ns.clone(),
                rule,
            }));
        }
        errors
    }
}

/// One `FORMAT[:CLIENT][@NAMESPACE]` item.
fn parse_one(item: &str, previous: &[FormatSetup]) -> Result<FormatSetup, FieldError> {
    let (head, namespace) = match item.split_once('@') {
        Some((head, ns)) => (head, Some(ns.trim().to_owned())),
        None => (item, None),
    };
    let (name, client) = match head.split_once(':') {
        Some((name, client)) => (name.trim(), Some(client.trim())),
        None => (head.trim(), None),
    };
    let format = Format::parse(name).ok_or_else(|| {
        formats_error(
            name,
            "a format is one of CodeArtifact's: pypi, npm, maven, nuget, cargo, generic".to_owned(),
        )
    })?;
    let m = supported(format)?;
    let known: Vec<&str> = m.clients().iter().map(|c| c.key()).collect();
    let client = match client {
        None => m.clients().first().copied(),
        Some(c) => Client::parse(c).filter(|c| m.clients().contains(c)),
    }
    .ok_or_else(|| {
        formats_error(
            item.trim(),
            format!("the clients of {format} are {}", known.join(", ")),
        )
    })?;
    let mut entry = previous
        .iter()
        .find(|p| p.format == format)
        .cloned()
        .unwrap_or_else(|| FormatSetup::new(m, client));
    entry.client = client;
    if let Some(ns) = namespace {
        m.check_namespace(&ns).map_err(|rule| FieldError {
            field: Field::Namespace,
            value: ns.clone(),
            rule,
        })?;
        entry.namespace = Some(ns);
    }
    Ok(entry)
}

/// The formats of a text like `pypi:uv, npm@octo-org`; an entry of `previous` with the same format
/// keeps its upstream, connection and namespace.
pub fn parse_formats(text: &str, previous: &[FormatSetup]) -> Result<Vec<FormatSetup>, FieldError> {
    validate(Field::Formats, text)?;
    let mut out: Vec<FormatSetup> = Vec::new();
    for item in text.split(',').filter(|i| !i.trim().is_empty()) {
        let entry = parse_one(item, previous)?;
        if out.iter().any(|e| e.format == entry.format) {
            return Err(formats_error(
                item.trim(),
                format!("{} is listed twice", entry.format),
            ));
        }
        out.push(entry);
    }
    if out.is_empty() {
        return Err(formats_error(
            text,
            "name at least one format, e.g. pypi or npm".to_owned(),
        ));
    }
    Ok(out)
}

/// The text form of `formats` (what `parse_formats` reads back).
pub fn formats_text(formats: &[FormatSetup]) -> String {
    formats
        .iter()
        .map(FormatSetup::text)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The formats the working tree `dir` holds projects of, each with its detected client and
/// namespace; pypi with pip+twine when it holds none.
pub fn detect_formats(dir: &Path) -> Vec<FormatSetup> {
    let found: Vec<FormatSetup> = modules()
        .filter_map(|m| {
            m.detect(dir).map(|d| {
                let mut entry = FormatSetup::new(m, d.client);
                entry.namespace = d.namespace;
                entry
            })
        })
        .collect();
    if found.is_empty() {
        vec![FormatSetup::pypi()]
    } else {
        found
    }
}

/// The upstream names of `formats` (those that have one), comma-separated, in order.
pub fn upstreams_text(formats: &[FormatSetup]) -> String {
    formats
        .iter()
        .filter_map(|f| f.upstream.as_deref())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `formats` with the upstream names of `text` (comma-separated, one per format that has an
/// upstream, in order), each a repository name other than `repository`.
pub fn with_upstreams(
    formats: &[FormatSetup],
    text: &str,
    repository: &str,
) -> Result<Vec<FormatSetup>, FieldError> {
    assign(
        formats,
        text,
        Field::Upstream,
        "upstream repository",
        |f, name| {
            validate(Field::Upstream, name)?;
            upstream_differs(name, repository)?;
            f.upstream = Some(name.to_owned());
            Ok(())
        },
    )
}

/// `formats` with the external connections of `text` (one per format that has an upstream).
pub fn with_connections(
    formats: &[FormatSetup],
    text: &str,
) -> Result<Vec<FormatSetup>, FieldError> {
    assign(
        formats,
        text,
        Field::ExternalConnection,
        "external connection",
        |f, name| {
            f.external_connection = Some(name.to_owned());
            f.validate("")
                .into_iter()
                .find(|e| e.field == Field::ExternalConnection)
                .map_or(Ok(()), Err)
        },
    )
}

/// The comma-separated values of `text` given, in order, to the formats that have an upstream.
fn assign(
    formats: &[FormatSetup],
    text: &str,
    field: Field,
    what: &str,
    set: impl Fn(&mut FormatSetup, &str) -> Result<(), FieldError>,
) -> Result<Vec<FormatSetup>, FieldError> {
    validate(Field::Formats, text).map_err(|e| FieldError { field, ..e })?;
    let values: Vec<&str> = text.split(',').map(str::trim).collect();
    let mut out = formats.to_vec();
    let targets: Vec<&mut FormatSetup> = out.iter_mut().filter(|f| f.upstream.is_some()).collect();
    if values.len() != targets.len() {
        let names: Vec<&str> = formats
            .iter()
            .filter(|f| f.upstream.is_some())
            .map(|f| f.format.as_str())
            .collect();
        return Err(FieldError {
            field,
            value: text.to_owned(),
            rule: format!(
                "one {what} per format, in order: {} ({})",
                names.len(),
                names.join(", ")
            ),
        });
    }
    for (f, value) in targets.into_iter().zip(values) {
        set(f, value)?;
    }
    Ok(out)
}
