//! `carebook serve`: live preview with reload; never touches the output folder.

use super::ExitStatus;

/// Arguments of `carebook serve` (defined with the server, which owns their meaning).
pub(crate) type Args = crate::serve::ServeArgs;

/// Serves until Ctrl-C.
pub(crate) fn execute(args: Args) -> anyhow::Result<ExitStatus> {
    crate::serve::run(args).map(|()| ExitStatus::Success)
}
