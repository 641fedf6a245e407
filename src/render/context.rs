//! The context of each template: one named struct per template (the page's own variables, inside
//! [`Common`]), and the values they list. `themes/default/CONTEXT.md` documents these for theme
//! authors; a test checks the two agree.

use serde::Serialize;

use crate::templates::Shared;

#[derive(Serialize)]
pub(super) struct SiteCtx<'a> {
    pub(super) title: &'a str,
    pub(super) language: &'a str,
    pub(super) description: Option<&'a str>,
    pub(super) disclaimer: Option<&'a str>,
    pub(super) emergency_number: &'a str,
    pub(super) urgencies: Vec<TierCtx<'a>>,
    /// `base_url` with one `/` at the end, or none.
    pub(super) base_url: Option<String>,
}

#[derive(Serialize)]
pub(super) struct TierCtx<'a> {
    pub(super) key: &'static str,
    pub(super) label: &'a str,
    pub(super) advice: &'a str,
}

#[derive(Serialize)]
pub(super) struct PageCtx<'a> {
    pub(super) kind: &'static str,
    pub(super) title: &'a str,
    pub(super) summary: Option<&'a str>,
    pub(super) path: &'a str,
    pub(super) root: &'a str,
}

#[derive(Serialize)]
pub(super) struct NavCtx<'a> {
    pub(super) title: &'a str,
    pub(super) href: &'a str,
}

#[derive(Serialize, Clone)]
pub(super) struct Entry<'a> {
    pub(super) id: &'a str,
    pub(super) title: &'a str,
    pub(super) summary: &'a str,
    pub(super) href: &'a str,
    pub(super) aliases: Vec<&'a str>,
}

#[derive(Serialize, Clone)]
pub(super) struct GuideSummary<'a> {
    pub(super) id: &'a str,
    pub(super) title: &'a str,
    pub(super) summary: &'a str,
    pub(super) href: &'a str,
    pub(super) top_urgency: &'static str,
    /// `guides/<id>.html#see-a-doctor`: its warning signs.
    pub(super) flag_href: String,
}

#[derive(Serialize)]
pub(super) struct StepCtx<'a> {
    pub(super) number: usize,
    pub(super) anchor: String,
    pub(super) title: &'a str,
    pub(super) text_html: String,
    pub(super) caution_html: Option<String>,
    pub(super) refs: Vec<RefCtx<'a>>,
}

/// A numbered reference to one of a guide's sources (`cite:`).
#[derive(Serialize, Clone)]
pub(super) struct RefCtx<'a> {
    /// The source's number in the guide's list of sources.
    pub(super) number: usize,
    /// The link to it: `#source-2` on the guide's page, `guides/x.html#source-2` elsewhere.
    pub(super) href: String,
    pub(super) title: &'a str,
}

/// A clinician who reviewed a guide.
#[derive(Serialize)]
pub(super) struct ReviewerCtx<'a> {
    pub(super) name: &'a str,
    pub(super) role: &'a str,
}

#[derive(Serialize)]
pub(super) struct MistakeCtx<'a> {
    pub(super) mistake_html: String,
    pub(super) instead_html: String,
    pub(super) why_html: Option<String>,
    pub(super) refs: Vec<RefCtx<'a>>,
}

#[derive(Serialize, Clone)]
pub(super) struct FlagCtx<'a> {
    pub(super) sign_html: String,
    pub(super) urgency: &'static str,
    pub(super) urgency_label: &'a str,
    pub(super) urgency_advice: &'a str,
    /// The symptom's [`Entry`].
    pub(super) symptom: Option<Shared>,
    pub(super) refs: Vec<RefCtx<'a>>,
}

#[derive(Serialize)]
pub(super) struct TierFlags<'a, F> {
    pub(super) key: &'static str,
    pub(super) label: &'a str,
    pub(super) advice: &'a str,
    pub(super) flags: Vec<F>,
}

#[derive(Serialize)]
pub(super) struct SourceCtx<'a> {
    pub(super) number: usize,
    /// Its id on the page (`source-2`, with the print page's prefix).
    pub(super) anchor: String,
    pub(super) title: &'a str,
    /// Percent-encoded ([`markdown::encode_url`]); the template escapes it.
    pub(super) url: std::borrow::Cow<'a, str>,
    pub(super) publisher: Option<&'a str>,
    pub(super) year: Option<i64>,
}

#[derive(Serialize)]
pub(super) struct HeadingCtx<'a> {
    pub(super) level: u8,
    pub(super) id: String,
    /// `#` and the id percent-encoded ([`crate::markdown::encode_name`]): an id in Cyrillic
    /// (`## Что происходит`) is linked as the Markdown's own links to it are.
    pub(super) href: String,
    pub(super) text: &'a str,
}

/// A guide; its lists of symptoms, causes (each an [`Entry`]) and related guides (each a
/// [`GuideSummary`]) are shared values.
#[derive(Serialize)]
pub(super) struct GuideCtx<'a> {
    pub(super) id: &'a str,
    pub(super) title: &'a str,
    pub(super) summary: &'a str,
    pub(super) href: &'a str,
    pub(super) body_html: String,
    pub(super) headings: Vec<HeadingCtx<'a>>,
    pub(super) symptoms: Vec<Shared>,
    pub(super) causes: Vec<Shared>,
    pub(super) steps: Vec<StepCtx<'a>>,
    pub(super) mistakes: Vec<MistakeCtx<'a>>,
    pub(super) red_flags: Vec<FlagCtx<'a>>,
    pub(super) red_flags_by_tier: Vec<TierFlags<'a, FlagCtx<'a>>>,
    pub(super) related: Vec<Shared>,
    pub(super) sources: Vec<SourceCtx<'a>>,
    /// The clinicians who reviewed it; empty: the page says no clinician has.
    pub(super) reviewed_by: Vec<ReviewerCtx<'a>>,
    pub(super) reviewed: String,
    pub(super) review_due: String,
    pub(super) reviewed_text: String,
    pub(super) review_due_text: String,
    pub(super) anchor_prefix: String,
}

#[derive(Serialize)]
pub(super) struct TermFlag<'a> {
    pub(super) sign_html: String,
    pub(super) urgency: &'static str,
    pub(super) urgency_label: &'a str,
    /// The [`GuideSummary`] of the first guide that gives this sign.
    pub(super) guide: Shared,
    /// The [`GuideSummary`] of every guide that gives this sign in this tier (one entry per sign).
    pub(super) guides: Vec<Shared>,
    /// For each of `guides`, the sources it cites for the sign.
    pub(super) refs: Vec<Vec<RefCtx<'a>>>,
}

/// A symptom or cause; `guides` are [`GuideSummary`] values.
#[derive(Serialize)]
pub(super) struct TermCtx<'a> {
    pub(super) id: &'a str,
    pub(super) title: &'a str,
    pub(super) summary: &'a str,
    pub(super) aliases: Vec<&'a str>,
    pub(super) body_html: String,
    pub(super) prevention_html: Vec<String>,
    pub(super) guides: Vec<Shared>,
    pub(super) red_flags: Vec<TermFlag<'a>>,
    pub(super) reviewed: Option<String>,
    pub(super) review_due: Option<String>,
    pub(super) reviewed_text: Option<String>,
    pub(super) review_due_text: Option<String>,
}

#[derive(Serialize)]
pub(super) struct IndexItem<'a> {
    #[serde(flatten)]
    pub(super) entry: Entry<'a>,
    pub(super) guide_count: usize,
}

#[derive(Serialize)]
pub(super) struct FreePageCtx<'a> {
    pub(super) id: &'a str,
    pub(super) title: &'a str,
    pub(super) summary: Option<&'a str>,
    pub(super) body_html: String,
}

#[derive(Serialize)]
pub(super) struct DoctorFlag<'a> {
    pub(super) sign_html: String,
    /// The [`GuideSummary`] of every guide that lists this sign in this tier.
    pub(super) guides: Vec<Shared>,
    /// For each of `guides`, the sources it cites for the sign.
    pub(super) refs: Vec<Vec<RefCtx<'a>>>,
    /// The symptom's [`Entry`].
    pub(super) symptom: Option<Shared>,
}

/// _doctor_flag.html: one sign of the doctor index.
#[derive(Serialize)]
pub(super) struct DoctorFlagCtx<'a> {
    pub(super) flag: &'a DoctorFlag<'a>,
}

/// A sign of the doctor index as doctor.html sees it: [`DoctorFlag`] and its HTML.
#[derive(Serialize)]
pub(super) struct DoctorFlagItem<'a> {
    #[serde(flatten)]
    pub(super) flag: &'a DoctorFlag<'a>,
    /// The sign's list item, made by _doctor_flag.html.
    pub(super) html: String,
}

/// Everything a template sees: the common part plus the kind-specific variables.
#[derive(Serialize)]
pub(super) struct Common<'a, T: Serialize> {
    /// [`SiteCtx`].
    pub(super) site: &'a Shared,
    pub(super) root: &'a str,
    pub(super) page: PageCtx<'a>,
    /// [`NavCtx`] list.
    pub(super) nav_pages: &'a Shared,
    /// The site's languages as this page shows them (empty with one language).
    pub(super) languages: Vec<crate::lang::PageAlt<'a>>,
    /// The theme's words in the page's language.
    pub(super) t: &'a Shared,
    #[serde(flatten)]
    pub(super) extra: T,
}

/// home.html.
#[derive(Serialize)]
pub(super) struct HomeCtx {
    /// The first guides of the list (at most [`HOME_LIST`]); the guides index has them all.
    pub(super) guides: Vec<Shared>,
    /// How many guides the site has.
    pub(super) guide_count: usize,
    pub(super) symptoms: Vec<Shared>,
    pub(super) causes: Vec<Shared>,
}

/// The most guides, symptoms or causes the home page lists: it is every reader's first page, so it
/// must not grow with the site (10,000 guides made it 6.5 MB); the indexes list them all.
pub(super) const HOME_LIST: usize = 48;

/// guides.html (guides/index.html).
#[derive(Serialize)]
pub(super) struct GuideIndexCtx {
    pub(super) guides: Vec<Shared>,
}

/// symptoms.html and causes.html.
#[derive(Serialize)]
pub(super) struct IndexCtx<'a> {
    pub(super) items: Vec<IndexItem<'a>>,
}

/// doctor.html.
#[derive(Serialize)]
pub(super) struct DoctorCtx<'a> {
    /// Each sign a [`DoctorFlagItem`].
    pub(super) tiers: Vec<DoctorTier<'a>>,
    pub(super) flag_count: usize,
}

/// One tier of the doctor index: its signs, and their HTML in one.
#[derive(Serialize)]
pub(super) struct DoctorTier<'a> {
    #[serde(flatten)]
    pub(super) tier: TierFlags<'a, Shared>,
    /// Every sign's `html`, in order: the tier's list as the page shows it, one text rather than
    /// a loop over thousands of signs (the same text; `_care_card.html` takes it in "doctor" mode).
    pub(super) flags_html: Shared,
}

/// guide.html.
#[derive(Serialize)]
pub(super) struct GuidePageCtx<'a> {
    pub(super) guide: GuideCtx<'a>,
}

/// symptom.html and cause.html.
#[derive(Serialize)]
pub(super) struct TermPageCtx<'a> {
    pub(super) item: TermCtx<'a>,
}

/// page.html.
#[derive(Serialize)]
pub(super) struct FreePagePageCtx<'a> {
    pub(super) item: FreePageCtx<'a>,
}

/// print.html or one print book: its articles are streamed in where `articles_html` is written.
/// A site over `print_book_limit` has `books` on print.html (and no guides), and `book` on each.
#[derive(Serialize)]
pub(super) struct PrintCtx<'a> {
    pub(super) guides: Vec<Shared>,
    pub(super) articles_html: &'static str,
    /// Every guide of the site.
    pub(super) guide_count: usize,
    pub(super) book_limit: usize,
    pub(super) books: Vec<BookCtx<'a>>,
    pub(super) book: Option<BookCtx<'a>>,
}

/// One print book of a site over `print_book_limit`.
#[derive(Clone, Serialize)]
pub(super) struct BookCtx<'a> {
    /// 1, 2, …
    pub(super) number: usize,
    pub(super) href: String,
    /// The place of its first and last guide in the guides list, from 1.
    pub(super) from: usize,
    pub(super) to: usize,
    /// The titles of its first and last guide.
    pub(super) first: &'a str,
    pub(super) last: &'a str,
}

/// _print_guide.html, once per guide.
#[derive(Serialize)]
pub(super) struct PrintGuideCtx<'a> {
    pub(super) g: GuideCtx<'a>,
}

/// 404.html: nothing of its own.
#[derive(Serialize)]
pub(super) struct NotFoundCtx {}

/// Each template's field paths (`guide.steps[].title`), as handed to it in this test run.
#[cfg(test)]
static SEEN: std::sync::Mutex<BTreeMap<String, BTreeSet<String>>> = std::sync::Mutex::new(BTreeMap::new());

#[cfg(test)]
use std::collections::{BTreeMap, BTreeSet};

/// Notes the field paths of the context `ctx` of `template`.
#[cfg(test)]
pub(super) fn record(template: &str, ctx: &impl Serialize) {
    fn walk(v: &serde_json::Value, at: &str, out: &mut BTreeSet<String>) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    let path = if at.is_empty() { k.clone() } else { format!("{at}.{k}") };
                    // Leaves only: `a.b` says that `a` is there.
                    if !matches!(v, serde_json::Value::Object(m) if !m.is_empty()) {
                        out.insert(path.clone());
                    }
                    walk(v, &path, out);
                }
            }
            serde_json::Value::Array(items) => {
                if items.iter().any(|v| matches!(v, serde_json::Value::Object(m) if !m.is_empty())) {
                    out.remove(at);
                }
                items.iter().for_each(|v| walk(v, &format!("{at}[]"), out));
            }
            _ => {}
        }
    }
    let Ok(value) = serde_json::to_value(ctx) else { return };
    let mut seen = SEEN.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    walk(&value, "", seen.entry(template.to_string()).or_default());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The field list at the end of `themes/default/CONTEXT.md`: `template: path path …` lines
    /// between its two ```` ```fields ```` fences.
    fn documented(doc: &str) -> BTreeMap<String, BTreeSet<String>> {
        let block = doc.split("```fields\n").nth(1).and_then(|b| b.split("```").next()).unwrap_or("");
        block.lines().filter_map(|l| l.split_once(':')).fold(
            BTreeMap::new(),
            |mut all: BTreeMap<String, BTreeSet<String>>, (t, paths)| {
                all.entry(t.trim().to_string()).or_default().extend(paths.split_whitespace().map(str::to_string));
                all
            },
        )
    }

    /// What the code hands each template, on the shipped site in both its languages (every kind
    /// of page, every optional value given somewhere), a fixture with every Markdown feature, and one with reviewers.
    fn handed() -> BTreeMap<String, BTreeSet<String>> {
        let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let fixtures =
            ["markdown-features", "citations-and-reviewers"].map(|f| repo.join("tests/fixtures/valid").join(f));
        for root in std::iter::once(repo.to_path_buf()).chain(fixtures) {
            let mut opts = crate::Options::new(root);
            opts.today = jiff::civil::date(2026, 11, 26);
            let outcome = crate::run(&opts, crate::Goal::Preview, None).expect("the site is readable");
            let report = outcome.report;
            let (site, theme) = outcome.site.unwrap_or_else(|| panic!("the site has errors: {report:?}"));
            // Every language: a translation's pages are given what the default language's are.
            crate::lang::render(&site, &theme, &crate::output::Memory::default()).expect("the site renders");
        }
        let mut seen = SEEN.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
        // A value that is `none` on one page and an object on another: its fields say it is there.
        for paths in seen.values_mut() {
            let parents: Vec<String> = paths
                .iter()
                .filter(|p| {
                    paths
                        .range(p.to_string()..)
                        .nth(1)
                        .is_some_and(|next| next.starts_with(p.as_str()) && next[p.len()..].starts_with(['.', '[']))
                })
                .cloned()
                .collect();
            for p in &parents {
                paths.remove(p);
            }
        }
        // What every template gets is listed once, under `*`.
        let common: BTreeSet<String> = seen
            .values()
            .fold(None, |all: Option<BTreeSet<String>>, paths| {
                Some(all.map_or_else(|| paths.clone(), |all| all.intersection(paths).cloned().collect()))
            })
            .unwrap_or_default();
        let mut out: BTreeMap<String, BTreeSet<String>> =
            seen.into_iter().map(|(t, paths)| (t, paths.difference(&common).cloned().collect())).collect();
        out.insert("*".into(), common);
        out
    }

    #[test]
    fn context_md_lists_what_templates_are_given() {
        let doc_path = concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/CONTEXT.md");
        let doc = std::fs::read_to_string(doc_path).expect("CONTEXT.md is readable");
        let handed = handed();
        let block: String = handed
            .iter()
            .flat_map(|(t, paths)| {
                // One line per variable, and one per list (`guide.steps`).
                let mut lines: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
                for p in paths {
                    let list = p.split_once("[]").map(|(list, _)| list);
                    lines.entry(list.unwrap_or_else(|| p.split('.').next().unwrap_or(p))).or_default().push(p);
                }
                if lines.is_empty() {
                    lines.insert("", Vec::new());
                }
                lines.into_values().map(move |ps| format!("{t}: {}\n", ps.join(" "))).collect::<Vec<_>>()
            })
            .collect();
        if std::env::var_os("UPDATE_DOCS").is_some() && documented(&doc) != handed {
            let (head, rest) = doc.split_once("```fields\n").expect("CONTEXT.md has a ```fields block");
            let tail = rest.split_once("```").map_or("", |(_, tail)| tail);
            std::fs::write(doc_path, format!("{head}```fields\n{block}```{tail}")).expect("CONTEXT.md is writable");
            return;
        }
        assert_eq!(
            documented(&doc),
            handed,
            "themes/default/CONTEXT.md's field list differs from what the templates are given \
             (UPDATE_DOCS=1 cargo test --lib context_md rewrites it); it should read:\n{block}"
        );
    }
}
