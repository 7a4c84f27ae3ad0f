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
fn values_and_environment_names_from_outside_are_shown_escaped() {
    let hostile = ActionsVariables::new(vars(&[("A", "x\u{1b}[2J")]))
        .with_environment("p\u{7}", Ok(vars(&[("A", "y\r")])));
    let Lookup::Found(f) = hostile.lookup("A", Some("p\u{7}")) else {
        panic!("found");
    };
    // Kept as they are here, escaped at the sink that prints or draws them.
    let text = format!("{} {} {:?}", f.describe(), f.short(), f.shadows());
    assert!(text.contains("p\u{7}"), "{text:?}");
    let shown = crate::escape::line(&text);
    assert!(!shown.chars().any(char::is_control), "{shown}");
    assert!(shown.contains("\\x1b[2J"), "{shown}");
}

#[test]
fn a_level_that_could_not_be_read_leaves_a_missing_name_undecided() {
    let no_org =
        ActionsVariables::new(vars(&[("A", "1")]))
            .with_organization(Err::<Vec<(String, String)>, _>("403".to_owned()));
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

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|n| (*n).to_owned()).collect()
}

#[test]
fn a_level_read_by_name_knows_only_the_names_asked_for() {
    let vars = ActionsVariables::named(
        names(&["aws_region", "AWS_ROLE_ARN"]),
        vars(&[("AWS_REGION", "eu-west-1")]),
    )
    .with_organization(Ok(vars(&[("AWS_ROLE_ARN", "org"), ("OTHER", "o")])));
    let Lookup::Found(f) = vars.lookup("AWS_REGION", None) else {
        panic!("found");
    };
    assert_eq!(
        (f.value.as_str(), &f.level),
        ("eu-west-1", &Level::Repository)
    );
    // Asked, not at the repository: the organisation's is the one.
    let Lookup::Found(f) = vars.lookup("aws_role_arn", None) else {
        panic!("found");
    };
    assert_eq!((f.value.as_str(), &f.level), ("org", &Level::Organization));
    // Not asked: found below or not, the repository's level cannot say it lacks the name.
    assert!(matches!(vars.lookup("OTHER", None), Lookup::Found(_)));
    let Lookup::Unreadable(why) = vars.lookup("NEVER_ASKED", None) else {
        panic!("not read is not missing");
    };
    assert!(why.contains("NEVER_ASKED was not read"), "{why}");
    assert!(vars.has_name("aws_region") && !vars.has_name("NEVER_ASKED"));
    let more = vars.with_names(names(&["NEVER_ASKED"]), Vec::new());
    assert_eq!(more.lookup("NEVER_ASKED", None), Lookup::Missing);
}

#[test]
fn an_environment_read_by_name_grows_with_the_names_asked_later() {
    let vars = ActionsVariables::named(names(&["A"]), vars(&[("A", "repo")]))
        .with_environment_named("Prod", names(&["A"]), Ok(vars(&[("A", "env")])));
    assert!(vars.environment_has_name("prod", "a"));
    assert!(!vars.environment_has_name("prod", "B"));
    assert!(!vars.environment_has_name("staging", "A"));
    let Lookup::Found(f) = vars.lookup("A", Some("prod")) else {
        panic!("found");
    };
    assert_eq!(f.value, "env");
    assert_eq!(f.shadowed, vec![(Level::Repository, "repo".to_owned())]);
    assert!(matches!(
        vars.lookup("B", Some("prod")),
        Lookup::Unreadable(_)
    ));
    let vars = vars
        .with_names(names(&["B"]), Vec::new())
        .with_environment_named("prod", names(&["B"]), Ok(Vec::new()));
    assert_eq!(vars.lookup("B", Some("prod")), Lookup::Missing);
    let failed = vars.with_environment_named(
        "prod",
        names(&["C"]),
        Err::<Vec<(String, String)>, _>("403".to_owned()),
    );
    assert!(failed.environment_has_name("prod", "anything"));
    assert_eq!(
        failed.lookup("A", Some("prod")),
        Lookup::Found(Found {
            value: "repo".to_owned(),
            level: Level::Repository,
            shadowed: Vec::new()
        })
    );
}
