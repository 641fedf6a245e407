//! Output depends only on the input: thread count does not matter, an unchanged site rebuilds to
//! the same bytes (every file reused), and a one-guide edit changes only the pages that show it.

use crate::support::{build_with_threads, options, preview, read_tree, shipped};
use std::collections::BTreeSet;

#[test]
fn one_thread_and_all_threads_give_identical_trees() {
    let dir = shipped();
    let (one, many) = (dir.path().join("out-1"), dir.path().join("out-n"));
    build_with_threads(dir.path(), &one, "1");
    build_with_threads(dir.path(), &many, "4");
    let (a, b) = (read_tree(&one), read_tree(&many));
    assert!(a.len() > 40);
    assert_eq!(a, b);
}

#[test]
fn rebuild_without_changes_reuses_every_file() {
    let dir = shipped();
    let opts = options(dir.path());
    let first = carebook::run(&opts, carebook::Goal::Build, None).expect("build").written.expect("written");
    let before = read_tree(&opts.out_dir());
    let second = carebook::run(&opts, carebook::Goal::Build, None).expect("build").written.expect("written");
    assert_eq!(read_tree(&opts.out_dir()), before);
    assert_eq!(second.written, 0, "nothing rewritten: {second:?}");
    assert_eq!(second.linked, first.files);
}

#[test]
fn editing_one_guide_changes_only_the_pages_that_show_it() {
    let dir = shipped();
    let opts = options(dir.path());
    carebook::run(&opts, carebook::Goal::Build, None).expect("build");
    let before = read_tree(&opts.out_dir());
    let changed = |before: &std::collections::BTreeMap<String, Vec<u8>>| -> BTreeSet<String> {
        let after = read_tree(&opts.out_dir());
        after.iter().filter(|(p, b)| before.get(*p) != Some(b)).map(|(p, _)| p.clone()).collect()
    };

    // A body edit shows on the guide itself, the print book and the search index; nowhere else but
    // in sw.js, whose cache name is a hash of every file (so that browsers fetch the new build).
    let path = dir.path().join("content/guides/nipple-bleb.md");
    let text = std::fs::read_to_string(&path).expect("read");
    // Insert right after the front matter, so the sentence is within the search index's excerpt.
    let body_start = text[3..].find("\n---").map(|i| i + 3 + 5).expect("front matter");
    let edited = format!("{}Blebs are common.\n\n{}", &text[..body_start], &text[body_start..]);
    std::fs::write(&path, edited).expect("write");
    let stats = carebook::run(&opts, carebook::Goal::Build, None).expect("build").written.expect("written");
    let got = changed(&before);
    // The search index changes in its files for this guide and for the words whose weights moved
    // (BM25 weights depend on average lengths): search/ files, but only this guide's document.
    let (search, pages): (BTreeSet<String>, BTreeSet<String>) =
        got.iter().cloned().partition(|p| p.starts_with("search/"));
    let expected: BTreeSet<String> =
        ["guides/nipple-bleb.html", "print.html", "sw.js"].iter().map(|s| s.to_string()).collect();
    assert_eq!(pages, expected);
    let after = read_tree(&opts.out_dir());
    let docs: Vec<&String> = search.iter().filter(|p| p.starts_with("search/d")).collect();
    assert!(docs.len() == 1 && String::from_utf8_lossy(&after[docs[0]]).contains("Blebs are common."), "{search:?}");
    assert_eq!(stats.written, got.len());

    // A title edit also shows wherever the guide is listed: home, related guides, backlinks, doctor index.
    let before = read_tree(&opts.out_dir());
    let text = std::fs::read_to_string(&path).expect("read");
    let title_line = text.lines().find(|l| l.starts_with("title:")).expect("title").to_string();
    std::fs::write(&path, text.replacen(&title_line, "title: White spot on the nipple (bleb)", 1)).expect("write");
    carebook::run(&opts, carebook::Goal::Build, None).expect("build");
    let got = changed(&before);
    let (_, site) = preview(&opts).expect("check");
    let site = site.expect("no errors");
    let g = site.find(carebook::schema::Kind::Guide, "nipple-bleb").expect("guide");
    let mut dependents: BTreeSet<String> = [
        "guides/nipple-bleb.html",
        "print.html",
        "sw.js",
        "index.html",
        "guides/index.html",
        "when-to-see-a-doctor.html",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for (&term, guides) in &site.backlinks {
        if guides.contains(&g) {
            dependents.insert(site.out_path(term).to_string());
        }
    }
    for other in site.guides.iter().map(|g| g.file) {
        if site.guide(other).is_some_and(|g| g.matter.related.iter().any(|r| r.value == "nipple-bleb")) {
            dependents.insert(site.out_path(other).to_string());
        }
    }
    let got: BTreeSet<String> = got.into_iter().filter(|p| !p.starts_with("search/")).collect();
    assert!(
        got.is_subset(&dependents),
        "changed beyond its dependents: {:?}",
        got.difference(&dependents).collect::<Vec<_>>()
    );
    assert!(got.len() > 5 && got.len() < before.len() / 2, "{got:?}");
}
