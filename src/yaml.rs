//! YAML: the only module that knows serde-saphyr.
//!
//! Input: the front-matter text. Output: an untyped tree in which every key and value carries its
//! byte span, so the schema walk in `schema` can report every problem of a file with its position.
//! Parsing is bounded (depth, nodes, aliases), so hostile YAML ("billion laughs", deep nesting)
//! costs bounded time and memory and never panics.

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;
use std::ops::Range;

use crate::source::LineIndex;

mod explain;
mod fast;
mod recover;

pub(crate) use explain::Help;
pub(crate) use recover::recover;

/// A YAML value with its byte span in the parsed text.
#[derive(Clone, Debug, PartialEq)]
pub struct Yaml {
    /// The value.
    pub value: Value,
    /// Byte range in the parsed text (for collections, at least their first character).
    pub(crate) span: Range<usize>,
}

/// A mapping key with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    /// The key as text.
    pub name: String,
    /// Byte range of the key.
    pub span: Range<usize>,
}

/// An untyped YAML value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `~`, `null` or nothing.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer that fits in 64 bits.
    Int(i64),
    /// Any other number.
    Float(f64),
    /// Text.
    Str(String),
    /// A list.
    Seq(Vec<Yaml>),
    /// A mapping, in the order written.
    Map(Vec<(Key, Yaml)>),
}

impl Value {
    /// What this value is called in messages for editors.
    pub(crate) fn kind_name(&self) -> &'static str {
        match self {
            Value::Null => "nothing",
            Value::Bool(_) => "true/false",
            Value::Int(_) | Value::Float(_) => "a number",
            Value::Str(_) => "text",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a set of fields",
        }
    }
}

/// A YAML syntax error, located in the parsed text, in editors' words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    /// What is wrong, in plain words.
    pub(crate) message: String,
    /// Byte range in the parsed text.
    pub(crate) span: Range<usize>,
    /// How to fix it.
    pub(crate) help: Help,
    /// What kind of mistake it is.
    pub(crate) kind: ErrorKind,
}

/// Kinds of YAML errors that are handled apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ErrorKind {
    /// A mistake in how something is written.
    Syntax,
    /// A field written twice.
    Duplicate,
    /// Past a limit (nesting, size, anchors and aliases): hostile or tangled input.
    Limit,
}

impl YamlError {
    /// The help line, with lines numbered as in the file, where the parsed text starts on line
    /// `first_line` (from 1).
    pub(crate) fn hint(&self, first_line: usize) -> String {
        self.help.render(first_line)
    }

    /// The same error for a text that starts `bytes` bytes and `lines` lines further on.
    fn shifted(self, bytes: usize, lines: usize) -> YamlError {
        let span = self.span.start + bytes..self.span.end + bytes;
        YamlError { span, help: self.help.shifted(lines), ..self }
    }
}

/// The hint for front matter that is too deep or expands too much.
const SIMPLE: &str = "front matter must be simple: avoid anchors (&), aliases (*) and deep nesting";

/// How deeply lists and fields may nest in front matter.
pub(crate) const MAX_DEPTH: usize = 32;

/// Parses front-matter text into a spanned tree.
///
/// Nearly all front matter is simple block YAML: a hand-written parser reads that, and hands
/// anything it is not certain about to serde-saphyr, which gives the same tree, only slower.
pub fn parse(text: &str) -> Result<Yaml, YamlError> {
    if let Some(y) = fast::parse(text) {
        return Ok(y);
    }
    parse_full(text)
}

/// Parses front-matter text with serde-saphyr only (the reference the fast path must agree with).
fn parse_full(text: &str) -> Result<Yaml, YamlError> {
    let mut options = serde_saphyr::Options::default();
    options.with_snippet = false;
    options.duplicate_keys = serde_saphyr::options::DuplicateKeyPolicy::Error;
    // `title: 1e999` is text to the schema walk (which keeps numbers as written), not an error.
    options.non_finite_float_policy = serde_saphyr::options::NonFiniteFloatPolicy::PassThrough;
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = MAX_DEPTH;
    budget.max_nodes = 100_000;
    budget.max_events = 200_000;
    budget.max_aliases = 1_000;
    budget.max_anchors = 1_000;
    budget.max_recorded_anchor_events = 100_000;
    budget.max_total_scalar_bytes = 8 * 1024 * 1024;
    options.budget = Some(budget);
    let index = LineIndex::new(text);
    match serde_saphyr::from_str_with_options::<Option<Spanned<Raw>>>(text, options) {
        Ok(Some(raw)) => Ok(convert(raw, text, &index)),
        Ok(None) => Ok(Yaml { value: Value::Null, span: 0..0 }),
        Err(e) => Err(error(&e, text, &index)),
    }
}

fn error(e: &serde_saphyr::Error, text: &str, index: &LineIndex) -> YamlError {
    let span = match e.location() {
        Some(loc) => span_of(&loc, text, index),
        None => 0..0,
    };
    if let Some((message, hint)) = plain_words(e.without_snippet()) {
        let (help, kind) = match duplicate_key(e.without_snippet()) {
            Some(name) => (explain::duplicate(text, &span, &name, hint), ErrorKind::Duplicate),
            None if hint == SIMPLE => (Help::text(hint), ErrorKind::Limit),
            None => (Help::text(hint), ErrorKind::Syntax),
        };
        return YamlError { message, span, help, kind };
    }
    let raw = e.without_snippet().to_string();
    let mut message = raw.trim().trim_start_matches("error: ").to_string();
    // Drop the parser's own "line N column M: " prefix; positions are ours to print.
    if let Some(rest) = message.strip_prefix("line ")
        && let Some(colon) = rest.find(": ")
        && rest[..colon].contains("column")
    {
        message = rest[colon + 2..].to_string();
    }
    let mut message = message.lines().next().unwrap_or("").trim().to_string();
    // The parser may append its own position ("… at line 7, column 2"), relative to the front
    // matter rather than the file; ours is printed instead.
    if let Some(i) = message.rfind(" at line ") {
        message.truncate(i);
    }
    // The scanner's own nesting limit, met before the budget's in `[[[[…`.
    if message.contains("recursion limit") {
        let message = format!("lists and fields are nested more than {MAX_DEPTH} levels deep");
        return YamlError { message, span, help: Help::text(SIMPLE), kind: ErrorKind::Limit };
    }
    let (message, span, help) = explain::explain(&message, text, span);
    YamlError { message, span, help, kind: ErrorKind::Syntax }
}

/// The name of the field a duplicate-key error is about.
fn duplicate_key(e: &serde_saphyr::Error) -> Option<String> {
    match e {
        serde_saphyr::Error::AliasError { error, .. } => duplicate_key(error),
        serde_saphyr::Error::DuplicateMappingKey { key: Some(k), .. } => Some(k.clone()),
        _ => None,
    }
}

/// Editors' words for the errors whose parser message is meant for programmers (budget limits,
/// duplicate keys, keys that are not text): the message and a hint.
fn plain_words(e: &serde_saphyr::Error) -> Option<(String, &'static str)> {
    use serde_saphyr::Error as E;
    use serde_saphyr::budget::BudgetBreach as B;
    let (message, hint) = match e {
        E::AliasError { error, .. } => return plain_words(error),
        E::Budget { breach: B::Depth { .. }, .. } | E::AliasReplayStackDepthExceeded { .. } => {
            (format!("lists and fields are nested more than {MAX_DEPTH} levels deep"), SIMPLE)
        }
        E::Budget { breach: B::Aliases { .. } | B::Anchors { .. } | B::RecordedAnchorEvents { .. }, .. }
        | E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayCounterOverflow { .. } => {
            ("anchors (&) and aliases (*) make it too big once expanded".to_string(), SIMPLE)
        }
        E::Budget { .. } => (
            "it holds more values than carebook accepts in front matter".to_string(),
            "keep front matter short: long text belongs in the Markdown body",
        ),
        E::DuplicateMappingKey { key, .. } => (
            match key {
                Some(k) => format!("the field `{k}` appears twice"),
                None => "a field appears twice".to_string(),
            },
            "each field may appear only once: remove or merge the repeated one",
        ),
        E::NullIntoString { .. } => {
            ("a field has no name before its colon".to_string(), "write each field as `name: value`")
        }
        E::Unexpected { expected: "string scalar", .. } => (
            "a field name must be a plain word, not a list or a set of fields".to_string(),
            "write each field as `name: value`; put `?`, `[` or `{` only after the colon",
        ),
        _ => return None,
    };
    Some((message, hint))
}

fn span_of(loc: &serde_saphyr::Location, text: &str, index: &LineIndex) -> Range<usize> {
    let s = loc.span();
    match (s.byte_offset(), s.byte_len()) {
        (Some(off), Some(len)) if off as usize <= text.len() => {
            let start = off as usize;
            let end = (start + len as usize).min(text.len());
            start..end
        }
        _ => {
            let start = index.offset(text, loc.line() as usize, loc.column() as usize);
            start..start
        }
    }
}

fn convert(raw: Spanned<Raw>, text: &str, index: &LineIndex) -> Yaml {
    let span = span_of(&raw.referenced, text, index);
    let value = match raw.value {
        Raw::Null => Value::Null,
        Raw::Bool(b) => Value::Bool(b),
        Raw::Int(i) => Value::Int(i),
        Raw::Float(f) => Value::Float(f),
        Raw::Str(s) => Value::Str(s),
        Raw::Seq(items) => Value::Seq(items.into_iter().map(|i| convert(i, text, index)).collect()),
        Raw::Map(pairs) => Value::Map(
            pairs
                .into_iter()
                .map(|(k, v)| {
                    let key = Key { span: span_of(&k.referenced, text, index), name: k.value };
                    (key, convert(v, text, index))
                })
                .collect(),
        ),
    };
    let span = flow_extent(span, &value, text);
    Yaml { value, span }
}

/// A one-line flow collection (`[a, b]`, `{k: v}`) spans up to its closing bracket, so a message
/// about it underlines the whole thing; block collections keep their first character only.
fn flow_extent(span: Range<usize>, value: &Value, text: &str) -> Range<usize> {
    let close = match text.as_bytes().get(span.start) {
        Some(b'[') if matches!(value, Value::Seq(_)) => b']',
        Some(b'{') if matches!(value, Value::Map(_)) => b'}',
        _ => return span,
    };
    let children_end = match value {
        Value::Seq(items) => items.iter().map(|i| i.span.end).max(),
        Value::Map(pairs) => pairs.iter().map(|(_, v)| v.span.end).max(),
        _ => None,
    }
    .unwrap_or(span.start + 1)
    .max(span.start + 1);
    let rest = text.get(children_end..).unwrap_or("");
    let line = &rest[..rest.find(['\n', '\r']).unwrap_or(rest.len())];
    match line.bytes().position(|b| b == close) {
        Some(i) => span.start..children_end + i + 1,
        None => span,
    }
}

/// The serde-facing tree; converted to [`Yaml`] right away so no other module sees serde-saphyr.
enum Raw {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<Raw>>),
    Map(Vec<(Spanned<String>, Spanned<Raw>)>),
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_none<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
        d.deserialize_any(RawVisitor)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Raw, E> {
        Ok(Raw::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Raw, E> {
        Ok(Raw::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Raw, E> {
        Ok(i64::try_from(v).map_or(Raw::Float(v as f64), Raw::Int))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Raw, E> {
        Ok(i64::try_from(v).map_or(Raw::Float(v as f64), Raw::Int))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Raw, E> {
        Ok(i64::try_from(v).map_or(Raw::Float(v as f64), Raw::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Raw, E> {
        Ok(Raw::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Raw, E> {
        Ok(Raw::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Raw, E> {
        Ok(Raw::Str(v))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<Raw, E> {
        Ok(Raw::Str(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Raw, A::Error> {
        let mut items = Vec::new();
        while let Some(x) = a.next_element::<Spanned<Raw>>()? {
            items.push(x);
        }
        Ok(Raw::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Raw, A::Error> {
        let mut pairs = Vec::new();
        while let Some(k) = a.next_key::<Spanned<String>>()? {
            let v = a.next_value::<Spanned<Raw>>()?;
            pairs.push((k, v));
        }
        Ok(Raw::Map(pairs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_carry_byte_spans() {
        let t = "title: Milk\nlist: [a, b]\n";
        let y = parse(t).expect("valid yaml");
        let Value::Map(pairs) = y.value else { panic!("not a map") };
        assert_eq!(pairs[0].0.name, "title");
        assert_eq!(&t[pairs[0].1.span.clone()], "Milk");
        let Value::Seq(items) = &pairs[1].1.value else { panic!("not a list") };
        assert_eq!(&t[items[1].span.clone()], "b");
    }

    #[test]
    fn syntax_errors_are_located_with_hints() {
        let t = "title: ok\nsummary: Fever: what to do\n";
        let e = parse(t).expect_err("invalid");
        assert_eq!(LineIndex::new(t).position(t, e.span.start).line, 2);
        assert!(e.hint(1).contains("quotes"), "{e:?}");
        let t = "a:\n\t- b\n";
        let e = parse(t).expect_err("tab");
        assert!(e.hint(1).contains("tabs"), "{e:?}");
    }

    #[test]
    fn billion_laughs_is_refused_quickly() {
        let mut t = String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for i in 1..10 {
            let prev = (b'a' + i - 1) as char;
            let cur = (b'a' + i) as char;
            t.push_str(&format!(
                "{cur}: &{cur} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
            ));
        }
        let e = parse(&t).expect_err("refused");
        assert_eq!(e.message, "anchors (&) and aliases (*) make it too big once expanded");
    }

    #[test]
    fn deep_nesting_is_refused() {
        for t in [
            format!("a: {}{}\n", "[".repeat(5000), "]".repeat(5000)),
            format!("a: {}{}\n", "[".repeat(40), "]".repeat(40)),
        ] {
            let e = parse(&t).expect_err("refused");
            assert_eq!(e.message, "lists and fields are nested more than 32 levels deep");
        }
    }

    #[test]
    fn programmers_messages_are_put_in_editors_words() {
        let e = parse("a: 1\nb: 2\na: 3\n").expect_err("duplicate");
        assert_eq!((e.message.as_str(), e.span.start), ("the field `a` appears twice", 10));
        assert_eq!(parse("~: x\n").expect_err("null key").message, "a field has no name before its colon");
        let e = parse("[a]: x\n").expect_err("list key");
        assert_eq!(e.message, "a field name must be a plain word, not a list or a set of fields");
        // Not an error: the schema walk keeps such numbers as written.
        let y = parse("t: 1e999\n").expect("accepted");
        let Value::Map(pairs) = y.value else { panic!("not a map") };
        assert_eq!((pairs[0].1.value.clone(), pairs[0].1.span.clone()), (Value::Float(f64::INFINITY), 3..8));
    }
}
