//! `carebook check`: reports every problem in every file; writes nothing.

use super::{Color, ExitStatus, ReportArgs, SiteArgs};

/// Arguments of `carebook check`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    #[command(flatten)]
    site: SiteArgs,
    #[command(flatten)]
    report: ReportArgs,
}

/// Checks the site and prints the report.
pub(crate) fn execute(args: Args, color: Color) -> anyhow::Result<ExitStatus> {
    let mut report = crate::run(&args.site.options(), crate::Goal::Check, None)?.report;
    args.report.judge(&mut report);
    args.report.print(&report, color);
    if report.has_errors() {
        return Ok(ExitStatus::Failure);
    }
    eprintln!("checked: no errors");
    Ok(ExitStatus::Success)
}
