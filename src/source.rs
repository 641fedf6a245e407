//! Source files as loaded from disk, and the line index that turns byte offsets into positions.

use std::ops::{Bound, Range, RangeBounds};
use std::sync::Arc;

/// A content file's text, with its path relative to the site root.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Path relative to the site root, forward slashes (`content/guides/mastitis.md`).
    pub path: String,
    /// The text after a UTF-8 byte-order mark, if there was one.
    pub text: Arc<str>,
}

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// Byte offsets of line starts; `\r\n`, `\n` and a lone `\r` each end a line.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i + 1),
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                    starts.push(i + 2);
                    i += 1;
                }
                b'\r' => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        LineIndex { starts }
    }

    /// The byte offset where 0-based `line` starts (clamped to the last line).
    pub(crate) fn line_start(&self, line: usize) -> usize {
        self.starts[line.min(self.starts.len() - 1)]
    }

    /// Number of lines.
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The position of byte `offset` in `text` (clamped into the text and onto a char boundary).
    pub(crate) fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_boundary(text, offset);
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line].min(offset);
        let column = text[start..offset].chars().count() + 1;
        Position { line: line + 1, column }
    }

    /// The byte offset of a 1-based line and 1-based character column (clamped to the line).
    pub(crate) fn offset(&self, text: &str, line: usize, column: usize) -> usize {
        let l = line.saturating_sub(1).min(self.starts.len() - 1);
        let start = self.starts[l];
        let end = self.starts.get(l + 1).copied().unwrap_or(text.len());
        let line_text = text.get(start..end).unwrap_or("");
        let within = line_text
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(line_text.trim_end_matches(['\r', '\n']).len(), |(i, _)| i);
        start + within
    }

    /// The text of 0-based `line` without its line ending.
    pub fn line_text<'a>(&self, text: &'a str, line: usize) -> &'a str {
        let start = self.line_start(line);
        let end = self.starts.get(line + 1).copied().unwrap_or(text.len());
        text.get(start..end).unwrap_or("").trim_end_matches(['\r', '\n'])
    }
}

/// `offset` moved into `text` and back onto a character boundary.
pub(crate) fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Where `span`, a span in a document that starts at byte `base` of its file, lies in the file.
/// With `within_span` (the span of an inline field's value, whose text is not quite the file's: quotes,
/// escapes and folded lines shift it) the result is kept inside it and never empty.
pub(crate) fn file_span(
    base: usize,
    span: &Range<usize>,
    within_span: Option<impl RangeBounds<usize>>,
) -> Range<usize> {
    let (start, end) = (base + span.start, base + span.end);
    let Some(within) = within_span else { return start..end };
    let lo = match within.start_bound() {
        Bound::Included(&s) => s,
        Bound::Excluded(&s) => s + 1,
        Bound::Unbounded => 0,
    };
    let hi = match within.end_bound() {
        Bound::Included(&e) => e.saturating_add(1),
        Bound::Excluded(&e) => e,
        Bound::Unbounded => usize::MAX,
    };
    start.min(hi.saturating_sub(1)).max(lo)..end.min(hi).max(lo + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_of_a_part_are_moved_to_the_file_and_kept_inside_a_field() {
        assert_eq!(file_span(10, &(2..5), None::<Range<usize>>), 12..15);
        // An inline field's value at 10..14: spans past it are kept inside, and never empty.
        assert_eq!(file_span(10, &(2..9), Some(10..14)), 12..14);
        assert_eq!(file_span(10, &(6..9), Some(10..14)), 13..14);
        assert_eq!(file_span(10, &(0..0), Some(10..14)), 10..11);
        // Only its start known: kept after it.
        assert_eq!(file_span(10, &(2..9), Some(11..)), 12..19);
        assert_eq!(file_span(10, &(0..3), Some(11..)), 11..13);
    }

    #[test]
    fn offsets_are_kept_on_character_boundaries() {
        assert_eq!(floor_boundary("aé", 2), 1);
        assert_eq!(floor_boundary("aé", 3), 3);
        assert_eq!(floor_boundary("aé", 9), 3);
    }

    #[test]
    fn crlf_and_lone_cr_end_lines() {
        let t = "a\r\nbé\rc\nd";
        let li = LineIndex::new(t);
        assert_eq!(li.position(t, 0), Position { line: 1, column: 1 });
        assert_eq!(li.position(t, 3), Position { line: 2, column: 1 });
        assert_eq!(li.position(t, 6), Position { line: 2, column: 3 });
        assert_eq!(li.position(t, 5), Position { line: 2, column: 2 }, "inside a character: its start");
        assert_eq!(li.position(t, 7), Position { line: 3, column: 1 });
        assert_eq!(li.position(t, 9), Position { line: 4, column: 1 });
        assert_eq!(li.offset(t, 2, 2), 4);
        assert_eq!(li.line_text(t, 0), "a");
    }
}
