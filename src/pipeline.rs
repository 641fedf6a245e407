//! The stages glued together, in order, for [`crate::run`]: each function here hands one stage's
//! output to the next and decides, from the [`Goal`], how much each stage keeps.

use crate::report::Report;
use crate::{
    Diagnostic, Goal, Options, check, config, load, markdown, model, parse, schema, templates, timings, trust,
};

/// What a long-running caller (`serve`) keeps from one build to the next, so that files whose
/// text did not change are not parsed again.
#[derive(Default)]
pub struct Cache {
    pub(crate) load: load::Cache,
    pub(crate) parse: parse::Cache,
    pub(crate) check: check::Cache,
    pub(crate) model: model::Cache,
    /// The last theme loaded without problems (its templates compiled).
    pub(crate) theme: Option<templates::Theme>,
    /// The other languages' caches, by language code.
    pub(crate) langs: std::collections::BTreeMap<String, Cache>,
}

impl Cache {
    /// Tells the next run that, since the last one, only the files at `paths` (relative to the
    /// site folder, `/` between names, as a file watcher reports them) may have changed: it looks
    /// at and reads only those instead of walking `content/`. Paths told before and not yet taken
    /// by a run are kept. Without it, a run walks the whole folder.
    pub fn changed(&mut self, paths: &[String]) {
        self.load.changed(paths.iter().cloned());
        self.langs.values_mut().for_each(|c| c.changed(paths));
    }
}

/// What passed `check`: the parsed files with their resolved links (which name the content files
/// linked), and the files of `static/`, with what each file was when it was found: ready for the
/// model.
pub(crate) struct Checked {
    /// The parsed files.
    pub(crate) parsed: Vec<parse::Parsed>,
    /// Each parsed file's links, resolved (in the order of `parsed`).
    pub(crate) links: Vec<check::FileLinks>,
    /// The files of `static/` (root-relative paths).
    pub(crate) statics: Vec<String>,
    /// What each asset and static file was when it was found.
    pub(crate) stamps: std::collections::HashMap<String, load::Stamp>,
}

/// How much parsing keeps, for `goal`: a check needs no page HTML; a one-off build or preview
/// lets go of each text once its HTML is made, a one-off check once it is parsed (a long-running
/// preview keeps them, for its cache): at 100,000 guides the texts are most of a check's memory.
fn parse_options(config: &config::Config, opts: &Options, goal: Goal, cached: bool) -> parse::Options {
    let skip_html = goal == Goal::Check;
    let md = markdown::MdOptions { allow_raw_html: config.allow_raw_html, skip_html };
    let policy =
        trust::Policy { require_citations: config.require_citations, clinically_reviewed: config.clinically_reviewed };
    // Translations are checked against their sources' texts: a site in several languages keeps them.
    let release_texts = !cached && config.languages.is_empty();
    parse::Options { md, today: opts.today, release_texts, policy }
}

/// What passed the check: the configuration, the default language's files, the other languages'.
pub(crate) type Passed = (config::Config, Checked, crate::lang::Pending);

/// Load, parse and check: the report, with the configuration and what passed when there are no
/// errors.
pub(crate) fn check(
    opts: &Options,
    goal: Goal,
    mut cache: Option<&mut Cache>,
) -> anyhow::Result<(Report, Option<Passed>)> {
    let (config, config_source, config_diags) = config::load(&opts.root)?;
    let cached = cache.is_some();
    let mut diags = config_diags;
    // The default language's files: `content/` less the other languages' folders.
    let scope = load::Scope { lang: None, skip: config.languages.iter().map(|l| l.code.clone()).collect() };
    let loaded = timings::stage("load", || {
        load::load_scope(&opts.root, &mut diags, cache.as_deref_mut().map(|c| &mut c.load), &scope)
    })?;
    let popts = parse_options(&config, opts, goal, cache.is_some());
    let caches = cache.as_deref_mut().map(|c| (&mut c.parse, &mut c.check));
    // A one-off build keeps what it parsed beside the output, for the next one (`serve` keeps it
    // in memory instead).
    let store = if goal == Goal::Build && !cached { crate::write::store_path(&opts.out_dir()) } else { None };
    let (mut report, mut checked) = check_with(loaded, diags, opts, popts, caches, store.as_deref());
    report.add_sources(std::iter::once(&config_source));
    // Translations are checked against their sources' texts (the hashes of their fields), found
    // now: a one-off build or preview then lets go of the texts before the other languages are
    // read, as a site in one language does while it parses, rather than hold every language's.
    let release = goal != Goal::Check && !cached && !config.languages.is_empty();
    let fields = match &checked {
        Some(c) if !config.languages.is_empty() => crate::lang::check::source_fields(&c.parsed),
        _ => Vec::new(),
    };
    if let Some(c) = checked.as_mut().filter(|_| release) {
        release_texts(None, c, &mut report);
    }
    let pending = crate::lang::check::check_languages(
        &config,
        opts,
        goal == Goal::Check,
        checked.as_ref().map(|c| (c, fields.as_slice())),
        &mut report,
        cache.map(|c| &mut c.langs),
    )?;
    drop(fields);
    // A text let go after parsing, in a file a later check found a problem in: read again, alone.
    let missing = report.missing_sources();
    if !missing.is_empty() {
        report.add_sources(&load::reread(&opts.root, &missing));
    }
    let mut checked = match (checked, pending) {
        (Some(c), Some(p)) if !report.has_errors() => Some((config, c, p)),
        _ => None,
    };
    // The other languages' texts, kept for their check (a problem shows its line), go now.
    if let Some((config, _, pending)) = checked.as_mut().filter(|_| release) {
        for (l, c) in config.languages.iter().zip(&mut pending.checked) {
            release_texts(Some(&l.code), c, &mut report);
        }
    }
    Ok((report, checked))
}

/// Lets go of the texts of the guides and pages of `checked` (of the language `code`, or the
/// default one) ([`parse::Parsed::release_text`]), in the files and in the report (unless it has
/// a problem in the file).
fn release_texts(code: Option<&str>, checked: &mut Checked, report: &mut Report) {
    for p in &mut checked.parsed {
        if p.release_text() {
            report.release_source(
                &code.map_or_else(|| p.source.path.clone(), |c| crate::lang::rename(c, &p.source.path)),
            );
        }
    }
}

/// Parse and check of files already loaded, without touching the disk, then the model: fuzzing
/// and property tests call this with files made in memory ([`load::Loaded::add_markdown`]).
/// `diags` holds what loading found; `opts.root` is not used.
pub fn check_loaded(
    config: config::Config,
    loaded: load::Loaded,
    diags: Vec<Diagnostic>,
    opts: &Options,
) -> (Report, Option<model::Site>) {
    let mut popts = parse_options(&config, opts, Goal::Preview, true);
    popts.release_texts = false;
    let (report, checked) = check_with(loaded, diags, opts, popts, None, None);
    (report, checked.map(|c| model::build(config, c, opts.drafts)))
}

/// Parses and checks; on success returns the parsed files and assets for the model. With
/// `cache` (`serve`'s), files parsed before are not parsed again; with `store` (the parse store
/// beside a build's output), their Markdown is not rendered again.
pub(crate) fn check_with(
    loaded: load::Loaded,
    mut diags: Vec<Diagnostic>,
    opts: &Options,
    popts: parse::Options,
    cache: Option<(&mut parse::Cache, &mut check::Cache)>,
    store: Option<&std::path::Path>,
) -> (Report, Option<Checked>) {
    let load::Loaded { files, assets, stamps, unreadable, statics, unread, active_svgs } = loaded;
    let (parse_cache, check_cache) = cache.unzip();
    let parse::Output { mut parsed, sources } = timings::stage("parse", || match (parse_cache, store) {
        (Some(cache), _) => parse::parse_cached(files, popts, &mut diags, cache),
        (None, Some(store)) => parse_stored(files, popts, &mut diags, store),
        (None, None) => parse::parse(files, popts, &mut diags),
    });
    // `carebook init`'s examples are not the site's yet: left out, like drafts, unless `--drafts`.
    if !opts.drafts {
        parsed.retain(|p| !p.matter.as_deref().is_some_and(schema::Matter::is_example));
    }
    let mut check_cache = check_cache;
    let links = timings::stage("check", || {
        let anchors = check_cache.as_deref_mut().map(|c| c.anchors(&parsed));
        let index = check::Index::new(&parsed, &assets, &active_svgs, &unread, &statics, opts.drafts, anchors);
        check::check(&parsed, &index, &mut diags, check_cache.map(|c| (c, popts)))
    });
    let mut report = Report::new(diags);
    report.add_sources(sources.iter().chain(&unreadable).chain(active_svgs.iter().filter_map(|s| s.text.as_ref())));
    // A link that did not resolve is an error, so with no errors every file's links are there.
    match links {
        Some(links) if !report.has_errors() => (report, Some(Checked { parsed, links, statics, stamps })),
        _ => (report, None),
    }
}

/// [`parse::parse_stored`] with the parse store at `path`, which is written again when it changed.
fn parse_stored(
    files: Vec<crate::source::SourceFile>,
    popts: parse::Options,
    diags: &mut Vec<Diagnostic>,
    path: &std::path::Path,
) -> parse::Output {
    let mut recall = crate::write::Recall::open(path);
    let stored = parse::parse_stored(files, popts, diags, &mut |last| recall.until(last));
    drop(recall);
    if stored.changed
        && let Some(mut keep) = crate::write::Keep::create(path)
    {
        for p in &stored.output.parsed {
            if let Some(record) = parse::record(p, popts) {
                keep.record(&p.source.path, &record);
            }
        }
        keep.finish(path);
    }
    stored.output
}

/// The site's theme; `None` when its templates have problems (they join the report). With `kept`
/// (a cache's), templates unchanged since the last good load are not compiled again.
pub(crate) fn theme(
    opts: &Options,
    site: &model::Site,
    report: &mut Report,
    kept: Option<&mut Option<templates::Theme>>,
) -> anyhow::Result<Option<templates::Theme>> {
    let mut diags = Vec::new();
    let theme = templates::load_kept(&opts.root, &site.config.theme, &mut diags, kept)?;
    report.add_sources(theme.sources.iter());
    if !diags.is_empty() {
        report.extend(diags);
        return Ok(None);
    }
    Ok(Some(theme))
}

/// A render's outcome: template problems join the report (and the render is dropped); an output
/// failure is an error; otherwise the number of pages.
pub(crate) fn rendered(
    result: Result<usize, crate::render::RenderError>,
    report: &mut Report,
) -> anyhow::Result<Option<usize>> {
    match result {
        Ok(pages) => Ok(Some(pages)),
        Err(crate::render::RenderError::Templates(d)) => {
            report.extend(d);
            Ok(None)
        }
        Err(crate::render::RenderError::Output(e)) => Err(e),
    }
}

/// Frees `value` on another thread: a large site is millions of small allocations, and the
/// caller (often about to exit) need not wait for them.
pub(crate) fn drop_later<T: Send + 'static>(value: T) {
    // When no thread can be started, the closure, and with it the value, is dropped right here.
    let _ = std::thread::Builder::new().name("carebook-free".into()).spawn(move || drop(value));
}

impl std::fmt::Debug for crate::Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (report, site, written) = (&self.report, self.site.is_some(), &self.written);
        f.debug_struct("Outcome").field("report", report).field("site", &site).field("written", written).finish()
    }
}

#[cfg(test)]
mod tests {
    /// Notes the thread it is dropped on.
    struct Noted(std::sync::mpsc::Sender<Option<String>>);

    impl Drop for Noted {
        fn drop(&mut self) {
            let _ = self.0.send(std::thread::current().name().map(String::from));
        }
    }

    #[test]
    fn a_value_dropped_later_is_freed_on_another_thread() {
        let (tx, rx) = std::sync::mpsc::channel();
        super::drop_later(Noted(tx));
        let thread = rx.recv_timeout(std::time::Duration::from_secs(10)).expect("dropped");
        assert_eq!(thread.as_deref(), Some("carebook-free"));
    }
}
