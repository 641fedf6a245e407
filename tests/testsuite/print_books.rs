//! The print book that scales: print.html holds every guide up to `print_book_limit`; a site with
//! more gets books of at most that many guides (`print-N.html`), listed by print.html, and the
//! build's summary line says so. Fixture: tests/fixtures/valid/print-books (five guides, two a
//! book).

use crate::site::{assert_ids_unique, assert_links_resolve};
use crate::support::{build_ok, carebook, options, read_tree, repo, stderr, temp_site};
use scraper::{Html, Selector};

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("valid selector")
}

/// The texts of the elements of `doc` that `selector` selects.
fn texts(doc: &Html, selector: &str) -> Vec<String> {
    doc.select(&sel(selector)).map(|e| e.text().collect::<String>()).collect()
}

fn attrs(doc: &Html, selector: &str, attr: &str) -> Vec<String> {
    doc.select(&sel(selector)).filter_map(|e| e.value().attr(attr)).map(str::to_string).collect()
}

#[test]
fn over_the_limit_print_html_lists_books_that_hold_every_guide_once_in_order() {
    let dir = temp_site(&repo().join("tests/fixtures/valid/print-books"));
    let out = build_ok(dir.path());
    let tree = read_tree(&out);
    let page = |p: &str| Html::parse_document(&String::from_utf8_lossy(&tree[p]));

    let index = page("print.html");
    assert!(texts(&index, "article").is_empty(), "print.html holds no guide over the limit");
    assert_eq!(attrs(&index, ".print-books a", "href"), ["print-1.html", "print-2.html", "print-3.html"]);
    assert_eq!(
        texts(&index, ".print-books li"),
        ["Book 1: Engorgement – Blocked duct", "Book 2: Mastitis – Milk stasis", "Book 3: Abscess – Abscess"]
    );
    let lead = texts(&index, ".lead").concat();
    assert!(lead.contains("has 5 guides") && lead.contains("3 books of up to 2 guides"), "{lead}");
    assert!(!tree.contains_key("print-4.html"), "no empty book");

    // Every guide once, in list order, each book with its own contents numbered on from the last.
    let books = ["print-1.html", "print-2.html", "print-3.html"].map(page);
    let titles: Vec<String> = books.iter().flat_map(|b| texts(b, "article .print-guide-title")).collect();
    assert_eq!(titles, ["Engorgement", "Blocked duct", "Mastitis", "Milk stasis", "Abscess"]);
    assert_eq!(texts(&books[1], "h1"), ["Guides to print, book 2 of 3"]);
    assert_eq!(attrs(&books[1], ".print-contents ol", "start"), ["3"]);
    assert_eq!(attrs(&books[1], ".lead a", "href"), ["print.html"], "a book links back to the list");

    // A link to a guide of the same book stays in the book; to another book's guide, its page.
    let body_links = |b: &Html, id: &str| attrs(b, &format!("#guide-{id} .prose a"), "href");
    assert_eq!(body_links(&books[0], "a-engorgement"), ["#b-blocked-duct--what-happens", "guides/c-mastitis.html"]);
    assert_eq!(body_links(&books[0], "b-blocked-duct"), ["#guide-a-engorgement"]);
    assert_eq!(body_links(&books[1], "c-mastitis"), ["guides/e-abscess.html#what-happens"]);
    assert_links_resolve(dir.path(), &out, false);
    assert_ids_unique(&out);
}

#[test]
fn the_build_summary_says_when_print_html_lists_books() {
    let dir = temp_site(&repo().join("tests/fixtures/valid/print-books"));
    let run = carebook().args(["build", "--root"]).arg(dir.path()).output().expect("carebook runs");
    assert!(run.status.success(), "{}", stderr(&run));
    let summary = stderr(&run);
    assert!(summary.contains("; print.html lists 3 print books (more guides than print_book_limit)"), "{summary}");

    // Up to the limit, print.html is the one book and the summary says nothing of books.
    let config = dir.path().join("carebook.toml");
    let toml = std::fs::read_to_string(&config).expect("read").replace("print_book_limit = 2", "print_book_limit = 5");
    std::fs::write(&config, toml).expect("write");
    let run = carebook().args(["build", "--root"]).arg(dir.path()).output().expect("carebook runs");
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(!stderr(&run).contains("print books"), "{}", stderr(&run));
    let out = options(dir.path()).out_dir();
    let tree = read_tree(&out);
    assert!(!tree.contains_key("print-1.html"), "no books up to the limit");
    let book = Html::parse_document(&String::from_utf8_lossy(&tree["print.html"]));
    assert_eq!(texts(&book, "article .print-guide-title").len(), 5, "print.html holds every guide");
}
