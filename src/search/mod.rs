//! The offline search index: an inverted index (term → postings of document, BM25F impact and
//! fields), built at build time and written as classic `<script>` files under `search/`, so that
//! search.js works from `file://` and a query loads only what its words need.
//!
//! ```text
//! search/index.js   CAREBOOK_SEARCH_INDEX({v, lang, n, kinds, terms, df, shards, docs})
//!                   the sorted term list with each term's document frequency; `shards` is how
//!                   many consecutive terms each shard holds (shards are ranges of terms, i.e. of
//!                   term prefixes)
//! search/s<K>.js    CAREBOOK_SEARCH_SHARD(K, {term: "postings", "term next": "docs",
//!                   "=term next": "docs"})   postings of shard K's terms; the documents whose
//!                   title or other name has the two terms side by side (phrase bonus); those
//!                   with a whole name (a title part or other name) of just these terms
//! search/d<B>.js    CAREBOOK_SEARCH_DOC(N, {t, u, k, s, x}) for each document N of file B
//!                   (N / docs = B): title, address, kind, summary and the page's other readable
//!                   sentences, for the result list and its snippet (each text stored once)
//! ```
//!
//! Postings are text, not JSON arrays of numbers: 2–3 characters a posting instead of 6–8, and a
//! string is parsed many times faster than an array literal (a common word at 10,000 guides has
//! 10,000 postings). Digits are [`DIGITS`]; a document list is, per document, the difference to
//! the previous one as a [`push_varint`] number; a term's postings add, after each difference,
//! impact*8+flags in two digits. The impact is the term's BM25F weight in the document without
//! the IDF (search.js multiplies by the IDF from `df`), as a share of its limit, 1 to 255.
//! Flags: 1 the title has the term, 2 another name (alias) has it, 4 a heading has it.

mod blocks;
mod index;
#[cfg(test)]
mod plain;
pub(crate) mod stem;
pub(crate) mod stem_ru;
pub(crate) mod text;
mod unit;

use crate::markdown::{self, MdOptions};
use crate::model::{FileId, Site};
use crate::output::Sink;
use crate::schema::Spanned;
use blocks::{html_text, sentences};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use text::Lang;

/// How many consecutive documents one `d<B>.js` file holds: one file per page made 12,000
/// files at 10,000 guides (too many to host and precache); the ten results of a query are
/// mostly in ten files, so a few per file keeps what they load small (8 loaded ~530 KB at
/// 10,000 guides, over the 500 KB before the first result; 4 about half).
const DOCS_PER_FILE: usize = 4;

/// Where the index files go in the output.
pub(crate) const DIR: &str = "search/";

/// A field a document's words come from: its BM25F weight, its length normalisation (b) and
/// the flag it sets on postings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Field {
    Title,
    Alias,
    Heading,
    Summary,
    StepTitle,
    StepText,
    Caution,
    Mistake,
    Sign,
    Related,
    Body,
}

const FIELDS: usize = 11;

/// Every field, in the order of their numbers: a term's weights are added in this order.
const ALL: [Field; FIELDS] = [
    Field::Title,
    Field::Alias,
    Field::Heading,
    Field::Summary,
    Field::StepTitle,
    Field::StepText,
    Field::Caution,
    Field::Mistake,
    Field::Sign,
    Field::Related,
    Field::Body,
];

impl Field {
    fn weight(self) -> f64 {
        match self {
            Field::Title => 10.0,
            Field::Alias => 8.0,
            Field::Heading => 4.0,
            Field::Summary => 3.0,
            Field::StepTitle => 3.0,
            Field::StepText => 1.5,
            Field::Caution | Field::Mistake => 2.0,
            // A warning sign is what a worried reader most needs to find.
            Field::Sign => 3.0,
            Field::Related => 1.0,
            Field::Body => 1.0,
        }
    }

    /// Short fields are barely normalised by length: a title is short by nature.
    fn b(self) -> f64 {
        match self {
            Field::Title | Field::Alias => 0.3,
            _ => 0.75,
        }
    }

    fn flag(self) -> u32 {
        match self {
            Field::Title => 1,
            Field::Alias => 2,
            Field::Heading => 4,
            _ => 0,
        }
    }
}

/// BM25 saturation: how fast more occurrences stop adding.
const K1: f64 = 3.0;

/// Names (title parts, other names) of at most this many terms are indexed whole.
const MAX_NAME_TERMS: usize = 5;

/// Roughly how many bytes of postings one shard file holds (a single common term may hold more).
const SHARD_BYTES: usize = 16 * 1024;

/// One document's readable text, by field, and its sentences for snippets.
struct Doc<'a> {
    title: &'a str,
    url: &'a str,
    kind: &'static str,
    summary: &'a str,
    fields: Vec<(Field, String)>,
}

/// The text of an inline Markdown field (rendered, tags stripped) or the plain text itself.
fn field_text(site: &Site, i: FileId, s: &Spanned<String>) -> String {
    match site.file(i).inline_doc(&s.span) {
        Some(doc) => html_text(&markdown::with_words(doc, |w| site.lang.edition.word(w))).join(" "),
        None => s.value.clone(),
    }
}

/// Everything a reader can read on page `i`, by field.
fn doc<'a>(site: &'a Site, i: FileId, kind: &'static str) -> Doc<'a> {
    let f = site.file(i);
    let mut fields: Vec<(Field, String)> = Vec::new();
    let mut summary = "";
    if let Some(g) = site.guide(i).map(|g| &*g.matter) {
        summary = &g.summary.value;
        fields.push((Field::Summary, field_text(site, i, &g.summary)));
        for s in &g.steps {
            fields.push((Field::StepTitle, s.title.value.clone()));
            fields.push((Field::StepText, field_text(site, i, &s.text)));
            if let Some(c) = &s.caution {
                fields.push((Field::Caution, field_text(site, i, c)));
            }
        }
        for m in &g.mistakes {
            fields.push((Field::Mistake, field_text(site, i, &m.mistake)));
            fields.push((Field::Mistake, field_text(site, i, &m.instead)));
            if let Some(w) = &m.why {
                fields.push((Field::Mistake, field_text(site, i, w)));
            }
        }
        for r in &g.see_a_doctor {
            fields.push((Field::Sign, field_text(site, i, &r.sign)));
        }
        let listed = g
            .symptoms
            .iter()
            .filter_map(|id| site.find(crate::schema::Kind::Symptom, &id.value))
            .chain(g.causes.iter().filter_map(|id| site.find(crate::schema::Kind::Cause, &id.value)));
        for t in listed {
            fields.push((Field::Related, site.title(t).to_string()));
            if let Some(term) = site.term(t) {
                fields.extend(term.matter.aliases.iter().map(|a| (Field::Related, a.value.clone())));
            }
        }
    } else if let Some(t) = site.term(i).map(|t| &*t.matter) {
        summary = &t.summary.value;
        fields.push((Field::Summary, field_text(site, i, &t.summary)));
        fields.extend(t.aliases.iter().map(|a| (Field::Alias, a.value.clone())));
        fields.extend(t.prevention.iter().map(|p| (Field::Body, field_text(site, i, p))));
    } else if let Some(p) = site.page(i).map(|p| &*p.matter)
        && let Some(s) = &p.summary
    {
        summary = &s.value;
        fields.push((Field::Summary, field_text(site, i, s)));
    }
    fields.extend(f.body.headings.iter().map(|h| (Field::Heading, h.text.clone())));
    let md = MdOptions { allow_raw_html: site.config.allow_raw_html, skip_html: false };
    let word = |w| site.lang.edition.word(w);
    let body = if f.body_has_html {
        html_text(&markdown::with_words(&f.body, word))
    } else {
        html_text(&markdown::with_words(&f.body_html(md), word))
    };
    let headings: Vec<&str> = f.body.headings.iter().map(|h| h.text.as_str()).collect();
    // Headings are their own field; their blocks are not counted again as body.
    fields.extend(body.into_iter().filter(|b| !headings.contains(&b.as_str())).map(|b| (Field::Body, b)));
    Doc { title: site.title(i), url: site.out_path(i), kind, summary, fields }
}

/// Every document of the index, in index order (guides, symptoms, causes, pages): its file and
/// kind.
fn order(site: &Site) -> Vec<(FileId, &'static str)> {
    let mut order: Vec<(FileId, &'static str)> = Vec::new();
    for (list, k) in lists(site).into_iter().zip(["guide", "symptom", "cause", "page"]) {
        order.extend(list.into_iter().map(|i| (i, k)));
    }
    order
}

/// The documents of `order`, made in parallel.
fn docs_of<'a>(site: &'a Site, order: &[(FileId, &'static str)]) -> Vec<Doc<'a>> {
    order.par_iter().map(|&(i, kind)| doc(site, i, kind)).collect()
}

/// Every document of the index, in index order.
#[cfg(test)]
fn docs(site: &Site) -> Vec<Doc<'_>> {
    docs_of(site, &order(site))
}

/// Each term's postings: (document, BM25 share * 8 + field flags), by document.
type Postings = BTreeMap<String, Vec<(u32, u32)>>;

/// Each phrase's documents: bigrams (`a b`) and whole names (`=a b`).
type Phrases = BTreeMap<String, Vec<u32>>;

/// Where the index's files go, from any thread.
type Put<'p> = &'p (dyn Fn(String, Vec<u8>) -> anyhow::Result<()> + Sync);

/// Makes the index files of `site` and hands each to `put` as it is made; returns the
/// fingerprint of the shards and `index.js` ([`unit::fingerprint`]). The documents are made,
/// analysed and their files written a chunk at a time ([`index::CHUNK`]), so no more than a
/// chunk's text is held; then the shards and `index.js`. With `docs` `None`, the document files
/// are not made (a warm build made those it needed already, [`doc_files`]); with a sink, each is
/// told its fingerprint once made.
///
/// With `memo`, each document's analysis (its term counts) is kept for the next build, under
/// the document's inputs; when the document files are not made, a document whose analysis the
/// previous build kept is neither made nor analysed again ([`unit::analysed`]).
fn build_into(
    site: &Site,
    put: Put<'_>,
    docs: Option<Option<&dyn Sink>>,
    memo: Option<&dyn Sink>,
) -> anyhow::Result<u64> {
    const { assert!(index::CHUNK.is_multiple_of(DOCS_PER_FILE), "a chunk's documents fill whole files") };
    let lang = Lang::of(&site.config.language);
    let order = order(site);
    let inputs = unit::each(site, &order);
    let mut builder = index::Builder::new(lang);
    for (c, part) in order.chunks(index::CHUNK).enumerate() {
        let keys = &inputs[c * index::CHUNK..][..part.len()];
        let Some(tell) = docs else {
            builder.add_analysed(unit::analysed(site, part, keys, lang, memo));
            continue;
        };
        let made = docs_of(site, part);
        let analysed = builder.analyse(&made);
        if let Some(memo) = memo {
            analysed.par_iter().zip(keys).for_each(|(a, &key)| memo.keep(key, &a.encode()));
        }
        builder.add_analysed(analysed);
        let first = c * index::CHUNK / DOCS_PER_FILE;
        made.par_chunks(DOCS_PER_FILE).zip(keys.par_chunks(DOCS_PER_FILE)).enumerate().try_for_each(
            |(b, (chunk, keys))| {
                put(doc_path(first + b), doc_file(chunk, first + b)?)?;
                tell.map_or(Ok(()), |sink| sink.reuse(&doc_path(first + b), unit::file(first + b, keys)).map(drop))
            },
        )?;
    }
    let (postings, phrases) = builder.finish();
    let shard_counts = shards(&postings, &phrases, put)?;
    drop(phrases);
    let kinds: String = order.iter().map(|(_, kind)| &kind[..1]).collect();
    let terms: Vec<&str> = postings.keys().map(String::as_str).collect();
    let df: Vec<usize> = postings.values().map(Vec::len).collect();
    let meta = serde_json::json!({
        "v": 2,
        "lang": lang.code(),
        "n": order.len(),
        "kinds": kinds,
        "terms": terms.join(" "),
        "df": df,
        "shards": shard_counts,
        "docs": DOCS_PER_FILE,
    });
    put(format!("{DIR}index.js"), format!("CAREBOOK_SEARCH_INDEX({meta});\n").into_bytes())?;
    Ok(unit::fingerprint(site, &inputs))
}

/// A warm build's document files: each told its fingerprint, from its documents' inputs
/// (`inputs`, in index order), and made only when `sink` did not take it again; no other
/// document is made.
fn doc_files(site: &Site, order: &[(FileId, &'static str)], inputs: &[u64], sink: &dyn Sink) -> anyhow::Result<()> {
    let files: Vec<(usize, &[(FileId, &'static str)])> = order.chunks(DOCS_PER_FILE).enumerate().collect();
    files.par_iter().zip(inputs.par_chunks(DOCS_PER_FILE)).try_for_each(|(&(b, part), keys)| {
        let path = doc_path(b);
        if sink.reuse(&path, unit::file(b, keys))?.is_none() {
            sink.put(path, doc_file(&docs_of(site, part), b)?)?;
        }
        anyhow::Ok(())
    })
}

/// Puts the shard files, each as soon as it is made (they grow with the guides, 0.7 MB at 1,000:
/// held until the last was made, they were all in the peak at 100,000): consecutive terms until
/// about [`SHARD_BYTES`], a phrase with its first term. Says how many terms each holds.
fn shards(postings: &Postings, phrases: &Phrases, put: Put<'_>) -> anyhow::Result<Vec<usize>> {
    // Shards: consecutive terms until about SHARD_BYTES; a phrase goes with its first term.
    let mut phrase_of: BTreeMap<&str, Vec<(&str, &Vec<u32>)>> = BTreeMap::new();
    for (p, docs) in phrases {
        let first = p.trim_start_matches('=').split(' ').next().unwrap_or("");
        phrase_of.entry(first).or_default().push((p, docs));
    }
    let mut shard_counts: Vec<usize> = Vec::new();
    let mut cur = String::new();
    let mut cur_terms = 0;
    let flush = |cur: &mut String, cur_terms: &mut usize, counts: &mut Vec<usize>| -> anyhow::Result<()> {
        if *cur_terms == 0 {
            return Ok(());
        }
        let k = counts.len();
        put(format!("{DIR}s{k}.js"), format!("CAREBOOK_SEARCH_SHARD({k},{{{cur}}});\n").into_bytes())?;
        counts.push(*cur_terms);
        cur.clear();
        *cur_terms = 0;
        Ok(())
    };
    for (term, list) in postings {
        if !cur.is_empty() {
            cur.push(',');
        }
        push_json_str(&mut cur, term);
        cur.push_str(":\"");
        let mut prev = 0;
        for &(d, v) in list {
            push_varint(&mut cur, d - prev);
            cur.push(char::from(DIGITS[(v >> 6) as usize & 63]));
            cur.push(char::from(DIGITS[v as usize & 63]));
            prev = d;
        }
        cur.push('"');
        for (p, docs) in phrase_of.get(term.as_str()).into_iter().flatten() {
            cur.push(',');
            push_json_str(&mut cur, p);
            cur.push_str(":\"");
            let mut prev = 0;
            for &d in docs.iter() {
                push_varint(&mut cur, d - prev);
                prev = d;
            }
            cur.push('"');
        }
        cur_terms += 1;
        if cur.len() >= SHARD_BYTES {
            flush(&mut cur, &mut cur_terms, &mut shard_counts)?;
        }
    }
    flush(&mut cur, &mut cur_terms, &mut shard_counts)?;
    Ok(shard_counts)
}

/// The path of document file `b`.
fn doc_path(b: usize) -> String {
    format!("{DIR}d{b}.js")
}

/// Document file `b`: its [`DOCS_PER_FILE`] documents' titles, addresses, kinds, summaries and
/// sentences.
fn doc_file(chunk: &[Doc<'_>], b: usize) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    for (j, d) in chunk.iter().enumerate() {
        let n = b * DOCS_PER_FILE + j;
        let mut x = Vec::new();
        for (field, text) in &d.fields {
            if !matches!(field, Field::Related | Field::Summary) {
                sentences(text, &mut x);
            }
        }
        // A sentence said twice (a shared block, a step repeated as a sign) is shown once.
        let mut seen = rustc_hash::FxHashSet::default();
        let x: Vec<&str> = x.iter().map(String::as_str).filter(|s| seen.insert(*s)).collect();
        out.extend_from_slice(format!("CAREBOOK_SEARCH_DOC({n},").as_bytes());
        let v = DocJson { k: d.kind, s: d.summary, t: d.title, u: d.url, x: &x };
        serde_json::to_writer(&mut out, &v)?;
        out.extend_from_slice(b");\n");
    }
    Ok(out)
}

/// One document of a `d<B>.js` file as JSON: its keys in the sorted order a JSON map
/// (`serde_json::json!`, which this was) writes them in, the same bytes without making a map of
/// copies of every sentence first.
#[derive(serde::Serialize)]
struct DocJson<'a> {
    k: &'a str,
    s: &'a str,
    t: &'a str,
    u: &'a str,
    x: &'a [&'a str],
}

/// The 64 digits of postings' text (see the module's comment): none needs escaping in JSON or JS.
const DIGITS: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/// `n` in base 32, most significant digit first, every digit but the last raised by 32 (so a
/// reader knows where a number ends): 0–31 take one digit, up to 1023 two.
fn push_varint(out: &mut String, n: u32) {
    let mut groups = [0u8; 7];
    let mut len = 0;
    let mut rest = n;
    loop {
        groups[len] = (rest & 31) as u8;
        len += 1;
        rest >>= 5;
        if rest == 0 {
            break;
        }
    }
    for k in (0..len).rev() {
        let more = if k > 0 { 32 } else { 0 };
        out.push(char::from(DIGITS[usize::from(groups[k] + more)]));
    }
}

fn push_json_str(out: &mut String, s: &str) {
    // Terms are folded words (letters and digits) and one space: nothing to escape but safety.
    out.push_str(&serde_json::Value::String(s.to_string()).to_string());
}

/// Writes the search index files into `sink`.
///
/// Each document file (`d<B>.js`) is a unit of the build cache, made from its documents alone;
/// the shards and `index.js` are the other unit (`search/`), made from every document (a term's
/// weight in one document depends on every document's field lengths). A sink that may take
/// files again is told each fingerprint first, worked out from what the documents are made
/// of ([`unit::each`]) without making them: only the document files it did not take again are
/// made, and only when a document changed are they all made and analysed for the shards. Any
/// other sink is told once the files are made.
///
/// # Errors
///
/// Whatever the sink refuses.
pub(crate) fn write(site: &Site, sink: &dyn Sink) -> anyhow::Result<()> {
    let put = |path, bytes| sink.put(path, bytes);
    if sink.remembers() {
        let order = order(site);
        let inputs = unit::each(site, &order);
        doc_files(site, &order, &inputs, sink)?;
        if sink.reuse(DIR, unit::fingerprint(site, &inputs))?.is_some() {
            // Each document's analysis is kept for the next build all the same.
            inputs.iter().for_each(|&key| drop(sink.recall(key)));
            return Ok(());
        }
        build_into(site, &put, None, Some(sink))?;
    } else {
        let inputs = build_into(site, &put, Some(Some(sink)), Some(sink))?;
        sink.reuse(DIR, inputs)?;
    }
    Ok(())
}

/// The one search file at `path` (`search/…`), as [`write`] makes it; `None` if there is none.
///
/// Every file depends on the whole site, so the index of the last site asked about is kept:
/// `serve` asks for one file at a time.
pub(crate) fn file(site: &Site, path: &str) -> Option<Vec<u8>> {
    if !path.starts_with(DIR) {
        return None;
    }
    let key = Key::of(site);
    let mut cache = CACHE.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let built = match &*cache {
        Some((k, built)) if *k == key => std::sync::Arc::clone(built),
        _ => {
            let files = std::sync::Mutex::new(Files::new());
            let put = |path, bytes| {
                files.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(path, bytes);
                Ok(())
            };
            // Nothing refuses a file here.
            let _ = build_into(site, &put, Some(None), None);
            let built = std::sync::Arc::new(files.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner));
            *cache = Some((key, std::sync::Arc::clone(&built)));
            built
        }
    };
    built.get(path).cloned()
}

/// The last index [`file`] built, and what it was built from.
static CACHE: std::sync::Mutex<Option<(Key, std::sync::Arc<Files>)>> = std::sync::Mutex::new(None);

/// The index's files by path.
type Files = HashMap<String, Vec<u8>>;

/// What an index is made from: the language and Markdown settings, the lists of pages, and
/// every file's id, front matter and body. Front matter and bodies are shared (`Arc`) and never
/// change once parsed, so the same pointers mean the same content; the key holds them, so no
/// new file can take their address while it is kept.
struct Key {
    language: String,
    raw_html: bool,
    lists: [Vec<FileId>; 4],
    files: Vec<(String, Option<std::sync::Arc<crate::schema::Matter>>, std::sync::Arc<crate::markdown::MdDoc>)>,
}

impl Key {
    fn of(site: &Site) -> Key {
        Key {
            language: site.config.language.clone(),
            raw_html: site.config.allow_raw_html,
            lists: lists(site),
            files: site
                .files()
                .map(|(_, f)| (f.id.clone(), f.matter.clone(), std::sync::Arc::clone(&f.body)))
                .collect(),
        }
    }
}

/// The files of each list: guides, symptoms, causes, pages.
fn lists(site: &Site) -> [Vec<FileId>; 4] {
    let terms = |l: &[crate::model::Term]| l.iter().map(|t| t.file).collect();
    [
        site.guides.iter().map(|g| g.file).collect(),
        terms(&site.symptoms),
        terms(&site.causes),
        site.pages.iter().map(|p| p.file).collect(),
    ]
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        self.language == other.language
            && self.raw_html == other.raw_html
            && self.lists == other.lists
            && self.files.len() == other.files.len()
            && self.files.iter().zip(&other.files).all(|(a, b)| {
                a.0 == b.0
                    && std::sync::Arc::ptr_eq(&a.2, &b.2)
                    && match (&a.1, &b.1) {
                        (Some(x), Some(y)) => std::sync::Arc::ptr_eq(x, y),
                        (None, None) => true,
                        _ => false,
                    }
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_text_splits_blocks_and_decodes() {
        let html = "<p>Use a <em>cold</em> pack &amp; rest.</p>\n<ul><li>Ice &lt;20 min</li><li>Feed&#39;s</li></ul>";
        assert_eq!(html_text(html), ["Use a cold pack & rest.", "Ice <20 min", "Feed's"]);
    }

    /// The block reader takes the same text as the plain one from every page body of the
    /// shipped site and the Markdown fixture, and from HTML with odd spacing and references.
    #[test]
    fn html_text_reads_the_blocks_the_plain_reader_does() {
        let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut htmls: Vec<String> = [
            "<p> a  <b>b</b>c&nbsp;d&#x20;e </p>  <P>x</P><br/>y<img src=z>&amp;<unclosed",
            "\u{a0}lead<em>\u{2003}</em>trail\t\n<li></li><LI>one&#10;two</LI>&bogus; &#999999999;",
            "",
            "no tags at all",
        ]
        .map(str::to_string)
        .to_vec();
        for root in [repo.to_path_buf(), repo.join("tests/fixtures/valid/markdown-features")] {
            let mut opts = crate::Options::new(root);
            opts.today = jiff::civil::date(2026, 11, 26);
            let outcome = crate::run(&opts, crate::Goal::Preview, None).expect("the site is readable");
            let (site, _) = outcome.site.expect("the site has no errors");
            let md = MdOptions { allow_raw_html: site.config.allow_raw_html, skip_html: false };
            htmls.extend(site.files().map(|(_, f)| f.body_html(md).html.clone()));
        }
        assert!(htmls.len() > 50, "too few pages");
        for html in &htmls {
            assert_eq!(html_text(html), plain::html_text(html), "{html:?}");
        }
    }

    /// A first build tells the fingerprints once the index is made, a later one before making
    /// it: they must agree, or a warm build would never take the index again; and every
    /// document file is a unit of its own.
    #[test]
    fn the_fingerprints_told_after_are_the_ones_told_before() {
        let mut opts = crate::Options::new(std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")));
        opts.today = jiff::civil::date(2026, 11, 26);
        let outcome = crate::run(&opts, crate::Goal::Preview, None).expect("the site is readable");
        let (site, _) = outcome.site.expect("the site has no errors");
        let cold = crate::output::Memory::default();
        write(&site, &cold).expect("written");
        // A sink that remembers a previous build (of another file): told before making.
        let warm = crate::output::Memory::since("elsewhere", 0);
        write(&site, &warm).expect("written");
        let mut units: Vec<String> = (0..order(&site).len().div_ceil(DOCS_PER_FILE)).map(doc_path).collect();
        assert!(units.len() > 10, "too few document files");
        units.push(DIR.to_string());
        for unit in &units {
            assert!(cold.inputs(unit).is_some(), "{unit} is a unit");
            assert_eq!(warm.inputs(unit), cold.inputs(unit), "{unit}");
        }
        let files = cold.into_files();
        assert!(files.iter().any(|f| f.path == doc_path(units.len() - 2)), "the last document file is made");
        assert_eq!(warm.into_files(), files);
    }

    #[test]
    fn varints_take_one_digit_below_32_and_mark_all_but_the_last() {
        let text = |n| {
            let mut s = String::new();
            push_varint(&mut s, n);
            s
        };
        assert_eq!([text(0), text(31), text(32), text(1023), text(1024)], ["0", "V", "X0", "_V", "XW0"]);
    }

    /// The postings of the streamed build and of the plain one are the same, on the shipped site
    /// (both languages) and fixtures with every Markdown feature, translations and shared blocks.
    #[test]
    fn the_streamed_index_is_the_plain_one() {
        let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let fixtures = ["markdown-features", "two-languages", "shared-blocks"];
        let roots =
            std::iter::once(repo.to_path_buf()).chain(fixtures.map(|f| repo.join("tests/fixtures/valid").join(f)));
        let mut compared = 0;
        for root in roots {
            let mut opts = crate::Options::new(root);
            opts.today = jiff::civil::date(2026, 11, 26);
            let outcome = crate::run(&opts, crate::Goal::Preview, None).expect("the site is readable");
            let report = outcome.report;
            let (site, _) = outcome.site.unwrap_or_else(|| panic!("the site has errors: {report:?}"));
            for site in std::iter::once(&site).chain(&site.lang.translations) {
                let docs = docs(site);
                let lang = Lang::of(&site.config.language);
                let plain = plain::postings(&docs, lang);
                // Chunks of one, of a few (split unevenly), and the build's.
                for chunk in [1, 3, index::CHUNK] {
                    let streamed = index::postings(&docs, lang, chunk);
                    assert!(streamed == plain, "chunks of {chunk} on {}", site.config.title);
                }
                compared += docs.len();
            }
        }
        assert!(compared > 100, "only {compared} documents compared");
    }

    /// A document written through [`DocJson`] is the bytes `serde_json::json!` made of it (the
    /// way `d<B>.js` files were written), quotes, escapes and non-ASCII text included.
    #[test]
    fn doc_json_writes_what_a_json_map_wrote() {
        let x = ["Rest \"now\".", "Ice <20 min & \\ \u{1}", "Сон"];
        let v = DocJson { k: "guide", s: "A \"sum\"\nmary", t: "Mastitis: hot & red", u: "guides/a b.html", x: &x };
        let map = serde_json::json!({ "t": v.t, "u": v.u, "k": v.k, "s": v.s, "x": x });
        assert_eq!(serde_json::to_string(&v).ok(), Some(map.to_string()));
    }

    #[test]
    fn sentences_split_on_stops() {
        let mut out = Vec::new();
        sentences("Rest. Feed often! Is it 38.5 °C? Yes", &mut out);
        assert_eq!(out, ["Rest.", "Feed often!", "Is it 38.5 °C?", "Yes"]);
    }
}
