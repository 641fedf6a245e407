//! Checking the other languages: each language's files through the same load, parse and check
//! as the default language's, then against their sources: a translation's id must have a
//! source, a translated guide keeps every warning sign of its source at the same urgency, and a
//! translation says which version of its source it translates ([`super::drift`]).

use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};

use crate::config::{Config, Language};
use crate::diagnostic::{Code, Diagnostic};
use crate::load::{self, Scope};
use crate::markdown::MdOptions;
use crate::parse::Parsed;
use crate::pipeline::{Cache, Checked};
use crate::schema::{Kind, Matter, RedFlag};
use crate::{Options, Report};

/// The translatable fields of each of the default language's files with their hashes
/// ([`super::drift::fields`]), in file order (none for a shared block), found while the texts are
/// there: a build lets go of them before the other languages are read.
pub(crate) fn source_fields(parsed: &[Parsed]) -> Vec<Fields> {
    let shared: HashMap<&str, &Parsed> =
        parsed.iter().filter(|p| p.kind == Kind::Shared).map(|p| (p.id.as_str(), p)).collect();
    parsed
        .par_iter()
        .map(|p| match p.kind {
            Kind::Shared => Vec::new(),
            _ => super::drift::fields(p, |id| shared.get(id).copied()),
        })
        .collect()
}

/// A file's translatable fields with their hashes ([`super::drift::fields`]).
pub(crate) type Fields = Vec<(&'static str, String)>;

/// A source file: what was parsed, and its fields' hashes ([`source_fields`]).
type Source<'a> = (&'a Parsed, &'a [(&'static str, String)]);

/// What the other languages' check passed, for the model ([`super::attach`]).
pub(crate) struct Pending {
    /// Each other language's checked files, in the order of `config.languages`.
    pub(crate) checked: Vec<Checked>,
    /// The theme's words of every language, by code.
    pub(crate) words: BTreeMap<String, super::strings::Words>,
}

/// Reads the theme's words of every language, then loads and checks every other language of
/// `config` into `report` (its files named in their folders); returns what passed when no
/// language has an error. `default` is what the default language's check passed, if it did,
/// with its [`source_fields`].
pub(crate) fn check_languages(
    config: &Config,
    opts: &Options,
    skip_html: bool,
    default: Option<(&Checked, &[Fields])>,
    report: &mut Report,
    mut caches: Option<&mut BTreeMap<String, Cache>>,
) -> anyhow::Result<Option<Pending>> {
    // A theme that cannot be read is reported when the theme is loaded.
    let words = match super::strings::load(&opts.root, config) {
        Ok((words, sources, diags)) => {
            report.add_sources(sources.iter());
            report.extend(diags);
            words
        }
        Err(_) => BTreeMap::new(),
    };
    let sources: HashMap<(Kind, &str), Source<'_>> = default
        .map(|(d, fields)| {
            d.parsed.iter().zip(fields).map(|(p, f)| ((p.kind, p.id.as_str()), (p, f.as_slice()))).collect()
        })
        .unwrap_or_default();
    let mut all = Vec::new();
    let mut ok = true;
    for lang in &config.languages {
        let scope = Scope { lang: Some(lang.code.clone()), skip: Vec::new() };
        let mut diags = Vec::new();
        let mut cache = caches.as_deref_mut().map(|c| c.entry(lang.code.clone()).or_default());
        let loaded = load::load_scope(&opts.root, &mut diags, cache.as_deref_mut().map(|c| &mut c.load), &scope)?;
        let md = MdOptions { allow_raw_html: lang.config.allow_raw_html, skip_html };
        let policy = crate::trust::Policy {
            require_citations: lang.config.require_citations,
            clinically_reviewed: lang.config.clinically_reviewed,
        };
        let popts = crate::parse::Options { md, today: opts.today, release_texts: false, policy };
        let (r, checked) =
            crate::pipeline::check_with(loaded, diags, opts, popts, cache.map(|c| (&mut c.parse, &mut c.check)), None);
        ok &= !r.has_errors();
        let folder = format!("content/{}/", lang.code);
        report.absorb(r, |p| super::rename(&lang.code, p), |t| t.replace("content/", &folder));
        if let Some(c) = &checked
            && default.is_some()
        {
            let mut d = against_sources(lang, &c.parsed, &sources);
            d.iter_mut().for_each(|d| d.file = super::rename(&lang.code, &d.file));
            ok &= !d.iter().any(|d| d.severity == crate::Severity::Error);
            report.extend(d);
        }
        all.extend(checked);
    }
    Ok(ok.then_some(Pending { checked: all, words }))
}

/// The problems of one language's files against their sources, in file order. The files are
/// checked in parallel: each hashes its source's every field ([`super::drift`]), once per
/// translated file, which a site in one language never does.
fn against_sources(lang: &Language, parsed: &[Parsed], sources: &HashMap<(Kind, &str), Source<'_>>) -> Vec<Diagnostic> {
    parsed.par_iter().flat_map_iter(|p| against_source(lang, p, sources)).collect()
}

/// The problems of one file `p` of a language against its source.
fn against_source(lang: &Language, p: &Parsed, sources: &HashMap<(Kind, &str), Source<'_>>) -> Vec<Diagnostic> {
    let Some(&(source, fields)) = sources.get(&(p.kind, p.id.as_str())) else {
        return vec![
            Diagnostic::new(
                Code::UnknownSource,
                &p.source.path,
                None,
                format!("`{}` has no source: this {} ({}) translation needs `{}`", p.id, lang.name, lang.code, source_path(p)),
            )
            .with_help(format!(
                "a translation has the id of its source: name the file after a file of content/{}/, or add the source first",
                p.kind.folder()
            )),
        ];
    };
    let mut out = Vec::new();
    if let (Some(Matter::Guide(g)), Some(Matter::Guide(s))) = (p.matter.as_deref(), source.matter.as_deref()) {
        out.extend(signs_against_source(lang, p, &g.see_a_doctor, &s.see_a_doctor));
    }
    // A shared block has no `translated_from` of its own: its changes make the translations
    // of the guides that use it stale ([`super::drift::fields`]).
    if p.kind != Kind::Shared {
        out.extend(stale(lang, p, fields));
    }
    out
}

/// The problems of a translated guide's warning signs `t` against its source's `f`, position by
/// position: fewer or more signs, another urgency, another symptom, another shared block.
fn signs_against_source(lang: &Language, p: &Parsed, t: &[RedFlag], f: &[RedFlag]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let path = &p.source.path;
    let source = source_path(p);
    // Found only for a problem to show: it reads the whole text.
    let span = || key_span(&p.source.text, "see_a_doctor");
    out.extend(count_mismatch(lang, p, t, f));
    for (n, (t, f)) in t.iter().zip(f).enumerate() {
        let n = n + 1;
        let use_block = |b: &str| {
            format!(
                "write `- shared: {b}` here, as the source does: the block's translation is content/{}/shared/{b}.md",
                lang.code
            )
        };
        let (message, at, label, help) = match (block(t), block(f)) {
            (Some(a), Some(b)) if a == b => continue,
            (Some(a), Some(b)) => (
                format!("warning sign {n} is the shared block `{a}` here but `{b}` in the source `{source}`"),
                t.shared.as_ref().map(|s| s.span.clone()),
                "not the source's block",
                use_block(b),
            ),
            (None, Some(b)) => (
                format!("warning sign {n} is written out here but is the shared block `{b}` in the source `{source}`"),
                Some(t.sign.span.clone()),
                "written out",
                use_block(b),
            ),
            (Some(a), None) => (
                format!("warning sign {n} is the shared block `{a}` here but written out in the source `{source}`"),
                t.shared.as_ref().map(|s| s.span.clone()),
                "not in the source",
                "translate the source's sign here, written out as the source writes it".to_string(),
            ),
            (None, None) => {
                if symptom(t) != symptom(f) {
                    let name =
                        |s: Option<&str>| s.map_or_else(|| "no symptom".to_string(), |s| format!("symptom `{s}`"));
                    let help = symptom(f).map_or_else(
                        || "remove its `symptom:`, as the source has none".to_string(),
                        |s| format!("link it as the source does: `symptom: {s}`"),
                    );
                    out.push(mismatch(
                        path,
                        Some(t.symptom.as_ref().map_or(&t.sign.span, |s| &s.span).clone()),
                        format!(
                            "warning sign {n} links {} here but {} in the source `{source}`",
                            name(symptom(t)),
                            name(symptom(f))
                        ),
                        "not the source's symptom",
                        help,
                    ));
                }
                // A `shared:` item's tier is its block's, in its own file.
                if t.urgency.value != f.urgency.value {
                    out.push(mismatch(
                        path,
                        Some(t.urgency.span.clone()),
                        format!(
                            "warning sign {n} is `{}` here but `{}` in the source `{source}`",
                            t.urgency.value.as_str(),
                            f.urgency.value.as_str()
                        ),
                        "not the source's urgency",
                        "keep the signs in the source's order, each with the source's urgency".to_string(),
                    ));
                }
                continue;
            }
        };
        out.push(mismatch(path, at.or_else(span), message, label, help));
    }
    out
}

/// A `red-flag-mismatch` when a translated guide has fewer or more warning signs than its source.
fn count_mismatch(lang: &Language, p: &Parsed, t: &[RedFlag], f: &[RedFlag]) -> Option<Diagnostic> {
    if t.len() == f.len() {
        return None;
    }
    let (label, help) = if t.len() < f.len() {
        let first = &f[t.len()];
        let missing = first
            .shared
            .as_ref()
            .map_or_else(|| first.sign.value.clone(), |b| format!("the shared block `{}`", b.value));
        (
            "signs missing",
            format!("translate every sign of the source, in its order; the first one missing is: {missing}"),
        )
    } else {
        ("signs the source does not have", "add a sign to the source first, then translate it here".to_string())
    };
    let n = |k: usize| format!("{k} warning sign{}", if k == 1 { "" } else { "s" });
    let message = format!(
        "this {} ({}) translation has {} where its source `{}` has {}",
        lang.name,
        lang.code,
        n(t.len()),
        source_path(p),
        f.len()
    );
    let span = key_span(&p.source.text, "see_a_doctor");
    Some(Diagnostic::new(Code::RedFlagMismatch, &p.source.path, span, message).with_label(label).with_help(help))
}

/// The shared block a warning sign is, if it is one.
fn block(r: &RedFlag) -> Option<&str> {
    r.shared.as_ref().map(|b| b.value.as_str())
}

/// The symptom a written-out warning sign links, if any.
fn symptom(r: &RedFlag) -> Option<&str> {
    r.symptom.as_ref().map(|s| s.value.as_str())
}

/// A `red-flag-mismatch` at one warning sign.
fn mismatch(
    path: &str,
    span: Option<std::ops::Range<usize>>,
    message: String,
    label: &str,
    help: String,
) -> Diagnostic {
    Diagnostic::new(Code::RedFlagMismatch, path, span, message).with_label(label).with_help(help)
}

/// The `translated_from` of a translation, with its span.
pub(crate) fn mark_of(p: &Parsed) -> Option<&crate::schema::Spanned<String>> {
    match p.matter.as_deref()? {
        Matter::Guide(g) => g.translated_from.as_ref(),
        Matter::Term(t) => t.translated_from.as_ref(),
        Matter::Page(pm) => pm.translated_from.as_ref(),
        // Tracked through the guides that use them.
        Matter::Shared(_) => None,
    }
}

/// A warning when `p`'s source changed since it was marked, or it was never marked.
fn stale(lang: &Language, p: &Parsed, now: &[(&'static str, String)]) -> Option<Diagnostic> {
    let shown = || super::rename(&lang.code, &p.source.path);
    let Some(mark) = mark_of(p) else {
        return Some(
            Diagnostic::new(
                Code::StaleTranslation,
                &p.source.path,
                None,
                format!(
                    "this {} ({}) translation does not say which version of `{}` it translates",
                    lang.name,
                    lang.code,
                    source_path(p)
                ),
            )
            .with_help(format!(
                "once it translates the source as it is now, run `carebook translate mark {}`",
                shown()
            )),
        );
    };
    let changed = super::drift::changed(&mark.value, now);
    if changed.is_empty() {
        return None;
    }
    let help = format!("bring the translation up to date, then run `carebook translate mark {}`", shown());
    let fields = changed.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ");
    Some(
        Diagnostic::new(
            Code::StaleTranslation,
            &p.source.path,
            Some(mark.span.clone()),
            format!(
                "`{}` changed since this {} ({}) translation was marked: {fields}",
                source_path(p),
                lang.name,
                lang.code
            ),
        )
        .with_label("translated from an older version")
        .with_help(help),
    )
}

/// The default language's file that `p` translates.
fn source_path(p: &Parsed) -> String {
    format!("content/{}/{}.md", p.kind.folder(), p.id)
}

/// The span of the top-level key `key` in the front matter of `text`.
fn key_span(text: &str, key: &str) -> Option<std::ops::Range<usize>> {
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if line.starts_with(key) && line[key.len()..].trim_start().starts_with(':') {
            return Some(at..at + key.len());
        }
        at += line.len();
    }
    None
}
