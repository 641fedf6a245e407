//! The shipped content: clean, complete, consistent, and never advising what the facts file
//! calls unsafe or outdated (those words may appear only inside `mistakes`).

use crate::support::repo;
use carebook::model::Site;
use carebook::schema::{Kind, Urgency};
use std::collections::{BTreeMap, BTreeSet};

/// The shipped site, checked against the real date: an overdue review fails CI, on purpose.
fn shipped() -> (carebook::Report, Option<Site>) {
    carebook::check(&carebook::Options::new(repo())).expect("check runs")
}

#[test]
fn shipped_site_has_no_errors_and_no_warnings() {
    let (report, site) = shipped();
    assert!(report.diagnostics().is_empty(), "{}", report.render_short());
    assert!(site.is_some());
}

#[test]
fn every_symptom_and_cause_is_used_and_every_guide_is_complete() {
    let site = shipped().1.expect("no errors");
    for &i in site.symptoms.iter().chain(&site.causes) {
        assert!(site.backlinks.get(&i).is_some_and(|g| !g.is_empty()), "{} is used by no guide", site.files[i].id);
    }
    assert!(site.guides.len() >= 8, "about eight guides");
    for &g in &site.guides {
        let guide = site.guide(g).expect("guide");
        let id = &site.files[g].id;
        assert!(!guide.see_a_doctor.is_empty(), "{id} has no red flag");
        assert!(guide.sources.len() >= 2, "{id} has fewer than two sources");
        assert!(!guide.steps.is_empty() && !guide.mistakes.is_empty(), "{id} lacks steps or mistakes");
        assert!(guide.sources.iter().all(|s| s.url.value.starts_with("https://")), "{id}: sources use https");
        let (reviewed, due) = (guide.reviewed.as_ref().expect("date"), guide.review_due.as_ref().expect("date"));
        assert!(
            due.value <= reviewed.value.checked_add(jiff::Span::new().months(12)).expect("date"),
            "{id}: review within 12 months"
        );
    }
    let tiers: BTreeSet<Urgency> = site.red_flags.iter().map(|(u, _, _)| *u).collect();
    assert!(site.red_flags.len() >= 15, "at least 15 red flags ({})", site.red_flags.len());
    assert!(tiers.len() >= 3, "red flags on at least three tiers ({tiers:?})");
    for kind in [Kind::Page] {
        for page in ["about", "disclaimer", "how-to-use", "glossary"] {
            assert!(site.find(kind, page).is_some(), "page {page} exists");
        }
    }
}

/// Words for practices the facts file calls unsafe or outdated (lower case).
const UNSAFE: &[&str] = &[
    "camphor",
    "vodka",
    "alcohol",
    "knead",
    "deep massage",
    "hard massage",
    "firm massage",
    "heat pack",
    "hot compress",
    "hairdryer",
    "hair dryer",
    "empty the breast",
    "pump to empty",
    "needle",
    "aspirin",
    "honey",
];

/// All text of a guide outside its `mistakes`.
fn advice_text(site: &Site, g: usize) -> String {
    let guide = site.guide(g).expect("guide");
    let mut parts = vec![guide.title.value.clone(), guide.summary.value.clone(), site.files[g].body.text.clone()];
    for s in &guide.steps {
        parts.push(s.title.value.clone());
        parts.push(s.text.value.clone());
        parts.extend(s.caution.as_ref().map(|c| c.value.clone()));
    }
    parts.extend(guide.see_a_doctor.iter().map(|f| f.sign.value.clone()));
    parts.join("\n").to_lowercase()
}

#[test]
fn unsafe_practices_appear_only_as_mistakes() {
    let site = shipped().1.expect("no errors");
    let mut found = Vec::new();
    for &g in &site.guides {
        let text = advice_text(&site, g);
        for word in UNSAFE {
            if text.contains(word) {
                found.push(format!("{}: `{word}` outside `mistakes`", site.files[g].id));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
    // The lint has teeth: the mistakes themselves do name these practices.
    let mistakes: String = site
        .guides
        .iter()
        .flat_map(|&g| site.guide(g).expect("guide").mistakes.iter().map(|m| m.mistake.value.to_lowercase()))
        .collect::<Vec<_>>()
        .join("\n");
    for word in ["knead", "camphor", "alcohol", "empty", "heat"] {
        assert!(mistakes.contains(word), "no mistake names `{word}`");
    }
}

/// Every temperature written in the content, as text before "°C".
fn temperatures(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices("°C") {
        let before = text[..i].trim_end();
        let num: String = before.chars().rev().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
        out.push(num.chars().rev().collect());
    }
    out
}

#[test]
fn fever_threshold_and_urgency_agree_across_guides() {
    let site = shipped().1.expect("no errors");
    for f in &site.files {
        for t in temperatures(&f.source.text) {
            assert_eq!(t, "38", "{}: a temperature other than 38 °C ({t} °C)", f.source.path);
        }
    }
    let mut urgency_of: BTreeMap<String, BTreeSet<Urgency>> = BTreeMap::new();
    for &(u, g, n) in &site.red_flags {
        let sign = &site.guide(g).expect("guide").see_a_doctor[n].sign.value;
        urgency_of.entry(sign.to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ")).or_default().insert(u);
    }
    for (sign, tiers) in urgency_of {
        assert_eq!(tiers.len(), 1, "`{sign}` has different urgencies: {tiers:?}");
    }
    assert_eq!(temperatures("a 38.5 °C fever, 38°C"), vec!["38.5", "38"]);
}
