//! The build cache: `.<name>.cache` beside the output folder (`.public.cache` for `public/`),
//! never inside it, so it is never served or deployed. For each unit of output (a page, a print
//! book, a search document file, the rest of the search folder), the fingerprint of what it was
//! made from (`render` works it out: the page's template context and the theme; `search` from
//! its documents' inputs) and each of its files as it was left in the output: the hash
//! of its bytes (for the service worker's list), its size, modification time and inode. A next
//! build whose unit has the same fingerprint, and whose file in the output is still the one
//! written (same size, time and inode), hard-links it instead of making it again.
//!
//! Deleting it is always safe: the next build makes every file and writes a new one. A cache
//! from another carebook binary (another version, or the same rebuilt) is not read.

use std::collections::HashMap;
use std::fs;
use std::io::Write as _;
use std::path::Path;

/// A file of a unit, as the build that made it left it in the output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Kept {
    /// The path in the output folder.
    pub(super) path: String,
    /// The hash of its bytes (`web::Recorder`'s).
    pub(super) hash: u64,
    /// What the file was: size, modification time (ns), inode.
    pub(super) stamp: FileStamp,
}

/// A file's size, modification time (nanoseconds since the epoch) and inode: a file rewritten
/// or replaced since has another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct FileStamp {
    len: u64,
    modified: u128,
    inode: u64,
}

impl FileStamp {
    /// The stamp of the file at `path` (not following a symbolic link); `None` if it is not a
    /// regular file.
    pub(super) fn of(path: &Path) -> Option<FileStamp> {
        let meta = fs::symlink_metadata(path).ok().filter(fs::Metadata::is_file)?;
        let modified = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?.as_nanos();
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&meta);
        #[cfg(not(unix))]
        let inode = 0;
        Some(FileStamp { len: meta.len(), modified, inode })
    }

    /// The file's size in bytes.
    pub(super) fn len(self) -> u64 {
        self.len
    }
}

/// The units of one build: by unit, its inputs' fingerprint and files.
pub(super) type Units = HashMap<String, (u64, Vec<Kept>)>;

/// The first line of a cache file: the format, then the binary that wrote it.
fn header() -> String {
    header_of("build cache 1")
}

/// The first line of a file of `format` kept between builds, then the binary that wrote it.
pub(super) fn header_of(format: &str) -> String {
    // The binary's size and time: a rebuilt carebook may render differently at the same version.
    let exe = std::env::current_exe().ok().and_then(|p| FileStamp::of(&p));
    let (len, modified) = exe.map_or((0, 0), |s| (s.len, s.modified));
    format!("carebook {format}; {}; {len} {modified}", env!("CAREBOOK_VERSION"))
}

/// The last line of a cache file: `E ` and the hash of every line before it, so that a cache cut
/// short (a full disk, a copy stopped half-way) is never read as one with fewer files in a unit.
/// std's SipHash (not `fingerprint::hash_of`): anyone with std can seal a cache the same way, as
/// `tests/testsuite/warm.rs` does to write one from another version.
fn trailer(body: &str) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    body.hash(&mut h);
    format!("E {:016x}", h.finish())
}

/// Reads the cache at `path`; empty when there is none, it is damaged or cut short, or another
/// binary wrote it.
pub(super) fn read(path: &Path) -> Units {
    let Ok(text) = fs::read_to_string(path) else { return Units::new() };
    // The body ends with its line break; the trailer follows on its own line.
    let Some((body, last)) = text.strip_suffix('\n').and_then(|t| t.rsplit_once('\n')) else { return Units::new() };
    if last != trailer(body) {
        return Units::new();
    }
    let mut lines = body.lines();
    if lines.next() != Some(header().as_str()) {
        return Units::new();
    }
    let mut units = Units::new();
    let mut current: Option<(String, u64, Vec<Kept>)> = None;
    for line in lines {
        let parsed = if let Some(rest) = line.strip_prefix("U ") {
            rest.split_once(' ').and_then(|(inputs, unit)| {
                let inputs = u64::from_str_radix(inputs, 16).ok()?;
                if let Some((u, i, files)) = current.replace((unit.to_string(), inputs, Vec::new())) {
                    units.insert(u, (i, files));
                }
                Some(())
            })
        } else if let Some(rest) = line.strip_prefix("F ") {
            file_line(rest).and_then(|kept| current.as_mut().map(|c| c.2.push(kept)))
        } else {
            None
        };
        if parsed.is_none() {
            return Units::new();
        }
    }
    if let Some((u, i, files)) = current {
        units.insert(u, (i, files));
    }
    units
}

/// `<hash> <len> <modified> <inode> <path>`.
fn file_line(rest: &str) -> Option<Kept> {
    let mut parts = rest.splitn(5, ' ');
    let hash = u64::from_str_radix(parts.next()?, 16).ok()?;
    let len = parts.next()?.parse().ok()?;
    let modified = parts.next()?.parse().ok()?;
    let inode = parts.next()?.parse().ok()?;
    let path = parts.next()?.to_string();
    Some(Kept { path, hash, stamp: FileStamp { len, modified, inode } })
}

/// Writes `units` to the cache at `path` (through a temporary file renamed over it, so a build
/// killed while writing leaves the previous cache or none). Failing is not an error of the
/// build: the cache is removed, and the next build makes every file.
pub(super) fn write(path: &Path, units: &Units) {
    let mut text = header();
    text.push('\n');
    let mut names: Vec<&String> = units.keys().collect();
    names.sort();
    for unit in names {
        let (inputs, files) = &units[unit];
        // A name with a line break cannot be written on one line: that unit is left out.
        if unit.contains('\n') || files.iter().any(|f| f.path.contains('\n')) {
            continue;
        }
        text.push_str(&format!("U {inputs:016x} {unit}\n"));
        for f in files {
            let s = f.stamp;
            text.push_str(&format!("F {:016x} {} {} {} {}\n", f.hash, s.len, s.modified, s.inode, f.path));
        }
    }
    let end = trailer(text.strip_suffix('\n').unwrap_or(&text));
    text.push_str(&end);
    text.push('\n');
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".{}", std::process::id()));
    let written = fs::File::create(&tmp).and_then(|mut f| f.write_all(text.as_bytes())).and_then(|()| {
        super::pause_at("caching");
        fs::rename(&tmp, path)
    });
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
        let _ = fs::remove_file(path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cache_reads_back_as_written_and_damage_reads_as_none() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(".public.cache");
        let stamp = FileStamp { len: 3, modified: 1_700_000_000_123_456_789, inode: 42 };
        let kept = |p: &str| Kept { path: p.to_string(), hash: 0xfeed, stamp };
        let mut units = Units::new();
        units.insert("guides/a b.html".into(), (7, vec![kept("guides/a b.html")]));
        units.insert("search/".into(), (u64::MAX, vec![kept("search/index.js"), kept("search/t0.js")]));
        write(&path, &units);
        assert_eq!(read(&path), units);

        let text = fs::read_to_string(&path).expect("read");
        fs::write(&path, text.replace("F 000000000000feed 3", "F 000000000000feed x")).expect("write");
        assert!(read(&path).is_empty(), "a damaged line drops the whole cache");
        fs::write(&path, text.replacen("cache 1", "cache 0", 1)).expect("write");
        assert!(read(&path).is_empty(), "another format or binary is not read");
        // Cut short at a line's end: the trailer is gone, and no unit is read with fewer files.
        let cut = text.lines().take(4).map(|l| format!("{l}\n")).collect::<String>();
        fs::write(&path, cut).expect("write");
        assert!(read(&path).is_empty(), "a cache cut short is not read");
        fs::write(&path, &text[..text.len() - 1]).expect("write");
        assert!(read(&path).is_empty(), "nor one missing its last line break");
    }
}
