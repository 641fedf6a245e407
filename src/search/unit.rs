//! The search folder as one unit of the build cache: what it is made from.

use rayon::prelude::*;

use super::Doc;
use crate::model::Site;

/// A fingerprint of everything the index is made from: the language and every document.
pub(super) fn fingerprint(site: &Site, docs: &[Doc<'_>]) -> u64 {
    use std::hash::{Hash, Hasher};
    let each: Vec<u64> = docs
        .par_iter()
        .map(|d| {
            let mut h = std::hash::DefaultHasher::new();
            (d.title, d.url, d.kind, d.summary, &d.fields).hash(&mut h);
            h.finish()
        })
        .collect();
    let mut h = std::hash::DefaultHasher::new();
    (&site.config.language, each).hash(&mut h);
    h.finish()
}
