//! What a linked file was when `load` found it ([`Stamp`]), and opening only that same file
//! later ([`open_asset`]).

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::{not_a_file, outside};
use crate::diagnostic::{Code, Diagnostic};
use crate::fs_error::FsContext;

/// What a linked file (an asset) was when `load` found it: where it really is, with every symbolic
/// link resolved (inside `content/`), and which file that was. What a build copies and what
/// `serve` sends later is opened through [`open_asset`], which gives only that same file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Stamp {
    /// The file's path with every link resolved.
    real: PathBuf,
    id: FileId,
}

/// Which file it is (device and inode on Unix), and its size and modification time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct FileId {
    #[cfg(unix)]
    dev: u64,
    #[cfg(unix)]
    ino: u64,
    len: u64,
    modified: Option<SystemTime>,
}

impl FileId {
    fn of(meta: &std::fs::Metadata) -> FileId {
        #[cfg(unix)]
        use std::os::unix::fs::MetadataExt;
        FileId {
            #[cfg(unix)]
            dev: meta.dev(),
            #[cfg(unix)]
            ino: meta.ino(),
            len: meta.len(),
            modified: meta.modified().ok(),
        }
    }
}

/// Why a linked file cannot be stamped.
pub(super) enum Unstampable {
    Outside,
    NotAFile(std::fs::FileType),
    Io(std::io::Error),
}

impl Unstampable {
    pub(super) fn diagnostic(self, rel_path: String) -> Diagnostic {
        match self {
            Unstampable::Outside => outside(rel_path),
            Unstampable::NotAFile(file_type) => not_a_file(rel_path, file_type),
            Unstampable::Io(e) => Diagnostic::new(Code::Io, rel_path, None, format!("cannot read the file: {e}"))
                .with_help("check that the file exists and that you have permission to read it"),
        }
    }
}

impl Stamp {
    /// The stamp of the file at `path`, which must resolve to a file inside `folder` (resolved:
    /// `content/` or `static/`).
    pub(super) fn take(path: &Path, folder: &Path) -> Result<Stamp, Unstampable> {
        let real = path.canonicalize().map_err(Unstampable::Io)?;
        if !real.starts_with(folder) {
            return Err(Unstampable::Outside);
        }
        let meta = std::fs::symlink_metadata(&real).map_err(Unstampable::Io)?;
        if !meta.is_file() {
            return Err(Unstampable::NotAFile(meta.file_type()));
        }
        Ok(Stamp { real, id: FileId::of(&meta) })
    }

    /// The file's size in bytes when it was checked.
    pub(crate) fn size(&self) -> u64 {
        self.id.len
    }
}

/// Opens the linked file `rel_path` for reading, if it is still the file `load` checked (`stamp`):
/// its real path is opened without following a link at its end and without waiting (a named pipe
/// put in its place opens at once), and the open file must be that same file with the same size and
/// modification time. So a file replaced after the check by a link out of the site, a pipe or
/// anything else is never read. Read no more than [`Stamp::size`] bytes from it.
///
/// # Errors
///
/// The file changed or is gone, or it cannot be opened.
pub(crate) fn open_asset(rel_path: &str, stamp: &Stamp) -> anyhow::Result<File> {
    let changed = || anyhow::anyhow!("`{rel_path}` changed after the site was checked; build again");
    let file = match open_without_waiting(&stamp.real, false) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            return Err(e).fs_context("read", Path::new(rel_path));
        }
        Err(_) => return Err(changed()),
    };
    let meta = file.metadata().fs_context("read", Path::new(rel_path))?;
    if !meta.is_file() || FileId::of(&meta) != stamp.id {
        return Err(changed());
    }
    Ok(file)
}

/// Opens `path` for reading without waiting for a writer (a named pipe opens at once; the caller
/// then finds it is not a file), following a symbolic link at its end only when `follow`.
pub(super) fn open_without_waiting(path: &Path, follow: bool) -> std::io::Result<File> {
    #[cfg(unix)]
    {
        use rustix::fs::{Mode, OFlags};
        let mut flags = OFlags::RDONLY | OFlags::NONBLOCK | OFlags::CLOEXEC;
        if !follow {
            flags |= OFlags::NOFOLLOW;
        }
        Ok(File::from(rustix::fs::open(path, flags, Mode::empty())?))
    }
    #[cfg(not(unix))]
    {
        // Elsewhere there are no named pipes in folders; a link is checked by the caller's stamp.
        let _ = follow;
        File::open(path)
    }
}
