//! `carebook init`: a new site, made by the installed binary alone in a folder with nothing from
//! this repository, checks and builds at once and passes the shipped site's reader checks; its
//! examples stay out of the site until made the editor's own; its carebook.toml has every key.

use crate::site::assert_reader_checks;
use crate::support::read_tree;
use std::path::PathBuf;
use std::process::{Command, Output};

/// A temporary folder holding only a copy of the carebook binary, as `cargo install` leaves it.
pub(crate) struct Installed {
    /// The folder (the working directory of every command).
    pub dir: tempfile::TempDir,
    /// The binary's path inside it.
    pub bin: PathBuf,
}

impl Installed {
    pub(crate) fn new() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let bin = dir.path().join("bin").join("carebook");
        std::fs::create_dir_all(bin.parent().expect("bin folder")).expect("mkdir bin");
        std::fs::copy(env!("CARGO_BIN_EXE_carebook"), &bin).expect("copy the binary");
        Installed { dir, bin }
    }

    /// Runs the binary with `args` in the folder, with the tests' fixed today.
    pub(crate) fn run(&self, args: &[&str]) -> Output {
        let mut tries = 0;
        loop {
            let out = Command::new(&self.bin)
                .args(args)
                .current_dir(self.dir.path())
                .env("CAREBOOK_TODAY", crate::support::TODAY)
                .env("NO_COLOR", "1")
                .output();
            match out {
                // Another test's child, started while this copy was being written, may still hold
                // it open for writing for a moment (ETXTBSY): try again.
                Err(e) if e.raw_os_error() == Some(26) && tries < 100 => {
                    tries += 1;
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                out => return out.expect("run carebook"),
            }
        }
    }

    /// Runs it and asserts exit status 0; returns stderr.
    pub(crate) fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(0), "carebook {}:\n{err}", args.join(" "));
        err
    }
}

/// The example files `carebook init` writes.
const EXAMPLES: [&str; 4] =
    ["guides/minor-burns.html", "symptoms/blisters.html", "causes/hot-liquids.html", "pages/about.html"];

#[test]
fn init_then_build_makes_a_site_with_nothing_from_this_repository() {
    let cb = Installed::new();
    let said = cb.ok(&["init", "site"]);
    assert!(said.contains("carebook serve --drafts"), "{said}");
    let site = cb.dir.path().join("site");
    for f in ["carebook.toml", "README.md", ".gitignore", "content/guides/minor-burns.md"] {
        assert!(site.join(f).is_file(), "{f}");
    }
    assert!(!site.join("themes").exists(), "the built-in theme is used, not copied");

    // `check`: no error, one `example` warning per example file; `--deny-warnings` stops there.
    let check = cb.ok(&["check", "--root", "site", "--format", "short"]);
    let warnings: Vec<&str> = check.lines().filter(|l| l.contains("warning[")).collect();
    assert_eq!(warnings.len(), 4, "{check}");
    assert!(warnings.iter().all(|w| w.contains("warning[example]")), "{check}");
    assert_eq!(cb.run(&["check", "--root", "site", "--deny-warnings"]).status.code(), Some(1));

    // `build`: a site without the examples, that passes the reader checks.
    cb.ok(&["build", "--root", "site"]);
    let out = site.join("public");
    for page in ["index.html", "when-to-see-a-doctor.html", "404.html", "static/style.css"] {
        assert!(out.join(page).is_file(), "{page}");
    }
    for page in EXAMPLES {
        assert!(!out.join(page).exists(), "the example {page} is not published");
    }
    let tree = read_tree(&out);
    assert!(
        tree.iter().all(|(p, b)| !String::from_utf8_lossy(b).contains("minor-burns") || p == ".carebook-build"),
        "nothing links to an example"
    );
    crate::site::assert_links_resolve(&site, &out, false);
    crate::site::assert_ids_unique(&out);
    // What a build leaves beside the output is never committed: `.gitignore` lists each file.
    let ignore = std::fs::read_to_string(site.join(".gitignore")).expect(".gitignore");
    let beside: Vec<String> = std::fs::read_dir(&site)
        .expect("site")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public."))
        .collect();
    assert!(!beside.is_empty(), "the build cache at least: {beside:?}");
    for name in beside {
        assert!(ignore.lines().any(|l| l == format!("/{name}")), "{name} is not in .gitignore:\n{ignore}");
    }

    // With `--drafts`, the examples are built and pass every reader check of the shipped site.
    cb.ok(&["build", "--root", "site", "--drafts", "--out", "with-examples"]);
    let drafts = cb.dir.path().join("with-examples");
    for page in EXAMPLES {
        assert!(drafts.join(page).is_file(), "{page}");
    }
    assert_reader_checks(&site, &drafts, true);
}

/// An example becomes part of the site once `example: true` is deleted; a published file that
/// links to an example is refused, since the link would lead nowhere.
#[test]
fn an_example_is_published_once_made_the_editors_own() {
    let cb = Installed::new();
    cb.ok(&["init", "site"]);
    let site = cb.dir.path().join("site");
    let about = site.join("content/pages/about.md");
    let text = std::fs::read_to_string(&about).expect("about");
    std::fs::write(&about, text.replace("example: true\n", "")).expect("write");
    cb.ok(&["build", "--root", "site"]);
    assert!(site.join("public/pages/about.html").is_file());
    assert!(!site.join("public/guides/minor-burns.html").exists());

    let text = std::fs::read_to_string(&about).expect("about");
    std::fs::write(&about, format!("{text}\nSee [burns](../guides/minor-burns.md).\n")).expect("write");
    let out = cb.run(&["build", "--root", "site", "--format", "short"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("content/pages/about.md") && err.contains("error[broken-link]"), "{err}");
}

#[test]
fn init_refuses_a_folder_that_is_not_empty_and_never_overwrites() {
    let cb = Installed::new();
    let site = cb.dir.path().join("site");
    std::fs::create_dir_all(site.join(".git")).expect("mkdir");
    cb.ok(&["init", "site"]);
    assert!(site.join("carebook.toml").is_file(), "a folder with only .git counts as empty");

    let again = cb.run(&["init", "site"]);
    let err = String::from_utf8_lossy(&again.stderr);
    assert_eq!(again.status.code(), Some(2), "{err}");
    assert!(err.contains("is not empty") && err.contains("--force") && err.contains("carebook.toml"), "{err}");

    // --force writes what is missing and keeps what is there.
    std::fs::write(site.join("carebook.toml"), "title = \"Ours\"\n").expect("write");
    std::fs::remove_file(site.join("content/causes/hot-liquids.md")).expect("rm");
    let said = cb.ok(&["init", "site", "--force"]);
    assert!(said.contains("kept  carebook.toml"), "{said}");
    assert!(said.contains("wrote content/causes/hot-liquids.md"), "{said}");
    assert_eq!(std::fs::read_to_string(site.join("carebook.toml")).expect("read"), "title = \"Ours\"\n");
    assert!(site.join("content/causes/hot-liquids.md").is_file());

    // A file where the folder should be is an error, not a crash.
    std::fs::write(cb.dir.path().join("file"), "x").expect("write");
    assert_eq!(cb.run(&["init", "file"]).status.code(), Some(2));
    assert_eq!(cb.run(&["init", "file", "--force"]).status.code(), Some(2));
}

/// `carebook.toml` as `init` writes it: every key of the key table is there, in its table, with
/// its help; it reads as the defaults, and with every commented example put in, as the examples.
#[test]
fn the_new_carebook_toml_has_every_key_explained() {
    let text = carebook::config::keys::commented_toml();
    let (config, diags) = carebook::config::read(&text);
    assert_eq!(diags, vec![], "{text}");
    assert_eq!(config, carebook::config::Config::default());
    let mut table = "";
    let mut seen = Vec::new();
    let mut uncommented = String::new();
    for line in text.lines() {
        if let Some(t) = line.strip_prefix('[') {
            table = t.trim_end_matches(']');
            table = carebook::config::keys::TABLES.iter().find(|x| x.name == table).map_or("?", |x| x.name);
        }
        let setting = line.strip_prefix("# ").filter(|l| l.contains(" = ")).unwrap_or(line);
        if let Some((name, _)) = setting.split_once(" = ") {
            seen.push(if table.is_empty() { name.to_string() } else { format!("{table}.{name}") });
        }
        uncommented.push_str(setting);
        uncommented.push('\n');
    }
    let all: Vec<String> = carebook::config::keys::KEYS.iter().map(|k| k.path.to_string()).collect();
    assert_eq!(seen, all, "every key, in its table, in the order of the table");
    for k in carebook::config::keys::KEYS {
        let first_words: String = k.help.split_whitespace().take(4).collect::<Vec<_>>().join(" ");
        assert!(text.contains(&first_words), "the help of `{}`", k.path);
    }
    let (config, diags) = carebook::config::read(&uncommented);
    assert_eq!(diags, vec![], "{uncommented}");
    assert!(config.description.is_some() && config.disclaimer.is_some(), "the examples of unset keys are valid");
}

/// `init --theme` copies the built-in theme out; the site builds exactly as before, and
/// `theme diff` then shows one edited template, and the rest as the same.
#[test]
fn init_theme_copies_the_theme_and_theme_diff_shows_the_changes() {
    let cb = Installed::new();
    cb.ok(&["init", "plain"]);
    cb.ok(&["init", "own", "--theme"]);
    let own = cb.dir.path().join("own");
    for (rel, _) in carebook::theme::builtin() {
        assert!(own.join("themes/default").join(rel).is_file(), "{rel}");
    }
    cb.ok(&["build", "--root", "plain", "--drafts"]);
    cb.ok(&["build", "--root", "own", "--drafts"]);
    let (a, b) = (read_tree(&cb.dir.path().join("plain/public")), read_tree(&own.join("public")));
    let differ: Vec<&String> = a.keys().filter(|k| a.get(*k) != b.get(*k) && *k != ".carebook-build").collect();
    assert!(differ.is_empty(), "{differ:?}");

    let diff = cb.run(&["theme", "diff", "--root", "own"]);
    let text = String::from_utf8_lossy(&diff.stdout);
    assert!(!text.contains("changed:") && text.contains("same:    themes/default/templates/guide.html"), "{text}");
    let path = own.join("themes/default/templates/page.html");
    let page = std::fs::read_to_string(&path).expect("page.html");
    std::fs::write(&path, page.replacen("<h1>", "<h1 class=\"ours\">", 1)).expect("write");
    std::fs::write(own.join("themes/default/static/extra.css"), "p { margin: 0 }\n").expect("write");
    let diff = cb.run(&["theme", "diff", "--root", "own"]);
    let text = String::from_utf8_lossy(&diff.stdout);
    assert_eq!(diff.status.code(), Some(0));
    assert!(text.contains("changed: themes/default/templates/page.html\n"), "{text}");
    assert!(
        text.contains("--- <built-in theme>/templates/page.html\n+++ themes/default/templates/page.html"),
        "{text}"
    );
    assert!(text.contains("\n-<h1>") && text.contains("\n+<h1 class=\"ours\">"), "{text}");
    assert!(text.contains("added:   themes/default/static/extra.css"), "{text}");
    assert!(text.contains("1 changed, 1 added,"), "{text}");
    let brief = String::from_utf8_lossy(&cb.run(&["theme", "diff", "--root", "own", "--brief"]).stdout).into_owned();
    assert!(brief.contains("changed: themes/default/templates/page.html") && !brief.contains("+++"), "{brief}");

    let plain = String::from_utf8_lossy(&cb.run(&["theme", "diff", "--root", "plain"]).stdout).into_owned();
    assert!(plain.contains("uses the built-in theme as it is"), "{plain}");
}

/// `theme copy` writes the named built-in files (and CONTEXT.md) and never overwrites one.
#[test]
fn theme_copy_writes_one_file_and_keeps_what_is_there() {
    let cb = Installed::new();
    cb.ok(&["init", "site"]);
    let site = cb.dir.path().join("site");
    let said = cb.ok(&["theme", "copy", "guide.html", "--root", "site"]);
    assert!(said.contains("wrote themes/default/templates/guide.html"), "{said}");
    let files: Vec<String> = read_tree(&site.join("themes")).into_keys().collect();
    assert_eq!(files, ["default/CONTEXT.md", "default/templates/guide.html"]);
    std::fs::write(site.join("themes/default/templates/guide.html"), "{% extends \"base.html\" %}").expect("write");
    let said = cb.ok(&["theme", "copy", "templates/guide.html", "--root", "site"]);
    assert!(said.contains("kept  themes/default/templates/guide.html"), "{said}");
    assert_eq!(
        std::fs::read_to_string(site.join("themes/default/templates/guide.html")).expect("read"),
        "{% extends \"base.html\" %}"
    );
    let bad = cb.run(&["theme", "copy", "gide.html", "--root", "site"]);
    let err = String::from_utf8_lossy(&bad.stderr);
    assert_eq!(bad.status.code(), Some(2), "{err}");
    assert!(err.contains("did you mean `guide.html`"), "{err}");
}

/// `init --lang ru`: a site in English and Russian at once: the `[languages.ru]` table in
/// carebook.toml (every per-language word given, so `check` finds only the examples), the example
/// page translated in content/ru/ and marked as translating its source; with `--drafts` it is
/// built into public/ru/ in Russian, and the English page links to it. A language the built-in
/// theme has no words for is refused, writing nothing.
#[test]
fn init_with_a_second_language_starts_its_folder_and_table() {
    let cb = Installed::new();
    let said = cb.ok(&["init", "site", "--lang", "ru"]);
    assert!(said.contains("wrote content/ru/pages/about.md") && said.contains("--lang ru"), "{said}");
    let site = cb.dir.path().join("site");
    let toml = std::fs::read_to_string(site.join("carebook.toml")).expect("carebook.toml");
    assert!(
        toml.contains("\n[languages.ru]\nname = \"Русский\"\n") && toml.contains("\nlanguage_name = \"English\"\n")
    );
    let about = std::fs::read_to_string(site.join("content/ru/pages/about.md")).expect("the Russian page");
    assert!(about.contains("title: О сайте") && about.contains("example: true\ntranslated_from: \""), "{about}");

    let check = cb.ok(&["check", "--root", "site", "--format", "short"]);
    let warnings: Vec<&str> = check.lines().filter(|l| l.contains("warning[")).collect();
    assert_eq!(warnings.len(), 5, "{check}");
    assert!(warnings.iter().all(|w| w.contains("warning[example]")), "only the examples: {check}");
    let status = cb.run(&["translate", "status", "--root", "site"]);
    let listed = String::from_utf8_lossy(&status.stdout);
    assert!(listed.contains("content/ru/pages/about.md: up to date"), "{listed}");

    cb.ok(&["build", "--root", "site", "--drafts"]);
    let ru = std::fs::read_to_string(site.join("public/ru/pages/about.html")).expect("the Russian page, built");
    assert!(ru.contains("<html lang=\"ru\"") && ru.contains("<h1") && ru.contains("О сайте"));
    let en = std::fs::read_to_string(site.join("public/pages/about.html")).expect("the English page");
    assert!(en.contains("hreflang=\"ru\" href=\"../ru/pages/about.html\""), "the English page links its translation");

    let refused = cb.run(&["init", "other", "--lang", "xx"]);
    let err = String::from_utf8_lossy(&refused.stderr);
    assert_ne!(refused.status.code(), Some(0));
    assert!(err.contains("not `xx`") && err.contains("Nothing was written"), "{err}");
    assert!(!cb.dir.path().join("other").exists());
}
