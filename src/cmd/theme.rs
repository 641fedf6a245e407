//! `carebook theme diff|copy`: what a site's theme folder changes against the built-in theme,
//! and copying built-in files out to change them.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::ExitStatus;
use crate::theme::{self, Change, Copied};

/// Arguments of `carebook theme`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Subcommand, Debug)]
enum Action {
    /// Show what the site's theme folder changes against the built-in theme: each changed file
    /// as a diff, files the built-in theme does not have, and files that are the same.
    Diff {
        /// The site folder (holds carebook.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Only list the files, without the diffs.
        #[arg(long)]
        brief: bool,
    },
    /// Copy files of the built-in theme into the site's theme folder to change them (all of them
    /// when none is named); never overwrites a file.
    Copy {
        /// Files to copy, by path (templates/guide.html) or name (guide.html) [default: all].
        files: Vec<String>,
        /// The site folder (holds carebook.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

/// Runs `theme diff` or `theme copy`.
pub(crate) fn execute(args: Args) -> anyhow::Result<ExitStatus> {
    match args.action {
        Action::Diff { root, brief } => diff(&root, brief),
        Action::Copy { files, root } => copy(&root, &files),
    }
}

/// The theme the site at `root` names in carebook.toml (the built-in one's name when it names none).
fn theme_name(root: &Path) -> anyhow::Result<String> {
    let (config, _, _) = crate::config::load(root)?;
    Ok(config.theme)
}

fn diff(root: &Path, brief: bool) -> anyhow::Result<ExitStatus> {
    let name = theme_name(root)?;
    let changes = theme::diff(root, &name)?;
    let mut out = std::io::stdout().lock();
    let folder = format!("themes/{name}/");
    if changes.is_empty() {
        writeln!(out, "the site has no theme files in {folder}: it uses the built-in theme as it is")?;
        return Ok(ExitStatus::Success);
    }
    let (mut changed, mut added, mut same) = (0, 0, 0);
    for (rel, change) in &changes {
        let path = format!("{folder}{rel}");
        match change {
            Change::Changed(text) => {
                changed += 1;
                writeln!(out, "changed: {path}")?;
                match text {
                    Some(d) if !brief => out.write_all(d.as_bytes())?,
                    None if !brief => writeln!(out, "  (not text; it differs from the built-in file)")?,
                    _ => {}
                }
            }
            Change::Added => {
                added += 1;
                writeln!(out, "added:   {path} (the built-in theme has no such file)")?;
            }
            Change::Same => {
                same += 1;
                writeln!(out, "same:    {path} (delete it to follow carebook's updates of this file)")?;
            }
        }
    }
    let overridden = changes.iter().filter(|(_, c)| *c != Change::Added).count();
    let builtin = theme::builtin().iter().filter(|(rel, _)| theme::is_theme_file(rel)).count();
    writeln!(
        out,
        "{changed} changed, {added} added, {same} same as the built-in theme; {} of its {builtin} files used as they are",
        builtin - overridden
    )?;
    out.flush()?;
    Ok(ExitStatus::Success)
}

fn copy(root: &Path, files: &[String]) -> anyhow::Result<ExitStatus> {
    let name = theme_name(root)?;
    match theme::copy(root, &name, files) {
        Ok(done) => {
            for c in &done {
                match c {
                    Copied::Written(p) => eprintln!("wrote {p}"),
                    Copied::Kept(p) => eprintln!("kept  {p} (already there; not overwritten)"),
                }
            }
            eprintln!(
                "change them there: each replaces the built-in file of the same path. \
                 `carebook theme diff` shows what differs"
            );
            Ok(ExitStatus::Success)
        }
        Err(e) => {
            eprintln!("error: {e}");
            Ok(ExitStatus::Error)
        }
    }
}
