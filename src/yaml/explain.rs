//! Editors' words for YAML syntax errors: what is wrong, in plain words, and a help line with the
//! fix, worked out from the parser's message and the lines around the mistake. Indentation
//! mistakes name the column the line should start at, the line to line it up with, and the line
//! that opened the block.

use std::ops::Range;

/// A help text that may name lines of the front matter; they are numbered once it is known
/// where the front matter starts in its file ([`Help::render`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Help(Vec<Piece>);

#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece {
    Text(String),
    /// A line of the parsed text, from 0.
    Line(usize),
}

impl Help {
    /// A help text without line numbers.
    pub(crate) fn text(s: impl Into<String>) -> Help {
        Help(vec![Piece::Text(s.into())])
    }

    fn then(mut self, s: impl Into<String>) -> Help {
        self.0.push(Piece::Text(s.into()));
        self
    }

    fn line(mut self, n: usize) -> Help {
        self.0.push(Piece::Line(n));
        self
    }

    /// The same help for a text that starts `lines` lines further down.
    pub(super) fn shifted(mut self, lines: usize) -> Help {
        for p in &mut self.0 {
            if let Piece::Line(n) = p {
                *n += lines;
            }
        }
        self
    }

    /// The help with its lines numbered as in the file, where the parsed text starts on line
    /// `first_line` (from 1).
    pub(crate) fn render(&self, first_line: usize) -> String {
        self.0
            .iter()
            .map(|p| match p {
                Piece::Text(s) => s.clone(),
                Piece::Line(n) => (first_line + n).to_string(),
            })
            .collect()
    }
}

/// One line of the text.
#[derive(Clone, Copy, Debug)]
pub(super) struct Line<'t> {
    /// Where it starts in the text.
    pub(crate) start: usize,
    /// How many spaces it is indented by.
    pub(crate) indent: usize,
    /// Whether a tab is part of its indentation.
    pub(crate) tab: bool,
    /// What follows the indentation, without the line break.
    pub(crate) body: &'t str,
}

impl Line<'_> {
    /// Whether it holds anything but spaces and a comment.
    pub(crate) fn has_content(&self) -> bool {
        !self.body.is_empty() && !self.body.starts_with('#')
    }

    /// Whether it is a list item (`- …`).
    fn is_item(&self) -> bool {
        self.body == "-" || self.body.starts_with("- ")
    }

    /// The name of the field it starts, also when written wrongly (`title:A`, `title: "…`).
    pub(crate) fn field_name(&self) -> Option<String> {
        if let Some((name, _)) = self.field() {
            return Some(name.to_string());
        }
        let body = if self.is_item() { self.body[1..].trim_start() } else { self.body };
        let name = &body[..body.find(':')?];
        (!name.is_empty() && !name.contains(' ')).then(|| name.to_string())
    }

    /// The column (from 0) where its field name starts, after a `- ` if it is a list item.
    fn key_column(&self) -> usize {
        if self.is_item() {
            self.indent + 1 + (self.body[1..].len() - self.body[1..].trim_start().len())
        } else {
            self.indent
        }
    }

    /// The field it writes (`name: value`, also after `- `): the name and the value's text.
    fn field(&self) -> Option<(&str, &str)> {
        let body = if self.is_item() { self.body[1..].trim_start() } else { self.body };
        field_of(body)
    }

    /// Its text from column `col`, shortened for a message.
    fn shown(&self, col: usize) -> String {
        let skip = col.saturating_sub(self.indent);
        shorten(self.body.get(skip..).unwrap_or(self.body).trim_end())
    }
}

/// `name: value` (or `name:`) at the start of `body`: the name and the value's text.
fn field_of(body: &str) -> Option<(&str, &str)> {
    let colon =
        body.char_indices().find(|&(i, c)| c == ':' && matches!(body[i + 1..].chars().next(), None | Some(' ')))?.0;
    let name = &body[..colon];
    let plain = !name.is_empty() && !name.starts_with(['"', '\'', '[', '{', '-', '#', '?']) && !name.contains(": ");
    plain.then(|| (name.trim_end(), body[colon + 1..].trim()))
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 40 { format!("{}…", s.chars().take(40).collect::<String>()) } else { s.to_string() }
}

/// Where `sub`, a part of `text`, starts in it.
fn offset_in(text: &str, sub: &str) -> usize {
    (sub.as_ptr() as usize).saturating_sub(text.as_ptr() as usize)
}

/// The help for a field that appears twice: where it first appears.
pub(super) fn duplicate(text: &str, span: &Range<usize>, name: &str, hint: &str) -> Help {
    let lines = lines(text);
    let at = line_at(&lines, span.start);
    let col = lines.get(at).map(|l| l.key_column());
    let first =
        (0..at).find(|&n| lines[n].field().is_some_and(|(k, _)| k == name) && Some(lines[n].key_column()) == col);
    match first {
        Some(n) => Help::text(format!("{hint} (it first appears on line ")).line(n).then(")"),
        None => Help::text(hint),
    }
}

/// The lines of `text`.
pub(super) fn lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    for raw in text.split_inclusive('\n') {
        let line = raw.trim_end_matches(['\n', '\r']);
        let body = line.trim_start_matches([' ', '\t']);
        let lead = &line[..line.len() - body.len()];
        out.push(Line { start, indent: lead.len(), tab: lead.contains('\t'), body });
        start += raw.len();
    }
    out
}

/// The line (from 0) that holds `offset`.
fn line_at(lines: &[Line], offset: usize) -> usize {
    lines.partition_point(|l| l.start <= offset).saturating_sub(1)
}

/// `name: "value"`: the field written with its text in double quotes.
fn quoted(name: &str, value: &str) -> String {
    let text = serde_json::to_string(value).unwrap_or_else(|_| format!("\"{value}\""));
    format!("`{name}: {text}`")
}

/// "put the text in quotes: `name: "…"`" for the field on `l`.
fn in_quotes(l: &Line) -> Help {
    match l.field() {
        Some((name, value)) => Help::text(format!("put the text in quotes: {}", quoted(name, value))),
        None => Help::text("put the text in double quotes: `title: \"…\"`"),
    }
}

/// The message, span and help for the parser's message `raw` about `text` at `span`.
pub(super) fn explain(raw: &str, text: &str, span: Range<usize>) -> (String, Range<usize>, Help) {
    let lines = lines(text);
    let at = line_at(&lines, span.start);
    let Some(l) = lines.get(at).copied() else {
        return (raw.to_string(), span, generic());
    };
    let m = raw.to_ascii_lowercase();
    let starts_value = l.field().is_some_and(|(_, v)| offset_in(text, v) == span.start);
    let first_char = text.get(span.start..).and_then(|s| s.chars().next());

    // A first line indented: every other line is then wrongly indented.
    if let Some((n, first)) = lines.iter().enumerate().find(|(_, l)| l.has_content())
        && first.indent > 0
        && at > n
    {
        let msg = "the first field is indented, so the fields below it do not line up with it".to_string();
        let help = Help::text("start the top-level fields at the beginning of their line (column 1); line ")
            .line(n)
            .then(format!(" starts at column {}", first.indent + 1));
        return (msg, first.start..first.start + first.indent, help);
    }
    if m.contains("tab") || l.tab {
        return tab(&lines, at, text, span);
    }
    // `title:A` is a text, not a field; the error shows on the line below it.
    if let Some(r) = missing_space(&lines, at) {
        return r;
    }
    // A line of plain text above, where a field was expected: the parser reads it with this line.
    let jammed = ["mapping values", "expected key", "simple key", "document start", "expected '-'"];
    if jammed.iter().any(|j| m.contains(j))
        && let Some((n, above)) = lines[..at].iter().enumerate().rev().find(|(_, a)| a.has_content())
        && above.field().is_none()
        && !above.is_item()
        && above.indent <= l.indent
        && !above.body.starts_with(['"', '\'', '[', '{', '|', '>'])
    {
        return stray(&lines, n);
    }
    if let Some(c) = l.body.chars().next()
        && "|>]}:,&*!%@`".contains(c)
        && span.start <= l.start + l.indent + 1
    {
        let msg = format!("a line cannot start with `{c}`: YAML reads it as a sign, not as text");
        return (
            msg,
            l.start + l.indent..l.start + l.indent + 1,
            Help::text("remove it, or put the whole text in quotes"),
        );
    }
    if let Some(r) = by_message(&m, &l, &span) {
        return r;
    }
    if (m.contains("unclosed bracket") || m.contains("illegal placement of ':'") || m.contains("expected ',' or"))
        && let Some(r) = unclosed_bracket(&lines, at)
    {
        return r;
    }
    if let Some(r) = by_value(&m, text, &l, &span, starts_value, first_char) {
        return r;
    }
    if let Some(r) = indentation(&lines, at, &m) {
        return r;
    }
    (raw.to_string(), span, generic())
}

/// The rules that the parser's message alone recognises, in the order [`explain`] tries them.
fn by_message(m: &str, l: &Line, span: &Range<usize>) -> Option<(String, Range<usize>, Help)> {
    if m.contains("mismatched bracket") || m.contains("misplaced bracket") {
        let msg = "the brackets do not match: YAML reads `[ ]` as a list and `{ }` as a set of fields".to_string();
        return Some((msg, span.clone(), in_quotes(l).then(", if the brackets are part of the text")));
    }
    if m.contains("only valid inside a block") || m.contains("block sequence entries are not allowed") {
        let msg = "a list item (`- …`) must start its own line".to_string();
        let help = Help::text(
            "write each item on its own line under its field (`  - fever`), or inside `[ ]` separated by commas \
             without dashes: `symptoms: [fever, breast-pain]`",
        );
        return Some((msg, span.clone(), help));
    }
    if m.contains("comments must be separated") {
        let msg = "a `#` touches the text before it: YAML starts a comment only at a `#` after a space".to_string();
        return Some((msg, span.clone(), in_quotes(l).then(", if the `#` is part of the text")));
    }
    if m.contains("unexpected eof") || m.contains("end of stream") {
        let msg = "the front matter ends in the middle of a list or a text".to_string();
        return Some((msg, span.clone(), generic()));
    }
    if m.contains("unclosed quote") || (m.contains("quoted scalar") && m.contains("end of stream")) {
        let q = l.body.chars().find(|c| *c == '"' || *c == '\'').unwrap_or('"');
        let msg = match l.field() {
            Some((name, _)) => format!("the quoted text of `{name}` has no closing quote mark"),
            None => "a quoted text has no closing quote mark".to_string(),
        };
        let help = Help::text(format!(
            "end the text with the same quote mark it starts with, on the same line: `{}{q}`",
            shorten(l.body.trim_end())
        ));
        return Some((msg, span.clone(), help));
    }
    if m.contains("trailing content after") {
        let help = match l.field() {
            Some((name, value)) => {
                let inner: String = value.chars().filter(|c| *c != '"' && *c != '\'').collect();
                Help::text(format!("put the whole text in one pair of quotes: {}", quoted(name, &inner)))
            }
            None => Help::text("put the whole text in one pair of quotes"),
        };
        return Some(("the text goes on after its closing quote mark".into(), span.clone(), help));
    }
    if m.contains("unknown escape") {
        let help = Help::text("write the text in single quotes instead (`'…'`), where a backslash is just a backslash");
        return Some((
            "a backslash (`\\`) in double quotes starts a code YAML does not know".into(),
            span.clone(),
            help,
        ));
    }
    None
}

/// The rules about how a field's value starts, in the order [`explain`] tries them.
fn by_value(
    m: &str,
    text: &str,
    l: &Line,
    span: &Range<usize>,
    starts_value: bool,
    first_char: Option<char>,
) -> Option<(String, Range<usize>, Help)> {
    if m.contains("mapping values are not allowed")
        && let Some((name, value)) = l.field()
        && (value.contains(": ") || value.ends_with(':'))
    {
        let msg = format!("the text of `{name}` contains a colon, which YAML reads as the start of another field");
        return Some((msg, span.clone(), in_quotes(l)));
    }
    // `title: [Draft] Mastitis`: the parser stops after the list, at the text that follows it.
    if (m.contains("expected key") || m.contains("trailing"))
        && let Some((_, value)) = l.field()
        && let Some(c @ ('[' | '{')) = value.chars().next()
    {
        let what = if c == '[' { "a list" } else { "a set of fields" };
        let at = offset_in(text, value);
        return Some((format!("text that starts with `{c}` is read as {what}"), at..at + 1, in_quotes(l)));
    }
    if (starts_value || m.contains("unexpected character") || m.contains("anchor") || m.contains("alias"))
        && let Some(c) = first_char
        && "*&@`%![{?-|>".contains(c)
    {
        let msg = match c {
            '*' => "text that starts with `*` is read as a YAML alias (a reference to an `&anchor`)".to_string(),
            '&' => "text that starts with `&` is read as a YAML anchor".to_string(),
            '[' => "text that starts with `[` is read as a list".to_string(),
            '{' => "text that starts with `{` is read as a set of fields".to_string(),
            c => format!("text cannot start with `{c}` in YAML"),
        };
        return Some((msg, span.clone(), in_quotes(l)));
    }
    None
}

/// The help for errors no rule above recognises.
fn generic() -> Help {
    Help::text(
        "check that the line is indented with spaces like the lines it belongs with, and put text that \
         contains `: `, ` #` or starts with a special character ([ { * & ! | > @ `) in quotes",
    )
}

fn tab(lines: &[Line], at: usize, text: &str, span: Range<usize>) -> (String, Range<usize>, Help) {
    // Point at the tab itself: the parser may report where the value starts.
    let from = lines.get(at).map_or(span.start, |l| l.start.min(span.start));
    let tab = text.get(from..).and_then(|rest| rest.find('\t')).map(|i| from + i);
    let span = tab.map_or(span, |t| t..t + 1);
    let tab_line = lines.get(line_at(lines, span.start)).copied();
    let indented = tab_line.is_some_and(|l| l.tab);
    let msg = if indented { "this line is indented with a tab" } else { "a tab where YAML does not allow one" };
    let mut help = Help::text("YAML does not allow tabs for indentation: indent with spaces");
    // How wide a tab is, is anyone's guess: the line most likely starts the block the line above
    // opens, or else goes on with the innermost one.
    let n = line_at(lines, span.start);
    let want = if tab_line.is_some_and(|l| l.is_item()) { Block::Items } else { Block::Fields };
    let (stack, opens) = open_levels(lines, n);
    if tab_line.is_some_and(|l| l.has_content()) {
        if let Some(o) = opens {
            let opener = lines[o].shown(lines[o].key_column());
            help = help.then(format!(", 2 spaces further in than `{opener}` on line ")).line(o);
        } else if let Some(level) = stack.into_iter().rev().find(|lv| lv.block == want) {
            help = help
                .then(format!(", so that the line starts at column {}, like line ", level.col + 1))
                .line(level.first);
        }
    }
    (msg.to_string(), span, help)
}

/// `[a, b` or `{a: b` left open on a line at or above `at`.
fn unclosed_bracket(lines: &[Line], at: usize) -> Option<(String, Range<usize>, Help)> {
    for n in (0..=at).rev() {
        let l = lines.get(n)?;
        for (open, close) in [('[', ']'), ('{', '}')] {
            let opens = l.body.matches(open).count();
            if opens > l.body.matches(close).count() {
                let pos = l.start + l.indent + l.body.find(open).unwrap_or(0);
                let (msg, what) = if open == '[' {
                    ("the list in `[ ]` is not closed", "list")
                } else {
                    ("the fields in `{ }` are not closed", "set of fields")
                };
                let help = Help::text(format!(
                    "end the {what} with `{close}` on the same line: `{}{close}`",
                    shorten(l.body.trim_end().trim_end_matches(','))
                ));
                return Some((msg.to_string(), pos..pos + 1, help));
            }
        }
        if n < at && l.has_content() && l.indent == 0 {
            break;
        }
    }
    None
}

/// A field written without a space after its colon (`title:A`), on `at` or the line above.
fn missing_space(lines: &[Line], at: usize) -> Option<(String, Range<usize>, Help)> {
    let candidates = [Some(at), at.checked_sub(1)];
    for n in candidates.into_iter().flatten() {
        let l = lines.get(n)?;
        if !l.has_content() || l.field().is_some() || l.body.starts_with(['"', '\'', '-', '[', '{']) {
            continue;
        }
        let body = l.body.trim_end();
        let Some(colon) = body.find(':') else { continue };
        let (name, value) = (&body[..colon], &body[colon + 1..]);
        if name.is_empty() || name.contains(' ') || value.is_empty() {
            continue;
        }
        let at = l.start + l.indent + colon;
        let msg =
            format!("`{name}:{}` has no space after its colon, so YAML does not read it as a field", shorten(value));
        let help = Help::text(format!("put a space after the colon: `{name}: {}`", shorten(value)));
        return Some((msg, at..at + 1, help));
    }
    None
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Block {
    Fields,
    Items,
}

/// A block open at some line: fields or list items starting at a column.
#[derive(Clone, Copy, Debug)]
struct Level {
    col: usize,
    block: Block,
    /// Its first line.
    first: usize,
    /// The line that opened it (the field above, or the list item it belongs to).
    opener: Option<usize>,
}

/// The blocks open just before line `upto`, outermost first, and whether the line before it
/// opens a new one (`name:` with nothing after it).
fn open_levels(lines: &[Line], upto: usize) -> (Vec<Level>, Option<usize>) {
    let mut stack: Vec<Level> = Vec::new();
    let mut prev: Option<usize> = None;
    for (n, l) in lines.iter().enumerate().take(upto) {
        if !l.has_content() || l.tab {
            continue;
        }
        let d = l.indent;
        if l.is_item() {
            stack.retain(|lv| lv.col < d || (lv.col == d && lv.block == Block::Items));
            if !stack.last().is_some_and(|lv| lv.col == d && lv.block == Block::Items) {
                stack.push(Level { col: d, block: Block::Items, first: n, opener: prev });
            }
            if l.field().is_some() {
                stack.push(Level { col: l.key_column(), block: Block::Fields, first: n, opener: Some(n) });
            }
        } else if l.field().is_some() {
            stack.retain(|lv| lv.col < d || (lv.col == d && lv.block == Block::Fields));
            if !stack.last().is_some_and(|lv| lv.col == d && lv.block == Block::Fields) {
                stack.push(Level { col: d, block: Block::Fields, first: n, opener: prev });
            }
        } else {
            // A text going on from the line above: no block.
            continue;
        }
        prev = Some(n);
    }
    let opens = prev.filter(|&p| lines[p].field().is_some_and(|(_, v)| v.is_empty() || v.starts_with('#')));
    (stack, opens)
}

/// The block a list item (`item`) or field on line `at` most likely belongs to.
fn expected_level(lines: &[Line], at: usize, item: bool) -> Option<Level> {
    let l = lines.get(at)?;
    let want = if item { Block::Items } else { Block::Fields };
    let (stack, _) = open_levels(lines, at);
    let col = if item { l.indent } else { l.key_column() };
    // Nearest column; on a tie the deeper block, which the line most likely continues.
    stack.into_iter().filter(|lv| lv.block == want).min_by_key(|lv| (lv.col.abs_diff(col), usize::MAX - lv.col))
}

/// An indentation mistake on line `at`: the column it should start at, the line to line it up
/// with, and the line that opened that block.
fn indentation(lines: &[Line], at: usize, m: &str) -> Option<(String, Range<usize>, Help)> {
    let l = *lines.get(at)?;
    let (stack, opens) = open_levels(lines, at);
    let span = l.start + l.indent..l.start + l.indent + 1;
    if l.is_item() {
        let fits = stack.iter().any(|lv| lv.block == Block::Items && lv.col == l.indent)
            || opens.is_some_and(|o| l.indent >= lines[o].indent);
        if fits {
            return None;
        }
        let Some(level) = expected_level(lines, at, true) else {
            let msg = "a list item (`- …`) where a field (`name: value`) is expected".to_string();
            let help = match stack.iter().rev().find(|lv| lv.block == Block::Fields && lv.col <= l.indent) {
                Some(lv) if lines[lv.first].field().is_some_and(|(_, v)| v.is_empty()) => {
                    Help::text(format!("indent the list under `{}` (line ", lines[lv.first].shown(lv.col)))
                        .line(lv.first)
                        .then("), two spaces further in")
                }
                _ => Help::text(
                    "a list belongs under a field: write the field's name with a colon, then the items below it, \
                     indented: `steps:` then `  - title: …`",
                ),
            };
            return Some((msg, span, help));
        };
        return Some(misplaced(lines, &l, level, span));
    }
    if l.field().is_some() {
        let col = l.key_column();
        let fits = stack.iter().any(|lv| lv.block == Block::Fields && lv.col == col)
            || opens.is_some_and(|o| col > lines[o].indent);
        if fits {
            return None;
        }
        let level = expected_level(lines, at, false)?;
        return Some(misplaced(lines, &l, level, span));
    }
    // Neither a field nor a list item.
    let above = lines[..at].iter().enumerate().rev().find(|(_, l)| l.has_content());
    if let Some((n, a)) = above
        && a.field().is_some_and(|(_, v)| v.starts_with('|') || v.starts_with('>'))
    {
        let msg = "the lines of a `|` or `>` text must be indented under its field".to_string();
        let help =
            Help::text(format!("indent each line of the text by two spaces more than `{}` (line ", a.shown(a.indent)))
                .line(n)
                .then(")");
        return Some((msg, span, help));
    }
    if m.contains("simple key") || m.contains("expected key") || m.contains("expected ':'") {
        return Some(stray(lines, at));
    }
    None
}

/// Line `n` is neither a field nor a list item.
fn stray(lines: &[Line], n: usize) -> (String, Range<usize>, Help) {
    let l = lines[n];
    let msg = "this line is neither a field (`name: value`) nor a list item (`- …`)".to_string();
    let help = Help::text(
        "write it as `name: value`; to go on with the text of the field above, put the whole text on that \
         field's line (in quotes if it contains `: ` or ` #`)",
    );
    (msg, l.start + l.indent..l.start + l.indent + 1, help)
}

/// A line indented to the wrong column: where it belongs.
fn misplaced(lines: &[Line], l: &Line, level: Level, span: Range<usize>) -> (String, Range<usize>, Help) {
    let col = if level.block == Block::Items { l.indent } else { l.key_column() };
    let what = if level.block == Block::Items { "the list items it goes with" } else { "the fields it goes with" };
    let msg = format!("this line starts at column {}, but {what} start at column {}", col + 1, level.col + 1);
    let like = lines[level.first].shown(level.col);
    let mut help =
        Help::text(format!("indent it to column {}, like `{like}` on line ", level.col + 1)).line(level.first);
    match level.opener {
        Some(o) if o == level.first => help = help.then(": the fields of that list item start there"),
        Some(o) => {
            let opener = lines[o].shown(lines[o].key_column());
            let block = if level.block == Block::Items { "the items of the list under" } else { "the fields under" };
            help = help.then(format!(": {block} `{opener}` (line ")).line(o).then(") start there");
        }
        None => help = help.then(": the top-level fields start there"),
    }
    (msg, span, help)
}
