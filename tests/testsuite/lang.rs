//! Sites in several languages (#20): every page's `lang`, `hreflang` alternates that resolve both
//! ways, the Russian doctor index, no English word left in the Russian pages, translation drift,
//! and the commands that start and mark translations.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use scraper::{Html, Selector};

use crate::support::{self, build_ok, carebook, options, repo, shipped, temp_site};

/// What `check` reports for the site at `root`.
fn check(root: &Path) -> carebook::Report {
    carebook::run(&options(root), carebook::Goal::Check, None).expect("check runs").report
}

/// The two-language fixture.
fn fixture() -> PathBuf {
    repo().join("tests/fixtures/valid/two-languages")
}

/// The HTML pages of a built site: path → parsed document.
fn pages(out: &Path) -> BTreeMap<String, Html> {
    support::read_tree(out)
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p, Html::parse_document(&String::from_utf8_lossy(&b))))
        .collect()
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("selector")
}

/// `href` relative to the page at `page` (both `/`-separated, inside the output).
fn resolve(page: &str, href: &str) -> Option<String> {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for piece in href.split('#').next().unwrap_or("").split('/') {
        match piece {
            ".." => {
                parts.pop()?;
            }
            "." | "" => {}
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// The `hreflang` alternates of a page: language → output path.
fn alternates(page: &str, doc: &Html) -> BTreeMap<String, String> {
    doc.select(&sel("link[rel=alternate][hreflang]"))
        .filter_map(|l| {
            let href = l.value().attr("href")?;
            Some((l.value().attr("hreflang")?.to_string(), resolve(page, href)?))
        })
        .collect()
}

/// Every alternate of every page is a page whose alternates lead back, and the language
/// switcher's links all resolve.
fn assert_alternates_both_ways(out: &Path) -> usize {
    let pages = pages(out);
    let mut checked = 0;
    for (path, doc) in &pages {
        let alts = alternates(path, doc);
        if path.ends_with("404.html") {
            assert!(alts.is_empty(), "{path}: a 404 page has no alternates");
            continue;
        }
        let own = doc.select(&sel("html")).next().and_then(|h| h.value().attr("lang")).unwrap_or("").to_string();
        assert_eq!(alts.get(&own), Some(path), "{path}: names itself as its `{own}` alternate");
        for (lang, target) in &alts {
            let back = pages.get(target).unwrap_or_else(|| panic!("{path}: `{lang}` alternate `{target}` is missing"));
            assert_eq!(alternates(target, back).get(&own), Some(path), "{target} does not lead back to {path}");
            checked += 1;
        }
        for a in doc.select(&sel(".lang-switch a")) {
            let target = resolve(path, a.value().attr("href").unwrap_or("")).expect("inside the site");
            assert!(pages.contains_key(&target), "{path}: the switcher links to missing `{target}`");
        }
    }
    checked
}

#[test]
fn hreflang_alternates_resolve_both_ways() {
    let site = temp_site(&fixture());
    let out = build_ok(site.path());
    let checked = assert_alternates_both_ways(&out);
    // Home, 3 indexes, doctor, print, mastitis, fever, about: in two languages, two links each;
    // the 2 pages without a translation name only themselves.
    assert_eq!(checked, 9 * 2 * 2 + 2);
    // A page without a translation goes to the other language's home page, and says so.
    let blocked = std::fs::read_to_string(out.join("guides/blocked-duct.html")).expect("page");
    let doc = Html::parse_document(&blocked);
    let ru = doc.select(&sel(".lang-switch a[hreflang=ru]")).next().expect("a link to Russian");
    assert_eq!(ru.value().attr("href"), Some("../ru/index.html"));
    assert!(blocked.contains("not translated yet: goes to the home page"));
    assert!(!alternates("guides/blocked-duct.html", &doc).contains_key("ru"));
}

/// Every href and src of both languages leads to a file and an id as a browser reads it: an id
/// in Cyrillic (`## Что происходит`) is linked percent-encoded, from the page's contents as from
/// another page's Markdown, and the id itself stays readable.
#[test]
fn every_link_of_both_languages_resolves() {
    let site = temp_site(&fixture());
    let out = build_ok(site.path());
    let checked = crate::site::assert_links_resolve(site.path(), &out, false);
    assert!(checked > 100, "{checked} links checked");
    let ru = std::fs::read_to_string(out.join("ru/guides/mastitis.html")).expect("page");
    let encoded = "%D1%87%D1%82%D0%BE-%D0%BF%D1%80%D0%BE%D0%B8%D1%81%D1%85%D0%BE%D0%B4%D0%B8%D1%82";
    assert!(ru.contains(&format!("<a href=\"#{encoded}\">")), "the contents link the Cyrillic heading");
    assert!(ru.contains("id=\"что-происходит\""));
}

#[test]
fn every_page_has_the_lang_of_its_language() {
    let site = temp_site(&fixture());
    let out = build_ok(site.path());
    assert_eq!(assert_lang_of_every_page(&out), 10, "home, 3 indexes, doctor, print, 404, guide, symptom, page");
}

/// Every page under `ru/` says `lang="ru"`, every other page `lang="en"`; returns how many are
/// Russian.
fn assert_lang_of_every_page(out: &Path) -> usize {
    let mut ru = 0;
    for (path, doc) in pages(out) {
        let lang = doc.select(&sel("html")).next().and_then(|h| h.value().attr("lang")).map(str::to_string);
        let want = if path.starts_with("ru/") { "ru" } else { "en" };
        assert_eq!(lang.as_deref(), Some(want), "{path}");
        ru += usize::from(want == "ru");
    }
    ru
}

/// Latin-letter words in the visible text and the read-aloud attributes of a page, leaving out
/// what is in another language on purpose (elements with their own `lang`) and source titles.
fn latin_words(doc: &Html) -> Vec<String> {
    latin_chunks(doc).into_iter().flatten().collect()
}

/// [`latin_words`], a list per text or attribute (in order), so that a run of words can be
/// matched as a whole.
fn latin_chunks(doc: &Html) -> Vec<Vec<String>> {
    let skip = sel("[lang]:not(html), .sources, script, time");
    let skipped: Vec<_> = doc.select(&skip).map(|e| e.id()).collect();
    let mut chunks = Vec::new();
    for node in doc.tree.nodes() {
        if node.ancestors().any(|a| skipped.contains(&a.id())) || skipped.contains(&node.id()) {
            continue;
        }
        let texts: Vec<String> = match node.value() {
            scraper::Node::Text(t) => vec![t.to_string()],
            scraper::Node::Element(e) => ["aria-label", "placeholder", "title", "alt"]
                .iter()
                .filter_map(|a| e.attr(a).map(str::to_string))
                .collect(),
            _ => Vec::new(),
        };
        chunks.extend(texts.iter().map(|t| latin(t)).filter(|c| !c.is_empty()));
    }
    chunks
}

/// The Latin-letter words of `t` of three letters or more; acronyms (PDF) are written the same
/// in Russian.
fn latin(t: &str) -> Vec<String> {
    t.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 3 && !w.bytes().all(|b| b.is_ascii_uppercase()))
        .map(str::to_string)
        .collect()
}

#[test]
fn the_russian_pages_have_no_english_words_left() {
    let site = temp_site(&fixture());
    let out = build_ok(site.path());
    for (path, doc) in pages(&out).iter().filter(|(p, _)| p.starts_with("ru/")) {
        let words = latin_words(doc);
        assert!(words.is_empty(), "{path} has English words: {words:?}");
    }
    // The scan does find English: the English pages are full of it.
    assert!(latin_words(&pages(&out)["index.html"]).len() > 20);
}

/// With a Russian words file whose every word is a marker, every marker-able word of the
/// Russian pages is a marker: no template writes English of its own.
#[test]
fn every_ui_word_of_the_russian_pages_comes_from_the_words_file() {
    let site = temp_site(&fixture());
    assert_ui_words_come_from_the_words_file(site.path());
}

/// Builds the site at `root` with a Russian words file whose every word is a marker, and finds
/// every marker-able word of its Russian pages a marker: no template writes English of its own.
/// Returns the built Russian pages.
fn assert_ui_words_come_from_the_words_file(root: &Path) -> BTreeMap<String, Html> {
    ui_words_with_markers(root, |_, _| false)
}

/// [`assert_ui_words_come_from_the_words_file`], leaving out the runs of Latin words that
/// `content(page, run)` says the page's content writes (the shipped Russian guides name English
/// sources).
fn ui_words_with_markers(root: &Path, content: impl Fn(&str, &str) -> bool) -> BTreeMap<String, Html> {
    let ru = std::fs::read_to_string(repo().join("themes/default/strings/ru.toml")).expect("ru.toml");
    let markers: String = ru
        .lines()
        .filter_map(|l| l.split_once(" = "))
        .map(|(k, v)| match k {
            "plural_rule" | "date_format" | "date_months" => format!("{k} = {v}\n"),
            _ if v.contains("{number}") => format!("{k} = \"ЖЖ {{number}}\"\n"),
            _ if v.contains("{title}") => format!("{k} = \"ЖЖ {{title}}\"\n"),
            _ => format!("{k} = \"ЖЖ\"\n"),
        })
        .collect();
    let dir = root.join("themes/default/strings");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join("ru.toml"), markers).expect("write markers");
    let out = build_ok(root);
    let pages = pages(&out);
    let home = &pages["ru/index.html"];
    let nav: Vec<String> = home.select(&sel(".site-nav a")).map(|a| a.text().collect()).collect();
    assert_eq!(nav, ["ЖЖ", "ЖЖ", "ЖЖ"]);
    for (path, doc) in pages.iter().filter(|(p, _)| p.starts_with("ru/")) {
        let words: Vec<String> =
            latin_chunks(doc).into_iter().map(|c| c.join(" ")).filter(|run| !content(path, run)).collect();
        assert!(words.is_empty(), "{path} has words that are not from the words file: {words:?}");
    }
    pages.into_iter().filter(|(p, _)| p.starts_with("ru/")).collect()
}

#[test]
fn the_russian_doctor_index_lists_every_red_flag_in_tier_order() {
    let site = temp_site(&fixture());
    let out = build_ok(site.path());
    let outcome = carebook::run(&options(site.path()), carebook::Goal::Preview, None).expect("check runs");
    let (model, _) = outcome.site.expect("a clean site");
    let ru = &model.lang.translations[0];
    assert_eq!(ru.config.language, "ru");
    let html = std::fs::read_to_string(out.join("ru/when-to-see-a-doctor.html")).expect("doctor page");
    let doc = Html::parse_document(&html);
    let cards: Vec<(String, Vec<String>)> = doc
        .select(&sel(".care-card"))
        .map(|c| {
            let class = c.value().attr("class").unwrap_or("");
            let key = class.split(' ').find_map(|k| k.strip_prefix("care-card-")).unwrap_or("").to_string();
            (key, c.select(&sel(".flag-sign")).map(|s| s.text().collect()).collect())
        })
        .collect();
    let keys: Vec<&str> = cards.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["emergency", "urgent", "soon", "routine"]);
    let mut n = 0;
    for g in &ru.guides {
        for flag in &g.matter.see_a_doctor {
            let tier = cards.iter().find(|(k, _)| k == flag.urgency.value.as_str()).expect("its tier");
            assert!(tier.1.contains(&flag.sign.value), "`{}` is not under {}", flag.sign.value, tier.0);
            n += 1;
        }
    }
    assert!(n > 0);
    // The tier words are the Russian ones from carebook.toml.
    assert!(html.contains("Срочно: сегодня"));
}

/// With `base_url`, a translation lives under `<code>/` of the site's address: its pages name
/// themselves there as canonical (not their English source), and its 404 page, served from any
/// folder, links into its own language.
#[test]
fn a_translation_has_its_own_address_under_the_sites() {
    let site = temp_site(&fixture());
    let toml = site.path().join("carebook.toml");
    let text = std::fs::read_to_string(&toml).expect("carebook.toml");
    std::fs::write(&toml, format!("base_url = \"https://example.org/care\"\n{text}")).expect("write");
    let out = build_ok(site.path());
    let canonical = |page: &str| {
        let doc = Html::parse_document(&std::fs::read_to_string(out.join(page)).expect("page"));
        doc.select(&sel("link[rel=canonical]")).next().and_then(|l| l.value().attr("href")).map(str::to_string)
    };
    assert_eq!(
        canonical("ru/guides/mastitis.html").as_deref(),
        Some("https://example.org/care/ru/guides/mastitis.html")
    );
    assert_eq!(canonical("guides/mastitis.html").as_deref(), Some("https://example.org/care/guides/mastitis.html"));
    let not_found = std::fs::read_to_string(out.join("ru/404.html")).expect("404");
    assert!(not_found.contains("href=\"/care/ru/index.html\""), "{not_found}");
    assert!(!not_found.contains("href=\"/care/index.html\""), "the Russian 404 page links to the English home page");
}

#[test]
fn dates_are_written_in_the_language_of_the_page() {
    let site = temp_site(&fixture());
    let out = build_ok(site.path());
    let ru = std::fs::read_to_string(out.join("ru/guides/mastitis.html")).expect("page");
    assert!(ru.contains("<time datetime=\"2026-11-01\">1 ноября 2026 г.</time>"));
    let en = std::fs::read_to_string(out.join("guides/mastitis.html")).expect("page");
    assert!(en.contains("<time datetime=\"2026-11-01\">1 November 2026</time>"));
    // Cyrillic headings keep readable ids, and links to them resolve.
    assert!(ru.contains("id=\"что-происходит\""));
}

/// The output paths of a language's pages that have a translation or a source (all but 404.html):
/// its content pages and the pages every language has.
fn translatable_pages(site: &carebook::model::Site) -> usize {
    let content = site.guides.len() + site.symptoms.len() + site.causes.len() + site.pages.len();
    content + ["index", "guides", "symptoms", "causes", "doctor", "print"].len()
}

/// The shipped site in English and Russian (#20): every page of both languages names its
/// translation as a `hreflang` alternate and is named back by it; a Russian page always has its
/// English source, an English page without a translation names only itself.
#[test]
fn every_page_of_the_shipped_site_resolves_its_hreflang_alternates_both_ways() {
    let dir = shipped();
    let out = build_ok(dir.path());
    let site = crate::site::checked(dir.path(), false);
    assert_eq!(site.lang.translations.len(), 1, "the shipped site has a Russian edition");
    let (en, ru) = (translatable_pages(&site), translatable_pages(&site.lang.translations[0]));
    assert!(ru >= 40, "the Russian edition has its guides, symptoms, causes and pages ({ru})");
    assert_eq!(assert_alternates_both_ways(&out), ru * 2 * 2 + (en - ru));
}

#[test]
fn every_page_under_public_ru_of_the_shipped_site_has_lang_ru() {
    let dir = shipped();
    let out = build_ok(dir.path());
    let site = crate::site::checked(dir.path(), false);
    let ru = translatable_pages(&site.lang.translations[0]) + 1;
    assert_eq!(assert_lang_of_every_page(&out), ru, "every Russian page and its 404");
}

/// The Russian doctor index of the shipped site: a card per tier, most urgent first, in the
/// Russian tier words, with every red flag of every Russian guide in its tier's card and linked to
/// the guide's warning signs; and no guide's translation has fewer signs than its source.
#[test]
fn the_shipped_russian_doctor_index_lists_every_red_flag_of_every_russian_guide_in_tier_order() {
    let dir = shipped();
    let out = build_ok(dir.path());
    let site = crate::site::checked(dir.path(), false);
    let ru = &site.lang.translations[0];
    assert_eq!(ru.config.language, "ru");
    let total = crate::site::assert_doctor_page(ru, &out.join("ru"));
    let mut source_total = 0;
    for g in &ru.guides {
        let id = &ru.file(g.file).id;
        let source = site.find(carebook::schema::Kind::Guide, id).and_then(|i| site.guide(i));
        let source = source.unwrap_or_else(|| panic!("ru/guides/{id}.md has no English source"));
        let translated = g.matter.see_a_doctor.len();
        assert_eq!(translated, source.matter.see_a_doctor.len(), "{id}: the translation has other warning signs");
        source_total += translated;
    }
    assert_eq!(total, source_total);
    assert!(total >= 40, "the Russian guides have their warning signs ({total})");
    let html = std::fs::read_to_string(out.join("ru/when-to-see-a-doctor.html")).expect("doctor page");
    let doc = Html::parse_document(&html);
    let labels: Vec<String> =
        doc.select(&sel(".care-card h2")).map(|h| h.text().collect::<String>().trim().to_string()).collect();
    let words = &ru.config.urgency;
    let want = [&words.emergency.label, &words.urgent.label, &words.soon.label, &words.routine.label];
    assert_eq!(labels.len(), 4, "{labels:?}");
    for (got, want) in labels.iter().zip(want) {
        assert!(got.contains(want.as_str()), "`{got}` is not the Russian tier `{want}`");
    }
}

/// The runs of Latin words that the Russian content writes (an English source's title, an
/// organisation's name), one line of its Markdown or front matter (URLs and YAML keys left out)
/// at a time, each between spaces: `" Academy Breastfeeding Medicine "`.
fn russian_content_text(root: &Path) -> String {
    let mut runs = String::new();
    for (path, bytes) in support::read_tree(&root.join("content/ru")) {
        if !path.ends_with(".md") {
            continue;
        }
        for line in String::from_utf8_lossy(&bytes).lines() {
            // A YAML key (`  - sign:`) is not text; neither is an address.
            let text = line.trim_start().trim_start_matches("- ");
            let text = match text.split_once(": ") {
                Some((key, value)) if key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') => value,
                _ => text,
            };
            let text: Vec<&str> =
                text.split_whitespace().filter(|w| !w.contains("://") && !w.contains(".md")).collect();
            runs.push_str(&format!(" {} \n", latin(&text.join(" ")).join(" ")));
        }
    }
    runs
}

/// The shipped theme's templates write no word of their own on the Russian pages of the shipped
/// site: with a Russian words file of markers, every word they show is a marker, or English the
/// Russian content writes itself (source titles, organisations' names).
#[test]
fn the_shipped_russian_ui_has_no_english_string_left() {
    let dir = shipped();
    let content = russian_content_text(dir.path());
    // A word of the theme's own (`Sources`, `Step`) alone is never taken for content.
    let en = std::fs::read_to_string(repo().join("themes/default/strings/en.toml")).expect("en.toml");
    let theme: BTreeSet<String> = en.lines().filter_map(|l| l.split_once(" = ")).flat_map(|(_, v)| latin(v)).collect();
    let pages =
        ui_words_with_markers(dir.path(), |_, run| content.contains(&format!(" {run} ")) && !theme.contains(run));
    let site = crate::site::checked(dir.path(), false);
    assert_eq!(pages.len(), translatable_pages(&site.lang.translations[0]) + 1);
    for (path, doc) in &pages {
        assert!(doc.root_element().text().any(|t| t.contains("ЖЖ")), "{path} shows no word of the words file");
    }
}

/// A Markdown alert's title is a word of the page's language (`alert_warning` of its words file),
/// not the engine's English, on the page and in that language's search index.
#[test]
fn alert_titles_are_written_in_the_language_of_the_page() {
    let site = temp_site(&repo().join("tests/fixtures/valid/engine-words"));
    let out = build_ok(site.path());
    let alerts = |page: &str| {
        let html = std::fs::read_to_string(out.join(page)).expect("page");
        let start = html.find("<aside class=\"alert").expect("an alert");
        let end = html.rfind("</aside>\n").expect("its end") + "</aside>\n".len();
        html[start..end].to_string()
    };
    let aside = |kind: &str, title: &str, text: &str| {
        format!(
            "<aside class=\"alert alert-{kind}\" role=\"note\">\n<p class=\"alert-title\">{title}</p>\n<p>{text}</p>\n</aside>\n"
        )
    };
    let en = [
        aside("note", "Note", "Written from published guidance."),
        aside("tip", "Tip", "Keep this page."),
        aside("important", "Important", "It is no diagnosis."),
        aside("warning", "Warning", "A fever needs a doctor."),
        aside("caution", "Caution", "Do not wait."),
    ];
    assert_eq!(alerts("pages/about.html"), en.concat());
    let ru = [
        aside("note", "Примечание", "Написано по опубликованным рекомендациям."),
        aside("tip", "Совет", "Сохраните эту страницу."),
        aside("important", "Важно", "Это не диагноз."),
        aside("warning", "Предупреждение", "При температуре нужен врач."),
        aside("caution", "Осторожно", "Не ждите."),
    ];
    assert_eq!(alerts("ru/pages/about.html"), ru.concat());
    let index = |dir: &str| {
        support::read_tree(&out.join(dir))
            .into_values()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .collect::<String>()
    };
    let (en, ru) = (index("search"), index("ru/search"));
    assert!(ru.contains("Предупреждение") && !ru.contains("Warning"), "{ru}");
    assert!(en.contains("Warning") && !en.contains("Предупреждение"), "{en}");
}

/// The page at `page` of the engine-words fixture, built once per test.
fn engine_words_page(out: &Path, page: &str) -> String {
    std::fs::read_to_string(out.join(page)).expect("page")
}

/// A table's name for screen readers (the `aria-label` of its scrolling region) is the page's
/// language's `table` word.
#[test]
fn a_table_is_named_in_the_language_of_the_page() {
    let site = temp_site(&repo().join("tests/fixtures/valid/engine-words"));
    let out = build_ok(site.path());
    let wrap =
        |name: &str| format!("<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"{name}\"><table>");
    let en = engine_words_page(&out, "pages/about.html");
    assert!(en.contains(&wrap("Table")), "{en}");
    let ru = engine_words_page(&out, "ru/pages/about.html");
    assert!(ru.contains(&wrap("Таблица")), "{ru}");
    assert!(!ru.contains("\"Table\""));
}

/// What a screen reader says for a task's box (`- [x]`) is the page's language's `task_done` or
/// `task_not_done`.
#[test]
fn task_states_are_read_in_the_language_of_the_page() {
    let site = temp_site(&repo().join("tests/fixtures/valid/engine-words"));
    let out = build_ok(site.path());
    let tasks = |done: &str, not_done: &str, first: &str, second: &str| {
        format!(
            "<ul>\n<li><span class=\"task task-done\" role=\"img\" aria-label=\"{done}\">\u{2611}</span> {first}</li>\n\
             <li><span class=\"task\" role=\"img\" aria-label=\"{not_done}\">\u{2610}</span> {second}</li>\n</ul>"
        )
    };
    let en = engine_words_page(&out, "pages/about.html");
    assert!(en.contains(&tasks("done", "not done", "Read this page", "Print it")), "{en}");
    let ru = engine_words_page(&out, "ru/pages/about.html");
    assert!(ru.contains(&tasks("выполнено", "не выполнено", "Прочитать эту страницу", "Распечатать её")), "{ru}");
}

/// A footnote's link back to its reference is named in the page's language (`footnote_back`, with
/// the footnote's number).
#[test]
fn footnote_links_back_are_named_in_the_language_of_the_page() {
    let site = temp_site(&repo().join("tests/fixtures/valid/engine-words"));
    let out = build_ok(site.path());
    let note = |text: &str, name: &str| {
        format!(
            "<li id=\"fn-1\">\n<p>{text} <a href=\"#fnref-1\" class=\"footnote-back\" aria-label=\"{name}\">\u{21a9}</a></p>\n</li>"
        )
    };
    let en = engine_words_page(&out, "pages/about.html");
    assert!(en.contains(&note("In November 2026.", "Back to reference 1")), "{en}");
    let ru = engine_words_page(&out, "ru/pages/about.html");
    assert!(ru.contains(&note("В ноябре 2026 года.", "Вернуться к ссылке 1")), "{ru}");
}

/// The drift test of #20: a sign changed in the English guide makes `check` name the Russian
/// guide and the field; `--deny-warnings` fails; marking the translation again clears it.
#[test]
fn a_sign_changed_in_the_source_names_the_translation_and_the_field() {
    let site = temp_site(&fixture());
    let root = site.path();
    let report = check(root);
    assert!(report.diagnostics().is_empty(), "{}", report.render_short());
    let en = root.join("content/guides/mastitis.md");
    let text = std::fs::read_to_string(&en).expect("guide");
    std::fs::write(
        &en,
        text.replace("sign: A temperature of 38 °C or above", "sign: A temperature of 38.5 °C or above"),
    )
    .expect("write");
    let report = check(root);
    let short = report.render_short();
    assert_eq!(
        short,
        "content/ru/guides/mastitis.md:24:18: warning[stale-translation]: `content/guides/mastitis.md` changed since \
         this Русский (ru) translation was marked: `see_a_doctor`\n"
    );
    let denied = carebook().args(["check", "--deny-warnings", "--root"]).arg(root).output().expect("runs");
    assert_eq!(denied.status.code(), Some(1), "{}", support::stderr(&denied));
    let status = carebook().args(["translate", "status", "--root"]).arg(root).output().expect("runs");
    let listed = String::from_utf8_lossy(&status.stdout);
    assert!(listed.contains("content/ru/guides/mastitis.md: source changed: see_a_doctor"), "{listed}");
    let mark =
        carebook().args(["translate", "mark", "ru/guides/mastitis.md", "--root"]).arg(root).output().expect("runs");
    assert_eq!(mark.status.code(), Some(0), "{}", support::stderr(&mark));
    let report = check(root);
    assert!(report.diagnostics().is_empty(), "{}", report.render_short());
}

#[test]
fn new_with_lang_starts_a_translation_from_its_source() {
    let site = temp_site(&fixture());
    let root = site.path();
    let made =
        carebook().args(["new", "guide", "blocked-duct", "--lang", "ru", "--root"]).arg(root).output().expect("runs");
    assert_eq!(made.status.code(), Some(0), "{}", support::stderr(&made));
    let copy = std::fs::read_to_string(root.join("content/ru/guides/blocked-duct.md")).expect("the copy");
    assert_eq!(copy, std::fs::read_to_string(fixture().join("content/guides/blocked-duct.md")).expect("source"));
    let report = check(root);
    assert_eq!(
        support::short_of(&report),
        "content/ru/guides/blocked-duct.md:1:1: warning[stale-translation]: this Русский (ru) translation does not \
         say which version of `content/guides/blocked-duct.md` it translates\nwarning: 1 warning in 1 file\n"
    );
    for (args, says) in [
        (&["new", "guide", "blocked-duct", "--lang", "ru"][..], "exists already"),
        (&["new", "guide", "no-such", "--lang", "ru"][..], "write the source first"),
        (&["new", "guide", "mastitis", "--lang", "de"][..], "no language `de`"),
    ] {
        let out = carebook().args(args).arg("--root").arg(root).output().expect("runs");
        assert_eq!(out.status.code(), Some(2));
        assert!(support::stderr(&out).contains(says), "{}", support::stderr(&out));
    }
}

/// `[languages.<code>]`: its name, the words it changes, and every mistake in it located.
#[test]
fn languages_are_read_from_carebook_toml() {
    let text = "title = \"Guides\"\n\n[languages.ru]\nname = \"Русский\"\ntitle = \"Статьи\"\n\
                emergency_number = \"112\"\n[languages.ru.urgency.emergency]\nlabel = \"Э\"\nadvice = \"Э\"\n\
                [languages.ru.urgency.urgent]\nlabel = \"С\"\nadvice = \"С\"\n[languages.ru.urgency.soon]\n\
                label = \"С\"\nadvice = \"С\"\n[languages.ru.urgency.routine]\nlabel = \"П\"\nadvice = \"П\"\n";
    let (config, diags) = carebook::config::read(text);
    assert_eq!(diags, vec![]);
    assert_eq!(config.languages.len(), 1);
    let ru = &config.languages[0];
    assert_eq!((ru.code.as_str(), ru.name.as_str()), ("ru", "Русский"));
    assert_eq!((ru.config.title.as_str(), ru.config.language.as_str()), ("Статьи", "ru"));
    assert_eq!(ru.config.urgency.soon.label, "С");
    assert_eq!(config.title, "Guides", "the top level keeps its own words");

    let bad = "language = \"en\"\n[languages.en]\nname = \"E\"\n[languages.Russian]\nname = \"R\"\n\
               [languages.de]\ntheme = \"x\"\n";
    let (config, diags) = carebook::config::read(bad);
    let got: Vec<(&str, &str)> = diags.iter().map(|d| (d.code.as_str(), d.message.as_str())).collect();
    assert_eq!(
        got,
        [
            ("invalid-value", "`Russian` is not a language tag"),
            ("unknown-field", "unknown key `theme` in the table [languages.de] of carebook.toml"),
            (
                "missing-string",
                "[languages.de] does not give these words in its language: title, emergency_number, \
                 urgency.emergency.label, urgency.emergency.advice, urgency.urgent.label, urgency.urgent.advice, \
                 urgency.soon.label, urgency.soon.advice, urgency.routine.label, urgency.routine.advice"
            ),
            ("missing-field", "[languages.de] has no `name`"),
            ("invalid-value", "`en` is the site's default language (`language = \"en\"`)"),
        ]
    );
    assert!(diags.iter().all(|d| d.span.is_some()), "every problem is located");
    assert!(config.languages.is_empty());
}

/// With `base_url`, one `sitemap.xml` at the top lists every page of both languages; a page that
/// has a translation lists each language's address (itself included) as an `xhtml:link`
/// alternate and the default language's as `x-default`; a page without one lists none. The
/// Russian pages' canonical address is under `ru/`, and `ru/` has no sitemap or robots.txt of its own.
#[test]
fn the_sitemap_lists_every_language_with_its_alternates() {
    let dir = temp_site(&fixture());
    let toml = std::fs::read_to_string(dir.path().join("carebook.toml")).expect("read carebook.toml");
    std::fs::write(dir.path().join("carebook.toml"), format!("base_url = \"https://example.org/care\"\n{toml}"))
        .expect("write carebook.toml");
    let out = build_ok(dir.path());
    let base = "https://example.org/care/";
    assert!(!out.join("ru/sitemap.xml").exists() && !out.join("ru/robots.txt").exists());
    let xml = std::fs::read_to_string(out.join("sitemap.xml")).expect("read sitemap.xml");
    assert!(xml.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""), "{xml}");
    // Each <url>: its address → its alternates (hreflang → address).
    let mut urls: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for block in xml.split("<url>").skip(1) {
        let loc = block.split("<loc>").nth(1).and_then(|s| s.split("</loc>").next()).expect("a <loc>");
        let alts = block
            .split("<xhtml:link ")
            .skip(1)
            .map(|l| {
                let attr = |name: &str| l.split(&format!("{name}=\"")).nth(1).and_then(|s| s.split('"').next());
                assert_eq!(attr("rel"), Some("alternate"), "{l}");
                (attr("hreflang").expect("hreflang").to_string(), attr("href").expect("href").to_string())
            })
            .collect();
        assert!(urls.insert(loc.to_string(), alts).is_none(), "{loc} listed twice");
    }
    let built: Vec<String> = pages(&out).into_keys().filter(|p| !p.ends_with("404.html")).collect();
    let listed: Vec<String> = urls.keys().map(|u| u.strip_prefix(base).unwrap_or(u).to_string()).collect();
    assert_eq!(listed, built, "the sitemap lists every page of every language");
    let both = BTreeMap::from([
        ("en".to_string(), format!("{base}guides/mastitis.html")),
        ("ru".to_string(), format!("{base}ru/guides/mastitis.html")),
        ("x-default".to_string(), format!("{base}guides/mastitis.html")),
    ]);
    assert_eq!(urls[&format!("{base}guides/mastitis.html")], both);
    assert_eq!(urls[&format!("{base}ru/guides/mastitis.html")], both);
    assert_eq!(urls[&format!("{base}ru/index.html")]["en"], format!("{base}index.html"));
    assert!(urls[&format!("{base}guides/blocked-duct.html")].is_empty(), "no translation, no alternates");
    let ru = std::fs::read_to_string(out.join("ru/guides/mastitis.html")).expect("read the Russian guide");
    assert!(ru.contains(&format!("<link rel=\"canonical\" href=\"{base}ru/guides/mastitis.html\">")));
}

/// A guide's `- shared: <id>` items count as their blocks' text in what a translation
/// translates: changing a shared block (content/shared/) makes the translations of every guide
/// that uses it stale, naming the field, and `translate mark` records the block as it is now.
#[test]
fn a_changed_shared_block_makes_the_translations_of_its_guides_stale() {
    let site = temp_site(&repo().join("tests/fixtures/valid/translated-shared-blocks"));
    let root = site.path();
    let report = check(root);
    assert!(report.diagnostics().is_empty(), "{}", report.render_short());
    for (block, from, to, field) in [
        ("fever-with-a-sore-breast", "38 °C or above", "38.5 °C or above", "see_a_doctor"),
        ("take-a-painkiller", "Ibuprofen eases", "Ibuprofen or paracetamol ease", "steps"),
    ] {
        let path = root.join(format!("content/shared/{block}.md"));
        let text = std::fs::read_to_string(&path).expect("read the block");
        std::fs::write(&path, text.replace(from, to)).expect("write the block");
        let short = check(root).render_short();
        assert!(
            short.starts_with("content/ru/guides/mastitis.md:")
                && short.ends_with(&format!(
                    ": warning[stale-translation]: `content/guides/mastitis.md` changed since this Русский (ru) \
                     translation was marked: `{field}`\n"
                )),
            "{block}: {short}"
        );
        let status = carebook().args(["translate", "status", "--root"]).arg(root).output().expect("runs");
        let listed = String::from_utf8_lossy(&status.stdout);
        assert!(listed.contains(&format!("content/ru/guides/mastitis.md: source changed: {field}")), "{listed}");
        let mark =
            carebook().args(["translate", "mark", "ru/guides/mastitis.md", "--root"]).arg(root).output().expect("runs");
        assert_eq!(mark.status.code(), Some(0), "{}", support::stderr(&mark));
        let report = check(root);
        assert!(report.diagnostics().is_empty(), "after mark: {}", report.render_short());
    }
}

/// A shared block's translation has no mark of its own (its guides' marks cover it):
/// `translate status` counts it apart instead of listing it as not marked, and `translate mark`
/// refuses it, saying what to mark instead, and leaves the file as it was.
#[test]
fn shared_blocks_are_covered_by_the_marks_of_their_guides() {
    let site = temp_site(&repo().join("tests/fixtures/valid/translated-shared-blocks"));
    let root = site.path();
    let status = carebook().args(["translate", "status", "--root"]).arg(root).output().expect("runs");
    assert_eq!(status.status.code(), Some(0), "{}", support::stderr(&status));
    assert_eq!(
        String::from_utf8_lossy(&status.stdout),
        "content/ru/guides/mastitis.md: up to date\n\
         content/ru/symptoms/fever.md: up to date\n\
         Русский (ru): 2 up to date, 0 to look at, 2 shared blocks (covered by the marks of the guides that use \
         them), 0 not translated\n"
    );
    let block = root.join("content/ru/shared/take-a-painkiller.md");
    let before = std::fs::read(&block).expect("read the block");
    let mark = carebook()
        .args(["translate", "mark", "content/ru/shared/take-a-painkiller.md", "--root"])
        .arg(root)
        .output()
        .expect("runs");
    assert_eq!(mark.status.code(), Some(2), "mark refuses a shared block");
    assert!(
        support::stderr(&mark).contains(
            "`content/ru/shared/take-a-painkiller.md` is a shared block: it has no mark of its own, the guides that \
             use it do; once the block is translated, mark those guides' translations (`carebook translate mark \
             ru/guides/<id>.md`)"
        ),
        "{}",
        support::stderr(&mark)
    );
    assert_eq!(std::fs::read(&block).expect("read the block"), before, "the block is left as it was");
    let report = check(root);
    assert!(report.diagnostics().is_empty(), "{}", report.render_short());
}

/// Each language has its own web app manifest, named in its own words: `[languages.ru]` sets
/// `short_title` like `title`, and a language that leaves it out while the top level sets it
/// has an error (`missing-string`): its home-screen name would be the top level's.
#[test]
fn each_language_names_its_manifest_in_its_own_short_title() {
    let site = temp_site(&fixture());
    let root = site.path();
    let toml = std::fs::read_to_string(root.join("carebook.toml")).expect("read carebook.toml");
    let toml = toml.replacen("title = \"Fixture site\"\n", "title = \"Fixture site\"\nshort_title = \"Fixture\"\n", 1);
    let without = toml.clone();
    let toml = toml.replacen("title = \"Тестовый сайт\"\n", "title = \"Тестовый сайт\"\nshort_title = \"Тест\"\n", 1);
    std::fs::write(root.join("carebook.toml"), &toml).expect("write carebook.toml");
    let out = build_ok(root);
    let manifest = |file: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(out.join(file)).expect("read the manifest")).expect("JSON")
    };
    let (en, ru) = (manifest("manifest.webmanifest"), manifest("ru/manifest.webmanifest"));
    assert_eq!(
        (&en["name"], &en["short_name"], &en["lang"]),
        (&"Fixture site".into(), &"Fixture".into(), &"en".into())
    );
    assert_eq!((&ru["name"], &ru["short_name"], &ru["lang"]), (&"Тестовый сайт".into(), &"Тест".into(), &"ru".into()));

    std::fs::write(root.join("carebook.toml"), without).expect("write carebook.toml");
    let short = check(root).render_short();
    assert!(
        short.contains("error[missing-string]: [languages.ru] does not give these words in its language: short_title"),
        "{short}"
    );
}
