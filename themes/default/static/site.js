/* carebook default theme: search on demand, folded sections and offline use.
 *
 * Loaded in <head>, so that <html class="no-js"> becomes "js" before the page shows (CSS hides
 * the search box without JavaScript).
 * - The search engine (static/search.js, 45 KB) is loaded when a reader first goes to a search
 *   box (focus, or the press of a tap or click on it), not with every page: most pages are read
 *   without a search. search.js then loads the index's root at once, before the first letter;
 *   what was typed while they loaded is searched as soon as they are there.
 * - Printing opens every folded section (<details>); Chromium prints them open from the style
 *   sheet alone, this covers the other browsers.
 * - Reaching a folded section by its address (#symptoms) opens it; links into a section open it
 *   natively, as does find-in-page.
 * - Over http(s), registers sw.js (written by the build), which keeps this build of the site on
 *   the device (a large site: its shell and each page once visited), and says so once it is
 *   ready. On file:// nothing of this runs.
 * An external file, not inline, so that `Content-Security-Policy: default-src 'self'` allows it.
 */
(function () {
  "use strict";
  var docEl = document.documentElement;
  docEl.className = docEl.className.replace(/(^|\s)no-js(\s|$)/, "$1js$2");
  var root = docEl.getAttribute("data-root") || "";

  var searchRequested = false;
  function isSearchBox(el) {
    return !!(el && el.classList && el.classList.contains("search-input"));
  }
  // On focus, and already at the press that will focus the box (a tap, a click): the engine
  // then loads while the reader's finger is still on the glass.
  function requestSearch(ev) {
    if (searchRequested || !isSearchBox(ev.target)) return;
    searchRequested = true;
    var script = document.createElement("script");
    script.src = root + "static/search.js";
    script.onload = function () {
      var input = document.activeElement;
      if (isSearchBox(input) && input.value) input.dispatchEvent(new Event("input", { bubbles: true }));
    };
    document.head.appendChild(script);
  }
  document.addEventListener("focusin", requestSearch);
  document.addEventListener("pointerdown", requestSearch, { passive: true });
  document.addEventListener("touchstart", requestSearch, { passive: true });

  var opened = [];
  window.addEventListener("beforeprint", function () {
    var closed = document.querySelectorAll("details:not([open])");
    for (var i = 0; i < closed.length; i++) {
      closed[i].open = true;
      opened.push(closed[i]);
    }
  });
  window.addEventListener("afterprint", function () {
    for (var i = 0; i < opened.length; i++) opened[i].open = false;
    opened = [];
  });

  function openTarget() {
    var id = "";
    try {
      id = decodeURIComponent(location.hash.slice(1));
    } catch (e) {
      return;
    }
    for (var el = id && document.getElementById(id); el; el = el.parentElement) {
      if (el.tagName === "DETAILS") el.open = true;
    }
  }
  window.addEventListener("hashchange", openTarget);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", openTarget);
  else openTarget();

  if (!("serviceWorker" in navigator) || !/^https?:$/.test(location.protocol)) return;
  // The manifest is named here, not in the page: from file:// Chromium refuses to read it and
  // says so in the console.
  var manifest = document.createElement("link");
  manifest.rel = "manifest";
  manifest.href = root + "manifest.webmanifest";
  document.head.appendChild(manifest);
  var controller = navigator.serviceWorker.controller;
  var worker = controller ? controller.scriptURL : "";
  // A new build of this page's worker took over: reload, so that this page and what it loads come
  // from one build. A different worker claiming the page (a translation's own ru/sw.js taking over
  // from the site's) serves the same build: no reload, which would also interrupt the reader.
  navigator.serviceWorker.addEventListener("controllerchange", function () {
    var now = navigator.serviceWorker.controller;
    var url = now ? now.scriptURL : "";
    if (worker && url === worker) location.reload();
    worker = url;
  });
  navigator.serviceWorker
    .register(root + "sw.js")
    .then(function () {
      return navigator.serviceWorker.ready;
    })
    .then(function () {
      var note = document.getElementById("offline-note");
      if (note) note.hidden = false;
    })
    .catch(function () {
      /* No service worker here (a preview server, a blocked one): the site works online as before. */
    });
})();
