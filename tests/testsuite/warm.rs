//! Warm builds and the dependency-aware preview (#21): a build keeps, beside its output, what
//! each file was made from (`.<name>.cache`), and the next one makes only the files whose inputs
//! changed; `serve` keeps its pages the same way. Either must give exactly what a fresh full build
//! gives, byte for byte, after any sequence of edits.

use crate::support::{options, read_tree, repo, shipped, temp_site};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use proptest::prelude::*;

/// Builds `opts` and returns the output tree; panics with the diagnostics on failure.
fn build(opts: &carebook::Options) -> (BTreeMap<String, Vec<u8>>, carebook::write::WriteStats, usize) {
    let outcome = carebook::run(opts, carebook::Goal::Build, None).expect("build runs");
    let stats = outcome.written.unwrap_or_else(|| panic!("build failed:\n{}", outcome.report.render_short()));
    (read_tree(&opts.out_dir()), stats, outcome.pages)
}

/// A fresh full build of `root` into `root/<name>`, with no cache and no earlier output.
fn fresh(root: &Path, name: &str) -> BTreeMap<String, Vec<u8>> {
    let _ = std::fs::remove_dir_all(root.join(name));
    let _ = std::fs::remove_file(root.join(format!(".{name}.cache")));
    let _ = std::fs::remove_file(root.join(format!(".{name}.memo")));
    let _ = std::fs::remove_file(root.join(format!(".{name}.parsed")));
    let mut opts = options(root);
    opts.out = Some(root.join(name));
    build(&opts).0
}

#[test]
fn a_second_build_with_nothing_changed_renders_nothing() {
    let dir = shipped();
    let opts = options(dir.path());
    let (first, stats, pages) = build(&opts);
    assert_eq!(stats.reused, 0, "a first build has nothing to take again");
    let cache = dir.path().join(".public.cache");
    assert!(cache.is_file(), "the cache is kept beside the output");
    assert!(!first.keys().any(|p| p.contains("cache")), "and never inside it: {:?}", first.keys());

    let (second, stats, _) = build(&opts);
    assert_eq!(second, first);
    assert_eq!(stats.written, 0, "{stats:?}");
    // Every page (and the search index) was taken from the last build without being rendered.
    assert!(stats.reused > pages, "{pages} pages, {stats:?}");

    // Deleting the cache is safe: the next build makes every file again, to the same bytes.
    std::fs::remove_file(&cache).expect("delete the cache");
    let (third, stats, _) = build(&opts);
    assert_eq!(third, first);
    assert_eq!(stats.reused, 0);
}

#[test]
fn a_site_in_two_languages_is_taken_again_in_both() {
    let dir = temp_site(&repo().join("tests/fixtures/valid/two-languages"));
    let opts = options(dir.path());
    let (first, _, pages) = build(&opts);
    let guide = dir.path().join("content/ru/guides/mastitis.md");
    let text = std::fs::read_to_string(&guide).expect("a Russian guide");
    std::fs::write(&guide, format!("{text}\nЕщё одно предложение.\n")).expect("write");
    let (second, stats, _) = build(&opts);
    assert_ne!(second, first);
    assert_eq!(second, fresh(dir.path(), "fresh"));
    assert!(stats.reused > pages / 2, "{pages} pages, {stats:?}");
}

#[test]
fn a_file_changed_in_the_output_is_made_again() {
    let dir = shipped();
    let opts = options(dir.path());
    let (first, _, _) = build(&opts);
    let page = opts.out_dir().join("guides/mastitis.html");
    // Replaced by another file (as an editor saving over it would): never taken again as it is.
    std::fs::remove_file(&page).expect("remove");
    std::fs::write(&page, "edited by hand").expect("write");
    let (second, stats, _) = build(&opts);
    assert_eq!(second, first);
    assert_eq!(stats.written, 1, "{stats:?}");
}

#[test]
fn a_damaged_cache_gives_a_cold_build_equal_to_a_clean_one() {
    let dir = shipped();
    let opts = options(dir.path());
    let (first, _, _) = build(&opts);
    let cache = dir.path().join(".public.cache");
    let text = std::fs::read(&cache).expect("the cache");
    let lines = text.split(|&b| b == b'\n').count();
    let damaged: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("garbage", b"\x00\xff not a cache \n\n".to_vec()),
        ("cut in a line", text[..text.len() * 2 / 3].to_vec()),
        // At a line's end: a unit would seem to have fewer files than it has.
        ("cut at a line's end", text.split_inclusive(|&b| b == b'\n').take(lines / 2).flatten().copied().collect()),
        ("a byte changed", {
            let mut t = text.clone();
            let at = t.len() / 2;
            t[at] = if t[at] == b'0' { b'1' } else { b'0' };
            t
        }),
    ];
    for (what, bytes) in damaged {
        std::fs::write(&cache, &bytes).expect("damage the cache");
        let (again, stats, _) = build(&opts);
        assert!(again == first, "a cache {what}: the build differs from a clean one");
        assert_eq!(stats.reused, 0, "a cache {what} was read: {stats:?}");
    }
}

/// The memo beside the output (`.<name>.memo`: each search document's analysis, by its
/// inputs) damaged in any way: a warm build after an edit, whose search index is made from the
/// kept analyses, still equals a clean build; deleting the memo is safe.
#[test]
fn a_damaged_memo_gives_a_warm_build_equal_to_a_clean_one() {
    let dir = shipped();
    let opts = options(dir.path());
    build(&opts);
    let memo = dir.path().join(".public.memo");
    assert!(memo.is_file(), "the memo is kept beside the output");
    let bytes = std::fs::read(&memo).expect("the memo");
    let flipped = |at: usize| {
        let mut b = bytes.clone();
        b[at] ^= 0x20;
        b
    };
    let damaged: Vec<(&str, Option<Vec<u8>>)> = vec![
        ("as it was", Some(bytes.clone())),
        ("deleted", None),
        ("empty", Some(Vec::new())),
        ("garbage", Some(b"\x00\xff not a memo \n\n".to_vec())),
        ("cut short", Some(bytes[..bytes.len() * 2 / 3].to_vec())),
        ("a byte of a value changed", Some(flipped(bytes.len() / 2))),
        ("its header changed", Some(flipped(10))),
    ];
    let guide = dir.path().join("content/guides/mastitis.md");
    let text = std::fs::read_to_string(&guide).expect("a guide");
    for (n, (what, bytes)) in damaged.into_iter().enumerate() {
        match &bytes {
            Some(b) => std::fs::write(&memo, b).expect("damage the memo"),
            None => std::fs::remove_file(&memo).expect("delete the memo"),
        }
        std::fs::write(&guide, format!("{text}\nA sentence added, edit {n}.\n")).expect("edit");
        let (warm, _, _) = build(&opts);
        assert!(warm == fresh(dir.path(), "fresh"), "a memo {what}: the build differs from a clean one");
    }
}

/// A build's report, in short.
fn report_of(opts: &carebook::Options) -> String {
    carebook::run(opts, carebook::Goal::Build, None).expect("build runs").report.render_short()
}

/// The parse store beside the output (`.<name>.parsed`: each file's front matter and rendered
/// Markdown, by its text) damaged in any way, or deleted: a warm build after an edit still equals
/// a clean build, with the same report.
#[test]
fn a_damaged_parse_store_gives_a_warm_build_equal_to_a_clean_one() {
    let dir = shipped();
    let opts = options(dir.path());
    build(&opts);
    let store = dir.path().join(".public.parsed");
    assert!(store.is_file(), "the parse store is kept beside the output");
    let bytes = std::fs::read(&store).expect("the store");
    let flipped = |at: usize| {
        let mut b = bytes.clone();
        b[at] ^= 0x20;
        b
    };
    let damaged: Vec<(&str, Option<Vec<u8>>)> = vec![
        ("as it was", Some(bytes.clone())),
        ("deleted", None),
        ("empty", Some(Vec::new())),
        ("garbage", Some(b"\x00\xff not a store \n\n".to_vec())),
        ("cut short", Some(bytes[..bytes.len() * 2 / 3].to_vec())),
        ("a byte of a record changed", Some(flipped(bytes.len() / 2))),
        ("its header changed", Some(flipped(10))),
    ];
    let guide = dir.path().join("content/guides/mastitis.md");
    let text = std::fs::read_to_string(&guide).expect("a guide");
    for (n, (what, bytes)) in damaged.into_iter().enumerate() {
        match &bytes {
            Some(b) => std::fs::write(&store, b).expect("damage the store"),
            None => std::fs::remove_file(&store).expect("delete the store"),
        }
        std::fs::write(&guide, format!("{text}\nA sentence added, edit {n}.\n")).expect("edit");
        let (warm, _, _) = build(&opts);
        let report = report_of(&opts);
        assert!(warm == fresh(dir.path(), "fresh"), "a store {what}: the build differs from a clean one");
        let mut clean = options(dir.path());
        clean.out = Some(dir.path().join("fresh"));
        assert_eq!(report, report_of(&clean), "a store {what}: the report differs");
    }
}

/// Every problem of a file is reported on every build, whether or not its parse was kept: the
/// documents' problems (kept with them), front matter read again when it had one, and review
/// dates checked against the day of the build, not of the build that kept the parse. A build
/// with nothing changed leaves the store as it was.
#[test]
fn a_warm_build_reports_every_problem_of_unchanged_files() {
    let dir = shipped();
    let mut opts = options(dir.path());
    opts.today = jiff::civil::date(2027, 6, 1);
    let guide = dir.path().join("content/guides/mastitis.md");
    let text = std::fs::read_to_string(&guide).expect("a guide");
    // An insecure link in the body and an unknown front-matter field: warnings, the build goes on.
    let text = text.replacen("review_due: 2027-12-02", "review_due: 2027-12-02\nsee_also_later: x", 1);
    std::fs::write(&guide, format!("{text}\nSee [the old page](http://example.org/old).\n")).expect("edit");
    let first = report_of(&opts);
    assert!(first.contains("insecure-link"), "{first}");
    let store = dir.path().join(".public.parsed");
    let inode = |p: &Path| std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(p).expect("the store"));
    let before = inode(&store);
    let second = report_of(&opts);
    assert_eq!(second, first);
    assert_eq!(inode(&store), before, "nothing changed: the store is not written again");
    // Another file changed: this one's problems are still all there.
    let other = dir.path().join("content/guides/blocked-duct.md");
    let other_text = std::fs::read_to_string(&other).expect("another guide");
    std::fs::write(&other, format!("{other_text}\nA sentence added.\n")).expect("edit");
    assert_eq!(report_of(&opts), first);
    // A later day: the review is now overdue, though the file did not change.
    opts.today = jiff::civil::date(2028, 1, 1);
    let later = report_of(&opts);
    assert!(later.contains("review-overdue") && !first.contains("review-overdue"), "{later}");
    std::fs::remove_file(&store).expect("delete the store");
    assert_eq!(report_of(&opts), later, "the same report without the store");
}

#[test]
fn a_cache_from_another_carebook_is_not_read() {
    let dir = shipped();
    let opts = options(dir.path());
    let (first, _, _) = build(&opts);
    let cache = dir.path().join(".public.cache");
    // The cache with its first line replaced, written whole: its last line is the hash of the
    // lines before it (`write/cache.rs`).
    let rewrite = |header: &dyn Fn(&str) -> String| {
        let text = std::fs::read_to_string(&cache).expect("the cache");
        let (first_line, rest) = text.split_once('\n').expect("a header line");
        let body = rest.trim_end_matches('\n').rsplit_once('\n').expect("a last line").0;
        let body = format!("{}\n{body}", header(first_line));
        let mut h = std::hash::DefaultHasher::new();
        std::hash::Hash::hash(body.as_str(), &mut h);
        std::fs::write(&cache, format!("{body}\nE {:016x}\n", std::hash::Hasher::finish(&h))).expect("write");
    };
    // As written by this carebook: read (the rewriting itself is faithful).
    rewrite(&|h| h.to_string());
    let (again, stats, _) = build(&opts);
    assert!(again == first && stats.reused > 0, "{stats:?}");
    // As another version (or another build of this one) would have written it: not read.
    rewrite(&|h| {
        assert!(h.contains(env!("CARGO_PKG_VERSION")), "the header names the version: {h}");
        h.replacen(env!("CARGO_PKG_VERSION"), "0.0.0-other", 1)
    });
    let (again, stats, _) = build(&opts);
    assert!(again == first, "the build differs from a clean one");
    assert_eq!(stats.reused, 0, "another carebook's cache was read: {stats:?}");
}

#[test]
fn warm_builds_after_each_kind_of_edit_equal_fresh_builds() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut site = Generated::new(dir.path(), 40);
    let opts = options(dir.path());
    build(&opts);
    for edit in [Edit::Body(3), Edit::Title(5), Edit::Flag(7), Edit::Add, Edit::Remove(0), Edit::Title(5)] {
        site.apply(&edit);
        let (warm, stats, _) = build(&opts);
        assert!(warm == fresh(dir.path(), "fresh"), "after {edit:?} the warm build differs from a fresh one");
        assert!(stats.reused > 0, "after {edit:?} nothing was taken again: {stats:?}");
    }
}

/// The inode of each search document file in the output: a file taken again from the last
/// build is hard-linked, so it keeps its inode; one made again gets another.
#[cfg(unix)]
fn doc_inodes(out: &Path) -> BTreeMap<String, u64> {
    use std::os::unix::fs::MetadataExt as _;
    let entries = std::fs::read_dir(out.join("search")).expect("search folder");
    let names = entries.map(|e| e.expect("entry").file_name().to_string_lossy().into_owned());
    let docs = names.filter(|n| n.starts_with('d')).collect::<Vec<_>>();
    docs.into_iter().map(|n| (n.clone(), std::fs::metadata(out.join("search").join(&n)).expect("meta").ino())).collect()
}

#[cfg(unix)]
#[test]
fn a_body_edit_makes_one_search_document_file_again() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut site = Generated::new(dir.path(), 40);
    let opts = options(dir.path());
    build(&opts);
    let before = doc_inodes(&opts.out_dir());
    assert!(before.len() > 10, "{before:?}");
    site.apply(&Edit::Body(21));
    let (warm, _, _) = build(&opts);
    let after = doc_inodes(&opts.out_dir());
    let made: Vec<&String> = after.iter().filter(|(n, i)| before.get(*n) != Some(i)).map(|(n, _)| n).collect();
    // Guides are listed by title: "Guide 21" is the 15th document, in document file 3 (four a file).
    assert_eq!(made, ["d3.js"], "document files made again");
    assert!(warm == fresh(dir.path(), "fresh"), "the warm build differs from a fresh one");
}

/// The search documents are known by their inputs, not made to be compared: an edit that
/// reaches a guide's document from another file (a shared block, the title or other names of a
/// symptom it lists) makes it again.
#[test]
fn an_edit_in_another_file_a_search_document_reads_makes_it_again() {
    let dir = shipped();
    let opts = options(dir.path());
    let (mut last, _, _) = build(&opts);
    let edits: [(&str, &str, &str); 3] = [
        ("content/shared/take-a-painkiller.md", "Paracetamol is also fine.", "Paracetamol is fine too."),
        ("content/symptoms/baby-fever.md", "\ntitle: ", "\ntitle: Very "),
        ("content/symptoms/baby-feeding-concern.md", "sleepy baby,", "drowsy baby,"),
    ];
    for (file, from, to) in edits {
        let path = dir.path().join(file);
        let text = std::fs::read_to_string(&path).expect("the file");
        assert!(text.contains(from), "{file} has {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).expect("edit");
        let (warm, _, _) = build(&opts);
        let search = |t: &BTreeMap<String, Vec<u8>>| {
            t.iter().filter(|(p, _)| p.starts_with("search/d")).map(|(p, b)| (p.clone(), b.clone())).collect::<Vec<_>>()
        };
        assert!(search(&warm) != search(&last), "after editing {file}, no search document changed");
        assert!(warm == fresh(dir.path(), "fresh"), "after editing {file} the warm build differs from a fresh one");
        last = warm;
    }
}

/// Nothing is taken again by a source file's size and time: every text is read and its
/// fingerprint (`parse`: a hash of the text) keys what is made from it, so an edit that keeps
/// the file's size and modification time is still seen.
#[test]
fn an_edit_that_keeps_size_and_time_is_seen() {
    let dir = tempfile::tempdir().expect("tempdir");
    Generated::new(dir.path(), 12);
    let opts = options(dir.path());
    let (first, _, _) = build(&opts);
    let path = dir.path().join("content/guides/g-4.md");
    let modified = std::fs::metadata(&path).and_then(|m| m.modified()).expect("mtime");
    let text = std::fs::read_to_string(&path).expect("guide");
    let edited = text.replacen("Rest, and see", "Rest; and see", 1);
    assert!(edited != text && edited.len() == text.len());
    std::fs::write(&path, edited).expect("edit");
    std::fs::File::options().write(true).open(&path).and_then(|f| f.set_modified(modified)).expect("set mtime");
    let (warm, _, _) = build(&opts);
    assert!(warm != first, "the edit is not in the warm build");
    assert!(warm == fresh(dir.path(), "fresh"), "the warm build differs from a fresh one");
}

/// The inode of each file of `out` whose name starts with `prefix` (see [`doc_inodes`]).
#[cfg(unix)]
fn inodes(out: &Path, prefix: &str) -> BTreeMap<String, u64> {
    use std::os::unix::fs::MetadataExt as _;
    let names = std::fs::read_dir(out).expect("output").map(|e| e.expect("entry").file_name());
    let names = names.map(|n| n.to_string_lossy().into_owned()).filter(|n| n.starts_with(prefix));
    names.map(|n| (n.clone(), std::fs::metadata(out.join(&n)).expect("meta").ino())).collect()
}

/// A site in print books: a body edit makes the book that holds the guide again, and no other;
/// a title edit also print.html, which names each book's first and last guide, and the book of
/// the guide that lists it as related (guide 39, the 34th by title: book 5).
#[cfg(unix)]
#[test]
fn print_books_are_made_again_only_where_a_guide_changed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut site = Generated::new(dir.path(), 40);
    std::fs::write(
        dir.path().join("carebook.toml"),
        "title = \"Generated\"\nlanguage = \"en\"\nprint_book_limit = 8\n",
    )
    .expect("config");
    let opts = options(dir.path());
    build(&opts);
    let out = opts.out_dir();
    for (edit, made) in
        [(Edit::Body(21), vec!["print-2.html"]), (Edit::Title(0), vec!["print-1.html", "print-5.html", "print.html"])]
    {
        let before = inodes(&out, "print");
        assert_eq!(before.len(), 6, "{before:?}");
        site.apply(&edit);
        let (warm, _, _) = build(&opts);
        let after = inodes(&out, "print");
        let again: Vec<&String> = after.iter().filter(|(n, i)| before.get(*n) != Some(i)).map(|(n, _)| n).collect();
        assert_eq!(again, made, "after {edit:?}");
        assert!(warm == fresh(dir.path(), "fresh"), "after {edit:?} the warm build differs from a fresh one");
    }
}

/// An edit an editor makes to the generated site.
#[derive(Clone, Debug)]
enum Edit {
    /// A sentence added to guide n's body.
    Body(usize),
    /// Guide n's title changed.
    Title(usize),
    /// Guide n's red flag reworded and made more urgent.
    Flag(usize),
    /// A new guide.
    Add,
    /// The n-th added guide (if any) removed.
    Remove(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0..GUIDES).prop_map(Edit::Body),
        (0..GUIDES).prop_map(Edit::Title),
        (0..GUIDES).prop_map(Edit::Flag),
        Just(Edit::Add),
        (0..4usize).prop_map(Edit::Remove),
    ]
}

/// Guides of the generated site of the property test.
const GUIDES: usize = 200;
const SYMPTOMS: usize = 12;
const CAUSES: usize = 6;

/// A generated site: `n` guides that link each other, symptoms and causes, each with a red flag;
/// added guides are linked by none, so any of them can be removed again.
struct Generated<'a> {
    root: &'a Path,
    n: usize,
    /// Per guide: (title, extra body sentences, red flag's wording, its urgency).
    guides: Vec<(String, usize, String, &'static str)>,
    /// Ids of the added guides still there.
    added: Vec<String>,
    next: usize,
}

impl<'a> Generated<'a> {
    fn new(root: &'a Path, n: usize) -> Self {
        std::fs::write(root.join("carebook.toml"), "title = \"Generated\"\nlanguage = \"en\"\n").expect("config");
        for dir in ["guides", "symptoms", "causes"] {
            std::fs::create_dir_all(root.join("content").join(dir)).expect("content folder");
        }
        for s in 0..SYMPTOMS {
            let text = format!("---\ntitle: Symptom {s}\nsummary: A sign numbered {s}.\n---\nWhat sign {s} means.\n");
            std::fs::write(root.join(format!("content/symptoms/s-{s}.md")), text).expect("symptom");
        }
        for c in 0..CAUSES {
            let text = format!("---\ntitle: Cause {c}\nsummary: A cause numbered {c}.\n---\nWhy cause {c} happens.\n");
            std::fs::write(root.join(format!("content/causes/c-{c}.md")), text).expect("cause");
        }
        let guides =
            (0..n).map(|i| (format!("Guide {i}"), 0, format!("A worrying sign of guide {i}"), "soon")).collect();
        let site = Generated { root, n, guides, added: Vec::new(), next: 0 };
        for i in 0..n {
            site.write(i);
        }
        site
    }

    fn text(&self, id: &str, i: usize, g: &(String, usize, String, &str)) -> String {
        let (title, extra, sign, urgency) = g;
        let (s1, s2, c) = (i % SYMPTOMS, (i * 7 + 3) % SYMPTOMS, i % CAUSES);
        let related = (i + 1) % self.n;
        let mut body = format!(
            "## Care at home\n\nRest, and see [the next guide](g-{related}.md) and [symptom {s1}](../symptoms/s-{s1}.md).\n"
        );
        for k in 0..*extra {
            body.push_str(&format!("\nAdded sentence {k} of {id}.\n"));
        }
        format!(
            "---\ntitle: {title}\nsummary: What to do about case {i}.\nreviewed: 2026-11-01\nreview_due: 2027-11-01\n\
             symptoms: [s-{s1}, s-{s2}]\ncauses: [c-{c}]\nsteps:\n  - title: Keep feeding\n    text: Feed as usual, case {i}.\n\
             mistakes:\n  - mistake: Waiting too long\n    instead: Act early\n\
             see_a_doctor:\n  - sign: {sign}\n    urgency: {urgency}\n    symptom: s-{s1}\n\
             related: [g-{related}]\nsources:\n  - title: Source {i}\n    url: https://example.org/{i}\n---\n{body}"
        )
    }

    fn write(&self, i: usize) {
        let id = format!("g-{i}");
        std::fs::write(self.root.join(format!("content/guides/{id}.md")), self.text(&id, i, &self.guides[i]))
            .expect("guide");
    }

    /// Makes `edit`; returns the paths it changed (relative to the site, as a watcher says them).
    fn apply(&mut self, edit: &Edit) -> Vec<String> {
        let guide = |id: &str| format!("content/guides/{id}.md");
        match *edit {
            Edit::Body(i) => self.guides[i % self.n].1 += 1,
            Edit::Title(i) => self.guides[i % self.n].0.push_str(" (revised)"),
            Edit::Flag(i) => {
                let g = &mut self.guides[i % self.n];
                g.2.push_str(" again");
                g.3 = if g.3 == "soon" { "urgent" } else { "emergency" };
            }
            Edit::Add => {
                let id = format!("x-{}", self.next);
                let g = (format!("Added guide {}", self.next), 0, format!("Sign of {id}"), "urgent");
                let text = self.text(&id, self.next, &g);
                std::fs::write(self.root.join(guide(&id)), text).expect("guide");
                self.added.push(id.clone());
                self.next += 1;
                return vec![guide(&id)];
            }
            Edit::Remove(k) => {
                if self.added.is_empty() {
                    return Vec::new();
                }
                let id = self.added.remove(k % self.added.len());
                std::fs::remove_file(self.root.join(guide(&id))).expect("remove");
                return vec![guide(&id)];
            }
        }
        let (Edit::Body(i) | Edit::Title(i) | Edit::Flag(i)) = *edit else { return Vec::new() };
        self.write(i % self.n);
        vec![guide(&format!("g-{}", i % self.n))]
    }
}

/// The files of the preview `pages` at every path of `tree` (sw.js excepted: a preview has none).
fn served(pages: &carebook::serve::Pages, tree: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, Vec<u8>> {
    tree.keys()
        .filter(|p| *p != "sw.js" && *p != carebook::write::MARKER)
        .map(|p| {
            let bytes = pages.file(p).unwrap_or_else(|| panic!("the preview has no {p}")).expect("renders");
            (p.clone(), bytes.to_vec())
        })
        .collect()
}

/// The preview's build of `root`, taking over `earlier`'s pages.
fn preview(
    opts: &carebook::Options,
    cache: &mut carebook::Cache,
    earlier: Option<&carebook::serve::Pages>,
) -> carebook::serve::Pages {
    let outcome = carebook::run(opts, carebook::Goal::Preview, Some(cache)).expect("preview runs");
    let (site, theme) = outcome.site.unwrap_or_else(|| panic!("preview failed:\n{}", outcome.report.render_short()));
    carebook::serve::Pages::new(site, theme, earlier)
}

/// 2 cases, or `PROPTEST_CASES`: each builds a 200-guide site several times.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(2)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    /// After every edit of a random sequence, the warm build and the preview (which made only
    /// the pages whose inputs changed) equal a fresh full build byte for byte; a body edit
    /// renders no page but the guide's and print.html.
    #[test]
    fn warm_builds_and_the_preview_equal_a_fresh_build_after_random_edits(
        edits in proptest::collection::vec(edit(), 1..5)
    ) {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut site = Generated::new(dir.path(), GUIDES);
        let opts = options(dir.path());
        let mut cache = carebook::Cache::default();
        build(&opts);
        let mut pages = preview(&opts, &mut cache, None);
        let tree = fresh(dir.path(), "fresh");
        prop_assert!(served(&pages, &tree) == served_expected(&tree));
        for edit in &edits {
            let changed = site.apply(edit);
            let (warm, _, _) = build(&opts);
            let tree = fresh(dir.path(), "fresh");
            prop_assert!(warm == tree, "after {:?} the warm build differs from a fresh one", edit);
            // Told what changed, as serve's watcher tells it: content/ is not walked again.
            cache.changed(&changed);
            pages = preview(&opts, &mut cache, Some(&pages));
            prop_assert!(served(&pages, &tree) == served_expected(&tree), "after {:?} the preview differs", edit);
            if let Edit::Body(i) = edit {
                let mut made: BTreeSet<String> =
                    pages.made_again().into_iter().filter(|p| p.ends_with(".html")).collect();
                prop_assert!(made.remove(&format!("guides/g-{}.html", i % GUIDES)), "{:?}", made);
                // And the one print file that holds the guide: print.html, or its book once an
                // added guide takes the site over print_book_limit.
                let print: Vec<&String> = made.iter().collect();
                prop_assert!(
                    matches!(&print[..], [p] if p.as_str() == "print.html" || (p.starts_with("print-") && tree.contains_key(p.as_str()))),
                    "{:?}",
                    made
                );
            }
        }
    }
}

/// `tree` less what a preview does not serve.
fn served_expected(tree: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, Vec<u8>> {
    tree.iter()
        .filter(|(p, _)| *p != "sw.js" && *p != carebook::write::MARKER)
        .map(|(p, b)| (p.clone(), b.clone()))
        .collect()
}

/// The report of a check of `root` with `cache` (kept from the last one), and of a fresh one.
fn reports(opts: &carebook::Options, cache: &mut carebook::Cache) -> (String, String) {
    let cached = carebook::run(opts, carebook::Goal::Preview, Some(cache)).expect("runs");
    let fresh = carebook::run(opts, carebook::Goal::Preview, None).expect("runs");
    let json = |r: &carebook::Report| r.render(carebook::report::Format::Json, false);
    (json(&cached.report), json(&fresh.report))
}

#[test]
fn a_cached_check_reports_what_a_fresh_one_does() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut site = Generated::new(dir.path(), 20);
    let opts = options(dir.path());
    let mut cache = carebook::Cache::default();
    let guide = |n: usize| dir.path().join(format!("content/guides/g-{n}.md"));
    let append = |n: usize, text: &str| {
        let old = std::fs::read_to_string(guide(n)).expect("read");
        std::fs::write(guide(n), format!("{old}\n{text}\n")).expect("write");
    };
    let (cached, fresh) = reports(&opts, &mut cache);
    assert_eq!(cached, fresh);
    // Each step changes one file; the others' checks come from the cache unless what they read
    // of the changed file (its anchors, its id, whether it exists) changed.
    let mut steps: Vec<(&str, Step<'_>)> = vec![
        ("a link to an anchor g-5 does not have", Box::new(|| append(3, "See [later](g-5.md#later-on)."))),
        ("g-5 gains the anchor", Box::new(|| append(5, "## Later on\n\nMore."))),
        ("g-5 loses it again", Box::new(|| drop(site.apply(&Edit::Body(5))))),
        ("a link to a guide that does not exist", Box::new(|| append(7, "See [new](x-0.md)."))),
        ("the guide comes", Box::new(|| site_add(dir.path()))),
        ("a symptom goes", Box::new(|| std::fs::remove_file(dir.path().join("content/symptoms/s-2.md")).expect("rm"))),
    ];
    let mut broken = 0;
    for (what, step) in &mut steps {
        step();
        let (cached, fresh) = reports(&opts, &mut cache);
        assert_eq!(cached, fresh, "after {what}");
        broken += usize::from(fresh.contains("\"error\""));
    }
    assert!(broken >= 3, "the steps make errors and fix them: {broken}");
}

/// One edit of a test's sequence.
type Step<'a> = Box<dyn FnMut() + 'a>;

/// Adds the guide `x-0`, linked by nothing.
fn site_add(root: &Path) {
    let text = std::fs::read_to_string(root.join("content/guides/g-0.md")).expect("read");
    std::fs::write(root.join("content/guides/x-0.md"), text.replace("title: Guide 0", "title: Added")).expect("write");
}

/// What the model says of the whole site: the lists in order, backlinks, red flags.
fn model_of(site: &carebook::model::Site) -> String {
    let backlinks: BTreeMap<_, _> = site.backlinks.iter().collect();
    let listed: Vec<&str> = site.listed_paths().collect();
    let guides: Vec<(carebook::model::FileId, &str)> =
        site.guides.iter().map(|g| (g.file, g.matter.title.value.as_str())).collect();
    format!("{listed:?}\n{guides:?}\n{backlinks:?}\n{:?}", site.red_flags)
}

#[test]
fn the_model_kept_from_the_last_build_equals_a_fresh_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut site = Generated::new(dir.path(), 30);
    let opts = options(dir.path());
    let mut cache = carebook::Cache::default();
    let model = |cache: Option<&mut carebook::Cache>| {
        let outcome = carebook::run(&opts, carebook::Goal::Preview, cache).expect("runs");
        model_of(&outcome.site.expect("a good site").0)
    };
    assert_eq!(model(Some(&mut cache)), model(None));
    let retitle = |file: &str, from: &str, to: &str| {
        let path = dir.path().join(file);
        let text = std::fs::read_to_string(&path).expect("read");
        std::fs::write(&path, text.replace(from, to)).expect("write");
    };
    // `Err((file, from, to))`: a title changed (the lists are sorted again from the kept keys).
    type Retitle = (&'static str, &'static str, &'static str);
    let steps: [(&str, Result<Edit, Retitle>); 9] = [
        ("a body edit", Ok(Edit::Body(3))),
        (
            "a title that moves the guide to the top",
            Err(("content/guides/g-7.md", "title: Guide 7", "title: Aardvark")),
        ),
        (
            "a title that leaves the guide in place",
            Err(("content/guides/g-7.md", "title: Aardvark", "title: Aardvarks")),
        ),
        ("a title that moves a symptom", Err(("content/symptoms/s-3.md", "title: Symptom 3", "title: A symptom"))),
        ("a red flag made more urgent", Ok(Edit::Flag(9))),
        ("a title that moves the guide to the end", Err(("content/guides/g-7.md", "title: Aardvarks", "title: Zebra"))),
        ("a body edit again", Ok(Edit::Body(9))),
        ("a guide added", Ok(Edit::Add)),
        ("and removed", Ok(Edit::Remove(0))),
    ];
    let mut last = model(None);
    for (what, edit) in &steps {
        match edit {
            Ok(edit) => drop(site.apply(edit)),
            Err((file, from, to)) => retitle(file, from, to),
        }
        let fresh = model(None);
        assert_eq!(model(Some(&mut cache)), fresh, "after {what}");
        assert!(matches!(edit, Ok(Edit::Body(_))) || fresh != last, "{what} changes the model");
        last = fresh;
    }
}

/// `serve` keeps the compiled templates between builds while the theme's files are unchanged: a
/// template changed, added or removed between two previews is seen at once, and a content edit
/// after it is served with the new templates, as a fresh build makes them.
#[test]
fn a_preview_after_a_template_edit_equals_a_fresh_build() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut site = Generated::new(dir.path(), 12);
    let opts = options(dir.path());
    let mut cache = carebook::Cache::default();
    let mut pages = preview(&opts, &mut cache, None);
    let ours = dir.path().join("themes/default/templates");
    std::fs::create_dir_all(&ours).expect("theme folder");
    let builtin = std::fs::read_to_string(repo().join("themes/default/templates/404.html")).expect("404.html");
    let rel = "themes/default/templates/404.html".to_string();
    // What each step does to the site's own 404.html: writes it with a mark, leaves it (and edits
    // a guide), or removes it.
    let steps = [
        ("the site's own 404.html", Some(Some("<!-- ours -->"))),
        ("it changed again", Some(Some("<!-- ours, again -->"))),
        ("a guide's body edited", None),
        ("the site's 404.html removed", Some(None)),
    ];
    for (what, step) in steps {
        let changed = match step {
            Some(Some(mark)) => {
                let text = builtin.replacen("{% endblock", &format!("{mark}{{% endblock"), 1);
                std::fs::write(ours.join("404.html"), text).expect("write");
                vec![rel.clone()]
            }
            Some(None) => {
                std::fs::remove_file(ours.join("404.html")).expect("remove");
                vec![rel.clone()]
            }
            None => site.apply(&Edit::Body(3)),
        };
        cache.changed(&changed);
        pages = preview(&opts, &mut cache, Some(&pages));
        let tree = fresh(dir.path(), "fresh");
        let not_found = String::from_utf8_lossy(&tree["404.html"]).into_owned();
        assert_eq!(not_found.contains("<!-- ours"), what != "the site's 404.html removed", "{what}");
        assert!(served(&pages, &tree) == served_expected(&tree), "after {what} the preview differs");
    }
}

/// The doctor index's signs are kept from one build of the preview to the next by what they are
/// made from, the theme included: a changed `_doctor_flag.html` makes every sign again.
#[test]
fn a_preview_after_a_sign_template_edit_equals_a_fresh_build() {
    let dir = tempfile::tempdir().expect("tempdir");
    let _site = Generated::new(dir.path(), 12);
    let opts = options(dir.path());
    let mut cache = carebook::Cache::default();
    let doctor = "when-to-see-a-doctor.html";
    let pages = preview(&opts, &mut cache, None);
    pages.file(doctor).expect("a doctor index").expect("renders");
    let ours = dir.path().join("themes/default/templates");
    std::fs::create_dir_all(&ours).expect("theme folder");
    let builtin = std::fs::read_to_string(repo().join("themes/default/templates/_doctor_flag.html")).expect("read");
    std::fs::write(ours.join("_doctor_flag.html"), builtin.replace("<li>", "<li class=\"ours\">")).expect("write");
    cache.changed(&["themes/default/templates/_doctor_flag.html".to_string()]);
    let pages = preview(&opts, &mut cache, Some(&pages));
    let tree = fresh(dir.path(), "fresh");
    assert!(String::from_utf8_lossy(&tree[doctor]).contains("<li class=\"ours\">"), "the site's template is used");
    assert!(served(&pages, &tree) == served_expected(&tree), "the preview differs");
}
