//! The parse store: `.<name>.parsed` beside the output folder (beside the build cache and the
//! memo): per content file, the Markdown a build rendered for it (its body and inline fields),
//! kept under a key of the file's text (`parse::record` makes the bytes, `parse::parse_stored`
//! reads them); the next build takes them for files whose text is unchanged instead of rendering
//! them again. Like the memo, a record is right for its key whatever else changed, and the store
//! says nothing of the output. Deleting it is always safe: the next build renders every file and
//! writes a new one.
//!
//! Binary: a header line (the format and the binary, as the build cache's), then per file its path
//! (length, 4 bytes little-endian, and bytes), its record (the same) and the hash of both (8 bytes,
//! `fingerprint::hasher`'s: several times faster than SipHash on the store's tens of MiB), in file order, so that it is read a piece at a time while the files are parsed.
//! A store from another binary is not read; reading stops at a record that is damaged or cut short
//! (those before it were whole). Written, when a build parsed a file anew or a file is gone, as
//! `.<name>.parsed.<pid>` and renamed over the store.

use std::fs::{self, File};
use std::hash::Hasher as _;
use std::io::{BufRead as _, BufReader, BufWriter, Read as _, Write as _};
use std::path::{Path, PathBuf};

/// The store's format, in its header.
const FORMAT: &str = "parsed 1";

/// The store's path for the output folder `out`: `.<name>.parsed` beside it (symbolic links
/// resolved, as the build cache's). Nothing is checked: a build refuses a wrong `out` before it
/// parses ([`super::check_output_target`]).
pub(crate) fn store_path(out: &Path) -> Option<PathBuf> {
    let given: PathBuf = out.components().collect();
    let resolved = super::target::resolve(&given).ok()?;
    let mut name = std::ffi::OsString::from(".");
    name.push(resolved.file_name()?);
    name.push(".parsed");
    Some(resolved.parent()?.join(name))
}

/// An earlier build's store, read in file order.
pub(crate) struct Recall {
    /// `None` once read to its end, or when there is none to read.
    file: Option<BufReader<File>>,
    /// The record read past the last path asked for.
    ahead: Option<(String, Vec<u8>)>,
}

impl Recall {
    /// The store at `path`; none when it is missing or another binary's.
    pub(crate) fn open(path: &Path) -> Recall {
        let file = File::open(path).ok().map(|f| BufReader::with_capacity(256 * 1024, f)).and_then(|mut f| {
            let mut line = Vec::new();
            f.read_until(b'\n', &mut line).ok()?;
            (line == format!("{}\n", super::cache::header_of(FORMAT)).as_bytes()).then_some(f)
        });
        Recall { file, ahead: None }
    }

    /// The records of the files up to `last` (in the order files are loaded: by path, folder by
    /// folder), or all those left when `last` is `None`.
    pub(crate) fn until(&mut self, last: Option<&str>) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        loop {
            let Some(next) = self.ahead.take().or_else(|| self.next()) else { return out };
            if last.is_some_and(|l| Path::new(&next.0) > Path::new(l)) {
                self.ahead = Some(next);
                return out;
            }
            out.push(next);
        }
    }

    /// The next record; `None` at the end or at a damaged one (then nothing more is read).
    fn next(&mut self) -> Option<(String, Vec<u8>)> {
        let record = self.file.as_mut().and_then(read_record);
        if record.is_none() {
            self.file = None;
        }
        record
    }
}

fn read_record(f: &mut BufReader<File>) -> Option<(String, Vec<u8>)> {
    let mut h = crate::fingerprint::hasher();
    let path = String::from_utf8(read_part(f, &mut h)?).ok()?;
    let record = read_part(f, &mut h)?;
    let mut end = [0; 8];
    f.read_exact(&mut end).ok()?;
    (h.finish().to_le_bytes() == end).then_some((path, record))
}

/// A length and that many bytes, hashed into `h`.
fn read_part(f: &mut BufReader<File>, h: &mut ahash::AHasher) -> Option<Vec<u8>> {
    let mut len = [0; 4];
    f.read_exact(&mut len).ok()?;
    h.write(&len);
    let len = u32::from_le_bytes(len) as usize;
    let mut bytes = Vec::new();
    // `take`: a damaged length reserves no more than the file holds.
    f.by_ref().take(len as u64).read_to_end(&mut bytes).ok()?;
    (bytes.len() == len).then(|| {
        h.write(&bytes);
        bytes
    })
}

/// This build's store while it is written.
pub(crate) struct Keep {
    file: BufWriter<File>,
    /// The temporary file (`.<name>.parsed.<pid>`).
    tmp: PathBuf,
    failed: bool,
}

impl Drop for Keep {
    /// A store not finished is removed.
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.tmp);
    }
}

impl Keep {
    /// Starts this build's store, to replace the one at `path`; `None` when it cannot be created.
    pub(crate) fn create(path: &Path) -> Option<Keep> {
        let mut tmp = path.as_os_str().to_owned();
        tmp.push(format!(".{}", std::process::id()));
        let tmp = PathBuf::from(tmp);
        let file = BufWriter::with_capacity(256 * 1024, File::create(&tmp).ok()?);
        let mut keep = Keep { file, tmp, failed: false };
        keep.failed = keep.file.write_all(format!("{}\n", super::cache::header_of(FORMAT)).as_bytes()).is_err();
        Some(keep)
    }

    /// Keeps `record` for the file at `path` (files in the order they are loaded).
    pub(crate) fn record(&mut self, path: &str, record: &[u8]) {
        let mut h = crate::fingerprint::hasher();
        let mut put = |bytes: &[u8]| -> std::io::Result<()> {
            let len = u32::try_from(bytes.len()).map_err(std::io::Error::other)?.to_le_bytes();
            h.write(&len);
            h.write(bytes);
            self.file.write_all(&len)?;
            self.file.write_all(bytes)
        };
        let written = put(path.as_bytes()).and_then(|()| put(record));
        self.failed |= written.and_then(|()| self.file.write_all(&h.finish().to_le_bytes())).is_err();
    }

    /// Puts the store in place at `path`. Failing is not an error of the build: the store is
    /// removed, and the next build renders every file.
    pub(crate) fn finish(mut self, path: &Path) {
        if self.failed || self.file.flush().is_err() || fs::rename(&self.tmp, path).is_err() {
            let _ = fs::remove_file(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_reads_back_in_order_and_stops_at_damage() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = store_path(&dir.path().join("public")).expect("a name");
        assert_eq!(path.file_name().and_then(|n| n.to_str()), Some(".public.parsed"));
        assert!(Recall::open(&path).until(None).is_empty(), "no store yet");
        let mut keep = Keep::create(&path).expect("created");
        let paths = ["content/a/z.md", "content/a-b.md", "content/b.md", "content/c.md"];
        for (i, p) in paths.iter().enumerate() {
            keep.record(p, &vec![u8::try_from(i).expect("small"); i * 100]);
        }
        keep.finish(&path);
        let names: Vec<_> = fs::read_dir(dir.path()).expect("dir").flatten().map(|e| e.file_name()).collect();
        assert_eq!(names, [".public.parsed"], "the temporary file is renamed");

        let mut r = Recall::open(&path);
        let got = |v: Vec<(String, Vec<u8>)>| v.into_iter().map(|(p, b)| (p, b.len())).collect::<Vec<_>>();
        // Folder by folder: `content/a/z.md` comes before `content/a-b.md`.
        assert_eq!(got(r.until(Some("content/a/zz.md"))), [("content/a/z.md".to_string(), 0)]);
        assert_eq!(got(r.until(Some("content/b.md"))), [("content/a-b.md".into(), 100), ("content/b.md".into(), 200)]);
        assert_eq!(got(r.until(None)), [("content/c.md".to_string(), 300)]);

        let bytes = fs::read(&path).expect("read");
        let read = |bytes: &[u8]| {
            fs::write(&path, bytes).expect("write");
            Recall::open(&path).until(None).len()
        };
        assert_eq!(read(&bytes), 4);
        assert_eq!(read(&bytes[..bytes.len() - 1]), 3, "the last record cut short");
        let mut flipped = bytes.clone();
        let n = flipped.len() - 350;
        flipped[n] ^= 1;
        assert_eq!(read(&flipped), 2, "a damaged record ends the reading");
        let other = String::from_utf8_lossy(&bytes).replacen("parsed 1", "parsed 0", 1);
        assert_eq!(read(other.as_bytes()), 0, "another binary's");
        assert_eq!(read(b""), 0, "empty");
    }
}
