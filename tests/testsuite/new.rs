//! `carebook new`: the file it writes is refused by `check` for its placeholder text alone, and
//! passes (and builds) once that is replaced; it refuses bad ids, bad titles and existing files
//! with exit status 2, writing nothing.

use crate::support::{carebook, repo, temp_site};
use carebook::schema::Kind;
use std::path::Path;

/// A small valid site (the `minimal` fixture with the default theme) in a temporary folder.
fn site() -> tempfile::TempDir {
    temp_site(&repo().join("tests/fixtures/valid/minimal"))
}

struct Run {
    code: Option<i32>,
    stderr: String,
}

fn run(args: &[&str], root: &Path) -> Run {
    let out = carebook().args(args).arg("--root").arg(root).output().expect("runs");
    Run { code: out.status.code(), stderr: String::from_utf8_lossy(&out.stderr).into_owned() }
}

/// A new file holds placeholder text: `check` reports each one (`placeholder`) and nothing else,
/// so it cannot be published by accident, drafts included.
fn placeholders_only(kind: &str, stderr: &str) {
    let problems: Vec<&str> = stderr.lines().filter(|l| l.contains("error[") || l.contains("warning[")).collect();
    assert!(problems.iter().any(|l| l.contains("error[placeholder]")), "{kind}: {problems:?}");
    for p in problems {
        assert!(
            p.contains("error[placeholder]") || (kind == "symptom" || kind == "cause") && p.contains("warning[orphan]"),
            "{kind}: {p}"
        );
    }
}

/// The file with every placeholder of `carebook new` replaced by real text.
fn fill_in(text: &str) -> String {
    let mut text = text.to_string();
    for kind in Kind::ALL {
        for p in carebook::trust::placeholder_texts(kind) {
            let real = if p.starts_with("https://") { "https://www.nhs.uk/conditions/mastitis/" } else { "Real words" };
            text = text.replace(p, real);
        }
    }
    for p in carebook::trust::BODY_PLACEHOLDERS {
        text = text.replace(p, "Real words.");
    }
    text
}

#[test]
fn new_files_check_once_their_placeholders_are_replaced() {
    for (kind, folder) in [("guide", "guides"), ("symptom", "symptoms"), ("cause", "causes"), ("page", "pages")] {
        let dir = site();
        let r = run(&["new", kind, "sore-nipples"], dir.path());
        assert_eq!(r.code, Some(0), "{kind}: {}", r.stderr);
        let path = dir.path().join(format!("content/{folder}/sore-nipples.md"));
        let text = std::fs::read_to_string(&path).expect("the file was written");
        assert!(text.contains("title: Sore nipples  #"), "{kind}: the title comes from the id:\n{text}");
        assert!(r.stderr.contains(&format!("content/{folder}/sore-nipples.md")), "{}", r.stderr);

        let check = run(&["check", "--format", "short"], dir.path());
        assert_eq!(check.code, Some(1), "{kind}: `check` accepts placeholder text:\n{}", check.stderr);
        placeholders_only(kind, &check.stderr);
        let drafts = run(&["check", "--format", "short", "--drafts"], dir.path());
        assert_eq!(drafts.code, Some(1), "{kind}: {}", drafts.stderr);
        placeholders_only(kind, &drafts.stderr);

        std::fs::write(&path, fill_in(&text)).expect("write");
        let check = run(&["check", "--format", "short"], dir.path());
        assert_eq!(check.code, Some(0), "{kind}: `check` fails on a filled-in new file:\n{}", check.stderr);
        // A new symptom or cause is not used by a guide yet: one orphan warning, nothing else.
        let problems: Vec<&str> =
            check.stderr.lines().filter(|l| l.contains("error[") || l.contains("warning[")).collect();
        match kind {
            "symptom" | "cause" => {
                assert_eq!(problems.len(), 1, "{kind}: {problems:?}");
                assert!(problems[0].contains("warning[orphan]"), "{kind}: {problems:?}");
            }
            _ => assert!(problems.is_empty(), "{kind}: {problems:?}"),
        }
        // The new guide is a draft; with --drafts it is checked and built like any other.
        let drafts = run(&["check", "--drafts"], dir.path());
        assert_eq!(drafts.code, Some(0), "{kind}: {}", drafts.stderr);
        let out = dir.path().join("public");
        let built = carebook()
            .args(["build", "--drafts", "--root"])
            .arg(dir.path())
            .arg("--out")
            .arg(&out)
            .output()
            .expect("runs");
        assert_eq!(built.status.code(), Some(0), "{kind}: {}", String::from_utf8_lossy(&built.stderr));
        assert!(out.join(format!("{folder}/sore-nipples.html")).is_file(), "{kind}: the page is built");
    }
}

#[test]
fn a_title_with_special_characters_is_quoted() {
    let dir = site();
    let r = run(&["new", "guide", "mastitis-help", "--title", "Mastitis: what helps #1 \"now\""], dir.path());
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let path = dir.path().join("content/guides/mastitis-help.md");
    let text = std::fs::read_to_string(&path).expect("written");
    assert!(text.contains(r#"title: "Mastitis: what helps #1 \"now\"""#), "{text}");
    std::fs::write(&path, fill_in(&text)).expect("write");
    let check = run(&["check"], dir.path());
    assert_eq!(check.code, Some(0), "{}", check.stderr);
}

#[test]
fn a_bad_id_is_refused_with_a_suggestion() {
    let dir = site();
    let r = run(&["new", "guide", "Milk Stasis"], dir.path());
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("`Milk Stasis` is not a valid id"), "{}", r.stderr);
    assert!(r.stderr.contains("carebook new guide milk-stasis"), "{}", r.stderr);
    assert!(!dir.path().join("content/guides/Milk Stasis.md").exists());
    assert!(!dir.path().join("content/guides/milk-stasis.md").exists());
    for bad in ["milk--stasis", "-milk", "milk_stasis", "../escape", "a/b"] {
        let r = run(&["new", "symptom", bad], dir.path());
        assert_eq!(r.code, Some(2), "{bad}: {}", r.stderr);
    }
}

#[test]
fn an_existing_file_is_never_overwritten() {
    let dir = site();
    let path = dir.path().join("content/guides/mastitis.md");
    let before = std::fs::read(&path).expect("the fixture has mastitis.md");
    let r = run(&["new", "guide", "mastitis"], dir.path());
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("content/guides/mastitis.md` already exists"), "{}", r.stderr);
    assert_eq!(std::fs::read(&path).expect("still there"), before);
}

#[test]
fn a_bad_title_or_a_missing_content_folder_is_refused() {
    let dir = site();
    let r = run(&["new", "page", "ab"], dir.path());
    assert_eq!(r.code, Some(2), "a title from a two-letter id is too short: {}", r.stderr);
    assert!(r.stderr.contains("--title"), "{}", r.stderr);
    let r = run(&["new", "page", "about-us", "--title", &"x".repeat(91)], dir.path());
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(!dir.path().join("content/pages/about-us.md").exists());

    let empty = tempfile::tempdir().expect("temporary folder");
    let r = run(&["new", "guide", "mastitis"], empty.path());
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("no `content` folder"), "{}", r.stderr);
    assert!(!empty.path().join("content").exists(), "nothing is created");
}
