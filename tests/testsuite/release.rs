//! What an installed carebook says about itself: `--version` names the version and, when built
//! from a git checkout, the commit. (That the binary alone makes and builds a site is shown in
//! `init`: every test there runs a copy of it in a folder with nothing else.)

use crate::support::repo;
use std::process::Command;

#[test]
fn version_names_the_version_and_the_commit() {
    let out = crate::support::carebook().arg("--version").output().expect("run carebook");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let version = format!("carebook {}", env!("CARGO_PKG_VERSION"));
    assert!(text.starts_with(&version), "{text}");
    let git = |args: &[&str]| {
        let out = Command::new("git").args(args).current_dir(repo()).output().ok()?;
        out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
    };
    let top = git(&["rev-parse", "--show-toplevel"]).and_then(|t| std::fs::canonicalize(t).ok());
    if top.is_some() && top == std::fs::canonicalize(repo()).ok() {
        let hash = git(&["rev-parse", "--short=9", "HEAD"]).expect("HEAD");
        assert_eq!(text, format!("{version} (commit {hash})"));
    } else {
        // Built from a source archive: the commit `cargo package` recorded, if any.
        assert!(text == version || text.starts_with(&format!("{version} (commit ")), "{text}");
    }
}
