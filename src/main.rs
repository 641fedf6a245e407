//! The `carebook` binary: parse arguments, run, map the exit status.

use clap::Parser;
use std::process::ExitCode;

// Rendering makes and frees millions of small strings from several threads: mimalloc's per-thread
// free lists make that about a tenth of the build time cheaper than glibc's malloc, and return
// memory sooner (see bench/RESULTS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc.h (v3): how many milliseconds freed memory is kept before
/// it is given back to the system.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> ExitCode {
    // Give freed memory back after 10 ms (this build of mimalloc waits much longer by default):
    // the render's large passing allocations (home page, doctor index, search index) would
    // otherwise add up in the peak; about 30 MiB less at 10,000 guides for a few percent of time.
    // MIMALLOC_PURGE_DELAY still overrides it.
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets one integer option of the allocator; allowed at any time, from any thread.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 10) };
    }
    let cli = carebook::cli::Cli::parse();
    carebook::cli::run(cli).into()
}
