//! carebook turns a folder of Markdown self-care guides into a static, cross-linked website that
//! works offline, prints cleanly and puts "when to see a doctor" first.
//!
//! The pipeline runs one way; each stage adds to one list of [`Diagnostic`]s instead of stopping
//! at the first problem:
//!
//! ```text
//! load     content/ -> SourceFile            (encoding, size, symlink loops)
//! parse    front matter + YAML + Markdown    (schema walk, review dates; a build's body HTML)
//! check    ids, references, links            (every file, every problem)
//! model    Site: sorted lists, backlinks, red flags by urgency
//! render   templates -> files, into a Sink   (pages, search index, assets; streamed, in parallel)
//! write    temporary folder, then swap       (the only stage that touches the output)
//! ```
#![warn(missing_docs)]

pub mod active;
pub mod check;
pub mod cmd;
pub mod config;
pub mod diagnostic;
pub mod init;
pub mod lang;
pub mod load;
pub mod markdown;
pub mod model;
pub mod parse;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod schema;

#[cfg(feature = "serve")]
pub mod serve;
pub mod source;
pub mod templates;
pub mod theme;
pub mod timings;
pub mod write;
pub mod yaml;

use jiff::civil::Date;
use std::path::PathBuf;
use std::time::{Duration, Instant};

pub use diagnostic::{Code, Diagnostic, Severity};
pub use report::Report;

/// What to build and how.
#[derive(Clone, Debug)]
pub struct Options {
    /// The site folder (holds `carebook.toml` and `content/`).
    pub root: PathBuf,
    /// The output folder; `<root>/public` when `None`.
    pub out: Option<PathBuf>,
    /// Include guides marked `draft: true`.
    pub drafts: bool,
    /// The date reviews are compared with.
    pub today: Date,
}

impl Options {
    /// Options for `root` with today's date (or `CAREBOOK_TODAY=YYYY-MM-DD`, for reproducible runs).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Options { root: root.into(), out: None, drafts: false, today: today() }
    }

    /// The output folder.
    pub fn out_dir(&self) -> PathBuf {
        self.out.clone().unwrap_or_else(|| self.root.join("public"))
    }
}

/// Today's date in UTC, unless `CAREBOOK_TODAY` says otherwise.
pub fn today() -> Date {
    if let Ok(s) = std::env::var("CAREBOOK_TODAY")
        && let Ok(d) = s.trim().parse::<Date>()
    {
        return d;
    }
    jiff::Timestamp::now().to_zoned_datetime(jiff::tz::TimeZone::UTC).date()
}

/// The result of a build.
#[derive(Debug)]
pub struct BuildOutcome {
    /// Every diagnostic, sorted.
    pub report: Report,
    /// What was written; `None` when errors stopped the build.
    pub written: Option<write::WriteStats>,
    /// Number of HTML pages.
    pub pages: usize,
    /// Time taken.
    pub elapsed: Duration,
}

/// Everything up to the model: load, parse, check. Returns the site only when there are no errors.
pub fn check(opts: &Options) -> anyhow::Result<(Report, Option<model::Site>)> {
    check_inner(opts, false, None)
}

/// What a long-running caller (`serve`) keeps from one build to the next, so that files whose
/// text did not change are not parsed again.
#[derive(Default)]
pub struct Cache {
    load: load::Cache,
    parse: parse::Cache,
    /// The other languages' caches, by language code.
    langs: std::collections::BTreeMap<String, Cache>,
}

/// Only the report of [`check`]: the same diagnostics, faster, since no page HTML is prepared.
pub fn check_report(opts: &Options) -> anyhow::Result<Report> {
    Ok(check_inner(opts, true, None)?.0)
}

fn check_inner(
    opts: &Options,
    skip_html: bool,
    mut cache: Option<&mut Cache>,
) -> anyhow::Result<(Report, Option<model::Site>)> {
    let (config, config_source, config_diags) = config::load(&opts.root)?;
    // A build lets go of texts as it parses; should a later check find a problem in such a file,
    // everything is read and parsed again, keeping every text, so the report can show it.
    // Translations are checked against their sources' texts: a site in several languages keeps them.
    let mut keep_texts = !config.languages.is_empty();
    let scope = load::Scope { lang: None, skip: config.languages.iter().map(|l| l.code.clone()).collect() };
    let (mut report, site) = loop {
        let mut diags = config_diags.clone();
        let loaded = timings::stage("load", || {
            load::load_scope(&opts.root, &mut diags, cache.as_deref_mut().map(|c| &mut c.load), &scope)
        })?;
        let release = !keep_texts && !skip_html && cache.is_none();
        let (mut report, site) =
            check_sources_with(&config, loaded, diags, opts, skip_html, release, cache.as_deref_mut());
        report.add_sources(std::iter::once(&config_source));
        if !(release && report.lacks_sources()) {
            break (report, site);
        }
        drop_later(site);
        keep_texts = true;
    };
    // The theme's words in each language; a theme that cannot be read is reported by the build.
    let words = match lang::strings::load(&opts.root, &config) {
        Ok((words, sources, diags)) => {
            report.add_sources(sources.iter());
            report.extend(diags);
            words
        }
        Err(_) => Default::default(),
    };
    let translations = if config.languages.is_empty() {
        Some(Vec::new())
    } else {
        lang::check::check_languages(&config, opts, skip_html, site.as_ref(), &mut report, cache.map(|c| &mut c.langs))?
    };
    // `check` alone needs no model: its checks are done.
    let (site, translations) = match (site, translations) {
        (Some(site), Some(translations)) if !skip_html && !report.has_errors() => (site, translations),
        other => {
            drop_later(other);
            return Ok((report, None));
        }
    };
    let site = timings::stage("model", || {
        let translations = translations
            .into_iter()
            .zip(&config.languages)
            .map(|(checked, l)| model::build((*l.config).clone(), checked, opts.drafts))
            .collect();
        let mut site = model::build(config, site, opts.drafts);
        site.lang.translations = translations;
        lang::link(&mut site, &words);
        site
    });
    Ok((report, Some(site)))
}

/// Parse and check of files already loaded, without touching the disk: [`check`] after `load`.
///
/// `diags` holds what loading found. Fuzzing and property tests call this with files made in
/// memory ([`load::Loaded::add_markdown`]); `opts.root` is not used.
pub fn check_sources(
    config: config::Config,
    loaded: load::Loaded,
    diags: Vec<Diagnostic>,
    opts: &Options,
) -> (Report, Option<model::Site>) {
    let (report, ok) = check_sources_with(&config, loaded, diags, opts, false, false, None);
    (report, ok.map(|checked| model::build(config, checked, opts.drafts)))
}

/// What passed `check`: the parsed files, the content assets and the files of `static/` (with
/// what each file was when it was found), ready for the model.
pub struct Checked {
    /// The parsed files.
    pub parsed: Vec<parse::Parsed>,
    /// Content assets (root-relative paths).
    pub assets: Vec<String>,
    /// The files of `static/` (root-relative paths).
    pub statics: Vec<String>,
    /// What each asset and static file was when it was found.
    pub stamps: std::collections::HashMap<String, load::Stamp>,
}

/// Parses and checks; on success returns the parsed files and assets for the model. With
/// `release_texts` ([`parse::Options::release_texts`]), the report lacks the texts of files that
/// were parsed without a problem.
pub(crate) fn check_sources_with(
    config: &config::Config,
    loaded: load::Loaded,
    mut diags: Vec<Diagnostic>,
    opts: &Options,
    skip_html: bool,
    release_texts: bool,
    cache: Option<&mut Cache>,
) -> (Report, Option<Checked>) {
    let md = markdown::MdOptions { allow_raw_html: config.allow_raw_html, skip_html };
    let popts = parse::Options { md, today: opts.today, release_texts };
    let load::Loaded { files, assets, stamps, unreadable, statics, unread, active_svgs } = loaded;
    let parse::Output { mut parsed, sources } = timings::stage("parse", || match cache {
        Some(cache) => parse::parse_cached(files, popts, &mut diags, &mut cache.parse),
        None => parse::parse(files, popts, &mut diags),
    });
    // `carebook init`'s examples are not the site's yet: left out, like drafts, unless `--drafts`.
    if !opts.drafts {
        parsed.retain(|p| !p.matter.as_deref().is_some_and(schema::Matter::is_example));
    }
    timings::stage("check", || {
        let index = check::Index::new(&parsed, &assets, &active_svgs, &unread, &statics, opts.drafts);
        check::check(&parsed, &index, &mut diags);
    });
    let mut report = Report::new(diags);
    report.add_sources(sources.iter().chain(&unreadable).chain(active_svgs.iter().filter_map(|s| s.text.as_ref())));
    if report.has_errors() {
        return (report, None);
    }
    (report, Some(Checked { parsed, assets, statics, stamps }))
}

/// Checks and renders the site in memory: the report, and the output files when there are no errors.
pub fn render(opts: &Options) -> anyhow::Result<(Report, Option<Vec<write::OutputFile>>)> {
    let (mut report, prepared) = prepare(opts)?;
    let Some((site, theme)) = prepared else {
        return Ok((report, None));
    };
    let memory = write::Memory::default();
    let result = timings::stage("render", || lang::render(&site, &theme, &memory));
    let files = rendered(result, &mut report)?.map(|_| memory.into_files());
    Ok((report, files))
}

/// A render's outcome: template problems join the report (and the render is dropped); an output
/// failure is an error; otherwise the number of pages.
fn rendered(result: Result<usize, render::RenderError>, report: &mut Report) -> anyhow::Result<Option<usize>> {
    match result {
        Ok(pages) => Ok(Some(pages)),
        Err(render::RenderError::Templates(d)) => {
            report.extend(d);
            Ok(None)
        }
        Err(render::RenderError::Output(e)) => Err(e),
    }
}

/// Checks the site and loads its theme: the report, and the site and theme when there are no errors.
pub fn prepare(opts: &Options) -> anyhow::Result<(Report, Option<(model::Site, templates::Theme)>)> {
    prepare_with(opts, None)
}

/// [`prepare`], reusing and updating `cache`.
pub fn prepare_cached(
    opts: &Options,
    cache: &mut Cache,
) -> anyhow::Result<(Report, Option<(model::Site, templates::Theme)>)> {
    prepare_with(opts, Some(cache))
}

fn prepare_with(
    opts: &Options,
    cache: Option<&mut Cache>,
) -> anyhow::Result<(Report, Option<(model::Site, templates::Theme)>)> {
    let (mut report, site) = check_inner(opts, false, cache)?;
    let Some(site) = site else {
        return Ok((report, None));
    };
    let mut diags = Vec::new();
    let theme = templates::load(&opts.root, &site.config.theme, &mut diags)?;
    report.add_sources(theme.sources.iter());
    if !diags.is_empty() {
        report.extend(diags);
        return Ok((report, None));
    }
    Ok((report, Some((site, theme))))
}

/// Checks, renders and writes the site; with errors, nothing is written.
///
/// Pages are written while they are rendered, into a temporary folder that replaces the output
/// only when every page is done; the site is never held in memory whole.
pub fn build(opts: &Options) -> anyhow::Result<BuildOutcome> {
    let start = Instant::now();
    let out = opts.out_dir();
    // Refuse a dangerous output folder before any work.
    write::check_output_target(&opts.root, &out)?;
    let (mut report, prepared) = prepare(opts)?;
    let Some((site, theme)) = prepared else {
        return Ok(BuildOutcome { report, written: None, pages: 0, elapsed: start.elapsed() });
    };
    let written = timings::stage("render+write", || {
        write::write_site_with(&opts.root, &out, |staging| rendered(lang::render(&site, &theme, staging), &mut report))
    })?;
    drop_later((site, theme));
    let (pages, stats) = match written {
        Some((pages, stats)) => (pages, Some(stats)),
        None => (0, None),
    };
    Ok(BuildOutcome { report, written: stats, pages, elapsed: start.elapsed() })
}

/// Frees `value` on another thread: a large site is millions of small allocations, and the
/// caller (often about to exit) need not wait for them.
fn drop_later<T: Send + 'static>(value: T) {
    // When no thread can be started, the closure, and with it the value, is dropped right here.
    let _ = std::thread::Builder::new().name("carebook-free".into()).spawn(move || drop(value));
}
