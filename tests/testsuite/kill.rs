//! A build killed at any moment (SIGKILL) leaves the previous site intact and complete.
//!
//! A generated site is built once (site A). Then, again and again, a build of a changed site (B,
//! whose every page differs from A's) is started on the same output folder and killed: at each
//! step of writing, where the build stops itself for the kill (`CAREBOOK_PAUSE_AT`, see
//! `write::pause_at`): once its temporary folder exists, after its first file, a third, two thirds
//! and all of its files, once its marker is written (the swap next), once the swap is done, and
//! while the previous tree is being deleted; and, unannounced, after a fraction of the time a
//! whole build takes.
//!
//! After each kill the output folder must be exactly site A or exactly site B, byte for byte,
//! never a mix and never missing: A when the kill came before the swap, B after it. Then the next
//! normal build must succeed and leave nothing behind: no temporary or old folder, no lock.

use crate::support::{Entry, copy_tree, repo, snapshot};
use std::io::{BufRead, BufReader};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A site with `guides` generated guides besides the minimal fixture's, titled `title` (the
/// title is on every page, so two titles give two sites that differ on every page).
/// Deterministic: the same arguments give the same files.
pub fn generated_site(guides: usize, title: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_tree(&repo().join("tests/fixtures/valid/minimal"), dir.path());
    copy_tree(&repo().join("themes"), &dir.path().join("themes"));
    std::fs::write(dir.path().join("carebook.toml"), format!("title = \"{title}\"\nlanguage = \"en\"\n"))
        .expect("write config");
    let urgencies = ["emergency", "urgent", "soon", "routine"];
    for i in 0..guides {
        let text = format!(
            "---\n\
             title: Generated guide {i}\n\
             summary: Guide number {i}, generated for the kill test.\n\
             reviewed: 2026-11-01\n\
             review_due: 2027-11-01\n\
             symptoms: [fever]\n\
             causes: [missed-feeds]\n\
             steps:\n  - title: First step of guide {i}\n    text: Do the **first** thing, then [read on](#details).\n\
             see_a_doctor:\n  - sign: Red flag number {i}\n    urgency: {}\n    symptom: fever\n\
             related: [mastitis]\n\
             sources:\n  - title: Source {i}\n    url: https://example.org/source/{i}\n    year: 2022\n\
             order: {i}\n\
             ---\n\
             ## Details\n\n\
             Body of guide {i}. See [mastitis](mastitis.md#see-a-doctor) and [fever](../symptoms/fever.md).\n\n\
             {}\n",
            urgencies[i % urgencies.len()],
            "Some more words so that pages have a realistic size. ".repeat(1 + i % 7),
        );
        std::fs::write(dir.path().join(format!("content/guides/generated-{i:04}.md")), text).expect("write guide");
    }
    dir
}

/// `carebook build --root ROOT --out OUT`, quiet, with the fixed date; shared with the lock tests.
pub fn carebook(root: &Path, out: &Path) -> Command {
    let mut cmd = crate::support::carebook();
    cmd.args(["build", "--root"]).arg(root).arg("--out").arg(out).stdout(Stdio::null()).stderr(Stdio::piped());
    cmd
}

/// Builds `root` into `out` and waits; panics with the messages unless it succeeds.
pub fn build(root: &Path, out: &Path) -> Duration {
    let start = Instant::now();
    let done = carebook(root, out).output().expect("run carebook");
    assert!(done.status.success(), "build failed: {}", String::from_utf8_lossy(&done.stderr));
    start.elapsed()
}

/// The names next to `out` that belong to a build of `out` (temporary and old folders, the lock).
pub fn leftovers(out: &Path) -> Vec<String> {
    let name = out.file_name().expect("name").to_string_lossy().into_owned();
    let prefix = format!(".{name}.");
    // The build cache, memo and parse store beside the output are kept on purpose
    // (src/write/cache.rs, memo.rs, parsed.rs).
    let kept = [format!(".{name}.cache"), format!(".{name}.memo"), format!(".{name}.parsed")];
    let mut v: Vec<String> = std::fs::read_dir(out.parent().expect("parent"))
        .expect("read parent")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&prefix) && !kept.contains(n))
        .collect();
    v.sort();
    v
}

/// Whether `entry` is the build cache, memo or parse store kept beside an output
/// (`.<name>.cache`, `.<name>.memo`, `.<name>.parsed`).
pub fn is_cache(entry: &std::io::Result<std::fs::DirEntry>) -> bool {
    entry.as_ref().is_ok_and(|e| {
        let name = e.file_name().to_string_lossy().into_owned();
        name.starts_with('.') && [".cache", ".memo", ".parsed"].iter().any(|end| name.ends_with(end))
    })
}

/// When to kill the build.
#[derive(Clone, Debug)]
enum When {
    /// Where the build stops itself: `CAREBOOK_PAUSE_AT=<step>`.
    At(String),
    /// After this fraction of the time a whole build takes.
    After(f64),
}

/// Starts a build of `root` into `out` that stops at `step` and waits until it has; panics if it
/// ends first or takes longer than `deadline`.
fn start_paused(root: &Path, out: &Path, step: &str, deadline: Duration) -> Child {
    let mut child = carebook(root, out).env("CAREBOOK_PAUSE_AT", step).spawn().expect("start build B");
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let said = format!("carebook: paused at {step}");
    let start = Instant::now();
    let mut lines = Vec::new();
    loop {
        match rx.recv_timeout(deadline.saturating_sub(start.elapsed())) {
            Ok(line) if line == said => return child,
            Ok(line) => lines.push(line),
            Err(why) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("the build never paused at `{step}` ({why:?}); it said:\n{}", lines.join("\n"));
            }
        }
    }
}

#[test]
fn killed_builds_leave_the_previous_site_whole() {
    let guides = 150;
    let site_a = generated_site(guides, "Site A");
    let site_b = generated_site(guides, "Site B");
    let place = tempfile::tempdir().expect("tempdir");
    let out = place.path().join("public");

    // The two possible outcomes, built undisturbed.
    let took = build(site_b.path(), &place.path().join("expected-b"));
    let b = snapshot(&place.path().join("expected-b"));
    build(site_a.path(), &out);
    let a = snapshot(&out);
    assert!(a.len() > guides, "site A has {} entries", a.len());
    assert_ne!(a, b);
    assert!(a.contains_key(".carebook-build"), "every build writes its marker");
    let files = b.iter().filter(|(path, entry)| matches!(entry, Entry::File(_)) && *path != ".carebook-build").count();

    let at = |step: String| When::At(step);
    let plan = [
        at("staging".into()),
        at("file-1".into()),
        at(format!("file-{}", files / 3)),
        at(format!("file-{}", files * 2 / 3)),
        at(format!("file-{files}")),
        at("marked".into()),
        at("swapped".into()),
        at("caching".into()),
        at("unmarked".into()),
        When::After(0.3),
        When::After(0.95),
        When::After(1.0),
    ];
    let deadline = took * 20 + Duration::from_secs(30);
    let mut outcomes = Vec::new();
    for when in plan {
        let mut child = match &when {
            When::At(step) => start_paused(site_b.path(), &out, step, deadline),
            When::After(f) => {
                let child = carebook(site_b.path(), &out).stderr(Stdio::null()).spawn().expect("start build B");
                std::thread::sleep(took.mul_f64(*f));
                child
            }
        };
        let _ = child.kill();
        let status = child.wait().expect("wait");
        let after = snapshot(&out);
        let which = if after == a {
            "A"
        } else if after == b {
            "B"
        } else {
            let only_a: Vec<_> = a.keys().filter(|k| after.get(*k) != a.get(*k)).take(5).collect();
            panic!("killed {when:?}: the output is neither site A nor site B (differs from A at {only_a:?})");
        };
        if let When::At(step) = &when {
            assert!(status.signal().is_some(), "killed at {step}: the build had finished");
            let swapped = matches!(step.as_str(), "swapped" | "caching" | "unmarked");
            assert_eq!(which, if swapped { "B" } else { "A" }, "killed at {step}");
        }
        outcomes.push(format!("{when:?}: {which}"));

        // The next build succeeds, cleans up, and writes exactly its site.
        build(site_a.path(), &out);
        assert_eq!(snapshot(&out), a, "after {when:?}: the next build did not write site A");
        assert_eq!(leftovers(&out), Vec::<String>::new(), "after {when:?}: the next build left files behind");
        assert_eq!(
            std::fs::read_dir(place.path()).expect("read").filter(|e| !is_cache(e)).count(),
            2,
            "after {when:?}: only public/ and expected-b/ ({outcomes:?})"
        );
    }
    eprintln!("kill outcomes (a build takes {took:?}):\n  {}", outcomes.join("\n  "));
}
