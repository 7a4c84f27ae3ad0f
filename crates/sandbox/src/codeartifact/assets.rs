//! ListPackageVersionAssets: the files of one package version (`AssetSummary`: name, size and
//! hashes), as `aws codeartifact list-package-version-assets` shows them for a wheel.

use serde_json::{Value, json};
use sha1::Sha1;
use sha2::{Digest, Sha512};

use super::input::{self, Violations};
use super::packages::{check_name, find_package, identify, package_params};
use super::paging;
use super::{Ctx, find_domain, find_repository};
use crate::protocol::{ApiError, ApiResult};
use crate::world::{PackageFile, World};

/// `AssetHashes` of a file. CodeArtifact also reports `MD5`; the sandbox leaves it out (see the
/// README's departures).
fn hashes(file: &PackageFile) -> Value {
    json!({
        "SHA-1": hex::encode(Sha1::digest(file.content.as_slice())),
        "SHA-256": file.sha256,
        "SHA-512": hex::encode(Sha512::digest(file.content.as_slice())),
    })
}

/// `AssetSummary`.
fn summary(file: &PackageFile) -> Value {
    json!({ "name": file.filename, "size": file.content.len(), "hashes": hashes(file) })
}

/// `POST /v1/package/version/assets`.
pub fn list(world: &mut World, cx: &Ctx) -> ApiResult<Value> {
    let q = &cx.q;
    let (format, namespace, name) = package_params(q)?;
    let version = input::required(q, "version", "packageVersion")?;
    let mut v = Violations::default();
    check_name(&mut v, "packageVersion", version);
    v.finish()?;
    let size = paging::query_page_size(q)?;
    let domain = find_domain(world, q, cx.region)?;
    let repo = find_repository(domain, q)?;
    let package = find_package(domain, repo, format, namespace, name)?;
    let found = package.versions.get(version).ok_or_else(|| {
        ApiError::new(
            "ResourceNotFoundException",
            format!(
                "Version {version} of package {} not found in repository {}",
                package.name, repo.name
            ),
        )
    })?;
    let mut files: Vec<&PackageFile> = found.files.iter().collect();
    files.sort_by(|a, b| a.filename.cmp(&b.filename));
    let items = files
        .into_iter()
        .map(|f| (f.filename.clone(), summary(f)))
        .collect();
    let (assets, next) = paging::paginate(items, paging::query_token(q)?, size)?;
    let mut out = paging::page_json("assets", assets, next);
    identify(&mut out, format, namespace);
    out["package"] = json!(package.name);
    out["version"] = json!(found.version);
    out["versionRevision"] = json!(found.revision);
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::sync::Arc;

    use sha2::Sha256;

    use super::*;

    #[test]
    fn hashes_are_lower_case_hex_of_the_bytes() {
        let file = PackageFile {
            filename: "x-1.0-py3-none-any.whl".into(),
            sha256: hex::encode(Sha256::digest(b"abc")),
            content: Arc::new(b"abc".to_vec()),
        };
        let s = summary(&file);
        assert_eq!(s["size"], 3);
        assert_eq!(
            s["hashes"]["SHA-1"],
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(
            s["hashes"]["SHA-256"],
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(
            s["hashes"]["SHA-512"]
                .as_str()
                .unwrap()
                .starts_with("ddaf35a193617aba")
        );
    }
}
