//! Stage timings for profiling: with `CAREBOOK_TIMINGS=1`, each stage prints its wall time and the
//! process's resident memory to stderr. Off by default; costs one environment lookup.

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("CAREBOOK_TIMINGS").is_some_and(|v| !v.is_empty() && v != "0"))
}

/// Runs `f`, and reports its time and memory under `label` when timings are on.
pub(crate) fn stage<T>(label: &str, f: impl FnOnce() -> T) -> T {
    if !enabled() {
        return f();
    }
    let start = Instant::now();
    let out = f();
    let (rss, peak) = memory();
    eprintln!(
        "carebook: {label:<10} {:>7.1} ms  rss {rss:>5} MiB  peak {peak:>5} MiB",
        start.elapsed().as_secs_f64() * 1e3
    );
    out
}

/// Current and peak resident memory in MiB (Linux; zeros elsewhere).
fn memory() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map_or(0, |kb| kb / 1024)
    };
    (field("VmRSS:"), field("VmHWM:"))
}
