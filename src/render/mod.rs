//! Render: turn the [`Site`] into every output file — pages through the theme's templates, the
//! search index, theme assets and linked content files — handing each to a [`Sink`] as soon as it
//! is made (the build's temporary output folder, or memory), so the site is never held whole.
//! Each guide's body HTML (made by `parse`, or parsed here when `parse` kept none) serves its
//! page and its print.html article; print.html (or each print book) is streamed in guide order. [`render_since`] makes one file alone, for `serve`.
//!
//! Pure: it reads nothing from disk except the linked files the model lists, each opened through
//! [`crate::load::open_asset`] (only the file that was checked) and copied a piece at a time; it
//! never fails on content (content errors were reported by `check`); only a template error, a
//! linked file changed since the check, or the sink stops it.

mod assets;
mod context;
mod dates;
mod links;
mod pages;
mod print;
mod sink_writer;

use rayon::prelude::*;
use serde::Serialize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};

use crate::diagnostic::Diagnostic;
use crate::markdown::MdOptions;
use crate::model::{FileId, Guide, Listed, Page, Site, Term};
use crate::output::{OutputFile, Sink};
use crate::schema::{Kind, Urgency};
use crate::templates::{Kept, Shared, Theme};
pub(crate) use assets::linked_file;
use assets::{asset_problem, copy_asset};
use context::{Common, NavCtx, PageCtx, SiteCtx, TierCtx};
pub(crate) use print::book_count;
use sink_writer::SinkWriter;

struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    /// Values kept from earlier renders (`serve`), or none yet.
    memo: &'a Memo,
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
    /// The root of 404.html: the path of `base_url` when set (a host serves it in any folder).
    not_found_root: String,
}

/// Template values kept from one render to the next, by the fingerprint of what each is made from:
/// `serve` keeps them from one build to the next, so that after an edit the doctor index makes
/// only the signs whose inputs changed (each with its `_doctor_flag.html`) and converts only the
/// list items that changed. A build starts with none.
#[derive(Default)]
pub(crate) struct Memo {
    /// List items ([`Renderer::item`]), by the fingerprint of their data.
    items: Kept,
    /// The doctor index's signs with their HTML, by the fingerprint of `_doctor_flag.html`'s context.
    flags: Kept,
}

impl Memo {
    /// The values of `earlier` (an earlier build's), for the next build.
    pub(crate) fn next(earlier: &Memo) -> Memo {
        Memo { items: Kept::next(&earlier.items), flags: Kept::next(&earlier.flags) }
    }
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

/// Renders every output file of the site into `sink`, as each is made, and returns the number of
/// HTML pages. Files go to the sink from several threads, in no fixed order.
///
/// # Errors
///
/// Template problems, a content asset that cannot be read, and whatever the sink refuses.
pub(crate) fn render(site: &Site, theme: &Theme, sink: &dyn Sink) -> Result<usize, RenderError> {
    // Every file is noted, for the service worker written last (src/web.rs).
    let recorder = crate::web::Recorder::new(sink);
    let pages = render_into(site, theme, &recorder)?;
    recorder.finish(site).map_err(RenderError::Output)?;
    Ok(pages)
}

fn render_into(site: &Site, theme: &Theme, sink: &dyn Sink) -> Result<usize, RenderError> {
    let memo = Memo::default();
    let r = Renderer::new(site, theme, &memo).map_err(|d| RenderError::Templates(vec![*d]))?;
    let errors = Errors::default();
    let pages = AtomicUsize::new(0);
    let put = |f: OutputFile| -> Result<(), RenderError> {
        if f.path.ends_with(".html") {
            pages.fetch_add(1, Ordering::Relaxed);
        }
        sink.put(f.path, f.bytes).map_err(RenderError::Output)
    };
    // A guide's page: made, or (`None`) taken again from the previous build.
    let guide_page = |f: Option<OutputFile>| match f {
        Some(f) => put(f),
        None => {
            pages.fetch_add(1, Ordering::Relaxed);
            Ok(())
        }
    };

    // The big single files first, so that they do not finish last on one thread.
    let mut jobs: Vec<Job> =
        vec![Job::Search, Job::Home, Job::Doctor, Job::GuideIndex, Job::SymptomIndex, Job::CauseIndex, Job::NotFound];
    jobs.extend(site.symptoms.iter().chain(&site.causes).map(Job::Term));
    jobs.extend(site.pages.iter().map(Job::Page));
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
        || r.book(sink, Some(&guide_page), &errors, None),
    );
    others?;
    pages.fetch_add(book?, Ordering::Relaxed);
    errors.check()?;

    for (p, bytes) in &theme.statics {
        put(OutputFile { path: format!("static/{p}"), bytes: bytes.clone() })?;
    }
    // Linked content files, then the files of `static/`, under their names less the first folder.
    let linked = site.assets.iter().map(|a| (a, "content/")).chain(site.statics.iter().map(|a| (a, "static/")));
    for ((a, stamp), folder) in linked {
        let path = a.strip_prefix(folder).unwrap_or(a);
        match crate::load::open_asset(a, stamp) {
            Ok(file) => {
                if path.ends_with(".html") {
                    pages.fetch_add(1, Ordering::Relaxed);
                }
                copy_asset(sink, a, path, file, stamp.size())?;
            }
            Err(e) => errors.add(asset_problem(a, &e)),
        }
    }
    errors.check()?;
    Ok(pages.into_inner())
}

/// A file made by [`render_since`].
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Made {
    /// Made from the inputs the caller gave: what the caller has is still right.
    Same,
    /// Made now, with the fingerprint of its inputs when it has one (pages and print.html).
    New(Vec<u8>, Option<u64>),
}

impl Made {
    /// The bytes made (none for [`Made::Same`]).
    pub(crate) fn into_bytes(self) -> Vec<u8> {
        match self {
            Made::Same => Vec::new(),
            Made::New(bytes, _) => bytes,
        }
    }
}

/// Renders the one output file at `path` (as [`render`] would make it), or `None` if the site has
/// no such file; `serve` makes only the pages a browser asks for. With the `previous` inputs of
/// the file the caller has: when the page would be made from the same inputs now, [`Made::Same`]
/// without rendering it. `memo` keeps values for the next call (and the next build's).
///
/// # Errors
///
/// As [`render`].
pub(crate) fn render_since(
    site: &Site,
    theme: &Theme,
    path: &str,
    previous: Option<u64>,
    memo: &Memo,
) -> Option<Result<Made, RenderError>> {
    let r = match Renderer::new(site, theme, memo) {
        Ok(r) => r,
        Err(d) => return Some(Err(RenderError::Templates(vec![*d]))),
    };
    let memory = || previous.map_or_else(crate::output::Memory::default, |p| crate::output::Memory::since(path, p));
    let one = |job: Job| {
        let memory = memory();
        Some(r.job(&job, &memory).map(|made| {
            let inputs = memory.inputs(path);
            match made.or_else(|| memory.into_files().pop()) {
                Some(f) => Made::New(f.bytes, inputs),
                None => Made::Same,
            }
        }))
    };
    let new = |bytes: Vec<u8>| Made::New(bytes, None);
    match path {
        "index.html" => return one(Job::Home),
        "guides/index.html" => return one(Job::GuideIndex),
        "symptoms/index.html" => return one(Job::SymptomIndex),
        "causes/index.html" => return one(Job::CauseIndex),
        "when-to-see-a-doctor.html" => return one(Job::Doctor),
        "404.html" => return one(Job::NotFound),
        p if p.starts_with(crate::search::DIR) => return crate::search::file(site, p).map(|b| Ok(new(b))),
        // sw.js is not made here: it names every file of a whole build (and a preview needs none).
        crate::web::MANIFEST => return Some(Ok(new(crate::web::manifest(site).into_bytes()))),
        p if print::is_print_file(site, p) => {
            let memory = memory();
            let errors = Errors::default();
            let book = r.book(&memory, None, &errors, Some(p)).and_then(|_| errors.check());
            let inputs = memory.inputs(path);
            return Some(book.map(|()| match memory.into_files().into_iter().next() {
                Some(f) => Made::New(f.bytes, inputs),
                None => Made::Same,
            }));
        }
        _ => {}
    }
    if let Some(p) = path.strip_prefix("static/")
        && let Some((_, bytes)) = theme.statics.iter().find(|(s, _)| s == p)
    {
        return Some(Ok(new(bytes.clone())));
    }
    // A linked or static file whole (`serve` streams the large ones itself).
    if let Some((asset, stamp)) = linked_file(site, path) {
        let memory = crate::output::Memory::default();
        let copied = crate::load::open_asset(&asset, stamp)
            .map_err(|e| RenderError::Templates(vec![asset_problem(&asset, &e)]))
            .and_then(|file| copy_asset(&memory, &asset, path, file, stamp.size()));
        return Some(copied.map(|()| new(memory.into_files().pop().map(|f| f.bytes).unwrap_or_default())));
    }
    let (folder, name) = path.split_once('/')?;
    let id = name.strip_suffix(".html")?;
    let kind = Kind::from_folder(folder)?;
    one(match site.listed(site.find(kind, id)?)? {
        Listed::Guide(g) => Job::Guide(g),
        Listed::Term(t) => Job::Term(t),
        Listed::Page(p) => Job::Page(p),
    })
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

enum Job<'s> {
    Home,
    GuideIndex,
    SymptomIndex,
    CauseIndex,
    Doctor,
    NotFound,
    /// The files of search/ (src/search/).
    Search,
    /// A guide's page alone (a build makes guides' pages with print.html).
    Guide(&'s Guide),
    Term(&'s Term),
    Page(&'s Page),
}

impl<'a> Renderer<'a> {
    fn new(site: &'a Site, theme: &'a Theme, memo: &'a Memo) -> Result<Self, Box<Diagnostic>> {
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
            base_url: c.base_url.as_deref().map(crate::web::base_url),
        };
        let nav: Vec<NavCtx> =
            site.pages.iter().map(|p| NavCtx { title: &p.matter.title.value, href: site.out_path(p.file) }).collect();
        let md = MdOptions { allow_raw_html: c.allow_raw_html, skip_html: false };
        Ok(Renderer {
            site,
            theme,
            memo,
            site_ctx: theme.share(&site_ctx)?,
            nav: theme.share(&nav)?,
            strings: theme.share(&*site.lang.edition.strings)?,
            items: site.files().map(|_| OnceLock::new()).collect(),
            md,
            not_found_root: c.base_url.as_deref().map(crate::web::base_path).unwrap_or_default(),
        })
    }

    /// File `i` as a list item: its [`GuideSummary`] if it is a guide, else its [`Entry`]; made
    /// once, when first shown.
    fn item(&self, i: FileId) -> Result<Shared, Box<Diagnostic>> {
        let cell = &self.items[i.index()];
        if let Some(v) = cell.get() {
            return Ok(v.clone());
        }
        let v = match self.site.guide(i) {
            Some(g) => self.theme.share_kept(&self.guide_summary(g), &self.memo.items)?,
            None => self.theme.share_kept(&self.entry(i), &self.memo.items)?,
        };
        Ok(cell.get_or_init(|| v).clone())
    }

    /// [`Renderer::item`] of each file.
    fn items(&self, files: impl IntoIterator<Item = FileId>) -> Result<Vec<Shared>, Box<Diagnostic>> {
        files.into_iter().map(|i| self.item(i)).collect()
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
        let root = if path == "404.html" {
            // A host serves 404.html for a missing page in any folder: links go from the site's path.
            self.not_found_root.as_str()
        } else if path.contains('/') {
            "../"
        } else {
            ""
        };
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

    /// The page at `path`, made from `template`; `None` when `sink` took it again from the
    /// previous build (made from the same context with the same theme, it would be the same).
    #[allow(clippy::too_many_arguments)]
    fn page<T: Serialize>(
        &self,
        sink: &dyn Sink,
        path: &str,
        template: &str,
        kind: &'static str,
        title: &str,
        summary: Option<&str>,
        extra: T,
    ) -> Result<Option<OutputFile>, RenderError> {
        let common = self.common(path, kind, title, summary, extra);
        if self.reused(sink, path, template, &common)? {
            return Ok(None);
        }
        Ok(Some(self.made(template, &common)?))
    }

    /// Tells `sink` what the file `unit` is made from; says whether it took it again.
    fn reused(&self, sink: &dyn Sink, unit: &str, template: &str, ctx: &impl Serialize) -> Result<bool, RenderError> {
        let inputs = self.theme.fingerprint(template, ctx);
        Ok(sink.reuse(unit, inputs).map_err(RenderError::Output)?.is_some())
    }

    /// The page of `common` made from `template`.
    fn made<T: Serialize>(&self, template: &str, common: &Common<T>) -> Result<OutputFile, Box<Diagnostic>> {
        #[cfg(test)]
        context::record(template, common);
        let bytes = self.theme.render(template, common)?;
        Ok(OutputFile { path: common.page.path.to_string(), bytes })
    }

    /// [`Renderer::page`], written into `sink` a piece at a time.
    fn page_into<T: Serialize>(&self, sink: &dyn Sink, template: &str, common: Common<T>) -> Result<(), RenderError> {
        if self.reused(sink, common.page.path, template, &common)? {
            return Ok(());
        }
        #[cfg(test)]
        context::record(template, &common);
        let mut out = SinkWriter::new(sink.create(common.page.path).map_err(RenderError::Output)?);
        let made = self.theme.render_into(template, &common, &mut out);
        out.finish(made)
    }

    /// Renders a partial template with the common context (root "", as on print.html), when
    /// `make`; and the fingerprint of what it is made from.
    fn fragment<T: Serialize>(
        &self,
        template: &str,
        kind: &'static str,
        extra: T,
        make: bool,
    ) -> Result<(Option<Vec<u8>>, u64), Box<Diagnostic>> {
        let common = self.common("", kind, "", None, extra);
        let inputs = self.theme.fingerprint(template, &common);
        if !make {
            return Ok((None, inputs));
        }
        #[cfg(test)]
        context::record(template, &common);
        Ok((Some(self.theme.render(template, &common)?), inputs))
    }
}
