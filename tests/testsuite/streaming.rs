//! Pages are written while they are rendered, print.html is streamed a chunk of guides at a time,
//! and `serve` renders single pages on request: all three must give exactly the bytes of one
//! whole build, in every language, on a site larger than one print chunk.

use crate::support::{build_with_threads, options, read_tree, shipped};

/// The shipped site plus `copies` copies of one guide (more guides than print.html renders at once).
fn large_site(copies: usize) -> tempfile::TempDir {
    let dir = shipped();
    let guides = dir.path().join("content/guides");
    let text = std::fs::read_to_string(guides.join("blocked-duct.md")).expect("read guide");
    for n in 0..copies {
        let copy = text.replacen("\ntitle: ", &format!("\ntitle: Copy {n:03} of "), 1);
        std::fs::write(guides.join(format!("blocked-duct-copy-{n:03}.md")), copy).expect("write copy");
    }
    dir
}

#[test]
fn a_site_of_several_print_chunks_builds_the_same_with_one_and_many_threads() {
    let dir = large_site(600);
    // One book of every guide, over several print chunks.
    let config = dir.path().join("carebook.toml");
    let toml = std::fs::read_to_string(&config).expect("read carebook.toml");
    std::fs::write(&config, format!("print_book_limit = 1000\n{toml}")).expect("write carebook.toml");
    let (one, many) = (dir.path().join("out-1"), dir.path().join("out-n"));
    build_with_threads(dir.path(), &one, "1");
    build_with_threads(dir.path(), &many, "4");
    let (a, b) = (read_tree(&one), read_tree(&many));
    assert!(a.len() > 600);
    assert!(a == b, "trees differ");
    // The book has every guide once, in the order of the contents list.
    let book = String::from_utf8_lossy(&a["print.html"]).into_owned();
    let order: Vec<usize> = (0..600).map(|n| book.find(&format!("Copy {n:03} of ")).expect("guide in book")).collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "guides out of order in print.html");
}

#[test]
fn memory_render_and_single_pages_match_the_written_build() {
    // 322 guides, over the default `print_book_limit`: print.html lists two books.
    let dir = large_site(300);
    let opts = options(dir.path());
    let built = carebook::run(&opts, carebook::Goal::Build, None).expect("build");
    assert!(built.written.is_some(), "{:?}", built.report.diagnostics());
    let tree = read_tree(&opts.out_dir());
    let html = tree.keys().filter(|p| p.ends_with(".html")).count();
    assert_eq!(built.pages, html, "page count");
    assert!(tree.contains_key("print-2.html") && !tree.contains_key("print-3.html"), "two print books");
    // The home page lists the first 48 guides and links to the index of all 322, which lists them.
    let count = |path: &str, what: &str| String::from_utf8_lossy(&tree[path]).matches(what).count();
    assert_eq!(count("index.html", "<li class=\"card\">"), 48);
    assert_eq!(count("index.html", "<a href=\"guides/index.html\">All 322 guides</a>"), 1);
    assert_eq!(count("guides/index.html", "<li class=\"card\">"), 322);

    let (_, prepared) = preview_with_theme(&opts);
    let (site, theme) = prepared.expect("no errors");
    // Every language, as a build writes them (and as `serve` makes them, one at a time).
    assert!(!site.lang.translations.is_empty(), "the shipped site has a translation");
    let memory = carebook::output::Memory::default();
    carebook::lang::render(&site, &theme, &memory).expect("render");
    let files = memory.into_files();
    let memory: std::collections::BTreeMap<String, Vec<u8>> = files.into_iter().map(|f| (f.path, f.bytes)).collect();
    let mut on_disk = tree.clone();
    on_disk.remove(carebook::write::MARKER);
    assert!(memory == on_disk, "in-memory render differs from the written build");

    // sw.js is made by a whole build only: it lists every file and a hash of them all.
    for (path, bytes) in on_disk.iter().filter(|(p, _)| p.as_str() != "sw.js" && p.as_str() != "ru/sw.js") {
        let one = carebook::lang::render_path(&site, &theme, path);
        let one = one.unwrap_or_else(|| panic!("{path}: not found")).unwrap_or_else(|e| panic!("{path}: {e:?}"));
        assert!(one == *bytes, "{path}: single render differs");
    }
    let missing = [
        "guides/no-such-guide.html",
        "guides/blocked-duct.md",
        "content/guides/blocked-duct.md",
        "x.html",
        "print-3.html",
        "ru/guides/no-such-guide.html",
        "ru/guides/blocked-duct-copy-000.html",
        "ru/ru/index.html",
    ];
    for missing in missing {
        assert!(carebook::lang::render_path(&site, &theme, missing).is_none(), "{missing}");
    }
}

/// The report, and the site and theme when there are no errors.
fn preview_with_theme(
    opts: &carebook::Options,
) -> (carebook::Report, Option<(carebook::model::Site, carebook::templates::Theme)>) {
    let outcome = carebook::run(opts, carebook::Goal::Preview, None).expect("preview");
    (outcome.report, outcome.site)
}
