//! What a step writes the token into: `$GITHUB_ENV`, `$GITHUB_OUTPUT` (and the deprecated
//! `::set-output`), the job summary, the log; and `::add-mask::`, which hides it from then on.

use super::{Piped, Run};
use crate::workflow::lint::shell::{Command, Output};
use crate::workflow::lint::words::{is_variable, unquote};

impl Run<'_> {
    /// A write of `text` carrying `origin` into the file `target` (a workflow command file or
    /// another); whether it was one of GitHub's.
    pub(super) fn write(
        &mut self,
        target: &str,
        text: &str,
        origin: Option<usize>,
        line: usize,
    ) -> bool {
        let name = text.split_once('=').map(|(n, _)| n.trim().to_owned());
        if is_variable(target, "GITHUB_ENV") {
            if let (Some(o), Some(name)) = (origin, name) {
                self.taint.env.insert(name.clone(), o);
                self.leak(
                    line,
                    o,
                    format!(
                        "writes the token to $GITHUB_ENV as {name}: every later step prints it in \
                         its log header (env:)"
                    ),
                );
            }
            return true;
        }
        if is_variable(target, "GITHUB_OUTPUT") {
            if let (Some(o), Some(name)) = (origin, name) {
                let id = self.step.id.clone().unwrap_or_default();
                self.taint.outputs.insert((id, name.clone()), o);
                self.leak(
                    line,
                    o,
                    format!(
                        "puts the token in the step output {name}: the log prints it wherever the \
                         output is used"
                    ),
                );
            }
            return true;
        }
        if is_variable(target, "GITHUB_STEP_SUMMARY") {
            if let Some(o) = origin {
                self.leak(line, o, "writes the token to the job summary".to_owned());
            }
            return true;
        }
        false
    }

    /// `echo`/`printf`: a mask, a workflow command, a write, or text for the log.
    pub(super) fn echo(&mut self, c: &Command, line: usize) -> Option<Piped> {
        let args = c.program_words().get(1..).unwrap_or_default().to_vec();
        let origin = self.carried_by(&args, line);
        let text = args
            .iter()
            .map(|w| unquote(w))
            .collect::<Vec<_>>()
            .join(" ");
        if text.contains("::add-mask::") {
            if let Some(o) = origin {
                self.taint.masked.insert(o);
            }
            return None;
        }
        if let Some(rest) = text.split("::set-output name=").nth(1) {
            if let (Some(o), Some((name, _))) = (origin, rest.split_once("::")) {
                let id = self.step.id.clone().unwrap_or_default();
                self.taint.outputs.insert((id, name.to_owned()), o);
                self.leak(
                    line,
                    o,
                    format!(
                        "puts the token in the step output {name} (the deprecated ::set-output): the \
                         log prints it wherever the output is used"
                    ),
                );
            }
            return None;
        }
        match &c.output {
            Output::File(target) => {
                self.write(target, &text, origin, line);
                None
            }
            Output::Pipe => Some(Piped { text, origin }),
            Output::Log => {
                if let Some(o) = origin {
                    self.leak(line, o, "prints the token in its log".to_owned());
                }
                None
            }
        }
    }
}
