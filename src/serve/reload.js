// refbook serve: live reload and build errors. Not part of a built site.
(function () {
  "use strict";
  if (!window.EventSource) { return; }
  var instance = null;
  var overlay = null;
  function fileOf(pathname) {
    var p = pathname;
    try { p = decodeURIComponent(p); } catch (e) { /* keep it raw */ }
    if (p.charAt(p.length - 1) === "/") { p += "index.html"; }
    return p.replace(/^\/+/, "");
  }
  var here = fileOf(location.pathname);
  function hide() {
    if (overlay) { overlay.remove(); overlay = null; }
  }
  function el(tag, text, style) {
    var e = document.createElement(tag);
    if (text) { e.textContent = text; }
    if (style) { Object.assign(e.style, style); }
    return e;
  }
  function show(data) {
    hide();
    var errors = data.errors || [];
    overlay = el("div", "", {
      position: "fixed", top: "0", left: "0", right: "0", maxHeight: "70vh", overflow: "auto",
      zIndex: "2147483647", background: "#2b0b0b", color: "#ffe9e9", padding: "1em 1.25em",
      font: "14px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
      borderBottom: "4px solid #e5484d", boxShadow: "0 4px 16px rgba(0,0,0,.5)"
    });
    overlay.id = "refbook-error-overlay";
    overlay.setAttribute("role", "alert");
    var close = el("button", "Close", { float: "right", font: "inherit", cursor: "pointer" });
    close.type = "button";
    close.addEventListener("click", hide);
    overlay.appendChild(close);
    var n = errors.length;
    overlay.appendChild(el("strong", "The book has " + n + " error" + (n === 1 ? "" : "s") +
      "; showing the last good build. Fix and save to rebuild.", { display: "block", marginBottom: ".75em" }));
    var list = el("ol", "", { margin: "0", paddingLeft: "1.5em" });
    errors.forEach(function (d) {
      var li = el("li", "", { marginBottom: ".6em" });
      var where = d.file + (d.line ? ":" + d.line + ":" + d.col : "");
      li.appendChild(el("span", where, { color: "#ffb4b4", fontWeight: "bold" }));
      li.appendChild(el("div", d.message, { whiteSpace: "pre-wrap" }));
      if (d.help) { li.appendChild(el("div", "help: " + d.help, { whiteSpace: "pre-wrap", opacity: ".85" })); }
      if (d.note) {
        var nw = d.note.file + (d.note.line ? ":" + d.note.line + ":" + d.note.col : "");
        li.appendChild(el("div", "note: " + nw + ": " + d.note.message, { whiteSpace: "pre-wrap", opacity: ".85" }));
      }
      list.appendChild(li);
    });
    overlay.appendChild(list);
    (document.body || document.documentElement).appendChild(overlay);
  }
  // Says which page this is: a change of the theme renders the open pages
  // first, and only the reloads that concern this page are sent.
  var es = new EventSource("/__refbook/events?page=" + encodeURIComponent(here));
  es.addEventListener("hello", function (e) {
    var d = JSON.parse(e.data);
    // A new server (restarted): this page may be stale.
    if (instance !== null && d.instance !== instance) { location.reload(); return; }
    instance = d.instance;
    hide();
  });
  es.addEventListener("errors", function (e) { show(JSON.parse(e.data)); });
  es.addEventListener("reload", function (e) {
    var d = JSON.parse(e.data);
    hide();
    var mine = d.all || (d.changed || []).some(function (f) {
      return f === here || !/\.html$/.test(f);
    });
    if (mine) { location.reload(); }
  });
})();
