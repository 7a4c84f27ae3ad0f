use std::process::ExitCode;

use cawiz::cli::Cli;
use clap::Parser;

fn main() -> ExitCode {
    if let Err(e) = color_eyre::install() {
        eprintln!("warning: error reporting is not installed: {e}");
    }
    init_logging();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(cawiz::commands::run(cli))
}

/// With `RUST_LOG` set (e.g. `RUST_LOG=debug`), logs go to stderr; without it, nothing is logged.
/// Trace events of the HTTP stack are always dropped: at that level the SDK prints response bodies,
/// and GetAuthorizationToken's holds a token. (At debug and above it redacts credentials.)
fn init_logging() {
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
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_filter(filter)
        .with_filter(no_bodies);
    let _ = tracing_subscriber::registry().with(layer).try_init();
}
