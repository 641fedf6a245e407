//! Links as written into a page: each resolved target made relative to the page, or an in-page
//! anchor on print.html.

use std::collections::BTreeMap;

use super::Renderer;
use crate::check::Target;
use crate::markdown::{self, MdDoc};
use crate::model::FileId;
use crate::schema::Spanned;

/// How links and ids are written for one output page.
#[derive(Clone, Copy)]
pub(super) enum Ctx<'a> {
    /// A page at a folder depth: links go through `root`.
    Page { root: &'a str },
    /// The combined print page: guides become in-page anchors, ids get a per-guide prefix.
    Print { prefix_of: &'a BTreeMap<FileId, String> },
}

impl Renderer<'_> {
    /// Writes the final URL of a resolved link as seen from a page rendered in `ctx`.
    /// `prefix` is the current document's id prefix on the print page (same-page anchors get it too).
    pub(super) fn href(&self, t: &Target, ctx: Ctx, prefix: &str, out: &mut markdown::Attr) {
        let s = self.site;
        let frag = |out: &mut markdown::Attr, frag: &Option<String>| {
            if let Some(f) = frag {
                out.push("#");
                out.push_name(f);
            }
        };
        match (t, ctx) {
            (Target::External(u), _) => out.push_url(u),
            (Target::Unread, _) => out.push("#"),
            (Target::SamePage(f), Ctx::Page { .. }) => {
                out.push("#");
                out.push_name(f);
            }
            (Target::SamePage(f), Ctx::Print { .. }) => {
                out.push("#");
                out.push(prefix);
                out.push_name(f);
            }
            (Target::Page(i, fragment), Ctx::Print { prefix_of }) if prefix_of.contains_key(i) => match fragment {
                Some(f) => {
                    out.push("#");
                    out.push(&prefix_of[i]);
                    out.push_name(f);
                }
                None => {
                    out.push("#guide-");
                    out.push(&s.file(*i).id);
                }
            },
            (Target::Page(i, fragment), Ctx::Page { root }) => {
                out.push(root);
                out.push(s.out_path(*i));
                frag(out, fragment);
            }
            (Target::Page(i, fragment), Ctx::Print { .. }) => {
                out.push(s.out_path(*i));
                frag(out, fragment);
            }
            (Target::Asset(p), Ctx::Page { root }) => {
                out.push(root);
                out.push_name(p.trim_start_matches("content/"));
            }
            (Target::Asset(p), Ctx::Print { .. }) => out.push_name(p.trim_start_matches("content/")),
        }
    }

    pub(super) fn fill(&self, doc: &MdDoc, targets: &[Target], ctx: Ctx, prefix: &str) -> String {
        markdown::fill_with(
            doc,
            |n, out| match n.of(targets) {
                Some(t) => self.href(t, ctx, prefix, out),
                None => out.push("#"),
            },
            |h, out| {
                out.push(prefix);
                out.push(&h.id);
            },
            |w| self.site.lang.edition.word(w),
            prefix,
        )
    }

    pub(super) fn prefix<'c>(&self, i: FileId, ctx: Ctx<'c>) -> &'c str {
        match ctx {
            Ctx::Print { prefix_of } => prefix_of.get(&i).map_or("", String::as_str),
            Ctx::Page { .. } => "",
        }
    }

    /// The final HTML of body `doc` of file `i`.
    pub(super) fn body(&self, i: FileId, doc: &MdDoc, ctx: Ctx) -> String {
        let prefix = self.prefix(i, ctx);
        self.fill(doc, &self.site.links(i).body, ctx, prefix)
    }

    /// The final HTML of inline field `field` of file `i`.
    pub(super) fn inline(&self, i: FileId, field: &Spanned<String>, ctx: Ctx) -> String {
        match self.site.file(i).inline_doc(&field.span) {
            Some(doc) => {
                let targets = self.site.links(i).inline.get(&field.span.start).map_or(&[][..], Vec::as_slice);
                let prefix = self.prefix(i, ctx);
                self.fill(doc, targets, ctx, prefix)
            }
            None => markdown::plain_inline_html(&field.value),
        }
    }
}
