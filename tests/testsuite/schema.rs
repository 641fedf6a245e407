//! The field table in src/schema/fields.rs is the one description of the front matter: the JSON
//! Schema (`carebook schema`) and the files `carebook new` writes are generated from it, and the
//! checker walks by it. These tests generate both and hold them against the checker: on every
//! shipped file and every fixture (valid fixtures pass both; in invalid ones both find the same
//! fields wrong), on every field's example and limits, and on which fields are required.
//!
//! Validation uses the `jsonschema` crate with format checks on (so `format: date` rejects
//! 2026-02-30, as editors that check formats do).

use crate::support::{carebook, fixtures, options, repo, today};
use carebook::markdown::MdOptions;
use carebook::schema::json::{schema_for, schema_for_any};
use carebook::schema::{Field, Kind, Type, fields};
use carebook::source::SourceFile;
use carebook::yaml::{self, Yaml};
use carebook::{Code, Diagnostic};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn validator(kind: Kind) -> jsonschema::Validator {
    jsonschema::options().should_validate_formats(true).build(&schema_for(kind)).expect("the schema compiles")
}

/// The front matter of a file: its YAML text and where that starts in the file (`None` without
/// front matter). A BOM and CRLF line endings are allowed, as the checker allows them.
fn front_matter(text: &str) -> Option<(&str, usize)> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let first_end = text[bom..].find('\n')? + bom + 1;
    if text[bom..first_end].trim_end() != "---" {
        return None;
    }
    let mut at = first_end;
    for line in text[first_end..].split_inclusive('\n') {
        if matches!(line.trim_end(), "---" | "...") {
            return Some((&text[first_end..at], first_end));
        }
        at += line.len();
    }
    None
}

/// Front matter as JSON (`None` if there is none or it is not YAML).
fn front_matter_json(text: &str) -> Option<Value> {
    let (yaml, _) = front_matter(text)?;
    serde_saphyr::from_str(&yaml.replace('\r', "")).ok()
}

/// The `.md` files of a site's content folder with their kind, relative paths sorted.
fn content_files(root: &Path) -> Vec<(String, Kind)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(root.join("content")).into_iter().filter_map(Result::ok) {
        if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md") {
            let rel = e.path().strip_prefix(root).unwrap_or(e.path()).to_string_lossy().replace('\\', "/");
            if let Some(kind) = rel.split('/').nth(1).and_then(Kind::from_folder) {
                out.push((rel, kind));
            }
        }
    }
    out.sort();
    out
}

/// The top-level fields a schema validation finds wrong.
fn schema_trouble(kind: Kind, fm: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for e in validator(kind).iter_errors(fm) {
        let path = e.instance_path().to_string();
        match path.split('/').nth(1) {
            Some(top) if !top.is_empty() => {
                out.insert(top.to_string());
            }
            _ => match e.kind() {
                jsonschema::error::ValidationErrorKind::Required { property } => {
                    out.insert(property.as_str().unwrap_or_default().to_string());
                }
                jsonschema::error::ValidationErrorKind::AdditionalProperties { unexpected } => {
                    out.extend(unexpected.iter().cloned());
                }
                _ => {
                    out.insert(format!("(whole front matter: {e})"));
                }
            },
        }
    }
    out
}

/// Front-matter diagnostics: the problems a schema can see. (A link in a field's Markdown text,
/// such as `javascript:`, is beyond a schema: to it the field is just text.)
fn schema_level(d: &Diagnostic) -> bool {
    matches!(d.code, Code::UnknownField | Code::MissingField | Code::WrongType | Code::InvalidValue | Code::InvalidDate)
        && !d.message.starts_with("link to ")
        // Beyond a schema too: which kind a shared block used by id is, and that a block holds
        // one item across its two lists.
        && !d.message.starts_with("the shared block ")
        && !d.message.starts_with("a shared block holds")
}

/// The top-level fields the checker finds wrong in a file: the field whose text holds each
/// diagnostic, or for a missing field, the one it names.
fn checker_trouble(text: &str, diags: &[&Diagnostic]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let Some((yaml_text, start)) = front_matter(text) else { return out };
    let Ok(Yaml { value: yaml::Value::Map(pairs), .. }) = yaml::parse(yaml_text) else { return out };
    for d in diags {
        let Some(span) = &d.span else { continue };
        if span.start < start {
            if let Some(name) = d.message.split('`').nth(1) {
                out.insert(name.to_string());
            }
            continue;
        }
        let at = span.start - start;
        if at >= yaml_text.len() {
            continue; // in the body (links, Markdown)
        }
        let field = pairs.iter().enumerate().find(|(i, (k, _))| {
            let end = pairs.get(i + 1).map_or(usize::MAX, |(next, _)| next.span.start);
            (k.span.start..end).contains(&at)
        });
        if let Some((_, (k, _))) = field {
            out.insert(k.name.clone());
        }
    }
    out
}

#[test]
fn the_schemas_are_valid_draft_2020_12() {
    for kind in Kind::ALL {
        let s = schema_for(kind);
        assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
        assert!(jsonschema::meta::is_valid(&s), "{kind:?}");
    }
    assert!(jsonschema::meta::is_valid(&schema_for_any()));
}

/// The schema has exactly the table's fields, requires exactly its required ones, and describes
/// each with its help text; list records likewise.
#[test]
fn the_schema_is_generated_from_the_field_table() {
    fn check(schema: &Value, fields: Vec<&Field>, defs: &Value, what: &str) {
        let properties: BTreeSet<&str> =
            schema["properties"].as_object().map(|m| m.keys().map(String::as_str).collect()).unwrap_or_default();
        assert_eq!(properties, fields.iter().map(|f| f.name).collect(), "{what}");
        let required: BTreeSet<&str> =
            schema["required"].as_array().into_iter().flatten().filter_map(|v| v.as_str()).collect();
        assert_eq!(required, fields.iter().filter(|f| f.required).map(|f| f.name).collect(), "{what}");
        assert_eq!(schema["additionalProperties"], false, "{what}");
        for f in fields {
            let p = &schema["properties"][f.name];
            let description = p["description"].as_str().unwrap_or_default();
            assert!(description.starts_with(f.help.trim_end_matches('.')), "{what} `{}`: {description}", f.name);
            if let Type::Items(items) = f.ty {
                check(&defs[items.name], items.fields.iter().collect(), defs, items.name);
            }
        }
    }
    for kind in Kind::ALL {
        let s = schema_for(kind);
        check(&s, fields(kind).collect(), &s["$defs"], &format!("{kind:?}"));
    }
    let any = schema_for_any();
    assert_eq!(any["anyOf"].as_array().map(Vec::len), Some(Kind::ALL.len()));
    for kind in Kind::ALL {
        let name = carebook::schema::json::def_name(kind);
        check(&any["$defs"][&name], fields(kind).collect(), &any["$defs"], &name);
    }
}

#[test]
fn every_shipped_content_file_is_accepted() {
    let root = repo();
    let files = content_files(&root);
    assert!(files.len() >= 20, "the shipped content is found: {}", files.len());
    let any = jsonschema::options().build(&schema_for_any()).expect("compiles");
    for (rel, kind) in files {
        let text = std::fs::read_to_string(root.join(&rel)).expect("readable");
        let fm = front_matter_json(&text).unwrap_or_else(|| panic!("{rel}: front matter"));
        assert_eq!(schema_trouble(kind, &fm), BTreeSet::new(), "{rel}");
        assert!(any.is_valid(&fm), "{rel}: the any-kind schema");
    }
}

/// For every file of every fixture site: valid files pass the schema, and in invalid ones the
/// schema finds exactly the fields wrong that the checker reports.
#[test]
fn schema_and_checker_agree_on_every_fixture_file() {
    let sites: Vec<PathBuf> = ["valid", "invalid"].into_iter().flat_map(fixtures).map(|(_, site)| site).collect();
    let mut rejected = 0;
    let mut failures = Vec::new();
    for site in sites {
        let report = carebook::run(&options(&site), carebook::Goal::Check, None).expect("check runs").report;
        for (rel, kind) in content_files(&site) {
            let Ok(text) = std::fs::read_to_string(site.join(&rel)) else { continue };
            // Positions are in the text after its byte-order mark, as the checker reads it.
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
            let Some(fm) = front_matter_json(text) else { continue };
            let diags: Vec<&Diagnostic> =
                report.diagnostics().iter().filter(|d| d.file == rel && schema_level(d)).collect();
            let checker = checker_trouble(text, &diags);
            let schema = schema_trouble(kind, &fm);
            let name = format!("{}/{rel}", site.file_name().unwrap_or_default().to_string_lossy());
            if checker != schema {
                failures
                    .push(format!("{name}: the checker finds {checker:?} wrong, the schema {schema:?}: {diags:#?}"));
            }
            rejected += usize::from(!schema.is_empty());
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(rejected >= 4, "the schema-level bad fixtures are found ({rejected})");
}

/// A file of `kind` with this front matter (JSON is YAML), and the checker's diagnostics for it.
fn check_matter(kind: Kind, matter: &Value) -> Vec<Diagnostic> {
    let path = format!("content/{}/example.md", kind.folder());
    let text = format!("---\n{matter}\n---\nSome text.\n");
    let file = SourceFile { path, text: text.as_str().into() };
    let mut diags = Vec::new();
    let opts = carebook::parse::Options {
        md: MdOptions::default(),
        today: today(),
        release_texts: false,
        policy: Default::default(),
    };
    carebook::parse::parse(vec![file], opts, &mut diags);
    // Examples are the placeholders `carebook new` writes: text to replace (`placeholder`), valid
    // as far as the schema goes.
    diags.retain(|d| d.code != Code::Placeholder);
    diags
}

/// The front matter `carebook new` writes: every field present.
fn full_matter(kind: Kind) -> Value {
    let text = carebook::scaffold::template(kind, "example", None, today()).expect("a template");
    front_matter_json(&text).expect("front matter")
}

#[test]
fn new_files_have_every_field_and_pass_both() {
    for kind in Kind::ALL {
        let m = full_matter(kind);
        let keys: BTreeSet<&str> = m.as_object().expect("a mapping").keys().map(String::as_str).collect();
        assert_eq!(keys, fields(kind).map(|f| f.name).collect(), "{kind:?}");
        for f in fields(kind) {
            if let Type::Items(items) = f.ty {
                let item = m[f.name][0].as_object().unwrap_or_else(|| panic!("`new` writes an item of `{}`", f.name));
                let keys: BTreeSet<&str> = item.keys().map(String::as_str).collect();
                assert_eq!(keys, items.fields.iter().map(|f| f.name).collect(), "{kind:?} {}", f.name);
            }
        }
        assert_eq!(check_matter(kind, &m), vec![], "{kind:?}");
        assert_eq!(schema_trouble(kind, &m), BTreeSet::new(), "{kind:?}");
    }
}

/// `shared` stands for a whole item (`- shared: id`) instead of its other fields, so it is not
/// combined with them.
fn instead_of_the_others(f: &Field) -> bool {
    f.name == "shared"
}

/// Front matter of `kind` in which every field has its example value (list records: one record
/// of examples).
fn example_matter(fields: &mut dyn Iterator<Item = &Field>) -> Value {
    let mut m = serde_json::Map::new();
    for f in fields {
        let v = match f.ty {
            Type::Items(items) => {
                json!([example_matter(&mut items.fields.iter().filter(|g| !instead_of_the_others(g)))])
            }
            _ => carebook::schema::json::example(f).unwrap_or_else(|| panic!("`{}` has an example", f.name)),
        };
        m.insert(f.name.into(), v);
    }
    Value::Object(m)
}

/// Every example in the table passes the checker and the schema.
#[test]
fn every_example_passes_both() {
    for kind in Kind::ALL {
        let m = example_matter(&mut fields(kind));
        assert_eq!(check_matter(kind, &m), vec![], "{kind:?}: {m}");
        assert_eq!(schema_trouble(kind, &m), BTreeSet::new(), "{kind:?}: {m}");
    }
}

/// Every length and number limit of the table, just inside and just outside, for every field of
/// every kind and every list record: the checker and the schema accept and refuse together.
#[test]
fn limits_are_the_same_in_both() {
    let mut tried = 0;
    for kind in Kind::ALL {
        let base = full_matter(kind);
        for f in fields(kind) {
            let (targets, item_fields): (Vec<Vec<Value>>, Vec<&Field>) = match f.ty {
                Type::Items(items) => (
                    vec![vec![json!(f.name), json!(0)]],
                    items.fields.iter().filter(|g| !instead_of_the_others(g)).collect(),
                ),
                _ => (vec![vec![]], vec![f]),
            };
            for (path, g) in targets.iter().flat_map(|t| item_fields.iter().map(move |g| (t, *g))) {
                for (value, ok) in boundary_values(g) {
                    let mut m = base.clone();
                    let mut at = &mut m;
                    for p in path {
                        at = match p {
                            Value::String(s) => &mut at[s.as_str()],
                            Value::Number(n) => &mut at[n.as_u64().unwrap_or(0) as usize],
                            _ => at,
                        };
                    }
                    at[g.name] = value.clone();
                    // Date order and overdue reviews are beyond a schema.
                    let diags: Vec<Diagnostic> = check_matter(kind, &m).into_iter().filter(schema_level).collect();
                    let what = format!("{kind:?} {path:?} `{}` = {value}", g.name);
                    assert_eq!(diags.is_empty(), ok, "{what}: the checker says {diags:#?}");
                    assert_eq!(validator(kind).is_valid(&m), ok, "{what}: the schema disagrees");
                    tried += 1;
                }
            }
        }
    }
    assert!(tried > 60, "{tried}");
}

/// Values at a field's limits, and whether each is allowed.
fn boundary_values(f: &Field) -> Vec<(Value, bool)> {
    let s = |n: usize| Value::String(if n == 0 { String::new() } else { "x".repeat(n) });
    let https = |n: usize| Value::String(format!("https://{}", "x".repeat(n.saturating_sub(8))));
    match f.ty {
        Type::Text { min, max, .. } => {
            let mut v = vec![(s(max), true), (s(max + 1), false)];
            if min > 1 {
                v.extend([(s(min), true), (s(min - 1), false)]);
            }
            v
        }
        Type::Url { max } => vec![(https(max), true), (https(max + 1), false), (json!("example.org"), false)],
        Type::Texts { min, max, .. } => {
            vec![(json!([s(max)]), true), (json!([s(max + 1)]), false), (json!([s(min - 1)]), false)]
        }
        Type::Int { min, max } if (min, max) != (i64::MIN, i64::MAX) => {
            vec![(json!(min), true), (json!(max), true), (json!(min - 1), false), (json!(max + 1), false)]
        }
        Type::Date => vec![(json!("2026-02-28"), true), (json!("2026-02-30"), false), (json!("2026/02/28"), false)],
        Type::Id(_) => vec![(json!("a-b1"), true), (json!("A_b"), false)],
        Type::Ids(_) => vec![(json!(["a-b1"]), true), (json!(["A_b"]), false), (json!("a-b1"), false)],
        Type::Urgency => vec![(json!("soon"), true), (json!("urgnet"), false)],
        Type::Bool => vec![(json!(false), true), (json!("yes"), false)],
        Type::Int { .. } | Type::Items(_) => vec![],
    }
}

fn reports_missing(diags: &[Diagnostic], field: &str) -> bool {
    let quoted = format!("`{field}`");
    diags.iter().any(|d| d.code == Code::MissingField && d.message.contains(&quoted))
}

/// Remove each field in turn (in list records too): the checker reports it missing exactly when
/// the table says it is required, and the schema refuses exactly then.
#[test]
fn required_fields_are_the_same() {
    for kind in Kind::ALL {
        let base = full_matter(kind);
        for f in fields(kind) {
            let mut m = base.clone();
            m.as_object_mut().expect("a mapping").remove(f.name);
            let diags = check_matter(kind, &m);
            assert_eq!(reports_missing(&diags, f.name), f.required, "{kind:?} `{}`: {diags:#?}", f.name);
            assert_eq!(validator(kind).is_valid(&m), !f.required, "{kind:?} `{}`", f.name);
            let Type::Items(items) = f.ty else { continue };
            for g in items.fields {
                let mut m = base.clone();
                let item = m[f.name][0].as_object_mut().expect("an item");
                assert!(item.remove(g.name).is_some(), "`new` writes `{}` in `{}`", g.name, f.name);
                let diags = check_matter(kind, &m);
                assert_eq!(reports_missing(&diags, g.name), g.required, "{} `{}`: {diags:#?}", f.name, g.name);
                assert_eq!(validator(kind).is_valid(&m), !g.required, "{} `{}`", f.name, g.name);
            }
        }
    }
}

/// Mistakes an editor makes: the checker reports the expected code and the schema rejects too.
#[test]
fn schema_rejects_what_the_checker_rejects() {
    type Edit = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(Kind, &str, Code, Edit)> = vec![
        (Kind::Guide, "unknown field", Code::UnknownField, Box::new(|m| m["symtoms"] = json!([]))),
        (Kind::Guide, "title is a list", Code::WrongType, Box::new(|m| m["title"] = json!(["Milk", "stasis"]))),
        (Kind::Guide, "no red flags", Code::InvalidValue, Box::new(|m| m["see_a_doctor"] = json!([]))),
        (Kind::Guide, "no sources", Code::InvalidValue, Box::new(|m| m["sources"] = json!([]))),
        (Kind::Guide, "year as text", Code::WrongType, Box::new(|m| m["sources"][0]["year"] = json!("2022"))),
        (Kind::Guide, "unknown step field", Code::UnknownField, Box::new(|m| m["steps"][0]["colour"] = json!("red"))),
        (Kind::Guide, "steps not a list", Code::WrongType, Box::new(|m| m["steps"] = json!("Rest."))),
        (Kind::Guide, "step not a mapping", Code::WrongType, Box::new(|m| m["steps"][0] = json!("Rest."))),
        (Kind::Guide, "order not whole", Code::WrongType, Box::new(|m| m["order"] = json!(1.5))),
        (Kind::Symptom, "aliases not a list", Code::WrongType, Box::new(|m| m["aliases"] = json!("temperature"))),
        (Kind::Symptom, "prevention on a symptom", Code::UnknownField, Box::new(|m| m["prevention"] = json!([]))),
        (Kind::Page, "unknown field", Code::UnknownField, Box::new(|m| m["author"] = json!("me"))),
    ];
    for (kind, what, code, edit) in cases {
        let mut m = full_matter(kind);
        edit(&mut m);
        let diags = check_matter(kind, &m);
        assert!(diags.iter().any(|d| d.code == code), "{kind:?} {what}: the checker says {diags:#?}");
        assert!(!validator(kind).is_valid(&m), "{kind:?} {what}: the schema accepts {m}");
    }
}

#[test]
fn carebook_schema_prints_the_schemas() {
    for (arg, title) in [
        (Some("guide"), "carebook guide front matter"),
        (Some("symptom"), "carebook symptom front matter"),
        (Some("cause"), "carebook cause front matter"),
        (Some("page"), "carebook page front matter"),
        (None, "carebook front matter (any kind)"),
    ] {
        let out = carebook().arg("schema").args(arg).output().expect("runs");
        assert_eq!(out.status.code(), Some(0));
        let v: Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
        assert_eq!(v["title"], title);
        assert!(jsonschema::meta::is_valid(&v), "{arg:?}");
    }
    let out = carebook().args(["schema", "recipe"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(2), "an unknown kind is a usage error");
}
