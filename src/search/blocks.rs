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
        push_words(t, cur, space);
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

/// Appends the words of `t` to `cur`, one space between words (`space`: one is pending), as
/// `t.split(char::is_whitespace)` gives them ([`push_words_plain`] is the reference). Each word
/// is cut at the next white-space character and appended whole: an ASCII text (most text runs
/// of an English page) by [`push_ascii_words`]; any other a byte at a time too, without decoding
/// its characters: only one that starts with a lead byte of Unicode's other white space (`0xC2`:
/// U+0085, U+00A0; `0xE1`–`0xE3`: U+1680, U+2000–U+205F, U+3000) is decoded and asked. A Russian
/// text (letters of `0xD0`/`0xD1`) is no longer read a character at a time, which cost a
/// two-language build 68 M instructions more at 1,000 guides (callgrind: `html_text` 537 M,
/// now 469 M).
fn push_words(t: &str, cur: &mut String, space: &mut bool) {
    if t.is_ascii() {
        return push_ascii_words(t, cur, space);
    }
    let mut word = words_into();
    let bytes = t.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        // The length of the white-space character at `i`, 0 for any other byte.
        let white = if b <= b' ' {
            usize::from((WHITE >> b) & 1 == 1)
        } else if matches!(b, 0xC2 | 0xE1..=0xE3) {
            t.get(i..).and_then(|rest| rest.chars().next()).filter(|c| c.is_whitespace()).map_or(0, char::len_utf8)
        } else {
            0
        };
        if white > 0 {
            word(t.get(start..i).unwrap_or(""), cur, space);
            start = i + white;
            i = start;
        } else {
            i += 1;
        }
    }
    word(t.get(start..).unwrap_or(""), cur, space);
}

/// The ASCII characters `char::is_whitespace` takes: \t \n \x0b \x0c \r and space.
const WHITE: u64 = (1 << b'\t') | (1 << b'\n') | (1 << 0x0b) | (1 << 0x0c) | (1 << b'\r') | (1 << b' ');

/// What appends each piece of a text cut at white space, in order, to a block ([`push_words`]).
fn words_into() -> impl FnMut(&str, &mut String, &mut bool) {
    let mut first = true;
    move |w: &str, cur: &mut String, space: &mut bool| {
        // As `split` gives them: every piece after the first follows a white-space character.
        if !first {
            *space = true;
        }
        first = false;
        if !w.is_empty() {
            if *space && !cur.is_empty() {
                cur.push(' ');
            }
            *space = false;
            cur.push_str(w);
        }
    }
}

/// [`push_words`] of an ASCII text (most text runs of a page): each word is cut at the next
/// white-space byte and appended whole, instead of being read as characters a byte at a time
/// (about a third of the instructions of [`push_words`]'s general path).
fn push_ascii_words(t: &str, cur: &mut String, space: &mut bool) {
    let mut word = words_into();
    let mut start = 0;
    for (i, &b) in t.as_bytes().iter().enumerate() {
        if b <= b' ' && (WHITE >> b) & 1 == 1 {
            word(t.get(start..i).unwrap_or(""), cur, space);
            start = i + 1;
        }
    }
    word(t.get(start..).unwrap_or(""), cur, space);
}

/// [`push_words`] the plain way.
#[cfg(test)]
fn push_words_plain(t: &str, cur: &mut String, space: &mut bool) {
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

#[cfg(test)]
mod tests {
    /// Words appended a byte at a time are those of `split(char::is_whitespace)`, after any
    /// text already there and with a space pending or not, for every kind of white space.
    #[test]
    fn words_read_by_bytes_are_the_split_words() {
        let texts = [
            "",
            " ",
            "a",
            " a",
            "a ",
            "a  b",
            "\ta\nb\rc\x0bd\x0ce",
            "\u{a0}lead\u{2003}trail\u{3000}",
            "é ü\u{2028}ж\u{85}x",
            "\u{200b}zero-width\u{200b} is no space",
            "end.\u{202f}\u{205f}",
            "  many   spaces  ",
            "plain ascii, words: one two\u{1f}three\x7f four",
            "\x0b\x0c",
            "a\u{1c}b\u{1d}c\u{1e}d\u{1f}e",
            "Мастит и\u{a0}лактостаз: ёж ©\u{1680}ᚠ‐あ\u{3000}конец",
        ];
        for t in texts {
            for before in ["", "x"] {
                for pending in [false, true] {
                    let (mut a, mut b) = (before.to_string(), before.to_string());
                    let (mut sa, mut sb) = (pending, pending);
                    super::push_words(t, &mut a, &mut sa);
                    super::push_words_plain(t, &mut b, &mut sb);
                    assert_eq!((a, sa), (b, sb), "{t:?} after {before:?}, space {pending}");
                    if t.is_ascii() {
                        // The ASCII path alone.
                        let (mut c, mut sc) = (before.to_string(), pending);
                        super::push_ascii_words(t, &mut c, &mut sc);
                        let (mut f, mut sf) = (before.to_string(), pending);
                        super::push_words_plain(t, &mut f, &mut sf);
                        assert_eq!((c, sc), (f, sf), "{t:?} (ASCII) after {before:?}, space {pending}");
                    }
                }
            }
        }
    }

    /// Every character, white space or not (those that share a lead byte with white space
    /// above all), between words, at either end and alone, cuts words as `split` does.
    #[test]
    fn every_character_cuts_words_as_split_does() {
        for c in (0..0x3100).chain((0x1_0000..0x11_0000).step_by(4099)).filter_map(char::from_u32) {
            for t in [format!("a{c}b"), format!("{c}"), format!("ж{c}{c}ё "), format!(" {c}x")] {
                for pending in [false, true] {
                    let (mut a, mut b) = ("x".to_string(), "x".to_string());
                    let (mut sa, mut sb) = (pending, pending);
                    super::push_words(&t, &mut a, &mut sa);
                    super::push_words_plain(&t, &mut b, &mut sb);
                    assert_eq!((a, sa), (b, sb), "{t:?}, space {pending}");
                }
            }
        }
    }
}
