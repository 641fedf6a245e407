//! The search folder's units of the build cache, and what each is made from: a document file
//! (`d<B>.js`) its documents; the rest of the folder (shards and `index.js`) every document.
//!
//! A document is known by its inputs, not made to be hashed: its file (the parse fingerprint:
//! path and text), what it is called and where it goes, the titles and other names of the
//! symptoms and causes a guide lists, and what every document reads ([`site`]: the language,
//! the Markdown settings, the site's words and every shared block). Equal inputs, equal
//! document: [`super::doc`] reads nothing else.

use rayon::prelude::*;

use crate::model::{FileId, Site};
use crate::schema::Kind;

/// What every document reads beyond its own file: the language, whether raw HTML is allowed,
/// the words of the site's language (`with_words`) and every shared block (a guide's steps and
/// signs may be one).
fn site(site: &Site) -> u64 {
    let shared: Vec<(&str, u64)> =
        site.files().filter(|(_, f)| f.kind == Kind::Shared).map(|(_, f)| (f.id.as_str(), f.fingerprint)).collect();
    let c = &site.config;
    crate::fingerprint::hash_of(&(&c.language, c.allow_raw_html, &*site.lang.edition.strings, shared))
}

/// The inputs of each document of `order` (see the module's comment), in order.
pub(super) fn each(s: &Site, order: &[(FileId, &'static str)]) -> Vec<u64> {
    let all = site(s);
    order
        .par_iter()
        .map(|&(i, kind)| {
            let names = |k: Kind, ids: &[crate::schema::Spanned<String>]| -> Vec<(&str, Vec<&str>)> {
                ids.iter()
                    .filter_map(|id| s.find(k, &id.value))
                    .map(|t| {
                        let aliases = s.term(t).map(|t| t.matter.aliases.iter().map(|a| a.value.as_str()).collect());
                        (s.title(t), aliases.unwrap_or_default())
                    })
                    .collect()
            };
            let related =
                s.guide(i).map(|g| [names(Kind::Symptom, &g.matter.symptoms), names(Kind::Cause, &g.matter.causes)]);
            crate::fingerprint::hash_of(&(all, s.file(i).fingerprint, kind, s.title(i), s.out_path(i), related))
        })
        .collect()
}

/// A fingerprint of everything the shards and `index.js` are made from: the language and every
/// document (the inputs of [`each`], in index order).
pub(super) fn fingerprint(site: &Site, each: &[u64]) -> u64 {
    crate::fingerprint::hash_of(&(&site.config.language, each))
}

/// The fingerprint of document file `b`: its number (which numbers its documents) and its
/// documents' inputs ([`each`]); nothing else is written in it.
pub(super) fn file(b: usize, docs: &[u64]) -> u64 {
    crate::fingerprint::hash_of(&("d", b, docs))
}
