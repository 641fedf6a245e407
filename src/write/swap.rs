//! The swap: the filled temporary folder takes the output's place in one step where the system
//! can, and what killed builds left beside the output is cleared away.

use crate::fs_error::FsContext;
use std::collections::HashSet;
use std::ffi::OsStr;
use std::fs;
use std::io;
use std::path::Path;

use anyhow::{Context, Result, bail};

use super::marker::MARKER;
use super::pause_at;
use super::target::{Target, check_existing};

/// Remove the temporary folders and cache files that killed builds left next to `out`; best
/// effort.
///
/// Ours are `.<name>.tmp-<suffix>` and `.<name>.old-<suffix>` where the suffix has no `.`, so the
/// folders of a sibling output named like `<name>.tmp-x` are left alone, and `.<name>.cache.<pid>`
/// and `.<name>.memo.<pid>` (a cache or memo being written when its build was killed: both are
/// written under the lock we hold). If `out` is missing and
/// exactly one `.old-` folder has a marker, a build was killed between its two renames: that
/// folder is the previous output and is moved back to `out`.
pub(super) fn clean_stale(target: &Target) {
    let Ok(entries) = fs::read_dir(&target.parent) else {
        return;
    };
    let tmp_prefix = target.sibling("tmp-");
    let old_prefix = target.sibling("old-");
    let cache_prefixes = [target.sibling("cache."), target.sibling("memo."), target.sibling("parsed.")];
    let is_cache_of_a_killed_build = |name: &OsStr| {
        cache_prefixes.iter().any(|prefix| {
            name.as_encoded_bytes()
                .strip_prefix(prefix.as_encoded_bytes())
                .is_some_and(|pid| !pid.is_empty() && pid.iter().all(u8::is_ascii_digit))
        })
    };
    let ours = |name: &OsStr, prefix: &OsStr| {
        name.as_encoded_bytes()
            .strip_prefix(prefix.as_encoded_bytes())
            .is_some_and(|suffix| !suffix.is_empty() && !suffix.contains(&b'.'))
    };
    let mut stale = Vec::new();
    let mut olds_with_marker = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        if ours(&name, &old_prefix) {
            let path = entry.path();
            if fs::symlink_metadata(path.join(MARKER)).is_ok_and(|meta| meta.is_file()) {
                olds_with_marker.push(path.clone());
            }
            stale.push(path);
        } else if ours(&name, &tmp_prefix) || is_cache_of_a_killed_build(&name) {
            stale.push(entry.path());
        }
    }
    if let [previous] = olds_with_marker.as_slice()
        && fs::symlink_metadata(&target.out).is_err_and(|err| err.kind() == io::ErrorKind::NotFound)
        && fs::rename(previous, &target.out).is_ok()
    {
        stale.retain(|path| path != previous);
    }
    for path in stale {
        let _ = match fs::symlink_metadata(&path) {
            Ok(meta) if meta.is_dir() => fs::remove_dir_all(&path),
            Ok(_) => fs::remove_file(&path),
            Err(err) => Err(err),
        };
    }
}

/// Replace `out` by the filled temporary folder (whose files are `files`): move `out` aside to
/// `old`, then move `tmp` to `out`; if the second rename fails, move `old` back. Says whether
/// `out` was moved aside.
pub(super) fn swap(
    tmp: tempfile::TempDir,
    target: &Target,
    out: &Path,
    old: &Path,
    files: &HashSet<String>,
) -> Result<bool> {
    // Check again under the lock, right before moving: never move aside a folder that is not ours,
    // nor files that are not.
    check_existing(&target.out, out, Some(files))?;
    // Where the kernel can, swap the two folders in one step, so `out` never goes missing.
    #[cfg(target_os = "linux")]
    if fs::symlink_metadata(&target.out).is_ok_and(|meta| meta.is_dir()) {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        if renameat_with(CWD, tmp.path(), CWD, &target.out, RenameFlags::EXCHANGE).is_ok() {
            // `out` is the new tree; the temporary folder's name holds the previous one. Renamed
            // to `old` so the caller deletes it marker first; left for the next build otherwise.
            let previous = tmp.keep();
            return Ok(fs::rename(&previous, old).is_ok());
        }
        // Not supported here (filesystem, kernel): the two renames below.
    }
    let moved_aside = match fs::rename(&target.out, old) {
        Ok(()) => true,
        Err(err) if err.kind() == io::ErrorKind::NotFound => false,
        Err(err) => {
            return Err(err).with_context(|| {
                format!("failed to move the previous output `{}` aside to `{}`", out.display(), old.display())
            });
        }
    };
    if let Err(err) = fs::rename(tmp.path(), &target.out) {
        if moved_aside && let Err(back) = fs::rename(old, &target.out) {
            bail!(
                "failed to move the new output into place at `{}`: {err}; the previous output could not be moved back either ({back}) and is in `{}`",
                out.display(),
                old.display()
            );
        }
        return Err(err).fs_context("move the new output into place at", out);
    }
    // The folder is `out` now: it must not be removed as a temporary folder.
    let _ = tmp.keep();
    Ok(moved_aside)
}

/// Delete a previous output tree that was moved aside. The marker goes first, so that a tree
/// half-deleted by a killed build is never mistaken for a whole previous output.
/// Kept separate so that it can move to a background thread.
pub(super) fn remove_old(path: &Path) -> io::Result<()> {
    match fs::remove_file(path.join(MARKER)) {
        Ok(()) => {}
        Err(err) if err.kind() == io::ErrorKind::NotFound => {}
        Err(err) => return Err(err),
    }
    pause_at("unmarked");
    fs::remove_dir_all(path)
}
