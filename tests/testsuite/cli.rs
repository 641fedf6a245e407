//! The command line: exit codes (0 success, 1 content errors, 2 usage or I/O) and messages.

use crate::support::{repo, temp_site};
use std::process::Command;

fn carebook(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_carebook"))
        .args(args)
        .env("CAREBOOK_TODAY", "2026-11-26")
        .env("NO_COLOR", "1")
        .output()
        .expect("run carebook")
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
