//! A page's readable text: the blocks of its HTML, and their sentences.

/// The tags that end a block of text.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "br",
    "tr",
    "td",
    "th",
    "div",
    "blockquote",
    "pre",
    "dt",
    "dd",
    "ul",
    "ol",
    "table",
    "details",
    "summary",
];

/// The text blocks of an HTML fragment: tags out, entities decoded, one entry per block, its
/// runs of white space made one space. Written straight into each block's text, without a
/// string per tag name or text run ([`super::plain::html_text`] is the reference).
pub(super) fn html_text(html: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    // The block's text, words joined by one space, and whether a space is pending.
    let mut cur = String::new();
    let mut space = false;
    let text = |t: &str, cur: &mut String, space: &mut bool| {
        let decoded;
        let t = if t.contains('&') {
            decoded = decode(t);
            decoded.as_str()
        } else {
            t
        };
        for (k, word) in t.split(char::is_whitespace).enumerate() {
            if k > 0 {
                *space = true;
            }
            if !word.is_empty() {
                if *space && !cur.is_empty() {
                    cur.push(' ');
                }
                *space = false;
                cur.push_str(word);
            }
        }
    };
    let mut end_block = |cur: &mut String, space: &mut bool| {
        if !cur.is_empty() {
            blocks.push(std::mem::take(cur));
        }
        *space = false;
    };
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        text(&rest[..lt], &mut cur, &mut space);
        let Some(gt) = rest[lt..].find('>') else {
            rest = "";
            break;
        };
        let tag = rest[lt + 1..lt + gt].trim_start_matches('/');
        let name = &tag[..tag.bytes().take_while(u8::is_ascii_alphanumeric).count()];
        if BLOCK_TAGS.iter().any(|b| b.eq_ignore_ascii_case(name)) {
            end_block(&mut cur, &mut space);
        } else {
            space = true;
        }
        rest = &rest[lt + gt + 1..];
    }
    text(rest, &mut cur, &mut space);
    end_block(&mut cur, &mut space);
    blocks
}

/// Decodes the character references of HTML text (`&nbsp;` as a plain space).
pub(super) fn decode(s: &str) -> String {
    crate::text::decode_references(s, &[("nbsp", ' ')])
}

/// Splits a block of text into sentences (after . ! ? followed by a space).
pub(super) fn sentences(text: &str, out: &mut Vec<String>) {
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
