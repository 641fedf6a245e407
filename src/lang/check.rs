//! Checking the other languages: each language's files through the same load, parse and check
//! as the default language's, then against their sources: a translation's id must have a
//! source, a translated guide keeps every warning sign of its source at the same urgency, and a
//! translation says which version of its source it translates ([`super::drift`]).

use std::collections::{BTreeMap, HashMap};

use crate::config::{Config, Language};
use crate::diagnostic::{Code, Diagnostic};
use crate::load::{self, Scope};
use crate::markdown::MdOptions;
use crate::parse::Parsed;
use crate::pipeline::{Cache, Checked};
use crate::schema::{Kind, Matter};
use crate::{Options, Report};

/// What the other languages' check passed, for the model ([`super::attach`]).
pub struct Pending {
    /// Each other language's checked files, in the order of `config.languages`.
    pub checked: Vec<Checked>,
    /// The theme's words of every language, by code.
    pub words: BTreeMap<String, super::strings::Words>,
}

/// Reads the theme's words of every language, then loads and checks every other language of
/// `config` into `report` (its files named in their folders); returns what passed when no
/// language has an error. `default` is what the default language's check passed, if it did.
pub(crate) fn check_languages(
    config: &Config,
    opts: &Options,
    skip_html: bool,
    default: Option<&Checked>,
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
    let sources: HashMap<(Kind, &str), &Parsed> =
        default.map(|d| d.parsed.iter().map(|p| ((p.kind, p.id.as_str()), p)).collect()).unwrap_or_default();
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
        let (r, checked) = crate::pipeline::check_with(loaded, diags, opts, popts, cache.map(|c| &mut c.parse));
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

/// The problems of one language's files against their sources.
fn against_sources(lang: &Language, parsed: &[Parsed], sources: &HashMap<(Kind, &str), &Parsed>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for p in parsed {
        let Some(source) = sources.get(&(p.kind, p.id.as_str())) else {
            out.push(
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
            );
            continue;
        };
        if let (Some(Matter::Guide(g)), Some(Matter::Guide(s))) = (p.matter.as_deref(), source.matter.as_deref()) {
            let span = key_span(&p.source.text, "see_a_doctor");
            if g.see_a_doctor.len() < s.see_a_doctor.len() {
                out.push(
                    Diagnostic::new(
                        Code::RedFlagMismatch,
                        &p.source.path,
                        span.clone(),
                        format!(
                            "this {} ({}) translation has {} warning sign{} where its source `{}` has {}",
                            lang.name,
                            lang.code,
                            g.see_a_doctor.len(),
                            if g.see_a_doctor.len() == 1 { "" } else { "s" },
                            source_path(p),
                            s.see_a_doctor.len()
                        ),
                    )
                    .with_label("signs missing")
                    .with_help(format!(
                        "translate every sign of the source, in its order; the first one missing is: {}",
                        s.see_a_doctor[g.see_a_doctor.len()].sign.value
                    )),
                );
            }
            for (n, (t, f)) in g.see_a_doctor.iter().zip(&s.see_a_doctor).enumerate() {
                // A `shared:` item's tier is its block's, in its own file.
                if t.urgency.value != f.urgency.value && t.shared.is_none() && f.shared.is_none() {
                    out.push(
                        Diagnostic::new(
                            Code::RedFlagMismatch,
                            &p.source.path,
                            Some(t.urgency.span.clone()),
                            format!(
                                "warning sign {} is `{}` here but `{}` in the source `{}`",
                                n + 1,
                                t.urgency.value.as_str(),
                                f.urgency.value.as_str(),
                                source_path(p)
                            ),
                        )
                        .with_label("not the source's urgency")
                        .with_help("keep the signs in the source's order, each with the source's urgency"),
                    );
                }
            }
        }
        // A shared block has no `translated_from` of its own: its changes make the translations
        // of the guides that use it stale ([`super::drift::fields`]).
        if p.kind != Kind::Shared {
            out.extend(stale(lang, p, source, sources));
        }
    }
    out
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
fn stale(lang: &Language, p: &Parsed, source: &Parsed, sources: &HashMap<(Kind, &str), &Parsed>) -> Option<Diagnostic> {
    let shown = super::rename(&lang.code, &p.source.path);
    let now = super::drift::fields(source, |id| sources.get(&(Kind::Shared, id)).copied());
    let help = format!("bring the translation up to date, then run `carebook translate mark {shown}`");
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
            .with_help(format!("once it translates the source as it is now, run `carebook translate mark {shown}`")),
        );
    };
    let changed = super::drift::changed(&mark.value, &now);
    if changed.is_empty() {
        return None;
    }
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
