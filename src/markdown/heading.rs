//! A heading's own anchor: `## Признаки сепсиса {#signs-of-sepsis}` (so that a translation keeps
//! its source's anchors). Only a closing `{#id}` alone is read; other attributes stay text.

use super::render::Out;
use pulldown_cmark::{CowStr, Event};

/// A heading's own id: its text ends with ` {#id}` (letters, digits, `-`, `_`) written as plain
/// text in the source (not in code or emphasis), after other words. Returns the length of the
/// text to keep and the id.
pub(super) fn custom_id<'t>(text: &'t str, source: &str) -> Option<(usize, &'t str)> {
    let inner = text.strip_suffix('}')?;
    let open = inner.rfind("{#")?;
    let id = &inner[open + 2..];
    let valid = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    let before = &text[..open];
    if id.is_empty() || !id.chars().all(valid) || !before.ends_with([' ', '\t']) || before.trim().is_empty() {
        return None;
    }
    // `## Title {#id} ##`: an ATX heading's closing hashes are not its text.
    let line = source.lines().next().unwrap_or("").trim_end().trim_end_matches('#').trim_end();
    // `## Title \{#id}`: an escaped brace is text.
    let written = line.strip_suffix(&text[open..])?;
    written.ends_with([' ', '\t']).then_some((before.trim_end().len(), id))
}

/// Takes `len` bytes of text off the end of a heading's events (the ` {#id}` they end with).
pub(super) fn strip_text_suffix(events: &mut Vec<Out<'_>>, mut len: usize) {
    while len > 0 {
        let Some(Out::Event(Event::Text(t) | Event::InlineHtml(t))) = events.last_mut() else { return };
        if t.len() <= len {
            len -= t.len();
            events.pop();
        } else {
            let keep = t.len() - len;
            let Some(kept) = t.get(..keep) else { return };
            *t = CowStr::from(kept.to_string());
            len = 0;
        }
    }
    // The text before the id ends with spaces the writer would keep.
    if let Some(Out::Event(Event::Text(t) | Event::InlineHtml(t))) = events.last_mut() {
        let trimmed = t.trim_end();
        if trimmed.len() != t.len() {
            *t = CowStr::from(trimmed.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{filled, ids, md};
    use super::super::*;

    /// A heading closing with `{#id}` takes that id, and the braces leave its text and HTML, so that
    /// a translation keeps its source's anchors (`## Признаки сепсиса {#signs-of-sepsis}`).
    #[test]
    fn a_closing_id_in_braces_is_the_heading_id() {
        let cases = [
            ("## Признаки сепсиса {#signs-of-sepsis}\n", "Признаки сепсиса", "signs-of-sepsis"),
            ("## \"Quoted\" words {#quoted}\n", "\"Quoted\" words", "quoted"),
            ("## Title {#my_id} ##\n", "Title", "my_id"),
            ("## Dose {#dose}   \n", "Dose", "dose"),
            ("## Use *ice* now {#ice}\n", "Use ice now", "ice"),
            ("## Лактостаз {#лактостаз}\n", "Лактостаз", "лактостаз"),
        ];
        for (src, text, id) in cases {
            let doc = md(src);
            assert_eq!(doc.problems, [], "{src:?}");
            assert_eq!(doc.headings[0].text, text, "{src:?}");
            assert_eq!(doc.headings[0].id, id, "{src:?}");
            let html = filled(&doc);
            assert!(!html.contains("{#"), "{src:?}: {html}");
            assert!(html.starts_with(&format!("<h2 id=\"{id}\">")), "{src:?}: {html}");
            assert!(html.ends_with("</h2>\n") && !html.contains(" </h2>"), "{src:?}: {html}");
            // A check (no HTML) gives the same ids.
            let checked = parse(src, MdOptions { skip_html: true, ..MdOptions::default() });
            assert_eq!(ids(&checked), [id], "{src:?}");
        }
        assert!(filled(&md("## \"Quoted\" words {#quoted}\n")).contains("&quot;Quoted&quot; words</h2>"));
    }

    /// An id written twice is a problem (the second heading gets another id and links would miss it).
    #[test]
    fn a_closing_id_taken_before_is_a_problem() {
        let doc = md("## One {#same}\n\n## Two {#same}\n\n## Same\n");
        assert_eq!(ids(&doc), ["same", "same-1", "same-2"]);
        assert!(
            matches!(&doc.problems[..], [MdProblem::HeadingId { id, taken, .. }] if id == "same" && taken == "same-1"),
            "{:?}",
            doc.problems
        );
    }
}
