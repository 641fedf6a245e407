//! Building the shipped site: every page kind exists, every link and anchor resolves offline,
//! and the doctor index holds every red flag of every guide, most urgent first.

use crate::support::{build_ok, options, preview, read_tree, repo, shipped, temp_site};
use carebook::schema::Urgency;
use scraper::{Html, Selector};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("valid selector")
}

#[test]
fn every_page_kind_is_written() {
    let dir = shipped();
    let out = build_ok(dir.path());
    assert_every_page_kind(dir.path(), &out, false);
}

/// The checks of this module that hold for any site, run on the site at `root` built into `out`
/// (with `drafts` as it was built): every page kind is written, every link resolves offline,
/// ids are unique, and the doctor index lists every red flag most urgent first.
pub(crate) fn assert_reader_checks(root: &Path, out: &Path, drafts: bool) {
    assert_every_page_kind(root, out, drafts);
    assert_links_resolve(root, out, drafts);
    assert_ids_unique(out);
    assert_doctor_index(root, out, drafts);
}

/// The checked site at `root`, as built with or without drafts.
pub(crate) fn checked(root: &Path, drafts: bool) -> carebook::model::Site {
    let mut opts = options(root);
    opts.drafts = drafts;
    let (report, site) = preview(&opts).expect("check");
    site.unwrap_or_else(|| panic!("the site has errors:\n{}", report.render_short()))
}

/// Every fixed page and every content page of the site at `root` is in `out`.
pub(crate) fn assert_every_page_kind(root: &Path, out: &Path, drafts: bool) {
    let site = checked(root, drafts);
    let mut expected = vec![
        "index.html".to_string(),
        "symptoms/index.html".into(),
        "causes/index.html".into(),
        "when-to-see-a-doctor.html".into(),
        "print.html".into(),
        "404.html".into(),
        "search/index.js".into(),
        "static/style.css".into(),
    ];
    for n in [site.guides.len(), site.symptoms.len(), site.causes.len(), site.pages.len()] {
        assert!(n > 0, "the site has every kind of content");
    }
    expected.extend(site.listed_paths().map(str::to_string));
    for p in expected {
        assert!(out.join(&p).is_file(), "missing output page {p}");
    }
}

/// Every id in an HTML document.
fn ids(doc: &Html) -> BTreeSet<String> {
    doc.select(&sel("[id]")).filter_map(|e| e.value().attr("id")).map(str::to_string).collect()
}

#[test]
fn every_link_is_relative_and_resolves_to_a_file_and_anchor() {
    let dir = shipped();
    let out = build_ok(dir.path());
    let checked = assert_links_resolve(dir.path(), &out, false);
    assert!(checked > 500, "the site has links ({checked} checked)");
}

/// Every link of the site at `root` built into `out`, in every language, resolves
/// ([`link_problems`]); only sources point at other hosts. Returns how many links were checked.
pub(crate) fn assert_links_resolve(root: &Path, out: &Path, drafts: bool) -> usize {
    let site = checked(root, drafts);
    // The sources of every language's guides.
    let source_urls: BTreeSet<String> = std::iter::once(&site)
        .chain(&site.lang.translations)
        .flat_map(|s| s.guides.iter())
        .flat_map(|g| g.matter.sources.iter().map(|s| s.url.value.clone()))
        .collect();
    let (checked, problems) = link_problems(out, &source_urls);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    checked
}

/// Linked files with characters that mean something in a URL (`#`, `?`, `%`, spaces, quotes,
/// non-ASCII) get hrefs that lead to them once the browser decodes them, and addresses of other
/// sites keep no character a browser would read otherwise (a backslash is read as `/`).
#[test]
fn links_to_awkward_file_names_resolve() {
    let dir = temp_site(&repo().join("tests/fixtures/valid/minimal"));
    let files = dir.path().join("content/pages/files");
    std::fs::create_dir_all(&files).expect("mkdir");
    let names = [
        ("Handout #3 q?.pdf", "Handout%20%233%20q%3F.pdf"),
        ("spaces and ümlaut.txt", "spaces%20and%20%C3%BCmlaut.txt"),
        ("100% sure.txt", "100%25%20sure.txt"),
        ("a'b&c (1).txt", "a'b&c%20(1).txt"),
        ("<tag> \"q\".txt", "%3Ctag%3E%20%22q%22.txt"),
    ];
    let mut body = String::from("---\ntitle: About this site\n---\n## Files\n\n");
    for (name, written) in names {
        std::fs::write(files.join(name), name).expect("write");
        body.push_str(&format!("- [{}](files/{written})\n", name.replace(['<', '>', '"'], "")));
    }
    body.push_str("- [back](#files) [away](https://example.org/a\\b) [umlaut](<https://example.org/ä ö?q=1&r=2>)\n");
    std::fs::write(dir.path().join("content/pages/about.md"), body).expect("write");
    let out = build_ok(dir.path());
    let (checked, problems) = link_problems(&out, &BTreeSet::new());
    assert!(checked > 20, "{checked} links checked");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let about = std::fs::read_to_string(out.join("pages/about.html")).expect("about");
    assert!(about.contains("href=\"../pages/files/Handout%20%233%20q%3F.pdf\""), "{about}");
    assert!(about.contains("href=\"https://example.org/a%5Cb\""), "{about}");
    assert!(about.contains("href=\"https://example.org/%C3%A4%20%C3%B6?q=1&amp;r=2\""), "{about}");
}

/// Checks every href and src of every page under `out`, as a browser reads them (percent-decoded):
/// each leads to a file of the site and, with a fragment, to an element with that id. Addresses
/// of other hosts are allowed only as links to `allowed_remote` (sources). Returns how many
/// were checked and what is wrong.
fn link_problems(out: &std::path::Path, allowed_remote: &BTreeSet<String>) -> (usize, Vec<String>) {
    let tree = read_tree(out);
    let pages: BTreeMap<&str, Html> = tree
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p.as_str(), Html::parse_document(&String::from_utf8_lossy(b))))
        .collect();
    let page_ids: BTreeMap<&str, BTreeSet<String>> = pages.iter().map(|(p, d)| (*p, ids(d))).collect();
    let mut problems = Vec::new();
    let mut checked = 0;
    for (page, doc) in &pages {
        for (attr, css) in [("href", "[href]"), ("src", "[src]")] {
            for el in doc.select(&sel(css)) {
                let Some(url) = el.value().attr(attr) else { continue };
                checked += 1;
                if url.chars().any(|c| c.is_whitespace() || c == '\\' || !c.is_ascii()) {
                    problems.push(format!("{page}: `{url}` is not percent-encoded"));
                }
                if url.contains("://") || url.starts_with("//") || url.starts_with("mailto:") {
                    let listed = allowed_remote.iter().any(|s| encoded(s) == url);
                    if attr == "src" || el.value().name() != "a" || !(listed || allowed_remote.is_empty()) {
                        problems.push(format!("{page}: points at another host: {url}"));
                    }
                    continue;
                }
                if url.starts_with('/') {
                    problems.push(format!("{page}: absolute path {url}"));
                    continue;
                }
                let (path, frag) = url.split_once('#').unwrap_or((url, ""));
                let (path, frag) = (percent_decode(path), percent_decode(frag));
                let target = if path.is_empty() { page.to_string() } else { join(page, &path) };
                if !tree.contains_key(&target) {
                    problems.push(format!("{page}: `{url}` → missing file {target}"));
                    continue;
                }
                if !frag.is_empty() && !page_ids.get(target.as_str()).is_some_and(|ids| ids.contains(&frag)) {
                    problems.push(format!("{page}: `{url}` → no id `{frag}` in {target}"));
                }
            }
        }
    }
    (checked, problems)
}

/// `s` percent-decoded as UTF-8, as a browser decodes a URL path.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |at: usize| b.get(at).and_then(|c| (*c as char).to_digit(16));
        if b[i] == b'%'
            && let (Some(h), Some(l)) = (hex(i + 1), hex(i + 2))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A source address as an href holds it: what a browser does not take as written is percent-encoded.
fn encoded(url: &str) -> String {
    url.bytes()
        .map(|b| {
            if b.is_ascii_graphic() && !b"\"<>\\^`{|}".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Resolves a relative URL against the folder of `page`.
fn join(page: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for seg in rel.split('/') {
        match seg {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

#[test]
fn ids_are_unique_on_every_page() {
    let dir = shipped();
    let out = build_ok(dir.path());
    assert_ids_unique(&out);
}

/// No page under `out` has an id twice.
pub(crate) fn assert_ids_unique(out: &Path) {
    for (page, bytes) in read_tree(out).iter().filter(|(p, _)| p.ends_with(".html")) {
        let doc = Html::parse_document(&String::from_utf8_lossy(bytes));
        let all: Vec<&str> = doc.select(&sel("[id]")).filter_map(|e| e.value().attr("id")).collect();
        let unique: BTreeSet<&str> = all.iter().copied().collect();
        assert_eq!(all.len(), unique.len(), "duplicate ids on {page}");
    }
}

#[test]
fn doctor_index_lists_every_red_flag_by_urgency() {
    let dir = shipped();
    let out = build_ok(dir.path());
    let total = assert_doctor_index(dir.path(), &out, false);
    assert!(total >= 15, "the shipped site has at least 15 red flags ({total})");
}

/// The doctor index of the site at `root` built into `out` has a card for each tier, most urgent
/// first, and lists every red flag of every guide in its tier's card, linked to the guide's
/// warning signs. Returns the number of red flags.
pub(crate) fn assert_doctor_index(root: &Path, out: &Path, drafts: bool) -> usize {
    assert_doctor_page(&checked(root, drafts), out)
}

/// [`assert_doctor_index`] for one language: its site model and the folder its pages went to
/// (`public/`, or `public/ru/` for a translation).
pub(crate) fn assert_doctor_page(site: &carebook::model::Site, out: &Path) -> usize {
    let html = std::fs::read_to_string(out.join("when-to-see-a-doctor.html")).expect("doctor page");
    let doc = Html::parse_document(&html);
    let cards: Vec<_> = doc.select(&sel(".care-card")).collect();
    let order: Vec<String> = cards
        .iter()
        .filter_map(|c| c.value().classes().find(|k| k.starts_with("care-card-")).map(str::to_string))
        .collect();
    let expected: Vec<String> = Urgency::ALL.iter().map(|u| format!("care-card-{}", u.as_str())).collect();
    assert_eq!(order, expected, "tiers appear most urgent first");
    let text = |e: &scraper::ElementRef| e.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ");
    let mut total = 0;
    for g in site.guides.iter().map(|g| g.file) {
        let guide = &site.guide(g).expect("guide").matter;
        let href = format!("{}#see-a-doctor", site.out_path(g));
        for flag in &guide.see_a_doctor {
            total += 1;
            let tier = flag.urgency.value.as_str();
            let card = cards
                .iter()
                .find(|c| c.value().has_class(&format!("care-card-{tier}"), scraper::CaseSensitivity::CaseSensitive))
                .expect("card for tier");
            let sign: String = flag.sign.value.split_whitespace().collect::<Vec<_>>().join(" ");
            let items: Vec<_> = card.select(&sel("li")).filter(|li| text(li).contains(&strip_md(&sign))).collect();
            assert!(!items.is_empty(), "`{sign}` ({tier}) is not in the {tier} card");
            assert!(
                items.iter().any(|li| li.select(&sel("a")).any(|a| a.value().attr("href") == Some(&href))),
                "`{sign}` does not link to {href}"
            );
        }
    }
    total
}

/// The visible text of simple inline Markdown (emphasis markers removed).
fn strip_md(s: &str) -> String {
    s.replace("**", "").replace('*', "").replace('_', " ").split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn front_matter_text_is_escaped() {
    let dir = temp_site(&repo().join("tests/fixtures/valid/minimal"));
    let p = dir.path().join("content/guides/mastitis.md");
    let text = std::fs::read_to_string(&p).expect("read");
    let hostile = text.replace("title: Mastitis", "title: \"Mastitis <script>alert(1)</script>\"").replace(
        "summary: A sore, red area of the breast, sometimes with fever.",
        "summary: \"<img src=x onerror=alert(1)> A sore area\"",
    );
    std::fs::write(&p, hostile).expect("write");
    let out = build_ok(dir.path());
    for (page, bytes) in read_tree(&out).iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        assert!(!html.contains("<script>alert"), "{page} has an unescaped script");
        assert!(!html.contains("<img src=x"), "{page} has an unescaped img");
    }
    let guide = String::from_utf8_lossy(&read_tree(&out)["guides/mastitis.html"]).to_string();
    assert!(guide.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the title is shown, escaped");
}

/// Tera's fast escaper keeps markup out of pages: a title with all five special characters comes
/// out as text, and a quote cannot end an attribute.
#[test]
fn titles_with_markup_characters_are_escaped() {
    let dir = shipped();
    let path = dir.path().join("content/guides/mastitis.md");
    let text = std::fs::read_to_string(&path).expect("read");
    let edited: Vec<String> = text
        .lines()
        .map(|l| {
            if l.starts_with("title: ") { r#"title: "<b>Tom & Jerry's \"x\"</b>""#.to_string() } else { l.to_string() }
        })
        .collect();
    let edited = edited.join("\n") + "\n";
    std::fs::write(&path, edited).expect("write");
    let out = build_ok(dir.path());
    let html = std::fs::read_to_string(out.join("guides/mastitis.html")).expect("page");
    assert!(html.contains("&lt;b&gt;Tom &amp; Jerry&#39;s &quot;x&quot;&lt;/b&gt;"), "title not escaped");
    assert!(!html.contains("<b>Tom"), "markup from front matter reached the page");
}
