//! The diagnostics contract (docs/diagnostics.md): the human format of the codes no fixture can
//! show, of every kind of YAML mistake, the JSON format of a site with many mistakes, and the
//! command line's formats, colours and exit statuses. (Each invalid fixture's own snapshot, in
//! both formats, is beside it: tests/testsuite/fixtures.rs.)
//!
//! Snapshots live in tests/testsuite/snapshots/diagnostics/. After an intended change, run the
//! tests and accept the new snapshots with `cargo insta review` (or `INSTA_UPDATE=always`),
//! reading the diff.

use crate::support::{copy_tree, fixture_snapshot, fixtures, repo, report_of, snapshot_parts, stderr, today};
use carebook::report::Format;
use carebook::{Code, Report};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

fn fixture(path: &str) -> PathBuf {
    repo().join("tests/fixtures").join(path)
}

/// A site with a content file over the 4 MiB limit (too big to keep as a fixture).
fn too_large_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    copy_tree(&fixture("valid/minimal"), dir.path());
    let big = std::fs::File::create(dir.path().join("content/pages/huge.md")).expect("create file");
    big.set_len(5 * 1024 * 1024).expect("sparse file");
    dir
}

/// Linked files whose names differ only in case: made at run time, since such names cannot be
/// checked out on macOS and Windows.
fn name_clash_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    copy_tree(&fixture("valid/minimal"), dir.path());
    let pages = dir.path().join("content/pages");
    std::fs::write(pages.join("Leaflet.pdf"), "a").expect("write");
    std::fs::write(pages.join("leaflet.pdf"), "b").expect("write");
    std::fs::write(
        pages.join("about.md"),
        "---\ntitle: About this site\n---\n[One](Leaflet.pdf), [two](leaflet.pdf).\n",
    )
    .expect("write");
    dir
}

fn snapshot_settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("snapshots/diagnostics");
    s.set_prepend_module_to_snapshot(false);
    s
}

/// The human format (no colour) of the two codes no committed fixture can show: a file over
/// 4 MiB, and linked names that differ only in case (every other code has its fixture, whose
/// snapshot shows it: `fixtures::every_code_has_an_invalid_fixture`).
#[test]
fn human_format_of_the_generated_codes() {
    let settings = snapshot_settings();
    let big = too_large_site();
    let clash = name_clash_site();
    let cases =
        [("generated-too-large", big.path(), Code::TooLarge), ("generated-name-clash", clash.path(), Code::NameClash)];
    for (name, root, code) in cases {
        let report = report_of(name, root);
        assert!(report.diagnostics().iter().any(|d| d.code == code), "{name}: no `{code}`");
        let human = report.render(Format::Human, false);
        assert!(!human.contains('\u{1b}'), "{name}: colour without asking");
        settings.bind(|| insta::assert_snapshot!(name, human));
    }
}

/// The short format names the same problems, in the same order, as the human format shows, on
/// every fixture (both are in its snapshot; this keeps them from drifting apart when one is
/// accepted without reading the other).
#[test]
fn human_and_short_formats_agree() {
    for (name, root) in fixtures("invalid") {
        let report = report_of(&name, &root);
        let human = report.render(Format::Human, false);
        let short = report.render(Format::Short, false);
        let headers: Vec<&str> =
            human.lines().filter(|l| l.starts_with("error[") || l.starts_with("warning[")).collect();
        let short_lines: Vec<&str> = short.lines().filter(|l| l.contains("error[") || l.contains("warning[")).collect();
        assert_eq!(headers.len(), short_lines.len(), "{name}");
        for (h, s) in headers.iter().zip(&short_lines) {
            assert!(s.ends_with(h), "{name}: `{s}` vs `{h}`");
        }
        let summary = report.summary().expect("a summary line");
        assert!(human.ends_with(&format!("\n{summary}\n")), "{name}: the human format ends with the summary");
        assert!(short.ends_with(&format!("{summary}\n")), "{name}");
    }
}

/// The JSON format of a site with many mistakes in several files: every problem, sorted by file
/// and position, with 1-based positions.
#[test]
fn json_format_of_many_mistakes() {
    let root = fixture("invalid/many-mistakes");
    let report = report_of("many-mistakes", &root);
    let json = report.render(Format::Json, true);
    assert!(!json.contains('\u{1b}'), "JSON never has colour");
    let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    let items = value.as_array().expect("one array");
    assert_eq!(items.len(), report.diagnostics().len());
    let files: BTreeSet<&str> = items.iter().filter_map(|d| d["file"].as_str()).collect();
    assert!(files.len() >= 3, "mistakes in several files: {files:?}");
    let keys: Vec<(String, u64, u64)> = items
        .iter()
        .map(|d| {
            let field = |k: &str| d[k].as_u64().expect("a 1-based number");
            (d["file"].as_str().unwrap_or_default().to_string(), field("line"), field("column"))
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "sorted by file, line and column");
    for d in items {
        let obj = d.as_object().expect("an object");
        let names: BTreeSet<&str> = obj.keys().map(String::as_str).collect();
        let want: BTreeSet<&str> =
            ["severity", "code", "file", "line", "column", "end_line", "end_column", "message", "help"].into();
        assert_eq!(names, want);
        assert!(d["line"].as_u64() >= Some(1) && d["column"].as_u64() >= Some(1));
        let start = (d["line"].as_u64(), d["column"].as_u64());
        let end = (d["end_line"].as_u64(), d["end_column"].as_u64());
        assert!(end >= start, "{d}");
    }
    snapshot_settings().bind(|| insta::assert_snapshot!("many-mistakes.json", json));
}

/// Every kind of YAML syntax mistake, in a guide's front matter: the message says what is wrong
/// in plain words (no parser jargon), with a help line that says how to fix it; indentation
/// mistakes name the column and the lines to line up with. One snapshot each.
#[test]
fn yaml_errors_in_editors_words() {
    let rest = "reviewed: 2026-11-01\nreview_due: 2027-11-01\nsee_a_doctor:\n  - sign: High fever\n    urgency: urgent\nsources:\n  - title: NHS\n    url: https://www.nhs.uk/\n";
    let cases: &[(&str, &str)] = &[
        ("tab", "title: Mastitis\nsummary: Sore.\nsteps:\n  - title: Rest\n\t  text: Lie down.\n"),
        (
            "indentation-list-item",
            "title: Mastitis\nsummary: Sore.\nmistakes:\n  - mistake: Stopping\n    instead: Keep feeding\n   - mistake: Kneading\n    instead: Stroke lightly\n",
        ),
        (
            "indentation-field-too-far",
            "title: Mastitis\nsummary: Sore.\nsteps:\n  - title: Rest\n      text: Lie down.\n",
        ),
        (
            "indentation-field-not-far-enough",
            "title: Mastitis\nsummary: Sore.\nsteps:\n  - title: Rest\n   text: Lie down.\n",
        ),
        ("indentation-top-level-field", "title: Mastitis\n  summary: Sore.\n"),
        ("indentation-first-line", "  title: Mastitis\nsummary: Sore.\n"),
        ("unclosed-quote", "title: \"Mastitis\nsummary: Sore.\n"),
        ("text-after-quote", "title: \"Mastitis\" in short\nsummary: Sore.\n"),
        ("unquoted-colon", "title: Mastitis\nsummary: Fever: what to do\n"),
        ("no-space-after-colon", "title:Mastitis\nsummary: Sore.\n"),
        ("duplicate-key", "title: Mastitis\nsummary: Sore.\ntitle: Breast infection\n"),
        ("alias", "title: Mastitis\nsummary: *Very* sore.\n"),
        ("anchor", "title: Mastitis\nsummary: & more\n"),
        ("list-where-a-field-is-expected", "title: Mastitis\n- Sore.\nsummary: Sore.\n"),
        ("text-starting-with-a-bracket", "title: [Draft] Mastitis\nsummary: Sore.\n"),
        ("unclosed-list", "title: Mastitis\nsummary: Sore.\nsymptoms: [fever, breast-pain\n"),
        ("line-without-a-field", "title: Mastitis\nsummary: Sore.\nand more text\n"),
        ("block-text-not-indented", "title: Mastitis\nsummary: |\nSore.\n"),
        ("unknown-escape", "title: \"C:\\quick\"\nsummary: Sore.\n"),
        ("special-first-character", "title: @home care\nsummary: Sore.\n"),
    ];
    let mut laughs = String::from("title: Mastitis\nsummary: Sore.\na: &a [x, x, x, x, x, x, x, x, x]\n");
    for (prev, cur) in ('a'..='i').zip('b'..='j') {
        laughs.push_str(&format!(
            "{cur}: &{cur} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
        ));
    }
    let cases: Vec<(&str, &str)> =
        cases.iter().copied().chain([("anchors-expand-too-much", laughs.as_str())]).collect();
    let jargon = ["scalar", "mapping", "indicator", "block collection", "while parsing", "while scanning", "context"];
    let settings = snapshot_settings();
    for (name, matter) in &cases {
        let text = format!("---\n{matter}{rest}---\nBody.\n");
        let file =
            carebook::source::SourceFile { path: "content/guides/mastitis.md".into(), text: text.as_str().into() };
        let opts = carebook::parse::Options {
            md: Default::default(),
            today: today(),
            release_texts: false,
            policy: Default::default(),
        };
        let mut diags = Vec::new();
        carebook::parse::parse(vec![file.clone()], opts, &mut diags);
        let yaml: Vec<_> = diags.iter().filter(|d| d.code == Code::Yaml).collect();
        assert_eq!(yaml.len(), 1, "{name}: {diags:#?}");
        assert!(yaml[0].help.as_ref().is_some_and(|h| !h.is_empty()), "{name}: no help line");
        for word in jargon {
            assert!(!yaml[0].message.contains(word), "{name}: `{word}` in {:?}", yaml[0].message);
        }
        let mut report = Report::new(diags);
        report.add_sources([&file]);
        let human = report.render(Format::Human, false);
        settings.bind(|| insta::assert_snapshot!(format!("yaml-kind-{name}"), human));
    }
}

/// The binary as an editor's terminal would run it: `NO_COLOR` not set.
fn carebook() -> Command {
    let mut c = crate::support::carebook();
    c.env_remove("NO_COLOR");
    c
}

#[test]
fn check_prints_the_human_format_by_default_without_colour_into_a_pipe() {
    let root = fixture("invalid/unknown-field-typo");
    let out = carebook().arg("check").arg("--root").arg(&root).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.starts_with("error[unknown-field]: unknown field `symtoms`"), "{err}");
    assert!(err.contains(" --> content/guides/mastitis.md:6:1\n"), "{err}");
    assert!(err.contains("  = help: did you mean `symptoms`?\n"), "{err}");
    assert!(err.contains("\nerror: 1 error in 1 file\n"), "{err}");
    assert!(!err.contains('\u{1b}'), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn color_always_colours_and_never_does_not() {
    let root = fixture("invalid/unknown-field-typo");
    let out = carebook().args(["--color", "always", "check", "--root"]).arg(&root).output().expect("runs");
    assert!(stderr(&out).contains("\u{1b}["), "--color always colours even into a pipe");
    // `--color` is global: it may come after the subcommand too.
    let out = carebook()
        .args(["check", "--color", "never", "--root"])
        .arg(&root)
        .env("CLICOLOR_FORCE", "1")
        .output()
        .expect("runs");
    assert!(!stderr(&out).contains('\u{1b}'));
    let out = carebook().args(["check", "--root"]).arg(&root).env("NO_COLOR", "1").output().expect("runs");
    assert!(!stderr(&out).contains('\u{1b}'), "NO_COLOR");
}

/// The binary prints exactly what the fixtures' snapshots hold, in both formats (after the
/// report, `check` says `checked: no errors` when there were none).
#[test]
fn the_command_prints_the_fixtures_snapshots() {
    for name in ["unknown-field-typo", "many-mistakes", "orphan-symptom"] {
        let root = fixture(&format!("invalid/{name}"));
        let snapshot = fixture_snapshot(&root);
        let (short, human) = snapshot_parts(&snapshot).unwrap_or_else(|| panic!("{name}: no snapshot"));
        for (args, want) in [(&["check", "--format", "short"][..], short), (&["check"][..], human)] {
            let out = carebook().args(args).arg("--root").arg(&root).output().expect("runs");
            let err = stderr(&out);
            let got = err.strip_suffix("checked: no errors\n").unwrap_or(&err);
            assert_eq!(got.trim_end(), want.trim_end(), "{name}: {args:?}");
        }
    }
}

#[test]
fn json_format_goes_to_stdout_alone() {
    let root = fixture("invalid/many-mistakes");
    let out = carebook().args(["check", "--format", "json", "--root"]).arg(&root).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is one JSON array");
    assert!(v.as_array().is_some_and(|a| a.len() >= 5));
    let clean = fixture("valid/minimal");
    let out = carebook().args(["check", "--format", "json", "--root"]).arg(&clean).output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "[]\n");
}

#[test]
fn deny_warnings_fails_on_warnings() {
    let root = fixture("invalid/orphan-symptom");
    let out = carebook().args(["check", "--root"]).arg(&root).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "warnings alone do not fail");
    assert!(stderr(&out).contains("warning[orphan]"));
    let out = carebook().args(["check", "--deny-warnings", "--root"]).arg(&root).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("error[orphan]"));
    let dir = tempfile::tempdir().expect("temporary folder");
    let out = carebook()
        .args(["build", "--deny-warnings", "--root"])
        .arg(&root)
        .arg("--out")
        .arg(dir.path().join("public"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(!dir.path().join("public").exists(), "nothing is written");
}

#[test]
fn build_reports_template_errors_in_the_theme_file() {
    let root = fixture("invalid/template-syntax");
    let dir = tempfile::tempdir().expect("temporary folder");
    let out = carebook()
        .args(["build", "--root"])
        .arg(&root)
        .arg("--out")
        .arg(dir.path().join("public"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("error[template]"), "{err}");
    assert!(err.contains(" --> themes/default/templates/"), "{err}");
    assert!(err.contains(" | "), "the template line is shown: {err}");
}
