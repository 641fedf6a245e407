//! Parsing with the documents an earlier build kept: a build keeps, per file, the Markdown it
//! rendered (the body and the inline fields) under a key of the file's text and the Markdown
//! options ([`record`]); the next build, for a file whose key is the same, takes those documents
//! instead of rendering them again. Everything else (the front matter, its checks, review dates
//! against today, the documents' problems) is worked out on every build as [`super::parse`] does,
//! so every file's diagnostics are reported each time.
//!
//! Never reads the disk: the caller hands over the records (`write::parsed` keeps them beside the
//! output), a piece at a time in file order, so that a large site's documents are never held
//! twice, as kept bytes and as documents.

use rayon::prelude::*;
use std::collections::HashMap;

use super::{Options, Output, Parsed, parse_one};
use crate::diagnostic::Diagnostic;
use crate::markdown::MdDoc;
use crate::schema::Matter;
use crate::source::SourceFile;
use crate::stored::{In, Out, Stored as _};

/// What an earlier build parsed of one file with the same text and options: its front matter
/// when it was read without a problem, its body, and its inline fields by the byte offset of their
/// value.
pub(super) struct Kept {
    pub(super) matter: Option<Matter>,
    pub(super) body: MdDoc,
    pub(super) inline: HashMap<usize, MdDoc>,
}

/// A kept record: the file's path and the bytes [`record`] made.
pub(crate) type Record = (String, Vec<u8>);

/// How many files are parsed between two reads of kept records.
const CHUNK: usize = 2048;

/// What [`parse_stored`] gave: the parse, and whether the records kept must be written again (a
/// file was parsed anew, or a kept record was not used).
pub(crate) struct Stored {
    pub(crate) output: Output,
    pub(crate) changed: bool,
}

/// [`super::parse`], taking kept documents from `recall`: called with a path, it gives the kept
/// records (path and bytes) up to that file in file order; called with `None`, those left.
pub(crate) fn parse_stored(
    files: Vec<SourceFile>,
    opts: Options,
    diags: &mut Vec<Diagnostic>,
    recall: &mut dyn FnMut(Option<&str>) -> Vec<Record>,
) -> Stored {
    let mut known: HashMap<String, Vec<u8>> = HashMap::new();
    let mut changed = false;
    let mut results = Vec::with_capacity(files.len());
    let mut files = files.into_iter().peekable();
    while files.peek().is_some() {
        let chunk: Vec<SourceFile> = files.by_ref().take(CHUNK).collect();
        let last = chunk.last().map(|f| f.path.as_str());
        known.extend(recall(last));
        let kept: Vec<Option<Vec<u8>>> = chunk.iter().map(|f| known.remove(&f.path)).collect();
        let part: Vec<_> = chunk
            .into_par_iter()
            .zip(kept)
            .map(|(f, record)| {
                let kept = record.and_then(|r| read_record(&r, key(&f, opts)));
                let hit = kept.is_some();
                (parse_one(f, opts, kept), hit)
            })
            .collect();
        for (r, hit) in part {
            changed |= !hit;
            results.push(r);
        }
    }
    // Records of files that are gone.
    changed |= !known.is_empty() || !recall(None).is_empty();
    Stored { output: super::collect(results, diags), changed }
}

/// The key a file's record is kept under: its fingerprint (path and text) and the Markdown options.
fn key(file: &SourceFile, opts: Options) -> u64 {
    crate::fingerprint::hash_of(&(super::fingerprint(file), opts.md))
}

/// The record to keep for `p`, parsed with `opts`: its key, its front matter if it was read
/// without a problem, its body, and each inline field by the offset of its value. `None` when
/// there is nothing to keep (no HTML).
pub(crate) fn record(p: &Parsed, opts: Options) -> Option<Vec<u8>> {
    if !p.body_has_html {
        return None;
    }
    let key = crate::fingerprint::hash_of(&(p.fingerprint, opts.md));
    let mut out = Vec::with_capacity(p.body.html.len() + 4096);
    out.extend_from_slice(&key.to_le_bytes());
    let w = &mut Out(&mut out);
    // As `Option<Matter>` writes it, without a copy.
    match p.matter.as_deref().filter(|_| p.matter_kept) {
        Some(m) => {
            w.byte(1);
            m.put(w);
        }
        None => w.byte(0),
    }
    p.body.encode(w.0);
    w.number(p.inline.len());
    for (at, d) in p.inline.iter() {
        w.number(*at);
        d.doc.encode(w.0);
    }
    Some(out)
}

/// What `record` holds when it was kept under `key`; `None` otherwise, or when it is damaged.
fn read_record(record: &[u8], key: u64) -> Option<Kept> {
    let (head, rest) = record.split_first_chunk::<8>()?;
    if u64::from_le_bytes(*head) != key {
        return None;
    }
    let r = &mut In::new(rest);
    let matter = <Option<Matter> as crate::stored::Stored>::take(r)?;
    let body = MdDoc::decode(r)?;
    let n = r.number()?;
    let mut inline = HashMap::new();
    for _ in 0..n {
        inline.insert(r.number()?, MdDoc::decode(r)?);
    }
    (r.offset == rest.len()).then_some(Kept { matter, body, inline })
}
