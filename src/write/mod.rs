//! Write the built site to the output folder: the only module that touches it.
//!
//! Input: the site's root folder, the output folder and the files render puts into a [`Staging`] tree.
//! Output: the output folder replaced whole by exactly those files plus a [`MARKER`] file, and
//! [`WriteStats`] saying how many files were written and how many were hard-linked unchanged.
//!
//! `write` never writes into the output folder in place, never replaces a folder that carebook did
//! not make (no [`MARKER`]), never writes outside the output folder and its hidden siblings, and
//! never leaves a half-written site behind: when it fails before the swap, the previous output is
//! byte-identical.
//!
//! [`write_site_with`] works in five steps:
//!
//! 1. [`check_output_target`] refuses the site root, its ancestors, `content/`, `themes/`, files,
//!    symbolic links and folders without the marker; then the output paths are checked (a bug
//!    guard: no name may leave the output folder).
//! 2. A lock file `<parent>/.<name>.lock` holding our pid keeps two builds apart. It is created with
//!    the pid already in it (written under a temporary name, then renamed without replacing), so
//!    a killed build never leaves an empty lock behind.
//! 3. Temporary folders of killed builds (`.<name>.tmp-*`, `.<name>.old-*`) are removed.
//! 4. The new tree is filled in `<parent>/.<name>.tmp-XXXXXX`, on the same filesystem. A file whose
//!    bytes equal the previous output's is hard-linked from it instead of written: on ext4,
//!    creating many files soon after deleting many is slow, and a link allocates no inode.
//! 5. Swap: on Linux, the new tree and `out` trade places in one `renameat2(RENAME_EXCHANGE)`, so
//!    `out` is at every moment either the whole previous site or the whole new one; the previous
//!    tree is then renamed `.<name>.old-XXXXXX` and deleted. Where exchanging is not supported,
//!    `out` is renamed to `.<name>.old-XXXXXX` and the new tree to `out`: between those two renames
//!    there is a window of a few microseconds in which `out` does not exist; a build killed exactly
//!    there leaves the previous output in the `.old-` folder, and the next build moves it back
//!    before it starts.
//!
//! Nothing is synced to disk: after a power loss the output may need a rebuild.
//!
//! For tests, `CAREBOOK_PAUSE_AT=<step>` stops a build for good at one step of writing (see
//! [`pause_at`]), so that tests/testsuite/kill.rs can kill it exactly there.

mod cache;
mod lock;
mod marker;
mod memo;
mod parsed;
mod staging;
mod swap;
mod target;
#[cfg(test)]
mod tests;

use crate::fs_error::FsContext;
use std::fs;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Result, bail};

use lock::Lock;
pub use marker::MARKER;
pub(crate) use parsed::{Keep, Recall, store_path};
pub(crate) use staging::Staging;
use swap::{clean_stale, remove_old, swap};
use target::check_target;

/// What a write did.
///
/// The counts are over the site's files; the [`MARKER`] file is not counted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WriteStats {
    /// How many files the site has (`written + linked`).
    pub files: usize,
    /// How many files were written anew.
    pub written: usize,
    /// How many files were hard-linked, unchanged, from the previous output.
    pub linked: usize,
    /// How many of the linked files were not even made: their inputs were those of the previous
    /// build's (the build cache, `.<name>.cache`).
    pub reused: usize,
    /// The total size of the site's files in bytes, written and linked.
    pub(crate) bytes: u64,
}

/// How many random characters end the names of our temporary folders.
const RANDOM_LEN: usize = 6;

/// Check that `out` may be replaced by a build of the site at `root` (content in `root/content`), without touching anything.
///
/// # Errors
///
/// Refused, with a one-line message naming the path and saying what to do: `out` is `root` or one of its
/// ancestors; `out` is `root/content` or `root/themes` or inside them; `out` is a symbolic link; `out`
/// exists and is not a folder; `out` is a non-empty folder without a [`MARKER`] file at its top.
/// A folder inside `root`, such as `root/public`, is fine. Paths are compared after resolving
/// symbolic links; for a path that does not exist yet, its nearest existing ancestor is resolved.
pub(crate) fn check_output_target(root: &Path, out: &Path) -> Result<()> {
    check_target(root, out).map(|_| ())
}

/// Writes the new content of `out`, atomically, and says what was done. The files are handed over
/// while they are made: `fill` puts each one into the [`Staging`] tree (from any thread), so the
/// site is never held in memory whole.
///
/// When `fill` returns `Ok(None)` (the caller found a problem it reports itself) or an error,
/// the new tree is dropped and `out` is left as it was; the result is then `Ok(None)` or the
/// error. Otherwise the new tree replaces `out` as the module documentation describes.
///
/// # Errors
///
/// A refused target, an output path that is absolute, has a `..`, `.` or empty segment, a
/// backslash or a NUL, two files with one path, a file that is also a folder (all bugs, never
/// content), a build already holding the lock, any I/O failure (the message names the path), and
/// whatever `fill` returns. When it fails, `out` is left as it was.
pub(crate) fn write_site_with<T>(
    root: &Path,
    out: &Path,
    fill: impl FnOnce(&Staging) -> Result<Option<T>>,
) -> Result<Option<(T, WriteStats)>> {
    let target = check_target(root, out)?;

    fs::create_dir_all(&target.parent).fs_context("create folder", &target.parent)?;
    let _lock = Lock::take(&target.parent.join(target.sibling("lock")), &target.sibling("tmp-"), out)?;
    clean_stale(&target);

    let tmp_prefix = target.sibling("tmp-");
    let tmp = tempfile::Builder::new()
        .prefix(&tmp_prefix)
        .rand_bytes(RANDOM_LEN)
        .tempdir_in(&target.parent)
        .fs_context("create a temporary folder in", &target.parent)?;
    pause_at("staging");

    let previous = match fs::symlink_metadata(&target.out) {
        Ok(meta) if meta.is_dir() => Some(target.out.as_path()),
        _ => None,
    };
    let cache = target.parent.join(target.sibling("cache"));
    let memo = target.parent.join(target.sibling("memo"));
    let staging = Staging::new(tmp.path(), previous)
        .remember(previous.map(|_| cache::read(&cache)).unwrap_or_default())
        .memo(memo::Memo::open(&memo));
    let Some(value) = fill(&staging)? else {
        return Ok(None);
    };
    let (stats, files, record, kept) = staging.finish()?;
    pause_at("marked");

    // The old tree gets the temporary folder's random suffix, so its name is free: every
    // `.<name>.old-*` was removed above, under the lock.
    let old = match tmp.path().file_name() {
        Some(tmp_name) => {
            let suffix = tmp_name.as_encoded_bytes().get(tmp_prefix.len()..).unwrap_or_default();
            let mut old_name = target.sibling("old-");
            old_name.push(String::from_utf8_lossy(suffix).as_ref());
            target.parent.join(old_name)
        }
        None => bail!("temporary folder `{}` has no name", tmp.path().display()),
    };
    let moved_aside = swap(tmp, &target, out, &old, &files)?;
    pause_at("swapped");
    // No unit told (files handed over whole, as the tests do): no cache to keep.
    let units = record.units(&target.out);
    if units.is_empty() {
        let _ = fs::remove_file(&cache);
    } else {
        cache::write(&cache, &units);
    }
    kept.finish(&memo);
    if moved_aside {
        // A failure leaves a stale `.old-` folder, which the next build removes.
        let _ = remove_old(&old);
    }
    Ok(Some((value, stats)))
}

/// The step named by `CAREBOOK_PAUSE_AT`, if any (read once).
fn pause_step() -> Option<&'static str> {
    static STEP: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    STEP.get_or_init(|| std::env::var("CAREBOOK_PAUSE_AT").ok()).as_deref()
}

/// A test hook: when `CAREBOOK_PAUSE_AT` names `step`, says `carebook: paused at <step>` on stderr
/// and stops this thread for good, so that the build never gets further and a test can kill it
/// exactly here. The steps, in order: `staging` (the temporary folder exists), `file-<n>` (the
/// n-th file of the new tree is complete), `marked` (the new tree is complete with its marker),
/// `swapped` (it is in place and the previous tree set aside), `caching` (the new build cache is
/// written beside the output under a temporary name), `unmarked` (the previous tree's
/// marker is deleted, its files not yet).
fn pause_at(step: &str) {
    if pause_step() == Some(step) {
        eprintln!("carebook: paused at {step}");
        loop {
            std::thread::park();
        }
    }
}

/// [`pause_at`] `file-<n>` when this is the n-th file of the new tree to be complete.
fn pause_after_file() {
    static DONE: AtomicUsize = AtomicUsize::new(0);
    if pause_step().is_some_and(|step| step.starts_with("file-")) {
        pause_at(&format!("file-{}", DONE.fetch_add(1, Ordering::Relaxed) + 1));
    }
}
