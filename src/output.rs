//! Output: where render puts the files it makes — a [`Sink`] that takes each file whole or in
//! pieces. `write`'s staging folder is one; [`Memory`] (for `serve` and tests) is the other.
//! Render depends on this module alone, never on how or where the files are stored.

use std::sync::{Mutex, PoisonError};

use anyhow::Result;

/// One file of the built site: a path relative to the output folder (forward slashes, no `..`, no leading `/`) and its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputFile {
    /// Where the file goes, relative to the output folder, with `/` between segments.
    pub path: String,
    /// The file's whole content.
    pub bytes: Vec<u8>,
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

    /// Says that the files of `unit` (a file's path, or a folder's with its `/` for every file
    /// under it made together) are made from `inputs`, a fingerprint of all they are made from.
    /// A sink that kept the previous build's files of `unit`, made from the same inputs and
    /// unchanged since, takes them again and returns them: they need not be made. `None`: make
    /// them (or, called after they were made, nothing more to do). By default nothing is kept.
    ///
    /// # Errors
    ///
    /// As [`Sink::put`].
    fn reuse(&self, unit: &str, inputs: u64) -> Result<Option<Reused>> {
        let _ = (unit, inputs);
        Ok(None)
    }

    /// Whether [`Sink::reuse`] can ever take a file again: when not, a file's inputs need only be
    /// told once it is made (a first build need not work out a file's fingerprint twice).
    fn remembers(&self) -> bool {
        false
    }

    /// Notes the hash of the bytes of `path` (`web::Recorder`'s), to be kept with its inputs.
    fn record(&self, path: &str, hash: u64) {
        let _ = (path, hash);
    }

    /// What the previous build kept under `key` with [`Sink::keep`] (a value worked out from
    /// what `key` fingerprints, such as a search document's term counts); `None` when it kept
    /// none. By default nothing is kept.
    fn recall(&self, key: u64) -> Option<Vec<u8>> {
        let _ = key;
        None
    }

    /// Keeps `value` under `key` for the next build ([`Sink::recall`]): `key` fingerprints all
    /// that `value` is made from, so a value kept is right for its key whatever else changed. By
    /// default it is dropped.
    fn keep(&self, key: u64, value: &[u8]) {
        let _ = (key, value);
    }
}

/// What [`Sink::reuse`] took again: each file's path (as given to the sink), the hash of its
/// bytes noted with [`Sink::record`], and its size.
pub(crate) type Reused = Vec<(String, u64, u64)>;

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

/// Files kept in memory instead of written; with [`Memory::since`], one file's previous inputs
/// (so that `serve` makes a page again only when what it shows changed).
#[derive(Default)]
pub struct Memory {
    files: Mutex<Vec<OutputFile>>,
    /// The inputs the caller already has a file made from, by unit.
    previous: Option<(String, u64)>,
    /// The inputs of each unit, as told by [`Sink::reuse`].
    inputs: Mutex<Vec<(String, u64)>>,
}

impl Memory {
    /// A memory sink for a caller that has `unit`'s file made from `inputs`.
    pub(crate) fn since(unit: &str, inputs: u64) -> Self {
        Memory { previous: Some((unit.to_string(), inputs)), ..Memory::default() }
    }

    /// The inputs told for `unit`, if any.
    pub(crate) fn inputs(&self, unit: &str) -> Option<u64> {
        let inputs = self.inputs.lock().unwrap_or_else(PoisonError::into_inner);
        inputs.iter().rev().find(|(u, _)| u == unit).map(|&(_, i)| i)
    }

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

    fn reuse(&self, unit: &str, inputs: u64) -> Result<Option<Reused>> {
        self.inputs.lock().unwrap_or_else(PoisonError::into_inner).push((unit.to_string(), inputs));
        let same = self.previous.as_ref().is_some_and(|(u, i)| u == unit && *i == inputs);
        Ok(same.then(Vec::new))
    }

    fn remembers(&self) -> bool {
        self.previous.is_some()
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
