//! The JSON Schema (draft 2020-12) of the front matter, generated from the field table, for
//! editors' tools (`carebook schema guide`).
//!
//! What a JSON Schema cannot say, and only `carebook check` reports: whether a date is real
//! (`2026-02-30`), whether `review_due` is after `reviewed`, whether ids refer to existing files,
//! and anything about the Markdown body. Lengths count characters after trimming spaces in the
//! checker, but untrimmed in the schema.

use serde_json::{Map, Value, json};

use super::field::{Field, Record, Type};
use super::{GuideMatter, Kind, PageMatter, SharedMatter, TermMatter, Urgency, capitalized};

/// The draft every schema declares.
pub(crate) const DRAFT: &str = "https://json-schema.org/draft/2020-12/schema";
/// The form of an id.
const ID: &str = r"^[a-z0-9]+(-[a-z0-9]+)*$";
/// The form of a date (whether it is real, `format: date` says to tools that check formats).
const DATE: &str = r"^\d{4}-\d{2}-\d{2}$";

/// The JSON Schema of the front matter of `kind`.
pub fn schema_for(kind: Kind) -> Value {
    let mut defs = Map::new();
    let mut root = json!({
        "$schema": DRAFT,
        "title": format!("carebook {} front matter", kind.noun()),
        "description": about(kind),
    });
    extend(&mut root, object(super::fields(kind), &mut defs));
    if !defs.is_empty() {
        root["$defs"] = Value::Object(defs);
    }
    root
}

/// A JSON Schema that accepts the front matter of any kind of content file (`anyOf` the kinds).
pub fn schema_for_any() -> Value {
    let mut defs = Map::new();
    let mut any = Vec::new();
    for kind in Kind::ALL {
        let name = def_name(kind);
        let mut def = json!({ "title": format!("carebook {} front matter", kind.noun()), "description": about(kind) });
        extend(&mut def, object(super::fields(kind), &mut defs));
        defs.insert(name.clone(), def);
        any.push(json!({ "$ref": format!("#/$defs/{name}") }));
    }
    json!({
        "$schema": DRAFT,
        "title": "carebook front matter (any kind)",
        "description": "The front matter of a guide, symptom, cause, page or shared block. Use `carebook schema guide` (or symptom, cause, page) for the schema of one kind: editors then give more precise hints.",
        "anyOf": any,
        "$defs": defs,
    })
}

/// The schema as pretty JSON with a final newline, as `carebook schema` prints it.
pub(crate) fn to_json(schema: &Value) -> String {
    let mut s = serde_json::to_string_pretty(schema).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

/// The name of the definition of `kind`'s front matter in the any-kind schema (`SharedBlockMatter`).
pub fn def_name(kind: Kind) -> String {
    format!("{}Matter", kind.noun().split(' ').map(capitalized).collect::<String>())
}

/// What the front matter of `kind` is.
fn about(kind: Kind) -> &'static str {
    match kind {
        Kind::Guide => GuideMatter::ABOUT,
        Kind::Symptom | Kind::Cause => TermMatter::ABOUT,
        Kind::Page => PageMatter::ABOUT,
        Kind::Shared => SharedMatter::ABOUT,
    }
}

/// Adds the keys of `more` (an object) to `to`.
fn extend(to: &mut Value, more: Value) {
    if let (Value::Object(to), Value::Object(more)) = (to, more) {
        to.extend(more);
    }
}

/// An object with exactly these fields; list records go into `defs`.
fn object<'f>(fields: impl Iterator<Item = &'f Field>, defs: &mut Map<String, Value>) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for f in fields {
        properties.insert(f.name.into(), property(f, defs));
        if f.required {
            required.push(f.name);
        }
    }
    json!({ "type": "object", "properties": properties, "required": required, "additionalProperties": false })
}

/// The schema of one field: its type and limits, its help as description, its example; `null`
/// is allowed where the field is optional (`symptom:` with nothing after it).
fn property(f: &Field, defs: &mut Map<String, Value>) -> Value {
    let mut v = match f.ty {
        Type::Text { min, max, .. } => text(min, max),
        Type::Url { max } => json!({ "type": "string", "minLength": 1, "maxLength": max, "pattern": "^https?://" }),
        Type::Date => json!({ "type": "string", "format": "date", "pattern": DATE }),
        Type::Id(_) => json!({ "type": "string", "pattern": ID }),
        Type::Ids(_) => json!({ "type": "array", "items": { "type": "string", "pattern": ID } }),
        Type::Texts { min, max, .. } => json!({ "type": "array", "items": text(min, max) }),
        Type::Items(items) => {
            if !defs.contains_key(items.name) {
                let mut def = object(items.fields.iter(), defs);
                def["description"] = items.about.into();
                defs.insert(items.name.into(), def);
            }
            let mut item = json!({ "$ref": format!("#/$defs/{}", items.name) });
            // `- shared: id` stands for a whole item: that field alone.
            if let Some(shared) = items.fields.iter().find(|f| f.name == "shared") {
                let mut id = property(shared, defs);
                id["type"] = "string".into();
                let alone = json!({
                    "type": "object",
                    "properties": { "shared": id },
                    "required": ["shared"],
                    "additionalProperties": false,
                });
                item = json!({ "anyOf": [item, alone] });
            }
            let mut list = json!({ "type": "array", "items": item });
            if f.required {
                list["minItems"] = 1.into();
            }
            list
        }
        Type::Urgency => json!({
            "type": "string",
            "oneOf": Urgency::ALL.iter().map(|u| json!({ "const": u.as_str(), "description": u.when() })).collect::<Vec<_>>(),
        }),
        Type::Int { min, max } => {
            // Always bounded: the checker refuses what does not fit 64 bits, so the schema says so.
            json!({ "type": "integer", "minimum": min, "maximum": max })
        }
        Type::Bool => json!({ "type": "boolean" }),
    };
    v["description"] = description(f).into();
    if let Some(example) = example(f) {
        v["examples"] = json!([example]);
    }
    if !f.required
        && let Some(t) = v.get("type").cloned()
    {
        v["type"] = json!([t, "null"]);
    }
    v
}

/// The field's help, with its limits and whether it is Markdown.
pub(crate) fn description(f: &Field) -> String {
    let notes = f.notes();
    let help = f.help.trim_end_matches('.');
    if notes.is_empty() { format!("{help}.") } else { format!("{help} ({}).", notes.join("; ")) }
}

/// The field's example as a JSON value (`None` for lists of records, whose fields have theirs).
pub fn example(f: &Field) -> Option<Value> {
    if f.example.is_empty() {
        return None;
    }
    let y = crate::yaml::parse(&format!("v: {}\n", f.example)).ok()?;
    match y.value {
        crate::yaml::Value::Map(mut pairs) if pairs.len() == 1 => pairs.pop().map(|(_, v)| to_value(v.value)),
        _ => None,
    }
}

fn to_value(v: crate::yaml::Value) -> Value {
    use crate::yaml::Value as Y;
    match v {
        Y::Null => Value::Null,
        Y::Bool(b) => b.into(),
        Y::Int(i) => i.into(),
        Y::Float(f) => f.into(),
        Y::Str(s) => s.into(),
        Y::Seq(items) => items.into_iter().map(|i| to_value(i.value)).collect(),
        Y::Map(pairs) => pairs.into_iter().map(|(k, v)| (k.name, to_value(v.value))).collect::<Map<_, _>>().into(),
    }
}

/// A text of `min` to `max` characters.
fn text(min: usize, max: usize) -> Value {
    let mut t = json!({ "type": "string", "maxLength": max });
    if min > 0 {
        t["minLength"] = min.into();
    }
    t
}
