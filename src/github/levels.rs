//! How GitHub resolves `${{ vars.NAME }}` for a job: the variable of the job's environment, else
//! the repository's, else the organisation's shared with the repository ("If a variable with the
//! same name exists at multiple levels, the variable at the lowest level takes precedence").
//! Names are case-insensitive (GitHub stores them upper-cased), and so are environment names.
//! A level is known either whole (listed) or for the names asked for one by one: a name nobody
//! asked for is not "missing" there, it was not read. Pure: the levels are read elsewhere
//! (`checklist::variables::read`). Values and environment names come from GitHub and workflow
//! files: what is shown of them is escaped where it is printed or drawn (`crate::escape`).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::listing::Listing;

/// Where a variable's value comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Level {
    Environment(String),
    Repository,
    Organization,
}

impl Level {
    /// "environment prod's", "the repository's", "the organisation's".
    pub fn owner(&self) -> String {
        match self {
            Level::Environment(e) => format!("environment {}'s", e),
            Level::Repository => "the repository's".to_owned(),
            Level::Organization => "the organisation's".to_owned(),
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Level::Environment(e) => write!(f, "environment {}", e),
            Level::Repository => f.write_str("repository"),
            Level::Organization => f.write_str("organisation"),
        }
    }
}

/// A value found, and the values of the same name it hides at the levels below.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub value: String,
    pub level: Level,
    pub shadowed: Vec<(Level, String)>,
}

impl Found {
    /// "VALUE (the organisation's variable)", with what it shadows.
    pub fn describe(&self) -> String {
        let mut out = format!("{} ({} variable)", self.value, self.level.owner());
        for line in self.shadows() {
            out.push_str("; ");
            out.push_str(&line);
        }
        out
    }

    /// "VALUE (organisation)".
    pub fn short(&self) -> String {
        format!("{} ({})", self.value, self.level)
    }

    /// "it shadows the repository's VALUE", one per level below that has the name too.
    pub fn shadows(&self) -> Vec<String> {
        self.shadowed
            .iter()
            .map(|(level, value)| format!("it shadows {} {}", level.owner(), value))
            .collect()
    }
}

/// What `vars.NAME` is for a job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    Found(Found),
    /// No level that could be read has it, and every level was read.
    Missing,
    /// Not found where it could be read, and a level could not be read: why.
    Unreadable(String),
}

/// One level's variables as far as they were read: by upper-cased name, and the upper-cased
/// names asked for one by one (`None`: the level was listed, every name is known).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Read {
    vars: BTreeMap<String, String>,
    asked: Option<BTreeSet<String>>,
}

impl Read {
    fn all(vars: impl IntoIterator<Item = (String, String)>) -> Self {
        Self {
            vars: upper(vars),
            asked: None,
        }
    }

    fn named(
        asked: impl IntoIterator<Item = String>,
        found: impl IntoIterator<Item = (String, String)>,
    ) -> Self {
        let mut read = Self {
            vars: BTreeMap::new(),
            asked: Some(BTreeSet::new()),
        };
        read.add(asked, found);
        read
    }

    /// More names asked for, and the ones of them found.
    fn add(
        &mut self,
        asked: impl IntoIterator<Item = String>,
        found: impl IntoIterator<Item = (String, String)>,
    ) {
        if let Some(names) = &mut self.asked {
            names.extend(asked.into_iter().map(|n| n.to_ascii_uppercase()));
        }
        self.vars.extend(upper(found));
    }

    /// Whether the level says anything about `key` (upper-cased).
    fn knows(&self, key: &str) -> bool {
        self.asked.as_ref().is_none_or(|names| names.contains(key))
    }
}

/// One level, or why it could not be read.
type Vars = Result<Read, String>;

/// The Actions variables at every level a job of the repository can see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionsVariables {
    repository: Read,
    organization: Vars,
    /// By lower-cased environment name; an environment that does not exist has none.
    environments: BTreeMap<String, (String, Vars)>,
    /// The levels that were listed, and what their listings cost.
    listings: Vec<Listing>,
}

fn upper(vars: impl IntoIterator<Item = (String, String)>) -> BTreeMap<String, String> {
    vars.into_iter()
        .map(|(k, v)| (k.to_ascii_uppercase(), v))
        .collect()
}

/// `key`'s value at one level: `Ok(Some)`, `Ok(None)` when the level has none, `Err(why)` when
/// the level (or that name in it) was not read.
fn at(level: &Level, vars: Result<&Read, &String>, key: &str) -> Result<Option<String>, String> {
    let read = vars.map_err(Clone::clone)?;
    if !read.knows(key) {
        return Err(format!("{} variable {key} was not read", level.owner()));
    }
    Ok(read.vars.get(key).cloned())
}

impl ActionsVariables {
    /// The repository's variables (all of them), with no organisation variables shared with it
    /// and no environment read yet.
    pub fn new(repository: impl IntoIterator<Item = (String, String)>) -> Self {
        Self {
            repository: Read::all(repository),
            organization: Ok(Read::default()),
            environments: BTreeMap::new(),
            listings: Vec::new(),
        }
    }

    /// The repository's variables read by name: the names `asked` for, and those `found`.
    pub fn named(
        asked: impl IntoIterator<Item = String>,
        found: impl IntoIterator<Item = (String, String)>,
    ) -> Self {
        Self {
            repository: Read::named(asked, found),
            ..Self::new(Vec::new())
        }
    }

    /// The organisation's variables shared with the repository, or why they could not be read.
    pub fn with_organization(
        mut self,
        vars: Result<impl IntoIterator<Item = (String, String)>, String>,
    ) -> Self {
        self.organization = vars.map(Read::all);
        self
    }

    /// Environment `name`'s variables (all of them), or why they could not be read.
    pub fn with_environment(
        mut self,
        name: &str,
        vars: Result<impl IntoIterator<Item = (String, String)>, String>,
    ) -> Self {
        self.environments
            .insert(name.to_lowercase(), (name.to_owned(), vars.map(Read::all)));
        self
    }

    /// Environment `name`'s variables read by name (`asked`), or why they could not be read.
    pub fn with_environment_named(
        mut self,
        name: &str,
        asked: impl IntoIterator<Item = String>,
        found: Result<impl IntoIterator<Item = (String, String)>, String>,
    ) -> Self {
        let key = name.to_lowercase();
        let asked: Vec<String> = asked.into_iter().collect();
        let merged = match (self.environments.remove(&key), found) {
            (_, Err(why)) | (Some((_, Err(why))), Ok(_)) => Err(why),
            (Some((_, Ok(mut read))), Ok(found)) => {
                read.add(asked, found);
                Ok(read)
            }
            (None, Ok(found)) => Ok(Read::named(asked, found)),
        };
        self.environments.insert(key, (name.to_owned(), merged));
        self
    }

    /// More repository variables read by name.
    pub fn with_names(
        mut self,
        asked: impl IntoIterator<Item = String>,
        found: impl IntoIterator<Item = (String, String)>,
    ) -> Self {
        self.repository.add(asked, found);
        self
    }

    /// What a level's listing cost.
    pub fn with_listing(mut self, listing: Listing) -> Self {
        self.listings.push(listing);
        self
    }

    /// The levels that were listed, with their pages.
    pub fn listings(&self) -> &[Listing] {
        &self.listings
    }

    /// The repository's own variables that were read (what the variables item writes).
    pub fn repository(&self) -> &BTreeMap<String, String> {
        &self.repository.vars
    }

    /// Whether environment `name` was read (or tried).
    pub fn has_environment(&self, name: &str) -> bool {
        self.environments.contains_key(&name.to_lowercase())
    }

    /// Whether a lookup of `name` reads the repository's level (it was listed, or `name` asked).
    pub fn has_name(&self, name: &str) -> bool {
        self.repository.knows(&name.to_ascii_uppercase())
    }

    /// Whether environment `environment` was read for `name` (or could not be read at all).
    pub fn environment_has_name(&self, environment: &str, name: &str) -> bool {
        match self.environments.get(&environment.to_lowercase()) {
            Some((_, Ok(read))) => read.knows(&name.to_ascii_uppercase()),
            Some((_, Err(_))) => true,
            None => false,
        }
    }

    /// `vars.NAME` for a job in `environment` (or in none).
    pub fn lookup(&self, name: &str, environment: Option<&str>) -> Lookup {
        let key = name.to_ascii_uppercase();
        let mut levels: Vec<(Level, Result<Option<String>, String>)> = Vec::new();
        if let Some(env) = environment {
            let level = Level::Environment(env.to_owned());
            let value = match self.environments.get(&env.to_lowercase()) {
                Some((_, vars)) => at(&level, vars.as_ref(), &key),
                None => Err(format!("environment {env}'s variables were not read")),
            };
            levels.push((level, value));
        }
        let value = at(&Level::Repository, Ok(&self.repository), &key);
        levels.push((Level::Repository, value));
        let value = at(&Level::Organization, self.organization.as_ref(), &key);
        levels.push((Level::Organization, value));
        let mut found: Vec<(Level, String)> = Vec::new();
        let mut unread: Vec<String> = Vec::new();
        for (level, value) in levels {
            match value {
                Ok(value) => found.extend(value.map(|v| (level, v))),
                Err(why) if found.is_empty() => unread.push(why),
                Err(_) => {}
            }
        }
        let mut found = found.into_iter();
        match found.next() {
            Some((level, value)) => Lookup::Found(Found {
                value,
                level,
                shadowed: found.collect(),
            }),
            None if unread.is_empty() => Lookup::Missing,
            None => Lookup::Unreadable(unread.join("; ")),
        }
    }

    /// Where a job in `environment` looks for a variable, for "… is set at none of …".
    pub fn places(environment: Option<&str>) -> String {
        match environment {
            Some(env) => format!("environment {}, the repository or the organisation", env),
            None => "the repository or the organisation".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests;
