//! `carebook translate mark <file>` and `carebook translate status`.

use std::path::PathBuf;

use super::ExitStatus;

/// Arguments of `carebook translate`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    #[command(subcommand)]
    action: Action,
    /// The site folder (holds carebook.toml and content/).
    #[arg(long, default_value = ".", global = true)]
    root: PathBuf,
}

#[derive(clap::Subcommand, Debug)]
enum Action {
    /// Record in a translation (content/<language>/…/<id>.md) that it translates its source as
    /// the source is now; `check` then warns when the source changes, naming the fields.
    Mark {
        /// The translation's file (content/ru/guides/mastitis.md or ru/guides/mastitis.md).
        #[arg(required = true)]
        files: Vec<String>,
    },
    /// List every translation: up to date, which fields of its source changed, not marked, or
    /// without a source; and what each language does not translate yet.
    Status,
}

/// Runs the action; a file that is not a translation is a usage error.
pub(crate) fn execute(args: Args) -> anyhow::Result<ExitStatus> {
    match args.action {
        Action::Mark { files } => {
            for f in &files {
                match crate::lang::translate::mark(&args.root, f, crate::today()) {
                    Ok(done) => eprintln!("{done}"),
                    Err(e) => {
                        eprintln!("error: {e:#}");
                        return Ok(ExitStatus::Error);
                    }
                }
            }
            Ok(ExitStatus::Success)
        }
        Action::Status => {
            print!("{}", crate::lang::translate::status(&args.root, crate::today())?);
            Ok(ExitStatus::Success)
        }
    }
}
