//! The offline search (issue #16), measured on the shipped site: the judged queries of
//! tests/search/queries.json are run through the theme's search.js in Node (tests/search/eval.js
//! loads the built `search/` index the way the page does) and the ranking must meet the floors
//! below. The same run checks that search.js makes every word of the pages into the term the
//! Rust build indexed (tokens, folding, stop words and stemming in step).
//!
//! Needs `node` (CI installs it); without it the test prints `SKIPPED …` and passes.

use crate::support::{build_ok, have_tool, repo, shipped};
use std::process::Command;

/// Floors on the judged set (issue #16's goals).
const MIN_MRR: f64 = 0.90;
const MIN_HIT3: f64 = 95.0;
const MAX_EMPTY_ANSWERABLE: u64 = 3;
const MAX_JUNK_NO_ANSWER: u64 = 1;

#[test]
fn judged_queries_meet_the_floors_on_the_shipped_site() {
    if !have_tool("node", "the search evaluation runs search.js in Node") {
        return;
    }
    let dir = shipped();
    let site = build_ok(dir.path());
    let (m, stdout) = eval(&[site.as_os_str(), repo().join("tests/search/queries.json").as_os_str()]);
    let num = |k: &str| m[k].as_f64().unwrap_or_else(|| panic!("no `{k}` in {stdout}"));
    let misses = serde_json::to_string_pretty(&m["misses"]).unwrap_or_default();
    let summary = format!(
        "hit@1 {}%, hit@3 {}%, MRR {}, empty answerable {}, junk {}; misses:\n{misses}",
        num("hit1"),
        num("hit3"),
        num("mrr"),
        num("empty_answerable"),
        num("junk_no_answer")
    );
    assert!(num("queries") >= 100.0 && num("no_answer") >= 12.0, "the judged set is too small: {summary}");
    assert!(num("mrr") >= MIN_MRR, "MRR below {MIN_MRR}: {summary}");
    assert!(num("hit3") >= MIN_HIT3, "hit@3 below {MIN_HIT3}%: {summary}");
    assert!(
        num("empty_answerable") <= MAX_EMPTY_ANSWERABLE as f64,
        "too many answerable queries found nothing: {summary}"
    );
    assert!(num("junk_no_answer") <= MAX_JUNK_NO_ANSWER as f64, "too many no-answer queries showed results: {summary}");
    let differ = m["words_differ"].as_array().map(Vec::len).unwrap_or(usize::MAX);
    assert!(
        num("words_checked") > 1000.0 && differ == 0,
        "search.js and the build make words differently: {}",
        m["words_differ"]
    );
}

/// Floors on the Russian judged set (tests/search/queries.ru.json), a little under what the
/// Russian edition measured when it landed (MRR 0.90, hit@3 92%, 3 found nothing).
const MIN_MRR_RU: f64 = 0.87;
const MIN_HIT3_RU: f64 = 90.0;
const MAX_EMPTY_ANSWERABLE_RU: u64 = 4;

/// The Russian judged queries, as Russian mothers type them (inflected forms, misspellings,
/// colloquial words, questions), run through search.js on the shipped site's Russian edition
/// (public/ru/).
#[test]
fn russian_judged_queries_meet_the_floors_on_the_shipped_site() {
    if !have_tool("node", "the Russian search evaluation runs search.js in Node") {
        return;
    }
    let dir = shipped();
    let site = build_ok(dir.path()).join("ru");
    let (m, stdout) = eval(&[site.as_os_str(), repo().join("tests/search/queries.ru.json").as_os_str()]);
    assert_eq!(m["lang"], "ru", "{stdout}");
    let num = |k: &str| m[k].as_f64().unwrap_or_else(|| panic!("no `{k}` in {stdout}"));
    let summary = format!(
        "on {}: hit@1 {}%, hit@3 {}%, MRR {}, empty answerable {}, junk {}; misses:\n{}",
        site.display(),
        num("hit1"),
        num("hit3"),
        num("mrr"),
        num("empty_answerable"),
        num("junk_no_answer"),
        serde_json::to_string_pretty(&m["misses"]).unwrap_or_default()
    );
    assert!(num("answerable") >= 40.0 && num("no_answer") >= 4.0, "the judged set is too small: {summary}");
    assert!(num("mrr") >= MIN_MRR_RU, "MRR below {MIN_MRR_RU}: {summary}");
    assert!(num("hit3") >= MIN_HIT3_RU, "hit@3 below {MIN_HIT3_RU}%: {summary}");
    assert!(num("empty_answerable") <= MAX_EMPTY_ANSWERABLE_RU as f64, "too many found nothing: {summary}");
    assert!(num("junk_no_answer") <= MAX_JUNK_NO_ANSWER as f64, "no-answer queries showed results: {summary}");
    let differ = m["words_differ"].as_array().map(Vec::len).unwrap_or(usize::MAX);
    assert!(differ == 0, "search.js and the build make Russian words differently: {}", m["words_differ"]);
}

/// Every form of «мастит» meets in search.js as in the build (src/search/stem_ru.rs): Snowball
/// alone stems «мастит» and «мастите» to «маст» but «мастита» and «маститом» to «мастит».
#[test]
fn search_js_makes_one_term_of_every_form_of_mastitis() {
    if !have_tool("node", "the stem check runs search.js in Node") {
        return;
    }
    let script = "const api = require(process.argv[1]); const t = api.stemFor('ru'); \
                  process.stdout.write(['мастит', 'мастита', 'мастите', 'маститом', 'маститы', 'болит'].map(t).join(' '));";
    let out = Command::new("node")
        .arg("-e")
        .arg(script)
        .arg(repo().join("themes/default/static/search.js"))
        .output()
        .expect("run node");
    assert!(out.status.success(), "node failed: {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "мастит мастит мастит мастит мастит бол");
}

/// A Russian edition (language "ru" in public/ru/): its index records "ru", and search.js makes
/// every word of its pages into the term the Rust build indexed (Russian stemmer and stop words).
#[test]
fn search_js_makes_russian_words_as_the_build_does() {
    if !have_tool("node", "the Russian word check runs search.js in Node") {
        return;
    }
    let dir = crate::support::temp_site(&repo().join("tests/fixtures/valid/two-languages"));
    let site = build_ok(dir.path());
    let (m, stdout) = eval(&[site.join("ru").as_os_str()]);
    assert_eq!(m["lang"], "ru", "{stdout}");
    let checked = m["words_checked"].as_f64().unwrap_or(0.0);
    let differ = m["words_differ"].as_array().map(Vec::len).unwrap_or(usize::MAX);
    assert!(checked > 40.0 && differ == 0, "search.js and the build make Russian words differently: {stdout}");
}

/// search.js's Russian stemmer agrees with Snowball (`rust-stemmers`, which the Rust port is held
/// to) on the ~4000 words of src/search/stem_ru_words.txt.
#[test]
fn search_js_stems_russian_as_snowball_does() {
    if !have_tool("node", "the Russian stemmer check runs search.js in Node") {
        return;
    }
    let list = std::fs::read_to_string(repo().join("src/search/stem_ru_words.txt")).expect("read word list");
    let words: Vec<&str> = list.split_whitespace().collect();
    let script = "const api = require(process.argv[1]); const stem = api.snowballRussian; \
                  const words = require('fs').readFileSync(0, 'utf8').split(/\\s+/).filter(Boolean); \
                  process.stdout.write(words.map(stem).join('\\n') + '\\n');";
    let mut child = Command::new("node")
        .arg("-e")
        .arg(script)
        .arg(repo().join("themes/default/static/search.js"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("run node");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("node stdin");
        stdin.write_all(words.join("\n").as_bytes()).expect("write words");
    }
    let out = child.wait_with_output().expect("node output");
    assert!(out.status.success(), "node failed");
    let stems = String::from_utf8_lossy(&out.stdout);
    let stems: Vec<&str> = stems.lines().collect();
    assert_eq!(stems.len(), words.len());
    let reference = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::Russian);
    let wrong: Vec<String> = words
        .iter()
        .zip(&stems)
        .filter(|(w, s)| reference.stem(w) != **s)
        .map(|(w, s)| format!("{w}: {s} != {}", reference.stem(w)))
        .collect();
    assert!(words.len() > 3000 && wrong.is_empty(), "{} of {} differ: {wrong:#?}", wrong.len(), words.len());
}

/// Runs `tests/search/eval.js` with `args` and `--check-words`: its JSON report, and the text it printed.
fn eval(args: &[&std::ffi::OsStr]) -> (serde_json::Value, String) {
    let out = Command::new("node")
        .arg(repo().join("tests/search/eval.js"))
        .args(args)
        .arg("--check-words")
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "eval.js failed:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    let m = serde_json::from_str(&stdout).expect("eval.js prints JSON");
    (m, stdout)
}

/// The words search.js says come from the page's language: the two-language fixture's Russian
/// home page hands its search box the Russian strings (data- attributes, no inline script), and
/// search.js picks the Russian plural form for the count it announces (1 результат, 3 результата,
/// 5 результатов, 11 результатов, 21 результат); the English page says "1 result", "3 results".
#[test]
fn search_box_announces_counts_in_the_page_language() {
    if !have_tool("node", "the announcement check runs search.js in Node") {
        return;
    }
    let dir = crate::support::temp_site(&repo().join("tests/fixtures/valid/two-languages"));
    let site = build_ok(dir.path());
    let said = |page: &str| -> Vec<String> {
        let html = std::fs::read_to_string(site.join(page)).expect("read the home page");
        let doc = scraper::Html::parse_document(&html);
        let sel = scraper::Selector::parse("form.search").expect("selector");
        let form = doc.select(&sel).next().expect("a search form on the home page");
        let attrs: serde_json::Map<String, serde_json::Value> = form
            .value()
            .attrs()
            .filter_map(|(k, v)| k.strip_prefix("data-").map(|k| (k.to_string(), v.into())))
            .collect();
        let script = "const api = require(process.argv[1]); const a = JSON.parse(process.argv[2]); \
                      const w = api.uiWords((k) => a[k]); \
                      const out = [1, 3, 5, 11, 21].map((n) => api.foundWords(w, n, false)); \
                      out.push(api.foundWords(w, 10, true), w['kind-guide'], w.unavailable); \
                      process.stdout.write(JSON.stringify(out));";
        let out = Command::new("node")
            .arg("-e")
            .arg(script)
            .arg(repo().join("themes/default/static/search.js"))
            .arg(serde_json::Value::Object(attrs).to_string())
            .output()
            .expect("run node");
        assert!(out.status.success(), "node failed: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).expect("node prints JSON")
    };
    let ru = said("ru/index.html");
    assert_eq!(
        ru,
        [
            "Найдено: 1 результат. Выбирайте стрелками вверх и вниз.",
            "Найдено: 3 результата. Выбирайте стрелками вверх и вниз.",
            "Найдено: 5 результатов. Выбирайте стрелками вверх и вниз.",
            "Найдено: 11 результатов. Выбирайте стрелками вверх и вниз.",
            "Найдено: 21 результат. Выбирайте стрелками вверх и вниз.",
            "Показаны первые 10 результатов. Выбирайте стрелками вверх и вниз.",
            "Статья",
            "Поиск недоступен: не удалось загрузить указатель поиска.",
        ]
    );
    let en = said("index.html");
    assert_eq!(en[0], "1 result. Use the up and down arrow keys to choose.");
    assert_eq!(en[1], "3 results. Use the up and down arrow keys to choose.");
    assert_eq!(en[5], "10 results shown. Use the up and down arrow keys to choose.");
    assert_eq!(en[6], "Guide");

    // An English page leaves the words out (search.js's own English is the same, checked here
    // word by word against strings/en.toml): eleven sentences fewer on every page.
    let html = std::fs::read_to_string(site.join("index.html")).expect("read the home page");
    let form = html.split("<form class=\"search").nth(1).and_then(|f| f.split('>').next()).expect("form");
    assert_eq!(form.matches("data-").count(), 1, "only data-search: {form}");
    let defaults = Command::new("node")
        .arg("-e")
        .arg("process.stdout.write(JSON.stringify(require(process.argv[1]).uiWords(() => null)))")
        .arg(repo().join("themes/default/static/search.js"))
        .output()
        .expect("run node");
    let defaults: serde_json::Value = serde_json::from_slice(&defaults.stdout).expect("node prints JSON");
    let en: toml::Table = std::fs::read_to_string(repo().join("themes/default/strings/en.toml"))
        .expect("read en.toml")
        .parse()
        .expect("en.toml parses");
    for (word, key) in [
        ("plural", "plural_rule"),
        ("count-one", "search_count_one"),
        ("count-few", "search_count_few"),
        ("count-many", "search_count_many"),
        ("found", "search_found"),
        ("found-most", "search_found_most"),
        ("unavailable", "search_unavailable"),
        ("kind-guide", "search_kind_guide"),
        ("kind-symptom", "kicker_symptom"),
        ("kind-cause", "kicker_cause"),
        ("kind-page", "search_kind_page"),
    ] {
        assert_eq!(defaults[word].as_str(), en[key].as_str(), "search.js's {word} and en.toml's {key}");
    }
}

/// A file of the index that fails to load (not there yet, the reader offline for a moment) is not
/// remembered as failed: the next query asks for it again and finds the page. tests/search/retry.js
/// makes the first load of index.js, or of every shard, fail: the first search says the search is
/// unavailable or finds nothing, the second lists the mastitis guide first; and a shard that failed
/// while the key press loaded ahead (prefetch) is loaded again by the search after the debounce,
/// which ranks with it rather than reusing the ranking made without it.
#[test]
fn a_search_file_that_failed_to_load_is_tried_again() {
    if !have_tool("node", "the retry check runs search.js in Node") {
        return;
    }
    let dir = shipped();
    let site = build_ok(dir.path());
    let out = Command::new("node")
        .arg(repo().join("tests/search/retry.js"))
        .arg(&site)
        .arg("mastitis")
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "retry.js failed: {stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    let m: serde_json::Value = serde_json::from_str(&stdout).expect("retry.js prints JSON");
    assert_eq!(m["index"]["results"], serde_json::json!(["unavailable", "guides/mastitis"]), "{stdout}");
    assert_eq!(m["index"]["asked"]["index.js"], 2, "{stdout}");
    assert_eq!(m["shards"]["results"][1], "guides/mastitis", "{stdout}");
    assert_eq!(m["prefetch"]["results"], serde_json::json!(["guides/mastitis"]), "{stdout}");
    for case in ["shards", "prefetch"] {
        let asked = m[case]["asked"].as_object().filter(|a| !a.is_empty());
        let asked = asked.unwrap_or_else(|| panic!("{case}: no shard was asked for: {stdout}"));
        assert!(asked.values().all(|n| n == 2), "{case}: every failed shard asked for again, once: {stdout}");
    }
}
