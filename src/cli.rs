//! The command line: parses arguments and calls the library; nothing else.

use anstream::{AutoStream, ColorChoice};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::report::Format;
use crate::schema::Kind;
use crate::{Options, Report};

/// carebook: build self-care guide websites that work offline and put "when to see a doctor" first.
#[derive(Parser, Debug)]
#[command(name = "carebook", version, about, long_about = None)]
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
    /// Serve the site on this computer with live reload; rebuilds on every change and never touches public/.
    #[cfg(feature = "serve")]
    Serve(crate::serve::ServeArgs),
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
        /// Treat warnings (overdue reviews, orphans) as errors, e.g. in CI.
        #[arg(long)]
        deny_warnings: bool,
        /// How to print problems: human (with the source line), short (one line each) or json.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Show every problem; without it, human and short show the first 20 of each kind and
        /// count the rest (json always lists every problem).
        #[arg(long)]
        all: bool,
    },
    /// Check the content without writing anything; reports every problem in every file.
    Check {
        /// The site folder (holds carebook.toml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Check drafts as if they were published.
        #[arg(long)]
        drafts: bool,
        /// Treat warnings (overdue reviews, orphans) as errors, e.g. in CI.
        #[arg(long)]
        deny_warnings: bool,
        /// How to print problems: human (with the source line), short (one line each) or json.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Show every problem; without it, human and short show the first 20 of each kind and
        /// count the rest (json always lists every problem).
        #[arg(long)]
        all: bool,
    },
    /// Create a new guide, symptom, cause or page with every field filled in and explained.
    New {
        /// What to create.
        #[arg(value_enum)]
        kind: KindArg,
        /// The id: the file name without `.md`, in lower-case letters, digits and hyphens (milk-stasis).
        id: String,
        /// The title [default: the id with spaces, e.g. "Milk stasis"].
        #[arg(long)]
        title: Option<String>,
        /// The site folder (holds carebook.toml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Print the JSON Schema of the front matter, for editors' tools (yaml-language-server).
    Schema {
        /// Which kind of file [default: any kind].
        #[arg(value_enum)]
        kind: Option<KindArg>,
    },
}

/// When to colour messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Color {
    /// Only when the output is a terminal and NO_COLOR is not set.
    Auto,
    /// Always (even into a file or pipe).
    Always,
    /// Never.
    Never,
}

/// A kind of content file.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum KindArg {
    /// content/guides/<id>.md
    Guide,
    /// content/symptoms/<id>.md
    Symptom,
    /// content/causes/<id>.md
    Cause,
    /// content/pages/<id>.md
    Page,
}

impl From<KindArg> for Kind {
    fn from(k: KindArg) -> Kind {
        match k {
            KindArg::Guide => Kind::Guide,
            KindArg::Symptom => Kind::Symptom,
            KindArg::Cause => Kind::Cause,
            KindArg::Page => Kind::Page,
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

/// How many problems of each code the human and short formats show unless `--all` is given.
pub const SHOWN_PER_CODE: usize = 20;

/// Prints a report: human and short to stderr (with colour as chosen; without `all`, at most
/// [`SHOWN_PER_CODE`] problems of each code), JSON to stdout.
fn print_report(report: &Report, format: Format, color: Color, all: bool) {
    if format == Format::Json {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(report.render(format, false).as_bytes());
        let _ = out.flush();
        return;
    }
    let choice = color_choice(color);
    let text = report.render_limited(format, choice != ColorChoice::Never, (!all).then_some(SHOWN_PER_CODE));
    let mut err = AutoStream::new(std::io::stderr().lock(), choice);
    let _ = err.write_all(text.as_bytes());
    let _ = err.flush();
}

/// `--color` resolved for stderr: `auto` colours only a terminal, and never when `NO_COLOR` is set
/// (to anything but the empty string); `CLICOLOR_FORCE` and `TERM=dumb` are honoured too.
fn color_choice(color: Color) -> ColorChoice {
    match color {
        Color::Always => ColorChoice::Always,
        Color::Never => ColorChoice::Never,
        Color::Auto => match AutoStream::choice(&std::io::stderr()) {
            ColorChoice::Auto => ColorChoice::Never,
            c => c,
        },
    }
}

fn execute(cli: Cli) -> anyhow::Result<ExitStatus> {
    let color = cli.color;
    match cli.command {
        #[cfg(feature = "serve")]
        Command::Serve(args) => crate::serve::run(args).map(|()| ExitStatus::Success),
        Command::Check { root, drafts, deny_warnings, format, all } => {
            let mut opts = Options::new(root);
            opts.drafts = drafts;
            let mut report = crate::check_report(&opts)?;
            if deny_warnings {
                report.deny_warnings();
            }
            print_report(&report, format, color, all);
            if report.has_errors() {
                return Ok(ExitStatus::Failure);
            }
            eprintln!("checked: no errors");
            Ok(ExitStatus::Success)
        }
        Command::Build { root, out, drafts, deny_warnings, format, all } => {
            let mut opts = Options::new(root);
            opts.out = out;
            opts.drafts = drafts;
            if deny_warnings {
                // Warnings must stop the build before anything is written.
                let mut report = crate::check_report(&opts)?;
                report.deny_warnings();
                if report.has_errors() {
                    print_report(&report, format, color, all);
                    eprintln!("error: nothing was written");
                    return Ok(ExitStatus::Failure);
                }
            }
            let outcome = crate::build(&opts)?;
            print_report(&outcome.report, format, color, all);
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
        Command::New { kind, id, title, root } => {
            let kind = Kind::from(kind);
            match crate::scaffold::create(&root, kind, &id, title.as_deref(), crate::today()) {
                Ok(rel) => {
                    eprintln!("created {rel}");
                    match kind {
                        Kind::Guide => eprintln!(
                            "it is a draft with example text: fill it in, run `carebook check`, then set `draft: false`"
                        ),
                        Kind::Symptom | Kind::Cause => eprintln!(
                            "fill it in, then list `{id}` in the `{}:` of a guide (until then `carebook check` warns that no guide uses it)",
                            kind.folder()
                        ),
                        Kind::Page => eprintln!("fill it in, then run `carebook check`"),
                    }
                    Ok(ExitStatus::Success)
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    if let crate::scaffold::NewError::BadId { suggestion, .. } = &e {
                        eprintln!("help: carebook new {} {suggestion}", kind.noun());
                    }
                    Ok(ExitStatus::Error)
                }
            }
        }
        Command::Schema { kind } => {
            let schema = match kind {
                Some(k) => crate::schema_json::schema_for(k.into()),
                None => crate::schema_json::schema_for_any(),
            };
            let mut out = std::io::stdout().lock();
            out.write_all(crate::schema_json::to_json(&schema).as_bytes())?;
            out.flush()?;
            Ok(ExitStatus::Success)
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
