/* refbook survey: answering from the keyboard, on the survey and area pages.
 * The keys (listed in the page's "Keyboard" help): j / k the next / previous
 * question, a scale value's digit chooses it, n chooses N/A and puts the focus
 * in the reason, ] / [ the next / previous area (survey page), ? opens the
 * help. They act only when the focus is in the survey (or on no control at
 * all) and never while typing in a text field; Tab, the arrow keys and Space
 * keep their native meaning on the radios.
 *
 * Provides lib.part("keys").
 *
 * Loads after: survey-data.js scoring.js survey-base.js survey-store.js survey-form.js
 */
(function () {
  "use strict";

  var own = Object.prototype.hasOwnProperty;
  var S = own.call(window, "refbookSurvey") ? window.refbookSurvey : null;
  var lib = S && own.call(S, "lib") ? S.lib : null;
  if (!lib) {
    if (window.console) console.error("refbook: load assets/survey-base.js before assets/survey-keys.js; keyboard answering is off.");
    return;
  }
  var F = lib.need("store", "survey-keys.js") && lib.need("form", "survey-keys.js");
  if (!F) { lib.provide("keys", null); return; }
  var doc = lib.doc, $ = lib.$, $$ = lib.$$;
  var fieldsets = $$("fieldset[data-question]"); // none on the results page: the keys then do nothing
  // An area loaded on demand (whole-parts.js) brings its questions.
  if (own.call(window, "refbookParts")) window.refbookParts.onLoaded(function () { fieldsets = $$("fieldset[data-question]"); });

  var NOT_TYPING = { radio: 1, checkbox: 1, button: 1, submit: 1, reset: 1 };
  function typing(t) {
    if (!t || !t.tagName) return false;
    if (t.isContentEditable || t.tagName === "TEXTAREA" || t.tagName === "SELECT") return true;
    return t.tagName === "INPUT" && !NOT_TYPING[String(t.type).toLowerCase()];
  }
  /** Where the keys act: a question, the survey's sections and navigator, or nothing focused. */
  function inSurvey(t) {
    if (t === doc.body || t === doc.documentElement || (t && t.id === "main")) return true;
    return !!(t && t.closest && t.closest("section.survey, #survey-nav, .area-steps, .keyboard-help"));
  }
  /** The questions on screen: the current area's on the survey page, all on an area page. */
  function onScreen() {
    return fieldsets.filter(function (f) { return !f.closest("[hidden], .nav-away"); });
  }
  function focusQuestion(fs) {
    if (!fs) return;
    var r = $("input[type=radio]:checked", fs) || $("input[type=radio]", fs);
    fs.scrollIntoView({ block: "center" });
    if (r) r.focus({ preventScroll: true });
  }
  function move(fs, d) {
    var list = onScreen(), i = fs ? list.indexOf(fs) : -1;
    var to = i < 0 ? (d > 0 ? list[0] : list[list.length - 1]) : list[i + d];
    focusQuestion(to);
  }
  function choose(fs, value) {
    var r = fs && $("input[type=radio][value=\"" + value + "\"]", fs);
    if (!r) return false;
    r.click(); // as a person's click: the form saves and scores it
    if (value === "na") { var rs = $("textarea[data-reason]", fs); if (rs) rs.focus(); }
    else r.focus();
    return true;
  }
  function area(d) {
    var nav = lib.part("nav");
    if (!nav || !nav.step(d)) return false;
    focusQuestion(onScreen()[0]);
    return true;
  }
  function help() {
    var h = $("details.keyboard-help");
    if (!h) return false;
    h.open = !h.open;
    if (h.open) $("summary", h).focus();
    return true;
  }

  doc.addEventListener("keydown", function (e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
    var t = e.target;
    if (typing(t) || !inSurvey(t)) return;
    var fs = t.closest ? t.closest("fieldset[data-question]") : null;
    var k = e.key, done = false;
    if (k === "j") { move(fs, 1); done = true; }
    else if (k === "k") { move(fs, -1); done = true; }
    else if (/^[0-9]$/.test(k)) done = choose(fs, k);
    else if (k === "n") done = choose(fs, "na");
    else if (k === "]") done = area(1);
    else if (k === "[") done = area(-1);
    else if (k === "?") done = help();
    if (done) e.preventDefault();
  });

  lib.provide("keys", { move: move });
})();
