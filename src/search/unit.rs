//! The search folder's units of the build cache, and what each is made from: a document file
//! (`d<B>.js`) its documents; the rest of the folder (shards and `index.js`) every document.
//!
//! A document is known by its inputs, not made to be hashed: its file (the parse fingerprint:
//! path and text), what it is called and where it goes, the titles and other names of the
//! symptoms and causes a guide lists, and what every document reads ([`site`]: the language,
//! the Markdown settings, the site's words and every shared block). Equal inputs, equal
//! document: [`super::doc`] reads nothing else. So each document's analysis (its term counts,
//! field lengths and phrases) is kept for the next build under its inputs ([`analysed`], the
//! build's memo beside the output): after an edit, only the documents whose inputs changed are
//! made and analysed again for the shards.

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

/// The analysis of each document of `part` (`keys`, their inputs: [`each`]), in order:
/// recalled when the previous build kept it in `memo` (equal inputs, equal document), else made
/// and analysed, and kept.
pub(super) fn analysed(
    site: &Site,
    part: &[(FileId, &'static str)],
    keys: &[u64],
    lang: super::text::Lang,
    memo: Option<&dyn crate::output::Sink>,
) -> Vec<super::index::Analysed> {
    part.par_iter()
        .zip(keys)
        .map(|(&(i, kind), &key)| {
            let recalled = memo.and_then(|m| m.recall(key)).and_then(|bytes| super::index::Analysed::decode(&bytes));
            recalled.unwrap_or_else(|| {
                let a = super::index::analyse(&super::doc(site, i, kind), lang);
                if let Some(memo) = memo {
                    memo.keep(key, &a.encode());
                }
                a
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeSet, HashMap};
    use std::sync::{Mutex, PoisonError};

    use super::{Site, each};
    use crate::output::{Memory, Pieces, Reused, Sink};

    /// A sink that remembers a previous build (of another file: it takes nothing again) and the
    /// values it kept; notes the values this build keeps.
    struct Memo {
        files: Memory,
        previous: HashMap<u64, Vec<u8>>,
        kept: Mutex<HashMap<u64, Vec<u8>>>,
    }

    impl Sink for Memo {
        fn put(&self, path: String, bytes: Vec<u8>) -> anyhow::Result<()> {
            self.files.put(path, bytes)
        }

        fn create<'s>(&'s self, path: &str) -> anyhow::Result<Box<dyn Pieces + 's>> {
            self.files.create(path)
        }

        fn reuse(&self, unit: &str, inputs: u64) -> anyhow::Result<Option<Reused>> {
            self.files.reuse(unit, inputs)
        }

        fn remembers(&self) -> bool {
            true
        }

        fn recall(&self, key: u64) -> Option<Vec<u8>> {
            self.previous.get(&key).cloned()
        }

        fn keep(&self, key: u64, value: &[u8]) {
            self.kept.lock().unwrap_or_else(PoisonError::into_inner).insert(key, value.to_vec());
        }
    }

    fn site() -> Site {
        let mut opts = crate::Options::new(std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")));
        opts.today = jiff::civil::date(2026, 11, 26);
        let outcome = crate::run(&opts, crate::Goal::Preview, None).expect("the site is readable");
        outcome.site.expect("the site has no errors").0
    }

    /// The search files made with the analyses `previous` kept, and the analyses kept.
    fn build(site: &Site, previous: HashMap<u64, Vec<u8>>) -> (Vec<crate::output::OutputFile>, HashMap<u64, Vec<u8>>) {
        let sink = Memo { files: Memory::since("elsewhere", 0), previous, kept: Mutex::default() };
        super::super::write(site, &sink).expect("written");
        let kept = sink.kept.into_inner().unwrap_or_else(PoisonError::into_inner);
        (sink.files.into_files(), kept)
    }

    /// A document analysed by the previous build (its inputs unchanged) is not analysed again,
    /// and the index is the one made from every document anew; a document changed, or whose
    /// kept analysis does not read, is analysed again.
    #[test]
    fn only_documents_without_a_kept_analysis_are_analysed() {
        let site = site();
        let plain = Memory::default();
        super::super::write(&site, &plain).expect("written");
        let files = plain.into_files();
        let keys = each(&site, &super::super::order(&site));
        assert!(keys.len() > 20, "too few documents");

        let (first, kept) = build(&site, HashMap::new());
        assert!(first == files, "a build keeping the analyses makes the plain files");
        assert_eq!(kept.keys().collect::<BTreeSet<_>>(), keys.iter().collect(), "every document's analysis is kept");

        let (again, made) = build(&site, kept.clone());
        assert!(again == files, "a build from the kept analyses makes the plain files");
        assert!(made.is_empty(), "{} documents analysed again", made.len());

        let mut previous = kept;
        previous.remove(&keys[3]);
        previous.insert(keys[7], vec![0xff]);
        let (again, made) = build(&site, previous);
        assert!(again == files, "a build from some kept analyses makes the plain files");
        assert_eq!(made.keys().collect::<BTreeSet<_>>(), BTreeSet::from([&keys[3], &keys[7]]));
    }

    /// An analysis reads back as it was, on every document of the shipped site.
    #[test]
    fn an_analysis_reads_back_as_kept() {
        let site = site();
        let docs = super::super::docs(&site);
        let lang = super::super::text::Lang::of(&site.config.language);
        for d in &docs {
            let a = super::super::index::analyse(d, lang);
            assert_eq!(super::super::index::Analysed::decode(&a.encode()).as_ref(), Some(&a), "{}", d.url);
        }
    }
}
