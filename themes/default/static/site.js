/* carebook default theme: folded sections and offline use.
 *
 * - Printing opens every folded section (<details>); Chromium prints them open from the style
 *   sheet alone, this covers the other browsers.
 * - Reaching a folded section by its address (#symptoms) opens it; links into a section open it
 *   natively, as does find-in-page.
 * - Over http(s), registers sw.js (written by the build), which keeps this build of the whole site
 *   on the device, and says so once it is ready. On file:// nothing of this runs.
 * An external file, not inline, so that `Content-Security-Policy: default-src 'self'` allows it.
 */
(function () {
  "use strict";
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
  openTarget();

  if (!("serviceWorker" in navigator) || !/^https?:$/.test(location.protocol)) return;
  var root = document.documentElement.getAttribute("data-root") || "";
  // The manifest is named here, not in the page: from file:// Chromium refuses to read it and
  // says so in the console.
  var manifest = document.createElement("link");
  manifest.rel = "manifest";
  manifest.href = root + "manifest.webmanifest";
  document.head.appendChild(manifest);
  var controlled = !!navigator.serviceWorker.controller;
  // A new build took over: reload, so that this page and what it loads come from one build.
  navigator.serviceWorker.addEventListener("controllerchange", function () {
    if (controlled) location.reload();
    controlled = true;
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
