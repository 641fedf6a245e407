//! The command line: one module per subcommand, each with its arguments and an `execute` that
//! calls the library; shared argument groups live here. Nothing else.
//!
//! To add a subcommand: a module with an `Args` struct and `execute`, a variant of [`Command`],
//! and its line in [`run`].

use anstream::{AutoStream, ColorChoice};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::report::Format;
use crate::{Options, Report};

pub(crate) mod build;
pub(crate) mod check;
pub(crate) mod completions;
pub(crate) mod init;
pub(crate) mod man;
pub(crate) mod new;
pub(crate) mod schema;
#[cfg(feature = "serve")]
pub(crate) mod serve;
pub(crate) mod theme;
pub(crate) mod translate;

/// carebook: build self-care guide websites that work offline and put "when to see a doctor" first.
#[derive(Parser, Debug)]
#[command(name = "carebook", version = env!("CAREBOOK_VERSION"), about, long_about = None)]
pub struct Cli {
    /// When to colour messages: auto (only when the output is a terminal and NO_COLOR is not set),
    /// always or never.
    #[arg(long, value_enum, default_value_t = Color::Auto, global = true)]
    color: Color,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Make a new site: carebook.toml with every setting explained, an example of each kind of file, a README for editors.
    Init(init::Args),
    /// Serve the site on this computer with live reload; rebuilds on every change and never touches public/.
    #[cfg(feature = "serve")]
    Serve(serve::Args),
    /// Check the content and build the site into the output folder (atomically).
    Build(build::Args),
    /// Check the content without writing anything; reports every problem in every file.
    Check(check::Args),
    /// Create a new guide, symptom, cause or page with every field filled in and explained.
    New(new::Args),
    /// Print the JSON Schema of the front matter or of carebook.toml, for editors' tools.
    Schema(schema::Args),
    /// Compare the site's theme folder with the built-in theme, or copy built-in files out to change them.
    Theme(theme::Args),
    /// Translations: record which version of its source a translation translates, or list them all.
    Translate(translate::Args),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(completions::Args),
    /// Print the manual page, carebook(1).
    Man(man::Args),
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> ExitStatus {
    let color = cli.color;
    let result = match cli.command {
        #[cfg(feature = "serve")]
        Command::Serve(args) => serve::execute(args),
        Command::Build(args) => build::execute(args, color),
        Command::Check(args) => check::execute(args, color),
        Command::New(args) => new::execute(args),
        Command::Schema(args) => schema::execute(args),
        Command::Init(args) => init::execute(args),
        Command::Theme(args) => theme::execute(args),
        Command::Translate(args) => translate::execute(args),
        Command::Completions(args) => completions::execute(args),
        Command::Man(args) => man::execute(args),
    };
    result.unwrap_or_else(|e| {
        eprintln!("error: {e:#}");
        ExitStatus::Error
    })
}

/// The site folder and which guides count (shared by `build` and `check`).
#[derive(Args, Debug)]
pub(crate) struct SiteArgs {
    /// The site folder (holds carebook.toml and content/).
    #[arg(long, default_value = ".")]
    pub(crate) root: PathBuf,
    /// Include guides marked `draft: true`, checked and built as if they were published.
    #[arg(long)]
    pub(crate) drafts: bool,
}

impl SiteArgs {
    /// The library's options for these arguments.
    pub(crate) fn options(&self) -> Options {
        let mut opts = Options::new(&self.root);
        opts.drafts = self.drafts;
        opts
    }
}

/// How problems are reported (shared by `build` and `check`).
#[derive(Args, Debug)]
pub(crate) struct ReportArgs {
    /// Treat warnings (overdue reviews, orphans) as errors, e.g. in CI.
    #[arg(long)]
    pub(crate) deny_warnings: bool,
    /// How to print problems: human (with the source line), short (one line each) or json.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub(crate) format: Format,
    /// Show every problem; without it, human and short show the first 20 of each kind and
    /// count the rest (json always lists every problem).
    #[arg(long)]
    pub(crate) all: bool,
}

/// How many problems of each code the human and short formats show unless `--all` is given.
pub(crate) const LIMIT_PER_CODE: usize = 20;

impl ReportArgs {
    /// Applies `--deny-warnings` to a report.
    pub(crate) fn judge(&self, report: &mut Report) {
        if self.deny_warnings {
            report.deny_warnings();
        }
    }

    /// Prints a report: human and short to stderr (with colour as chosen; without `--all`, at most
    /// [`LIMIT_PER_CODE`] problems of each code), JSON to stdout.
    pub(crate) fn print(&self, report: &Report, color: Color) {
        if self.format == Format::Json {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(report.render(self.format, false).as_bytes());
            let _ = out.flush();
            return;
        }
        let choice = color.choice();
        let text =
            report.render_limited(self.format, choice != ColorChoice::Never, (!self.all).then_some(LIMIT_PER_CODE));
        let mut err = AutoStream::new(std::io::stderr().lock(), choice);
        let _ = err.write_all(text.as_bytes());
        let _ = err.flush();
    }
}

/// When to colour messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Color {
    /// Only when the output is a terminal and NO_COLOR is not set.
    Auto,
    /// Always (even into a file or pipe).
    Always,
    /// Never.
    Never,
}

impl Color {
    /// `--color` resolved for stderr: `auto` colours only a terminal, and never when `NO_COLOR` is
    /// set (to anything but the empty string); `CLICOLOR_FORCE` and `TERM=dumb` are honoured too.
    fn choice(self) -> ColorChoice {
        match self {
            Color::Always => ColorChoice::Always,
            Color::Never => ColorChoice::Never,
            Color::Auto => match AutoStream::choice(&std::io::stderr()) {
                ColorChoice::Auto => ColorChoice::Never,
                c => c,
            },
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_app() {
        Cli::command().debug_assert();
    }
}
