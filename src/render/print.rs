//! print.html: every guide's article in list order, streamed into the sink around the page that
//! holds them; each guide's own page is made from the same rendered body.

use rayon::prelude::*;
use std::collections::BTreeMap;

use super::context::{PrintCtx, PrintGuideCtx};
use super::links::Ctx;
use super::{Errors, RenderError, Renderer};
use crate::output::{OutputFile, Pieces, Sink};

/// How many guides are rendered between two appends to print.html: enough to keep every thread
/// busy, few enough that their articles are a small part of the site.
const BOOK_CHUNK: usize = 128;

/// Where print.html's template puts the guides' articles; they are spliced in afterwards.
const ARTICLES: &str = "<!--carebook:articles-->";

/// Where a guide's own page goes: made (`Some`), or taken again from the previous build (`None`).
pub(super) type PutPage<'p> = &'p (dyn Fn(Option<OutputFile>) -> Result<(), RenderError> + Sync);

impl Renderer<'_> {
    /// print.html, streamed into `sink` with each guide's article in list order; when `pages` is
    /// given, each guide's own page is made from the same rendered body and handed to it.
    /// print.html is made again only when the page around the articles or an article would
    /// change: a sink that remembers a previous build is told its fingerprint first (the
    /// articles' contexts are made without rendering them); a first build tells it at the end.
    /// Says whether print.html was made (or taken again).
    pub(super) fn book(
        &self,
        sink: &dyn Sink,
        pages: Option<PutPage<'_>>,
        errors: &Errors,
    ) -> Result<bool, RenderError> {
        let s = self.site;
        let prefix_of: BTreeMap<usize, String> =
            s.guides.iter().map(|&g| (g, format!("{}--", s.files[g].id))).collect();
        let print = Ctx::Print { prefix_of: &prefix_of };
        let cover = self.cover(errors)?;
        let mut pages = pages;
        if sink.remembers() {
            // The guides' pages and the articles' fingerprints, nothing rendered for the book.
            let each = |&g: &usize| self.print_article(sink, g, print, pages, false, errors).map(|(_, k)| k);
            let keys: Vec<u64> = s.guides.par_iter().map(each).collect::<Result<_, _>>()?;
            if errors.any() {
                return Ok(false);
            }
            let Some((_, cover_key)) = &cover else { return Ok(false) };
            if sink.reuse(BOOK, book_key(*cover_key, &keys)).map_err(RenderError::Output)?.is_some() {
                return Ok(true);
            }
            pages = None;
        }
        let have_book = cover.is_some();
        let render_chunk = |chunk: &[usize]| -> Result<Vec<Article>, RenderError> {
            chunk.par_iter().map(|&g| self.print_article(sink, g, print, pages, have_book, errors)).collect()
        };
        let mut book = match &cover {
            Some((html, _)) => Some(self.open_book(sink, html)?),
            None => None,
        };
        let mut keys: Vec<u64> = Vec::with_capacity(s.guides.len());
        let mut append = |book: &mut Option<OpenBook<'_>>, articles: Vec<Article>| {
            for (a, k) in articles {
                keys.push(k);
                if let (Some((file, _)), Some(a)) = (book.as_mut(), a) {
                    file.write(&a).map_err(RenderError::Output)?;
                }
            }
            Ok::<(), RenderError>(())
        };
        // Each chunk's articles are appended while the next chunk renders.
        let mut ready: Vec<Article> = Vec::new();
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
        match (book, cover) {
            (Some((mut file, tail)), Some((_, cover_key))) => {
                file.write(&tail).map_err(RenderError::Output)?;
                file.finish().map_err(RenderError::Output)?;
                // Told once made: kept with the file for the next build.
                sink.reuse(BOOK, book_key(cover_key, &keys)).map_err(RenderError::Output)?;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    /// print.html rendered around the marker where the articles go, and the fingerprint of its
    /// context; `None` (the error added to `errors`) when the page does not render.
    fn cover(&self, errors: &Errors) -> Result<Option<(Vec<u8>, u64)>, RenderError> {
        let s = self.site;
        let page = self.items(s.guides.iter().copied()).and_then(|guides| {
            let x = PrintCtx { guides, articles_html: ARTICLES };
            let title = crate::lang::word(self.site, "title_print", "All guides (print)");
            let common = self.common(BOOK, "print", title, None, x);
            let inputs = self.theme.fingerprint(BOOK, &common);
            self.made(BOOK, &common).map(|page| (page.bytes, inputs))
        });
        Ok(match page {
            Ok(page) => Some(page),
            Err(d) => {
                errors.add(*d);
                None
            }
        })
    }

    /// print.html opened in the sink with the cover's part up to where the articles go written,
    /// and the rest of it to write after them.
    fn open_book<'s>(&self, sink: &'s dyn Sink, html: &[u8]) -> Result<OpenBook<'s>, RenderError> {
        let at = html.windows(ARTICLES.len()).position(|w| w == ARTICLES.as_bytes()).unwrap_or(html.len());
        let mut file = sink.create(BOOK).map_err(RenderError::Output)?;
        file.write(&html[..at]).map_err(RenderError::Output)?;
        Ok((file, html.get(at + ARTICLES.len()..).unwrap_or(&[]).to_vec()))
    }

    /// Guide `g`'s page (handed to `pages`, if given), and its print article (rendered when
    /// `make`) with the fingerprint of what the article is made from.
    fn print_article(
        &self,
        sink: &dyn Sink,
        g: usize,
        print: Ctx,
        pages: Option<PutPage<'_>>,
        make: bool,
        errors: &Errors,
    ) -> Result<Article, RenderError> {
        let f = &self.site.files[g];
        let doc = f.body_html(self.md);
        if let Some(put) = pages {
            match self.guide_page(sink, g, &doc) {
                Ok(page) => put(page)?,
                Err(RenderError::Templates(list)) => list.into_iter().for_each(|d| errors.add(d)),
                Err(e) => return Err(e),
            }
        }
        let article = self
            .guide_ctx(g, print, &doc)
            .and_then(|g| self.fragment("_print_guide.html", "print", PrintGuideCtx { g }, make));
        match article {
            Ok(a) => Ok(a),
            Err(d) => {
                errors.add(*d);
                Ok((None, 0))
            }
        }
    }
}

/// print.html's path and template.
const BOOK: &str = "print.html";

/// The fingerprint of print.html: its cover's and every article's, in order.
fn book_key(cover: u64, articles: &[u64]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    (cover, articles).hash(&mut h);
    h.finish()
}

/// A guide's print article (when rendered) and the fingerprint of what it is made from.
type Article = (Option<Vec<u8>>, u64);

/// print.html opened in the sink, and the rest of the page to write after the articles.
type OpenBook<'s> = (Box<dyn Pieces + 's>, Vec<u8>);
