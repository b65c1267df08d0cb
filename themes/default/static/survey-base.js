/* refbook survey, the base every survey script stands on: it creates the one
 * global the survey scripts share, `refbookSurvey`, and the small helpers they
 * all use. The survey is split by job into plain scripts (no modules, no fetch:
 * they work from file://), each loaded only by the pages that use it:
 *
 *   survey-base.js     this file: the namespace and the shared helpers
 *   survey-store.js    the saved answers: storage, the model indexed, messages,
 *                      answers saved under another model id
 *   survey-form.js     the questions and assessment details of the survey and
 *                      area pages, their states and progress, orphaned answers
 *   survey-results.js  the results page: charts, tables, gaps, N/A, notes
 *   survey-targets.js  the results page's targets and gaps to them
 *   survey-roadmap.js  the results page's roadmap, its plan and exports
 *   survey-compare.js  the results page's comparison, per question
 *   survey-history.js  the results page's snapshots and trend
 *   survey-csv.js      answer files as CSV, both ways (pure, like scoring.js)
 *   survey-io.js       export (JSON, CSV) and import with its report
 *   survey-print.js    print buttons and running print headers (worksheets,
 *                      the survey, the results)
 *
 * No dependencies, no inline code (the pages have a strict Content-Security-Policy),
 * works from file:// and from a web server. Everything that comes from storage or
 * from an imported file is data: it reaches the page through textContent and DOM
 * attributes only, never through innerHTML.
 *
 * Sharing: window.refbookSurvey is the public API (its enumerable methods, each
 * added by the script that provides it) and holds, not enumerable, `lib`: these
 * helpers and the parts the other scripts provide (lib.part("store"), ...).
 * Scripts read it only as an own property of window: an element that content
 * names like it is on window through its prototype, and is never taken for it.
 *
 * Loads after: nothing (it comes first)
 */
(function () {
  "use strict";

  var own = Object.prototype.hasOwnProperty;
  function plainObject(v) {
    return v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype;
  }
  if (own.call(window, "refbookSurvey") && plainObject(window.refbookSurvey) && own.call(window.refbookSurvey, "lib")) return;

  var doc = document;
  var parts = Object.create(null);
  var S = window.refbookSurvey = {};

  /* The data scripts declare refbook$data with var: an own property of window.
   * Elements that content names like a global are on window too, but through
   * its prototype, so only the own property is read, and only a plain object in
   * it (the worksheets have no survey data and must not pick up a DOM node). */
  function siteData(part) {
    var all = own.call(window, "refbook$data") ? window.refbook$data : null;
    var v = plainObject(all) && own.call(all, part) ? all[part] : null;
    return plainObject(v) ? v : null;
  }

  function $(sel, root) { return (root || doc).querySelector(sel); }
  function $$(sel, root) { return Array.prototype.slice.call((root || doc).querySelectorAll(sel)); }
  function has(o, k) { return own.call(o, k); }
  function isObj(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }
  /** A map of answers by question id. Ids come from users and files, and one
   *  named __proto__ would set a plain object's prototype instead of a key (the
   *  answer silently lost); a map without a prototype keeps every id a key. */
  function dict(from) {
    var d = Object.create(null);
    if (from) Object.keys(from).forEach(function (k) { d[k] = from[k]; });
    return d;
  }

  /** el("p", {class: "x"}, "text", child, ...): text always goes in as text. */
  function el(tag, attrs) {
    var e = doc.createElement(tag);
    if (attrs) for (var k in attrs) if (has(attrs, k) && attrs[k] !== undefined && attrs[k] !== null) {
      if (k === "text") e.textContent = attrs[k]; else e.setAttribute(k, attrs[k]);
    }
    for (var i = 2; i < arguments.length; i++) add(e, arguments[i]);
    return e;
  }
  function svg(tag, attrs) {
    var e = doc.createElementNS("http://www.w3.org/2000/svg", tag);
    if (attrs) for (var k in attrs) if (has(attrs, k)) {
      if (k === "text") e.textContent = attrs[k]; else e.setAttribute(k, String(attrs[k]));
    }
    for (var i = 2; i < arguments.length; i++) add(e, arguments[i]);
    return e;
  }
  function add(parent, c) {
    if (c === null || c === undefined || c === false) return;
    if (Array.isArray(c)) { c.forEach(function (x) { add(parent, x); }); return; }
    parent.appendChild(typeof c === "object" ? c : doc.createTextNode(String(c)));
  }
  function clearEl(e) { while (e.firstChild) e.removeChild(e.firstChild); }

  /** slug(id) as in the format contract: EF-1.1 -> ef-1-1. */
  function slug(id) {
    return String(id).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  }
  function pct(n, d) { return d ? Math.round((100 * n) / d) + "%" : "\u2013"; }
  function plural(n, one, many) { return n + " " + (n === 1 ? one : (many || one + "s")); }

  /** A piece of evidence's href as a link target, or null when it is to be
   *  shown as text: only http(s) addresses and paths (./, ../ or /, not //)
   *  become links; a document reference ("DOC-7"), any other scheme
   *  (javascript:, data:) and anything with a space or control character (which
   *  browsers strip from addresses, "java\tscript:") stay text. */
  function evidenceHref(href) {
    var h = String(href);
    if (/[\u0000-\u0020\u007f\\]/.test(h)) return null;
    if (/^https?:\/\/[^/]/i.test(h)) return h;
    if (/^(\.{1,2}\/|\/(?!\/))/.test(h)) return h;
    return null;
  }
  /** A piece of evidence {href, description?} as an <li>: a link (see
   *  evidenceHref) or the reference as text, then its description; all text. */
  function evidenceItem(ev) {
    var href = evidenceHref(ev.href), desc = typeof ev.description === "string" ? ev.description : "";
    if (href !== null) return el("li", { "class": "evidence-item" },
      el("a", { href: href, rel: "noopener noreferrer", "class": "evidence-link", text: desc || ev.href }),
      desc ? [" ", el("span", { "class": "evidence-href", text: "(" + ev.href + ")" })] : null);
    return el("li", { "class": "evidence-item" }, el("span", { "class": "evidence-ref", text: ev.href }), desc ? ": " + desc : null);
  }

  /** The parts of the survey the page loaded: provide("store", {...}) once
   *  (null when it is off: no survey data, or something it needs is missing),
   *  part("store") for it or null. */
  function provide(name, part) { parts[name] = part; return part; }
  function part(name) { return parts[name] || null; }
  /** The part `name` that script `who` stands on, or null; when its script did
   *  not run at all, says so in the console. */
  function need(name, who) {
    if (!(name in parts) && window.console)
      console.error("refbook: load assets/survey-" + name + ".js before assets/" + who + "; " + who + " is off.");
    return part(name);
  }
  /** Adds a part's methods to the public API. */
  function api(methods) { Object.keys(methods).forEach(function (k) { S[k] = methods[k]; }); }

  Object.defineProperty(S, "lib", { value: {
    doc: doc, ROOT: doc.documentElement.getAttribute("data-root") || "",
    siteData: siteData, $: $, $$: $$, has: has, isObj: isObj, dict: dict,
    el: el, svg: svg, add: add, clearEl: clearEl, slug: slug, pct: pct, plural: plural,
    evidenceHref: evidenceHref, evidenceItem: evidenceItem,
    provide: provide, part: part, need: need, api: api
  } });
})();
