// carebook live preview. Served by `carebook serve` only and never written into the site.
// It listens to /__carebook/events: after a good rebuild ("reload") the page reloads itself;
// after a failed one ("errors") it shows the problems over the last good page until they are fixed.
// Every text from the server is put in with textContent, never parsed as HTML.
(function () {
  "use strict";
  if (!window.EventSource || !window.JSON) {
    return;
  }
  var script = document.currentScript;
  var pageBuild = script ? script.getAttribute("data-build") : null;
  var overlay = null;

  function node(tag, text, style) {
    var el = document.createElement(tag);
    if (text !== undefined && text !== null) {
      el.textContent = String(text);
    }
    if (style) {
      Object.keys(style).forEach(function (key) {
        el.style[key] = style[key];
      });
    }
    return el;
  }

  function hide() {
    if (overlay && overlay.parentNode) {
      overlay.parentNode.removeChild(overlay);
    }
    overlay = null;
  }

  function show(status) {
    hide();
    var box = node("div", null, {
      position: "fixed", top: "0", right: "0", bottom: "0", left: "0", zIndex: "2147483647",
      overflow: "auto", padding: "1.5rem", boxSizing: "border-box", background: "#18181b",
      color: "#f4f4f5", font: "15px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
      textAlign: "left"
    });
    box.id = "carebook-overlay";
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-label", "carebook: the site could not be rebuilt");

    var close = node("button", "Hide", {
      float: "right", font: "inherit", padding: "0.25rem 0.75rem", cursor: "pointer"
    });
    close.type = "button";
    close.addEventListener("click", hide);
    box.appendChild(close);

    box.appendChild(node("h2", "carebook: the site could not be rebuilt", {
      margin: "0 0 0.5rem", font: "inherit", fontSize: "1.25rem", fontWeight: "bold", color: "#fca5a5"
    }));
    var summary = status.summary ? status.summary + ". " : "";
    box.appendChild(node("p", summary + "Underneath is the last good version of this page. " +
      "Fix the problems and save: the page updates by itself.", { margin: "0 0 1rem" }));
    if (status.fatal) {
      box.appendChild(node("pre", status.fatal, { whiteSpace: "pre-wrap", color: "#fca5a5", margin: "0 0 1rem" }));
    }
    var list = node("ol", null, { margin: "0", padding: "0 0 0 1.5rem" });
    (status.diagnostics || []).forEach(function (d) {
      var item = node("li", null, { margin: "0 0 1rem" });
      var head = node("div");
      head.appendChild(node("strong", d.severity + "[" + d.code + "]", {
        color: d.severity === "error" ? "#fca5a5" : "#fcd34d"
      }));
      var where = (d.language ? d.language + ": " : "") + d.file + ":" + d.line + ":" + d.column;
      head.appendChild(node("span", " " + where, { color: "#93c5fd" }));
      item.appendChild(head);
      item.appendChild(node("div", d.message));
      if (d.help) {
        item.appendChild(node("div", "help: " + d.help, { color: "#86efac" }));
      }
      list.appendChild(item);
    });
    box.appendChild(list);
    overlay = box;
    (document.body || document.documentElement).appendChild(box);
  }

  function parse(event) {
    try {
      return JSON.parse(event.data);
    } catch (e) {
      return null;
    }
  }

  var source = new EventSource("/__carebook/events");
  source.addEventListener("reload", function (event) {
    var status = parse(event);
    if (!status) {
      return;
    }
    if (status.id !== pageBuild) {
      source.close();
      window.location.reload();
    } else {
      hide();
    }
  });
  source.addEventListener("errors", function (event) {
    var status = parse(event);
    if (status) {
      show(status);
    }
  });
})();
