//! Check: resolve every reference and link once all files are parsed.
//!
//! Input: the parsed files. Output: diagnostics (duplicate ids, unknown references, broken links
//! and anchors, date order, overdue reviews, orphans) and, when every link resolved, each file's
//! resolved links ([`FileLinks`]), which `model` and `render` use as they are: nothing after this
//! stage resolves a link again. Never reads the disk, never fails: every problem becomes a
//! diagnostic.

mod cache;
mod index;
mod links;
mod output;
mod references;

use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::diagnostic::{Code, Diagnostic};
use crate::parse::Parsed;
use crate::schema::{Kind, Matter};
pub(crate) use cache::Cache;
pub(crate) use index::Index;
pub(crate) use output::name_clashes;
use output::statics;
use references::{Block, reference, shared_block, shared_use};

/// A file that passed `parse`: its place in the list that `check` numbers and `model` keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(usize);

impl FileId {
    /// The file's place in the list.
    pub(crate) fn index(self) -> usize {
        self.0
    }

    /// The ids of a list of `count` files, in order.
    pub(crate) fn all(count: usize) -> impl Iterator<Item = FileId> {
        (0..count).map(FileId)
    }
}

/// Where a link leads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// Another host, or `mailto:`; left as written.
    External(String),
    /// A content page, with an optional anchor.
    Page(FileId, Option<String>),
    /// A non-Markdown content file (root-relative path), copied into the output.
    Asset(String),
    /// An anchor on the same page.
    SamePage(String),
    /// A content file that exists but could not be read (its own error is reported): only seen
    /// while checking, since a site with errors is not built.
    Unread,
}

/// One file's links, resolved: its body's, in link order, and each rendered inline field's (in
/// link order), by the field's byte offset.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct FileLinks {
    /// The body's links.
    pub(crate) body: Vec<Target>,
    /// Each rendered inline field's links, by the field's offset.
    pub(crate) inline: BTreeMap<usize, Vec<Target>>,
}

/// Is this file a draft guide?
pub(crate) fn is_draft(p: &Parsed) -> bool {
    matches!(p.matter.as_deref(), Some(Matter::Guide(g)) if g.draft)
}

/// What checking one file gave: its diagnostics, the symptoms and causes it names, the content
/// files it links to, and its links resolved (`None` when one of them did not resolve).
type FileChecks = (Vec<Diagnostic>, Vec<(Kind, String)>, Vec<String>, Option<FileLinks>);

/// Runs every cross-file check; returns each file's resolved links, in file order, when every
/// link resolved (otherwise an error says why). With `cache` (and the parse options it is kept
/// for), a file unchanged since the last check, checked against the same index, is not checked
/// again: its results are taken from the cache.
///
/// Links to files a browser would run on the site's address are refused (`active-file`), even
/// with `allow_raw_html`: they would be published unchecked.
pub(crate) fn check(
    parsed: &[Parsed],
    index: &Index,
    diags: &mut Vec<Diagnostic>,
    cache: Option<(&mut Cache, crate::parse::Options)>,
) -> Option<Vec<FileLinks>> {
    duplicates(parsed, diags);
    // Each file's references and links are checked on their own, in parallel; the results are
    // merged in file order.
    let per_file: Vec<Arc<FileChecks>> = match cache {
        Some((cache, popts)) => cache.checks(parsed, index, popts),
        None => parsed.par_iter().enumerate().map(|(i, p)| Arc::new(check_file(index, FileId(i), p))).collect(),
    };
    let mut referenced: HashSet<(Kind, &str)> = HashSet::default();
    let mut linked: BTreeSet<&str> = BTreeSet::new();
    let mut resolved = Some(Vec::with_capacity(parsed.len()));
    for checks in &per_file {
        let (d, r, a, l) = &**checks;
        diags.extend(d.iter().cloned());
        referenced.extend(r.iter().map(|(k, id)| (*k, id.as_str())));
        linked.extend(a.iter().map(String::as_str));
        resolved = resolved.zip(l.clone()).map(|(mut all, l)| {
            all.push(l);
            all
        });
    }
    statics(index, &linked, diags);
    diags.extend(name_clashes(linked.iter().copied().chain(index.statics.iter().map(String::as_str))));
    // A guide with front-matter errors may have lost references; orphans would be guesses then.
    let files_with_errors: HashSet<&str> =
        diags.iter().filter(|d| d.severity == crate::diagnostic::Severity::Error).map(|d| d.file.as_str()).collect();
    let guide_errors =
        parsed.iter().any(|p| p.kind == Kind::Guide && files_with_errors.contains(p.source.path.as_str()))
            || index.unread_ids.iter().any(|(k, _)| *k == Kind::Guide);
    for p in parsed.iter().filter(|_| !guide_errors) {
        if matches!(p.kind, Kind::Symptom | Kind::Cause) && !referenced.contains(&(p.kind, p.id.as_str())) {
            let title_span = match p.matter.as_deref() {
                Some(Matter::Term(t)) => Some(t.title.span.clone()),
                _ => None,
            };
            let field = if p.kind == Kind::Symptom { "symptoms" } else { "causes" };
            diags.push(
                Diagnostic::new(
                    Code::Orphan,
                    &p.source.path,
                    title_span,
                    format!("no guide refers to the {} `{}`", p.kind.noun(), p.id),
                )
                .with_label("not used by any guide")
                .with_help(format!("add `{}` to the `{field}` of a guide, or delete this file", p.id)),
            );
        }
    }
    resolved
}

/// One file's references and links.
fn check_file(index: &Index, i: FileId, p: &Parsed) -> FileChecks {
    let mut diags = Vec::new();
    let mut referenced: Vec<(Kind, String)> = Vec::new();
    let file = p.source.path.as_str();
    if let Some(Matter::Guide(g)) = p.matter.as_deref() {
        for s in &g.symptoms {
            reference(index, Kind::Symptom, s, "symptoms", file, &mut diags);
            referenced.push((Kind::Symptom, s.value.clone()));
        }
        for c in &g.causes {
            reference(index, Kind::Cause, c, "causes", file, &mut diags);
            referenced.push((Kind::Cause, c.value.clone()));
        }
        for r in &g.related {
            if r.value == p.id {
                diags.push(
                    Diagnostic::new(
                        Code::InvalidValue,
                        file,
                        Some(r.span.clone()),
                        "a guide cannot be related to itself",
                    )
                    .with_help("remove this id from `related`"),
                );
            } else {
                reference(index, Kind::Guide, r, "related", file, &mut diags);
            }
        }
        for f in &g.see_a_doctor {
            if let Some(s) = &f.symptom {
                reference(index, Kind::Symptom, s, "symptom", file, &mut diags);
                referenced.push((Kind::Symptom, s.value.clone()));
            }
        }
        let uses = g.steps.iter().filter_map(|s| s.shared.as_ref().map(|id| (id, Block::Step)));
        for (id, block) in
            uses.chain(g.see_a_doctor.iter().filter_map(|f| f.shared.as_ref().map(|id| (id, Block::Sign))))
        {
            shared_use(index, id, block, g, file, &mut diags);
        }
    }
    if let Some(Matter::Shared(m)) = p.matter.as_deref() {
        shared_block(m, file, &mut diags);
        for s in m.see_a_doctor.iter().filter_map(|f| f.symptom.as_ref()) {
            reference(index, Kind::Symptom, s, "symptom", file, &mut diags);
            referenced.push((Kind::Symptom, s.value.clone()));
        }
    }
    let mut assets = Vec::new();
    let body = links::links(index, i, &p.body, p.body_offset, None, &mut diags, &mut assets);
    let inline: Option<BTreeMap<usize, Vec<Target>>> = p
        .inline
        .iter()
        .map(|(start, field)| {
            let targets = links::links(index, i, &field.doc, field.base, Some(*start), &mut diags, &mut assets);
            targets.map(|t| (*start, t))
        })
        .collect();
    let resolved = body.zip(inline).map(|(body, inline)| FileLinks { body, inline });
    (diags, referenced, assets, resolved)
}

fn duplicates(parsed: &[Parsed], diags: &mut Vec<Diagnostic>) {
    let mut first: HashMap<(Kind, &str), &str> = HashMap::with_capacity_and_hasher(parsed.len(), Default::default());
    for p in parsed {
        match first.get(&(p.kind, p.id.as_str())) {
            Some(other) => diags.push(
                Diagnostic::new(
                    Code::DuplicateId,
                    &p.source.path,
                    None,
                    format!("the {} id `{}` is also used by `{other}`", p.kind.noun(), p.id),
                )
                .with_help("ids come from file names and must be unique per folder: rename one of the files"),
            ),
            None => {
                first.insert((p.kind, p.id.as_str()), p.source.path.as_str());
            }
        }
    }
}
