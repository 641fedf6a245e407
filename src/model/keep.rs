//! The model kept from one build to the next (`serve`): the parts of [`Site`] that hold the whole
//! site — output paths, ids, the sorted lists, backlinks, red flags — are made again only when
//! what they read of a file changed. Each file's [`Key`] is what they read of it; after a
//! one-guide edit that keeps the guide's title, order, references and flags' urgencies, the last
//! build's parts are taken as they are, and only each list entry's front matter is taken anew.
//! An edit that changes only titles or `order` keeps the paths, ids and places, and sorts the
//! lists again from the kept keys (no title is lower-cased again); the backlinks and red flags,
//! which follow guide order, are made again only when the guides' order changed.

use std::collections::HashMap;
use std::sync::Arc;

use super::{FileId, FlagRef, Place, Site};
use crate::parse::Parsed;
use crate::schema::{Kind, Matter, Urgency};

/// What the whole-site parts of the model read of one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Key {
    kind: Kind,
    id: String,
    /// Typed, and listed (not a draft left out).
    listed: bool,
    /// The sort key: `order` (guides), then the title in lower case.
    order: Option<i64>,
    title: String,
    /// The symptoms and causes a guide names (`symptoms`, `causes`, each flag's `symptom`).
    refs: Vec<(Kind, String)>,
    /// Each red flag's urgency and symptom.
    flags: Vec<(Urgency, Option<String>)>,
}

impl Key {
    /// Does `other` differ from this key only in what sorts the lists (title, `order`)?
    fn same_but_sort(&self, other: &Key) -> bool {
        (self.kind, &self.id, self.listed, &self.refs, &self.flags)
            == (other.kind, &other.id, other.listed, &other.refs, &other.flags)
    }

    /// Where the file goes in its list, as [`super::lists`] sorts it: guides by `order` (those
    /// without one last), then each list by lower-case title, then id.
    fn sort_key(&self) -> (bool, Option<i64>, &str, &str) {
        (self.order.is_none(), self.order, &self.title, &self.id)
    }

    /// The key of `file` as the model sees it (shared items put in place).
    pub(super) fn of(file: &Parsed, listed: bool) -> Key {
        let (mut order, mut refs, mut flags) = (None, Vec::new(), Vec::new());
        let title = match file.matter.as_deref() {
            Some(Matter::Guide(g)) => {
                order = g.order;
                let ids = |k: Kind, list: &[crate::schema::Spanned<String>]| {
                    list.iter().map(move |s| (k, s.value.clone())).collect::<Vec<_>>()
                };
                refs = [ids(Kind::Symptom, &g.symptoms), ids(Kind::Cause, &g.causes)].concat();
                flags = g
                    .see_a_doctor
                    .iter()
                    .map(|f| (f.urgency.value, f.symptom.as_ref().map(|s| s.value.clone())))
                    .collect();
                g.title.value.to_lowercase()
            }
            Some(Matter::Term(t)) => t.title.value.to_lowercase(),
            Some(Matter::Page(p)) => p.title.value.to_lowercase(),
            Some(Matter::Shared(_)) | None => String::new(),
        };
        Key { kind: file.kind, id: file.id.clone(), listed, order, title, refs, flags }
    }
}

/// The whole-site parts of the last site built with this cache, and each file's key.
#[derive(Default)]
pub(crate) struct Cache {
    last: Option<Kept>,
}

/// What is kept.
struct Kept {
    drafts: bool,
    /// Per file of the last build: its path, fingerprint and key.
    files: Vec<(String, u64, Arc<Key>)>,
    parts: Parts,
}

/// The parts of a [`Site`] that hold the whole site.
#[derive(Clone)]
pub(super) struct Parts {
    pub(super) out_paths: Arc<Vec<String>>,
    pub(super) index_ids: Arc<HashMap<Kind, HashMap<String, FileId>>>,
    pub(super) places: Vec<Option<Place>>,
    /// The files of each list in order: guides, symptoms, causes, pages.
    pub(super) order: [Vec<FileId>; 4],
    pub(super) backlinks: HashMap<FileId, Vec<FileId>>,
    pub(super) red_flags: Vec<FlagRef>,
    pub(super) flags_of_symptom: HashMap<FileId, Vec<FlagRef>>,
}

/// The last build's parts as they hold for this one ([`Cache::parts`]).
pub(super) struct Taken {
    pub(super) parts: Parts,
    /// The guides' order changed: the backlinks and red flags (in guide order) are to be made again.
    pub(super) guides_moved: bool,
}

impl Cache {
    /// The last build's parts, if they hold for `files` (after shared items were put in place):
    /// the same files in the same order, and every changed file's key the same, or different only
    /// in what sorts the lists (then the lists are sorted again). A shared block changed: its
    /// guides may have changed unseen, so no.
    pub(super) fn parts(&self, files: &[Parsed], drafts: bool) -> Option<Taken> {
        let last = self.last.as_ref().filter(|k| k.drafts == drafts && k.files.len() == files.len())?;
        // The keys that changed only in what sorts the lists, by file.
        let mut resorted: HashMap<FileId, Key> = HashMap::new();
        for ((i, f), (path, fingerprint, key)) in FileId::all(files.len()).zip(files).zip(&last.files) {
            if f.source.path != *path {
                return None;
            }
            if f.fingerprint == *fingerprint {
                continue;
            }
            if f.kind == Kind::Shared {
                return None;
            }
            let new = Key::of(f, super::is_listed(f, drafts));
            if new != **key {
                if !new.same_but_sort(key) {
                    return None;
                }
                resorted.insert(i, new);
            }
        }
        let mut parts = last.parts.clone();
        let mut guides_moved = false;
        if !resorted.is_empty() {
            let key = |i: &FileId| resorted.get(i).unwrap_or_else(|| &*last.files[i.index()].2).sort_key();
            for (n, list) in parts.order.iter_mut().enumerate() {
                let before = (n == 0).then(|| list.clone());
                list.sort_by(|a, b| key(a).cmp(&key(b)));
                guides_moved |= before.is_some_and(|b| b != *list);
            }
        }
        Some(Taken { parts, guides_moved })
    }

    /// Keeps `site`'s parts and its files' keys (made again only for changed files).
    pub(super) fn keep(&mut self, site: &Site, drafts: bool) {
        let mut last = self.last.take().filter(|k| k.drafts == drafts);
        let same = |f: &Parsed, fingerprint: u64| f.fingerprint == fingerprint;
        let shared_changed = match &last {
            Some(k) => {
                k.files.len() != site.files.len()
                    || site
                        .files
                        .iter()
                        .zip(&k.files)
                        .any(|(f, (p, fp, _))| f.source.path != *p || (f.kind == Kind::Shared && !same(f, *fp)))
            }
            None => true,
        };
        let mut files = match last.take() {
            // The same files: only the keys of the changed ones are made again.
            Some(k) if !shared_changed => k.files,
            _ => Vec::new(),
        };
        if files.is_empty() {
            files = site
                .files
                .iter()
                .map(|f| (f.source.path.clone(), 0, Arc::new(Key::of(f, super::is_listed(f, drafts)))))
                .collect();
            files.iter_mut().zip(&site.files).for_each(|(k, f)| k.1 = f.fingerprint);
        } else {
            for ((_, fp, key), f) in files.iter_mut().zip(&site.files) {
                if !same(f, *fp) {
                    *fp = f.fingerprint;
                    *key = Arc::new(Key::of(f, super::is_listed(f, drafts)));
                }
            }
        }
        let order = [
            site.guides.iter().map(|g| g.file).collect(),
            site.symptoms.iter().map(|t| t.file).collect(),
            site.causes.iter().map(|t| t.file).collect(),
            site.pages.iter().map(|p| p.file).collect(),
        ];
        let parts = Parts {
            out_paths: Arc::clone(&site.out_paths),
            index_ids: Arc::clone(&site.index_ids),
            places: site.places.clone(),
            order,
            backlinks: site.backlinks.clone(),
            red_flags: site.red_flags.clone(),
            flags_of_symptom: site.flags_of_symptom.clone(),
        };
        self.last = Some(Kept { drafts, files, parts });
    }
}
