//! The JSON Schema (`carebook schema`) and the checker agree: the schema accepts every shipped
//! content file and every valid fixture, rejects the front matter the checker rejects, and
//! requires exactly the fields the checker requires.
//!
//! Validation uses the `jsonschema` crate with format checks on (so `format: date` rejects
//! 2026-02-30, as editors that check formats do).

use carebook::markdown::MdOptions;
use carebook::schema::{FLAG_FIELDS, Kind, MISTAKE_FIELDS, SOURCE_FIELDS, STEP_FIELDS, fields_of};
use carebook::schema_json::{schema_for, schema_for_any};
use carebook::source::SourceFile;
use carebook::{Code, Diagnostic, Options};
use jiff::civil::Date;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const KINDS: [Kind; 4] = [Kind::Guide, Kind::Symptom, Kind::Cause, Kind::Page];
const TODAY: Date = Date::constant(2026, 11, 26);

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn validator(kind: Kind) -> jsonschema::Validator {
    let schema = schema_for(kind).to_value();
    jsonschema::options().should_validate_formats(true).build(&schema).expect("the schema compiles")
}

/// The YAML between the `---` fences, split simply (BOM and CRLF allowed), and its length in the
/// file's text (to tell front-matter diagnostics from body ones).
fn front_matter(text: &str) -> Option<(String, usize)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    let first = lines.next()?;
    if first.trim_end() != "---" {
        return None;
    }
    let mut yaml = String::new();
    let mut consumed = first.len();
    for line in lines {
        consumed += line.len();
        if matches!(line.trim_end(), "---" | "...") {
            return Some((yaml, consumed));
        }
        yaml.push_str(&line.replace('\r', ""));
    }
    None
}

/// Front matter as JSON (`None` if there is none or it is not YAML).
fn front_matter_json(text: &str) -> Option<(Value, usize)> {
    let (yaml, end) = front_matter(text)?;
    let value: Value = serde_saphyr::from_str(&yaml).ok()?;
    Some((value, end))
}

/// The `.md` files of a site's content folder with their kind, relative paths sorted.
fn content_files(root: &Path) -> Vec<(String, Kind)> {
    let mut out = Vec::new();
    let mut stack = vec![root.join("content")];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for e in entries.filter_map(Result::ok) {
            let p = e.path();
            let Ok(meta) = std::fs::symlink_metadata(&p) else { continue };
            if meta.is_dir() {
                stack.push(p);
            } else if meta.is_file() && p.extension().is_some_and(|x| x == "md") {
                let rel = p.strip_prefix(root).unwrap_or(&p).to_string_lossy().replace('\\', "/");
                let kind = rel.split('/').nth(1).and_then(Kind::from_folder);
                if let Some(kind) = kind {
                    out.push((rel, kind));
                }
            }
        }
    }
    out.sort();
    out
}

fn errors_of(v: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    v.iter_errors(instance).map(|e| format!("{} at {}", e, e.instance_path())).collect()
}

#[test]
fn the_schemas_are_valid_draft_2020_12() {
    for kind in KINDS {
        let s = schema_for(kind).to_value();
        assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
        assert!(jsonschema::meta::is_valid(&s), "{kind:?}");
    }
    assert!(jsonschema::meta::is_valid(&schema_for_any().to_value()));
}

#[test]
fn every_shipped_content_file_is_accepted() {
    let root = manifest();
    let files = content_files(&root);
    assert!(files.len() >= 20, "the shipped content is found: {}", files.len());
    let any = jsonschema::options().build(&schema_for_any().to_value()).expect("compiles");
    for (rel, kind) in files {
        let text = std::fs::read_to_string(root.join(&rel)).expect("readable");
        let (fm, _) = front_matter_json(&text).unwrap_or_else(|| panic!("{rel}: front matter"));
        let errors = errors_of(&validator(kind), &fm);
        assert!(errors.is_empty(), "{rel}: {errors:#?}");
        assert!(any.is_valid(&fm), "{rel}: the any-kind schema");
    }
}

/// Front-matter diagnostics: the problems a schema can see.
fn schema_level(d: &Diagnostic, fm_end: usize) -> bool {
    matches!(d.code, Code::UnknownField | Code::MissingField | Code::WrongType | Code::InvalidValue | Code::InvalidDate)
        && d.span.as_ref().is_some_and(|s| s.start < fm_end)
}

/// For every file of every fixture site (valid and invalid): the schema rejects its front matter
/// exactly when the checker reports a front-matter problem in it.
#[test]
fn schema_and_checker_agree_on_every_fixture_file() {
    let mut sites: Vec<PathBuf> = Vec::new();
    for group in ["valid", "invalid"] {
        let dir = manifest().join("tests/fixtures").join(group);
        let mut found: Vec<PathBuf> =
            std::fs::read_dir(&dir).into_iter().flatten().filter_map(Result::ok).map(|e| e.path()).collect();
        found.retain(|p| p.is_dir());
        found.sort();
        sites.extend(found);
    }
    let mut rejected = 0;
    for site in sites {
        let mut opts = Options::new(&site);
        opts.today = TODAY;
        let (report, _) = carebook::check(&opts).expect("check runs");
        for (rel, kind) in content_files(&site) {
            let Ok(text) = std::fs::read_to_string(site.join(&rel)) else { continue };
            let Some((fm, end)) = front_matter_json(&text) else { continue };
            let checker: Vec<&Diagnostic> =
                report.diagnostics().iter().filter(|d| d.file == rel && schema_level(d, end)).collect();
            let errors = errors_of(&validator(kind), &fm);
            let name = format!("{}/{rel}", site.file_name().unwrap_or_default().to_string_lossy());
            assert_eq!(
                checker.is_empty(),
                errors.is_empty(),
                "{name}: the checker says {checker:#?}\nthe schema says {errors:#?}"
            );
            rejected += usize::from(!errors.is_empty());
        }
    }
    assert!(rejected >= 4, "the schema-level bad fixtures are found ({rejected})");
}

/// A file of `kind` with this front matter (JSON is YAML), and the checker's diagnostics for it.
fn check_matter(kind: Kind, matter: &Value) -> Vec<Diagnostic> {
    let path = format!("content/{}/example.md", kind.folder());
    let text = format!("---\n{matter}\n---\nSome text.\n");
    let file = SourceFile { path, text: text.as_str().into() };
    let mut diags = Vec::new();
    let opts = carebook::parse::Options { md: MdOptions::default(), today: TODAY, release_texts: false };
    carebook::parse::parse(vec![file], opts, &mut diags);
    diags
}

/// The front matter `carebook new` writes: every field present.
fn full_matter(kind: Kind) -> Value {
    let text = carebook::scaffold::template(kind, "example", None, TODAY).expect("a template");
    front_matter_json(&text).expect("front matter").0
}

#[test]
fn new_files_have_every_field_and_pass_both() {
    for kind in KINDS {
        let m = full_matter(kind);
        let keys: BTreeSet<&str> = m.as_object().expect("a mapping").keys().map(String::as_str).collect();
        assert_eq!(keys, fields_of(kind).iter().copied().collect(), "{kind:?}");
        assert_eq!(check_matter(kind, &m), vec![], "{kind:?}");
        let errors = errors_of(&validator(kind), &m);
        assert!(errors.is_empty(), "{kind:?}: {errors:#?}");
    }
}

fn required(schema: &Value) -> BTreeSet<String> {
    schema["required"].as_array().into_iter().flatten().filter_map(|v| v.as_str().map(String::from)).collect()
}

fn reports_missing(diags: &[Diagnostic], field: &str) -> bool {
    let quoted = format!("`{field}`");
    diags.iter().any(|d| d.code == Code::MissingField && d.message.contains(&quoted))
}

/// Remove each field in turn: the checker reports it missing exactly when the schema requires it.
#[test]
fn required_fields_are_the_same() {
    for kind in KINDS {
        let base = full_matter(kind);
        let schema = schema_for(kind).to_value();
        let req = required(&schema);
        for &field in fields_of(kind) {
            let mut m = base.clone();
            m.as_object_mut().expect("a mapping").remove(field);
            let diags = check_matter(kind, &m);
            assert_eq!(reports_missing(&diags, field), req.contains(field), "{kind:?} `{field}`: {diags:#?}");
            assert_eq!(validator(kind).is_valid(&m), !req.contains(field), "{kind:?} `{field}`");
        }
    }
    let base = full_matter(Kind::Guide);
    let schema = schema_for(Kind::Guide).to_value();
    for (list, def, fields) in [
        ("steps", "StepDoc", STEP_FIELDS),
        ("mistakes", "MistakeDoc", MISTAKE_FIELDS),
        ("see_a_doctor", "RedFlagDoc", FLAG_FIELDS),
        ("sources", "SourceDoc", SOURCE_FIELDS),
    ] {
        let req = required(&schema["$defs"][def]);
        for &field in fields {
            let mut m = base.clone();
            let item = m[list][0].as_object_mut().unwrap_or_else(|| panic!("`new` writes an item of `{list}`"));
            assert!(item.remove(field).is_some(), "`new` writes `{field}` in `{list}`");
            let diags = check_matter(Kind::Guide, &m);
            assert_eq!(reports_missing(&diags, field), req.contains(field), "{list} `{field}`: {diags:#?}");
            assert_eq!(validator(Kind::Guide).is_valid(&m), !req.contains(field), "{list} `{field}`");
        }
    }
}

/// Mistakes an editor makes: the checker reports the expected code and the schema rejects too.
#[test]
fn schema_rejects_what_the_checker_rejects() {
    let long = |n: usize| Value::String("x".repeat(n));
    type Edit = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(Kind, &str, Code, Edit)> = vec![
        (Kind::Guide, "unknown field", Code::UnknownField, Box::new(|m| m["symtoms"] = json!([]))),
        (Kind::Guide, "title is a list", Code::WrongType, Box::new(|m| m["title"] = json!(["Milk", "stasis"]))),
        (Kind::Guide, "title too long", Code::InvalidValue, Box::new(move |m| m["title"] = long(91))),
        (Kind::Guide, "title too short", Code::InvalidValue, Box::new(|m| m["title"] = json!("Ab"))),
        (Kind::Guide, "summary too long", Code::InvalidValue, Box::new(move |m| m["summary"] = long(201))),
        (Kind::Guide, "date with slashes", Code::InvalidDate, Box::new(|m| m["reviewed"] = json!("2026/11/01"))),
        (Kind::Guide, "not a real date", Code::InvalidDate, Box::new(|m| m["review_due"] = json!("2027-02-30"))),
        (Kind::Guide, "bad id", Code::InvalidValue, Box::new(|m| m["symptoms"] = json!(["Breast_Lump"]))),
        (Kind::Guide, "ids not a list", Code::WrongType, Box::new(|m| m["related"] = json!("mastitis"))),
        (Kind::Guide, "no red flags", Code::InvalidValue, Box::new(|m| m["see_a_doctor"] = json!([]))),
        (Kind::Guide, "no sources", Code::InvalidValue, Box::new(|m| m["sources"] = json!([]))),
        (
            Kind::Guide,
            "unknown urgency",
            Code::InvalidValue,
            Box::new(|m| m["see_a_doctor"][0]["urgency"] = json!("urgnet")),
        ),
        (
            Kind::Guide,
            "bad symptom id",
            Code::InvalidValue,
            Box::new(|m| m["see_a_doctor"][0]["symptom"] = json!("Fever")),
        ),
        (
            Kind::Guide,
            "url without scheme",
            Code::InvalidValue,
            Box::new(|m| m["sources"][0]["url"] = json!("example.org")),
        ),
        (Kind::Guide, "year out of range", Code::InvalidValue, Box::new(|m| m["sources"][0]["year"] = json!(1400))),
        (Kind::Guide, "year as text", Code::WrongType, Box::new(|m| m["sources"][0]["year"] = json!("2022"))),
        (Kind::Guide, "unknown step field", Code::UnknownField, Box::new(|m| m["steps"][0]["colour"] = json!("red"))),
        (Kind::Guide, "steps not a list", Code::WrongType, Box::new(|m| m["steps"] = json!("Rest."))),
        (Kind::Guide, "step not a mapping", Code::WrongType, Box::new(|m| m["steps"][0] = json!("Rest."))),
        (Kind::Guide, "why too long", Code::InvalidValue, Box::new(move |m| m["mistakes"][0]["why"] = long(501))),
        (Kind::Guide, "order not whole", Code::WrongType, Box::new(|m| m["order"] = json!(1.5))),
        (Kind::Guide, "draft as text", Code::WrongType, Box::new(|m| m["draft"] = json!("yes"))),
        (Kind::Symptom, "aliases not a list", Code::WrongType, Box::new(|m| m["aliases"] = json!("temperature"))),
        (Kind::Symptom, "alias too long", Code::InvalidValue, Box::new(move |m| m["aliases"] = json!([long(61)]))),
        (Kind::Symptom, "prevention on a symptom", Code::UnknownField, Box::new(|m| m["prevention"] = json!([]))),
        (Kind::Cause, "empty tip", Code::InvalidValue, Box::new(|m| m["prevention"] = json!([""]))),
        (Kind::Page, "unknown field", Code::UnknownField, Box::new(|m| m["author"] = json!("me"))),
        (Kind::Page, "summary too long", Code::InvalidValue, Box::new(move |m| m["summary"] = long(201))),
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
        let mut cmd = assert_cmd::Command::cargo_bin("carebook").expect("the carebook binary");
        cmd.arg("schema").args(arg);
        let out = cmd.output().expect("runs");
        assert_eq!(out.status.code(), Some(0));
        let v: Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
        assert_eq!(v["title"], title);
        assert!(jsonschema::meta::is_valid(&v), "{arg:?}");
    }
    let out = assert_cmd::Command::cargo_bin("carebook").expect("binary").args(["schema", "recipe"]).output();
    assert_eq!(out.expect("runs").status.code(), Some(2), "an unknown kind is a usage error");
}
