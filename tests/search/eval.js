// Evaluates the theme's search (themes/default/static/search.js, run in Node without a DOM) on a
// built site's index (<site>/search/) against the judged queries of queries.json.
//
//   node tests/search/eval.js SITE [QUERIES] [--check-words] [--search-js FILE]
//
// Prints one JSON object: hit@1, hit@3 and MRR over the answerable queries, how many of them
// found nothing, how many no-answer queries showed something (junk), every miss, and (with
// --check-words) the words of the pages that search.js turns into a term the Rust build did not
// make (tokenising, folding, stop words or stemming out of step). tests/testsuite/search.rs asserts floors on these numbers;
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

// Whether search.js makes words as the Rust build does: every word of every page's text (the
// documents' title, summary and sentences, all indexed by the build) must, made into a term by
// search.js, be one of the index's terms, unless it is a stop word.
function sameWords(site, cb) {
  const dir = path.join(site, "search");
  const ctx = { CAREBOOK_SEARCH_INDEX: (m) => (ctx.meta = m), CAREBOOK_SEARCH_DOC: (n, d) => ctx.docs.push(d), docs: [] };
  vm.createContext(ctx);
  for (const f of fs.readdirSync(dir).filter((f) => f === "index.js" || /^d\d+\.js$/.test(f))) {
    vm.runInContext(fs.readFileSync(path.join(dir, f), "utf8"), ctx);
  }
  const terms = new Set(ctx.meta.terms.split(" "));
  const stop = new Set(cb.api.stopWords(ctx.meta.lang));
  const seen = new Set();
  const differ = [];
  for (const d of ctx.docs) {
    for (const text of [d.t, d.s, ...(d.x || [])]) {
      for (const w of cb.api.words(text)) {
        if (seen.has(w) || stop.has(w)) continue;
        seen.add(w);
        const term = ctx.meta.lang === "en" ? cb.api.stem(w) : w;
        if (!terms.has(term)) differ.push(`${w} -> ${term}`);
      }
    }
  }
  return { words_checked: seen.size, words_differ: differ };
}

module.exports = { carebook, evaluate, loadQueries, sameWords };

if (require.main === module) {
  const args = process.argv.slice(2);
  const opt = (name) => {
    const i = args.indexOf(name);
    if (i < 0) return null;
    const v = args[i + 1];
    args.splice(i, 2);
    return v;
  };
  const checkWords = args.includes("--check-words");
  if (checkWords) args.splice(args.indexOf("--check-words"), 1);
  const searchJs = opt("--search-js");
  const [site, queriesFile] = args;
  if (!site) {
    console.error("usage: node tests/search/eval.js SITE [QUERIES] [--check-words] [--search-js FILE]");
    process.exit(2);
  }
  const cb = carebook(site, searchJs && path.resolve(searchJs));
  const result = evaluate(loadQueries(queriesFile), (q) => cb.search(q).ids);
  if (checkWords) Object.assign(result, sameWords(site, cb));
  process.stdout.write(JSON.stringify(result, null, 1) + "\n");
}
