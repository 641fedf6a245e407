//! Shared test helpers: the fixed date, running the binary, copying fixture sites, building,
//! reading output trees.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The fixed "today" of every test, as `CAREBOOK_TODAY` takes it, so review dates never make a
/// test age. (The shipped content is checked against the real date by `.ci/run`.)
pub const TODAY: &str = "2026-11-26";

/// [`TODAY`] as a date.
pub fn today() -> jiff::civil::Date {
    TODAY.parse().expect("TODAY is a date")
}

/// The `carebook` binary, with the fixed date and without colour (unless a test asks for it).
pub fn carebook() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_carebook"));
    cmd.env("CAREBOOK_TODAY", TODAY).env("NO_COLOR", "1").env_remove("CLICOLOR_FORCE");
    cmd
}

/// True under CI (`CI` set, and not `0` or `false`), where every tool a test needs is installed.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && !v.eq_ignore_ascii_case("false"))
}

/// Says that the running test was skipped, and why, on a line of its own starting `SKIPPED`: the
/// test then returns and is counted as passed, so this line is all that tells a skip from a pass.
/// Written to stderr past the test harness's capture, so that it shows when the test passes.
pub fn skipped(reason: &str) {
    use std::io::Write;
    let thread = std::thread::current();
    let test = thread.name().filter(|n| *n != "main").unwrap_or("a test");
    let _ = writeln!(std::io::stderr().lock(), "SKIPPED {test}: {reason}");
}

/// What a finished command wrote to stderr.
pub fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
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

/// The fixture sites of `kind` (`valid` or `invalid`, under tests/fixtures/): name and folder,
/// sorted by name.
pub fn fixtures(kind: &str) -> Vec<(String, PathBuf)> {
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(repo().join("tests/fixtures").join(kind))
        .expect("the fixtures folder")
        .map(|e| e.expect("folder entry").path())
        .filter(|p| p.is_dir())
        .map(|p| (p.file_name().expect("a name").to_string_lossy().into_owned(), p))
        .collect();
    out.sort();
    out
}

/// What carebook reports for a temporary copy of the site `root`: `check`, or for a `template-*`
/// fixture (they bring their own broken theme, which only a build loads) a build, which must
/// write nothing.
pub fn report_of(name: &str, root: &Path) -> carebook::Report {
    let dir = temp_site(root);
    let opts = options(dir.path());
    if name.starts_with("template-") {
        let outcome = carebook::run(&opts, carebook::Goal::Build, None).expect("build runs");
        assert!(outcome.written.is_none(), "{name}: a template error must stop the build");
        outcome.report
    } else {
        carebook::run(&opts, carebook::Goal::Check, None).expect("check runs").report
    }
}

/// A report as `carebook check --format short` prints it: the `short` format plus the summary line.
pub fn short_of(report: &carebook::Report) -> String {
    let mut text = report.render_short();
    if let Some(s) = report.summary() {
        text.push_str(&s);
        text.push('\n');
    }
    text
}

/// Options for a site folder, with the fixed date.
/// The report and, with no errors, the site model of the site `opts` names (`Goal::Preview`).
pub fn preview(opts: &carebook::Options) -> anyhow::Result<(carebook::Report, Option<carebook::model::Site>)> {
    let outcome = carebook::run(opts, carebook::Goal::Preview, None)?;
    Ok((outcome.report, outcome.site.map(|(site, _)| site)))
}

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
    let outcome = carebook::run(&opts, carebook::Goal::Build, None).expect("build runs");
    assert!(outcome.written.is_some(), "build failed:\n{}", outcome.report.render_short());
    opts.out_dir()
}

/// What an editor sees for a fixture site: `carebook check --format short` (the problem matcher's
/// lines and the summary), then `carebook check` (the human format, no colour). It is the fixture's
/// golden text, the insta snapshot [`assert_fixture_snapshot`] keeps beside it.
pub fn editor_view(report: &carebook::Report) -> String {
    let human = report.render(carebook::report::Format::Human, false);
    format!("{SHORT_HEAD}\n{}\n{HUMAN_HEAD}\n{human}", short_of(report))
}

/// The line before the short format in an [`editor_view`].
pub const SHORT_HEAD: &str = "$ carebook check --format short";
/// The line before the human format in an [`editor_view`].
pub const HUMAN_HEAD: &str = "$ carebook check";

/// The name of a fixture's snapshot file, beside its `carebook.toml`.
pub const FIXTURE_SNAPSHOT: &str = "diagnostics.snap";

/// Asserts that `text` is the snapshot stored in the fixture folder `case` (`<case>/diagnostics.snap`).
/// A missing or different snapshot fails (under `CI=true` nothing is written; elsewhere insta
/// writes `diagnostics.snap.new` beside it for `cargo insta review`). Returns whether it matched,
/// so a loop over every fixture can report them all and write every `.snap.new` in one run.
pub fn assert_fixture_snapshot(case: &Path, text: &str) -> bool {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(case);
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_description("what `carebook check` reports for this fixture site, in both formats");
    let name = FIXTURE_SNAPSHOT.trim_end_matches(".snap");
    let check = std::panic::AssertUnwindSafe(|| settings.bind(|| insta::assert_snapshot!(name, text)));
    std::panic::catch_unwind(check).is_ok()
}

/// The stored snapshot of a fixture folder, without insta's header (empty when there is none).
pub fn fixture_snapshot(case: &Path) -> String {
    let text = std::fs::read_to_string(case.join(FIXTURE_SNAPSHOT)).unwrap_or_default();
    text.splitn(3, "---\n").nth(2).unwrap_or_default().to_string()
}

/// The two parts of a stored fixture snapshot: the short format and the human format.
pub fn snapshot_parts(snapshot: &str) -> Option<(&str, &str)> {
    let rest = snapshot.strip_prefix(SHORT_HEAD)?.strip_prefix('\n')?;
    rest.split_once(&format!("\n{HUMAN_HEAD}\n"))
}

/// Builds `root` into `out` with the binary, on `threads` threads (`RAYON_NUM_THREADS`).
pub fn build_with_threads(root: &Path, out: &Path, threads: &str) {
    let status = carebook()
        .args(["build", "--root", &root.to_string_lossy(), "--out", &out.to_string_lossy()])
        .env("RAYON_NUM_THREADS", threads)
        .output()
        .expect("run carebook");
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
}

/// Whether the program `name` can be run; when it cannot, says the test part is skipped
/// ([`skipped`]), except under CI, where every tool must be installed (`.ci/run` installs them)
/// and it fails.
pub fn have_tool(name: &str, why: &str) -> bool {
    let found = std::process::Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(!in_ci(), "`{name}` is missing in CI ({why}); .ci/run installs it");
        skipped(&format!("{why}: `{name}` is not installed"));
    }
    found
}

/// One entry of a [`snapshot`].
#[derive(Debug, PartialEq, Eq)]
pub enum Entry {
    Folder,
    File(Vec<u8>),
    Link(PathBuf),
}

/// Every entry under `dir` (not following links): folders, files with their bytes, links with
/// their targets.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Entry> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.expect("walk");
        let rel = e.path().strip_prefix(dir).expect("inside").to_string_lossy().into_owned();
        let entry = if e.path_is_symlink() {
            Entry::Link(std::fs::read_link(e.path()).expect("read link"))
        } else if e.file_type().is_dir() {
            Entry::Folder
        } else {
            Entry::File(std::fs::read(e.path()).expect("read"))
        };
        out.insert(rel, entry);
    }
    out
}
