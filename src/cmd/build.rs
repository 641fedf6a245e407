//! `carebook build`: checks, then renders and writes the site into the output folder atomically.

use std::path::PathBuf;

use super::{Color, ExitStatus, ReportArgs, SiteArgs};

/// Arguments of `carebook build`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    #[command(flatten)]
    site: SiteArgs,
    /// The output folder [default: <root>/public].
    #[arg(long)]
    out: Option<PathBuf>,
    #[command(flatten)]
    report: ReportArgs,
}

/// Builds the site and prints the report and a summary line.
pub(crate) fn execute(args: Args, color: Color) -> anyhow::Result<ExitStatus> {
    let mut opts = args.site.options();
    opts.out = args.out;
    let out = opts.out_dir();
    if args.report.deny_warnings {
        // Warnings must stop the build before anything is written.
        let mut report = crate::run(&opts, crate::Goal::Check, None)?.report;
        args.report.judge(&mut report);
        if report.has_errors() {
            args.report.print(&report, color);
            eprintln!("error: nothing was written");
            return Ok(ExitStatus::Failure);
        }
    }
    let outcome = crate::run(&opts, crate::Goal::Build, None)?;
    args.report.print(&outcome.report, color);
    let Some(stats) = outcome.written else {
        eprintln!("error: nothing was written; `{}` is unchanged", out.display());
        return Ok(ExitStatus::Failure);
    };
    let (pages, ms) = (outcome.pages, outcome.elapsed.as_millis());
    // A site over `print_book_limit` has no one print book: say so where the build is summed up.
    let books = match outcome.print_books {
        0 | 1 => String::new(),
        n => format!("; print.html lists {n} print books (more guides than print_book_limit)"),
    };
    eprintln!(
        "built {pages} pages ({} files, {} unchanged, {} of them not rendered again) into {} in {ms} ms{books}",
        stats.files,
        stats.linked,
        stats.reused,
        out.display()
    );
    Ok(ExitStatus::Success)
}
