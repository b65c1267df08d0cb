/* refbook survey: the saved answers as OSCAL assessment results, the rule of
 * src/oscal/results.rs (README, "OSCAL"): one result per answer file, one
 * finding per answered question of the areas in scope targeting the question's
 * statement in the book's catalog (oscal/catalog.json: `EF-1.1_smt`,
 * `EF.GG2.GP1_smt`), satisfied iff the answer is performed, N/A as the
 * implementation status `not-applicable`, a note or evidence as an observation;
 * `import-ap` points at a back-matter resource saying there is no plan. UUIDs
 * are version 5 (SHA-1, computed here: crypto.subtle is not there on file://).
 *
 * Pure: no DOM, no storage. A plain script defining the one global
 * `refbookSurveyOscal`; under node it is also module.exports, which is how
 * tests/js/oscal.test.js runs the golden vectors of tests/oscal/results.json,
 * the same vectors tests/it/oscal.rs holds src/oscal/results.rs to. Change the
 * rule in both, and the vectors.
 *
 * API
 *   refbookSurveyOscal.assessmentResults(survey, files, now)  the document:
 *        `survey` the survey data (refbook$data.survey), `files` answer files
 *        as the format page gives them, `now` an OSCAL date-time (the
 *        document's time, and the start of a result whose respondent has no date).
 *   refbookSurveyOscal.uuid(kind, parts)  refbook's version 5 UUID of a name.
 *   refbookSurveyOscal.now(date)  a Date as an OSCAL date-time, to the second.
 *
 * Loads after: nothing (pure, like scoring.js)
 */
var refbookSurveyOscal = (function () {
  "use strict";

  var OSCAL_VERSION = "1.0.4";
  var NS = "urn:refbook:oscal";
  var own = Object.prototype.hasOwnProperty;

  /* ---------- SHA-1 and version 5 UUIDs ---------- */

  function utf8(s) {
    return Array.prototype.slice.call(new TextEncoder().encode(s));
  }
  function rotl(x, n) { return (x << n) | (x >>> (32 - n)); }
  /** SHA-1 of a byte array (FIPS 180-4), as 20 bytes. */
  function sha1(bytes) {
    var len = bytes.length;
    var msg = bytes.slice();
    msg.push(0x80);
    while (msg.length % 64 !== 56) msg.push(0);
    var hi = Math.floor(len / 0x20000000), lo = (len * 8) >>> 0;
    msg.push((hi >>> 24) & 255, (hi >>> 16) & 255, (hi >>> 8) & 255, hi & 255,
      (lo >>> 24) & 255, (lo >>> 16) & 255, (lo >>> 8) & 255, lo & 255);
    var h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
    var w = new Array(80);
    for (var off = 0; off < msg.length; off += 64) {
      for (var i = 0; i < 16; i++) {
        var j = off + 4 * i;
        w[i] = (msg[j] << 24) | (msg[j + 1] << 16) | (msg[j + 2] << 8) | msg[j + 3];
      }
      for (i = 16; i < 80; i++) w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
      var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
      for (i = 0; i < 80; i++) {
        var f, k;
        if (i < 20) { f = (b & c) | (~b & d); k = 0x5a827999; }
        else if (i < 40) { f = b ^ c ^ d; k = 0x6ed9eba1; }
        else if (i < 60) { f = (b & c) | (b & d) | (c & d); k = 0x8f1bbcdc; }
        else { f = b ^ c ^ d; k = 0xca62c1d6; }
        var t = (rotl(a, 5) + f + e + k + w[i]) | 0;
        e = d; d = c; c = rotl(b, 30); b = a; a = t;
      }
      h[0] = (h[0] + a) | 0; h[1] = (h[1] + b) | 0; h[2] = (h[2] + c) | 0;
      h[3] = (h[3] + d) | 0; h[4] = (h[4] + e) | 0;
    }
    var out = [];
    h.forEach(function (x) { out.push((x >>> 24) & 255, (x >>> 16) & 255, (x >>> 8) & 255, x & 255); });
    return out;
  }
  function parseUuid(s) {
    var hex = s.replace(/-/g, ""), out = [];
    for (var i = 0; i < 32; i += 2) out.push(parseInt(hex.substr(i, 2), 16));
    return out;
  }
  function uuid5(ns, name) {
    var b = sha1(ns.concat(utf8(name))).slice(0, 16);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    var hex = b.map(function (x) { return (x < 16 ? "0" : "") + x.toString(16); }).join("");
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
      hex.substr(16, 4) + "-" + hex.substr(20);
  }
  var NAMESPACE = parseUuid(uuid5(parseUuid("6ba7b811-9dad-11d1-80b4-00c04fd430c8"), NS));
  /** The UUID of what `parts` name as a `kind` of thing (src/oscal/ids.rs). */
  function uuid(kind, parts) {
    return uuid5(NAMESPACE, [kind].concat(parts).join("\u001f"));
  }

  /* ---------- ids, texts, times ---------- */

  function controlId(id) {
    var out = String(id).replace(/[^\p{L}\p{N}_-]/gu, ".");
    return /^[\p{L}_]/u.test(out) ? out : "_" + out;
  }
  function text(v) { return typeof v === "string" ? v : ""; }
  function list(v) { return Array.isArray(v) ? v : []; }
  function obj(v) { return v !== null && typeof v === "object" && !Array.isArray(v) ? v : {}; }
  function field(o, k) { o = obj(o); return own.call(o, k) ? o[k] : undefined; }

  /** A date (`2024-05-01`) or year (`2007`) as an OSCAL date-time; null otherwise. */
  function dateTime(s) {
    var t = String(s).trim(), y, m, d;
    if (t.length >= 10 && t.charAt(4) === "-" && t.charAt(7) === "-") {
      y = t.substr(0, 4); m = t.substr(5, 2); d = t.substr(8, 2);
    } else if (t.length === 4) { y = t; m = "01"; d = "01"; }
    else return null;
    if (!/^[0-9]+$/.test(y + m + d)) return null;
    var yn = +y, mn = +m, dn = +d;
    var leap = yn % 4 === 0 && (yn % 100 !== 0 || yn % 400 === 0);
    var days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if (yn < 1900 || yn >= 3000 || mn < 1 || mn > 12 || dn < 1 || dn > days[mn - 1]) return null;
    return y + "-" + m + "-" + d + "T00:00:00Z";
  }
  function now(date) { return date.toISOString().replace(/\.\d+Z$/, "Z"); }

  /** An answer as text (`2`, `2.5`, `na`); null for what is no answer. */
  function answerText(v) {
    if (typeof v === "number" && isFinite(v)) return String(v);
    return v === "na" ? "na" : null;
  }

  /* ---------- the document ---------- */

  function questions(s) {
    var out = [];
    list(field(s, "areas")).forEach(function (a) {
      var area = text(field(a, "code"));
      var qs = [];
      list(field(a, "objectives")).forEach(function (o) { qs = qs.concat(list(field(o, "practices"))); });
      list(field(a, "goals")).forEach(function (g) { qs = qs.concat(list(field(g, "questions"))); });
      qs.forEach(function (q) { out.push({ id: text(field(q, "id")), title: text(field(q, "title")), area: area }); });
    });
    return out;
  }

  function respondentLines(r) {
    var lines = [];
    [["organization", "Organization"], ["scope", "Scope"], ["assessor", "Assessor"], ["date", "Date"]].forEach(function (p) {
      var v = field(r, p[0]);
      if (typeof v === "string" && v.trim()) lines.push(p[1] + ": " + v.trim());
    });
    return lines.join("\n\n");
  }

  function finding(s, q, answer, reason) {
    var na = answer === "na";
    var at = field(s, "performed_at");
    var performed = !na && typeof at === "number" && Number(answer) >= at;
    var point = list(field(s, "scale")).filter(function (p) { return answerText(field(p, "value")) === answer; })[0];
    var label = point ? text(field(point, "label")) : "";
    var description = na ? "Not applicable." : label ? "Answered " + answer + " (" + label + ")." : "Answered " + answer + ".";
    var target = { type: "statement-id", "target-id": controlId(q.id) + "_smt",
      status: { state: performed ? "satisfied" : "not-satisfied" } };
    if (na) {
      target["implementation-status"] = { state: "not-applicable" };
      if (reason.trim()) target["implementation-status"].remarks = reason.trim();
    }
    return { title: (q.id + " " + q.title).trim(), description: description,
      props: [{ name: "answer", ns: NS, value: answer }, { name: "question", ns: NS, value: q.id }],
      target: target };
  }

  function observation(findingId, q, note, evidence, at) {
    note = note.trim();
    var refs = [];
    evidence.forEach(function (e) {
      var href = field(e, "href");
      if (typeof href !== "string") return;
      href = href.trim();
      var desc = field(e, "description");
      desc = typeof desc === "string" ? desc.trim() : "";
      var r = { description: desc || href };
      // A reference that is no URI (a document's name), or one into this
      // document, stays a description.
      if (href && href.charAt(0) !== "#" && !/[ \t\n\r]/.test(href)) r.href = href;
      refs.push(r);
    });
    if (!note && !refs.length) return null;
    var o = { uuid: uuid("observation", [findingId]),
      description: note || "Evidence given for " + q.id + ".",
      methods: refs.length ? ["INTERVIEW", "EXAMINE"] : ["INTERVIEW"], collected: at };
    if (refs.length) o["relevant-evidence"] = refs;
    return o;
  }

  function result(s, index, file, nowText) {
    var idx = String(index), model = text(field(s, "model"));
    var respondent = field(file, "respondent");
    var start = dateTime(text(field(respondent, "date")) || "x") || nowText;
    var scope = field(file, "areas_in_scope");
    var asked = questions(s).filter(function (q) {
      return !Array.isArray(scope) || scope.indexOf(q.area) >= 0;
    });
    var findings = [], observations = [];
    var answers = field(file, "answers");
    asked.forEach(function (q) {
      var entry = field(answers, q.id);
      var answer = answerText(field(entry, "value"));
      if (answer === null) return;
      var note = text(field(entry, "note")), reason = text(field(entry, "reason"));
      var id = uuid("finding", [model, idx, q.id, answer, note, reason]);
      var f = finding(s, q, answer, reason);
      var o = observation(id, q, note, list(field(entry, "evidence")), start);
      if (o) {
        f["related-observations"] = [{ "observation-uuid": o.uuid }];
        observations.push(o);
      }
      f.uuid = id;
      findings.push(f);
    });
    var details = respondentLines(respondent);
    var parts = [model, idx, details].concat(findings.map(function (f) { return f.uuid; }));
    var selection = asked.length
      ? { "include-controls": asked.map(function (q) { return { "control-id": controlId(q.id) }; }) }
      : { "include-all": {} };
    var description = findings.length + " answered questions.";
    var r = { uuid: uuid("result", parts), title: "Self-assessment " + (index + 1),
      description: details ? details + "\n\n" + description : description, start: start,
      "reviewed-controls": { "control-selections": [selection] } };
    if (observations.length) r.observations = observations;
    if (findings.length) r.findings = findings;
    return r;
  }

  function assessmentResults(survey, files, nowText) {
    var model = text(field(survey, "model"));
    var plan = uuid("no-assessment-plan", [model]);
    var results = list(files).map(function (f, i) { return result(survey, i, f, nowText); });
    var title = text(field(survey, "title"));
    var version = text(field(survey, "model_version")).trim();
    return { "assessment-results": {
      uuid: uuid("assessment-results", [model].concat(results.map(function (r) { return r.uuid; }))),
      metadata: { title: title ? title + ": self-assessment" : "Self-assessment", "last-modified": nowText,
        version: version || "unversioned", "oscal-version": OSCAL_VERSION },
      "import-ap": { href: "#" + plan,
        remarks: "A self-assessment: the answers were given without an assessment plan." },
      results: results,
      "back-matter": { resources: [{ uuid: plan, title: "No assessment plan: self-assessment",
        description: "The answers of a survey of practice, given by the respondent; no assessment plan was made." }] }
    } };
  }

  return { assessmentResults: assessmentResults, uuid: uuid, now: now };
})();

if (typeof module === "object" && module.exports) module.exports = refbookSurveyOscal;
