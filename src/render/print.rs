//! print.html: every guide's article in list order, streamed into the sink around the page that
//! holds them; each guide's own page is made from the same rendered body.

use rayon::prelude::*;
use std::collections::BTreeMap;

use super::context::{PrintCtx, PrintGuideCtx};
use super::links::Ctx;
use super::{Errors, RenderError, Renderer};
use crate::model::{FileId, Guide};
use crate::output::{OutputFile, Pieces, Sink};

/// How many guides are rendered between two appends to print.html: enough to keep every thread
/// busy, few enough that their articles are a small part of the site.
const BOOK_CHUNK: usize = 128;

/// Where print.html's template puts the guides' articles; they are spliced in afterwards.
const ARTICLES: &str = "<!--carebook:articles-->";

impl Renderer<'_> {
    /// print.html, streamed into `sink` with each guide's article in list order; when `pages` is
    /// given, each guide's own page is made from the same rendered body and handed to it.
    /// Says whether print.html was made.
    pub(super) fn book(
        &self,
        sink: &dyn Sink,
        pages: Option<&(dyn Fn(OutputFile) -> Result<(), RenderError> + Sync)>,
        errors: &Errors,
    ) -> Result<bool, RenderError> {
        let s = self.site;
        let prefix_of: BTreeMap<FileId, String> =
            s.guides.iter().map(|g| (g.file, format!("{}--", s.file(g.file).id))).collect();
        let print = Ctx::Print { prefix_of: &prefix_of };
        let mut book = self.open_book(sink, errors)?;
        let have_book = book.is_some();
        let render_chunk = |chunk: &[Guide]| -> Result<Vec<Option<Vec<u8>>>, RenderError> {
            chunk.par_iter().map(|g| self.print_article(g, print, pages, have_book, errors)).collect()
        };
        let append = |book: &mut Option<(Box<dyn Pieces + '_>, Vec<u8>)>, articles: Vec<Option<Vec<u8>>>| {
            if let Some((file, _)) = book {
                for a in articles.into_iter().flatten() {
                    file.write(&a).map_err(RenderError::Output)?;
                }
            }
            Ok::<(), RenderError>(())
        };
        // Each chunk's articles are appended while the next chunk renders.
        let mut ready: Vec<Option<Vec<u8>>> = Vec::new();
        for chunk in s.guides.chunks(BOOK_CHUNK) {
            let (appended, rendered) =
                rayon::join(|| append(&mut book, std::mem::take(&mut ready)), || render_chunk(chunk));
            appended?;
            ready = rendered?;
            // A broken template breaks every guide alike: stop at the first chunk that shows it.
            if errors.any() {
                return Ok(false);
            }
        }
        append(&mut book, ready)?;
        match book {
            Some((mut file, tail)) => {
                file.write(&tail).map_err(RenderError::Output)?;
                file.finish().map_err(RenderError::Output)?;
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// print.html up to where the articles go, written to `sink`, and the rest of it to write
    /// after them; `None` (the error added to `errors`) when the page does not render.
    fn open_book<'s>(&self, sink: &'s dyn Sink, errors: &Errors) -> Result<Option<OpenBook<'s>>, RenderError> {
        let s = self.site;
        // The page is rendered around a marker; the articles are streamed in its place.
        let page = self.items(s.guides.iter().map(|g| g.file)).and_then(|guides| {
            let x = PrintCtx { guides, articles_html: ARTICLES };
            self.page(
                "print.html",
                "print.html",
                "print",
                crate::lang::word(self.site, "title_print", "All guides (print)"),
                None,
                x,
            )
        });
        Ok(match page {
            Ok(page) => {
                let html = page.bytes;
                let at = html.windows(ARTICLES.len()).position(|w| w == ARTICLES.as_bytes()).unwrap_or(html.len());
                let mut file = sink.create("print.html").map_err(RenderError::Output)?;
                file.write(&html[..at]).map_err(RenderError::Output)?;
                Some((file, html.get(at + ARTICLES.len()..).unwrap_or(&[]).to_vec()))
            }
            Err(d) => {
                errors.add(*d);
                None
            }
        })
    }

    /// Guide `g`'s page (handed to `pages`, if given) and, when `have_book`, its print article.
    fn print_article(
        &self,
        g: &Guide,
        print: Ctx,
        pages: Option<&(dyn Fn(OutputFile) -> Result<(), RenderError> + Sync)>,
        have_book: bool,
        errors: &Errors,
    ) -> Result<Option<Vec<u8>>, RenderError> {
        let doc = self.site.file(g.file).body_html(self.md);
        if let Some(put) = pages {
            match self.guide_page(g, &doc) {
                Ok(page) => put(page)?,
                Err(d) => errors.add(*d),
            }
        }
        if !have_book {
            return Ok(None);
        }
        let article = self
            .guide_ctx(g, print, &doc)
            .and_then(|g| self.fragment("_print_guide.html", "print", PrintGuideCtx { g }));
        match article {
            Ok(a) => Ok(Some(a)),
            Err(d) => {
                errors.add(*d);
                Ok(None)
            }
        }
    }
}

/// print.html opened in the sink, and the rest of the page to write after the articles.
type OpenBook<'s> = (Box<dyn Pieces + 's>, Vec<u8>);
