//! The event loop that turns pulldown-cmark events into body HTML, and records headings, links,
//! footnotes and problems on the way, and where in the HTML each link's URL, heading's id and
//! footnote's id goes ([`MdDoc::slots`]): those places are left empty, for [`super::fill_with`].
//!
//! pulldown-cmark's HTML writer writes the tags; the events go to it through [`Renderer`], which
//! sees how much has been written each time the writer asks for the next event, and so where the
//! value of each slot belongs.

use super::heading::{custom_id, strip_text_suffix};
use super::words::{self, Word};
use super::*;
use std::cell::Cell;
use std::collections::{HashMap, HashSet, VecDeque};
use std::rc::Rc;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

pub(super) fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM
}

/// `base` is added to every span (parse_inline parses a suffix of the input).
pub(super) fn render(src: &str, base: usize, opts: MdOptions, inline: bool) -> MdDoc {
    let parser = Parser::new_ext(src, parser_options()).into_offset_iter();
    let mut out = Writer { html: String::new(), written: Rc::new(Cell::new(0)) };
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
        written: Rc::clone(&out.written),
        alt_depth: 0,
        heading_slot: None,
        heading_buf: None,
    };
    if opts.skip_html {
        r.by_ref().for_each(drop);
    } else {
        out.html.reserve(src.len() * 2 + 64);
        // Writing into a String cannot fail.
        let _ = pulldown_cmark::html::write_html_fmt(&mut out, &mut r);
    }
    let mut doc = r.doc;
    doc.html = out.html;
    doc
}

/// The HTML as pulldown-cmark's writer writes it, and how long it is so far (for [`Renderer`]).
struct Writer {
    html: String,
    written: Rc<Cell<usize>>,
}

impl std::fmt::Write for Writer {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        // Column alignment as classes, not inline styles: `Content-Security-Policy: default-src
        // 'self'` drops inline styles. The writer writes each table cell's alignment whole.
        let s = match s {
            " style=\"text-align: left\">" => " class=\"align-left\">",
            " style=\"text-align: center\">" => " class=\"align-center\">",
            " style=\"text-align: right\">" => " class=\"align-right\">",
            s => s,
        };
        self.html.push_str(s);
        self.written.set(self.html.len());
        Ok(())
    }
}

/// What goes to the writer: an event, an event with a slot inside what it writes, or a slot right
/// where the writer is (between two events).
pub(super) enum Out<'a> {
    Event(Event<'a>),
    /// A link's or image's start (its URL is the slot) or a heading's start (its id is).
    Slotted(Event<'a>, SlotKind, usize),
    Mark(SlotKind, usize),
}

/// A footnote seen as reference and/or definition.
struct FnEntry<'a> {
    name: String,
    /// Slot (display number - 1), assigned at first reference or at the end.
    number: Option<usize>,
    /// Whether `number` came from a real reference (a back link target exists).
    referenced: bool,
    /// Rendered events of the first definition.
    events: Option<Vec<Out<'a>>>,
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
    queue: VecDeque<Out<'a>>,
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
    fn_stack: Vec<(usize, Vec<Out<'a>>)>,
    fn_count: usize,
    /// How many bytes the writer has written so far.
    written: Rc<Cell<usize>>,
    /// How many images the writer is inside: it writes their content as alt text, without tags,
    /// so no slot there is written.
    alt_depth: usize,
    /// A heading whose start tag is being written: its id slot ends two bytes (`">`) before the
    /// end of what the writer has written when it asks for the next event.
    heading_slot: Option<usize>,
    /// The open heading's events, held until its end shows whether it closes with `{#id}`.
    heading_buf: Option<Vec<Out<'a>>>,
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Iterator for Renderer<'a, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        if let Some(n) = self.heading_slot.take() {
            self.slot(SlotKind::Id, n, self.written.get().saturating_sub(2));
        }
        loop {
            match self.queue.pop_front() {
                Some(Out::Event(ev)) => return Some(self.track_alt(ev)),
                Some(Out::Mark(kind, n)) => {
                    self.slot(kind, n, self.written.get());
                    continue;
                }
                Some(Out::Slotted(ev, kind, n)) => {
                    // What the writer writes before the value: `<a href="`, `<img src="`.
                    match kind {
                        SlotKind::Link if matches!(ev, Event::Start(Tag::Image { .. })) => {
                            self.slot(kind, n, self.written.get() + "<img src=\"".len());
                        }
                        SlotKind::Link => self.slot(kind, n, self.written.get() + "<a href=\"".len()),
                        _ if self.alt_depth == 0 => self.heading_slot = Some(n),
                        _ => {}
                    }
                    return Some(self.track_alt(ev));
                }
                None => {}
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
    /// Records that the value of slot `n` of `kind` goes at byte `at` of the HTML (unless the
    /// writer is inside an image's alt text, where no tag is written).
    fn slot(&mut self, kind: SlotKind, n: usize, at: usize) {
        if self.alt_depth == 0 && !self.opts.skip_html {
            self.doc.slots.push(Slot { at, kind, n });
        }
    }

    /// Counts the images the writer enters and leaves.
    fn track_alt(&mut self, ev: Event<'a>) -> Event<'a> {
        match ev {
            Event::Start(Tag::Image { .. }) => self.alt_depth += 1,
            Event::End(TagEnd::Image) => self.alt_depth = self.alt_depth.saturating_sub(1),
            _ => {}
        }
        ev
    }

    /// Send an event to the writer, or to the open footnote definition.
    fn emit(&mut self, ev: Event<'a>) {
        self.emit_out(Out::Event(ev));
    }

    /// [`Renderer::emit`] for anything the writer is given.
    fn emit_out(&mut self, out: Out<'a>) {
        // Without HTML nobody reads the events: what is recorded is recorded in `handle`.
        if self.opts.skip_html {
            return;
        }
        if let Some(buf) = &mut self.heading_buf {
            buf.push(out);
            return;
        }
        match self.fn_stack.last_mut() {
            Some((_, buf)) => buf.push(out),
            None => self.queue.push_back(out),
        }
    }

    fn emit_html(&mut self, s: impl Into<CowStr<'a>>) {
        self.emit(Event::InlineHtml(s.into()));
    }

    fn add_text(&mut self, t: &str) {
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
            Event::TaskListMarker(done) => {
                let (class, word, mark) =
                    if done { ("task task-done", Word::Done, '\u{2611}') } else { ("task", Word::NotDone, '\u{2610}') };
                self.emit_html(format!("<span class=\"{class}\" role=\"img\" aria-label=\""));
                self.emit_out(Out::Mark(SlotKind::Word(word), 0));
                self.emit_html(format!("\">{mark}</span> "));
            }
            Event::SoftBreak | Event::HardBreak => {
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

    /// The writer does not escape `"` in body text; carebook always has (`&quot;`), and keeps
    /// doing so, so that pages stay as they were. (Image alt text is escaped by the writer itself,
    /// and there Html events would be dropped, so it stays untouched.)
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
            // Heading attributes are off (`id`, `classes` and `attrs` are always empty); a closing
            // `{#id}` alone is read at the heading's end ([`custom_id`]).
            Tag::Heading { level, classes, attrs, .. } => {
                let n = self.doc.headings.len();
                self.doc.headings.push(Heading {
                    level: level as u8,
                    id: String::new(),
                    text: String::new(),
                    span: range,
                });
                self.heading = Some(n);
                let start = Event::Start(Tag::Heading { level, id: Some(CowStr::Borrowed("")), classes, attrs });
                self.emit_out(Out::Slotted(start, SlotKind::Id, n));
                if !self.opts.skip_html {
                    self.heading_buf = Some(Vec::new());
                }
            }
            Tag::Table(al) => {
                // Focusable and named, so keyboard users can scroll a wide table.
                self.emit_html("<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"");
                self.emit_out(Out::Mark(SlotKind::Word(Word::Table), 0));
                self.emit_html("\">");
                self.emit(Event::Start(Tag::Table(al)));
            }
            Tag::BlockQuote(Some(kind)) => {
                // The title is the page's language's word for it (`alert_warning`), filled in later.
                let (class, word) = words::alert(kind);
                self.emit_html(format!(
                    "<aside class=\"alert alert-{class}\" role=\"note\">\n<p class=\"alert-title\">"
                ));
                self.emit_out(Out::Mark(SlotKind::Word(word), 0));
                self.emit_html("</p>\n");
            }
            Tag::Link { link_type, dest_url, title, id } => {
                let dest =
                    if link_type == LinkType::Email { format!("mailto:{dest_url}") } else { dest_url.to_string() };
                let slot = self.add_link(dest, LinkKind::Link, range);
                // Email links would get a second "mailto:" from the writer.
                let link_type = if link_type == LinkType::Email { LinkType::Inline } else { link_type };
                self.emit_slotted(Tag::Link { link_type, dest_url: CowStr::Borrowed(""), title, id }, slot);
            }
            Tag::Image { link_type, dest_url, title, id } => {
                let slot = self.add_link(dest_url.to_string(), LinkKind::Image, range);
                self.image_depth += 1;
                self.emit_slotted(Tag::Image { link_type, dest_url: CowStr::Borrowed(""), title, id }, slot);
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
                self.emit(Event::Start(other));
            }
        }
    }

    fn end(&mut self, end: TagEnd, top: bool) {
        match end {
            TagEnd::Paragraph if self.inline && top => {}
            TagEnd::Heading(_) => {
                if let Some(n) = self.heading.take() {
                    self.end_heading(n);
                }
                self.emit(Event::End(end));
            }
            TagEnd::Table => {
                self.emit(Event::End(end));
                self.emit_html("</div>\n");
            }
            TagEnd::BlockQuote(Some(_)) => {
                self.emit_html("</aside>\n");
            }
            TagEnd::Image => {
                self.image_depth = self.image_depth.saturating_sub(1);
                self.emit(Event::End(end));
            }
            TagEnd::FootnoteDefinition => {
                if let Some((entry, events)) = self.fn_stack.pop()
                    && let Some(e) = self.fn_entries.get_mut(entry)
                    && e.events.is_none()
                {
                    e.events = Some(events);
                }
            }
            TagEnd::HtmlBlock if self.in_html_block => self.in_html_block = false,
            TagEnd::TableCell => {
                self.emit(Event::End(end));
            }
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link => {
                self.emit(Event::End(end));
            }
            other => {
                self.emit(Event::End(other));
            }
        }
    }

    /// A link's or image's start `tag` (with an empty URL): its URL goes into slot `slot`, or is
    /// `#` when the link is refused (`None`).
    fn emit_slotted(&mut self, tag: Tag<'a>, slot: Option<usize>) {
        match (slot, tag) {
            (Some(n), tag) => self.emit_out(Out::Slotted(Event::Start(tag), SlotKind::Link, n)),
            (None, Tag::Link { link_type, title, id, .. }) => {
                self.emit(Event::Start(Tag::Link { link_type, dest_url: CowStr::Borrowed("#"), title, id }));
            }
            (None, Tag::Image { link_type, title, id, .. }) => {
                self.emit(Event::Start(Tag::Image { link_type, dest_url: CowStr::Borrowed("#"), title, id }));
            }
            (None, tag) => self.emit(Event::Start(tag)),
        }
    }

    /// Records a destination; returns its slot, or `None` when it is refused (written as `#`).
    fn add_link(&mut self, dest: String, kind: LinkKind, span: Range<usize>) -> Option<usize> {
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
        if refused.is_some() { None } else { Some(n) }
    }

    /// Make `base` unique among the ids used so far and the reserved ids.
    /// Gives heading `n` its id: its own `{#id}` when it closes with one (taken off its text and
    /// HTML), or else the slug of its text; either made unique.
    fn end_heading(&mut self, n: usize) {
        let mut events = self.heading_buf.take().unwrap_or_default();
        let Some(h) = self.doc.headings.get(n) else { return };
        let custom = custom_id(&h.text, self.source(&h.span)).map(|(keep, id)| (keep, id.to_string()));
        let id = match custom {
            Some((keep, id)) => {
                strip_text_suffix(&mut events, h.text.len() - keep);
                let span = h.span.clone();
                if let Some(h) = self.doc.headings.get_mut(n) {
                    h.text.truncate(keep);
                }
                let unique = self.unique_id(id.clone());
                if unique != id {
                    self.doc.problems.push(MdProblem::HeadingId { span, id, taken: unique.clone() });
                }
                unique
            }
            None => self.unique_id(slug(&h.text)),
        };
        if let Some(h) = self.doc.headings.get_mut(n) {
            h.id = id;
        }
        events.into_iter().for_each(|ev| self.emit_out(ev));
    }

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
        self.emit_html("<sup class=\"footnote-ref\"><a href=\"#");
        self.emit_out(Out::Mark(SlotKind::Fn, n));
        if first {
            self.emit_html("\" id=\"");
            self.emit_out(Out::Mark(SlotKind::FnRef, n));
        }
        self.emit_html(format!("\">{}</a></sup>", n + 1));
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
        self.queue.push_back(Out::Event(Event::Html("<section class=\"footnotes\">\n<ol>\n".into())));
        for (n, i) in order {
            let Some(e) = entries.get_mut(i).and_then(Option::take) else {
                continue;
            };
            self.doc.footnotes.push(e.name);
            let html = |s: &'static str| Out::Event(Event::Html(s.into()));
            self.queue.extend([html("<li id=\""), Out::Mark(SlotKind::Fn, n), html("\">\n")]);
            let mut events = e.events.unwrap_or_default();
            if e.referenced {
                let back = [
                    Out::Event(Event::InlineHtml(" <a href=\"#".into())),
                    Out::Mark(SlotKind::FnRef, n),
                    Out::Event(Event::InlineHtml("\" class=\"footnote-back\" aria-label=\"".into())),
                    Out::Mark(SlotKind::Word(Word::BackToReference), n),
                    Out::Event(Event::InlineHtml("\">\u{21a9}</a>".into())),
                ];
                // Inside the last paragraph when there is one, like GitHub.
                let at = match events.last() {
                    Some(Out::Event(Event::End(TagEnd::Paragraph))) => events.len() - 1,
                    _ => events.len(),
                };
                events.splice(at..at, back);
            }
            self.queue.extend(events);
            self.queue.push_back(html("</li>\n"));
        }
        self.queue.push_back(Out::Event(Event::Html("</ol>\n</section>\n".into())));
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
