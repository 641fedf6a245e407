//! Parse: split each file into front matter and body, type the front matter against the schema,
//! check its review dates, render the inline Markdown fields, and parse the body for its
//! headings, links, problems and (for a build) its HTML, so that no body is parsed twice.
//!
//! Input: [`SourceFile`]s. Output: one [`Parsed`] per file whose kind and front matter could be
//! read (best effort: a file with schema errors still yields what was valid, so later checks
//! report their problems too). Never reads the disk; runs in parallel, in a stable order.
//!
//! A one-off build lets go of each text as soon as its file is parsed without a problem (see
//! [`Options::release_texts`]): the body's HTML takes its place, so a large site is never held
//! twice, as Markdown and as HTML.

use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::Arc;

use crate::diagnostic::{Code, Diagnostic};
use crate::markdown::{self, MdDoc, MdOptions, MdProblem};
use crate::schema::Spanned;
use crate::schema::{self, Kind, Matter, Walker};
use crate::source::SourceFile;
use crate::yaml;

mod stored;
pub(crate) use stored::{parse_stored, record};

/// One content file, parsed. Cheap to clone: the parts are shared, so `serve` keeps the files
/// that did not change from one build to the next.
#[derive(Clone, Debug)]
pub struct Parsed {
    /// The file; its text is empty once released ([`Parsed::text_released`]).
    pub source: SourceFile,
    /// Whether the text was let go after parsing ([`Options::release_texts`]).
    pub(crate) text_released: bool,
    /// Which folder it is in.
    pub kind: Kind,
    /// Its id (the file stem).
    pub id: String,
    /// Typed front matter; `None` when it could not be typed (errors were reported).
    pub matter: Option<Arc<Matter>>,
    /// The Markdown body: headings, links, problems, the start of its text, and its HTML unless
    /// it was parsed for a check alone (see [`Parsed::body_html`]).
    pub(crate) body: Arc<MdDoc>,
    /// Whether `body` holds the body's HTML.
    pub(crate) body_has_html: bool,
    /// Byte offset of the body in the file.
    pub(crate) body_offset: usize,
    /// Inline Markdown front-matter fields, rendered, by the byte offset of their value; plain
    /// text fields ([`markdown::is_plain_inline`]) are left out.
    pub(crate) inline: Arc<BTreeMap<usize, InlineDoc>>,
    /// A fingerprint of the file (its path and text), made when it is parsed: equal fingerprints,
    /// same parse (with the same [`Options`]); caches of later stages are keyed by it.
    pub(crate) fingerprint: u64,
    /// Whether the front matter was read without a problem, so that the parse store may keep it
    /// (a problem is reported again by reading it again).
    pub(crate) matter_kept: bool,
}

/// An inline Markdown field of the front matter, rendered.
#[derive(Clone, Debug)]
pub(crate) struct InlineDoc {
    /// Byte offset of the field's text in the file (after an opening quote, if any): where the
    /// document's own spans start.
    pub(crate) base: usize,
    /// The rendered field.
    pub(crate) doc: MdDoc,
}

impl Parsed {
    /// The body with its HTML: [`Parsed::body`] itself when it holds it, or else the body parsed
    /// again (the same headings and links).
    pub(crate) fn body_html(&self, opts: MdOptions) -> Arc<MdDoc> {
        if self.body_has_html {
            return Arc::clone(&self.body);
        }
        // A check alone lets go of texts it made no HTML for; it renders nothing.
        debug_assert!(!self.text_released, "{}: no HTML and no text to make it from", self.source.path);
        let text = self.source.text.get(self.body_offset..).unwrap_or("");
        Arc::new(markdown::parse(text, MdOptions { skip_html: false, ..opts }))
    }

    /// Lets go of the text, as [`Options::release_texts`] does while parsing, when nothing later
    /// needs it: the body's HTML is kept and the file is a guide or a page. Says whether it did.
    pub(crate) fn release_text(&mut self) -> bool {
        if self.text_released || !self.body_has_html || !matches!(self.kind, Kind::Guide | Kind::Page) {
            return false;
        }
        self.source.text = Arc::from("");
        self.text_released = true;
        true
    }

    /// The rendered inline field whose value starts at `span.start` (empty if none).
    pub(crate) fn inline_doc(&self, span: &Range<usize>) -> Option<&MdDoc> {
        self.inline.get(&span.start).map(|i| &i.doc)
    }
}

/// How files are parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Markdown options: with `skip_html`, bodies are parsed without HTML (for a check alone).
    pub md: MdOptions,
    /// The day review dates are checked against.
    pub today: jiff::civil::Date,
    /// Let go of each file's text once it is parsed, when nothing else needs it: its body's HTML
    /// is kept (or, with `md.skip_html`, nothing is rendered: a check alone), it is a guide or
    /// page (the only later warning, about unused terms, concerns symptoms and causes), and
    /// parsing found nothing wrong in it. A later diagnostic about such a file cannot show its
    /// source: the caller then reads that file again, alone.
    pub release_texts: bool,
    /// What carebook.toml asks of citations and reviews ([`crate::trust`]).
    pub policy: crate::trust::Policy,
}

/// What parsing gave: the parsed files, and every file whose text is still held, for locating
/// diagnostics.
pub struct Output {
    /// One per file whose kind and front matter could be read, in file order.
    pub parsed: Vec<Parsed>,
    /// The files whose text was not released.
    pub(crate) sources: Vec<SourceFile>,
}

/// Parses every file in parallel; diagnostics are appended in file order.
pub fn parse(files: Vec<SourceFile>, opts: Options, diags: &mut Vec<Diagnostic>) -> Output {
    let results: Vec<_> = files.into_par_iter().map(|f| parse_one(f, opts, None)).collect();
    collect(results, diags)
}

/// What parsing one file gave: the parse, its diagnostics, and the file unless its text was let go.
type One = (Option<Parsed>, Vec<Diagnostic>, Option<SourceFile>);

/// Parses `f`, with the documents an earlier build `kept` for it if any, and lets go of its text
/// as [`Options::release_texts`] says.
fn parse_one(f: SourceFile, opts: Options, kept: Option<stored::Kept>) -> One {
    let mut d = Vec::new();
    match parse_file(&f, opts, &mut d, kept) {
        Some(mut p)
            if opts.release_texts
                && d.is_empty()
                && (p.body_has_html || opts.md.skip_html)
                && matches!(p.kind, Kind::Guide | Kind::Page) =>
        {
            // `f` goes at the end of this call, and with it the text, while the other files are
            // still being parsed.
            p.source.text = Arc::from("");
            p.text_released = true;
            (Some(p), d, None)
        }
        p => (p, d, Some(f)),
    }
}

/// The parses of [`parse_one`] in file order, their diagnostics appended to `diags`.
fn collect(results: Vec<One>, diags: &mut Vec<Diagnostic>) -> Output {
    let mut out = Output { parsed: Vec::with_capacity(results.len()), sources: Vec::new() };
    for (p, d, f) in results {
        diags.extend(d);
        out.parsed.extend(p);
        out.sources.extend(f);
    }
    out
}

/// What parsing each file gave, kept between builds (`serve`): a file whose text is unchanged is
/// not parsed again. A new day starts afresh, since review dates are checked against it.
#[derive(Default)]
pub(crate) struct Cache {
    opts: Option<Options>,
    files: HashMap<String, Cached>,
}

/// A file's text and what parsing it gave.
type Cached = (Arc<str>, Option<Parsed>, Vec<Diagnostic>);

/// [`parse`], reusing what `cache` holds for files whose text is unchanged, and keeping this run's
/// results in it (files that are gone are dropped). Every text is kept.
pub(crate) fn parse_cached(
    files: Vec<SourceFile>,
    opts: Options,
    diags: &mut Vec<Diagnostic>,
    cache: &mut Cache,
) -> Output {
    let opts = Options { release_texts: false, ..opts };
    if cache.opts != Some(opts) {
        cache.files.clear();
        cache.opts = Some(opts);
    }
    // The cache is updated in place: after a one-file edit, one entry changes.
    let known = &cache.files;
    let results: Vec<(Option<Parsed>, Vec<Diagnostic>, bool)> = files
        .par_iter()
        .map(|f| match known.get(&f.path) {
            Some((text, p, d)) if Arc::ptr_eq(text, &f.text) || **text == *f.text => (p.clone(), d.clone(), false),
            _ => {
                let mut d = Vec::new();
                let p = parse_file(f, opts, &mut d, None);
                (p, d, true)
            }
        })
        .collect();
    let mut parsed = Vec::with_capacity(results.len());
    for (f, (p, d, new)) in files.iter().zip(results) {
        diags.extend(d.iter().cloned());
        parsed.extend(p.clone());
        if new {
            cache.files.insert(f.path.clone(), (f.text.clone(), p, d));
        }
    }
    if cache.files.len() != files.len() {
        let here: std::collections::HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        cache.files.retain(|path, _| here.contains(path.as_str()));
    }
    Output { parsed, sources: files }
}

/// The kind and id of a content path (`content/guides/x.md`), or a diagnostic.
fn kind_and_id(path: &str, diags: &mut Vec<Diagnostic>) -> Option<(Kind, String)> {
    let parts: Vec<&str> = path.split('/').collect();
    let folder = parts.get(1).copied().unwrap_or("");
    let Some(kind) = Kind::from_folder(folder).filter(|_| parts.len() >= 3) else {
        diags.push(
            Diagnostic::new(
                Code::InvalidValue,
                path,
                None,
                "this Markdown file is not in content/guides, content/symptoms, content/causes or content/pages",
            )
            .with_help("move it into the folder for its kind, or rename it to README.md if it is a note"),
        );
        return None;
    };
    let name = parts.last().copied().unwrap_or("");
    let stem = &name[..name.len().saturating_sub(3)];
    if !schema::is_valid_id(stem) {
        diags.push(
            Diagnostic::new(
                Code::InvalidValue,
                path,
                None,
                format!("file name `{name}` is not a valid id: ids are lower-case letters, digits and single hyphens"),
            )
            .with_help(format!("rename the file to `{}.md`", schema::suggest_id(stem))),
        );
    }
    Some((kind, stem.to_string()))
}

/// The parts of a file with front matter.
struct Split {
    /// Span of the opening fence line.
    open: Range<usize>,
    /// The YAML text's range.
    yaml: Range<usize>,
    /// Where the body starts.
    body: usize,
}

/// Splits front matter off; reports `front-matter` problems.
fn split(path: &str, text: &str, diags: &mut Vec<Diagnostic>) -> Option<Split> {
    // Lines are read as far as needed (to the closing `---`), not the whole body.
    let mut lines = Lines::new(text);
    let first_content = lines.by_ref().enumerate().find(|(_, r)| !text[r.clone()].trim().is_empty());
    let Some((first, first_line)) = first_content else {
        diags.push(
            Diagnostic::new(Code::FrontMatter, path, None, "file is empty")
                .with_help("start the file with front matter between two `---` lines, then the text"),
        );
        return None;
    };
    let is_fence = |r: &Range<usize>| text[r.clone()].trim_end() == "---";
    if !is_fence(&first_line) {
        let later = lines.find(|r| is_fence(r));
        let (span, msg, help) = match later {
            Some(r) => (
                Some(r.clone()),
                "front matter must be at the very top of the file".to_string(),
                "move the `---` block to line 1, before any text".to_string(),
            ),
            None => (
                None,
                "no front matter: the file must start with a line `---`".to_string(),
                "add front matter at the top:\n---\ntitle: ...\nsummary: ...\n---".to_string(),
            ),
        };
        diags.push(Diagnostic::new(Code::FrontMatter, path, span, msg).with_help(help));
        return None;
    }
    if first != 0 {
        diags.push(
            Diagnostic::new(
                Code::FrontMatter,
                path,
                Some(first_line),
                "front matter must start on the first line; blank lines come before it",
            )
            .with_help("remove the blank lines above `---`"),
        );
        return None;
    }
    let open = first_line;
    let close = lines.find(|r| matches!(text[r.clone()].trim_end(), "---" | "..."));
    let Some(close) = close else {
        diags.push(
            Diagnostic::new(Code::FrontMatter, path, Some(open.clone()), "front matter is not closed")
                .with_label("opened here")
                .with_help("add a line `---` after the last front-matter field"),
        );
        return None;
    };
    let yaml_start = line_end(text, open.end);
    let body = line_end(text, close.end);
    Some(Split { open, yaml: yaml_start..close.start, body })
}

/// Byte ranges of lines without their endings, one at a time: [`line_ranges`] as it goes.
struct Lines<'t> {
    bytes: &'t [u8],
    start: usize,
    /// Whether a line ending was seen.
    ended: bool,
    done: bool,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Self {
        Lines { bytes: text.as_bytes(), start: 0, ended: false, done: false }
    }
}

impl Iterator for Lines<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        if self.done {
            return None;
        }
        let b = self.bytes;
        let rest = b.get(self.start..).unwrap_or(&[]);
        if let Some(k) = memchr::memchr2(b'\n', b'\r', rest) {
            let i = self.start + k;
            let line = self.start..i;
            self.start = if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') { i + 2 } else { i + 1 };
            self.ended = true;
            return Some(line);
        }
        self.done = true;
        // The text after the last line ending, or the whole text when it has none (even empty).
        (self.start < b.len() || !self.ended).then_some(self.start..b.len())
    }
}

/// Byte ranges of lines without their endings.
fn line_ranges(text: &str) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\n' || b[i] == b'\r' {
            out.push(start..i);
            if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') {
                i += 1;
            }
            start = i + 1;
        }
        i += 1;
    }
    if start < b.len() || out.is_empty() {
        out.push(start..b.len());
    }
    out
}

/// The offset just after the line ending that starts at `at` (if any).
fn line_end(text: &str, at: usize) -> usize {
    let b = text.as_bytes();
    match b.get(at) {
        Some(b'\r') if b.get(at + 1) == Some(&b'\n') => at + 2,
        Some(b'\r' | b'\n') => at + 1,
        _ => at,
    }
}

fn parse_file(
    file: &SourceFile,
    opts: Options,
    diags: &mut Vec<Diagnostic>,
    kept: Option<stored::Kept>,
) -> Option<Parsed> {
    let (kind, id) = kind_and_id(&file.path, diags)?;
    let text: &str = &file.text;
    let sp = split(&file.path, text, diags)?;
    let (kept_matter, kept_body, mut kept_inline) =
        kept.map(|k| (k.matter, Some(k.body), k.inline)).unwrap_or_default();
    let before = diags.len();
    let matter = kept_matter.or_else(|| read_matter(file, kind, &sp, diags));
    // Read without a problem: the parse store may keep it.
    let matter_kept = matter.is_some() && diags.len() == before;
    if matter.as_ref().is_some_and(Matter::is_example) {
        diags.push(example(&file.path, text, sp.yaml.clone()));
    }
    crate::trust::check_file(&file.path, text, sp.body, matter.as_ref(), opts.policy, diags);
    match &matter {
        Some(Matter::Guide(g)) => dates(&file.path, g.reviewed.as_ref(), g.review_due.as_ref(), opts.today, diags),
        Some(Matter::Term(t)) => dates(&file.path, t.reviewed.as_ref(), t.review_due.as_ref(), opts.today, diags),
        _ => {}
    }
    let mut body = kept_body.unwrap_or_else(|| markdown::parse(&text[sp.body..], opts.md));
    // Kept until the page is rendered: no spare room.
    exact(&mut body.html);
    report_problems(&file.path, &body, sp.body, None, diags);
    let mut inline = BTreeMap::new();
    if let Some(m) = &matter {
        for field in m.markdown_fields() {
            // Plain sentences have no links, ids or problems: `render` escapes them directly.
            if markdown::is_plain_inline(&field.value) {
                continue;
            }
            let doc =
                kept_inline.remove(&field.span.start).unwrap_or_else(|| markdown::parse_inline(&field.value, opts.md));
            // Map problems to the field's value: exact for plain one-line scalars, close otherwise.
            let quoted = text.get(field.span.start..field.span.start + 1).is_some_and(|c| c == "\"" || c == "'");
            let base = field.span.start + usize::from(quoted);
            report_problems(&file.path, &doc, base, Some(field.span.clone()), diags);
            inline.insert(field.span.start, InlineDoc { base, doc });
        }
    }
    Some(Parsed {
        source: file.clone(),
        text_released: false,
        kind,
        id,
        matter: matter.map(Arc::new),
        body: Arc::new(body),
        body_has_html: !opts.md.skip_html,
        body_offset: sp.body,
        inline: Arc::new(inline),
        fingerprint: fingerprint(file),
        matter_kept,
    })
}

/// The front matter of `file` (of `kind`, split at `sp`), typed against the schema; its problems
/// go to `diags`.
fn read_matter(file: &SourceFile, kind: Kind, sp: &Split, diags: &mut Vec<Diagnostic>) -> Option<Matter> {
    let text: &str = &file.text;
    let yaml_text = &text[sp.yaml.clone()];
    match yaml::parse(yaml_text) {
        Ok(y) => Walker::new(&file.path, text, sp.yaml.start, sp.open.clone(), diags).matter(&y, kind),
        Err(e) => {
            // Read what can still be read, so that one run shows the file's other problems too.
            let r = yaml::recover(yaml_text, e);
            for e in &r.errors {
                diags.push(yaml_diagnostic(&file.path, text, sp.yaml.start, e));
            }
            let tree = r.tree?;
            let mut w = Walker::new(&file.path, text, sp.yaml.start, sp.open.clone(), diags);
            w.unreadable(&r.unreadable).matter(&tree, kind)
        }
    }
}

/// Gives `s` an allocation of its own length. `String::shrink_to_fit` does not do that: it asks the
/// allocator to shrink in place, and mimalloc keeps a block that is still at least half used, so
/// a body's HTML (reserved at twice its Markdown's length, about 1.2 times used) kept its whole
/// block: about 4 KiB more per guide, half a GiB at 100,000 guides. A copy is a few hundred MiB of
/// memcpy at that size, once.
fn exact(s: &mut String) {
    if s.capacity() > s.len() {
        *s = s.as_str().to_owned();
    }
}

/// [`Parsed::fingerprint`] of `file`.
pub(crate) fn fingerprint(file: &SourceFile) -> u64 {
    // aHash: every file's whole text is hashed on each run, several times faster than SipHash.
    crate::fingerprint::hash_of(&(&file.path, &file.text))
}

/// The line the YAML text starts on: the one after the opening `---`, which must be line 1.
const FIRST_YAML_LINE: usize = 2;

/// A YAML syntax error in the front matter that starts at byte `base` of the file.
fn yaml_diagnostic(path: &str, text: &str, base: usize, e: &yaml::YamlError) -> Diagnostic {
    let start = base + e.span.start;
    let end = (base + e.span.end).max(start + 1).min(text.len().max(start));
    let msg = format!("front matter is not valid YAML: {}", e.message);
    Diagnostic::new(Code::Yaml, path, Some(start..end), msg).with_label("here").with_help(e.hint(FIRST_YAML_LINE))
}

/// The `example` warning of a file `carebook init` wrote, at its `example:` line.
fn example(path: &str, text: &str, yaml: Range<usize>) -> Diagnostic {
    let span = line_ranges(&text[yaml.clone()])
        .into_iter()
        .map(|r| yaml.start + r.start..yaml.start + r.end)
        .find(|r| text[r.clone()].starts_with("example:"));
    Diagnostic::new(
        Code::Example,
        path,
        span,
        "this file is an example written by `carebook init`: builds leave it out (unless --drafts)",
    )
    .with_label("an example")
    .with_help("make it yours: write your own text and delete the `example: true` line; or delete the file")
}

/// Review dates: `review_due` after `reviewed`, and not past.
fn dates(
    file: &str,
    reviewed: Option<&Spanned<jiff::civil::Date>>,
    due: Option<&Spanned<jiff::civil::Date>>,
    today: jiff::civil::Date,
    diags: &mut Vec<Diagnostic>,
) {
    if let (Some(r), Some(d)) = (reviewed, due)
        && d.value <= r.value
    {
        diags.push(
            Diagnostic::new(
                Code::DateOrder,
                file,
                Some(d.span.clone()),
                format!("`review_due` ({}) must be after `reviewed` ({})", d.value, r.value),
            )
            .with_label("not after `reviewed`")
            .with_help("set the next review date after the last review, usually within 12 months"),
        );
        return;
    }
    if let Some(d) = due
        && d.value < today
    {
        diags.push(
            Diagnostic::new(
                Code::ReviewOverdue,
                file,
                Some(d.span.clone()),
                format!("review was due on {}; this page is overdue for review", d.value),
            )
            .with_label("in the past")
            .with_help("check the page against current guidance, then update `reviewed` and `review_due`"),
        );
    }
}

/// Reports raw HTML, remote resources and unsafe links of a rendered document at `base`.
fn report_problems(path: &str, doc: &MdDoc, base: usize, clamp: Option<Range<usize>>, diags: &mut Vec<Diagnostic>) {
    let at = |r: &Range<usize>| crate::source::file_span(base, r, clamp.clone());
    for p in &doc.problems {
        let d = match p {
            MdProblem::RawHtml { span, snippet } => Diagnostic::new(
                Code::RawHtml,
                path,
                Some(at(span)),
                format!("raw HTML is not allowed in content: `{snippet}`"),
            )
            .with_label("raw HTML")
            .with_help(
                "use Markdown instead (e.g. **bold**, lists, links); raw HTML can break pages and hide unsafe code",
            ),
            MdProblem::RemoteResource { url, span } => Diagnostic::new(
                Code::RemoteResource,
                path,
                Some(at(span)),
                format!("image loaded from another site: {url}"),
            )
            .with_label("remote image")
            .with_help("pages must work offline: save the picture next to the guide and link it by file name"),
            MdProblem::UnsafeLink { url, scheme, span } => {
                let shown: String = url.chars().take(60).collect();
                let what =
                    if scheme == "//" { "another host without `https:`".to_string() } else { format!("`{scheme}`") };
                Diagnostic::new(
                    Code::InvalidValue,
                    path,
                    Some(at(span)),
                    format!("link to {what} is not allowed: `{shown}`"),
                )
                .with_label("not allowed")
                .with_help(format!("links may be {}; images must be files in content/", markdown::ALLOWED_SCHEMES))
            }
            MdProblem::HeadingId { span, id, taken } => Diagnostic::new(
                Code::DuplicateId,
                path,
                Some(at(span)),
                format!("the heading id `{id}` is already taken on this page"),
            )
            .with_label("id taken")
            .with_help(format!(
                "give this heading another `{{#id}}`: it would get `{taken}`, and links to `#{id}` would go elsewhere"
            )),
            MdProblem::InsecureLink { url, span } => {
                let shown: String = url.chars().take(60).collect();
                Diagnostic::new(Code::InsecureLink, path, Some(at(span)), format!("link without encryption: `{shown}`"))
                    .with_label("http:")
                    .with_help(
                        "use the site's https:// address; browsers may warn readers about or block http:// links",
                    )
            }
        };
        diags.push(d);
    }
}

#[cfg(test)]
mod tests;
