// Evaluates the theme's search (themes/default/static/search.js, run in Node without a DOM) on a
// built site's index (<site>/search/) against the judged queries of queries.json.
//
//   node tests/search/eval.js SITE [QUERIES] [--stems FILE] [--search-js FILE]
//
// Prints one JSON object: hit@1, hit@3 and MRR over the answerable queries, how many of them
// found nothing, how many no-answer queries showed something (junk), every miss, and (with
// --stems, a JSON object word -> stem written by the Rust build's stemmer) the words whose stem
// search.js makes differently. tests/testsuite/search.rs asserts floors on these numbers;
// bench/search/ uses evaluate() for MiniSearch and lunr on the same pages.
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const HERE = __dirname;
const REPO = path.resolve(HERE, "..", "..");

// A synchronous carebook engine over SITE/search/: search(q) -> { ids, results }.
function carebook(site, searchJs) {
  const api = require(searchJs || path.join(REPO, "themes/default/static/search.js"));
  let engine = null;
  const ctx = {
    CAREBOOK_SEARCH_INDEX: (m) => engine.setIndex(m),
    CAREBOOK_SEARCH_SHARD: (k, d) => engine.addShard(k, d),
    CAREBOOK_SEARCH_DOC: (n, d) => engine.addDoc(n, d),
  };
  vm.createContext(ctx);
  const loaded = new Set();
  engine = api.createEngine((name, done) => {
    let ok = true;
    try {
      vm.runInContext(fs.readFileSync(path.join(site, "search", name), "utf8"), ctx);
      loaded.add(name);
    } catch (e) {
      ok = false;
    }
    done(ok);
  });
  return {
    api,
    engine,
    loaded,
    search(q) {
      let out = null;
      engine.search(q, (found) => {
        out = found;
      });
      if (!out) throw new Error(`search did not answer synchronously for "${q}"`);
      return { ids: out.results.map((r) => r.data.u.replace(/\.html$/, "")), found: out };
    },
  };
}

// Metrics of search(q) -> [ids] over the judged queries.
function evaluate(queries, search) {
  let answerable = 0, hit1 = 0, hit3 = 0, rr = 0, empty = 0, none = 0, junk = 0;
  const misses = [];
  for (const { q, want } of queries) {
    const ids = search(q).slice(0, 10);
    if (!want.length) {
      none++;
      if (ids.length) {
        junk++;
        misses.push({ q, want: "nothing", got: ids.slice(0, 3) });
      }
      continue;
    }
    answerable++;
    const rank = ids.findIndex((id) => want.includes(id));
    if (!ids.length) empty++;
    if (rank === 0) hit1++;
    if (rank >= 0 && rank < 3) hit3++;
    if (rank >= 0) rr += 1 / (rank + 1);
    if (rank !== 0) misses.push({ q, want, got: ids.slice(0, 3), rank: rank >= 0 ? rank + 1 : null });
  }
  const pct = (n) => Math.round((1000 * n) / Math.max(answerable, 1)) / 10;
  return {
    queries: queries.length,
    answerable,
    no_answer: none,
    hit1: pct(hit1),
    hit3: pct(hit3),
    mrr: Math.round((1000 * rr) / Math.max(answerable, 1)) / 1000,
    empty_answerable: empty,
    junk_no_answer: junk,
    misses,
  };
}

function loadQueries(file) {
  return JSON.parse(fs.readFileSync(file || path.join(HERE, "queries.json"), "utf8")).queries;
}

module.exports = { carebook, evaluate, loadQueries };

if (require.main === module) {
  const args = process.argv.slice(2);
  const opt = (name) => {
    const i = args.indexOf(name);
    if (i < 0) return null;
    const v = args[i + 1];
    args.splice(i, 2);
    return v;
  };
  const stems = opt("--stems");
  const searchJs = opt("--search-js");
  const [site, queriesFile] = args;
  if (!site) {
    console.error("usage: node tests/search/eval.js SITE [QUERIES] [--stems FILE] [--search-js FILE]");
    process.exit(2);
  }
  const cb = carebook(site, searchJs && path.resolve(searchJs));
  const result = evaluate(loadQueries(queriesFile), (q) => cb.search(q).ids);
  if (stems) {
    const table = JSON.parse(fs.readFileSync(stems, "utf8"));
    const differ = [];
    let words = 0;
    for (const [word, stem] of Object.entries(table)) {
      words++;
      const folded = cb.api.words(word).join(" ");
      const js = cb.api.stem(folded);
      if (js !== stem) differ.push(`${word}: js ${js}, rust ${stem}`);
    }
    result.stems_checked = words;
    result.stems_differ = differ;
  }
  process.stdout.write(JSON.stringify(result, null, 1) + "\n");
}
