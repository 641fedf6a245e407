//! Two builds on one output folder: a lock keeps them apart, with a clear message for the one
//! that has to wait, and the output is always one complete build.

use crate::kill::{build, carebook, generated_site, leftovers};
use crate::support::{snapshot, stderr};
use std::path::Path;
use std::process::Command;

/// The message of a build that found the lock taken by the build with `pid` (any pid if `None`).
fn is_lock_message(message: &str, out: &Path, pid: Option<u32>) -> bool {
    let lock = out.parent().expect("parent").join(".public.lock");
    let holder = pid.map(|p| format!(" (pid {p})"));
    let head = format!("error: another carebook build is writing `{}`", out.display());
    let tail = format!("; wait for it to finish, or remove `{}` if no build is running\n", lock.display());
    message.starts_with(&head)
        && message.ends_with(&tail)
        && holder.is_none_or(|h| message.contains(&h))
        && message.lines().count() == 1
}

#[test]
fn a_build_waits_for_the_lock_of_a_running_build() {
    let site = generated_site(3, "Locked");
    let place = tempfile::tempdir().expect("tempdir");
    let out = place.path().join("public");
    build(site.path(), &out);
    let before = snapshot(place.path());

    // A live process holds the lock.
    let mut holder = Command::new("sleep").arg("60").spawn().expect("start sleep");
    let lock = place.path().join(".public.lock");
    std::fs::write(&lock, format!("{}\n", holder.id())).expect("write lock");
    std::fs::write(site.path().join("carebook.toml"), "title = \"Changed\"\n").expect("write");
    let refused = carebook(site.path(), &out).output().expect("run");
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(is_lock_message(&stderr(&refused), &out, Some(holder.id())), "{}", stderr(&refused));
    std::fs::remove_file(&lock).expect("remove lock");
    assert_eq!(snapshot(place.path()), before, "the waiting build touched nothing");

    // Once the holder is gone, its lock is stale and taken over.
    std::fs::write(&lock, format!("{}\n", holder.id())).expect("write lock");
    holder.kill().expect("kill sleep");
    holder.wait().expect("wait sleep");
    build(site.path(), &out);
    assert_eq!(leftovers(&out), Vec::<String>::new());
}

#[test]
fn two_builds_at_once_give_one_complete_site() {
    let guides = 300;
    let site_a = generated_site(guides, "Site A");
    let site_b = generated_site(guides, "Site B");
    let place = tempfile::tempdir().expect("tempdir");
    build(site_a.path(), &place.path().join("expected-a"));
    build(site_b.path(), &place.path().join("expected-b"));
    let a = snapshot(&place.path().join("expected-a"));
    let b = snapshot(&place.path().join("expected-b"));
    let out = place.path().join("public");

    let mut refusals = 0;
    for round in 0..6 {
        // Same output, started together: once with no previous output, then over the last one.
        let first = carebook(site_a.path(), &out).spawn().expect("start A");
        let second = carebook(site_b.path(), &out).spawn().expect("start B");
        let (pid_a, pid_b) = (first.id(), second.id());
        let done_a = first.wait_with_output().expect("wait A");
        let done_b = second.wait_with_output().expect("wait B");
        for (done, other) in [(&done_a, pid_b), (&done_b, pid_a)] {
            match done.status.code() {
                Some(0) => {}
                Some(2) => {
                    assert!(is_lock_message(&stderr(done), &out, Some(other)), "round {round}: {}", stderr(done));
                    refusals += 1;
                }
                code => panic!("round {round}: exit {code:?}: {}", stderr(done)),
            }
        }
        assert!(done_a.status.success() || done_b.status.success(), "round {round}: neither build succeeded");
        let got = snapshot(&out);
        let whole = match (done_a.status.success(), done_b.status.success()) {
            (true, false) => got == a,
            (false, true) => got == b,
            _ => got == a || got == b,
        };
        assert!(whole, "round {round}: the output is not one complete build");
        assert_eq!(leftovers(&out), Vec::<String>::new(), "round {round}: files left behind");
    }
    eprintln!("two builds at once: {refusals} of 12 were refused by the lock");
}
