//! The marker file every build writes at the top of its output, listing the files it wrote: the
//! next build replaces only a folder that has one, and refuses one holding files no build wrote.

use std::collections::HashSet;
use std::fs;
use std::path::Path;

use anyhow::{Result, bail};

/// The name of the marker file every build writes at the top of its output.
pub const MARKER: &str = ".carebook-build";

/// What the marker file says first; an older carebook wrote only this.
pub(super) const MARKER_TEXT: &str = "carebook build output; safe to delete\n";

/// The line after which the marker lists the files the build wrote, one JSON string a line: the
/// next build tells them from files someone else put into the output ([`foreign`]).
pub(super) const MARKER_LIST: &str = "files written by this build, one JSON string a line:\n";

/// The marker's text for a build that wrote `files`.
pub(super) fn marker_text<'f>(files: impl IntoIterator<Item = &'f String>) -> String {
    let mut files: Vec<&String> = files.into_iter().collect();
    files.sort_unstable();
    let mut text = String::from(MARKER_TEXT);
    text.push_str(MARKER_LIST);
    for f in files {
        // A string always serialises.
        text.push_str(&serde_json::to_string(f).unwrap_or_default());
        text.push('\n');
    }
    text
}

/// The files a marker's text lists; `None` for an older carebook's marker, which lists none.
pub(super) fn marker_files(text: &str) -> Option<HashSet<String>> {
    let (_, list) = text.split_once(MARKER_LIST)?;
    Some(list.lines().filter_map(|l| serde_json::from_str::<String>(l).ok()).collect())
}

/// The entries of the output folder `dir` that no build wrote: files, links and folders (given
/// as `name/`) that are not in the previous build's list. An older marker lists nothing: then
/// what `new` (this build's files, once known) does not hold counts. Sorted.
pub(super) fn foreign(dir: &Path, new: Option<&HashSet<String>>) -> Vec<String> {
    let known = match fs::read_to_string(dir.join(MARKER)).ok().and_then(|t| marker_files(&t)) {
        Some(listed) => listed,
        None => match new {
            Some(files) => files.clone(),
            None => return Vec::new(),
        },
    };
    let folders: HashSet<&str> = known.iter().flat_map(|p| p.match_indices('/').map(move |(at, _)| &p[..at])).collect();
    let mut found = Vec::new();
    let mut pending = vec![String::new()];
    while let Some(prefix) = pending.pop() {
        let Ok(entries) = fs::read_dir(dir.join(&prefix)) else { continue };
        for entry in entries.flatten() {
            let path = format!("{prefix}{}", entry.file_name().to_string_lossy());
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            if path == MARKER || known.contains(&path) && !is_dir {
                continue;
            }
            if is_dir && folders.contains(path.as_str()) {
                pending.push(format!("{path}/"));
            } else {
                found.push(if is_dir { format!("{path}/") } else { path });
            }
        }
    }
    found.sort();
    found
}

/// Refuses an output folder holding files that no build wrote (see [`foreign`]): they would be lost.
pub(super) fn refuse_foreign(dir: &Path, out: &Path, new: Option<&HashSet<String>>) -> Result<()> {
    let found = foreign(dir, new);
    if found.is_empty() {
        return Ok(());
    }
    const SHOWN: usize = 10;
    let mut names: Vec<String> = found.iter().take(SHOWN).map(|p| format!("`{p}`")).collect();
    if found.len() > SHOWN {
        names.push(format!("and {} more", found.len() - SHOWN));
    }
    let files = if found.len() == 1 { "file" } else { "files" };
    bail!(
        "refusing to replace `{}`: it holds {} {files} carebook did not write: {}; nothing was written. Files a host needs (CNAME, robots.txt, _headers, .nojekyll) belong in a `static/` folder beside `content/`, which every build copies into the output; move the others out of `{}`, or build into another folder with --out",
        out.display(),
        found.len(),
        names.join(", "),
        out.display()
    )
}
