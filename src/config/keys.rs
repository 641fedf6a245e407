//! The table of `carebook.toml` keys: each key's table, type, help text and example, and how it
//! is read into [`Config`]. The reader, docs/configuration.md and the JSON Schema all come from
//! here.

use serde_json::{Map, Value, json};

use super::Config;

/// A key of `carebook.toml`.
#[derive(Clone, Copy)]
pub struct Key {
    /// The key with its table: `title`, `urgency.soon.label`.
    pub path: &'static str,
    /// The type of its value.
    pub ty: Type,
    /// What it changes, in a sentence or two.
    pub help: &'static str,
    /// An example value, as written in TOML.
    pub example: &'static str,
    /// Its value in a configuration (`None`: not set).
    pub get: fn(&Config) -> Option<Val>,
    /// Stores a value of its type.
    pub(crate) set: fn(&mut Config, Val),
}

/// A table of `carebook.toml` other than the top level.
#[derive(Clone, Copy, Debug)]
pub struct Table {
    /// Its dotted name (`urgency.soon`).
    pub name: &'static str,
    /// What it holds.
    pub(crate) help: &'static str,
}

/// The type of a key's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Type {
    /// A string.
    Text,
    /// `true` or `false`.
    Bool,
    /// A whole number, 1 or more.
    Count,
}

/// A value read from `carebook.toml`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Val {
    /// A string.
    Text(String),
    /// A boolean.
    Bool(bool),
    /// A whole number, 1 or more.
    Count(usize),
}

impl Val {
    fn text(self) -> String {
        match self {
            Val::Text(s) => s,
            Val::Bool(b) => b.to_string(),
            Val::Count(n) => n.to_string(),
        }
    }

    fn bool(self) -> bool {
        matches!(self, Val::Bool(true))
    }

    fn count(self) -> usize {
        match self {
            Val::Count(n) => n,
            _ => 1,
        }
    }

    /// The value as written in TOML.
    pub fn to_toml(&self) -> String {
        match self {
            Val::Text(s) => serde_json::to_string(s).unwrap_or_default(),
            Val::Bool(b) => b.to_string(),
            Val::Count(n) => n.to_string(),
        }
    }
}

impl Type {
    /// What a value of this type is, in a few words.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Type::Text => "text",
            Type::Bool => "true or false",
            Type::Count => "whole number",
        }
    }
}

impl Key {
    /// The table it belongs to: `""` for the top of the file, `urgency.soon`.
    pub(crate) fn table(&self) -> &'static str {
        self.path.rsplit_once('.').map_or("", |(t, _)| t)
    }

    /// Its name in its table.
    pub(crate) fn name(&self) -> &'static str {
        self.path.rsplit_once('.').map_or(self.path, |(_, n)| n)
    }

    /// Its default, as written in TOML (`None`: not set unless given).
    pub(crate) fn default_toml(&self) -> Option<String> {
        (self.get)(&Config::default()).map(|v| v.to_toml())
    }
}

/// Declares a key whose TOML path is its path in [`Config`]; `OptText` is text stored in an
/// `Option` (not set by default).
macro_rules! key {
    ($first:ident $(. $rest:ident)* : $ty:ident = $example:literal, $help:expr) => {
        Key {
            path: concat!(stringify!($first) $(, ".", stringify!($rest))*),
            ty: key!(@type $ty),
            help: $help,
            example: $example,
            get: |c| key!(@get $ty, c.$first $(.$rest)*),
            set: |c, v| key!(@set $ty, c.$first $(.$rest)*, v),
        }
    };
    (@type OptText) => { Type::Text };
    (@type $ty:ident) => { Type::$ty };
    (@get Text, $place:expr) => { Some(Val::Text($place.clone())) };
    (@get OptText, $place:expr) => { $place.clone().map(Val::Text) };
    (@get Bool, $place:expr) => { Some(Val::Bool($place)) };
    (@get Count, $place:expr) => { Some(Val::Count($place)) };
    (@set Text, $place:expr, $v:ident) => { $place = $v.text() };
    (@set OptText, $place:expr, $v:ident) => { $place = Some($v.text()) };
    (@set Bool, $place:expr, $v:ident) => { $place = $v.bool() };
    (@set Count, $place:expr, $v:ident) => { $place = $v.count() };
}

/// Every key of `carebook.toml`, in the order of the documentation.
pub const KEYS: &[Key] = &[
    key!(title: Text = r#""Breast care while breastfeeding""#,
        "The site's name, shown in every page's header and in the browser tab."),
    key!(language: Text = r#""pt-BR""#,
        "The language of the content as a language tag (`en`, `de`, `pt-BR`), so that browsers and screen readers read the pages right."),
    key!(language_name: OptText = r#""English""#,
        "The language's own name, shown in the language switcher of a site in several languages (`[languages.<code>]`); the `language` tag when not set."),
    key!(description: OptText = r#""Plain-language self-care guides for breastfeeding mothers.""#,
        "One sentence about the site, shown on the home page and given to search engines."),
    key!(disclaimer: OptText = r#""General information, not medical advice.""#,
        "A short line shown in every page's footer."),
    key!(emergency_number: Text = r#""999 (UK), 112 (EU), 911 (US)""#,
        "How readers reach emergency services, in words: \"In an emergency, call … now\" on the home and when-to-see-a-doctor pages, and with the emergency tier."),
    key!(theme: Text = r#""my-theme""#,
        "The theme. `default` is built into carebook; a file in the site's `themes/default/` (`templates/…`, `static/…`) replaces the built-in file of the same path, so one template can change alone. Another name needs its folder `themes/<name>/`, laid over the built-in theme the same way."),
    key!(allow_raw_html: Bool = "true",
        "Allow raw HTML in Markdown. While it is `false`, raw HTML is refused (`raw-html`): it can break pages and hide unsafe code."),
    key!(base_url: OptText = r#""https://example.org/care/""#,
        "The address the site is published at. When set, pages carry a canonical link and Open Graph and Twitter card meta, the build writes `sitemap.xml` (with each page's translations as `hreflang` alternates) and `robots.txt` (a `robots.txt` in `static/` replaces it), and `404.html` links to the site by this address, so it works when a host serves it for a missing page in any folder."),
    key!(short_title: OptText = r#""Breast care""#,
        "A short name for the site (about 12 characters) under its icon on a phone's home screen; the title when not set."),
    key!(require_citations: Bool = "true",
        "Every warning sign must say which of its guide's sources it comes from (`cite:`); a sign without one is an error (`uncited`)."),
    key!(clinically_reviewed: Bool = "true",
        "The site presents its guides as reviewed by clinicians: a guide without `reviewed_by` is then an error (`unreviewed`). While it is `false`, such a guide is published and its page says plainly that no clinician has reviewed it."),
    key!(print_book_limit: Count = "500",
        "The most guides in one print book. `print.html` holds every guide while the site has no more than this; a site with more gets books of at most this many guides each, in the order of the guides index (`print-1.html`, `print-2.html`, …), and `print.html` lists them. The default keeps a book of generated guides near 3 MB, which browsers open and print without trouble."),
    key!(urgency.emergency.label: Text = r#""Emergency: call now""#, LABEL),
    key!(urgency.emergency.advice: Text = r#""Call 999 now.""#, ADVICE),
    key!(urgency.urgent.label: Text = r#""Urgent: get help today""#, LABEL),
    key!(urgency.urgent.advice: Text = r#""Call your doctor or midwife today.""#, ADVICE),
    key!(urgency.soon.label: Text = r#""Soon: within 24 to 48 hours""#, LABEL),
    key!(urgency.soon.advice: Text = r#""See your doctor within 24 to 48 hours.""#, ADVICE),
    key!(urgency.routine.label: Text = r#""Routine: ask for support""#, LABEL),
    key!(urgency.routine.advice: Text = r#""Ask a lactation consultant.""#, ADVICE),
];

/// The help of every tier's `label`.
const LABEL: &str = "The tier's short name, shown on the when-to-see-a-doctor page and next to each sign of the tier.";
/// The help of every tier's `advice`.
const ADVICE: &str = "What readers should do, in a sentence or two, shown with the tier's signs.";

/// The tables below the top level, in the order of the documentation.
pub const TABLES: &[Table] = &[
    Table {
        name: "urgency",
        help: "The words readers see for the four urgency tiers of the signs in guides' `see_a_doctor`.",
    },
    Table { name: "urgency.emergency", help: "`emergency`: call the emergency number now." },
    Table { name: "urgency.urgent", help: "`urgent`: speak to a doctor or midwife today." },
    Table { name: "urgency.soon", help: "`soon`: see a doctor within 24-48 hours if it is not better." },
    Table { name: "urgency.routine", help: "`routine`: ask a lactation consultant or family doctor." },
    Table { name: "languages", help: LANGUAGES },
];

/// The help of `[languages]`.
const LANGUAGES: &str = "The site's other languages, one table each, named by the language tag (`[languages.ru]`): its `name` (required: the language's own name, shown in the language switcher), and any of `title`, `short_title` (its web app manifest's home-screen name: each language has its own manifest), `description`, `disclaimer`, `emergency_number` and the `[languages.ru.urgency.<tier>]` tables, in that language; keys not given keep the top level's value. The content of language `ru` is in `content/ru/` (same folders and ids as `content/`), its pages in `public/ru/` (published at `<base_url>ru/`: their canonical links say so, and the one `sitemap.xml` at the top lists them with their `hreflang` alternates and `x-default`), and the theme's words in its `strings/ru.toml`.";

/// The keys a `[languages.<code>]` table may set besides `name` (and its `urgency` tables).
pub(crate) const PER_LANGUAGE: &[&str] = &["title", "short_title", "description", "disclaimer", "emergency_number"];

/// The key at `path` (`urgency.soon.label`).
pub(crate) fn key(path: &str) -> Option<&'static Key> {
    KEYS.iter().find(|k| k.path == path)
}

/// The table called `name` (`urgency.soon`).
pub(crate) fn table(name: &str) -> Option<&'static Table> {
    TABLES.iter().find(|t| t.name == name)
}

/// The names allowed directly in `table` (`""`: the top level): its keys and its sub-tables.
pub(crate) fn names_in(table: &str) -> Vec<&'static str> {
    let keys = KEYS.iter().filter(|k| k.table() == table).map(|k| k.name());
    let tables = TABLES.iter().filter_map(|t| match t.name.rsplit_once('.') {
        Some((parent, last)) if parent == table => Some(last),
        None if table.is_empty() => Some(t.name),
        _ => None,
    });
    keys.chain(tables).collect()
}

/// The JSON Schema (draft 4, which Taplo and Even Better TOML read) of `carebook.toml`.
pub fn json_schema() -> Value {
    let mut root = object("", "The site configuration of carebook: title, language, emergency wording, urgency tiers.");
    root["$schema"] = "http://json-schema.org/draft-04/schema#".into();
    root["title"] = "carebook.toml".into();
    root
}

/// The schema of `table` and everything below it.
fn object(table: &str, help: &str) -> Value {
    let mut properties = Map::new();
    for k in KEYS.iter().filter(|k| k.table() == table) {
        let mut p = json!({ "type": match k.ty { Type::Text => "string", Type::Bool => "boolean", Type::Count => "integer" }, "description": k.help });
        if k.ty == Type::Count {
            p["minimum"] = 1.into();
        }
        if let Some(d) = (k.get)(&Config::default()) {
            p["default"] = match d {
                Val::Text(s) => s.into(),
                Val::Bool(b) => b.into(),
                Val::Count(n) => n.into(),
            };
        }
        properties.insert(k.name().into(), p);
    }
    for name in names_in(table) {
        let full = if table.is_empty() { name.to_string() } else { format!("{table}.{name}") };
        if full == "languages"
            && let Some(t) = self::table(&full)
        {
            properties.insert(name.into(), languages_schema(t.help));
        } else if let Some(t) = self::table(&full) {
            properties.insert(name.into(), object(&full, t.help));
        }
    }
    json!({ "type": "object", "description": help, "properties": properties, "additionalProperties": false })
}

/// The schema of `[languages]`: a table per language code, each with `name` and the keys that
/// may change per language.
fn languages_schema(help: &str) -> Value {
    let mut one = json!({ "type": "object", "required": ["name"], "additionalProperties": false });
    let mut properties = Map::new();
    properties.insert("name".into(), json!({ "type": "string", "description": LANGUAGE_NAME }));
    for k in KEYS.iter().filter(|k| PER_LANGUAGE.contains(&k.path)) {
        properties.insert(k.name().into(), json!({ "type": "string", "description": k.help }));
    }
    properties.insert("urgency".into(), object("urgency", "The urgency tiers' words in this language."));
    one["properties"] = properties.into();
    json!({ "type": "object", "description": help, "additionalProperties": one })
}

/// The help of a language's `name`.
const LANGUAGE_NAME: &str = "The language's own name, shown in the language switcher (`Русский`).";

/// The tables of docs/configuration.md: one per TOML table, each key with its type, default,
/// example and what it changes.
pub fn reference() -> String {
    let mut out = String::new();
    let sections = std::iter::once(("", "The top of the file, before any `[table]` line."))
        .chain(TABLES.iter().filter(|t| KEYS.iter().any(|k| k.table() == t.name)).map(|t| (t.name, t.help)));
    for (table, help) in sections {
        let heading = if table.is_empty() { "Top level".to_string() } else { format!("`[{table}]`") };
        out.push_str(&format!(
            "### {heading}\n\n{help}\n\n| key | type | default | example | what it changes |\n|---|---|---|---|---|\n"
        ));
        for k in KEYS.iter().filter(|k| k.table() == table) {
            let default = k.default_toml().map_or("not set".to_string(), |d| format!("`{d}`"));
            let help = k.help.replace('|', "\\|");
            out.push_str(&format!("| `{}` | {} | {default} | `{}` | {help} |\n", k.name(), k.ty.name(), k.example));
        }
        out.push('\n');
    }
    out.push_str(&format!(
        "### `[languages.<code>]`\n\n{LANGUAGES}\n\n| key | type | default | example | what it changes |\n|---|---|---|---|---|\n\
         | `name` | text | required | `\"Русский\"` | {LANGUAGE_NAME} |\n"
    ));
    for k in KEYS.iter().filter(|k| PER_LANGUAGE.contains(&k.path)) {
        out.push_str(&format!(
            "| `{}` | {} | the top level's | `{}` | In this language. |\n",
            k.name(),
            k.ty.name(),
            k.example
        ));
    }
    out.push_str("| `[languages.<code>.urgency.<tier>]` `label`, `advice` | text | the top level's | `\"Срочно\"` | In this language. |\n\n");
    out
}

/// A `carebook.toml` with every key and what it does, as `carebook init` writes it: keys with a
/// default are set to it, keys without one are shown commented out with their example.
pub fn commented_toml() -> String {
    let mut out = String::from(
        "# carebook.toml: the settings of this site. Every key is below with what it does; a line\n\
         # starting with # is a comment. `carebook schema config` prints the same for editors' tools.\n\
         # A key belongs to the last [table] line above it: add top-level keys here, before the first one.\n",
    );
    let sections = std::iter::once(("", None)).chain(TABLES.iter().map(|t| (t.name, Some(t.help))));
    for (table, help) in sections {
        let keys: Vec<&Key> = KEYS.iter().filter(|k| k.table() == table).collect();
        out.push('\n');
        if let Some(help) = help {
            comment(&mut out, help);
            if keys.is_empty() {
                continue;
            }
            out.push_str(&format!("[{table}]\n"));
        }
        for (i, k) in keys.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            comment(&mut out, k.help);
            match k.default_toml() {
                Some(d) => out.push_str(&format!("# {}; this is its default\n{} = {d}\n", k.ty.name(), k.name())),
                None => out.push_str(&format!(
                    "# {}; not set unless given, for example:\n# {} = {}\n",
                    k.ty.name(),
                    k.name(),
                    k.example
                )),
            }
        }
    }
    out
}

/// `text` as `# ` comment lines of at most about 100 characters.
fn comment(out: &mut String, text: &str) {
    let mut line = String::from("#");
    for word in text.split_whitespace() {
        if line.len() + 1 + word.len() > 100 && line.len() > 1 {
            out.push_str(&line);
            out.push('\n');
            line = String::from("#");
        }
        line.push(' ');
        line.push_str(word);
    }
    out.push_str(&line);
    out.push('\n');
}
