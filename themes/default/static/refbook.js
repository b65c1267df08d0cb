// refbook default theme: sidebar navigation, offline search, small conveniences.
// Works from file:// — data comes from scripts (nav.js, search-index.js), never fetch(),
// and only through siteData().
(function () {
  "use strict";
  var root = document.documentElement.getAttribute("data-root") || "";
  var own = Object.prototype.hasOwnProperty;

  // The data scripts declare refbook$data with var: an own property of window.
  // Elements that content names like a global are on window too, but through
  // its prototype, so only the own property is read, and only plain data in it
  // (a page without that data script must not pick up a DOM node instead).
  function plain(v) {
    return v !== null && typeof v === "object" &&
      (Array.isArray(v) || Object.getPrototypeOf(v) === Object.prototype);
  }
  function siteData(part) {
    var all = own.call(window, "refbook$data") ? window.refbook$data : null;
    var v = plain(all) && own.call(all, part) ? all[part] : null;
    return plain(v) ? v : null;
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) if (own.call(attrs, k)) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = text;
    return e;
  }

  // Which site page this is, as a root-relative path, to mark it in the sidebar.
  // `home` is the home page's address (from nav.js): the site root is where
  // it resolves to, less its own name.
  function here(home) {
    var a = el("a", { href: root + home });
    var base = a.href.slice(0, a.href.length - home.length);
    var p = location.href.split("#")[0].split("?")[0];
    if (p.indexOf(base) === 0) p = p.slice(base.length);
    if (p === "" || /\/$/.test(p)) p += "index.html";
    return p;
  }

  function buildNav() {
    var nav = document.getElementById("sidebar");
    var data = siteData("nav");
    if (!nav || !data || Array.isArray(data)) return;
    var current = here(data.home);
    var list = el("ul");
    function item(text, url, cls, id) {
      var li = el("li", cls ? { "class": cls } : null);
      var a = el("a", { href: root + url });
      if (id) { a.appendChild(el("span", { "class": "id" }, id)); a.appendChild(document.createTextNode(" ")); }
      a.appendChild(document.createTextNode(text));
      if (url === current) a.setAttribute("aria-current", "page");
      li.appendChild(a);
      return li;
    }
    list.appendChild(item("Home", data.home, "nav-home"));
    data.categories.forEach(function (c) {
      var li = item(c[0], c[1], "nav-cat");
      var sub = el("ul");
      c[2].forEach(function (a) {
        var ai = item(a[1], a[2], null, a[0]);
        // The current area also holds its objective and practice pages.
        if (current !== a[2] && current.indexOf(a[2].replace(/index\.html$/, "")) === 0) ai.firstChild.setAttribute("aria-current", "true");
        sub.appendChild(ai);
      });
      li.appendChild(sub);
      list.appendChild(li);
    });
    if (data.goals.length) {
      var gl = el("li", { "class": "nav-cat" });
      gl.appendChild(el("a", { href: root + data.goals[0][2] }, data.terms.generic_goals || data.terms.generic_goal + "s"));
      var gs = el("ul");
      data.goals.forEach(function (g) { gs.appendChild(item(g[1], g[2], null, g[0])); });
      gl.appendChild(gs);
      list.appendChild(gl);
    }
    nav.textContent = "";
    nav.appendChild(list);
    keepSidebarPlace(nav, nav.querySelector('[aria-current="page"]'));
  }

  // The sidebar scrolls on its own: it reopens where the reader left it, and
  // brings the current entry into view by moving only itself. (scrollIntoView
  // would move the window too, opening pages below their own title.)
  var NAV_KEY = "refbook-nav-scroll";
  function keepSidebarPlace(nav, cur) {
    var saved = null;
    try { saved = sessionStorage.getItem(NAV_KEY); } catch (e) { /* storage refused */ }
    if (saved !== null && /^\d+$/.test(saved)) nav.scrollTop = +saved;
    if (cur && nav.scrollHeight > nav.clientHeight) {
      var r = cur.getBoundingClientRect(), n = nav.getBoundingClientRect();
      if (r.top < n.top || r.bottom > n.bottom) nav.scrollTop += r.top - n.top - (n.height - r.height) / 2;
    }
    window.addEventListener("pagehide", function () {
      try { sessionStorage.setItem(NAV_KEY, String(Math.round(nav.scrollTop))); } catch (e) { /* storage refused */ }
    });
  }

  // ---- search: an index loaded as a script on first use, so it works from disk.
  var index = null, loading = false, waiting = [];
  function withIndex(fn) {
    if (index) return fn(index);
    waiting.push(fn);
    if (loading) return;
    loading = true;
    var s = el("script", { src: root + "assets/search-index.js" });
    s.onload = function () {
      var entries = siteData("search");
      index = (Array.isArray(entries) ? entries : []).map(function (e) {
        return { id: e[0], title: e[1], kind: e[2], url: e[3], text: e[4],
                 idl: e[0].toLowerCase(), hay: (e[0] + " " + e[1] + " " + e[4]).toLowerCase() };
      });
      waiting.splice(0).forEach(function (f) { f(index); });
    };
    document.head.appendChild(s);
  }

  // An exact id first, then ids that start with the query, then titles, then text.
  function search(entries, q) {
    q = q.trim().toLowerCase();
    if (!q) return [];
    var words = q.split(/\s+/);
    var scored = [];
    for (var i = 0; i < entries.length; i++) {
      var e = entries[i], score = 0;
      if (e.idl === q) score = 1000;
      else if (e.idl && e.idl.indexOf(q) === 0) score = 500 - e.idl.length;
      else {
        var all = true, t = e.title.toLowerCase();
        for (var w = 0; w < words.length; w++) {
          if (e.hay.indexOf(words[w]) < 0) { all = false; break; }
          score += t.indexOf(words[w]) >= 0 ? 20 : 5;
        }
        if (!all) score = 0;
      }
      if (score > 0) scored.push([score, i, e]);
    }
    scored.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
    return scored.slice(0, 30).map(function (s) { return s[2]; });
  }

  function setupSearch() {
    var input = document.getElementById("search-input");
    var out = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    if (!input || !out) return;
    var selected = -1;
    function render(results) {
      out.textContent = "";
      selected = -1;
      results.forEach(function (r) {
        var li = el("li");
        var a = el("a", { href: root + r.url });
        if (r.id) { a.appendChild(el("span", { "class": "id" }, r.id)); a.appendChild(document.createTextNode(" ")); }
        a.appendChild(document.createTextNode(r.title));
        a.appendChild(el("span", { "class": "kind" }, r.kind));
        if (r.text) a.appendChild(el("span", { "class": "snippet" }, r.text));
        li.appendChild(a);
        out.appendChild(li);
      });
      out.hidden = results.length === 0 && !input.value.trim();
      if (results.length === 0 && input.value.trim()) {
        out.appendChild(el("li", null, "No match")).setAttribute("class", "muted");
        out.hidden = false;
      }
      if (status) status.textContent = input.value.trim() ? results.length + " results" : "";
    }
    function update() { withIndex(function (ix) { render(search(ix, input.value)); }); }
    input.addEventListener("focus", function () { withIndex(function () {}); });
    input.addEventListener("input", update);
    input.addEventListener("keydown", function (ev) {
      var links = out.querySelectorAll("a");
      if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
        ev.preventDefault();
        if (!links.length) return;
        if (selected >= 0) links[selected].removeAttribute("aria-selected");
        selected = (selected + (ev.key === "ArrowDown" ? 1 : -1) + links.length) % links.length;
        links[selected].setAttribute("aria-selected", "true");
        links[selected].scrollIntoView({ block: "nearest" });
      } else if (ev.key === "Enter") {
        var target = selected >= 0 ? links[selected] : links[0];
        if (target) { ev.preventDefault(); location.href = target.href; }
      } else if (ev.key === "Escape") {
        out.hidden = true; input.blur();
      }
    });
    document.addEventListener("click", function (ev) {
      if (!out.contains(ev.target) && ev.target !== input) out.hidden = true;
    });
    document.addEventListener("keydown", function (ev) {
      if (ev.key === "/" && document.activeElement === document.body) { ev.preventDefault(); input.focus(); }
    });
    window.refbookSearch = function (q, cb) { withIndex(function (ix) { cb(search(ix, q)); }); };
  }

  // On phones the contents (a drawer), the search field and the tools open
  // from buttons in the header; one at a time, and Escape closes it.
  function setupToggles() {
    var pairs = [["nav-toggle", "sidebar", "a"], ["search-toggle", "search", "#search-input"], ["tools-toggle", "tools", "a"]]
      .map(function (p) { return [document.getElementById(p[0]), document.getElementById(p[1]), p[2]]; })
      .filter(function (p) { return p[0] && p[1]; });
    function close(p) {
      p[1].classList.remove("open");
      p[0].setAttribute("aria-expanded", "false");
    }
    pairs.forEach(function (p) {
      p[0].addEventListener("click", function () {
        var open = !p[1].classList.contains("open");
        pairs.forEach(close);
        if (!open) return;
        p[1].classList.add("open");
        p[0].setAttribute("aria-expanded", "true");
        var first = p[1].querySelector(p[2]);
        if (first) first.focus({ preventScroll: true });
      });
    });
    document.addEventListener("keydown", function (ev) {
      if (ev.key !== "Escape") return;
      pairs.forEach(function (p) {
        if (p[1].classList.contains("open")) { close(p); p[0].focus(); }
      });
    });
  }

  function setupPrint() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (b) {
      b.addEventListener("click", function () { window.print(); });
    });
  }

  function start() { buildNav(); setupSearch(); setupToggles(); setupPrint(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
