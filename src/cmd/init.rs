//! `carebook init [DIR]`: a new site with every setting explained and one example of each kind of
//! file, ready to check, preview and build.

use std::path::PathBuf;

use super::ExitStatus;
use crate::init::{self, InitOptions};
use crate::theme::Copied;

/// Arguments of `carebook init`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// The folder to make the site in; created if missing.
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Write into a folder that is not empty: only the missing files are written, none is overwritten.
    #[arg(long)]
    force: bool,
    /// Also copy the built-in theme into themes/default/ to change it (templates and styles).
    #[arg(long)]
    theme: bool,
    /// Also start the site in this language (`ru`): its `[languages.<code>]` table in
    /// carebook.toml and the example page translated in content/<code>/. Repeat for more.
    #[arg(long = "lang", value_name = "CODE")]
    languages: Vec<String>,
}

/// Writes the site and says what to do next; a folder that is not empty is a usage error.
pub(crate) fn execute(args: Args) -> anyhow::Result<ExitStatus> {
    let opts = InitOptions { force: args.force, theme: args.theme, languages: args.languages.clone() };
    let done = match init::init(&args.dir, crate::today(), &opts) {
        Ok(done) => done,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(ExitStatus::Error);
        }
    };
    let dir = args.dir.display().to_string();
    let written = done.iter().filter(|c| matches!(c, Copied::Written(_))).count();
    eprintln!("created a carebook site in {dir}/ ({written} files)");
    for c in &done {
        match c {
            Copied::Written(p) if p.starts_with("themes/") => {}
            Copied::Written(p) => eprintln!("  wrote {p}"),
            Copied::Kept(p) => eprintln!("  kept  {p} (already there; not overwritten)"),
        }
    }
    if args.theme {
        eprintln!("  wrote themes/default/: the built-in theme, to change (`carebook theme diff` shows your changes)");
    }
    for code in &opts.languages {
        eprintln!(
            "\ncontent/{code}/ holds the example page in that language ([languages.{code}] in carebook.toml); \
             `carebook new guide <id> --lang {code}` starts the translation of a guide, and \
             `carebook translate status` lists what is translated."
        );
    }
    let cd = if args.dir.as_os_str() == "." { String::new() } else { format!("  cd {dir}\n") };
    eprintln!(
        "\nThe guide, symptom, cause and page in content/ are examples (`example: true`): they are not \
         published until you make them yours and delete that line. README.md says more.\n\nnext:\n{cd}  \
         carebook serve --drafts   preview with the examples at http://127.0.0.1:1111/\n  \
         carebook check            every mistake, with a fix\n  \
         carebook build            the site, into public/"
    );
    Ok(ExitStatus::Success)
}
