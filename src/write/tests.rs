use super::marker::{MARKER_TEXT, foreign, marker_text};
use super::staging::same_bytes;
use super::target::check_path;
use super::*;
use crate::output::OutputFile;
use std::collections::BTreeMap;
use std::fs::File;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

type Tree = BTreeMap<String, Option<Vec<u8>>>;

/// Write `files` as the new content of `out`, atomically, and say what was done.
///
/// `out` is checked with [`check_output_target`] first, and its parent folder is created if missing.
/// A lock file `.<name>.lock` next to `out` keeps two builds apart; temporary folders of killed
/// builds next to `out` are removed. The new tree is built in a temporary folder next to `out`:
/// each file whose bytes equal the previous output's is hard-linked, the others are written, and the
/// [`MARKER`] file is added. Then the temporary folder replaces `out` by two renames, and the
/// previous tree is deleted (failing to delete it is not an error: the next build does it).
///
/// # Errors
///
/// A refused target, an output path that is absolute, has a `..`, `.` or empty segment, a
/// backslash or a NUL, two files with one path, a file that is also a folder (all bugs, never
/// content), a build already holding the lock, and any I/O failure (the message names the path).
/// When it fails, `out` is left as it was.
fn write_site(root: &Path, out: &Path, files: &[OutputFile]) -> Result<WriteStats> {
    // Each path is checked as it is put; a bad one drops the temporary folder, leaving no trace.
    let written = write_site_with(root, out, |staging| {
        for file in files {
            staging.put(&file.path, &file.bytes)?;
        }
        Ok(Some(()))
    })?;
    Ok(written.map(|((), stats)| stats).unwrap_or_default())
}

/// Every folder (`None`) and file (`Some(bytes)`) under `dir`, by relative path.
fn snapshot(dir: &Path) -> Tree {
    fn walk(base: &Path, dir: &Path, tree: &mut Tree) {
        let mut entries: Vec<_> =
            fs::read_dir(dir).expect("read_dir").map(|entry| entry.expect("entry").path()).collect();
        entries.sort();
        for path in entries {
            let rel = path.strip_prefix(base).expect("prefix").to_string_lossy().into_owned();
            let meta = fs::symlink_metadata(&path).expect("metadata");
            if meta.is_dir() {
                tree.insert(rel, None);
                walk(base, &path, tree);
            } else {
                tree.insert(rel, Some(fs::read(&path).expect("read")));
            }
        }
    }
    let mut tree = Tree::new();
    walk(dir, dir, &mut tree);
    tree
}

fn file(path: &str, bytes: &str) -> OutputFile {
    OutputFile { path: path.to_string(), bytes: bytes.as_bytes().to_vec() }
}

/// A site folder with `content/` and `themes/`; returns (guard, root, out = root/public).
fn site() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("site");
    fs::create_dir_all(root.join("content/guides")).expect("mkdir");
    fs::create_dir_all(root.join("themes/default")).expect("mkdir");
    let out = root.join("public");
    (dir, root, out)
}

fn site_files() -> Vec<OutputFile> {
    vec![
        file("index.html", "<h1>home</h1>"),
        file("guides/milk-stasis.html", "milk stasis"),
        file("guides/mastitis.html", "mastitis"),
        file("static/css/site.css", "body {}"),
        file("empty.txt", ""),
    ]
}

fn expected_tree(files: &[OutputFile]) -> Tree {
    let mut tree = Tree::new();
    for file in files {
        for (at, _) in file.path.match_indices('/') {
            tree.insert(file.path[..at].to_string(), None);
        }
        tree.insert(file.path.clone(), Some(file.bytes.clone()));
    }
    tree.insert(MARKER.to_string(), Some(marker_text(files.iter().map(|f| &f.path)).into_bytes()));
    tree
}

/// The names in `dir` other than the site's own folders.
fn leftovers(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("read_dir")
        .map(|entry| entry.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| !["content", "themes", "public"].contains(&name.as_str()))
        .collect();
    names.sort();
    names
}

fn error(result: Result<impl std::fmt::Debug>) -> String {
    format!("{:#}", result.expect_err("expected an error"))
}

#[test]
fn refuses_root() {
    let (_dir, root, _) = site();
    let err = error(check_output_target(&root, &root));
    assert!(err.contains("it is the site's own folder"), "{err}");
    assert!(err.contains(&root.display().to_string()), "{err}");
    // Also through a path that is spelled differently.
    let err = error(check_output_target(&root, &root.join("content/..")));
    assert!(err.contains("it is the site's own folder"), "{err}");
    assert!(write_site(&root, &root, &site_files()).is_err());
}

#[test]
fn refuses_ancestor_of_root() {
    let (dir, root, _) = site();
    let err = error(check_output_target(&root, dir.path()));
    assert!(err.contains("it contains the site's folder"), "{err}");
    let err = error(check_output_target(&root, Path::new("/")));
    assert!(err.contains("it contains the site's folder"), "{err}");
}

#[test]
fn refuses_content_and_themes() {
    let (_dir, root, _) = site();
    for out in [
        root.join("content"),
        root.join("content/guides"),
        root.join("content/new/public"),
        root.join("themes"),
        root.join("themes/default/out"),
    ] {
        let err = error(check_output_target(&root, &out));
        assert!(err.contains("refusing to write the site into"), "{err}");
        assert!(err.contains("it is inside the"), "{err}");
    }
    let before = snapshot(&root);
    assert!(write_site(&root, &root.join("content"), &site_files()).is_err());
    assert_eq!(snapshot(&root), before);
}

#[test]
fn refuses_folder_without_marker() {
    let (_dir, root, out) = site();
    fs::create_dir(&out).expect("mkdir");
    fs::write(out.join("notes.txt"), "mine").expect("write");
    let err = error(check_output_target(&root, &out));
    assert!(err.contains("it is not empty and has no `.carebook-build` file"), "{err}");
    let before = snapshot(&root);
    assert!(write_site(&root, &out, &site_files()).is_err());
    assert_eq!(snapshot(&root), before);
}

#[test]
fn refuses_file() {
    let (_dir, root, out) = site();
    fs::write(&out, "a file").expect("write");
    let err = error(check_output_target(&root, &out));
    assert!(err.contains("it is a file, not a folder"), "{err}");
    assert!(write_site(&root, &out, &site_files()).is_err());
    assert_eq!(fs::read(&out).expect("read"), b"a file");
}

#[cfg(unix)]
#[test]
fn refuses_symlink() {
    let (dir, root, out) = site();
    let real = dir.path().join("real");
    fs::create_dir(&real).expect("mkdir");
    fs::write(real.join(MARKER), MARKER_TEXT).expect("write");
    std::os::unix::fs::symlink(&real, &out).expect("symlink");
    let err = error(check_output_target(&root, &out));
    assert!(err.contains("it is a symbolic link"), "{err}");
    let mut with_slash = out.clone().into_os_string();
    with_slash.push("/");
    let err = error(check_output_target(&root, Path::new(&with_slash)));
    assert!(err.contains("it is a symbolic link"), "{err}");
    assert!(write_site(&root, &out, &site_files()).is_err());
    assert_eq!(snapshot(&real).len(), 1);
}

#[cfg(unix)]
#[test]
fn refuses_content_through_symlink() {
    let (dir, root, _) = site();
    let elsewhere = dir.path().join("elsewhere");
    fs::create_dir(&elsewhere).expect("mkdir");
    fs::remove_dir_all(root.join("content")).expect("rm");
    std::os::unix::fs::symlink(&elsewhere, root.join("content")).expect("symlink");
    let err = error(check_output_target(&root, &elsewhere.join("public")));
    assert!(err.contains("it is inside the content folder"), "{err}");
}

#[test]
fn accepts_usual_targets() {
    let (dir, root, out) = site();
    // Missing, inside the root.
    check_output_target(&root, &out).expect("missing out");
    // Missing, with missing parents.
    check_output_target(&root, &root.join("build/site/public")).expect("nested");
    // Outside the root.
    check_output_target(&root, &dir.path().join("public")).expect("sibling");
    // Empty.
    fs::create_dir(&out).expect("mkdir");
    check_output_target(&root, &out).expect("empty out");
    // Made by carebook.
    fs::write(out.join("index.html"), "x").expect("write");
    fs::write(out.join(MARKER), MARKER_TEXT).expect("write");
    check_output_target(&root, &out).expect("marked out");
    // Touched nothing.
    assert_eq!(leftovers(&root), Vec::<String>::new());
}

#[test]
fn fresh_write_creates_all_files_and_marker() {
    let (_dir, root, out) = site();
    let files = site_files();
    let stats = write_site(&root, &out, &files).expect("write");
    assert_eq!(
        stats,
        WriteStats {
            files: 5,
            written: 5,
            linked: 0,
            reused: 0,
            bytes: files.iter().map(|f| f.bytes.len() as u64).sum()
        }
    );
    assert_eq!(snapshot(&out), expected_tree(&files));
    // No lock, temporary or old folder is left behind.
    assert_eq!(leftovers(&root), Vec::<String>::new());
}

#[cfg(unix)]
#[test]
fn output_folder_gets_the_usual_mode() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, root, out) = site();
    write_site(&root, &out, &site_files()).expect("write");
    let usual = dir.path().join("usual");
    fs::create_dir(&usual).expect("mkdir");
    let mode = |path: &Path| fs::metadata(path).expect("metadata").permissions().mode();
    assert_eq!(mode(&out), mode(&usual));
    assert_eq!(mode(&out.join("guides")), mode(&usual));
}

#[test]
fn creates_missing_parents() {
    let (dir, root, _) = site();
    let out = dir.path().join("deploy/www/public");
    write_site(&root, &out, &site_files()).expect("write");
    assert_eq!(snapshot(&out), expected_tree(&site_files()));
    assert_eq!(leftovers(&dir.path().join("deploy/www")), Vec::<String>::new());
}

#[test]
fn second_write_links_unchanged_and_drops_removed() {
    let (_dir, root, out) = site();
    write_site(&root, &out, &site_files()).expect("first write");
    let mut files = site_files();
    files[1] = file("guides/milk-stasis.html", "milk stasis, revised");
    files.remove(2); // mastitis
    files.push(file("guides/new.html", "new"));
    let stats = write_site(&root, &out, &files).expect("second write");
    assert_eq!(
        stats,
        WriteStats {
            files: 5,
            written: 2,
            linked: 3,
            reused: 0,
            bytes: files.iter().map(|f| f.bytes.len() as u64).sum()
        }
    );
    assert_eq!(snapshot(&out), expected_tree(&files));
    assert!(!out.join("guides/mastitis.html").exists());
    assert_eq!(leftovers(&root), Vec::<String>::new());
}

#[cfg(unix)]
#[test]
fn unchanged_file_is_a_hard_link() {
    use std::os::unix::fs::MetadataExt;
    let (_dir, root, out) = site();
    write_site(&root, &out, &site_files()).expect("first write");
    let inode = |path: &str| fs::metadata(out.join(path)).expect("metadata").ino();
    let index_before = inode("index.html");
    let css_before = inode("static/css/site.css");
    let mut files = site_files();
    files[0] = file("index.html", "<h1>home, new</h1>");
    write_site(&root, &out, &files).expect("second write");
    assert_eq!(inode("static/css/site.css"), css_before);
    assert_ne!(inode("index.html"), index_before);
    // The old tree is gone, so the file has a single link again.
    let links = fs::metadata(out.join("static/css/site.css")).expect("metadata").nlink();
    assert_eq!(links, 1);
}

#[test]
fn same_files_give_identical_trees() {
    let (dir, root, out) = site();
    let other = dir.path().join("other");
    write_site(&root, &out, &site_files()).expect("write");
    write_site(&root, &other, &site_files()).expect("write");
    assert_eq!(snapshot(&out), snapshot(&other));
    let stats = write_site(&root, &out, &site_files()).expect("rewrite");
    assert_eq!((stats.written, stats.linked), (0, 5));
    assert_eq!(snapshot(&out), snapshot(&other));
}

#[test]
fn empty_site() {
    let (_dir, root, out) = site();
    let stats = write_site(&root, &out, &[]).expect("write");
    assert_eq!(stats, WriteStats::default());
    assert_eq!(snapshot(&out), expected_tree(&[]));
}

#[test]
fn bad_paths_leave_previous_output_untouched() {
    let (_dir, root, out) = site();
    write_site(&root, &out, &site_files()).expect("first write");
    let before = snapshot(&root);
    let bad = [
        ("/etc/passwd", "it is absolute"),
        ("../escape.html", "`..` segment"),
        ("guides/../../escape.html", "`..` segment"),
        ("guides/./x.html", "`.` or `..` segment"),
        ("guides\\x.html", "backslash"),
        ("guides//x.html", "empty segment"),
        ("guides/", "empty segment"),
        ("", "it is empty"),
        ("a\0b", "NUL"),
        (MARKER, "reserved"),
        ("index.html", "same path"),
        ("index.html/x.html", "both a file and a folder"),
        (".carebook-build/x", "both a file and a folder"),
    ];
    for (path, message) in bad {
        let mut files = site_files();
        files[0].bytes = b"changed".to_vec();
        files.push(file(path, "x"));
        let err = error(write_site(&root, &out, &files));
        assert!(err.contains(message), "{path:?}: {err}");
        assert_eq!(snapshot(&root), before, "{path:?}");
    }
}

#[cfg(unix)]
#[test]
fn unwritable_parent_leaves_output_untouched() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, root, _) = site();
    let parent = dir.path().join("ro");
    let out = parent.join("public");
    write_site(&root, &out, &site_files()).expect("first write");
    let before = snapshot(&parent);
    fs::set_permissions(&parent, fs::Permissions::from_mode(0o555)).expect("chmod");
    // root ignores permissions: then there is nothing to test.
    let writable = fs::write(parent.join("probe"), "").is_ok();
    let result = write_site(&root, &out, &[file("index.html", "new")]);
    fs::set_permissions(&parent, fs::Permissions::from_mode(0o755)).expect("chmod");
    if writable {
        return;
    }
    let err = error(result);
    assert!(err.contains(&parent.display().to_string()), "{err}");
    assert!(err.contains("ermission denied"), "{err}");
    assert_eq!(snapshot(&parent), before);
}

#[test]
fn stale_temporary_folders_are_removed() {
    let (_dir, root, out) = site();
    write_site(&root, &out, &site_files()).expect("first write");
    for name in [".public.tmp-abc123", ".public.old-XyZ789", ".publicx.tmp-1", ".public.tmp-x.tmp-abc123"] {
        fs::create_dir_all(root.join(name).join("guides")).expect("mkdir");
        fs::write(root.join(name).join("guides/a.html"), "a").expect("write");
    }
    fs::write(root.join(".public.old-AAAAAA"), "a stray file").expect("write");
    fs::write(root.join(".public.old-XyZ789").join(MARKER), MARKER_TEXT).expect("write");
    write_site(&root, &out, &site_files()).expect("second write");
    assert_eq!(leftovers(&root), [".public.tmp-x.tmp-abc123", ".publicx.tmp-1"]);
    assert_eq!(snapshot(&out), expected_tree(&site_files()));
}

#[test]
fn previous_output_of_a_build_killed_between_renames_is_restored() {
    let (_dir, root, out) = site();
    write_site(&root, &out, &site_files()).expect("first write");
    let old = root.join(".public.old-Qw3rty");
    fs::rename(&out, &old).expect("rename");
    fs::create_dir(root.join(".public.tmp-Qw3rty")).expect("mkdir");
    let stats = write_site(&root, &out, &site_files()).expect("second write");
    assert_eq!((stats.written, stats.linked), (0, 5));
    assert_eq!(leftovers(&root), Vec::<String>::new());

    // A failed build after such a kill still leaves the previous output in place.
    fs::rename(&out, &old).expect("rename");
    write_site(&root, &out, &site_files()).expect("third write");
    assert_eq!(snapshot(&out), expected_tree(&site_files()));
}

#[test]
fn held_lock_is_respected() {
    let (_dir, root, out) = site();
    write_site(&root, &out, &site_files()).expect("first write");
    let lock = root.join(".public.lock");
    let pid = std::process::id();
    fs::write(&lock, format!("{pid}\n")).expect("write");
    let before = snapshot(&root);
    let mut files = site_files();
    files[0].bytes = b"changed".to_vec();
    let err = error(write_site(&root, &out, &files));
    let expected = format!(
        "another carebook build is writing `{}` (pid {pid}); wait for it to finish, or remove `{}` if no build is running",
        out.display(),
        lock.display()
    );
    assert_eq!(err, expected);
    assert!(err.contains(&lock.display().to_string()), "{err}");
    // Someone else's lock stays.
    assert_eq!(snapshot(&root), before);
}

#[test]
fn young_garbage_lock_is_respected_and_old_one_taken_over() {
    let (_dir, root, out) = site();
    let lock = root.join(".public.lock");
    fs::write(&lock, "").expect("write");
    let err = error(write_site(&root, &out, &site_files()));
    assert!(err.starts_with("another carebook build is writing"), "{err}");
    assert!(!out.exists());

    let old = SystemTime::now() - Duration::from_secs(11 * 60);
    File::options().write(true).open(&lock).and_then(|f| f.set_modified(old)).expect("set mtime");
    write_site(&root, &out, &site_files()).expect("write");
    assert!(!lock.exists());
}

#[test]
fn dead_lock_is_taken_over() {
    let (_dir, root, out) = site();
    write_site(&root, &out, &site_files()).expect("first write");
    let lock = root.join(".public.lock");
    fs::write(&lock, "999999999\n").expect("write");
    let mut files = site_files();
    files[0].bytes = b"changed".to_vec();
    if cfg!(target_os = "linux") {
        write_site(&root, &out, &files).expect("second write");
        assert_eq!(snapshot(&out), expected_tree(&files));
        assert!(!lock.exists());
    }
}

#[test]
fn lock_is_released_after_failure() {
    let (_dir, root, out) = site();
    let mut files = site_files();
    files.push(file("index.html", "again"));
    assert!(write_site(&root, &out, &files).is_err());
    fs::create_dir(&out).expect("mkdir");
    fs::write(out.join("index.html"), "x").expect("write");
    assert!(write_site(&root, &out, &site_files()).is_err());
    assert_eq!(leftovers(&root), Vec::<String>::new());
}

#[test]
fn files_no_build_wrote_are_refused_and_kept() {
    let (_dir, root, out) = site();
    write_site(&root, &out, &site_files()).expect("first write");
    fs::write(out.join("CNAME"), "example.org").expect("write");
    fs::create_dir_all(out.join(".git/objects")).expect("mkdir");
    fs::create_dir_all(out.join("guides/mine")).expect("mkdir");
    assert_eq!(foreign(&out, None), [".git/", "CNAME", "guides/mine/"]);
    let before = snapshot(&root);
    let err = error(write_site(&root, &out, &site_files()));
    assert!(err.contains("it holds 3 files carebook did not write: `.git/`, `CNAME`, `guides/mine/`"), "{err}");
    assert_eq!(snapshot(&root), before);
    // A file the previous build did not write, at a path this build writes: someone's too.
    fs::remove_dir_all(out.join(".git")).expect("rm");
    fs::remove_dir_all(out.join("guides/mine")).expect("rm");
    fs::remove_file(out.join("CNAME")).expect("rm");
    fs::write(out.join("guides/new.html"), "mine").expect("write");
    let mut files = site_files();
    files.push(file("guides/new.html", "carebook's"));
    let err = error(write_site(&root, &out, &files));
    assert!(err.contains("`guides/new.html`"), "{err}");
    assert_eq!(fs::read_to_string(out.join("guides/new.html")).expect("read"), "mine");
    // An older marker lists nothing: what this build does not write is someone's.
    fs::remove_file(out.join("guides/new.html")).expect("rm");
    fs::write(out.join(MARKER), MARKER_TEXT).expect("write");
    assert_eq!(foreign(&out, None), Vec::<String>::new(), "not known before the build");
    fs::write(out.join("mine.txt"), "x").expect("write");
    let err = error(write_site(&root, &out, &site_files()));
    assert!(err.contains("it holds 1 file carebook did not write: `mine.txt`"), "{err}");
    fs::remove_file(out.join("mine.txt")).expect("rm");
    write_site(&root, &out, &site_files()).expect("write");
    assert_eq!(snapshot(&out), expected_tree(&site_files()));
}

#[test]
fn path_rules() {
    for good in ["a", "a/b.html", ".well-known/x", "a..b/c", "..a"] {
        assert_eq!(check_path(good), Ok(()), "{good}");
    }
    for bad in ["", "/a", "a/", "a//b", "./a", "a/..", "a\\b", "a\0"] {
        assert!(check_path(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn same_bytes_compares_content() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("f");
    let big: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    fs::write(&path, &big).expect("write");
    assert!(same_bytes(&path, &big));
    let mut other = big.clone();
    other[150_000] ^= 1;
    assert!(!same_bytes(&path, &other));
    assert!(!same_bytes(&path, &big[..1000]));
    fs::write(&path, "").expect("write");
    assert!(same_bytes(&path, b""));
    assert!(!same_bytes(&dir.path().join("missing"), b""));
    assert!(!same_bytes(dir.path(), b""));
}
