//! The `carebook` binary: parse arguments, run, map the exit status.

use clap::Parser;
use std::process::ExitCode;

// Rendering makes and frees millions of small strings from several threads: mimalloc's per-thread
// free lists make that about a tenth of the build time cheaper than glibc's malloc, and return
// memory sooner (see bench/RESULTS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = carebook::cli::Cli::parse();
    carebook::cli::run(cli).into()
}
