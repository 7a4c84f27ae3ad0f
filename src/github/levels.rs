//! How GitHub resolves `${{ vars.NAME }}` for a job: the variable of the job's environment, else
//! the repository's, else the organisation's shared with the repository ("If a variable with the
//! same name exists at multiple levels, the variable at the lowest level takes precedence").
//! Names are case-insensitive (GitHub stores them upper-cased), and so are environment names.
//! Pure: the levels are read elsewhere (`checklist::variables::read`). Values and environment
//! names come from GitHub and workflow files: what is shown of them is escaped where it is printed
//! or drawn (`crate::escape`).

use std::collections::BTreeMap;
use std::fmt;

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

/// One level's variables, by upper-cased name; `Err(why)` when it could not be read.
type Vars = Result<BTreeMap<String, String>, String>;

/// A level as a lookup goes through it.
type LevelRead<'a> = Result<&'a BTreeMap<String, String>, String>;

/// The Actions variables at every level a job of the repository can see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionsVariables {
    repository: BTreeMap<String, String>,
    organization: Vars,
    /// By lower-cased environment name; an environment that does not exist has none.
    environments: BTreeMap<String, (String, Vars)>,
}

fn upper(vars: impl IntoIterator<Item = (String, String)>) -> BTreeMap<String, String> {
    vars.into_iter()
        .map(|(k, v)| (k.to_ascii_uppercase(), v))
        .collect()
}

impl ActionsVariables {
    /// The repository's variables, with no organisation variables shared with it and no
    /// environment read yet.
    pub fn new(repository: impl IntoIterator<Item = (String, String)>) -> Self {
        Self {
            repository: upper(repository),
            organization: Ok(BTreeMap::new()),
            environments: BTreeMap::new(),
        }
    }

    /// The organisation's variables shared with the repository, or why they could not be read.
    pub fn with_organization(
        mut self,
        vars: Result<impl IntoIterator<Item = (String, String)>, String>,
    ) -> Self {
        self.organization = vars.map(upper);
        self
    }

    /// Environment `name`'s variables, or why they could not be read.
    pub fn with_environment(
        mut self,
        name: &str,
        vars: Result<impl IntoIterator<Item = (String, String)>, String>,
    ) -> Self {
        self.environments
            .insert(name.to_lowercase(), (name.to_owned(), vars.map(upper)));
        self
    }

    /// The repository's own variables (what the variables item writes).
    pub fn repository(&self) -> &BTreeMap<String, String> {
        &self.repository
    }

    /// Whether environment `name` was read (or tried).
    pub fn has_environment(&self, name: &str) -> bool {
        self.environments.contains_key(&name.to_lowercase())
    }

    /// `vars.NAME` for a job in `environment` (or in none).
    pub fn lookup(&self, name: &str, environment: Option<&str>) -> Lookup {
        let key = name.to_ascii_uppercase();
        let mut levels: Vec<(Level, LevelRead<'_>)> = Vec::new();
        if let Some(env) = environment {
            let read = match self.environments.get(&env.to_lowercase()) {
                Some((_, Ok(vars))) => Ok(vars),
                Some((_, Err(why))) => Err(why.clone()),
                None => Err(format!("environment {env}'s variables were not read")),
            };
            levels.push((Level::Environment(env.to_owned()), read));
        }
        levels.push((Level::Repository, Ok(&self.repository)));
        let org = self.organization.as_ref().map_err(Clone::clone);
        levels.push((Level::Organization, org));
        let mut found: Vec<(Level, String)> = Vec::new();
        let mut unread: Vec<String> = Vec::new();
        for (level, vars) in levels {
            match vars {
                Ok(vars) => found.extend(vars.get(&key).map(|v| (level, v.clone()))),
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
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn the_environment_comes_first_then_the_repository_then_the_organisation() {
        let all = ActionsVariables::new(vars(&[("AWS_ROLE_ARN", "repo")]))
            .with_organization(Ok(vars(&[("AWS_ROLE_ARN", "org"), ("AWS_REGION", "eu")])))
            .with_environment("Prod", Ok(vars(&[("aws_role_arn", "env")])));
        let Lookup::Found(f) = all.lookup("aws_role_arn", Some("prod")) else {
            panic!("found");
        };
        assert_eq!(f.value, "env");
        assert_eq!(f.level, Level::Environment("prod".to_owned()));
        assert_eq!(
            f.shadowed,
            vec![
                (Level::Repository, "repo".to_owned()),
                (Level::Organization, "org".to_owned())
            ]
        );
        let Lookup::Found(f) = all.lookup("AWS_ROLE_ARN", None) else {
            panic!("found");
        };
        assert_eq!((f.value.as_str(), &f.level), ("repo", &Level::Repository));
        let Lookup::Found(f) = all.lookup("AWS_REGION", Some("prod")) else {
            panic!("found");
        };
        assert_eq!((f.value.as_str(), &f.level), ("eu", &Level::Organization));
        assert!(
            f.describe().contains("the organisation's variable"),
            "{}",
            f.describe()
        );
        assert_eq!(all.lookup("NOPE", Some("prod")), Lookup::Missing);
    }

    #[test]
    fn values_from_outside_are_kept_as_they_are_for_the_sinks_to_escape() {
        // The model keeps facts exact (a value is compared as it is); the CLI's printer and the
        // TUI's widgets escape it (`crate::escape`), and a sink-side test proves it.
        let hostile = ActionsVariables::new(vars(&[("A", "x\u{1b}[2J")]))
            .with_environment("p\u{7}", Ok(vars(&[("A", "y\r")])));
        let Lookup::Found(f) = hostile.lookup("A", Some("p\u{7}")) else {
            panic!("found");
        };
        assert_eq!(f.value, "y\r");
        let shown =
            crate::escape::line(&format!("{} {:?}", f.describe(), f.shadows())).into_owned();
        assert!(!shown.chars().any(crate::escape::is_unsafe), "{shown}");
    }

    #[test]
    fn a_level_that_could_not_be_read_leaves_a_missing_name_undecided() {
        let no_org = ActionsVariables::new(vars(&[("A", "1")])).with_organization(Err::<
            Vec<(String, String)>,
            _,
        >(
            "403".to_owned(),
        ));
        assert!(
            matches!(no_org.lookup("A", None), Lookup::Found(_)),
            "found below it"
        );
        assert_eq!(
            no_org.lookup("B", None),
            Lookup::Unreadable("403".to_owned())
        );
        let no_env = ActionsVariables::new(vars(&[("A", "1")]));
        assert!(matches!(no_env.lookup("A", Some("prod")), Lookup::Found(_)));
        assert!(matches!(
            no_env.lookup("B", Some("prod")),
            Lookup::Unreadable(_)
        ));
    }
}
