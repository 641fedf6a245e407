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

/// `mi_option_allow_thp` in mimalloc.h (v3): whether the allocator asks the system for transparent
/// huge pages.
const MI_OPTION_ALLOW_THP: libmimalloc_sys::mi_option_t = 43;

fn main() -> ExitCode {
    // Give freed memory back after 200 ms (this build of mimalloc waits much longer by default).
    // Sooner costs time: freed pages are handed back and faulted in again (at 10 ms, six times the
    // page faults and about 5% more time at 10,000 guides); later, memory: the render's passing
    // allocations add up in the peak (about 15 MiB more than at 10 ms; see bench/RESULTS.md).
    // MIMALLOC_PURGE_DELAY still overrides it.
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets one integer option of the allocator; allowed at any time, from any thread.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 200) };
    }
    // No transparent huge pages: mimalloc asks for them by default, and on Linux each one is
    // compacted for and zeroed whole in the kernel when first touched. At 100,000 guides that was
    // over half of `carebook check`'s system time (7.4 s of 15.7 s CPU; 3.1 s without them) for
    // no gain in user time. MIMALLOC_ALLOW_THP still overrides it.
    if std::env::var_os("MIMALLOC_ALLOW_THP").is_none() {
        // SAFETY: as above, one integer option; it keeps mimalloc from asking for them from now on.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_ALLOW_THP, 0) };
        // And for the memory it took before `main` ran: the system no longer gives this process
        // huge pages. An error (an old kernel) leaves them allowed, which is only slower.
        #[cfg(target_os = "linux")]
        let _ = rustix::thread::disable_transparent_huge_pages(true);
    }
    let cli = carebook::cmd::Cli::parse();
    carebook::cmd::run(cli).into()
}
