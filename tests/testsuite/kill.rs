//! A build killed at any moment (SIGKILL) leaves the previous site intact and complete.
//!
//! A large generated site is built once (site A). Then, again and again, a build of a changed
//! site (B, whose every page differs from A's) is started on the same output folder and killed:
//! after a fraction of the time a whole build takes, and at the moments that matter to `write`:
//! as soon as its temporary folder appears, when it holds a first, a third, two thirds and all
//! of the guide pages, once the new tree is complete (its marker written, the swap next), and as
//! soon as the previous tree has been set aside (the swap done).
//!
//! After each kill the output folder must be exactly site A or exactly site B, byte for byte,
//! never a mix and never missing: A whenever the kill came before the swap, B after it. Then the
//! next normal build must succeed and leave nothing behind: no temporary or old folder, no lock.

use crate::support::snapshot;
use crate::support::{copy_tree, repo};
use std::path::{Path, PathBuf};
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
    let mut v: Vec<String> = std::fs::read_dir(out.parent().expect("parent"))
        .expect("read parent")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&prefix))
        .collect();
    v.sort();
    v
}

/// When to kill the build.
#[derive(Clone, Copy, Debug)]
enum When {
    /// After this fraction of the time a whole build takes.
    After(f64),
    /// As soon as the temporary folder appears (writing has started).
    TmpAppears,
    /// As soon as the temporary folder's `guides/` holds this many entries.
    TmpGuides(usize),
    /// As soon as the temporary folder holds the marker (the tree is complete; the swap is next).
    TmpComplete,
    /// As soon as the previous tree has been set aside as `.<name>.old-*` (the swap is done).
    OldAppears,
}

/// The first entry next to `out` whose name starts with `.<name>.<what>`, if any.
fn sibling(out: &Path, what: &str) -> Option<PathBuf> {
    let name = out.file_name()?.to_string_lossy().into_owned();
    let prefix = format!(".{name}.{what}");
    let parent = out.parent()?;
    std::fs::read_dir(parent)
        .ok()?
        .flatten()
        .find(|e| e.file_name().to_string_lossy().starts_with(&prefix) && e.path().is_dir())
        .map(|e| e.path())
}

/// Waits until `event` holds or the child exits; says whether the event was seen first.
fn wait_for(child: &mut Child, deadline: Duration, event: impl Fn() -> bool) -> bool {
    let start = Instant::now();
    loop {
        if event() {
            return true;
        }
        if child.try_wait().expect("try_wait").is_some() || start.elapsed() > deadline {
            return false;
        }
        std::thread::sleep(Duration::from_micros(100));
    }
}

#[test]
fn killed_builds_leave_the_previous_site_whole() {
    let guides = 1500;
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

    let plan = [
        When::TmpAppears,
        When::After(0.3),
        When::TmpGuides(1),
        When::TmpGuides(guides / 3),
        When::TmpGuides(guides * 2 / 3),
        When::TmpGuides(guides),
        When::After(0.95),
        When::TmpComplete,
        When::OldAppears,
        When::After(1.0),
    ];
    let deadline = took * 20 + Duration::from_secs(30);
    let mut outcomes = Vec::new();
    for when in plan {
        let mut child = carebook(site_b.path(), &out).spawn().expect("start build B");
        let hit = match when {
            When::After(f) => {
                std::thread::sleep(took.mul_f64(f));
                true
            }
            When::TmpAppears => wait_for(&mut child, deadline, || sibling(&out, "tmp-").is_some()),
            When::TmpGuides(n) => wait_for(&mut child, deadline, || {
                sibling(&out, "tmp-")
                    .is_some_and(|tmp| std::fs::read_dir(tmp.join("guides")).is_ok_and(|entries| entries.count() >= n))
            }),
            When::TmpComplete => wait_for(&mut child, deadline, || {
                sibling(&out, "tmp-").is_some_and(|tmp| tmp.join(".carebook-build").exists())
            }),
            When::OldAppears => wait_for(&mut child, deadline, || sibling(&out, "old-").is_some()),
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
        match when {
            When::TmpAppears | When::TmpGuides(_) if hit => {
                assert_eq!(which, "A", "killed while writing the new tree: A must stay")
            }
            When::OldAppears if hit => assert_eq!(which, "B", "killed after the swap: B is in place"),
            _ => {}
        }
        outcomes.push(format!("{when:?}: {which}{}{}", if hit { "" } else { " (not seen)" }, exit_note(status)));

        // The next build succeeds, cleans up, and writes exactly its site.
        build(site_a.path(), &out);
        assert_eq!(snapshot(&out), a, "after {when:?}: the next build did not write site A");
        assert_eq!(leftovers(&out), Vec::<String>::new(), "after {when:?}: the next build left files behind");
        assert_eq!(
            std::fs::read_dir(place.path()).expect("read").count(),
            2,
            "after {when:?}: only public/ and expected-b/"
        );
    }
    eprintln!("kill outcomes (a build takes {took:?}):\n  {}", outcomes.join("\n  "));
    assert!(outcomes.iter().any(|o| o.ends_with(": A")), "no kill landed before the swap: {outcomes:?}");
}

fn exit_note(status: std::process::ExitStatus) -> &'static str {
    use std::os::unix::process::ExitStatusExt;
    if status.signal().is_some() { "" } else { " (had already finished)" }
}
