//! What checking each file gave, kept between builds (`serve`): a file is checked again only when
//! it changed ([`Parsed::fingerprint`]) or when what its check reads of the other files did (the
//! index's fingerprint, [`Index::fingerprint`]). The whole-site checks (duplicate ids, orphans,
//! `static/`, name clashes) run every time.

use rayon::prelude::*;
use std::collections::HashMap;
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
        let old = std::mem::take(&mut self.anchors);
        let anchors: Vec<super::index::Anchors> = parsed
            .par_iter()
            .map(|p| match old.get(&p.source.path) {
                Some((fingerprint, a)) if *fingerprint == p.fingerprint => Arc::clone(a),
                _ => super::index::anchors(p),
            })
            .collect();
        crate::pipeline::drop_later(old);
        self.anchors =
            parsed.iter().zip(&anchors).map(|(p, a)| (p.source.path.clone(), (p.fingerprint, Arc::clone(a)))).collect();
        anchors
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
        let old = if self.key == key { std::mem::take(&mut self.files) } else { HashMap::new() };
        self.key = key;
        let checks: Vec<Arc<FileChecks>> = parsed
            .par_iter()
            .enumerate()
            .map(|(i, p)| match old.get(&p.source.path) {
                Some(e) if e.fingerprint == p.fingerprint && e.id == FileId(i) => Arc::clone(&e.checks),
                _ => Arc::new(check_file(index, FileId(i), p)),
            })
            .collect();
        // The old entries are dropped on another thread: thousands of small allocations.
        crate::pipeline::drop_later(old);
        self.files = parsed
            .iter()
            .zip(&checks)
            .enumerate()
            .map(|(i, (p, c))| {
                let entry = Entry { fingerprint: p.fingerprint, id: FileId(i), checks: Arc::clone(c) };
                (p.source.path.clone(), entry)
            })
            .collect();
        checks
    }
}
