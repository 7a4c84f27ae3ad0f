use cawiz::cli::{Cli, Command};
use clap::Parser;

fn main() -> color_eyre::Result<()> {
    color_eyre::install()?;
    let cli = Cli::parse();
    let runtime = tokio::runtime::Runtime::new()?;
    match cli.command {
        Command::Sandbox(args) => runtime.block_on(cawiz::sandbox::run_cli(args))?,
    }
    Ok(())
}
