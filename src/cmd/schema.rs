//! `carebook schema [guide|symptom|cause|page]`: prints a JSON Schema for editors' tools.

use std::io::Write;

use super::ExitStatus;
use super::new::KindArg;
use crate::schema::json;

/// Arguments of `carebook schema`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Which kind of file [default: any kind].
    #[arg(value_enum)]
    kind: Option<KindArg>,
}

/// Prints the schema to stdout.
pub fn execute(args: Args) -> anyhow::Result<ExitStatus> {
    let schema = match args.kind {
        Some(k) => json::schema_for(k.into()),
        None => json::schema_for_any(),
    };
    let mut out = std::io::stdout().lock();
    out.write_all(json::to_json(&schema).as_bytes())?;
    out.flush()?;
    Ok(ExitStatus::Success)
}
