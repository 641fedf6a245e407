//! Languages: a site in several languages is one site per language, each built by the same
//! pipeline, then linked to each other.
//!
//! The default language's content is `content/`, another language's is `content/<code>/` with
//! the same folders (`content/ru/guides/mastitis.md`). A translation is found by its id: the
//! same file name in the same folder. A folder per language (not a `.ru.md` suffix) keeps each
//! language's links as they are in the source (`../symptoms/fever.md`), lets a translator copy a
//! file and keep its links, and lets a language's part be handed over as one folder. Its pages go
//! to `public/<code>/`, a whole site of its own (theme files included), so that it works opened
//! from disk as the default one does.
//!
//! Each language's files are loaded as if their folder were `content/` ([`load::Scope`]), so
//! parse, check, model and render stay as they are; its diagnostics are then named back into its
//! folder ([`rename`]), so every problem names the language's file.

pub(crate) mod check;
pub(crate) mod drift;
pub(crate) mod strings;
pub(crate) mod translate;

use rustc_hash::FxHashSet;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use crate::markdown::Word;
use crate::model::Site;
use crate::output::{Pieces, Reused, Sink};
use crate::render::RenderError;
use crate::templates::Theme;

/// Whether `code` can name a language (and its folders): a lower-case language tag, two or
/// three letters with optional `-` parts (`ru`, `pt-br`).
pub fn is_valid_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

/// The path of a file of language `lang` as written on disk: `content/guides/x.md` →
/// `content/ru/guides/x.md`; other paths stay.
pub(crate) fn rename(lang: &str, path: &str) -> String {
    match path.strip_prefix("content/") {
        Some(rest) => format!("content/{lang}/{rest}"),
        None => path.to_string(),
    }
}

/// What a site knows of its languages: its translations (other languages' sites, on the
/// default one) and its place among them.
#[derive(Default)]
pub struct SiteLang {
    /// The other languages' sites (on the default language's site only).
    pub translations: Vec<Site>,
    /// This site's language among all of them.
    pub(crate) edition: Edition,
}

/// One language's site among the site's languages.
#[derive(Default, Clone)]
pub(crate) struct Edition {
    /// Every language, this one included, in the order of `carebook.toml` (default first).
    pub(crate) languages: Vec<Other>,
    /// The theme's words in this language (`strings/<code>.toml`).
    pub(crate) strings: Arc<BTreeMap<String, String>>,
    /// The month names of `strings`' `date_months`, split once per language rather than for
    /// every date a page shows ([`date_text`]).
    pub(crate) months: OnceLock<Vec<String>>,
}

/// A language as seen from one language's site.
#[derive(Clone)]
pub(crate) struct Other {
    /// Its tag.
    pub(crate) code: String,
    /// Its own name.
    pub(crate) name: String,
    /// The way from this site's top folder to that language's (`ru/`, `../`, `""` for itself).
    pub(crate) prefix: String,
    /// Whether it is this site's language.
    pub(crate) current: bool,
    /// Its content pages' output paths (`guides/mastitis.html`): looked up for every page of
    /// every language ([`Edition::page`]), by a hash cheaper than the default one.
    pub(crate) paths: Arc<FxHashSet<String>>,
}

/// Pages every language has.
const GENERATED: &[&str] = &[
    "index.html",
    "guides/index.html",
    "symptoms/index.html",
    "causes/index.html",
    "when-to-see-a-doctor.html",
    "print.html",
    "404.html",
];

/// One language as a page shows it: in the switcher and as a `hreflang` alternate.
#[derive(Serialize)]
pub(crate) struct PageAlt<'a> {
    /// Its tag.
    pub(crate) code: &'a str,
    /// Its own name.
    pub(crate) name: &'a str,
    /// Whether it is the page's own language.
    pub(crate) current: bool,
    /// Whether the page exists in it.
    pub(crate) translated: bool,
    /// The page in that language, or that language's home page when it has no translation;
    /// relative to the page's `root`.
    pub(crate) href: String,
}

impl Edition {
    /// A word the Markdown engine writes (an alert's title) in this language: from the words
    /// file (checked to have every key), or in English when it has not.
    pub(crate) fn word(&self, w: Word) -> &str {
        self.strings.get(w.key()).map_or(w.english(), String::as_str)
    }

    /// The languages as the page at `path` shows them; empty for a site in one language.
    pub(crate) fn page(&self, path: &str) -> Vec<PageAlt<'_>> {
        if self.languages.len() < 2 {
            return Vec::new();
        }
        let generated = GENERATED.contains(&path);
        self.languages
            .iter()
            .map(|l| {
                let translated = path != "404.html" && (generated || l.paths.contains(path));
                let target = if translated { path } else { "index.html" };
                PageAlt {
                    code: &l.code,
                    name: &l.name,
                    current: l.current,
                    translated,
                    href: [&l.prefix, target].concat(),
                }
            })
            .collect()
    }
}

/// The language a problem's `file` belongs to, as its name and code ("Русский (ru)"), among the
/// site's other `languages` (code, name): its content folder or its theme words.
pub(crate) fn label_of(languages: &[(String, String)], file: &str) -> Option<String> {
    languages
        .iter()
        .find(|(code, _)| {
            file.strip_prefix("content/").is_some_and(|r| r.starts_with(&format!("{code}/")))
                || file.ends_with(&format!("/strings/{code}.toml"))
        })
        .map(|(code, name)| format!("{name} ({code})"))
}

/// One line per other language with problems: its label and its files with problems, in order
/// ("Русский (ru): content/ru/guides/mastitis.md").
pub(crate) fn problems_by_language<'a>(
    languages: &[(String, String)],
    files: impl Iterator<Item = &'a str>,
) -> Vec<String> {
    let mut by: Vec<(String, Vec<&str>)> = Vec::new();
    for file in files {
        let Some(label) = label_of(languages, file) else { continue };
        match by.iter_mut().find(|(l, _)| *l == label) {
            Some((_, list)) if !list.contains(&file) => list.push(file),
            Some(_) => {}
            None => by.push((label, vec![file])),
        }
    }
    by.into_iter().map(|(label, files)| format!("{label}: {}", files.join(", "))).collect()
}

/// The pages every language has (the 404 page excepted: it is no page to find).
pub(crate) fn generated_pages() -> impl Iterator<Item = &'static str> {
    GENERATED.iter().copied().filter(|p| *p != "404.html")
}

/// The languages the page at `path` (of the default language's site, given its `edition`)
/// exists in, default first: each code with its prefix from the top folder (`""`, `ru/`).
pub(crate) fn alternates<'e>(edition: &'e Edition, path: &'e str) -> impl Iterator<Item = (&'e str, &'e str)> {
    let generated = GENERATED.contains(&path);
    edition
        .languages
        .iter()
        .filter(move |l| l.current || generated || l.paths.contains(path))
        .map(|l| (l.code.as_str(), l.prefix.as_str()))
}

/// The output paths of a site's content pages.
fn out_paths(site: &Site) -> FxHashSet<String> {
    site.listed_paths().map(str::to_string).collect()
}

pub(crate) use check::Pending;

/// Builds the other languages' sites from what their check passed, and links them all.
pub(crate) fn attach(site: &mut Site, pending: Pending, drafts: bool) {
    let Pending { checked, words } = pending;
    let languages = site.config.languages.clone();
    site.lang.translations =
        checked.into_iter().zip(&languages).map(|(c, l)| crate::model::build((*l.config).clone(), c, drafts)).collect();
    link(site, &words);
}

/// Tells the default site and its translations about each other, and gives each its words.
pub(crate) fn link(site: &mut Site, strings: &BTreeMap<String, Arc<BTreeMap<String, String>>>) {
    let default_code = site.config.language.clone();
    // A site in one language never asks which pages it has (see [`Edition::page`]).
    let paths =
        |s: &Site| Arc::new(if site.lang.translations.is_empty() { FxHashSet::default() } else { out_paths(s) });
    let mut langs = vec![(default_code.clone(), site.config.language_name().to_string(), paths(site))];
    for (t, l) in site.lang.translations.iter().zip(&site.config.languages) {
        langs.push((l.code.clone(), l.name.clone(), paths(t)));
    }
    let edition = |me: usize| Edition {
        languages: langs
            .iter()
            .enumerate()
            .map(|(i, (code, name, paths))| {
                let prefix = if i == me {
                    String::new()
                } else if me == 0 {
                    format!("{code}/")
                } else if i == 0 {
                    "../".to_string()
                } else {
                    format!("../{code}/")
                };
                Other { code: code.clone(), name: name.clone(), prefix, current: i == me, paths: paths.clone() }
            })
            .collect(),
        strings: strings.get(&langs[me].0).cloned().unwrap_or_default(),
        months: OnceLock::new(),
    };
    site.lang.edition = edition(0);
    for (n, t) in site.lang.translations.iter_mut().enumerate() {
        t.lang.edition = edition(n + 1);
    }
}

/// A sink that puts every file under `prefix` (`ru/`) of another.
struct Prefixed<'s> {
    sink: &'s dyn Sink,
    prefix: String,
}

impl Sink for Prefixed<'_> {
    fn put(&self, path: String, bytes: Vec<u8>) -> anyhow::Result<()> {
        self.sink.put([&self.prefix, path.as_str()].concat(), bytes)
    }

    fn create<'s>(&'s self, path: &str) -> anyhow::Result<Box<dyn Pieces + 's>> {
        self.sink.create(&[&self.prefix, path].concat())
    }

    fn reuse(&self, unit: &str, inputs: u64) -> anyhow::Result<Option<Reused>> {
        let reused = self.sink.reuse(&[&self.prefix, unit].concat(), inputs)?;
        let inside = |(p, h, n): (String, u64, u64)| p.strip_prefix(&self.prefix).map(|p| (p.to_string(), h, n));
        Ok(reused.map(|files| files.into_iter().filter_map(inside).collect()))
    }

    fn remembers(&self) -> bool {
        self.sink.remembers()
    }

    fn record(&self, path: &str, hash: u64) {
        self.sink.record(&[&self.prefix, path].concat(), hash);
    }

    // Keys fingerprint what a value is made from (a language's included): no prefix needed.
    fn recall(&self, key: u64) -> Option<Vec<u8>> {
        self.sink.recall(key)
    }

    fn keep(&self, key: u64, value: &[u8]) {
        self.sink.keep(key, value);
    }
}

/// Renders the site and each translation (into `<code>/`), and returns the number of HTML pages.
///
/// # Errors
///
/// As [`crate::render::render`].
pub fn render(site: &Site, theme: &Theme, sink: &dyn Sink) -> Result<usize, RenderError> {
    let mut pages = crate::render::render(site, theme, sink)?;
    for (t, l) in site.lang.translations.iter().zip(&site.config.languages) {
        let prefixed = Prefixed { sink, prefix: format!("{}/", l.code) };
        pages += crate::render::render(t, theme, &prefixed)?;
    }
    Ok(pages)
}

/// [`crate::render::render_path`] of the site with its translations: `ru/…` is a page of `ru`.
pub fn render_path(site: &Site, theme: &Theme, path: &str) -> Option<Result<Vec<u8>, RenderError>> {
    render_since(site, theme, path, None).map(|made| made.map(crate::render::Made::into_bytes))
}

/// [`crate::render::render_since`] of the site with its translations.
pub(crate) fn render_since(
    site: &Site,
    theme: &Theme,
    path: &str,
    previous: Option<u64>,
) -> Option<Result<crate::render::Made, RenderError>> {
    for (t, l) in site.lang.translations.iter().zip(&site.config.languages) {
        if let Some(rest) = path.strip_prefix(&l.code).and_then(|r| r.strip_prefix('/')) {
            return crate::render::render_since(t, theme, rest, previous);
        }
    }
    crate::render::render_since(site, theme, path, previous)
}

/// The theme's word `key` in the site's language (for the titles of generated pages), or `default`.
pub(crate) fn word<'a>(site: &'a Site, key: &str, default: &'a str) -> &'a str {
    site.lang.edition.strings.get(key).map_or(default, String::as_str)
}

/// English month names, for sites whose strings give none.
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A date in the site's language: the strings' `date_format` (`{day} {month} {year}`) with
/// `date_months` (twelve names separated by spaces, as they are written after a day number);
/// "1 November 2026" when the strings give none.
pub(crate) fn date_text(site: &Site, d: jiff::civil::Date) -> String {
    let edition = &site.lang.edition;
    let strings = &edition.strings;
    let month_index = usize::try_from(d.month()).unwrap_or(1).saturating_sub(1) % 12;
    let months = edition.months.get_or_init(|| {
        strings.get("date_months").map(|m| m.split_whitespace().map(str::to_string).collect()).unwrap_or_default()
    });
    let month = months.get(month_index).map_or(MONTHS_EN[month_index], String::as_str);
    let format = strings.get("date_format").map_or("{day} {month} {year}", String::as_str);
    fill_date(format, d.day(), month, d.year())
}

/// `format` with `{day}`, `{month}` and `{year}` filled in: what replacing them in that order
/// gives, in one pass. A month name can make a `{year}` with the text around it (`{{month}r}`
/// and «yea»): then they are replaced in order, as before.
fn fill_date(format: &str, day: i8, month: &str, year: i16) -> String {
    let in_order =
        || format.replace("{day}", &day.to_string()).replace("{month}", month).replace("{year}", &year.to_string());
    if month.contains(['{', '}']) {
        return in_order();
    }
    let mut out = String::with_capacity(format.len() + month.len());
    let mut rest = format;
    while let Some(at) = rest.find('{') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let (fill, len) = if tail.starts_with("{day}") {
            (Some(day.to_string()), 5)
        } else if tail.starts_with("{month}") {
            (Some(month.to_string()), 7)
        } else if tail.starts_with("{year}") {
            (Some(year.to_string()), 6)
        } else {
            (None, 1)
        };
        out.push_str(fill.as_deref().unwrap_or("{"));
        rest = &tail[len..];
    }
    out.push_str(rest);
    if out.contains("{year}") { in_order() } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        for ok in ["ru", "en", "pt-br", "uk", "sr-latn", "fil"] {
            assert!(is_valid_code(ok), "{ok}");
        }
        for bad in ["", "r", "RU", "russian", "ru_", "ru-", "../x", "guides", "ru/x"] {
            assert!(!is_valid_code(bad), "{bad}");
        }
    }

    #[test]
    fn problems_are_named_by_language() {
        let langs = vec![("ru".to_string(), "Русский".to_string())];
        assert_eq!(label_of(&langs, "content/ru/guides/a.md").as_deref(), Some("Русский (ru)"));
        assert_eq!(label_of(&langs, "themes/default/strings/ru.toml").as_deref(), Some("Русский (ru)"));
        assert_eq!(label_of(&langs, "content/guides/ru.md"), None);
        assert_eq!(label_of(&langs, "content/rue/a.md"), None);
        let files = ["content/ru/a.md", "content/b.md", "content/ru/c.md", "content/ru/a.md"];
        assert_eq!(problems_by_language(&langs, files.into_iter()), ["Русский (ru): content/ru/a.md, content/ru/c.md"]);
    }

    /// One pass fills a date format as replacing each field in turn does.
    #[test]
    fn dates_fill_as_replacing_in_turn() {
        let formats = [
            "{day} {month} {year}",
            "{day} {month} {year} г.",
            "{month} {day}, {year}",
            "{{day}}",
            "{mon{day}th}",
            "{",
            "{year{year}",
            "",
            "x",
            "{{month}r}",
            "{{month}}",
        ];
        for format in formats {
            for month in ["января", "May", "{year}", "{", "yea", "year", "}"] {
                let plain = format.replace("{day}", "7").replace("{month}", month).replace("{year}", "2026");
                assert_eq!(fill_date(format, 7, month, 2026), plain, "{format} {month}");
            }
        }
    }

    #[test]
    fn renames_content_paths_only() {
        assert_eq!(rename("ru", "content/guides/a.md"), "content/ru/guides/a.md");
        assert_eq!(rename("ru", "carebook.toml"), "carebook.toml");
    }
}
