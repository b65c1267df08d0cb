// refbook default theme: sidebar navigation, the page's outline, small conveniences.
// Works from file:// — data comes from scripts (nav.js), never fetch(), and only
// through siteData(), which search.js gets with `el` and the root as window.refbookSite.
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

  // For search.js, which loads after this script: the data, the element helper and the root.
  Object.defineProperty(window, "refbookSite", { value: Object.freeze({ data: siteData, el: el, root: root }) });

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
    if (typeof data.changes === "string") list.appendChild(item("Changes in this version", data.changes, "nav-home"));
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

  // "On this page": the sections of a long page beside its text on wide
  // screens (CSS hides it on narrow ones and on paper), the one being read
  // marked. Only headings that carry an anchor already (or whose block does)
  // are listed: anchors are made by the site, never here.
  var OUTLINE_MIN = 3, OUTLINE_MAX = 60;
  function buildOutline() {
    var main = document.getElementById("main"), layout = main && main.parentElement;
    if (!main || !layout || !layout.classList.contains("layout")) return;
    var items = [];
    // The whole-model pages bring their own navigation.
    if (/\bkind-(print|survey|results|worksheets)\b/.test(document.body.className)) return;
    Array.prototype.forEach.call(main.querySelectorAll("h2, h3"), function (h) {
      if (h.closest("nav, .prevnext")) return;
      if (h.tagName === "H3" && h.closest(".survey, fieldset")) return;
      var target = h.id ? h : (h.parentElement !== main && h.parentElement.firstElementChild === h && h.parentElement.id ? h.parentElement : null);
      if (target) items.push({ level: h.tagName === "H2" ? 2 : 3, target: target, text: h.textContent.replace(/\s+/g, " ").trim() });
    });
    // A page with hundreds of sections is a list, not a page to outline.
    if (items.length > OUTLINE_MAX) items = items.filter(function (i) { return i.level === 2; });
    var h2s = items.filter(function (i) { return i.level === 2; }).length;
    if (h2s < OUTLINE_MIN || items.length > OUTLINE_MAX) return;
    var nav = el("nav", { "class": "outline no-print", "aria-labelledby": "outline-title" });
    nav.appendChild(el("p", { id: "outline-title", "class": "outline-title" }, "On this page"));
    var ul = el("ul"), links = [];
    items.forEach(function (i) {
      var li = el("li", { "class": "outline-" + i.level });
      var a = el("a", { href: "#" + i.target.id }, i.text);
      li.appendChild(a);
      ul.appendChild(li);
      links.push(a);
    });
    nav.appendChild(ul);
    layout.appendChild(nav);
    layout.classList.add("has-outline");
    markCurrent(items, links);
  }
  // The current section is the last one whose top has passed the top of the
  // window (below the sticky header); recomputed whenever a section crosses.
  function markCurrent(items, links) {
    if (!("IntersectionObserver" in window)) return;
    var current = -1;
    function update() {
      var top = 90, n = -1;
      for (var i = 0; i < items.length; i++) {
        if (items[i].target.getBoundingClientRect().top <= top) n = i; else break;
      }
      if (n < 0) n = 0;
      if (n === current) return;
      if (current >= 0) links[current].removeAttribute("aria-current");
      current = n;
      links[n].setAttribute("aria-current", "location");
    }
    var io = new IntersectionObserver(update, { rootMargin: "-80px 0px 0px 0px", threshold: [0, 1] });
    items.forEach(function (i) { io.observe(i.target); });
    update();
  }

  function start() { buildNav(); buildOutline(); setupToggles(); setupPrint(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
