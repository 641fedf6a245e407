/* carebook offline search. Plain ES2017, no libraries, no modules, works from file://.
 *
 * Loaded in <head>: it first swaps <html class="no-js"> to "js" (CSS hides the search
 * box without JavaScript), then wires up every form.search once the page is parsed.
 * The index (search-index.js, a classic script that sets window.CAREBOOK_SEARCH) is
 * loaded lazily by adding a <script> element the first time a search box is used;
 * fetch/XHR and modules do not work on file://.
 *
 * The input is an ARIA combobox with a listbox of links: arrow keys move through the
 * results, Enter opens the highlighted one, Escape closes the list. The number of results
 * is announced through a polite live region.
 */
(function () {
  "use strict";

  var docEl = document.documentElement;
  docEl.className = docEl.className.replace(/(^|\s)no-js(\s|$)/, "$1js$2");

  var MAX_RESULTS = 10;
  var KIND_LABELS = { guide: "Guide", symptom: "Symptom", cause: "Cause", page: "Page" };
  // Weights: a title or alias match always ranks above headings, then summary, then body.
  var WEIGHT = { title: 1000, alias: 800, heading: 100, summary: 10, related: 5, body: 1 };
  // Guides are what readers come for (what to do, when to get help); symptom and cause pages
  // explain a word and point to the guides; free pages (about, glossary) come last. So a guide
  // that matches every word of the query ranks above a symptom whose other name matches it
  // ("plugged duct": the blocked-duct guide, then the "lump" symptom that has it as an alias).
  var KIND_BOOST = { guide: 2, symptom: 1, cause: 1, page: 0.5 };
  var NO_MATCHES = "No matches — try another word, or see When to see a doctor";

  var root = docEl.getAttribute("data-root") || "";
  var index = null;      // prepared entries, once loaded
  var loadState = "idle"; // idle | loading | ready | failed
  var waiting = [];      // callbacks to run when the index is ready

  /* ---- Text normalisation: case, accents and simple plurals. */
  function fold(text) {
    var s = String(text || "").toLowerCase();
    if (s.normalize) {
      s = s.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
    }
    return s;
  }

  // A light English stemmer, applied to the index and the query alike, so that "engorged",
  // "engorgement" and "engorge", or "plugged" and "plug", or "weaning" and "wean", meet.
  function stem(word) {
    var w = word;
    if (w.length <= 3 || !/[a-z]/.test(w)) return w;
    var m;
    if ((m = /^(.{4,})ments?$/.exec(w)) && /[aeiouy]/.test(m[1])) w = m[1];
    else if ((m = /^(.{3,})ings?$/.exec(w)) && /[aeiouy]/.test(m[1])) w = undouble(m[1]);
    else if ((m = /^(.{3,}[^e])ed$/.exec(w)) && /[aeiouy]/.test(m[1])) w = undouble(m[1]);
    else if (/ies$/.test(w) && w.length > 4) w = w.slice(0, -3) + "y";
    else if (/ss$/.test(w)) return w;
    else if (/es$/.test(w)) w = w.slice(0, -2);
    else if (/s$/.test(w)) w = w.slice(0, -1);
    if (/e$/.test(w) && w.length > 3) w = w.slice(0, -1);
    return w;
  }

  function undouble(w) {
    return /([b-df-hj-kmnp-rtv-z])\1$/.test(w) ? w.slice(0, -1) : w;
  }

  // Each word as { raw, stem }: the stem finds other forms of a whole word; the raw form keeps
  // prefix matching working while a word is still being typed ("plugg" on the way to "plugged").
  function words(text) {
    var parts = fold(text).split(/[^a-z0-9\u00c0-\uffff]+/);
    var out = [];
    for (var i = 0; i < parts.length; i++) {
      if (parts[i]) out.push({ raw: parts[i], stem: stem(parts[i]) });
    }
    return out;
  }

  function prepare(raw) {
    var list = Array.isArray(raw) ? raw : [];
    return list.map(function (e) {
      var aliases = Array.isArray(e.a) ? e.a : [];
      var headings = Array.isArray(e.h) ? e.h : [];
      // Optional: the titles and other names of the symptoms and causes a guide lists, so that
      // an alias ("clogged duct") also finds the guides about it.
      var related = Array.isArray(e.r) ? e.r : [];
      return {
        entry: e,
        fields: [
          { weight: WEIGHT.title, words: words(e.t) },
          { weight: WEIGHT.alias, words: words(aliases.join(" ")) },
          { weight: WEIGHT.heading, words: words(headings.join(" ")) },
          { weight: WEIGHT.summary, words: words(e.s) },
          { weight: WEIGHT.related, words: words(related.join(" ")) },
          { weight: WEIGHT.body, words: words(e.b) }
        ],
        titleFolded: fold(e.t).trim(),
        boost: KIND_BOOST[e.k] || 1
      };
    });
  }

  /* ---- Ranking: every query word must match somewhere (the same word in another form, or
     the start of a word); the score of each query word is the weight of the best field it
     matches, and an entry's score is their sum times the boost of its kind. */
  function fieldMatches(fieldWords, q) {
    var found = 0;
    for (var i = 0; i < fieldWords.length; i++) {
      var w = fieldWords[i];
      if (w.stem === q.stem) return 2;
      if (!found && (w.raw.lastIndexOf(q.raw, 0) === 0 || w.stem.lastIndexOf(q.stem, 0) === 0)) found = 1;
    }
    return found;
  }

  function search(query) {
    var qWords = words(query);
    if (!qWords.length || !index) return [];
    var qFolded = fold(query).replace(/\s+/g, " ").trim();
    var results = [];
    for (var i = 0; i < index.length; i++) {
      var item = index[i];
      var score = 0;
      var all = true;
      for (var j = 0; j < qWords.length && all; j++) {
        var best = 0;
        for (var f = 0; f < item.fields.length; f++) {
          if (item.fields[f].weight <= best) continue;
          var m = fieldMatches(item.fields[f].words, qWords[j]);
          if (m) {
            var s = item.fields[f].weight * (m === 2 ? 1.5 : 1);
            if (s > best) best = s;
          }
        }
        if (best === 0) all = false;
        score += best;
      }
      if (!all) continue;
      score *= item.boost;
      // Typing a page's whole title (or its start) always finds that page first.
      if (item.titleFolded === qFolded) score += 10000;
      else if (item.titleFolded.lastIndexOf(qFolded, 0) === 0) score += 1000;
      results.push({ item: item, score: score, order: i });
    }
    results.sort(function (a, b) {
      return b.score - a.score || a.order - b.order;
    });
    return results.slice(0, MAX_RESULTS).map(function (r) { return r.item.entry; });
  }

  /* ---- Lazy loading of the index with a classic <script> element. */
  function loadIndex(done) {
    if (loadState === "ready") { done(); return; }
    waiting.push(done);
    if (loadState === "loading") return;
    loadState = "loading";
    var script = document.createElement("script");
    script.src = root + "search-index.js";
    script.async = true;
    script.onload = function () {
      index = prepare(window.CAREBOOK_SEARCH);
      loadState = "ready";
      flush();
    };
    script.onerror = function () {
      loadState = "failed";
      flush();
    };
    document.head.appendChild(script);
  }

  function flush() {
    var callbacks = waiting;
    waiting = [];
    for (var i = 0; i < callbacks.length; i++) callbacks[i]();
  }

  function snippet(text) {
    var s = String(text || "").replace(/\s+/g, " ").trim();
    return s.length > 140 ? s.slice(0, 137).replace(/\s+\S*$/, "") + "…" : s;
  }

  /* ---- One search box. */
  var boxCount = 0;

  function setup(form) {
    var input = form.querySelector(".search-input");
    var panel = form.querySelector(".search-panel");
    var list = form.querySelector("[role=listbox]");
    var empty = form.querySelector(".search-empty");
    var status = form.querySelector(".search-status");
    if (!input || !panel || !list || !empty || !status) return;
    var idBase = (input.id || "search-" + (++boxCount)) + "-opt-";
    var active = -1;
    var options = [];
    var lastQuery = null;
    var statusTimer = null;

    function announce(text) {
      // Small delay so screen readers do not read every keystroke.
      clearTimeout(statusTimer);
      statusTimer = setTimeout(function () { status.textContent = text; }, 400);
    }

    function open() {
      panel.hidden = false;
      input.setAttribute("aria-expanded", options.length ? "true" : "false");
    }

    function close() {
      panel.hidden = true;
      input.setAttribute("aria-expanded", "false");
      setActive(-1);
    }

    function setActive(i) {
      if (active >= 0 && options[active]) options[active].setAttribute("aria-selected", "false");
      active = i;
      if (active >= 0 && options[active]) {
        var opt = options[active];
        opt.setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", opt.id);
        if (opt.scrollIntoView) opt.scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function render(query) {
      lastQuery = query;
      while (list.firstChild) list.removeChild(list.firstChild);
      options = [];
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (!query.trim()) {
        empty.hidden = true;
        close();
        announce("");
        return;
      }
      if (loadState === "failed") {
        empty.hidden = true;
        close();
        announce("Search is not available: the search index could not be loaded.");
        return;
      }
      var found = search(query);
      found.forEach(function (e, i) {
        var a = document.createElement("a");
        a.className = "search-result";
        a.id = idBase + i;
        a.href = root + e.u;
        a.setAttribute("role", "option");
        a.setAttribute("aria-selected", "false");
        a.tabIndex = -1;
        var title = document.createElement("span");
        title.className = "search-result-title";
        title.textContent = e.t;
        var kind = document.createElement("span");
        kind.className = "search-result-kind";
        kind.textContent = KIND_LABELS[e.k] || e.k || "";
        a.appendChild(title);
        a.appendChild(kind);
        if (e.s) {
          var text = document.createElement("span");
          text.className = "search-result-text";
          text.textContent = snippet(e.s);
          a.appendChild(text);
        }
        a.addEventListener("mousedown", function (ev) { ev.preventDefault(); });
        list.appendChild(a);
        options.push(a);
      });
      list.hidden = options.length === 0;
      empty.hidden = options.length !== 0;
      open();
      if (options.length) {
        announce(options.length + (options.length === 1 ? " result" : " results") +
          (options.length === MAX_RESULTS ? " shown" : "") + ". Use the up and down arrow keys to choose.");
      } else {
        announce(NO_MATCHES);
      }
    }

    function update() {
      var query = input.value;
      if (loadState === "ready") {
        if (query !== lastQuery || panel.hidden) render(query);
        return;
      }
      loadIndex(function () { render(input.value); });
    }

    input.addEventListener("focus", function () {
      loadIndex(function () {
        if (document.activeElement === input && input.value.trim()) render(input.value);
      });
    });
    input.addEventListener("input", update);

    input.addEventListener("keydown", function (ev) {
      var key = ev.key;
      if (key === "ArrowDown" || key === "Down") {
        ev.preventDefault();
        if (panel.hidden) { update(); return; }
        if (options.length) setActive(active + 1 < options.length ? active + 1 : 0);
      } else if (key === "ArrowUp" || key === "Up") {
        ev.preventDefault();
        if (panel.hidden) { update(); return; }
        if (options.length) setActive(active > 0 ? active - 1 : options.length - 1);
      } else if (key === "Enter") {
        ev.preventDefault();
        var target = options[active >= 0 ? active : 0];
        if (target && !panel.hidden) window.location.href = target.href;
      } else if (key === "Escape" || key === "Esc") {
        if (!panel.hidden) {
          ev.preventDefault();
          close();
        } else if (input.value) {
          ev.preventDefault();
          input.value = "";
          lastQuery = null;
          announce("");
        }
      } else if (key === "Tab") {
        close();
      }
    });

    input.addEventListener("blur", function () {
      // Let a tap on a result (a normal link) happen first.
      setTimeout(function () {
        if (!form.contains(document.activeElement)) close();
      }, 150);
    });

    document.addEventListener("click", function (ev) {
      if (!form.contains(ev.target)) close();
    });

    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
    });
  }

  function init() {
    var forms = document.querySelectorAll("form.search");
    for (var i = 0; i < forms.length; i++) setup(forms[i]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
