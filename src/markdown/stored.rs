//! A rendered document as bytes, for the parse store a build keeps beside its output
//! (`write/parsed.rs`): [`MdDoc::encode`] and [`MdDoc::decode`], which gives back the same document
//! or, for bytes it did not write, `None` (never a panic). The format is this binary's own: the
//! store is not read by another binary.
//!
//! Written with [`crate::stored`]'s numbers, strings and lists.

use super::{Heading, LinkKind, MdDoc, MdLink, MdProblem, Slot, SlotKind, Word};
use crate::stored::{In, Out};

impl MdDoc {
    /// Appends the document to `out`.
    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        let w = &mut Out(out);
        w.str(&self.html);
        w.number(self.slots.len());
        for s in &self.slots {
            w.number(s.at);
            w.number(s.n);
            match s.kind {
                SlotKind::Link => w.byte(0),
                SlotKind::Id => w.byte(1),
                SlotKind::Fn => w.byte(2),
                SlotKind::FnRef => w.byte(3),
                SlotKind::Word(word) => {
                    w.byte(4);
                    w.byte(word_tag(word));
                }
            }
        }
        w.number(self.headings.len());
        for h in &self.headings {
            w.byte(h.level);
            w.str(&h.id);
            w.str(&h.text);
            w.span(&h.span);
        }
        w.number(self.links.len());
        for l in &self.links {
            w.str(&l.dest);
            w.byte(match l.kind {
                LinkKind::Link => 0,
                LinkKind::Image => 1,
            });
            w.span(&l.span);
        }
        w.number(self.problems.len());
        for p in &self.problems {
            problem(w, p);
        }
        w.number(self.footnotes.len());
        for f in &self.footnotes {
            w.str(f);
        }
    }

    /// The document [`MdDoc::encode`] wrote at `r`; `None` when the bytes do not hold one.
    pub(crate) fn decode(r: &mut In<'_>) -> Option<MdDoc> {
        let html = r.str()?;
        let slots = r.list(|r| {
            let (at, n) = (r.number()?, r.number()?);
            let kind = match r.byte()? {
                0 => SlotKind::Link,
                1 => SlotKind::Id,
                2 => SlotKind::Fn,
                3 => SlotKind::FnRef,
                4 => SlotKind::Word(*Word::ALL.get(usize::from(r.byte()?))?),
                _ => return None,
            };
            Some(Slot { at, kind, n })
        })?;
        let headings = r.list(|r| Some(Heading { level: r.byte()?, id: r.str()?, text: r.str()?, span: r.span()? }))?;
        let links = r.list(|r| {
            let dest = r.str()?;
            let kind = match r.byte()? {
                0 => LinkKind::Link,
                1 => LinkKind::Image,
                _ => return None,
            };
            Some(MdLink { dest, kind, span: r.span()? })
        })?;
        let problems = r.list(read_problem)?;
        let footnotes = r.list(In::str)?;
        Some(MdDoc { html, slots, headings, links, problems, footnotes })
    }
}

/// A [`Word`]'s tag: its place in [`Word::ALL`].
fn word_tag(word: Word) -> u8 {
    Word::ALL.iter().position(|&w| w == word).and_then(|i| u8::try_from(i).ok()).unwrap_or(u8::MAX)
}

fn problem(w: &mut Out<'_>, p: &MdProblem) {
    match p {
        MdProblem::RawHtml { span, snippet } => {
            w.byte(0);
            w.span(span);
            w.str(snippet);
        }
        MdProblem::RemoteResource { url, span } => {
            w.byte(1);
            w.str(url);
            w.span(span);
        }
        MdProblem::UnsafeLink { url, scheme, span } => {
            w.byte(2);
            w.str(url);
            w.str(scheme);
            w.span(span);
        }
        MdProblem::HeadingId { span, id, taken } => {
            w.byte(3);
            w.span(span);
            w.str(id);
            w.str(taken);
        }
        MdProblem::InsecureLink { url, span } => {
            w.byte(4);
            w.str(url);
            w.span(span);
        }
    }
}

fn read_problem(r: &mut In<'_>) -> Option<MdProblem> {
    Some(match r.byte()? {
        0 => MdProblem::RawHtml { span: r.span()?, snippet: r.str()? },
        1 => MdProblem::RemoteResource { url: r.str()?, span: r.span()? },
        2 => MdProblem::UnsafeLink { url: r.str()?, scheme: r.str()?, span: r.span()? },
        3 => MdProblem::HeadingId { span: r.span()?, id: r.str()?, taken: r.str()? },
        4 => MdProblem::InsecureLink { url: r.str()?, span: r.span()? },
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::{MdOptions, parse, parse_inline};

    #[test]
    fn a_document_reads_back_as_written_and_damage_reads_as_none() {
        let text = "# Title {#t}\n\n# Title {#t}\n\n> [!NOTE]\n> see [a](a.md), ![i](http://x/i.png), \
                    [b](javascript:x), [c](http://c.example)\n\n<b>raw</b>\n\n| a |\n|---|\n| 1 |\n\n\
                    - [x] done\n\nA note.[^n]\n\n[^n]: The note.\n";
        let opts = MdOptions::default();
        let docs = [parse(text, opts), parse_inline("*one* [two](x.md)", opts), parse("", opts)];
        assert!(docs[0].problems.len() >= 4 && !docs[0].footnotes.is_empty(), "{:?}", docs[0]);
        for doc in docs {
            let mut bytes = vec![7];
            doc.encode(&mut bytes);
            let r = &mut In::new(&bytes[1..]);
            assert_eq!(MdDoc::decode(r).as_ref(), Some(&doc));
            assert_eq!(r.offset, bytes.len() - 1, "read whole");
            for cut in 0..bytes.len() - 1 {
                assert_eq!(MdDoc::decode(&mut In::new(&bytes[1..1 + cut])), None, "cut at {cut}");
            }
        }
        assert_eq!(MdDoc::decode(&mut In::new(&[0xff; 12])), None, "a number too long");
        assert_eq!(MdDoc::decode(&mut In::new(&[2, 0xc3, 0x28])), None, "not UTF-8");
    }
}
