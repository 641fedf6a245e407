//! Shell completions and the manual page, generated from the command-line definition: each
//! shell's script parses and names every command and option; bash completes them; the man page
//! has every command and option and renders.

use crate::support::have_tool;
use carebook::cmd::Cli;
use clap::CommandFactory;
use std::process::Command;

/// Every command and subcommand (`theme diff`), and every long option of each, of the CLI.
fn commands() -> Vec<(String, Vec<String>)> {
    fn walk(cmd: &clap::Command, prefix: &str, out: &mut Vec<(String, Vec<String>)>) {
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let name = format!("{prefix}{}", sub.get_name()).trim().to_string();
            let longs = sub.get_arguments().filter_map(|a| a.get_long()).map(str::to_string).collect();
            out.push((name.clone(), longs));
            walk(sub, &format!("{name} "), out);
        }
    }
    let mut out = Vec::new();
    walk(&Cli::command(), "", &mut out);
    out
}

fn carebook(args: &[&str]) -> String {
    let out = crate::support::carebook().args(args).output().expect("run carebook");
    assert!(out.status.success(), "carebook {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn every_shell_gets_a_script_naming_every_command_and_option() {
    let cmds = commands();
    assert!(cmds.len() >= 11, "{cmds:?}");
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = carebook(&["completions", shell]);
        for (name, longs) in &cmds {
            let last = name.rsplit(' ').next().unwrap_or(name);
            assert!(script.contains(last), "{shell}: no `{name}`");
            for long in longs {
                // fish writes `-l force`; the others `--force`.
                let written = if shell == "fish" { format!("-l {long}") } else { format!("--{long}") };
                assert!(script.contains(&written), "{shell}: no --{long} of `{name}`");
            }
        }
    }
}

/// Each script is valid for its shell (bash always; zsh and fish where installed).
#[test]
fn the_scripts_parse_in_their_shells() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (shell, check) in [("bash", vec!["-n"]), ("zsh", vec!["-n"]), ("fish", vec!["--no-execute"])] {
        if !have_tool(shell, "checking the completion script") {
            continue;
        }
        let path = dir.path().join(format!("carebook.{shell}"));
        std::fs::write(&path, carebook(&["completions", shell])).expect("write");
        let out = Command::new(shell).args(&check).arg(&path).output().expect("run the shell");
        assert!(out.status.success(), "{shell}: {}", String::from_utf8_lossy(&out.stderr));
    }
}

/// Bash, given the script, completes command names and options as a user types them.
#[test]
fn bash_completes_commands_and_options() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("carebook.bash");
    std::fs::write(&path, carebook(&["completions", "bash"])).expect("write");
    let complete = |words: &str| -> String {
        let script = format!(
            "source {path:?}; COMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)); \
             COMP_LINE=\"${{COMP_WORDS[*]}}\"; COMP_POINT=${{#COMP_LINE}}; \
             _carebook carebook \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"; \
             printf '%s\\n' \"${{COMPREPLY[@]}}\""
        );
        let out = Command::new("bash").args(["-c", &script]).output().expect("bash");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let first = complete("carebook ''");
    for name in ["init", "build", "check", "theme", "completions", "man"] {
        assert!(first.lines().any(|l| l == name), "`{name}` in {first}");
    }
    assert_eq!(complete("carebook th").trim(), "theme");
    assert!(complete("carebook build --dr").lines().any(|l| l == "--drafts"));
    let theme = complete("carebook theme ''");
    assert!(theme.lines().any(|l| l == "diff") && theme.lines().any(|l| l == "copy"), "{theme}");
}

/// The man page lists every command with its synopsis and every option, and `man` renders it.
#[test]
fn the_man_page_has_every_command_and_option() {
    let page = carebook(&["man"]);
    assert!(page.starts_with(".ie") || page.contains(".TH carebook 1"), "{}", &page[..200.min(page.len())]);
    for (name, longs) in commands() {
        assert!(page.contains(&format!(".SS \"carebook {name}\"")), "no section for `{name}`");
        for long in longs {
            let roff = format!("--{long}").replace('-', "\\-");
            assert!(page.contains(&roff), "no --{long} of `{name}`");
        }
    }
    for section in ["EXIT STATUS", "ENVIRONMENT", "FILES", "VERSION"] {
        assert!(page.contains(&format!(".SH \"{section}\"")) || page.contains(&format!(".SH {section}")), "{section}");
    }
    if !have_tool("man", "rendering the man page") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("carebook.1");
    std::fs::write(&path, &page).expect("write");
    // Not a terminal: man prints plain text.
    let out = Command::new("man").arg("-l").arg(&path).env("MANWIDTH", "100").output().expect("man");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for needle in ["carebook theme diff", "--deny-warnings", "EXIT STATUS", "CAREBOOK_TODAY"] {
        assert!(text.contains(needle), "`{needle}` in the rendered page:\n{text}");
    }
}
