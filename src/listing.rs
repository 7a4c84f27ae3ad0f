//! What a listing cost: cawiz asks AWS and GitHub for what it judges by name where an API can
//! answer that (a variable, a package version), and lists only where none can (the organisation's
//! variables shared with a repository, the newest versions of a package). A listing says how many
//! pages it read and whether they held all of it, so `status --json` and `doctor --json` show
//! what a big account cost.

use serde::Serialize;
use serde_json::{Value, json};

/// One listing as it was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Listing {
    /// The API's name for it: GitHub's operation id (`actions/list-repo-organization-variables`)
    /// or AWS's operation (`ListPackageVersions`).
    pub operation: String,
    /// What was listed (`the organisation variables shared with octo-org/widgets`).
    pub what: String,
    pub pages: usize,
    pub items: usize,
    /// Whether the pages read hold every item (a listing read one page only may not).
    pub complete: bool,
}

impl Listing {
    /// `{"operation", "what", "pages", "items", "complete"}`.
    pub fn json(&self) -> Value {
        json!({
            "operation": self.operation,
            "what": self.what,
            "pages": self.pages,
            "items": self.items,
            "complete": self.complete,
        })
    }
}

/// The items of a listing and how it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed<T> {
    pub items: Vec<T>,
    pub listing: Listing,
}

impl<T> Listed<T> {
    /// The same listing with its items mapped.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Listed<U> {
        Listed {
            items: self.items.into_iter().map(f).collect(),
            listing: self.listing,
        }
    }
}

/// The listings as JSON, in the order read.
pub fn json(listings: &[Listing]) -> Value {
    Value::Array(listings.iter().map(Listing::json).collect())
}
