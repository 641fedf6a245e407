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

/// A YAML value with its byte span in the parsed text.
#[derive(Clone, Debug, PartialEq)]
pub struct Yaml {
    /// The value.
    pub value: Value,
    /// Byte range in the parsed text (for collections, at least their first character).
    pub span: Range<usize>,
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
    pub fn kind_name(&self) -> &'static str {
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

/// A YAML syntax error, located in the parsed text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    /// The parser's message, without its own position prefix.
    pub message: String,
    /// Byte range in the parsed text.
    pub span: Range<usize>,
    /// A hint for the common causes, when one applies.
    pub hint: Option<String>,
}

/// Parses front-matter text into a spanned tree.
pub fn parse(text: &str) -> Result<Yaml, YamlError> {
    let mut options = serde_saphyr::Options::default();
    options.with_snippet = false;
    options.duplicate_keys = serde_saphyr::options::DuplicateKeyPolicy::Error;
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = 32;
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
    let span = match e.location() {
        Some(loc) => span_of(&loc, text, index),
        None => 0..0,
    };
    let hint = hint_for(&message, text, &span, index);
    YamlError { message, span, hint }
}

fn hint_for(message: &str, text: &str, span: &Range<usize>, index: &LineIndex) -> Option<String> {
    let m = message.to_ascii_lowercase();
    let line_no = index.position(text, span.start).line.saturating_sub(1);
    let line = index.line_text(text, line_no);
    if m.contains("tab") || line.starts_with('\t') {
        return Some("YAML does not allow tabs for indentation: indent with spaces".into());
    }
    if m.contains("duplicate") {
        return Some("each field may appear only once: remove or merge the repeated one".into());
    }
    if m.contains("budget") || m.contains("alias") || m.contains("anchor") || m.contains("depth") {
        return Some("front matter must be simple: avoid anchors (&), aliases (*) and deep nesting".into());
    }
    let trimmed = line.trim_start();
    if trimmed.starts_with('-') && !trimmed.starts_with("- ") && !trimmed.starts_with("---") && trimmed.len() > 1 {
        return Some("a list item needs a space after the dash: `- item`".into());
    }
    if m.contains("mapping values are not allowed") || m.contains("expected ':'") {
        if let Some(value) = line.split_once(": ").map(|(_, v)| v)
            && value.contains(": ")
        {
            return Some("text that contains `: ` must be put in quotes: `title: \"Fever: what to do\"`".into());
        }
        if !line.contains(": ") && line.contains(':') {
            return Some("put a space after the colon: `key: value`".into());
        }
        return Some("check the indentation and that text containing `: ` is in quotes".into());
    }
    if m.contains("quote") {
        return Some("a quoted text must end with the same quote mark it starts with".into());
    }
    None
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
    Yaml { value, span }
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
        assert!(e.hint.unwrap_or_default().contains("quotes"));
        let t = "a:\n\t- b\n";
        let e = parse(t).expect_err("tab");
        assert!(e.hint.unwrap_or_default().contains("tabs"));
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
        assert!(parse(&t).is_err());
    }

    #[test]
    fn deep_nesting_is_refused() {
        let t = format!("a: {}{}\n", "[".repeat(5000), "]".repeat(5000));
        assert!(parse(&t).is_err());
    }
}
