//! `carebook.toml`: the reader accepts exactly the keys of its table (the table the reference in
//! docs/configuration.md and the JSON Schema are generated from), reports unknown keys with the
//! closest key or the table they belong in, wrong types and syntax errors with their positions.

use carebook::config::keys::{KEYS, Type, json_schema};
use carebook::config::{Config, read};
use carebook::{Code, Diagnostic};
use serde_json::Value;

/// A `carebook.toml` that sets `path` (`urgency.soon.label`) to `value` (as TOML).
fn setting(path: &str, value: &str) -> String {
    match path.rsplit_once('.') {
        Some((table, name)) => format!("[{table}]\n{name} = {value}\n"),
        None => format!("{path} = {value}\n"),
    }
}

fn codes(diags: &[Diagnostic]) -> Vec<Code> {
    diags.iter().map(|d| d.code).collect()
}

/// Every key of the table is read: its example, set alone, gives no diagnostic and changes
/// exactly that key of the configuration.
#[test]
fn every_key_in_the_table_is_read_into_the_configuration() {
    assert!(KEYS.len() >= 15);
    for key in KEYS {
        let (config, diags) = read(&setting(key.path, key.example));
        assert_eq!(diags, vec![], "{}", key.path);
        let got = (key.get)(&config).unwrap_or_else(|| panic!("{} is not set", key.path));
        assert_eq!(got.to_toml(), key.example, "{}", key.path);
        assert_ne!(Some(got), (key.get)(&Config::default()), "{}: the example is the default", key.path);
        for other in KEYS.iter().filter(|k| k.path != key.path) {
            assert_eq!((other.get)(&config), (other.get)(&Config::default()), "{} changed {}", key.path, other.path);
        }
    }
}

#[test]
fn an_empty_file_gives_the_defaults() {
    assert_eq!(read(""), (Config::default(), vec![]));
}

#[test]
fn unknown_keys_are_errors_with_the_closest_key() {
    let (config, diags) = read("titel = \"Guides\"\nlanguage = \"de\"\n[urgency.soon]\nlable = \"Soon\"\n");
    assert_eq!(codes(&diags), [Code::UnknownField, Code::UnknownField]);
    assert_eq!(diags[0].message, "unknown key `titel` in carebook.toml");
    assert_eq!(diags[0].help.as_deref(), Some("did you mean `title`?"));
    assert_eq!(diags[0].span, Some(0..5));
    assert_eq!(diags[1].message, "unknown key `lable` in the table [urgency.soon] of carebook.toml");
    assert_eq!(diags[1].help.as_deref(), Some("did you mean `label`?"));
    // The other keys are still read.
    assert_eq!(config.language, "de");
    let (_, diags) = read("colour = \"red\"\n");
    let help = diags[0].help.as_deref().unwrap_or_default();
    assert!(help.starts_with("the keys of carebook.toml are: title, language,"), "{help}");
    assert!(help.contains("urgency"), "{help}");
}

/// The mistake TOML invites: a key added at the end of the file joins the last table.
#[test]
fn a_key_in_the_wrong_table_says_where_it_belongs() {
    let text = "title = \"Guides\"\n\n[urgency.routine]\nlabel = \"Routine\"\ntheme = \"plain\"\n";
    let (config, diags) = read(text);
    assert_eq!(codes(&diags), [Code::UnknownField]);
    assert_eq!(diags[0].message, "unknown key `theme` in the table [urgency.routine] of carebook.toml");
    assert_eq!(diags[0].span, Some(text.find("theme").unwrap_or(0)..text.find(" = \"plain").unwrap_or(0)));
    assert_eq!(
        diags[0].help.as_deref(),
        Some(
            "`theme` belongs at the top of the file, before the first `[table]` line (line 3); TOML puts every key \
             after a `[urgency.routine]` line into that table"
        )
    );
    assert_eq!(config.theme, "default");
    // A table's key at the top level is sent to its table.
    let (_, diags) = read("advice = \"Rest\"\n");
    assert_eq!(
        diags[0].help.as_deref(),
        Some("`advice` belongs in a table such as `[urgency.emergency]`, below its `[urgency.emergency]` line")
    );
}

#[test]
fn wrong_types_are_errors_at_the_value() {
    let text = "title = 12\nallow_raw_html = \"yes\"\nurgency = \"soon\"\n";
    let (config, diags) = read(text);
    assert_eq!(codes(&diags), [Code::WrongType, Code::WrongType, Code::WrongType]);
    let by_start =
        |s: &str| diags.iter().find(|d| d.span.as_ref().is_some_and(|r| r.start == text.find(s).unwrap_or(0)));
    let title = by_start("12").expect("title");
    assert_eq!(title.message, "`title` in carebook.toml must be text in double quotes; found a number");
    assert_eq!(title.help.as_deref(), Some("write `title = \"Breast care while breastfeeding\"`"));
    let flag = by_start("\"yes\"").expect("allow_raw_html");
    assert_eq!(flag.help.as_deref(), Some("write `allow_raw_html = true` or `allow_raw_html = false`"));
    let table = by_start("urgency").expect("urgency");
    assert_eq!(table.message, "`urgency` in carebook.toml must be a table; found text");
    assert_eq!(config, Config::default(), "a wrong value keeps the default");

    // A count is a whole number of 1 or more.
    for (value, found) in [("0", "`0`"), ("-3", "`-3`"), ("2.5", "a number"), ("\"10\"", "text")] {
        let (config, diags) = read(&format!("print_book_limit = {value}\n"));
        assert_eq!(codes(&diags), [Code::WrongType], "{value}");
        let want = format!("`print_book_limit` in carebook.toml must be a whole number, 1 or more; found {found}");
        assert_eq!(diags[0].message, want);
        assert_eq!(config.print_book_limit, Config::default().print_book_limit);
    }
    assert_eq!(read("print_book_limit = 0x10\n").0.print_book_limit, 16);
}

#[test]
fn syntax_errors_are_located_and_the_rest_is_read() {
    let text = "title = \"Guides\nlanguage = \"de\"\n";
    let (_, diags) = read(text);
    assert!(!diags.is_empty() && diags.iter().all(|d| d.code == Code::Toml), "{diags:#?}");
    assert!(diags[0].message.starts_with("carebook.toml is not valid TOML: "), "{}", diags[0].message);
    assert!(diags[0].span.as_ref().is_some_and(|s| s.start > 0 && s.end <= text.len() + 1), "{diags:#?}");
    let (config, diags) = read("= 3\nlanguage = \"de\"\n");
    assert_eq!(codes(&diags).first(), Some(&Code::Toml));
    assert_eq!(config.language, "de", "keys after a broken line are still read");
}

/// The JSON Schema is draft 4 (what Taplo reads), accepts the shipped file and every example,
/// and refuses unknown keys and keys in the wrong table, as the reader does.
#[test]
fn the_config_schema_agrees_with_the_reader() {
    let schema = json_schema();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-04/schema#");
    assert!(jsonschema::meta::is_valid(&schema));
    let validator = jsonschema::options().build(&schema).expect("the schema compiles");
    let as_json = |text: &str| -> Value { toml::from_str(text).expect("TOML") };
    let shipped = std::fs::read_to_string(crate::support::repo().join("carebook.toml")).expect("carebook.toml");
    assert_eq!(read(&shipped).1, vec![]);
    assert!(validator.is_valid(&as_json(&shipped)));
    for key in KEYS {
        let text = setting(key.path, key.example);
        assert!(validator.is_valid(&as_json(&text)), "{text}");
        let wrong = setting(key.path, if key.ty == Type::Text { "1" } else { "\"x\"" });
        assert!(!validator.is_valid(&as_json(&wrong)), "{wrong}");
        assert!(!read(&wrong).1.is_empty(), "{wrong}");
        let described = &schema["properties"];
        let mut at = described;
        for part in key.path.split('.') {
            at = if at[part].is_object() { &at[part] } else { &at[part]["properties"] };
            if at["properties"].is_object() {
                at = &at["properties"];
            }
        }
        assert_eq!(at["description"], key.help, "{}", key.path);
    }
    for bad in ["titel = \"x\"\n", "[urgency.routine]\ntheme = \"x\"\n", "[urgency.later]\nlabel = \"x\"\n"] {
        assert!(!validator.is_valid(&as_json(bad)), "{bad}");
        assert_eq!(codes(&read(bad).1), [Code::UnknownField], "{bad}");
    }
}

#[test]
fn carebook_schema_config_prints_it() {
    let out = crate::support::carebook().args(["schema", "config"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let printed: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(printed, json_schema());
}
