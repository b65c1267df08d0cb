/* refbook default theme: the offline search box.
 *
 * The index (assets/search-index.js: ids, titles, kinds, addresses) is loaded
 * when the box is first used; the texts (statements, notes, subpractices,
 * definitions) are in shards that load one by one, only when a query must look
 * into them or a result needs its snippet. Everything is a <script> (never
 * fetch), so the search works from file://; data is read from refbook$data
 * through refbookSite.data, and the addresses of the shards come from the index.
 *
 * The box is an ARIA combobox with a listbox of results (the options are the
 * links themselves): arrow keys move through them, Enter opens one, Escape
 * closes the list. Snippets are made of text nodes and <mark> elements only.
 *
 * Loads after: refbook.js (window.refbookSite: the data and the element helper)
 */
(function () {
  "use strict";
  var own = Object.prototype.hasOwnProperty;
  var site = own.call(window, "refbookSite") ? window.refbookSite : null;
  if (!site) return;
  var el = site.el, root = site.root;
  /** The most results shown: enough to choose from, few enough to stop early. */
  var MAX = 30;
  /** Characters of text shown around the first match. */
  var BEFORE = 50, SNIPPET = 200;

  function load(src, done) {
    var s = el("script", { src: src });
    s.onload = function () { done(); };
    s.onerror = function () { done(); };
    document.head.appendChild(s);
  }
  function str(v) { return typeof v === "string" ? v : ""; }

  // ---- the index and its shards
  var index = null, indexWaiting = null;
  function prepare(raw) {
    var kinds = Array.isArray(raw.kinds) ? raw.kinds : [];
    var list = Array.isArray(raw.entries) ? raw.entries : [];
    var entries = list.map(function (e, i) {
      var id = str(e[0]), title = str(e[1]);
      // A generic practice as an area asks it names the practice's entry.
      var of = typeof e[4] === "number" && e[4] >= 0 && e[4] < list.length ? e[4] : -1;
      return { i: i, id: id, title: title, kind: str(kinds[e[2]]), url: str(e[3]), of: of,
               idl: id.toLowerCase(), hay: (id + " " + title).toLowerCase() };
    });
    var shards = Array.isArray(raw.text) ? raw.text : [];
    var grams = raw.grams && typeof raw.grams === "object" ? raw.grams : null;
    return { entries: entries, shards: shards, from: Array.isArray(raw.from) ? raw.from : [],
             grams: grams, texts: [], lows: [], waiting: [] };
  }
  function withIndex(src, fn) {
    if (index) return fn(index);
    if (indexWaiting) { indexWaiting.push(fn); return; }
    indexWaiting = [fn];
    load(src, function () {
      index = prepare(site.data("search") || {});
      indexWaiting.splice(0).forEach(function (f) { f(index); });
    });
  }
  /** Shard `k`'s texts (and their lower case), loaded once. */
  function withShard(ix, k, fn) {
    if (ix.texts[k]) return fn();
    if (ix.waiting[k]) { ix.waiting[k].push(fn); return; }
    ix.waiting[k] = [fn];
    var s = ix.shards[k] || [];
    load(root + str(s[0]), function () {
      var t = site.data(str(s[1]));
      ix.texts[k] = (Array.isArray(t) ? t : []).map(str);
      ix.lows[k] = ix.texts[k].map(function (x) { return x.toLowerCase(); });
      ix.waiting[k].splice(0).forEach(function (f) { f(); });
    });
  }
  /** Entry `i`'s text, to `fn`, once its shard is loaded. */
  function textOf(ix, i, fn) {
    if (!ix.shards.length) return fn("");
    var k = shardOf(ix, i);
    withShard(ix, k, function () { fn(ix.texts[k][i - ix.from[k]] || ""); });
  }
  /** The shard that holds entry `i`'s text. */
  function shardOf(ix, i) {
    var lo = 0, hi = ix.from.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (ix.from[mid] <= i) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  // ---- matching
  function parse(q) {
    q = q.trim().toLowerCase();
    return { q: q, words: q ? q.split(/\s+/) : [] };
  }
  function hasAll(hay, words) {
    for (var w = 0; w < words.length; w++) if (hay.indexOf(words[w]) < 0) return false;
    return true;
  }
  /** From the index alone: an exact id first, then ids that start with the
   *  query, then every word in the id or title (more in the title). A
   *  practice as an area asks it is found by its id only: by its title, the
   *  practice's own entry answers, not once per area. */
  function byIndex(ix, p) {
    var scored = [];
    if (!p.q) return [];
    for (var i = 0; i < ix.entries.length; i++) {
      var e = ix.entries[i], score = 0;
      if (e.idl === p.q) score = 1000;
      else if (e.idl && e.idl.indexOf(p.q) === 0) score = 500 - e.idl.length;
      else if (e.of < 0 && hasAll(e.hay, p.words)) {
        var t = e.title.toLowerCase();
        for (var w = 0; w < p.words.length; w++) score += t.indexOf(p.words[w]) >= 0 ? 20 : 5;
      }
      if (score > 0) scored.push([score, i]);
    }
    scored.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
    return scored.slice(0, MAX).map(function (s) { return ix.entries[s[1]]; });
  }
  /** Whether the query is (the start of) an id: then the index has said it
   *  all, and the texts are not searched (which at scale loads every shard). */
  function byId(results, p) {
    return results.some(function (e) { return e.idl && e.idl.indexOf(p.q) === 0; });
  }
  /** Which shards can hold every word (1) and which cannot (0): a shard that
   *  lacks one of a word's trigrams of a-z and 0-9 lacks the word. The index
   *  gives each trigram's shards as run lengths, absent first. Null: any
   *  shard can (no trigram to go by). */
  function candidates(ix, words) {
    if (!ix.grams) return null;
    var n = ix.shards.length, mask = null;
    words.forEach(function (w) {
      for (var i = 0; i + 3 <= w.length; i++) {
        var g = w.slice(i, i + 3);
        if (!/^[a-z0-9]{3}$/.test(g)) continue;
        var runs = own.call(ix.grams, g) && Array.isArray(ix.grams[g]) ? ix.grams[g] : [];
        var has = new Uint8Array(n), k = 0;
        for (var r = 0; r + 1 < runs.length; r += 2) {
          k += +runs[r] || 0;
          for (var j = +runs[r + 1] || 0; j > 0 && k < n; j--) has[k++] = 1;
        }
        if (!mask) mask = has;
        else for (var x = 0; x < n; x++) mask[x] &= has[x];
      }
    });
    return mask;
  }
  /** Adds the entries whose text has every word, shard after shard (those
   *  that can hold every word, see `candidates`), until
   *  there are MAX results or no shard is left; `more` is called after each
   *  shard with the results so far, `done` at the end, and neither once
   *  `live()` says the query changed. */
  function byText(ix, p, results, live, more, done) {
    var seen = {};
    results.forEach(function (e) { seen[e.i] = true; });
    var mask = candidates(ix, p.words);
    (function next(k) {
      while (mask && k < ix.shards.length && !mask[k]) k++;
      if (results.length >= MAX || k >= ix.shards.length) return done(results);
      withShard(ix, k, function () {
        if (!live()) return;
        var lows = ix.lows[k], from = ix.from[k];
        for (var j = 0; j < lows.length && results.length < MAX; j++) {
          var e = ix.entries[from + j];
          if (e && !seen[e.i] && hasAll(lows[j], p.words)) results.push(e);
        }
        more(results);
        next(k + 1);
      });
    })(0);
  }

  // ---- snippets: the text around the first match, the words marked
  function snippet(text, words) {
    var low = text.toLowerCase();
    if (low.length !== text.length) text = low; // case folding moved the offsets
    // Around the longest word, the likeliest to be what was looked for.
    var at = -1, longest = "";
    words.forEach(function (w) { var i = low.indexOf(w); if (i >= 0 && w.length > longest.length) { at = i; longest = w; } });
    var start = 0;
    if (at > BEFORE) {
      start = text.lastIndexOf(" ", at - BEFORE);
      start = start < 0 ? at - BEFORE : start + 1;
    }
    var end = Math.min(text.length, start + SNIPPET);
    var space = text.lastIndexOf(" ", end);
    if (end < text.length && space > start + SNIPPET / 2) end = space;
    var marks = [];
    words.forEach(function (w) {
      for (var i = low.indexOf(w, start); i >= 0 && i < end; i = low.indexOf(w, i + w.length)) {
        marks.push([i, Math.min(end, i + w.length)]);
      }
    });
    marks.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var frag = el("span", { "class": "snippet" }), pos = start;
    if (start > 0) frag.appendChild(document.createTextNode("…"));
    marks.forEach(function (m) {
      if (m[0] < pos) { if (m[1] <= pos) return; m = [pos, m[1]]; }
      frag.appendChild(document.createTextNode(text.slice(pos, m[0])));
      frag.appendChild(el("mark", null, text.slice(m[0], m[1])));
      pos = m[1];
    });
    frag.appendChild(document.createTextNode(text.slice(pos, end) + (end < text.length ? "…" : "")));
    return frag;
  }

  // ---- the box
  function setup() {
    var input = document.getElementById("search-input");
    var pop = document.getElementById("search-results");
    var list = document.getElementById("search-list");
    var note = document.getElementById("search-note");
    var status = document.getElementById("search-status");
    if (!input || !pop || !list) return;
    var src = input.getAttribute("data-index") || "";
    var active = -1, generation = 0;

    function open(yes) {
      pop.hidden = !yes;
      input.setAttribute("aria-expanded", yes ? "true" : "false");
      if (!yes) activate(-1);
    }
    function options() { return list.querySelectorAll("[role=option]"); }
    function activate(n) {
      var opts = options();
      if (active >= 0 && opts[active]) opts[active].setAttribute("aria-selected", "false");
      active = n;
      if (n < 0 || !opts[n]) { active = -1; input.removeAttribute("aria-activedescendant"); return; }
      opts[n].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", opts[n].id);
      opts[n].scrollIntoView({ block: "nearest" });
    }
    function option(r, n, p, ix) {
      var li = el("li", { role: "none" });
      var a = el("a", { href: root + r.url, role: "option", id: "search-opt-" + n,
                        "aria-selected": "false", tabindex: "-1" });
      if (r.id && r.id !== r.title) { a.appendChild(el("span", { "class": "id" }, r.id)); a.appendChild(document.createTextNode(" ")); }
      a.appendChild(document.createTextNode(r.title));
      a.appendChild(el("span", { "class": "kind" }, r.kind));
      a.addEventListener("click", function () { open(false); });
      li.appendChild(a);
      var mine = generation;
      textOf(ix, r.i, function (t) {
        if (!t && r.of >= 0) return textOf(ix, r.of, show);
        show(t);
      });
      function show(t) { if (mine === generation && t) a.appendChild(snippet(t, p.words)); }
      return li;
    }
    function render(ix, p, results, busy) {
      var was = active;
      list.textContent = "";
      active = -1;
      input.removeAttribute("aria-activedescendant");
      results.forEach(function (r, n) { list.appendChild(option(r, n, p, ix)); });
      // More results arriving from the texts keep the one chosen with the keys.
      if (was >= 0 && was < results.length) activate(was);
      var msg = !p.q ? "" : busy ? "Searching the texts…" : results.length === 0 ? "No match"
        : results.length >= MAX ? "The first " + MAX + " results" : results.length + (results.length === 1 ? " result" : " results");
      if (note) { note.textContent = msg; note.hidden = !msg || (results.length > 0 && results.length < MAX && !busy); }
      if (status) status.textContent = busy ? "" : msg;
      open(!!p.q);
    }
    function update() {
      var mine = ++generation;
      withIndex(src, function (ix) {
        if (mine !== generation) return;
        var p = parse(input.value);
        var results = byIndex(ix, p);
        var texts = p.q && results.length < MAX && ix.shards.length && !byId(results, p);
        render(ix, p, results, texts);
        if (!texts) return;
        var shown = results.length;
        var live = function () { return mine === generation; };
        byText(ix, p, results.slice(), live, function (r) {
          if (r.length > shown) { shown = r.length; render(ix, p, r, true); }
        }, function (r) { if (live()) render(ix, p, r, false); });
      });
    }
    input.addEventListener("focus", function () { withIndex(src, function () {}); });
    input.addEventListener("input", update);
    input.addEventListener("keydown", function (ev) {
      var n = options().length;
      if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
        ev.preventDefault();
        if (!n) return;
        if (pop.hidden) open(true);
        activate((active + (ev.key === "ArrowDown" ? 1 : n - (active < 0 ? 0 : 1))) % n);
      } else if (ev.key === "Enter") {
        var target = options()[active >= 0 ? active : 0];
        if (target && input.value.trim()) { ev.preventDefault(); open(false); location.href = target.href; }
      } else if (ev.key === "Escape" && !pop.hidden) {
        // The first Escape closes the list; only the next clears the box
        // (what a search field does by itself).
        ev.preventDefault();
        open(false);
      }
    });
    pageWide(input, pop, open);
    window.refbookSearch = scripted(src);
  }

  /** A click elsewhere closes the list; `/` goes to the box. */
  function pageWide(input, pop, open) {
    document.addEventListener("click", function (ev) {
      if (!pop.contains(ev.target) && ev.target !== input) open(false);
    });
    document.addEventListener("keydown", function (ev) {
      if (ev.key === "/" && document.activeElement === document.body) { ev.preventDefault(); input.focus(); }
    });
  }

  /** The same search from script: `cb` gets the results once the texts
   *  have been looked into, each {id, title, kind, url}. */
  function scripted(src) {
    return function (q, cb) {
      withIndex(src, function (ix) {
        var p = parse(q), results = byIndex(ix, p);
        var plain = function (r) { return r.map(function (e) { return { id: e.id, title: e.title, kind: e.kind, url: e.url }; }); };
        if (!p.q || results.length >= MAX || byId(results, p)) return cb(plain(results));
        byText(ix, p, results, function () { return true; }, function () {}, function (r) { cb(plain(r)); });
      });
    };
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
