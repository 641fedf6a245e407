//! `carebook completions bash|zsh|fish|powershell|elvish`: a shell completion script, generated
//! from the command-line definition.

use clap::CommandFactory;
use std::io::Write;

use super::{Cli, ExitStatus};

/// Arguments of `carebook completions`.
#[derive(clap::Args, Debug)]
#[command(after_help = "Install, for example:\n  \
    bash:       carebook completions bash > ~/.local/share/bash-completion/completions/carebook\n  \
    zsh:        carebook completions zsh > ~/.zfunc/_carebook   (with `fpath+=~/.zfunc` before `compinit` in ~/.zshrc)\n  \
    fish:       carebook completions fish > ~/.config/fish/completions/carebook.fish\n  \
    PowerShell: carebook completions powershell >> $PROFILE")]
pub(crate) struct Args {
    /// The shell to complete in.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

/// Prints the script to stdout.
pub(crate) fn execute(args: Args) -> anyhow::Result<ExitStatus> {
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "carebook", &mut out);
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(&out)?;
    stdout.flush()?;
    Ok(ExitStatus::Success)
}
