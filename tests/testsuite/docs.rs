//! The documentation in docs/ says what the code does: the parts generated from the code's own
//! tables are equal to them (`UPDATE_DOCS=1` rewrites them; review the diff), every diagnostic
//! code has an example, the examples pass, and no document points outside the repository.

use crate::support::{fixture_snapshot, fixtures, repo, snapshot_parts, today};
use carebook::Code;
use carebook::markdown::MdOptions;
use carebook::source::SourceFile;
use std::path::Path;

/// Checks (or, with `UPDATE_DOCS`, rewrites) the part of `doc` between the markers
/// `<!-- generated from {source}: start -->` and `…: end -->`.
fn generated_part(doc: &str, source: &str, generated: &str) {
    let path = repo().join(doc);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{doc}: {e}"));
    let start = format!("<!-- generated from {source}: start -->\n");
    let end = format!("<!-- generated from {source}: end -->");
    let (Some(a), Some(b)) = (text.find(&start), text.find(&end)) else {
        panic!("{doc} has no markers `{}` and `{end}`", start.trim_end());
    };
    let current = &text[a + start.len()..b];
    if std::env::var_os("UPDATE_DOCS").is_some() {
        let new = format!("{}{generated}{}", &text[..a + start.len()], &text[b..]);
        std::fs::write(&path, new).expect("write the document");
        return;
    }
    assert!(
        current == generated,
        "{doc} is out of date with {source}; run `UPDATE_DOCS=1 cargo test --test testsuite docs` and review the \
         diff.\n-- in the document:\n{current}\n-- generated:\n{generated}"
    );
}

/// The first fenced block of `lang` in a document.
fn first_block(text: &str, lang: &str) -> String {
    let open = format!("```{lang}\n");
    let start = text.find(&open).map(|i| i + open.len()).unwrap_or_else(|| panic!("no ```{lang} block"));
    let len = text[start..].find("```").unwrap_or(0);
    text[start..start + len].to_string()
}

#[test]
fn the_front_matter_reference_is_generated_from_the_field_table() {
    generated_part("docs/front-matter.md", "src/schema/fields.rs", &carebook::schema::reference::tables());
}

#[test]
fn the_front_matter_example_passes_the_checker() {
    let doc = std::fs::read_to_string(repo().join("docs/front-matter.md")).expect("docs/front-matter.md");
    let example = first_block(&doc, "yaml");
    let file = SourceFile { path: "content/guides/mastitis.md".into(), text: example.as_str().into() };
    let mut diags = Vec::new();
    let opts = carebook::parse::Options {
        md: MdOptions::default(),
        today: today(),
        release_texts: false,
        policy: Default::default(),
    };
    let out = carebook::parse::parse(vec![file], opts, &mut diags);
    assert_eq!(diags, vec![], "the example in docs/front-matter.md");
    assert!(out.parsed.first().is_some_and(|p| p.matter.is_some()));
}

#[test]
fn the_configuration_reference_is_generated_from_the_key_table() {
    generated_part("docs/configuration.md", "src/config/keys.rs", &carebook::config::keys::reference());
}

/// The example `carebook.toml` is read without a problem, and the misplaced key is reported as
/// the document shows.
#[test]
fn the_configuration_examples_are_what_carebook_does() {
    let doc = std::fs::read_to_string(repo().join("docs/configuration.md")).expect("docs/configuration.md");
    let example = first_block(&doc, "toml");
    let (config, diags) = carebook::config::read(&example);
    assert_eq!(diags, vec![], "the example in docs/configuration.md");
    assert_eq!(config.urgency.routine.label, "Routine: ask for support");
    let shown = first_block(&doc, "text");
    let misplaced = format!("{example}theme = \"default\"\n");
    let (_, diags) = carebook::config::read(&misplaced);
    let mut report = carebook::Report::new(diags);
    report.add_sources([&SourceFile { path: "carebook.toml".into(), text: misplaced.as_str().into() }]);
    let human = report.render(carebook::report::Format::Human, false);
    assert!(human.starts_with(&shown), "docs/configuration.md shows\n{shown}\ncarebook says\n{human}");
}

/// Where several fixtures are named after a code, the one whose example docs/diagnostics.md shows.
const EXAMPLES: &[&str] = &[
    "active-file-svg-script",
    "duplicate-id-subfolder",
    "encoding-latin1",
    "front-matter-missing",
    "invalid-value-file-name",
    "io-symlink-loop",
    "red-flag-mismatch-fewer-signs",
    "remote-resource-image",
    "unknown-citation-typo",
    "unknown-reference-symptom",
];

/// The human-format example of `code`: its block in the snapshot of its fixture, or in a
/// snapshot of tests/testsuite/diagnostics.rs (the snapshots are kept true by the fixtures and
/// diagnostics tests).
fn example_of(code: Code) -> Option<String> {
    // (name, human format) of every fixture and every diagnostics snapshot, sorted by name.
    let mut snaps: Vec<(String, String)> = fixtures("invalid")
        .into_iter()
        .filter_map(|(name, case)| Some((name, snapshot_parts(&fixture_snapshot(&case))?.1.to_string())))
        .collect();
    let dir = repo().join("tests/testsuite/snapshots/diagnostics");
    for p in std::fs::read_dir(&dir).expect("snapshots").filter_map(Result::ok).map(|e| e.path()) {
        let text = std::fs::read_to_string(&p).unwrap_or_default();
        if let (Some("snap"), Some(body)) = (p.extension().and_then(|e| e.to_str()), text.splitn(3, "---\n").nth(2)) {
            snaps.push((p.file_stem().unwrap_or_default().to_string_lossy().into_owned(), body.to_string()));
        }
    }
    snaps.sort();
    // The chosen fixture named after the code first, then any other named after it, then any
    // other that shows it.
    let prefix = format!("{}-", code.as_str());
    snaps.sort_by_key(|(name, _)| (!name.starts_with(&prefix), !EXAMPLES.contains(&name.as_str())));
    let heads = [format!("error[{code}]"), format!("warning[{code}]")];
    snaps.iter().find_map(|(_, body)| {
        body.split("\n\n").find(|block| heads.iter().any(|h| block.starts_with(h.as_str()))).map(str::to_string)
    })
}

/// The list of codes in docs/diagnostics.md: each with its severity, when it is reported and an
/// example taken from the fixtures' snapshots.
fn codes_section() -> String {
    let mut out = String::new();
    for &code in Code::ALL {
        let example = example_of(code).unwrap_or_else(|| panic!("no snapshot shows `{code}`"));
        let severity = code.default_severity().as_str();
        out.push_str(&format!("### `{code}` ({severity})\n\n{}\n\n```text\n{example}\n```\n\n", code.about()));
    }
    out
}

#[test]
fn every_diagnostic_code_is_documented_with_an_example() {
    generated_part("docs/diagnostics.md", "src/diagnostic.rs", &codes_section());
    let doc = std::fs::read_to_string(repo().join("docs/diagnostics.md")).expect("docs/diagnostics.md");
    for code in Code::ALL {
        assert!(doc.contains(&format!("### `{code}`")), "docs/diagnostics.md does not document `{code}`");
    }
}

/// Markdown files of the project (not dependencies or build output).
fn project_documents(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().filter_map(Result::ok) {
        let p = e.path();
        let name = e.file_name().to_string_lossy().to_string();
        if p.is_dir() {
            if !matches!(name.as_str(), "target" | "node_modules" | ".git" | "public") {
                project_documents(&p, out);
            }
        } else if name.ends_with(".md") {
            out.push(p);
        }
    }
}

#[test]
fn documents_never_point_outside_the_repository() {
    let mut docs = Vec::new();
    project_documents(&repo(), &mut docs);
    assert!(docs.len() >= 5, "{docs:?}");
    for doc in docs {
        let text = std::fs::read_to_string(&doc).unwrap_or_default();
        for outside in ["../shared", "/work/shared", "DESIGN.md"] {
            assert!(!text.contains(outside), "{} points outside the repository: `{outside}`", doc.display());
        }
    }
}
