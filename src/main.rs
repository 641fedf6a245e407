//! The `carebook` binary: parse arguments, run, map the exit status.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = carebook::cli::Cli::parse();
    carebook::cli::run(cli).into()
}
