//! Property tests: whatever bytes a content file holds, `check` does not panic, and every
//! diagnostic it gives points inside the file (a line the file has, a column that line has).
//!
//! Two generators: arbitrary bytes, and arbitrary mutations of a valid guide (the realistic
//! case: a file that is almost right). The files go through the same code as files on disk
//! (`Loaded::add_markdown`: size and encoding checks) and are checked with the rest of a valid
//! site, in memory. 256 cases each, so CI stays fast; `PROPTEST_CASES=100000` runs more.

use carebook::config::Config;
use carebook::load::Loaded;
use carebook::report::Format;
use carebook::source::LineIndex;
use proptest::prelude::*;

use crate::support::{options, repo};

/// The minimal fixture's files.
fn site() -> Vec<(String, Vec<u8>)> {
    let root = repo().join("tests/fixtures/valid/minimal");
    let mut files = Vec::new();
    for e in walkdir::WalkDir::new(root.join("content")).sort_by_file_name() {
        let e = e.expect("walk");
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(&root).expect("inside").to_string_lossy().into_owned();
            files.push((rel, std::fs::read(e.path()).expect("read")));
        }
    }
    files
}

/// Where the generated file goes: over one of the site's files, or as a new one.
const TARGETS: &[&str] = &[
    "content/guides/mastitis.md",
    "content/symptoms/fever.md",
    "content/causes/missed-feeds.md",
    "content/pages/about.md",
    "content/guides/new-guide.md",
];

/// Checks the site with `bytes` at `target`, and asserts that nothing escapes the file.
fn check_with(target: &str, bytes: &[u8]) -> Result<(), TestCaseError> {
    let mut loaded = Loaded::default();
    let mut diags = Vec::new();
    for (path, data) in site().iter().filter(|(p, _)| p != target) {
        loaded.add_markdown(path.as_str(), data, &mut diags);
    }
    loaded.add_markdown(target, bytes, &mut diags);
    loaded.files.sort_by(|a, b| a.path.cmp(&b.path));
    let opts = options(&repo());
    let (report, _site) = carebook::pipeline::check_loaded(Config::default(), loaded, diags, &opts);
    for d in report.diagnostics() {
        let Some(span) = &d.span else { continue };
        let text = report.source(&d.file);
        prop_assert!(text.is_some(), "a span in a file the report does not know: {d:?}");
        let text = text.unwrap_or_default();
        prop_assert!(span.start <= span.end && span.end <= text.len(), "span outside {} bytes: {d:?}", text.len());
        let index = LineIndex::new(text);
        let at = report.locate(d);
        for p in [at.start, at.end] {
            prop_assert!(
                p.line >= 1 && p.line <= index.line_count(),
                "line {} of {}: {d:?}",
                p.line,
                index.line_count()
            );
            let width = index.line_text(text, p.line - 1).chars().count();
            prop_assert!(p.column >= 1 && p.column <= width + 1, "column {} of {}: {d:?}", p.column, width);
        }
    }
    for format in [Format::Human, Format::Short, Format::Json] {
        let _ = report.render(format, false);
    }
    Ok(())
}

/// One change to a file's bytes.
#[derive(Clone, Debug)]
enum Mutation {
    /// Insert bytes at a position (a fraction of the length).
    Insert(f64, Vec<u8>),
    /// Insert a token that matters to front matter, YAML or Markdown.
    Token(f64, &'static str),
    /// Delete a range.
    Delete(f64, usize),
    /// Replace one byte.
    Byte(f64, u8),
    /// Duplicate a line.
    DuplicateLine(f64),
    /// Swap two lines.
    SwapLines(f64, f64),
    /// Cut the file short.
    Truncate(f64),
}

const TOKENS: &[&str] = &[
    "---",
    "---\n",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "\u{feff}",
    ": ",
    ":",
    "- ",
    "  ",
    "[",
    "]",
    "{",
    "}",
    "&a ",
    "*a",
    "? ",
    "~",
    "\"",
    "'",
    "|\n",
    ">-\n",
    "#",
    "!!binary ",
    "<<: *a\n",
    "1e999",
    "99999999999999999999",
    "2026-02-30",
    "<script>alert(1)</script>",
    "<b>",
    "](x.md)",
    "[x](javascript:x)",
    "![x](https://e.org/x.png)",
    "[^1]",
    "{#x}",
    "\u{0}",
    "é",
    "\u{10ffff}",
    "title: ",
    "urgency: urgent\n",
    "symptoms: [fever]\n",
];

fn mutation() -> impl Strategy<Value = Mutation> {
    let at = 0.0..=1.0f64;
    prop_oneof![
        (at.clone(), proptest::collection::vec(any::<u8>(), 1..8)).prop_map(|(a, b)| Mutation::Insert(a, b)),
        (at.clone(), proptest::sample::select(TOKENS)).prop_map(|(a, t)| Mutation::Token(a, t)),
        (at.clone(), 1..40usize).prop_map(|(a, n)| Mutation::Delete(a, n)),
        (at.clone(), any::<u8>()).prop_map(|(a, b)| Mutation::Byte(a, b)),
        at.clone().prop_map(Mutation::DuplicateLine),
        (at.clone(), at.clone()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        at.prop_map(Mutation::Truncate),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let pos = |f: f64, len: usize| ((len as f64 * f) as usize).min(len);
    match m {
        Mutation::Insert(a, b) => {
            let p = pos(*a, bytes.len());
            bytes.splice(p..p, b.iter().copied());
        }
        Mutation::Token(a, t) => {
            let p = pos(*a, bytes.len());
            bytes.splice(p..p, t.bytes());
        }
        Mutation::Delete(a, n) => {
            let p = pos(*a, bytes.len());
            let end = (p + n).min(bytes.len());
            bytes.drain(p..end);
        }
        Mutation::Byte(a, b) => {
            if !bytes.is_empty() {
                let p = pos(*a, bytes.len() - 1);
                bytes[p] = *b;
            }
        }
        Mutation::DuplicateLine(a) | Mutation::SwapLines(a, _) => {
            let mut lines: Vec<Vec<u8>> = bytes.split_inclusive(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
            if lines.is_empty() {
                return;
            }
            let i = pos(*a, lines.len() - 1);
            match m {
                Mutation::SwapLines(_, b) => {
                    let j = pos(*b, lines.len() - 1);
                    lines.swap(i, j);
                }
                _ => {
                    let line = lines[i].clone();
                    lines.insert(i, line);
                }
            }
            *bytes = lines.concat();
        }
        Mutation::Truncate(a) => {
            let p = pos(*a, bytes.len());
            bytes.truncate(p);
        }
    }
}

/// 256, or `PROPTEST_CASES`.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(256)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic_and_stay_inside_the_file(
        target in proptest::sample::select(TARGETS),
        bytes in proptest::collection::vec(any::<u8>(), 0..600),
    ) {
        check_with(target, &bytes)?;
    }

    #[test]
    fn arbitrary_text_never_panics_and_stays_inside_the_file(
        target in proptest::sample::select(TARGETS),
        text in "(---\n)?[ -~\t\r\n\u{e9}\u{feff}]{0,400}",
    ) {
        check_with(target, text.as_bytes())?;
    }

    #[test]
    fn mutated_guides_never_panic_and_stay_inside_the_file(
        target in proptest::sample::select(TARGETS),
        source in 0..5usize,
        mutations in proptest::collection::vec(mutation(), 1..6),
    ) {
        let files = site();
        let mut bytes = files[source % files.len()].1.clone();
        for m in &mutations {
            apply(&mut bytes, m);
        }
        check_with(target, &bytes)?;
    }
}
