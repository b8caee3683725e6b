// plansite search: queries the static index written by the build (CJK bigrams + ASCII words).
// `tokenize` must match src/search.rs. Works offline; no external requests.
"use strict";
(function (root) {
  function isCjk(c) {
    var n = c.codePointAt(0);
    return (n >= 0x3000 && n <= 0x30ff) || (n >= 0x31f0 && n <= 0x31ff) || (n >= 0x3400 && n <= 0x4dbf) ||
      (n >= 0x4e00 && n <= 0x9fff) || (n >= 0xf900 && n <= 0xfaff) || (n >= 0xff00 && n <= 0xffef);
  }
  function isPunct(c) {
    var n = c.codePointAt(0);
    return (n >= 0x3000 && n <= 0x303f) || (n >= 0xff01 && n <= 0xff0f) || (n >= 0xff1a && n <= 0xff20) ||
      (n >= 0xff3b && n <= 0xff40) || (n >= 0xff5b && n <= 0xff65) || c === "・";
  }
  function fold(c) {
    var n = c.codePointAt(0);
    if (n >= 0xff01 && n <= 0xff5e) c = String.fromCodePoint(n - 0xfee0);
    return /[A-Z]/.test(c) ? c.toLowerCase() : c;
  }
  function isAlnum(c) { return c !== undefined && /[a-z0-9]/.test(c); }
  function tokenize(text) {
    var chars = Array.from(text).map(fold), out = [], i = 0;
    while (i < chars.length) {
      var c = chars[i];
      if (isCjk(c) && !isPunct(c)) {
        var s = i;
        while (i < chars.length && isCjk(chars[i]) && !isPunct(chars[i])) i++;
        var run = chars.slice(s, i);
        if (run.length === 1) out.push(run[0]);
        for (var k = 0; k + 1 < run.length; k++) out.push(run[k] + run[k + 1]);
      } else if (isAlnum(c)) {
        var st = i;
        while (i < chars.length && (isAlnum(chars[i]) || (chars[i] === "-" && isAlnum(chars[i + 1])))) i++;
        var word = chars.slice(st, i).join("");
        if (word.indexOf("-") >= 0) word.split("-").forEach(function (p) { if (p) out.push(p); });
        out.push(word);
      } else i++;
    }
    return out;
  }
  // The documents of one token. Version 2 stores each list as gaps (the first number, then
  // differences), which keeps the file small.
  function postings(index, t) {
    var list = index.index[t] || [];
    if (index.version < 2) return list;
    var out = [], n = 0;
    for (var i = 0; i < list.length; i++) { n += list[i]; out.push(n); }
    return out;
  }
  // Documents containing every token of the query, best first (title hits, then order).
  function search(index, query) {
    var tokens = Array.from(new Set(tokenize(query)));
    if (!tokens.length) return [];
    var hits = null;
    tokens.forEach(function (t) {
      var posting = new Set(postings(index, t));
      hits = hits === null ? posting : new Set(Array.from(hits).filter(function (d) { return posting.has(d); }));
    });
    return Array.from(hits || []).map(function (d) {
      var doc = index.docs[d], titleTokens = new Set(tokenize(doc.title)), score = 0;
      tokens.forEach(function (t) { if (titleTokens.has(t)) score += 1; });
      return { doc: doc, score: score, n: d };
    }).sort(function (a, b) { return b.score - a.score || a.n - b.n; }).map(function (h) { return h.doc; });
  }
  root.plansiteSearch = { tokenize: tokenize, search: search };
  if (typeof module !== "undefined") module.exports = root.plansiteSearch;
  if (typeof document === "undefined") return;
  var box = document.getElementById("search-results");
  if (!box) return;
  var q = new URLSearchParams(location.search).get("q") || "";
  var input = document.getElementById("search-q");
  if (input) input.value = q;
  if (!q.trim()) return;
  fetch(box.dataset.index).then(function (r) { return r.json(); }).then(function (index) {
    var results = search(index, q);
    box.textContent = "";
    var p = document.createElement("p");
    p.textContent = results.length ? results.length + " " + box.dataset.count : box.dataset.none;
    box.appendChild(p);
    var ol = document.createElement("ol");
    ol.className = "search-results";
    results.slice(0, 100).forEach(function (doc) {
      var li = document.createElement("li"), a = document.createElement("a"), kind = document.createElement("span"), snip = document.createElement("p");
      a.href = box.dataset.root + doc.url;
      a.textContent = doc.title;
      kind.className = "badge";
      kind.textContent = doc.kind;
      snip.textContent = doc.snippet;
      li.appendChild(a); li.appendChild(document.createTextNode(" ")); li.appendChild(kind); li.appendChild(snip);
      ol.appendChild(li);
    });
    box.appendChild(ol);
  });
})(typeof window !== "undefined" ? window : globalThis);
