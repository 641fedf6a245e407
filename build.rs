//! Build script: embeds the default theme (themes/default/) in the binary, and gives
//! `carebook --version` the commit it was built from.
//!
//! The theme becomes a generated list of `include_bytes!`, so rustc itself tracks every file's
//! contents; this script reruns only when a file is added, removed or renamed there, or when the
//! commit changes (git's HEAD and the branch it names), never on every edit of the sources.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    println!("cargo:rerun-if-changed=build.rs");
    embed_theme(&manifest, &out);
    let commit = commit(&manifest);
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let long = match commit {
        Some(c) => format!("{version} (commit {c})"),
        None => version,
    };
    println!("cargo:rustc-env=CAREBOOK_VERSION={long}");
}

/// Writes `$OUT_DIR/builtin_theme.rs`: every file of themes/default/, sorted, as
/// `(relative path, include_bytes!(absolute path))`.
fn embed_theme(manifest: &Path, out: &Path) {
    let dir = manifest.join("themes/default");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files = Vec::new();
    walk(&dir, &dir, &mut files);
    files.sort();
    let mut code = String::from("&[\n");
    for rel in &files {
        let abs = dir.join(rel);
        code.push_str(&format!("    ({rel:?}, include_bytes!({:?})),\n", abs.to_string_lossy()));
    }
    code.push_str("]\n");
    std::fs::write(out.join("builtin_theme.rs"), code).expect("write builtin_theme.rs");
}

/// The files under `dir`, relative to `base` with `/` separators; hidden files are left out.
fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read `{}`: {e}", dir.display()));
    for entry in entries {
        let entry = entry.expect("read a theme folder entry");
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            walk(base, &path, out);
        } else {
            let rel = path.strip_prefix(base).expect("inside the theme");
            let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
            out.push(parts.join("/"));
        }
    }
}

/// The short commit hash: from git when this folder is the top of a git work tree, else from the
/// `.cargo_vcs_info.json` that `cargo package` writes; `None` when neither says.
fn commit(manifest: &Path) -> Option<String> {
    from_git(manifest).or_else(|| from_vcs_info(manifest))
}

fn git(manifest: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git").arg("-C").arg(manifest).args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    (out.status.success() && !text.trim().is_empty()).then(|| text.trim().to_string())
}

fn from_git(manifest: &Path) -> Option<String> {
    // Only this repository's own commit: a crate unpacked inside some other work tree is not it.
    let top = PathBuf::from(git(manifest, &["rev-parse", "--show-toplevel"])?);
    if top.canonicalize().ok()? != manifest.canonicalize().ok()? {
        return None;
    }
    let hash = git(manifest, &["rev-parse", "--short=9", "HEAD"])?;
    // Rerun when HEAD moves: HEAD itself (a checkout), the branch it names (a commit), and
    // packed-refs (a branch that git packed). Only existing files: a missing one would make
    // cargo rerun this script on every build.
    let git_dir = absolute(manifest, git(manifest, &["rev-parse", "--git-dir"])?);
    let common = absolute(manifest, git(manifest, &["rev-parse", "--git-common-dir"])?);
    let mut watch = vec![git_dir.join("HEAD"), common.join("packed-refs")];
    if let Some(branch) = git(manifest, &["symbolic-ref", "-q", "HEAD"]) {
        watch.push(common.join(branch));
    }
    for path in watch.iter().filter(|p| p.is_file()) {
        println!("cargo:rerun-if-changed={}", path.display());
    }
    Some(hash)
}

fn absolute(base: &Path, p: String) -> PathBuf {
    let p = PathBuf::from(p);
    if p.is_absolute() { p } else { base.join(p) }
}

/// `"sha1": "<40 hex>"` from `.cargo_vcs_info.json`, shortened like git's.
fn from_vcs_info(manifest: &Path) -> Option<String> {
    let path = manifest.join(".cargo_vcs_info.json");
    let text = std::fs::read_to_string(&path).ok()?;
    println!("cargo:rerun-if-changed={}", path.display());
    let after = &text[text.find("\"sha1\"")? + 6..];
    let start = after.find('"')? + 1;
    let hash: String = after[start..].chars().take_while(char::is_ascii_hexdigit).collect();
    (hash.len() >= 9).then(|| hash[..9].to_string())
}
