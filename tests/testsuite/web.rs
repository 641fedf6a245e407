//! What a web host gets besides the pages (#18): the manifest and the service worker of every
//! build, and with `base_url` set, canonical addresses, social-card meta, `sitemap.xml`,
//! `robots.txt` and a 404 page whose links work from any folder. (The browser test serves them
//! over http and checks them in Chromium: offline, updates, every link from a deep 404.)

use crate::support::{build_ok, have_tool, read_tree, repo, temp_site};
use std::path::Path;

/// A copy of the minimal fixture, with `extra` added at the top of its carebook.toml.
fn site_with(extra: &str) -> tempfile::TempDir {
    let dir = temp_site(&repo().join("tests/fixtures/valid/minimal"));
    let toml = std::fs::read_to_string(dir.path().join("carebook.toml")).expect("read carebook.toml");
    std::fs::write(dir.path().join("carebook.toml"), format!("{extra}\n{toml}")).expect("write carebook.toml");
    dir
}

fn text(out: &Path, file: &str) -> String {
    std::fs::read_to_string(out.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// The cache name in sw.js.
fn cache_of(sw: &str) -> String {
    sw.lines().find(|l| l.starts_with("const CACHE = ")).expect("a cache name").to_string()
}

#[test]
fn the_service_worker_lists_every_file_and_names_its_cache_after_them() {
    let dir = site_with("");
    let out = build_ok(dir.path());
    let tree = read_tree(&out);
    let sw = text(&out, "sw.js");
    for path in tree.keys().filter(|p| !p.starts_with('.') && p.as_str() != "sw.js") {
        assert!(sw.contains(&format!("\"{path}\"")), "sw.js does not list {path}");
    }
    assert!(!sw.contains("\"sw.js\""), "sw.js lists itself");
    let manifest: serde_json::Value = serde_json::from_str(&text(&out, "manifest.webmanifest")).expect("JSON manifest");
    assert_eq!(manifest["icons"][0]["src"], "static/icon.svg");
    assert!(tree.contains_key("static/icon.svg") && tree.contains_key("static/site.js"));
    assert!(tree.contains_key("guides/index.html"), "guides/ has an index page");
    assert!(!tree.contains_key("sitemap.xml") && !tree.contains_key("robots.txt"), "no base_url, no sitemap");

    // The same content gives the same cache; any change to any file, another one.
    let first = cache_of(&sw);
    let again = cache_of(&text(&build_ok(dir.path()), "sw.js"));
    assert_eq!(first, again, "a rebuild of the same content keeps the cache name");
    let guide = dir.path().join("content/guides/mastitis.md");
    let md = std::fs::read_to_string(&guide).expect("read guide");
    std::fs::write(&guide, format!("{md}\nOne more sentence.\n")).expect("write guide");
    let changed = cache_of(&text(&build_ok(dir.path()), "sw.js"));
    assert_ne!(first, changed, "a changed page gives a new cache name");
}

/// What `tests/web/sw.js` saw the built service worker do in Node: the files it precached, whether
/// `page` was kept once fetched online, and what it served offline.
fn run_worker(out: &Path, page: &str, never: &str) -> serde_json::Value {
    let run = std::process::Command::new("node")
        .arg(repo().join("tests/web/sw.js"))
        .args([out.to_str().expect("UTF-8 path"), page, never])
        .output()
        .expect("node runs");
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    serde_json::from_slice(&run.stdout).expect("JSON from tests/web/sw.js")
}

/// A small site is precached whole at the first visit; a large one only its shell (theme files,
/// home, indexes, doctor page, 404), each other page kept once visited and then served offline.
#[test]
fn a_large_site_precaches_its_shell_and_keeps_each_page_once_visited() {
    if !have_tool("node", "the service worker is run in Node") {
        return;
    }
    let dir = site_with("");
    let out = build_ok(dir.path());
    let all: Vec<String> =
        read_tree(&out).into_keys().filter(|p| !p.starts_with('.') && p.as_str() != "sw.js").collect();
    let small = run_worker(&out, "guides/mastitis.html", "guides/blocked-duct.html");
    assert_eq!(small["precached"], serde_json::json!(all), "a small site is precached whole");
    assert_eq!(small["offline"]["page"], true);

    // Over 10 MiB (a large file of the site's own static/): the shell only.
    std::fs::create_dir_all(dir.path().join("static")).expect("mkdir static");
    std::fs::write(dir.path().join("static/video.bin"), vec![7u8; 11 << 20]).expect("write large file");
    let out = build_ok(dir.path());
    let large = run_worker(&out, "guides/mastitis.html", "guides/blocked-duct.html");
    let shell = [
        "404.html",
        "causes/index.html",
        "guides/index.html",
        "index.html",
        "manifest.webmanifest",
        "search/index.js",
        "static/icon.svg",
        "static/search.js",
        "static/site.js",
        "static/style.css",
        "symptoms/index.html",
        "when-to-see-a-doctor.html",
    ];
    assert_eq!(large["precached"], serde_json::json!(shell), "a large site precaches its shell");
    assert_eq!(large["visited"], true, "a visited page is kept");
    assert_eq!(large["offline"]["page"], true, "and served offline as built");
    assert_eq!(large["offline"]["never_is_404"], true, "a page never visited is the 404 page offline");
}

#[test]
fn base_url_gives_canonical_addresses_a_sitemap_robots_and_a_404_that_works_in_any_folder() {
    let dir = site_with("base_url = \"https://example.org/care\"");
    let out = build_ok(dir.path());
    let guide = text(&out, "guides/mastitis.html");
    assert!(
        guide.contains("<link rel=\"canonical\" href=\"https://example.org/care/guides/mastitis.html\">"),
        "{guide}"
    );
    assert!(guide.contains("<meta property=\"og:url\" content=\"https://example.org/care/guides/mastitis.html\">"));
    assert!(guide.contains("<meta name=\"twitter:card\" content=\"summary\">"));
    assert!(text(&out, "index.html").contains("<link rel=\"canonical\" href=\"https://example.org/care/\">"));

    let sitemap = text(&out, "sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/care/guides/mastitis.html</loc>"), "{sitemap}");
    assert!(sitemap.contains("<loc>https://example.org/care/guides/index.html</loc>"));
    assert!(!sitemap.contains("404.html"), "the 404 page is no page to index");
    assert_eq!(text(&out, "robots.txt"), "User-agent: *\nAllow: /\nSitemap: https://example.org/care/sitemap.xml\n");

    // Served for /care/guides/typo.html, 404.html still finds its styles, script and pages.
    let not_found = text(&out, "404.html");
    assert!(
        not_found.contains("href=\"/care/static/style.css\"") && not_found.contains("src=\"/care/static/site.js\"")
    );
    assert!(not_found.contains("href=\"/care/index.html\""));
    assert!(!not_found.contains("rel=\"canonical\""));
    for page in ["guides/mastitis.html", "index.html"] {
        assert!(!text(&out, page).contains("\"/care/"), "{page}: only 404.html links from the site's path");
    }

    // The site's own robots.txt wins.
    std::fs::create_dir_all(dir.path().join("static")).expect("static/");
    std::fs::write(dir.path().join("static/robots.txt"), "User-agent: *\nDisallow: /\n").expect("robots.txt");
    assert_eq!(text(&build_ok(dir.path()), "robots.txt"), "User-agent: *\nDisallow: /\n");
}

#[test]
fn without_base_url_pages_name_no_address() {
    let dir = site_with("");
    let out = build_ok(dir.path());
    for page in ["index.html", "guides/mastitis.html", "404.html"] {
        let html = text(&out, page);
        assert!(!html.contains("rel=\"canonical\"") && !html.contains("og:url"), "{page}");
    }
    assert!(text(&out, "404.html").contains("href=\"static/style.css\""));
}

#[test]
fn no_page_has_inline_script_or_style() {
    let dir = temp_site(&repo().join("tests/fixtures/valid/browser-markdown-features"));
    let out = build_ok(dir.path());
    for (path, bytes) in read_tree(&out).iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        assert!(!html.contains("<style") && !html.contains(" style=\""), "{path}: inline style");
        for script in html.split("<script").skip(1) {
            let tag = &script[..script.find('>').unwrap_or(script.len())];
            assert!(tag.contains(" src="), "{path}: inline script <script{tag}>");
        }
    }
}
