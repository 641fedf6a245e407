//! `carebook init [DIR]`: a new site that checks and builds at once.
//!
//! It writes `carebook.toml` with every key explained (from the key table, so it cannot fall
//! behind), one example guide, symptom, cause and page, a `.gitignore` and a README for editors.
//! The examples carry `example: true`: `check` warns about them and `build` leaves them out
//! (`--drafts` shows them), so no example text is published by accident, yet the new site builds.
//! They hold real sample text, not the placeholders of `carebook new`.
//!
//! With `--lang ru`, the site has a second language: a `[languages.ru]` table in `carebook.toml`
//! (its words in Russian) and the example page translated in `content/ru/`, marked as translating
//! its source (`translate mark`). Only languages the built-in theme has words for can be added so.
//!
//! A folder with anything in it (other than `.git`) is refused unless forced; even then, no file
//! that is there is ever overwritten: only the missing ones are written.

use jiff::ToSpan;
use jiff::civil::Date;
use std::path::Path;

use crate::theme::{self, Copied};

/// The files of a new site, relative to its folder, with `@TODAY@` and `@NEXT_YEAR@` for the
/// review dates. `carebook.toml` is made from the key table instead.
const FILES: &[(&str, &str)] = &[
    ("README.md", include_str!("init/README.md")),
    (".gitignore", include_str!("init/gitignore")),
    ("content/guides/minor-burns.md", include_str!("init/content/guides/minor-burns.md")),
    ("content/symptoms/blisters.md", include_str!("init/content/symptoms/blisters.md")),
    ("content/causes/hot-liquids.md", include_str!("init/content/causes/hot-liquids.md")),
    ("content/pages/about.md", include_str!("init/content/pages/about.md")),
];

/// A language `init --lang` can add: its code, the `[languages.<code>]` table to add to
/// `carebook.toml`, and the example files in that language (path, text).
type Starter = (&'static str, &'static str, &'static [(&'static str, &'static str)]);

/// The languages `init --lang` can add.
const LANGUAGES: &[Starter] = &[(
    "ru",
    include_str!("init/ru/languages.toml"),
    &[("content/ru/pages/about.md", include_str!("init/ru/content/pages/about.md"))],
)];

/// What `init` should do beyond the basic site.
#[derive(Clone, Debug, Default)]
pub(crate) struct InitOptions {
    /// Write into a folder that is not empty (never overwriting a file).
    pub(crate) force: bool,
    /// Copy the built-in theme into `themes/default/` to change it.
    pub(crate) theme: bool,
    /// Other languages to start (`ru`), besides the default English.
    pub(crate) languages: Vec<String>,
}

/// Why `init` wrote nothing, or stopped.
#[derive(Debug)]
pub(crate) enum InitError {
    /// The folder has files in it (a few of them, to show) and `force` was not given.
    NotEmpty(String, Vec<String>),
    /// Reading the folder or writing a file failed (path, error); files written before stay.
    Io(String, std::io::Error),
    /// A language `init` cannot start (its code).
    Language(String),
}

impl std::fmt::Display for InitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InitError::NotEmpty(dir, names) => write!(
                f,
                "`{dir}` is not empty (it has {}); nothing was written. Choose an empty or new folder, or \
                 pass --force to add the missing files (no file that is there is overwritten)",
                names.join(", ")
            ),
            InitError::Io(path, e) => write!(f, "cannot write `{path}`: {e}"),
            InitError::Language(code) => write!(
                f,
                "`init --lang` can start these languages, whose words the built-in theme has: {}; not `{code}`. \
                 Nothing was written. For another language, add a `[languages.{code}]` table to carebook.toml \
                 and the theme's words in themes/default/strings/{code}.toml (`carebook theme copy strings/en.toml` \
                 gives the English ones to translate)",
                LANGUAGES.iter().map(|(c, _, _)| *c).collect::<Vec<_>>().join(", ")
            ),
        }
    }
}

impl std::error::Error for InitError {}

/// What happened to one file.
pub(crate) type Written = Copied;

/// Makes a new site in `dir` (created if missing), with review dates from `today`. Returns every
/// file, written or kept, in order.
pub(crate) fn init(dir: &Path, today: Date, opts: &InitOptions) -> Result<Vec<Written>, InitError> {
    let shown = dir.display().to_string();
    let mut languages = Vec::new();
    for code in &opts.languages {
        let found = LANGUAGES.iter().find(|(c, _, _)| c == code).ok_or_else(|| InitError::Language(code.clone()))?;
        if !languages.iter().any(|(c, _, _)| c == code) {
            languages.push(*found);
        }
    }
    if !opts.force {
        let present = present(dir).map_err(|e| InitError::Io(shown.clone(), e))?;
        if !present.is_empty() {
            return Err(InitError::NotEmpty(shown, present));
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| InitError::Io(shown.clone(), e))?;
    let next_year = today.checked_add(1.year()).unwrap_or(today);
    let mut config = crate::config::keys::commented_toml();
    if !languages.is_empty() {
        // The switcher names the default language too.
        config = config.replacen("# language_name = \"English\"", "language_name = \"English\"", 1);
        languages.iter().for_each(|(_, table, _)| config.push_str(table));
    }
    let lang_files = languages.iter().flat_map(|(_, _, files)| files.iter());
    let files =
        std::iter::once((crate::config::FILE, config)).chain(FILES.iter().chain(lang_files).map(|(rel, text)| {
            (*rel, text.replace("@TODAY@", &today.to_string()).replace("@NEXT_YEAR@", &next_year.to_string()))
        }));
    let mut out = Vec::new();
    for (rel, text) in files {
        let written = theme::write_new(&dir.join(rel), text.as_bytes()).map_err(|e| InitError::Io(rel.into(), e))?;
        out.push(if written { Copied::Written(rel.into()) } else { Copied::Kept(rel.into()) });
    }
    // Each translated example translates its source as written here.
    for rel in languages.iter().flat_map(|(_, _, files)| files.iter().map(|(rel, _)| *rel)) {
        let file = rel.strip_prefix("content/").unwrap_or(rel);
        crate::lang::translate::mark(dir, file, today)
            .map_err(|e| InitError::Io(rel.into(), std::io::Error::other(e.to_string())))?;
    }
    if opts.theme {
        let copied = theme::copy(dir, theme::BUILTIN_NAME, &[]).map_err(|e| match e {
            theme::CopyError::Io(p, e) => InitError::Io(p, e),
            other => InitError::Io(String::from("themes"), std::io::Error::other(other.to_string())),
        })?;
        out.extend(copied);
    }
    Ok(out)
}

/// The names in `dir` that make it not empty (at most five; `.git` does not count); none when it
/// does not exist.
fn present(dir: &Path) -> std::io::Result<Vec<String>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut names = Vec::new();
    for entry in entries {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if name != ".git" {
            names.push(name);
        }
    }
    names.sort();
    if names.len() > 5 {
        let more = names.len() - 4;
        names.truncate(4);
        names.push(format!("{more} more"));
    }
    Ok(names)
}
