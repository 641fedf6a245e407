//! The file watcher of `serve`: which changes start a rebuild.
//!
//! Input: the site root. Output: the changed paths (relative to the root) on a channel, as soon as
//! the operating system tells them (or, with `--poll`, once per poll): the rebuild loop groups a
//! burst of saves into one rebuild (it starts building once the first changes settled, and builds
//! again when the burst changed files after that build started).
//!
//! Watched: `content/`, `themes/` and `static/` (recursively) and `carebook.toml`. The root folder itself is
//! watched without recursion, only to see `carebook.toml` replaced by editors that save through a
//! rename; everything else in it (the output folder, `target/`, ...) is ignored.
//! Ignored: editor temporary and swap files ([`is_temporary`]), and events that do not change
//! content: reading a file (opening it, or its access time changing) must not start a rebuild, or
//! every rebuild would start the next one.
//!
//! `content/` or `themes/` moved away, deleted or replaced (`mv content c2`, `rm -rf content && cp
//! -r backup content`, a branch switch) takes its watch with it, and the operating system does not
//! watch the folder that comes back. Each such change shows up as a change of `content` or
//! `themes` itself in the root folder; before the rebuild it starts, [`Watcher::refresh`] watches
//! the folder again, or notes that it is gone, and says so.

use std::ffi::OsStr;
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use notify::event::{AccessKind, AccessMode, EventKind, MetadataKind, ModifyKind};
use notify::{Event, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher as _};
use tokio::sync::mpsc::UnboundedSender;

/// How often `--poll` looks at the files.
pub(crate) const POLL_INTERVAL: Duration = Duration::from_secs(1);

/// The folders watched with everything in them.
const FOLDERS: [&str; 3] = ["content", "themes", "static"];

/// A running watcher; dropping it stops watching.
pub(crate) struct Watcher {
    root: PathBuf,
    inner: Inner,
    /// Whether each of [`FOLDERS`] is being watched.
    watching: [bool; 3],
}

/// The watcher proper.
enum Inner {
    /// Operating-system notifications (inotify, FSEvents, ReadDirectoryChangesW).
    Native(RecommendedWatcher),
    /// Polling, for network drives and containers where notifications do not arrive.
    Poll(PollWatcher),
}

impl Inner {
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            Inner::Native(d) => d.watch(path, mode),
            Inner::Poll(d) => d.watch(path, mode),
        }
    }

    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        match self {
            Inner::Native(d) => d.unwatch(path),
            Inner::Poll(d) => d.unwatch(path),
        }
    }
}

impl Watcher {
    /// Watches `content/` or `themes/` again when `changed` (a batch from this watcher) names the
    /// folder itself, which is how it being moved away, deleted, brought back or replaced shows up.
    /// Returns what to tell the terminal: that watching a folder stopped, or resumed.
    pub(crate) fn refresh(&mut self, changed: &[String]) -> Vec<String> {
        let mut notes = Vec::new();
        for (name, watching) in FOLDERS.iter().zip(&mut self.watching) {
            if !changed.iter().any(|c| c == name) {
                continue;
            }
            let path = self.root.join(name);
            // The old watch may be gone with the old folder already; either way, start afresh.
            let lost = self.inner.unwatch(&path).is_err();
            if path.is_dir() {
                match self.inner.watch(&path, RecursiveMode::Recursive) {
                    Ok(()) if !*watching || lost => notes.push(format!("{name}/ is back: watching it again")),
                    Ok(()) => {}
                    Err(e) => {
                        notes.push(format!("warning: cannot watch {name}/ again ({e}); restart serve, or use --poll"))
                    }
                }
                *watching = true;
            } else if std::mem::take(watching) {
                notes.push(format!(
                    "stopped watching {name}/: it was moved or deleted; watching resumes when it is back"
                ));
            }
        }
        notes
    }
}

/// Starts watching the site at `root` (an absolute path), sending the relevant changed paths of
/// each event, relative to `root`, to `changes` as it comes.
pub(crate) fn start(root: &Path, poll: bool, changes: UnboundedSender<Vec<String>>) -> anyhow::Result<Watcher> {
    let handler_root = root.to_path_buf();
    let handler = move |result: notify::Result<Event>| match result {
        Ok(event) => {
            let paths = relevant_paths(&handler_root, std::slice::from_ref(&event));
            if !paths.is_empty() {
                // The receiver is gone only when the server is stopping.
                let _ = changes.send(paths);
            }
        }
        // A watched folder that is gone: [`Watcher::refresh`] says so in words.
        Err(e) if is_gone(&e) => {}
        Err(e) => eprintln!("warning: watching for changes: {e}"),
    };
    let inner = if poll {
        // Modification times are compared in whole seconds, so a second save within the same
        // second would be missed: compare the contents too (the watched files are small).
        let config = notify::Config::default().with_poll_interval(POLL_INTERVAL).with_compare_contents(true);
        Inner::Poll(PollWatcher::new(handler, config).context("failed to start polling for changes")?)
    } else {
        Inner::Native(
            RecommendedWatcher::new(handler, notify::Config::default())
                .context("failed to start watching for changes (try --poll)")?,
        )
    };
    let mut watcher = Watcher { root: root.to_path_buf(), inner, watching: [false; 3] };
    // The root first: a folder that appears while the others are being watched is seen.
    watcher
        .inner
        .watch(root, RecursiveMode::NonRecursive)
        .with_context(|| format!("failed to watch `{}` for changes", root.display()))?;
    for (name, watching) in FOLDERS.iter().zip(&mut watcher.watching) {
        let path = root.join(name);
        if path.is_dir() {
            watcher
                .inner
                .watch(&path, RecursiveMode::Recursive)
                .with_context(|| format!("failed to watch `{}` for changes", path.display()))?;
            *watching = true;
        }
    }
    Ok(watcher)
}

/// Is this the error of a watched folder that is gone?
fn is_gone(e: &notify::Error) -> bool {
    match &e.kind {
        notify::ErrorKind::PathNotFound => true,
        notify::ErrorKind::Io(io) => io.kind() == std::io::ErrorKind::NotFound,
        _ => false,
    }
}

/// The changed paths of events that should start a rebuild, relative to `root`, sorted and
/// without repeats. A rescan request (the watcher lost events) counts as a change of `content` and
/// `themes` (so both are watched afresh).
fn relevant_paths(root: &Path, events: &[Event]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for event in events {
        if event.need_rescan() {
            out.extend(FOLDERS.map(String::from));
            continue;
        }
        if !changes_content(&event.kind) {
            continue;
        }
        out.extend(event.paths.iter().filter_map(|p| relevant(root, p)));
    }
    out.sort();
    out.dedup();
    out
}

/// Can an event of this kind change what is built? Reading a file (open, close without writing,
/// access time) cannot; `touch` shows up as a close after writing.
fn changes_content(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        // inotify reports access-time updates as `Any`; polling reports a new write time.
        EventKind::Modify(ModifyKind::Metadata(kind)) => *kind == MetadataKind::WriteTime,
        _ => true,
    }
}

/// `path` relative to `root` with `/` separators, if a change there should start a rebuild:
/// `carebook.toml`, or anything under `content/` or `themes/` that is not a temporary file and not
/// inside a hidden folder.
pub(crate) fn relevant(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let mut parts = Vec::new();
    for c in rel.components() {
        match c {
            Component::Normal(name) => parts.push(name),
            _ => return None,
        }
    }
    let ok = match parts.as_slice() {
        [name] if *name == "carebook.toml" => true,
        [top, rest @ ..] if *top == "content" || *top == "themes" => !rest.iter().any(|n| is_temporary(n)),
        // Hidden files are published from static/ (`.nojekyll`, `.well-known/`); swap files are not.
        [top, .., name] if *top == "static" => {
            !is_temporary(OsStr::new(name.to_string_lossy().trim_start_matches('.')))
        }
        [top] if *top == "static" => true,
        _ => false,
    };
    ok.then(|| parts.iter().map(|n| n.to_string_lossy()).collect::<Vec<_>>().join("/"))
}

/// Is this an editor's temporary, backup or swap file, or a hidden file (which carebook never
/// reads)? Vim (`.x.swp`, `x~`, the write probe `4913`), Emacs (`.#x`, `#x#`), JetBrains
/// (`x___jb_tmp___`), Kate (`.x.kate-swp`), and `.DS_Store`-style hidden files.
pub(crate) fn is_temporary(name: &OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name == "4913"
        || [".swp", ".swo", ".swx", ".tmp", ".kate-swp", "___jb_tmp___", "___jb_old___"]
            .iter()
            .any(|ext| name.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relevant_and_ignored_paths() {
        let root = Path::new("/site");
        let rel = |p: &str| relevant(root, Path::new(p));
        assert_eq!(rel("/site/carebook.toml").as_deref(), Some("carebook.toml"));
        assert_eq!(rel("/site/content/guides/mastitis.md").as_deref(), Some("content/guides/mastitis.md"));
        assert_eq!(rel("/site/content").as_deref(), Some("content"));
        assert_eq!(
            rel("/site/themes/default/templates/base.html").as_deref(),
            Some("themes/default/templates/base.html")
        );
        assert_eq!(rel("/site/content/images/duct.png").as_deref(), Some("content/images/duct.png"));
        assert_eq!(rel("/site/static").as_deref(), Some("static"));
        assert_eq!(rel("/site/static/.nojekyll").as_deref(), Some("static/.nojekyll"));
        assert_eq!(rel("/site/static/.well-known/security.txt").as_deref(), Some("static/.well-known/security.txt"));
        assert_eq!(rel("/site/static/.robots.txt.swp"), None);
        assert_eq!(rel("/site/static/robots.txt~"), None);
        for ignored in [
            "/site/public/index.html",
            "/site/public",
            "/site/.public.tmp-abc123/index.html",
            "/site/target/debug/carebook",
            "/site/README.md",
            "/site/carebook.toml~",
            "/site/.carebook.toml.swp",
            "/site/content/guides/.mastitis.md.swp",
            "/site/content/guides/.mastitis.md.swx",
            "/site/content/guides/mastitis.md~",
            "/site/content/guides/.#mastitis.md",
            "/site/content/guides/#mastitis.md#",
            "/site/content/guides/4913",
            "/site/content/guides/mastitis.md___jb_tmp___",
            "/site/content/.git/index",
            "/site/themes/default/templates/.base.html.kate-swp",
            "/elsewhere/content/guides/mastitis.md",
            "/site/content/../secret.md",
        ] {
            assert_eq!(rel(ignored), None, "{ignored}");
        }
    }

    #[test]
    fn reading_does_not_count_as_a_change() {
        use notify::event::{CreateKind, DataChange, RemoveKind, RenameMode};
        assert!(!changes_content(&EventKind::Access(AccessKind::Open(AccessMode::Any))));
        assert!(!changes_content(&EventKind::Access(AccessKind::Close(AccessMode::Read))));
        assert!(!changes_content(&EventKind::Modify(ModifyKind::Metadata(MetadataKind::Any))));
        assert!(!changes_content(&EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime))));
        assert!(changes_content(&EventKind::Access(AccessKind::Close(AccessMode::Write))));
        assert!(changes_content(&EventKind::Modify(ModifyKind::Metadata(MetadataKind::WriteTime))));
        assert!(changes_content(&EventKind::Modify(ModifyKind::Data(DataChange::Any))));
        assert!(changes_content(&EventKind::Modify(ModifyKind::Name(RenameMode::Both))));
        assert!(changes_content(&EventKind::Create(CreateKind::File)));
        assert!(changes_content(&EventKind::Remove(RemoveKind::File)));
    }
}
