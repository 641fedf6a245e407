// Browser tests of a built carebook site (issue #6: the reader experience).
//
//   node tests/browser/run.mjs <built-site-folder> <artifacts-folder> [<markdown-site-folder>]
//
// Opens every page from file:// in headless Chromium (/usr/bin/chromium, driven over the DevTools
// protocol by puppeteer-core) and checks: axe-core WCAG 2.2 A/AA (light and dark), the Nu HTML
// Checker (vnu.jar, Java), offline search and keyboard use, no sideways scrolling at 375 px, no
// script errors or broken links, and printing (doctor page on one A4 and one US Letter sheet;
// print.html holds every guide, each on a new page). Screenshots (375 and 1280 px) and the PDFs go
// to the artifacts folder. Prints one line per check, then `N passed, M failed`; exits 1 on failure.
//
// The optional third folder is tests/fixtures/valid/browser-markdown-features built: a guide and
// a page whose Markdown uses tables, footnotes, alerts, task lists and code, which the shipped
// content does not. Its pages get the per-page checks (axe at 375 px light and dark, vnu, no
// sideways scrolling, screenshots).
//
// Run by tests/testsuite/browser.rs (`cargo test --test testsuite browser`), which builds the site first.

import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import vm from "node:vm";
import { fileURLToPath, pathToFileURL } from "node:url";
import puppeteer from "puppeteer-core";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CHROMIUM = process.env.CAREBOOK_CHROMIUM || "/usr/bin/chromium";
const AXE = path.join(HERE, "node_modules", "axe-core", "axe.min.js");
const VNU = path.join(HERE, "node_modules", "vnu-jar", "build", "dist", "vnu.jar");
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const MOBILE = { width: 375, height: 812 };
const DESKTOP = { width: 1280, height: 900 };
// Full-page screenshots are cut at this height: print.html is tens of thousands of pixels tall.
const MAX_SHOT_HEIGHT = 6000;
// pdfinfo page sizes in points.
const A4 = [595.28, 841.89];
const LETTER = [612, 792];

const [siteArg, artifactsArg, mdSiteArg, ruSiteArg] = process.argv.slice(2);
if (!siteArg || !artifactsArg) {
  console.error("usage: node run.mjs <built-site-folder> <artifacts-folder> [<markdown-site-folder> [<two-language-site-folder>]]");
  process.exit(2);
}
const SITE = path.resolve(siteArg);
const ARTIFACTS = path.resolve(artifactsArg);
const MD_SITE = mdSiteArg ? path.resolve(mdSiteArg) : null;
// A site in English and Russian: its Russian pages (ru/) get the per-page checks and a search in Russian.
const RU_SITE = ruSiteArg ? path.resolve(ruSiteArg) : null;
for (const dir of [SITE, MD_SITE, RU_SITE].filter(Boolean)) {
  if (!fs.existsSync(path.join(dir, "index.html"))) {
    console.error(`no index.html in ${dir}: build the site first`);
    process.exit(2);
  }
}
fs.mkdirSync(ARTIFACTS, { recursive: true });

// One representative page per page kind (axe, screenshots).
const KINDS = [
  ["home", "index.html"],
  ["guide", "guides/blocked-duct.html"],
  ["symptom-index", "symptoms/index.html"],
  ["symptom", "symptoms/fever.html"],
  ["cause-index", "causes/index.html"],
  ["cause", "causes/missed-feeds.html"],
  ["page", "pages/glossary.html"],
  ["doctor", "when-to-see-a-doctor.html"],
  ["print", "print.html"],
  ["not-found", "404.html"],
];

// Search queries (as readers type them), the page that must come first, and the start of a word
// its snippet must mark (<mark>), if any. The ranking as a whole is measured by tests/search/eval.js; these
// check that the page, loading the index shards from file://, shows the same.
const SEARCH_CASES = [
  ["plugged duct", "symptoms/breast-lump.html", "plugged"],
  ["blocked duct", "guides/blocked-duct.html", "blocked"],
  ["lump", "symptoms/breast-lump.html", "lump"],
  ["mastitis", "guides/mastitis.html", "mastitis"],
  ["Mastitis", "guides/mastitis.html", "mastitis"],
  ["mastitus", "guides/mastitis.html", "mastitis"],
  ["engorged", "symptoms/hard-swollen-breast.html", "engorg"],
  ["milk blister", "guides/nipple-bleb.html", "milk"],
  ["hand expression", "guides/hand-expression.html", "hand"],
  ["fever", "symptoms/fever.html", "fever"],
  ["red streaks", "symptoms/red-streaks.html", "red"],
  ["camphor", "guides/old-advice-to-skip.html", "camphor"],
  ["rash that doesnt fade", "guides/resting-safely-when-unwell.html", "rash"],
  ["can i take ibuprofen while breastfeeding", "guides/medicines-while-breastfeeding.html", "ibuprofen"],
  ["glossary", "pages/glossary.html", null],
];

// Pages of the Markdown-features site (third argument) that get the per-page checks.
const MD_PAGES = ["guides/markdown-features.html", "pages/markdown-features.html", "print.html"];

// Problems on the Markdown-features site that need a change in the renderer (src/markdown.rs,
// src/render.rs), not in the theme: the check (axe rule id, or "link"), a test on the failing
// element's selector or the broken-link message, and the change needed. They are reported but do
// not fail; once one is no longer seen, a check fails so that the entry is removed here.
// Problems whose fix lies in the Rust renderer, reported without failing until fixed (none now).
const KNOWN_RUST_ISSUES = [];
// The known issue a problem is, if any.
const knownIssue = (rule, text) => {
  const k = KNOWN_RUST_ISSUES.find((k) => k.rule === rule && k.target.test(text));
  if (k) knownSeen.add(k);
  return k;
};
const knownSeen = new Set();

/* ---- Reporting. */
let passed = 0;
let failed = 0;
function report(name, ok, details = []) {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? "ok  " : "FAIL"} ${name}`);
  for (const d of details.slice(0, 25)) console.log(`       ${d}`);
  if (details.length > 25) console.log(`       … and ${details.length - 25} more`);
}
// CAREBOOK_BROWSER_ONLY=<regexp>: run only the checks whose name matches (while working on them).
const ONLY = process.env.CAREBOOK_BROWSER_ONLY ? new RegExp(process.env.CAREBOOK_BROWSER_ONLY) : null;
async function check(name, fn) {
  if (ONLY && !ONLY.test(name)) return;
  const t0 = Date.now();
  try {
    const r = await fn();
    const ok = r === true || (r && r.ok);
    const details = (r && r.details) || [];
    report(`${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`, ok, details);
  } catch (e) {
    report(name, false, [String((e && e.stack) || e).split("\n").slice(0, 4).join(" | ")]);
  }
}

/* ---- The site's files. */
function walk(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.name.startsWith(".")) continue;
    if (e.isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out.sort();
}
const HTML = walk(SITE).filter((f) => f.endsWith(".html"));
const MD_HTML = MD_SITE ? walk(MD_SITE).filter((f) => f.endsWith(".html")) : [];
const RU_HTML = RU_SITE ? walk(path.join(RU_SITE, "ru")).filter((f) => f.endsWith(".html")) : [];
// A file's name for messages: relative to its site ("md:" marks the Markdown-features site).
const rel = (f) =>
  MD_SITE && !path.relative(MD_SITE, f).startsWith("..")
    ? "md:" + path.relative(MD_SITE, f).split(path.sep).join("/")
    : RU_SITE && !path.relative(RU_SITE, f).startsWith("..")
      ? "two-languages:" + path.relative(RU_SITE, f).split(path.sep).join("/")
      : path.relative(SITE, f).split(path.sep).join("/");
// The shipped site's Russian pages (ru/), once it has them: they are in HTML too.
const SHIPPED_RU = HTML.filter((f) => path.relative(SITE, f).split(path.sep)[0] === "ru");
const url = (r, site = SITE) => pathToFileURL(path.join(site, r)).href;
const norm = (s) => String(s).replace(/\s+/g, " ").trim();

// The search index's documents (search/d<N>.js, each calling CAREBOOK_SEARCH_DOC).
function searchDocs() {
  const docs = [];
  const sandbox = { CAREBOOK_SEARCH_DOC: (n, d) => docs.push(d) };
  vm.createContext(sandbox);
  const dir = path.join(SITE, "search");
  for (const f of fs.readdirSync(dir).filter((f) => /^d\d+\.js$/.test(f))) {
    vm.runInContext(fs.readFileSync(path.join(dir, f), "utf8"), sandbox);
  }
  return docs;
}
// Every guide page, relative to the site.
const GUIDES = HTML.filter((f) => /[\\/]guides[\\/][^\\/]+\.html$/.test(f) && !f.endsWith("index.html")).map((f) => path.relative(SITE, f).split(path.sep).join("/"));
const GUIDE_TITLES = searchDocs()
  .filter((e) => e.k === "guide")
  .map((e) => e.t);

/* ---- The Nu HTML Checker: one Java process for every page, started first (it is slow). */
function runVnu() {
  return new Promise((resolve) => {
    const child = spawn("java", ["-jar", VNU, "--errors-only", "--format", "json", ...HTML, ...MD_HTML, ...RU_HTML], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", (e) => resolve({ error: String(e) }));
    child.on("close", (code) => resolve({ code, out, err }));
  });
}
const vnuRun = runVnu();

/* ---- The browser. */
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "carebook-chromium-"));
const browser = await puppeteer.launch({
  executablePath: CHROMIUM,
  headless: true,
  userDataDir,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--font-render-hinting=none",
  ],
});

// A fresh tab that records script errors, console errors and failed file loads.
async function newPage({ viewport = DESKTOP, dark = false } = {}) {
  const page = await browser.newPage();
  page.problems = [];
  page.on("pageerror", (e) => page.problems.push(`script error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") page.problems.push(`console error: ${m.text()}`);
  });
  page.on("requestfailed", (r) => page.problems.push(`failed to load ${r.url()}: ${r.failure()?.errorText}`));
  await page.setViewport({ ...viewport, deviceScaleFactor: 1, isMobile: viewport.width < 500, hasTouch: false });
  await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: dark ? "dark" : "light" }]);
  page.setDefaultTimeout(30000);
  return page;
}
async function open(page, r, site = SITE) {
  await page.goto(url(r, site), { waitUntil: "load" });
}

async function axe(page) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.addScriptTag({ path: AXE });
  return page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }),
    AXE_TAGS,
  );
}
// Violations, less the known Rust-side ones (which are remembered and listed separately).
function axeResult(res) {
  const violations = [];
  const known = [];
  for (const v of res.violations) {
    const nodes = v.nodes.filter((n) => {
      const k = knownIssue(v.id, n.target.join(" "));
      if (k) {
        known.push(`known, needs a Rust change: ${v.id} on ${n.target.join(" ")}`);
      }
      return !k;
    });
    if (nodes.length) violations.push({ ...v, nodes });
  }
  return { ok: violations.length === 0, details: [...axeDetails(violations), ...new Set(known)] };
}
function axeDetails(violations) {
  const out = [];
  for (const v of violations) {
    out.push(`${v.id} (${v.impact}, ${v.nodes.length} node${v.nodes.length === 1 ? "" : "s"}): ${v.help}`);
    for (const n of v.nodes.slice(0, 3)) {
      out.push(`    ${n.target.join(" ")}: ${norm(n.failureSummary).slice(0, 220)}`);
    }
  }
  return out;
}

// Opens every file of `files` (in `site`) at 375 px: pages wider than the screen, script errors
// and failed loads, and links to missing files or anchors.
async function sweep(files, site) {
  const page = await newPage({ viewport: MOBILE });
  const overflow = [];
  const problems = [];
  const broken = [];
  const anchorsCache = new Map();
  const anchorsOf = (file) => {
    if (!anchorsCache.has(file)) {
      const html = fs.readFileSync(file, "utf8");
      anchorsCache.set(file, new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1])));
    }
    return anchorsCache.get(file);
  };
  for (const f of files) {
    const r = rel(f);
    page.problems = [];
    await open(page, path.relative(site, f), site);
    const res = await page.evaluate(() => {
      const de = document.documentElement;
      const cw = de.clientWidth;
      const wide = [];
      if (de.scrollWidth > cw) {
        // The innermost elements that stick out on the right.
        for (const el of document.body.querySelectorAll("*")) {
          const b = el.getBoundingClientRect();
          if (b.right > cw + 0.5 && b.width > 0 && ![...el.children].some((c) => c.getBoundingClientRect().right > cw + 0.5)) {
            const cls = typeof el.className === "string" && el.className.trim() ? "." + el.className.trim().split(/\s+/).join(".") : "";
            wide.push(`${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${cls} (right ${Math.round(b.right)})`);
          }
        }
      }
      const links = [...document.querySelectorAll("a[href]")].map((a) => a.href).filter((h) => h.startsWith("file:"));
      return { sw: de.scrollWidth, cw, wide: wide.slice(0, 4), links };
    });
    if (res.sw > res.cw) overflow.push(`${r}: scrollWidth ${res.sw} > ${res.cw}: ${res.wide.join(", ")}`);
    for (const p of page.problems) problems.push(`${r}: ${p}`);
    for (const link of new Set(res.links)) {
      const u = new URL(link);
      const target = fileURLToPath(u);
      if (!fs.existsSync(target)) broken.push(`${r}: ${rel(target)} does not exist`);
      else if (u.hash) {
        const id = decodeURIComponent(u.hash.slice(1));
        if (!anchorsOf(target).has(id)) broken.push(`${r}: no #${id} in ${rel(target)}`);
      }
    }
  }
  await page.close();
  return { overflow, problems, broken };
}

/* ---- Checks. */
try {
  // axe-core, every page kind, light and dark, at desktop width.
  for (const dark of [false, true]) {
    const scheme = dark ? "dark" : "light";
    const page = await newPage({ dark });
    for (const [kind, r] of KINDS) {
      await check(`axe WCAG 2.2 A/AA, ${scheme}: ${kind} (${r})`, async () => {
        await open(page, r);
        return axeResult(await axe(page));
      });
    }
    // The search results panel only exists once a query is typed.
    await check(`axe WCAG 2.2 A/AA, ${scheme}: search results open (guides/mastitis.html, 375 px)`, async () => {
      await page.setViewport({ ...MOBILE, deviceScaleFactor: 1, isMobile: true });
      await open(page, "guides/mastitis.html");
      await page.focus("#site-search");
      await page.keyboard.type("duct");
      await page.waitForSelector("#site-search-list .search-result");
      await page.keyboard.press("ArrowDown");
      await page.screenshot({ path: path.join(ARTIFACTS, `search-results-375${dark ? "-dark" : ""}.png`) });
      return axeResult(await axe(page));
    });
    await page.close();
  }

  // Offline search from file://, by keyboard only.
  for (const [r, id] of [
    ["index.html", "home-search"],
    ["guides/mastitis.html", "site-search"],
  ]) {
    await check(`search from file:// (${r}): Tab to the box, "hand expression" lists the hand-expression guide first, ArrowDown + Enter opens it`, async () => {
      const page = await newPage();
      await open(page, r);
      const details = [];
      let tabs = 0;
      for (; tabs < 40; tabs++) {
        if (await page.evaluate((id) => document.activeElement && document.activeElement.id === id, id)) break;
        await page.keyboard.press("Tab");
      }
      const reached = await page.evaluate((id) => document.activeElement && document.activeElement.id === id, id);
      if (!reached) details.push(`Tab never reached #${id}`);
      else details.push(`Tab reached #${id} after ${tabs} presses`);
      await page.keyboard.type("hand expression");
      await page.waitForFunction((id) => document.getElementById(id).form.getAttribute("data-shown") === "hand expression", {}, id);
      const results = await page.$$eval(`#${id}-list .search-result`, (as) =>
        as.map((a) => ({ href: a.getAttribute("href"), text: a.querySelector(".search-result-title").textContent, kind: a.querySelector(".search-result-kind").textContent })),
      );
      details.push(`results: ${results.map((x) => `${x.kind}: ${x.text}`).join(" | ")}`);
      const firstOk = results.length > 0 && /(^|\/)guides\/hand-expression\.html$/.test(results[0].href);
      if (!firstOk) details.push("the first result is not guides/hand-expression.html");
      await page.keyboard.press("ArrowDown");
      if (id === "home-search") await page.screenshot({ path: path.join(ARTIFACTS, "search-results-1280.png") });
      const state = await page.evaluate((id) => {
        const input = document.getElementById(id);
        const activeId = input.getAttribute("aria-activedescendant");
        const active = activeId && document.getElementById(activeId);
        return {
          expanded: input.getAttribute("aria-expanded"),
          focusStays: document.activeElement === input,
          activeHref: active ? active.getAttribute("href") : null,
          selected: active ? active.getAttribute("aria-selected") : null,
          visible: active ? active.getBoundingClientRect().height > 0 : false,
        };
      }, id);
      const kbdOk = state.expanded === "true" && state.focusStays && state.selected === "true" && state.visible && /hand-expression\.html$/.test(state.activeHref || "");
      if (!kbdOk) details.push(`after ArrowDown: ${JSON.stringify(state)}`);
      await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.keyboard.press("Enter")]);
      const landed = page.url();
      const navOk = landed === url("guides/hand-expression.html");
      if (!navOk) details.push(`Enter opened ${landed}`);
      const problems = page.problems;
      details.push(...problems);
      await page.close();
      return { ok: reached && firstOk && kbdOk && navOk && problems.length === 0, details };
    });
  }

  // Numbered references (`cite:`): reached by keyboard, announced as "Source N", and Enter
  // moves to that source in the list; axe finds nothing on the page (guide and doctor page).
  for (const r of ["guides/mastitis.html", "when-to-see-a-doctor.html"]) {
    await check(`references (${r}): Tab reaches one, it is announced as a link "Source N", Enter goes to that source; every reference has a target; axe 0`, async () => {
      const page = await newPage();
      // Headless Chromium does not finish a smooth scroll to an anchor on the same page; with
      // reduced motion (as the theme honours) it jumps, as it does for readers who ask for that.
      await page.emulateMediaFeatures([{ name: "prefers-reduced-motion", value: "reduce" }]);
      await open(page, r);
      const details = [];
      const count = await page.$$eval("a.ref", (as) => as.length);
      if (count === 0) return { ok: false, details: ["no references on the page"] };
      let tabs = 0;
      const onRef = () => page.evaluate(() => !!document.activeElement && document.activeElement.classList.contains("ref"));
      for (; tabs < 300 && !(await onRef()); tabs++) await page.keyboard.press("Tab");
      const reached = await onRef();
      details.push(reached ? `Tab reached a reference after ${tabs} presses (${count} on the page)` : "Tab never reached a reference");
      let named = false;
      let landed = false;
      if (reached) {
        const handle = await page.evaluateHandle(() => document.activeElement);
        const ax = await page.accessibility.snapshot({ root: handle, interestingOnly: false });
        named = !!ax && ax.role === "link" && /^Source \d+$/.test(ax.name || "");
        details.push(`announced as ${ax ? `${ax.role} "${ax.name}"` : "nothing"}`);
        const href = await page.evaluate(() => document.activeElement.getAttribute("href"));
        const sameDoc = href.startsWith("#");
        if (sameDoc) {
          await page.keyboard.press("Enter");
          await page.waitForFunction((h) => location.hash === h, { timeout: 5000 }, href);
        } else {
          await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.keyboard.press("Enter")]);
        }
        // Wait until the source is in view (or 3 s).
        const inView = () => {
          const t = document.querySelector(":target");
          const b = t && t.getBoundingClientRect();
          return !!b && b.top >= 0 && b.top < innerHeight;
        };
        await page.waitForFunction(inView, { timeout: 3000 }).catch(() => {});
        const target = await page.evaluate(() => {
          const t = document.querySelector(":target");
          return t && { id: t.id, tag: t.tagName, inList: !!t.closest("ol.sources") };
        });
        if (target) target.inView = await page.evaluate(inView);
        landed = !!target && target.tag === "LI" && target.inList && target.inView;
        details.push(`Enter went to ${page.url().split("/").slice(-2).join("/")}: ${JSON.stringify(target)}`);
      }
      await open(page, r);
      const problems = [...page.problems];
      const dangling = await page.$$eval("a.ref", (as) => as.map((a) => a.getAttribute("href")).filter((h) => h.startsWith("#") && !document.getElementById(h.slice(1))));
      for (const h of dangling) details.push(`no target for ${h}`);
      const a = axeResult(await axe(page));
      details.push(...a.details);
      details.push(...problems);
      await page.close();
      return { ok: reached && named && landed && dangling.length === 0 && a.ok && problems.length === 0, details };
    });
  }

  // Ranking of a few everyday queries, and the message when nothing matches.
  await check("search ranking: everyday words, typos and questions list the right page first with the query marked; no match says so and links the doctor page", async () => {
    const page = await newPage();
    await open(page, "symptoms/fever.html");
    await page.focus("#site-search");
    // Sets the box to q as typing would and waits until the list shows q's results.
    const ask = async (q) => {
      await page.evaluate((q) => {
        const input = document.getElementById("site-search");
        input.value = q;
        input.dispatchEvent(new Event("input", { bubbles: true }));
      }, q);
      await page.waitForFunction((q) => document.getElementById("site-search").form.getAttribute("data-shown") === q, { timeout: 5000 }, q);
    };
    const details = [];
    let ok = true;
    for (const [q, want, mark] of SEARCH_CASES) {
      await ask(q);
      const got = await page.evaluate(() => {
        const first = document.querySelector("#site-search-list .search-result");
        if (!first) return null;
        const text = first.querySelector(".search-result-text");
        return {
          href: first.getAttribute("href").replace(/^(\.\.\/)+/, ""),
          marks: [...first.querySelectorAll(".search-result-text mark")].map((m) => m.textContent.toLowerCase()),
          // A snippet is text and <mark> elements only: nothing else was made from the index.
          clean: !text || [...text.childNodes].every((n) => n.nodeType === 3 || n.nodeName === "MARK"),
        };
      });
      if (!got || got.href !== want) {
        ok = false;
        details.push(`"${q}": first result ${got && got.href}, expected ${want}`);
      } else if ((mark && !got.marks.some((m) => m.startsWith(mark))) || !got.clean) {
        ok = false;
        details.push(`"${q}": snippet marks ${JSON.stringify(got.marks)} (clean: ${got.clean}), expected "${mark}" marked`);
      }
    }
    await ask("zzqx");
    const none = await page.evaluate(() => {
      const input = document.getElementById("site-search");
      const empty = document.querySelector("#site-search-panel .search-empty");
      const panel = document.getElementById("site-search-panel");
      return {
        shown: !panel.hidden && !empty.hidden,
        link: empty.querySelector("a") ? empty.querySelector("a").getAttribute("href") : null,
        expanded: input.getAttribute("aria-expanded"),
      };
    });
    if (!none.shown || none.link !== "../when-to-see-a-doctor.html" || none.expanded !== "false") {
      ok = false;
      details.push(`no-match state: ${JSON.stringify(none)}`);
    }
    details.push(...page.problems);
    await page.close();
    return { ok: ok && page.problems.length === 0, details };
  });

  // Every page at 375 px: no sideways scrolling, no script errors, no failed loads, no broken links.
  {
    const { overflow, problems, broken } = await sweep(HTML, SITE);
    report(`no horizontal scrolling at 375 px on all ${HTML.length} pages`, overflow.length === 0, overflow);
    report(`no script errors or failed file loads on all ${HTML.length} pages (file://)`, problems.length === 0, problems);
    report(`every link inside the site points to an existing file and anchor`, broken.length === 0, broken);
  }

  // The Russian pages of a site in two languages: axe at 375 px light and dark, no sideways
  // scrolling, no script error or broken link, and search from file:// with a Russian word.
  if (RU_SITE) {
    const ruRel = (f) => path.relative(RU_SITE, f).split(path.sep).join("/");
    for (const dark of [false, true]) {
      const scheme = dark ? "dark" : "light";
      const page = await newPage({ viewport: MOBILE, dark });
      for (const f of RU_HTML) {
        await check(`axe WCAG 2.2 A/AA at 375 px, ${scheme}: Russian page ${ruRel(f)}`, async () => {
          await open(page, ruRel(f), RU_SITE);
          const lang = await page.evaluate(() => document.documentElement.lang);
          const res = axeResult(await axe(page));
          if (lang !== "ru") return { ok: false, details: [`lang="${lang}"`, ...res.details] };
          return res;
        });
      }
      await page.close();
    }
    const { overflow, problems, broken } = await sweep(RU_HTML, RU_SITE);
    const all = [...overflow, ...problems, ...broken];
    report(`Russian pages: no sideways scrolling at 375 px, script error or broken link on ${RU_HTML.length} pages`, all.length === 0, all);
  }
  // Search from file:// in Russian, on the two-language site and on the shipped site's Russian
  // edition: «мастит» lists the Russian mastitis guide first, labelled in Russian, its snippet
  // marks the word (on the shipped site, whose pages say it in their text), and the live region
  // says how many results in Russian, with the Russian plural form.
  for (const [label, site, wantMark] of [
    ["two-language site", RU_SITE, false],
    ["shipped site", SHIPPED_RU.length ? SITE : null, true],
  ].filter(([, site]) => site)) {
    await check(`search from file:// in Russian (${label}): «мастит» lists ru/guides/mastitis.html first, marked, announced in Russian`, async () => {
      const page = await newPage({ viewport: MOBILE });
      await open(page, "ru/index.html", site);
      await page.focus("#home-search");
      await page.keyboard.type("мастит");
      await page.waitForFunction(() => document.getElementById("home-search").form.getAttribute("data-shown") === "мастит");
      await page.waitForFunction(() => document.querySelector("#home-search").form.querySelector(".search-status").textContent !== "", { timeout: 5000 }).catch(() => {});
      const got = await page.evaluate(() => {
        const form = document.getElementById("home-search").form;
        const results = [...form.querySelectorAll(".search-result")];
        const first = results[0];
        return {
          hrefs: results.map((a) => a.getAttribute("href")),
          kind: first ? first.querySelector(".search-result-kind").textContent : "",
          marks: first ? [...first.querySelectorAll(".search-result-text mark")].map((m) => m.textContent.toLowerCase()) : [],
          status: form.querySelector(".search-status").textContent,
          count: results.length,
        };
      });
      const problems = page.problems;
      await page.close();
      const n = got.count, n10 = n % 10, n100 = n % 100;
      const form = n10 === 1 && n100 !== 11 ? "результат" : n10 >= 2 && n10 <= 4 && (n100 < 12 || n100 > 14) ? "результата" : "результатов";
      const details = [`results: ${got.hrefs.join(" | ")}`, `kind: ${got.kind}`, `marks: ${JSON.stringify(got.marks)}`, `status: ${got.status}`, ...problems];
      const ok =
        /^guides\/mastitis\.html$/.test(got.hrefs[0] || "") &&
        got.kind === "Статья" &&
        (!wantMark || got.marks.some((m) => m.startsWith("мастит"))) &&
        new RegExp(`^(Найдено: |Показаны первые )${n} ${form}\\. Выбирайте стрелками вверх и вниз\\.$`).test(got.status) &&
        problems.length === 0;
      return { ok, details };
    });
  }
  // The shipped site's Russian page kinds: axe at 375 px, light and dark, with lang="ru" (its
  // pages are in the sweep and the Nu run of every page already).
  if (SHIPPED_RU.length) {
    for (const dark of [false, true]) {
      const scheme = dark ? "dark" : "light";
      const page = await newPage({ viewport: MOBILE, dark });
      for (const [kind, r] of KINDS) {
        await check(`axe WCAG 2.2 A/AA at 375 px, ${scheme}: Russian ${kind} (ru/${r})`, async () => {
          await open(page, `ru/${r}`);
          const lang = await page.evaluate(() => document.documentElement.lang);
          const res = axeResult(await axe(page));
          if (lang !== "ru") return { ok: false, details: [`lang="${lang}"`, ...res.details] };
          return res;
        });
      }
      await page.close();
    }
  }

  // The Markdown-features site: what the renderer writes for tables, footnotes, alerts, task lists, code.
  if (MD_SITE) {
    for (const dark of [false, true]) {
      const scheme = dark ? "dark" : "light";
      const page = await newPage({ viewport: MOBILE, dark });
      for (const r of MD_PAGES) {
        await check(`axe WCAG 2.2 A/AA at 375 px, ${scheme}: Markdown features (md:${r})`, async () => {
          await open(page, r, MD_SITE);
          if (r.startsWith("guides/")) {
            const h = await page.evaluate(() => document.documentElement.scrollHeight);
            const file = path.join(ARTIFACTS, `markdown-features-375${dark ? "-dark" : ""}.png`);
            await page.screenshot({ path: file, clip: { x: 0, y: 0, width: MOBILE.width, height: Math.min(h, MAX_SHOT_HEIGHT) }, captureBeyondViewport: true });
          }
          return axeResult(await axe(page));
        });
      }
      await page.close();
    }
    const { overflow, problems, broken } = await sweep(MD_HTML, MD_SITE);
    const knownLinks = broken.filter((b) => knownIssue("link", b));
    const all = [...overflow, ...problems, ...broken.filter((b) => !knownLinks.includes(b))];
    report(`Markdown features: no sideways scrolling at 375 px, script error or broken link on ${MD_HTML.length} pages`, all.length === 0, [
      ...all,
      ...knownLinks.map((b) => `known, needs a Rust change: ${b}`),
    ]);
    const gone = KNOWN_RUST_ISSUES.filter((k) => !knownSeen.has(k));
    report(
      `known Rust-side issues still present (${KNOWN_RUST_ISSUES.length}; they do not fail the checks above)`,
      gone.length === 0,
      [
        ...KNOWN_RUST_ISSUES.filter((k) => knownSeen.has(k)).map((k) => `${k.rule}: ${k.fix}`),
        ...gone.map((k) => `fixed now, remove it from KNOWN_RUST_ISSUES in tests/browser/run.mjs: ${k.rule}`),
      ],
    );
  }

  // Screenshots of every page kind at 375 and 1280 px (plus dark mode at 375), for review.
  await check(`screenshots of ${KINDS.length} page kinds at 375 px and 1280 px (light) and 375 px (dark) in ${ARTIFACTS}`, async () => {
    const saved = [];
    for (const [vp, dark, suffix] of [
      [MOBILE, false, "375"],
      [DESKTOP, false, "1280"],
      [MOBILE, true, "375-dark"],
    ]) {
      const page = await newPage({ viewport: vp, dark });
      for (const [kind, r] of KINDS) {
        await open(page, r);
        const h = await page.evaluate(() => document.documentElement.scrollHeight);
        const file = path.join(ARTIFACTS, `${kind}-${suffix}.png`);
        await page.screenshot({ path: file, clip: { x: 0, y: 0, width: vp.width, height: Math.min(h, MAX_SHOT_HEIGHT) }, captureBeyondViewport: true });
        saved.push(file);
      }
      await page.close();
    }
    const missing = saved.filter((f) => !fs.existsSync(f) || fs.statSync(f).size === 0);
    return { ok: missing.length === 0, details: missing.map((f) => `not saved: ${f}`) };
  });

  // Printing.
  const pdf = async (r, format, name, site = SITE) => {
    const page = await newPage();
    await open(page, r, site);
    const file = path.join(ARTIFACTS, name);
    await page.pdf({ path: file, format, printBackground: false, preferCSSPageSize: true });
    const html = await page.evaluate(() => ({
      signs: [...document.querySelectorAll(".flag-sign")].map((e) => e.textContent),
      // Tier labels as printed (without the visually hidden "Urgency: ").
      labels: [...document.querySelectorAll(".care-card-heading")].map((e) => {
        const c = e.cloneNode(true);
        c.querySelectorAll(".visually-hidden").forEach((h) => h.remove());
        return c.textContent;
      }),
    }));
    await page.close();
    const info = execFileSync("pdfinfo", [file], { encoding: "utf8" });
    const pages = Number((info.match(/^Pages:\s+(\d+)/m) || [])[1]);
    const size = (info.match(/^Page size:\s+([\d.]+) x ([\d.]+)/m) || []).slice(1).map(Number);
    const text = execFileSync("pdftotext", ["-enc", "UTF-8", file, "-"], { encoding: "utf8", maxBuffer: 64 << 20 });
    return { file, pages, size, text, html };
  };
  const sizeIs = (size, want) => size.length === 2 && Math.abs(size[0] - want[0]) < 1 && Math.abs(size[1] - want[1]) < 1;

  for (const [format, want] of [
    ["A4", A4],
    ["Letter", LETTER],
  ]) {
    await check(`printing the doctor page (when-to-see-a-doctor.html) gives exactly one ${format} page with every warning sign`, async () => {
      const p = await pdf("when-to-see-a-doctor.html", format, `doctor-${format.toLowerCase()}.pdf`);
      const details = [`${p.pages} page(s), ${p.size.join(" x ")} pt, ${p.file}`];
      const text = norm(p.text);
      const missing = [...p.html.signs, ...p.html.labels].map(norm).filter((s) => !text.includes(s));
      for (const m of missing) details.push(`not in the PDF text: ${m}`);
      return { ok: p.pages === 1 && sizeIs(p.size, want) && missing.length === 0 && p.html.signs.length > 0, details };
    });
  }

  // The Russian doctor page (the two-language site's, and the shipped site's once it has one).
  for (const [label, site] of [
    ["two-language site", RU_SITE],
    ["shipped site", SHIPPED_RU.length ? SITE : null],
  ].filter(([, site]) => site)) {
    await check(`printing the Russian doctor page (${label}, ru/when-to-see-a-doctor.html) gives exactly one A4 page with every warning sign`, async () => {
      const name = `doctor-ru-${label.split(" ")[0]}-a4.pdf`;
      const p = await pdf("ru/when-to-see-a-doctor.html", "A4", name, site);
      const details = [`${p.pages} page(s), ${p.size.join(" x ")} pt, ${p.file}`];
      const text = norm(p.text);
      const missing = [...p.html.signs, ...p.html.labels].map(norm).filter((t) => !text.includes(t));
      for (const m of missing) details.push(`not in the PDF text: ${m}`);
      return { ok: p.pages === 1 && sizeIs(p.size, A4) && missing.length === 0 && p.html.signs.length > 0, details };
    });
  }

  {
    let p = null;
    await check(`printing print.html gives one PDF with every guide title (${GUIDE_TITLES.length} guides)`, async () => {
      p = await pdf("print.html", "A4", "print-a4.pdf");
      const text = norm(p.text);
      const missing = GUIDE_TITLES.filter((t) => !text.includes(norm(t)));
      return { ok: p.pages > 0 && missing.length === 0, details: [`${p.pages} A4 pages, ${p.file}`, ...missing.map((t) => `missing: ${t}`)] };
    });
    await check("printing print.html starts each guide on a new page", async () => {
      if (!p) return { ok: false, details: ["no PDF"] };
      const pages = p.text.split("\f").map(norm);
      const details = [];
      for (const t of GUIDE_TITLES) {
        const at = pages.findIndex((pg) => pg.startsWith(norm(t)));
        if (at < 0) details.push(`no page starts with "${t}"`);
      }
      return { ok: details.length === 0, details };
    });
  }

  // ---- Phone first (#18). Heights at 375 px before the change (main, 2 December 2026), and the
  // limits the issue sets from them: the mastitis guide a third, the doctor page a half.
  const BEFORE = { "guides/mastitis.html": 18489, "when-to-see-a-doctor.html": 21422 };
  const LIMIT = { "guides/mastitis.html": Math.floor(18489 / 3), "when-to-see-a-doctor.html": Math.floor(21422 / 2) };
  const PHONE = { width: 375, height: 800 };

  await check(`first two screens (375 x 800, 1,600 px) show every emergency and urgent sign, each linked to its place, in all ${GUIDES.length} guides`, async () => {
    const page = await newPage({ viewport: PHONE });
    const details = [];
    let ok = true;
    for (const r of GUIDES) {
      await open(page, r);
      const res = await page.evaluate(() => {
        const want = [...document.querySelectorAll('li[id^="flag-emergency-"], li[id^="flag-urgent-"]')].map((li) => li.id);
        const links = [...document.querySelectorAll(".help-box a[href^='#flag-']")];
        const seen = new Map(links.map((a) => [a.getAttribute("href").slice(1), a.getBoundingClientRect().bottom + window.scrollY]));
        return { want, seen: [...seen] };
      });
      const seen = new Map(res.seen);
      const missing = res.want.filter((id) => !seen.has(id));
      const low = res.want.filter((id) => seen.has(id) && seen.get(id) > 1600).map((id) => `${id} at ${Math.round(seen.get(id))} px`);
      if (missing.length || low.length) ok = false;
      if (missing.length || low.length) details.push(`${r}: ${[...missing.map((m) => `${m} not in the box`), ...low].join(", ")}`);
      else details.push(`${r}: ${res.want.length} signs, last at ${Math.round(Math.max(0, ...seen.values()))} px`);
    }
    const screenshot = path.join(ARTIFACTS, "mastitis-first-two-screens-375.png");
    await open(page, "guides/mastitis.html");
    await page.screenshot({ path: screenshot, clip: { x: 0, y: 0, width: 375, height: 1600 }, captureBeyondViewport: true });
    await page.close();
    return { ok, details };
  });

  await check("page heights at 375 px (every <details> closed) within the limits: mastitis guide a third, doctor page a half of before", async () => {
    const page = await newPage({ viewport: PHONE });
    const details = [];
    let ok = true;
    for (const r of Object.keys(LIMIT)) {
      await open(page, r);
      const h = await page.evaluate(() => {
        document.querySelectorAll("details[open]").forEach((d) => (d.open = false));
        return document.documentElement.scrollHeight;
      });
      if (h > LIMIT[r]) ok = false;
      details.push(`${r}: ${h} px (before ${BEFORE[r]} px, limit ${LIMIT[r]} px)`);
    }
    await page.close();
    return { ok, details };
  });

  await check("a folded section opens when reached by #anchor, by a link inside it, and by a text fragment (find-in-page's reveal)", async () => {
    const page = await newPage({ viewport: PHONE });
    const details = [];
    const openOf = (sel) => page.evaluate((sel) => { const el = document.querySelector(sel); return !!(el && el.closest("details") && el.closest("details").open); }, sel);
    await page.goto(url("guides/mastitis.html") + "#mistakes", { waitUntil: "load" });
    const a1 = await openOf("#mistakes");
    if (!a1) details.push("#mistakes: closed after loading with the anchor");
    await open(page, "guides/mastitis.html");
    await page.click('.help-box a[href="#flag-urgent-1"]');
    await new Promise((r) => setTimeout(r, 200));
    const a2 = await openOf("#flag-urgent-1");
    if (!a2) details.push("#flag-urgent-1: closed after following the link in the box");
    // Find-in-page has no DevTools command; a text fragment (#:~:text=) goes through the same
    // reveal of hidden content (auto-expanding <details>, hidden=until-found) in Chromium.
    await open(page, "guides/mastitis.html");
    const before = await openOf("#sources");
    await page.goto(url("guides/mastitis.html") + "#:~:text=" + encodeURIComponent("Clinical Protocol #36"), { waitUntil: "load" });
    // Chromium reveals a text fragment some time after load; on a busy machine well over 300 ms.
    await page
      .waitForFunction(() => { const el = document.querySelector("#sources"); return !!(el && el.closest("details") && el.closest("details").open); }, { timeout: 5000 })
      .catch(() => {});
    const a3 = await openOf("#sources");
    if (before || !a3) details.push(`text fragment: sources open before ${before}, open after ${a3}`);
    await page.close();
    return { ok: a1 && a2 && a3 && !before, details };
  });

  await check("printing a guide (mastitis, A4) includes every folded section", async () => {
    const page = await newPage();
    await open(page, "guides/mastitis.html");
    const want = await page.evaluate(() =>
      [...document.querySelectorAll(".fold-body")].map((b) => {
        const all = b.querySelectorAll("dd, .flag-sign, .source-link, .entry-list a");
        const first = all[all.length - 1];
        return { id: b.id, text: first ? first.textContent : "" };
      }),
    );
    const file = path.join(ARTIFACTS, "mastitis-a4.pdf");
    await page.pdf({ path: file, format: "A4", printBackground: false });
    await page.close();
    const text = norm(execFileSync("pdftotext", ["-enc", "UTF-8", file, "-"], { encoding: "utf8", maxBuffer: 64 << 20 }));
    // Outside links print with their address after them; compare the words only.
    const words = (s) => norm(s).replace(/\(https?:[^)]*\)/g, "").split(" ").slice(0, 8).join(" ");
    const missing = want.filter((w) => !text.includes(words(w.text)));
    return { ok: want.length >= 6 && missing.length === 0, details: [`${want.length} folded sections, ${file}`, ...missing.map((m) => `#${m.id}: "${words(m.text)}" not in the PDF`)] };
  });

  // ---- Over http, under a sub-path, with a strict CSP (#18): run when the test passes the sites.
  if (process.env.CAREBOOK_HTTP_A) await httpChecks();

  // The Nu HTML Checker (started at the beginning).
  await check(`Nu HTML Checker: no errors in all ${HTML.length + MD_HTML.length + RU_HTML.length} HTML files (${SHIPPED_RU.length} of them Russian pages of the shipped site, ${RU_HTML.length} of the two-language site)`, async () => {
    const r = await vnuRun;
    if (r.error) return { ok: false, details: [`java: ${r.error}`] };
    let messages;
    try {
      // The JSON report goes to stderr; Java may print a note before it (JAVA_TOOL_OPTIONS).
      const text = (r.err + r.out).trim();
      const at = text.search(/^\{/m);
      messages = JSON.parse(text.slice(Math.max(at, 0))).messages;
      if (!Array.isArray(messages)) throw new Error("no messages");
    } catch {
      return { ok: false, details: [`unreadable vnu output (exit ${r.code}): ${(r.err + r.out).slice(0, 500)}`] };
    }
    const errors = messages.filter((m) => m.type === "error" || m.type === "non-document-error");
    const details = errors.map((m) => `${m.url ? rel(fileURLToPath(m.url)) : "?"}:${m.lastLine ?? "?"}: ${m.message}${m.extract ? ` [${norm(m.extract).slice(0, 100)}]` : ""}`);
    return { ok: errors.length === 0 && r.code === 0, details };
  });
} finally {
  await browser.close().catch(() => {});
  fs.rmSync(userDataDir, { recursive: true, force: true });
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

// The checks over http (#18), given by tests/testsuite/browser.rs in the environment:
// CAREBOOK_HTTP_A and CAREBOOK_HTTP_B, the shipped site built with `base_url` =
// http://127.0.0.1:<CAREBOOK_HTTP_PORT>/care/, B with a changed title (CAREBOOK_HTTP_TITLE_B).
// A small server serves A (then B) under /care/ with `Content-Security-Policy: default-src 'self'`.
async function httpChecks() {
  const http = await import("node:http");
  const port = Number(process.env.CAREBOOK_HTTP_PORT);
  const titleB = process.env.CAREBOOK_HTTP_TITLE_B;
  // The Russian pages have their own title (`[languages.ru]`), changed in B too.
  const titleBRu = process.env.CAREBOOK_HTTP_TITLE_B_RU;
  const titleFor = (r) => (r.startsWith("ru/") ? titleBRu : titleB);
  const state = { dir: process.env.CAREBOOK_HTTP_A, down: false };
  const TYPES = { html: "text/html; charset=utf-8", js: "text/javascript", css: "text/css", svg: "image/svg+xml", webmanifest: "application/manifest+json", xml: "application/xml", txt: "text/plain" };
  const server = http.createServer((req, res) => {
    if (state.down) return req.socket.destroy();
    const u = new URL(req.url, "http://x");
    const send = (code, file) => {
      const ext = file.split(".").pop();
      res.writeHead(code, { "Content-Type": TYPES[ext] || "application/octet-stream", "Content-Security-Policy": "default-src 'self'", "Cache-Control": "no-cache" });
      res.end(fs.readFileSync(file));
    };
    let rel = decodeURIComponent(u.pathname);
    // The Markdown-features site (tables, footnotes…) under /md/, for the CSP check.
    const dir = rel.startsWith("/md/") && MD_SITE ? MD_SITE : state.dir;
    const prefix = dir === MD_SITE ? "/md/" : "/care/";
    if (!rel.startsWith(prefix)) return send(404, path.join(state.dir, "404.html"));
    rel = rel.slice(prefix.length);
    if (rel === "" || rel.endsWith("/")) rel += "index.html";
    const file = path.join(dir, rel);
    if (!path.resolve(file).startsWith(path.resolve(dir)) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) return send(404, path.join(dir, "404.html"));
    send(200, file);
  });
  await new Promise((r) => server.listen(port, "127.0.0.1", r));
  const base = `http://127.0.0.1:${port}/care/`;
  const status = (u) => new Promise((resolve) => http.get(u, (res) => { res.resume(); resolve(res.statusCode); }).on("error", (e) => resolve(String(e))));
  try {
    await check(`over http under /care/ with CSP default-src 'self': every href and src resolves, no CSP violation, on all ${HTML.length} pages (and ${MD_HTML.length} of the Markdown-features site) and a 404 at a deep path`, async () => {
      const page = await newPage({ viewport: MOBILE });
      const csp = [];
      page.on("console", (m) => { if (/Content Security Policy/i.test(m.text())) csp.push(`${page.url()}: ${m.text()}`); });
      const urls = new Map();
      const details = [];
      const mdBase = `http://127.0.0.1:${port}/md/`;
      const pages = [
        ...HTML.map((f) => base + path.relative(SITE, f).split(path.sep).join("/")),
        base + "guides/deep/er/nope.html",
        base,
        base + "guides/",
        ...MD_HTML.map((f) => mdBase + path.relative(MD_SITE, f).split(path.sep).join("/")),
      ];
      for (const u of pages) {
        page.problems = [];
        const resp = await page.goto(u, { waitUntil: "load" });
        const want404 = u.includes("nope.html");
        if (!resp || resp.status() !== (want404 ? 404 : 200)) details.push(`${u}: status ${resp && resp.status()}`);
        const res = await page.evaluate(() => ({
          refs: [...document.querySelectorAll("a[href], link[href], script[src], img[src]")].map((e) => e.href || e.src),
          styled: getComputedStyle(document.querySelector(".site-header")).backgroundColor !== "rgba(0, 0, 0, 0)",
        }));
        if (!res.styled) details.push(`${u}: the style sheet did not load`);
        for (const p of page.problems) if (!want404 || !p.includes("404")) details.push(`${u}: ${p}`);
        for (const h of res.refs) {
          const v = new URL(h);
          if (v.href.split("#")[0] === u) continue;
          if (v.origin !== new URL(base).origin) continue;
          v.hash = "";
          if (!urls.has(v.href)) urls.set(v.href, u);
        }
      }
      for (const [v, from] of urls) {
        const s = await status(v);
        if (s !== 200) details.push(`${v} (from ${from}): ${s}`);
      }
      await page.close();
      details.push(...csp);
      return { ok: details.length === 0, details: [`${pages.length} pages, ${urls.size} addresses`, ...details] };
    });

    await check("offline: after one visit over http every guide, the doctor page and search work offline; a new build replaces the old one whole", async () => {
      const details = [];
      let ok = true;
      const t0 = Date.now();
      const at = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
      const page = await newPage({ viewport: MOBILE });
      await page.goto(base + "index.html", { waitUntil: "load" });
      await page.waitForFunction(() => navigator.serviceWorker.controller && !document.getElementById("offline-note").hidden, { timeout: 30000 });
      details.push(`the service worker is active and the offline note shows (${at()})`);
      const cdp = await page.createCDPSession();
      // Installable: Chromium finds no problem with the manifest, its icon and the service worker.
      const manifest = await cdp.send("Page.getAppManifest").catch((e) => ({ errors: [{ message: String(e) }] }));
      const installability = await cdp.send("Page.getInstallabilityErrors").catch((e) => ({ installabilityErrors: [{ errorId: String(e) }] }));
      const installErrors = [...(manifest.errors || []).map((e) => `manifest: ${e.message}`), ...(installability.installabilityErrors || []).map((e) => `installability: ${e.errorId}`)];
      if (!manifest.url || installErrors.length) { ok = false; details.push(`not installable: ${manifest.url || "no manifest"} ${installErrors.join(", ")}`); }
      else details.push(`installable: ${manifest.url.replace(base, "")}, no installability errors`);
      await cdp.send("Network.enable");
      await cdp.send("Network.emulateNetworkConditions", { offline: true, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
      state.down = true;
      const guides = GUIDE_TITLES.length;
      for (const r of [...GUIDES, "when-to-see-a-doctor.html"]) {
        const resp = await page.goto(base + r, { waitUntil: "load" }).catch((e) => e);
        const good = resp && resp.ok && resp.ok() && (await page.evaluate(() => document.querySelector("h1") !== null && getComputedStyle(document.querySelector(".site-header")).backgroundColor !== "rgba(0, 0, 0, 0)"));
        if (!good) { ok = false; details.push(`offline: ${r} did not open: ${resp && resp.message ? resp.message : resp && resp.status && resp.status()}`); }
      }
      details.push(`cached: ${JSON.stringify(await page.evaluate(async () => Promise.all((await caches.keys()).map(async (k) => [k, (await (await caches.open(k)).keys()).length]))).catch((e) => String(e)))}`);
      await page.goto(base + "guides/mastitis.html", { waitUntil: "load" }).catch((e) => details.push(`offline: guides/mastitis.html: ${e.message}`));
      await page.focus("#site-search");
      await page.keyboard.type("plugged duct");
      const hits = await page.waitForFunction(() => document.querySelectorAll("#site-search-list .search-result").length, { timeout: 10000 }).then((h) => h.jsonValue()).catch(() => 0);
      if (!hits) { ok = false; details.push("offline: search found nothing"); }
      details.push(`offline: ${GUIDES.length} guides (${guides} in the index), the doctor page, search (${hits} results) (${at()})`);

      // A new build is deployed; online again, a reload brings it, whole.
      state.dir = process.env.CAREBOOK_HTTP_B;
      state.down = false;
      await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
      let fresh = false;
      for (let i = 0; i < 5 && !fresh; i++) {
        await page.reload({ waitUntil: "load" }).catch(() => {});
        fresh = await page.waitForFunction((t) => document.title.includes(t), { timeout: 5000 }, titleB).then(() => true).catch(() => false);
      }
      if (!fresh) { ok = false; details.push(`the new title never appeared: ${await page.title()}`); }
      // Each language's pages have a service worker of their own (ru/sw.js): a Russian page opened
      // online brings the Russian part of the new build.
      await page.goto(base + "ru/index.html", { waitUntil: "load" }).catch(() => {});
      let freshRu = false;
      for (let i = 0; i < 5 && !freshRu; i++) {
        await page.reload({ waitUntil: "load" }).catch(() => {});
        freshRu = await page.waitForFunction((t) => document.title.includes(t), { timeout: 5000 }, titleBRu).then(() => true).catch(() => false);
      }
      if (!freshRu) { ok = false; details.push(`the new Russian title never appeared: ${await page.title()}`); }
      details.push(`the new build shows (${at()})`);
      const sw = fs.readFileSync(path.join(process.env.CAREBOOK_HTTP_B, "sw.js"), "utf8");
      const want = `carebook ${base} ${(sw.match(/const CACHE = PREFIX \+ "([^"]+)"/) || [])[1]}`;
      await new Promise((r) => setTimeout(r, 500));
      const keys = await page.evaluate(() => caches.keys());
      const ours = keys.filter((k) => k.startsWith(`carebook ${base} `));
      if (ours.length !== 1 || ours[0] !== want) { ok = false; details.push(`caches after the update: ${keys.join(", ")} (want only ${want} for this site)`); }
      // Offline again: every page now comes from the new build only.
      state.down = true;
      await cdp.send("Network.emulateNetworkConditions", { offline: true, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
      for (const r of [...GUIDES, "when-to-see-a-doctor.html", "index.html", "ru/when-to-see-a-doctor.html", "ru/index.html"]) {
        await page.goto(base + r, { waitUntil: "load" }).catch(() => {});
        const t = await page.title();
        if (!t.includes(titleFor(r))) { ok = false; details.push(`after the update, offline: ${r} has the title "${t}"`); }
      }
      details.push(`after the update: "${titleB}" (in Russian "${titleBRu}") on every page, one cache: ${keys.join(", ")}`);
      state.down = false;
      await page.close();
      return { ok, details };
    });
  } finally {
    server.close();
    server.closeAllConnections?.();
  }
}
