//! Load: walk `content/` and read every content file, reporting what cannot be read.
//!
//! Input: the site root. Output: [`Loaded`] (the Markdown files as text, the other files by
//! path, each with a [`Stamp`] saying which file it was). It never parses anything and is the only
//! stage that reads content from disk: later stages copy or serve a linked file through
//! [`open_asset`], which opens only the file that was checked.
//!
//! Only folders and files belong in `content/`: a named pipe, socket or device is refused where
//! it is, and nothing here ever waits on one (files are opened without blocking).

use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};
use walkdir::WalkDir;

use crate::diagnostic::{Code, Diagnostic};
use crate::source::SourceFile;
use stamp::open_without_waiting;
pub(crate) use stamp::{Stamp, open_asset};

mod quick;
mod stamp;

/// Content files over this size are refused (`too-large`).
pub(crate) const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// What `load` found under `content/`.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The Markdown files, sorted by path.
    pub files: Vec<SourceFile>,
    /// Other files (images, PDFs), as paths relative to the root, sorted.
    pub assets: Vec<String>,
    /// What each of `assets` was when it was found; none for files added in memory, and for
    /// files refused with a diagnostic (so that the build stops).
    pub(crate) stamps: HashMap<String, Stamp>,
    /// The readable start of files that could not be decoded, so their diagnostics can be located.
    pub(crate) unreadable: Vec<SourceFile>,
    /// The files of the site's `static/` folder (root-relative, `static/…`, sorted), copied as they
    /// are into the output's top folder; hidden files included (`.nojekyll`, `.well-known/`).
    pub(crate) statics: Vec<String>,
    /// Markdown files that exist but could not be read (too large, not UTF-8, unreadable): their
    /// own error is reported, and links to them are not reported as broken.
    pub(crate) unread: Vec<String>,
    /// SVG images among `assets` that could run script or load something, or could not be
    /// checked (see [`crate::active::scan_svg`]); the others are drawings.
    pub(crate) active_svgs: Vec<ActiveSvg>,
}

/// An SVG image that is not a mere drawing.
#[derive(Clone, Debug)]
pub(crate) struct ActiveSvg {
    /// Root-relative path.
    pub(crate) path: String,
    /// What makes it active, or why it could not be checked.
    pub(crate) what: String,
    /// Where that is in its text (`None`: the whole file).
    pub(crate) span: Option<std::ops::Range<usize>>,
    /// Its text, to show where (when it could be read).
    pub(crate) text: Option<SourceFile>,
}

/// Reads and checks the SVG image `path` (`rel_path` from the root); `None` when it is a drawing.
fn check_svg(path: &Path, rel_path: &str) -> Option<ActiveSvg> {
    let unchecked = |why: String| ActiveSvg { path: rel_path.to_string(), what: why, span: None, text: None };
    let bytes = match std::fs::File::open(path).and_then(|mut f| {
        let size = f.metadata()?.len();
        if size > MAX_FILE_BYTES {
            return Ok(None);
        }
        read_sized(&mut f, size).map(Some)
    }) {
        Ok(Some(b)) => b,
        Ok(None) => return Some(unchecked("it cannot be checked: it is larger than 4 MiB".into())),
        Err(e) => return Some(unchecked(format!("it cannot be checked: cannot read it: {e}"))),
    };
    let Ok(text) = decode(&bytes) else {
        return Some(unchecked("it cannot be checked: it is not UTF-8 text".into()));
    };
    let finding = crate::active::scan_svg(text)?;
    Some(ActiveSvg {
        path: rel_path.to_string(),
        what: finding.what,
        span: Some(finding.span),
        text: Some(SourceFile { path: rel_path.to_string(), text: text.into() }),
    })
}

/// Which part of `content/` one language's files are: the default language's (`lang: None`)
/// leaves out the other languages' folders; another language's is `content/<lang>/`, its files
/// named as if that folder were `content/` (the caller names them back, [`crate::lang`]), and it
/// has no `static/`.
#[derive(Clone, Debug, Default)]
pub(crate) struct Scope {
    /// The language folder under `content/`, or `None` for the default language.
    pub(crate) lang: Option<String>,
    /// Folders directly under `content/` that are other languages' (default language only).
    pub(crate) skip: Vec<String>,
}

/// Reads one language's part of `<root>/content`, taking a file's text from `cache` instead of
/// reading it when its size and modification time are unchanged and it had not been modified just
/// before it was read (`serve` keeps the cache between builds; a plain build reads everything).
pub(crate) fn load_scope(
    root: &Path,
    diags: &mut Vec<Diagnostic>,
    cache: Option<&mut Cache>,
    scope: &Scope,
) -> anyhow::Result<Loaded> {
    load_with(root, diags, cache, scope)
}

/// The files read by the previous load with this cache, with what their metadata said then;
/// what its walk found; and the paths changed since, when the caller knows them.
#[derive(Default)]
pub(crate) struct Cache {
    files: rustc_hash::FxHashMap<String, Seen>,
    /// The last walk, when it found no problem and no symbolic link.
    walked: Option<quick::Walked>,
    /// The root-relative paths changed since the last load ([`Cache::changed`]); `None`: unknown,
    /// so the next load walks.
    changed: Option<std::collections::BTreeSet<String>>,
}

impl Cache {
    /// Notes that only `paths` (root-relative, as the watcher reports them) changed since the last
    /// load, besides those noted before and not yet loaded: the next load reads just those.
    pub(crate) fn changed(&mut self, paths: impl IntoIterator<Item = String>) {
        self.changed.get_or_insert_default().extend(paths);
    }
}

/// A file as it was read.
struct Seen {
    modified: SystemTime,
    len: u64,
    /// When it was read.
    read_at: SystemTime,
    file: SourceFile,
}

/// A file whose modification time is this close to when it was read may have changed again within
/// the same timestamp (coarse clocks: 2 s on FAT), so it is read again, as git does for "racily
/// clean" files.
const RACY: Duration = Duration::from_secs(3);

/// [`load_scope`], with or without a cache (a one-off build keeps nothing).
fn load_with(
    root: &Path,
    diags: &mut Vec<Diagnostic>,
    cache: Option<&mut Cache>,
    scope: &Scope,
) -> anyhow::Result<Loaded> {
    let Some(content) = content_folder(root, scope)? else {
        return Ok(Loaded::default());
    };
    // A language's files are named from its own folder: `content/ru/guides/x.md` is
    // `content/guides/x.md` here.
    let lang_prefix = scope.lang.as_ref().map(|l| format!("content/{l}/"));
    let rel = |root: &Path, path: &Path| {
        let r = rel(root, path);
        match &lang_prefix {
            Some(p) => r.strip_prefix(p.as_str()).map_or(r.clone(), |rest| format!("content/{rest}")),
            None => r,
        }
    };
    let mut loaded = Loaded::default();
    let mut cache = cache;
    // Only what changed since the last load, when the caller knows it and the last walk allows.
    let quick = cache.as_deref_mut().and_then(|c| {
        let changed = c.changed.take()?;
        // Taken, and changed in place: a load that must walk makes it again.
        quick::apply(c.walked.take()?, root, scope, &changed)
    });
    if let Some((walked, again)) = quick {
        // The lists other than the Markdown files are short; those are only read here.
        loaded.assets = walked.assets.clone();
        loaded.stamps = walked.stamps.clone();
        loaded.statics = walked.statics.clone();
        loaded.active_svgs = walked.active_svgs.clone();
        read_sources(&walked.to_read, cache.as_deref_mut(), &mut loaded, diags, Some(&again));
        if let Some(c) = cache {
            c.walked = Some(walked);
        }
        return Ok(loaded);
    }
    let before = diags.len();
    let (to_read, mut svgs, links) = walk_content(root, &content, scope, &rel, &mut loaded, diags);
    if scope.lang.is_none() {
        walk_static(root, &mut loaded.statics, &mut loaded.stamps, &mut svgs, diags);
    }
    loaded.active_svgs = svgs.into_par_iter().filter_map(|(path, rel_path)| check_svg(&path, &rel_path)).collect();
    if let Some(c) = cache.as_deref_mut() {
        c.walked = (diags.len() == before && !links).then(|| quick::Walked {
            skip: scope.skip.clone(),
            to_read: to_read.clone(),
            assets: loaded.assets.clone(),
            stamps: loaded.stamps.clone(),
            statics: loaded.statics.clone(),
            active_svgs: loaded.active_svgs.clone(),
        });
        c.changed = None;
    }
    read_sources(&to_read, cache, &mut loaded, diags, None);
    Ok(loaded)
}

/// The folder the scope's files are in: `content/`, or a language's folder in it (`None` when
/// that language has no folder yet, so no files).
fn content_folder(root: &Path, scope: &Scope) -> anyhow::Result<Option<PathBuf>> {
    let mut content = root.join("content");
    if let Some(lang) = &scope.lang {
        content = content.join(lang);
        if !content.is_dir() {
            return Ok(None);
        }
    }
    if !content.is_dir() {
        anyhow::bail!(
            "no `content` folder in `{}`: create content/guides, content/symptoms, content/causes and content/pages",
            root.display()
        );
    }
    Ok(Some(content))
}

/// Files found in `content/`: the Markdown files to read (path, root-relative name), the SVG
/// images to look into, and whether a symbolic link was followed.
type Found = (Vec<(PathBuf, String)>, Vec<(PathBuf, String)>, bool);

/// Walks `content`: other files go into `loaded` (assets, with their stamps); Markdown files and
/// SVG images are returned, to read next. Every list comes out in name order (each folder's
/// entries by name, a folder's files right after its name), as a walk sorted folder by folder
/// gives them; they are sorted once at the end instead, because walkdir's sort takes each entry's
/// name apart again for every comparison: 90 % of the walk at 10,000 guides, serial.
fn walk_content(
    root: &Path,
    content: &Path,
    scope: &Scope,
    rel: &impl Fn(&Path, &Path) -> String,
    loaded: &mut Loaded,
    diags: &mut Vec<Diagnostic>,
) -> Found {
    let canonical_content = content.canonicalize().unwrap_or_else(|_| content.to_path_buf());
    let (mut to_read, mut svgs, mut assets, mut links) = (Vec::new(), Vec::new(), Vec::new(), false);
    let walker = WalkDir::new(content).follow_links(true);
    let mut iter = walker.into_iter();
    while let Some(entry) = iter.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diags.push(walk_problem(root, &e, rel));
                continue;
            }
        };
        let name = entry.file_name().to_string_lossy();
        let skipped = entry.depth() == 1 && entry.file_type().is_dir() && scope.skip.iter().any(|l| *l == name);
        // Hidden files and editor leftovers are not content.
        let hidden = entry.depth() > 0 && (name.starts_with('.') || name.ends_with('~') || name.starts_with('#'));
        let path_rel = rel(root, entry.path());
        links |= entry.path_is_symlink();
        let outside_link = !skipped
            && !hidden
            && entry.path_is_symlink()
            && !matches!(entry.path().canonicalize().map(|p| p.starts_with(&canonical_content)), Ok(true));
        if outside_link {
            diags.push(outside(path_rel.clone()));
        }
        if skipped || hidden || outside_link {
            if entry.file_type().is_dir() {
                iter.skip_current_dir();
            }
            continue;
        }
        let file_type = entry.file_type();
        if file_type.is_dir() {
            continue;
        }
        let is_md = Path::new(&*name).extension().is_some_and(|e| e.eq_ignore_ascii_case("md"));
        if !file_type.is_file() {
            diags.push(not_a_file(path_rel.clone(), file_type));
            // Links to it are not broken: it is there, and its problem is reported where it is.
            if !is_md {
                assets.push((entry.into_path(), path_rel));
            }
            continue;
        }
        if !is_md {
            match Stamp::take(entry.path(), &canonical_content) {
                Ok(stamp) => {
                    loaded.stamps.insert(path_rel.clone(), stamp);
                }
                Err(problem) => diags.push(problem.diagnostic(path_rel.clone())),
            }
            if crate::active::is_svg(&path_rel) {
                svgs.push((entry.path().to_path_buf(), path_rel.clone()));
            }
            assets.push((entry.into_path(), path_rel));
        } else if !name.eq_ignore_ascii_case("README.md") {
            to_read.push((entry.into_path(), path_rel));
        }
    }
    // `Path`'s order compares component by component: the order of a walk sorted by name.
    for list in [&mut to_read, &mut svgs, &mut assets] {
        list.sort_unstable_by(|(a, _), (b, _)| a.cmp(b));
    }
    loaded.assets.extend(assets.into_iter().map(|(_, rel_path)| rel_path));
    (to_read, svgs, links)
}

/// A folder entry that could not be walked (a link loop, no permission).
fn walk_problem(root: &Path, e: &walkdir::Error, rel: &impl Fn(&Path, &Path) -> String) -> Diagnostic {
    let path = e.path().map(|p| rel(root, p)).unwrap_or_else(|| "content".into());
    let message = if let Some(ancestor) = e.loop_ancestor() {
        format!("symbolic link loop: `{path}` leads back to `{}`", rel(root, ancestor))
    } else {
        let cause = e.io_error().map_or_else(|| e.to_string(), |io| io.to_string());
        format!("cannot read `{path}`: {cause}")
    };
    Diagnostic::new(Code::Io, path, None, message)
        .with_help("fix or remove the link or file, or give carebook permission to read it")
}

/// Reads and decodes the Markdown files `to_read` into `loaded`, in parallel (each file on its
/// own; the order stays the walk's), taking from `cache` the files unchanged since it was made:
/// with `again`, every file not in it (the caller knows that only those changed), else those
/// whose metadata says so.
fn read_sources(
    to_read: &[(PathBuf, String)],
    mut cache: Option<&mut Cache>,
    loaded: &mut Loaded,
    diags: &mut Vec<Diagnostic>,
    again: Option<&std::collections::BTreeSet<String>>,
) {
    let empty = HashMap::default();
    let old = cache.as_deref().map_or(&empty, |c| &c.files);
    let unread = std::sync::Mutex::new(Vec::new());
    // Each file, with whether it was read now (`Some(name)`: the cache's entry is made again).
    let read: Vec<_> = to_read
        .par_iter()
        .map(|(path, rel_path)| {
            let (mut d, mut u) = (Vec::new(), Vec::new());
            if let (Some(again), Some(seen)) = (again, old.get(rel_path))
                && !again.contains(rel_path)
            {
                return (Some(seen.file.clone()), d, u, None);
            }
            // Only a file seen before needs a look at its metadata before it is opened.
            if let Some(seen) = old.get(rel_path)
                && let Ok(meta) = std::fs::metadata(path)
                && let Ok(modified) = meta.modified()
                && seen.modified == modified
                && seen.len == meta.len()
                && modified.checked_add(RACY).is_some_and(|t| t < seen.read_at)
            {
                return (Some(seen.file.clone()), d, u, None);
            }
            let read_at = SystemTime::now();
            let (file, stamp) = read_source(path, rel_path.clone(), &mut d, &mut u);
            if file.is_none() {
                unread.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(rel_path.clone());
            }
            (file, d, u, Some((rel_path.clone(), stamp.map(|(modified, len)| (modified, len, read_at)))))
        })
        .collect();
    let mut unread = unread.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    unread.sort();
    loaded.unread = unread;
    for (file, d, u, fresh) in read {
        // The cache is updated in place: after a one-file edit, one entry changes.
        if let (Some(cache), Some((rel_path, stamp))) = (cache.as_deref_mut(), fresh) {
            match (&file, stamp) {
                (Some(file), Some((modified, len, read_at))) if d.is_empty() => {
                    cache.files.insert(rel_path, Seen { modified, len, read_at, file: file.clone() });
                }
                _ => {
                    cache.files.remove(&rel_path);
                }
            }
        }
        loaded.files.extend(file);
        diags.extend(d);
        loaded.unreadable.extend(u);
    }
    if let Some(cache) = cache
        && cache.files.len() != loaded.files.len()
    {
        let here: std::collections::HashSet<&str> = loaded.files.iter().map(|f| f.path.as_str()).collect();
        cache.files.retain(|path, _| here.contains(path.as_str()));
    }
}

/// Lists the files of `<root>/static` into `statics`, with their stamps (and its SVG images into
/// `svgs`); symbolic links must stay inside it.
fn walk_static(
    root: &Path,
    statics: &mut Vec<String>,
    stamps: &mut HashMap<String, Stamp>,
    svgs: &mut Vec<(PathBuf, String)>,
    diags: &mut Vec<Diagnostic>,
) {
    let dir = root.join("static");
    if !dir.is_dir() {
        return;
    }
    let canonical = dir.canonicalize().unwrap_or_else(|_| dir.clone());
    let mut iter = WalkDir::new(&dir).follow_links(true).sort_by_file_name().into_iter();
    while let Some(entry) = iter.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map(|p| rel(root, p)).unwrap_or_else(|| "static".into());
                let cause = e.io_error().map_or_else(|| e.to_string(), |io| io.to_string());
                diags.push(
                    Diagnostic::new(Code::Io, path.clone(), None, format!("cannot read `{path}`: {cause}"))
                        .with_help("fix or remove the link or file, or give carebook permission to read it"),
                );
                continue;
            }
        };
        let path_rel = rel(root, entry.path());
        if entry.path_is_symlink() && !entry.path().canonicalize().is_ok_and(|p| p.starts_with(&canonical)) {
            diags.push(
                Diagnostic::new(Code::Io, path_rel, None, "symbolic link leads outside the static folder")
                    .with_help("copy the file into static/ instead of linking to it"),
            );
            if entry.file_type().is_dir() {
                iter.skip_current_dir();
            }
            continue;
        }
        if entry.file_type().is_file() {
            match Stamp::take(entry.path(), &canonical) {
                Ok(stamp) => {
                    stamps.insert(path_rel.clone(), stamp);
                }
                Err(problem) => diags.push(problem.diagnostic(path_rel.clone())),
            }
            if crate::active::is_svg(&path_rel) {
                svgs.push((entry.path().to_path_buf(), path_rel.clone()));
            }
            statics.push(path_rel);
        }
    }
}

impl Loaded {
    /// Adds a Markdown file given as bytes, as [`load_scope`] does for a file read from disk (see
    /// [`source_from_bytes`]). Never touches the disk: fuzzing and property tests use it.
    pub fn add_markdown(&mut self, rel_path: impl Into<String>, bytes: &[u8], diags: &mut Vec<Diagnostic>) {
        let rel_path = rel_path.into();
        match source_from_bytes(rel_path.clone(), bytes, diags, &mut self.unreadable) {
            Some(file) => self.files.push(file),
            None => self.unread.push(rel_path),
        }
    }
}

/// A Markdown file's bytes as UTF-8 text, or `None` with a diagnostic: over [`MAX_FILE_BYTES`]
/// (`too-large`), or not UTF-8 text (`encoding`; then the readable start of the file goes into
/// `unreadable`, so the diagnostic can be located).
pub(crate) fn source_from_bytes(
    rel_path: String,
    bytes: &[u8],
    diags: &mut Vec<Diagnostic>,
    unreadable: &mut Vec<SourceFile>,
) -> Option<SourceFile> {
    let size = bytes.len() as u64;
    if size > MAX_FILE_BYTES {
        diags.push(too_large(rel_path, size));
        return None;
    }
    match decode(bytes) {
        Ok(text) => Some(SourceFile { path: rel_path, text: text.into() }),
        Err((offset_text, message, help)) => {
            let span = offset_text.map(|o| o..o);
            if let Some(o) = offset_text {
                let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
                let prefix = String::from_utf8_lossy(&body[..o.min(body.len())]);
                unreadable.push(SourceFile { path: rel_path.clone(), text: prefix.as_ref().into() });
            }
            diags.push(Diagnostic::new(Code::Encoding, rel_path, span, message).with_help(help));
            None
        }
    }
}

fn too_large(rel_path: String, size: u64) -> Diagnostic {
    Diagnostic::new(
        Code::TooLarge,
        rel_path,
        None,
        format!("file is {:.1} MiB ({size} bytes), more than the limit of 4 MiB", size as f64 / 1048576.0),
    )
    .with_help("split it into several guides, and keep pictures as separate files")
}

/// Reads the Markdown files `rel_paths` (root-relative) again, for their text alone: a build lets
/// go of texts as it parses, and a problem found later in such a file is shown in it. A file that
/// cannot be read now is left out (its diagnostics are then shown without their lines).
pub(crate) fn reread(root: &Path, rel_paths: &[String]) -> Vec<SourceFile> {
    rel_paths
        .iter()
        .filter_map(|rel_path| read_source(&root.join(rel_path), rel_path.clone(), &mut Vec::new(), &mut Vec::new()).0)
        .collect()
}

/// Reads one Markdown file as UTF-8 text, reporting size, read and encoding problems; with its
/// modification time and size, as read from the open file. The size is checked before reading,
/// so a huge file is never read into memory.
fn read_source(
    path: &Path,
    rel_path: String,
    diags: &mut Vec<Diagnostic>,
    unreadable: &mut Vec<SourceFile>,
) -> (Option<SourceFile>, Option<(SystemTime, u64)>) {
    let mut stamp = None;
    let mut special = None;
    let read = open_without_waiting(path, true).and_then(|mut f| {
        let meta = f.metadata()?;
        // Replaced since the walk: still never read.
        if !meta.is_file() {
            special = Some(meta.file_type());
            return Ok(None);
        }
        let size = meta.len();
        stamp = meta.modified().ok().map(|m| (m, size));
        if size > MAX_FILE_BYTES {
            return Ok(None);
        }
        read_sized(&mut f, size).map(Some)
    });
    let bytes = match read {
        Ok(Some(b)) => b,
        Ok(None) => {
            diags.push(match special {
                Some(file_type) => not_a_file(rel_path, file_type),
                None => too_large(rel_path, stamp.map_or(0, |(_, size)| size)),
            });
            return (None, stamp);
        }
        Err(e) => {
            diags.push(
                Diagnostic::new(Code::Io, rel_path, None, format!("cannot read the file: {e}"))
                    .with_help("check that the file exists and that you have permission to read it"),
            );
            return (None, stamp);
        }
    };
    (source_from_bytes(rel_path, &bytes, diags, unreadable), stamp)
}

/// Reads an open file that had `size` bytes: one read, when it still has them (thousands of files
/// are read per build; `read_to_end` would look at the metadata again and read once more to
/// see the end). A file that grew meanwhile is read to its end.
fn read_sized(f: &mut std::fs::File, size: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let size = usize::try_from(size).unwrap_or(0);
    let mut bytes = vec![0; size.saturating_add(1)];
    let mut filled = 0;
    loop {
        match f.read(&mut bytes[filled..]) {
            Ok(0) => break,
            Ok(n) => {
                filled += n;
                // Fewer bytes than asked, and all the file had: its end.
                if filled == size {
                    break;
                }
                if filled == bytes.len() {
                    bytes.truncate(filled);
                    f.read_to_end(&mut bytes)?;
                    return Ok(bytes);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    bytes.truncate(filled);
    Ok(bytes)
}

type DecodeError = (Option<usize>, String, String);

/// UTF-8 text without its byte-order mark, or why not (with the offset of the first bad byte).
pub(crate) fn decode(bytes: &[u8]) -> Result<&str, DecodeError> {
    let save_as = "save the file as UTF-8 (in most editors: Save As, Encoding: UTF-8)".to_string();
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err((None, "file is saved as UTF-16, not UTF-8".into(), save_as));
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    if let Some(nul) = memchr::memchr(0, bytes) {
        if looks_like_utf16(bytes) {
            return Err((None, "file is saved as UTF-16 (without a byte-order mark), not UTF-8".into(), save_as));
        }
        let valid = std::str::from_utf8(&bytes[..nul]).map_or(0, |s| s.len());
        return Err((
            Some(valid),
            "file contains NUL bytes: it looks like a binary file, not Markdown text".into(),
            "only Markdown text files belong in content/ with the .md ending".into(),
        ));
    }
    // Valid text, nearly always: checked with SIMD (std's check, which also says where it fails,
    // is ten times as slow on Cyrillic text); for invalid text std's check says where.
    if let Ok(s) = simdutf8::basic::from_utf8(bytes) {
        return Ok(s);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => {
            let at = e.valid_up_to();
            Err((
                Some(at),
                format!("file is not valid UTF-8 (byte 0x{:02X} cannot start a character here)", bytes[at]),
                format!("{save_as}; it may have been saved as Latin-1 or Windows-1252"),
            ))
        }
    }
}

/// Text saved as UTF-16 without a byte-order mark: in most of the first 256 two-byte units, one
/// byte (the same one each time) is zero and the other is not, as in ASCII-range UTF-16.
fn looks_like_utf16(bytes: &[u8]) -> bool {
    let units: Vec<&[u8]> = bytes.chunks_exact(2).take(256).collect();
    if units.len() < 2 {
        return false;
    }
    let count = |zero: usize| units.iter().filter(|u| u[zero] == 0 && u[1 - zero] != 0).count();
    let (le, be) = (count(1), count(0));
    le.max(be) * 4 >= units.len() * 3
}

/// A path under `content/` that is a link out of it.
pub(super) fn outside(rel_path: String) -> Diagnostic {
    Diagnostic::new(Code::Io, rel_path, None, "symbolic link leads outside the content folder")
        .with_help("copy the file into content/ instead of linking to it")
}

/// A path under `content/` that is neither a folder nor a file: a named pipe, socket or device.
pub(super) fn not_a_file(rel_path: String, file_type: std::fs::FileType) -> Diagnostic {
    #[cfg(unix)]
    let what = {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            "a named pipe"
        } else if file_type.is_socket() {
            "a socket"
        } else if file_type.is_block_device() || file_type.is_char_device() {
            "a device"
        } else {
            "a special file"
        }
    };
    #[cfg(not(unix))]
    let what = {
        let _ = file_type;
        "a special file"
    };
    let message = format!("`{rel_path}` is {what}, not a file");
    Diagnostic::new(Code::Io, rel_path, None, message).with_help("remove it: content/ may hold only folders and files")
}

/// `path` relative to `root`, with forward slashes.
pub(crate) fn rel(root: &Path, path: &Path) -> String {
    let r = path.strip_prefix(root).unwrap_or(path);
    r.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests;
