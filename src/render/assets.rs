//! Linked content files and the files of `static/`, copied into the output a piece at a time.

use super::RenderError;
use crate::diagnostic::Diagnostic;
use crate::fs_error::FsContext;
use crate::load::Stamp;
use crate::model::Site;
use crate::output::Sink;

/// How much of a linked file is copied at a time.
const ASSET_PIECE: usize = 256 * 1024;

/// Copies the first `len` bytes of an open linked file into the sink's file `path`, a piece at a
/// time: a linked file may be larger than memory.
pub(super) fn copy_asset(
    sink: &dyn Sink,
    source: &str,
    path: &str,
    file: std::fs::File,
    len: u64,
) -> Result<(), RenderError> {
    use std::io::Read;
    let mut pieces = sink.create(path).map_err(RenderError::Output)?;
    let mut reader = file.take(len);
    let mut buf = vec![0u8; ASSET_PIECE.min(usize::try_from(len).unwrap_or(ASSET_PIECE))];
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e).fs_context("read", std::path::Path::new(source)).map_err(RenderError::Output),
        };
        pieces.write(&buf[..n]).map_err(RenderError::Output)?;
    }
    pieces.finish().map_err(RenderError::Output)
}

/// A linked file that cannot be opened as it was checked, as a diagnostic on that file.
pub(super) fn asset_problem(asset: &str, e: &anyhow::Error) -> Diagnostic {
    Diagnostic::new(crate::diagnostic::Code::Io, asset, None, format!("{e:#}"))
}

/// The linked content file or `static/` file an output path names (its root-relative path,
/// `content/…` or `static/…`), and what it was when checked; `None` when the path is neither.
pub(crate) fn linked_file<'s>(site: &'s Site, path: &str) -> Option<(String, &'s Stamp)> {
    [("content/", &site.assets), ("static/", &site.statics)].into_iter().find_map(|(folder, files)| {
        let source = [folder, path].concat();
        let stamp = files.get(&source)?;
        Some((source, stamp))
    })
}
