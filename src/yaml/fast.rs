//! A fast path for the simple block YAML that nearly all front matter is written in.
//!
//! serde-saphyr is the largest cost of `carebook check`. This line-oriented parser reads block
//! mappings, block sequences, one-line flow sequences and one-line scalars, and builds exactly the
//! tree `parse_full` would (values, keys and spans). Whenever the text holds anything else, or
//! anything it is not certain about, it returns `None` and serde-saphyr reads the text instead,
//! so errors and their messages always come from serde-saphyr.

use super::{Key, Value, Yaml, flow_extent};

/// Longest text read here. Longer front matter could reach serde-saphyr's budget (nodes, events,
/// scalar bytes), whose errors only serde-saphyr gives; 64 KiB holds far fewer than 100,000 nodes.
const MAX_LEN: usize = 64 * 1024;

/// Deepest nesting read here, well below [`super::MAX_DEPTH`] so serde-saphyr's limit is never met.
const MAX_DEPTH: usize = 16;

/// Longest key read here (YAML limits implicit keys to 1024 characters).
const MAX_KEY: usize = 200;

/// Parses simple block YAML into the tree `parse_full` would give, or `None` to fall back.
pub(super) fn parse(text: &str) -> Option<Yaml> {
    if text.len() > MAX_LEN || !plain_chars(text) {
        return None;
    }
    let lines = content_lines(text)?;
    let Some(first) = lines.first().copied() else {
        // Only blank and comment lines: serde-saphyr sees no document.
        return Some(Yaml { value: Value::Null, span: 0..0 });
    };
    let mut p = Parser { text, lines, pos: 0 };
    let tree = p.block(first.indent, 0)?;
    // A line left over is less indented than the first one: an error for serde-saphyr to report.
    (p.pos == p.lines.len()).then_some(tree)
}

/// No tabs, carriage returns, control or byte-order characters, and no white space other than
/// ASCII (line breaks and indentation rules that differ between YAML versions and parsers).
///
/// A byte at a time, each ASCII byte by its value and the Cyrillic alphabet by its range, the
/// Unicode tables only for other characters: a translation's front matter is read about as fast
/// as an English one's (with every character through the tables, 1,000 Russian guides' front
/// matter cost 27 M instructions more than the English; callgrind). Tested against
/// [`plain_chars_by_tables`].
fn plain_chars(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii() {
            if !(b == b'\n' || (b' '..=b'~').contains(&b)) {
                return false;
            }
            i += 1;
            continue;
        }
        let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else { return false };
        if !matches!(c, '\u{400}'..='\u{4ff}') && !plain_char(c) {
            return false;
        }
        i += c.len_utf8();
    }
    true
}

/// A character [`plain_chars`] takes: a line break, or no control, byte-order or white space
/// character other than a space.
fn plain_char(c: char) -> bool {
    c == '\n'
        || !(c.is_control() || (c.is_whitespace() && c != ' ') || matches!(c, '\u{feff}' | '\u{fffe}' | '\u{ffff}'))
}

/// [`plain_chars`] by the Unicode tables for every character: the plain reading.
#[cfg(test)]
fn plain_chars_by_tables(text: &str) -> bool {
    text.chars().all(plain_char)
}

/// A line with content: where its content starts and ends, and how far it is indented.
#[derive(Clone, Copy, Debug)]
struct Line {
    start: usize,
    end: usize,
    indent: usize,
}

/// The lines that hold content (blank lines and full-line comments are skipped), or `None` if the
/// text has document markers.
fn content_lines(text: &str) -> Option<Vec<Line>> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for raw in text.split('\n') {
        let start = line_start;
        line_start += raw.len() + 1;
        if raw.starts_with("---") || raw.starts_with("...") {
            return None;
        }
        let body = raw.trim_start_matches(' ');
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let indent = raw.len() - body.len();
        out.push(Line { start: start + indent, end: start + raw.len(), indent });
    }
    Some(out)
}

/// A block sequence entry: `- item` or a bare `-`.
fn is_entry(content: &str) -> bool {
    content == "-" || content.starts_with("- ")
}

/// Splits `key:` or `key: value` into the key and what follows the colon. Keys are plain words
/// (ASCII letters, digits, `_`, `-`, starting with a letter or `_`); `null` is no name at all.
fn split_key(content: &str) -> Option<(&str, &str)> {
    let bytes = content.as_bytes();
    if !bytes.first().is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_') {
        return None;
    }
    let len =
        bytes.iter().position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))).unwrap_or(bytes.len());
    let name = content.get(..len)?;
    let rest = content.get(len..)?.strip_prefix(':')?;
    if !(rest.is_empty() || rest.starts_with(' ')) || len > MAX_KEY || name.eq_ignore_ascii_case("null") {
        return None;
    }
    Some((name, rest))
}

/// A recursive-descent reader over the content lines.
struct Parser<'a> {
    text: &'a str,
    lines: Vec<Line>,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<Line> {
        self.lines.get(self.pos).copied()
    }

    fn content(&self, line: Line) -> &'a str {
        self.text.get(line.start..line.end).unwrap_or("")
    }

    /// A block mapping or sequence whose first line is the current one, at `indent`.
    fn block(&mut self, indent: usize, depth: usize) -> Option<Yaml> {
        if depth > MAX_DEPTH {
            return None;
        }
        let line = self.peek()?;
        if is_entry(self.content(line)) { self.seq(indent, depth) } else { self.map(indent, depth) }
    }

    /// A block mapping at `indent`; like serde-saphyr, its span is empty, at its first key.
    fn map(&mut self, indent: usize, depth: usize) -> Option<Yaml> {
        let at = self.peek()?.start;
        let mut pairs: Vec<(Key, Yaml)> = Vec::new();
        while let Some(line) = self.peek() {
            if line.indent < indent {
                break;
            }
            if line.indent > indent {
                return None;
            }
            let (name, rest) = split_key(self.content(line))?;
            if pairs.iter().any(|(k, _)| k.name == name) {
                return None;
            }
            let key = Key { name: name.to_string(), span: line.start..line.start + name.len() };
            let value_text = rest.trim_start_matches(' ');
            self.pos += 1;
            let value = if value_text.is_empty() {
                self.nested(indent, key.span.end, depth)?
            } else {
                self.inline(line.end - value_text.len(), line.end, indent)?
            };
            pairs.push((key, value));
        }
        Some(Yaml { value: Value::Map(pairs), span: at..at })
    }

    /// The value of a `key:` with nothing after its colon (at `colon`): a more indented block, a
    /// sequence at the key's own indent, or nothing (spanned, like serde-saphyr, at the colon).
    fn nested(&mut self, indent: usize, colon: usize, depth: usize) -> Option<Yaml> {
        match self.peek() {
            Some(next) if next.indent > indent => self.block(next.indent, depth + 1),
            Some(next) if next.indent == indent && is_entry(self.content(next)) => {
                // serde-saphyr spans such an "indentless" sequence at its first item, not its dash.
                let mut seq = self.seq(indent, depth + 1)?;
                if let Value::Seq(items) = &seq.value {
                    let at = items.first()?.span.start;
                    seq.span = at..at;
                }
                Some(seq)
            }
            _ => Some(Yaml { value: Value::Null, span: colon..colon }),
        }
    }

    /// A block sequence at `indent`; like serde-saphyr, its span is empty, at its first dash.
    fn seq(&mut self, indent: usize, depth: usize) -> Option<Yaml> {
        let at = self.peek()?.start;
        let mut items = Vec::new();
        while let Some(line) = self.peek() {
            let content = self.content(line);
            if line.indent < indent || (line.indent == indent && !is_entry(content)) {
                break;
            }
            if line.indent > indent {
                return None;
            }
            let item = content.get(1..)?.trim_start_matches(' ');
            // A bare `-`: an empty or next-line item, rare enough to leave to serde-saphyr.
            if item.is_empty() {
                return None;
            }
            let skip = content.len() - item.len();
            if is_entry(item) || split_key(item).is_some() {
                // `- key: value` and `- - item`: the item is a block starting at its own column,
                // so read it as if it were a line of its own, indented that far.
                let inner = Line { start: line.start + skip, end: line.end, indent: line.indent + skip };
                *self.lines.get_mut(self.pos)? = inner;
                items.push(self.block(inner.indent, depth + 1)?);
            } else {
                self.pos += 1;
                items.push(self.inline(line.start + skip, line.end, indent)?);
            }
        }
        Some(Yaml { value: Value::Seq(items), span: at..at })
    }

    /// A value on the rest of a line (`start..end`) of a node at `indent`: a flow sequence, a
    /// quoted or a plain scalar. A more indented line after it would continue it: bail.
    fn inline(&mut self, start: usize, end: usize, indent: usize) -> Option<Yaml> {
        if self.peek().is_some_and(|next| next.indent > indent) {
            return None;
        }
        let s = self.text.get(start..end)?;
        let (value, len) = match s.as_bytes().first()? {
            b'[' => return self.flow_seq(start, end),
            b'"' => double_quoted(s)?,
            b'\'' => single_quoted(s)?,
            _ => {
                let plain = s.trim_end_matches(' ');
                // `: ` or a final `:` would make a mapping, ` #` starts a comment.
                if plain.contains(": ") || plain.ends_with(':') || plain.contains(" #") {
                    return None;
                }
                (plain_value(plain)?, plain.len())
            }
        };
        // Nothing may follow a quoted scalar but spaces (comments are left to serde-saphyr).
        if !s.get(len..)?.bytes().all(|b| b == b' ') {
            return None;
        }
        Some(Yaml { value, span: start..start + len })
    }

    /// A one-line flow sequence of scalars, `[a, 'b', "c"]`, starting at `start`.
    fn flow_seq(&self, start: usize, end: usize) -> Option<Yaml> {
        let s = self.text.get(start..end)?;
        let bytes = s.as_bytes();
        let spaces = |i: usize| i + bytes.get(i..).map_or(0, |r| r.iter().take_while(|b| **b == b' ').count());
        let mut items = Vec::new();
        let mut i = spaces(1);
        if bytes.get(i) == Some(&b']') {
            i += 1;
        } else {
            loop {
                let rest = s.get(i..)?;
                let (value, len) = match rest.as_bytes().first()? {
                    b'"' => double_quoted(rest)?,
                    b'\'' => single_quoted(rest)?,
                    _ => {
                        let item = rest.get(..rest.find([',', ']'])?)?.trim_end_matches(' ');
                        // Flow indicators, `:` (a mapping) and `#` (a comment) inside: bail.
                        if item.contains(['[', ']', '{', '}', ':', '#', '"', '\'']) {
                            return None;
                        }
                        (plain_value(item)?, item.len())
                    }
                };
                items.push(Yaml { value, span: start + i..start + i + len });
                i = spaces(i + len);
                match bytes.get(i)? {
                    b']' => {
                        i += 1;
                        break;
                    }
                    b',' => i = spaces(i + 1),
                    _ => return None,
                }
                // `[a, ]`: serde-saphyr accepts the trailing comma; rare, so bail.
                if bytes.get(i) == Some(&b']') {
                    return None;
                }
            }
        }
        if !bytes.get(i..)?.iter().all(|b| *b == b' ') {
            return None;
        }
        let value = Value::Seq(items);
        let span = flow_extent(start..start, &value, self.text);
        Some(Yaml { value, span })
    }
}

/// A double-quoted scalar at the start of `s`, with only the common escapes: its text and length.
fn double_quoted(s: &str) -> Option<(Value, usize)> {
    let mut out = String::new();
    let mut chars = s.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((Value::Str(out), i + 1)),
            '\\' => out.push(match chars.next()?.1 {
                '\\' => '\\',
                '"' => '"',
                '/' => '/',
                'n' => '\n',
                't' => '\t',
                _ => return None,
            }),
            _ => out.push(c),
        }
    }
    // Not closed on this line (a multi-line scalar or an error).
    None
}

/// A single-quoted scalar at the start of `s` (`''` is a quote): its text and length.
fn single_quoted(s: &str) -> Option<(Value, usize)> {
    let mut out = String::new();
    let mut chars = s.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        if c != '\'' {
            out.push(c);
        } else if chars.next_if(|&(_, c)| c == '\'').is_some() {
            out.push('\'');
        } else {
            return Some((Value::Str(out), i + 1));
        }
    }
    None
}

/// The value serde-saphyr gives a plain scalar, for the forms known to match; `None` otherwise.
fn plain_value(s: &str) -> Option<Value> {
    let first = s.chars().next()?;
    if first.is_ascii_digit() {
        return match s.bytes().find(|b| !b.is_ascii_digit()) {
            // `0` and decimal integers; `012` is a float to serde-saphyr, and ints beyond i64 too.
            None if s == "0" || !s.starts_with('0') => s.parse().ok().map(Value::Int),
            None => None,
            // Possibly a number in another notation (`1.5`, `1e3`, `1_000`, `0x1f`): bail.
            Some(b'.' | b'e' | b'E' | b'_' | b'+' | b'x' | b'X' | b'o' | b'O' | b'b' | b'B') => None,
            // Neither an integer nor a float (`2026-01-01`, `3 steps`, `10am`): text.
            Some(_) => Some(Value::Str(s.to_string())),
        };
    }
    if first.is_ascii_alphabetic() {
        let is = |words: &[&str]| words.iter().any(|w| s.eq_ignore_ascii_case(w));
        return if is(&["true", "yes", "y", "on"]) {
            // YAML 1.1 booleans, in any case (serde-saphyr's default).
            Some(Value::Bool(true))
        } else if is(&["false", "no", "n", "off"]) {
            Some(Value::Bool(false))
        } else if matches!(s, "null" | "Null" | "NULL") {
            Some(Value::Null)
        } else if is(&["null"]) {
            // Other spellings are text to serde-saphyr; rare, so left to it.
            None
        } else {
            // `inf` and `nan` would parse as floats, but serde-saphyr keeps them as text.
            Some(Value::Str(s.to_string()))
        };
    }
    if s == "~" {
        return Some(Value::Null);
    }
    // Other starts are indicators (`&`, `*`, `!`, `|`, `>`, `{`, `?`, `%`, `@`, …), signs or dots
    // of numbers; only a few safe ones and non-ASCII letters are read here.
    (matches!(first, '(' | '/' | '_') || !first.is_ascii()).then(|| Value::Str(s.to_string()))
}

#[cfg(test)]
mod tests;
