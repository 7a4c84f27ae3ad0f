// Output goes through `cawiz::commands::print` (escaped), never straight out.
#![deny(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

use cawiz::cli::{Cli, GlobalArgs, TuiArgs};
use clap::Parser;

/// `eprintln!` through `cawiz::commands::print::err` (escaped).
macro_rules! cawiz_err {
    ($($arg:tt)*) => {
        cawiz::commands::print::err(&format!("{}\n", format_args!($($arg)*)))
    };
}

fn main() -> ExitCode {
    let started = std::time::Instant::now();
    if let Err(e) = color_eyre::install() {
        cawiz_err!("warning: error reporting is not installed: {e}");
    }
    let cli = Cli::parse();
    init_logging(cli.command.is_none());
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            cawiz_err!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match cli.command {
        Some(command) => runtime.block_on(cawiz::commands::run(cli.global, command)),
        None => runtime.block_on(tui(cli.global, &cli.tui, started)),
    }
}

/// Undoes what `tui` turned on besides ratatui's own (raw mode, alternate screen, cursor).
fn release_mouse(mouse: bool) {
    if mouse {
        let _ = crossterm::execute!(std::io::stdout(), crossterm::event::DisableMouseCapture);
    }
}

/// The interactive checklist. The one place that takes over the terminal and gives it back: on
/// quit, on error, and (through ratatui's hook) on a panic of the UI thread. A panic inside a
/// background job is reported by the job as an error status; it must not restore the terminal
/// under a running UI, so the hook only restores for the main thread.
async fn tui(global: GlobalArgs, args: &TuiArgs, started: std::time::Instant) -> ExitCode {
    if !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        cawiz_err!(
            "error: the interactive checklist needs a terminal\n  fix: run it in a terminal, or use \
             the headless commands (`cawiz status`, `cawiz plan`, `cawiz apply`)"
        );
        return ExitCode::FAILURE;
    }
    // Local only (no network): the sandbox, the state file. AWS is reached after the first frame.
    let start = match cawiz::commands::session::prepare_tui(&global).await {
        Ok(s) => s,
        Err(e) => return e.report(),
    };
    let mut terminal = match ratatui::try_init() {
        Ok(t) => t,
        Err(e) => {
            ratatui::restore();
            cawiz_err!("error: cannot take over the terminal: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mouse = args.mouse;
    if mouse
        && let Err(e) = crossterm::execute!(std::io::stdout(), crossterm::event::EnableMouseCapture)
    {
        tracing::warn!("mouse capture: {e}");
    }
    let ui_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().name() == Some("main") {
            release_mouse(mouse);
            ui_hook(info);
        } else {
            tracing::error!("a background job panicked: {info}");
        }
    }));
    let options = cawiz::app::run::Options {
        refresh: (args.refresh > 0).then(|| std::time::Duration::from_secs(args.refresh)),
        started,
    };
    let result = cawiz::app::run::run(&mut terminal, global, start, options).await;
    release_mouse(mouse);
    ratatui::restore();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            cawiz_err!("error: the terminal failed: {e}");
            ExitCode::FAILURE
        }
    }
}

/// With `RUST_LOG` set (e.g. `RUST_LOG=debug`), logs go to stderr, or for the TUI (which owns the
/// terminal) to `cawiz.log` in the data directory; without it, nothing is logged.
/// Trace events of the HTTP stack are always dropped: at that level the SDK prints response bodies,
/// and GetAuthorizationToken's holds a token. (At debug and above it redacts credentials.)
fn init_logging(tui: bool) {
    use tracing_subscriber::Layer as _;
    use tracing_subscriber::layer::SubscriberExt as _;
    use tracing_subscriber::util::SubscriberInitExt as _;
    let Ok(filter) = tracing_subscriber::EnvFilter::try_from_env("RUST_LOG") else {
        return;
    };
    let no_bodies = tracing_subscriber::filter::filter_fn(|meta| {
        *meta.level() < tracing::Level::TRACE
            || !["aws_", "hyper", "h2", "reqwest", "rustls"]
                .iter()
                .any(|prefix| meta.target().starts_with(prefix))
    });
    let log_file = tui
        .then(|| directories::ProjectDirs::from("dev", "cawiz", "cawiz"))
        .flatten()
        .and_then(|dirs| {
            std::fs::create_dir_all(dirs.data_dir()).ok()?;
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(dirs.data_dir().join("cawiz.log"))
                .ok()
        });
    let layer = match log_file {
        Some(file) => tracing_subscriber::fmt::layer()
            .with_writer(std::sync::Mutex::new(file))
            .with_ansi(false)
            .boxed(),
        None if tui => return, // no file to write to: the terminal is the UI's
        None => tracing_subscriber::fmt::layer()
            .with_writer(std::io::stderr)
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .boxed(),
    };
    let _ = tracing_subscriber::registry()
        .with(layer.with_filter(filter).with_filter(no_bodies))
        .try_init();
}
