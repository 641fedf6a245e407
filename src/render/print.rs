//! print.html: every guide's article in list order, streamed into the sink around the page that
//! holds them; each guide's own page is made from the same rendered body. A site with more guides
//! than `print_book_limit` gets books of at most that many (`print-N.html`, made the same way),
//! and print.html lists them: a browser opens and prints each, where one book of 10,000 guides
//! (140 MB) it would not.

use rayon::prelude::*;
use std::collections::BTreeMap;

use super::context::{BookCtx, PrintCtx, PrintGuideCtx};
use super::links::Ctx;
use super::{Errors, RenderError, Renderer};
use crate::model::{FileId, Guide};
use crate::output::{OutputFile, Pieces, Sink};
use crate::templates::Shared;

/// How many guides are rendered between two appends to print.html: enough to keep every thread
/// busy, few enough that their articles are a small part of the site.
const BOOK_CHUNK: usize = 128;

/// Where print.html's template puts the guides' articles; they are spliced in afterwards.
const ARTICLES: &str = "<!--carebook:articles-->";

/// Where a guide's own page goes: made (`Some`), or taken again from the previous build (`None`).
pub(super) type PutPage<'p> = &'p (dyn Fn(Option<OutputFile>) -> Result<(), RenderError> + Sync);

/// The file of print book `number` (from 1) of a site over `print_book_limit`.
pub(crate) fn book_path(number: usize) -> String {
    format!("print-{number}.html")
}

/// How many print books the site's guides fill: 1 while print.html holds them all.
pub(crate) fn book_count(site: &crate::model::Site) -> usize {
    site.guides.len().div_ceil(site.config.print_book_limit.max(1)).max(1)
}

/// Whether `path` is print.html or one of the site's print books.
pub(crate) fn is_print_file(site: &crate::model::Site, path: &str) -> bool {
    let books = book_count(site);
    path == "print.html"
        || (books > 1
            && path
                .strip_prefix("print-")
                .and_then(|p| p.strip_suffix(".html"))
                .and_then(|n| n.parse::<usize>().ok())
                .is_some_and(|n| (1..=books).contains(&n) && book_path(n) == path))
}

impl Renderer<'_> {
    /// print.html, streamed into `sink` with each guide's article in list order, or, for a site
    /// over `print_book_limit`, print.html listing the books and each book (`print-N.html`); with
    /// `only`, that one file alone. When `pages` is given, each guide's own page is made from the
    /// same rendered body and handed to it. Says how many of these files were made.
    pub(super) fn book(
        &self,
        sink: &dyn Sink,
        pages: Option<PutPage<'_>>,
        errors: &Errors,
        only: Option<&str>,
    ) -> Result<usize, RenderError> {
        let s = self.site;
        let limit = s.config.print_book_limit.max(1);
        let wanted = |path: &str| only.is_none_or(|o| o == path);
        let mut made = 0;
        if s.guides.len() <= limit {
            if wanted("print.html") {
                made += usize::from(self.volume(sink, &s.guides, None, pages, errors)?);
            }
            return Ok(made);
        }
        let books: Vec<BookCtx> = s
            .guides
            .chunks(limit)
            .enumerate()
            .map(|(n, guides)| BookCtx {
                number: n + 1,
                href: book_path(n + 1),
                from: n * limit + 1,
                to: n * limit + guides.len(),
                first: guides.first().map_or("", |g| s.title(g.file)),
                last: guides.last().map_or("", |g| s.title(g.file)),
            })
            .collect();
        if wanted("print.html") {
            let (title, x) = (self.title_print(), self.print_ctx(Vec::new(), books.clone(), None));
            match self.page(sink, BOOK, BOOK, "print", &title, None, x) {
                Ok(page) => {
                    if let Some(page) = page {
                        sink.put(page.path, page.bytes).map_err(RenderError::Output)?;
                    }
                    made += 1;
                }
                Err(RenderError::Templates(list)) => list.into_iter().for_each(|d| errors.add(d)),
                Err(e) => return Err(e),
            }
        }
        for (book, guides) in books.into_iter().zip(s.guides.chunks(limit)) {
            if wanted(&book.href) {
                made += usize::from(self.volume(sink, guides, Some(book), pages, errors)?);
            }
        }
        Ok(made)
    }

    /// One print file holding the articles of `guides` (print.html, or `book`'s), streamed into
    /// `sink`, with their guides' pages handed to `pages`. The file is made again only when the
    /// page around the articles or an article would change: a sink that remembers a previous
    /// build is told its fingerprint first (the cover's and the articles' contexts are made
    /// without rendering them); a first build tells it at the end. Says whether the file was made (or taken again).
    fn volume(
        &self,
        sink: &dyn Sink,
        guides: &[Guide],
        book: Option<BookCtx>,
        pages: Option<PutPage<'_>>,
        errors: &Errors,
    ) -> Result<bool, RenderError> {
        let s = self.site;
        let prefix_of: BTreeMap<FileId, String> =
            guides.iter().map(|g| (g.file, format!("{}--", s.file(g.file).id))).collect();
        let print = Ctx::Print { prefix_of: &prefix_of };
        let path = book.as_ref().map_or_else(|| BOOK.to_string(), |b| b.href.clone());
        // A sink that may take the file again gets the cover's fingerprint first: the cover is
        // rendered only when the file is made.
        let remembers = sink.remembers();
        let mut cover = self.cover(guides, book.clone(), !remembers, errors);
        let mut pages = pages;
        if remembers {
            // The guides' pages and the articles' fingerprints, nothing rendered for the book.
            let each = |g: &Guide| self.print_article(sink, g, print, pages, false, errors).map(|(_, k)| k);
            let keys: Vec<u64> = guides.par_iter().map(each).collect::<Result<_, _>>()?;
            if errors.any() {
                return Ok(false);
            }
            let Some((_, cover_key)) = &cover else { return Ok(false) };
            if sink.reuse(&path, book_key(*cover_key, &keys)).map_err(RenderError::Output)?.is_some() {
                return Ok(true);
            }
            pages = None;
            cover = self.cover(guides, book, true, errors);
        }
        let have_book = cover.is_some();
        let render_chunk = |chunk: &[Guide]| -> Result<Vec<Article>, RenderError> {
            chunk.par_iter().map(|g| self.print_article(sink, g, print, pages, have_book, errors)).collect()
        };
        let mut file = match &cover {
            Some((Some(html), _)) => Some(open_book(sink, &path, html)?),
            _ => None,
        };
        let mut keys: Vec<u64> = Vec::with_capacity(guides.len());
        let mut append = |file: &mut Option<OpenBook<'_>>, articles: Vec<Article>| {
            for (a, k) in articles {
                keys.push(k);
                if let (Some((file, _)), Some(a)) = (file.as_mut(), a) {
                    file.write(&a).map_err(RenderError::Output)?;
                }
            }
            Ok::<(), RenderError>(())
        };
        // Each chunk's articles are appended while the next chunk renders.
        let mut ready: Vec<Article> = Vec::new();
        for chunk in guides.chunks(BOOK_CHUNK) {
            let (appended, rendered) =
                rayon::join(|| append(&mut file, std::mem::take(&mut ready)), || render_chunk(chunk));
            appended?;
            ready = rendered?;
            // A broken template breaks every guide alike: stop at the first chunk that shows it.
            if errors.any() {
                return Ok(false);
            }
        }
        append(&mut file, ready)?;
        match (file, cover) {
            (Some((mut file, tail)), Some((_, cover_key))) => {
                file.write(&tail).map_err(RenderError::Output)?;
                file.finish().map_err(RenderError::Output)?;
                // Told once made: kept with the file for the next build.
                sink.reuse(&path, book_key(cover_key, &keys)).map_err(RenderError::Output)?;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    /// The title of print.html.
    fn title_print(&self) -> String {
        crate::lang::word(self.site, "title_print", "All guides (print)").to_string()
    }

    /// The context of a print page (print.html or a book) around `guides`, with `books` or
    /// `book` as given.
    fn print_ctx<'b>(&self, guides: Vec<Shared>, books: Vec<BookCtx<'b>>, book: Option<BookCtx<'b>>) -> PrintCtx<'b> {
        let s = self.site;
        PrintCtx {
            guides,
            articles_html: ARTICLES,
            guide_count: s.guides.len(),
            book_limit: s.config.print_book_limit.max(1),
            books,
            book,
        }
    }

    /// The print file of `guides` rendered around the marker where the articles go (when
    /// `make`), and the fingerprint of its context; `None` (the error added to `errors`) when
    /// the page does not render.
    fn cover(
        &self,
        guides: &[Guide],
        book: Option<BookCtx>,
        make: bool,
        errors: &Errors,
    ) -> Option<(Option<Vec<u8>>, u64)> {
        let (path, title) = match &book {
            Some(b) => (
                b.href.clone(),
                crate::lang::word(self.site, "title_print_book", "Guides to print, book {number} of {books}")
                    .replace("{number}", &b.number.to_string())
                    .replace("{books}", &book_count(self.site).to_string()),
            ),
            None => (BOOK.to_string(), self.title_print()),
        };
        let page = self.items(guides.iter().map(|g| g.file)).and_then(|items| {
            let common = self.common(&path, "print", &title, None, self.print_ctx(items, Vec::new(), book));
            let inputs = self.theme.fingerprint(BOOK, &common);
            if !make {
                return Ok((None, inputs));
            }
            self.made(BOOK, &common).map(|page| (Some(page.bytes), inputs))
        });
        match page {
            Ok(page) => Some(page),
            Err(d) => {
                errors.add(*d);
                None
            }
        }
    }

    /// Guide `g`'s page (handed to `pages`, if given), and its print article (rendered when
    /// `make`) with the fingerprint of what the article is made from.
    fn print_article(
        &self,
        sink: &dyn Sink,
        g: &Guide,
        print: Ctx,
        pages: Option<PutPage<'_>>,
        make: bool,
        errors: &Errors,
    ) -> Result<Article, RenderError> {
        let doc = self.site.file(g.file).body_html(self.md);
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

/// A print file opened in the sink at `path` with the part of `html` up to where the articles
/// go written, and the rest of it to write after them.
fn open_book<'s>(sink: &'s dyn Sink, path: &str, html: &[u8]) -> Result<OpenBook<'s>, RenderError> {
    let at = html.windows(ARTICLES.len()).position(|w| w == ARTICLES.as_bytes()).unwrap_or(html.len());
    let mut file = sink.create(path).map_err(RenderError::Output)?;
    file.write(&html[..at]).map_err(RenderError::Output)?;
    Ok((file, html.get(at + ARTICLES.len()..).unwrap_or(&[]).to_vec()))
}

/// print.html's path and template.
const BOOK: &str = "print.html";

/// The fingerprint of a print file: its cover's and every article's, in order.
fn book_key(cover: u64, articles: &[u64]) -> u64 {
    crate::fingerprint::hash_of(&(cover, articles))
}

/// A guide's print article (when rendered) and the fingerprint of what it is made from.
type Article = (Option<Vec<u8>>, u64);

/// print.html opened in the sink, and the rest of the page to write after the articles.
type OpenBook<'s> = (Box<dyn Pieces + 's>, Vec<u8>);
