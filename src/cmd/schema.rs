//! `carebook schema [guide|symptom|cause|page|config]`: prints a JSON Schema for editors' tools.

use std::io::Write;

use super::ExitStatus;
use crate::schema::{Kind, json};

/// Arguments of `carebook schema`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// Which file [default: the front matter of any kind].
    #[arg(value_enum)]
    of: Option<Of>,
}

/// What a schema describes.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum Of {
    /// The front matter of content/guides/<id>.md
    Guide,
    /// The front matter of content/symptoms/<id>.md
    Symptom,
    /// The front matter of content/causes/<id>.md
    Cause,
    /// The front matter of content/pages/<id>.md
    Page,
    /// carebook.toml (JSON Schema draft 4, which Taplo and Even Better TOML read)
    Config,
}

/// Prints the schema to stdout.
pub(crate) fn execute(args: Args) -> anyhow::Result<ExitStatus> {
    let schema = match args.of {
        None => json::schema_for_any(),
        Some(Of::Guide) => json::schema_for(Kind::Guide),
        Some(Of::Symptom) => json::schema_for(Kind::Symptom),
        Some(Of::Cause) => json::schema_for(Kind::Cause),
        Some(Of::Page) => json::schema_for(Kind::Page),
        Some(Of::Config) => crate::config::keys::json_schema(),
    };
    let mut out = std::io::stdout().lock();
    out.write_all(json::to_json(&schema).as_bytes())?;
    out.flush()?;
    Ok(ExitStatus::Success)
}
