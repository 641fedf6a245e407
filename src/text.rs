//! Small text helpers every stage shares: HTML escaping, decoding character references and
//! percent-decoding, each written once.

/// Appends `s` to `out`, escaped for HTML text and double- or single-quoted attributes
/// (`& < > " '`).
pub(crate) fn push_escaped(out: &mut String, s: &str) {
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&s[last..]);
}

/// `s` escaped for HTML ([`push_escaped`]).
pub(crate) fn escaped(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    push_escaped(&mut out, s);
    out
}

/// `s` with its character references decoded: numeric ones (`&#106;`, `&#x6A;`, with as many
/// leading zeros as XML allows), the five that XML names (`&amp;` `&lt;` `&gt;` `&quot;` `&apos;`)
/// and the `extra` names given. Anything else, a `&` that starts no reference included, is kept.
pub(crate) fn decode_references(s: &str, extra: &[(&str, char)]) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        match reference(after, extra) {
            Some((c, len)) => {
                out.push(c);
                rest = &after[len..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character that the reference at the start of `s` (just after its `&`) stands for, and the
/// reference's length up to and including its `;`.
fn reference(s: &str, extra: &[(&str, char)]) -> Option<(char, usize)> {
    const XML: [(&str, char); 5] = [("amp", '&'), ("lt", '<'), ("gt", '>'), ("quot", '"'), ("apos", '\'')];
    if let Some(number) = s.strip_prefix('#') {
        let (digits, radix, before) = match number.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16, 2),
            None => (number, 10, 1),
        };
        let len = digits.find(|c: char| !c.is_digit(radix)).filter(|&n| n > 0 && digits[n..].starts_with(';'))?;
        let c = u32::from_str_radix(&digits[..len], radix).ok().and_then(char::from_u32)?;
        return Some((c, before + len + 1));
    }
    XML.iter()
        .chain(extra)
        .find(|(name, _)| s.strip_prefix(name).is_some_and(|r| r.starts_with(';')))
        .map(|&(name, c)| (c, name.len() + 1))
}

/// Decodes the `%XX` escapes of `s`. A `%` not followed by two hexadecimal digits is kept as it
/// is; the result says whether there was one (`malformed`).
pub(crate) fn percent_decode(s: &str) -> Decoded {
    let b = s.as_bytes();
    let mut bytes = Vec::with_capacity(b.len());
    let mut malformed = false;
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            match (b.get(i + 1).copied().and_then(hex), b.get(i + 2).copied().and_then(hex)) {
                (Some(h), Some(l)) => {
                    bytes.push(h << 4 | l);
                    i += 3;
                    continue;
                }
                _ => malformed = true,
            }
        }
        bytes.push(b[i]);
        i += 1;
    }
    Decoded { bytes, malformed }
}

/// What [`percent_decode`] made.
pub(crate) struct Decoded {
    /// The decoded bytes (not necessarily UTF-8).
    pub(crate) bytes: Vec<u8>,
    /// Whether a `%` was not followed by two hexadecimal digits.
    pub(crate) malformed: bool,
}

/// The value of one hexadecimal digit.
fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).and_then(|d| u8::try_from(d).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding_keeps_what_is_not_an_escape() {
        let d = percent_decode("a%20b%2Fc%zz%4");
        assert_eq!(d.bytes, b"a b/c%zz%4");
        assert!(d.malformed);
        let d = percent_decode("caf%C3%A9");
        assert_eq!(String::from_utf8(d.bytes).as_deref(), Ok("café"));
        assert!(!d.malformed);
    }

    #[test]
    fn character_references_are_decoded_as_xml_reads_them() {
        assert_eq!(decode_references("&#x6A;&#106;&lt;&bogus;&", &[]), "jj<&bogus;&");
        assert_eq!(decode_references("&#x000000000006A;&#00000000000097;", &[]), "ja");
        assert_eq!(
            decode_references("&#;&#x;&#12a;&#xffffffff;&#99999999999;&amp", &[]),
            "&#;&#x;&#12a;&#xffffffff;&#99999999999;&amp"
        );
        assert_eq!(decode_references("a&nbsp;b&quot;&apos;", &[]), "a&nbsp;b\"'");
        assert_eq!(decode_references("a&nbsp;b", &[("nbsp", ' ')]), "a b");
    }

    #[test]
    fn escaping_covers_text_and_attributes() {
        assert_eq!(
            escaped(r#"<a href="x">Tom & 'Jerry'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
        );
    }

    /// Percent-encoding by table gives what the plain reading gave: each byte kept as a whole
    /// character or written `%XX`, by a scan of the kept set.
    #[test]
    fn encoding_by_table_is_the_plain_encoding() {
        fn plain(s: &str, name: bool) -> String {
            let keeps = |b: u8| {
                b.is_ascii_alphanumeric() || b"!$&'()*+,-./:;=@^_~".contains(&b) || (!name && b"#%?".contains(&b))
            };
            let mut out = String::new();
            for (i, b) in s.bytes().enumerate() {
                if keeps(b) {
                    out.push_str(&s[i..=i]);
                } else {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            out
        }
        let all_ascii: String = (0u8..128).map(char::from).collect();
        for s in [all_ascii.as_str(), "", "что-делать", "Лактостаз при ёлке", "a b?c#d%e", "🍼 \u{a0}x", "plain-id"]
        {
            assert_eq!(crate::markdown::encode_name(s), plain(s, true), "{s:?}");
            assert_eq!(crate::markdown::encode_url(s), plain(s, false), "{s:?}");
        }
    }
}
