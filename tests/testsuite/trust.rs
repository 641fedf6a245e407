//! What readers see of citations and review status (#17), on the `citations-and-reviewers`
//! fixture and the shipped site: numbered references that link to the source list, on the guide,
//! its print version, the doctor index and symptom pages; each sign once per symptom page; and a
//! guide without `reviewed_by` saying so.

use crate::support::{build_ok, repo, shipped, temp_site};
use std::path::Path;

fn page(out: &Path, path: &str) -> String {
    std::fs::read_to_string(out.join(path)).unwrap_or_else(|_| panic!("{path} is built"))
}

/// The lines of `html` that hold `needle`, as a snapshot reads them.
fn lines_with(html: &str, needle: &str) -> String {
    html.lines().filter(|l| l.contains(needle)).collect::<Vec<_>>().join("\n")
}

/// Every `href="#x"` of `html` names an id of `html`.
fn same_page_targets_exist(name: &str, html: &str) {
    for part in html.split("href=\"#").skip(1) {
        let id = part.split('"').next().unwrap_or("");
        assert!(html.contains(&format!("id=\"{id}\"")), "{name}: `#{id}` has no target");
    }
}

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("snapshots/trust");
    s.set_prepend_module_to_snapshot(false);
    s
}

#[test]
fn citations_are_numbered_links_to_the_source_list() {
    let dir = temp_site(&repo().join("tests/fixtures/valid/citations-and-reviewers"));
    let out = build_ok(dir.path());
    let guide = page(&out, "guides/mastitis.html");
    same_page_targets_exist("guides/mastitis.html", &guide);
    let refs = lines_with(&guide, "class=\"ref");
    let sources = lines_with(&guide, "id=\"source-");
    let review = lines_with(&guide, "review-status");
    settings().bind(|| insta::assert_snapshot!("guide-references", [refs, sources, review].join("\n\n")));

    // The print page gives each guide's anchors its own prefix; references follow it.
    let print = page(&out, "print.html");
    same_page_targets_exist("print.html", &print);
    assert!(print.contains("href=\"#mastitis--source-2\""), "print.html: references use the guide's prefix");

    // The doctor index and symptom pages list each sign once, with each guide's references,
    // linking to that guide's source list.
    let doctor = page(&out, "when-to-see-a-doctor.html");
    let fever = page(&out, "symptoms/fever.html");
    settings().bind(|| {
        insta::assert_snapshot!("doctor-and-symptom-references", {
            let signs = |html: &str| {
                html.lines()
                    .filter(|l| l.contains("flag-sign") || l.contains("flag-guides"))
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            [signs(&doctor), signs(&fever)].join("\n\n")
        })
    });
    let fever_signs = fever.matches("class=\"flag-sign\"").count();
    assert_eq!(fever_signs, 1, "symptoms/fever.html: the sign two guides give is listed once");
    for href in ["guides/mastitis.html#source-2", "guides/blocked-duct.html#source-1"] {
        assert!(doctor.contains(&format!("href=\"{href}\"")), "doctor index links {href}");
        assert!(fever.contains(&format!("href=\"../{href}\"")), "fever page links {href}");
    }
}

#[test]
fn a_guide_without_reviewers_says_it_has_not_been_reviewed_by_a_clinician() {
    let dir = temp_site(&repo().join("tests/fixtures/valid/minimal"));
    let out = build_ok(dir.path());
    let guide = page(&out, "guides/mastitis.html");
    assert!(guide.contains("This guide has not been reviewed by a clinician."), "{}", lines_with(&guide, "review"));
    assert!(!guide.contains("Reviewed by"));
}

/// The shipped site: no guide claims a clinical review it has not had, every page's references
/// lead somewhere on it, and no symptom page repeats a sign within a tier.
#[test]
fn shipped_pages_are_honest_about_review_and_their_references_resolve() {
    let dir = shipped();
    let out = build_ok(dir.path());
    let guides: Vec<String> = std::fs::read_dir(out.join("guides"))
        .expect("guides")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name != "index.html")
        .collect();
    assert!(guides.len() >= 20, "{guides:?}");
    for name in &guides {
        let html = page(&out, &format!("guides/{name}"));
        assert!(html.contains("This guide has not been reviewed by a clinician."), "{name}");
        assert!(html.contains("class=\"ref\""), "{name}: shows references");
        same_page_targets_exist(name, &html);
    }
    let fever = page(&out, "symptoms/fever.html");
    let mut signs: Vec<&str> = fever.lines().filter(|l| l.contains("class=\"flag-sign\"")).collect();
    let all = signs.len();
    signs.sort_unstable();
    signs.dedup();
    assert_eq!(signs.len(), all, "symptoms/fever.html repeats a sign");
}
