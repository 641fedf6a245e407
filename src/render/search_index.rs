//! search-index.js: every page's title, kind, summary, aliases, headings and the start of its text,
//! for the theme's search box. Written one entry at a time.

use serde::Serialize;

use crate::model::Site;
use crate::schema::Kind;

/// Search entry: short keys keep the index small.
#[derive(Serialize)]
struct SearchEntry<'a> {
    t: &'a str,
    u: &'a str,
    k: &'static str,
    s: &'a str,
    a: Vec<&'a str>,
    h: Vec<&'a str>,
    b: String,
    /// Guides: titles and aliases of the symptoms and causes they list, so "clogged duct" finds the guide.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    r: Vec<&'a str>,
}

/// Body text kept per entry; enough to find a page, small enough for phones.
const SEARCH_BODY_CHARS: usize = 600;

/// Writes search-index.js into `out`, one entry at a time: it is the largest file after
/// print.html, and grows with the site.
pub(super) fn search_index(site: &Site, out: &mut impl std::io::Write) -> std::io::Result<()> {
    out.write_all(b"window.CAREBOOK_SEARCH = [")?;
    let mut first = true;
    for (list, k) in
        [(&site.guides, "guide"), (&site.symptoms, "symptom"), (&site.causes, "cause"), (&site.pages, "page")]
    {
        for &i in list {
            let f = &site.files[i];
            let (summary, aliases) = match (site.guide(i), site.term(i), site.page(i)) {
                (Some(g), _, _) => (g.summary.value.as_str(), Vec::new()),
                (_, Some(t), _) => (t.summary.value.as_str(), t.aliases.iter().map(|a| a.value.as_str()).collect()),
                (_, _, Some(p)) => (p.summary.as_ref().map_or("", |s| s.value.as_str()), Vec::new()),
                _ => ("", Vec::new()),
            };
            let mut h: Vec<&str> = f.body.headings.iter().map(|h| h.text.as_str()).collect();
            let mut r: Vec<&str> = Vec::new();
            if let Some(g) = site.guide(i) {
                h.extend(g.steps.iter().map(|s| s.title.value.as_str()));
                let listed = g
                    .symptoms
                    .iter()
                    .filter_map(|id| site.find(Kind::Symptom, &id.value))
                    .chain(g.causes.iter().filter_map(|id| site.find(Kind::Cause, &id.value)));
                for t in listed {
                    r.push(site.title(t));
                    if let Some(term) = site.term(t) {
                        r.extend(term.aliases.iter().map(|a| a.value.as_str()));
                    }
                }
            }
            let entry = SearchEntry {
                t: site.title(i),
                u: site.out_path(i),
                k,
                s: summary,
                a: aliases,
                h,
                b: truncate_words(&f.body.text, SEARCH_BODY_CHARS),
                r,
            };
            if !first {
                out.write_all(b",")?;
            }
            first = false;
            serde_json::to_writer(&mut *out, &entry)?;
        }
    }
    out.write_all(b"];\n")
}

fn truncate_words(text: &str, max: usize) -> String {
    let mut out = String::new();
    for w in text.split_whitespace() {
        if out.len() + w.len() + 1 > max {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}
