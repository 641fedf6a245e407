//! What checking each file gave, kept between builds (`serve`): a file is checked again only when
//! it changed ([`Parsed::fingerprint`]) or when what its check reads of the other files did (the
//! index's fingerprint, [`Index::fingerprint`]). The whole-site checks (duplicate ids, orphans,
//! `static/`, name clashes) run every time.

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use super::{FileChecks, FileId, Index, check_file};
use crate::parse::Parsed;

/// The checks of the last build, by file path.
#[derive(Default)]
pub(crate) struct Cache {
    /// What the entries were checked against: the parse options and the index's fingerprint.
    key: Option<(crate::parse::Options, u64)>,
    files: HashMap<String, Entry>,
    /// Each file's anchors, by path, with the fingerprint of the file they were made from.
    anchors: HashMap<String, (u64, super::index::Anchors)>,
}

/// One file's check: the file's fingerprint and place, and what checking it gave.
struct Entry {
    fingerprint: u64,
    id: FileId,
    checks: Arc<FileChecks>,
}

impl Cache {
    /// Each file's anchors, in file order: taken from the last build for a file whose fingerprint
    /// is unchanged, made for the others; this build's are kept.
    pub(crate) fn anchors(&mut self, parsed: &[Parsed]) -> Vec<super::index::Anchors> {
        let known = &self.anchors;
        let anchors: Vec<(super::index::Anchors, bool)> = parsed
            .par_iter()
            .map(|p| match known.get(&p.source.path) {
                Some((fingerprint, a)) if *fingerprint == p.fingerprint => (Arc::clone(a), false),
                _ => (super::index::anchors(p), true),
            })
            .collect();
        for (p, (a, new)) in parsed.iter().zip(&anchors) {
            if *new {
                self.anchors.insert(p.source.path.clone(), (p.fingerprint, Arc::clone(a)));
            }
        }
        forget_gone(&mut self.anchors, parsed);
        anchors.into_iter().map(|(a, _)| a).collect()
    }

    /// Each file's checks, in file order: taken from the last build for a file whose fingerprint,
    /// place and index are unchanged, made again for the others; this build's are kept.
    pub(super) fn checks(
        &mut self,
        parsed: &[Parsed],
        index: &Index,
        popts: crate::parse::Options,
    ) -> Vec<Arc<FileChecks>> {
        let key = Some((popts, index.fingerprint()));
        if self.key != key {
            self.files.clear();
        }
        self.key = key;
        let known = &self.files;
        let checks: Vec<(Arc<FileChecks>, bool)> = parsed
            .par_iter()
            .enumerate()
            .map(|(i, p)| match known.get(&p.source.path) {
                Some(e) if e.fingerprint == p.fingerprint && e.id == FileId(i) => (Arc::clone(&e.checks), false),
                _ => (Arc::new(check_file(index, FileId(i), p)), true),
            })
            .collect();
        // Updated in place: after a one-file edit, one entry changes.
        for (i, (p, (c, new))) in parsed.iter().zip(&checks).enumerate() {
            if *new {
                let entry = Entry { fingerprint: p.fingerprint, id: FileId(i), checks: Arc::clone(c) };
                self.files.insert(p.source.path.clone(), entry);
            }
        }
        forget_gone(&mut self.files, parsed);
        let checks: Vec<Arc<FileChecks>> = checks.into_iter().map(|(c, _)| c).collect();
        checks
    }
}

/// Drops the entries of `map` whose file is not among `parsed` (there are more entries than files
/// only when one went).
fn forget_gone<V>(map: &mut HashMap<String, V>, parsed: &[Parsed]) {
    if map.len() != parsed.len() {
        let here: rustc_hash::FxHashSet<&str> = parsed.iter().map(|p| p.source.path.as_str()).collect();
        map.retain(|path, _| here.contains(path.as_str()));
    }
}
