//! Checks that make content traceable and honest, one file at a time: every `cite` names a
//! source of its guide, no text `carebook new` wrote to be replaced is left, and — on a site that
//! asks for them — warning signs cite and guides name their clinical reviewer.

use std::collections::BTreeMap;

use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::schema::{self, Field, GuideMatter, Kind, Matter, New, RedFlag, Spanned, Type};

/// What `carebook.toml` asks of the content ([`crate::config::Config`]'s `require_citations` and
/// `clinically_reviewed`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    /// A warning sign without `cite` is an error (`uncited`).
    pub(crate) require_citations: bool,
    /// A guide without `reviewed_by` is an error (`unreviewed`).
    pub(crate) clinically_reviewed: bool,
}

/// Sentences of the bodies `carebook new` writes ([`crate::scaffold::template`]); a body that
/// still holds one is a `placeholder`.
pub const BODY_PLACEHOLDERS: &[&str] = &[
    "Write the guide here in Markdown.",
    "Explain what is going on, in plain words.",
    "Describe the symptom here in Markdown:",
    "Explain the cause here in Markdown:",
    "Write the page here in Markdown.",
    "A note for editors (never published): which guides use this block, and why.",
];

/// A searcher for each of [`BODY_PLACEHOLDERS`], made once: `str::find` sets up its searcher on
/// each call and reads byte by byte, which took 18 % of `check`'s instructions at 1,000 guides.
fn body_finders() -> &'static [memchr::memmem::Finder<'static>] {
    static FINDERS: std::sync::OnceLock<Vec<memchr::memmem::Finder<'static>>> = std::sync::OnceLock::new();
    FINDERS.get_or_init(|| BODY_PLACEHOLDERS.iter().map(|p| memchr::memmem::Finder::new(p.as_bytes())).collect())
}

/// Checks one parsed file: `text` is the whole file, its body starts at byte `body_offset`.
pub(crate) fn check_file(
    path: &str,
    text: &str,
    body_offset: usize,
    matter: Option<&Matter>,
    policy: Policy,
    diags: &mut Vec<Diagnostic>,
) {
    if let Some(m) = matter {
        placeholders(path, m, diags);
        if let Matter::Guide(g) = m {
            citations(path, g, policy, diags);
            if policy.clinically_reviewed && g.reviewed_by.is_empty() {
                diags.push(
                    Diagnostic::new(
                        Code::Unreviewed,
                        path,
                        Some(g.title.span.clone()),
                        "this guide has not been reviewed by a clinician, but the site says its guides are",
                    )
                    .with_label("no `reviewed_by`")
                    .with_help(
                        "once a clinician has reviewed it, add `reviewed_by: [{name: ..., role: ...}]`; \
                         until then set `clinically_reviewed = false` in carebook.toml",
                    ),
                );
            }
        }
    }
    if let Some(Matter::Shared(m)) = matter
        && policy.require_citations
    {
        uncited(path, m.see_a_doctor.iter(), diags);
    }
    let body_text = text.get(body_offset..).unwrap_or("");
    for (phrase, finder) in BODY_PLACEHOLDERS.iter().zip(body_finders()) {
        if let Some(at) = finder.find(body_text.as_bytes()) {
            let start = body_offset + at;
            diags.push(placeholder(path, start..start + phrase.len(), "the text below the front matter"));
        }
    }
}

/// The example texts `carebook new` writes into front matter: every field of `kind` (and of its
/// lists' records) that it fills with its example.
pub fn placeholder_texts(kind: Kind) -> Vec<&'static str> {
    fn walk(fields: &[Field], out: &mut Vec<&'static str>) {
        for f in fields {
            match f.ty {
                Type::Items(items) => walk(items.fields, out),
                Type::Text { .. } | Type::Url { .. } if f.new == New::Example && !f.example.is_empty() => {
                    out.push(f.example);
                }
                _ => {}
            }
        }
    }
    let fields: Vec<Field> = schema::fields(kind).copied().collect();
    let mut out = Vec::new();
    walk(&fields, &mut out);
    out
}

fn placeholder(path: &str, span: std::ops::Range<usize>, what: &str) -> Diagnostic {
    let help = if what.contains("reviewer") {
        "delete the `reviewed_by` lines unless a clinician has reviewed this guide; then give their name and role"
    } else {
        "replace it with the real text (or delete the line if the field is optional)"
    };
    Diagnostic::new(
        Code::Placeholder,
        path,
        Some(span),
        format!("{what} is still the placeholder `carebook new` wrote"),
    )
    .with_label("placeholder")
    .with_help(help)
}

/// Every text of the front matter that readers see, with how messages name it (`the `title` of
/// step 2`).
/// Which text of a file a placeholder was found in; written out only for a diagnostic (most files
/// have none, and formatting every field's name cost a fifth of `check`'s time at 1,000 guides).
#[derive(Clone, Copy)]
enum What {
    /// A top-level field.
    Top(&'static str),
    /// Field `name` of the `n`th (from 0) item of a list of `item`s.
    Of { name: &'static str, item: &'static str, n: usize },
}

impl std::fmt::Display for What {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            What::Top(name) => write!(f, "`{name}`"),
            What::Of { name, item, n } => write!(f, "the `{name}` of {item} {}", n + 1),
        }
    }
}

fn texts(m: &Matter) -> Vec<(What, &Spanned<String>)> {
    let mut out: Vec<(What, &Spanned<String>)> = Vec::new();
    let top = What::Top;
    let of = |name, item, n| What::Of { name, item, n };
    match m {
        Matter::Guide(g) => {
            out.push((top("title"), &g.title));
            out.push((top("summary"), &g.summary));
            for (n, s) in g.steps.iter().enumerate() {
                out.extend([(of("title", "step", n), &s.title), (of("text", "step", n), &s.text)]);
                out.extend(s.caution.iter().map(|c| (of("caution", "step", n), c)));
            }
            for (n, x) in g.mistakes.iter().enumerate() {
                out.extend([(of("mistake", "mistake", n), &x.mistake), (of("instead", "mistake", n), &x.instead)]);
                out.extend(x.why.iter().map(|w| (of("why", "mistake", n), w)));
            }
            out.extend(g.see_a_doctor.iter().enumerate().map(|(n, f)| (of("sign", "warning sign", n), &f.sign)));
            for (n, s) in g.sources.iter().enumerate() {
                out.extend([(of("title", "source", n), &s.title), (of("url", "source", n), &s.url)]);
                out.extend(s.publisher.iter().map(|p| (of("publisher", "source", n), p)));
            }
            for (n, r) in g.reviewed_by.iter().enumerate() {
                out.extend([(of("name", "reviewer", n), &r.name), (of("role", "reviewer", n), &r.role)]);
            }
        }
        Matter::Term(t) => {
            out.push((top("title"), &t.title));
            out.push((top("summary"), &t.summary));
        }
        Matter::Page(p) => {
            out.push((top("title"), &p.title));
            out.extend(p.summary.iter().map(|s| (top("summary"), s)));
        }
        Matter::Shared(b) => {
            for s in &b.steps {
                out.extend([(of("title", "step", 0), &s.title), (of("text", "step", 0), &s.text)]);
                out.extend(s.caution.iter().map(|c| (of("caution", "step", 0), c)));
            }
            out.extend(b.see_a_doctor.iter().map(|f| (of("sign", "warning sign", 0), &f.sign)));
        }
    }
    out
}

/// [`placeholder_texts`] of a file of `kind` (a symptom's and a cause's front matter are one
/// type: both kinds' texts), worked out once per run rather than for every file.
fn known_placeholders(kind: Kind) -> &'static [&'static str] {
    static KNOWN: std::sync::OnceLock<[Vec<&'static str>; 4]> = std::sync::OnceLock::new();
    let [guide, term, page, shared] = KNOWN.get_or_init(|| {
        let term = placeholder_texts(Kind::Symptom).into_iter().chain(placeholder_texts(Kind::Cause)).collect();
        [placeholder_texts(Kind::Guide), term, placeholder_texts(Kind::Page), placeholder_texts(Kind::Shared)]
    });
    match kind {
        Kind::Guide => guide,
        Kind::Symptom | Kind::Cause => term,
        Kind::Page => page,
        Kind::Shared => shared,
    }
}

fn placeholders(path: &str, m: &Matter, diags: &mut Vec<Diagnostic>) {
    let kind = match m {
        Matter::Guide(_) => Kind::Guide,
        Matter::Term(_) => Kind::Symptom,
        Matter::Page(_) => Kind::Page,
        Matter::Shared(_) => Kind::Shared,
    };
    let known = known_placeholders(kind);
    for (what, t) in texts(m) {
        if known.contains(&t.value.trim()) {
            diags.push(placeholder(path, t.span.clone(), &what.to_string()));
        }
    }
}

fn citations(path: &str, g: &GuideMatter, policy: Policy, diags: &mut Vec<Diagnostic>) {
    let mut keys: BTreeMap<&str, &Spanned<String>> = BTreeMap::new();
    for k in g.sources.iter().filter_map(|s| s.key.as_ref()) {
        if let Some(first) = keys.insert(k.value.as_str(), k) {
            keys.insert(first.value.as_str(), first);
            diags.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    path,
                    Some(k.span.clone()),
                    format!("two sources have the key `{}`", k.value),
                )
                .with_label("used again")
                .with_help("give each source its own key"),
            );
        }
    }
    let cites = g
        .steps
        .iter()
        .map(|s| &s.cite)
        .chain(g.mistakes.iter().map(|m| &m.cite))
        .chain(g.see_a_doctor.iter().map(|f| &f.cite));
    for c in cites.flatten() {
        if keys.contains_key(c.value.as_str()) {
            continue;
        }
        let help = match did_you_mean(&c.value, keys.keys().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None if keys.is_empty() => "give the source it comes from a `key:`, and cite that".to_string(),
            None => format!(
                "cite one of this guide's source keys ({}), or give the source a `key:`",
                keys.keys().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
            ),
        };
        diags.push(
            Diagnostic::new(
                Code::UnknownCitation,
                path,
                Some(c.span.clone()),
                format!("`cite` names the source `{}`, which no source of this guide has as its `key`", c.value),
            )
            .with_label("no such source key")
            .with_help(help),
        );
    }
    if policy.require_citations {
        uncited(path, g.see_a_doctor.iter(), diags);
    }
}

/// Warning signs without `cite`; a `shared:` item cites what its block cites (checked there).
fn uncited<'a>(path: &str, signs: impl Iterator<Item = &'a RedFlag>, diags: &mut Vec<Diagnostic>) {
    for f in signs.filter(|f| f.cite.is_empty() && f.shared.is_none()) {
        diags.push(
            Diagnostic::new(Code::Uncited, path, Some(f.sign.span.clone()), "this warning sign cites no source")
                .with_label("no `cite`")
                .with_help(
                    "add `cite: [key]` with the `key` of the source it comes from (the site sets `require_citations`)",
                ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The diagnostics of one guide with these steps, signs and sources, under `policy`.
    fn guide(items: &str, policy: Policy) -> Vec<(Code, String)> {
        let text = format!(
            "---\ntitle: Mastitis\nsummary: Sore.\nreviewed: 2026-01-01\nreview_due: 2027-01-01\n{items}---\nText.\n"
        );
        let file = crate::source::SourceFile { path: "content/guides/mastitis.md".into(), text: text.as_str().into() };
        let opts = crate::parse::Options {
            md: Default::default(),
            today: jiff::civil::date(2026, 6, 1),
            release_texts: false,
            policy,
        };
        let mut diags = Vec::new();
        crate::parse::parse(vec![file], opts, &mut diags);
        diags.into_iter().map(|d| (d.code, d.message)).collect()
    }

    #[test]
    fn keys_are_unique_and_signs_cite_when_the_site_says_so() {
        let sources =
            "sources:\n  - {key: a, title: A, url: https://a.org/}\n  - {key: a, title: B, url: https://b.org/}\n";
        let signs = "see_a_doctor:\n  - {sign: Fever, urgency: urgent}\n  - {sign: Rash, urgency: soon, cite: [a]}\n";
        let lax = guide(&format!("{signs}{sources}"), Policy::default());
        assert_eq!(lax, vec![(Code::InvalidValue, "two sources have the key `a`".to_string())]);
        let strict = guide(&format!("{signs}{sources}"), Policy { require_citations: true, clinically_reviewed: true });
        let codes: Vec<Code> = strict.iter().map(|(c, _)| *c).collect();
        assert_eq!(codes, vec![Code::InvalidValue, Code::Uncited, Code::Unreviewed], "{strict:?}");
        let reviewed = "reviewed_by:\n  - {name: Dr A, role: GP}\n";
        let ok = guide(
            &format!(
                "see_a_doctor:\n  - {{sign: Fever, urgency: urgent, cite: [a]}}\nsources:\n  - {{key: a, title: A, url: https://a.org/}}\n{reviewed}"
            ),
            Policy { require_citations: true, clinically_reviewed: true },
        );
        assert_eq!(ok, vec![]);
    }

    #[test]
    fn new_writes_every_body_placeholder_and_field_examples_are_known() {
        let today = jiff::civil::date(2026, 1, 1);
        for kind in Kind::ALL {
            let Ok(t) = crate::scaffold::template(kind, "x-y", None, today) else { panic!("no template") };
            assert!(BODY_PLACEHOLDERS.iter().any(|p| t.contains(p)), "{kind:?}: body placeholder not recognised");
        }
        assert!(placeholder_texts(Kind::Guide).contains(&"Describe a warning sign in the reader's own words"));
        assert!(placeholder_texts(Kind::Guide).contains(&"https://example.org/replace-with-the-real-address"));
        assert!(!placeholder_texts(Kind::Guide).contains(&"Milk stasis"), "the title is the one given to `new`");
    }

    #[test]
    fn the_fast_searches_find_what_the_plain_ones_find() {
        // Each phrase at the start, in the middle after non-ASCII text, twice, cut short, and absent.
        for phrase in BODY_PLACEHOLDERS {
            let cut = &phrase[..phrase.len() - 1];
            for body in [
                phrase.to_string(),
                format!("Молоко — {phrase} and {phrase}"),
                format!("{cut}… {}", phrase.to_lowercase()),
                String::new(),
            ] {
                let fast: Vec<Option<usize>> = body_finders().iter().map(|f| f.find(body.as_bytes())).collect();
                let plain: Vec<Option<usize>> = BODY_PLACEHOLDERS.iter().map(|p| body.find(p)).collect();
                assert_eq!(fast, plain, "{body:?}");
            }
        }
        for kind in Kind::ALL {
            let mut plain = placeholder_texts(kind);
            if matches!(kind, Kind::Symptom | Kind::Cause) {
                plain = placeholder_texts(Kind::Symptom).into_iter().chain(placeholder_texts(Kind::Cause)).collect();
            }
            assert_eq!(known_placeholders(kind), plain.as_slice(), "{kind:?}");
        }
        let of = What::Of { name: "sign", item: "warning sign", n: 0 };
        assert_eq!(
            (What::Top("summary").to_string(), of.to_string()),
            ("`summary`".into(), "the `sign` of warning sign 1".into())
        );
    }
}
