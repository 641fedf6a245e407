//! Shared test helpers: copying fixture sites, building, reading output trees.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixed "today" so review dates do not make tests age.
pub fn today() -> jiff::civil::Date {
    jiff::civil::date(2026, 11, 26)
}

/// Copies a folder (symbolic links are copied as links).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create target folder");
    for entry in std::fs::read_dir(from).expect("read fixture folder") {
        let entry = entry.expect("dir entry");
        let ft = entry.file_type().expect("file type");
        let dest = to.join(entry.file_name());
        if ft.is_symlink() {
            let target = std::fs::read_link(entry.path()).expect("read link");
            std::os::unix::fs::symlink(target, &dest).expect("copy link");
        } else if ft.is_dir() {
            copy_tree(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy file");
        }
    }
}

/// A temporary copy of a site folder, with the repository's default theme added if it has none.
pub fn temp_site(src: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_tree(src, dir.path());
    if !dir.path().join("themes").exists() {
        copy_tree(&repo().join("themes"), &dir.path().join("themes"));
    }
    dir
}

/// A temporary copy of the shipped site (carebook.toml, content/, themes/).
pub fn shipped() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(repo().join("carebook.toml"), dir.path().join("carebook.toml")).expect("copy config");
    copy_tree(&repo().join("content"), &dir.path().join("content"));
    copy_tree(&repo().join("themes"), &dir.path().join("themes"));
    dir
}

/// Options for a site folder, with the fixed date.
pub fn options(root: &Path) -> carebook::Options {
    let mut o = carebook::Options::new(root);
    o.today = today();
    o
}

/// Every regular file under `dir`, relative path → bytes.
pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.expect("walk output");
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(dir).expect("inside").to_string_lossy().replace('\\', "/");
            out.insert(rel, std::fs::read(e.path()).expect("read output file"));
        }
    }
    out
}

/// Builds `root` into `root/public`, panicking with the diagnostics on failure.
pub fn build_ok(root: &Path) -> PathBuf {
    let opts = options(root);
    let outcome = carebook::build(&opts).expect("build runs");
    assert!(outcome.written.is_some(), "build failed:\n{}", outcome.report.render_short());
    opts.out_dir()
}

/// Compares `got` with the case's `expected.txt` (or rewrites it when `UPDATE_EXPECT` is set),
/// adding a readable difference to `failures`.
pub fn compare_expected(case: &Path, name: &str, got: &str, failures: &mut Vec<String>) {
    let expected_path = case.join("expected.txt");
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&expected_path, got).expect("write expected");
        return;
    }
    let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
    if got != expected {
        failures.push(format!("== {name}\n-- expected:\n{expected}-- got:\n{got}"));
    }
}

/// Builds `root` into `out` with the binary, on `threads` threads (`RAYON_NUM_THREADS`).
pub fn build_with_threads(root: &Path, out: &Path, threads: &str) {
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_carebook"))
        .args(["build", "--root", &root.to_string_lossy(), "--out", &out.to_string_lossy()])
        .env("RAYON_NUM_THREADS", threads)
        .env("CAREBOOK_TODAY", "2026-11-26")
        .output()
        .expect("run carebook");
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
}

/// Whether the program `name` can be run; when it cannot, says the test part is skipped, except
/// under CI (`CI` set), where every tool must be installed (`.ci/run` installs them) and it fails.
pub fn have_tool(name: &str, why: &str) -> bool {
    let found = std::process::Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && !v.eq_ignore_ascii_case("false"));
        assert!(!ci, "`{name}` is missing in CI ({why}); .ci/run installs it");
        println!("skipped: {why}: `{name}` is not installed");
    }
    found
}
