//! Markdown rendering: the only module that talks to `pulldown-cmark`.
//!
//! Input: a Markdown string (a page body, or one inline front-matter field) and
//! [`MdOptions`]. Output: an [`MdDoc`] whose `html` leaves out every link/image
//! destination, heading id and footnote id, with where each goes (`slots`,
//! recorded as the HTML is written), plus the lists the caller needs to resolve
//! them (`links`, `headings`, `footnotes`), the problems found (`problems`) and
//! the plain text for the search index. [`fill_with`] then writes the final, escaped
//! values into their places in one pass.
//!
//! The values are left out so that URL rewriting (`x.md` → `x.html`) and id
//! prefixing stay in the caller, and so that a rendered document can be cached
//! and filled differently (page vs. print view). Nothing in the HTML marks a
//! slot, so no text, and no raw HTML, can make one.
//!
//! This module must never panic on any input, never pass raw HTML through
//! unless `allow_raw_html` is set, and never emit output that depends on
//! hash-map iteration order. A heading may end with its own id (`## Dose {#dose}`,
//! so that a translation keeps its source's anchors); other heading attributes
//! (`{.class}`, `{#id .class}`) are not parsed: braces stay text, so no word of a
//! heading is ever dropped.

use crate::text::push_escaped;
use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::CowStr;

mod heading;
mod render;
mod stored;
#[cfg(test)]
mod tests;
mod words;

use render::render;
pub(crate) use words::Word;

/// Options for rendering.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct MdOptions {
    /// Pass raw HTML through instead of dropping it with a [`MdProblem::RawHtml`].
    pub(crate) allow_raw_html: bool,
    /// Record headings, links, problems and text but write no HTML (`check` needs no pages).
    pub(crate) skip_html: bool,
}

/// A parsed and rendered Markdown text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct MdDoc {
    /// HTML without its links' destinations (`href=""`, `src=""`; unsafe links are written
    /// as `"#"`), headings' ids (`id=""`) and footnotes' ids (`id=""`, `href="#"`): `slots` says
    /// where each goes. Use [`fill_with`] to produce final HTML.
    pub(crate) html: String,
    /// Where each value left out of `html` goes, in order.
    pub(crate) slots: Vec<Slot>,
    /// Headings in document order (including those inside footnotes).
    pub(crate) headings: Vec<Heading>,
    /// Link and image destinations in document order.
    pub(crate) links: Vec<MdLink>,
    /// Problems found, in document order.
    pub(crate) problems: Vec<MdProblem>,
    /// Footnote names (as first written), indexed by footnote number - 1:
    /// numbered by first reference, then never-referenced definitions.
    pub(crate) footnotes: Vec<String>,
}

/// A place in [`MdDoc::html`] where [`fill_with`] writes a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Slot {
    /// Byte offset in the HTML.
    pub(super) at: usize,
    /// What goes there.
    pub(crate) kind: SlotKind,
    /// Which one: an index into [`MdDoc::links`] or [`MdDoc::headings`], or a footnote's number - 1
    /// (for a word: the footnote's number - 1 in its link back, else 0).
    pub(super) n: usize,
}

/// What a [`Slot`] holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SlotKind {
    /// A link's or image's URL.
    Link,
    /// A heading's id.
    Id,
    /// A footnote's id (on its list item, and in the reference's link to it).
    Fn,
    /// A footnote reference's id (on the reference, and in the footnote's link back).
    FnRef,
    /// A word the engine writes (an alert's title, a table's name…), in the page's language.
    Word(Word),
}

/// A heading of the document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Heading {
    /// 1 to 6.
    pub(crate) level: u8,
    /// Final, document-unique id: the slug of its text, maybe suffixed.
    pub(crate) id: String,
    /// Plain text of the heading (Text and Code events).
    pub(crate) text: String,
    /// Byte range of the heading in the source.
    pub(crate) span: Range<usize>,
}

/// A link or image destination, as written in the source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct MdLink {
    /// Destination as written (email autolinks get a `mailto:` prefix).
    pub(crate) dest: String,
    /// Link or image.
    pub(crate) kind: LinkKind,
    /// Byte range of the whole link/image construct in the source.
    pub(crate) span: Range<usize>,
}

/// What kind of element a [`MdLink`] came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LinkKind {
    /// `<a href>`.
    Link,
    /// `<img src>`: the resource is loaded by the browser.
    Image,
}

/// Something the author should fix; the caller decides whether it is fatal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum MdProblem {
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
    /// A heading's own `{#id}` is taken (by an earlier heading or the theme): it got another.
    HeadingId {
        /// Byte range of the heading in the source.
        span: Range<usize>,
        /// The id as written.
        id: String,
        /// The id it was given instead.
        taken: String,
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
pub(crate) const ALLOWED_SCHEMES: &str =
    "relative links to content files (mastitis.md), https:, http: (with a warning), mailto: and tel:";

/// Parse and render a Markdown body (a block document).
#[must_use]
pub(crate) fn parse(src: &str, opts: MdOptions) -> MdDoc {
    render(src, 0, opts, false)
}

/// Parse and render a single paragraph of inline Markdown (front-matter
/// fields such as step text): the output has NO surrounding `<p>…</p>`.
/// Leading whitespace is ignored (so it cannot turn into a code block);
/// several paragraphs are joined with `<br />`; other block constructs
/// (headings, lists…) are rendered as blocks.
#[must_use]
pub(crate) fn parse_inline(src: &str, opts: MdOptions) -> MdDoc {
    let trimmed = src.trim_start();
    render(trimmed, src.len() - trimmed.len(), opts, true)
}

/// Whether the inline field `src` is plain text that [`parse_inline`] would render as itself:
/// no character that can start Markdown or HTML, no control character or line break, no space
/// at either end, and no first character that can start a block (list, heading, quote). Most
/// fields are such sentences; they skip the parser ([`plain_inline_html`] gives the same HTML).
#[must_use]
pub(crate) fn is_plain_inline(src: &str) -> bool {
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
pub(crate) fn plain_inline_html(src: &str) -> String {
    if src.contains('"') {
        let mut out = String::with_capacity(src.len() + 16);
        push_escaped(&mut out, src);
        out
    } else {
        src.to_string()
    }
}

/// An attribute value being written: every piece pushed is escaped for a double-quoted attribute.
pub(crate) struct Attr<'o>(&'o mut String);

impl Attr<'_> {
    /// Appends `piece`, escaped.
    pub(crate) fn push(&mut self, piece: &str) {
        push_escaped(self.0, piece);
    }

    /// Appends a URL as written by an author: what an href may not hold is percent-encoded, as
    /// pulldown-cmark's HTML writer does ([`encode_url`]), then escaped.
    pub(crate) fn push_url(&mut self, url: &str) {
        push_escaped(self.0, &encode_url(url));
    }

    /// Appends a name, such as a file name or a heading id, that must reach the browser as it is:
    /// [`Attr::push_url`], with `%`, `#` and `?` encoded too.
    pub(crate) fn push_name(&mut self, name: &str) {
        push_escaped(self.0, &encode_name(name));
    }
}

/// `name` (a file name, a heading id) percent-encoded to be one piece of a URL that reaches the
/// browser as it is: [`encode_url`], with `%`, `#` and `?` encoded too. A browser decodes a
/// fragment before it looks for the id, so `#%D1%87%D1%82%D0%BE` finds `id="что"`.
#[must_use]
pub(crate) fn encode_name(name: &str) -> Cow<'_, str> {
    encode(name, true)
}

/// `url` with every byte that an href does not take as written percent-encoded (spaces,
/// backslashes, quotes, `<>`, non-ASCII, controls): what pulldown-cmark's `escape_href` encodes,
/// except `&` and `'`, which are left for attribute escaping (the template's or [`Attr`]'s).
#[must_use]
pub fn encode_url(url: &str) -> Cow<'_, str> {
    encode(url, false)
}

/// Whether [`encode`] keeps byte `b` as it is: pulldown-cmark's href-safe set plus `&` and `'`;
/// for a name (`name`), without `%`, `#` and `?`.
const fn keeps(b: u8, name: bool) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(b, b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b'-' | b'.' | b'/')
        || matches!(b, b':' | b';' | b'=' | b'@' | b'^' | b'_' | b'~')
        || (!name && matches!(b, b'#' | b'%' | b'?'))
}

/// [`keeps`] as tables, for a URL and for a name: one look-up per byte.
const KEEPS: [[bool; 256]; 2] = {
    let mut t = [[false; 256]; 2];
    let mut b = 0;
    while b < 256 {
        t[0][b] = keeps(b as u8, false);
        t[1][b] = keeps(b as u8, true);
        b += 1;
    }
    t
};

/// Percent-encodes the bytes of `s` outside pulldown-cmark's href-safe set (plus `&` and `'`);
/// with `name`, also `%`, `#` and `?`, which would otherwise start an escape, fragment or query.
///
/// Byte by byte into a buffer, by a table (rather than a character copied and a set scanned per
/// byte): a Russian heading's id is mostly bytes to encode, and encoding them was 1 % of a
/// two-language build's instructions (53 M of 5.6 G; callgrind, 1,000 guides in each language).
/// Tested against the plain reading (`text::tests`).
fn encode(s: &str, name: bool) -> Cow<'_, str> {
    let keeps = &KEEPS[usize::from(name)];
    if s.bytes().all(|b| keeps[usize::from(b)]) {
        return Cow::Borrowed(s);
    }
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = Vec::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if keeps[usize::from(b)] {
            out.push(b);
        } else {
            out.extend_from_slice(&[b'%', HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
        }
    }
    // Every byte written is ASCII.
    Cow::Owned(String::from_utf8(out).unwrap_or_default())
}

/// Which link of a document: its place in link order, the order of [`MdDoc::links`] and of the
/// targets `check` resolves for them ([`crate::check::FileLinks`]). Only this module sees the number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct LinkNo(usize);

impl LinkNo {
    /// This link's item in `list`, a list made in link order (`None` past its end).
    pub(crate) fn of<T>(self, list: &[T]) -> Option<&T> {
        list.get(self.0)
    }
}

/// `doc`'s HTML with each slot's value written in its place, in one pass.
///
/// `link(n, out)` writes the final RAW URL for link `n` (percent-encoded by [`Attr::push_url`]),
/// `id(heading, out)` the final id of a heading, in pieces; [`Attr`] escapes them for a
/// double-quoted attribute (`& < > " '`). Footnote ids become `{id_prefix}fn-{N+1}` and
/// `{id_prefix}fnref-{N+1}`. `word(w)` gives an engine word in the page's language (escaped here;
/// `{n}` in it becomes the footnote's number).
#[must_use]
pub(crate) fn fill_with<'d, 'w>(
    doc: &'d MdDoc,
    link: impl Fn(LinkNo, &mut Attr),
    id: impl Fn(&'d Heading, &mut Attr),
    word: impl Fn(Word) -> &'w str,
    id_prefix: &str,
) -> String {
    let html = doc.html.as_str();
    let mut out = String::with_capacity(html.len() + html.len() / 8 + doc.slots.len() * 16);
    let mut copied = 0;
    for s in &doc.slots {
        // Slots are in order and on character boundaries (recorded as the HTML was written).
        let Some(before) = html.get(copied..s.at) else { continue };
        out.push_str(before);
        copied = s.at;
        match s.kind {
            SlotKind::Link => link(LinkNo(s.n), &mut Attr(&mut out)),
            SlotKind::Id => {
                if let Some(h) = doc.headings.get(s.n) {
                    id(h, &mut Attr(&mut out));
                }
            }
            SlotKind::Fn | SlotKind::FnRef => {
                push_escaped(&mut out, id_prefix);
                out.push_str(if s.kind == SlotKind::Fn { "fn-" } else { "fnref-" });
                out.push_str(&(s.n + 1).to_string());
            }
            // `{n}`: the footnote's number, in a footnote's link back.
            SlotKind::Word(w) => {
                let text = word(w);
                match text.split_once("{n}") {
                    Some((before, after)) => {
                        push_escaped(&mut out, before);
                        out.push_str(&(s.n + 1).to_string());
                        push_escaped(&mut out, after);
                    }
                    None => push_escaped(&mut out, text),
                }
            }
        }
    }
    out.push_str(html.get(copied..).unwrap_or(""));
    out
}

/// `doc`'s HTML with only its words written in (`word(w)` as for [`fill_with`]), for the search
/// index, which reads the text and no URL, id or attribute; `doc.html` itself when it has no word
/// in its text.
#[must_use]
pub(crate) fn with_words<'d, 'w>(doc: &'d MdDoc, word: impl Fn(Word) -> &'w str) -> Cow<'d, str> {
    if !doc.slots.iter().any(|s| matches!(s.kind, SlotKind::Word(w) if w.is_text())) {
        return Cow::Borrowed(&doc.html);
    }
    Cow::Owned(fill_with(doc, |_, _| {}, |_, _| {}, word, ""))
}

/// The slug of a heading text: lower-case, every run of characters other than
/// ASCII a-z/0-9 becomes one hyphen, leading/trailing hyphens trimmed,
/// "section" if empty. Common accented Latin letters are folded (é→e, ß→ss);
/// other letters and digits (Cyrillic, Greek, CJK) are kept, lower-cased, so that a heading in
/// another language keeps a readable id (`## Когда к врачу` → `когда-к-врачу`); combining marks
/// are dropped.
///
/// A letter of the Russian alphabet or an ASCII letter or digit, most of a heading, is taken
/// as it is, lower-cased, without asking the Unicode tables ([`push_slug_char`], the plain way, does
/// for every other character): a Russian heading made four table look-ups a letter
/// (`to_lowercase`, `is_alphanumeric`).
#[must_use]
pub(crate) fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    for c in text.chars() {
        let kept = match c {
            'a'..='z' | '0'..='9' | 'а'..='я' | 'ё' => c,
            'A'..='Z' => c.to_ascii_lowercase(),
            'А'..='Я' => char::from_u32(u32::from(c) + 0x20).unwrap_or(c),
            'Ё' => 'ё',
            _ => {
                push_slug_char(c, &mut out, &mut pending_hyphen);
                continue;
            }
        };
        if pending_hyphen && !out.is_empty() {
            out.push('-');
        }
        pending_hyphen = false;
        out.push(kept);
    }
    if out.is_empty() {
        out.push_str("section");
    }
    out
}

/// One character of a heading into its slug `out` ([`slug`]): `pending_hyphen` is set by a
/// character that separates words, and written before the next one kept.
fn push_slug_char(c: char, out: &mut String, pending_hyphen: &mut bool) {
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
            *pending_hyphen = true;
            continue;
        };
        if *pending_hyphen && !out.is_empty() {
            out.push('-');
        }
        *pending_hyphen = false;
        if piece.is_empty() {
            out.push(c);
        } else {
            out.push_str(piece);
        }
    }
}

// ---------------------------------------------------------------------------
// Rendering

/// Ids the default theme uses around a body; body headings must not take them.
const RESERVED_IDS: [&str; 9] =
    ["symptoms", "causes", "steps", "mistakes", "see-a-doctor", "sources", "related", "main", "top"];

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
pub(crate) fn scheme_of(dest: &str) -> Option<String> {
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
mod slug_tests {
    /// The slug the plain way: every character through [`super::push_slug_char`].
    fn slug_plain(text: &str) -> String {
        let (mut out, mut pending) = (String::new(), false);
        text.chars().for_each(|c| super::push_slug_char(c, &mut out, &mut pending));
        if out.is_empty() { "section".to_string() } else { out }
    }

    /// Every character up to U+3000, alone and between words, gives the slug of the plain way.
    #[test]
    fn letters_taken_as_they_are_slug_as_the_tables_do() {
        for c in (0..0x3000).filter_map(char::from_u32) {
            for text in [format!("{c}"), format!("a {c}b"), format!("Ж{c}-{c}ё"), format!("{c}{c} ")] {
                assert_eq!(super::slug(&text), slug_plain(&text), "{text:?}");
            }
        }
    }
}
