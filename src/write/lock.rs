//! The lock file `.<name>.lock` beside the output folder, holding the pid of the build that
//! writes it, so that two builds never write one folder.

use crate::fs_error::FsContext;
use std::ffi::OsStr;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use anyhow::{Context, Result};

use super::RANDOM_LEN;

/// A lock file that cannot be read or parsed is taken over once it is this old.
pub(super) const STALE_LOCK_AGE: Duration = Duration::from_secs(10 * 60);

/// The lock that keeps two builds from writing one output folder; removed when dropped.
#[derive(Debug)]
pub(super) struct Lock {
    /// The lock file.
    path: PathBuf,
    /// What we wrote into it: our pid and a newline.
    token: String,
}

/// What an existing lock file says.
pub(super) enum LockState {
    /// It disappeared: try again.
    Gone,
    /// A live build holds it (pid if known).
    Held(Option<u32>),
    /// Its build is dead, or it is unreadable and old: take it over if it still reads like this.
    Stale(Option<Vec<u8>>),
}

impl Lock {
    /// Create the lock file `path` for the output folder `out`, or take over a stale one.
    ///
    /// The lock file appears with our pid already in it (written to a temporary file named
    /// `staging_prefix…`, then renamed without replacing), so a build killed while taking the
    /// lock never leaves an empty lock file that would block the next builds.
    pub(super) fn take(path: &Path, staging_prefix: &OsStr, out: &Path) -> Result<Lock> {
        let token = format!("{}\n", std::process::id());
        let held = |pid: Option<u32>| {
            let holder = pid.map(|pid| format!(" (pid {pid})")).unwrap_or_default();
            anyhow::anyhow!(
                "another carebook build is writing `{}`{holder}; wait for it to finish, or remove `{}` if no build is running",
                out.display(),
                path.display()
            )
        };
        for _ in 0..4 {
            match create_with(path, staging_prefix, token.as_bytes()) {
                Ok(()) => return Ok(Lock { path: path.to_path_buf(), token }),
                // Our staging file was removed as a killed build's leftover by the build holding
                // the lock: try again.
                Err(err) if err.kind() == io::ErrorKind::NotFound => {}
                Err(err) if err.kind() == io::ErrorKind::AlreadyExists => {
                    match lock_state(path) {
                        LockState::Gone => {}
                        LockState::Held(pid) => return Err(held(pid)),
                        LockState::Stale(seen) => {
                            // Check again just before removing, so as not to remove the lock of a
                            // build that took it over meanwhile.
                            if seen.is_none() || fs::read(path).ok() == seen {
                                match fs::remove_file(path) {
                                    Ok(()) => {}
                                    Err(err) if err.kind() == io::ErrorKind::NotFound => {}
                                    Err(err) => {
                                        return Err(err).with_context(|| {
                                            format!("failed to remove the stale lock file `{}`", path.display())
                                        });
                                    }
                                }
                            }
                        }
                    }
                }
                Err(err) => {
                    return Err(err).fs_context("create the lock file", path);
                }
            }
        }
        Err(held(None))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Remove only our own lock.
        if fs::read(&self.path).is_ok_and(|bytes| bytes == self.token.as_bytes()) {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// Create the file `path` holding `bytes`, atomically: it is written under a temporary name
/// `staging_prefix…` beside `path`, then renamed to `path` unless `path` exists
/// (`AlreadyExists`). The staging file is removed on failure.
pub(super) fn create_with(path: &Path, staging_prefix: &OsStr, bytes: &[u8]) -> io::Result<()> {
    let parent = path.parent().unwrap_or(Path::new("."));
    // tempfile's errors name the random staging file; the caller names the lock file instead.
    let plain = |err: io::Error| match err.to_string().split_once(" at path \"") {
        Some((head, _)) => io::Error::new(err.kind(), head.to_string()),
        None => err,
    };
    let mut staging =
        tempfile::Builder::new().prefix(staging_prefix).rand_bytes(RANDOM_LEN).tempfile_in(parent).map_err(plain)?;
    staging.write_all(bytes).map_err(plain)?;
    staging.persist_noclobber(path).map(|_| ()).map_err(|err| plain(err.error))
}

/// Read an existing lock file and judge it.
pub(super) fn lock_state(path: &Path) -> LockState {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return LockState::Gone,
        Err(_) => return judge_by_age(path, None),
    };
    let pid = std::str::from_utf8(&bytes).ok().and_then(|text| text.trim().parse::<u32>().ok()).filter(|&pid| pid != 0);
    match pid {
        Some(pid) if pid_alive(pid) => LockState::Held(Some(pid)),
        Some(_) => LockState::Stale(Some(bytes)),
        // Empty or garbage: maybe a build that has just created it and not yet written its pid.
        None => judge_by_age(path, Some(bytes)),
    }
}

/// A lock file we cannot read a pid from is stale once it is [`STALE_LOCK_AGE`] old.
pub(super) fn judge_by_age(path: &Path, seen: Option<Vec<u8>>) -> LockState {
    let age = fs::symlink_metadata(path)
        .and_then(|meta| meta.modified())
        .ok()
        .and_then(|modified| SystemTime::now().duration_since(modified).ok());
    match age {
        Some(age) if age >= STALE_LOCK_AGE => LockState::Stale(seen),
        Some(_) => LockState::Held(None),
        None => match fs::symlink_metadata(path) {
            Err(err) if err.kind() == io::ErrorKind::NotFound => LockState::Gone,
            _ => LockState::Held(None),
        },
    }
}

/// Whether process `pid` may be running. Only Linux can tell (through `/proc`); elsewhere, and
/// when `/proc` is not mounted, every process is assumed alive.
pub(super) fn pid_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let proc = Path::new("/proc");
    if cfg!(target_os = "linux") && proc.join("self").exists() { proc.join(pid.to_string()).exists() } else { true }
}
