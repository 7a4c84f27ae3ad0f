use super::*;

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|n| (*n).to_owned()).collect()
}

fn read(environment: Option<&str>, name: &str) -> NameRead {
    NameRead {
        environment: environment.map(str::to_owned),
        name: name.to_owned(),
    }
}

#[test]
fn the_plan_asks_for_each_name_at_the_repository_and_in_each_environment() {
    let judged = names(&["AWS_REGION", "AWS_ROLE_ARN"]);
    assert_eq!(
        plan(None, &[], &judged),
        vec![read(None, "AWS_REGION"), read(None, "AWS_ROLE_ARN")]
    );
    assert_eq!(
        plan(None, &names(&["prod"]), &judged),
        vec![
            read(None, "AWS_REGION"),
            read(Some("prod"), "AWS_REGION"),
            read(None, "AWS_ROLE_ARN"),
            read(Some("prod"), "AWS_ROLE_ARN"),
        ]
    );
}

#[test]
fn the_plan_leaves_out_what_was_read_and_a_listed_level() {
    let read_already = ActionsVariables::named(names(&["AWS_REGION"]), Vec::new())
        .with_environment_named("Prod", names(&["AWS_REGION"]), Ok(Vec::new()));
    let wanted = names(&["aws_region", "EXTRA"]);
    assert_eq!(
        plan(Some(&read_already), &names(&["prod", "staging"]), &wanted),
        vec![
            read(Some("staging"), "aws_region"),
            read(None, "EXTRA"),
            read(Some("prod"), "EXTRA"),
            read(Some("staging"), "EXTRA"),
        ]
    );
    // A listed repository level holds every name: nothing more to ask there.
    let listed = ActionsVariables::new(Vec::new());
    assert!(plan(Some(&listed), &[], &wanted).is_empty());
}

#[test]
fn the_workflows_names_are_added_once_and_bounded() {
    let texts = [
        "role-to-assume: ${{ vars.AWS_ROLE_ARN }}\nregion: ${{ vars.aws_region }}",
        "x: ${{ vars . DEPLOY_BUCKET }} ${{ github.vars }} ${{ secrets.TOKEN }}",
    ];
    assert_eq!(
        with_referenced(names(&["AWS_REGION"]), &texts),
        names(&["AWS_REGION", "AWS_ROLE_ARN", "DEPLOY_BUCKET"])
    );
    let hostile: String = (0..500)
        .map(|i| format!("${{{{ vars.V{i} }}}}\n"))
        .collect();
    let many = with_referenced(Vec::new(), &[hostile.as_str()]);
    assert_eq!(many.len(), MAX_REFERENCED);
}
