//! Markdown rendering: the only module that talks to `pulldown-cmark`.
//!
//! Input: a Markdown string (a page body, or one inline front-matter field) and
//! [`MdOptions`]. Output: an [`MdDoc`] whose `html` still contains placeholders
//! for every link/image destination, heading id and footnote id, plus the lists
//! the caller needs to resolve them (`links`, `headings`, `footnotes`), the
//! problems found (`problems`) and the plain text for the search index.
//! [`fill`] then substitutes the final, escaped values in one pass.
//!
//! Placeholders exist so that URL rewriting (`x.md` → `x.html`) and id
//! prefixing stay in the caller, and so that a rendered document can be cached
//! and filled differently (page vs. print view).
//!
//! This module must never panic on any input, never pass raw HTML through
//! unless `allow_raw_html` is set, and never emit output that depends on
//! hash-map iteration order. Heading attributes (`## Dose {#id .class}`) are
//! not parsed: braces stay text, so no word of a heading is ever dropped.

use crate::text::push_escaped;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet, VecDeque};
use std::ops::Range;

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

/// Options for rendering.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MdOptions {
    /// Pass raw HTML through instead of dropping it with a [`MdProblem::RawHtml`]. A page author can
    /// then also forge placeholders (e.g. `href="cb-slot:3"`), so [`fill`]'s
    /// closures must cope with any index.
    pub allow_raw_html: bool,
    /// Record headings, links, problems and text but write no HTML (`check` needs no pages).
    pub skip_html: bool,
}

/// A parsed and rendered Markdown text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MdDoc {
    /// HTML with placeholders: every link/image destination is written as
    /// `href="cb-slot:N"` / `src="cb-slot:N"` where N indexes `links` (except
    /// unsafe links, written as `"#"`); every heading id as `id="cb-id:N"`
    /// where N indexes `headings`; footnotes as `id="cb-fn:N"`,
    /// `href="#cb-fn:N"`, `id="cb-fnref:N"`, `href="#cb-fnref:N"` where N
    /// indexes `footnotes`. Use [`fill`] to produce final HTML.
    pub html: String,
    /// Headings in document order (including those inside footnotes).
    pub headings: Vec<Heading>,
    /// Link and image destinations in document order.
    pub links: Vec<MdLink>,
    /// Problems found, in document order.
    pub problems: Vec<MdProblem>,
    /// Footnote names (as first written), indexed by footnote number - 1:
    /// numbered by first reference, then never-referenced definitions.
    pub footnotes: Vec<String>,
    /// Plain text of the start of the document (Text and Code events, separated by
    /// spaces/newlines), for the search index: at most [`TEXT_LIMIT`] bytes and the text event
    /// that crosses it, since the index keeps only the first few hundred characters.
    pub text: String,
}

/// Past this many bytes of plain text, [`MdDoc::text`] takes no more: a whole body's text would
/// cost memory for every page of a large site.
pub const TEXT_LIMIT: usize = 1024;

/// A heading of the document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// Final, document-unique id: the slug of its text, maybe suffixed.
    pub id: String,
    /// Plain text of the heading (Text and Code events).
    pub text: String,
    /// Byte range of the heading in the source.
    pub span: Range<usize>,
}

/// A link or image destination, as written in the source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MdLink {
    /// Destination as written (email autolinks get a `mailto:` prefix).
    pub dest: String,
    /// Link or image.
    pub kind: LinkKind,
    /// Byte range of the whole link/image construct in the source.
    pub span: Range<usize>,
}

/// What kind of element a [`MdLink`] came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkKind {
    /// `<a href>`.
    Link,
    /// `<img src>`: the resource is loaded by the browser.
    Image,
}

/// Something the author should fix; the caller decides whether it is fatal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MdProblem {
    /// Raw HTML (block or inline, comments included) while allow_raw_html is
    /// false; it is dropped from the output (not passed through).
    RawHtml {
        /// Byte range in the source.
        span: Range<usize>,
        /// First line of the HTML, trimmed, at most 60 characters.
        snippet: String,
    },
    /// An image (or any resource that would be loaded) from another host:
    /// http:, https:, ftp:, or protocol-relative //host. Still rendered
    /// with its placeholder.
    RemoteResource {
        /// The destination as written.
        url: String,
        /// Byte range of the image in the source.
        span: Range<usize>,
    },
    /// A link or image whose scheme is not allowed. Links may be relative or use
    /// [`ALLOWED_SCHEMES`]; images may only be relative (a remote image is a
    /// [`MdProblem::RemoteResource`]). The scheme is read as a browser reads it:
    /// leading spaces and control characters skipped, tabs and line breaks
    /// removed, case ignored; `//host`, `\\host` and `/\host` (another host,
    /// whatever the page's own scheme) count as the scheme `//`. Its href/src is
    /// written as "#" (no placeholder), but it is still listed in `links`.
    UnsafeLink {
        /// The destination as written.
        url: String,
        /// The scheme, lower-case, with its colon (`file:`), or `//`.
        scheme: String,
        /// Byte range of the link in the source.
        span: Range<usize>,
    },
    /// A link with `http:`: allowed, but readers' browsers may warn or refuse.
    InsecureLink {
        /// The destination as written.
        url: String,
        /// Byte range of the link in the source.
        span: Range<usize>,
    },
}

/// The schemes a link may use, as listed in messages; `http:` is allowed with a warning.
pub const ALLOWED_SCHEMES: &str =
    "relative links to content files (mastitis.md), https:, http: (with a warning), mailto: and tel:";

/// Parse and render a Markdown body (a block document).
#[must_use]
pub fn parse(src: &str, opts: MdOptions) -> MdDoc {
    render(src, 0, opts, false)
}

/// Parse and render a single paragraph of inline Markdown (front-matter
/// fields such as step text): the output has NO surrounding `<p>…</p>`.
/// Leading whitespace is ignored (so it cannot turn into a code block);
/// several paragraphs are joined with `<br />`; other block constructs
/// (headings, lists…) are rendered as blocks.
#[must_use]
pub fn parse_inline(src: &str, opts: MdOptions) -> MdDoc {
    let trimmed = src.trim_start();
    render(trimmed, src.len() - trimmed.len(), opts, true)
}

/// Whether the inline field `src` is plain text that [`parse_inline`] would render as itself:
/// no character that can start Markdown or HTML, no control character or line break, no space
/// at either end, and no first character that can start a block (list, heading, quote). Most
/// fields are such sentences; they skip the parser ([`plain_inline_html`] gives the same HTML).
#[must_use]
pub fn is_plain_inline(src: &str) -> bool {
    let Some(first) = src.chars().next() else {
        return false;
    };
    if first.is_ascii_digit() || matches!(first, '-' | '+' | '=') || src.trim() != src {
        return false;
    }
    // Bytes, not chars: every character that matters is ASCII, except the C1 controls (U+0080 to
    // U+009F, which UTF-8 writes as 0xC2 0x80..=0x9F).
    let bytes = src.as_bytes();
    bytes.iter().enumerate().all(|(i, &b)| {
        if b.is_ascii() {
            !(b.is_ascii_control()
                || matches!(
                    b,
                    b'\\'
                        | b'`'
                        | b'*'
                        | b'_'
                        | b'['
                        | b']'
                        | b'<'
                        | b'>'
                        | b'&'
                        | b'!'
                        | b'#'
                        | b'|'
                        | b'~'
                        | b'^'
                        | b'$'
                        | b'{'
                        | b'}'
                ))
        } else {
            !(b == 0xC2 && bytes.get(i + 1).is_some_and(|n| (0x80..=0x9F).contains(n)))
        }
    })
}

/// The HTML of a field for which [`is_plain_inline`] holds: what [`parse_inline`] makes of it.
#[must_use]
pub fn plain_inline_html(src: &str) -> String {
    if src.contains('"') {
        let mut out = String::with_capacity(src.len() + 16);
        push_escaped(&mut out, src);
        out
    } else {
        src.to_string()
    }
}

/// Replace the placeholders of `html` (an [`MdDoc::html`]) in one pass.
///
/// `link(i)` returns the final RAW URL for `links[i]` (percent-encoded here with
/// [`encode_url`]), `id(i)` the final id for `headings[i]`; both are escaped
/// here for a double-quoted attribute (`& < > " '`). Footnote ids become `{id_prefix}fn-{N+1}` and
/// `{id_prefix}fnref-{N+1}`. With raw HTML allowed, indexes may be forged, so
/// the closures must not panic on an out-of-range index.
#[must_use]
pub fn fill(html: &str, link: impl Fn(usize) -> String, id: impl Fn(usize) -> String, id_prefix: &str) -> String {
    fill_with(html, |n, out| out.push_url(&link(n)), |n, out| out.push(&id(n)), id_prefix)
}

/// An attribute value being written: every piece pushed is escaped for a double-quoted attribute.
pub struct Attr<'o>(&'o mut String);

impl Attr<'_> {
    /// Appends `piece`, escaped.
    pub fn push(&mut self, piece: &str) {
        push_escaped(self.0, piece);
    }

    /// Appends a URL as written by an author: what an href may not hold is percent-encoded, as
    /// pulldown-cmark's HTML writer does ([`encode_url`]), then escaped.
    pub fn push_url(&mut self, url: &str) {
        push_escaped(self.0, &encode_url(url));
    }

    /// Appends a name, such as a file name or a heading id, that must reach the browser as it is:
    /// [`Attr::push_url`], with `%`, `#` and `?` encoded too.
    pub fn push_name(&mut self, name: &str) {
        push_escaped(self.0, &encode(name, true));
    }
}

/// `url` with every byte that an href does not take as written percent-encoded (spaces,
/// backslashes, quotes, `<>`, non-ASCII, controls): what pulldown-cmark's `escape_href` encodes,
/// except `&` and `'`, which are left for attribute escaping (the template's or [`Attr`]'s).
#[must_use]
pub fn encode_url(url: &str) -> Cow<'_, str> {
    encode(url, false)
}

/// Percent-encodes the bytes of `s` outside pulldown-cmark's href-safe set (plus `&` and `'`);
/// with `name`, also `%`, `#` and `?`, which would otherwise start an escape, fragment or query.
fn encode(s: &str, name: bool) -> Cow<'_, str> {
    let keeps =
        |b: u8| b.is_ascii_alphanumeric() || b"!$&'()*+,-./:;=@^_~".contains(&b) || (!name && b"#%?".contains(&b));
    if s.bytes().all(keeps) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for (i, b) in s.bytes().enumerate() {
        if keeps(b) {
            // ASCII: a whole character.
            out.push_str(&s[i..=i]);
        } else {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
    Cow::Owned(out)
}

/// [`fill`] with closures that write each value in pieces instead of making a string of it.
#[must_use]
pub fn fill_with(
    html: &str,
    link: impl Fn(usize, &mut Attr),
    id: impl Fn(usize, &mut Attr),
    id_prefix: &str,
) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut copied = 0;
    let mut search = 0;
    let finder = memchr::memmem::Finder::new("cb-");
    while let Some(rel) = html.get(search..).and_then(|rest| finder.find(rest.as_bytes())) {
        let p = search + rel;
        search = p + 3;
        let Some((kind, n, end)) = placeholder_at(html, p) else {
            continue;
        };
        out.push_str(&html[copied..p]);
        match kind {
            Slot::Link => link(n, &mut Attr(&mut out)),
            Slot::Id => id(n, &mut Attr(&mut out)),
            Slot::Fn | Slot::FnRef => {
                push_escaped(&mut out, id_prefix);
                out.push_str(if kind == Slot::Fn { "fn-" } else { "fnref-" });
                out.push_str(&(n + 1).to_string());
            }
        }
        copied = end;
        search = end;
    }
    out.push_str(&html[copied..]);
    out
}

/// The slug of a heading text: lower-case, every run of characters other than
/// ASCII a-z/0-9 becomes one hyphen, leading/trailing hyphens trimmed,
/// "section" if empty. Common accented Latin letters are folded (é→e, ß→ss);
/// other letters and digits (Cyrillic, Greek, CJK) are kept, lower-cased, so that a heading in
/// another language keeps a readable id (`## Когда к врачу` → `когда-к-врачу`); combining marks
/// are dropped.
#[must_use]
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    for c in text.chars() {
        for c in c.to_lowercase() {
            // "" means: push `c` itself.
            let piece: &str = if c.is_ascii_lowercase() || c.is_ascii_digit() {
                ""
            } else if let Some(folded) = fold_accent(c) {
                folded
            } else if !c.is_ascii() && c.is_alphanumeric() && !is_combining(c) {
                ""
            } else if !c.is_ascii() && is_combining(c) {
                continue; // dropped without separating
            } else {
                pending_hyphen = true;
                continue;
            };
            if pending_hyphen && !out.is_empty() {
                out.push('-');
            }
            pending_hyphen = false;
            if piece.is_empty() {
                out.push(c);
            } else {
                out.push_str(piece);
            }
        }
    }
    if out.is_empty() {
        out.push_str("section");
    }
    out
}

// ---------------------------------------------------------------------------
// Rendering

/// Ids the default theme uses around a body; body headings must not take them.
const RESERVED_IDS: [&str; 9] =
    ["symptoms", "causes", "steps", "mistakes", "see-a-doctor", "sources", "related", "main", "top"];

fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM
}

/// `base` is added to every span (parse_inline parses a suffix of the input).
fn render(src: &str, base: usize, opts: MdOptions, inline: bool) -> MdDoc {
    let parser = Parser::new_ext(src, parser_options()).into_offset_iter();
    let mut r = Renderer {
        src,
        base,
        opts,
        inline,
        inner: parser,
        queue: VecDeque::with_capacity(8),
        finished: false,
        doc: MdDoc::default(),
        depth: 0,
        inline_paras: 0,
        heading: None,
        used_ids: HashSet::new(),
        next_suffix: HashMap::new(),
        image_depth: 0,
        in_html_block: false,
        fn_entries: Vec::new(),
        fn_index: HashMap::new(),
        fn_stack: Vec::new(),
        fn_count: 0,
    };
    r.doc.text.reserve(src.len().min(TEXT_LIMIT));
    let mut html = String::new();
    if opts.skip_html {
        r.by_ref().for_each(drop);
    } else {
        html.reserve(src.len() * 2 + 64);
        pulldown_cmark::html::push_html(&mut html, &mut r);
    }
    let mut doc = r.doc;
    // Column alignment as classes, not inline styles: `Content-Security-Policy: default-src 'self'`
    // drops inline styles. Text never holds `style="` (quotes are escaped), so only tags match.
    if html.contains(" style=\"text-align: ") {
        for side in ["left", "center", "right"] {
            html = html.replace(&format!(" style=\"text-align: {side}\""), &format!(" class=\"align-{side}\""));
        }
    }
    doc.html = html;
    doc
}

/// A footnote seen as reference and/or definition.
struct FnEntry<'a> {
    name: String,
    /// Slot (display number - 1), assigned at first reference or at the end.
    number: Option<usize>,
    /// Whether `number` came from a real reference (a back link target exists).
    referenced: bool,
    /// Rendered events of the first definition.
    events: Option<Vec<Event<'a>>>,
}

/// Event adapter between the parser and pulldown's HTML writer: rewrites
/// events and records headings/links/problems as a side effect.
struct Renderer<'a, I> {
    src: &'a str,
    base: usize,
    opts: MdOptions,
    inline: bool,
    inner: I,
    /// Events ready for the writer.
    queue: VecDeque<Event<'a>>,
    finished: bool,
    doc: MdDoc,
    /// Nesting depth of Start/End in the parser stream.
    depth: usize,
    /// Top-level paragraphs unwrapped so far (inline mode).
    inline_paras: usize,
    /// Index in `doc.headings` of the open heading.
    heading: Option<usize>,
    used_ids: HashSet<String>,
    /// Next suffix to try per base id, so many equal headings stay linear.
    next_suffix: HashMap<String, usize>,
    image_depth: usize,
    in_html_block: bool,
    fn_entries: Vec<FnEntry<'a>>,
    /// Normalized footnote label -> index in `fn_entries`.
    fn_index: HashMap<String, usize>,
    /// Open definitions: (entry index, buffered events).
    fn_stack: Vec<(usize, Vec<Event<'a>>)>,
    fn_count: usize,
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Iterator for Renderer<'a, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            if let Some(ev) = self.queue.pop_front() {
                return Some(ev);
            }
            match self.inner.next() {
                Some((ev, range)) => {
                    let range = range.start + self.base..range.end + self.base;
                    self.handle(ev, range);
                }
                None if !self.finished => {
                    self.finished = true;
                    self.finish();
                }
                None => return None,
            }
        }
    }
}

impl<'a, I> Renderer<'a, I> {
    /// Send an event to the writer, or to the open footnote definition.
    fn emit(&mut self, ev: Event<'a>) {
        // Without HTML nobody reads the events: what is recorded is recorded in `handle`.
        if self.opts.skip_html {
            return;
        }
        match self.fn_stack.last_mut() {
            Some((_, buf)) => buf.push(ev),
            None => self.queue.push_back(ev),
        }
    }

    fn emit_html(&mut self, s: impl Into<CowStr<'a>>) {
        self.emit(Event::InlineHtml(s.into()));
    }

    /// Append to the search text, separating blocks.
    fn separate(&mut self, sep: char) {
        let text = &mut self.doc.text;
        if sep == '\n' {
            text.truncate(text.trim_end_matches(' ').len());
            if text.chars().next_back().is_some_and(|c| c != '\n') {
                text.push('\n');
            }
        } else if text.chars().next_back().is_some_and(|c| !c.is_whitespace()) {
            text.push(sep);
        }
    }

    fn add_text(&mut self, t: &str) {
        if self.doc.text.len() < TEXT_LIMIT {
            self.doc.text.push_str(t);
        }
        if let Some(i) = self.heading
            && let Some(h) = self.doc.headings.get_mut(i)
        {
            h.text.push_str(t);
        }
    }

    fn handle(&mut self, ev: Event<'a>, range: Range<usize>) {
        match ev {
            Event::Start(tag) => {
                let top = self.depth == 0;
                self.depth += 1;
                self.start(tag, range, top);
            }
            Event::End(end) => {
                self.depth = self.depth.saturating_sub(1);
                let top = self.depth == 0;
                self.end(end, top);
            }
            Event::Text(t) => {
                self.add_text(&t);
                self.emit_text(t, false);
            }
            Event::Code(t) => {
                self.add_text(&t);
                self.emit_text(t, true);
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                if self.opts.allow_raw_html {
                    self.emit(Event::InlineHtml(h));
                } else if !self.in_html_block {
                    self.raw_html_problem(range, &h);
                }
            }
            Event::FootnoteReference(name) => self.footnote_ref(name),
            // A disabled checkbox has no label for screen readers; a labelled symbol reads well and prints.
            Event::TaskListMarker(done) => self.emit_html(if done {
                "<span class=\"task task-done\" role=\"img\" aria-label=\"done\">\u{2611}</span> "
            } else {
                "<span class=\"task\" role=\"img\" aria-label=\"not done\">\u{2610}</span> "
            }),
            Event::SoftBreak | Event::HardBreak => {
                self.separate(' ');
                if let Some(i) = self.heading
                    && let Some(h) = self.doc.headings.get_mut(i)
                {
                    h.text.push(' ');
                }
                self.emit(ev);
            }
            other => self.emit(other),
        }
    }

    /// The writer does not escape `"` in body text; we do, so that text can
    /// never contain a literal `href="cb-slot:` for [`fill`] to hit.
    /// (Image alt text is escaped by the writer itself, and there Html
    /// events would be dropped, so it stays untouched.)
    fn emit_text(&mut self, t: CowStr<'a>, code: bool) {
        if self.opts.skip_html {
            return;
        }
        if self.image_depth > 0 || !t.contains('"') {
            self.emit(if code { Event::Code(t) } else { Event::Text(t) });
            return;
        }
        let mut s = String::with_capacity(t.len() + 24);
        if code {
            s.push_str("<code>");
        }
        push_escaped(&mut s, &t);
        if code {
            s.push_str("</code>");
        }
        self.emit_html(s);
    }

    fn raw_html_problem(&mut self, span: Range<usize>, html: &str) {
        let line = html.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        let snippet: String = line.trim().chars().take(60).collect();
        self.doc.problems.push(MdProblem::RawHtml { span, snippet });
    }

    fn source(&self, span: &Range<usize>) -> &'a str {
        let start = span.start.saturating_sub(self.base);
        let end = span.end.saturating_sub(self.base);
        self.src.get(start..end).unwrap_or("")
    }

    fn start(&mut self, tag: Tag<'a>, range: Range<usize>, top: bool) {
        match tag {
            Tag::Paragraph if self.inline && top => {
                if self.inline_paras > 0 {
                    self.emit_html("<br />\n");
                }
                self.inline_paras += 1;
            }
            // Heading attributes are off: `id`, `classes` and `attrs` are always empty.
            Tag::Heading { level, classes, attrs, .. } => {
                let n = self.doc.headings.len();
                self.doc.headings.push(Heading {
                    level: level as u8,
                    id: String::new(),
                    text: String::new(),
                    span: range,
                });
                self.heading = Some(n);
                self.separate('\n');
                self.emit(Event::Start(Tag::Heading { level, id: Some(placeholder("cb-id:", n)), classes, attrs }));
            }
            Tag::Table(al) => {
                // Focusable and named, so keyboard users can scroll a wide table.
                self.emit_html("<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Table\">");
                self.emit(Event::Start(Tag::Table(al)));
            }
            Tag::BlockQuote(Some(kind)) => {
                self.separate('\n');
                let (class, title) = alert_names(kind);
                self.emit_html(format!(
                    "<aside class=\"alert alert-{class}\" role=\"note\">\n\
                     <p class=\"alert-title\">{title}</p>\n"
                ));
            }
            Tag::Link { link_type, dest_url, title, id } => {
                let dest =
                    if link_type == LinkType::Email { format!("mailto:{dest_url}") } else { dest_url.to_string() };
                let slot = self.add_link(dest, LinkKind::Link, range);
                // Email links would get a second "mailto:" from the writer.
                let link_type = if link_type == LinkType::Email { LinkType::Inline } else { link_type };
                self.emit(Event::Start(Tag::Link { link_type, dest_url: slot, title, id }));
            }
            Tag::Image { link_type, dest_url, title, id } => {
                let slot = self.add_link(dest_url.to_string(), LinkKind::Image, range);
                self.image_depth += 1;
                self.emit(Event::Start(Tag::Image { link_type, dest_url: slot, title, id }));
            }
            Tag::FootnoteDefinition(name) => {
                let entry = self.fn_entry(&name);
                self.fn_stack.push((entry, Vec::with_capacity(16)));
            }
            Tag::HtmlBlock if !self.opts.allow_raw_html => {
                let src = self.source(&range);
                self.raw_html_problem(range, src);
                self.in_html_block = true;
            }
            other => {
                if !matches!(other, Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::TableCell) {
                    self.separate('\n');
                }
                self.emit(Event::Start(other));
            }
        }
    }

    fn end(&mut self, end: TagEnd, top: bool) {
        match end {
            TagEnd::Paragraph if self.inline && top => self.separate('\n'),
            TagEnd::Heading(_) => {
                if let Some(n) = self.heading.take() {
                    let id = self.unique_id(slug(self.doc.headings.get(n).map_or("", |h| &h.text)));
                    if let Some(h) = self.doc.headings.get_mut(n) {
                        h.id = id;
                    }
                }
                self.separate('\n');
                self.emit(Event::End(end));
            }
            TagEnd::Table => {
                self.separate('\n');
                self.emit(Event::End(end));
                self.emit_html("</div>\n");
            }
            TagEnd::BlockQuote(Some(_)) => {
                self.separate('\n');
                self.emit_html("</aside>\n");
            }
            TagEnd::Image => {
                self.image_depth = self.image_depth.saturating_sub(1);
                self.emit(Event::End(end));
            }
            TagEnd::FootnoteDefinition => {
                self.separate('\n');
                if let Some((entry, events)) = self.fn_stack.pop()
                    && let Some(e) = self.fn_entries.get_mut(entry)
                    && e.events.is_none()
                {
                    e.events = Some(events);
                }
            }
            TagEnd::HtmlBlock if self.in_html_block => self.in_html_block = false,
            TagEnd::TableCell => {
                self.separate(' ');
                self.emit(Event::End(end));
            }
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link => {
                self.emit(Event::End(end));
            }
            other => {
                self.separate('\n');
                self.emit(Event::End(other));
            }
        }
    }

    /// Record a destination and return what goes into the HTML for it.
    fn add_link(&mut self, dest: String, kind: LinkKind, span: Range<usize>) -> CowStr<'a> {
        let n = self.doc.links.len();
        let scheme = scheme_of(&dest);
        let refused = match (&scheme, kind) {
            (None, _) => None,
            (Some(_), LinkKind::Image) if is_remote(&dest) => {
                self.doc.problems.push(MdProblem::RemoteResource { url: dest.clone(), span: span.clone() });
                None
            }
            (Some(s), LinkKind::Image) => Some(s.clone()),
            (Some(s), LinkKind::Link) if s == "http:" => {
                self.doc.problems.push(MdProblem::InsecureLink { url: dest.clone(), span: span.clone() });
                None
            }
            (Some(s), LinkKind::Link) if ["https:", "mailto:", "tel:"].contains(&s.as_str()) => None,
            (Some(s), LinkKind::Link) => Some(s.clone()),
        };
        if let Some(scheme) = &refused {
            self.doc.problems.push(MdProblem::UnsafeLink {
                url: dest.clone(),
                scheme: scheme.clone(),
                span: span.clone(),
            });
        }
        self.doc.links.push(MdLink { dest, kind, span });
        if refused.is_some() { CowStr::Borrowed("#") } else { placeholder("cb-slot:", n) }
    }

    /// Make `base` unique among the ids used so far and the reserved ids.
    fn unique_id(&mut self, base: String) -> String {
        // Under a prefix the theme reserves (`guide-…`, `site-search…`) no number suffix helps:
        // move the id out of it first, or the search below would never end.
        let base = if is_reserved(&format!("{base}-1")) { format!("section-{base}") } else { base };
        if !is_reserved(&base) && !self.used_ids.contains(&base) {
            self.used_ids.insert(base.clone());
            return base;
        }
        let mut k = self.next_suffix.get(&base).copied().unwrap_or(1);
        let mut cand = format!("{base}-{k}");
        while is_reserved(&cand) || self.used_ids.contains(&cand) {
            k += 1;
            cand = format!("{base}-{k}");
        }
        self.next_suffix.insert(base, k + 1);
        self.used_ids.insert(cand.clone());
        cand
    }

    /// Index in `fn_entries` for a footnote label (case-insensitive, like
    /// pulldown's own matching of references to definitions).
    fn fn_entry(&mut self, name: &str) -> usize {
        let key = footnote_key(name);
        if let Some(&i) = self.fn_index.get(key.as_ref()) {
            return i;
        }
        let i = self.fn_entries.len();
        self.fn_entries.push(FnEntry { name: name.to_string(), number: None, referenced: false, events: None });
        self.fn_index.insert(key.into_owned(), i);
        i
    }

    fn footnote_ref(&mut self, name: CowStr<'a>) {
        if self.image_depth > 0 {
            // Inside alt text: no markup possible, keep it readable.
            let t = format!("[^{name}]");
            self.add_text(&t);
            self.emit(Event::Text(t.into()));
            return;
        }
        let i = self.fn_entry(&name);
        let next = self.fn_count;
        let Some(e) = self.fn_entries.get_mut(i) else {
            return;
        };
        let (n, first) = match e.number {
            Some(n) => (n, false),
            None => {
                e.number = Some(next);
                e.referenced = true;
                self.fn_count += 1;
                (next, true)
            }
        };
        // Only the first reference carries the id: ids must be unique.
        let mut html = String::with_capacity(100);
        html.push_str("<sup class=\"footnote-ref\"><a href=\"#cb-fn:");
        html.push_str(&placeholder("", n));
        if first {
            html.push_str("\" id=\"cb-fnref:");
            html.push_str(&placeholder("", n));
        }
        html.push_str("\">");
        html.push_str(&placeholder("", n + 1));
        html.push_str("</a></sup>");
        self.emit_html(html);
    }

    /// After the last parser event: list the footnotes.
    fn finish(&mut self) {
        while let Some((entry, events)) = self.fn_stack.pop() {
            if let Some(e) = self.fn_entries.get_mut(entry)
                && e.events.is_none()
            {
                e.events = Some(events);
            }
        }
        for e in &mut self.fn_entries {
            if e.number.is_none() && e.events.is_some() {
                e.number = Some(self.fn_count);
                self.fn_count += 1;
            }
        }
        if self.fn_count == 0 {
            return;
        }
        let mut order: Vec<(usize, usize)> =
            self.fn_entries.iter().enumerate().filter_map(|(i, e)| e.number.map(|n| (n, i))).collect();
        order.sort_unstable();
        let entries = std::mem::take(&mut self.fn_entries);
        let mut entries: Vec<Option<FnEntry<'a>>> = entries.into_iter().map(Some).collect();
        self.queue.push_back(Event::Html("<section class=\"footnotes\">\n<ol>\n".into()));
        for (n, i) in order {
            let Some(e) = entries.get_mut(i).and_then(Option::take) else {
                continue;
            };
            self.doc.footnotes.push(e.name);
            self.queue.push_back(Event::Html(format!("<li id=\"cb-fn:{n}\">\n").into()));
            let mut events = e.events.unwrap_or_default();
            if e.referenced {
                let back = format!(
                    " <a href=\"#cb-fnref:{n}\" class=\"footnote-back\" \
                     aria-label=\"Back to reference {}\">\u{21a9}</a>",
                    n + 1
                );
                // Inside the last paragraph when there is one, like GitHub.
                if matches!(events.last(), Some(Event::End(TagEnd::Paragraph))) {
                    events.insert(events.len() - 1, Event::InlineHtml(back.into()));
                } else {
                    events.push(Event::InlineHtml(back.into()));
                }
            }
            self.queue.extend(events);
            self.queue.push_back(Event::Html("</li>\n".into()));
        }
        self.queue.push_back(Event::Html("</ol>\n</section>\n".into()));
    }
}

/// Approximates the Unicode case folding pulldown uses to match labels.
fn footnote_key(name: &str) -> Cow<'_, str> {
    if !name.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) {
        return Cow::Borrowed(name);
    }
    let mut key = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        match c {
            'ß' => key.push_str("ss"),
            'ſ' => key.push('s'),
            'ς' => key.push('σ'),
            c => key.push(c),
        }
    }
    Cow::Owned(key)
}

fn alert_names(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

/// Reserved section anchors, plus `fn-N`/`fnref-N` which footnotes use when
/// the id prefix is empty.
fn is_reserved(id: &str) -> bool {
    if RESERVED_IDS.contains(&id)
        || id.ends_with("-title")
        || id.starts_with("guide-")
        || id.starts_with("site-search")
        || id.starts_with("home-search")
    {
        return true;
    }
    if let Some(num) = id.strip_prefix("step-") {
        return !num.is_empty() && num.len() <= 2 && !num.starts_with('0') && num.bytes().all(|b| b.is_ascii_digit());
    }
    let num = id.strip_prefix("fnref-").or_else(|| id.strip_prefix("fn-"));
    num.is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether `dest`, as a browser reads it (leading whitespace and control
/// characters skipped, tabs/newlines removed, ASCII case ignored), starts with
/// `prefix` (lower-case ASCII). No allocation: this runs for every link.
fn starts_like(dest: &str, prefix: &str) -> bool {
    let mut bytes =
        dest.as_bytes().iter().skip_while(|&&b| b <= b' ').filter(|&&b| !matches!(b, b'\t' | b'\n' | b'\r'));
    prefix.bytes().all(|p| bytes.next().is_some_and(|b| b.eq_ignore_ascii_case(&p)))
}

/// The scheme of `dest` as a browser reads it (see [`MdProblem::UnsafeLink`]): lower-case with its
/// colon (`https:`), `//` for another host without a scheme, or `None` for a relative link.
#[must_use]
pub fn scheme_of(dest: &str) -> Option<String> {
    let mut chars = dest.chars().skip_while(|&c| c <= ' ').filter(|c| !matches!(c, '\t' | '\n' | '\r')).peekable();
    let first = *chars.peek()?;
    if matches!(first, '/' | '\\') {
        chars.next();
        return chars.next().filter(|c| matches!(c, '/' | '\\')).map(|_| "//".to_string());
    }
    if !first.is_ascii_alphabetic() {
        return None;
    }
    let mut scheme = String::new();
    for c in chars {
        match c {
            ':' => {
                scheme.push(':');
                return Some(scheme);
            }
            c if c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.') => scheme.push(c.to_ascii_lowercase()),
            _ => return None,
        }
    }
    None
}

/// http(s)/ftp or protocol-relative (browsers treat `\` like `/` there).
fn is_remote(dest: &str) -> bool {
    ["http:", "https:", "ftp:", "//", "/\\", "\\\\", "\\/"].iter().any(|p| starts_like(dest, p))
}

/// A short placeholder such as `cb-slot:3`, inline (no heap) when it fits.
fn placeholder(prefix: &str, n: usize) -> CowStr<'static> {
    let mut buf = [0u8; 32];
    let mut len = 0;
    for &b in prefix.as_bytes().iter().take(buf.len() - 20) {
        buf[len] = b;
        len += 1;
    }
    let mut digits = [0u8; 20];
    let mut d = digits.len();
    let mut v = n;
    loop {
        d -= 1;
        digits[d] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    for &b in &digits[d..] {
        buf[len] = b;
        len += 1;
    }
    match std::str::from_utf8(&buf[..len]) {
        Ok(s) => match pulldown_cmark::InlineStr::try_from(s) {
            Ok(inline) => CowStr::Inlined(inline),
            Err(_) => CowStr::from(s.to_string()),
        },
        Err(_) => CowStr::from(format!("{prefix}{n}")),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Slot {
    Link,
    Id,
    Fn,
    FnRef,
}

/// If a placeholder value starts at byte `p` (the `c` of `cb-`), return its
/// kind, number and the byte index of its closing quote.
fn placeholder_at(html: &str, p: usize) -> Option<(Slot, usize, usize)> {
    let before = html.get(..p)?;
    let (attr_start, hash) = if let Some(b) = before.strip_suffix("href=\"#") {
        (b.len(), true)
    } else if let Some(b) = before.strip_suffix("href=\"") {
        (b.len(), false)
    } else if let Some(b) = before.strip_suffix("src=\"") {
        (b.len(), false)
    } else if let Some(b) = before.strip_suffix("id=\"") {
        (b.len(), false)
    } else {
        return None;
    };
    // Our own attributes are always preceded by a space.
    if attr_start == 0 || html.as_bytes().get(attr_start - 1) != Some(&b' ') {
        return None;
    }
    let is_id = html.get(attr_start..)?.starts_with("id=");
    let rest = html.get(p + 3..)?;
    let (kind, rest) = if let Some(r) = rest.strip_prefix("slot:") {
        (Slot::Link, r)
    } else if let Some(r) = rest.strip_prefix("id:") {
        (Slot::Id, r)
    } else if let Some(r) = rest.strip_prefix("fn:") {
        (Slot::Fn, r)
    } else if let Some(r) = rest.strip_prefix("fnref:") {
        (Slot::FnRef, r)
    } else {
        return None;
    };
    let ok = match kind {
        Slot::Link => !hash && !is_id,
        Slot::Id => is_id,
        Slot::Fn | Slot::FnRef => hash || is_id,
    };
    if !ok {
        return None;
    }
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    // At most 9 digits: fits any usize, and n + 1 cannot overflow.
    if digits == 0 || digits > 9 || rest.as_bytes().get(digits) != Some(&b'"') {
        return None;
    }
    let n: usize = rest.get(..digits)?.parse().ok()?;
    let end = html.len() - rest.len() + digits;
    Some((kind, n, end))
}

fn is_combining(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36f}' | '\u{1ab0}'..='\u{1aff}' | '\u{1dc0}'..='\u{1dff}' | '\u{20d0}'..='\u{20ff}' | '\u{fe20}'..='\u{fe2f}')
}

/// ASCII spelling of common accented Latin letters (lower-case input).
fn fold_accent(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĳ' => "ij",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(src: &str) -> MdDoc {
        parse(src, MdOptions::default())
    }

    /// Fill with links as `L{i}` and ids taken from the headings.
    fn filled(doc: &MdDoc) -> String {
        fill(
            &doc.html,
            |i| doc.links.get(i).map_or("#".into(), |l| l.dest.clone()),
            |i| doc.headings.get(i).map_or(String::new(), |h| h.id.clone()),
            "",
        )
    }

    fn ids(doc: &MdDoc) -> Vec<&str> {
        doc.headings.iter().map(|h| h.id.as_str()).collect()
    }

    #[test]
    fn heading_ids_are_unique_and_avoid_reserved() {
        let src = "# Signs\n## Signs\n## Signs\n# Sources\n# Step 3\n## signs-1\n# Fn 2\n# Step 100\n";
        let doc = md(src);
        assert_eq!(
            ids(&doc),
            ["signs", "signs-1", "signs-2", "sources-1", "step-3-1", "signs-1-1", "fn-2-1", "step-100"]
        );
        assert_eq!(doc.headings[0].level, 1);
        assert_eq!(doc.headings[1].level, 2);
        assert_eq!(&src[doc.headings[3].span.clone()], "# Sources\n");
    }

    /// Heading attributes (`{#id .class key=value}`) are not Markdown here: braces are text, so
    /// no word of a heading is ever dropped and nothing in braces is reported as HTML.
    #[test]
    fn braces_in_headings_are_text() {
        let cases = [
            ("## Cost x {y}\n", "Cost x {y}", "cost-x-y"),
            ("## Dose {adults}\n", "Dose {adults}", "dose-adults"),
            ("# When to worry {#worry}\n", "When to worry {#worry}", "when-to-worry-worry"),
            ("# Dose {.big onclick=alert(1)}\n", "Dose {.big onclick=alert(1)}", "dose-big-onclick-alert-1"),
        ];
        for raw in [false, true] {
            for (src, text, id) in cases {
                let doc = parse(src, MdOptions { allow_raw_html: raw, ..MdOptions::default() });
                assert_eq!(doc.problems, [], "{src:?}");
                assert_eq!(doc.headings[0].text, text, "{src:?}");
                assert_eq!(doc.headings[0].id, id, "{src:?}");
                let level = &src[..src.find(' ').unwrap_or(0)].len();
                assert_eq!(filled(&doc), format!("<h{level} id=\"{id}\">{text}</h{level}>\n"), "{src:?}");
            }
        }
    }

    #[test]
    fn heading_text_includes_code_and_breaks() {
        let doc = md("Use `ice` *now*\nplease\n===\n");
        assert_eq!(doc.headings[0].text, "Use ice now please");
        assert_eq!(doc.headings[0].id, "use-ice-now-please");
    }

    #[test]
    fn links_and_images_in_order_with_spans() {
        let src = "See [guide](mastitis.md#x \"Title\") and ![photo](img/a.png).\n\n\
                   [ref]: other.md\n\nA [ref] and <https://e.org> and <a@b.c>.\n";
        let doc = md(src);
        let dests: Vec<_> = doc.links.iter().map(|l| l.dest.as_str()).collect();
        assert_eq!(dests, ["mastitis.md#x", "img/a.png", "other.md", "https://e.org", "mailto:a@b.c"]);
        assert_eq!(doc.links[1].kind, LinkKind::Image);
        assert_eq!(&src[doc.links[0].span.clone()], "[guide](mastitis.md#x \"Title\")");
        assert!(src[doc.links[1].span.clone()].starts_with("!["));
        assert!(src[doc.links[2].span.clone()].starts_with('['));
        assert!(doc.problems.is_empty());
        assert!(doc.html.contains("<a href=\"cb-slot:0\" title=\"Title\">guide</a>"));
        assert!(doc.html.contains("<img src=\"cb-slot:1\" alt=\"photo\" />"));
        assert!(doc.html.contains("<a href=\"cb-slot:4\">a@b.c</a>"));
    }

    /// The link examples of the CommonMark spec (0.31.2, "Links", "Images", "Autolinks"), and
    /// a few more: every href and src we write holds, once the browser has decoded the attribute,
    /// exactly what pulldown-cmark's own HTML writer (`escape_href`) writes.
    #[test]
    fn hrefs_are_encoded_as_pulldown_cmark_writes_them() {
        let examples = [
            "[link](/uri \"title\")",
            "[link](/uri)",
            "[](./target.md)",
            "[link]()",
            "[link](<>)",
            "[link](</my uri>)",
            "[a](<b)c>)",
            "[link](\\(foo\\))",
            "[link](foo(and(bar)))",
            "[link](foo\\(and\\(bar\\))",
            "[link](<foo(and(bar)>)",
            "[link](foo\\)\\:)",
            "[link](#fragment)\n\n[link](https://example.com#fragment)\n\n[link](https://example.com?foo=3#frag)",
            "[link](foo\\bar)",
            "[link](foo%20b&auml;)",
            "[link](\"title\")",
            "[link](/url \"title \\\"&quot;\")",
            "[link](   /uri\n  \"title\"  )",
            "[link [foo [bar]]](/uri)",
            "[foo]: /url \"title\"\n\n[foo]",
            "[foo]\n\n[foo]: /f&ouml;&ouml; \"f&ouml;&ouml;\"",
            "[Foo bar]:\n<my url>\n'title'\n\n[Foo bar]",
            "[foo]: <bar>(baz)\n\n[foo]",
            "[foo]: /url\\bar\\*baz \"foo\\\"bar\\baz\"\n\n[foo]",
            "![foo](/url \"title\")",
            "![foo ![bar](/url)](/url2)",
            "![foo](<url>)",
            "<https://foo.bar.baz>",
            "<https://foo.bar.baz/test?q=hello&id=22&boolean>",
            "<MAILTO:FOO@BAR.BAZ>",
            "<https://../>",
            "<https://example.com/\\[\\>",
            "<foo@bar.example.com>",
            "<foo+special@Bar.baz-bar0.com>",
            "[link](/föö ö) [l](</a b\tc>) [q](a\"b) [t](a'b&c) [g](<a<b>) [p](a|b{c}^`d`) [u](%zz%2)",
            "[win](https://example.org/a\\b) [c](<https://example.org/ä ö?q=1&r=2>) [x](tel:+1 (555) 0100)",
        ];
        let attrs = |html: &str| -> Vec<String> {
            let doc = scraper::Html::parse_fragment(html);
            let sel = scraper::Selector::parse("[href], [src]").expect("selector");
            doc.select(&sel)
                .filter_map(|e| e.value().attr("href").or_else(|| e.value().attr("src")))
                .map(str::to_string)
                .collect()
        };
        let mut compared = 0;
        for src in examples {
            let doc = md(src);
            let ours = attrs(&filled(&doc));
            let mut theirs = String::new();
            pulldown_cmark::html::push_html(&mut theirs, Parser::new_ext(src, parser_options()));
            let theirs = attrs(&theirs);
            assert_eq!(ours.len(), theirs.len(), "{src:?}: {ours:?} vs {theirs:?}");
            for ((ours, theirs), link) in ours.iter().zip(&theirs).zip(&doc.links) {
                if scheme_of(&link.dest).is_some_and(|s| !["https:", "mailto:", "tel:"].contains(&s.as_str())) {
                    continue; // refused: written as `#`
                }
                assert_eq!(ours, theirs, "{src:?}");
                compared += 1;
            }
        }
        assert!(compared >= 40, "{compared} compared");
    }

    #[test]
    fn fill_round_trip() {
        let doc = md("# Hi\n\n[a](x.md) & ![b \"q\"](y.png)\n");
        let out = fill(&doc.html, |i| ["x.html?a=1&b=\"2\"", "y.png"][i].to_string(), |_| "top".to_string(), "");
        assert_eq!(
            out,
            "<h1 id=\"top\">Hi</h1>\n<p><a href=\"x.html?a=1&amp;b=%222%22\">a</a> &amp; \
             <img src=\"y.png\" alt=\"b &quot;q&quot;\" /></p>\n"
        );
    }

    #[test]
    fn text_cannot_forge_placeholders() {
        let src = "Text href=\"cb-slot:0\" and `id=\"cb-id:0\"` and src=&quot;cb-slot:0\" [x](y)\n";
        let doc = md(src);
        let out = fill(&doc.html, |_| "FILLED".into(), |_| "FILLED".into(), "");
        assert_eq!(out.matches("FILLED").count(), 1, "{out}");
        assert!(out.contains("href=&quot;cb-slot:0&quot;"));
        assert!(out.contains("<code>id=&quot;cb-id:0&quot;</code>"));
    }

    #[test]
    fn fill_ignores_malformed_placeholders() {
        let html = "<a href=\"cb-slot:\">x</a><a href=\"cb-slot:12a\">\
                    <b id=\"cb-slot:1\"><a href=\"cb-id:1\"><a xhref=\"cb-slot:1\">cb-";
        assert_eq!(fill(html, |_| "X".into(), |_| "Y".into(), "p-"), html);
        let html = "<a href=\"cb-slot:99999999999999999999\">";
        assert_eq!(fill(html, |_| "X".into(), |_| "Y".into(), ""), html);
    }

    #[test]
    fn raw_html_dropped_and_reported() {
        let src = "<div class=\"x\">\n  <b>hi</b>\n</div>\n\nText <span>in</span> line <!-- c -->\n";
        let doc = md(src);
        assert_eq!(filled(&doc), "<p>Text in line </p>\n");
        let snippets: Vec<_> = doc
            .problems
            .iter()
            .map(|p| match p {
                MdProblem::RawHtml { snippet, span } => {
                    assert!(src[span.clone()].starts_with('<'));
                    snippet.as_str()
                }
                _ => panic!("unexpected {p:?}"),
            })
            .collect();
        assert_eq!(snippets, ["<div class=\"x\">", "<span>", "</span>", "<!-- c -->"]);
        assert!(!doc.text.contains("hi"));
    }

    #[test]
    fn raw_html_snippet_is_short() {
        let long = format!("<p title=\"{}\">x</p>\n", "é".repeat(100));
        let doc = md(&long);
        match &doc.problems[0] {
            MdProblem::RawHtml { snippet, .. } => assert_eq!(snippet.chars().count(), 60),
            p => panic!("{p:?}"),
        }
    }

    #[test]
    fn raw_html_passed_through_when_allowed() {
        let opts = MdOptions { allow_raw_html: true, ..MdOptions::default() };
        let doc = parse("<div>\nblock\n</div>\n\nText <b>in</b>\n", opts);
        assert!(doc.problems.is_empty());
        assert_eq!(filled(&doc), "<div>\nblock\n</div>\n<p>Text <b>in</b></p>\n");
    }

    #[test]
    fn remote_image_is_a_problem_but_remote_link_is_not() {
        let doc = md("![x](https://cdn.example/a.png) ![y](//h/b.png) [z](https://e.org) ![w](HTTP://h)\n");
        let urls: Vec<_> = doc
            .problems
            .iter()
            .map(|p| match p {
                MdProblem::RemoteResource { url, .. } => url.as_str(),
                _ => panic!("{p:?}"),
            })
            .collect();
        assert_eq!(urls, ["https://cdn.example/a.png", "//h/b.png", "HTTP://h"]);
        assert!(doc.html.contains("src=\"cb-slot:0\""));
    }

    #[test]
    fn unsafe_links() {
        let doc = md("[a](javascript:alert(1)) [b](<\tJaVa\tScRiPt:x>) ![c](data:image/png;base64,AA) \
             [d](vbscript:x) [e](java&#9;script:x) [ok](javascript.md)\n");
        let urls: Vec<_> = doc
            .problems
            .iter()
            .map(|p| match p {
                MdProblem::UnsafeLink { url, .. } => url.as_str(),
                _ => panic!("{p:?}"),
            })
            .collect();
        assert_eq!(urls.len(), 5, "{urls:?}");
        assert_eq!(urls[0], "javascript:alert(1)");
        assert_eq!(doc.links.len(), 6);
        let out = filled(&doc);
        assert!(out.contains("<a href=\"#\">a</a>"));
        assert!(out.contains("<img src=\"#\" alt=\"c\" />"));
        assert!(out.contains("<a href=\"javascript.md\">ok</a>"));
        assert!(!out.to_lowercase().contains("script:"));
    }

    /// Only relative links, `https:`, `http:` (a problem of its own: a warning), `mailto:` and
    /// `tel:` are links; any other scheme, however a browser would spell it, is refused.
    #[test]
    fn link_schemes_are_allow_listed() {
        let allowed = "[a](https://e.org/x) [b](mailto:nurse@example.org) [c](tel:+44-20-7946-0000) \
                       [d](mastitis.md) [e](#x) [f](../pages/about.md#y) [g](a/b:c.md) <nurse@example.org> \
                       [h](HTTPS://E.ORG) ![i](pic.png)\n";
        let doc = md(allowed);
        assert_eq!(doc.problems, [], "{allowed}");
        let doc = md("[a](http://e.org/x) [b](<\tHtTp://e.org>)\n");
        let insecure: Vec<_> = doc
            .problems
            .iter()
            .map(|p| match p {
                MdProblem::InsecureLink { url, .. } => url.as_str(),
                _ => panic!("{p:?}"),
            })
            .collect();
        assert_eq!(insecure, ["http://e.org/x", "\tHtTp://e.org"]);
        assert!(filled(&doc).contains("<a href=\"http://e.org/x\">a</a>"), "an http link is still written");
        let refused = [
            ("file:///C:/Windows/System32/calc.exe", "file:"),
            ("ms-msdt:/id PCWDiagnostic", "ms-msdt:"),
            ("search-ms:query=invoice&crumb=location:evil", "search-ms:"),
            ("intent://scan/#Intent;scheme=zxing;end", "intent:"),
            ("livescript:alert(1)", "livescript:"),
            ("javascript:alert(1)", "javascript:"),
            ("\tJaVa\tScRiPt:alert(1)", "javascript:"),
            ("vbscript:msgbox", "vbscript:"),
            ("data:text/html;base64,PHNjcmlwdD4=", "data:"),
            ("ftp://files.example/x", "ftp:"),
            ("C:\\Users\\x.exe", "c:"),
            ("//evil.example/x", "//"),
            (r"\\\\evil.example\share", "//"),
            ("/\\evil.example", "//"),
        ];
        for (dest, scheme) in refused {
            let doc = md(&format!("[x](<{dest}>)\n"));
            match &doc.problems[..] {
                [MdProblem::UnsafeLink { url, scheme: s, .. }] => {
                    assert_eq!((url, s.as_str()), (&doc.links[0].dest, scheme), "{dest}");
                }
                p => panic!("{dest}: {p:?}"),
            }
            assert_eq!(filled(&doc), "<p><a href=\"#\">x</a></p>\n", "{dest}");
        }
        // An image is a file of the site, or a remote resource (refused on its own).
        let doc = md("![a](tel:1) ![b](mailto:x@y.z) ![c](https://e.org/p.png)\n");
        let kinds: Vec<_> = doc
            .problems
            .iter()
            .map(|p| match p {
                MdProblem::UnsafeLink { scheme, .. } => scheme.as_str(),
                MdProblem::RemoteResource { .. } => "remote",
                _ => panic!("{p:?}"),
            })
            .collect();
        assert_eq!(kinds, ["tel:", "mailto:", "remote"]);
    }

    #[test]
    fn footnotes_numbered_by_reference_and_prefixed() {
        let src = "[^late]: Defined first.\n\nA[^b] B[^late] C[^b] D[^nope]\n\n[^b]: Bee.\n\n[^unused]: Never.\n";
        let doc = md(src);
        assert_eq!(doc.footnotes, ["b", "late", "unused"]);
        let out = fill(&doc.html, |_| String::new(), |_| String::new(), "g-");
        assert_eq!(
            out,
            "<p>A<sup class=\"footnote-ref\"><a href=\"#g-fn-1\" id=\"g-fnref-1\">1</a></sup> \
             B<sup class=\"footnote-ref\"><a href=\"#g-fn-2\" id=\"g-fnref-2\">2</a></sup> \
             C<sup class=\"footnote-ref\"><a href=\"#g-fn-1\">1</a></sup> D[^nope]</p>\n\
             <section class=\"footnotes\">\n<ol>\n\
             <li id=\"g-fn-1\">\n<p>Bee. <a href=\"#g-fnref-1\" class=\"footnote-back\" aria-label=\"Back to reference 1\">↩</a></p>\n</li>\n\
             <li id=\"g-fn-2\">\n<p>Defined first. <a href=\"#g-fnref-2\" class=\"footnote-back\" aria-label=\"Back to reference 2\">↩</a></p>\n</li>\n\
             <li id=\"g-fn-3\">\n<p>Never.</p>\n</li>\n\
             </ol>\n</section>\n"
        );
    }

    #[test]
    fn footnote_edge_cases() {
        // Case-insensitive match, a second reference (no second id), nested refs.
        let doc = md("X[^A] ![alt [^a]](p.png)\n\n[^a]: See[^b]\n\n[^b]: Bee\n");
        assert_eq!(doc.footnotes, ["A", "b"]);
        assert!(doc.html.contains("<p>See<sup class=\"footnote-ref\"><a href=\"#cb-fn:1\""));
        assert_eq!(doc.html.matches("id=\"cb-fnref:").count(), 2);
    }

    #[test]
    fn inline_footnote_and_email_fill() {
        let doc = parse_inline("Ask <nurse@example.org>[^1] or [^2].", MdOptions::default());
        let out = fill(&doc.html, |i| doc.links[i].dest.clone(), |_| String::new(), "");
        assert!(out.starts_with("Ask <a href=\"mailto:nurse@example.org\">nurse@example.org</a>[^1] or [^2]."));
        let doc = md("x[^n]\n\n[^n]: note\n");
        let out = fill(&doc.html, |_| String::new(), |_| String::new(), "");
        assert!(out.contains("<a href=\"#fn-1\" id=\"fnref-1\">1</a>"));
        assert!(out.contains("<li id=\"fn-1\">"));
    }

    #[test]
    fn raw_html_in_alt_text() {
        let doc = md("![a <b>c</b>](x.png)\n");
        assert_eq!(doc.problems.len(), 2);
        assert!(doc.html.contains("alt=\"a c\""));
        let doc = parse("![a <b>c</b>](x.png)\n", MdOptions { allow_raw_html: true, ..MdOptions::default() });
        assert!(doc.html.contains("alt=\"a &lt;b&gt;c&lt;/b&gt;\""));
    }

    #[test]
    fn alerts() {
        let doc = md("> [!WARNING]\n> Hot water burns.\n\n> plain\n");
        assert_eq!(
            doc.html,
            "<aside class=\"alert alert-warning\" role=\"note\">\n<p class=\"alert-title\">Warning</p>\n\
             <p>Hot water burns.</p>\n</aside>\n<blockquote>\n<p>plain</p>\n</blockquote>\n"
        );
        for (k, t) in [("NOTE", "Note"), ("TIP", "Tip"), ("IMPORTANT", "Important"), ("CAUTION", "Caution")] {
            let doc = md(&format!("> [!{k}]\n> x\n"));
            assert!(
                doc.html.contains(&format!(
                    "alert-{}\" role=\"note\">\n<p class=\"alert-title\">{t}</p>",
                    k.to_lowercase()
                ))
            );
        }
    }

    #[test]
    fn tables_wrapped() {
        let doc = md("| a | b |\n|---|--:|\n| 1 | 2 |\n");
        assert_eq!(
            doc.html,
            "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Table\"><table><thead><tr><th>a</th><th class=\"align-right\">b</th></tr></thead><tbody>\n\
             <tr><td>1</td><td class=\"align-right\">2</td></tr>\n</tbody></table>\n</div>\n"
        );
        assert_eq!(doc.text, "a b\n1 2\n");
    }

    #[test]
    fn inline_has_no_paragraph() {
        let doc = parse_inline("Apply *ice* for [20 min](timer.md)", MdOptions::default());
        assert_eq!(filled(&doc), "Apply <em>ice</em> for <a href=\"timer.md\">20 min</a>");
        let src = "      Keep `warm`\n\nsecond";
        let doc = parse_inline(src, MdOptions::default());
        assert_eq!(doc.html, "Keep <code>warm</code><br />\nsecond");
        let doc = parse_inline("  [x](y)", MdOptions::default());
        assert_eq!(doc.links[0].span, 2..8);
        // Block constructs do not break anything.
        let doc = parse_inline("# Head\n- a\n- b", MdOptions::default());
        assert_eq!(doc.headings.len(), 1);
        assert!(doc.html.contains("<ul>"));
    }

    #[test]
    fn task_lists_strikethrough_and_text() {
        let doc = md("- [x] done ~~old~~\n- [ ] todo\n\n```sh\necho \"hi\" <b>\n```\n");
        assert!(
            doc.html.contains("<span class=\"task task-done\" role=\"img\" aria-label=\"done\">\u{2611}</span> done")
        );
        assert!(doc.html.contains("aria-label=\"not done\">\u{2610}</span> todo"));
        assert!(!doc.html.contains("<input"));
        assert!(doc.html.contains("<del>old</del>"));
        assert!(doc.html.contains("echo &quot;hi&quot; &lt;b&gt;"));
        assert_eq!(doc.text, "done old\ntodo\necho \"hi\" <b>\n");
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("Hello, World!"), "hello-world");
        assert_eq!(slug("  --Fièvre & Çà  "), "fievre-ca");
        assert_eq!(slug("Straße über Øresund"), "strasse-uber-oresund");
        assert_eq!(slug("ÉCOLE"), "ecole");
        assert_eq!(slug("cafe\u{301}s"), "cafes");
        assert_eq!(slug("日本 guide"), "日本-guide");
        assert_eq!(slug("Когда к врачу?"), "когда-к-врачу");
        assert_eq!(slug("Ёлка"), "ёлка");
        assert_eq!(slug("Fever—when"), "fever-when");
        assert_eq!(slug("Don't"), "don-t");
        assert_eq!(slug(""), "section");
        assert_eq!(slug("!!! ???"), "section");
        assert_eq!(slug("日本"), "日本");
        assert_eq!(slug("Step 1"), "step-1");
    }

    #[test]
    fn deterministic() {
        let src = "# A\n# A\n[^x] [^y]\n\n[^y]: y\n[^x]: x\n[a](b)\n";
        assert_eq!(md(src), md(src));
    }

    #[test]
    fn never_panics_on_weird_input() {
        let deep_list: String = (0..500).map(|i| format!("{}- x\n", "  ".repeat(i))).collect();
        let deep_quote = format!("{}x\n", ">".repeat(5000));
        let deep_emph = format!("{}x{}", "*[".repeat(3000), "]*".repeat(3000));
        let inputs = [
            "",
            "   \n\t\n",
            "[unclosed](",
            "[^",
            "[^]",
            "[^x]:",
            "[^x]: [^x]\n\n[^x]",
            "> [!NOTE]",
            "> [!NOTE]\n>",
            "> [!WARNING]\n> > [!TIP]\n> > x",
            "a\r\nb\r\n\r\n# H\r\n",
            "nul\0char [\0](\0) ![\0](\0)\0",
            "# {#}",
            "# {#a}\n# {#a}",
            "![![![a](b)](c)](d)",
            "<!--",
            "<div",
            "| a |\n|---|\n| <b> | ![x](//y) |",
            "```\nunclosed",
            "[x]: <>\n[x]",
            "<a@b.c> <javascript:x>",
            "- [^a]\n\n[^a]: - [^a]\n  - nested",
            "[^STRASSE] [^ẞ]\n\n[^straße]: def\n[^ss]: x",
            "\u{feff}\u{200b}é",
            &deep_list,
            &deep_quote,
            &deep_emph,
        ];
        for s in inputs {
            for allow in [false, true] {
                let opts = MdOptions { allow_raw_html: allow, ..MdOptions::default() };
                for doc in [parse(s, opts), parse_inline(s, opts)] {
                    let _ = filled(&doc);
                    for l in &doc.links {
                        assert!(s.get(l.span.clone()).is_some());
                    }
                    for h in &doc.headings {
                        assert!(s.get(h.span.clone()).is_some());
                    }
                }
            }
        }
        let doc = md(&deep_list);
        assert_eq!(doc.html.matches("<ul>").count(), 500);
    }

    #[test]
    fn crlf_text() {
        let doc = md("Line one\r\nline two\r\n\r\n## Title\r\n");
        assert_eq!(doc.headings[0].text, "Title");
        assert_eq!(doc.headings[0].id, "title");
        assert!(doc.html.starts_with("<p>Line one\nline two</p>"));
    }

    /// A plain field's shortcut must give exactly what the parser gives.
    fn same_as_parser(src: &str) {
        let doc = parse_inline(src, MdOptions::default());
        assert_eq!(plain_inline_html(src), doc.html, "{src:?}");
        assert!(doc.links.is_empty() && doc.problems.is_empty() && doc.headings.is_empty(), "{src:?}");
    }

    #[test]
    fn plain_fields_render_as_the_parser_does() {
        let plain = [
            "Feed from the affected side first.",
            "Call your midwife: she can check the latch.",
            "Use a cool pack (wrapped in a cloth) for 10 minutes; not ice.",
            "Say \"it hurts\" if it hurts, and don't wait.",
            "Fever of 38 °C or more, or chills — see a doctor today.",
            "About 50% of mothers, see https://example.org/a?b=c or nurse@example.org",
            "Rest.  Two spaces inside stay.",
            "A. Lettered, (1) numbered, 'quoted' and ellipsis...",
            "Ünïcödé text, 日本語, emoji 🙂",
        ];
        for src in plain {
            assert!(is_plain_inline(src), "{src:?} should be plain");
            same_as_parser(src);
        }
        let not_plain = [
            "",
            " leading",
            "trailing ",
            "1. list",
            "- item",
            "+ item",
            "= x",
            "# title",
            "a *b*",
            "a_b_",
            "[l](x.md)",
            "<b>",
            "a & b",
            "a\nb",
            "a\tb",
            "x ~~y~~",
            "`code`",
            "a \\ b",
            "![i](x.png)",
            "a | b",
            "> quote",
            "a\u{85}b",
            "a\u{7f}b",
        ];
        for src in not_plain {
            assert!(!is_plain_inline(src), "{src:?} should not be plain");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn any_plain_field_renders_as_the_parser_does(src in "[a-zA-Z0-9 .,;:'\"()/?%@=+\\-*_<>&!#|~`\n\u{a0}é]{0,40}") {
            if is_plain_inline(&src) {
                same_as_parser(&src);
            }
        }

        #[test]
        fn mostly_plain_fields_render_as_the_parser_does(src in "[a-z][a-zA-Z0-9 .,;:'\"()/?%@=+\\-\u{a0}é]{0,60}[a-z.]") {
            proptest::prop_assert!(is_plain_inline(&src), "{:?} should be plain", src);
            same_as_parser(&src);
        }
    }

    #[test]
    fn headings_under_a_reserved_prefix_get_an_id_and_parsing_ends() {
        let doc = md("## Guide fields\n\n## Site search tips\n\n# Guide x\n\n## Guide fields\n\n## Step 2\n");
        let ids: Vec<&str> = doc.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "section-guide-fields",
                "section-site-search-tips",
                "section-guide-x",
                "section-guide-fields-1",
                "step-2-1"
            ]
        );
    }

    /// Everything but the HTML, as `check` (no HTML) and `render` (HTML) see it.
    fn same_without_html(src: &str) {
        for raw in [false, true] {
            let with = parse(src, MdOptions { allow_raw_html: raw, skip_html: false });
            let without = parse(src, MdOptions { allow_raw_html: raw, skip_html: true });
            assert!(without.html.is_empty());
            assert_eq!(MdDoc { html: String::new(), ..with }, without, "{src:?}");
        }
    }

    #[test]
    fn parsing_without_html_records_what_parsing_with_html_records() {
        let tricky = [
            "# A\n\n## A\n\nText[^n] and [^m].\n\n[^n]: Note with [a link](x.md) and\n\n    # no heading\n\n[^m]: ## Heading in a note\n",
            "> [!WARNING]\n> Fever \"high\" <b>bold</b>\n\n![img](http://x/y.png) [js](javascript:alert(1))\n",
            "| a | b |\n|---|---|\n| `c\"` | <i>d</i> |\n\n- [ ] task\n- [x] done ~~old~~\n\n<!-- c -->\n<div>\nblock\n</div>\n",
            "# Title {#custom .cls key=val}\n\n[^x]\n\n[^x]: ![alt *em*](p.png \"t\")\n[^y]: unused\n",
        ];
        for src in tricky {
            same_without_html(src);
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = 0;
        for dir in ["content", "tests/fixtures"] {
            for entry in walkdir::WalkDir::new(root.join(dir)).into_iter().flatten() {
                if entry.path().extension().is_some_and(|e| e == "md")
                    && let Ok(text) = std::fs::read_to_string(entry.path())
                {
                    same_without_html(&text);
                    files += 1;
                }
            }
        }
        assert!(files > 100, "only {files} files");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1000))]
        #[test]
        fn any_text_records_the_same_with_and_without_html(
            src in "([#>*_`\\[\\]()!<>|~^:\"a-z0-9 -]|\n|\n\n|\\[\\^n\\]|\\[\\^n\\]: |<b>|</b>|# |- |1\\. |    ){0,40}"
        ) {
            same_without_html(&src);
        }
    }
}
