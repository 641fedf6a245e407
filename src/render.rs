//! Render: turn the [`Site`] into every output file — pages through the theme's templates, the
//! search index, theme assets and linked content files — handing each to a [`Sink`] as soon as it
//! is made (the build's temporary output folder, or memory), so the site is never held whole.
//! Each guide's body HTML (made by `parse`, or parsed here when `parse` kept none) serves its
//! page and its print.html article; print.html is streamed in guide order. [`render_path`] makes one file alone, for `serve`.
//!
//! Pure: it reads nothing from disk except the linked files the model lists, each opened through
//! [`crate::load::open_asset`] (only the file that was checked) and copied a piece at a time; it
//! never fails on content (content errors were reported by `check`); only a template error, a
//! linked file changed since the check, or the sink stops it.

use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

use crate::check::Target;
use crate::diagnostic::Diagnostic;
use crate::load::Stamp;
use crate::markdown::{self, MdDoc, MdOptions};
use crate::model::Site;
use crate::schema::{Kind, Spanned, Urgency};
use crate::templates::{Shared, Theme};
use crate::write::{OutputFile, Pieces, Sink};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};

/// How links and ids are written for one output page.
#[derive(Clone, Copy)]
enum Ctx<'a> {
    /// A page at a folder depth: links go through `root`.
    Page { root: &'a str },
    /// The combined print page: guides become in-page anchors, ids get a per-guide prefix.
    Print { prefix_of: &'a BTreeMap<usize, String> },
}

#[derive(Serialize)]
struct SiteCtx<'a> {
    title: &'a str,
    language: &'a str,
    description: Option<&'a str>,
    disclaimer: Option<&'a str>,
    emergency_number: &'a str,
    urgencies: Vec<TierCtx<'a>>,
}

#[derive(Serialize)]
struct TierCtx<'a> {
    key: &'static str,
    label: &'a str,
    advice: &'a str,
}

#[derive(Serialize)]
struct PageCtx<'a> {
    kind: &'static str,
    title: &'a str,
    summary: Option<&'a str>,
    path: &'a str,
    root: &'a str,
}

#[derive(Serialize)]
struct NavCtx<'a> {
    title: &'a str,
    href: &'a str,
}

#[derive(Serialize, Clone)]
struct Entry<'a> {
    id: &'a str,
    title: &'a str,
    summary: &'a str,
    href: &'a str,
    aliases: Vec<&'a str>,
}

#[derive(Serialize, Clone)]
struct GuideSummary<'a> {
    id: &'a str,
    title: &'a str,
    summary: &'a str,
    href: &'a str,
    top_urgency: &'static str,
    /// `guides/<id>.html#see-a-doctor`: its warning signs.
    flag_href: String,
}

#[derive(Serialize)]
struct StepCtx<'a> {
    number: usize,
    anchor: String,
    title: &'a str,
    text_html: String,
    caution_html: Option<String>,
}

#[derive(Serialize)]
struct MistakeCtx {
    mistake_html: String,
    instead_html: String,
    why_html: Option<String>,
}

#[derive(Serialize, Clone)]
struct FlagCtx<'a> {
    sign_html: String,
    urgency: &'static str,
    urgency_label: &'a str,
    urgency_advice: &'a str,
    /// The symptom's [`Entry`].
    symptom: Option<Shared>,
}

#[derive(Serialize)]
struct TierFlags<'a, F> {
    key: &'static str,
    label: &'a str,
    advice: &'a str,
    flags: Vec<F>,
}

#[derive(Serialize)]
struct SourceCtx<'a> {
    title: &'a str,
    /// Percent-encoded ([`markdown::encode_url`]); the template escapes it.
    url: std::borrow::Cow<'a, str>,
    publisher: Option<&'a str>,
    year: Option<i64>,
}

#[derive(Serialize)]
struct HeadingCtx<'a> {
    level: u8,
    id: String,
    text: &'a str,
}

/// A guide; its lists of symptoms, causes (each an [`Entry`]) and related guides (each a
/// [`GuideSummary`]) are shared values.
#[derive(Serialize)]
struct GuideCtx<'a> {
    id: &'a str,
    title: &'a str,
    summary: &'a str,
    href: &'a str,
    body_html: String,
    headings: Vec<HeadingCtx<'a>>,
    symptoms: Vec<Shared>,
    causes: Vec<Shared>,
    steps: Vec<StepCtx<'a>>,
    mistakes: Vec<MistakeCtx>,
    red_flags: Vec<FlagCtx<'a>>,
    red_flags_by_tier: Vec<TierFlags<'a, FlagCtx<'a>>>,
    related: Vec<Shared>,
    sources: Vec<SourceCtx<'a>>,
    reviewed: String,
    review_due: String,
    reviewed_text: String,
    review_due_text: String,
    anchor_prefix: String,
}

#[derive(Serialize)]
struct TermFlag<'a> {
    sign_html: String,
    urgency: &'static str,
    urgency_label: &'a str,
    /// The guide's [`GuideSummary`].
    guide: Shared,
}

/// A symptom or cause; `guides` are [`GuideSummary`] values.
#[derive(Serialize)]
struct TermCtx<'a> {
    id: &'a str,
    title: &'a str,
    summary: &'a str,
    aliases: Vec<&'a str>,
    body_html: String,
    prevention_html: Vec<String>,
    guides: Vec<Shared>,
    red_flags: Vec<TermFlag<'a>>,
    reviewed: Option<String>,
    review_due: Option<String>,
    reviewed_text: Option<String>,
    review_due_text: Option<String>,
}

#[derive(Serialize)]
struct IndexItem<'a> {
    #[serde(flatten)]
    entry: Entry<'a>,
    guide_count: usize,
}

#[derive(Serialize)]
struct FreePageCtx<'a> {
    id: &'a str,
    title: &'a str,
    summary: Option<&'a str>,
    body_html: String,
}

#[derive(Serialize)]
struct DoctorFlag {
    sign_html: String,
    /// The [`GuideSummary`] of every guide that lists this sign in this tier.
    guides: Vec<Shared>,
    /// The symptom's [`Entry`].
    symptom: Option<Shared>,
}

/// Everything a template sees: the common part plus the kind-specific variables.
#[derive(Serialize)]
struct Common<'a, T: Serialize> {
    /// [`SiteCtx`].
    site: &'a Shared,
    root: &'a str,
    page: PageCtx<'a>,
    /// [`NavCtx`] list.
    nav_pages: &'a Shared,
    /// The site's languages as this page shows them (empty with one language).
    languages: Vec<crate::lang::PageAlt<'a>>,
    /// The theme's words in the page's language.
    t: &'a Shared,
    #[serde(flatten)]
    extra: T,
}

struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    /// [`SiteCtx`], the same on every page.
    site_ctx: Shared,
    /// The [`NavCtx`] of every free page.
    nav: Shared,
    /// The theme's words in the site's language.
    strings: Shared,
    /// Each file's [`GuideSummary`] (guides) or [`Entry`] (others), made when first shown.
    items: Vec<OnceLock<Shared>>,
    /// How bodies are rendered (raw HTML allowed or not).
    md: MdOptions,
}

/// Why rendering stopped.
#[derive(Debug)]
pub enum RenderError {
    /// The theme's templates failed (each distinct problem once).
    Templates(Vec<Diagnostic>),
    /// The output could not take a file.
    Output(anyhow::Error),
}

impl From<std::io::Error> for RenderError {
    fn from(e: std::io::Error) -> Self {
        RenderError::Output(e.into())
    }
}

impl From<Box<Diagnostic>> for RenderError {
    fn from(d: Box<Diagnostic>) -> Self {
        RenderError::Templates(vec![*d])
    }
}

/// A file of a [`Sink`] as a buffered `io::Write`: templates write many small pieces.
struct SinkWriter<'s> {
    file: Box<dyn Pieces + 's>,
    buf: Vec<u8>,
    /// What the file refused, kept to be reported as such (not as a template problem).
    error: Option<anyhow::Error>,
}

impl<'s> SinkWriter<'s> {
    const BUFFER: usize = 64 * 1024;

    fn new(file: Box<dyn Pieces + 's>) -> Self {
        SinkWriter { file, buf: Vec::with_capacity(Self::BUFFER), error: None }
    }

    fn drain(&mut self) -> std::io::Result<()> {
        if let Err(e) = self.file.write(&self.buf) {
            self.error = Some(e);
            return Err(std::io::Error::other("the output refused a file"));
        }
        self.buf.clear();
        Ok(())
    }

    /// Completes the file; `made` is how making its content went.
    fn finish<E: Into<RenderError>>(mut self, made: Result<(), E>) -> Result<(), RenderError> {
        let drained = self.drain();
        if let Some(e) = self.error {
            return Err(RenderError::Output(e));
        }
        made.map_err(Into::into)?;
        drained.map_err(|e| RenderError::Output(e.into()))?;
        self.file.finish().map_err(RenderError::Output)
    }
}

impl std::io::Write for SinkWriter<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(bytes);
        if self.buf.len() >= Self::BUFFER {
            self.drain()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// How many guides are rendered between two appends to print.html: enough to keep every thread
/// busy, few enough that their articles are a small part of the site.
const BOOK_CHUNK: usize = 128;

/// Renders every output file of the site into `sink`, as each is made, and returns the number of
/// HTML pages. Files go to the sink from several threads, in no fixed order.
///
/// # Errors
///
/// Template problems, a content asset that cannot be read, and whatever the sink refuses.
pub fn render(site: &Site, theme: &Theme, sink: &dyn Sink) -> Result<usize, RenderError> {
    let r = Renderer::new(site, theme).map_err(|d| RenderError::Templates(vec![*d]))?;
    let errors = Errors::default();
    let pages = AtomicUsize::new(0);
    let put = |f: OutputFile| -> Result<(), RenderError> {
        if f.path.ends_with(".html") {
            pages.fetch_add(1, Ordering::Relaxed);
        }
        sink.put(f.path, f.bytes).map_err(RenderError::Output)
    };

    // The big single files first, so that they do not finish last on one thread.
    let mut jobs: Vec<Job> =
        vec![Job::Search, Job::Home, Job::Doctor, Job::SymptomIndex, Job::CauseIndex, Job::NotFound];
    jobs.extend(site.symptoms.iter().chain(&site.causes).chain(&site.pages).map(|&i| Job::File(i)));
    let (others, book) = rayon::join(
        || {
            jobs.par_iter().try_for_each(|j| match r.job(j, sink) {
                Ok(Some(f)) => put(f),
                Ok(None) => {
                    if !matches!(j, Job::Search) {
                        pages.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok(())
                }
                Err(RenderError::Templates(list)) => {
                    list.into_iter().for_each(|d| errors.add(d));
                    Ok(())
                }
                Err(e) => Err(e),
            })
        },
        // The guides' pages are made with their print.html articles: each body is rendered once.
        || r.book(sink, Some(&put), &errors),
    );
    others?;
    if book? {
        pages.fetch_add(1, Ordering::Relaxed);
    }
    errors.check()?;

    for (p, bytes) in &theme.statics {
        put(OutputFile { path: format!("static/{p}"), bytes: bytes.clone() })?;
    }
    // Linked content files, then the files of `static/`, under their names less the first folder.
    let linked = site.assets.iter().map(|a| (a, "content/")).chain(site.statics.iter().map(|a| (a, "static/")));
    for ((a, stamp), folder) in linked {
        let path = a.strip_prefix(folder).unwrap_or(a);
        match crate::load::open_asset(a, stamp.as_ref()) {
            Ok(file) => {
                if path.ends_with(".html") {
                    pages.fetch_add(1, Ordering::Relaxed);
                }
                copy_asset(sink, a, path, file, stamp.as_ref().map_or(0, Stamp::size))?;
            }
            Err(e) => errors.add(asset_problem(a, &e)),
        }
    }
    errors.check()?;
    Ok(pages.into_inner())
}

/// How much of a linked file is copied at a time.
const ASSET_PIECE: usize = 256 * 1024;

/// Copies the first `len` bytes of an open linked file into the sink's file `path`, a piece at a
/// time: a linked file may be larger than memory.
fn copy_asset(sink: &dyn Sink, source: &str, path: &str, file: std::fs::File, len: u64) -> Result<(), RenderError> {
    use std::io::Read;
    let mut pieces = sink.create(path).map_err(RenderError::Output)?;
    let mut reader = file.take(len);
    let mut buf = vec![0u8; ASSET_PIECE.min(usize::try_from(len).unwrap_or(ASSET_PIECE))];
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(RenderError::Output(anyhow::anyhow!("failed to read `{source}`: {e}"))),
        };
        pieces.write(&buf[..n]).map_err(RenderError::Output)?;
    }
    pieces.finish().map_err(RenderError::Output)
}

/// A linked file that cannot be opened as it was checked, as a diagnostic on that file.
fn asset_problem(asset: &str, e: &anyhow::Error) -> Diagnostic {
    Diagnostic::new(crate::diagnostic::Code::Io, asset, None, format!("{e:#}"))
}

/// The linked content file or `static/` file an output path names (its root-relative path,
/// `content/…` or `static/…`), and what it was when checked; `None` when the path is neither.
pub fn linked_file<'s>(site: &'s Site, path: &str) -> Option<(String, Option<&'s Stamp>)> {
    [("content/", &site.assets), ("static/", &site.statics)].into_iter().find_map(|(folder, files)| {
        let source = [folder, path].concat();
        let stamp = files.get(&source)?.as_ref();
        Some((source, stamp))
    })
}

/// Renders the one output file at `path` (as [`render`] would make it), or `None` if the site has
/// no such file. `serve` uses this to make only the pages a browser asks for.
///
/// # Errors
///
/// As [`render`].
pub fn render_path(site: &Site, theme: &Theme, path: &str) -> Option<Result<Vec<u8>, RenderError>> {
    let r = match Renderer::new(site, theme) {
        Ok(r) => r,
        Err(d) => return Some(Err(RenderError::Templates(vec![*d]))),
    };
    let one = |job: Job| {
        let memory = crate::write::Memory::default();
        Some(r.job(&job, &memory).map(|made| match made {
            Some(f) => f.bytes,
            None => memory.into_files().pop().map(|f| f.bytes).unwrap_or_default(),
        }))
    };
    match path {
        "index.html" => return one(Job::Home),
        "symptoms/index.html" => return one(Job::SymptomIndex),
        "causes/index.html" => return one(Job::CauseIndex),
        "when-to-see-a-doctor.html" => return one(Job::Doctor),
        "404.html" => return one(Job::NotFound),
        "search-index.js" => return one(Job::Search),
        "print.html" => {
            let memory = crate::write::Memory::default();
            let errors = Errors::default();
            let book = r.book(&memory, None, &errors).and_then(|_| errors.check());
            return Some(book.map(|()| memory.into_files().into_iter().next().map(|f| f.bytes).unwrap_or_default()));
        }
        _ => {}
    }
    if let Some(p) = path.strip_prefix("static/")
        && let Some((_, bytes)) = theme.statics.iter().find(|(s, _)| s == p)
    {
        return Some(Ok(bytes.clone()));
    }
    // A linked or static file whole (`serve` streams the large ones itself).
    if let Some((asset, stamp)) = linked_file(site, path) {
        let memory = crate::write::Memory::default();
        let copied = crate::load::open_asset(&asset, stamp)
            .map_err(|e| RenderError::Templates(vec![asset_problem(&asset, &e)]))
            .and_then(|file| copy_asset(&memory, &asset, path, file, stamp.map_or(0, Stamp::size)));
        return Some(copied.map(|()| memory.into_files().pop().map(|f| f.bytes).unwrap_or_default()));
    }
    let (folder, name) = path.split_once('/')?;
    let id = name.strip_suffix(".html")?;
    let kind = Kind::from_folder(folder)?;
    let i = site.find(kind, id)?;
    one(Job::File(i))
}

/// Template problems gathered from several threads, each distinct one once.
#[derive(Default)]
struct Errors(Mutex<Vec<Diagnostic>>);

impl Errors {
    fn add(&self, d: Diagnostic) {
        let mut list = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if !list.contains(&d) {
            list.push(d);
        }
    }

    fn any(&self) -> bool {
        !self.0.lock().unwrap_or_else(PoisonError::into_inner).is_empty()
    }

    /// `Err` with the problems, if there are any.
    fn check(&self) -> Result<(), RenderError> {
        let list = std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner));
        if list.is_empty() { Ok(()) } else { Err(RenderError::Templates(list)) }
    }
}

/// Where print.html's template puts the guides' articles; they are spliced in afterwards.
const ARTICLES: &str = "<!--carebook:articles-->";

enum Job {
    Home,
    SymptomIndex,
    CauseIndex,
    Doctor,
    NotFound,
    /// search-index.js.
    Search,
    File(usize),
}

/// "2026-11-01", as `Date`'s `Display` writes it (this is called for every page).
fn iso_date(d: jiff::civil::Date) -> String {
    match (u16::try_from(d.year()), u16::try_from(d.month()), u16::try_from(d.day())) {
        (Ok(y), Ok(m), Ok(day)) if y <= 9999 => {
            let digit = |n: u16| char::from(b'0' + (n % 10) as u8);
            [digit(y / 1000), digit(y / 100), digit(y / 10), digit(y), '-', digit(m / 10), digit(m), '-']
                .into_iter()
                .chain([digit(day / 10), digit(day)])
                .collect()
        }
        _ => d.to_string(),
    }
}

impl<'a> Renderer<'a> {
    fn new(site: &'a Site, theme: &'a Theme) -> Result<Self, Box<Diagnostic>> {
        let c = &site.config;
        let site_ctx = SiteCtx {
            title: &c.title,
            language: &c.language,
            description: c.description.as_deref(),
            disclaimer: c.disclaimer.as_deref(),
            emergency_number: &c.emergency_number,
            urgencies: Urgency::ALL
                .iter()
                .map(|&u| TierCtx { key: u.as_str(), label: &c.urgency.get(u).label, advice: &c.urgency.get(u).advice })
                .collect(),
        };
        let nav: Vec<NavCtx> =
            site.pages.iter().map(|&i| NavCtx { title: site.title(i), href: site.out_path(i) }).collect();
        let md = MdOptions { allow_raw_html: c.allow_raw_html, skip_html: false };
        Ok(Renderer {
            site,
            theme,
            site_ctx: theme.share(&site_ctx)?,
            nav: theme.share(&nav)?,
            strings: theme.share(&*site.lang.edition.strings)?,
            items: site.files.iter().map(|_| OnceLock::new()).collect(),
            md,
        })
    }

    /// File `i` as a list item: its [`GuideSummary`] if it is a guide, else its [`Entry`].
    fn item(&self, i: usize) -> Result<Shared, Box<Diagnostic>> {
        let Some(cell) = self.items.get(i) else { return Err(missing("")) };
        if let Some(v) = cell.get() {
            return Ok(v.clone());
        }
        let v = if self.site.files[i].kind == Kind::Guide {
            self.theme.share(&self.guide_summary(i))?
        } else {
            self.theme.share(&self.entry(i))?
        };
        Ok(cell.get_or_init(|| v).clone())
    }

    /// [`Renderer::item`] of each file.
    fn items(&self, files: impl IntoIterator<Item = usize>) -> Result<Vec<Shared>, Box<Diagnostic>> {
        files.into_iter().map(|i| self.item(i)).collect()
    }

    /// print.html, streamed into `sink` with each guide's article in list order; when `pages` is
    /// given, each guide's own page is made from the same rendered body and handed to it.
    /// Says whether print.html was made.
    fn book(
        &self,
        sink: &dyn Sink,
        pages: Option<&(dyn Fn(OutputFile) -> Result<(), RenderError> + Sync)>,
        errors: &Errors,
    ) -> Result<bool, RenderError> {
        let s = self.site;
        let prefix_of: BTreeMap<usize, String> =
            s.guides.iter().map(|&g| (g, format!("{}--", s.files[g].id))).collect();
        let print = Ctx::Print { prefix_of: &prefix_of };
        #[derive(Serialize)]
        struct X {
            guides: Vec<Shared>,
            articles_html: &'static str,
        }
        #[derive(Serialize)]
        struct One<'a> {
            g: GuideCtx<'a>,
        }
        // The page is rendered around a marker; the articles are streamed in its place.
        let page = self.items(s.guides.iter().copied()).and_then(|guides| {
            let x = X { guides, articles_html: ARTICLES };
            self.page(
                "print.html",
                "print.html",
                "print",
                crate::lang::word(self.site, "title_print", "All guides (print)"),
                None,
                x,
            )
        });
        let mut book = match page {
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
        };
        let have_book = book.is_some();
        let render_chunk = |chunk: &[usize]| -> Result<Vec<Option<Vec<u8>>>, RenderError> {
            chunk
                .par_iter()
                .map(|&g| -> Result<Option<Vec<u8>>, RenderError> {
                    let f = &s.files[g];
                    let doc = f.body_html(self.md);
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
                        .and_then(|g| self.fragment("_print_guide.html", "print", One { g }));
                    match article {
                        Ok(a) => Ok(Some(a)),
                        Err(d) => {
                            errors.add(*d);
                            Ok(None)
                        }
                    }
                })
                .collect()
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

    /// The page of guide `g`, whose body `doc` is already rendered.
    fn guide_page(&self, g: usize, doc: &MdDoc) -> Result<OutputFile, Box<Diagnostic>> {
        #[derive(Serialize)]
        struct X<'a> {
            guide: GuideCtx<'a>,
        }
        let guide = self.guide_ctx(g, Ctx::Page { root: "../" }, doc)?;
        let (title, summary) = (guide.title, guide.summary);
        self.page(self.site.out_path(g), "guide.html", "guide", title, Some(summary), X { guide })
    }

    /// Makes the file of `job`: returned, or (for the few that grow with the site) written into
    /// `sink` a piece at a time.
    fn job(&self, job: &Job, sink: &dyn Sink) -> Result<Option<OutputFile>, RenderError> {
        let s = self.site;
        match *job {
            Job::Home => {
                #[derive(Serialize)]
                struct X {
                    guides: Vec<Shared>,
                    symptoms: Vec<Shared>,
                    causes: Vec<Shared>,
                }
                let x = X {
                    guides: self.items(s.guides.iter().copied())?,
                    symptoms: self.items(s.symptoms.iter().copied())?,
                    causes: self.items(s.causes.iter().copied())?,
                };
                let title = s.config.title.as_str();
                let common = self.common("index.html", "home", title, s.config.description.as_deref(), x);
                self.page_into(sink, "home.html", common)?;
                Ok(None)
            }
            Job::SymptomIndex | Job::CauseIndex => {
                let (list, path, tpl, kind, title) = if matches!(job, Job::SymptomIndex) {
                    (
                        &s.symptoms,
                        "symptoms/index.html",
                        "symptoms.html",
                        "symptom-index",
                        crate::lang::word(s, "title_symptoms", "Symptoms"),
                    )
                } else {
                    (
                        &s.causes,
                        "causes/index.html",
                        "causes.html",
                        "cause-index",
                        crate::lang::word(s, "title_causes", "Causes"),
                    )
                };
                #[derive(Serialize)]
                struct X<'a> {
                    items: Vec<IndexItem<'a>>,
                }
                let items = list
                    .iter()
                    .map(|&i| IndexItem { entry: self.entry(i), guide_count: s.backlinks.get(&i).map_or(0, Vec::len) })
                    .collect();
                Ok(Some(self.page(path, tpl, kind, title, None, X { items })?))
            }
            Job::Doctor => {
                #[derive(Serialize)]
                struct X<'a> {
                    tiers: Vec<TierFlags<'a, DoctorFlag>>,
                    flag_count: usize,
                }
                let root = "";
                let ctx = Ctx::Page { root };
                let mut tiers = Vec::new();
                for u in Urgency::ALL {
                    let t = s.config.urgency.get(u);
                    // The same sign often appears in several guides: list it once per tier, with
                    // every guide that gives it (grouped here, in linear time, not in the template).
                    let mut flags: Vec<DoctorFlag> = Vec::new();
                    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
                    for &(_, g, n) in s.red_flags.iter().filter(|(fu, _, _)| *fu == u) {
                        let Some(f) = s.guide(g).and_then(|m| m.see_a_doctor.get(n)) else { continue };
                        let sign_html = self.inline(g, &f.sign, ctx);
                        let guide = self.item(g)?;
                        match seen.get(&sign_html) {
                            Some(&k) => flags[k].guides.push(guide),
                            None => {
                                seen.insert(sign_html.clone(), flags.len());
                                let symptom = f
                                    .symptom
                                    .as_ref()
                                    .and_then(|id| s.find(Kind::Symptom, &id.value))
                                    .map(|i| self.item(i))
                                    .transpose()?;
                                flags.push(DoctorFlag { sign_html, guides: vec![guide], symptom });
                            }
                        }
                    }
                    tiers.push(TierFlags { key: u.as_str(), label: &t.label, advice: &t.advice, flags });
                }
                let x = X { tiers, flag_count: s.red_flags.len() };
                let title = crate::lang::word(s, "when_to_see_a_doctor", "When to see a doctor");
                self.page_into(
                    sink,
                    "doctor.html",
                    self.common("when-to-see-a-doctor.html", "doctor", title, None, x),
                )?;
                Ok(None)
            }
            Job::Search => {
                let mut out = SinkWriter::new(sink.create("search-index.js").map_err(RenderError::Output)?);
                let made = search_index(s, &mut out);
                out.finish(made)?;
                Ok(None)
            }
            Job::NotFound => {
                #[derive(Serialize)]
                struct X {}
                Ok(Some(self.page(
                    "404.html",
                    "404.html",
                    "not-found",
                    crate::lang::word(s, "title_not_found", "Page not found"),
                    None,
                    X {},
                )?))
            }
            Job::File(i) => {
                let f = &s.files[i];
                let path = s.out_path(i);
                let ctx = Ctx::Page { root: "../" };
                let made = match f.kind {
                    Kind::Guide => self.guide_page(i, &f.body_html(self.md)),
                    Kind::Symptom | Kind::Cause => {
                        #[derive(Serialize)]
                        struct X<'a> {
                            item: TermCtx<'a>,
                        }
                        let item = self.term_ctx(i, ctx)?;
                        let (kind, tpl) =
                            if f.kind == Kind::Symptom { ("symptom", "symptom.html") } else { ("cause", "cause.html") };
                        let (title, summary) = (item.title, item.summary);
                        self.page(path, tpl, kind, title, Some(summary), X { item })
                    }
                    Kind::Page => {
                        #[derive(Serialize)]
                        struct X<'a> {
                            item: FreePageCtx<'a>,
                        }
                        let p = s.page(i).ok_or_else(|| missing(&f.source.path))?;
                        let item = FreePageCtx {
                            id: &f.id,
                            title: &p.title.value,
                            summary: p.summary.as_ref().map(|x| x.value.as_str()),
                            body_html: self.body(i, &f.body_html(self.md), ctx),
                        };
                        let (title, summary) = (item.title, item.summary);
                        self.page(path, "page.html", "page", title, summary, X { item })
                    }
                };
                Ok(Some(made?))
            }
        }
    }

    /// What the template of the page at `path` sees.
    fn common<'s, T: Serialize>(
        &'s self,
        path: &'s str,
        kind: &'static str,
        title: &'s str,
        summary: Option<&'s str>,
        extra: T,
    ) -> Common<'s, T> {
        let root = if path.contains('/') { "../" } else { "" };
        Common {
            site: &self.site_ctx,
            root,
            page: PageCtx { kind, title, summary, path, root },
            nav_pages: &self.nav,
            languages: self.site.lang.edition.page(path),
            t: &self.strings,
            extra,
        }
    }

    fn page<T: Serialize>(
        &self,
        path: &str,
        template: &str,
        kind: &'static str,
        title: &str,
        summary: Option<&str>,
        extra: T,
    ) -> Result<OutputFile, Box<Diagnostic>> {
        let bytes = self.theme.render(template, &self.common(path, kind, title, summary, extra))?;
        Ok(OutputFile { path: path.to_string(), bytes })
    }

    /// [`Renderer::page`], written into `sink` a piece at a time.
    fn page_into<T: Serialize>(&self, sink: &dyn Sink, template: &str, common: Common<T>) -> Result<(), RenderError> {
        let mut out = SinkWriter::new(sink.create(common.page.path).map_err(RenderError::Output)?);
        let made = self.theme.render_into(template, &common, &mut out);
        out.finish(made)
    }

    /// Renders a partial template with the common context (root "", as on print.html).
    fn fragment<T: Serialize>(&self, template: &str, kind: &'static str, extra: T) -> Result<Vec<u8>, Box<Diagnostic>> {
        self.theme.render(template, &self.common("", kind, "", None, extra))
    }

    fn entry(&self, i: usize) -> Entry<'a> {
        let s = self.site;
        let (summary, aliases) = match s.term(i) {
            Some(t) => (t.summary.value.as_str(), t.aliases.iter().map(|a| a.value.as_str()).collect()),
            None => ("", Vec::new()),
        };
        Entry { id: &s.files[i].id, title: s.title(i), summary, href: s.out_path(i), aliases }
    }

    fn guide_summary(&self, g: usize) -> GuideSummary<'a> {
        let s = self.site;
        let m = s.guide(g);
        GuideSummary {
            id: &s.files[g].id,
            title: s.title(g),
            summary: m.map_or("", |m| m.summary.value.as_str()),
            href: s.out_path(g),
            top_urgency: m
                .and_then(|m| m.see_a_doctor.iter().map(|f| f.urgency.value).min())
                .map_or("routine", Urgency::as_str),
            flag_href: [s.out_path(g), "#see-a-doctor"].concat(),
        }
    }

    /// Writes the final URL of a resolved link as seen from a page rendered in `ctx`.
    /// `prefix` is the current document's id prefix on the print page (same-page anchors get it too).
    fn href(&self, t: &Target, ctx: Ctx, prefix: &str, out: &mut markdown::Attr) {
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
                    out.push(&s.files[*i].id);
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

    fn fill(&self, doc: &MdDoc, targets: &[Target], ctx: Ctx, prefix: &str) -> String {
        markdown::fill_with(
            &doc.html,
            |n, out| match targets.get(n) {
                Some(t) => self.href(t, ctx, prefix, out),
                None => out.push("#"),
            },
            |n, out| {
                if let Some(h) = doc.headings.get(n) {
                    out.push(prefix);
                    out.push(&h.id);
                }
            },
            prefix,
        )
    }

    fn prefix<'c>(&self, i: usize, ctx: Ctx<'c>) -> &'c str {
        match ctx {
            Ctx::Print { prefix_of } => prefix_of.get(&i).map_or("", String::as_str),
            Ctx::Page { .. } => "",
        }
    }

    /// The final HTML of body `doc` of file `i`.
    fn body(&self, i: usize, doc: &MdDoc, ctx: Ctx) -> String {
        let prefix = self.prefix(i, ctx);
        self.fill(doc, &self.site.body_links[i], ctx, prefix)
    }

    fn inline(&self, i: usize, field: &Spanned<String>, ctx: Ctx) -> String {
        let f = &self.site.files[i];
        match f.inline_doc(&field.span) {
            Some(doc) => {
                let targets = self.site.inline_links[i].get(&field.span.start).map_or(&[][..], Vec::as_slice);
                let prefix = self.prefix(i, ctx);
                self.fill(doc, targets, ctx, prefix)
            }
            None => markdown::plain_inline_html(&field.value),
        }
    }

    fn guide_ctx(&self, g: usize, ctx: Ctx, doc: &MdDoc) -> Result<GuideCtx<'a>, Box<Diagnostic>> {
        let s = self.site;
        let f = &s.files[g];
        let m = s.guide(g).ok_or_else(|| missing(&f.source.path))?;
        let prefix = self.prefix(g, ctx);
        let resolve = |kind: Kind, ids: &[Spanned<String>]| -> Result<Vec<Shared>, Box<Diagnostic>> {
            self.items(ids.iter().filter_map(|id| s.find(kind, &id.value)))
        };
        let flag = |r: &crate::schema::RedFlag| -> Result<FlagCtx<'a>, Box<Diagnostic>> {
            let t = s.config.urgency.get(r.urgency.value);
            Ok(FlagCtx {
                sign_html: self.inline(g, &r.sign, ctx),
                urgency: r.urgency.value.as_str(),
                urgency_label: &t.label,
                urgency_advice: &t.advice,
                symptom: r
                    .symptom
                    .as_ref()
                    .and_then(|id| s.find(Kind::Symptom, &id.value))
                    .map(|i| self.item(i))
                    .transpose()?,
            })
        };
        let red_flags: Vec<FlagCtx> = m.see_a_doctor.iter().map(flag).collect::<Result<_, _>>()?;
        let mut red_flags_by_tier = Vec::new();
        for u in Urgency::ALL {
            let flags: Vec<FlagCtx> = m
                .see_a_doctor
                .iter()
                .zip(&red_flags)
                .filter(|(r, _)| r.urgency.value == u)
                .map(|(_, f)| f.clone())
                .collect();
            let t = s.config.urgency.get(u);
            if !flags.is_empty() {
                red_flags_by_tier.push(TierFlags { key: u.as_str(), label: &t.label, advice: &t.advice, flags });
            }
        }
        Ok(GuideCtx {
            id: &f.id,
            title: &m.title.value,
            summary: &m.summary.value,
            href: s.out_path(g),
            body_html: self.body(g, doc, ctx),
            headings: f
                .body
                .headings
                .iter()
                .map(|h| HeadingCtx { level: h.level, id: [prefix, &h.id].concat(), text: &h.text })
                .collect(),
            symptoms: resolve(Kind::Symptom, &m.symptoms)?,
            causes: resolve(Kind::Cause, &m.causes)?,
            steps: m
                .steps
                .iter()
                .enumerate()
                .map(|(n, st)| StepCtx {
                    number: n + 1,
                    anchor: [prefix, "step-", &(n + 1).to_string()].concat(),
                    title: &st.title.value,
                    text_html: self.inline(g, &st.text, ctx),
                    caution_html: st.caution.as_ref().map(|c| self.inline(g, c, ctx)),
                })
                .collect(),
            mistakes: m
                .mistakes
                .iter()
                .map(|x| MistakeCtx {
                    mistake_html: self.inline(g, &x.mistake, ctx),
                    instead_html: self.inline(g, &x.instead, ctx),
                    why_html: x.why.as_ref().map(|w| self.inline(g, w, ctx)),
                })
                .collect(),
            red_flags,
            red_flags_by_tier,
            related: resolve(Kind::Guide, &m.related)?,
            sources: m
                .sources
                .iter()
                .map(|x| SourceCtx {
                    title: &x.title.value,
                    url: markdown::encode_url(&x.url.value),
                    publisher: x.publisher.as_ref().map(|p| p.value.as_str()),
                    year: x.year.as_ref().map(|y| y.value),
                })
                .collect(),
            reviewed: m.reviewed.as_ref().map(|d| iso_date(d.value)).unwrap_or_default(),
            review_due: m.review_due.as_ref().map(|d| iso_date(d.value)).unwrap_or_default(),
            reviewed_text: m.reviewed.as_ref().map(|d| crate::lang::date_text(self.site, d.value)).unwrap_or_default(),
            review_due_text: m
                .review_due
                .as_ref()
                .map(|d| crate::lang::date_text(self.site, d.value))
                .unwrap_or_default(),
            anchor_prefix: prefix.to_string(),
        })
    }

    fn term_ctx(&self, i: usize, ctx: Ctx) -> Result<TermCtx<'a>, Box<Diagnostic>> {
        let s = self.site;
        let f = &s.files[i];
        let t = s.term(i).ok_or_else(|| missing(&f.source.path))?;
        let guides: Vec<usize> = s.backlinks.get(&i).cloned().unwrap_or_default();
        let red_flags = if f.kind == Kind::Symptom {
            s.flags_of_symptom
                .get(&i)
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .filter_map(|&(u, g, n)| {
                    let r = s.guide(g)?.see_a_doctor.get(n)?;
                    Some(self.item(g).map(|guide| TermFlag {
                        sign_html: self.inline(g, &r.sign, ctx),
                        urgency: u.as_str(),
                        urgency_label: &s.config.urgency.get(u).label,
                        guide,
                    }))
                })
                .collect::<Result<_, _>>()?
        } else {
            Vec::new()
        };
        Ok(TermCtx {
            id: &f.id,
            title: &t.title.value,
            summary: &t.summary.value,
            aliases: t.aliases.iter().map(|a| a.value.as_str()).collect(),
            body_html: self.body(i, &f.body_html(self.md), ctx),
            prevention_html: t.prevention.iter().map(|p| self.inline(i, p, ctx)).collect(),
            guides: self.items(guides.iter().copied())?,
            red_flags,
            reviewed: t.reviewed.as_ref().map(|d| iso_date(d.value)),
            review_due: t.review_due.as_ref().map(|d| iso_date(d.value)),
            reviewed_text: t.reviewed.as_ref().map(|d| crate::lang::date_text(s, d.value)),
            review_due_text: t.review_due.as_ref().map(|d| crate::lang::date_text(s, d.value)),
        })
    }
}

fn missing(path: &str) -> Box<Diagnostic> {
    Box::new(Diagnostic::new(crate::diagnostic::Code::Io, path, None, "internal error: page model missing"))
}

/// Search entry: short keys keep the index small.
#[derive(Serialize)]
struct SearchEntry<'a> {
    t: &'a str,
    u: &'a str,
    k: &'static str,
    s: &'a str,
    a: Vec<&'a str>,
    h: Vec<&'a str>,
    b: String,
    /// Guides: titles and aliases of the symptoms and causes they list, so "clogged duct" finds the guide.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    r: Vec<&'a str>,
}

/// Body text kept per entry; enough to find a page, small enough for phones.
const SEARCH_BODY_CHARS: usize = 600;

/// Writes search-index.js into `out`, one entry at a time: it is the largest file after
/// print.html, and grows with the site.
fn search_index(site: &Site, out: &mut impl std::io::Write) -> std::io::Result<()> {
    out.write_all(b"window.CAREBOOK_SEARCH = [")?;
    let mut first = true;
    for (list, k) in
        [(&site.guides, "guide"), (&site.symptoms, "symptom"), (&site.causes, "cause"), (&site.pages, "page")]
    {
        for &i in list {
            let f = &site.files[i];
            let (summary, aliases) = match (site.guide(i), site.term(i), site.page(i)) {
                (Some(g), _, _) => (g.summary.value.as_str(), Vec::new()),
                (_, Some(t), _) => (t.summary.value.as_str(), t.aliases.iter().map(|a| a.value.as_str()).collect()),
                (_, _, Some(p)) => (p.summary.as_ref().map_or("", |s| s.value.as_str()), Vec::new()),
                _ => ("", Vec::new()),
            };
            let mut h: Vec<&str> = f.body.headings.iter().map(|h| h.text.as_str()).collect();
            let mut r: Vec<&str> = Vec::new();
            if let Some(g) = site.guide(i) {
                h.extend(g.steps.iter().map(|s| s.title.value.as_str()));
                let listed = g
                    .symptoms
                    .iter()
                    .filter_map(|id| site.find(Kind::Symptom, &id.value))
                    .chain(g.causes.iter().filter_map(|id| site.find(Kind::Cause, &id.value)));
                for t in listed {
                    r.push(site.title(t));
                    if let Some(term) = site.term(t) {
                        r.extend(term.aliases.iter().map(|a| a.value.as_str()));
                    }
                }
            }
            let entry = SearchEntry {
                t: site.title(i),
                u: site.out_path(i),
                k,
                s: summary,
                a: aliases,
                h,
                b: truncate_words(&f.body.text, SEARCH_BODY_CHARS),
                r,
            };
            if !first {
                out.write_all(b",")?;
            }
            first = false;
            serde_json::to_writer(&mut *out, &entry)?;
        }
    }
    out.write_all(b"];\n")
}

fn truncate_words(text: &str, max: usize) -> String {
    let mut out = String::new();
    for w in text.split_whitespace() {
        if out.len() + w.len() + 1 > max {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_as_jiff_writes_them() {
        for (y, m, d) in [(2026, 11, 1), (5, 1, 9), (999, 12, 31), (1000, 2, 28), (9999, 12, 31), (-1, 3, 4), (0, 1, 1)]
        {
            let date = jiff::civil::date(y, m, d);
            assert_eq!(iso_date(date), date.to_string());
        }
    }
}
