//! Stage timings for profiling: with `CAREBOOK_TIMINGS=1`, each stage prints its wall time, the
//! CPU time of all the process's threads in it (user + system: a stage that uses both cores shows
//! about twice its wall time) and the process's resident memory to stderr. Off by default; costs
//! one environment lookup.

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
    let (start, cpu_start) = (Instant::now(), cpu_ms());
    let out = f();
    let (rss, peak) = memory();
    let cpu = cpu_ms().saturating_sub(cpu_start);
    eprintln!(
        "carebook: {label:<10} {:>7.1} ms  cpu {cpu:>6} ms  rss {rss:>5} MiB  peak {peak:>5} MiB",
        start.elapsed().as_secs_f64() * 1e3
    );
    out
}

/// User + system CPU time of the whole process so far, in ms (Linux, in steps of the kernel's
/// 10 ms clock tick; 0 elsewhere).
fn cpu_ms() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name (in parentheses, which may hold spaces): utime and stime
    // are the 14th and 15th of the whole line.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let ticks: u64 = rest.split_whitespace().skip(11).take(2).filter_map(|v| v.parse::<u64>().ok()).sum();
    ticks * 10
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
