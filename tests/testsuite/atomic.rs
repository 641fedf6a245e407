//! Output is replaced atomically: a failing build leaves the previous output byte-identical, a good
//! build replaces it whole, and two builds of the same input are byte-identical.

use crate::support::{build_ok, options, read_tree, repo, temp_site};

fn minimal() -> tempfile::TempDir {
    temp_site(&repo().join("tests/fixtures/valid/minimal"))
}

#[test]
fn failing_build_leaves_the_output_byte_identical() {
    let dir = minimal();
    let out = build_ok(dir.path());
    let before = read_tree(&out);
    let p = dir.path().join("content/guides/mastitis.md");
    let text = std::fs::read_to_string(&p).expect("read");
    std::fs::write(&p, text.replace("urgency: urgent", "urgency: later")).expect("write");
    let outcome = carebook::run(&options(dir.path()), carebook::Goal::Build, None).expect("build runs");
    assert!(outcome.written.is_none(), "a build with errors writes nothing");
    assert!(outcome.report.has_errors());
    assert_eq!(read_tree(&out), before, "output unchanged");
}

#[test]
fn deleting_a_guide_removes_its_page() {
    let dir = minimal();
    let out = build_ok(dir.path());
    assert!(out.join("guides/blocked-duct.html").is_file());
    // Remove the guide and the links to it, then rebuild.
    std::fs::remove_file(dir.path().join("content/guides/blocked-duct.md")).expect("remove");
    let p = dir.path().join("content/guides/mastitis.md");
    let text = std::fs::read_to_string(&p).expect("read");
    std::fs::write(
        &p,
        text.replace("related: [blocked-duct]", "related: []").replace(" and [blocked ducts](blocked-duct.md)", ""),
    )
    .expect("write");
    build_ok(dir.path());
    assert!(!out.join("guides/blocked-duct.html").exists(), "the deleted guide's page is gone");
    assert!(out.join("guides/mastitis.html").is_file());
}

#[test]
fn two_builds_are_byte_identical() {
    let a = minimal();
    let b = minimal();
    let out_a = build_ok(a.path());
    let out_b = build_ok(b.path());
    let (ta, tb) = (read_tree(&out_a), read_tree(&out_b));
    assert!(ta.len() > 10);
    assert_eq!(ta, tb);
    // And a rebuild in place gives the same bytes again.
    build_ok(a.path());
    assert_eq!(read_tree(&out_a), ta);
}

#[test]
fn output_holds_the_build_marker_and_nothing_else_is_lost() {
    let dir = minimal();
    let out = build_ok(dir.path());
    assert!(out.join(carebook::write::MARKER).is_file());
    // A folder that is not a previous build is never replaced.
    let foreign = dir.path().join("notes");
    std::fs::create_dir_all(&foreign).expect("mkdir");
    std::fs::write(foreign.join("todo.txt"), "keep me").expect("write");
    let mut opts = options(dir.path());
    opts.out = Some(foreign.clone());
    let err = carebook::run(&opts, carebook::Goal::Build, None).expect_err("refused");
    assert!(err.to_string().contains("notes"), "{err}");
    assert_eq!(std::fs::read_to_string(foreign.join("todo.txt")).expect("read"), "keep me");
}
