//! Shared blocks (`content/shared/`): a step or warning sign written once and used by id from
//! many guides renders exactly as if each guide wrote it, and editing it changes every page.

use std::path::Path;

use crate::support::{build_ok, read_tree, repo, temp_site};

fn fixture() -> std::path::PathBuf {
    repo().join("tests/fixtures/valid/shared-blocks")
}

/// The site at `root` with every `- shared: id` item replaced by the item its block holds, and
/// content/shared/ removed: what the guides would be without shared blocks.
fn written_inline(root: &Path) {
    let shared = root.join("content/shared");
    let mut blocks = Vec::new();
    for e in std::fs::read_dir(&shared).expect("content/shared") {
        let path = e.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("read block");
        let id = path.file_stem().expect("a name").to_string_lossy().into_owned();
        // The front matter after its list key (`steps:` or `see_a_doctor:`): the item as a
        // guide writes it, at the same indentation.
        let matter = text.split("---\n").nth(1).expect("front matter");
        let item = matter.split_once('\n').expect("a list key").1.to_string();
        blocks.push((format!("  - shared: {id}\n"), item));
    }
    std::fs::remove_dir_all(&shared).expect("remove content/shared");
    for e in std::fs::read_dir(root.join("content/guides")).expect("guides") {
        let path = e.expect("entry").path();
        let mut text = std::fs::read_to_string(&path).expect("read guide");
        for (used, item) in &blocks {
            text = text.replace(used, item);
        }
        assert!(!text.contains("shared:"), "{}: a use left", path.display());
        std::fs::write(&path, text).expect("write guide");
    }
}

#[test]
fn shared_blocks_render_exactly_as_if_written_inline() {
    let with_blocks = temp_site(&fixture());
    let inline = temp_site(&fixture());
    written_inline(inline.path());
    let a = read_tree(&build_ok(with_blocks.path()));
    let b = read_tree(&build_ok(inline.path()));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>(), "the same files");
    for (path, bytes) in &a {
        assert!(b[path] == *bytes, "{path} differs from the page written inline");
    }
    let page = String::from_utf8_lossy(&a["guides/blocked-duct.html"]).into_owned();
    assert!(page.contains("<strong>Ibuprofen</strong>"), "the block's Markdown is rendered");
    assert!(page.contains("../symptoms/fever.html"), "the block's link is resolved");
}

#[test]
fn editing_a_shared_block_changes_every_page_that_uses_it() {
    let site = temp_site(&fixture());
    let before = read_tree(&build_ok(site.path()));
    for (file, from, to) in [
        ("take-a-painkiller.md", "eases pain and swelling", "eases pain, swelling and fever"),
        ("high-temperature.md", "A temperature of **38 °C** or above", "A temperature of **38.5 °C** or above"),
    ] {
        let path = site.path().join("content/shared").join(file);
        let text = std::fs::read_to_string(&path).expect("read block");
        assert!(text.contains(from));
        std::fs::write(&path, text.replace(from, to)).expect("write block");
    }
    let after = read_tree(&build_ok(site.path()));
    let page =
        |tree: &std::collections::BTreeMap<String, Vec<u8>>, p: &str| String::from_utf8_lossy(&tree[p]).into_owned();
    for guide in ["guides/mastitis.html", "guides/blocked-duct.html"] {
        assert!(!page(&before, guide).contains("swelling and fever"), "{guide}");
        assert!(page(&after, guide).contains("eases pain, swelling and fever"), "{guide}: the step changed");
        assert!(page(&after, guide).contains("<strong>38.5 °C</strong>"), "{guide}: the sign changed");
    }
    // Where signs are gathered from every guide, too.
    let gathered: Vec<&String> =
        after.keys().filter(|p| p.ends_with(".html") && page(&after, p).contains("<strong>38.5 °C</strong>")).collect();
    assert!(gathered.iter().any(|p| p.starts_with("symptoms/fever")), "the symptom page: {gathered:?}");
    assert!(gathered.len() >= 4, "guides, symptom page and doctor index: {gathered:?}");
}
