//! The human format, like rustc, drawn by annotate-snippets:
//!
//! ```text
//! error[unknown-field]: unknown field `symtoms`
//!  --> content/guides/milk-stasis.md:6:1
//!   |
//! 6 | symtoms: [breast-lump]
//!   | ^^^^^^^ not a guide field
//!   |
//!   = help: did you mean `symptoms`?
//! ```
//!
//! A diagnostic without a span (an unreadable file, a missing template) shows only ` --> file`.
//! Diagnostics are separated by a blank line; the summary line comes last.

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{Annotation, AnnotationKind, Group, Level, Renderer, Snippet, normalize_untrusted_str};
use std::ops::Range;

use super::Report;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::LineIndex;

/// The most source lines shown for one diagnostic; longer spans show their first lines.
const MAX_LINES: usize = 12;

/// The diagnostics `shown` (of `report`), each followed by a blank line; empty when there are none.
pub(crate) fn render(report: &Report, shown: &[&Diagnostic], color: bool) -> String {
    let renderer = renderer(color);
    let mut out = String::new();
    for d in shown {
        out.push_str(&render_one(report, d, &renderer));
        out.push_str("\n\n");
    }
    out
}

/// The summary line (`error: 3 errors in 2 files`), drawn like a title; empty when clean.
pub(crate) fn summary(report: &Report, color: bool) -> String {
    match report.summary_parts() {
        Some((severity, text)) => renderer(color).render(&[Group::with_title(level(severity).primary_title(text))]),
        None => String::new(),
    }
}

fn renderer(color: bool) -> Renderer {
    if color { Renderer::styled() } else { Renderer::plain() }.decor_style(DecorStyle::Ascii)
}

fn level(s: Severity) -> Level<'static> {
    match s {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    }
}

/// One diagnostic, without a trailing newline.
fn render_one(report: &Report, d: &Diagnostic, renderer: &Renderer) -> String {
    let title = level(d.severity).primary_title(d.message.as_str()).id(d.code.as_str());
    let located = match (&d.span, report.source_entry(&d.file)) {
        (Some(span), Some((text, index))) => excerpt(text, index, span.clone()),
        _ => None,
    };
    let mut group = match located {
        Some(ex) => {
            let mut annotation = AnnotationKind::Primary.span(ex.span);
            if let Some(label) = &d.label {
                annotation = annotation.label(label.as_str());
            }
            title.element(
                Snippet::source(ex.text).line_start(ex.first_line).path(d.file.as_str()).annotation(annotation),
            )
        }
        // An empty snippet draws ` --> file` with the margin, like the located ones.
        None => title.element(Snippet::<Annotation>::source("").line_start(1).path(d.file.as_str())),
    };
    if let Some(help) = &d.help {
        // Messages are "trusted" in annotate-snippets (not cleaned); help quotes the editor's text.
        group = group.element(Level::HELP.message(normalize_untrusted_str(help)));
    }
    let out = renderer.render(&[group]);
    if located_lines(&out) { out } else { collapse_empty_margins(&out) }
}

/// Whether a rendered diagnostic shows source lines (a digit in the margin).
fn located_lines(out: &str) -> bool {
    out.lines().any(|l| strip_ansi(l).trim_start().split(" |").next().is_some_and(|n| n.parse::<usize>().is_ok()))
}

/// An empty snippet leaves two bare `|` margin lines; rustc shows one.
fn collapse_empty_margins(out: &str) -> String {
    let mut kept: Vec<&str> = Vec::new();
    for line in out.lines() {
        let bare = strip_ansi(line).trim() == "|";
        if bare && kept.last().is_some_and(|prev| strip_ansi(prev).trim() == "|") {
            continue;
        }
        kept.push(line);
    }
    kept.join("\n")
}

/// `s` without ANSI colour sequences (`ESC [ … m`).
fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The lines a span covers, as one string, and the span inside it.
struct Excerpt {
    /// The lines, joined with `\n` (whatever the file's line endings).
    text: String,
    /// 1-based number of the first line.
    first_line: usize,
    /// The span, in bytes of `text`.
    span: Range<usize>,
}

/// Cuts the lines under `span` out of `text`; `None` if the span lies outside the text.
fn excerpt(text: &str, index: &LineIndex, span: Range<usize>) -> Option<Excerpt> {
    if span.start > text.len() {
        return None;
    }
    let start = span.start;
    let end = span.end.clamp(start, text.len());
    let first = index.position(text, start).line - 1;
    let mut last = index.position(text, end).line - 1;
    // A span that ends just after a line break does not show the next line.
    if last > first && index.line_start(last) >= end {
        last -= 1;
    }
    let last = last.min(first + MAX_LINES - 1);
    let mut out = String::new();
    let mut mapped = None::<(usize, usize)>;
    for line in first..=last {
        let line_start = index.line_start(line);
        let line_text = index.line_text(text, line);
        let base = out.len();
        let inside = |offset: usize| base + offset.saturating_sub(line_start).min(line_text.len());
        if line == first {
            mapped = Some((inside(start), 0));
        }
        if let Some(m) = mapped.as_mut() {
            m.1 = inside(end);
        }
        out.push_str(line_text);
        if line < last {
            out.push('\n');
        }
    }
    let (s, mut e) = mapped?;
    // Keep the span on character boundaries of the excerpt.
    let s = crate::source::floor_boundary(&out, s);
    e = crate::source::floor_boundary(&out, e.max(s));
    Some(Excerpt { text: out, first_line: first + 1, span: s..e })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;
    use crate::source::SourceFile;

    /// Every diagnostic, then the summary line, as `Report::render` gives them.
    fn render(report: &Report, color: bool) -> String {
        report.render(crate::report::Format::Human, color)
    }

    fn report(text: &str, span: Option<Range<usize>>) -> Report {
        let d = Diagnostic::new(Code::UnknownField, "content/guides/a.md", span, "unknown field `symtoms`")
            .with_label("not a guide field")
            .with_help("did you mean `symptoms`?");
        let mut r = Report::new(vec![d]);
        r.add_sources([&SourceFile { path: "content/guides/a.md".into(), text: text.into() }]);
        r
    }

    #[test]
    fn looks_like_rustc() {
        let text = "---\r\ntitle: A b c\r\nsymtoms: [x]\r\n---\r\nBody\r\n";
        let start = text.find("symtoms").unwrap();
        let out = render(&report(text, Some(start..start + 7)), false);
        let want = "\
error[unknown-field]: unknown field `symtoms`
 --> content/guides/a.md:3:1
  |
3 | symtoms: [x]
  | ^^^^^^^ not a guide field
  |
  = help: did you mean `symptoms`?

error: 1 error in 1 file
";
        assert_eq!(out, want);
    }

    #[test]
    fn without_a_span_shows_the_file() {
        let out = render(&report("---\n", None), false);
        let want = "\
error[unknown-field]: unknown field `symtoms`
 --> content/guides/a.md
  |
  = help: did you mean `symptoms`?

error: 1 error in 1 file
";
        assert_eq!(out, want);
    }

    #[test]
    fn odd_spans_do_not_panic() {
        let text = "é\rb\n\tc\u{1b}[31m\n";
        for s in 0..=text.len() + 2 {
            for e in s..=text.len() + 3 {
                let _ = render(&report(text, Some(s..e)), true);
            }
        }
        let out = render(&report(text, Some(0..2)), false);
        assert!(out.contains(" --> content/guides/a.md:1:1"), "{out}");
        let out = render(&report(text, Some(5..6)), false);
        assert!(!out.contains('\u{1b}'), "{out}");
    }

    #[test]
    fn colour_only_when_asked() {
        let r = report("x\n", Some(0..1));
        assert!(!render(&r, false).contains('\u{1b}'));
        assert!(render(&r, true).contains('\u{1b}'));
    }
}
