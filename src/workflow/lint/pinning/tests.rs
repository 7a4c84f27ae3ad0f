use super::*;
use crate::workflow::lint::LintContext;

const V2: &str = "0717577d45739eb3c851188b29f50ed6c0b2194e";

fn fixes(text: &str, ctx: &LintContext) -> Vec<String> {
    let wf = model::read(&yaml::parse(text).expect("yaml"));
    unpinned(&wf, ctx).into_iter().map(|f| f.fix).collect()
}

const OLD: &str = "on: push\njobs:\n  a:\n    steps:\n      - uses: actions/checkout@v2\n";

#[test]
fn the_tag_the_workflow_names_is_pinned_never_silently_upgraded() {
    // Looked up through GitHub: the commit of v2 itself.
    let mut ctx = LintContext::offline();
    ctx.tags = vec![Pin {
        action: "actions/checkout".into(),
        tag: "v2".into(),
        sha: V2.into(),
        major: "v2".into(),
    }];
    assert_eq!(
        fixes(OLD, &ctx),
        [format!(
            "pin the commit v2 points at: `actions/checkout@{V2} # v2` (looked up through GitHub)"
        )]
    );
    // Not looked up: v7 is what cawiz knows, and moving there is an upgrade, said so.
    let fix = &fixes(OLD, &LintContext::offline())[0];
    assert!(fix.contains("could not look it up"), "{fix}");
    assert!(fix.contains("a newer major (v2 → v7)"), "{fix}");
    assert!(!fix.starts_with("use `"), "{fix}");
}

#[test]
fn the_shipped_table_pins_the_tags_it_holds_and_branches_get_a_release() {
    let ctx = LintContext::offline();
    let major = OLD.replace("@v2", "@v7");
    let fix = &fixes(&major, &ctx)[0];
    assert!(
        fix.starts_with("pin the commit v7 points at: `actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1` (from the pins cawiz ships)"),
        "{fix}"
    );
    let branch = OLD.replace("@v2", "@main");
    let fix = &fixes(&branch, &ctx)[0];
    assert!(fix.contains("instead of main"), "{fix}");
    assert_eq!(
        named_tags(&branch),
        [("actions/checkout".to_owned(), "main".to_owned())]
    );
}
