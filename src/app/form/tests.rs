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

fn press(form: &mut Form, code: KeyCode, modifiers: KeyModifiers) {
    form.on_key(KeyEvent::new(code, modifiers));
}

fn focused(form: &Form) -> (&str, usize) {
    form.focused()
        .map_or(("", 0), |f| (f.text.value(), f.text.cursor()))
}

fn edit_form(focus: Input) -> Form {
    Form::new(
        Setup::for_github("octo-org", "widgets"),
        FormMode::Edit,
        focus,
    )
}

#[test]
fn keys_edit_in_the_middle_of_a_value_with_multibyte_chars() {
    let mut form = edit_form(Input::Region);
    clear(&mut form);
    type_text(&mut form, "aé");
    form.on_key(key(KeyCode::Left));
    type_text(&mut form, "x");
    assert_eq!(focused(&form), ("axé", 2));
    form.on_key(key(KeyCode::End));
    form.on_key(key(KeyCode::Backspace));
    assert_eq!(focused(&form), ("ax", 2));
    form.on_key(key(KeyCode::Home));
    form.on_key(key(KeyCode::Delete));
    assert_eq!(focused(&form), ("x", 0));
    press(&mut form, KeyCode::Char('e'), KeyModifiers::CONTROL);
    type_text(&mut form, "yz");
    press(&mut form, KeyCode::Char('a'), KeyModifiers::CONTROL);
    type_text(&mut form, "w");
    assert_eq!(focused(&form), ("wxyz", 1));
    form.on_key(key(KeyCode::Right));
    form.on_key(key(KeyCode::Right));
    form.on_key(key(KeyCode::Backspace));
    assert_eq!(focused(&form), ("wxz", 2));
    for _ in 0..5 {
        form.on_key(key(KeyCode::Delete));
    }
    assert_eq!(focused(&form), ("wx", 2), "Delete at the end does nothing");
    form.on_key(key(KeyCode::F(2)));
    assert_eq!(focused(&form), ("wx", 2), "not an editing key");
}

#[test]
fn c_w_and_alt_backspace_delete_the_word_before_the_cursor() {
    let mut form = edit_form(Input::RoleName);
    assert_eq!(focused(&form).0, "GitHubActions-CodeArtifact");
    press(&mut form, KeyCode::Char('w'), KeyModifiers::CONTROL);
    assert_eq!(focused(&form), ("GitHubActions-", 14));
    press(&mut form, KeyCode::Backspace, KeyModifiers::ALT);
    assert_eq!(focused(&form), ("", 0));
    type_text(&mut form, "ci-publish-role");
    for _ in 0.."-role".len() {
        form.on_key(key(KeyCode::Left));
    }
    press(&mut form, KeyCode::Char('w'), KeyModifiers::CONTROL);
    assert_eq!(
        focused(&form),
        ("ci--role", 3),
        "the word before the cursor only"
    );
}

#[test]
fn control_characters_are_not_typed() {
    let mut form = edit_form(Input::Domain);
    for c in ['\u{1b}', '\u{7}', '\n'] {
        form.on_key(key(KeyCode::Char(c)));
    }
    assert_eq!(focused(&form), ("octo-org", 8));
}

#[test]
fn moving_the_cursor_is_not_typing() {
    let mut form = Form::new(
        Setup::for_github("octo-org", "widgets"),
        FormMode::First,
        Input::Repository,
    );
    for code in [KeyCode::Left, KeyCode::Home, KeyCode::End] {
        form.on_key(key(code));
    }
    form.on_key(key(KeyCode::Delete));
    assert!(!form.fields[3].touched);
    form.focus = 0;
    type_text(&mut form, "x");
    assert_eq!(
        form.value(Input::Repository),
        "widgetsx",
        "the repository still follows the GitHub field"
    );
}

#[test]
fn an_edit_in_the_middle_shows_the_rule_at_its_field_until_fixed() {
    let mut form = edit_form(Input::Domain);
    form.on_key(key(KeyCode::Home));
    form.on_key(key(KeyCode::Right));
    type_text(&mut form, "_");
    assert_eq!(focused(&form), ("o_cto-org", 2));
    let domain = &form.fields[2];
    assert!(
        form.shown_error(domain)
            .is_some_and(|e| e.contains("lower-case")),
        "{domain:?}"
    );
    assert!(
        form.fields
            .iter()
            .filter(|f| f.input != Input::Domain)
            .all(|f| f.error.is_none()),
        "only the edited field: {form:?}"
    );
    form.on_key(key(KeyCode::Backspace));
    assert_eq!(focused(&form), ("octo-org", 1));
    assert_eq!(form.fields[2].error, None);
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
    let upstream = form.fields.iter().find(|f| f.input == Input::Upstream);
    assert!(
        upstream.is_some_and(|f| f
            .error
            .as_deref()
            .is_some_and(|e| e.contains("must differ"))),
        "{upstream:?}"
    );
}

#[test]
fn the_formats_field_sets_formats_and_the_upstreams_follow_it_until_typed_into() {
    let mut form = Form::new(
        Setup::for_github("octo-org", "widgets"),
        FormMode::Edit,
        Input::Formats,
    );
    assert_eq!(form.value(Input::Formats), "pypi");
    assert_eq!(form.value(Input::Upstream), "pypi-store");
    type_text(&mut form, ":uv, npm@octo-org");
    assert_eq!(form.value(Input::Upstream), "pypi-store, npm-store");
    let FormOutcome::Submit(setup) =
        form.on_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL))
    else {
        panic!("expected a submit: {form:?}");
    };
    assert_eq!(
        crate::format::formats_text(&setup.formats),
        "pypi:uv, npm@octo-org"
    );
    assert_eq!(setup.upstreams(), vec!["pypi-store", "npm-store"]);

    let mut form = Form::new(*setup, FormMode::Edit, Input::Upstream);
    clear(&mut form);
    type_text(&mut form, "py");
    let upstream = form.fields.iter().find(|f| f.input == Input::Upstream);
    assert!(
        upstream.is_some_and(|f| f
            .error
            .as_deref()
            .is_some_and(|e| e.contains("one upstream repository per format"))),
        "{upstream:?}"
    );
    type_text(&mut form, "-proxy, js-proxy");
    form.focus = 4;
    type_text(&mut form, "!");
    assert!(form.fields[4].error.is_some(), "npm@octo-org! is no scope");
    assert_eq!(
        form.value(Input::Upstream),
        "py-proxy, js-proxy",
        "typed: no longer follows"
    );
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
    // The consumers field is the last: Enter there submits.
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

#[test]
fn the_other_listed_keys_move_by_words_cut_to_the_end_and_paste() {
    let mut form = edit_form(Input::PolicyName);
    assert_eq!(focused(&form).0, "CodeArtifact-Publish-Policy");
    press(&mut form, KeyCode::Left, KeyModifiers::CONTROL);
    assert_eq!(focused(&form).1, 21, "C-←: to the start of Policy");
    press(&mut form, KeyCode::Left, KeyModifiers::CONTROL);
    press(&mut form, KeyCode::Right, KeyModifiers::CONTROL);
    assert_eq!(focused(&form).1, 21, "C-→: to the start of the next word");
    press(&mut form, KeyCode::Char('k'), KeyModifiers::CONTROL);
    assert_eq!(focused(&form), ("CodeArtifact-Publish-", 21));
    press(&mut form, KeyCode::Char('a'), KeyModifiers::CONTROL);
    press(&mut form, KeyCode::Char('y'), KeyModifiers::CONTROL);
    assert_eq!(focused(&form), ("PolicyCodeArtifact-Publish-", 6));
    clear(&mut form);
    assert_eq!(focused(&form), ("", 0));
    press(&mut form, KeyCode::Char('y'), KeyModifiers::CONTROL);
    assert_eq!(
        focused(&form).0,
        "PolicyCodeArtifact-Publish-",
        "C-y brings back what C-u cleared"
    );
}

#[test]
fn the_notify_field_is_checked_as_typed_and_kept_on_submit() {
    let mut form = Form::new(
        Setup::for_github("octo-org", "widgets"),
        FormMode::Edit,
        Input::Notify,
    );
    assert_eq!(form.value(Input::Notify), "", "none by default");
    type_text(&mut form, "http://example.com/hook");
    let error = form.focused().and_then(|f| f.error.clone());
    assert!(
        error.as_deref().is_some_and(|e| e.contains("127.0.0.1")),
        "{error:?}"
    );
    clear(&mut form);
    type_text(
        &mut form,
        "https://hooks.example.com/x, email:team@example.com",
    );
    assert_eq!(form.focused().and_then(|f| f.error.clone()), None);
    let FormOutcome::Submit(setup) =
        form.on_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL))
    else {
        panic!("expected a submit: {form:?}");
    };
    assert_eq!(
        setup.notify,
        ["https://hooks.example.com/x", "email:team@example.com"]
    );
    let again = Form::new(*setup, FormMode::Edit, Input::Notify);
    assert_eq!(
        again.value(Input::Notify),
        "https://hooks.example.com/x, email:team@example.com"
    );
}

#[test]
fn the_consumers_field_takes_accounts_and_an_organisation_checked_as_typed() {
    let mut base = Setup::for_github("octo-org", "widgets");
    base.account_id = Some("123456789012".to_owned());
    let mut form = Form::new(base, FormMode::Edit, Input::Consumers);
    assert_eq!(form.value(Input::Consumers), "", "none by default");
    type_text(&mut form, "123456789012");
    let shown = form
        .focused()
        .and_then(|f| form.shown_error(f))
        .map(str::to_owned);
    assert!(
        shown.as_deref().is_some_and(|e| e.contains("own account")),
        "{shown:?}"
    );
    assert_eq!(form.on_key(key(KeyCode::Enter)), FormOutcome::Editing);
    clear(&mut form);
    type_text(&mut form, "222233334444, o-short");
    let shown = form.focused().and_then(|f| f.error.clone());
    assert!(shown.is_some_and(|e| e.contains("o-[a-z0-9]")));
    clear(&mut form);
    type_text(&mut form, "222233334444, o-a1b2c3d4e5");
    let FormOutcome::Submit(setup) = form.on_key(key(KeyCode::Enter)) else {
        panic!("expected a submit: {form:?}");
    };
    let ids: Vec<&str> = setup.consumers.iter().map(|c| c.id()).collect();
    assert_eq!(ids, ["222233334444", "o-a1b2c3d4e5"]);
}
