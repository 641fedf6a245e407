//! The command line: parses arguments and calls the library; nothing else.

use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::{Options, Report};

/// carebook: build self-care guide websites that work offline and put "when to see a doctor" first.
#[derive(Parser, Debug)]
#[command(name = "carebook", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check the content and build the site into the output folder (atomically).
    Build {
        /// The site folder (holds carebook.toml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The output folder [default: <root>/public].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Include guides marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Treat warnings (overdue reviews, orphans) as errors.
        #[arg(long)]
        deny_warnings: bool,
        /// How to print problems.
        #[arg(long, value_enum, default_value_t = Format::Short)]
        format: Format,
    },
    /// Check the content without writing anything; reports every problem in every file.
    Check {
        /// The site folder (holds carebook.toml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Check drafts as if they were published.
        #[arg(long)]
        drafts: bool,
        /// Treat warnings (overdue reviews, orphans) as errors.
        #[arg(long)]
        deny_warnings: bool,
        /// How to print problems.
        #[arg(long, value_enum, default_value_t = Format::Short)]
        format: Format,
    },
}

/// Output format of diagnostics.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    /// `file:line:col: error[code]: message`, one per line.
    Short,
}

/// The process exit status: 0 success, 1 content errors, 2 usage or I/O errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// Everything went well (warnings allowed).
    Success,
    /// The content has errors.
    Failure,
    /// carebook could not do its work (bad arguments, unreadable folders, I/O).
    Error,
}

impl From<ExitStatus> for ExitCode {
    fn from(s: ExitStatus) -> ExitCode {
        ExitCode::from(match s {
            ExitStatus::Success => 0,
            ExitStatus::Failure => 1,
            ExitStatus::Error => 2,
        })
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> ExitStatus {
    match execute(cli) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitStatus::Error
        }
    }
}

fn print_report(report: &Report, _format: Format) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(report.render_short().as_bytes());
    if let Some(s) = report.summary() {
        let _ = writeln!(err, "{s}");
    }
}

fn execute(cli: Cli) -> anyhow::Result<ExitStatus> {
    match cli.command {
        Command::Check { root, drafts, deny_warnings, format } => {
            let mut opts = Options::new(root);
            opts.drafts = drafts;
            let (mut report, _) = crate::check(&opts)?;
            if deny_warnings {
                report.deny_warnings();
            }
            print_report(&report, format);
            if report.has_errors() {
                return Ok(ExitStatus::Failure);
            }
            eprintln!("checked: no errors");
            Ok(ExitStatus::Success)
        }
        Command::Build { root, out, drafts, deny_warnings, format } => {
            let mut opts = Options::new(root);
            opts.out = out;
            opts.drafts = drafts;
            if deny_warnings {
                // Warnings must stop the build before anything is written.
                let (mut report, _) = crate::check(&opts)?;
                report.deny_warnings();
                if report.has_errors() {
                    print_report(&report, format);
                    eprintln!("error: nothing was written");
                    return Ok(ExitStatus::Failure);
                }
            }
            let outcome = crate::build(&opts)?;
            print_report(&outcome.report, format);
            match outcome.written {
                Some(stats) => {
                    eprintln!(
                        "built {} pages ({} files, {} unchanged) into {} in {} ms",
                        outcome.pages,
                        stats.files,
                        stats.linked,
                        opts.out_dir().display(),
                        outcome.elapsed.as_millis()
                    );
                    Ok(ExitStatus::Success)
                }
                None => {
                    eprintln!("error: nothing was written; `{}` is unchanged", opts.out_dir().display());
                    Ok(ExitStatus::Failure)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_valid() {
        Cli::command().debug_assert();
    }
}
