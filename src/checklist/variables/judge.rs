//! One expected variable judged as the publish job sees it (`github::levels`): its value at the
//! level that wins (the job's environment, the repository, the organisation), what it shadows,
//! and what apply does about it — apply writes repository variables, which fixes a missing or
//! wrong repository or organisation value (the repository's shadows the organisation's) but not
//! an environment's, which shadows the repository's: that one is the user's to change.

use crate::github::{ActionsVariables, Found, Level, Lookup};

use super::super::rows::{Row, Verdict};
use super::super::{Action, ItemId};

/// What the item does with one variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judged {
    pub row: Row,
    /// The job would not see the right value.
    pub wrong: bool,
    /// Some level has the name.
    pub present: bool,
    /// Apply sets it on the repository.
    pub write: bool,
    /// A step only the user can take (an environment's value).
    pub by_hand: Option<Action>,
    pub diff: Vec<String>,
    pub note: Option<String>,
}

fn row(
    name: &str,
    verdict: Verdict,
    evidence: Vec<String>,
    fix: String,
    item: Option<ItemId>,
) -> Row {
    let mut row = Row::new(format!("variable:{name}"), name.to_owned(), verdict).compact();
    row.evidence = evidence;
    row.fix(fix, item)
}

/// The value found and the level it came from, then what it shadows.
fn evidence(first: String, found: &Found) -> Vec<String> {
    let mut out = vec![first];
    out.extend(found.shadows());
    out
}

fn set_on_repository(name: &str) -> String {
    format!("set it (apply; gh variable set {name})")
}

/// The right value, wherever it comes from.
fn right(name: &str, found: &Found) -> Judged {
    Judged {
        row: row(
            name,
            Verdict::Ok,
            evidence(found.short(), found),
            set_on_repository(name),
            Some(ItemId::Variables),
        ),
        wrong: false,
        present: true,
        write: false,
        by_hand: None,
        diff: Vec::new(),
        note: None,
    }
}

/// A wrong value in an environment: it shadows the repository's for the job.
fn wrong_in_environment(github: &str, name: &str, value: &str, env: &str, found: &Found) -> Judged {
    let action = Action::SetEnvVariableByHand {
        github: github.to_owned(),
        environment: env.to_owned(),
        name: name.to_owned(),
        value: value.to_owned(),
    };
    let fix = action.command("");
    Judged {
        row: row(
            name,
            Verdict::Fail,
            evidence(
                format!("{}, but the real one is {value}", found.short()),
                found,
            ),
            fix,
            None,
        ),
        wrong: true,
        present: true,
        write: false,
        by_hand: Some(action),
        diff: vec![
            format!("- {name}={} ({})", found.value, found.level),
            format!("+ {name}={value} ({})", found.level),
        ],
        note: Some(format!(
            "{name}: {} value {} shadows the repository's for the publish job; apply writes \
             repository variables only, so set it there",
            found.level.owner(),
            found.value
        )),
    }
}

/// A wrong value at the repository or the organisation: apply sets the repository's.
fn wrong_below(name: &str, value: &str, found: &Found) -> Judged {
    let note = (found.level == Level::Organization).then(|| {
        format!(
            "{name}: the organisation's value {} is wrong for this repository; apply sets the \
             repository's, which shadows it",
            found.value
        )
    });
    Judged {
        row: row(
            name,
            Verdict::Fail,
            evidence(
                format!("{}, but the real one is {value}", found.short()),
                found,
            ),
            set_on_repository(name),
            Some(ItemId::Variables),
        ),
        wrong: true,
        present: true,
        write: true,
        by_hand: None,
        diff: vec![
            format!("- {name}={}", found.value),
            format!("+ {name}={value}"),
        ],
        note,
    }
}

/// Not set anywhere the job looks (or not found where it could be read).
fn absent(name: &str, value: &str, env: Option<&str>, unread: Option<String>) -> Judged {
    let places = ActionsVariables::places(env);
    let (verdict, where_) = match unread {
        None => (Verdict::Fail, format!("neither {places} has it")),
        Some(why) => (
            Verdict::Unknown(why),
            "not on the levels cawiz could read".to_owned(),
        ),
    };
    Judged {
        row: row(
            name,
            verdict,
            vec![format!("not set (should be {value})"), where_],
            set_on_repository(name),
            Some(ItemId::Variables),
        ),
        wrong: true,
        present: false,
        write: true,
        by_hand: None,
        diff: vec![format!("+ {name}={value}")],
        note: None,
    }
}

/// `name` should be `value` for a publish job in `env` (or in none).
pub fn judge(
    github: &str,
    name: &str,
    value: &str,
    vars: &ActionsVariables,
    env: Option<&str>,
) -> Judged {
    match vars.lookup(name, env) {
        Lookup::Found(f) if f.value == value => right(name, &f),
        Lookup::Found(f) => match &f.level {
            Level::Environment(e) => wrong_in_environment(github, name, value, e, &f),
            Level::Repository | Level::Organization => wrong_below(name, value, &f),
        },
        Lookup::Missing => absent(name, value, env, None),
        Lookup::Unreadable(why) => absent(name, value, env, Some(why)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels() -> ActionsVariables {
        let v = |k: &str, x: &str| vec![(k.to_owned(), x.to_owned())];
        ActionsVariables::new(v("AWS_REGION", "us-east-1"))
            .with_organization(Ok(v("AWS_ROLE_ARN", "org-arn")))
            .with_environment("prod", Ok(v("AWS_REGION", "eu-west-1")))
    }

    #[test]
    fn an_organisation_value_counts_and_a_wrong_one_is_fixed_on_the_repository() {
        let ok = judge("o/r", "AWS_ROLE_ARN", "org-arn", &levels(), None);
        assert!(!ok.wrong && ok.row.verdict == Verdict::Ok);
        assert_eq!(ok.row.evidence, ["org-arn (organisation)"]);
        let wrong = judge("o/r", "AWS_ROLE_ARN", "right-arn", &levels(), None);
        assert!(wrong.wrong && wrong.write && wrong.by_hand.is_none());
        assert!(wrong.note.is_some_and(|n| n.contains("shadows it")));
    }

    #[test]
    fn an_environments_wrong_value_is_the_users_to_fix() {
        let j = judge("o/r", "AWS_REGION", "us-east-1", &levels(), Some("prod"));
        assert!(j.wrong && !j.write);
        assert!(j.row.evidence[0].contains("eu-west-1 (environment prod)"));
        assert_eq!(j.row.evidence[1], "it shadows the repository's us-east-1");
        assert!(
            j.row
                .fix
                .as_deref()
                .is_some_and(|f| f.starts_with("gh variable set AWS_REGION --env prod"))
        );
        let fine = judge("o/r", "AWS_REGION", "us-east-1", &levels(), None);
        assert!(
            !fine.wrong,
            "outside the environment the repository's holds"
        );
    }

    #[test]
    fn a_name_set_nowhere_is_missing_and_written_on_the_repository() {
        let j = judge("o/r", "CODEARTIFACT_DOMAIN", "d", &levels(), Some("prod"));
        assert!(j.wrong && !j.present && j.write);
        assert!(j.row.evidence[1].contains("environment prod, the repository or the organisation"));
    }
}
