//! The shipped content: clean, complete, consistent, and never advising what the facts file
//! calls unsafe or outdated (those words may appear only inside `mistakes`).

use crate::support::{options, preview, repo};
use carebook::model::{FileId, Site};
use carebook::schema::{Kind, Urgency};
use std::collections::{BTreeMap, BTreeSet};

/// The shipped site, checked with the tests' fixed date, so that `cargo test` passes on any day;
/// `.ci/run` checks it against the real date (`carebook check --deny-warnings`), where an overdue
/// review fails CI, on purpose.
fn shipped() -> (carebook::Report, Option<Site>) {
    preview(&options(&repo())).expect("check runs")
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
    for i in site.symptoms.iter().chain(&site.causes).map(|t| t.file) {
        assert!(site.backlinks.get(&i).is_some_and(|g| !g.is_empty()), "{} is used by no guide", site.file(i).id);
    }
    assert!(site.guides.len() >= 8, "about eight guides");
    for g in site.guides.iter().map(|g| g.file) {
        let guide = &site.guide(g).expect("guide").matter;
        let id = &site.file(g).id;
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
    let tiers: BTreeSet<Urgency> = site.red_flags.iter().map(|f| f.urgency).collect();
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
    // Alcohol compresses; "after alcohol" in safer-sleep advice is a caution, not a remedy.
    "alcohol compress",
    "alcohol or camphor",
    "alcohol or vodka",
    "alcohol, vodka",
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
    // A doctor may drain an abscess through a needle; opening a spot with one at home is unsafe.
    "with a needle",
    "needle or pin",
    "aspirin",
    "honey",
];

/// All text of a guide outside its `mistakes`.
fn advice_text(site: &Site, g: FileId) -> String {
    let guide = &site.guide(g).expect("guide").matter;
    let text = raw(site, g);
    let mut parts = vec![guide.title.value.clone(), guide.summary.value.clone(), split(&text).1.to_string()];
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
    for g in site.guides.iter().map(|g| g.file) {
        let text = advice_text(&site, g);
        for word in UNSAFE {
            if text.contains(word) {
                found.push(format!("{}: `{word}` outside `mistakes`", site.file(g).id));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
    // The lint has teeth: the mistakes themselves do name these practices.
    let mistakes: String = site
        .guides
        .iter()
        .flat_map(|g| site.guide(g.file).expect("guide").matter.mistakes.iter().map(|m| m.mistake.value.to_lowercase()))
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
    // Body temperatures (35 to 45 °C) are always the one fever threshold; the fridge and the
    // room in the milk-storage guide are not body temperatures.
    let mut fevers = 0;
    for (i, f) in site.files() {
        for t in temperatures(&raw(&site, i)) {
            if t.parse::<f64>().is_ok_and(|v| (35.0..=45.0).contains(&v)) {
                fevers += 1;
                assert_eq!(t, "38", "{}: a temperature other than 38 °C ({t} °C)", f.source.path);
            }
        }
    }
    assert!(fevers > 10, "the fever threshold is written on many pages ({fevers})");
    let mut urgency_of: BTreeMap<String, BTreeSet<Urgency>> = BTreeMap::new();
    for &flag in &site.red_flags {
        let (u, sign) = (flag.urgency, &site.flag(flag).expect("flag").1.sign.value);
        urgency_of.entry(sign.to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ")).or_default().insert(u);
    }
    for (sign, tiers) in urgency_of {
        assert_eq!(tiers.len(), 1, "`{sign}` has different urgencies: {tiers:?}");
    }
    assert_eq!(temperatures("a 38.5 °C fever, 38°C"), vec!["38.5", "38"]);
}

// ---- Helpers over the raw text of the shipped files (YAML comments are not in the model).

/// The text of file `i`, read from disk: `check` lets go of the texts of guides and pages once
/// they are parsed, so `source.text` cannot be relied on here.
fn raw(site: &Site, i: FileId) -> String {
    std::fs::read_to_string(repo().join(&site.file(i).source.path)).expect("read a shipped file")
}

/// The front matter (from the opening `---` to the closing one) and the Markdown body of a text.
fn split(text: &str) -> (&str, &str) {
    let end = text[3..].find("\n---\n").map_or(text.len(), |n| n + 3 + 5);
    text.split_at(end)
}

/// The shipped file with this kind and id.
fn file(site: &Site, kind: Kind, id: &str) -> FileId {
    site.find(kind, id).unwrap_or_else(|| panic!("{kind:?} {id} exists"))
}

/// The guide with this id.
fn guide_of<'a>(site: &'a Site, id: &str) -> &'a carebook::schema::GuideMatter {
    &site.guide(file(site, Kind::Guide, id)).expect("a guide").matter
}

/// The text of a file without its `sources:` block (source titles may quote contested names).
fn text_without_sources(text: &str) -> String {
    let mut out = String::new();
    let mut in_sources = false;
    for line in text.lines() {
        if line.starts_with("sources:") {
            in_sources = true;
            continue;
        }
        if in_sources && !(line.starts_with(' ') || line.starts_with('#') || line.is_empty()) {
            in_sources = false;
        }
        if !in_sources {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Sentences of a text, split after `.`, `!` and `?` and at line ends.
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut cur = String::new();
        let chars: Vec<char> = line.chars().collect();
        for (n, &c) in chars.iter().enumerate() {
            cur.push(c);
            if matches!(c, '.' | '!' | '?') && chars.get(n + 1).is_none_or(|c| c.is_whitespace()) {
                out.push(std::mem::take(&mut cur));
            }
        }
        if !cur.trim().is_empty() {
            out.push(cur);
        }
    }
    out.into_iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
}

/// Every source the shipped site may cite: its key, the publisher's own address (or DOI), and
/// the year only where the facts files confirm it. A source not listed here has not been vetted
/// (third-party copies, unverified addresses and the bfmed.org protocol list are left out on
/// purpose); ABM protocols #4 and #20 are history, and #20 is cited only as replaced.
const SOURCES: &[(&str, &str, Option<i64>)] = &[
    ("nhs-mastitis", "https://www.nhs.uk/conditions/mastitis/", None),
    ("abm36", "https://www.liebertpub.com/doi/10.1089/bfm.2022.29207.kbm", Some(2022)),
    ("abm20", "https://doi.org/10.1089/bfm.2016.29008.pjb", Some(2016)),
    ("uihc", "https://uihc.org/educational-resources/management-mastitis", None),
    ("lllc", "https://www.lllc.ca/mastitis-matter-inflammation", None),
    (
        "nct-mastitis",
        "https://www.nct.org.uk/baby-toddler/feeding/common-concerns/mastitis-symptoms-and-treatment",
        None,
    ),
    ("nhs-ibuprofen", "https://www.nhs.uk/medicines/ibuprofen-for-adults/", None),
    ("sps-nsaids", "https://www.sps.nhs.uk/articles/using-nsaids-during-breastfeeding/", None),
    ("who-iycf", "https://www.ncbi.nlm.nih.gov/books/NBK148965/", Some(2009)),
    (
        "douglas-2023",
        "https://internationalbreastfeedingjournal.biomedcentral.com/articles/10.1186/s13006-023-00588-8",
        Some(2023),
    ),
    ("nhs-sepsis", "https://www.nhs.uk/conditions/sepsis/", None),
    ("ukst-safety-net", "https://patient.info/infections/sepsis-septicaemia-leaflet/adult-sepsis-safety-net", None),
    ("nhs-abscess", "https://www.nhs.uk/conditions/breast-abscess/", None),
    ("nhs-lumps", "https://www.nhs.uk/conditions/breast-lump/", None),
    (
        "mda-ibc",
        "https://www.mdanderson.org/publications/focused-on-health/inflammatory-breast-cancer-symptoms--what-to-know.h15-1593780.html",
        None,
    ),
    ("glos-pathway", "https://g-care.glos.nhs.uk/pathway/427/resource/11", Some(2017)),
    ("bfn-mastitis", "https://www.breastfeedingnetwork.org.uk/breastfeeding-information/mastitis-breastfeeding/", None),
    ("lllusa", "https://lllusa.org/mastitis/", None),
    ("lllsa", "https://www.lllsa.org/mastitis", Some(2025)),
    ("coch-engorgement", "https://www.cochranelibrary.com/cdsr/doi/10.1002/14651858.CD006946.pub4/full", Some(2020)),
    (
        "elht-nappies",
        "https://elht.nhs.uk/services/maternity-and-newborn-services/infant-feeding/early-breastfeeding-days",
        None,
    ),
    ("bhr-breastfeeding", "https://bhrhospitals.nhs.uk/breastfeeding-", None),
    (
        "ht-weight",
        "https://www.what0-18.nhs.uk/worried-your-baby-unwell-under-3-months-2/infant-feeding/healthy-weight",
        None,
    ),
    ("nice-ng75", "https://www.nice.org.uk/guidance/ng75/chapter/Recommendations", Some(2017)),
    (
        "ht-jaundice",
        "https://wyhealthiertogether.nhs.uk/parentscarers/worried-your-baby-unwell-under-3-months/jaundice",
        None,
    ),
    ("hfu5-jaundice", "https://healthforunder5s.co.uk/sections/baby/newborn-jaundice", None),
    ("ht-fever", "https://oxfordshire-healthiertogether.nhs.uk/pregnant-women/fever-high-temperature", None),
    ("nhs-dehydration", "https://www.nhs.uk/conditions/dehydration/", None),
    ("aba-abscess", "https://www.breastfeeding.asn.au/resources/breast-abscess", None),
    ("nhsw-nipples", "https://111.wales.nhs.uk/livewell/pregnancy/sorenipples/", None),
    (
        "nct-nipples",
        "https://www.nct.org.uk/baby-toddler/feeding/common-concerns/sore-nipples-when-breastfeeding",
        None,
    ),
    ("beside-you", "https://besideyoumedway.co.uk/getting-started/discomfort/", None),
    ("nhs-thrush", "https://nhs.uk/start4life/baby/breastfeeding/breastfeeding-challenges/thrush", None),
    (
        "ht-thrush",
        "https://what0-18.nhs.uk/worried-your-baby-unwell-under-3-months-2/worried-about-your-baby/my-baby-has-thrush",
        None,
    ),
    (
        "york-thrush",
        "https://www.yorkhospitals.nhs.uk/our-services/a-z-of-services/maternity-services/breastfeeding/thrush/",
        None,
    ),
    ("aba-vasospasm", "https://www.breastfeeding.asn.au/resources/vasospasm", None),
    (
        "cdc-herpes",
        "https://www.cdc.gov/breastfeeding/breastfeeding-special-circumstances/maternal-or-infant-illnesses/herpes.html",
        None,
    ),
    ("barankin-2004", "https://doi.org/10.1007/s10227-004-0116-6", Some(2004)),
    ("cancer-australia", "https://canceraustralia.gov.au/cancer-types/breast-cancer/awareness/breast-changes", None),
    ("abm32", "https://doi.org/10.1089/bfm.2019.29141.hmj", Some(2020)),
    ("lllsa-oversupply", "https://www.lllsa.org/oversupply", None),
    ("jabfm-2016", "https://www.jabfm.org/content/29/1/139", Some(2016)),
    ("mohrbacher-block", "https://nancymohrbacher.com/blogs/news/block-feeding-dos-donts", None),
    ("abm30", "https://doi.org/10.1089/bfm.2019.29124.kjm", Some(2019)),
    ("llli-lumps", "https://llli.org/breastfeeding-info/lumps-and-breast-imaging/", None),
    (
        "ouh-abx",
        "https://ouh.quris.com/hospital-guidelines/adult-antimicrobial-guide/empiric-treatment/skin-and-skin-structure-infection/mastitis-breast-abscess",
        None,
    ),
    (
        "hse-abx",
        "https://hse.ie/eng/services/list/2/gp/antibiotic-prescribing/conditions-and-treatments/pregnancy-infections/mastitis",
        None,
    ),
    (
        "cdc-storage",
        "https://www.cdc.gov/breastfeeding/breast-milk-preparation-and-storage/handling-breastmilk.html",
        None,
    ),
    ("cdc-pump", "https://www.cdc.gov/hygiene/childcare/breast-pump-cleaning-FAQ.html", None),
    ("bfn-storing", "https://www.breastfeedingnetwork.org.uk/breastfeeding-help/expressing-storing/", None),
    ("hse-expressing", "https://www.breastfeeding.ie/Ask-our-expert/Questions/How-often-should-I-express.html", None),
    (
        "rwh-expressing",
        "https://www.thewomens.org.au/health-information/breastfeeding/breastfeeding-sick-and-premature-babies/expressing-breast-milk-for-a-premature-baby",
        None,
    ),
    ("sd-pumping", "https://sdbfpc.zendesk.com/hc/en-us/articles/6261793050263-Pumping-Pain", None),
    ("lactmed", "https://www.ncbi.nlm.nih.gov/books/NBK547439/", None),
    ("lactmed-codeine", "https://www.ncbi.nlm.nih.gov/books/n/lactmed/LM347/", None),
    ("lactmed-aspirin", "https://pubmed.ncbi.nlm.nih.gov/30000255/", None),
    ("e-lactancia", "https://www.e-lactation.com/en/flucloxacillin-pr/", None),
    ("e-lactancia-fenugreek", "https://www.e-lactancia.org/breastfeeding/fenugreek/product/", None),
    ("bfn-codeine", "https://www.breastfeedingnetwork.org.uk/codeine/", None),
    ("fda-codeine", "https://www.fda.gov/ForConsumers/ConsumerUpdates/ucm048740.htm", Some(2007)),
    (
        "bcn-periductal",
        "https://breastcancernow.org/about-breast-cancer/breast-lumps-and-benign-not-cancer-breast-conditions/periductal-mastitis/",
        None,
    ),
    ("hse-nonbf", "https://www.hse.ie/eng/health/az/m/mastitis-non-breastfeeding-/", Some(2011)),
    ("sleep-humber", "https://www.humber.nhs.uk/news/Information-about-safer-sleep.htm", Some(2019)),
    ("sleep-wirral", "https://www.wuth.nhs.uk/maternity-services/your-postnatal-care/safer-sleep-for-baby", None),
];

/// The vetted entry for a key.
fn vetted(key: &str) -> Option<&'static (&'static str, &'static str, Option<i64>)> {
    SOURCES.iter().find(|(k, _, _)| *k == key)
}

#[test]
fn every_source_is_keyed_vetted_and_dated_only_when_known() {
    let site = shipped().1.expect("no errors");
    let mut problems = Vec::new();
    for g in site.guides.iter().map(|g| g.file) {
        let id = &site.file(g).id;
        for e in &site.guide(g).expect("guide").matter.sources {
            let url = &e.url.value;
            let Some(key) = &e.key else {
                problems.push(format!("{id}: source {url} has no `key:`"));
                continue;
            };
            let key = &key.value;
            let year = e.year.as_ref().map(|y| y.value);
            match vetted(key) {
                None => problems.push(format!("{id}: `{key}` ({url}) is not a vetted source")),
                Some((_, vurl, vyear)) => {
                    if url != vurl {
                        problems.push(format!("{id}: `{key}` points at {url} instead of {vurl}"));
                    }
                    if year != *vyear {
                        problems.push(format!("{id}: `{key}` has year {year:?}; the confirmed year is {vyear:?}"));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The superseded protocols are cited only as history.
    for g in site.guides.iter().map(|g| g.file) {
        for s in &site.guide(g).expect("guide").matter.sources {
            let t = &s.title.value;
            if t.contains("#4:") || t.contains("#20:") {
                assert!(t.contains("replaced"), "{}: `{t}` is cited as if current", site.file(g).id);
            }
            assert!(
                !s.url.value.contains("bfmed.org/protocols"),
                "{}: the protocol list is not a source",
                site.file(g).id
            );
        }
    }
}

/// Safety net 8: the site does not overstate its checking, and a contested idea is always
/// attributed to the protocol it comes from.
#[test]
fn safety_net_8_about_page_is_honest_and_contested_ideas_are_attributed() {
    let site = shipped().1.expect("no errors");
    let about = raw(&site, file(&site, Kind::Page, "about")).to_lowercase();
    assert!(!about.contains("every fact"), "about.md claims every fact comes from a published source");
    assert!(
        about.contains("has not yet checked these guides"),
        "about.md must say no clinician has checked the guides"
    );
    assert!(
        !about.contains("reviewed by a midwife") && !about.contains("clinically reviewed"),
        "about.md implies a review"
    );
    let mut problems = Vec::new();
    for (i, f) in site.files() {
        for s in sentences(&text_without_sources(&raw(&site, i))) {
            let l = s.to_lowercase();
            let contested = l.contains("mastitis spectrum")
                || ["main cause", "main reason", "main driver", "main thing"].iter().any(|w| l.contains(w));
            if contested && !l.contains("protocol") {
                problems.push(format!("{}: `{s}` states a contested idea as fact", f.source.path));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

// ---- Readable in a hurry.

/// The words of a text: runs between spaces and slashes that hold a letter or digit.
fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| c.is_whitespace() || c == '/').filter(|w| w.chars().any(|c| c.is_alphanumeric())).collect()
}

/// Syllables in one word, by a documented heuristic (English has no exact rule): count runs of
/// vowels (a e i o u y); drop a silent final `e` (but not in `-le` after a consonant, as in
/// "table"), and a silent `-es` or `-ed` (not after s, x, z, ch, sh for `-es`, nor after t or d
/// for `-ed`); at least one per word. A number counts one syllable per digit ("38" → 2, an
/// undercount of "thirty-eight" that is balanced by "10" → 2).
fn syllables(word: &str) -> usize {
    let w: String = word.to_lowercase().chars().filter(|c| c.is_alphanumeric()).collect();
    if w.chars().all(|c| c.is_ascii_digit()) {
        return w.len().max(1);
    }
    let vowel = |c: char| "aeiouy".contains(c);
    let chars: Vec<char> = w.chars().collect();
    let mut n = 0;
    let mut prev = false;
    for &c in &chars {
        let v = vowel(c);
        if v && !prev {
            n += 1;
        }
        prev = v;
    }
    let before = |k: usize| chars.len().checked_sub(k + 1).and_then(|i| chars.get(i)).copied().unwrap_or('a');
    let consonant_before = !vowel(before(2));
    let silent_e = w.ends_with('e') && !(w.ends_with("le") && consonant_before);
    let silent_es = w.ends_with("es") && consonant_before && !"sxzh".contains(before(2));
    let silent_ed = w.ends_with("ed") && consonant_before && !"td".contains(before(2));
    if n > 1 && (silent_e || silent_es || silent_ed) {
        n -= 1;
    }
    n.max(1)
}

/// Flesch-Kincaid grade level: 0.39 × (words ÷ sentences) + 11.8 × (syllables ÷ words) − 15.59.
/// Each item of `sentences` counts as at least one sentence (a warning sign or a list item is
/// one, even without a full stop), and more if it holds several sentence ends.
fn fk_grade(sentences: &[String]) -> f64 {
    let mut n_words = 0usize;
    let mut n_syll = 0usize;
    let mut n_sent = 0usize;
    for s in sentences {
        let ws = words(s);
        if ws.is_empty() {
            continue;
        }
        n_words += ws.len();
        n_syll += ws.iter().map(|w| syllables(w)).sum::<usize>();
        let ends = ws.iter().filter(|w| w.ends_with(['.', '!', '?'])).count();
        n_sent += ends.max(1);
    }
    if n_words == 0 {
        return 0.0;
    }
    0.39 * n_words as f64 / n_sent as f64 + 11.8 * n_syll as f64 / n_words as f64 - 15.59
}

/// The prose of a Markdown body as sentences: headings and alert markers left out, link targets
/// and emphasis removed, each list item a sentence of its own.
fn body_sentences(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in body.lines() {
        let l = line.trim().trim_start_matches('>').trim();
        if l.is_empty() || l.starts_with('#') || l.starts_with("[!") {
            continue;
        }
        let mut plain = String::new();
        let mut rest = l.strip_prefix("- ").unwrap_or(l);
        // [text](target) → text
        while let Some(open) = rest.find('[') {
            plain.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            match (after.find("]("), after.find(')')) {
                (Some(close), Some(end)) if close < end => {
                    plain.push_str(&after[..close]);
                    rest = &after[end + 1..];
                }
                _ => {
                    plain.push('[');
                    rest = after;
                }
            }
        }
        plain.push_str(rest);
        let plain = plain.replace("**", "");
        if l.starts_with("- ") {
            out.push(plain);
        } else {
            out.extend(sentences(&plain));
        }
    }
    out
}

/// Why a warning sign chains too many conditions with "or", if it does: more than two "or" in
/// one clause, or a list "A, B or C" of short items.
fn or_chain(sign: &str) -> Option<String> {
    for clause in sign.split(['(', ')', ';', '.']) {
        let ors: Vec<usize> = clause.match_indices(" or ").map(|(i, _)| i).collect();
        if ors.len() > 2 {
            return Some(format!("{} `or` in `{clause}`", ors.len()));
        }
        for &i in &ors {
            let mut parts: Vec<&str> = clause[..i].split(',').map(str::trim).collect();
            while parts.last().is_some_and(|p| p.is_empty()) {
                parts.pop();
            }
            let short = |p: &&str| words(p).len() <= 3;
            if let [.., a, b] = parts.as_slice()
                && short(a)
                && short(b)
                && !b.starts_with("or ")
                && !b.starts_with("and ")
            {
                return Some(format!("a list of conditions in `{clause}`"));
            }
        }
    }
    None
}

#[test]
fn readability_helpers_count_as_documented() {
    let counted: Vec<usize> = ["table", "make", "the", "feeds", "washed", "needed", "causes", "takes", "breast", "38"]
        .iter()
        .map(|w| syllables(w))
        .collect();
    assert_eq!(counted, [2, 1, 1, 1, 1, 2, 2, 1, 1, 2]);
    assert_eq!(words("Hot / swollen, 38 °C — no."), ["Hot", "swollen,", "38", "°C", "no."]);
    // "The cat sat on the mat." → 6 words, 1 sentence, 6 syllables: 0.39×6 + 11.8 − 15.59 = −1.45.
    assert!((fk_grade(&["The cat sat on the mat.".into()]) + 1.45).abs() < 1e-9);
    assert!(or_chain("Confused, very drowsy, or slurred speech").is_some());
    assert!(or_chain("Blue, grey, pale or blotchy skin").is_some());
    assert!(or_chain("Hot or red or sore or swollen").is_some());
    assert!(or_chain("A temperature of 38 °C or above, or feeling hot and shivery").is_none());
    assert!(or_chain("Redness that is not better after about a week, with or without antibiotics").is_none());
    assert_eq!(
        body_sentences("## Heading\n\nOne. Two [link](a.md).\n\n- an item\n> [!WARNING]\n> Call **now**."),
        ["One.", "Two link.", "an item", "Call now."]
    );
}

#[test]
fn every_warning_sign_is_one_short_sign() {
    let site = shipped().1.expect("no errors");
    let mut problems = Vec::new();
    for g in site.guides.iter().map(|g| g.file) {
        for flag in &site.guide(g).expect("guide").matter.see_a_doctor {
            let sign = &flag.sign.value;
            let n = words(sign).len();
            if n > 25 {
                problems.push(format!("{}: {n} words (at most 25): `{sign}`", site.file(g).id));
            }
            if let Some(why) = or_chain(sign) {
                problems.push(format!("{}: {why}", site.file(g).id));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn warning_signs_and_bodies_read_at_grade_8_or_below() {
    let site = shipped().1.expect("no errors");
    let mut problems = Vec::new();
    for g in site.guides.iter().map(|g| g.file) {
        let id = &site.file(g).id;
        let signs: Vec<String> =
            site.guide(g).expect("guide").matter.see_a_doctor.iter().map(|f| f.sign.value.clone()).collect();
        let text = raw(&site, g);
        let body = body_sentences(split(&text).1);
        for (what, grade) in [("warning signs", fk_grade(&signs)), ("body", fk_grade(&body))] {
            if grade > 8.0 {
                problems.push(format!("{id}: {what} read at grade {grade:.1}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

// ---- Safety nets (issue 17): each a fix that a test can point to.

/// The tiers at which guide `id` has a warning sign containing `phrase` (case-insensitive).
fn tiers_in(site: &Site, id: &str, phrase: &str) -> BTreeSet<Urgency> {
    let phrase = phrase.to_lowercase();
    guide_of(site, id)
        .see_a_doctor
        .iter()
        .filter(|f| f.sign.value.to_lowercase().contains(&phrase))
        .map(|f| f.urgency.value)
        .collect()
}

/// The tiers at which any guide has a warning sign containing `phrase`.
fn tiers_anywhere(site: &Site, phrase: &str) -> BTreeSet<Urgency> {
    site.guides.iter().flat_map(|g| tiers_in(site, &site.file(g.file).id, phrase)).collect()
}

/// Problems with guides that must carry `phrase` at exactly `tier`.
fn require(site: &Site, guides: &[&str], phrase: &str, tier: Urgency, problems: &mut Vec<String>) {
    for id in guides {
        let found = tiers_in(site, id, phrase);
        if found != BTreeSet::from([tier]) {
            problems.push(format!("{id}: `{phrase}` should be {tier:?}, found {found:?}"));
        }
    }
}

/// Safety net 3: a lump that stays or keeps coming back is examined and scanned, and the
/// abscess and feeling-very-unwell signs are wherever a sore lump is.
#[test]
fn safety_net_3_lumps_that_stay_or_return_and_abscess_signs() {
    let site = shipped().1.expect("no errors");
    let mut p = Vec::new();
    require(&site, &["mastitis", "blocked-duct"], "keeps coming back in the same place", Urgency::Soon, &mut p);
    let lumps = ["mastitis", "blocked-duct", "milk-stasis", "weaning-gently", "when-to-worry"];
    require(&site, &lumps, "still there after about a week", Urgency::Soon, &mut p);
    require(&site, &["mastitis", "when-to-worry"], "breast problems that keep coming back", Urgency::Routine, &mut p);
    let sore_lump = ["blocked-duct", "milk-stasis", "mastitis", "when-to-worry"];
    require(&site, &sore_lump, "very painful, hot, swollen lump", Urgency::Urgent, &mut p);
    require(&site, &sore_lump, "stays hard, red and painful even on antibiotics", Urgency::Urgent, &mut p);
    let unwell = ["blocked-duct", "milk-stasis", "engorgement", "mastitis", "when-to-worry"];
    require(&site, &unwell, "something is seriously wrong", Urgency::Urgent, &mut p);
    // Flag 20 moved from routine to soon everywhere: no lasting lump waits for a routine visit.
    for phrase in ["still there after", "left behind after"] {
        let t = tiers_anywhere(&site, phrase);
        if t.contains(&Urgency::Routine) {
            p.push(format!("`{phrase}` is still routine somewhere: {t:?}"));
        }
    }
    // The lasting lump is sent for an examination and an ultrasound scan.
    for (kind, id) in [(Kind::Symptom, "breast-lump"), (Kind::Guide, "when-to-worry"), (Kind::Guide, "blocked-duct")] {
        let text = raw(&site, file(&site, kind, id)).to_lowercase();
        if !(text.contains("examine") && text.contains("ultrasound")) {
            p.push(format!("{id}: a lasting lump is not sent for an examination and an ultrasound"));
        }
    }
    assert!(p.is_empty(), "{}", p.join("\n"));
}

/// Safety net 4: the inflammatory-breast-cancer look-alike does not depend on antibiotics, is on
/// every guide about a sore, red breast, and has the tier of "not better 48 hours into
/// antibiotics" (flag 13): whoever meets it has met flag 13 too.
#[test]
fn safety_net_4_redness_that_lasts_a_week_with_or_without_antibiotics() {
    let site = shipped().1.expect("no errors");
    let flag_13 = tiers_anywhere(&site, "48 hours after starting antibiotics");
    assert_eq!(flag_13.len(), 1, "flag 13 has one tier: {flag_13:?}");
    let tier = *flag_13.first().expect("one tier");
    let mut p = Vec::new();
    let guides = ["mastitis", "when-to-worry", "blocked-duct", "milk-stasis"];
    require(&site, &guides, "not clearly better after about a week, with or without antibiotics", tier, &mut p);
    let old = tiers_anywhere(&site, "into antibiotics");
    if !old.is_empty() {
        p.push(format!("a sign still depends on being a week into antibiotics: {old:?}"));
    }
    assert!(p.is_empty(), "{}", p.join("\n"));
}

/// Safety net 6: shivering has one meaning per tier — "extreme shivering that you cannot stop"
/// is an emergency, "hot and shivery" with a sore breast is urgent — and no page sends "feeling
/// very unwell" (flag 6, urgent) to the emergency number.
#[test]
fn safety_net_6_one_meaning_of_shivering_per_tier() {
    let site = shipped().1.expect("no errors");
    let mut p = Vec::new();
    for g in site.guides.iter().map(|g| g.file) {
        for f in &site.guide(g).expect("guide").matter.see_a_doctor {
            let s = f.sign.value.to_lowercase();
            if !s.contains("shiver") {
                continue;
            }
            let ok = match f.urgency.value {
                Urgency::Emergency => s.contains("extreme shivering that you cannot stop"),
                Urgency::Urgent => s.contains("hot and shivery"),
                _ => false,
            };
            if !ok {
                p.push(format!("{}: `{}` ({:?})", site.file(g).id, f.sign.value, f.urgency.value));
            }
        }
    }
    for (i, f) in site.files() {
        for s in sentences(&text_without_sources(&raw(&site, i))) {
            let l = s.to_lowercase();
            if l.contains("extreme shivering") && !l.contains("cannot stop") {
                p.push(format!("{}: extreme shivering is not defined: `{s}`", f.source.path));
            }
            if l.contains("emergency number") && l.contains("very unwell") {
                p.push(format!("{}: `very unwell` sent to the emergency number: `{s}`", f.source.path));
            }
        }
    }
    let chills = raw(&site, file(&site, Kind::Symptom, "chills")).to_lowercase();
    assert!(chills.contains("hot and shivery") && chills.contains("cannot stop"), "chills.md explains both kinds");
    assert!(p.is_empty(), "{}", p.join("\n"));
}

/// Safety net 2: the bleb guide says "keep feeding from both breasts" and names herpes as a
/// look-alike, so it also says not to feed from a breast with sores until a doctor has looked.
#[test]
fn safety_net_2_sores_on_the_breast_stop_feeding_from_that_side() {
    let site = shipped().1.expect("no errors");
    let mut p = Vec::new();
    require(&site, &["nipple-bleb"], "blisters or sores on your breast or nipple", Urgency::Urgent, &mut p);
    let bleb = guide_of(&site, "nipple-bleb");
    let feeding = bleb.steps.iter().find(|s| s.title.value.to_lowercase().contains("feeding")).expect("a feeding step");
    let caution = feeding.caution.as_ref().map(|c| c.value.to_lowercase()).unwrap_or_default();
    for words in ["do not feed", "until a doctor has looked", "herpes"] {
        if !caution.contains(words) {
            p.push(format!("the keep-feeding step's caution lacks `{words}`"));
        }
    }
    assert!(p.is_empty(), "{}", p.join("\n"));
}

/// Safety net 1: the baby. Engorgement has a fallback when the baby still cannot feed, and it
/// and the feeding-by-the-clock page give the newborn minimum; the baby's own signs are there.
#[test]
fn safety_net_1_the_baby_is_not_forgotten() {
    let site = shipped().1.expect("no errors");
    let mut p = Vec::new();
    let eng = guide_of(&site, "engorgement");
    let steps: Vec<String> = eng
        .steps
        .iter()
        .map(|s| {
            format!("{} {} {}", s.title.value, s.text.value, s.caution.as_ref().map_or("", |c| &c.value)).to_lowercase()
        })
        .collect();
    if !steps.iter().any(|s| s.contains("8 to 12 times")) {
        p.push("engorgement: no step gives the newborn minimum of 8 to 12 feeds in 24 hours".to_string());
    }
    let fallback = steps.iter().find(|s| s.contains("still cannot feed"));
    match fallback {
        Some(s) if s.contains("give it to your baby") && s.contains("midwife today") => {}
        _ => p.push("engorgement: no fallback (give expressed milk, call the midwife today)".to_string()),
    }
    require(&site, &["engorgement"], "too sleepy to feed", Urgency::Urgent, &mut p);
    require(&site, &["engorgement"], "fewer than 8 feeds in 24 hours", Urgency::Urgent, &mut p);
    let clock = raw(&site, file(&site, Kind::Cause, "scheduled-feeding")).to_lowercase();
    if !(clock.contains("8 to 12 times") && clock.contains("midwife today")) {
        p.push("scheduled-feeding: no newborn minimum, or no help for a sleepy newborn".to_string());
    }
    assert!(p.is_empty(), "{}", p.join("\n"));
}

/// Safety net 5: wherever a page says to express only until comfortable, a mother who only
/// pumps is told to keep her usual sessions (or to cut them down slowly when weaning).
#[test]
fn safety_net_5_a_mother_who_only_pumps_keeps_her_sessions() {
    let site = shipped().1.expect("no errors");
    let comfort = ["uncomfortably full", "only to comfort", "feel overfull", "too full", "until you feel comfortable"];
    let mut checked = 0;
    let mut p = Vec::new();
    for (i, f) in site.files() {
        let text = text_without_sources(&raw(&site, i)).to_lowercase();
        if comfort.iter().any(|c| text.contains(c)) {
            checked += 1;
            if !text.contains("if you only pump") {
                p.push(format!(
                    "{}: says to express only to comfort but not what a mother who only pumps does",
                    f.source.path
                ));
            }
        }
    }
    assert!(checked >= 8, "the comfort rule is on many pages ({checked})");
    assert!(p.is_empty(), "{}", p.join("\n"));
}

/// Safety net 7: wherever a guide suggests resting or feeding lying down with the baby, it gives
/// the safer-sleep caveat; and hand expression says how often to express for a baby who cannot
/// breastfeed.
#[test]
fn safety_net_7_safer_sleep_when_resting_and_how_often_to_express() {
    let site = shipped().1.expect("no errors");
    let mut p = Vec::new();
    let mut resting = 0;
    for g in site.guides.iter().map(|g| g.file) {
        let text = text_without_sources(&raw(&site, g)).to_lowercase();
        if ["in bed", "lying on your side", "lying down", "side-lying"].iter().any(|w| text.contains(w)) {
            resting += 1;
            if !(text.contains("own cot") && text.contains("sofa or armchair")) {
                p.push(format!(
                    "{}: suggests resting or feeding lying down without the safer-sleep caveat",
                    site.file(g).id
                ));
            }
        }
    }
    assert!(resting >= 2, "mastitis and positions suggest rest lying down ({resting})");
    let hand = text_without_sources(&raw(&site, file(&site, Kind::Guide, "hand-expression"))).to_lowercase();
    if !hand.contains("8 to 10 times in 24 hours") {
        p.push("hand-expression: does not say how often to express for a baby who cannot breastfeed".to_string());
    }
    assert!(p.is_empty(), "{}", p.join("\n"));
}

// ---- Citations (`cite:`; `check` refuses a key that is not among the guide's sources).

/// Every step, mistake and warning sign of every guide cites at least one source (the keys
/// themselves are checked by `check`: `unknown-citation`), and the shipped site requires it of
/// warning signs (`require_citations`), so a new uncited sign fails `check` too.
#[test]
fn every_step_mistake_and_warning_sign_cites_a_source_of_its_guide() {
    let site = shipped().1.expect("no errors");
    assert!(site.config.require_citations, "carebook.toml sets require_citations");
    let mut problems = Vec::new();
    for g in site.guides.iter().map(|g| g.file) {
        let id = &site.file(g).id;
        let guide = &site.guide(g).expect("guide").matter;
        let keys: BTreeSet<&str> = guide.sources.iter().filter_map(|s| s.key.as_ref()).map(|k| &*k.value).collect();
        let items = guide
            .steps
            .iter()
            .map(|s| (format!("step `{}`", s.title.value), &s.cite))
            .chain(guide.mistakes.iter().map(|m| (format!("mistake `{}`", m.mistake.value), &m.cite)))
            .chain(guide.see_a_doctor.iter().map(|f| (format!("sign `{}`", f.sign.value), &f.cite)));
        for (item, cites) in items {
            if cites.is_empty() {
                problems.push(format!("{id}: {item} cites no source"));
            }
            for k in cites.iter().filter(|k| !keys.contains(&*k.value)) {
                problems.push(format!("{id}: {item} cites `{}`, which is not among its sources", k.value));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// No text that `carebook new` writes to be replaced is in any shipped file (`check` refuses it:
/// `placeholder`); this also holds the check to the shipped files' own texts.
#[test]
fn no_placeholder_text_is_shipped() {
    let site = shipped().1.expect("no errors");
    let mut problems = Vec::new();
    for (i, _) in site.files() {
        let text = raw(&site, i);
        let kind = site.file(i).kind;
        for p in carebook::trust::placeholder_texts(kind)
            .into_iter()
            .chain(carebook::trust::BODY_PLACEHOLDERS.iter().copied())
        {
            if text.contains(p) {
                problems.push(format!("{}: `{p}`", site.file(i).source.path));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Average silent reading speed of adults for non-fiction in English, in words per minute
/// (Brysbaert 2019, "How many words do we read per minute?", Journal of Memory and Language 109).
const WORDS_PER_MINUTE: f64 = 238.0;

/// A guide reads in under about 5 minutes: its title, summary, steps, mistakes, warning signs
/// and body prose (headings and link targets left out). `old-advice-to-skip` is a reference
/// list of remedies and is exempt, as the issue allows.
#[test]
fn a_guide_reads_in_about_five_minutes() {
    let site = shipped().1.expect("no errors");
    let mut problems = Vec::new();
    for g in site.guides.iter().map(|g| g.file) {
        let id = &site.file(g).id;
        if id == "old-advice-to-skip" {
            continue;
        }
        let guide = &site.guide(g).expect("guide").matter;
        let text = raw(&site, g);
        let mut parts: Vec<String> = vec![guide.title.value.clone(), guide.summary.value.clone()];
        parts.extend(body_sentences(split(&text).1));
        for s in &guide.steps {
            parts.extend([s.title.value.clone(), s.text.value.clone()]);
            parts.extend(s.caution.as_ref().map(|c| c.value.clone()));
        }
        for m in &guide.mistakes {
            parts.extend([m.mistake.value.clone(), m.instead.value.clone()]);
            parts.extend(m.why.as_ref().map(|w| w.value.clone()));
        }
        parts.extend(guide.see_a_doctor.iter().map(|f| f.sign.value.clone()));
        let n: usize = parts.iter().map(|p| words(p).len()).sum();
        let minutes = n as f64 / WORDS_PER_MINUTE;
        if minutes > 5.0 {
            problems.push(format!("{id}: {n} words, {minutes:.1} minutes to read"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

// ---- The red flags of the facts files: every one on the site, in its tier.

/// Red flags 1 to 63 of the facts files (23 in the first, 24 to 63 in the addendum), each keyed
/// by a phrase of its shipped wording, with the tier it has on the site. Where a flag became
/// several one-sign bullets, the phrase is that of its main bullet. Tiers that differ from the
/// facts files, and why:
/// - 20 (a lump still there after a week) is soon, not routine: addendum section J merges it
///   with 50; 15 and 51 are one sign, as are 18's redness and 53.
/// - 53 (redness or swelling not better in about a week, with or without antibiotics) is
///   urgent, not soon: it must agree with 13 (issue 17, safety net 4).
/// - 45 (a nipple rash or sore that has not healed in a few weeks) is soon, not routine:
///   Cancer Australia says to see a GP without delay about a nipple change; grade up when unsure.
///
/// Left out: 57 (milk output falling though pumping as often), which the addendum marks "from
/// general knowledge — verify" with no source to cite.
const FLAGS: &[(u32, Urgency, &str)] = &[
    (1, Urgency::Emergency, "confused or very drowsy"),
    (2, Urgency::Emergency, "blue or grey lips or skin"),
    (3, Urgency::Emergency, "struggling to breathe"),
    (4, Urgency::Emergency, "rash that does not fade"),
    (5, Urgency::Emergency, "extreme shivering that you cannot stop"),
    (6, Urgency::Urgent, "something is seriously wrong"),
    (7, Urgency::Urgent, "temperature of 38 °C or above with a sore breast"),
    (8, Urgency::Urgent, "no better after 24 hours of self-care"),
    (9, Urgency::Urgent, "red streaks running towards the armpit"),
    (10, Urgency::Urgent, "pus in your milk"),
    (11, Urgency::Urgent, "cracked nipple with pus"),
    (12, Urgency::Urgent, "very painful, hot, swollen lump"),
    (13, Urgency::Urgent, "48 hours after starting antibiotics"),
    (14, Urgency::Soon, "not easing after 24 hours"),
    (15, Urgency::Soon, "keeps coming back in the same place"),
    (16, Urgency::Soon, "white spot on your nipple"),
    (17, Urgency::Soon, "nipple pain at most feeds"),
    (18, Urgency::Soon, "looks like orange peel"),
    (19, Urgency::Soon, "keeps coming back, with no cracked nipple"),
    (20, Urgency::Soon, "still there after about a week"),
    (21, Urgency::Routine, "seems full of milk"),
    (22, Urgency::Routine, "breast problems that keep coming back"),
    (23, Urgency::Routine, "still low a week or more after mastitis"),
    (24, Urgency::Emergency, "floppy or very hard to wake"),
    (25, Urgency::Emergency, "baby looks blue or pale"),
    (26, Urgency::Emergency, "under 3 months old and has a temperature"),
    (27, Urgency::Emergency, "yellow baby who is very sleepy or feeding poorly"),
    (28, Urgency::Urgent, "sunken soft spot"),
    (29, Urgency::Urgent, "yellow skin or eyes in the first 24 hours"),
    (30, Urgency::Urgent, "yellow colour is getting deeper"),
    (31, Urgency::Urgent, "no wet nappy in 8 hours"),
    (32, Urgency::Urgent, "very pale or chalky white"),
    (33, Urgency::Urgent, "too sleepy to feed"),
    (34, Urgency::Urgent, "fewer wet or dirty nappies than expected"),
    (35, Urgency::Urgent, "more than 10% of their birth weight"),
    (36, Urgency::Urgent, "still yellow at 2 weeks"),
    (37, Urgency::Soon, "not back to birth weight by about 2 weeks"),
    (38, Urgency::Urgent, "leaking out through the skin"),
    (39, Urgency::Urgent, "after an abscess is drained"),
    (40, Urgency::Soon, "still there after abscess treatment ends"),
    (41, Urgency::Urgent, "blisters or sores on your breast or nipple"),
    (42, Urgency::Soon, "white patches in your baby's mouth that do not wipe off"),
    (43, Urgency::Soon, "keeps turning white or blue"),
    (44, Urgency::Soon, "itchy rash on your nipple or areola"),
    (45, Urgency::Soon, "has not healed after a few weeks"),
    (46, Urgency::Routine, "tongue-tied"),
    (47, Urgency::Soon, "after you start block feeding"),
    (48, Urgency::Routine, "chokes or pulls off at most feeds"),
    (49, Urgency::Soon, "check your thyroid"),
    (50, Urgency::Soon, "still there after about a week"),
    (51, Urgency::Soon, "keeps coming back in the same place"),
    (52, Urgency::Soon, "fixed in place, or that keeps growing"),
    (53, Urgency::Urgent, "with or without antibiotics"),
    (54, Urgency::Soon, "swelling in your armpit"),
    (55, Urgency::Routine, "come back twice or more"),
    (56, Urgency::Soon, "pumping that hurts"),
    (58, Urgency::Emergency, "codeine or another opioid"),
    (59, Urgency::Urgent, "sleepy or confused on a painkiller"),
    (60, Urgency::Urgent, "blood in your baby's poo"),
    (61, Urgency::Routine, "runny poo or nappy rash"),
    (62, Urgency::Soon, "red or painful breast when you are not breastfeeding"),
    (63, Urgency::Soon, "new lump in your breast when you are not breastfeeding"),
];

/// The tier of flag `n`.
fn flag(n: u32) -> &'static (u32, Urgency, &'static str) {
    FLAGS.iter().find(|f| f.0 == n).unwrap_or_else(|| panic!("flag {n} is in FLAGS"))
}

#[test]
fn every_red_flag_of_the_facts_files_is_on_the_site_in_its_tier() {
    let site = shipped().1.expect("no errors");
    let mut problems = Vec::new();
    for &(n, tier, phrase) in FLAGS {
        let found = tiers_anywhere(&site, phrase);
        if found != BTreeSet::from([tier]) {
            problems.push(format!("flag {n} (`{phrase}`) should be {tier:?} wherever it is, found {found:?}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let numbers: BTreeSet<u32> = FLAGS.iter().map(|f| f.0).collect();
    let missing: Vec<u32> = (1..=63).filter(|n| !numbers.contains(n)).collect();
    assert_eq!(missing, [57], "only flag 57 is left out, for the reason above");
}

/// The guides the addendum suggests, each with the red flags it must carry (flag 57 left out,
/// see [`FLAGS`]; the addendum's "rashes, blisters and sores" guide is folded into
/// nipple-thrush, which carries its flags 41, 44 and 45).
const GUIDE_FLAGS: &[(&str, &[u32])] = &[
    ("baby-getting-enough", &[24, 26, 28, 31, 33, 34, 35, 37]),
    ("newborn-jaundice-sleepy-baby", &[24, 25, 27, 29, 30, 32, 33, 36]),
    ("breast-abscess", &[1, 2, 3, 4, 5, 6, 7, 12, 13, 38, 39, 40]),
    ("sore-cracked-nipples", &[11, 17, 41, 42, 46]),
    ("nipple-thrush", &[41, 42, 43, 44, 45]),
    ("white-nipple-vasospasm", &[43, 56]),
    ("too-much-milk", &[15, 22, 47, 48, 49]),
    ("lumps-that-come-back", &[15, 18, 19, 20, 21, 50, 51, 52, 53, 54, 55]),
    ("pumping-and-storing", &[7, 8, 14, 56]),
    ("medicines-while-breastfeeding", &[58, 59, 60, 61]),
    ("not-breastfeeding-breast-pain", &[62, 63]),
    ("resting-safely-when-unwell", &[1, 2, 3, 4, 5, 6, 7, 59]),
];

#[test]
fn the_suggested_guides_exist_and_carry_their_red_flags() {
    let site = shipped().1.expect("no errors");
    assert!(site.guides.len() >= 20, "at least 20 guides ({})", site.guides.len());
    let mut problems = Vec::new();
    for &(id, flags) in GUIDE_FLAGS {
        if site.find(Kind::Guide, id).is_none() {
            problems.push(format!("no guide `{id}`"));
            continue;
        }
        for &n in flags {
            let &(_, tier, phrase) = flag(n);
            require(&site, &[id], phrase, tier, &mut problems);
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

// ---- The glossary.

/// Words a mother may not know, as they appear in guides, symptom and cause pages, each with
/// the glossary heading that explains it.
const HARD_TERMS: &[(&str, &str)] = &[
    ("areola", "areola"),
    ("ibclc", "ibclc"),
    ("lactation consultant", "lactation consultant"),
    ("galactocele", "galactocele"),
    ("phlegmon", "phlegmon"),
    ("sepsis", "sepsis"),
    ("engorgement", "engorgement"),
    ("reverse pressure softening", "reverse pressure softening"),
    ("lymphatic drainage", "lymphatic drainage"),
    ("let-down", "let-down"),
    ("hyperlactation", "hyperlactation"),
    ("lactostasis", "lactostasis"),
    ("lecithin", "lecithin"),
    ("therapeutic ultrasound", "therapeutic ultrasound"),
    ("thrush", "thrush"),
    ("health visitor", "health visitor"),
    ("tongue-tie", "tongue-tie"),
    ("lanolin", "lanolin"),
    ("herpes", "herpes"),
    ("vasospasm", "vasospasm"),
    ("flange", "flange"),
    ("eczema", "eczema"),
    ("dermatitis", "dermatitis"),
    ("biopsy", "biopsy"),
    ("mammogram", "mammogram"),
    ("milk test", "milk culture"),
    ("subacute mastitis", "subacute mastitis"),
    ("ultrasound scan", "ultrasound scan"),
    ("probiotics", "probiotics"),
    ("forceful let-down", "forceful let-down"),
    ("block feeding", "block feeding"),
    ("only pump", "exclusive pumping"),
    ("sterilise", "sterilise"),
    ("lactmed", "lactmed"),
    ("galactagogue", "galactagogue"),
    ("ultra-rapid", "ultra-rapid"),
    ("opioid", "opioid"),
    ("meconium", "meconium"),
    ("soft spot", "fontanelle"),
    ("dehydration", "dehydration"),
    ("jaundice", "jaundice"),
    ("sids", "sids"),
    ("bed-sharing", "bed-sharing"),
    ("periductal mastitis", "periductal mastitis"),
    ("duct ectasia", "duct ectasia"),
    ("protocol", "protocol"),
    ("inflammatory breast cancer", "inflammatory breast cancer"),
    ("local anaesthetic", "local anaesthetic"),
    ("nhs 111", "nhs 111"),
    ("steroid ointment", "steroid ointment"),
    ("co-codamol", "co-codamol"),
    ("codeine", "codeine"),
    ("flucloxacillin", "flucloxacillin"),
    ("miconazole", "miconazole"),
    ("warfarin", "warfarin"),
    ("e-lactancia", "e-lactancia"),
    ("fenugreek", "fenugreek"),
    ("milk blister", "bleb"),
    ("gp", "gp"),
];

/// Whether `word` occurs in `text` as a whole word or phrase (both lower case).
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
        let after = text[i + word.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric());
        before && after
    })
}

#[test]
fn every_hard_word_used_is_in_the_glossary() {
    let site = shipped().1.expect("no errors");
    let glossary = raw(&site, file(&site, Kind::Page, "glossary")).to_lowercase();
    let headings: Vec<&str> = glossary.lines().filter_map(|l| l.strip_prefix("## ")).collect();
    let used: String = site
        .guides
        .iter()
        .map(|g| g.file)
        .chain(site.symptoms.iter().chain(&site.causes).map(|t| t.file))
        .map(|i| text_without_sources(&raw(&site, i)).to_lowercase())
        .collect::<Vec<_>>()
        .join("\n");
    let mut problems = Vec::new();
    let mut seen = 0;
    for &(term, heading) in HARD_TERMS {
        if !has_word(&used, term) {
            continue;
        }
        seen += 1;
        if !headings.iter().any(|h| h.contains(heading)) {
            problems.push(format!("`{term}` is used but the glossary has no `{heading}` entry"));
        }
    }
    assert!(seen > 40, "most hard words are used ({seen})");
    assert!(has_word("see a gp today", "gp") && !has_word("gpu", "gp"));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
