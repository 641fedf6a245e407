//! One way to say which file a filesystem error is about: "failed to <what> `<path>`".

use std::path::Path;

/// Adds "failed to `what` `path`" to an I/O error.
pub(crate) trait FsContext<T> {
    /// The error, if any, with the context "failed to {what} `{path}`".
    fn fs_context(self, what: &str, path: &Path) -> anyhow::Result<T>;
}

impl<T> FsContext<T> for std::io::Result<T> {
    fn fs_context(self, what: &str, path: &Path) -> anyhow::Result<T> {
        anyhow::Context::with_context(self, || format!("failed to {what} `{}`", path.display()))
    }
}
