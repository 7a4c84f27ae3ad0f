//! Builds small, valid Python wheels (PEP 427) in memory: the sandbox's "public PyPI" packages, and
//! probe packages for tests. Deterministic: the same inputs give the same bytes.

use std::io::Write as _;

use base64::Engine as _;
use sha2::{Digest, Sha256};

/// A wheel ready to serve or upload.
#[derive(Debug, Clone)]
pub struct Wheel {
    pub filename: String,
    pub bytes: Vec<u8>,
}

impl Wheel {
    pub fn sha256_hex(&self) -> String {
        hex::encode(Sha256::digest(&self.bytes))
    }
}

/// The distribution name as it appears in wheel file names (PEP 427 escaping).
pub fn wheel_dist_name(name: &str) -> String {
    super::world::normalize_name(name).replace('-', "_")
}

/// A pure-Python wheel of `name`/`version` holding `files` (path inside the wheel, text).
pub fn build(
    name: &str,
    version: &str,
    summary: &str,
    files: &[(String, String)],
) -> std::io::Result<Wheel> {
    let dist = wheel_dist_name(name);
    let info = format!("{dist}-{version}.dist-info");
    let metadata =
        format!("Metadata-Version: 2.1\nName: {name}\nVersion: {version}\nSummary: {summary}\n");
    let wheel_meta =
        "Wheel-Version: 1.0\nGenerator: cawiz-sandbox\nRoot-Is-Purelib: true\nTag: py3-none-any\n";

    let mut entries: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|(p, c)| (p.clone(), c.as_bytes().to_vec()))
        .collect();
    entries.push((format!("{info}/METADATA"), metadata.into_bytes()));
    entries.push((format!("{info}/WHEEL"), wheel_meta.as_bytes().to_vec()));
    let mut record = String::new();
    for (path, content) in &entries {
        let digest =
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(content));
        record.push_str(&format!("{path},sha256={digest},{}\n", content.len()));
    }
    record.push_str(&format!("{info}/RECORD,,\n"));
    entries.push((format!("{info}/RECORD"), record.into_bytes()));

    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for (path, content) in &entries {
        zip.start_file(path.as_str(), options)
            .map_err(std::io::Error::other)?;
        zip.write_all(content)?;
    }
    let bytes = zip.finish().map_err(std::io::Error::other)?.into_inner();
    Ok(Wheel {
        filename: format!("{dist}-{version}-py3-none-any.whl"),
        bytes,
    })
}

/// A one-module package: `import <module>` gives `__version__` and a `hello()` function.
pub fn build_simple(name: &str, version: &str, summary: &str) -> std::io::Result<Wheel> {
    let module = wheel_dist_name(name);
    let source = format!(
        "\"\"\"{summary}\"\"\"\n__version__ = \"{version}\"\n\n\ndef hello():\n    return \"hello from {name} {version}\"\n"
    );
    build(
        name,
        version,
        summary,
        &[(format!("{module}/__init__.py"), source)],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wheel_is_a_zip_with_metadata_and_is_deterministic() {
        let a = build_simple("Cawiz.Demo_Greeting", "1.0.0", "demo").unwrap();
        let b = build_simple("Cawiz.Demo_Greeting", "1.0.0", "demo").unwrap();
        assert_eq!(a.bytes, b.bytes);
        assert_eq!(a.filename, "cawiz_demo_greeting-1.0.0-py3-none-any.whl");
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(a.bytes)).unwrap();
        let names: Vec<String> = archive
            .file_names()
            .map(|n| n.unwrap().into_owned())
            .collect();
        assert!(names.contains(&"cawiz_demo_greeting/__init__.py".to_owned()));
        assert!(names.contains(&"cawiz_demo_greeting-1.0.0.dist-info/RECORD".to_owned()));
        let mut meta = String::new();
        use std::io::Read as _;
        archive
            .by_name("cawiz_demo_greeting-1.0.0.dist-info/METADATA")
            .unwrap()
            .read_to_string(&mut meta)
            .unwrap();
        assert!(meta.contains("Name: Cawiz.Demo_Greeting\nVersion: 1.0.0"));
    }
}
