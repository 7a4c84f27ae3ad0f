//! The headless commands (`init`, `status`, `plan`, `apply`, `test`, `workflow`, `destroy`,
//! `completions`):
//! they open a session (state file, AWS and GitHub clients, identity), drive `crate::checklist`,
//! and print. No AWS call is written here.

/// `println!` through [`print::out`]: escaped, never raw.
macro_rules! outln {
    () => {
        $crate::commands::print::out("\n")
    };
    ($($arg:tt)*) => {
        $crate::commands::print::out(&format!("{}\n", format_args!($($arg)*)))
    };
}

/// `print!` through [`print::out`].
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::commands::print::out(&format!($($arg)*))
    };
}

/// `eprintln!` through [`print::err`].
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::commands::print::err(&format!("{}\n", format_args!($($arg)*)))
    };
}

mod apply;
pub mod doctor;
mod init;
mod output;
pub mod print;
pub mod session;
mod status;
mod test;
pub mod verify;
mod workflow;

use std::process::ExitCode;

use crate::cli::{Cli, Command};

pub use session::{Session, open_session, open_unconfirmed};

/// A failure to show the user: what went wrong and what to try. Never a backtrace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError {
    pub message: String,
    pub fix: Option<String>,
}

impl CliError {
    /// `message — fix` on one line (the TUI's log).
    pub fn one_line(&self) -> String {
        match &self.fix {
            Some(fix) => format!("{} — {fix}", self.message),
            None => self.message.clone(),
        }
    }

    pub fn new(message: impl Into<String>, fix: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            fix: Some(fix.into()),
        }
    }

    pub fn plain(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            fix: None,
        }
    }

    /// Prints the error and its fix on stderr; the exit code for it.
    pub fn report(&self) -> ExitCode {
        errln!("error: {}", crate::escape::line(&self.message));
        if let Some(fix) = &self.fix {
            errln!("  fix: {}", crate::escape::line(fix));
        }
        ExitCode::FAILURE
    }
}

impl From<crate::state::StateError> for CliError {
    fn from(e: crate::state::StateError) -> Self {
        CliError::plain(e.to_string())
    }
}

impl From<crate::aws::AwsError> for CliError {
    fn from(e: crate::aws::AwsError) -> Self {
        CliError::new(e.to_string(), e.fix())
    }
}

impl From<crate::checklist::ItemError> for CliError {
    fn from(e: crate::checklist::ItemError) -> Self {
        CliError::new(e.message, e.fix)
    }
}

impl From<crate::checklist::ApplyError> for CliError {
    fn from(e: crate::checklist::ApplyError) -> Self {
        CliError::new(format!("{} ({})", e, e.kind()), e.fix())
    }
}

/// Ctrl-C (SIGINT) from here on ends the command with [`exit_interrupted`].
fn restore_on_interrupt() {
    tokio::spawn(async {
        if tokio::signal::ctrl_c().await.is_ok() {
            exit_interrupted();
        }
    });
}

/// Shows the cursor again (a yes/no question hides it), says so, and exits 130 like a shell
/// would. State files are written atomically, so nothing is half-written.
fn exit_interrupted() -> ! {
    let _ = dialoguer::console::Term::stderr().show_cursor();
    errln!("\ninterrupted");
    std::process::exit(130);
}

/// Runs a command; the exit code says how it went (0 ok, 1 not done or failed).
pub async fn run(global: crate::cli::GlobalArgs, command: Command) -> ExitCode {
    if !matches!(command, Command::Sandbox(_)) {
        restore_on_interrupt();
    }
    let result = match command {
        Command::Init(args) => init::run(&global, *args).await,
        Command::Status(args) => status::status(&global, &args).await,
        Command::Plan(args) => status::plan(&global, &args).await,
        Command::Apply(args) => apply::apply(&global, &args).await,
        Command::Destroy(args) => apply::destroy(&global, &args).await,
        Command::Test(args) => test::run(&global, &args).await,
        Command::Workflow(args) => match &args.command {
            crate::cli::WorkflowCommand::Print => workflow::print(&global).await,
            crate::cli::WorkflowCommand::Lint(a) => workflow::lint_files(&global, a).await,
            crate::cli::WorkflowCommand::Write(a) => workflow::write(&global, a).await,
        },
        Command::Verify(args) => verify::run(&global, &args).await,
        Command::Doctor(args) => doctor::run(&global, &args).await,
        Command::Completions(args) => {
            completions(args.shell);
            Ok(ExitCode::SUCCESS)
        }
        Command::Sandbox(mut args) => {
            args.scenario = global.scenario.clone();
            let served = match args.to_config() {
                Ok(config) => crate::sandbox::serve(config).await,
                Err(e) => Err(e),
            };
            match served {
                Ok(()) => Ok(ExitCode::SUCCESS),
                Err(e) => Err(CliError::plain(e.to_string())),
            }
        }
    };
    match result {
        Ok(code) => code,
        Err(e) => e.report(),
    }
}

fn completions(shell: clap_complete::Shell) {
    use clap::CommandFactory as _;
    let mut command = Cli::command();
    clap_complete::generate(shell, &mut command, "cawiz", &mut std::io::stdout());
}

/// Asks yes/no on the terminal; without one, refuses and says which flag skips the question.
pub fn confirm(question: &str, flag: &str) -> Result<bool, CliError> {
    use std::io::IsTerminal as _;
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return Err(CliError::new(
            "confirmation needed, but there is no terminal to ask on",
            format!("pass {flag} to go ahead without asking"),
        ));
    }
    let answer = dialoguer::Confirm::new()
        .with_prompt(question)
        .default(false)
        .interact();
    // The question hides the cursor; whatever happened, show it again.
    let _ = dialoguer::console::Term::stderr().show_cursor();
    match answer {
        Ok(yes) => Ok(yes),
        // Ctrl-C while reading: the signal may reach the read before the handler exits.
        Err(dialoguer::Error::IO(e)) if e.kind() == std::io::ErrorKind::Interrupted => {
            exit_interrupted()
        }
        Err(e) => Err(CliError::plain(format!("could not read the answer: {e}"))),
    }
}
