//! Which pages `serve` renders right after a build, so that a template error shows at once.

/// Pages rendered right after each build, in every language: one of each template, so that a
/// template error is reported at once (and these pages are ready when the browser reloads).
/// With `same_theme` (the last good build rendered these templates, unchanged since), the pages
/// whose contexts hold the whole site (the doctor index, the symptom and cause indexes) are left
/// to the request that asks for them: a rebuild then costs the same at 10 or 10,000 guides.
pub(super) fn probe_paths(site: &crate::model::Site, same_theme: bool) -> Vec<String> {
    let mut paths = probe_one(site, same_theme);
    for (t, l) in site.lang.translations.iter().zip(&site.config.languages) {
        paths.extend(probe_one(t, same_theme).into_iter().map(|p| format!("{}/{p}", l.code)));
    }
    paths
}

/// The pages of [`probe_paths`] whose contexts hold the whole site.
const WHOLE_SITE_PAGES: [&str; 3] = ["symptoms/index.html", "causes/index.html", "when-to-see-a-doctor.html"];

/// [`probe_paths`] of one language's site.
fn probe_one(site: &crate::model::Site, same_theme: bool) -> Vec<String> {
    let mut paths: Vec<String> = vec!["index.html".to_string(), "404.html".to_string()];
    if !same_theme {
        paths.extend(WHOLE_SITE_PAGES.map(String::from));
    }
    let firsts = [
        site.guides.first().map(|g| g.file),
        site.symptoms.first().map(|t| t.file),
        site.causes.first().map(|t| t.file),
        site.pages.first().map(|p| p.file),
    ];
    paths.extend(firsts.into_iter().flatten().map(|i| site.out_path(i).to_string()));
    paths
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_whole_site_pages_are_probed_only_when_the_theme_changed() {
        let opts = crate::Options::new(env!("CARGO_MANIFEST_DIR"));
        let outcome = crate::run(&opts, crate::Goal::Preview, None).expect("runs");
        let (site, _) = outcome.site.expect("the shipped site is good");
        let changed = probe_paths(&site, false);
        let same = probe_paths(&site, true);
        for page in WHOLE_SITE_PAGES {
            assert!(changed.iter().any(|p| p == page) && !same.iter().any(|p| p == page), "{page}");
        }
        assert!(same.iter().any(|p| p.starts_with("guides/")) && same.iter().any(|p| p == "index.html"), "{same:?}");
    }
}
