//! The command line: exit codes (0 success, 1 content errors, 2 usage or I/O) and messages.

use crate::support::{repo, temp_site};

fn carebook(args: &[&str]) -> std::process::Output {
    crate::support::carebook().args(args).output().expect("run carebook")
}

#[test]
fn build_succeeds_with_exit_0_and_a_summary() {
    let dir = temp_site(&repo().join("tests/fixtures/valid/minimal"));
    let root = dir.path().to_string_lossy().to_string();
    let out = carebook(&["build", "--root", &root]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("built ") && stderr.contains(" pages"), "{stderr}");
    assert!(dir.path().join("public/index.html").is_file());
}

#[test]
fn content_errors_exit_1_and_write_nothing() {
    let dir = temp_site(&repo().join("tests/fixtures/invalid/unknown-field-typo"));
    let root = dir.path().to_string_lossy().to_string();
    for cmd in ["check", "build"] {
        let out = carebook(&[cmd, "--root", &root]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{cmd}: {stderr}");
        assert!(stderr.contains("content/guides/mastitis.md:6:1"), "{cmd}: {stderr}");
        assert!(stderr.contains("error[unknown-field]"), "{cmd}: {stderr}");
    }
    assert!(!dir.path().join("public").exists());
}

#[test]
fn missing_root_exits_2_with_a_clear_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("no-such-site");
    let out = carebook(&["check", "--root", &missing.to_string_lossy()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("carebook.toml"), "{stderr}");
}

#[test]
fn missing_content_folder_exits_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("carebook.toml"), "title = \"x\"\n").expect("write");
    let out = carebook(&["build", "--root", &dir.path().to_string_lossy()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("content"), "{stderr}");
}

#[test]
fn usage_errors_exit_2_and_help_works() {
    assert_eq!(carebook(&["build", "--no-such-flag"]).status.code(), Some(2));
    for cmd in ["build", "check"] {
        let out = carebook(&[cmd, "--help"]);
        assert_eq!(out.status.code(), Some(0));
        assert!(String::from_utf8_lossy(&out.stdout).contains("--root"));
    }
}

#[test]
fn warnings_pass_unless_denied() {
    let dir = temp_site(&repo().join("tests/fixtures/invalid/review-overdue-2025"));
    let root = dir.path().to_string_lossy().to_string();
    assert_eq!(carebook(&["check", "--root", &root]).status.code(), Some(0));
    let denied = carebook(&["check", "--root", &root, "--deny-warnings"]);
    assert_eq!(denied.status.code(), Some(1));
    let built = carebook(&["build", "--root", &root, "--deny-warnings"]);
    assert_eq!(built.status.code(), Some(1));
    assert!(!dir.path().join("public").exists(), "a denied warning writes nothing");
}

/// A flood of problems stays readable: the human and short formats show the first problems of
/// each code and say how many more there are and how to see them; `--all` and JSON show all.
#[test]
fn floods_show_the_first_problems_of_each_code() {
    let dir = temp_site(&repo().join("tests/fixtures/valid/minimal"));
    let pages = dir.path().join("content/pages");
    for n in 0..45 {
        std::fs::write(pages.join(format!("broken-{n:02}.md")), "---\ntitel: x\n---\n").expect("write");
        std::fs::write(pages.join(format!("latin-{n:02}.md")), b"---\ntitle: caf\xe9\n---\n").expect("write");
    }
    let root = dir.path().to_string_lossy().to_string();
    let count = |text: &str, what: &str| text.lines().filter(|l| l.contains(what)).count();
    let short = carebook(&["check", "--root", &root, "--format", "short"]);
    let text = String::from_utf8_lossy(&short.stderr);
    assert_eq!(short.status.code(), Some(1), "{text}");
    assert_eq!(count(&text, "error[unknown-field]"), 20, "{text}");
    assert_eq!(count(&text, "error[encoding]"), 20, "{text}");
    assert!(text.contains("note: 25 more `unknown-field` problems are not shown"), "{text}");
    assert!(text.contains("note: 25 more `encoding` problems are not shown"), "{text}");
    assert!(text.contains("`--all`") && text.contains("`--format json`"), "{text}");
    assert!(text.ends_with("error: 135 errors in 90 files\n"), "{text}");
    let human = carebook(&["check", "--root", &root]);
    let text = String::from_utf8_lossy(&human.stderr);
    assert_eq!(count(&text, "error[unknown-field]"), 20, "{text}");
    assert!(text.contains("note: 25 more `encoding` problems are not shown"), "{text}");
    let all = carebook(&["check", "--root", &root, "--format", "short", "--all"]);
    let text = String::from_utf8_lossy(&all.stderr);
    assert_eq!(count(&text, "error[unknown-field]"), 45, "{text}");
    assert!(!text.contains("not shown"), "{text}");
    let json = carebook(&["build", "--root", &root, "--format", "json"]);
    let list: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(list.as_array().map(Vec::len), Some(135));
}

/// A file that cannot be read (too large, not UTF-8) reports that alone: links and references to
/// it are not reported as missing, as if it did not exist.
#[test]
fn an_unreadable_file_does_not_cascade() {
    let dir = temp_site(&repo().join("tests/fixtures/valid/minimal"));
    let guides = dir.path().join("content/guides");
    let mut huge = std::fs::read_to_string(guides.join("blocked-duct.md")).expect("read");
    while huge.len() <= 4 * 1024 * 1024 {
        huge.push_str("All work and no play makes a very long guide.\n");
    }
    std::fs::write(guides.join("blocked-duct.md"), huge).expect("write");
    std::fs::write(dir.path().join("content/symptoms/fever.md"), b"---\ntitle: Fi\xe8vre\n---\n").expect("write");
    let root = dir.path().to_string_lossy().to_string();
    let out = carebook(&["check", "--root", &root, "--format", "short"]);
    let text = String::from_utf8_lossy(&out.stderr);
    let codes: Vec<&str> =
        text.lines().filter_map(|l| l.split_once("error[")).map(|(_, r)| r.split(']').next().unwrap_or("")).collect();
    assert_eq!(codes, ["too-large", "encoding"], "{text}");
}
