// Search benchmark: carebook's sharded index (themes/default/static/search.js over a built
// site's search/ folder) side by side with MiniSearch and lunr on the same pages.
//
//   node bench/search/bench.js quality SITE            judged set of tests/search/queries.json
//   node bench/search/bench.js speed ENGINE SITE       ENGINE: carebook | minisearch | lunr
//   node bench/search/bench.js prepare ENGINE SITE     a peer's serialized index, made once
//
// `speed` runs in a fresh Node process per engine (bench/search/run.sh starts them) and types
// each judged query a letter at a time, as on a phone: the first letter on a cold page (nothing
// loaded, nothing parsed: the engine reads its files from disk as a page would load scripts),
// then every further letter. It prints JSON: cold first-result latency, per-keystroke latency,
// bytes read before the first result, and memory once every query was typed.
//
// MiniSearch and lunr get what they need to work offline the usual way: an index serialized at
// build time (one JSON file, made here from the same documents carebook's build wrote:
// title, and summary + every sentence as text), loaded and parsed whole on first use.
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");
const { performance } = require("perf_hooks");

const REPO = path.resolve(__dirname, "..", "..");
const { carebook, evaluate, loadQueries } = require(path.join(REPO, "tests/search/eval.js"));

// The documents of a built site, as carebook's build wrote them (search/d<N>.js).
function documents(site) {
  const docs = [];
  const ctx = { CAREBOOK_SEARCH_DOC: (n, d) => (docs[n] = d) };
  vm.createContext(ctx);
  const dir = path.join(site, "search");
  for (const f of fs.readdirSync(dir)) {
    if (/^d\d+\.js$/.test(f)) vm.runInContext(fs.readFileSync(path.join(dir, f), "utf8"), ctx);
  }
  return docs.map((d, id) => ({ id, url: d.u.replace(/\.html$/, ""), title: d.t, text: [d.s, ...(d.x || [])].join(" ") }));
}

const MS_OPTIONS = { fields: ["title", "text"], storeFields: ["url", "title"] };
const MS_SEARCH = { boost: { title: 2 }, fuzzy: 0.2, prefix: true };

// The serialized index of a peer, made once per site and kept next to it.
function peerIndex(engine, site) {
  const file = path.join(site, `bench-${engine}-index.json`);
  if (!fs.existsSync(file)) {
    const docs = documents(site);
    let json;
    if (engine === "minisearch") {
      const MiniSearch = require("minisearch");
      const ms = new MiniSearch(MS_OPTIONS);
      ms.addAll(docs);
      json = JSON.stringify(ms);
    } else {
      const lunr = require("lunr");
      const idx = lunr(function () {
        this.ref("id");
        this.field("title", { boost: 2 });
        this.field("text");
        docs.forEach((d) => this.add(d), this);
      });
      json = JSON.stringify({ index: idx, urls: docs.map((d) => d.url) });
    }
    fs.writeFileSync(file, json);
  }
  return file;
}

// A search function q -> [ids] and a "bytes read" counter, for one engine, cold.
function open(engine, site) {
  if (engine === "carebook") {
    const cb = carebook(site);
    const bytes = () => [...cb.loaded].reduce((n, f) => n + fs.statSync(path.join(site, "search", f)).size, 0);
    return { search: (q) => cb.search(q).ids, bytes };
  }
  const file = peerIndex(engine, site);
  // The library itself is loaded with the page, as search.js is: not part of the first search.
  const MiniSearch = require("minisearch");
  const lunr = require("lunr");
  let index = null;
  let read = 0;
  const load = () => {
    if (index) return;
    const text = fs.readFileSync(file, "utf8");
    read = Buffer.byteLength(text);
    if (engine === "minisearch") {
      const ms = MiniSearch.loadJSON(text, MS_OPTIONS);
      index = (q) => ms.search(q, MS_SEARCH).slice(0, 10).map((r) => r.url);
    } else {
      const data = JSON.parse(text);
      const idx = lunr.Index.load(data.index);
      index = (q) => {
        try {
          return idx.search(q).slice(0, 10).map((r) => data.urls[+r.ref]);
        } catch (e) {
          return []; // lunr's query syntax refuses some typed text ("can't", a trailing "-")
        }
      };
    }
  };
  return {
    search: (q) => {
      load();
      return index(q);
    },
    bytes: () => read,
  };
}

function stats(list) {
  const s = [...list].sort((a, b) => a - b);
  const at = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  const r = (x) => Math.round(x * 100) / 100;
  return { n: s.length, median: r(at(0.5)), p95: r(at(0.95)), max: r(s[s.length - 1]) };
}

function speed(engine, site) {
  const queries = loadQueries().map((q) => q.q);
  const e = open(engine, site);
  // Cold: the first letter of the first query.
  const t0 = performance.now();
  e.search(queries[0].slice(0, 1));
  const cold = performance.now() - t0;
  const coldBytes = e.bytes();
  if (global.gc) global.gc();
  const firstHeap = process.memoryUsage().heapUsed;
  const keys = [];
  const firsts = [];
  for (const q of queries) {
    for (let i = 1; i <= q.length; i++) {
      const t = performance.now();
      e.search(q.slice(0, i));
      const ms = performance.now() - t;
      if (i === 1) firsts.push(ms);
      else keys.push(ms);
    }
  }
  if (global.gc) global.gc();
  const mem = process.memoryUsage();
  return {
    engine,
    cold_first_result_ms: Math.round(cold * 10) / 10,
    bytes_before_first_result: coldBytes,
    bytes_after_all_queries: e.bytes(),
    keystroke_ms: stats(keys),
    first_letter_warm_ms: stats(firsts),
    heap_after_first_mib: Math.round((firstHeap / 1048576) * 10) / 10,
    heap_mib: Math.round((mem.heapUsed / 1048576) * 10) / 10,
    rss_mib: Math.round((mem.rss / 1048576) * 10) / 10,
  };
}

function quality(site) {
  const queries = loadQueries();
  const out = {};
  for (const engine of ["carebook", "minisearch", "lunr"]) {
    const e = open(engine, site);
    const m = evaluate(queries, (q) => e.search(q));
    delete m.misses;
    out[engine] = m;
  }
  return out;
}

module.exports = { peerIndex, MS_OPTIONS, MS_SEARCH };

if (require.main === module) {
  const [mode, a, b] = process.argv.slice(2);
  let result;
  if (mode === "quality") result = quality(a);
  else if (mode === "speed") result = speed(a, b);
  else if (mode === "prepare") result = { index: peerIndex(a, b) };
  else {
    console.error("usage: bench.js quality SITE | bench.js speed ENGINE SITE");
    process.exit(2);
  }
  process.stdout.write(JSON.stringify(result) + "\n");
}
