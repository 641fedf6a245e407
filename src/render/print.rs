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
use crate::diagnostic::Diagnostic;
use crate::model::{FileId, Guide};
use crate::output::{OutputFile, Pieces, Sink};
use crate::templates::Shared;

/// How many guides are rendered between two appends to print.html: enough to keep every thread
/// busy, few enough that their articles are a small part of the site.
const BOOK_CHUNK: usize = 128;

/// Where print.html's template puts the guides' articles; they are spliced in afterwards.
const ARTICLES: &str = "<!--carebook:articles-->";

/// The guides' pages are handed to this as they are made.
type PutPage<'p> = &'p (dyn Fn(OutputFile) -> Result<(), RenderError> + Sync);

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
        pages: Option<PutPage>,
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
            match self.print_page("print.html", self.title_print(), Vec::new(), books.clone(), None) {
                Ok(page) => {
                    sink.put(page.path, page.bytes).map_err(RenderError::Output)?;
                    made += 1;
                }
                Err(d) => errors.add(*d),
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
    /// `sink`, with their guides' pages handed to `pages`. Says whether the file was made.
    fn volume(
        &self,
        sink: &dyn Sink,
        guides: &[Guide],
        book: Option<BookCtx>,
        pages: Option<PutPage>,
        errors: &Errors,
    ) -> Result<bool, RenderError> {
        let s = self.site;
        let prefix_of: BTreeMap<FileId, String> =
            guides.iter().map(|g| (g.file, format!("{}--", s.file(g.file).id))).collect();
        let print = Ctx::Print { prefix_of: &prefix_of };
        let mut file = self.open_book(sink, guides, book, errors)?;
        let have_book = file.is_some();
        let render_chunk = |chunk: &[Guide]| -> Result<Vec<Option<Vec<u8>>>, RenderError> {
            chunk.par_iter().map(|g| self.print_article(g, print, pages, have_book, errors)).collect()
        };
        let append = |file: &mut Option<OpenBook>, articles: Vec<Option<Vec<u8>>>| {
            if let Some((file, _)) = file {
                for a in articles.into_iter().flatten() {
                    file.write(&a).map_err(RenderError::Output)?;
                }
            }
            Ok::<(), RenderError>(())
        };
        // Each chunk's articles are appended while the next chunk renders.
        let mut ready: Vec<Option<Vec<u8>>> = Vec::new();
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
        match file {
            Some((mut file, tail)) => {
                file.write(&tail).map_err(RenderError::Output)?;
                file.finish().map_err(RenderError::Output)?;
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// The title of print.html.
    fn title_print(&self) -> String {
        crate::lang::word(self.site, "title_print", "All guides (print)").to_string()
    }

    /// A print page (print.html or a book) around `guides`, with `books` or `book` as given.
    fn print_page(
        &self,
        path: &str,
        title: String,
        guides: Vec<Shared>,
        books: Vec<BookCtx>,
        book: Option<BookCtx>,
    ) -> Result<OutputFile, Box<Diagnostic>> {
        let s = self.site;
        let x = PrintCtx {
            guides,
            articles_html: ARTICLES,
            guide_count: s.guides.len(),
            book_limit: s.config.print_book_limit.max(1),
            books,
            book,
        };
        self.page(path, "print.html", "print", &title, None, x)
    }

    /// The print file of `guides` up to where the articles go, written to `sink`, and the rest of
    /// it to write after them; `None` (the error added to `errors`) when the page does not render.
    fn open_book<'s>(
        &self,
        sink: &'s dyn Sink,
        guides: &[Guide],
        book: Option<BookCtx>,
        errors: &Errors,
    ) -> Result<Option<OpenBook<'s>>, RenderError> {
        let (path, title) = match &book {
            Some(b) => (
                b.href.clone(),
                crate::lang::word(self.site, "title_print_book", "Guides to print, book {number} of {books}")
                    .replace("{number}", &b.number.to_string())
                    .replace("{books}", &book_count(self.site).to_string()),
            ),
            None => ("print.html".to_string(), self.title_print()),
        };
        // The page is rendered around a marker; the articles are streamed in its place.
        let page = self
            .items(guides.iter().map(|g| g.file))
            .and_then(|items| self.print_page(&path, title, items, Vec::new(), book));
        Ok(match page {
            Ok(page) => {
                let html = page.bytes;
                let at = html.windows(ARTICLES.len()).position(|w| w == ARTICLES.as_bytes()).unwrap_or(html.len());
                let mut file = sink.create(&path).map_err(RenderError::Output)?;
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
        pages: Option<PutPage>,
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
