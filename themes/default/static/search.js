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
  var WEIGHT = { title: 1000, alias: 800, heading: 100, summary: 10, body: 1 };
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

  function stem(word) {
    if (word.length <= 3 || /ss$/.test(word)) return word;
    if (/es$/.test(word)) return word.slice(0, -2);
    if (/s$/.test(word)) return word.slice(0, -1);
    if (/e$/.test(word)) return word.slice(0, -1);
    return word;
  }

  function words(text) {
    var parts = fold(text).split(/[^a-z0-9\u00c0-\uffff]+/);
    var out = [];
    for (var i = 0; i < parts.length; i++) {
      if (parts[i]) out.push(stem(parts[i]));
    }
    return out;
  }

  function prepare(raw) {
    var list = Array.isArray(raw) ? raw : [];
    return list.map(function (e) {
      var aliases = Array.isArray(e.a) ? e.a : [];
      var headings = Array.isArray(e.h) ? e.h : [];
      return {
        entry: e,
        fields: [
          { weight: WEIGHT.title, words: words(e.t) },
          { weight: WEIGHT.alias, words: words(aliases.join(" ")) },
          { weight: WEIGHT.heading, words: words(headings.join(" ")) },
          { weight: WEIGHT.summary, words: words(e.s) },
          { weight: WEIGHT.body, words: words(e.b) }
        ],
        titleFolded: fold(e.t).trim()
      };
    });
  }

  /* ---- Ranking: every query word must match (as a word prefix) somewhere; the score of
     each query word is the weight of the best field it matches. */
  function fieldMatches(fieldWords, q) {
    for (var i = 0; i < fieldWords.length; i++) {
      var w = fieldWords[i];
      if (w === q) return 2;
      if (w.lastIndexOf(q, 0) === 0) return 1;
    }
    return 0;
  }

  function search(query) {
    var qWords = words(query);
    if (!qWords.length || !index) return [];
    var qFolded = fold(query).trim();
    var results = [];
    for (var i = 0; i < index.length; i++) {
      var item = index[i];
      var score = 0;
      var all = true;
      for (var j = 0; j < qWords.length && all; j++) {
        var best = 0;
        for (var f = 0; f < item.fields.length; f++) {
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
      if (item.titleFolded === qFolded) score += 5000;
      else if (item.titleFolded.lastIndexOf(qFolded, 0) === 0) score += 500;
      if (item.entry.k === "guide") score += 0.5;
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
