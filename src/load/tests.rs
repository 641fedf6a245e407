use super::*;

/// Reads every file under `<root>/content`.
fn load(root: &Path, diags: &mut Vec<Diagnostic>) -> anyhow::Result<Loaded> {
    load_with(root, diags, None, &Scope::default())
}

/// [`load`], with `cache`.
fn load_cached(root: &Path, diags: &mut Vec<Diagnostic>, cache: &mut Cache) -> anyhow::Result<Loaded> {
    load_with(root, diags, Some(cache), &Scope::default())
}

#[test]
fn a_file_is_read_whole_whatever_its_size_was_when_looked_at() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("a.md");
    for (text, stated) in [("", 0), ("twelve bytes", 12), ("twelve bytes", 5), ("twelve bytes", 0), ("x", 40)] {
        std::fs::write(&path, text).expect("write");
        let mut f = std::fs::File::open(&path).expect("open");
        // `stated` is the size seen before the file grew or shrank.
        assert_eq!(read_sized(&mut f, stated).expect("read"), text.as_bytes(), "{text:?} stated {stated}");
    }
}

#[test]
fn utf16_without_bom_is_named_as_such() {
    let utf16: Vec<u8> = "---\ntitle: x\n---\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
    assert!(decode(&utf16).expect_err("utf-16").1.contains("UTF-16"));
    let be: Vec<u8> = "---\ntitle: x\n".encode_utf16().flat_map(u16::to_be_bytes).collect();
    assert!(decode(&be).expect_err("utf-16").1.contains("UTF-16"));
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
    assert!(decode(png).expect_err("binary").1.contains("binary"));
}

/// The SIMD check of UTF-8 takes exactly the text std's check takes, and an error still says
/// where the first bad byte is: on long Cyrillic and ASCII text with every kind of bad sequence
/// (stray continuation, overlong, surrogate, above U+10FFFF, cut short) at every place.
#[test]
fn utf8_is_checked_as_std_checks_it() {
    let good = "Лактостаз — застой молока; mastitis ё Ё 🍼 ".repeat(9);
    let bad: [&[u8]; 8] =
        [b"\x80", b"\xC0\xAF", b"\xED\xA0\x80", b"\xF4\x90\x80\x80", b"\xD0", b"\xE2\x82", b"\xFF", b"\xF0\x9F\x8D"];
    let mut cases: Vec<Vec<u8>> = vec![good.clone().into_bytes(), Vec::new()];
    for at in (0..good.len()).step_by(37) {
        for b in bad {
            let mut bytes = good.as_bytes()[..at].to_vec();
            bytes.extend_from_slice(b);
            bytes.extend_from_slice(&good.as_bytes()[at..]);
            cases.push(bytes);
        }
    }
    for bytes in &cases {
        let plain = std::str::from_utf8(bytes).map_err(|e| e.valid_up_to());
        let checked = decode(bytes).map_err(|(at, _, _)| at.unwrap_or(usize::MAX));
        assert_eq!(checked, plain, "{bytes:?}");
    }
}

/// Writes `text` to `path` and sets its modification time to `at`.
fn write_at(path: &Path, text: &str, at: SystemTime) {
    std::fs::write(path, text).expect("write");
    std::fs::File::options().write(true).open(path).and_then(|f| f.set_modified(at)).expect("set mtime");
}

fn text_of(root: &Path, cache: &mut Cache) -> String {
    let loaded = load_cached(root, &mut Vec::new(), cache).expect("load");
    loaded.files.first().map(|f| f.text.to_string()).unwrap_or_default()
}

#[test]
fn the_cache_keeps_files_whose_size_and_time_are_unchanged_but_never_racy_ones() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::create_dir_all(root.join("content/guides")).expect("mkdir");
    let file = root.join("content/guides/a.md");
    let old = SystemTime::now() - Duration::from_secs(60);
    let mut cache = Cache::default();

    write_at(&file, "text one", old);
    assert_eq!(text_of(root, &mut cache), "text one");
    // Same size, same old time: taken from the cache, not read (which shows the cache is used).
    write_at(&file, "text two", old);
    assert_eq!(text_of(root, &mut cache), "text one");
    // Another time, or another size: read again.
    write_at(&file, "text two", old + Duration::from_secs(1));
    assert_eq!(text_of(root, &mut cache), "text two");
    write_at(&file, "text three", old + Duration::from_secs(1));
    assert_eq!(text_of(root, &mut cache), "text three");

    // Modified just before it was read: the same size and time may hide another edit.
    let recent = SystemTime::now();
    write_at(&file, "text four", recent);
    assert_eq!(text_of(root, &mut cache), "text four");
    write_at(&file, "text five", recent);
    assert_eq!(text_of(root, &mut cache), "text five");

    // A plain load never uses a cache.
    write_at(&file, "text zero", old);
    assert_eq!(text_of(root, &mut cache), "text zero");
    write_at(&file, "text nine", old);
    assert_eq!(load(root, &mut Vec::new()).expect("load").files[0].text.as_ref(), "text nine");
}

#[test]
fn told_what_changed_a_load_reads_only_that_and_walks_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let guides = root.join("content/guides");
    std::fs::create_dir_all(&guides).expect("mkdir");
    for name in ["b", "d"] {
        std::fs::write(guides.join(format!("{name}.md")), name).expect("write");
    }
    let mut cache = Cache::default();
    let names = |l: &Loaded| l.files.iter().map(|f| (f.path.clone(), f.text.to_string())).collect::<Vec<_>>();
    let mut diags = Vec::new();
    let first = load_cached(root, &mut diags, &mut cache).expect("load");
    assert_eq!(names(&first).len(), 2);

    // A new guide between the two, one edited, one removed, a README and a hidden file: only
    // the paths told are looked at, and they land where a walk puts them.
    for (name, text) in [("a", "a"), ("c", "c"), ("README", "notes")] {
        std::fs::write(guides.join(format!("{name}.md")), text).expect("write");
    }
    std::fs::write(guides.join("b.md"), "b edited").expect("write");
    std::fs::remove_file(guides.join("d.md")).expect("rm");
    std::fs::write(guides.join(".x.md"), "hidden").expect("write");
    let told = ["content/guides/c.md", "content/guides/b.md", "content/guides/d.md", "content/guides/README.md"];
    cache.changed(told.iter().map(|s| s.to_string()));
    cache.changed(["content/guides/.x.md".to_string(), "themes/default/x.html".to_string()]);
    let quick = load_cached(root, &mut diags, &mut cache).expect("load");
    let expected = |names: &[(&str, &str)]| -> Vec<(String, String)> {
        names.iter().map(|(n, t)| (format!("content/guides/{n}.md"), t.to_string())).collect()
    };
    // `a.md` was not told: without a walk it is not seen.
    assert_eq!(names(&quick), expected(&[("b", "b edited"), ("c", "c")]));
    assert!(diags.is_empty(), "{diags:?}");

    // Told nothing, a load walks: `a.md` is found.
    let walked = load_cached(root, &mut diags, &mut cache).expect("load");
    assert_eq!(names(&walked), expected(&[("a", "a"), ("b", "b edited"), ("c", "c")]));
    assert_eq!(names(&walked), names(&load(root, &mut diags).expect("load")));

    // A folder, or a file that is not Markdown, makes it walk.
    std::fs::create_dir(guides.join("sub")).expect("mkdir");
    std::fs::write(guides.join("sub/e.md"), "e").expect("write");
    cache.changed(["content/guides/sub".to_string()]);
    let walked = load_cached(root, &mut diags, &mut cache).expect("load");
    assert_eq!(names(&walked).len(), 4);
    std::fs::write(guides.join("f.md"), "f").expect("write");
    std::fs::write(guides.join("picture.png"), "png").expect("write");
    cache.changed(["content/guides/picture.png".to_string()]);
    let walked = load_cached(root, &mut diags, &mut cache).expect("load");
    assert_eq!(names(&walked).len(), 5);
    assert_eq!(walked.assets, ["content/guides/picture.png"]);
}

/// The walk lists files in the order of a walk sorted folder by folder (the plain path it
/// replaces), with names that sort differently as whole paths (`a/`, `a-b`, `a.b`) and non-ASCII.
#[test]
fn the_walk_lists_files_in_the_order_of_a_walk_sorted_by_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let content = dir.path().join("content");
    let files = "a.md a-b.md a/x.md a/b/y.md a/b.md a-b/z.md a.b/w.md B.md ä.md a.png a/img.svg z.svg a-b/c.svg \
                 a/notes.txt guides/mastitis.md guides-old/x.md";
    for f in files.split_whitespace() {
        let path = content.join(f);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, "x").expect("write");
    }
    let plain: Vec<String> = WalkDir::new(&content)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| rel(dir.path(), e.path()))
        .collect();
    let (mut loaded, mut diags) = (Loaded::default(), Vec::new());
    let (to_read, svgs, _) = walk_content(dir.path(), &content, &Scope::default(), &rel, &mut loaded, &mut diags);
    let names = |l: &[(PathBuf, String)]| l.iter().map(|(_, r)| r.clone()).collect::<Vec<_>>();
    let of = |md: bool| plain.iter().filter(|p| p.ends_with(".md") == md).cloned().collect::<Vec<_>>();
    assert_eq!(names(&to_read), of(true));
    assert_eq!(loaded.assets, of(false));
    assert_eq!(names(&svgs), plain.iter().filter(|p| p.ends_with(".svg")).cloned().collect::<Vec<_>>());
    assert!(diags.is_empty(), "{diags:?}");
}
