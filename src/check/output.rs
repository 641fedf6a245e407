//! What the output will hold: the files of `static/` must not replace a file carebook writes,
//! and no two published names may differ only in case or accents.

use std::collections::{BTreeMap, BTreeSet};

use super::Index;
use super::links::active_svg;
use crate::active::active_name;
use crate::diagnostic::{Code, Diagnostic};
use crate::schema::Kind;

/// Files at the top of the output that carebook writes, whatever the content.
pub(crate) const FIXED_OUTPUT: &[(&str, &str)] = &[
    ("index.html", "the home page"),
    ("404.html", "the page shown for a missing address"),
    ("print.html", "the page with every guide, for printing"),
    ("when-to-see-a-doctor.html", "the doctor index"),
    ("search/index.js", "the search index"),
    ("sw.js", "the service worker that keeps the site offline"),
    ("manifest.webmanifest", "the web app manifest"),
    ("guides/index.html", "the list of guides"),
    ("symptoms/index.html", "the list of symptoms"),
    ("causes/index.html", "the list of causes"),
    (crate::write::MARKER, "the file that marks carebook's output"),
];

/// Checks the files of `static/`: none a browser would run, none that would replace a file or
/// folder carebook writes (its pages, the linked content files `linked`, the theme's `static/`).
pub(super) fn statics(index: &Index, linked: &BTreeSet<&str>, diags: &mut Vec<Diagnostic>) {
    // Nothing to check: the list of every page's name (thousands) is not made.
    if index.statics.is_empty() {
        return;
    }
    let mut written: BTreeMap<String, String> =
        FIXED_OUTPUT.iter().map(|(p, what)| (p.to_string(), what.to_string())).collect();
    for (&(kind, id), &i) in index.ids.iter().filter(|((k, _), _)| *k != Kind::Shared) {
        written
            .insert(format!("{}/{id}.html", kind.folder()), format!("the page of `{}`", index.parsed[i.0].source.path));
    }
    for a in linked {
        written.insert(a.trim_start_matches("content/").to_string(), format!("the linked file `{a}`"));
    }
    let folders: BTreeSet<&str> = written
        .keys()
        .flat_map(|p| p.match_indices('/').map(move |(at, _)| &p[..at]))
        .chain(Kind::ALL.iter().filter(|k| **k != Kind::Shared).map(|k| k.folder()))
        .collect();
    for path in index.statics {
        let out = path.strip_prefix("static/").unwrap_or(path);
        let clash = |message: String| {
            Diagnostic::new(Code::OutputClash, path, None, message).with_help(
                "rename or move it: static/ files go at the top of the output, beside the pages carebook writes",
            )
        };
        if let Some(what) = active_name(path) {
            diags.push(
                Diagnostic::new(
                    Code::ActiveFile,
                    path,
                    None,
                    format!("`{path}` would run on this site's address ({what})"),
                )
                .with_help("static/ is for files a host reads (CNAME, robots.txt, _headers) and plain files; write pages in content/"),
            );
        } else if let Some(svg) = index.active_svgs.get(path.as_str()) {
            diags.push(active_svg(svg));
        }
        let parents: Vec<&str> = out.match_indices('/').map(|(at, _)| &out[..at]).collect();
        if out.split('/').next() == Some("static") {
            diags.push(clash(format!("`{path}` would go into `static/`, the theme's folder in the output")));
        } else if let Some(what) = written.get(out) {
            diags.push(clash(format!("`{path}` would replace `{out}`, {what}")));
        } else if folders.contains(out) {
            diags.push(clash(format!("`{path}` would replace the folder `{out}/`, which carebook writes")));
        } else if let Some((p, what)) = parents.iter().find_map(|p| written.get_key_value(*p)) {
            diags.push(clash(format!("`{path}` needs a folder `{p}/`, but `{p}` is {what}")));
        }
    }
}

/// Published files (root-relative paths, published under the same names less their first folder)
/// whose names differ only in case or Unicode normalisation: a warning on each but the first
/// (by bytes) of each such group.
pub(crate) fn name_clashes<'p>(paths: impl IntoIterator<Item = &'p str>) -> Vec<Diagnostic> {
    use unicode_normalization::UnicodeNormalization;
    let mut groups: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for p in paths {
        let published = p.split_once('/').map_or(p, |(_, rest)| rest);
        groups.entry(published.nfc().collect::<String>().to_lowercase()).or_default().push(p);
    }
    let mut diags = Vec::new();
    for mut group in groups.into_values().filter(|g| g.len() > 1) {
        group.sort_unstable();
        group.dedup();
        let Some((first, others)) = group.split_first() else { continue };
        for other in others {
            diags.push(
                Diagnostic::new(
                    Code::NameClash,
                    *other,
                    None,
                    format!(
                        "`{other}` and `{first}` differ only in upper and lower case or in how accents are encoded: \
                         on macOS and Windows they are one file"
                    ),
                )
                .with_help("rename one of them (and the links to it), so that readers who copy the site get both"),
            );
        }
    }
    diags
}
