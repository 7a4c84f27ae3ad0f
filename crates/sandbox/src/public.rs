//! The sandbox's offline stand-in for public PyPI: a fixed set of small packages listed in
//! `assets/public-pypi.json`, built as wheels at start-up.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Deserialize;

use super::wheel;
use super::world::normalize_name;

const PUBLIC_PYPI: &str = include_str!("../assets/public-pypi.json");

#[derive(Debug, Deserialize)]
struct Listing {
    packages: Vec<ListedPackage>,
}

#[derive(Debug, Deserialize)]
struct ListedPackage {
    name: String,
    summary: String,
    versions: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct PublicPackage {
    pub display_name: String,
    pub summary: String,
    /// By version.
    pub versions: BTreeMap<String, Arc<wheel::Wheel>>,
}

#[derive(Debug, Clone, Default)]
pub struct PublicIndex {
    /// By PEP 503-normalised name.
    pub packages: BTreeMap<String, PublicPackage>,
}

impl PublicIndex {
    /// Builds the index from the embedded listing. The listing ships with the binary and is checked
    /// by a unit test, so a broken entry is skipped (and logged) rather than failing start-up.
    pub fn load() -> Self {
        let listing: Listing = match serde_json::from_str(PUBLIC_PYPI) {
            Ok(l) => l,
            Err(e) => {
                tracing::error!("assets/public-pypi.json is invalid: {e}");
                return Self::default();
            }
        };
        let mut packages = BTreeMap::new();
        for p in listing.packages {
            let mut versions = BTreeMap::new();
            for v in &p.versions {
                match wheel::build_simple(&p.name, v, &p.summary) {
                    Ok(w) => {
                        versions.insert(v.clone(), Arc::new(w));
                    }
                    Err(e) => tracing::error!("cannot build public wheel {} {v}: {e}", p.name),
                }
            }
            packages.insert(
                normalize_name(&p.name),
                PublicPackage {
                    display_name: p.name,
                    summary: p.summary,
                    versions,
                },
            );
        }
        Self { packages }
    }

    pub fn get(&self, name: &str) -> Option<&PublicPackage> {
        self.packages.get(&normalize_name(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_listing_builds() {
        let index = PublicIndex::load();
        assert_eq!(index.packages.len(), 3);
        let colors = index.get("Cawiz-Demo-Colors").unwrap();
        assert_eq!(colors.display_name, "cawiz_demo.colors");
        assert_eq!(colors.versions.keys().collect::<Vec<_>>(), vec!["0.3.0"]);
        assert_eq!(index.get("cawiz-demo-greeting").unwrap().versions.len(), 2);
    }
}
