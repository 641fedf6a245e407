//! `carebook man`: the manual page, carebook(1), generated from the command-line definition: the
//! global options, then every command with its synopsis and options, exit status and environment.

use clap::CommandFactory;
use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, roman};
use std::io::Write;

use super::{Cli, ExitStatus};

/// Arguments of `carebook man`.
#[derive(clap::Args, Debug)]
#[command(after_help = "Read it with `carebook man | man -l -`, or install it:\n  \
    carebook man > ~/.local/share/man/man1/carebook.1")]
pub(crate) struct Args {}

/// Prints the page (roff) to stdout.
pub(crate) fn execute(_args: Args) -> anyhow::Result<ExitStatus> {
    let page = page()?;
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(&page)?;
    stdout.flush()?;
    Ok(ExitStatus::Success)
}

/// The whole page, as roff.
pub(crate) fn page() -> std::io::Result<Vec<u8>> {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    // Gives every subcommand its full name (`carebook theme diff`) for the synopses.
    cmd.build();
    let mut out = Vec::new();
    let man = Man::new(cmd.clone());
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    // Every command in this one page (clap_mangen's own list points to a page per command).
    Roff::new().control("SH", ["COMMANDS"]).to_writer(&mut out)?;
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        command(sub, &mut out)?;
    }
    let mut roff = Roff::new();
    roff.control("SH", ["EXIT STATUS"]);
    for (code, what) in [
        ("0", "Success (warnings allowed)."),
        ("1", "The content has errors (or warnings, with --deny-warnings); nothing was written."),
        ("2", "Usage or I/O errors: bad arguments, no carebook.toml, an output folder that cannot be replaced."),
    ] {
        roff.control("TP", []).text([bold(code)]).text([roman(what)]);
    }
    roff.control("SH", ["ENVIRONMENT"]);
    for (name, what) in [
        ("NO_COLOR", "When set (to anything but the empty string), messages are not coloured unless --color always."),
        ("CAREBOOK_TODAY", "A date (YYYY-MM-DD) used instead of today's for review dates, for reproducible runs."),
        ("CAREBOOK_TIMINGS", "When set to 1, build and check print each stage's time and memory to stderr."),
    ] {
        roff.control("TP", []).text([bold(name)]).text([roman(what)]);
    }
    roff.control("SH", ["FILES"]);
    for (name, what) in [
        ("carebook.toml", "The site's settings (`carebook schema config` describes every key)."),
        ("content/", "The guides, symptoms, causes and pages: Markdown with YAML front matter."),
        ("static/", "Files copied as they are into the output (CNAME, robots.txt, _headers)."),
        (
            "themes/<name>/",
            "The site's own templates and static files, each replacing the built-in one of the same path.",
        ),
        ("public/", "The built site, replaced as a whole by each good build."),
    ] {
        roff.control("TP", []).text([bold(name)]).text([roman(what)]);
    }
    roff.to_writer(&mut out)?;
    man.render_version_section(&mut out)?;
    Ok(out)
}

/// One command's subsection: synopsis, what it does, its options; then its own subcommands.
fn command(cmd: &clap::Command, out: &mut Vec<u8>) -> std::io::Result<()> {
    let name = cmd.get_bin_name().unwrap_or_else(|| cmd.get_name()).to_string();
    Roff::new().control("SS", [name.as_str()]).to_writer(out)?;
    // Global options (--color) are described once, at the top.
    let globals: Vec<String> =
        cmd.get_arguments().filter(|a| a.is_global_set()).map(|a| a.get_id().to_string()).collect();
    let cmd = globals.iter().fold(cmd.clone(), |c, id| c.mut_arg(id, |a| a.hide(true)));
    let man = Man::new(cmd.clone());
    let mut part = Vec::new();
    man.render_synopsis_section(&mut part)?;
    man.render_description_section(&mut part)?;
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut part)?;
    }
    if cmd.get_after_help().is_some() {
        man.render_extra_section(&mut part)?;
    }
    // The sections of a page become paragraphs of this subsection.
    let text = String::from_utf8_lossy(&part);
    for line in text.lines() {
        if line.starts_with(".SH ") {
            out.extend_from_slice(b".PP\n");
        } else {
            out.extend_from_slice(line.as_bytes());
            out.push(b'\n');
        }
    }
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        command(sub, out)?;
    }
    Ok(())
}
