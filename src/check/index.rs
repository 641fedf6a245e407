//! The lookup tables over the parsed files, and how a link written in one of them resolves.

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use std::collections::{BTreeMap, BTreeSet};

use super::output::FIXED_OUTPUT;
use super::{FileId, Target, is_draft};
use crate::diagnostic::did_you_mean;
use crate::load::ActiveSvg;
use crate::parse::Parsed;
use crate::schema::{Kind, Matter};

/// Anchors every guide page has, whatever its content (the template writes them).
pub(crate) const GUIDE_FIXED_ANCHORS: &[&str] = &["see-a-doctor", "sources", "top"];

/// Lookup tables over the parsed files.
pub(crate) struct Index<'a> {
    pub(super) parsed: &'a [Parsed],
    pub(super) ids: HashMap<(Kind, &'a str), FileId>,
    pub(super) paths: HashMap<&'a str, FileId>,
    pub(super) assets: BTreeSet<&'a str>,
    /// SVG images among the assets that are not mere drawings.
    pub(super) active_svgs: BTreeMap<&'a str, &'a ActiveSvg>,
    /// The files of `static/`.
    pub(super) statics: &'a [String],
    /// Markdown files that could not be read, by path and by kind and id.
    pub(super) unread: BTreeSet<&'a str>,
    pub(super) unread_ids: BTreeSet<(Kind, &'a str)>,
    pub(super) anchors: Vec<Anchors>,
}

/// The anchors a page will have, shared (a cache keeps them between builds), and a hash of them.
pub(crate) type Anchors = std::sync::Arc<(BTreeSet<String>, u64)>;

/// [`Anchors`] of `p`.
pub(crate) fn anchors(p: &Parsed) -> Anchors {
    let set = anchors_of(p);
    let hash = crate::fingerprint::hash_of(&set);
    std::sync::Arc::new((set, hash))
}

impl<'a> Index<'a> {
    /// Indexes `parsed` (drafts are left out unless `drafts`), the asset paths, the active SVG
    /// images and the Markdown files that could not be read; with `anchors`, each file's anchors
    /// made already (by a cache), else they are made here.
    pub(crate) fn new(
        parsed: &'a [Parsed],
        assets: &'a [String],
        active_svgs: &'a [ActiveSvg],
        unread: &'a [String],
        statics: &'a [String],
        drafts: bool,
        anchors: Option<Vec<Anchors>>,
    ) -> Self {
        let mut ids = HashMap::with_capacity_and_hasher(parsed.len(), Default::default());
        let mut paths = HashMap::with_capacity_and_hasher(parsed.len(), Default::default());
        for (i, p) in FileId::all(parsed.len()).zip(parsed) {
            if !drafts && is_draft(p) {
                continue;
            }
            ids.entry((p.kind, p.id.as_str())).or_insert(i);
            paths.insert(p.source.path.as_str(), i);
        }
        let anchors = anchors.unwrap_or_else(|| parsed.par_iter().map(self::anchors).collect());
        Index {
            parsed,
            ids,
            paths,
            assets: assets.iter().map(String::as_str).collect(),
            active_svgs: active_svgs.iter().map(|s| (s.path.as_str(), s)).collect(),
            statics,
            unread: unread.iter().map(String::as_str).collect(),
            unread_ids: unread
                .iter()
                .filter_map(|p| {
                    let (folder, name) = p.strip_prefix("content/")?.split_once('/')?;
                    Some((Kind::from_folder(folder)?, name.rsplit('/').next()?.strip_suffix(".md")?))
                })
                .collect(),
            anchors,
        }
    }

    /// A fingerprint of everything a file's check reads of the other files: each file's path,
    /// kind, id, place (which also gives the ids' map) and anchors, whether it is listed and typed, the shared blocks' texts
    /// (a use of one is checked against it), the assets, active SVG images, `static/` files and
    /// unread files. Equal fingerprints: a file checked against either index gives the same.
    pub(crate) fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = crate::fingerprint::hasher();
        for (i, (p, anchors)) in self.parsed.iter().zip(&self.anchors).enumerate() {
            (i, &p.source.path, p.kind, &p.id, p.matter.is_some(), anchors.1).hash(&mut h);
            self.paths.get(p.source.path.as_str()).hash(&mut h);
            if p.kind == Kind::Shared {
                p.fingerprint.hash(&mut h);
            }
        }
        self.assets.hash(&mut h);
        for (path, svg) in &self.active_svgs {
            (path, &svg.what, &svg.span).hash(&mut h);
        }
        (self.statics, &self.unread, &self.unread_ids).hash(&mut h);
        h.finish()
    }

    /// The parsed file of `kind` with `id`.
    pub(crate) fn get(&self, kind: Kind, id: &str) -> Option<FileId> {
        self.ids.get(&(kind, id)).copied()
    }

    /// All ids of a kind.
    /// (In order: of two as close, did-you-mean names the same one every time.)
    pub(crate) fn ids(&self, kind: Kind) -> impl Iterator<Item = &'a str> + '_ {
        let mut ids: Vec<&'a str> = self.ids.keys().filter(move |(k, _)| *k == kind).map(|(_, id)| *id).collect();
        ids.sort_unstable();
        ids.into_iter()
    }

    /// Does page `i` have the anchor `a`? A guide whose front matter could not be read is given
    /// the benefit of the doubt: its own error is reported, not a follow-on one here.
    pub(crate) fn has_anchor(&self, i: FileId, a: &str) -> bool {
        let p = &self.parsed[i.0];
        if p.kind == Kind::Guide && p.matter.is_none() {
            return true;
        }
        self.anchors.get(i.0).is_some_and(|s| s.0.contains(a))
    }

    /// Resolves a link written in file `from`; `Err` holds a message and a help line.
    pub(crate) fn resolve(&self, from: FileId, dest: &str) -> Result<Target, (String, Option<String>)> {
        let dest = dest.trim();
        if dest.is_empty() {
            return Err((
                "link has no target".into(),
                Some("write the target between the brackets: [text](mastitis.md)".into()),
            ));
        }
        if has_scheme(dest) || dest.starts_with("//") {
            return Ok(Target::External(dest.to_string()));
        }
        let (path_part, fragment) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(percent_decode(f))),
            None => (dest, None),
        };
        let path_part = path_part.split('?').next().unwrap_or("");
        if path_part.is_empty() {
            let frag = fragment.unwrap_or_default();
            if self.has_anchor(from, &frag) {
                return Ok(Target::SamePage(frag));
            }
            return Err(self.missing_anchor(from, &frag));
        }
        if path_part.starts_with('/') || path_part.contains('\\') {
            return Err((
                format!("link `{dest}` must be a relative path"),
                Some("write the path from this file, e.g. `mastitis.md` or `../symptoms/fever.md`, so the site works from disk".into()),
            ));
        }
        let from_path = &self.parsed[from.0].source.path;
        let Some(target) = join(from_path, &percent_decode(path_part)) else {
            return Err((format!("link `{dest}` leads outside the content folder"), None));
        };
        if self.unread.contains(target.as_str()) {
            return Ok(Target::Unread);
        }
        if let Some(&i) = self.paths.get(target.as_str()) {
            if self.parsed[i.0].kind == Kind::Shared {
                return Err((
                    format!("link target `{dest}` is a shared block, which has no page of its own"),
                    Some("link a guide that uses it instead".into()),
                ));
            }
            return match fragment {
                Some(f) if !f.is_empty() && !self.has_anchor(i, &f) => Err(self.missing_anchor(i, &f)),
                f => Ok(Target::Page(i, f.filter(|f| !f.is_empty()))),
            };
        }
        if self.assets.contains(target.as_str()) {
            if let Some((message, help)) = self.uncopyable(&target) {
                return Err((message, Some(help)));
            }
            return Ok(Target::Asset(target));
        }
        let name = target.rsplit('/').next().unwrap_or("");
        let mut candidates: Vec<&str> = self.paths.keys().chain(self.assets.iter()).copied().collect();
        // In a fixed order (`paths` has none), so that of two as close the same one is named.
        candidates.sort_unstable();
        let same_folder: Vec<&str> = candidates.iter().filter_map(|c| c.rsplit('/').next()).collect();
        let help = did_you_mean(name, same_folder.iter().copied())
            .map(|s| format!("did you mean `{}`?", replace_last(dest, name, s)));
        let help = help.or_else(|| {
            if target.ends_with(".html") {
                Some("link the source file (`.md`), not the built page".to_string())
            } else {
                Some("check the file name; links are relative to this file".to_string())
            }
        });
        Err((format!("link target `{dest}` does not exist (looked for `{target}`)"), help))
    }

    /// Why a linked content file (root-relative `target`) cannot be copied into the output as it
    /// is: a name no output file may have, or one that would replace a file carebook generates.
    fn uncopyable(&self, target: &str) -> Option<(String, String)> {
        let out = target.strip_prefix("content/").unwrap_or(target);
        let rename = format!("rename `{target}` and the links to it");
        if out.contains('\\') {
            return Some((format!("the linked file `{target}` has a backslash in its name"), rename));
        }
        let (first, rest) = out.split_once('/').unwrap_or((out, ""));
        let page = |kind: Kind| {
            (rest == "index.html" && matches!(kind, Kind::Guide | Kind::Symptom | Kind::Cause))
                || rest.strip_suffix(".html").is_some_and(|id| self.ids.contains_key(&(kind, id)))
        };
        let generated = ["guides", "symptoms", "causes", "pages", "static", "search"].contains(&out)
            || first == "static"
            || first == "search"
            || FIXED_OUTPUT.iter().any(|(p, _)| *p == out)
            || Kind::from_folder(first).filter(|k| *k != Kind::Shared).is_some_and(page);
        if generated {
            return Some((
                format!("the linked file `{target}` would replace `{out}`, which carebook generates"),
                format!("{rename}; `static/` and the names of the built pages are reserved"),
            ));
        }
        None
    }

    fn missing_anchor(&self, page: FileId, frag: &str) -> (String, Option<String>) {
        let p = &self.parsed[page.0];
        let anchors = &self.anchors[page.0].0;
        let help = did_you_mean(frag, anchors.iter().map(String::as_str))
            .map(|s| format!("did you mean `#{s}`?"))
            .or_else(|| {
                let list: Vec<&str> = anchors.iter().map(String::as_str).take(12).collect();
                Some(format!("anchors on that page: {}", list.join(", ")))
            });
        (format!("anchor `#{frag}` does not exist in `{}`", p.source.path), help)
    }
}

fn replace_last(dest: &str, name: &str, with: &str) -> String {
    match dest.rfind(name) {
        Some(i) => format!("{}{}{}", &dest[..i], with, &dest[i + name.len()..]),
        None => with.to_string(),
    }
}

fn has_scheme(s: &str) -> bool {
    match s.find(':') {
        Some(i) => {
            let scheme = &s[..i];
            !scheme.is_empty()
                && scheme.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'-' || b == b'.')
                && scheme.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
        }
        None => false,
    }
}

/// Joins a relative link to the folder of `from` (root-relative), normalising `.` and `..`.
fn join(from: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
                if parts.is_empty() {
                    return None;
                }
            }
            s => parts.push(s),
        }
    }
    if parts.first() != Some(&"content") || parts.len() < 2 {
        return None;
    }
    Some(parts.join("/"))
}

fn percent_decode(s: &str) -> String {
    String::from_utf8_lossy(&crate::text::percent_decode(s).bytes).into_owned()
}

/// The anchors a page will have.
fn anchors_of(p: &Parsed) -> BTreeSet<String> {
    let mut a: BTreeSet<String> = p.body.headings.iter().map(|h| h.id.clone()).collect();
    if let Some(Matter::Guide(g)) = p.matter.as_deref() {
        a.extend(GUIDE_FIXED_ANCHORS.iter().map(|s| s.to_string()));
        for (name, present) in [
            ("symptoms", !g.symptoms.is_empty()),
            ("causes", !g.causes.is_empty()),
            ("steps", !g.steps.is_empty()),
            ("mistakes", !g.mistakes.is_empty()),
            ("related", !g.related.is_empty()),
        ] {
            if present {
                a.insert(name.to_string());
            }
        }
        a.extend((1..=g.steps.len()).map(|n| format!("step-{n}")));
        a.extend((1..=g.sources.len()).map(|n| format!("source-{n}")));
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_stays_inside_content() {
        assert_eq!(join("content/guides/a.md", "b.md").as_deref(), Some("content/guides/b.md"));
        assert_eq!(join("content/guides/a.md", "../symptoms/f.md").as_deref(), Some("content/symptoms/f.md"));
        assert_eq!(join("content/guides/a.md", "../../x.md"), None);
        assert_eq!(join("content/guides/a.md", "../../../etc/passwd"), None);
        assert_eq!(percent_decode("a%20b"), "a b");
        assert!(has_scheme("https://x"));
        assert!(has_scheme("mailto:a@b"));
        assert!(!has_scheme("a.md"));
        assert!(!has_scheme("a.md#x:y"));
    }
}
