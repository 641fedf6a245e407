//! A load without walking `content/`: when the caller knows which paths changed since the last
//! load (`serve` hears it from its watcher, [`crate::Cache::changed`]), the last walk's lists are
//! taken again and only the changed Markdown files are looked at and read. Anything the lists
//! cannot follow by themselves — a folder, a link, a file that is not Markdown, `static/`, the
//! content folder itself, a walk that found problems — makes the load walk as usual.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use super::{ActiveSvg, Scope, Stamp};

/// What a walk of one scope found, to start the next load from.
#[derive(Clone, Default)]
pub(super) struct Walked {
    /// The scope walked (a changed list of languages walks again).
    pub(super) skip: Vec<String>,
    /// The Markdown files, in walk order: path, and root-relative name in the scope.
    pub(super) to_read: Vec<(PathBuf, String)>,
    pub(super) assets: Vec<String>,
    pub(super) stamps: HashMap<String, Stamp>,
    pub(super) statics: Vec<String>,
    pub(super) active_svgs: Vec<ActiveSvg>,
}

/// Is one of the names of a content path hidden, or an editor's leftover (the walk skips them)?
fn hidden(rest: &str) -> bool {
    rest.split('/').any(|n| n.starts_with('.') || n.ends_with('~') || n.starts_with('#'))
}

/// The last walk with the root-relative `changed` paths applied, and the names of the Markdown
/// files to read again; `None` when only a walk can tell.
pub(super) fn apply(
    walked: Walked,
    root: &Path,
    scope: &Scope,
    changed: &BTreeSet<String>,
) -> Option<(Walked, BTreeSet<String>)> {
    if walked.skip != scope.skip {
        return None;
    }
    let mut next = walked;
    let mut again = BTreeSet::new();
    let lang_prefix = scope.lang.as_ref().map(|l| format!("content/{l}/"));
    for path in changed {
        // The part of the path under the scope's folder.
        let rest = match &lang_prefix {
            Some(prefix) => match path.strip_prefix(prefix.as_str()) {
                Some(rest) => rest,
                None if prefix.starts_with(&format!("{path}/")) => return None,
                None => continue,
            },
            None if path == "content" || path == "static" || path.starts_with("static/") => return None,
            None => match path.strip_prefix("content/") {
                Some(rest) if scope.skip.iter().any(|l| rest.split('/').next() == Some(l.as_str())) => continue,
                Some(rest) => rest,
                None => continue,
            },
        };
        if rest.is_empty() {
            return None;
        }
        if hidden(rest) {
            continue;
        }
        let name = format!("content/{rest}");
        let full = root.join(path);
        let is_md = Path::new(rest).extension().is_some_and(|e| e.eq_ignore_ascii_case("md"));
        let readme = rest.rsplit('/').next().is_some_and(|n| n.eq_ignore_ascii_case("README.md"));
        match std::fs::symlink_metadata(&full) {
            Ok(meta) if meta.is_file() && is_md => {
                if readme {
                    continue;
                }
                if let Err(at) = next.to_read.binary_search_by(|(p, _)| p.as_path().cmp(&full)) {
                    next.to_read.insert(at, (full, name.clone()));
                }
                again.insert(name);
            }
            Ok(_) => return None,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let folder = format!("{name}/");
                let known = |n: &String| n == &name || n.starts_with(&folder);
                if next.assets.iter().any(known) || next.to_read.iter().any(|(_, n)| n.starts_with(&folder)) {
                    return None;
                }
                next.to_read.retain(|(_, n)| *n != name);
            }
            Err(_) => return None,
        }
    }
    Some((next, again))
}
