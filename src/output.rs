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
