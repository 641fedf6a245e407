//! Translation drift: which version of its source a translation translates.
//!
//! `carebook translate mark` writes into the translation's front matter a short hash of each
//! translatable field of the source (`translated_from: "title=1a2b3c4d summary=… body=…"`);
//! `check` hashes the source again and names every field whose hash changed. Ids (symptoms,
//! causes, related guides) and sources are the same in every language and are not hashed. A
//! guide's `- shared: <id>` step or sign counts as the block's text (`content/shared/<id>.md`),
//! so that a change to a shared block makes every translation of a guide that uses it stale.

use crate::parse::Parsed;
use crate::schema::Matter;

/// The front-matter key that holds the hashes.
pub(crate) const KEY: &str = "translated_from";

/// The translatable fields of a parsed source and the hash of each, in a fixed order; `shared`
/// finds a shared block by id.
pub(crate) fn fields<'a>(p: &Parsed, shared: impl Fn(&str) -> Option<&'a Parsed>) -> Vec<(&'static str, String)> {
    // A shared item's text: its block's front matter (what a guide shows of it).
    let block = |id: Option<&crate::schema::Spanned<String>>| -> String {
        id.and_then(|id| shared(&id.value))
            .map(|b| b.source.text.get(..b.body_offset).unwrap_or("").to_string())
            .unwrap_or_default()
    };
    let mut out: Vec<(&'static str, String)> = Vec::new();
    let body = p.source.text.get(p.body_offset..).unwrap_or("").trim();
    match p.matter.as_deref() {
        Some(Matter::Guide(g)) => {
            out.push(("title", hash(&[&g.title.value])));
            out.push(("summary", hash(&[&g.summary.value])));
            let blocks: Vec<String> = g.steps.iter().map(|s| block(s.shared.as_ref())).collect();
            let steps: Vec<&str> = g
                .steps
                .iter()
                .zip(&blocks)
                .flat_map(|(s, b)| {
                    [s.title.value.as_str(), &s.text.value, s.caution.as_ref().map_or("", |c| &c.value)]
                        .into_iter()
                        .chain(non_empty(b))
                })
                .collect();
            out.push(("steps", hash(&steps)));
            let mistakes: Vec<&str> = g
                .mistakes
                .iter()
                .flat_map(|m| [m.mistake.value.as_str(), &m.instead.value, m.why.as_ref().map_or("", |w| &w.value)])
                .collect();
            out.push(("mistakes", hash(&mistakes)));
            let blocks: Vec<String> = g.see_a_doctor.iter().map(|f| block(f.shared.as_ref())).collect();
            let flags: Vec<&str> = g
                .see_a_doctor
                .iter()
                .zip(&blocks)
                .flat_map(|(f, b)| {
                    [f.sign.value.as_str(), f.urgency.value.as_str(), f.symptom.as_ref().map_or("", |s| &s.value)]
                        .into_iter()
                        .chain(non_empty(b))
                })
                .collect();
            out.push(("see_a_doctor", hash(&flags)));
        }
        Some(Matter::Term(t)) => {
            out.push(("title", hash(&[&t.title.value])));
            out.push(("summary", hash(&[&t.summary.value])));
            let aliases: Vec<&str> = t.aliases.iter().map(|a| a.value.as_str()).collect();
            out.push(("aliases", hash(&aliases)));
            let prevention: Vec<&str> = t.prevention.iter().map(|a| a.value.as_str()).collect();
            out.push(("prevention", hash(&prevention)));
        }
        Some(Matter::Page(pm)) => {
            out.push(("title", hash(&[&pm.title.value])));
            out.push(("summary", hash(&[pm.summary.as_ref().map_or("", |s| &s.value)])));
        }
        Some(Matter::Shared(_)) | None => {}
    }
    out.push(("body", hash(&[body])));
    out
}

/// A shared block's text as one more part of a hash, none for an item that is not shared: a
/// guide without shared items hashes as it did before they counted.
fn non_empty(text: &str) -> Option<&str> {
    (!text.is_empty()).then_some(text)
}

/// The `translated_from` value for `fields`.
pub(crate) fn mark(fields: &[(&'static str, String)]) -> String {
    fields.iter().map(|(k, h)| format!("{k}={h}")).collect::<Vec<_>>().join(" ")
}

/// The fields of `now` whose hash differs from (or is missing in) the recorded `mark`.
pub(crate) fn changed(mark: &str, now: &[(&'static str, String)]) -> Vec<&'static str> {
    let recorded: Vec<(&str, &str)> = mark.split_whitespace().filter_map(|kv| kv.split_once('=')).collect();
    now.iter().filter(|(k, h)| !recorded.iter().any(|(rk, rh)| rk == k && rh == h)).map(|(k, _)| *k).collect()
}

/// A short stable hash (FNV-1a, 32 bits, hex) of the parts, each ended so that moving text from
/// one part to the next changes it; line endings and surrounding blanks do not count.
///
/// Each part is read in place: the `\r` of a `\r\n` is skipped rather than the part copied with
/// `\n` line ends (trimming first is the same, since a trimmed text starts and ends with no
/// blank). A translation's check hashes its source's every field: with the copy, the hashing was
/// 1.2% of the instructions of a two-language build (callgrind, 1,000 guides), 118 M of which 42 M
/// were `str::replace`. The runs between `\r`s are found with `memchr` and hashed eight bytes a
/// turn ([`fnv_run`]): a byte at a time, with a scan of every part for `\r` first, the hashing
/// was 38 M instructions of that build.
fn hash(parts: &[&str]) -> String {
    let mut h: u32 = 0x811c_9dc5;
    for part in parts {
        let mut rest = part.trim().as_bytes();
        while let Some(at) = memchr::memchr(b'\r', rest) {
            h = fnv_run(h, &rest[..at]);
            if rest.get(at + 1) != Some(&b'\n') {
                h = fnv_run(h, b"\r");
            }
            rest = &rest[at + 1..];
        }
        h = fnv_run(fnv_run(h, rest), &[0x1f]);
    }
    format!("{h:08x}")
}

/// FNV-1a 32 over `bytes` after the state `h`, eight bytes a turn (the same as one at a time:
/// the loop's test and step are taken once per eight).
fn fnv_run(mut h: u32, bytes: &[u8]) -> u32 {
    let mut add = |b: u8| {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    };
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        for &b in c {
            add(b);
        }
    }
    chunks.remainder().iter().for_each(|&b| add(b));
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_names_fields() {
        let now = vec![("title", hash(&["A"])), ("body", hash(&["B"]))];
        assert!(changed(&mark(&now), &now).is_empty());
        let later = vec![("title", hash(&["A"])), ("body", hash(&["C"]))];
        assert_eq!(changed(&mark(&now), &later), vec!["body"]);
        assert_eq!(changed("", &later), vec!["title", "body"]);
        assert_ne!(hash(&["ab", "c"]), hash(&["a", "bc"]));
        assert_eq!(hash(&["x\r\ny"]), hash(&["x\ny "]));
    }

    /// The hash as first written: each part copied with `\n` line ends, then trimmed.
    fn plain_hash(parts: &[&str]) -> String {
        let mut h: u32 = 0x811c_9dc5;
        for part in parts {
            let text = part.replace("\r\n", "\n");
            for b in text.trim().bytes().chain([0x1f]) {
                h ^= u32::from(b);
                h = h.wrapping_mul(0x0100_0193);
            }
        }
        format!("{h:08x}")
    }

    /// Hashing in place gives the marks already written into translations: the same hash as the
    /// copy with `\n` line ends, for every mix of line ends, blanks and text.
    #[test]
    fn hashing_in_place_is_hashing_the_copy() {
        let pieces = ["\r", "\n", "\r\n", " ", "\t", "a", "ё", "\u{a0}", "\u{2028}", "x y"];
        let mut n: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            let mut parts = Vec::new();
            for _ in 0..(n % 3 + 1) {
                let mut text = String::new();
                for _ in 0..(n % 9) {
                    n = n.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                    text.push_str(pieces[usize::try_from(n >> 33).unwrap_or(0) % pieces.len()]);
                }
                n = n.rotate_left(7) ^ 0x5851_f42d;
                parts.push(text);
            }
            let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
            assert_eq!(hash(&parts), plain_hash(&parts), "{parts:?}");
        }
    }
}
