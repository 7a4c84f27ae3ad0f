//! The form's editing, validation and submit, key by key.

use super::*;

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn type_text(form: &mut Form, text: &str) {
    for c in text.chars() {
        form.on_key(key(KeyCode::Char(c)));
    }
}

fn clear(form: &mut Form) {
    form.on_key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
}

#[test]
fn text_input_edits_at_the_cursor_with_multibyte_chars() {
    let mut t = TextInput::new("aé".to_owned());
    assert!(t.edit(key(KeyCode::Left)));
    t.edit(key(KeyCode::Char('x')));
    assert_eq!(t.value, "axé");
    t.edit(key(KeyCode::End));
    t.edit(key(KeyCode::Backspace));
    assert_eq!(t.value, "ax");
    t.edit(key(KeyCode::Home));
    t.edit(key(KeyCode::Delete));
    assert_eq!(t.value, "x");
    t.edit(key(KeyCode::Delete));
    t.edit(key(KeyCode::Delete));
    assert_eq!((t.value.as_str(), t.cursor), ("", 0));
    assert!(!t.edit(key(KeyCode::F(2))));
}

#[test]
fn a_bad_value_shows_the_rule_under_its_field_and_blocks_submit() {
    let mut form = Form::new(
        Setup::for_github("octo-org", "widgets"),
        FormMode::First,
        Input::Domain,
    );
    assert!(form.fields.iter().all(|f| f.error.is_none()));
    clear(&mut form);
    type_text(&mut form, "Bad_Domain");
    let domain = &form.fields[2];
    assert!(
        domain.error.as_deref().is_some_and(|e| e.contains("lower")),
        "{domain:?}"
    );
    form.focus = form.fields.len() - 1;
    assert_eq!(form.on_key(key(KeyCode::Enter)), FormOutcome::Editing);
    assert_eq!(form.focus, 2, "submit focuses the first field in error");
}

#[test]
fn the_upstream_must_differ_from_the_repository() {
    let mut form = Form::new(
        Setup::for_github("octo-org", "widgets"),
        FormMode::Edit,
        Input::Upstream,
    );
    clear(&mut form);
    type_text(&mut form, "widgets");
    assert!(form.fields[4].error.is_some());
}

#[test]
fn on_first_run_domain_and_repository_follow_the_github_field_until_typed_into() {
    let mut form = Form::new(
        Setup::for_github("octo-org", "widgets"),
        FormMode::First,
        Input::Github,
    );
    clear(&mut form);
    type_text(&mut form, "Acme/Gadgets");
    assert_eq!(form.value(Input::Domain), "acme");
    assert_eq!(form.value(Input::Repository), "Gadgets");
    form.focus = 2;
    type_text(&mut form, "x");
    form.focus = 0;
    type_text(&mut form, "2");
    assert_eq!(form.value(Input::Domain), "acmex");
    assert_eq!(form.value(Input::Repository), "Gadgets2");
}

#[test]
fn submit_builds_the_setup_and_keeps_what_the_form_does_not_edit() {
    let mut base = Setup::for_github("octo-org", "widgets");
    base.profile = Some("dev".to_owned());
    let mut form = Form::new(base, FormMode::Edit, Input::Scope);
    clear(&mut form);
    type_text(&mut form, "branch:main");
    form.on_key(key(KeyCode::Tab));
    form.on_key(key(KeyCode::Tab));
    let FormOutcome::Submit(setup) = form.on_key(key(KeyCode::Enter)) else {
        panic!("expected a submit: {form:?}");
    };
    assert_eq!(setup.profile.as_deref(), Some("dev"));
    assert_eq!(setup.scope.to_string(), "branch:main");
    assert_eq!(setup.github_owner, "octo-org");
    assert_eq!(
        form.on_key(key(KeyCode::Esc)),
        FormOutcome::Cancel,
        "Esc cancels"
    );
}
