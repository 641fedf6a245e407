//! Parse: split each file into front matter and body, type the front matter against the schema,
//! render the inline Markdown fields, and parse the body for its headings, links and problems
//! (its HTML is made by `render`, page by page, so that a large site is never held as HTML).
//!
//! Input: [`SourceFile`]s. Output: one [`Parsed`] per file whose kind and front matter could be
//! read (best effort: a file with schema errors still yields what was valid, so later checks
//! report their problems too). Never reads the disk; runs in parallel, in a stable order.

use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::Arc;

use crate::diagnostic::{Code, Diagnostic};
use crate::markdown::{self, MdDoc, MdOptions, MdProblem};
use crate::schema::{self, Kind, Matter, Walker};
use crate::source::SourceFile;
use crate::yaml;

/// One content file, parsed. Cheap to clone: the parts are shared, so `serve` keeps the files
/// that did not change from one build to the next.
#[derive(Clone, Debug)]
pub struct Parsed {
    /// The file.
    pub source: SourceFile,
    /// Which folder it is in.
    pub kind: Kind,
    /// Its id (the file stem).
    pub id: String,
    /// Typed front matter; `None` when it could not be typed (errors were reported).
    pub matter: Option<Arc<Matter>>,
    /// The Markdown body: headings, links, problems and the start of its text, without HTML
    /// (see [`Parsed::body_html`]).
    pub body: Arc<MdDoc>,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
    /// Inline Markdown front-matter fields, rendered, by the byte offset of their value; plain
    /// text fields ([`markdown::is_plain_inline`]) are left out.
    pub inline: Arc<BTreeMap<usize, MdDoc>>,
}

impl Parsed {
    /// The body parsed again, with its HTML: the same headings and links as [`Parsed::body`].
    pub fn body_html(&self, opts: MdOptions) -> MdDoc {
        let text = self.source.text.get(self.body_offset..).unwrap_or("");
        markdown::parse(text, MdOptions { skip_html: false, ..opts })
    }

    /// The rendered inline field whose value starts at `span.start` (empty if none).
    pub fn inline_doc(&self, span: &Range<usize>) -> Option<&MdDoc> {
        self.inline.get(&span.start)
    }
}

/// Parses every file in parallel; diagnostics are appended in file order.
pub fn parse(files: &[SourceFile], opts: MdOptions, diags: &mut Vec<Diagnostic>) -> Vec<Parsed> {
    parse_with(files, opts, diags, None)
}

/// What parsing each file gave, kept between builds (`serve`): a file whose text is unchanged is
/// not parsed again.
#[derive(Default)]
pub struct Cache {
    opts: Option<MdOptions>,
    files: HashMap<String, Cached>,
}

/// A file's text and what parsing it gave.
type Cached = (Arc<str>, Option<Parsed>, Vec<Diagnostic>);

/// [`parse`], reusing what `cache` holds for files whose text is unchanged, and keeping this run's
/// results in it (files that are gone are dropped).
pub fn parse_cached(
    files: &[SourceFile],
    opts: MdOptions,
    diags: &mut Vec<Diagnostic>,
    cache: &mut Cache,
) -> Vec<Parsed> {
    parse_with(files, opts, diags, Some(cache))
}

/// [`parse`], with or without a cache (a one-off build keeps nothing).
fn parse_with(
    files: &[SourceFile],
    opts: MdOptions,
    diags: &mut Vec<Diagnostic>,
    mut cache: Option<&mut Cache>,
) -> Vec<Parsed> {
    let old = match cache.as_deref_mut() {
        Some(cache) => {
            if cache.opts != Some(opts) {
                cache.files.clear();
                cache.opts = Some(opts);
            }
            std::mem::take(&mut cache.files)
        }
        None => HashMap::new(),
    };
    let results: Vec<(Option<Parsed>, Vec<Diagnostic>)> = files
        .par_iter()
        .map(|f| match old.get(&f.path) {
            Some((text, p, d)) if Arc::ptr_eq(text, &f.text) || **text == *f.text => (p.clone(), d.clone()),
            _ => {
                let mut d = Vec::new();
                let p = parse_file(f, opts, &mut d);
                (p, d)
            }
        })
        .collect();
    let mut out = Vec::with_capacity(results.len());
    for (f, (p, d)) in files.iter().zip(results) {
        match cache.as_deref_mut() {
            Some(cache) => {
                diags.extend(d.iter().cloned());
                out.extend(p.clone());
                cache.files.insert(f.path.clone(), (f.text.clone(), p, d));
            }
            None => {
                diags.extend(d);
                out.extend(p);
            }
        }
    }
    out
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
    let lines = line_ranges(text);
    let first_content = lines.iter().position(|r| !text[r.clone()].trim().is_empty());
    let Some(first) = first_content else {
        diags.push(
            Diagnostic::new(Code::FrontMatter, path, None, "file is empty")
                .with_help("start the file with front matter between two `---` lines, then the text"),
        );
        return None;
    };
    let is_fence = |r: &Range<usize>| text[r.clone()].trim_end() == "---";
    if !is_fence(&lines[first]) {
        let later = lines.iter().skip(first + 1).find(|r| is_fence(r));
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
                Some(lines[first].clone()),
                "front matter must start on the first line; blank lines come before it",
            )
            .with_help("remove the blank lines above `---`"),
        );
        return None;
    }
    let open = lines[0].clone();
    let close = lines.iter().skip(1).find(|r| matches!(text[(*r).clone()].trim_end(), "---" | "..."));
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

fn parse_file(file: &SourceFile, opts: MdOptions, diags: &mut Vec<Diagnostic>) -> Option<Parsed> {
    let (kind, id) = kind_and_id(&file.path, diags)?;
    let text: &str = &file.text;
    let sp = split(&file.path, text, diags)?;
    let yaml_text = &text[sp.yaml.clone()];
    let matter = match yaml::parse(yaml_text) {
        Ok(y) => {
            let mut w = Walker::new(&file.path, text, sp.yaml.start, sp.open.clone(), diags);
            w.matter(&y, kind)
        }
        Err(e) => {
            let start = sp.yaml.start + e.span.start;
            let end = (sp.yaml.start + e.span.end).max(start + 1).min(text.len().max(start));
            let msg = format!("front matter is not valid YAML: {}", e.message);
            diags.push(
                Diagnostic::new(Code::Yaml, &file.path, Some(start..end), msg).with_label("here").with_help_opt(e.hint),
            );
            None
        }
    };
    let body_text = &text[sp.body..];
    // The body's HTML is made when its page is rendered (`render`), not kept for every file here.
    let body = markdown::parse(body_text, MdOptions { skip_html: true, ..opts });
    report_problems(&file.path, &body, sp.body, None, diags);
    let mut inline = BTreeMap::new();
    if let Some(m) = &matter {
        for field in inline_fields(m) {
            // Plain sentences have no links, ids or problems: `render` escapes them directly.
            if markdown::is_plain_inline(&field.value) {
                continue;
            }
            let doc = markdown::parse_inline(&field.value, opts);
            // Map problems to the field's value: exact for plain one-line scalars, close otherwise.
            let quoted = text.get(field.span.start..field.span.start + 1).is_some_and(|c| c == "\"" || c == "'");
            let base = field.span.start + usize::from(quoted);
            report_problems(&file.path, &doc, base, Some(field.span.clone()), diags);
            inline.insert(field.span.start, doc);
        }
    }
    Some(Parsed {
        source: file.clone(),
        kind,
        id,
        matter: matter.map(Arc::new),
        body: Arc::new(body),
        body_offset: sp.body,
        inline: Arc::new(inline),
    })
}

/// The front-matter fields that hold inline Markdown.
pub fn inline_fields(m: &Matter) -> Vec<&schema::Spanned<String>> {
    let mut out = Vec::new();
    match m {
        Matter::Guide(g) => {
            for s in &g.steps {
                out.push(&s.text);
                out.extend(s.caution.as_ref());
            }
            for x in &g.mistakes {
                out.push(&x.mistake);
                out.push(&x.instead);
                out.extend(x.why.as_ref());
            }
            for r in &g.see_a_doctor {
                out.push(&r.sign);
            }
        }
        Matter::Term(t) => out.extend(t.prevention.iter()),
        Matter::Page(_) => {}
    }
    out
}

/// Reports raw HTML, remote resources and unsafe links of a rendered document at `base`.
fn report_problems(path: &str, doc: &MdDoc, base: usize, clamp: Option<Range<usize>>, diags: &mut Vec<Diagnostic>) {
    let at = |r: &Range<usize>| -> Range<usize> {
        let s = base + r.start;
        let e = base + r.end;
        match &clamp {
            Some(c) => s.min(c.end.saturating_sub(1)).max(c.start)..e.min(c.end).max(c.start + 1),
            None => s..e,
        }
    };
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
            MdProblem::UnsafeLink { url, span } => {
                let shown: String = url.chars().take(40).collect();
                Diagnostic::new(Code::InvalidValue, path, Some(at(span)), format!("unsafe link target `{shown}`"))
                    .with_label("not allowed")
                    .with_help("links may point to web pages (https://…) or to other content files (mastitis.md)")
            }
        };
        diags.push(d);
    }
}

#[cfg(test)]
mod cache_tests {
    use super::*;

    fn file(path: &str, text: &str) -> SourceFile {
        SourceFile { path: path.into(), text: text.into() }
    }

    #[test]
    fn unchanged_files_are_not_parsed_again_and_keep_their_diagnostics() {
        let opts = MdOptions::default();
        let good = file("content/guides/a.md", "---\ntitle: A\n---\nBody.\n");
        let bad = file("content/guides/b.md", "---\ntitel: B\n---\nBody.\n");
        let mut cache = Cache::default();
        let mut first_diags = Vec::new();
        let first = parse_cached(&[good.clone(), bad.clone()], opts, &mut first_diags, &mut cache);
        assert!(!first_diags.is_empty());

        // The same texts (even as new allocations): the very same parse, the same diagnostics.
        let again = [file(&good.path, &good.text), bad.clone()];
        let mut diags = Vec::new();
        let second = parse_cached(&again, opts, &mut diags, &mut cache);
        assert_eq!(diags, first_diags);
        assert!(Arc::ptr_eq(&first[0].body, &second[0].body), "reparsed an unchanged file");

        // An edited file is parsed again; a vanished one leaves the cache.
        let edited = file(&good.path, "---\ntitle: A\n---\nOther body.\n");
        let third = parse_cached(&[edited], opts, &mut Vec::new(), &mut cache);
        assert!(!Arc::ptr_eq(&first[0].body, &third[0].body));
        assert_eq!(cache.files.len(), 1);

        // Other options: nothing is reused.
        let raw = MdOptions { allow_raw_html: true, ..opts };
        let fourth =
            parse_cached(&[file(&good.path, "---\ntitle: A\n---\nOther body.\n")], raw, &mut Vec::new(), &mut cache);
        assert!(!Arc::ptr_eq(&third[0].body, &fourth[0].body));
    }
}
