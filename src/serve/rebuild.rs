//! The rebuild loop of `serve`: groups the watcher's changes into bursts and rebuilds once per
//! burst, overlapping the build with the wait for the burst to end.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, watch as channel};

use super::{App, Outcome, stopped, watch};
use crate::Options;

/// Waits for changes and rebuilds: a rebuild starts once the first changes of a burst settled
/// (no change for a fifth of `debounce`) and is shown once no change came for `debounce`; when the burst changed files after the rebuild started, it
/// is built again (with those files) before it is shown, so that a burst gives one rebuild that
/// saw its last save. Changes that arrive during a rebuild are coalesced into the next one. Before
/// each rebuild, `content/` and `themes/` are watched again if they were moved away and back or
/// replaced.
pub(super) async fn rebuild_loop(
    app: Arc<App>,
    opts: Options,
    mut cache: crate::Cache,
    watcher: Arc<Mutex<watch::Watcher>>,
    (mut changes, debounce): (mpsc::UnboundedReceiver<Vec<String>>, Duration),
    shutdown: channel::Receiver<bool>,
) {
    loop {
        let mut changed = tokio::select! {
            batch = changes.recv() => match batch {
                Some(batch) => batch,
                None => return,
            },
            () = stopped(shutdown.clone()) => return,
        };
        // One save is several events within a fraction of a millisecond (emptied, written,
        // closed): the build starts once they settled, and the rest of the burst is waited out
        // while it runs.
        let mut last = Instant::now();
        let Some(()) = gather(&mut changes, &mut changed, &mut last, debounce / SETTLE, &shutdown).await else {
            return;
        };
        tidy(&mut changed);
        let started = rebuild(&app, &opts, cache, &watcher, changed.clone());
        // The burst is over when no change came for `debounce`; the build runs meanwhile.
        let mut late = Vec::new();
        let Some(()) = gather(&mut changes, &mut late, &mut last, debounce, &shutdown).await else {
            return;
        };
        let mut outcome;
        (outcome, cache) = started.await;
        if !late.is_empty() {
            // The build may have read a file before the burst's last save: again, with those.
            tidy(&mut late);
            changed.extend(late.iter().cloned());
            tidy(&mut changed);
            let notes = std::mem::take(&mut outcome.notes);
            (outcome, cache) = rebuild(&app, &opts, cache, &watcher, late).await;
            outcome.notes.splice(0..0, notes);
        }
        if *shutdown.borrow() {
            return;
        }
        app.apply(outcome, &changed);
    }
}

/// A rebuild starts once no change came for this part of the debounce time.
const SETTLE: u32 = 5;

/// Adds the changes that come to `into` until none came for `quiet` since `last` (the time of the
/// last change, updated); `None` when the server stops.
async fn gather(
    changes: &mut mpsc::UnboundedReceiver<Vec<String>>,
    into: &mut Vec<String>,
    last: &mut Instant,
    quiet: Duration,
    shutdown: &channel::Receiver<bool>,
) -> Option<()> {
    loop {
        tokio::select! {
            batch = changes.recv() => {
                into.extend(batch?);
                *last = Instant::now();
            }
            () = tokio::time::sleep_until((*last + quiet).into()) => return Some(()),
            () = stopped(shutdown.clone()) => return None,
        }
    }
}

/// Sorts `paths` and leaves out repeats.
fn tidy(paths: &mut Vec<String>) {
    paths.sort();
    paths.dedup();
}

/// Starts a rebuild told that `batch` changed, on a blocking thread; resolves to its outcome and
/// the cache (a fresh one when the rebuild stopped unexpectedly: the next build parses every file).
fn rebuild(
    app: &App,
    opts: &Options,
    mut cache: crate::Cache,
    watcher: &Arc<Mutex<watch::Watcher>>,
    batch: Vec<String>,
) -> impl std::future::Future<Output = (Outcome, crate::Cache)> + use<> {
    let build_opts = opts.clone();
    let started = Instant::now();
    let (watcher, earlier) = (watcher.clone(), app.site());
    let task = tokio::task::spawn_blocking(move || {
        // Watched again before the build reads the folder, so no later edit is missed.
        let notes = watcher.lock().unwrap_or_else(PoisonError::into_inner).refresh(&batch);
        // The watcher saw every change since the last build: only those files are looked at.
        cache.changed(&batch);
        let outcome = Outcome { notes, ..Outcome::build(&build_opts, &mut cache, earlier.as_deref()) };
        (outcome, cache)
    });
    async move {
        match task.await {
            Ok(done) => done,
            Err(e) => {
                let outcome = Outcome {
                    result: Err(anyhow::anyhow!("internal error: the rebuild stopped unexpectedly ({e})")),
                    elapsed: started.elapsed(),
                    notes: Vec::new(),
                    languages: Vec::new(),
                };
                (outcome, crate::Cache::default())
            }
        }
    }
}
