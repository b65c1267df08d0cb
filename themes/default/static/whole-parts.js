/* refbook: the areas of a whole-model page (survey, print, worksheets) loaded
 * on demand. A large model's page holds, in each area's place, a slot
 * ([data-part-src]: the address of the area's part, a script made by the
 * build); the part's script calls refbookParts.put(code, html), which puts the
 * part in its slot. The survey's scripts ask for the area they show (load);
 * elsewhere the areas near the screen are loaded as it scrolls, the area a
 * fragment names is loaded and scrolled to, and the print buttons load every
 * area first, so that the whole model still prints. Works from file:// (a
 * script element, no fetch). A page without slots: nothing to do.
 *
 * Global: refbookParts (put, load, loadAll, loaded, onLoaded, slots).
 *
 * Loads after: (nothing; before the survey's scripts)
 */
(function () {
  "use strict";

  var doc = document;
  var slots = {}, order = [], waiting = {}, listeners = [];
  Array.prototype.forEach.call(doc.querySelectorAll("[data-part-src][data-part]"), function (s) {
    var code = s.getAttribute("data-part");
    slots[code] = s;
    order.push(code);
  });
  var parts = {
    /** The slots by area code, in page order. */
    slots: function () { return order.slice(); },
    loaded: function (code) { return !!slots[code] && !slots[code].hasAttribute("data-part-src"); },
    /** Puts an area's part (the markup the build made for this page) in its slot. */
    put: function (code, html) {
      var s = slots[code];
      if (!s || !s.hasAttribute("data-part-src")) return;
      var t = doc.createElement("template");
      t.innerHTML = html; // the site's own markup, escaped when it was built
      var root = t.content.firstElementChild;
      if (root && root.tagName === s.tagName) {
        // The slot stays the element the page's scripts know; it takes the part's attributes and content.
        Array.prototype.forEach.call(root.attributes, function (a) {
          if (a.name === "class") root.classList.forEach(function (c) { s.classList.add(c); });
          else s.setAttribute(a.name, a.value);
        });
        s.removeAttribute("data-part-src");
        s.classList.remove("part-slot");
        s.replaceChildren.apply(s, Array.prototype.slice.call(root.childNodes));
      } else {
        s.replaceWith(t.content);
        s.removeAttribute("data-part-src");
        slots[code] = root || s;
      }
      var done = waiting[code] || [];
      delete waiting[code];
      listeners.forEach(function (fn) { fn(code, slots[code]); });
      done.forEach(function (fn) { fn(slots[code]); });
    },
    /** Loads an area's part, then calls `done` with its element. */
    load: function (code, done) {
      var s = slots[code];
      if (!s) return false;
      if (parts.loaded(code)) { if (done) done(s); return true; }
      if (waiting[code]) { if (done) waiting[code].push(done); return true; }
      waiting[code] = done ? [done] : [];
      var el = doc.createElement("script");
      el.src = s.getAttribute("data-part-src");
      el.onerror = function () {
        var p = s.querySelector(".part-loading");
        if (p) p.textContent = "This part of the page could not be loaded (" + el.src + ").";
        if (window.console) console.error("refbook: could not load " + el.src);
      };
      doc.body.appendChild(el);
      return true;
    },
    /** Loads every area (a few at a time), then calls `done`. */
    loadAll: function (done, progress) {
      var todo = order.filter(function (c) { return !parts.loaded(c); }), n = todo.length, left = n, next = 0;
      if (!n) { done(); return; }
      function one() {
        if (next >= n) return;
        parts.load(todo[next++], function () {
          left--;
          if (progress) progress(n - left, n);
          if (left === 0) done(); else one();
        });
      }
      for (var i = 0; i < 6; i++) one();
    },
    onLoaded: function (fn) { listeners.push(fn); }
  };
  window.refbookParts = parts;
  if (!order.length) return;

  /* ---------- printing: every area first ---------- */

  var status = doc.createElement("p");
  status.className = "parts-status no-print";
  status.setAttribute("role", "status");
  status.hidden = true;
  doc.body.appendChild(status);
  window.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("[data-print], [data-action='print']");
    if (!b || order.every(parts.loaded)) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    status.hidden = false;
    parts.loadAll(function () {
      status.textContent = "Every area is loaded.";
      window.setTimeout(function () { status.hidden = true; window.print(); }, 0);
    }, function (i, n) { status.textContent = "Loading every area for printing: " + i + " of " + n + "…"; });
  }, true);

  // The survey's navigator decides which area it shows; on the other pages the areas come as they are scrolled to.
  if (doc.getElementById("survey-nav")) return;

  /** The slot that holds an id: itself, or the area whose id begins the element's. */
  function slotOf(id) {
    var best = null;
    order.forEach(function (c) {
      var sid = slots[c].id;
      if (sid && (id === sid || id.indexOf(sid + "-") === 0) && (!best || sid.length > slots[best].id.length)) best = c;
    });
    return best;
  }
  function toHash() {
    var id = "";
    try { id = decodeURIComponent(window.location.hash.slice(1)); } catch (e) { return; }
    if (!id) return;
    var c = slotOf(id);
    if (c && !parts.loaded(c)) parts.load(c, function () {
      var t = doc.getElementById(id);
      if (t) t.scrollIntoView({ block: "start" });
    });
  }
  window.addEventListener("hashchange", toHash);
  toHash();
  if ("IntersectionObserver" in window) {
    var seen = new IntersectionObserver(function (entries) {
      entries.forEach(function (en) {
        if (!en.isIntersecting) return;
        seen.unobserve(en.target);
        parts.load(en.target.getAttribute("data-part"));
      });
    }, { rootMargin: "100% 0px" });
    order.forEach(function (c) { seen.observe(slots[c]); });
  } else parts.loadAll(function () {});
})();
