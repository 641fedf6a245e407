// Search in the browser: headless Chromium (/usr/bin/chromium over the DevTools protocol, by
// puppeteer-core) opens a built site's guide page from file:// and types the judged queries of
// tests/search/queries.json a letter at a time, as a reader would, into the page's search box.
//
//   node bench/search/browser.mjs carebook SITE      the site's own search (static/search.js)
//   node bench/search/browser.mjs minisearch SITE    MiniSearch on the same pages (see below)
//
// Prints one JSON line:
// - cold_first_result_ms: a fresh browser, the page loaded, nothing of search.js or the index
//   loaded; the box is focused and the first letter typed at once (as fast as the DevTools
//   protocol sends them: a reader is slower, so this is the worst case): from the key press (the
//   page's first keydown) to its results in the page; cold_first_result_from_focus_ms the same
//   from the focus (site.js starts loading search.js there, search.js the index's root);
// - bytes_before_first_result: every script the page had requested by then (search.js included);
// - keystroke_ms: each further letter, from the moment the search runs (after the box's 40 ms
//   debounce, during which the key press has started loading what the query needs) to its
//   results in the page, shards and documents loaded; keystrokes_loading_files_ms the same for
//   those of them that loaded a file since the key press;
// - *_cpu_ms: the same spans in CPU time of the page's main thread (Performance.getMetrics
//   ThreadTime): what they take on an idle machine, less the file reads;
// - heap: the page's JSHeapUsedSize (Performance.getMetrics) after a garbage collection, before
//   the first letter and after every query was typed;
// - load_start, load_end: the machine's load average (1 minute) when the run began and ended.
//
// QUERIES=n types only the first n judged queries (a quick look while working).
//
// MiniSearch gets what it needs to work from file://: the index bench.js serializes (title, and
// summary + sentences as text) wrapped into one classic script, loaded on the first letter, and
// minisearch's UMD build loaded with the page; its results are written into a list (titles only).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import puppeteer from "puppeteer-core";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, "..", "..");
const require = createRequire(import.meta.url);
const CHROMIUM = process.env.CAREBOOK_CHROMIUM || "/usr/bin/chromium";
const DEBOUNCE_MS = 40;

const [engine, siteArg] = process.argv.slice(2);
if (!["carebook", "minisearch"].includes(engine) || !siteArg) {
  console.error("usage: node bench/search/browser.mjs carebook|minisearch SITE");
  process.exit(2);
}
const SITE = path.resolve(siteArg);
const queries = JSON.parse(fs.readFileSync(path.join(REPO, "tests/search/queries.json"), "utf8"))
  .queries.map((q) => q.q)
  .slice(0, Number(process.env.QUERIES) || undefined);

// The page to type into: a guide page of the site, or for MiniSearch a page made next to it.
function pageFile() {
  if (engine === "carebook") {
    const guide = fs.readdirSync(path.join(SITE, "guides")).find((f) => f.endsWith(".html") && f !== "index.html");
    return path.join(SITE, "guides", guide);
  }
  const { peerIndex } = require(path.join(HERE, "bench.js"));
  const json = peerIndex("minisearch", SITE);
  const script = path.join(SITE, "bench-minisearch-index.js");
  if (!fs.existsSync(script) || fs.statSync(script).mtimeMs < fs.statSync(json).mtimeMs) {
    fs.writeFileSync(script, `BENCH_MS_INDEX(${JSON.stringify(fs.readFileSync(json, "utf8"))});\n`);
  }
  const lib = path.join(HERE, "node_modules/minisearch/dist/umd/index.js");
  const file = path.join(SITE, "bench-minisearch.html");
  fs.writeFileSync(
    file,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>MiniSearch bench</title>
<script src="${pathToFileURL(lib).href}"></script></head><body>
<form class="search" data-shown=""><input class="search-input" aria-label="Search"><ul></ul></form>
<script>
(function () {
  var OPTIONS = ${JSON.stringify(require(path.join(HERE, "bench.js")).MS_OPTIONS)};
  var SEARCH = ${JSON.stringify(require(path.join(HERE, "bench.js")).MS_SEARCH)};
  var form = document.querySelector("form"), input = form.querySelector("input"), list = form.querySelector("ul");
  var ms = null, waiting = [], timer = null;
  window.BENCH_MS_INDEX = function (json) { ms = MiniSearch.loadJSON(json, OPTIONS); };
  function run(q) {
    if (!ms) {
      waiting.push(q);
      if (waiting.length > 1) return;
      var s = document.createElement("script");
      s.src = "bench-minisearch-index.js";
      s.onload = function () { var w = waiting; waiting = []; run(w[w.length - 1]); };
      document.head.appendChild(s);
      return;
    }
    var found = ms.search(q, SEARCH).slice(0, 10);
    while (list.firstChild) list.removeChild(list.firstChild);
    found.forEach(function (r) { var li = document.createElement("li"); li.textContent = r.title; list.appendChild(li); });
    form.setAttribute("data-shown", q);
  }
  var first = true;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { run(input.value); }, first ? 0 : ${DEBOUNCE_MS});
    first = false;
  });
})();
</script></body></html>
`,
  );
  return file;
}

// Before the page's scripts: note when a debounce timer's search starts and when results show.
function instrument() {
  window.__bench = { runStart: 0, shown: [], keyAt: 0 };
  // The first key press, as the page sees it (before its own listeners).
  window.addEventListener("keydown", () => { if (!window.__bench.keyAt) window.__bench.keyAt = performance.now(); }, true);
  const setTimeout0 = window.setTimeout;
  window.setTimeout = function (fn, ms, ...args) {
    if (typeof fn !== "function" || !(ms <= 40)) return setTimeout0(fn, ms, ...args);
    return setTimeout0(function () {
      window.__bench.runStart = performance.now();
      return fn.apply(this, args);
    }, ms);
  };
  document.addEventListener("DOMContentLoaded", () => {
    const observer = new MutationObserver((changes) => {
      for (const c of changes) {
        window.__bench.shown.push({ q: c.target.getAttribute("data-shown"), at: performance.now(), start: window.__bench.runStart });
      }
    });
    for (const form of document.querySelectorAll("form.search")) observer.observe(form, { attributes: true, attributeFilter: ["data-shown"] });
  });
}

function stats(list) {
  const s = [...list].sort((a, b) => a - b);
  const at = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  const r = (x) => Math.round(x * 100) / 100;
  return { n: s.length, median: r(at(0.5)), p95: r(at(0.95)), max: r(s[s.length - 1]) };
}

const loadStart = os.loadavg()[0];
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "carebook-bench-chromium-"));
const browser = await puppeteer.launch({
  executablePath: CHROMIUM,
  headless: true,
  userDataDir,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--allow-file-access-from-files"],
});
try {
  const page = await browser.newPage();
  const cdp = await page.createCDPSession();
  await cdp.send("Performance.enable");
  // The page's main thread's CPU time (s): unlike the clock, not lengthened by other programs
  // on a busy machine (the file reads happen elsewhere, so this is the page's own work).
  const cpu = async () => (await cdp.send("Performance.getMetrics")).metrics.find((m) => m.name === "ThreadTime").value;
  const heap = async () => {
    await cdp.send("HeapProfiler.collectGarbage");
    const { metrics } = await cdp.send("Performance.getMetrics");
    return Math.round((metrics.find((m) => m.name === "JSHeapUsedSize").value / 1048576) * 10) / 10;
  };
  const requested = [];
  page.on("request", (r) => requested.push(r.url()));
  await page.evaluateOnNewDocument(instrument);
  await page.goto(pathToFileURL(pageFile()).href, { waitUntil: "load" });
  const input = (await page.$("form.search-header .search-input")) || (await page.$("form.search .search-input"));
  const heapBefore = await heap();

  // Types `key` and waits until the page shows the results of `typed`: when they showed, and when
  // their search started.
  const typeAndWait = async (key, typed) => {
    const from = await page.evaluate(() => window.__bench.shown.length);
    await page.keyboard.type(key);
    const found = await page.waitForFunction(
      (q, from) => window.__bench.shown.slice(from).find((s) => s.q === q),
      { timeout: 120000, polling: "mutation" },
      typed,
      from,
    );
    return found.jsonValue();
  };

  // Cold: focus and the first letter at once.
  const first = queries[0].slice(0, 1);
  const cpu0 = await cpu();
  const t0 = await page.evaluate(() => performance.now());
  await input.focus();
  const shown = await typeAndWait(first, first);
  const coldFromFocus = shown.at - t0;
  const cold = shown.at - (await page.evaluate(() => window.__bench.keyAt));
  const coldCpu = (await cpu()) - cpu0;
  const bytes = requested
    .filter((u) => u.startsWith("file:") && u.endsWith(".js"))
    .reduce((n, u) => n + fs.statSync(fileURLToPath(u)).size, 0);

  const keys = [];
  const keysLoading = [];
  const keysCpu = [];
  // What reading the CPU time itself costs the main thread, taken off each keystroke's.
  const probe0 = await cpu();
  const probe = (await cpu()) - probe0;
  for (const q of queries) {
    // A new query: the box emptied (as a reader would), then the query a letter at a time.
    await page.evaluate(() => {
      const i = document.querySelector("form.search .search-input:focus") || document.querySelector(".search-input");
      i.value = "";
      i.dispatchEvent(new Event("input", { bubbles: true }));
    });
    await new Promise((r) => setTimeout(r, DEBOUNCE_MS + 20));
    for (let i = 1; i <= q.length; i++) {
      const typed = q.slice(0, i);
      const before = requested.length;
      const c0 = await cpu();
      const s = await typeAndWait(q.charAt(i - 1), typed);
      const used = (await cpu()) - c0 - probe;
      if (q === queries[0] && i === 1) continue;
      keysCpu.push(Math.max(0, used * 1000));
      keys.push(s.at - s.start);
      if (requested.length > before) keysLoading.push(s.at - s.start);
    }
  }
  const heapAfter = await heap();
  const result = {
    engine,
    browser: await browser.version(),
    cold_first_result_ms: Math.round(cold * 10) / 10,
    cold_first_result_from_focus_ms: Math.round(coldFromFocus * 10) / 10,
    cold_first_result_cpu_ms: Math.round(coldCpu * 10000) / 10,
    bytes_before_first_result: bytes,
    keystroke_ms: stats(keys),
    keystrokes_loading_files_ms: stats(keysLoading),
    keystroke_cpu_ms: stats(keysCpu),
    heap_page_mib: heapBefore,
    heap_after_all_queries_mib: heapAfter,
    queries: queries.length,
    load_start: Math.round(loadStart * 100) / 100,
    load_end: Math.round(os.loadavg()[0] * 100) / 100,
  };
  process.stdout.write(JSON.stringify(result) + "\n");
} finally {
  await browser.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}
