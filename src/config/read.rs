//! Reading `carebook.toml` against the key table: every syntax error, unknown key (with the
//! closest known one, or the table it belongs in) and wrong type, each with its span.

use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::keys::{self, Type, Val};
use super::{Config, FILE};
use crate::diagnostic::{Code, Diagnostic, did_you_mean};

/// The configuration in `text` (the keys it does not set, or sets wrongly, keep their defaults),
/// and every problem in it.
pub fn read(text: &str) -> (Config, Vec<Diagnostic>) {
    let (doc, errors) = DeTable::parse_recoverable(text);
    let mut r = Reader {
        text,
        config: Config::default(),
        diags: errors.iter().map(|e| syntax(e, text)).collect(),
        set: Vec::new(),
    };
    r.table(doc.get_ref(), "");
    // Languages last: each starts from the whole top level, wherever its table is written.
    if let Some(langs) = doc.get_ref().get("languages")
        && let DeValue::Table(t) = langs.get_ref()
    {
        r.languages(t);
    }
    (r.config, r.diags)
}

/// A TOML syntax error: toml's first line as the message, the rest (what it expected) as help.
fn syntax(e: &toml::de::Error, text: &str) -> Diagnostic {
    let mut lines = e.message().trim().lines();
    let first = lines.next().unwrap_or("syntax error").trim();
    let rest: Vec<&str> = lines.map(str::trim).filter(|l| !l.is_empty()).collect();
    let span = e.span().map(|s| if s.is_empty() && s.start < text.len() { s.start..s.start + 1 } else { s });
    let help = if rest.is_empty() {
        "write each setting as `key = value`, with text in double quotes: `title = \"My guides\"`".to_string()
    } else {
        rest.join("; ")
    };
    Diagnostic::new(Code::Toml, FILE, span, format!("{FILE} is not valid TOML: {first}"))
        .with_label("here")
        .with_help(help)
}

struct Reader<'t> {
    text: &'t str,
    config: Config,
    diags: Vec<Diagnostic>,
    /// The keys given a value, by path.
    set: Vec<&'static str>,
}

/// How a table is named in messages.
fn shown(table: &str) -> String {
    if table.is_empty() { FILE.to_string() } else { format!("[{table}]") }
}

/// A TOML integer that is a count: 1 or more (and small enough to hold).
fn count(i: &toml::de::DeInteger) -> Option<usize> {
    usize::from_str_radix(i.as_str(), i.radix()).ok().filter(|&n| n >= 1)
}

/// What a TOML value is, in editors' words.
fn kind_name(v: &DeValue) -> &'static str {
    match v {
        DeValue::String(_) => "text",
        DeValue::Integer(_) | DeValue::Float(_) => "a number",
        DeValue::Boolean(_) => "true/false",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

impl Reader<'_> {
    fn table(&mut self, table: &DeTable, path: &str) {
        for (k, v) in table {
            let name: &str = k.get_ref();
            let full = if path.is_empty() { name.to_string() } else { format!("{path}.{name}") };
            if full == "languages" {
                // Read after everything else ([`Reader::languages`]); only its type is checked here.
                if !matches!(v.get_ref(), DeValue::Table(_)) {
                    self.wrong_table_type(&full, k.span(), v.get_ref());
                }
            } else if let Some(key) = keys::key(&full) {
                self.value(key, v);
            } else if keys::table(&full).is_some() {
                match v.get_ref() {
                    DeValue::Table(t) => self.table(t, &full),
                    other => self.wrong_table_type(&full, k.span(), other),
                }
            } else {
                self.unknown(name, path, k.span());
            }
        }
    }

    fn value(&mut self, key: &keys::Key, v: &Spanned<DeValue>) {
        let val = match (key.ty, v.get_ref()) {
            (Type::Text, DeValue::String(s)) => Val::Text(s.to_string()),
            (Type::Bool, DeValue::Boolean(b)) => Val::Bool(*b),
            (Type::Count, DeValue::Integer(i)) if count(i).is_some() => Val::Count(count(i).unwrap_or(1)),
            (ty, other) => {
                let (want, write) = match ty {
                    Type::Text => ("text in double quotes", format!("write `{} = {}`", key.name(), key.example)),
                    Type::Bool => ("true or false", format!("write `{0} = true` or `{0} = false`", key.name())),
                    Type::Count => ("a whole number, 1 or more", format!("write `{} = {}`", key.name(), key.example)),
                };
                let found = match (ty, other) {
                    (Type::Count, DeValue::Integer(i)) => format!("`{}`", i.as_str()),
                    (_, other) => kind_name(other).to_string(),
                };
                let msg = format!("`{}` in {FILE} must be {want}; found {found}", key.path);
                self.diags.push(
                    Diagnostic::new(Code::WrongType, FILE, Some(v.span()), msg)
                        .with_label(format!("expected {}", ty.name()))
                        .with_help(write),
                );
                return;
            }
        };
        (key.set)(&mut self.config, val);
        self.set.push(key.path);
    }

    fn wrong_table_type(&mut self, table: &str, span: Range<usize>, found: &DeValue) {
        let msg = format!("`{table}` in {FILE} must be a table; found {}", kind_name(found));
        let first = keys::names_in(table).first().copied().unwrap_or("key");
        self.diags.push(
            Diagnostic::new(Code::WrongType, FILE, Some(span), msg)
                .with_label("expected a table")
                .with_help(format!("write a table: a line `[{table}]`, then its keys below it (`{first} = ...`)")),
        );
    }

    /// An unknown key: the table it belongs in when it is (or is a typo of) a key of another
    /// table, else the closest name in this table, else the names this table has.
    fn unknown(&mut self, name: &str, table: &str, span: Range<usize>) {
        let msg = match table {
            "" => format!("unknown key `{name}` in {FILE}"),
            _ => format!("unknown key `{name}` in the table [{table}] of {FILE}"),
        };
        let allowed = keys::names_in(table);
        let elsewhere =
            |word: &str| keys::KEYS.iter().filter(|k| k.name() == word).map(|k| k.table()).collect::<Vec<_>>();
        let mut homes = elsewhere(name);
        let mut word = name;
        let closest_here = did_you_mean(name, allowed.iter().copied());
        if homes.is_empty()
            && closest_here.is_none()
            && let Some(w) = did_you_mean(name, keys::KEYS.iter().map(|k| k.name()))
        {
            word = w;
            homes = elsewhere(w);
        }
        let help = match (homes.first(), closest_here) {
            (Some(home), _) => {
                let mut help = if word == name { String::new() } else { format!("did you mean `{word}`? ") };
                help.push_str(&self.belongs(word, home, homes.len() > 1));
                // The common cause: a line added at the end of the file joins the last table.
                let opened = self.table_lines().take_while(|(_, at)| *at < span.start).last();
                if let Some(header) = opened.map(|(_, at)| self.line_at(at))
                    && header.trim_matches(['[', ']', ' ']).replace(' ', "") == table
                {
                    help.push_str(&format!("; TOML puts every key after a `{header}` line into that table"));
                }
                help
            }
            (None, Some(s)) => format!("did you mean `{s}`?"),
            (None, None) => format!("the keys of {} are: {}", shown(table), allowed.join(", ")),
        };
        self.diags.push(
            Diagnostic::new(Code::UnknownField, FILE, Some(span), msg)
                .with_label(format!("not a key of {}", shown(table)))
                .with_help(help),
        );
    }

    /// The `[languages.<code>]` tables: each a [`Language`] whose settings start from the top
    /// level's and take the keys its table sets.
    fn languages(&mut self, table: &DeTable) {
        let mut base = self.config.clone();
        base.languages.clear();
        base.language_name = None;
        let mut seen = vec![self.config.language.clone()];
        for (k, v) in table {
            let code: &str = k.get_ref();
            let full = format!("languages.{code}");
            let DeValue::Table(t) = v.get_ref() else {
                self.wrong_table_type(&full, k.span(), v.get_ref());
                continue;
            };
            if !crate::lang::is_valid_code(code) {
                self.diags.push(
                    Diagnostic::new(
                        Code::InvalidValue,
                        FILE,
                        Some(k.span()),
                        format!("`{code}` is not a language tag"),
                    )
                    .with_label("not a language tag")
                    .with_help(
                        "name the table after the language's tag in lower case: `[languages.ru]`, `[languages.pt-br]`",
                    ),
                );
                continue;
            }
            if seen.iter().any(|s| s.eq_ignore_ascii_case(code)) {
                let msg = if self.config.language.eq_ignore_ascii_case(code) {
                    format!("`{code}` is the site's default language (`language = \"{}\"`)", self.config.language)
                } else {
                    format!("the language `{code}` is given twice")
                };
                self.diags.push(
                    Diagnostic::new(Code::InvalidValue, FILE, Some(k.span()), msg)
                        .with_label("given already")
                        .with_help("give each other language one `[languages.<code>]` table; the default language's words are at the top level"),
                );
                continue;
            }
            seen.push(code.to_string());
            let mut sub = Reader { text: self.text, config: base.clone(), diags: Vec::new(), set: Vec::new() };
            sub.config.language = code.to_string();
            let name = sub.language_table(t, &full);
            self.diags.append(&mut sub.diags);
            self.untranslated(&base, &sub.set, code, &full, k.span());
            let Some(name) = name else {
                self.diags.push(
                    Diagnostic::new(Code::MissingField, FILE, Some(k.span()), format!("[{full}] has no `name`"))
                        .with_label("no `name`")
                        .with_help("give the language's own name for the language switcher: `name = \"Русский\"`"),
                );
                continue;
            };
            // The language's pages are published under `<code>/` (canonical links, its 404 page).
            if let Some(base) = sub.config.base_url.take() {
                sub.config.base_url = Some(format!("{}{code}/", crate::web::base_url(&base)));
            }
            self.config.languages.push(super::Language { code: code.to_string(), name, config: Box::new(sub.config) });
        }
    }

    /// Reads the keys of the table `[full]` of one language into this reader; returns its `name`.
    fn language_table(&mut self, t: &DeTable, full: &str) -> Option<String> {
        let mut name = None;
        for (key, value) in t {
            let n: &str = key.get_ref();
            if n == "name" {
                match value.get_ref() {
                    DeValue::String(s) => name = Some(s.to_string()),
                    other => self.diags.push(
                        Diagnostic::new(
                            Code::WrongType,
                            FILE,
                            Some(value.span()),
                            format!(
                                "`{full}.name` in {FILE} must be text in double quotes; found {}",
                                kind_name(other)
                            ),
                        )
                        .with_label("expected text")
                        .with_help("write `name = \"Русский\"`"),
                    ),
                }
            } else if keys::PER_LANGUAGE.contains(&n)
                && let Some(key) = keys::key(n)
            {
                self.value(key, value);
            } else if n == "urgency" {
                match value.get_ref() {
                    DeValue::Table(u) => self.table(u, "urgency"),
                    other => self.wrong_table_type(&format!("{full}.urgency"), key.span(), other),
                }
            } else {
                let help = if keys::key(n).is_some() {
                    format!("`{n}` is the same in every language: set it at the top of the file")
                } else {
                    format!("the keys of [{full}] are: name, {}, and the table urgency", keys::PER_LANGUAGE.join(", "))
                };
                self.diags.push(
                    Diagnostic::new(
                        Code::UnknownField,
                        FILE,
                        Some(key.span()),
                        format!("unknown key `{n}` in the table [{full}] of {FILE}"),
                    )
                    .with_label(format!("not a key of [{full}]"))
                    .with_help(help),
                );
            }
        }
        name
    }

    /// A warning when the table `[full]` (of language `code`, at `span`) leaves out words the top
    /// level gives (`set`: the keys it gives): its pages would show them in another language.
    fn untranslated(
        &mut self,
        base: &super::Config,
        set: &[&'static str],
        code: &str,
        full: &str,
        span: std::ops::Range<usize>,
    ) {
        // Words the language does not give would be the top level's, in another language.
        let untranslated: Vec<&str> = keys::KEYS
            .iter()
            .filter(|k| keys::PER_LANGUAGE.contains(&k.path) || k.path.starts_with("urgency."))
            .filter(|k| (k.get)(base).is_some() && !set.contains(&k.path))
            .map(|k| k.path)
            .collect();
        if let Some(first) = untranslated.first() {
            self.diags.push(
                Diagnostic::new(
                    Code::MissingString,
                    FILE,
                    Some(span.clone()),
                    format!("[{full}] does not give these words in its language: {}", untranslated.join(", ")),
                )
                .with_label("words missing")
                .with_help(format!(
                    "pages in `{code}` would show the top level's words; give each in [{full}] (`{}` in [{full}{}])",
                    first.rsplit('.').next().unwrap_or(first),
                    first.rsplit_once('.').map_or(String::new(), |(t, _)| format!(".{t}"))
                )),
            );
        }
    }

    /// Where the key `name` of the table `home` goes.
    fn belongs(&self, name: &str, home: &str, several: bool) -> String {
        if home.is_empty() {
            let first = self.table_lines().next().map(|(line, _)| format!(" (line {line})")).unwrap_or_default();
            format!("`{name}` belongs at the top of the file, before the first `[table]` line{first}")
        } else if several {
            format!("`{name}` belongs in a table such as `[{home}]`, below its `[{home}]` line")
        } else {
            format!("`{name}` belongs in the table `[{home}]`, below its `[{home}]` line")
        }
    }

    /// The `[table]` lines of the file: their line numbers (from 1) and where they start.
    fn table_lines(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        let mut at = 0;
        self.text.split_inclusive('\n').enumerate().filter_map(move |(i, line)| {
            let start = at;
            at += line.len();
            line.trim_start().starts_with('[').then_some((i + 1, start))
        })
    }

    /// The text of the line that starts at `at`, trimmed.
    fn line_at(&self, at: usize) -> &str {
        let rest = self.text.get(at..).unwrap_or("");
        rest.lines().next().unwrap_or("").trim()
    }
}
