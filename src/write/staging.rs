//! The new output tree while it is filled, in a temporary folder beside the output: each file is
//! checked, written (or hard-linked from the previous output when unchanged) and counted.

use crate::fs_error::FsContext;
use std::collections::{HashMap, HashSet};
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use anyhow::{Result, bail};

use super::cache::{FileStamp, Kept, Units};
use super::marker::{MARKER, marker_text};
use super::memo::Memo;
use super::target::check_path;
use super::{WriteStats, pause_after_file};
use crate::output::{Pieces, Reused, Sink};

impl Sink for Staging<'_> {
    fn put(&self, path: String, bytes: Vec<u8>) -> Result<()> {
        Staging::put(self, &path, &bytes)
    }

    fn create<'s>(&'s self, path: &str) -> Result<Box<dyn Pieces + 's>> {
        Ok(Box::new(Staging::create(self, path)?))
    }

    fn reuse(&self, unit: &str, inputs: u64) -> Result<Option<Reused>> {
        Staging::reuse(self, unit, inputs)
    }

    fn remembers(&self) -> bool {
        self.previous.is_some() && !self.kept.is_empty()
    }

    fn record(&self, path: &str, hash: u64) {
        lock(&self.record).hashes.insert(path.to_string(), hash);
    }

    fn recall(&self, key: u64) -> Option<Vec<u8>> {
        self.memo.recall(key)
    }

    fn keep(&self, key: u64, value: &[u8]) {
        self.memo.keep(key, value);
    }
}

/// What a build tells about its files, kept in the build cache for the next one.
#[derive(Default)]
pub(super) struct Record {
    /// Each unit's inputs (see [`Sink::reuse`]).
    told: HashMap<String, u64>,
    /// Each file's hash (see [`Sink::record`]).
    hashes: HashMap<String, u64>,
}

impl Record {
    /// The units, with their files as they are now in `out` (the output after the swap).
    pub(super) fn units(self, out: &Path) -> Units {
        let Record { told, hashes } = self;
        let mut units: Units = told.into_iter().map(|(unit, inputs)| (unit, (inputs, Vec::new()))).collect();
        for (path, hash) in hashes {
            // A file is its own unit, or belongs to the nearest folder that is one (`search/`).
            let folders = path.rmatch_indices('/').map(|(at, _)| &path[..=at]);
            let unit = std::iter::once(path.as_str()).chain(folders).find(|u| units.contains_key(*u));
            let Some(unit) = unit.map(str::to_string) else { continue };
            if let (Some(stamp), Some((_, files))) = (FileStamp::of(&out.join(&path)), units.get_mut(&unit)) {
                files.push(Kept { path, hash, stamp });
            }
        }
        units.retain(|_, (_, files)| !files.is_empty());
        units
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Pieces for StagedFile<'_> {
    fn write(&mut self, bytes: &[u8]) -> Result<()> {
        StagedFile::write(self, bytes)
    }

    fn finish(self: Box<Self>) -> Result<()> {
        StagedFile::finish(*self)
    }
}

/// The new output tree while it is filled: files go in as they are made, from any thread.
///
/// Each path is checked as it comes (a bug guard, as in [`super::write_site_with`]); a file whose bytes equal
/// the previous output's is hard-linked instead of written.
pub(crate) struct Staging<'a> {
    tmp: &'a Path,
    /// `tmp`, open: files are created relative to it, so the system does not walk the whole path
    /// again for each of thousands of files.
    #[cfg(unix)]
    tmp_dir: Option<std::os::fd::OwnedFd>,
    previous: Option<&'a Path>,
    /// The previous build's units, from the build cache: files to take again when their inputs
    /// are the same.
    kept: Units,
    /// What this build tells of its files, for the next build's cache.
    record: Mutex<Record>,
    /// Values kept between builds by what they are made from (see `memo.rs`).
    memo: Memo,
    /// Paths of the files and folders made so far.
    made: Mutex<Made>,
    written: AtomicUsize,
    linked: AtomicUsize,
    reused: AtomicUsize,
    bytes: AtomicU64,
}

#[derive(Default)]
pub(super) struct Made {
    files: HashSet<String>,
    dirs: HashSet<String>,
}

impl<'a> Staging<'a> {
    pub(super) fn new(tmp: &'a Path, previous: Option<&'a Path>) -> Self {
        Staging {
            tmp,
            #[cfg(unix)]
            tmp_dir: rustix::fs::open(
                tmp,
                rustix::fs::OFlags::RDONLY | rustix::fs::OFlags::DIRECTORY | rustix::fs::OFlags::CLOEXEC,
                rustix::fs::Mode::empty(),
            )
            .ok(),
            previous,
            kept: Units::new(),
            record: Mutex::new(Record::default()),
            memo: Memo::default(),
            made: Mutex::new(Made::default()),
            written: AtomicUsize::new(0),
            linked: AtomicUsize::new(0),
            reused: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
        }
    }

    /// The previous build's units (from the build cache), to take again when unchanged.
    pub(super) fn remember(mut self, kept: Units) -> Self {
        self.kept = kept;
        self
    }

    /// The memo: the previous build's values, and this build's kept (see `memo.rs`).
    pub(super) fn memo(mut self, memo: Memo) -> Self {
        self.memo = memo;
        self
    }

    /// [`Sink::reuse`]: notes `unit`'s inputs; when the previous build made it from the same
    /// inputs and each of its files is still as it was left, links them into the new tree.
    ///
    /// # Errors
    ///
    /// As [`Staging::put`].
    pub(crate) fn reuse(&self, unit: &str, inputs: u64) -> Result<Option<Reused>> {
        lock(&self.record).told.insert(unit.to_string(), inputs);
        let (Some(previous), Some((was, files))) = (self.previous, self.kept.get(unit)) else {
            return Ok(None);
        };
        let unchanged = |f: &Kept| FileStamp::of(&previous.join(&f.path)) == Some(f.stamp);
        if *was != inputs || files.is_empty() || !files.iter().all(unchanged) {
            return Ok(None);
        }
        if files.iter().any(|f| lock(&self.made).files.contains(&f.path)) {
            // Told after it was made (print.html on a first build): nothing to take.
            return Ok(None);
        }
        let mut reused = Vec::with_capacity(files.len());
        for f in files {
            let target = self.claim(&f.path)?;
            let old = previous.join(&f.path);
            fs::hard_link(&old, &target).fs_context("link", &target)?;
            lock(&self.record).hashes.insert(f.path.clone(), f.hash);
            self.linked.fetch_add(1, Ordering::Relaxed);
            self.reused.fetch_add(1, Ordering::Relaxed);
            self.bytes.fetch_add(f.stamp.len(), Ordering::Relaxed);
            pause_after_file();
            reused.push((f.path.clone(), f.hash, f.stamp.len()));
        }
        Ok(Some(reused))
    }

    /// Puts the file `path` (relative, `/`-separated) with `bytes` into the new tree.
    ///
    /// # Errors
    ///
    /// A path that [`super::write_site_with`] refuses, a path given twice, and I/O failures.
    pub(crate) fn put(&self, path: &str, bytes: &[u8]) -> Result<()> {
        let target = self.claim(path)?;
        if let Some(previous) = self.previous {
            let old = previous.join(path);
            if same_bytes(&old, bytes) && fs::hard_link(&old, &target).is_ok() {
                self.linked.fetch_add(1, Ordering::Relaxed);
                self.bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
                pause_after_file();
                return Ok(());
            }
        }
        self.new_file(path, &target).and_then(|mut f| f.write_all(bytes)).fs_context("write", &target)?;
        self.written.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        pause_after_file();
        Ok(())
    }

    /// Starts the file `path`, to be written in pieces with [`StagedFile::write`] and completed
    /// with [`StagedFile::finish`] (a large file need not be held in memory).
    ///
    /// # Errors
    ///
    /// As [`Staging::put`].
    pub(crate) fn create(&self, path: &str) -> Result<StagedFile<'_>> {
        let target = self.claim(path)?;
        let file = self.new_file(path, &target).fs_context("write", &target)?;
        // Compared with the previous output's file while written: unchanged, it is linked instead.
        let old =
            self.previous.map(|p| p.join(path)).filter(|old| fs::symlink_metadata(old).is_ok_and(|m| m.is_file()));
        let old_reader =
            old.as_ref().and_then(|o| File::open(o).ok()).map(|f| io::BufReader::with_capacity(256 * 1024, f));
        Ok(StagedFile {
            staging: self,
            target,
            out: io::BufWriter::with_capacity(256 * 1024, file),
            old,
            old_reader,
            len: 0,
            seen: Vec::new(),
        })
    }

    /// Checks `path`, records it, makes its folders, and returns where it goes.
    fn claim(&self, path: &str) -> Result<PathBuf> {
        if let Err(reason) = check_path(path) {
            bail!("invalid output path `{}`: {reason} (a bug in carebook)", path.escape_debug());
        }
        if path == MARKER {
            bail!("output path `{MARKER}` is reserved for the build marker (a bug in carebook)");
        }
        let mut made = self.made.lock().unwrap_or_else(PoisonError::into_inner);
        if made.dirs.contains(path) {
            bail!("output path `{}` is both a file and a folder (a bug in carebook)", path.escape_debug());
        }
        let parents: Vec<&str> = path.match_indices('/').map(|(at, _)| &path[..at]).collect();
        if let Some(p) = parents.iter().find(|p| made.files.contains(**p) || **p == MARKER) {
            bail!("output path `{}` is both a file and a folder (a bug in carebook)", p.escape_debug());
        }
        if !made.files.insert(path.to_string()) {
            bail!("two output files have the same path `{}` (a bug in carebook)", path.escape_debug());
        }
        // Folders are made under the lock, so two threads never race to make one.
        for p in parents {
            if !made.dirs.contains(p) {
                let dir = self.tmp.join(p);
                fs::create_dir(&dir).fs_context("create folder", &dir)?;
                made.dirs.insert(p.to_string());
            }
        }
        Ok(self.tmp.join(path))
    }

    /// Creates (or truncates) the new tree's file `path`, which is `target`.
    fn new_file(&self, path: &str, target: &Path) -> io::Result<File> {
        #[cfg(unix)]
        if let Some(dir) = &self.tmp_dir {
            use rustix::fs::{Mode, OFlags};
            let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::TRUNC | OFlags::CLOEXEC;
            return Ok(File::from(rustix::fs::openat(dir, path, flags, Mode::from_bits_truncate(0o666))?));
        }
        File::create(target)
    }

    /// Adds the marker, listing the files; says what was done, and which files.
    pub(super) fn finish(self) -> Result<(WriteStats, HashSet<String>, Record, Memo)> {
        let marker = self.tmp.join(MARKER);
        let files = self.made.into_inner().unwrap_or_else(PoisonError::into_inner).files;
        fs::write(&marker, marker_text(&files)).fs_context("write", &marker)?;
        let (written, linked, reused) = (self.written.into_inner(), self.linked.into_inner(), self.reused.into_inner());
        let record = self.record.into_inner().unwrap_or_else(PoisonError::into_inner);
        Ok((
            WriteStats { files: written + linked, written, linked, reused, bytes: self.bytes.into_inner() },
            files,
            record,
            self.memo,
        ))
    }
}

/// A file of the new tree written in pieces; see [`Staging::create`].
pub(crate) struct StagedFile<'s> {
    staging: &'s Staging<'s>,
    target: PathBuf,
    out: io::BufWriter<File>,
    /// The previous output's file of the same path, while it still matches what was written.
    old: Option<PathBuf>,
    old_reader: Option<io::BufReader<File>>,
    len: u64,
    /// Reused buffer for the previous file's bytes while comparing.
    seen: Vec<u8>,
}

impl StagedFile<'_> {
    /// Appends `bytes`.
    ///
    /// # Errors
    ///
    /// I/O failures, naming the file.
    pub(crate) fn write(&mut self, bytes: &[u8]) -> Result<()> {
        self.out.write_all(bytes).fs_context("write", &self.target)?;
        self.len += bytes.len() as u64;
        if let Some(reader) = &mut self.old_reader {
            self.seen.resize(bytes.len(), 0);
            if reader.read_exact(&mut self.seen).is_err() || self.seen != bytes {
                self.old_reader = None;
                self.old = None;
            }
        }
        Ok(())
    }

    /// Completes the file: if it equals the previous output's, that one is hard-linked instead.
    ///
    /// # Errors
    ///
    /// I/O failures, naming the file.
    pub(crate) fn finish(self) -> Result<()> {
        let StagedFile { staging, target, out, old, old_reader, len, .. } = self;
        out.into_inner().map_err(io::IntoInnerError::into_error).fs_context("write", &target)?;
        staging.bytes.fetch_add(len, Ordering::Relaxed);
        // Unchanged: every byte matched and the old file has no more.
        let unchanged = match (old, old_reader) {
            (Some(old), Some(mut reader)) => {
                let mut more = [0u8; 1];
                matches!(reader.read(&mut more), Ok(0)).then_some(old)
            }
            _ => None,
        };
        if let Some(old) = unchanged
            && fs::remove_file(&target).is_ok()
        {
            if fs::hard_link(&old, &target).is_ok() {
                staging.linked.fetch_add(1, Ordering::Relaxed);
                pause_after_file();
                return Ok(());
            }
            bail!("failed to link `{}` to `{}`", target.display(), old.display());
        }
        staging.written.fetch_add(1, Ordering::Relaxed);
        pause_after_file();
        Ok(())
    }
}

/// Whether `path` is a regular file holding exactly `bytes`; any error means no.
pub(super) fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    let Ok(meta) = fs::symlink_metadata(path) else {
        return false;
    };
    if !meta.is_file() || meta.len() != bytes.len() as u64 {
        return false;
    }
    let Ok(mut file) = File::open(path) else {
        return false;
    };
    // The length matched, so reading exactly `bytes.len()` bytes is enough.
    let mut buffer = vec![0; bytes.len().min(64 * 1024)];
    let mut rest = bytes;
    while !rest.is_empty() {
        let want = buffer.len().min(rest.len());
        let read = match file.read(&mut buffer[..want]) {
            Ok(0) | Err(_) => return false,
            Ok(read) => read,
        };
        let Some((head, tail)) = rest.split_at_checked(read) else {
            return false;
        };
        if buffer[..read] != *head {
            return false;
        }
        rest = tail;
    }
    true
}
