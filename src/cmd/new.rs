//! `carebook new guide|symptom|cause|page <id>`: writes a new content file that passes `check`.

use std::path::PathBuf;

use super::ExitStatus;
use crate::scaffold::{self, NewError};
use crate::schema::Kind;

/// Arguments of `carebook new`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
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
    /// Start a translation into this language of the site (`--lang ru`): a copy of the source
    /// file with this id, in content/<lang>/, to translate in place.
    #[arg(long, value_name = "CODE")]
    lang: Option<String>,
}

/// A kind of content file.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub(crate) enum KindArg {
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

/// Writes the file and says what to do next; a refused id or title is a usage error.
pub(crate) fn execute(args: Args) -> anyhow::Result<ExitStatus> {
    let kind = Kind::from(args.kind);
    if let Some(lang) = &args.lang {
        return match crate::lang::translate::start(&args.root, lang, kind, &args.id) {
            Ok(rel) => {
                eprintln!("created {rel}");
                eprintln!(
                    "translate it in place (ids and links stay as they are), then run `carebook translate mark {rel}`"
                );
                Ok(ExitStatus::Success)
            }
            Err(e) => {
                eprintln!("error: {e:#}");
                Ok(ExitStatus::Error)
            }
        };
    }
    match scaffold::create(&args.root, kind, &args.id, args.title.as_deref(), crate::today()) {
        Ok(rel) => {
            eprintln!("created {rel}");
            eprintln!("{}", next_step(kind, &args.id));
            Ok(ExitStatus::Success)
        }
        Err(e) => {
            eprintln!("error: {e}");
            if let NewError::BadId { suggestion, .. } = &e {
                eprintln!("help: carebook new {} {suggestion}", kind.noun());
            }
            Ok(ExitStatus::Error)
        }
    }
}

/// What an editor does with a new file of `kind`.
fn next_step(kind: Kind, id: &str) -> String {
    match kind {
        Kind::Guide => {
            "it is a draft with example text: fill it in, run `carebook check`, then set `draft: false`".into()
        }
        Kind::Symptom | Kind::Cause => format!(
            "fill it in, then list `{id}` in the `{}:` of a guide (until then `carebook check` warns that no guide uses it)",
            kind.folder()
        ),
        Kind::Page => "fill it in, then run `carebook check`".into(),
        Kind::Shared => {
            format!("keep one step or one warning sign, then write `- shared: {id}` in the guides that use it")
        }
    }
}
