//! Check: resolve every reference and link once all files are parsed.
//!
//! Input: the parsed files. Output: diagnostics (duplicate ids, unknown references, broken links
//! and anchors, date order, overdue reviews, orphans) and, when every link resolved, each file's
//! resolved links ([`FileLinks`]), which `model` and `render` use as they are: nothing after this
//! stage resolves a link again. Never reads the disk, never fails: every problem becomes a
//! diagnostic.

use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

use crate::active::active_name;
use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::load::ActiveSvg;
use crate::markdown::MdDoc;
use crate::parse::Parsed;
use crate::schema::{GuideMatter, Kind, Matter, SharedMatter, Spanned};

/// Anchors every guide page has, whatever its content (the template writes them).
pub const GUIDE_FIXED_ANCHORS: &[&str] = &["see-a-doctor", "sources", "top"];

/// A file that passed `parse`: its place in the list that `check` numbers and `model` keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(usize);

impl FileId {
    /// The file's place in the list.
    pub(crate) fn index(self) -> usize {
        self.0
    }

    /// The ids of a list of `n` files, in order.
    pub(crate) fn all(n: usize) -> impl Iterator<Item = FileId> {
        (0..n).map(FileId)
    }
}

/// Where a link leads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
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
pub struct FileLinks {
    /// The body's links.
    pub body: Vec<Target>,
    /// Each rendered inline field's links, by the field's offset.
    pub inline: BTreeMap<usize, Vec<Target>>,
}

/// Lookup tables over the parsed files.
pub struct Index<'a> {
    parsed: &'a [Parsed],
    ids: BTreeMap<(Kind, &'a str), FileId>,
    paths: HashMap<&'a str, FileId>,
    assets: BTreeSet<&'a str>,
    /// SVG images among the assets that are not mere drawings.
    active_svgs: BTreeMap<&'a str, &'a ActiveSvg>,
    /// The files of `static/`.
    statics: &'a [String],
    /// Markdown files that could not be read, by path and by kind and id.
    unread: BTreeSet<&'a str>,
    unread_ids: BTreeSet<(Kind, &'a str)>,
    anchors: Vec<BTreeSet<String>>,
}

impl<'a> Index<'a> {
    /// Indexes `parsed` (drafts are left out unless `drafts`), the asset paths, the active SVG
    /// images and the Markdown files that could not be read.
    pub fn new(
        parsed: &'a [Parsed],
        assets: &'a [String],
        active_svgs: &'a [ActiveSvg],
        unread: &'a [String],
        statics: &'a [String],
        drafts: bool,
    ) -> Self {
        let mut ids = BTreeMap::new();
        let mut paths = HashMap::new();
        for (i, p) in FileId::all(parsed.len()).zip(parsed) {
            if !drafts && is_draft(p) {
                continue;
            }
            ids.entry((p.kind, p.id.as_str())).or_insert(i);
            paths.insert(p.source.path.as_str(), i);
        }
        let anchors = parsed.par_iter().map(anchors_of).collect();
        Index {
            parsed,
            ids,
            paths,
            assets: assets.iter().map(String::as_str).collect(),
            active_svgs: active_svgs.iter().map(|s| (s.path.as_str(), s)).collect(),
            statics,
            unread: unread.iter().map(String::as_str).collect(),
            unread_ids: unread
                .iter()
                .filter_map(|p| {
                    let (folder, name) = p.strip_prefix("content/")?.split_once('/')?;
                    Some((Kind::from_folder(folder)?, name.rsplit('/').next()?.strip_suffix(".md")?))
                })
                .collect(),
            anchors,
        }
    }

    /// The parsed file of `kind` with `id`.
    pub fn get(&self, kind: Kind, id: &str) -> Option<FileId> {
        self.ids.get(&(kind, id)).copied()
    }

    /// All ids of a kind.
    pub fn ids(&self, kind: Kind) -> impl Iterator<Item = &'a str> + '_ {
        self.ids.keys().filter(move |(k, _)| *k == kind).map(|(_, id)| *id)
    }

    /// Does page `i` have the anchor `a`? A guide whose front matter could not be read is given
    /// the benefit of the doubt: its own error is reported, not a follow-on one here.
    pub fn has_anchor(&self, i: FileId, a: &str) -> bool {
        let p = &self.parsed[i.0];
        if p.kind == Kind::Guide && p.matter.is_none() {
            return true;
        }
        self.anchors.get(i.0).is_some_and(|s| s.contains(a))
    }

    /// Resolves a link written in file `from`; `Err` holds a message and a help line.
    pub fn resolve(&self, from: FileId, dest: &str) -> Result<Target, (String, Option<String>)> {
        let dest = dest.trim();
        if dest.is_empty() {
            return Err((
                "link has no target".into(),
                Some("write the target between the brackets: [text](mastitis.md)".into()),
            ));
        }
        if has_scheme(dest) || dest.starts_with("//") {
            return Ok(Target::External(dest.to_string()));
        }
        let (path_part, fragment) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(percent_decode(f))),
            None => (dest, None),
        };
        let path_part = path_part.split('?').next().unwrap_or("");
        if path_part.is_empty() {
            let frag = fragment.unwrap_or_default();
            if self.has_anchor(from, &frag) {
                return Ok(Target::SamePage(frag));
            }
            return Err(self.missing_anchor(from, &frag));
        }
        if path_part.starts_with('/') || path_part.contains('\\') {
            return Err((
                format!("link `{dest}` must be a relative path"),
                Some("write the path from this file, e.g. `mastitis.md` or `../symptoms/fever.md`, so the site works from disk".into()),
            ));
        }
        let from_path = &self.parsed[from.0].source.path;
        let Some(target) = join(from_path, &percent_decode(path_part)) else {
            return Err((format!("link `{dest}` leads outside the content folder"), None));
        };
        if self.unread.contains(target.as_str()) {
            return Ok(Target::Unread);
        }
        if let Some(&i) = self.paths.get(target.as_str()) {
            if self.parsed[i.0].kind == Kind::Shared {
                return Err((
                    format!("link target `{dest}` is a shared block, which has no page of its own"),
                    Some("link a guide that uses it instead".into()),
                ));
            }
            return match fragment {
                Some(f) if !f.is_empty() && !self.has_anchor(i, &f) => Err(self.missing_anchor(i, &f)),
                f => Ok(Target::Page(i, f.filter(|f| !f.is_empty()))),
            };
        }
        if self.assets.contains(target.as_str()) {
            if let Some((message, help)) = self.uncopyable(&target) {
                return Err((message, Some(help)));
            }
            return Ok(Target::Asset(target));
        }
        let name = target.rsplit('/').next().unwrap_or("");
        let candidates: Vec<&str> = self.paths.keys().chain(self.assets.iter()).copied().collect();
        let same_folder: Vec<&str> = candidates.iter().filter_map(|c| c.rsplit('/').next()).collect();
        let help = did_you_mean(name, same_folder.iter().copied())
            .map(|s| format!("did you mean `{}`?", replace_last(dest, name, s)));
        let help = help.or_else(|| {
            if target.ends_with(".html") {
                Some("link the source file (`.md`), not the built page".to_string())
            } else {
                Some("check the file name; links are relative to this file".to_string())
            }
        });
        Err((format!("link target `{dest}` does not exist (looked for `{target}`)"), help))
    }

    /// Why a linked content file (root-relative `target`) cannot be copied into the output as it
    /// is: a name no output file may have, or one that would replace a file carebook generates.
    fn uncopyable(&self, target: &str) -> Option<(String, String)> {
        let out = target.strip_prefix("content/").unwrap_or(target);
        let rename = format!("rename `{target}` and the links to it");
        if out.contains('\\') {
            return Some((format!("the linked file `{target}` has a backslash in its name"), rename));
        }
        let (first, rest) = out.split_once('/').unwrap_or((out, ""));
        let page = |kind: Kind| {
            (rest == "index.html" && matches!(kind, Kind::Guide | Kind::Symptom | Kind::Cause))
                || rest.strip_suffix(".html").is_some_and(|id| self.ids.contains_key(&(kind, id)))
        };
        let generated = ["guides", "symptoms", "causes", "pages", "static", "search"].contains(&out)
            || first == "static"
            || first == "search"
            || FIXED_OUTPUT.iter().any(|(p, _)| *p == out)
            || Kind::from_folder(first).filter(|k| *k != Kind::Shared).is_some_and(page);
        if generated {
            return Some((
                format!("the linked file `{target}` would replace `{out}`, which carebook generates"),
                format!("{rename}; `static/` and the names of the built pages are reserved"),
            ));
        }
        None
    }

    fn missing_anchor(&self, page: FileId, frag: &str) -> (String, Option<String>) {
        let p = &self.parsed[page.0];
        let anchors = &self.anchors[page.0];
        let help = did_you_mean(frag, anchors.iter().map(String::as_str))
            .map(|s| format!("did you mean `#{s}`?"))
            .or_else(|| {
                let list: Vec<&str> = anchors.iter().map(String::as_str).take(12).collect();
                Some(format!("anchors on that page: {}", list.join(", ")))
            });
        (format!("anchor `#{frag}` does not exist in `{}`", p.source.path), help)
    }
}

fn replace_last(dest: &str, name: &str, with: &str) -> String {
    match dest.rfind(name) {
        Some(i) => format!("{}{}{}", &dest[..i], with, &dest[i + name.len()..]),
        None => with.to_string(),
    }
}

/// Is this file a draft guide?
pub fn is_draft(p: &Parsed) -> bool {
    matches!(p.matter.as_deref(), Some(Matter::Guide(g)) if g.draft)
}

fn has_scheme(s: &str) -> bool {
    match s.find(':') {
        Some(i) => {
            let scheme = &s[..i];
            !scheme.is_empty()
                && scheme.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'-' || b == b'.')
                && scheme.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
        }
        None => false,
    }
}

/// Joins a relative link to the folder of `from` (root-relative), normalising `.` and `..`.
fn join(from: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
                if parts.is_empty() {
                    return None;
                }
            }
            s => parts.push(s),
        }
    }
    if parts.first() != Some(&"content") || parts.len() < 2 {
        return None;
    }
    Some(parts.join("/"))
}

fn percent_decode(s: &str) -> String {
    String::from_utf8_lossy(&crate::text::percent_decode(s).bytes).into_owned()
}

/// The anchors a page will have.
fn anchors_of(p: &Parsed) -> BTreeSet<String> {
    let mut a: BTreeSet<String> = p.body.headings.iter().map(|h| h.id.clone()).collect();
    if let Some(Matter::Guide(g)) = p.matter.as_deref() {
        a.extend(GUIDE_FIXED_ANCHORS.iter().map(|s| s.to_string()));
        for (name, present) in [
            ("symptoms", !g.symptoms.is_empty()),
            ("causes", !g.causes.is_empty()),
            ("steps", !g.steps.is_empty()),
            ("mistakes", !g.mistakes.is_empty()),
            ("related", !g.related.is_empty()),
        ] {
            if present {
                a.insert(name.to_string());
            }
        }
        a.extend((1..=g.steps.len()).map(|n| format!("step-{n}")));
        a.extend((1..=g.sources.len()).map(|n| format!("source-{n}")));
    }
    a
}

/// What checking one file gave: its diagnostics, the symptoms and causes it names, the content
/// files it links to, and its links resolved (`None` when one of them did not resolve).
type FileChecks<'a> = (Vec<Diagnostic>, Vec<(Kind, &'a str)>, Vec<String>, Option<FileLinks>);

/// Runs every cross-file check; returns each file's resolved links, in file order, when every
/// link resolved (otherwise an error says why).
///
/// Links to files a browser would run on the site's address are refused (`active-file`), even
/// with `allow_raw_html`: they would be published unchecked.
pub fn check(parsed: &[Parsed], index: &Index, diags: &mut Vec<Diagnostic>) -> Option<Vec<FileLinks>> {
    duplicates(parsed, diags);
    // Each file's references and links are checked on their own, in parallel; the results are
    // merged in file order.
    let per_file: Vec<FileChecks> =
        parsed.par_iter().enumerate().map(|(i, p)| check_file(index, FileId(i), p)).collect();
    let mut referenced: BTreeSet<(Kind, &str)> = BTreeSet::new();
    let mut linked: BTreeSet<String> = BTreeSet::new();
    let mut resolved = Some(Vec::with_capacity(parsed.len()));
    for (d, r, a, l) in per_file {
        diags.extend(d);
        referenced.extend(r);
        linked.extend(a);
        resolved = resolved.zip(l).map(|(mut all, l)| {
            all.push(l);
            all
        });
    }
    statics(index, &linked, diags);
    diags.extend(name_clashes(linked.iter().chain(index.statics).map(String::as_str)));
    // A guide with front-matter errors may have lost references; orphans would be guesses then.
    let files_with_errors: BTreeSet<&str> =
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
fn check_file<'a>(index: &Index, i: FileId, p: &'a Parsed) -> FileChecks<'a> {
    let mut diags = Vec::new();
    let mut referenced: Vec<(Kind, &str)> = Vec::new();
    let file = p.source.path.as_str();
    if let Some(Matter::Guide(g)) = p.matter.as_deref() {
        for s in &g.symptoms {
            reference(index, Kind::Symptom, s, "symptoms", file, &mut diags);
            referenced.push((Kind::Symptom, &s.value));
        }
        for c in &g.causes {
            reference(index, Kind::Cause, c, "causes", file, &mut diags);
            referenced.push((Kind::Cause, &c.value));
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
                referenced.push((Kind::Symptom, &s.value));
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
            referenced.push((Kind::Symptom, &s.value));
        }
    }
    let mut assets = Vec::new();
    let body = links(index, i, &p.body, p.body_offset, None, &mut diags, &mut assets);
    let inline: Option<BTreeMap<usize, Vec<Target>>> = p
        .inline
        .iter()
        .map(|(start, field)| {
            let targets = links(index, i, &field.doc, field.base, Some(*start), &mut diags, &mut assets);
            targets.map(|t| (*start, t))
        })
        .collect();
    let resolved = body.zip(inline).map(|(body, inline)| FileLinks { body, inline });
    (diags, referenced, assets, resolved)
}

/// What a `shared:` item stands for: a step (in `steps`) or a warning sign (in `see_a_doctor`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Block {
    Step,
    Sign,
}

impl Block {
    fn noun(self) -> &'static str {
        match self {
            Block::Step => "step",
            Block::Sign => "warning sign",
        }
    }

    fn list(self) -> &'static str {
        match self {
            Block::Step => "steps",
            Block::Sign => "see_a_doctor",
        }
    }
}

/// What a shared file holds: its kind of item, the item's `cite`, and its first field.
type SharedItem<'m> = (Block, &'m [Spanned<String>], &'m Spanned<String>);

/// The block a shared file holds, with its `cite` and the span of its first field; `None` when it
/// does not hold exactly one item (reported by [`shared_block`]).
fn shared_item(m: &SharedMatter) -> Option<SharedItem<'_>> {
    match (&m.steps[..], &m.see_a_doctor[..]) {
        ([s], []) => Some((Block::Step, &s.cite, &s.title)),
        ([], [f]) => Some((Block::Sign, &f.cite, &f.sign)),
        _ => None,
    }
}

/// A shared file holds one step or one warning sign, and uses no other block.
fn shared_block(m: &SharedMatter, file: &str, diags: &mut Vec<Diagnostic>) {
    let nested =
        m.steps.iter().filter_map(|s| s.shared.as_ref()).chain(m.see_a_doctor.iter().filter_map(|f| f.shared.as_ref()));
    for id in nested {
        diags.push(
            Diagnostic::new(
                Code::InvalidValue,
                file,
                Some(id.span.clone()),
                "a shared block cannot use another shared block",
            )
            .with_label("not allowed here")
            .with_help(format!("write the item here in full, or use `{}` directly from the guides", id.value)),
        );
    }
    let count = m.steps.len() + m.see_a_doctor.len();
    if count != 1 {
        let second = m.steps.iter().map(|s| &s.title).chain(m.see_a_doctor.iter().map(|f| &f.sign)).nth(1);
        diags.push(
            Diagnostic::new(
                Code::InvalidValue,
                file,
                second.map(|s| s.span.clone()),
                format!("a shared block holds exactly one step or one warning sign; this one has {count}"),
            )
            .with_label("a second item")
            .with_help("put each step or warning sign in its own file under content/shared/"),
        );
    }
}

/// `path:line:column` of byte `at` in file `i`, for pointing from one file into another.
fn position(index: &Index, i: FileId, at: usize) -> String {
    let p = &index.parsed[i.0];
    let text = &p.source.text;
    let pos = crate::source::LineIndex::new(text).position(text, at);
    format!("{}:{}:{}", p.source.path, pos.line, pos.column)
}

/// A guide's `- shared: id` in `steps` (or `see_a_doctor`): the block exists, is a step (or a
/// warning sign), and every key it cites is a key of one of the guide's sources.
fn shared_use(
    index: &Index,
    id: &Spanned<String>,
    want: Block,
    g: &GuideMatter,
    file: &str,
    diags: &mut Vec<Diagnostic>,
) {
    let Some(i) = index.get(Kind::Shared, &id.value) else {
        reference(index, Kind::Shared, id, "shared", file, diags);
        return;
    };
    // A block with its own errors is reported where it is.
    let Some((block, cites, first)) = index.parsed[i.0].matter.as_deref().and_then(|m| match m {
        Matter::Shared(m) => shared_item(m),
        _ => None,
    }) else {
        return;
    };
    if block != want {
        diags.push(
            Diagnostic::new(
                Code::InvalidValue,
                file,
                Some(id.span.clone()),
                format!("the shared block `{}` is a {}, not a {}", id.value, block.noun(), want.noun()),
            )
            .with_label(format!("used as a {}", want.noun()))
            .with_help(format!(
                "{} holds a {}: use it under `{}`, or use a shared {} here",
                position(index, i, first.span.start),
                block.noun(),
                block.list(),
                want.noun()
            )),
        );
        return;
    }
    let keys: Vec<&str> = g.sources.iter().filter_map(|s| s.key.as_ref()).map(|k| k.value.as_str()).collect();
    for c in cites.iter().filter(|c| !keys.contains(&c.value.as_str())) {
        diags.push(
            Diagnostic::new(
                Code::UnknownCitation,
                file,
                Some(id.span.clone()),
                format!(
                    "the shared block `{}` cites the source `{}`, which no source of this guide has as its `key`",
                    id.value, c.value
                ),
            )
            .with_label("used here")
            .with_help(format!(
                "it is cited at {}: add that source to this guide's `sources` with `key: {}`",
                position(index, i, c.span.start),
                c.value
            )),
        );
    }
}

fn duplicates(parsed: &[Parsed], diags: &mut Vec<Diagnostic>) {
    let mut first: BTreeMap<(Kind, &str), &str> = BTreeMap::new();
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

fn reference(index: &Index, kind: Kind, id: &Spanned<String>, field: &str, file: &str, diags: &mut Vec<Diagnostic>) {
    if index.get(kind, &id.value).is_some()
        || index.unread_ids.contains(&(kind, id.value.as_str()))
        || !crate::schema::is_valid_id(&id.value)
    {
        return;
    }
    let help = match did_you_mean(&id.value, index.ids(kind)) {
        Some(s) => format!("did you mean `{s}`?"),
        None => {
            format!("create content/{}/{}.md, or use one of the existing {} ids", kind.folder(), id.value, kind.noun())
        }
    };
    diags.push(
        Diagnostic::new(
            Code::UnknownReference,
            file,
            Some(id.span.clone()),
            format!("`{field}` refers to the {} `{}`, which does not exist", kind.noun(), id.value),
        )
        .with_label(format!("no such {}", kind.noun()))
        .with_help(help),
    );
}

/// Checks the links of `doc`, a part of file `from` at `base`; the content files linked go into
/// `assets`. Returns the links resolved, in order, when every one of them resolved.
fn links(
    index: &Index,
    from: FileId,
    doc: &MdDoc,
    base: usize,
    clamp: Option<usize>,
    diags: &mut Vec<Diagnostic>,
    assets: &mut Vec<String>,
) -> Option<Vec<Target>> {
    let file = &index.parsed[from.0].source.path;
    let mut resolved = Some(Vec::with_capacity(doc.links.len()));
    for l in &doc.links {
        let span: Range<usize> = match clamp {
            Some(start) => start.max(base + l.span.start)..base + l.span.end,
            None => base + l.span.start..base + l.span.end,
        };
        let target = match index.resolve(from, &l.dest) {
            Err((message, help)) => {
                diags.push(
                    Diagnostic::new(Code::BrokenLink, file, Some(span), message)
                        .with_label("broken link")
                        .with_help_opt(help),
                );
                None
            }
            // The file's own error is reported.
            Ok(Target::Unread) => None,
            Ok(Target::Asset(path)) => {
                if let Some(what) = active_name(&path) {
                    diags.push(
                        Diagnostic::new(
                            Code::ActiveFile,
                            file,
                            Some(span),
                            format!("links to `{path}`, which a browser would run on this site's address ({what})"),
                        )
                        .with_label("active file")
                        .with_help(ACTIVE_HELP),
                    );
                } else if let Some(svg) = index.active_svgs.get(path.as_str()) {
                    diags.push(active_svg(svg));
                }
                assets.push(path.clone());
                Some(Target::Asset(path))
            }
            Ok(t) => Some(t),
        };
        resolved = resolved.zip(target).map(|(mut all, t)| {
            all.push(t);
            all
        });
    }
    resolved
}

/// Files at the top of the output that carebook writes, whatever the content.
pub const FIXED_OUTPUT: &[(&str, &str)] = &[
    ("index.html", "the home page"),
    ("404.html", "the page shown for a missing address"),
    ("print.html", "the page with every guide, for printing"),
    ("when-to-see-a-doctor.html", "the doctor index"),
    ("search/index.js", "the search index"),
    ("sw.js", "the service worker that keeps the site offline"),
    ("manifest.webmanifest", "the web app manifest"),
    ("guides/index.html", "the list of guides"),
    ("symptoms/index.html", "the list of symptoms"),
    ("causes/index.html", "the list of causes"),
    (crate::write::MARKER, "the file that marks carebook's output"),
];

/// Checks the files of `static/`: none a browser would run, none that would replace a file or
/// folder carebook writes (its pages, the linked content files `linked`, the theme's `static/`).
fn statics(index: &Index, linked: &BTreeSet<String>, diags: &mut Vec<Diagnostic>) {
    let mut written: BTreeMap<String, String> =
        FIXED_OUTPUT.iter().map(|(p, what)| (p.to_string(), what.to_string())).collect();
    for (&(kind, id), &i) in index.ids.iter().filter(|((k, _), _)| *k != Kind::Shared) {
        written
            .insert(format!("{}/{id}.html", kind.folder()), format!("the page of `{}`", index.parsed[i.0].source.path));
    }
    for a in linked {
        written.insert(a.trim_start_matches("content/").to_string(), format!("the linked file `{a}`"));
    }
    let folders: BTreeSet<&str> = written
        .keys()
        .flat_map(|p| p.match_indices('/').map(move |(at, _)| &p[..at]))
        .chain(Kind::ALL.iter().filter(|k| **k != Kind::Shared).map(|k| k.folder()))
        .collect();
    for path in index.statics {
        let out = path.strip_prefix("static/").unwrap_or(path);
        let clash = |message: String| {
            Diagnostic::new(Code::OutputClash, path, None, message).with_help(
                "rename or move it: static/ files go at the top of the output, beside the pages carebook writes",
            )
        };
        if let Some(what) = active_name(path) {
            diags.push(
                Diagnostic::new(
                    Code::ActiveFile,
                    path,
                    None,
                    format!("`{path}` would run on this site's address ({what})"),
                )
                .with_help("static/ is for files a host reads (CNAME, robots.txt, _headers) and plain files; write pages in content/"),
            );
        } else if let Some(svg) = index.active_svgs.get(path.as_str()) {
            diags.push(active_svg(svg));
        }
        let parents: Vec<&str> = out.match_indices('/').map(|(at, _)| &out[..at]).collect();
        if out.split('/').next() == Some("static") {
            diags.push(clash(format!("`{path}` would go into `static/`, the theme's folder in the output")));
        } else if let Some(what) = written.get(out) {
            diags.push(clash(format!("`{path}` would replace `{out}`, {what}")));
        } else if folders.contains(out) {
            diags.push(clash(format!("`{path}` would replace the folder `{out}/`, which carebook writes")));
        } else if let Some((p, what)) = parents.iter().find_map(|p| written.get_key_value(*p)) {
            diags.push(clash(format!("`{path}` needs a folder `{p}/`, but `{p}` is {what}")));
        }
    }
}

/// Published files (root-relative paths, published under the same names less their first folder)
/// whose names differ only in case or Unicode normalisation: a warning on each but the first
/// (by bytes) of each such group.
pub fn name_clashes<'p>(paths: impl IntoIterator<Item = &'p str>) -> Vec<Diagnostic> {
    use unicode_normalization::UnicodeNormalization;
    let mut groups: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for p in paths {
        let published = p.split_once('/').map_or(p, |(_, rest)| rest);
        groups.entry(published.nfc().collect::<String>().to_lowercase()).or_default().push(p);
    }
    let mut diags = Vec::new();
    for mut group in groups.into_values().filter(|g| g.len() > 1) {
        group.sort_unstable();
        group.dedup();
        let Some((first, others)) = group.split_first() else { continue };
        for other in others {
            diags.push(
                Diagnostic::new(
                    Code::NameClash,
                    *other,
                    None,
                    format!(
                        "`{other}` and `{first}` differ only in upper and lower case or in how accents are encoded: \
                         on macOS and Windows they are one file"
                    ),
                )
                .with_help("rename one of them (and the links to it), so that readers who copy the site get both"),
            );
        }
    }
    diags
}

/// What to do about a linked active file.
const ACTIVE_HELP: &str =
    "write it as a Markdown page in content/pages/, save it as PDF or PNG, or link to it on its own web site";

/// The diagnostic of an SVG image that is not a mere drawing, in the image itself (each link to it
/// gives the same one, reported once).
pub fn active_svg(svg: &ActiveSvg) -> Diagnostic {
    Diagnostic::new(
        Code::ActiveFile,
        &svg.path,
        svg.span.clone(),
        format!("the SVG image `{}` is not a plain drawing: {}", svg.path, svg.what),
    )
    .with_label("not allowed in a published image")
    .with_help(
        "remove it (in Inkscape: File > Save As > Plain SVG, or Optimized SVG), or save the image as PNG; \
         SVG images may not hold script, event handlers, embedded HTML or references to other files and sites",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_stays_inside_content() {
        assert_eq!(join("content/guides/a.md", "b.md").as_deref(), Some("content/guides/b.md"));
        assert_eq!(join("content/guides/a.md", "../symptoms/f.md").as_deref(), Some("content/symptoms/f.md"));
        assert_eq!(join("content/guides/a.md", "../../x.md"), None);
        assert_eq!(join("content/guides/a.md", "../../../etc/passwd"), None);
        assert_eq!(percent_decode("a%20b"), "a b");
        assert!(has_scheme("https://x"));
        assert!(has_scheme("mailto:a@b"));
        assert!(!has_scheme("a.md"));
        assert!(!has_scheme("a.md#x:y"));
    }
}
