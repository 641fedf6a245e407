//! Every fixture site under tests/fixtures/invalid/<code>-<case>/ produces exactly the diagnostics
//! in its expected.txt (short format plus summary line); every site under valid/ builds cleanly.
//! Set UPDATE_EXPECT=1 to rewrite expected.txt files (then review the diff).

use crate::support::{compare_expected, options, repo, temp_site};
use carebook::Code;
use std::path::Path;

fn cases(kind: &str) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(repo().join("tests/fixtures").join(kind))
        .expect("fixtures folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    v.sort();
    v
}

/// What `check` (or `build`, for template fixtures, since only a build loads the theme) reports.
fn diagnostics_of(site: &Path, build: bool) -> String {
    let dir = temp_site(site);
    let opts = options(dir.path());
    let report = if build {
        let outcome = carebook::build(&opts).expect("build runs");
        assert!(outcome.written.is_none() || !outcome.report.has_errors());
        outcome.report
    } else {
        carebook::check(&opts).expect("check runs").0
    };
    let mut text = report.render_short();
    if let Some(s) = report.summary() {
        text.push_str(&s);
        text.push('\n');
    }
    text
}

#[test]
fn invalid_fixtures_report_exactly_their_expected_diagnostics() {
    let mut failures = Vec::new();
    for case in cases("invalid") {
        let name = case.file_name().expect("name").to_string_lossy().to_string();
        let got = diagnostics_of(&case, name.starts_with("template-"));
        compare_expected(&case, &name, &got, &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A build lets go of file texts while it parses (to hold each body once, as HTML); when a later
/// check finds a problem in such a file, it reads and parses again so the report still locates it:
/// it says exactly what `carebook check` says, which keeps every text.
#[test]
fn a_build_reports_exactly_what_the_check_command_reports() {
    let mut failures = Vec::new();
    for case in cases("invalid") {
        let name = case.file_name().expect("name").to_string_lossy().to_string();
        if name.starts_with("template-") {
            continue;
        }
        let dir = temp_site(&case);
        let report = carebook::check_report(&options(dir.path())).expect("check runs");
        let checked = report.render_short() + &report.summary().unwrap_or_default() + "\n";
        let built = diagnostics_of(&case, true);
        if checked != built {
            failures.push(format!("{name}: check said\n{checked}build said\n{built}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_code_has_an_invalid_fixture() {
    let names: Vec<String> =
        cases("invalid").iter().map(|p| p.file_name().expect("name").to_string_lossy().to_string()).collect();
    for code in Code::ALL {
        // too-large needs a 4 MiB file; it is generated in `too_large_file_is_refused` instead.
        // name-clash needs names that macOS and Windows cannot check out side by side; it is
        // generated in `bad_inputs::linked_names_that_differ_only_in_case_or_accent_encoding_warn`.
        if matches!(*code, Code::TooLarge | Code::NameClash) {
            continue;
        }
        let prefix = format!("{}-", code.as_str());
        let case = names.iter().find(|n| n.starts_with(&prefix));
        assert!(case.is_some(), "no fixture for code `{code}` (tests/fixtures/invalid/{prefix}<case>/)");
        let expected = std::fs::read_to_string(
            repo().join("tests/fixtures/invalid").join(case.expect("case")).join("expected.txt"),
        )
        .unwrap_or_default();
        assert!(expected.contains(&format!("[{code}]")), "the `{code}` fixture does not report `{code}`");
    }
}

#[test]
fn valid_fixtures_check_and_build_without_diagnostics() {
    for case in cases("valid") {
        let dir = temp_site(&case);
        let outcome = carebook::build(&options(dir.path())).expect("build runs");
        assert!(outcome.report.diagnostics().is_empty(), "{}: {}", case.display(), outcome.report.render_short());
        assert!(outcome.written.is_some(), "{} was not written", case.display());
    }
}

#[test]
fn too_large_file_is_refused() {
    let dir = temp_site(&repo().join("tests/fixtures/valid/minimal"));
    let mut text = String::from("---\ntitle: Huge page\n---\n");
    while text.len() <= 4 * 1024 * 1024 {
        text.push_str("All work and no play makes a very long page.\n");
    }
    std::fs::write(dir.path().join("content/pages/huge.md"), text).expect("write");
    let (report, site) = carebook::check(&options(dir.path())).expect("check runs");
    assert!(site.is_none());
    let size = std::fs::metadata(dir.path().join("content/pages/huge.md")).expect("size").len();
    assert_eq!(
        report.render_short(),
        format!(
            "content/pages/huge.md:1:1: error[too-large]: file is 4.0 MiB ({size} bytes), more than the limit of 4 MiB\n"
        )
    );
}

#[test]
fn crlf_and_bom_positions_are_in_the_original_file() {
    let dir = temp_site(&repo().join("tests/fixtures/valid/crlf-and-bom"));
    let p = dir.path().join("content/guides/mastitis.md");
    let text = std::fs::read_to_string(&p).expect("read");
    std::fs::write(&p, text.replace("symptoms: [fever]", "symtoms: [fever]")).expect("write");
    let (report, _) = carebook::check(&options(dir.path())).expect("check runs");
    assert_eq!(
        report.render_short(),
        "content/guides/mastitis.md:6:1: error[unknown-field]: unknown field `symtoms` in the guide front matter\n"
    );
}
