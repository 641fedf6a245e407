//! Bad inputs that cannot be committed as fixture sites (tests/fixtures/, see `fixtures`), made
//! at run time in temporary copies of the minimal site: a file over 4 MiB, an unreadable file, a
//! file name with a backslash, linked names that differ only in case, named pipes, a huge linked
//! file, a missing `content/` or `carebook.toml`, dangerous `--out` folders, a read-only or full
//! output location, files in the output that carebook did not write, checked `static/` files.
//! Each gives a clear diagnostic with file and line (or a clear exit-2 message), never a panic.

use crate::support::{TODAY, options, read_tree, repo, short_of, skipped, snapshot, stderr, temp_site};
use std::path::Path;
use std::process::{Command, Output};

fn check(root: &Path) -> carebook::Report {
    carebook::run(&options(root), carebook::Goal::Check, None).expect("check runs").report
}

/// The exact `check` output of a site made at run time from the minimal fixture.
fn generated(change: impl FnOnce(&Path)) -> (tempfile::TempDir, String) {
    let dir = temp_site(&repo().join("tests/fixtures/valid/minimal"));
    change(dir.path());
    let text = short_of(&check(dir.path()));
    (dir, text)
}

#[test]
fn file_over_4_mib_is_too_large() {
    let line = "All work and no play makes a very long page.\n";
    let mut text = String::from("---\ntitle: Huge page\n---\n");
    text.push_str(&line.repeat(4 * 1024 * 1024 / line.len() + 1));
    let size = text.len();
    let (_dir, got) = generated(|root| std::fs::write(root.join("content/pages/huge.md"), &text).expect("write"));
    assert_eq!(
        got,
        format!(
            "content/pages/huge.md:1:1: error[too-large]: file is 4.0 MiB ({size} bytes), more than the limit of 4 MiB\nerror: 1 error in 1 file\n"
        )
    );
    // Just at the limit is fine.
    let (_dir, got) = generated(|root| {
        let mut text = String::from("---\ntitle: Big page\n---\n");
        text.push_str(&"x".repeat(4 * 1024 * 1024 - text.len()));
        std::fs::write(root.join("content/pages/big.md"), text).expect("write");
    });
    assert_eq!(got, "");
}

#[test]
fn linked_file_with_a_backslash_in_its_name_is_refused() {
    let (_dir, got) = generated(|root| {
        std::fs::write(root.join("content/pages/a\\b.png"), "png").expect("write");
        let about = root.join("content/pages/about.md");
        let text = std::fs::read_to_string(&about).expect("read");
        std::fs::write(&about, format!("{text}\n![diagram](a%5Cb.png)\n")).expect("write");
    });
    assert_eq!(
        got,
        "content/pages/about.md:6:1: error[broken-link]: the linked file `content/pages/a\\b.png` has a backslash in its name\nerror: 1 error in 1 file\n"
    );
}

// ---- the command line ----

fn carebook(prefix: &[String], args: &[&str]) -> Output {
    let bin = env!("CARGO_BIN_EXE_carebook");
    let mut cmd = match prefix.split_first() {
        Some((first, rest)) => {
            let mut c = Command::new(first);
            c.args(rest).arg(bin);
            c
        }
        None => Command::new(bin),
    };
    cmd.args(args).env("CAREBOOK_TODAY", TODAY).env("NO_COLOR", "1").output().expect("run carebook")
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// A command prefix under which file permissions apply to us: none when they already do; when
/// we are root (CI), `unshare -U`, which runs the command in a user namespace without privileges
/// over the files. `None` (the test is skipped) when neither works.
fn unprivileged() -> Option<Vec<String>> {
    let dir = tempfile::tempdir().expect("tempdir");
    let probe = dir.path().join("probe");
    std::fs::write(&probe, "x").expect("write");
    set_mode(&probe, 0o000);
    if std::fs::read(&probe).is_err() {
        return Some(Vec::new());
    }
    let prefix = vec!["unshare".to_string(), "-U".to_string()];
    let denied = Command::new(&prefix[0])
        .args(&prefix[1..])
        .arg("cat")
        .arg(&probe)
        .output()
        .is_ok_and(|o| !o.status.success() && String::from_utf8_lossy(&o.stderr).contains("Permission denied"));
    denied.then_some(prefix)
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

#[test]
fn unreadable_file_is_an_io_error() {
    let Some(prefix) = unprivileged() else {
        skipped("running with privileges over every file, and `unshare -U` is not available");
        return;
    };
    let dir = temp_site(&repo().join("tests/fixtures/valid/minimal"));
    let about = dir.path().join("content/pages/about.md");
    set_mode(&about, 0o000);
    let out = carebook(&prefix, &["check", "--root", s(dir.path()), "--format", "short"]);
    set_mode(&about, 0o644);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "content/pages/about.md:1:1: error[io]: cannot read the file: Permission denied (os error 13)\nerror: 1 error in 1 file\n"
    );
}

#[test]
fn missing_content_folder_or_config_exits_2() {
    let dir = temp_site(&repo().join("tests/fixtures/valid/minimal"));
    let root = dir.path();
    std::fs::rename(root.join("content"), root.join("content-old")).expect("rename");
    for cmd in ["check", "build"] {
        let out = carebook(&[], &[cmd, "--root", s(root)]);
        assert_eq!(out.status.code(), Some(2), "{cmd}: {}", stderr(&out));
        assert_eq!(
            stderr(&out),
            format!(
                "error: no `content` folder in `{}`: create content/guides, content/symptoms, content/causes and content/pages\n",
                root.display()
            )
        );
    }
    std::fs::rename(root.join("content-old"), root.join("content")).expect("rename");
    std::fs::remove_file(root.join("carebook.toml")).expect("remove");
    for cmd in ["check", "build"] {
        let out = carebook(&[], &[cmd, "--root", s(root)]);
        assert_eq!(out.status.code(), Some(2), "{cmd}: {}", stderr(&out));
        assert!(stderr(&out).starts_with("error: no `carebook.toml` in"), "{cmd}: {}", stderr(&out));
        assert!(stderr(&out).contains("--root"), "{cmd}: {}", stderr(&out));
    }
    assert!(!root.join("public").exists());
}

#[test]
fn dangerous_output_folders_are_refused_and_left_untouched() {
    let dir = temp_site(&repo().join("tests/fixtures/valid/minimal"));
    let root = dir.path().join("site");
    std::fs::create_dir(&root).expect("mkdir");
    for entry in ["carebook.toml", "content", "themes"] {
        std::fs::rename(dir.path().join(entry), root.join(entry)).expect("move");
    }
    // A previous build elsewhere, for the symbolic link to point at.
    let elsewhere = dir.path().join("elsewhere");
    let built = carebook(&[], &["build", "--root", s(&root), "--out", s(&elsewhere)]);
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    let foreign = dir.path().join("my-documents");
    std::fs::create_dir(&foreign).expect("mkdir");
    std::fs::write(foreign.join("letter.txt"), "keep me").expect("write");
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, "a file").expect("write");
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&elsewhere, &link).expect("symlink");

    let cases: [(&Path, String); 7] = [
        (&root, "it is the site's own folder".into()),
        (dir.path(), "it contains the site's folder".into()),
        (&root.join("content"), "it is inside the content folder".into()),
        (&root.join("content/guides"), "it is inside the content folder".into()),
        (&foreign, "it is not empty and has no `.carebook-build` file, so carebook did not make it".into()),
        (&file, "it is a file, not a folder".into()),
        (&link, "it is a symbolic link".into()),
    ];
    for (out, why) in cases {
        let before = snapshot(dir.path());
        let got = carebook(&[], &["build", "--root", s(&root), "--out", s(out)]);
        let message = stderr(&got);
        assert_eq!(got.status.code(), Some(2), "--out {}: {message}", out.display());
        assert!(message.starts_with("error: refusing to "), "--out {}: {message}", out.display());
        assert!(message.contains(&format!("`{}`", out.display())), "--out {}: {message}", out.display());
        assert!(message.contains(&why), "--out {}: {message}", out.display());
        assert_eq!(message.lines().count(), 1, "one clear line: {message}");
        assert_eq!(snapshot(dir.path()), before, "--out {} changed something", out.display());
    }
}

/// Runs `script` with `sh` in a new user and mount namespace (`unshare -Urm`), where it may mount
/// file systems, with the fixed date and no colour; `None` when that is not possible here (the
/// caller skips, saying why).
fn in_namespace(script: &str, args: &[&str]) -> Option<Output> {
    let mut full = String::from("set -u\n");
    full.push_str(script);
    let run = Command::new("unshare")
        .args(["-Urm", "sh", "-c", &full, "sh"])
        .args(args)
        .env("CAREBOOK_TODAY", TODAY)
        .env("NO_COLOR", "1")
        .output()
        .ok()?;
    let refused = run.status.code() == Some(77) || (!run.status.success() && stderr(&run).starts_with("unshare"));
    if refused {
        skipped(&format!("cannot mount in a user namespace here: {}", stderr(&run).trim_end()));
        return None;
    }
    Some(run)
}

/// A read-only output location, for real (a read-only bind mount), whoever runs the test.
#[test]
fn read_only_output_location_exits_2_and_keeps_the_previous_site() {
    let dir = temp_site(&repo().join("tests/fixtures/valid/minimal"));
    let root = dir.path();
    let parent = root.join("deploy");
    let out = parent.join("public");
    let first = carebook(&[], &["build", "--root", s(root), "--out", s(&out)]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let before = snapshot(&parent);
    std::fs::write(root.join("carebook.toml"), "title = \"Changed\"\n").expect("write");
    let script = r#"
        bin=$1; root=$2; parent=$3
        mount --bind "$parent" "$parent" && mount -o remount,bind,ro "$parent" || exit 77
        "$bin" build --root "$root" --out "$parent/public"
    "#;
    let Some(run) = in_namespace(script, &[env!("CARGO_BIN_EXE_carebook"), s(root), s(&parent)]) else {
        return;
    };
    let message = stderr(&run);
    assert_eq!(run.status.code(), Some(2), "{message}");
    assert_eq!(
        message,
        format!(
            "error: failed to create the lock file `{}`: Read-only file system (os error 30)\n",
            parent.join(".public.lock").display()
        )
    );
    assert_eq!(snapshot(&parent), before, "the previous site is intact, nothing is left behind");
}

/// A full disk, for real: a 1 MiB tmpfs mounted in a user and mount namespace (`unshare -Urm`).
#[test]
fn full_output_location_exits_2_and_keeps_the_previous_site() {
    let dir = tempfile::tempdir().expect("tempdir");
    let minimal = repo().join("tests/fixtures/valid/minimal");
    let (a, b) = (temp_site(&minimal), temp_site(&minimal));
    // B changes every page (the site title is on each), so writing it needs space.
    std::fs::write(b.path().join("carebook.toml"), "title = \"Another title\"\nlanguage = \"en\"\n").expect("write");
    let mnt = dir.path().join("mnt");
    let save = dir.path().join("save");
    std::fs::create_dir_all(&mnt).expect("mkdir");
    std::fs::create_dir_all(&save).expect("mkdir");
    let script = r#"
        bin=$1; mnt=$2; a=$3; b=$4; save=$5
        mount -t tmpfs -o size=1m tmpfs "$mnt" || exit 77
        "$bin" build --root "$a" --out "$mnt/public" 2>"$save/err1" || exit 78
        cp -a "$mnt/public" "$save/before"
        # Quite full: 16 KiB left, so the lock is taken and writing the new tree fails.
        dd if=/dev/zero of="$mnt/reserve" bs=1024 count=16 2>/dev/null
        dd if=/dev/zero of="$mnt/filler" bs=4096 2>/dev/null
        rm "$mnt/reserve"
        "$bin" build --root "$b" --out "$mnt/public" 2>"$save/err2"; echo $? >"$save/rc2"
        cp -a "$mnt/public" "$save/after2"; ls -A "$mnt" >"$save/ls2"
        # Completely full: not even the lock file can be written.
        dd if=/dev/zero of="$mnt/filler2" bs=4096 2>/dev/null
        "$bin" build --root "$b" --out "$mnt/public" 2>"$save/err3"; echo $? >"$save/rc3"
        cp -a "$mnt/public" "$save/after3"; ls -A "$mnt" >"$save/ls3"
        # Space again: the next build succeeds.
        rm "$mnt/filler" "$mnt/filler2"
        "$bin" build --root "$b" --out "$mnt/public" 2>"$save/err4"; echo $? >"$save/rc4"
        cp -a "$mnt/public" "$save/after4"; ls -A "$mnt" >"$save/ls4"
    "#;
    let bin = env!("CARGO_BIN_EXE_carebook");
    let Some(run) = in_namespace(script, &[bin, s(&mnt), s(a.path()), s(b.path()), s(&save)]) else {
        return;
    };
    let read = |name: &str| std::fs::read_to_string(save.join(name)).unwrap_or_default();
    assert!(run.status.success(), "script failed ({:?}): {} {}", run.status, stderr(&run), read("err1"));
    // What `ls -A` listed, less the build cache, memo and parse store kept beside the output on purpose.
    let listed = |name: &str| -> Vec<String> {
        read(name)
            .split_whitespace()
            .filter(|n| ![".public.cache", ".public.memo", ".public.parsed"].contains(n))
            .map(str::to_string)
            .collect()
    };
    let before = read_tree(&save.join("before"));
    assert!(before.len() > 10);
    for step in ["2", "3"] {
        let message = read(&format!("err{step}"));
        assert_eq!(read(&format!("rc{step}")).trim(), "2", "build {step}: {message}");
        assert!(message.starts_with("error: failed to "), "build {step}: {message}");
        assert!(message.contains("No space left on device"), "build {step}: {message}");
        assert_eq!(message.lines().count(), 1, "build {step}: {message}");
        assert_eq!(read_tree(&save.join(format!("after{step}"))), before, "build {step} changed the site");
    }
    assert_eq!(listed("ls2"), ["filler", "public"], "leftovers after build 2");
    assert_eq!(listed("ls3"), ["filler", "filler2", "public"]);
    assert_eq!(read("rc4").trim(), "0", "{}", read("err4"));
    assert_eq!(listed("ls4"), ["public"]);
    let title = String::from_utf8_lossy(&read_tree(&save.join("after4"))["index.html"]).into_owned();
    assert!(title.contains("Another title"), "the last build wrote site B");
}

#[test]
fn named_pipes_in_content_are_refused_where_they_are() {
    let (_dir, got) = generated(|root| {
        for pipe in ["content/pages/leaflet.txt", "content/guides/pipe.md"] {
            let made = Command::new("mkfifo").arg(root.join(pipe)).status().expect("mkfifo runs");
            assert!(made.success());
        }
        let about = root.join("content/pages/about.md");
        let text = std::fs::read_to_string(&about).expect("read");
        std::fs::write(&about, format!("{text}\nRead the [leaflet](leaflet.txt).\n")).expect("write");
    });
    assert_eq!(
        got,
        "content/guides/pipe.md:1:1: error[io]: `content/guides/pipe.md` is a named pipe, not a file\n\
         content/pages/leaflet.txt:1:1: error[io]: `content/pages/leaflet.txt` is a named pipe, not a file\n\
         error: 2 errors in 2 files\n"
    );
}

/// A linked file larger than the memory the build may use is copied, not read whole.
#[cfg(target_os = "linux")]
#[test]
fn a_huge_linked_file_is_copied_in_pieces() {
    use std::io::{Seek, SeekFrom, Write};
    let dir = temp_site(&repo().join("tests/fixtures/valid/minimal"));
    let root = dir.path();
    // 768 MiB, mostly a hole, with known bytes at both ends.
    const SIZE: u64 = 768 << 20;
    let mut f = std::fs::File::create(root.join("content/pages/big.bin")).expect("create");
    f.write_all(b"BEGIN").expect("write");
    f.seek(SeekFrom::Start(SIZE - 3)).expect("seek");
    f.write_all(b"END").expect("write");
    drop(f);
    let about = root.join("content/pages/about.md");
    let text = std::fs::read_to_string(&about).expect("read");
    std::fs::write(&about, format!("{text}\nGet the [whole book](big.bin).\n")).expect("write");
    // 256 MiB of data memory is plenty for the site, and a third of the file.
    let limited = ["sh", "-c", "ulimit -d 262144 && RAYON_NUM_THREADS=2 exec \"$0\" \"$@\""].map(String::from);
    let out = carebook(&limited, &["build", "--root", s(root)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let copy = root.join("public/pages/big.bin");
    assert_eq!(std::fs::metadata(&copy).expect("copied").len(), SIZE);
    let mut f = std::fs::File::open(&copy).expect("open");
    let mut ends = [0u8; 5];
    std::io::Read::read_exact(&mut f, &mut ends).expect("read");
    assert_eq!(&ends, b"BEGIN");
    f.seek(SeekFrom::End(-3)).expect("seek");
    std::io::Read::read_exact(&mut f, &mut ends[..3]).expect("read");
    assert_eq!(&ends[..3], b"END");
}

/// Linked files whose names differ only in case or in how an accent is encoded are one file on
/// macOS and Windows: a warning (made at run time: such names cannot be checked out there).
#[test]
fn linked_names_that_differ_only_in_case_or_accent_encoding_warn() {
    let (_dir, got) = generated(|root| {
        let pages = root.join("content/pages");
        for name in ["Doc.pdf", "doc.pdf", "caf\u{e9}.pdf", "cafe\u{301}.pdf", "other.pdf"] {
            std::fs::write(pages.join(name), name).expect("write");
        }
        let about = pages.join("about.md");
        let text = std::fs::read_to_string(&about).expect("read");
        let links = "[a](Doc.pdf) [b](doc.pdf) [c](caf%C3%A9.pdf) [d](cafe%CC%81.pdf) [e](other.pdf) [f](doc.pdf)";
        std::fs::write(&about, format!("{text}\n{links}\n")).expect("write");
    });
    assert_eq!(
        got,
        "content/pages/caf\u{e9}.pdf:1:1: warning[name-clash]: `content/pages/caf\u{e9}.pdf` and `content/pages/cafe\u{301}.pdf` differ only in upper and lower case or in how accents are encoded: on macOS and Windows they are one file\n\
         content/pages/doc.pdf:1:1: warning[name-clash]: `content/pages/doc.pdf` and `content/pages/Doc.pdf` differ only in upper and lower case or in how accents are encoded: on macOS and Windows they are one file\n\
         warning: 2 warnings in 2 files\n"
    );
}

// ---- the output folder and static/ ----

/// Files in the output folder that carebook did not write (a host's `CNAME`, a `.git` folder) are
/// never deleted: the build stops before writing anything, names them and says where they belong.
#[test]
fn files_carebook_did_not_write_stop_the_build_and_are_kept() {
    let dir = temp_site(&repo().join("tests/fixtures/valid/minimal"));
    let root = dir.path();
    let out = root.join("public");
    let first = carebook(&[], &["build", "--root", s(root)]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    std::fs::write(out.join("CNAME"), "guides.example.org\n").expect("write");
    std::fs::create_dir_all(out.join(".git/refs")).expect("mkdir");
    std::fs::write(out.join(".git/HEAD"), "ref: refs/heads/gh-pages\n").expect("write");
    std::fs::write(out.join("guides/notes.txt"), "mine").expect("write");
    let before = snapshot(&out);
    let again = carebook(&[], &["build", "--root", s(root)]);
    let message = stderr(&again);
    assert_eq!(again.status.code(), Some(2), "{message}");
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(message.starts_with(&format!("error: refusing to replace `{}`: it holds 3 files carebook did not write: `.git/`, `CNAME`, `guides/notes.txt`", out.display())), "{message}");
    assert!(message.contains("`static/`"), "{message}");
    assert_eq!(snapshot(&out), before, "nothing was lost or changed");

    // In static/, host files are copied into every build.
    std::fs::remove_dir_all(out.join(".git")).expect("rm");
    std::fs::remove_file(out.join("guides/notes.txt")).expect("rm");
    let stat = root.join("static");
    std::fs::create_dir_all(stat.join(".well-known")).expect("mkdir");
    std::fs::rename(out.join("CNAME"), stat.join("CNAME")).expect("move");
    for (name, text) in [
        (".nojekyll", ""),
        ("robots.txt", "User-agent: *\n"),
        ("_headers", "/*\n  X-Frame-Options: DENY\n"),
        (".well-known/security.txt", "Contact: mailto:x@example.org\n"),
    ] {
        std::fs::write(stat.join(name), text).expect("write");
    }
    for _ in 0..2 {
        let built = carebook(&[], &["build", "--root", s(root)]);
        assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
        assert_eq!(std::fs::read_to_string(out.join("CNAME")).expect("CNAME"), "guides.example.org\n");
        for name in [".nojekyll", "robots.txt", "_headers", ".well-known/security.txt"] {
            assert!(out.join(name).is_file(), "{name} was not copied");
        }
    }
    // A file removed from static/ leaves the output with the next build: carebook wrote it.
    std::fs::remove_file(stat.join("robots.txt")).expect("rm");
    let built = carebook(&[], &["build", "--root", s(root)]);
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    assert!(!out.join("robots.txt").exists());
}

/// An output folder from an older carebook, whose marker lists no files: what this build does
/// not write is kept and reported too.
#[test]
fn an_old_marker_keeps_what_this_build_does_not_write() {
    let dir = temp_site(&repo().join("tests/fixtures/valid/minimal"));
    let root = dir.path();
    let out = root.join("public");
    let first = carebook(&[], &["build", "--root", s(root)]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    std::fs::write(out.join(".carebook-build"), "carebook build output; safe to delete\n").expect("write");
    std::fs::write(out.join("CNAME"), "x\n").expect("write");
    let again = carebook(&[], &["build", "--root", s(root)]);
    assert_eq!(again.status.code(), Some(2), "{}", stderr(&again));
    assert!(stderr(&again).contains("it holds 1 file carebook did not write: `CNAME`"), "{}", stderr(&again));
    assert!(out.join("CNAME").is_file());
    std::fs::remove_file(out.join("CNAME")).expect("rm");
    let built = carebook(&[], &["build", "--root", s(root)]);
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
}

/// static/ is checked like linked files: nothing a browser would run, nothing that replaces a
/// file carebook writes (the error names both).
#[test]
fn static_files_are_checked() {
    let (_dir, got) = generated(|root| {
        let stat = root.join("static");
        std::fs::create_dir_all(stat.join("static")).expect("mkdir");
        std::fs::create_dir_all(stat.join("guides")).expect("mkdir");
        std::fs::write(stat.join("google1234.html"), "google-site-verification").expect("write");
        std::fs::write(stat.join("logo.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>")
            .expect("write");
        std::fs::write(stat.join("static/style.css"), "body{}").expect("write");
        std::fs::write(stat.join("guides/mastitis.html"), "x").expect("write");
        std::fs::write(stat.join("symptoms"), "x").expect("write");
        std::fs::write(stat.join("favicon.ico"), "ico").expect("write");
    });
    assert_eq!(
        got,
        "static/google1234.html:1:1: error[active-file]: `static/google1234.html` would run on this site's address (`.html`: an HTML page runs its script)\n\
         static/guides/mastitis.html:1:1: error[active-file]: `static/guides/mastitis.html` would run on this site's address (`.html`: an HTML page runs its script)\n\
         static/guides/mastitis.html:1:1: error[output-clash]: `static/guides/mastitis.html` would replace `guides/mastitis.html`, the page of `content/guides/mastitis.md`\n\
         static/logo.svg:1:41: error[active-file]: the SVG image `static/logo.svg` is not a plain drawing: an event handler (`onload`)\n\
         static/static/style.css:1:1: error[output-clash]: `static/static/style.css` would go into `static/`, the theme's folder in the output\n\
         static/symptoms:1:1: error[output-clash]: `static/symptoms` would replace the folder `symptoms/`, which carebook writes\n\
         error: 6 errors in 5 files\n"
    );
}
