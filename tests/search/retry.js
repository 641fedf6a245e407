// A file of the search index that fails to load is asked for again by the next query: run in
// Node on a built site's search/ (tests/testsuite/search.rs), with a loader whose first attempt
// at chosen files fails, as a <script> does when the file is not there yet or the reader is offline.
//
//   node tests/search/retry.js SITE QUERY
//
// Prints one JSON object, per case the first result (an address without .html, or null for
// none, or "unavailable" when the index could not be loaded) of each search, in order, and how
// often each failing file was asked for:
// - index: index.js fails once; the query is searched twice;
// - shards: every shard fails once; the query is searched twice;
// - prefetch: every shard fails once while the key press loads ahead (engine.prefetch), then the
//   search after the debounce runs.
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const [site, query] = process.argv.slice(2);
const api = require(path.join(__dirname, "..", "..", "themes/default/static/search.js"));

function engine(failsOnce) {
  let e = null;
  const ctx = {
    CAREBOOK_SEARCH_INDEX: (m) => e.setIndex(m),
    CAREBOOK_SEARCH_SHARD: (k, d) => e.addShard(k, d),
    CAREBOOK_SEARCH_DOC: (n, d) => e.addDoc(n, d),
  };
  vm.createContext(ctx);
  const asked = {};
  e = api.createEngine((name, done) => {
    asked[name] = (asked[name] || 0) + 1;
    if (failsOnce(name) && asked[name] === 1) {
      done(false);
      return;
    }
    vm.runInContext(fs.readFileSync(path.join(site, "search", name), "utf8"), ctx);
    done(true);
  });
  const search = () => {
    let first;
    e.search(query, (found) => {
      first = found === null ? "unavailable" : found.results.length ? found.results[0].data.u.replace(/\.html$/, "") : null;
    });
    if (first === undefined) throw new Error("the search did not answer");
    return first;
  };
  const failed = () => Object.fromEntries(Object.entries(asked).filter(([name]) => failsOnce(name)));
  return { e, search, failed };
}

const isShard = (name) => /^s\d+\.js$/.test(name);
const out = {};
{
  const x = engine((name) => name === "index.js");
  out.index = { results: [x.search(), x.search()], asked: x.failed() };
}
{
  const x = engine(isShard);
  out.shards = { results: [x.search(), x.search()], asked: x.failed() };
}
{
  const x = engine(isShard);
  x.e.prefetch(query);
  out.prefetch = { results: [x.search()], asked: x.failed() };
}
process.stdout.write(JSON.stringify(out) + "\n");
