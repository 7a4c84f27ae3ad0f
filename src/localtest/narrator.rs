//! The narration around the local test's steps: what is happening (masked), the commands each
//! step ran, and each step's result.

use super::process::{Invocation, Isolation, Outcome, one_line, run_streamed};
use super::{Line, LocalTestError, Secret, StepKind, StepResult, mask};

/// The longest `StepResult::detail`, in characters.
const DETAIL_MAX: usize = 500;

pub(super) type OnLine<'a> = &'a mut (dyn FnMut(Line) + Send);

/// Tells the caller what is happening (masked) and collects each step's commands.
pub(super) struct Narrator<'t, 'f> {
    token: &'t Secret,
    isolation: Isolation,
    on_line: OnLine<'f>,
    commands: Vec<String>,
}

impl<'t, 'f> Narrator<'t, 'f> {
    pub fn new(token: &'t Secret, on_line: OnLine<'f>) -> Self {
        Self {
            token,
            isolation: Isolation::Isolated,
            on_line,
            commands: Vec::new(),
        }
    }

    /// The same narrator running its children with `isolation`.
    pub fn isolated(mut self, isolation: Isolation) -> Self {
        self.isolation = isolation;
        self
    }

    pub fn say(&mut self, text: &str) {
        (self.on_line)(Line::Step(mask(text, self.token)));
    }

    pub fn begin(&mut self, kind: StepKind, what: &str) {
        self.commands.clear();
        self.say(&format!("{kind}: {what}"));
    }

    pub async fn exec(&mut self, invocation: &Invocation) -> Result<Outcome, LocalTestError> {
        let shown = invocation.display(self.token);
        self.say(&format!("$ {shown}"));
        if self.commands.last() != Some(&shown) {
            self.commands.push(shown);
        }
        run_streamed(invocation, self.token, self.isolation, self.on_line).await
    }

    /// A client's publish step finished: "published NAME VERSION", or why it failed (`failure`:
    /// the client's own way of saying so, with its hint).
    pub fn published(
        &mut self,
        kind: StepKind,
        outcome: &Outcome,
        failure: fn(&Outcome) -> String,
        (name, version): (&str, &str),
    ) -> StepResult {
        if outcome.success {
            self.finish(kind, true, &format!("published {name} {version}"))
        } else {
            self.finish(kind, false, &failure(outcome))
        }
    }

    pub fn finish(&mut self, kind: StepKind, ok: bool, detail: &str) -> StepResult {
        let detail = one_line(&mask(detail, self.token), DETAIL_MAX);
        let verdict = if ok { "passed" } else { "failed" };
        self.say(&format!("{kind} {verdict}: {detail}"));
        StepResult {
            kind,
            ok,
            command: self.commands.join(" && "),
            detail,
        }
    }
}
