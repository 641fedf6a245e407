//! A file of a [`Sink`] as a buffered `io::Write`, for templates and the search index.

use super::RenderError;
use crate::output::Pieces;

/// A file of a [`Sink`] as a buffered `io::Write`: templates write many small pieces.
pub(super) struct SinkWriter<'s> {
    file: Box<dyn Pieces + 's>,
    buf: Vec<u8>,
    /// What the file refused, kept to be reported as such (not as a template problem).
    error: Option<anyhow::Error>,
}

impl<'s> SinkWriter<'s> {
    const BUFFER: usize = 64 * 1024;

    pub(super) fn new(file: Box<dyn Pieces + 's>) -> Self {
        SinkWriter { file, buf: Vec::with_capacity(Self::BUFFER), error: None }
    }

    fn drain(&mut self) -> std::io::Result<()> {
        if let Err(e) = self.file.write(&self.buf) {
            self.error = Some(e);
            return Err(std::io::Error::other("the output refused a file"));
        }
        self.buf.clear();
        Ok(())
    }

    /// Completes the file; `made` is how making its content went.
    pub(super) fn finish<E: Into<RenderError>>(mut self, made: Result<(), E>) -> Result<(), RenderError> {
        let drained = self.drain();
        if let Some(e) = self.error {
            return Err(RenderError::Output(e));
        }
        made.map_err(Into::into)?;
        drained.map_err(|e| RenderError::Output(e.into()))?;
        self.file.finish().map_err(RenderError::Output)
    }
}

impl std::io::Write for SinkWriter<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(bytes);
        if self.buf.len() >= Self::BUFFER {
            self.drain()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
