//! Small text helpers every stage shares: HTML escaping and percent-decoding, each written once.

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
    fn escaping_covers_text_and_attributes() {
        assert_eq!(
            escaped(r#"<a href="x">Tom & 'Jerry'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
        );
    }
}
