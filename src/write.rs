//! Write the built site to the output folder: the only module that touches it.
//!
//! Input: the site's root folder, the output folder and the rendered [`OutputFile`]s.
//! Output: the output folder replaced whole by exactly those files plus a [`MARKER`] file, and
//! [`WriteStats`] saying how many files were written and how many were hard-linked unchanged.
//!
//! `write` never writes into the output folder in place, never replaces a folder that carebook did
//! not make (no [`MARKER`]), never writes outside the output folder and its hidden siblings, and
//! never leaves a half-written site behind: when it fails before the swap, the previous output is
//! byte-identical.
//!
//! [`write_site`] works in five steps:
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

use std::collections::HashSet;
use std::ffi::{OsStr, OsString};
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use anyhow::{Context, Result, bail};

/// One file of the built site: a path relative to the output folder (forward slashes, no `..`, no leading `/`) and its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputFile {
    /// Where the file goes, relative to the output folder, with `/` between segments.
    pub path: String,
    /// The file's whole content.
    pub bytes: Vec<u8>,
}

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
    /// The total size of the site's files in bytes, written and linked.
    pub bytes: u64,
}

/// The name of the marker file every build writes at the top of its output.
pub const MARKER: &str = ".carebook-build";

/// What the marker file says first; an older carebook wrote only this.
const MARKER_TEXT: &str = "carebook build output; safe to delete\n";

/// The line after which the marker lists the files the build wrote, one JSON string a line: the
/// next build tells them from files someone else put into the output ([`foreign`]).
const MARKER_LIST: &str = "files written by this build, one JSON string a line:\n";

/// The marker's text for a build that wrote `files`.
fn marker_text<'f>(files: impl IntoIterator<Item = &'f String>) -> String {
    let mut files: Vec<&String> = files.into_iter().collect();
    files.sort_unstable();
    let mut text = String::from(MARKER_TEXT);
    text.push_str(MARKER_LIST);
    for f in files {
        // A string always serialises.
        text.push_str(&serde_json::to_string(f).unwrap_or_default());
        text.push('\n');
    }
    text
}

/// The files a marker's text lists; `None` for an older carebook's marker, which lists none.
fn marker_files(text: &str) -> Option<HashSet<String>> {
    let (_, list) = text.split_once(MARKER_LIST)?;
    Some(list.lines().filter_map(|l| serde_json::from_str::<String>(l).ok()).collect())
}

/// The entries of the output folder `dir` that no build wrote: files, links and folders (given
/// as `name/`) that are not in the previous build's list. An older marker lists nothing: then
/// what `new` (this build's files, once known) does not hold counts. Sorted.
fn foreign(dir: &Path, new: Option<&HashSet<String>>) -> Vec<String> {
    let known = match fs::read_to_string(dir.join(MARKER)).ok().and_then(|t| marker_files(&t)) {
        Some(listed) => listed,
        None => match new {
            Some(files) => files.clone(),
            None => return Vec::new(),
        },
    };
    let folders: HashSet<&str> = known.iter().flat_map(|p| p.match_indices('/').map(move |(at, _)| &p[..at])).collect();
    let mut found = Vec::new();
    let mut pending = vec![String::new()];
    while let Some(prefix) = pending.pop() {
        let Ok(entries) = fs::read_dir(dir.join(&prefix)) else { continue };
        for entry in entries.flatten() {
            let path = format!("{prefix}{}", entry.file_name().to_string_lossy());
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            if path == MARKER || known.contains(&path) && !is_dir {
                continue;
            }
            if is_dir && folders.contains(path.as_str()) {
                pending.push(format!("{path}/"));
            } else {
                found.push(if is_dir { format!("{path}/") } else { path });
            }
        }
    }
    found.sort();
    found
}

/// Refuses an output folder holding files that no build wrote (see [`foreign`]): they would be lost.
fn refuse_foreign(dir: &Path, out: &Path, new: Option<&HashSet<String>>) -> Result<()> {
    let found = foreign(dir, new);
    if found.is_empty() {
        return Ok(());
    }
    const SHOWN: usize = 10;
    let mut names: Vec<String> = found.iter().take(SHOWN).map(|p| format!("`{p}`")).collect();
    if found.len() > SHOWN {
        names.push(format!("and {} more", found.len() - SHOWN));
    }
    let files = if found.len() == 1 { "file" } else { "files" };
    bail!(
        "refusing to replace `{}`: it holds {} {files} carebook did not write: {}; nothing was written. Files a host needs (CNAME, robots.txt, _headers, .nojekyll) belong in a `static/` folder beside `content/`, which every build copies into the output; move the others out of `{}`, or build into another folder with --out",
        out.display(),
        found.len(),
        names.join(", "),
        out.display()
    )
}

/// A lock file that cannot be read or parsed is taken over once it is this old.
const STALE_LOCK_AGE: Duration = Duration::from_secs(10 * 60);

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
pub fn check_output_target(root: &Path, out: &Path) -> Result<()> {
    check_target(root, out).map(|_| ())
}

/// Write `files` as the new content of `out`, atomically, and say what was done.
///
/// `out` is checked with [`check_output_target`] first, and its parent folder is created if missing.
/// A lock file `.<name>.lock` next to `out` keeps two builds apart; temporary folders of killed
/// builds next to `out` are removed. The new tree is built in a temporary folder next to `out`:
/// each file whose bytes equal the previous output's is hard-linked, the others are written, and the
/// [`MARKER`] file is added. Then the temporary folder replaces `out` by two renames, and the
/// previous tree is deleted (failing to delete it is not an error: the next build does it).
///
/// # Errors
///
/// A refused target, an output path that is absolute, has a `..`, `.` or empty segment, a
/// backslash or a NUL, two files with one path, a file that is also a folder (all bugs, never
/// content), a build already holding the lock, and any I/O failure (the message names the path).
/// When it fails, `out` is left as it was.
pub fn write_site(root: &Path, out: &Path, files: &[OutputFile]) -> Result<WriteStats> {
    // Each path is checked as it is put; a bad one drops the temporary folder, leaving no trace.
    let written = write_site_with(root, out, |staging| {
        for file in files {
            staging.put(&file.path, &file.bytes)?;
        }
        Ok(Some(()))
    })?;
    Ok(written.map(|((), stats)| stats).unwrap_or_default())
}

/// Like [`write_site`], but the files are handed over while they are made: `fill` puts each one
/// into the [`Staging`] tree (from any thread), so the site is never held in memory whole.
///
/// When `fill` returns `Ok(None)` (the caller found a problem it reports itself) or an error,
/// the new tree is dropped and `out` is left as it was; the result is then `Ok(None)` or the
/// error. Otherwise the new tree replaces `out` as [`write_site`] describes.
///
/// # Errors
///
/// As [`write_site`], and whatever `fill` returns.
pub fn write_site_with<T>(
    root: &Path,
    out: &Path,
    fill: impl FnOnce(&Staging) -> Result<Option<T>>,
) -> Result<Option<(T, WriteStats)>> {
    let target = check_target(root, out)?;

    fs::create_dir_all(&target.parent)
        .with_context(|| format!("failed to create folder `{}`", target.parent.display()))?;
    let _lock = Lock::take(&target.parent.join(target.sibling("lock")), &target.sibling("tmp-"), out)?;
    clean_stale(&target);

    let tmp_prefix = target.sibling("tmp-");
    let tmp = tempfile::Builder::new()
        .prefix(&tmp_prefix)
        .rand_bytes(RANDOM_LEN)
        .tempdir_in(&target.parent)
        .with_context(|| format!("failed to create a temporary folder in `{}`", target.parent.display()))?;
    pause_at("staging");

    let previous = match fs::symlink_metadata(&target.out) {
        Ok(meta) if meta.is_dir() => Some(target.out.as_path()),
        _ => None,
    };
    let staging = Staging::new(tmp.path(), previous);
    let Some(value) = fill(&staging)? else {
        return Ok(None);
    };
    let (stats, files) = staging.finish()?;
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
    if moved_aside {
        // A failure leaves a stale `.old-` folder, which the next build removes.
        let _ = remove_old(&old);
    }
    Ok(Some((value, stats)))
}

/// Where rendered files go: the build's [`Staging`] tree, or [`Memory`] (for `serve`).
pub trait Sink: Sync {
    /// Stores the whole file `path` (relative, `/`-separated).
    ///
    /// # Errors
    ///
    /// A bad path (a bug) or an I/O failure; the render stops.
    fn put(&self, path: String, bytes: Vec<u8>) -> Result<()>;

    /// Starts the file `path`, to be given in pieces (a large file need not be held whole).
    ///
    /// # Errors
    ///
    /// As [`Sink::put`].
    fn create<'s>(&'s self, path: &str) -> Result<Box<dyn Pieces + 's>>;
}

/// A file given in pieces; see [`Sink::create`].
pub trait Pieces: Send {
    /// Appends `bytes`.
    ///
    /// # Errors
    ///
    /// I/O failures.
    fn write(&mut self, bytes: &[u8]) -> Result<()>;

    /// Completes the file.
    ///
    /// # Errors
    ///
    /// I/O failures.
    fn finish(self: Box<Self>) -> Result<()>;
}

impl Sink for Staging<'_> {
    fn put(&self, path: String, bytes: Vec<u8>) -> Result<()> {
        Staging::put(self, &path, &bytes)
    }

    fn create<'s>(&'s self, path: &str) -> Result<Box<dyn Pieces + 's>> {
        Ok(Box::new(Staging::create(self, path)?))
    }
}

impl Pieces for StagedFile<'_> {
    fn write(&mut self, bytes: &[u8]) -> Result<()> {
        StagedFile::write(self, bytes)
    }

    fn finish(self: Box<Self>) -> Result<()> {
        StagedFile::finish(*self)
    }
}

/// Files kept in memory instead of written.
#[derive(Default)]
pub struct Memory {
    files: Mutex<Vec<OutputFile>>,
}

impl Memory {
    /// The files given so far, sorted by path.
    pub fn into_files(self) -> Vec<OutputFile> {
        let mut files = self.files.into_inner().unwrap_or_else(PoisonError::into_inner);
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

impl Sink for Memory {
    fn put(&self, path: String, bytes: Vec<u8>) -> Result<()> {
        self.files.lock().unwrap_or_else(PoisonError::into_inner).push(OutputFile { path, bytes });
        Ok(())
    }

    fn create<'s>(&'s self, path: &str) -> Result<Box<dyn Pieces + 's>> {
        Ok(Box::new(MemoryFile { sink: self, path: path.to_string(), bytes: Vec::new() }))
    }
}

struct MemoryFile<'s> {
    sink: &'s Memory,
    path: String,
    bytes: Vec<u8>,
}

impl Pieces for MemoryFile<'_> {
    fn write(&mut self, bytes: &[u8]) -> Result<()> {
        self.bytes.extend_from_slice(bytes);
        Ok(())
    }

    fn finish(self: Box<Self>) -> Result<()> {
        let MemoryFile { sink, path, bytes } = *self;
        sink.put(path, bytes)
    }
}

/// The new output tree while it is filled: files go in as they are made, from any thread.
///
/// Each path is checked as it comes (a bug guard, as in [`write_site`]); a file whose bytes equal
/// the previous output's is hard-linked instead of written.
pub struct Staging<'a> {
    tmp: &'a Path,
    /// `tmp`, open: files are created relative to it, so the system does not walk the whole path
    /// again for each of thousands of files.
    #[cfg(unix)]
    tmp_dir: Option<std::os::fd::OwnedFd>,
    previous: Option<&'a Path>,
    /// Paths of the files and folders made so far.
    made: Mutex<Made>,
    written: AtomicUsize,
    linked: AtomicUsize,
    bytes: AtomicU64,
}

#[derive(Default)]
struct Made {
    files: HashSet<String>,
    dirs: HashSet<String>,
}

impl<'a> Staging<'a> {
    fn new(tmp: &'a Path, previous: Option<&'a Path>) -> Self {
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
            made: Mutex::new(Made::default()),
            written: AtomicUsize::new(0),
            linked: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
        }
    }

    /// Puts the file `path` (relative, `/`-separated) with `bytes` into the new tree.
    ///
    /// # Errors
    ///
    /// A path that [`write_site`] refuses, a path given twice, and I/O failures.
    pub fn put(&self, path: &str, bytes: &[u8]) -> Result<()> {
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
        self.new_file(path, &target)
            .and_then(|mut f| f.write_all(bytes))
            .with_context(|| format!("failed to write `{}`", target.display()))?;
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
    pub fn create(&self, path: &str) -> Result<StagedFile<'_>> {
        let target = self.claim(path)?;
        let file = self.new_file(path, &target).with_context(|| format!("failed to write `{}`", target.display()))?;
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
                fs::create_dir(&dir).with_context(|| format!("failed to create folder `{}`", dir.display()))?;
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
    fn finish(self) -> Result<(WriteStats, HashSet<String>)> {
        let marker = self.tmp.join(MARKER);
        let files = self.made.into_inner().unwrap_or_else(PoisonError::into_inner).files;
        fs::write(&marker, marker_text(&files)).with_context(|| format!("failed to write `{}`", marker.display()))?;
        let (written, linked) = (self.written.into_inner(), self.linked.into_inner());
        Ok((WriteStats { files: written + linked, written, linked, bytes: self.bytes.into_inner() }, files))
    }
}

/// A file of the new tree written in pieces; see [`Staging::create`].
pub struct StagedFile<'s> {
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
    pub fn write(&mut self, bytes: &[u8]) -> Result<()> {
        self.out.write_all(bytes).with_context(|| format!("failed to write `{}`", self.target.display()))?;
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
    pub fn finish(self) -> Result<()> {
        let StagedFile { staging, target, out, old, old_reader, len, .. } = self;
        out.into_inner()
            .map_err(io::IntoInnerError::into_error)
            .with_context(|| format!("failed to write `{}`", target.display()))?;
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

/// The resolved output folder, with its parent and name.
#[derive(Debug)]
struct Target {
    /// `out` with symbolic links resolved (those of the nearest existing ancestor if it does not exist).
    out: PathBuf,
    /// The folder holding `out`, its lock and its temporary folders.
    parent: PathBuf,
    /// The last component of `out`.
    name: OsString,
}

impl Target {
    /// The name `.<name>.<what>` of a sibling of `out`: `lock`, or the prefixes `tmp-` and `old-`.
    fn sibling(&self, what: &str) -> OsString {
        let mut sibling = OsString::from(".");
        sibling.push(&self.name);
        sibling.push(".");
        sibling.push(what);
        sibling
    }
}

/// [`check_output_target`], returning the resolved target.
fn check_target(root: &Path, out: &Path) -> Result<Target> {
    // `Path::components` drops a trailing slash, so that `lstat` sees the link itself.
    let given: PathBuf = out.components().collect();
    if given.as_os_str().is_empty() {
        bail!("the output folder path is empty; choose an output folder such as `public`");
    }
    if fs::symlink_metadata(&given).is_ok_and(|meta| meta.file_type().is_symlink()) {
        bail!(
            "refusing to replace `{}`: it is a symbolic link; remove the link or choose another output folder",
            out.display()
        );
    }

    let resolved =
        resolve(&given).with_context(|| format!("failed to resolve the output folder `{}`", out.display()))?;
    let root_resolved =
        resolve(root).with_context(|| format!("failed to resolve the site folder `{}`", root.display()))?;
    let suggestion = root.join("public");
    if resolved == root_resolved {
        bail!(
            "refusing to write the site into `{}`: it is the site's own folder; use an output folder inside it, such as `{}`",
            out.display(),
            suggestion.display()
        );
    }
    if root_resolved.starts_with(&resolved) {
        bail!(
            "refusing to write the site into `{}`: it contains the site's folder `{}`; use an output folder such as `{}`",
            out.display(),
            root.display(),
            suggestion.display()
        );
    }
    for (sub, what) in [("content", "content"), ("themes", "themes")] {
        let inner = root.join(sub);
        let inner_resolved =
            resolve(&inner).with_context(|| format!("failed to resolve the {what} folder `{}`", inner.display()))?;
        if resolved.starts_with(&inner_resolved) {
            bail!(
                "refusing to write the site into `{}`: it is inside the {what} folder `{}`; use an output folder such as `{}`",
                out.display(),
                inner.display(),
                suggestion.display()
            );
        }
    }

    check_existing(&resolved, out, None)?;

    let (Some(parent), Some(name)) = (resolved.parent(), resolved.file_name()) else {
        bail!(
            "refusing to write the site into `{}`: it has no parent folder; choose an output folder such as `{}`",
            out.display(),
            suggestion.display()
        );
    };
    Ok(Target { parent: parent.to_path_buf(), name: name.to_os_string(), out: resolved })
}

/// Refuse an existing `out` (resolved path `path`) that is not a folder made by carebook, or that
/// holds files no build wrote (see [`foreign`]; `new` is this build's files, once known).
fn check_existing(path: &Path, out: &Path, new: Option<&HashSet<String>>) -> Result<()> {
    let meta = match fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(err) => {
            return Err(err).with_context(|| format!("failed to inspect `{}`", out.display()));
        }
    };
    if meta.file_type().is_symlink() {
        bail!(
            "refusing to replace `{}`: it is a symbolic link; remove the link or choose another output folder",
            out.display()
        );
    }
    if !meta.is_dir() {
        bail!(
            "refusing to replace `{}`: it is a file, not a folder; remove it or choose another output folder",
            out.display()
        );
    }
    if fs::symlink_metadata(path.join(MARKER)).is_ok_and(|meta| meta.is_file()) {
        return refuse_foreign(path, out, new);
    }
    let mut entries = fs::read_dir(path).with_context(|| format!("failed to read folder `{}`", out.display()))?;
    if entries.next().is_some() {
        bail!(
            "refusing to replace `{}`: it is not empty and has no `{MARKER}` file, so carebook did not make it; move its files away or choose another output folder",
            out.display()
        );
    }
    Ok(())
}

/// Make `path` absolute and resolve the symbolic links of its longest existing ancestor; the rest,
/// which does not exist, is normalized by its names alone.
fn resolve(path: &Path) -> io::Result<PathBuf> {
    let absolute = std::path::absolute(path)?;
    let components: Vec<Component<'_>> = absolute.components().collect();
    for split in (1..=components.len()).rev() {
        let head: PathBuf = components[..split].iter().collect();
        let Ok(mut resolved) = fs::canonicalize(&head) else {
            continue;
        };
        for component in &components[split..] {
            match component {
                Component::ParentDir => {
                    resolved.pop();
                }
                Component::Normal(name) => resolved.push(name),
                Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
            }
        }
        return Ok(resolved);
    }
    Ok(absolute)
}

/// Why `path` may not name a file inside the output folder, if it may not.
fn check_path(path: &str) -> Result<(), &'static str> {
    if path.is_empty() {
        return Err("it is empty");
    }
    if path.starts_with('/') {
        return Err("it is absolute");
    }
    if path.contains('\\') {
        return Err("it contains a backslash");
    }
    if path.contains('\0') {
        return Err("it contains a NUL character");
    }
    for segment in path.split('/') {
        match segment {
            "" => return Err("it has an empty segment"),
            "." | ".." => return Err("it has a `.` or `..` segment"),
            _ => {}
        }
    }
    Ok(())
}

/// The lock that keeps two builds from writing one output folder; removed when dropped.
#[derive(Debug)]
struct Lock {
    /// The lock file.
    path: PathBuf,
    /// What we wrote into it: our pid and a newline.
    token: String,
}

/// What an existing lock file says.
enum LockState {
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
    fn take(path: &Path, staging_prefix: &OsStr, out: &Path) -> Result<Lock> {
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
                    return Err(err).with_context(|| format!("failed to create the lock file `{}`", path.display()));
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
fn create_with(path: &Path, staging_prefix: &OsStr, bytes: &[u8]) -> io::Result<()> {
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
fn lock_state(path: &Path) -> LockState {
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
fn judge_by_age(path: &Path, seen: Option<Vec<u8>>) -> LockState {
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
fn pid_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let proc = Path::new("/proc");
    if cfg!(target_os = "linux") && proc.join("self").exists() { proc.join(pid.to_string()).exists() } else { true }
}

/// Remove the temporary folders that killed builds left next to `out`; best effort.
///
/// Ours are `.<name>.tmp-<suffix>` and `.<name>.old-<suffix>` where the suffix has no `.`, so the
/// folders of a sibling output named like `<name>.tmp-x` are left alone. If `out` is missing and
/// exactly one `.old-` folder has a marker, a build was killed between its two renames: that
/// folder is the previous output and is moved back to `out`.
fn clean_stale(target: &Target) {
    let Ok(entries) = fs::read_dir(&target.parent) else {
        return;
    };
    let tmp_prefix = target.sibling("tmp-");
    let old_prefix = target.sibling("old-");
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
        } else if ours(&name, &tmp_prefix) {
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

/// Whether `path` is a regular file holding exactly `bytes`; any error means no.
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
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

/// Replace `out` by the filled temporary folder (whose files are `files`): move `out` aside to
/// `old`, then move `tmp` to `out`; if the second rename fails, move `old` back. Says whether
/// `out` was moved aside.
fn swap(tmp: tempfile::TempDir, target: &Target, out: &Path, old: &Path, files: &HashSet<String>) -> Result<bool> {
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
        return Err(err).with_context(|| format!("failed to move the new output into place at `{}`", out.display()));
    }
    // The folder is `out` now: it must not be removed as a temporary folder.
    let _ = tmp.keep();
    Ok(moved_aside)
}

/// Delete a previous output tree that was moved aside. The marker goes first, so that a tree
/// half-deleted by a killed build is never mistaken for a whole previous output.
/// Kept separate so that it can move to a background thread.
fn remove_old(path: &Path) -> io::Result<()> {
    match fs::remove_file(path.join(MARKER)) {
        Ok(()) => {}
        Err(err) if err.kind() == io::ErrorKind::NotFound => {}
        Err(err) => return Err(err),
    }
    pause_at("unmarked");
    fs::remove_dir_all(path)
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
/// `swapped` (it is in place and the previous tree set aside), `unmarked` (the previous tree's
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    type Tree = BTreeMap<String, Option<Vec<u8>>>;

    /// Every folder (`None`) and file (`Some(bytes)`) under `dir`, by relative path.
    fn snapshot(dir: &Path) -> Tree {
        fn walk(base: &Path, dir: &Path, tree: &mut Tree) {
            let mut entries: Vec<_> =
                fs::read_dir(dir).expect("read_dir").map(|entry| entry.expect("entry").path()).collect();
            entries.sort();
            for path in entries {
                let rel = path.strip_prefix(base).expect("prefix").to_string_lossy().into_owned();
                let meta = fs::symlink_metadata(&path).expect("metadata");
                if meta.is_dir() {
                    tree.insert(rel, None);
                    walk(base, &path, tree);
                } else {
                    tree.insert(rel, Some(fs::read(&path).expect("read")));
                }
            }
        }
        let mut tree = Tree::new();
        walk(dir, dir, &mut tree);
        tree
    }

    fn file(path: &str, bytes: &str) -> OutputFile {
        OutputFile { path: path.to_string(), bytes: bytes.as_bytes().to_vec() }
    }

    /// A site folder with `content/` and `themes/`; returns (guard, root, out = root/public).
    fn site() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().join("site");
        fs::create_dir_all(root.join("content/guides")).expect("mkdir");
        fs::create_dir_all(root.join("themes/default")).expect("mkdir");
        let out = root.join("public");
        (dir, root, out)
    }

    fn site_files() -> Vec<OutputFile> {
        vec![
            file("index.html", "<h1>home</h1>"),
            file("guides/milk-stasis.html", "milk stasis"),
            file("guides/mastitis.html", "mastitis"),
            file("static/css/site.css", "body {}"),
            file("empty.txt", ""),
        ]
    }

    fn expected_tree(files: &[OutputFile]) -> Tree {
        let mut tree = Tree::new();
        for file in files {
            for (at, _) in file.path.match_indices('/') {
                tree.insert(file.path[..at].to_string(), None);
            }
            tree.insert(file.path.clone(), Some(file.bytes.clone()));
        }
        tree.insert(MARKER.to_string(), Some(marker_text(files.iter().map(|f| &f.path)).into_bytes()));
        tree
    }

    /// The names in `dir` other than the site's own folders.
    fn leftovers(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .expect("read_dir")
            .map(|entry| entry.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|name| !["content", "themes", "public"].contains(&name.as_str()))
            .collect();
        names.sort();
        names
    }

    fn error(result: Result<impl std::fmt::Debug>) -> String {
        format!("{:#}", result.expect_err("expected an error"))
    }

    #[test]
    fn refuses_root() {
        let (_dir, root, _) = site();
        let err = error(check_output_target(&root, &root));
        assert!(err.contains("it is the site's own folder"), "{err}");
        assert!(err.contains(&root.display().to_string()), "{err}");
        // Also through a path that is spelled differently.
        let err = error(check_output_target(&root, &root.join("content/..")));
        assert!(err.contains("it is the site's own folder"), "{err}");
        assert!(write_site(&root, &root, &site_files()).is_err());
    }

    #[test]
    fn refuses_ancestor_of_root() {
        let (dir, root, _) = site();
        let err = error(check_output_target(&root, dir.path()));
        assert!(err.contains("it contains the site's folder"), "{err}");
        let err = error(check_output_target(&root, Path::new("/")));
        assert!(err.contains("it contains the site's folder"), "{err}");
    }

    #[test]
    fn refuses_content_and_themes() {
        let (_dir, root, _) = site();
        for out in [
            root.join("content"),
            root.join("content/guides"),
            root.join("content/new/public"),
            root.join("themes"),
            root.join("themes/default/out"),
        ] {
            let err = error(check_output_target(&root, &out));
            assert!(err.contains("refusing to write the site into"), "{err}");
            assert!(err.contains("it is inside the"), "{err}");
        }
        let before = snapshot(&root);
        assert!(write_site(&root, &root.join("content"), &site_files()).is_err());
        assert_eq!(snapshot(&root), before);
    }

    #[test]
    fn refuses_folder_without_marker() {
        let (_dir, root, out) = site();
        fs::create_dir(&out).expect("mkdir");
        fs::write(out.join("notes.txt"), "mine").expect("write");
        let err = error(check_output_target(&root, &out));
        assert!(err.contains("it is not empty and has no `.carebook-build` file"), "{err}");
        let before = snapshot(&root);
        assert!(write_site(&root, &out, &site_files()).is_err());
        assert_eq!(snapshot(&root), before);
    }

    #[test]
    fn refuses_file() {
        let (_dir, root, out) = site();
        fs::write(&out, "a file").expect("write");
        let err = error(check_output_target(&root, &out));
        assert!(err.contains("it is a file, not a folder"), "{err}");
        assert!(write_site(&root, &out, &site_files()).is_err());
        assert_eq!(fs::read(&out).expect("read"), b"a file");
    }

    #[cfg(unix)]
    #[test]
    fn refuses_symlink() {
        let (dir, root, out) = site();
        let real = dir.path().join("real");
        fs::create_dir(&real).expect("mkdir");
        fs::write(real.join(MARKER), MARKER_TEXT).expect("write");
        std::os::unix::fs::symlink(&real, &out).expect("symlink");
        let err = error(check_output_target(&root, &out));
        assert!(err.contains("it is a symbolic link"), "{err}");
        let mut with_slash = out.clone().into_os_string();
        with_slash.push("/");
        let err = error(check_output_target(&root, Path::new(&with_slash)));
        assert!(err.contains("it is a symbolic link"), "{err}");
        assert!(write_site(&root, &out, &site_files()).is_err());
        assert_eq!(snapshot(&real).len(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn refuses_content_through_symlink() {
        let (dir, root, _) = site();
        let elsewhere = dir.path().join("elsewhere");
        fs::create_dir(&elsewhere).expect("mkdir");
        fs::remove_dir_all(root.join("content")).expect("rm");
        std::os::unix::fs::symlink(&elsewhere, root.join("content")).expect("symlink");
        let err = error(check_output_target(&root, &elsewhere.join("public")));
        assert!(err.contains("it is inside the content folder"), "{err}");
    }

    #[test]
    fn accepts_usual_targets() {
        let (dir, root, out) = site();
        // Missing, inside the root.
        check_output_target(&root, &out).expect("missing out");
        // Missing, with missing parents.
        check_output_target(&root, &root.join("build/site/public")).expect("nested");
        // Outside the root.
        check_output_target(&root, &dir.path().join("public")).expect("sibling");
        // Empty.
        fs::create_dir(&out).expect("mkdir");
        check_output_target(&root, &out).expect("empty out");
        // Made by carebook.
        fs::write(out.join("index.html"), "x").expect("write");
        fs::write(out.join(MARKER), MARKER_TEXT).expect("write");
        check_output_target(&root, &out).expect("marked out");
        // Touched nothing.
        assert_eq!(leftovers(&root), Vec::<String>::new());
    }

    #[test]
    fn fresh_write_creates_all_files_and_marker() {
        let (_dir, root, out) = site();
        let files = site_files();
        let stats = write_site(&root, &out, &files).expect("write");
        assert_eq!(
            stats,
            WriteStats { files: 5, written: 5, linked: 0, bytes: files.iter().map(|f| f.bytes.len() as u64).sum() }
        );
        assert_eq!(snapshot(&out), expected_tree(&files));
        // No lock, temporary or old folder is left behind.
        assert_eq!(leftovers(&root), Vec::<String>::new());
    }

    #[cfg(unix)]
    #[test]
    fn output_folder_gets_the_usual_mode() {
        use std::os::unix::fs::PermissionsExt;
        let (dir, root, out) = site();
        write_site(&root, &out, &site_files()).expect("write");
        let usual = dir.path().join("usual");
        fs::create_dir(&usual).expect("mkdir");
        let mode = |path: &Path| fs::metadata(path).expect("metadata").permissions().mode();
        assert_eq!(mode(&out), mode(&usual));
        assert_eq!(mode(&out.join("guides")), mode(&usual));
    }

    #[test]
    fn creates_missing_parents() {
        let (dir, root, _) = site();
        let out = dir.path().join("deploy/www/public");
        write_site(&root, &out, &site_files()).expect("write");
        assert_eq!(snapshot(&out), expected_tree(&site_files()));
        assert_eq!(leftovers(&dir.path().join("deploy/www")), Vec::<String>::new());
    }

    #[test]
    fn second_write_links_unchanged_and_drops_removed() {
        let (_dir, root, out) = site();
        write_site(&root, &out, &site_files()).expect("first write");
        let mut files = site_files();
        files[1] = file("guides/milk-stasis.html", "milk stasis, revised");
        files.remove(2); // mastitis
        files.push(file("guides/new.html", "new"));
        let stats = write_site(&root, &out, &files).expect("second write");
        assert_eq!(
            stats,
            WriteStats { files: 5, written: 2, linked: 3, bytes: files.iter().map(|f| f.bytes.len() as u64).sum() }
        );
        assert_eq!(snapshot(&out), expected_tree(&files));
        assert!(!out.join("guides/mastitis.html").exists());
        assert_eq!(leftovers(&root), Vec::<String>::new());
    }

    #[cfg(unix)]
    #[test]
    fn unchanged_file_is_a_hard_link() {
        use std::os::unix::fs::MetadataExt;
        let (_dir, root, out) = site();
        write_site(&root, &out, &site_files()).expect("first write");
        let inode = |path: &str| fs::metadata(out.join(path)).expect("metadata").ino();
        let index_before = inode("index.html");
        let css_before = inode("static/css/site.css");
        let mut files = site_files();
        files[0] = file("index.html", "<h1>home, new</h1>");
        write_site(&root, &out, &files).expect("second write");
        assert_eq!(inode("static/css/site.css"), css_before);
        assert_ne!(inode("index.html"), index_before);
        // The old tree is gone, so the file has a single link again.
        let links = fs::metadata(out.join("static/css/site.css")).expect("metadata").nlink();
        assert_eq!(links, 1);
    }

    #[test]
    fn same_files_give_identical_trees() {
        let (dir, root, out) = site();
        let other = dir.path().join("other");
        write_site(&root, &out, &site_files()).expect("write");
        write_site(&root, &other, &site_files()).expect("write");
        assert_eq!(snapshot(&out), snapshot(&other));
        let stats = write_site(&root, &out, &site_files()).expect("rewrite");
        assert_eq!((stats.written, stats.linked), (0, 5));
        assert_eq!(snapshot(&out), snapshot(&other));
    }

    #[test]
    fn empty_site() {
        let (_dir, root, out) = site();
        let stats = write_site(&root, &out, &[]).expect("write");
        assert_eq!(stats, WriteStats::default());
        assert_eq!(snapshot(&out), expected_tree(&[]));
    }

    #[test]
    fn bad_paths_leave_previous_output_untouched() {
        let (_dir, root, out) = site();
        write_site(&root, &out, &site_files()).expect("first write");
        let before = snapshot(&root);
        let bad = [
            ("/etc/passwd", "it is absolute"),
            ("../escape.html", "`..` segment"),
            ("guides/../../escape.html", "`..` segment"),
            ("guides/./x.html", "`.` or `..` segment"),
            ("guides\\x.html", "backslash"),
            ("guides//x.html", "empty segment"),
            ("guides/", "empty segment"),
            ("", "it is empty"),
            ("a\0b", "NUL"),
            (MARKER, "reserved"),
            ("index.html", "same path"),
            ("index.html/x.html", "both a file and a folder"),
            (".carebook-build/x", "both a file and a folder"),
        ];
        for (path, message) in bad {
            let mut files = site_files();
            files[0].bytes = b"changed".to_vec();
            files.push(file(path, "x"));
            let err = error(write_site(&root, &out, &files));
            assert!(err.contains(message), "{path:?}: {err}");
            assert_eq!(snapshot(&root), before, "{path:?}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn unwritable_parent_leaves_output_untouched() {
        use std::os::unix::fs::PermissionsExt;
        let (dir, root, _) = site();
        let parent = dir.path().join("ro");
        let out = parent.join("public");
        write_site(&root, &out, &site_files()).expect("first write");
        let before = snapshot(&parent);
        fs::set_permissions(&parent, fs::Permissions::from_mode(0o555)).expect("chmod");
        // root ignores permissions: then there is nothing to test.
        let writable = fs::write(parent.join("probe"), "").is_ok();
        let result = write_site(&root, &out, &[file("index.html", "new")]);
        fs::set_permissions(&parent, fs::Permissions::from_mode(0o755)).expect("chmod");
        if writable {
            return;
        }
        let err = error(result);
        assert!(err.contains(&parent.display().to_string()), "{err}");
        assert!(err.contains("ermission denied"), "{err}");
        assert_eq!(snapshot(&parent), before);
    }

    #[test]
    fn stale_temporary_folders_are_removed() {
        let (_dir, root, out) = site();
        write_site(&root, &out, &site_files()).expect("first write");
        for name in [".public.tmp-abc123", ".public.old-XyZ789", ".publicx.tmp-1", ".public.tmp-x.tmp-abc123"] {
            fs::create_dir_all(root.join(name).join("guides")).expect("mkdir");
            fs::write(root.join(name).join("guides/a.html"), "a").expect("write");
        }
        fs::write(root.join(".public.old-AAAAAA"), "a stray file").expect("write");
        fs::write(root.join(".public.old-XyZ789").join(MARKER), MARKER_TEXT).expect("write");
        write_site(&root, &out, &site_files()).expect("second write");
        assert_eq!(leftovers(&root), [".public.tmp-x.tmp-abc123", ".publicx.tmp-1"]);
        assert_eq!(snapshot(&out), expected_tree(&site_files()));
    }

    #[test]
    fn previous_output_of_a_build_killed_between_renames_is_restored() {
        let (_dir, root, out) = site();
        write_site(&root, &out, &site_files()).expect("first write");
        let old = root.join(".public.old-Qw3rty");
        fs::rename(&out, &old).expect("rename");
        fs::create_dir(root.join(".public.tmp-Qw3rty")).expect("mkdir");
        let stats = write_site(&root, &out, &site_files()).expect("second write");
        assert_eq!((stats.written, stats.linked), (0, 5));
        assert_eq!(leftovers(&root), Vec::<String>::new());

        // A failed build after such a kill still leaves the previous output in place.
        fs::rename(&out, &old).expect("rename");
        write_site(&root, &out, &site_files()).expect("third write");
        assert_eq!(snapshot(&out), expected_tree(&site_files()));
    }

    #[test]
    fn held_lock_is_respected() {
        let (_dir, root, out) = site();
        write_site(&root, &out, &site_files()).expect("first write");
        let lock = root.join(".public.lock");
        let pid = std::process::id();
        fs::write(&lock, format!("{pid}\n")).expect("write");
        let before = snapshot(&root);
        let mut files = site_files();
        files[0].bytes = b"changed".to_vec();
        let err = error(write_site(&root, &out, &files));
        let expected = format!(
            "another carebook build is writing `{}` (pid {pid}); wait for it to finish, or remove `{}` if no build is running",
            out.display(),
            lock.display()
        );
        assert_eq!(err, expected);
        assert!(err.contains(&lock.display().to_string()), "{err}");
        // Someone else's lock stays.
        assert_eq!(snapshot(&root), before);
    }

    #[test]
    fn young_garbage_lock_is_respected_and_old_one_taken_over() {
        let (_dir, root, out) = site();
        let lock = root.join(".public.lock");
        fs::write(&lock, "").expect("write");
        let err = error(write_site(&root, &out, &site_files()));
        assert!(err.starts_with("another carebook build is writing"), "{err}");
        assert!(!out.exists());

        let old = SystemTime::now() - Duration::from_secs(11 * 60);
        File::options().write(true).open(&lock).and_then(|f| f.set_modified(old)).expect("set mtime");
        write_site(&root, &out, &site_files()).expect("write");
        assert!(!lock.exists());
    }

    #[test]
    fn dead_lock_is_taken_over() {
        let (_dir, root, out) = site();
        write_site(&root, &out, &site_files()).expect("first write");
        let lock = root.join(".public.lock");
        fs::write(&lock, "999999999\n").expect("write");
        let mut files = site_files();
        files[0].bytes = b"changed".to_vec();
        if cfg!(target_os = "linux") {
            write_site(&root, &out, &files).expect("second write");
            assert_eq!(snapshot(&out), expected_tree(&files));
            assert!(!lock.exists());
        }
    }

    #[test]
    fn lock_is_released_after_failure() {
        let (_dir, root, out) = site();
        let mut files = site_files();
        files.push(file("index.html", "again"));
        assert!(write_site(&root, &out, &files).is_err());
        fs::create_dir(&out).expect("mkdir");
        fs::write(out.join("index.html"), "x").expect("write");
        assert!(write_site(&root, &out, &site_files()).is_err());
        assert_eq!(leftovers(&root), Vec::<String>::new());
    }

    #[test]
    fn files_no_build_wrote_are_refused_and_kept() {
        let (_dir, root, out) = site();
        write_site(&root, &out, &site_files()).expect("first write");
        fs::write(out.join("CNAME"), "example.org").expect("write");
        fs::create_dir_all(out.join(".git/objects")).expect("mkdir");
        fs::create_dir_all(out.join("guides/mine")).expect("mkdir");
        assert_eq!(foreign(&out, None), [".git/", "CNAME", "guides/mine/"]);
        let before = snapshot(&root);
        let err = error(write_site(&root, &out, &site_files()));
        assert!(err.contains("it holds 3 files carebook did not write: `.git/`, `CNAME`, `guides/mine/`"), "{err}");
        assert_eq!(snapshot(&root), before);
        // A file the previous build did not write, at a path this build writes: someone's too.
        fs::remove_dir_all(out.join(".git")).expect("rm");
        fs::remove_dir_all(out.join("guides/mine")).expect("rm");
        fs::remove_file(out.join("CNAME")).expect("rm");
        fs::write(out.join("guides/new.html"), "mine").expect("write");
        let mut files = site_files();
        files.push(file("guides/new.html", "carebook's"));
        let err = error(write_site(&root, &out, &files));
        assert!(err.contains("`guides/new.html`"), "{err}");
        assert_eq!(fs::read_to_string(out.join("guides/new.html")).expect("read"), "mine");
        // An older marker lists nothing: what this build does not write is someone's.
        fs::remove_file(out.join("guides/new.html")).expect("rm");
        fs::write(out.join(MARKER), MARKER_TEXT).expect("write");
        assert_eq!(foreign(&out, None), Vec::<String>::new(), "not known before the build");
        fs::write(out.join("mine.txt"), "x").expect("write");
        let err = error(write_site(&root, &out, &site_files()));
        assert!(err.contains("it holds 1 file carebook did not write: `mine.txt`"), "{err}");
        fs::remove_file(out.join("mine.txt")).expect("rm");
        write_site(&root, &out, &site_files()).expect("write");
        assert_eq!(snapshot(&out), expected_tree(&site_files()));
    }

    #[test]
    fn path_rules() {
        for good in ["a", "a/b.html", ".well-known/x", "a..b/c", "..a"] {
            assert_eq!(check_path(good), Ok(()), "{good}");
        }
        for bad in ["", "/a", "a/", "a//b", "./a", "a/..", "a\\b", "a\0"] {
            assert!(check_path(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn same_bytes_compares_content() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("f");
        let big: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        fs::write(&path, &big).expect("write");
        assert!(same_bytes(&path, &big));
        let mut other = big.clone();
        other[150_000] ^= 1;
        assert!(!same_bytes(&path, &other));
        assert!(!same_bytes(&path, &big[..1000]));
        fs::write(&path, "").expect("write");
        assert!(same_bytes(&path, b""));
        assert!(!same_bytes(&dir.path().join("missing"), b""));
        assert!(!same_bytes(dir.path(), b""));
    }
}
