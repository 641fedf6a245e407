//! The search folder's units of the build cache, and what each is made from: a document file
//! (`d<B>.js`) its documents; the rest of the folder (shards and `index.js`) every document.

use rayon::prelude::*;

use super::Doc;
use crate::model::Site;

/// The hash of each of `docs`: its title, address, kind, summary and text.
pub(super) fn each(docs: &[Doc<'_>]) -> Vec<u64> {
    docs.par_iter().map(|d| crate::fingerprint::hash_of(&(d.title, d.url, d.kind, d.summary, &d.fields))).collect()
}

/// A fingerprint of everything the index is made from: the language and every document (the
/// hashes of [`each`], in index order).
pub(super) fn fingerprint(site: &Site, each: Vec<u64>) -> u64 {
    crate::fingerprint::hash_of(&(&site.config.language, each))
}

/// The fingerprint of document file `b`: its number (which numbers its documents) and its
/// documents' hashes ([`each`]); nothing else is written in it.
pub(super) fn file(b: usize, docs: &[u64]) -> u64 {
    crate::fingerprint::hash_of(&("d", b, docs))
}
