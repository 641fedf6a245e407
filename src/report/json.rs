//! The JSON format: one array, one object per diagnostic, in the report's order (by file, then
//! position):
//!
//! ```json
//! [{"severity": "error", "code": "unknown-field", "file": "content/guides/milk-stasis.md",
//!   "line": 6, "column": 1, "end_line": 6, "end_column": 8,
//!   "message": "unknown field `symtoms` in the guide front matter", "help": "did you mean `symptoms`?"}]
//! ```
//!
//! `file` is relative to the site root with forward slashes. Positions are 1-based in the original
//! file (not in the front matter); columns count characters. `end_line`/`end_column` is the position
//! just past the span (exclusive, like an editor's selection end): a span covering `symtoms` at 6:1
//! ends at 6:8. A diagnostic about a whole file is at 1:1 to 1:1. `help` is `null` when there is none.

use serde::Serialize;

use super::Report;

/// One diagnostic as written in the JSON format.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct JsonDiagnostic<'a> {
    /// `error` or `warning`.
    pub(crate) severity: &'static str,
    /// The stable code, e.g. `unknown-field`.
    pub(crate) code: &'static str,
    /// The file, relative to the site root.
    pub(crate) file: &'a str,
    /// 1-based line where the span starts.
    pub(crate) line: usize,
    /// 1-based column (in characters) where the span starts.
    pub(crate) column: usize,
    /// 1-based line where the span ends.
    pub(crate) end_line: usize,
    /// 1-based column just past the span.
    pub(crate) end_column: usize,
    /// What is wrong.
    pub(crate) message: &'a str,
    /// What would be right, if known.
    pub(crate) help: Option<&'a str>,
}

/// The diagnostics of `report` as JSON objects.
pub(crate) fn diagnostics(report: &Report) -> Vec<JsonDiagnostic<'_>> {
    report
        .diagnostics()
        .iter()
        .map(|d| {
            let at = report.locate(d);
            let end = at.end.max(at.start);
            JsonDiagnostic {
                severity: d.severity.as_str(),
                code: d.code.as_str(),
                file: &d.file,
                line: at.start.line,
                column: at.start.column,
                end_line: end.line,
                end_column: end.column,
                message: &d.message,
                help: d.help.as_deref(),
            }
        })
        .collect()
}

/// The JSON array, pretty-printed, with a final newline.
pub(crate) fn render(report: &Report) -> String {
    // Serialising plain strings and numbers cannot fail; fall back to an empty array regardless.
    let mut s = serde_json::to_string_pretty(&diagnostics(report)).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Code, Diagnostic};
    use crate::source::SourceFile;

    #[test]
    fn positions_are_one_based_and_end_is_exclusive() {
        let text = "---\ntitle: x\nsymtoms: []\n---\n";
        let start = text.find("symtoms").unwrap();
        let d = Diagnostic::new(Code::UnknownField, "content/guides/a.md", Some(start..start + 7), "m");
        let mut r = Report::new(vec![d, Diagnostic::new(Code::Io, "content/b.md", None, "n").with_help("h")]);
        r.add_sources([&SourceFile { path: "content/guides/a.md".into(), text: text.into() }]);
        let v: serde_json::Value = serde_json::from_str(&render(&r)).unwrap();
        assert_eq!(v[0]["file"], "content/b.md");
        assert_eq!((v[0]["line"].as_u64(), v[0]["column"].as_u64()), (Some(1), Some(1)));
        assert_eq!(v[0]["help"], "h");
        assert_eq!(v[1]["line"], 3);
        assert_eq!(v[1]["column"], 1);
        assert_eq!(v[1]["end_line"], 3);
        assert_eq!(v[1]["end_column"], 8);
        assert!(v[1]["help"].is_null());
        assert_eq!(render(&Report::default()), "[]\n");
    }
}
