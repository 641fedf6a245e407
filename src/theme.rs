//! The theme's files: the default theme built into carebook, with a site's own
//! `themes/<name>/` laid over it file by file. A site changes one template by writing that one
//! file; everything it does not have comes from the built-in theme, so `cargo install` alone
//! gives a binary that builds any site.
//!
//! Only `templates/` and `static/` make a theme; other files (CONTEXT.md) are documentation.
//! Tera is [`crate::templates`]' business; this module only finds, compares and copies files.

use std::borrow::Cow;
use std::io::Write;
use std::path::Path;
use walkdir::WalkDir;

use crate::diagnostic::did_you_mean;
use crate::fs_error::FsContext;
use crate::load::rel;

/// The name of the built-in theme (the `theme` key's default).
pub(crate) const BUILTIN_NAME: &str = "default";

/// What diagnostics show in place of a folder for a file of the built-in theme.
pub(crate) const BUILTIN_DIR: &str = "<built-in theme>";

/// The file that lists what templates receive.
pub(crate) const CONTEXT_FILE: &str = "CONTEXT.md";

/// Every file of the built-in theme (themes/default/ when carebook was compiled), sorted:
/// path relative to the theme folder, and contents.
static BUILTIN: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/builtin_theme.rs"));

/// The built-in theme's files: path relative to the theme folder (`templates/base.html`), contents.
pub fn builtin() -> &'static [(&'static str, &'static [u8])] {
    BUILTIN
}

/// Is `rel` (relative to a theme folder) a file that makes the theme: a template, a static file
/// or a words file (`strings/<language>.toml`, [`crate::lang::strings`])?
pub(crate) fn is_theme_file(rel: &str) -> bool {
    rel.starts_with("static/")
        || (rel.starts_with("templates/") && rel.ends_with(".html"))
        || (rel.starts_with("strings/") && rel.ends_with(".toml"))
}

/// One file of the theme a site builds with.
#[derive(Clone, Debug)]
pub(crate) struct ThemeFile {
    /// Path relative to the theme folder (`templates/base.html`, `static/style.css`).
    pub(crate) rel: String,
    /// The path diagnostics show: root-relative for the site's files
    /// (`themes/default/templates/base.html`), under [`BUILTIN_DIR`] for built-in ones.
    pub(crate) shown: String,
    /// Its contents.
    pub(crate) bytes: Cow<'static, [u8]>,
}

/// The site's theme folder: `themes/<name>` under `root`.
pub(crate) fn folder(root: &Path, name: &str) -> std::path::PathBuf {
    root.join("themes").join(name)
}

/// The theme `name` of the site at `root`: the built-in theme's templates and static files, each
/// replaced by the site's file of the same path, plus the site's own new files; sorted by path.
///
/// A site without `themes/<name>/` uses the built-in theme as it is, if `name` is the built-in
/// one; any other name must have its folder (a misspelt name is not quietly ignored).
pub(crate) fn files(root: &Path, name: &str) -> anyhow::Result<Vec<ThemeFile>> {
    let dir = folder(root, name);
    let mut files: std::collections::BTreeMap<String, ThemeFile> = BUILTIN
        .iter()
        .filter(|(rel, _)| is_theme_file(rel))
        .map(|(rel, bytes)| {
            let file =
                ThemeFile { rel: rel.to_string(), shown: format!("{BUILTIN_DIR}/{rel}"), bytes: Cow::Borrowed(*bytes) };
            (rel.to_string(), file)
        })
        .collect();
    if !dir.is_dir() {
        if name != BUILTIN_NAME {
            anyhow::bail!(
                "theme folder `{}` does not exist: create it with the templates and static files to change \
                 (`carebook theme copy` copies the built-in ones), or set `theme = \"{BUILTIN_NAME}\"` in \
                 carebook.toml for the built-in theme",
                dir.display()
            );
        }
        return Ok(files.into_values().collect());
    }
    for f in site_files(root, name)? {
        files.insert(f.rel.clone(), f);
    }
    Ok(files.into_values().collect())
}

/// The theme files in the site's `themes/<name>/` (templates and static files; links and other
/// special files are left out), sorted.
fn site_files(root: &Path, name: &str) -> anyhow::Result<Vec<ThemeFile>> {
    let dir = folder(root, name);
    let mut out = Vec::new();
    for sub in ["templates", "static", "strings"] {
        let sub_dir = dir.join(sub);
        if !sub_dir.is_dir() {
            continue;
        }
        for entry in WalkDir::new(&sub_dir).sort_by_file_name() {
            let entry =
                entry.map_err(|e| anyhow::anyhow!("failed to read the theme folder `{}`: {e}", dir.display()))?;
            if !entry.file_type().is_file() {
                continue;
            }
            let rel_path = rel(&dir, entry.path());
            if !is_theme_file(&rel_path) {
                continue;
            }
            let bytes = std::fs::read(entry.path()).fs_context("read", entry.path())?;
            out.push(ThemeFile { shown: rel(root, entry.path()), rel: rel_path, bytes: Cow::Owned(bytes) });
        }
    }
    Ok(out)
}

/// How a file of the site's theme folder compares with the built-in theme.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Change {
    /// It replaces the built-in file of the same path; the unified diff from the built-in one
    /// (`None` for files that are not text).
    Changed(Option<String>),
    /// The built-in theme has no such file.
    Added,
    /// It is the same as the built-in file: deleting it changes nothing, and lets the site follow
    /// carebook's updates of that file.
    Same,
}

/// What the site's `themes/<name>/` changes against the built-in theme: each of its theme files
/// with its [`Change`], sorted by path. Empty when the site has no such folder.
pub(crate) fn diff(root: &Path, name: &str) -> anyhow::Result<Vec<(String, Change)>> {
    if !folder(root, name).is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for f in site_files(root, name)? {
        let change = match BUILTIN.iter().find(|(rel, _)| *rel == f.rel) {
            None => Change::Added,
            Some((_, old)) if *old == &*f.bytes => Change::Same,
            Some((_, old)) => Change::Changed(unified(&f.rel, &f.shown, old, &f.bytes)),
        };
        out.push((f.rel, change));
    }
    Ok(out)
}

/// A unified diff of two texts with three lines of context; `None` when either is not UTF-8.
fn unified(rel: &str, shown: &str, old: &[u8], new: &[u8]) -> Option<String> {
    let (old, new) = (std::str::from_utf8(old).ok()?, std::str::from_utf8(new).ok()?);
    let diff = similar::TextDiff::from_lines(old, new);
    Some(diff.unified_diff().context_radius(3).header(&format!("{BUILTIN_DIR}/{rel}"), shown).to_string())
}

/// What [`copy`] did with one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Copied {
    /// Written (the path relative to the root).
    Written(String),
    /// Already there, left as it was (the path relative to the root).
    Kept(String),
}

/// Why [`copy`] did not start.
#[derive(Debug)]
pub(crate) enum CopyError {
    /// A name that is no file of the built-in theme; the closest one, if any.
    Unknown(String, Option<String>),
    /// Writing failed (path, error); files written before stay.
    Io(String, std::io::Error),
}

impl std::fmt::Display for CopyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CopyError::Unknown(name, Some(s)) => {
                write!(f, "the built-in theme has no file `{name}`; did you mean `{s}`? (nothing was written)")
            }
            CopyError::Unknown(name, None) => write!(
                f,
                "the built-in theme has no file `{name}` (nothing was written); its files are: {}",
                BUILTIN.iter().map(|(r, _)| *r).collect::<Vec<_>>().join(", ")
            ),
            CopyError::Io(path, e) => write!(f, "cannot write `{path}`: {e}"),
        }
    }
}

impl std::error::Error for CopyError {}

/// The built-in file that `name` means: its path (`templates/guide.html`), or only its file name
/// (`guide.html`) when no other file has that name.
fn resolve(name: &str) -> Result<&'static str, CopyError> {
    let name = name.trim_start_matches("./").replace('\\', "/");
    if let Some((rel, _)) = BUILTIN.iter().find(|(rel, _)| *rel == name) {
        return Ok(rel);
    }
    let by_file_name: Vec<&str> =
        BUILTIN.iter().map(|(rel, _)| *rel).filter(|rel| rel.rsplit('/').next() == Some(name.as_str())).collect();
    if let [only] = by_file_name[..] {
        return Ok(only);
    }
    let closest = did_you_mean(&name, BUILTIN.iter().map(|(r, _)| *r))
        .or_else(|| did_you_mean(&name, BUILTIN.iter().filter_map(|(r, _)| r.rsplit('/').next())))
        .map(str::to_string);
    Err(CopyError::Unknown(name, closest))
}

/// Copies files of the built-in theme into the site's `themes/<name>/` to be changed there:
/// the ones named (by path or file name), or all of them when `names` is empty, and always
/// CONTEXT.md (what templates receive). A file that is already there is never overwritten.
pub(crate) fn copy(root: &Path, name: &str, names: &[String]) -> Result<Vec<Copied>, CopyError> {
    let mut wanted: Vec<&str> = if names.is_empty() {
        BUILTIN.iter().map(|(rel, _)| *rel).collect()
    } else {
        names.iter().map(|n| resolve(n)).collect::<Result<_, _>>()?
    };
    if !wanted.contains(&CONTEXT_FILE) && BUILTIN.iter().any(|(rel, _)| *rel == CONTEXT_FILE) {
        wanted.push(CONTEXT_FILE);
    }
    wanted.sort_unstable();
    wanted.dedup();
    let dir = folder(root, name);
    let mut out = Vec::new();
    for rel_path in wanted {
        let Some((_, bytes)) = BUILTIN.iter().find(|(r, _)| *r == rel_path) else { continue };
        let path = dir.join(rel_path);
        let shown = rel(root, &path);
        let written = write_new(&path, bytes).map_err(|e| CopyError::Io(shown.clone(), e))?;
        out.push(if written { Copied::Written(shown) } else { Copied::Kept(shown) });
    }
    Ok(out)
}

/// Writes `bytes` to a new file at `path` (making its folders); `Ok(false)` when a file is
/// already there, which is left as it was. A failed write leaves no partial file.
pub(crate) fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<bool> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut file = match std::fs::OpenOptions::new().write(true).create_new(true).open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(false),
        Err(e) => return Err(e),
    };
    if let Err(e) = file.write_all(bytes).and_then(|()| file.sync_all()) {
        drop(file);
        let _ = std::fs::remove_file(path);
        return Err(e);
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_theme_has_every_required_template_and_its_context() {
        for t in crate::templates::REQUIRED {
            let rel = format!("templates/{t}");
            assert!(BUILTIN.iter().any(|(r, _)| *r == rel), "the built-in theme lacks {rel}");
        }
        assert!(BUILTIN.iter().any(|(r, _)| *r == CONTEXT_FILE));
        assert!(BUILTIN.iter().any(|(r, _)| *r == "static/style.css"));
        assert!(BUILTIN.windows(2).all(|w| w[0].0 < w[1].0), "sorted");
    }

    #[test]
    fn names_resolve_by_path_or_unique_file_name() {
        assert_eq!(resolve("templates/guide.html").ok(), Some("templates/guide.html"));
        assert_eq!(resolve("guide.html").ok(), Some("templates/guide.html"));
        assert_eq!(resolve("./static/style.css").ok(), Some("static/style.css"));
        match resolve("gude.html") {
            Err(CopyError::Unknown(_, Some(s))) => assert_eq!(s, "guide.html"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(resolve("nothing-like-it.txt"), Err(CopyError::Unknown(_, None))));
    }
}
