//! The index's postings, built a chunk of documents at a time: each chunk is analysed in
//! parallel, its words interned (one copy of each word for the whole site) and its term counts
//! folded into a compact list of (document, term, field, count) entries; the analysed chunk is
//! then dropped. The BM25 weights need every document's field lengths, so the postings are made
//! from the entries at the end. At 10,000 guides this holds a few tens of MB where holding every
//! document's term maps took several hundred ([`super::plain`] is that way, the reference).

use std::collections::BTreeMap;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::text::{self, Lang};
use super::{ALL, Doc, FIELDS, Field, K1, MAX_NAME_TERMS, Phrases, Postings};

/// Documents analysed at once: enough for the threads to share, few enough that their term
/// maps stay small.
pub(super) const CHUNK: usize = 256;

/// A document's term counts per field, field lengths (in terms) and phrases (bigrams and whole
/// names, sorted, each once).
#[derive(Debug, PartialEq)]
pub(super) struct Analysed {
    pub(super) counts: FxHashMap<String, [u32; FIELDS]>,
    pub(super) lens: [u32; FIELDS],
    pub(super) phrases: Vec<String>,
}

impl Analysed {
    /// The bytes a build keeps of it for the next one ([`crate::output::Sink::keep`]), read by
    /// [`Analysed::decode`]: the field lengths, then each term with the fields it is in and
    /// its count in each, then the phrases; numbers as LEB128.
    pub(super) fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(16 * self.counts.len());
        self.lens.iter().for_each(|&n| push_u32(&mut out, n));
        push_u32(&mut out, len_u32(self.counts.len()));
        for (term, counts) in &self.counts {
            push_str(&mut out, term);
            let fields = counts.iter().enumerate().filter(|(_, n)| **n > 0).fold(0, |m, (f, _)| m | (1 << f));
            push_u32(&mut out, fields);
            counts.iter().filter(|n| **n > 0).for_each(|&n| push_u32(&mut out, n));
        }
        push_u32(&mut out, len_u32(self.phrases.len()));
        self.phrases.iter().for_each(|p| push_str(&mut out, p));
        out
    }

    /// What [`Analysed::encode`] wrote; `None` for bytes it did not write.
    pub(super) fn decode(bytes: &[u8]) -> Option<Analysed> {
        let mut r = Reader(bytes);
        let mut lens = [0u32; FIELDS];
        for l in &mut lens {
            *l = r.u32()?;
        }
        let terms = r.u32()? as usize;
        let mut counts = FxHashMap::with_capacity_and_hasher(terms.min(bytes.len()), Default::default());
        for _ in 0..terms {
            let term = r.str()?.to_string();
            let fields = r.u32()?;
            if fields >> FIELDS != 0 {
                return None;
            }
            let mut c = [0u32; FIELDS];
            for (_, n) in c.iter_mut().enumerate().filter(|(f, _)| fields & (1 << f) != 0) {
                *n = r.u32()?;
            }
            counts.insert(term, c);
        }
        let phrases = (0..r.u32()?).map(|_| r.str().map(str::to_string)).collect::<Option<Vec<_>>>()?;
        r.0.is_empty().then_some(Analysed { counts, lens, phrases })
    }
}

fn len_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn push_u32(out: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        out.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn push_str(out: &mut Vec<u8>, s: &str) {
    push_u32(out, len_u32(s.len()));
    out.extend_from_slice(s.as_bytes());
}

/// Reads what [`Analysed::encode`] wrote, from the front.
struct Reader<'b>(&'b [u8]);

impl<'b> Reader<'b> {
    fn u32(&mut self) -> Option<u32> {
        let mut n = 0u32;
        for shift in (0..35).step_by(7) {
            let (&b, rest) = self.0.split_first()?;
            self.0 = rest;
            n |= u32::from(b & 0x7f).checked_shl(shift)?;
            if b < 0x80 {
                return Some(n);
            }
        }
        None
    }

    fn str(&mut self) -> Option<&'b str> {
        let len = self.u32()? as usize;
        let (s, rest) = self.0.split_at_checked(len)?;
        self.0 = rest;
        simdutf8::basic::from_utf8(s).ok()
    }
}

/// Counts the terms of each field of `d`, and lists its phrases.
pub(super) fn analyse(d: &Doc<'_>, lang: Lang) -> Analysed {
    let mut counts: FxHashMap<String, [u32; FIELDS]> = FxHashMap::default();
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
    let mut count = |field: Field, term: &str| {
        lens[field as usize] = lens[field as usize].saturating_add(1);
        match counts.get_mut(term) {
            Some(c) => c[field as usize] += 1,
            None => {
                let mut c = [0; FIELDS];
                c[field as usize] = 1;
                counts.insert(term.to_string(), c);
            }
        }
    };
    let mut phrase = |terms: &[String]| {
        for w in terms.windows(2) {
            bigrams.push(format!("{} {}", w[0], w[1]));
        }
    };
    for t in &title_terms {
        count(Field::Title, t);
    }
    phrase(&title_terms);
    for (field, text) in &d.fields {
        if *field == Field::Alias {
            let terms = text::terms(text, lang);
            phrase(&terms);
            terms.iter().for_each(|t| count(*field, t));
        } else {
            // Most of the text: no list of its terms is made.
            text::each_term(text, lang, |t| count(*field, t));
        }
    }
    bigrams.sort();
    bigrams.dedup();
    Analysed { counts, lens, phrases: bigrams }
}

/// One term's count in one field of one document: the term, and the field (top 4 bits) with the
/// count (28 bits; a field of a 4 MB file cannot hold more).
struct Entry {
    term: u32,
    field_count: u32,
}

impl Entry {
    const COUNT: u32 = (1 << 28) - 1;

    fn new(term: u32, field: usize, count: u32) -> Self {
        Entry { term, field_count: ((field as u32) << 28) | count.min(Self::COUNT) }
    }

    fn field(&self) -> usize {
        (self.field_count >> 28) as usize
    }

    fn count(&self) -> u32 {
        self.field_count & Self::COUNT
    }
}

/// Every word once, numbered in the order first seen.
#[derive(Default)]
struct Words {
    ids: FxHashMap<String, u32>,
    names: Vec<String>,
}

impl Words {
    fn id(&mut self, word: String) -> u32 {
        let next = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        *self.ids.entry(word).or_insert_with_key(|w| {
            self.names.push(w.clone());
            next
        })
    }
}

/// Each term's postings and each phrase's documents, as [`super::plain::postings`] makes them,
/// analysing `chunk` documents at a time.
#[cfg(test)]
pub(super) fn postings(docs: &[Doc<'_>], lang: Lang, chunk: usize) -> (Postings, Phrases) {
    let mut builder = Builder::new(lang);
    for part in docs.chunks(chunk.max(1)) {
        builder.add(part);
    }
    builder.finish()
}

/// The postings while documents come, a chunk at a time, in index order.
pub(super) struct Builder {
    lang: Lang,
    words: Words,
    /// Per document: where its entries end in its chunk's, and its field lengths.
    ends: Vec<u32>,
    lens: Vec<[u32; FIELDS]>,
    /// Each chunk's entries, in document order, with its number of documents (let go chunk by
    /// chunk as the postings are made).
    chunks: Vec<(Vec<Entry>, usize)>,
    phrases: Phrases,
}

impl Builder {
    pub(super) fn new(lang: Lang) -> Self {
        Builder {
            lang,
            words: Words::default(),
            ends: Vec::new(),
            lens: Vec::new(),
            chunks: Vec::new(),
            phrases: BTreeMap::new(),
        }
    }

    /// Analyses the next documents (in parallel) and keeps their counts.
    #[cfg(test)]
    pub(super) fn add(&mut self, part: &[Doc<'_>]) {
        let analysed = self.analyse(part);
        self.add_analysed(analysed);
    }

    /// Analyses documents (in parallel), in the builder's language.
    pub(super) fn analyse(&self, part: &[Doc<'_>]) -> Vec<Analysed> {
        let lang = self.lang;
        part.par_iter().map(|d| analyse(d, lang)).collect()
    }

    /// Keeps the counts of the next documents, analysed (or recalled: [`Analysed::decode`]).
    pub(super) fn add_analysed(&mut self, analysed: Vec<Analysed>) {
        let count = analysed.len();
        let mut entries = Vec::new();
        for a in analysed {
            let d = u32::try_from(self.ends.len()).unwrap_or(u32::MAX);
            for (term, tf) in a.counts {
                let term = self.words.id(term);
                // Fields in order: the weights are added in this order (a float sum's order
                // is part of its value).
                for (field, &count) in tf.iter().enumerate().filter(|(_, n)| **n > 0) {
                    entries.push(Entry::new(term, field, count));
                }
            }
            self.ends.push(u32::try_from(entries.len()).unwrap_or(u32::MAX));
            self.lens.push(a.lens);
            for p in a.phrases {
                self.phrases.entry(p).or_default().push(d);
            }
        }
        entries.shrink_to_fit();
        self.chunks.push((entries, count));
    }

    /// Each term's postings and each phrase's documents.
    pub(super) fn finish(self) -> (Postings, Phrases) {
        let Builder { words, ends, lens, chunks, phrases, .. } = self;
        let avg: [f64; FIELDS] = std::array::from_fn(|f| {
            let (sum, with) =
                lens.iter().map(|l| l[f]).filter(|&l| l > 0).fold((0.0, 0usize), |(s, n), l| (s + f64::from(l), n + 1));
            if with == 0 { 1.0 } else { sum / with as f64 }
        });
        // Each term's list made at its final size: how many documents have it.
        let mut df = vec![0u32; words.names.len()];
        let mut d = 0usize;
        for (entries, docs) in &chunks {
            let mut start = 0usize;
            for _ in 0..*docs {
                let end = ends.get(d).map_or(entries.len(), |&e| e as usize);
                let doc = entries.get(start..end).unwrap_or(&[]);
                // A term's entries in one document are side by side: each run is one posting.
                for (k, e) in doc.iter().enumerate() {
                    if k == 0 || doc[k - 1].term != e.term {
                        df[e.term as usize] += 1;
                    }
                }
                start = end;
                d += 1;
            }
        }
        let mut lists: Vec<Vec<(u32, u32)>> = df.iter().map(|&n| Vec::with_capacity(n as usize)).collect();
        drop(df);
        let mut d = 0usize;
        for (entries, docs) in chunks {
            let mut start = 0usize;
            for _ in 0..docs {
                let end = ends.get(d).map_or(entries.len(), |&e| e as usize);
                let doc = u32::try_from(d).unwrap_or(u32::MAX);
                let mut rest = entries.get(start..end).unwrap_or(&[]);
                while let Some(first) = rest.first() {
                    let same = rest.iter().take_while(|e| e.term == first.term).count();
                    let (term, more) = rest.split_at(same);
                    let mut weighted = 0.0;
                    let mut flags = 0;
                    for e in term {
                        let f = ALL[e.field()];
                        let norm = 1.0 - f.b() + f.b() * f64::from(lens[d][f as usize]) / avg[f as usize];
                        weighted += f.weight() * f64::from(e.count()) / norm;
                        flags |= f.flag();
                    }
                    // BM25 saturation, as a share of its limit (K1 + 1), in 8 bits.
                    let share = weighted / (K1 + weighted);
                    let q = (share * 255.0).round().clamp(1.0, 255.0) as u32;
                    lists[first.term as usize].push((doc, q * 8 + flags));
                    rest = more;
                }
                start = end;
                d += 1;
            }
            // The chunk's entries are let go here, as the lists grow.
        }
        let postings = words.names.into_iter().zip(lists).collect();
        (postings, phrases)
    }
}
