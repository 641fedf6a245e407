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
//! model    Checked -> Site: sorted lists, backlinks, red flags by urgency
//! render   templates -> files, into an output::Sink (pages, search index, assets; streamed)
//! write    temporary folder, then swap       (the only stage that touches the output)
//! ```
//!
//! One entry, [`run`], with a [`Goal`]; [`pipeline`] hands each stage's output to the next.
//! docs/architecture.md describes the stages, the types between them, and how to extend them.
#![warn(missing_docs)]
// The public API is what main.rs, tests/ and fuzz/ use; everything else is `pub(crate)` or private.
#![deny(unreachable_pub)]

pub mod active;
pub(crate) mod check;
pub mod cmd;
pub mod config;
pub(crate) mod diagnostic;
mod fingerprint;
mod fs_error;
pub(crate) mod init;
pub mod lang;
pub mod load;
pub mod markdown;
pub mod model;
mod options;
pub mod output;
pub mod parse;
pub mod pipeline;
pub(crate) mod render;
pub mod report;
pub mod scaffold;
pub mod schema;
pub(crate) mod search;

#[cfg(feature = "serve")]
pub mod serve;
pub mod source;
mod stored;
pub mod templates;
mod text;
pub mod theme;
pub(crate) mod timings;
pub mod trust;
mod web;
pub mod write;
pub mod yaml;

use std::time::{Duration, Instant};

pub use diagnostic::{Code, Diagnostic, Severity};
pub use options::Options;
pub(crate) use options::today;
pub use pipeline::Cache;
pub use report::Report;

/// What a run is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Goal {
    /// The report only: nothing is rendered or written.
    Check,
    /// Check, render and write the site into the output folder.
    Build,
    /// Check, and keep the site and theme for rendering pages on request (`serve`, tests).
    Preview,
}

/// The result of a run.
pub struct Outcome {
    /// Every diagnostic, sorted.
    pub report: Report,
    /// [`Goal::Preview`]: the site and its theme, when there are no errors.
    pub site: Option<(model::Site, templates::Theme)>,
    /// [`Goal::Build`]: what was written; `None` when errors stopped the build.
    pub written: Option<write::WriteStats>,
    /// [`Goal::Build`]: number of HTML pages.
    pub pages: usize,
    /// [`Goal::Build`]: how many print books the guides fill (over 1: print.html lists them).
    pub print_books: usize,
    /// Time taken.
    pub elapsed: Duration,
}

/// Runs the pipeline for `goal`: load, parse, check, then (unless only checking) model and theme,
/// then (building) render into the output folder. With `cache`, unchanged files are neither read
/// nor parsed again. For a build, pages are written while they are rendered, into a temporary
/// folder that replaces the output only when every page is done; with errors, nothing is written.
///
/// # Errors
///
/// A refused output folder, an unreadable site folder or configuration, a failed write.
pub fn run(opts: &Options, goal: Goal, mut cache: Option<&mut Cache>) -> anyhow::Result<Outcome> {
    let start = Instant::now();
    let out = opts.out_dir();
    if goal == Goal::Build {
        // Refuse a dangerous output folder before any work.
        write::check_output_target(&opts.root, &out)?;
    }
    let (mut report, checked) = pipeline::check(opts, goal, cache.as_deref_mut())?;
    let done = |report, site, written, pages| Outcome {
        report,
        site,
        written,
        pages,
        print_books: 0,
        elapsed: start.elapsed(),
    };
    let (config, checked, translations) = match checked {
        Some(checked) if goal != Goal::Check => checked,
        // A check needs no model: its checks are done.
        checked => {
            pipeline::drop_later(checked);
            return Ok(done(report, None, None, 0));
        }
    };
    let site = timings::stage("model", || {
        let mut site = model::build_kept(config, checked, opts.drafts, cache.as_deref_mut().map(|c| &mut c.model));
        lang::attach(&mut site, translations, opts.drafts);
        site
    });
    let Some(theme) = pipeline::theme(opts, &site, &mut report, cache.map(|c| &mut c.theme))? else {
        return Ok(done(report, None, None, 0));
    };
    if goal == Goal::Preview {
        return Ok(done(report, Some((site, theme)), None, 0));
    }
    let written = timings::stage("render+write", || {
        write::write_site_with(&opts.root, &out, |staging| {
            pipeline::rendered(lang::render(&site, &theme, staging), &mut report)
        })
    })?;
    let print_books = render::book_count(&site);
    pipeline::drop_later((site, theme));
    let (pages, stats) = written.map_or((0, None), |(pages, stats)| (pages, Some(stats)));
    Ok(Outcome { print_books, ..done(report, None, stats, pages) })
}
