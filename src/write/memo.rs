//! The build's memo: `.<name>.memo` beside the output folder (beside the build cache): values
//! worked out while rendering, each kept under a key that fingerprints all it is made from (a
//! search document's term counts, under the document's inputs: `search/`). Unlike the build
//! cache it says nothing of the output: a value is right for its key whatever else changed, so
//! the memo of any earlier build of this binary may be read, with or without its output.
//! Deleting it is always safe: the next build works every value out again.
//!
//! Binary: a header line (the format and the binary, as the build cache's), then per value its
//! key (8 bytes, little-endian), its length (4 bytes) and its bytes, then the hash of all that
//! (8 bytes, std's SipHash: a stream hash, the same whether the bytes come in pieces or whole):
//! a memo damaged, cut short or from another binary is not read. It is written while
//! the build goes, as `.<name>.memo.<pid>` (the next build removes it if this one is killed),
//! and renamed over the memo once the output is in place.

use std::collections::{HashMap, HashSet};
use std::fs::{self, File};
use std::hash::Hasher as _;
use std::io::{BufWriter, Write as _};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

/// The memo's format, in its header.
const FORMAT: &str = "memo 1";

/// The previous build's values, and this build's while they are written.
#[derive(Default)]
pub(super) struct Memo {
    /// The previous memo's bytes, and where each value is in them.
    old: Vec<u8>,
    at: HashMap<u64, Range<usize>>,
    /// Where this build's memo is written while the build goes.
    tmp: PathBuf,
    new: Mutex<New>,
}

/// This build's memo while it is written.
#[derive(Default)]
struct New {
    /// The file, opened at the first value kept; `None` again once writing failed.
    writer: Option<Writer>,
    failed: bool,
    /// The keys written, and those recalled (written from the previous memo at the end).
    keys: HashSet<u64>,
    recalled: HashSet<u64>,
}

struct Writer {
    file: BufWriter<File>,
    hasher: std::hash::DefaultHasher,
    /// The temporary file (`.<name>.memo.<pid>`).
    tmp: PathBuf,
}

impl Drop for Writer {
    /// A memo not finished (the build failed) is removed.
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.tmp);
    }
}

impl Writer {
    fn create(tmp: &Path) -> std::io::Result<Writer> {
        let file = File::create(tmp)?;
        let mut w = Writer {
            file: BufWriter::with_capacity(256 * 1024, file),
            hasher: std::hash::DefaultHasher::new(),
            tmp: tmp.to_path_buf(),
        };
        w.put(format!("{}\n", super::cache::header_of(FORMAT)).as_bytes())?;
        Ok(w)
    }

    fn put(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.hasher.write(bytes);
        self.file.write_all(bytes)
    }

    fn value(&mut self, key: u64, value: &[u8]) -> std::io::Result<()> {
        let len = u32::try_from(value.len()).map_err(std::io::Error::other)?;
        self.put(&key.to_le_bytes())?;
        self.put(&len.to_le_bytes())?;
        self.put(value)
    }
}

impl Memo {
    /// Reads the memo at `path` (none when it is missing, damaged or another binary's); this
    /// build's is written beside it, from the first value kept.
    pub(super) fn open(path: &Path) -> Memo {
        let (old, at) = fs::read(path).ok().and_then(|bytes| index(&bytes).map(|at| (bytes, at))).unwrap_or_default();
        let mut tmp = path.as_os_str().to_owned();
        tmp.push(format!(".{}", std::process::id()));
        Memo { old, at, tmp: PathBuf::from(tmp), new: Mutex::default() }
    }

    /// The value the previous build kept under `key`; recalled, it is kept for the next build
    /// too.
    pub(super) fn recall(&self, key: u64) -> Option<Vec<u8>> {
        let value = self.at.get(&key).and_then(|r| self.old.get(r.clone()))?;
        self.new.lock().unwrap_or_else(PoisonError::into_inner).recalled.insert(key);
        Some(value.to_vec())
    }

    /// Keeps `value` under `key` for the next build (once: a key names one value).
    pub(super) fn keep(&self, key: u64, value: &[u8]) {
        let mut new = self.new.lock().unwrap_or_else(PoisonError::into_inner);
        if new.failed || !new.keys.insert(key) {
            return;
        }
        if new.writer.is_none() {
            new.writer = Writer::create(&self.tmp).ok();
        }
        if new.writer.as_mut().is_none_or(|w| w.value(key, value).is_err()) {
            // Dropped, the file is removed; the previous memo is left as it was.
            new.writer = None;
            new.failed = true;
        }
    }

    /// Puts this build's memo in place at `path` with the values kept and recalled, when it kept
    /// a new one; otherwise the previous memo stays (it holds every value recalled). Failing is
    /// not an error of the build.
    pub(super) fn finish(self, path: &Path) {
        let Memo { old, at, new, .. } = self;
        let New { writer, keys, recalled, .. } = new.into_inner().unwrap_or_else(PoisonError::into_inner);
        let Some(mut w) = writer else { return };
        for key in recalled.difference(&keys) {
            if let Some(value) = at.get(key).and_then(|r| old.get(r.clone()))
                && w.value(*key, value).is_err()
            {
                return;
            }
        }
        let end = w.hasher.finish().to_le_bytes();
        if w.file.write_all(&end).and_then(|()| w.file.flush()).is_ok() {
            // Renamed: the writer's drop then finds no temporary file to remove.
            let _ = fs::rename(&w.tmp, path);
        }
    }
}

/// Where each value is in `bytes`, a memo; `None` when it is not one this binary wrote whole.
fn index(bytes: &[u8]) -> Option<HashMap<u64, Range<usize>>> {
    let (body, end) = bytes.split_at_checked(bytes.len().checked_sub(8)?)?;
    let mut h = std::hash::DefaultHasher::new();
    h.write(body);
    if h.finish().to_le_bytes() != end {
        return None;
    }
    let header = format!("{}\n", super::cache::header_of(FORMAT));
    let mut at = header.len();
    if body.get(..at)? != header.as_bytes() {
        return None;
    }
    let mut values = HashMap::new();
    while at < body.len() {
        let key = u64::from_le_bytes(body.get(at..at + 8)?.try_into().ok()?);
        let len = u32::from_le_bytes(body.get(at + 8..at + 12)?.try_into().ok()?) as usize;
        let range = at + 12..at + 12 + len;
        body.get(range.clone())?;
        at = range.end;
        values.insert(key, range);
    }
    Some(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<std::ffi::OsString> {
        let mut names: Vec<_> = fs::read_dir(dir).expect("dir").flatten().map(|e| e.file_name()).collect();
        names.sort();
        names
    }

    #[test]
    fn a_memo_reads_back_as_kept_and_damage_reads_as_none() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(".public.memo");
        let memo = Memo::open(&path);
        assert_eq!(memo.recall(1), None, "no memo yet");
        memo.keep(1, b"one");
        memo.keep(2, b"");
        memo.keep(1, b"not again");
        memo.keep(4, b"four");
        memo.finish(&path);
        assert_eq!(names(dir.path()), [".public.memo"], "the temporary file is renamed");

        let memo = Memo::open(&path);
        assert_eq!((memo.recall(1), memo.recall(2), memo.recall(3)), (Some(b"one".to_vec()), Some(Vec::new()), None));
        // Nothing new kept: the previous memo stays whole.
        memo.finish(&path);
        assert_eq!(Memo::open(&path).recall(4), Some(b"four".to_vec()));
        // A new value: the memo holds it and the values recalled, no others.
        let memo = Memo::open(&path);
        assert_eq!(memo.recall(1), Some(b"one".to_vec()));
        memo.keep(3, b"three");
        memo.finish(&path);
        let memo = Memo::open(&path);
        assert_eq!(
            (memo.recall(1), memo.recall(3), memo.recall(4)),
            (Some(b"one".to_vec()), Some(b"three".to_vec()), None)
        );
        // A build that fails leaves no file.
        memo.keep(5, b"five");
        drop(memo);
        assert_eq!(names(dir.path()), [".public.memo"], "an unfinished memo is removed");

        let bytes = fs::read(&path).expect("read");
        let damaged = |bytes: &[u8], what: &str| {
            fs::write(&path, bytes).expect("write");
            assert_eq!(Memo::open(&path).recall(1), None, "{what}");
        };
        let mut flipped = bytes.clone();
        let n = flipped.len() - 10;
        flipped[n] ^= 1;
        damaged(&flipped, "a changed byte");
        damaged(&bytes[..bytes.len() - 1], "cut short");
        damaged(&bytes[..3], "cut shorter than its hash");
        damaged(b"", "empty");
        // Another binary's, sealed the same way.
        let mut other = bytes[..bytes.len() - 8].to_vec();
        let at = other.windows(6).position(|w| w == b"memo 1").expect("the format");
        other[at + 5] = b'0';
        let mut h = std::hash::DefaultHasher::new();
        h.write(&other);
        damaged(&[&other[..], &h.finish().to_le_bytes()].concat(), "another format");
        fs::write(&path, &bytes).expect("write");
        assert_eq!(Memo::open(&path).recall(1), Some(b"one".to_vec()), "the memo itself is read");
    }
}
