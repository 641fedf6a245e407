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

pub(crate) mod stem;
pub(crate) mod stem_ru;
pub(crate) mod text;
mod unit;

use crate::markdown::{self, MdOptions};
use crate::model::{FileId, Site};
use crate::output::Sink;
use crate::schema::Spanned;
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

/// The text blocks of an HTML fragment: tags out, entities decoded, one entry per block.
fn html_text(html: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut cur = String::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        cur.push_str(&decode(&rest[..lt]));
        let Some(gt) = rest[lt..].find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        let name: String = tag.trim_start_matches('/').chars().take_while(char::is_ascii_alphanumeric).collect();
        let block = matches!(
            name.to_ascii_lowercase().as_str(),
            "p" | "li"
                | "h1"
                | "h2"
                | "h3"
                | "h4"
                | "h5"
                | "h6"
                | "br"
                | "tr"
                | "td"
                | "th"
                | "div"
                | "blockquote"
                | "pre"
                | "dt"
                | "dd"
                | "ul"
                | "ol"
                | "table"
                | "details"
                | "summary"
        );
        if block {
            let t = cur.split_whitespace().collect::<Vec<_>>().join(" ");
            if !t.is_empty() {
                blocks.push(t);
            }
            cur.clear();
        } else {
            cur.push(' ');
        }
        rest = &rest[lt + gt + 1..];
    }
    cur.push_str(&decode(rest));
    let t = cur.split_whitespace().collect::<Vec<_>>().join(" ");
    if !t.is_empty() {
        blocks.push(t);
    }
    blocks
}

/// Decodes the character references pulldown-cmark writes (named few, and numeric).
fn decode(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => {
                    let n = name.strip_prefix('#')?;
                    let code = match n.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => n.parse().ok()?,
                    };
                    char::from_u32(code)
                }
            }
            .map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
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

/// Splits a block of text into sentences (after . ! ? followed by a space).
fn sentences(text: &str, out: &mut Vec<String>) {
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if matches!(b, b'.' | b'!' | b'?') && bytes.get(i + 1) == Some(&b' ') {
            let s = text[start..=i].trim();
            if !s.is_empty() {
                out.push(s.to_string());
            }
            start = i + 1;
        }
    }
    let s = text[start..].trim();
    if !s.is_empty() {
        out.push(s.to_string());
    }
}

/// The built index, in memory: what [`write`] puts into files.
struct Built {
    /// Every file: path under the output, and its bytes.
    files: Vec<(String, Vec<u8>)>,
}

/// A document's term statistics: per term, its count in each field.
type TermCounts = HashMap<String, [u32; FIELDS]>;

/// Every document of the index, in index order (guides, symptoms, causes, pages).
fn docs(site: &Site) -> Vec<Doc<'_>> {
    let mut order: Vec<(FileId, &'static str)> = Vec::new();
    for (list, k) in lists(site).into_iter().zip(["guide", "symptom", "cause", "page"]) {
        order.extend(list.into_iter().map(|i| (i, k)));
    }
    order.par_iter().map(|&(i, kind)| doc(site, i, kind)).collect()
}

/// Each term's postings: (document, BM25 share * 8 + field flags), by document.
type Postings = BTreeMap<String, Vec<(u32, u32)>>;

fn build_from<'a>(site: &'a Site, docs: Vec<Doc<'a>>) -> Built {
    let lang = Lang::of(&site.config.language);
    // Per document: its text and term counts; in parallel, since bodies are the bulk of the work.
    let analysed: Vec<Analysed> = docs.into_par_iter().map(|d| analyse(d, lang)).collect();

    let n = analysed.len();
    let (postings, phrases) = postings(&analysed);

    let (mut files, shard_counts) = shards(&postings, &phrases);

    let kinds: String = analysed.iter().map(|a| &a.0.kind[..1]).collect();
    let terms: Vec<&str> = postings.keys().map(String::as_str).collect();
    let df: Vec<usize> = postings.values().map(Vec::len).collect();
    let meta = serde_json::json!({
        "v": 2,
        "lang": lang.code(),
        "n": n,
        "kinds": kinds,
        "terms": terms.join(" "),
        "df": df,
        "shards": shard_counts,
        "docs": DOCS_PER_FILE,
    });
    files.push((format!("{DIR}index.js"), format!("CAREBOOK_SEARCH_INDEX({meta});\n").into_bytes()));

    files.extend(doc_files(&analysed));
    Built { files }
}

/// A document's text, term counts, field lengths and phrases (bigrams and whole names).
type Analysed<'a> = (Doc<'a>, TermCounts, [u32; FIELDS], Vec<String>);

/// Counts the terms of each field of `d`, and lists its phrases.
fn analyse(d: Doc<'_>, lang: Lang) -> Analysed<'_> {
    let mut counts: TermCounts = HashMap::new();
    let mut lens = [0u32; FIELDS];
    let mut bigrams: Vec<String> = Vec::new();
    let title_terms = text::terms(d.title, lang);
    // Whole names: the title's parts ("Mastitis: caring for…" is also "mastitis") and
    // each other name, so that typing a page's name exactly finds it first.
    let mut names: Vec<Vec<String>> = d
        .title
        .split(['(', ')', ':', '?', '\u{2014}'])
        .chain(d.fields.iter().filter(|(f, _)| *f == Field::Alias).map(|(_, a)| a.as_str()))
        .map(|part| text::terms(part, lang))
        .filter(|t| !t.is_empty() && t.len() <= MAX_NAME_TERMS)
        .collect();
    names.dedup();
    for name in names {
        bigrams.push(format!("={}", name.join(" ")));
    }
    let mut add = |field: Field, terms: &[String]| {
        lens[field as usize] += u32::try_from(terms.len()).unwrap_or(u32::MAX);
        for t in terms {
            counts.entry(t.clone()).or_insert([0; FIELDS])[field as usize] += 1;
        }
    };
    add(Field::Title, &title_terms);
    let mut phrase = |terms: &[String]| {
        for w in terms.windows(2) {
            bigrams.push(format!("{} {}", w[0], w[1]));
        }
    };
    phrase(&title_terms);
    for (field, text) in &d.fields {
        let terms = text::terms(text, lang);
        if *field == Field::Alias {
            phrase(&terms);
        }
        add(*field, &terms);
    }
    bigrams.sort();
    bigrams.dedup();
    (d, counts, lens, bigrams)
}

/// Each term's postings (document, then its BM25 share in 8 bits and its field flags) and each
/// phrase's documents.
fn postings(analysed: &[Analysed]) -> (Postings, BTreeMap<String, Vec<u32>>) {
    let avg: [f64; FIELDS] = std::array::from_fn(|f| {
        let with: Vec<u32> = analysed.iter().map(|a| a.2[f]).filter(|&l| l > 0).collect();
        if with.is_empty() { 1.0 } else { with.iter().map(|&l| f64::from(l)).sum::<f64>() / with.len() as f64 }
    });
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
    let mut postings: BTreeMap<String, Vec<(u32, u32)>> = BTreeMap::new();
    let mut phrases: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for (d, (_, counts, lens, bigrams)) in analysed.iter().enumerate() {
        let d = u32::try_from(d).unwrap_or(u32::MAX);
        for (term, tf) in counts {
            let mut weighted = 0.0;
            let mut flags = 0;
            for f in ALL {
                let c = f64::from(tf[f as usize]);
                if c > 0.0 {
                    let norm = 1.0 - f.b() + f.b() * f64::from(lens[f as usize]) / avg[f as usize];
                    weighted += f.weight() * c / norm;
                    flags |= f.flag();
                }
            }
            // BM25 saturation, as a share of its limit (K1 + 1), in 8 bits.
            let share = weighted / (K1 + weighted);
            let q = (share * 255.0).round().clamp(1.0, 255.0) as u32;
            postings.entry(term.clone()).or_default().push((d, q * 8 + flags));
        }
        for b in bigrams {
            phrases.entry(b.clone()).or_default().push(d);
        }
    }
    for list in postings.values_mut() {
        list.sort_unstable();
    }
    (postings, phrases)
}

/// The shard files: consecutive terms until about [`SHARD_BYTES`], a phrase with its first
/// term; and how many terms each holds.
fn shards(postings: &Postings, phrases: &BTreeMap<String, Vec<u32>>) -> (Vec<(String, Vec<u8>)>, Vec<usize>) {
    // Shards: consecutive terms until about SHARD_BYTES; a phrase goes with its first term.
    let mut phrase_of: BTreeMap<&str, Vec<(&str, &Vec<u32>)>> = BTreeMap::new();
    for (p, docs) in phrases {
        let first = p.trim_start_matches('=').split(' ').next().unwrap_or("");
        phrase_of.entry(first).or_default().push((p, docs));
    }
    let mut files = Vec::new();
    let mut shard_counts: Vec<usize> = Vec::new();
    let mut cur = String::new();
    let mut cur_terms = 0;
    let flush =
        |cur: &mut String, cur_terms: &mut usize, files: &mut Vec<(String, Vec<u8>)>, counts: &mut Vec<usize>| {
            if *cur_terms == 0 {
                return;
            }
            let k = counts.len();
            files.push((format!("{DIR}s{k}.js"), format!("CAREBOOK_SEARCH_SHARD({k},{{{cur}}});\n").into_bytes()));
            counts.push(*cur_terms);
            cur.clear();
            *cur_terms = 0;
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
            flush(&mut cur, &mut cur_terms, &mut files, &mut shard_counts);
        }
    }
    flush(&mut cur, &mut cur_terms, &mut files, &mut shard_counts);
    (files, shard_counts)
}

/// The document files: [`DOCS_PER_FILE`] documents' titles, addresses, kinds, summaries and
/// sentences each.
fn doc_files(analysed: &[Analysed]) -> Vec<(String, Vec<u8>)> {
    analysed
        .par_chunks(DOCS_PER_FILE)
        .enumerate()
        .map(|(b, chunk)| {
            let mut out = String::new();
            for (j, (d, ..)) in chunk.iter().enumerate() {
                let n = b * DOCS_PER_FILE + j;
                let mut x = Vec::new();
                for (field, text) in &d.fields {
                    if !matches!(field, Field::Related | Field::Summary) {
                        sentences(text, &mut x);
                    }
                }
                // A sentence said twice (a shared block, a step repeated as a sign) is shown once.
                let mut seen = std::collections::HashSet::new();
                x.retain(|s| seen.insert(s.clone()));
                let v = serde_json::json!({ "t": d.title, "u": d.url, "k": d.kind, "s": d.summary, "x": x });
                out.push_str(&format!("CAREBOOK_SEARCH_DOC({n},{v});\n"));
            }
            (format!("{DIR}d{b}.js"), out.into_bytes())
        })
        .collect()
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
/// # Errors
///
/// Whatever the sink refuses.
pub(crate) fn write(site: &Site, sink: &dyn Sink) -> anyhow::Result<()> {
    let docs = docs(site);
    // Every file depends on every document: the folder is one unit, made again or taken whole.
    if sink.reuse(DIR, unit::fingerprint(site, &docs))?.is_some() {
        return Ok(());
    }
    for (path, bytes) in build_from(site, docs).files {
        sink.put(path, bytes)?;
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
            let built = std::sync::Arc::new(build_from(site, docs(site)).files.into_iter().collect::<Files>());
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

    #[test]
    fn varints_take_one_digit_below_32_and_mark_all_but_the_last() {
        let text = |n| {
            let mut s = String::new();
            push_varint(&mut s, n);
            s
        };
        assert_eq!([text(0), text(31), text(32), text(1023), text(1024)], ["0", "V", "X0", "_V", "XW0"]);
    }

    #[test]
    fn sentences_split_on_stops() {
        let mut out = Vec::new();
        sentences("Rest. Feed often! Is it 38.5 °C? Yes", &mut out);
        assert_eq!(out, ["Rest.", "Feed often!", "Is it 38.5 °C?", "Yes"]);
    }
}
