//! The fixture sites: what carebook says about a site, one site per case.
//!
//! - `tests/fixtures/valid/<case>/` check and build with no diagnostic at all. Some hold hostile
//!   text carebook accepts (braces in headings, a script in a title, a linked SVG drawing): no
//!   built page may carry active content.
//! - `tests/fixtures/invalid/<code>-<case>/` (the minimal site with one mistake, or a hostile or
//!   broken input: encodings, YAML bombs, symbolic links, link schemes, active files…) report
//!   exactly the diagnostics in the insta snapshot beside them, `<case>/diagnostics.snap`: what
//!   `carebook check --format short` and then `carebook check` print. Every diagnostic code has at
//!   least one. After an intended change, run the tests and accept the new snapshots with
//!   `cargo insta review` (or `INSTA_UPDATE=always`), reading the diff.
//!
//! Inputs that cannot be committed are made at run time in `bad_inputs`.

use crate::support::{
    FIXTURE_SNAPSHOT, assert_fixture_snapshot, editor_view, fixture_snapshot, fixtures, options, read_tree, repo,
    report_of, short_of, snapshot_parts, temp_site,
};
use carebook::Code;
use std::path::Path;

/// Template fixtures bring their own broken theme: only a build loads it.
fn is_template(name: &str) -> bool {
    name.starts_with("template-")
}

#[test]
fn invalid_fixtures_report_exactly_their_snapshot() {
    let mut failures = Vec::new();
    for (name, case) in fixtures("invalid") {
        let report = report_of(&name, &case);
        if !assert_fixture_snapshot(&case, &editor_view(&report)) {
            failures.push(name.clone());
        }
        // Every diagnostic points into its file.
        for d in report.diagnostics() {
            if let (Some(span), Some(text)) = (&d.span, report.source(&d.file)) {
                assert!(span.start <= span.end && span.end <= text.len(), "{name}: span outside the file: {d:?}");
            }
        }
    }
    assert!(
        failures.is_empty(),
        "these fixtures report other diagnostics than their {FIXTURE_SNAPSHOT} (differences above; \
         accept intended ones with `cargo insta review`): {failures:?}"
    );
}

/// A build lets go of file texts while it parses (to hold each body once, as HTML); when a later
/// check finds a problem in such a file, it reads and parses again so the report still locates it:
/// it says exactly what `carebook check` says, which keeps every text. A site with errors is
/// never written; one with warnings only is, and its pages carry no active content.
#[test]
fn a_build_reports_exactly_what_the_check_command_reports() {
    let mut failures = Vec::new();
    for (name, case) in fixtures("invalid") {
        if is_template(&name) {
            continue;
        }
        let dir = temp_site(&case);
        let checked = short_of(
            &carebook::run(&options(dir.path()), carebook::Goal::Check, None).map(|o| o.report).expect("check runs"),
        );
        let outcome = carebook::run(&options(dir.path()), carebook::Goal::Build, None).expect("build runs");
        let built = short_of(&outcome.report);
        if checked != built {
            failures.push(format!("{name}: check said\n{checked}build said\n{built}"));
        }
        if outcome.report.has_errors() {
            assert!(outcome.written.is_none(), "{name}: a site with errors was written");
            assert!(!dir.path().join("public").exists(), "{name}: public/ was created");
        } else {
            assert!(outcome.written.is_some(), "{name}: a site with only warnings was not written");
            assert_no_active_content(&name, &options(dir.path()).out_dir());
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_short_line_of_a_snapshot_names_a_file_of_the_case_a_line_and_a_column() {
    for (name, case) in fixtures("invalid") {
        let snapshot = fixture_snapshot(&case);
        let (expected, _) = snapshot_parts(&snapshot)
            .unwrap_or_else(|| panic!("{name} has no {FIXTURE_SNAPSHOT} (run the tests, then `cargo insta review`)"));
        assert!(expected.contains("error[") || expected.contains("warning["), "{name}: reports nothing");
        for line in expected.lines().filter(|l| l.contains("error[") || l.contains("warning[")) {
            let mut parts = line.splitn(4, ':');
            let (file, row, col) = (parts.next(), parts.next(), parts.next());
            let in_case = |f: &str| std::fs::symlink_metadata(case.join(f)).is_ok();
            assert!(file.is_some_and(in_case), "{name}: no file of the case in `{line}`");
            assert!(row.is_some_and(|r| r.parse::<usize>().is_ok_and(|r| r >= 1)), "{name}: no line in `{line}`");
            assert!(col.is_some_and(|c| c.parse::<usize>().is_ok_and(|c| c >= 1)), "{name}: no column in `{line}`");
        }
    }
}

#[test]
fn every_code_has_an_invalid_fixture() {
    let names: Vec<String> = fixtures("invalid").into_iter().map(|(name, _)| name).collect();
    for code in Code::ALL {
        // too-large needs a 4 MiB file; it is generated in `bad_inputs::file_over_4_mib_is_too_large`.
        // name-clash needs names that macOS and Windows cannot check out side by side; it is
        // generated in `bad_inputs::linked_names_that_differ_only_in_case_or_accent_encoding_warn`.
        if matches!(*code, Code::TooLarge | Code::NameClash) {
            continue;
        }
        let prefix = format!("{}-", code.as_str());
        let case = names.iter().find(|n| n.starts_with(&prefix));
        assert!(case.is_some(), "no fixture for code `{code}` (tests/fixtures/invalid/{prefix}<case>/)");
        let expected = fixture_snapshot(&repo().join("tests/fixtures/invalid").join(case.expect("case")));
        assert!(expected.contains(&format!("[{code}]")), "the `{code}` fixture does not report `{code}`");
    }
}

/// What the help of each case must say (the `short` format does not show help).
#[test]
fn help_says_what_would_be_right() {
    let helps = [
        ("invalid-value-file-name-capitals", "rename the file to `about.md`"),
        ("invalid-value-file-name-spaces", "rename the file to `about-this-site.md`"),
        ("invalid-value-file-name-non-ascii", "rename the file to `uber-uns.md`"),
        ("encoding-latin1-german", "save the file as UTF-8"),
        ("encoding-utf16", "save the file as UTF-8"),
        ("encoding-utf16-without-bom", "save the file as UTF-8"),
        ("encoding-binary-renamed-md", "only Markdown text files"),
        ("yaml-tab-in-list-item", "indent with spaces"),
        ("yaml-duplicate-key", "may appear only once"),
        ("yaml-billion-laughs", "avoid anchors (&), aliases (*)"),
        ("yaml-deep-nesting-flow", "deep nesting"),
        ("yaml-list-as-key", "`name: value`"),
        ("yaml-null-key", "`name: value`"),
        ("invalid-value-huge-number", "from 1500 to 2200"),
        ("front-matter-not-at-top", "move the `---` block to line 1"),
        ("io-symlink-outside", "copy the file into content/"),
        ("active-file-html-file-linked", "Markdown page"),
        ("active-file-linked-files", "save it as PDF or PNG"),
        ("active-file-linked-files", "Plain SVG"),
        (
            "invalid-value-link-schemes",
            "links may be relative links to content files (mastitis.md), https:, http: (with a warning), mailto: and tel:",
        ),
        ("invalid-value-link-schemes", "use the source's https:// address"),
    ];
    for (case, help) in helps {
        let report = report_of(case, &repo().join("tests/fixtures/invalid").join(case));
        let all: Vec<&str> = report.diagnostics().iter().filter_map(|d| d.help.as_deref()).collect();
        assert!(all.iter().any(|h| h.contains(help)), "{case}: no help saying `{help}` in {all:?}");
    }
}

#[test]
fn valid_fixtures_check_and_build_without_diagnostics() {
    let valid = fixtures("valid");
    for (name, case) in &valid {
        let dir = temp_site(case);
        let outcome = carebook::run(&options(dir.path()), carebook::Goal::Build, None).expect("build runs");
        assert!(outcome.report.diagnostics().is_empty(), "{name}: {}", outcome.report.render_short());
        assert!(outcome.written.is_some(), "{name} was not written");
        let out = options(dir.path()).out_dir();
        assert_no_active_content(name, &out);
        let page = |path: &str| String::from_utf8_lossy(&read_tree(&out)[path]).into_owned();
        match name.as_str() {
            "svg-drawing-linked" => {
                assert!(read_tree(&out).contains_key("pages/ducts.svg"), "{name}: the drawing is published");
            }
            "heading-braces" => {
                let about = page("pages/about.html");
                for heading in [
                    "<h2 id=\"cost-x-y\">Cost x {y}</h2>",
                    "<h2 id=\"dose-adults\">Dose {adults}</h2>",
                    "<h2 id=\"own-id-own-big-onclick-alert-1\">Own id {#own .big onclick=alert(1)}</h2>",
                ] {
                    assert!(about.contains(heading), "{heading} not in\n{about}");
                }
            }
            "script-in-front-matter" => {
                let guide = page("guides/mastitis.html");
                assert!(
                    guide.contains("Mastitis &lt;script&gt;alert(1)&lt;/script&gt;"),
                    "the title is shown, escaped"
                );
            }
            _ => {}
        }
    }
    for hostile in ["heading-braces", "script-in-front-matter", "svg-drawing-linked"] {
        assert!(valid.iter().any(|(name, _)| name == hostile), "the valid fixture {hostile} is gone");
    }
}

/// The pages of a built site carry no active content: no script of their own, no event handler,
/// no frame, no `javascript:` or `data:` address; and no linked file is one a browser would run.
fn assert_no_active_content(name: &str, out: &Path) {
    let tree = read_tree(out);
    for (page, bytes) in tree.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = scraper::Html::parse_document(&String::from_utf8_lossy(bytes));
        for el in html.root_element().descendants().filter_map(scraper::ElementRef::wrap) {
            let tag = el.value().name();
            // (Frames and plug-ins are refused here; every element's attributes are checked below.)
            assert!(!["iframe", "object", "embed", "frame"].contains(&tag), "{name}: {page} has <{tag}>");
            if tag == "script" {
                assert!(el.value().attr("src").is_some(), "{name}: {page} has an inline script");
                assert!(el.text().all(|t| t.trim().is_empty()), "{name}: {page} has script text");
            }
            for (attr, value) in el.value().attrs() {
                assert!(!attr.starts_with("on"), "{name}: {page} has <{tag} {attr}=…>");
                let v = value.trim_start().to_ascii_lowercase();
                assert!(
                    !v.starts_with("javascript:") && !v.starts_with("data:"),
                    "{name}: {page} has {attr}=\"{value}\""
                );
            }
        }
    }
    // Linked files are copied as they are: none is one a browser would run.
    // Another language's pages are a whole site in its folder (`ru/`).
    let unprefixed = |p: &str| -> String {
        p.split_once('/').filter(|(l, _)| carebook::lang::is_valid_code(l)).map_or(p, |(_, rest)| rest).to_string()
    };
    for (path, bytes) in tree.iter().filter(|(p, _)| !p.ends_with(".html") && !unprefixed(p).starts_with("static/")) {
        let lower = path.to_ascii_lowercase();
        let text = String::from_utf8_lossy(bytes).to_ascii_lowercase();
        assert!(
            unprefixed(path).starts_with("search/")
                || unprefixed(path) == "sw.js"
                || ![".js", ".xml", ".svgz", ".htm", ".mht", "."].iter().any(|e| lower.ends_with(e)),
            "{name}: {path} was published"
        );
        if lower.ends_with(".svg") {
            assert!(!text.contains("<script") && !text.contains("onload"), "{name}: {path} was published");
        }
    }
}

#[test]
fn crlf_and_bom_positions_are_in_the_original_file() {
    let dir = temp_site(&repo().join("tests/fixtures/valid/crlf-and-bom"));
    let p = dir.path().join("content/guides/mastitis.md");
    let text = std::fs::read_to_string(&p).expect("read");
    std::fs::write(&p, text.replace("symptoms: [fever]", "symtoms: [fever]")).expect("write");
    let report = carebook::run(&options(dir.path()), carebook::Goal::Check, None).expect("check runs").report;
    assert_eq!(
        report.render_short(),
        "content/guides/mastitis.md:6:1: error[unknown-field]: unknown field `symtoms` in the guide front matter\n"
    );
}
