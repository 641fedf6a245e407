//! After a syntax error, what can still be read: the front matter is read again one top-level
//! field at a time, so that a mistake in one field hides neither the other fields' problems nor
//! other syntax errors.

use super::explain::lines;
use super::{ErrorKind, Value, Yaml, YamlError, parse};

/// What could be read of front matter with syntax errors.
#[derive(Debug)]
pub(crate) struct Recovered {
    /// The top-level fields that could be read, as one mapping (`None`: none could).
    pub(crate) tree: Option<Yaml>,
    /// Every syntax error, one per broken field (the first error when none can be told apart).
    pub(crate) errors: Vec<YamlError>,
    /// The top-level fields that are there but could not be read: they are not "missing".
    pub(crate) unreadable: Vec<String>,
}

/// A top-level field: its lines, and what reading them alone gave.
struct Block {
    range: std::ops::Range<usize>,
    read: Result<Yaml, Option<YamlError>>,
    /// The field names written in its lines.
    names: Vec<String>,
}

/// Reads `text` again field by field after `first`, the error reading it whole gave.
pub(crate) fn recover(text: &str, first: YamlError) -> Recovered {
    // Budgets and anchors are about the whole text (aliases refer across fields): no second look.
    if first.kind == ErrorKind::Limit {
        return Recovered { tree: None, errors: vec![first], unreadable: Vec::new() };
    }
    let lines = lines(text);
    let starts: Vec<usize> = (0..lines.len())
        .filter(|&n| {
            let l = &lines[n];
            l.indent == 0 && !l.tab && l.has_content() && !l.body.starts_with('-')
        })
        .collect();
    let mut unreadable: Vec<String> = Vec::new();
    // Lines before the first field (an indented first line) are part of the mistake.
    let head_end = starts.first().map_or(lines.len(), |&n| n);
    unreadable.extend(lines[..head_end].iter().filter_map(|l| l.field_name()));
    let anchors = text.contains('&');
    let mut blocks = Vec::new();
    for (i, &n) in starts.iter().enumerate() {
        let start = lines[n].start;
        let end = starts.get(i + 1).map_or(text.len(), |&m| lines[m].start);
        let read = match parse(&text[start..end]) {
            Ok(mut y) if matches!(y.value, Value::Map(_)) => {
                shift(&mut y, start);
                Ok(y)
            }
            Ok(_) => Err(None),
            // An alias to an anchor in another field is no mistake of this field.
            Err(e) if anchors && e.kind == ErrorKind::Limit => Err(None),
            Err(e) => Err(Some(e.shifted(start, n))),
        };
        // Every field name in a broken field's lines: any may be a top-level field caught in it.
        let last = starts.get(i + 1).copied().unwrap_or(lines.len());
        let names = lines[n..last].iter().filter_map(|l| l.field_name()).collect();
        blocks.push(Block { range: start..end, read, names });
    }
    let in_first = blocks.iter().position(|b| b.range.contains(&first.span.start) || b.range.end == first.span.start);
    let mut errors = Vec::new();
    let mut first = Some(first);
    let mut pairs: Vec<Vec<(super::Key, Yaml)>> = Vec::new();
    for (i, b) in blocks.into_iter().enumerate() {
        match b.read {
            Ok(Yaml { value: Value::Map(p), .. }) => pairs.push(p),
            Ok(_) => pairs.push(Vec::new()),
            Err(own) => {
                // A line of text at the start of a line most likely goes on with the field above.
                if b.names.is_empty()
                    && let Some(above) = pairs.last_mut()
                {
                    unreadable.extend(above.drain(..).map(|(k, _)| k.name));
                }
                pairs.push(Vec::new());
                unreadable.extend(b.names);
                let e = if Some(i) == in_first { first.take() } else { own };
                errors.extend(e);
            }
        }
    }
    let pairs: Vec<_> = pairs.into_iter().flatten().collect();
    // The first error is kept when no field explains it: a field written twice, say.
    if let Some(first) = first
        && (errors.is_empty() || first.kind == ErrorKind::Duplicate)
    {
        errors.insert(0, first);
    }
    errors.sort_by_key(|e| e.span.start);
    let tree = (!pairs.is_empty()).then_some(Yaml { value: Value::Map(pairs), span: 0..0 });
    Recovered { tree, errors, unreadable }
}

/// Moves every span of `y` by `by` bytes.
fn shift(y: &mut Yaml, by: usize) {
    y.span = y.span.start + by..y.span.end + by;
    match &mut y.value {
        Value::Seq(items) => items.iter_mut().for_each(|i| shift(i, by)),
        Value::Map(pairs) => {
            for (k, v) in pairs {
                k.span = k.span.start + by..k.span.end + by;
                shift(v, by);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recovered(text: &str) -> Recovered {
        let first = parse(text).expect_err("a syntax error");
        recover(text, first)
    }

    fn names(r: &Recovered) -> Vec<&str> {
        match r.tree.as_ref().map(|y| &y.value) {
            Some(Value::Map(pairs)) => pairs.iter().map(|(k, _)| k.name.as_str()).collect(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn every_broken_field_is_reported_and_the_others_are_read() {
        let text = "title: \"Mastitis\nsummary: Fever: what to do\nreviewed: 2026-11-01\nsymptoms: [fever, pain\nrelated: [a]\n";
        let r = recovered(text);
        let at: Vec<&str> =
            r.errors.iter().map(|e| &text[e.span.start..]).map(|s| &s[..s.find('\n').unwrap_or(s.len())]).collect();
        assert_eq!(r.errors.len(), 3, "{:#?}", r.errors);
        assert!(at[0].starts_with("\"Mastitis"), "{at:?}");
        assert!(at[1].starts_with(": what to do"), "{at:?}");
        assert!(at[2].starts_with("[fever, pain"), "{at:?}");
        assert_eq!(names(&r), ["reviewed", "related"]);
        assert_eq!(r.unreadable, ["title", "summary", "symptoms"]);
        // Spans of what was read are in the whole text.
        let Some(Value::Map(pairs)) = r.tree.map(|y| y.value) else { panic!("a mapping") };
        assert_eq!(&text[pairs[0].1.span.clone()], "2026-11-01");
    }

    #[test]
    fn a_line_of_text_at_the_start_of_a_line_takes_the_field_above_with_it() {
        let r = recovered("title: A\nsummary: The first half\nand the second half\nreviewed: 2026-11-01\n");
        assert_eq!(r.errors.len(), 1);
        assert_eq!(names(&r), ["title", "reviewed"]);
        assert!(r.unreadable.contains(&"summary".to_string()), "{:?}", r.unreadable);
    }

    #[test]
    fn a_field_written_twice_is_reported_with_the_other_mistakes() {
        let r = recovered("title: A\ntitle: B\nsummary: x: y\n");
        let messages: Vec<&str> = r.errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages.iter().any(|m| m.contains("appears twice")), "{messages:?}");
        assert!(messages.iter().any(|m| m.contains("contains a colon")), "{messages:?}");
    }

    #[test]
    fn anchors_and_limits_are_not_read_again() {
        let mut t = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (prev, cur) in ('a'..='i').zip('b'..='j') {
            t.push_str(&format!(
                "{cur}: &{cur} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        let r = recovered(&t);
        assert_eq!((r.errors.len(), r.tree.is_none()), (1, true));
    }
}
