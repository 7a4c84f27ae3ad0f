//! The sandbox's offline stand-in for the public npm registry (`public:npmjs`): the real tarballs
//! listed in `assets/public-npm.json`, embedded in the binary, with the registry's own manifests.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Deserialize;
use serde_json::Value;

use super::digest::{integrity, shasum};

const LISTING: &str = include_str!("../../../assets/public-npm.json");

/// The tarballs the listing names, by file name.
const TARBALLS: &[(&str, &[u8])] = &[(
    "is-number-7.0.0.tgz",
    include_bytes!("../../../assets/public-npm/is-number-7.0.0.tgz"),
)];

#[derive(Debug, Deserialize)]
struct Listing {
    packages: Vec<Listed>,
}

#[derive(Debug, Deserialize)]
struct Listed {
    tarball: String,
    manifest: Value,
}

/// One public version: its manifest (with `dist.shasum` and `dist.integrity`) and tarball.
#[derive(Debug, Clone)]
pub struct PublicVersion {
    pub manifest: Value,
    pub tarball: Arc<Vec<u8>>,
}

#[derive(Debug, Clone, Default)]
pub struct PublicNpm {
    /// By full package name, then version.
    pub packages: BTreeMap<String, BTreeMap<String, PublicVersion>>,
}

impl PublicNpm {
    /// Loads the embedded listing. An entry whose tarball is missing or whose `shasum`/`integrity`
    /// do not match the bytes is skipped and logged (a unit test keeps the listing correct).
    pub fn load() -> Self {
        let listing: Listing = match serde_json::from_str(LISTING) {
            Ok(l) => l,
            Err(e) => {
                tracing::error!("assets/public-npm.json is invalid: {e}");
                return Self::default();
            }
        };
        let mut packages: BTreeMap<String, BTreeMap<String, PublicVersion>> = BTreeMap::new();
        for listed in listing.packages {
            match checked(&listed) {
                Ok((name, version, tarball)) => {
                    let v = PublicVersion {
                        manifest: listed.manifest,
                        tarball: Arc::new(tarball.to_vec()),
                    };
                    packages.entry(name).or_default().insert(version, v);
                }
                Err(e) => tracing::error!("public npm fixture {}: {e}", listed.tarball),
            }
        }
        Self { packages }
    }

    pub fn get(&self, name: &str) -> Option<&BTreeMap<String, PublicVersion>> {
        self.packages.get(name)
    }
}

/// The name, version and bytes of a listed tarball whose hashes match its manifest.
fn checked(listed: &Listed) -> Result<(String, String, &'static [u8]), String> {
    let text = |key: &str| listed.manifest.get(key).and_then(Value::as_str);
    let dist = |key: &str| listed.manifest["dist"].get(key).and_then(Value::as_str);
    let (Some(name), Some(version)) = (text("name"), text("version")) else {
        return Err("manifest without name or version".to_owned());
    };
    let bytes = TARBALLS
        .iter()
        .find(|(file, _)| *file == listed.tarball)
        .map(|(_, b)| *b)
        .ok_or("tarball not embedded")?;
    if dist("shasum") != Some(shasum(bytes).as_str())
        || dist("integrity") != Some(integrity(bytes).as_str())
    {
        return Err("dist.shasum or dist.integrity does not match the tarball".to_owned());
    }
    Ok((name.to_owned(), version.to_owned(), bytes))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_fixture_loads_with_matching_hashes() {
        let public = PublicNpm::load();
        let listing: Listing = serde_json::from_str(LISTING).unwrap();
        let loaded: usize = public.packages.values().map(BTreeMap::len).sum();
        assert_eq!(loaded, listing.packages.len());
        let v = &public.get("is-number").unwrap()["7.0.0"];
        assert_eq!(
            v.manifest["dist"]["shasum"],
            "7535345b896734d5f80c4d06c50955527a14f12b"
        );
        // A gzip stream: the real tarball, not a stand-in.
        assert_eq!(&v.tarball[..2], &[0x1f, 0x8b]);
    }
}
