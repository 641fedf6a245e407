//! The search folder as one unit of the build cache: what it is made from.

use rayon::prelude::*;

use super::Doc;
use crate::model::Site;

/// The hash of each of `docs`: its title, address, kind, summary and text.
pub(super) fn each(docs: &[Doc<'_>]) -> Vec<u64> {
    use std::hash::{Hash, Hasher};
    docs.par_iter()
        .map(|d| {
            let mut h = crate::fingerprint::hasher();
            (d.title, d.url, d.kind, d.summary, &d.fields).hash(&mut h);
            h.finish()
        })
        .collect()
}

/// A fingerprint of everything the index is made from: the language and every document (the
/// hashes of [`each`], in index order).
pub(super) fn fingerprint(site: &Site, each: Vec<u64>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    (&site.config.language, each).hash(&mut h);
    h.finish()
}
