//! The setup form: the inputs `cawiz init` asks for, as editable fields validated as they are
//! typed (AWS's and GitHub's naming rules, the message under the field). Each value is a
//! `tui_input::Input` (cursor movement, insert and delete anywhere, word deletion). Pure: keys in,
//! a `Setup` out on submit.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use tui_input::InputRequest;
use tui_input::backend::crossterm::to_input_request;

use crate::format::{FormatSetup, formats_text, parse_formats, upstreams_text, with_upstreams};
use crate::setup::{
    Field, FieldError, Setup, consumers_text, parse_consumers, parse_github, parse_notify,
    parse_scope, validate,
};

/// Which input a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// `OWNER/REPO`.
    Github,
    Region,
    Domain,
    Repository,
    /// The package formats with their clients (`pypi:uv, npm@octo-org`).
    Formats,
    /// The formats' upstream repositories, in order.
    Upstream,
    /// The endpoints told when a version is published (optional; with the repository's inputs).
    Notify,
    Scope,
    RoleName,
    PolicyName,
    /// Other accounts (or an organisation) allowed to read the repository.
    Consumers,
}

impl Input {
    pub const ALL: [Input; 11] = [
        Input::Github,
        Input::Region,
        Input::Domain,
        Input::Repository,
        Input::Formats,
        Input::Upstream,
        Input::Notify,
        Input::Scope,
        Input::RoleName,
        Input::PolicyName,
        Input::Consumers,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Input::Github => "GitHub repository (OWNER/REPO)",
            Input::Region => "AWS region",
            Input::Domain => "CodeArtifact domain",
            Input::Repository => "CodeArtifact repository",
            Input::Formats => "Package formats (and clients)",
            Input::Upstream => "Upstream repositories (proxies)",
            Input::Scope => "Role scope",
            Input::RoleName => "IAM role name",
            Input::PolicyName => "IAM policy name",
            Input::Notify => "Notify on publish (optional)",
            Input::Consumers => "Consumer accounts (optional)",
        }
    }

    /// What to type, shown under the focused field.
    pub fn help(self) -> &'static str {
        match self {
            Input::Github => "the repository whose workflows publish, e.g. octo-org/widgets",
            Input::Region => "where CodeArtifact lives, e.g. us-east-1",
            Input::Domain => "2-50 chars: lower-case letters, digits, hyphens",
            Input::Repository => "2-100 chars: letters, digits, . - _",
            Input::Formats => "pypi, npm; a client as pypi:uv, an npm scope as npm@SCOPE",
            Input::Upstream => "one per format, in order, e.g. pypi-store, npm-store",
            Input::Scope => "all, branch:NAME, tags, pull-requests or environment:NAME",
            Input::RoleName => "up to 64 chars: letters, digits, +=,.@_-",
            Input::PolicyName => "up to 128 chars: letters, digits, +=,.@_-",
            Input::Notify => "https://…, email:ADDR or sns:TOPIC_ARN, comma-separated; empty: none",
            Input::Consumers => "12-digit account ids or o-… organisation ids, comma-separated",
        }
    }

    fn initial(self, setup: &Setup) -> String {
        match self {
            Input::Github if setup.github_owner.is_empty() => setup.github_repo.clone(),
            Input::Github => format!("{}/{}", setup.github_owner, setup.github_repo),
            Input::Region => setup.region.clone(),
            Input::Domain => setup.domain.clone(),
            Input::Repository => setup.repository.clone(),
            Input::Formats => formats_text(&setup.formats),
            Input::Upstream => upstreams_text(&setup.formats),
            Input::Scope => setup.scope.to_string(),
            Input::RoleName => setup.role_name.clone(),
            Input::PolicyName => setup.policy_name.clone(),
            Input::Notify => setup.notify.join(", "),
            Input::Consumers => consumers_text(&setup.consumers),
        }
    }
}

#[derive(Debug, Clone)]
pub struct FormField {
    pub input: Input,
    /// The value and its cursor; tui-input does the editing (and draws nothing).
    pub text: tui_input::Input,
    /// The rule the value breaks, shown under the field.
    pub error: Option<String>,
    /// Typed into by the user (a derived default no longer follows the GitHub field).
    pub touched: bool,
}

/// Equal when they show the same: tui-input's `Input` has no `PartialEq`, and its yank buffer
/// (what C-w or C-u cut, for C-y) is not part of what the form shows.
impl PartialEq for FormField {
    fn eq(&self, other: &Self) -> bool {
        self.input == other.input
            && self.text.value() == other.text.value()
            && self.text.cursor() == other.text.cursor()
            && self.error == other.error
            && self.touched == other.touched
    }
}

impl Eq for FormField {}

/// Whether the form is the first run's (no setup yet) or an edit of the current setup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormMode {
    First,
    Edit,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub mode: FormMode,
    pub fields: Vec<FormField>,
    pub focus: usize,
    /// What the form does not edit (profile, account id, auth method, external connection).
    pub base: Setup,
    /// A save was tried: every field's message shows, typed into or not.
    pub tried: bool,
    /// The Upstream field follows the Formats field until the user types into it.
    pub upstream_follows: bool,
}

/// What a key did to the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormOutcome {
    Editing,
    Submit(Box<Setup>),
    Cancel,
}

impl Form {
    pub fn new(base: Setup, mode: FormMode, focus: Input) -> Self {
        let fields = Input::ALL
            .into_iter()
            .map(|input| FormField {
                input,
                text: tui_input::Input::new(input.initial(&base)),
                error: None,
                touched: mode == FormMode::Edit,
            })
            .collect();
        let focus = Input::ALL.iter().position(|i| *i == focus).unwrap_or(0);
        let mut form = Self {
            mode,
            fields,
            focus,
            base,
            tried: false,
            upstream_follows: true,
        };
        form.revalidate();
        form
    }

    pub fn value(&self, input: Input) -> &str {
        self.fields
            .iter()
            .find(|f| f.input == input)
            .map_or("", |f| f.text.value())
    }

    fn field_mut(&mut self, input: Input) -> Option<&mut FormField> {
        self.fields.iter_mut().find(|f| f.input == input)
    }

    fn rule(&self, input: Input) -> Result<(), FieldError> {
        let value = self.value(input).trim();
        match input {
            Input::Github => parse_github(value).map(|_| ()),
            Input::Region => validate(Field::Region, value),
            Input::Domain => validate(Field::Domain, value),
            Input::Repository => validate(Field::Repository, value),
            Input::Formats => parse_formats(value, &self.base.formats).map(|_| ()),
            Input::Upstream => self.formats().map(|_| ()),
            Input::Scope => parse_scope(value).map(|_| ()),
            Input::RoleName => validate(Field::RoleName, value),
            Input::PolicyName => validate(Field::PolicyName, value),
            Input::Notify => parse_notify(value).map(|_| ()),
            Input::Consumers => parse_consumers(value, self.base.account_id.as_deref()).map(|_| ()),
        }
    }

    /// The formats of the Formats field with the Upstream field's names (an error of the Formats
    /// field is left to that field: the previous formats stand in for it).
    fn formats(&self) -> Result<Vec<FormatSetup>, FieldError> {
        let formats = parse_formats(self.value(Input::Formats).trim(), &self.base.formats)
            .unwrap_or_else(|_| self.base.formats.clone());
        with_upstreams(
            &formats,
            self.value(Input::Upstream).trim(),
            self.value(Input::Repository).trim(),
        )
    }

    /// The Upstream field follows the Formats field until typed into.
    fn follow_formats(&mut self) {
        let Ok(formats) = parse_formats(self.value(Input::Formats).trim(), &self.base.formats)
        else {
            return;
        };
        if !self.upstream_follows {
            return;
        }
        if let Some(field) = self.field_mut(Input::Upstream) {
            field.text = tui_input::Input::new(upstreams_text(&formats));
        }
    }

    /// Sets every field's message from its rule.
    fn revalidate(&mut self) {
        let errors: Vec<Option<String>> = Input::ALL
            .into_iter()
            .map(|i| self.rule(i).err().map(|e| e.rule))
            .collect();
        for (field, error) in self.fields.iter_mut().zip(errors) {
            field.error = error;
        }
    }

    /// On the first run, the domain and repository follow the GitHub field until typed into.
    fn follow_github(&mut self) {
        if self.mode != FormMode::First {
            return;
        }
        let Ok((owner, repo)) = parse_github(self.value(Input::Github)) else {
            return;
        };
        let derived = Setup::for_github(&owner, &repo);
        for (input, value) in [
            (Input::Domain, derived.domain),
            (Input::Repository, derived.repository),
        ] {
            if let Some(field) = self.field_mut(input)
                && !field.touched
            {
                field.text = tui_input::Input::new(value);
            }
        }
    }

    pub fn focused(&self) -> Option<&FormField> {
        self.fields.get(self.focus)
    }

    /// The message to show under `field`: its rule once typed into or after a save was tried (an
    /// empty first-run field is not an error before the user got to it).
    pub fn shown_error<'a>(&self, field: &'a FormField) -> Option<&'a str> {
        (field.touched || self.tried)
            .then_some(field.error.as_deref())
            .flatten()
    }

    fn move_focus(&mut self, delta: isize) {
        let last = self.fields.len().saturating_sub(1);
        self.focus = self.focus.saturating_add_signed(delta).min(last);
    }

    /// The setup the fields describe, or the first field in error (focused).
    fn submit(&mut self) -> FormOutcome {
        self.tried = true;
        self.revalidate();
        if let Some(index) = self.fields.iter().position(|f| f.error.is_some()) {
            self.focus = index;
            return FormOutcome::Editing;
        }
        let mut setup = self.base.clone();
        if let Ok((owner, repo)) = parse_github(self.value(Input::Github)) {
            setup.github_owner = owner;
            setup.github_repo = repo;
        }
        let text = |input| self.value(input).trim().to_owned();
        setup.region = text(Input::Region);
        setup.domain = text(Input::Domain);
        setup.repository = text(Input::Repository);
        if let Ok(formats) = self.formats() {
            setup.formats = formats;
        }
        if let Ok(scope) = parse_scope(&text(Input::Scope)) {
            setup.scope = scope;
        }
        setup.role_name = text(Input::RoleName);
        setup.policy_name = text(Input::PolicyName);
        if let Ok(notify) = parse_notify(&text(Input::Notify)) {
            setup.notify = notify;
        }
        if let Ok(consumers) = parse_consumers(&text(Input::Consumers), setup.account_id.as_deref())
        {
            setup.consumers = consumers;
        }
        if let Some(first) = setup.validate().first() {
            // A rule no single field breaks: show it on the first field.
            if let Some(field) = self.fields.first_mut() {
                field.error = Some(first.to_string());
            }
            self.focus = 0;
            return FormOutcome::Editing;
        }
        FormOutcome::Submit(Box::new(setup))
    }

    /// Edits the focused field with tui-input's keys (see `keys::FORM_BINDINGS`), then follows
    /// and validates as typed. Moving the cursor is not typing: only a changed value touches.
    fn edit(&mut self, key: KeyEvent) {
        let Some(request) = to_input_request(&Event::Key(key)) else {
            return;
        };
        if matches!(request, InputRequest::InsertChar(c) if c.is_control()) {
            return;
        }
        let Some(field) = self.fields.get_mut(self.focus) else {
            return;
        };
        if !field
            .text
            .handle(request)
            .is_some_and(|changed| changed.value)
        {
            return;
        }
        field.touched = true;
        match field.input {
            Input::Github => self.follow_github(),
            Input::Upstream => self.upstream_follows = false,
            Input::Formats => self.follow_formats(),
            _ => {}
        }
        self.revalidate();
    }

    pub fn on_key(&mut self, key: KeyEvent) -> FormOutcome {
        let control = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => return FormOutcome::Cancel,
            KeyCode::Char('s') if control => return self.submit(),
            KeyCode::Enter if self.focus + 1 >= self.fields.len() => return self.submit(),
            KeyCode::Enter | KeyCode::Tab | KeyCode::Down => self.move_focus(1),
            KeyCode::BackTab | KeyCode::Up => self.move_focus(-1),
            _ => self.edit(key),
        }
        FormOutcome::Editing
    }
}

#[cfg(test)]
mod tests;
