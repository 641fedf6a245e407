//! The theme's words per language: `strings/<language>.toml` in the theme (built in, or the
//! site's file of the same name over it), one `key = "text"` line per word the templates use
//! (`{{ t.key }}`).
//!
//! The built-in `strings/en.toml` names the keys: every language's file must give every one of
//! them (`missing-string`) and no other (`unknown-field`), so that no page is left half in
//! another language. Every language of the site needs its file; the default language alone
//! falls back to `en.toml` (a site in one language need not translate the theme).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use toml::de::{DeTable, DeValue};

use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::source::SourceFile;
use crate::theme;

/// The words of one language, by key.
pub(crate) type Words = Arc<BTreeMap<String, String>>;

/// A words file read: each key's text and the span of the key.
type Read = BTreeMap<String, (String, std::ops::Range<usize>)>;

/// What [`load`] gives: the words by language, their files, their problems.
type Loaded = (BTreeMap<String, Words>, Vec<SourceFile>, Vec<Diagnostic>);

/// The file every language's words are checked against.
pub(crate) const REFERENCE: &str = "strings/en.toml";

/// The words of every language of the site (by code), the files they come from, and their
/// problems.
pub(crate) fn load(root: &Path, config: &Config) -> anyhow::Result<Loaded> {
    let files = theme::files(root, &config.theme)?;
    let text_of = |rel: &str| {
        files.iter().find(|f| f.rel == rel).map(|f| (f.shown.clone(), String::from_utf8_lossy(&f.bytes).into_owned()))
    };
    let reference: Vec<String> = theme::builtin()
        .iter()
        .find(|(rel, _)| *rel == REFERENCE)
        .map(|(_, bytes)| read(&String::from_utf8_lossy(bytes)).0.into_keys().collect())
        .unwrap_or_default();
    let mut words = BTreeMap::new();
    let mut sources = Vec::new();
    let mut diags = Vec::new();
    let codes = std::iter::once((config.language.as_str(), true))
        .chain(config.languages.iter().map(|l| (l.code.as_str(), false)));
    for (code, default) in codes {
        let rel = format!("strings/{code}.toml");
        let found = text_of(&rel).or_else(|| if default { text_of(REFERENCE) } else { None });
        let Some((shown, text)) = found else {
            let path = format!("themes/{}/{rel}", config.theme);
            diags.push(
                Diagnostic::new(Code::MissingString, &path, None, format!("the theme has no words for the language `{code}`: no `{rel}`"))
                    .with_help(format!(
                        "write `{path}` with every key of the built-in {REFERENCE} in that language (`carebook theme copy {REFERENCE}` copies it to start from)"
                    )),
            );
            continue;
        };
        let (map, mut problems) = read(&text);
        problems.iter_mut().for_each(|d| d.file.clone_from(&shown));
        diags.append(&mut problems);
        check_keys(&shown, &text, &map, &reference, &mut diags);
        words.insert(code.to_string(), Arc::new(map.into_iter().map(|(k, (v, _))| (k, v)).collect()));
        sources.push(SourceFile { path: shown, text: text.as_str().into() });
    }
    Ok((words, sources, diags))
}

/// Every key of the reference present, and no other.
fn check_keys(shown: &str, text: &str, map: &Read, reference: &[String], diags: &mut Vec<Diagnostic>) {
    let missing: Vec<&str> = reference.iter().filter(|k| !map.contains_key(*k)).map(String::as_str).collect();
    if !missing.is_empty() {
        let end = text.trim_end().len();
        diags.push(
            Diagnostic::new(
                Code::MissingString,
                shown,
                Some(end..end.max(1).min(text.len().max(1))),
                format!(
                    "{} word{} of the theme {} missing: {}",
                    missing.len(),
                    if missing.len() == 1 { "" } else { "s" },
                    if missing.len() == 1 { "is" } else { "are" },
                    missing.join(", ")
                ),
            )
            .with_label("add them")
            .with_help(format!(
                "add `{} = \"…\"` in this file's language; {REFERENCE} has every key in English",
                missing[0]
            )),
        );
    }
    for (k, (_, span)) in map {
        if !reference.iter().any(|r| r == k) {
            let help = match did_you_mean(k, reference.iter().map(String::as_str)) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("the keys are those of the built-in {REFERENCE}; remove this one"),
            };
            diags.push(
                Diagnostic::new(
                    Code::UnknownField,
                    shown,
                    Some(span.clone()),
                    format!("unknown word `{k}`: the theme has no such key"),
                )
                .with_label("not a key of the theme's words")
                .with_help(help),
            );
        }
    }
}

/// The `key = "text"` pairs of a words file, with the span of each key, and its problems (file
/// names are filled in by the caller).
fn read(text: &str) -> (Read, Vec<Diagnostic>) {
    let (doc, errors) = DeTable::parse_recoverable(text);
    let mut diags: Vec<Diagnostic> = errors
        .iter()
        .map(|e| {
            Diagnostic::new(
                Code::Toml,
                "",
                e.span(),
                format!("not valid TOML: {}", e.message().lines().next().unwrap_or("syntax error")),
            )
            .with_help("write each word as `key = \"text\"`")
        })
        .collect();
    let mut out = BTreeMap::new();
    for (k, v) in doc.get_ref() {
        match v.get_ref() {
            DeValue::String(s) => {
                out.insert(k.get_ref().to_string(), (s.to_string(), k.span()));
            }
            _ => diags.push(
                Diagnostic::new(
                    Code::WrongType,
                    "",
                    Some(v.span()),
                    format!("the word `{}` must be text in double quotes", k.get_ref()),
                )
                .with_label("expected text")
                .with_help(format!("write `{} = \"…\"`", k.get_ref())),
            ),
        }
    }
    (out, diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The words Markdown writes are keys of the reference, whose text is their English.
    #[test]
    fn markdown_words_are_keys_of_the_reference() {
        let en = theme::builtin()
            .iter()
            .find(|(rel, _)| *rel == REFERENCE)
            .map(|(_, b)| read(&String::from_utf8_lossy(b)).0);
        let en = en.unwrap_or_default();
        for w in crate::markdown::Word::ALL {
            assert_eq!(en.get(w.key()).map(|(text, _)| text.as_str()), Some(w.english()), "{}", w.key());
        }
    }

    /// Every built-in words file has exactly the reference's keys.
    #[test]
    fn builtin_languages_have_every_word() {
        let reference: Vec<String> = theme::builtin()
            .iter()
            .find(|(rel, _)| *rel == REFERENCE)
            .map(|(_, b)| read(&String::from_utf8_lossy(b)).0.into_keys().collect())
            .unwrap_or_default();
        assert!(reference.len() > 50);
        for (rel, bytes) in theme::builtin().iter().filter(|(r, _)| r.starts_with("strings/")) {
            let text = String::from_utf8_lossy(bytes);
            let (map, problems) = read(&text);
            assert!(problems.is_empty(), "{rel}");
            let mut diags = Vec::new();
            check_keys(rel, &text, &map, &reference, &mut diags);
            assert!(diags.is_empty(), "{rel}: {diags:?}");
        }
    }
}
