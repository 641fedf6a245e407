//! Report: the sorted diagnostics of a run, the sources to locate them in, and the output formats.
//!
//! Three formats (docs/diagnostics.md): [`Format::Human`] (rustc-like, with the source line
//! underlined; see [`human`]), [`Format::Short`] (one line each) and [`Format::Json`] (one array;
//! see [`json`]).

pub(crate) mod human;
pub(crate) mod json;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Arc, OnceLock};

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::source::{LineIndex, Position, SourceFile};

/// How diagnostics are printed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Like rustc: the message, ` --> file:line:col`, the source line with the mistake underlined,
    /// and `= help: ...`; then a summary line.
    #[default]
    Human,
    /// `file:line:col: error[code]: message`, one per line; then a summary line.
    Short,
    /// One JSON array of `{severity, code, file, line, column, end_line, end_column, message, help}`.
    Json,
}

/// All diagnostics of a run, sorted by file, position, severity and code.
#[derive(Debug, Default)]
pub struct Report {
    diagnostics: Vec<Diagnostic>,
    /// Source texts by file; line indexes are built only for files that are actually reported on.
    /// (Looked up by name, never listed: a hash map, so that a rebuild of 10,000 files adds each
    /// in constant time.)
    sources: rustc_hash::FxHashMap<String, (Arc<str>, OnceLock<LineIndex>)>,
}

/// A diagnostic's start and end positions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Located {
    /// Where the span starts.
    pub start: Position,
    /// Where it ends (exclusive column).
    pub end: Position,
}

impl Report {
    /// A report of `diagnostics`.
    pub fn new(diagnostics: Vec<Diagnostic>) -> Self {
        let mut r = Report { diagnostics, sources: Default::default() };
        r.sort();
        r
    }

    /// Adds more diagnostics.
    pub(crate) fn extend(&mut self, more: impl IntoIterator<Item = Diagnostic>) {
        self.diagnostics.extend(more);
        self.sort();
    }

    fn sort(&mut self) {
        self.diagnostics.sort_by(|a, b| {
            let sa = a.span.as_ref().map_or(0, |s| s.start);
            let sb = b.span.as_ref().map_or(0, |s| s.start);
            (&a.file, sa, a.severity, a.code, &a.message).cmp(&(&b.file, sb, b.severity, b.code, &b.message))
        });
        self.diagnostics.dedup();
    }

    /// Adds the diagnostics and sources of `other`, each file renamed by `rename` (one language's
    /// report, whose files were named as if its folder were `content/`).
    /// Paths in messages are renamed by `rename_text`.
    pub(crate) fn absorb(
        &mut self,
        other: Report,
        rename: impl Fn(&str) -> String,
        rename_text: impl Fn(&str) -> String,
    ) {
        for (path, source) in other.sources {
            self.sources.entry(rename(&path)).or_insert(source);
        }
        self.extend(other.diagnostics.into_iter().map(|mut d| {
            d.file = rename(&d.file);
            d.message = rename_text(&d.message);
            d.label = d.label.as_deref().map(&rename_text);
            d.help = d.help.as_deref().map(&rename_text);
            d
        }));
    }

    /// The files that diagnostics point into but whose text was not registered (sorted, once each).
    pub(crate) fn missing_sources(&self) -> Vec<String> {
        let mut files: Vec<String> = self
            .diagnostics
            .iter()
            .filter(|d| d.span.is_some() && !self.sources.contains_key(&d.file))
            .map(|d| d.file.clone())
            .collect();
        files.dedup();
        files
    }

    /// Registers source texts so diagnostics in them can be located.
    pub fn add_sources<'a>(&mut self, files: impl IntoIterator<Item = &'a SourceFile>) {
        let files = files.into_iter();
        self.sources.reserve(files.size_hint().0);
        for f in files {
            self.sources.entry(f.path.clone()).or_insert_with(|| (f.text.clone(), OnceLock::new()));
        }
    }

    /// Lets go of the source text of `file` unless a diagnostic is in it.
    pub(crate) fn release_source(&mut self, file: &str) {
        if !self.diagnostics.iter().any(|d| d.file == file) {
            self.sources.remove(file);
        }
    }

    /// The diagnostics, sorted.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The source text of a file, if known.
    pub fn source(&self, file: &str) -> Option<&str> {
        self.sources.get(file).map(|(t, _)| &**t)
    }

    /// The text and line index of a file, if known.
    fn source_entry(&self, file: &str) -> Option<(&str, &LineIndex)> {
        self.sources.get(file).map(|(t, i)| (&**t, i.get_or_init(|| LineIndex::new(t))))
    }

    /// Number of errors.
    fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Error).count()
    }

    /// Number of warnings.
    fn warnings(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count()
    }

    /// Are there errors?
    pub fn has_errors(&self) -> bool {
        self.errors() > 0
    }

    /// Turns every warning into an error (`--deny-warnings`).
    pub(crate) fn deny_warnings(&mut self) {
        for d in &mut self.diagnostics {
            d.severity = Severity::Error;
        }
    }

    /// 1-based start and end positions of a diagnostic (1:1 when it has no span or no source).
    pub fn locate(&self, d: &Diagnostic) -> Located {
        let one = Position { line: 1, column: 1 };
        match (&d.span, self.source_entry(&d.file)) {
            (Some(span), Some((text, index))) => {
                Located { start: index.position(text, span.start), end: index.position(text, span.end) }
            }
            _ => Located { start: one, end: one },
        }
    }

    /// The whole output of a run in `format`: every diagnostic, then (human and short) the summary
    /// line. `color` adds ANSI colours to the human format; the others never have colour.
    /// Empty when there is nothing to report (JSON: `[]`).
    pub fn render(&self, format: Format, color: bool) -> String {
        self.render_limited(format, color, None)
    }

    /// [`Report::render`], showing in the human and short formats at most `limit_per_code` diagnostics
    /// of each code (the first ones, in the report's order), then a note per code saying how many
    /// more there are and how to see them. JSON always lists every diagnostic.
    pub fn render_limited(&self, format: Format, color: bool, limit_per_code: Option<usize>) -> String {
        if format == Format::Json {
            return json::render(self);
        }
        let (shown, notes) = self.limited(limit_per_code);
        let mut out = match format {
            Format::Human => human::render(self, &shown, color),
            _ => self.short_lines(&shown),
        };
        for note in notes {
            out.push_str(&note);
            out.push('\n');
        }
        if let Some(s) = self.summary() {
            out.push_str(&if format == Format::Human { human::summary(self, color) } else { s });
            out.push('\n');
        }
        out
    }

    /// The diagnostics to show, at most `per_code` of each code, and a note for each code with more.
    fn limited(&self, per_code: Option<usize>) -> (Vec<&Diagnostic>, Vec<String>) {
        let mut seen: BTreeMap<Code, usize> = BTreeMap::new();
        let shown = self
            .diagnostics
            .iter()
            .filter(|d| {
                let n = seen.entry(d.code).or_default();
                *n += 1;
                per_code.is_none_or(|max| *n <= max)
            })
            .collect();
        let notes = seen
            .into_iter()
            .filter_map(|(code, n)| {
                let more = n.checked_sub(per_code?).filter(|&m| m > 0)?;
                let problems = if more == 1 { "problem is" } else { "problems are" };
                Some(format!(
                    "note: {more} more `{code}` {problems} not shown; `--all` shows every problem, `--format json` lists them all"
                ))
            })
            .collect();
        (shown, notes)
    }

    /// The `short` format: one `file:line:col: severity[code]: message` line each.
    pub fn render_short(&self) -> String {
        self.short_lines(&self.diagnostics.iter().collect::<Vec<_>>())
    }

    fn short_lines(&self, shown: &[&Diagnostic]) -> String {
        let mut out = String::new();
        for d in shown {
            let p = self.locate(d).start;
            let _ =
                writeln!(out, "{}:{}:{}: {}[{}]: {}", d.file, p.line, p.column, d.severity.as_str(), d.code, d.message);
        }
        out
    }

    /// The summary line, e.g. `error: 3 errors and 1 warning in 2 files`; `None` when clean.
    pub fn summary(&self) -> Option<String> {
        self.summary_parts().map(|(level, counts)| format!("{}: {counts}", level.as_str()))
    }

    /// The summary's level (error if there is any error) and text after `error: `.
    fn summary_parts(&self) -> Option<(Severity, String)> {
        let (e, w) = (self.errors(), self.warnings());
        if e + w == 0 {
            return None;
        }
        // Sorted by file, so equal names are neighbours.
        let mut files: Vec<&str> = self.diagnostics.iter().map(|d| d.file.as_str()).collect();
        files.dedup();
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        let counts = match (e, w) {
            (0, w) => plural(w, "warning"),
            (e, 0) => plural(e, "error"),
            (e, w) => format!("{} and {}", plural(e, "error"), plural(w, "warning")),
        };
        let level = if e > 0 { Severity::Error } else { Severity::Warning };
        Some((level, format!("{counts} in {}", plural(files.len(), "file"))))
    }
}
