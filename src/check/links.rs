//! The links of a page: each resolved, or a broken-link error; linked files a browser would run
//! are refused.

use std::ops::Range;

use super::{FileId, Index, Target};
use crate::active::active_name;
use crate::diagnostic::{Code, Diagnostic};
use crate::load::ActiveSvg;
use crate::markdown::MdDoc;

/// Checks the links of `doc`, a part of file `from` at `base` (`clamp`: for an inline field, where
/// its value starts; see [`crate::source::file_span`]); the content files linked go into `assets`. Returns the links resolved, in order, when every one of them resolved.
pub(super) fn links(
    index: &Index,
    from: FileId,
    doc: &MdDoc,
    base: usize,
    clamp: Option<usize>,
    diags: &mut Vec<Diagnostic>,
    assets: &mut Vec<String>,
) -> Option<Vec<Target>> {
    let file = &index.parsed[from.0].source.path;
    let mut resolved = Some(Vec::with_capacity(doc.links.len()));
    for l in &doc.links {
        let span: Range<usize> = crate::source::file_span(base, &l.span, clamp.map(|start| start..));
        let target = match index.resolve(from, &l.dest) {
            Err((message, help)) => {
                diags.push(
                    Diagnostic::new(Code::BrokenLink, file, Some(span), message)
                        .with_label("broken link")
                        .with_help_opt(help),
                );
                None
            }
            // The file's own error is reported.
            Ok(Target::Unread) => None,
            Ok(Target::Asset(path)) => {
                if let Some(what) = active_name(&path) {
                    diags.push(
                        Diagnostic::new(
                            Code::ActiveFile,
                            file,
                            Some(span),
                            format!("links to `{path}`, which a browser would run on this site's address ({what})"),
                        )
                        .with_label("active file")
                        .with_help(ACTIVE_HELP),
                    );
                } else if let Some(svg) = index.active_svgs.get(path.as_str()) {
                    diags.push(active_svg(svg));
                }
                assets.push(path.clone());
                Some(Target::Asset(path))
            }
            Ok(t) => Some(t),
        };
        resolved = resolved.zip(target).map(|(mut all, t)| {
            all.push(t);
            all
        });
    }
    resolved
}

/// What to do about a linked active file.
const ACTIVE_HELP: &str =
    "write it as a Markdown page in content/pages/, save it as PDF or PNG, or link to it on its own web site";

/// The diagnostic of an SVG image that is not a mere drawing, in the image itself (each link to it
/// gives the same one, reported once).
pub(crate) fn active_svg(svg: &ActiveSvg) -> Diagnostic {
    Diagnostic::new(
        Code::ActiveFile,
        &svg.path,
        svg.span.clone(),
        format!("the SVG image `{}` is not a plain drawing: {}", svg.path, svg.what),
    )
    .with_label("not allowed in a published image")
    .with_help(
        "remove it (in Inkscape: File > Save As > Plain SVG, or Optimized SVG), or save the image as PNG; \
         SVG images may not hold script, event handlers, embedded HTML or references to other files and sites",
    )
}
