// plansite search: ranked, passage-level search over the static index the build writes
// (src/search/). Works offline, no dependencies, no external requests. normalize, tokens,
// stem and shardOf must match src/search/text.rs and index.rs (tests/search.rs runs both).
// Index text comes from content: it is only ever put in the page with textContent.
"use strict";
(function (root) {
  // ------------------------------------------------------------------ normalisation
  var SMALL = { "ァ": "ア", "ィ": "イ", "ゥ": "ウ", "ェ": "エ", "ォ": "オ", "ッ": "ツ", "ャ": "ヤ", "ュ": "ユ",
    "ョ": "ヨ", "ヮ": "ワ", "ヵ": "カ", "ヶ": "ケ" };
  function isKata(c) { var n = c.codePointAt(0); return n >= 0x30a1 && n <= 0x30fa; }
  // NFKC, lower case, small katakana as large, a katakana word's final ー dropped. `from`, when
  // given, receives for each output character the [start, end) of its source in `text`.
  function normalize(text, from) {
    var out = [], pending = null, prevKata = false, i = 0, chars = Array.from(text), pos = 0;
    while (i < chars.length) {
      // A character with the combining marks after it (ﾊﾞ is one バ).
      var j = i + 1;
      while (j < chars.length && /^[\u3099\u309a\uff9e\uff9f\u0300-\u036f]$/.test(chars[j])) j++;
      var src = chars.slice(i, j).join(""), start = pos;
      pos += src.length;
      Array.from(src.normalize("NFKC")).forEach(function (c0) {
        Array.from(c0.toLowerCase()).forEach(function (c1) {
          var c = SMALL[c1] || c1;
          if (c === "ー" && (prevKata || pending)) { pending = pending || [start, pos]; return; }
          var k = isKata(c);
          if (pending && k) { out.push("ー"); if (from) from.push(pending); }
          pending = null; prevKata = k;
          out.push(c); if (from) from.push([start, pos]);
        });
      });
      i = j;
    }
    return out.join("");
  }
  function isCjk(n) {
    return (n >= 0x3000 && n <= 0x30ff) || (n >= 0x31f0 && n <= 0x31ff) || (n >= 0x3400 && n <= 0x4dbf) ||
      (n >= 0x4e00 && n <= 0x9fff) || (n >= 0xf900 && n <= 0xfaff) || (n >= 0xff00 && n <= 0xffef);
  }
  function isPunct(n) {
    return (n >= 0x3000 && n <= 0x303f) || (n >= 0xff01 && n <= 0xff0f) || (n >= 0xff1a && n <= 0xff20) ||
      (n >= 0xff3b && n <= 0xff40) || (n >= 0xff5b && n <= 0xff65) || n === 0x30fb;
  }
  function isWordChar(c) { var n = c.codePointAt(0); return isCjk(n) && !isPunct(n); }
  function isAlnum(c) { return c !== undefined && /^[a-z0-9]$/.test(c); }
  function ends(s, t) { return s.slice(-t.length) === t; }
  // Light English stemming (plural, -ed, -ing, final e); words with digits are kept.
  function stem(w) {
    if (w.length <= 3 || !/^[a-z]+$/.test(w)) return w;
    var s = w, cut = 0;
    if (ends(s, "ies") && s.length > 4) s = s.slice(0, -3) + "y";
    else if (ends(s, "sses")) s = s.slice(0, -2);
    else if (ends(s, "s") && !(ends(s, "ss") || ends(s, "us") || ends(s, "is"))) s = s.slice(0, -1);
    if (ends(s, "ied") && s.length > 4) s = s.slice(0, -3) + "y";
    else if (ends(s, "ed") && s.length >= 5) cut = 2;
    else if (ends(s, "ing") && s.length >= 6) cut = 3;
    if (cut) {
      s = s.slice(0, -cut);
      var a = s[s.length - 1];
      if (s.length >= 2 && a === s[s.length - 2] && "aeioulsz".indexOf(a) < 0) s = s.slice(0, -1);
    }
    if (s.length >= 4 && ends(s, "e")) s = s.slice(0, -1);
    return s;
  }
  // Tokens of normalised text, each {t: token, s: start, e: end (in characters), w: raw word,
  // cjk: run index or -1}: CJK bigrams (a lone character alone), stemmed ASCII words, dashed
  // IDs whole and in parts.
  function tokens(norm) {
    var chars = Array.from(norm), out = [], i = 0, run = 0;
    while (i < chars.length) {
      var c = chars[i];
      if (isWordChar(c)) {
        var s = i;
        while (i < chars.length && isWordChar(chars[i])) i++;
        if (i - s === 1) out.push({ t: c, s: s, e: i, cjk: run });
        for (var k = s; k + 1 < i; k++) out.push({ t: chars[k] + chars[k + 1], s: k, e: k + 2, cjk: run });
        run++;
      } else if (isAlnum(c)) {
        var st = i;
        while (i < chars.length && (isAlnum(chars[i]) || (chars[i] === "-" && isAlnum(chars[i + 1])))) i++;
        var word = chars.slice(st, i).join("");
        if (word.indexOf("-") >= 0) {
          var p0 = st;
          word.split("-").forEach(function (p) {
            out.push({ t: stem(p), s: p0, e: p0 + p.length, w: p, cjk: -1 });
            p0 += p.length + 1;
          });
          out.push({ t: word, s: st, e: i, w: word, cjk: -1 });
        } else out.push({ t: stem(word), s: st, e: i, w: word, cjk: -1 });
      } else i++;
    }
    return out;
  }
  function tokenize(text) { return tokens(normalize(text)).map(function (x) { return x.t; }); }
  function shardOf(token, shards) {
    var chars = Array.from(token), take = /^[a-z0-9]/.test(token) ? 2 : 1, h = 0x811c9dc5;
    for (var i = 0; i < Math.min(take, chars.length); i++) h = Math.imul(h ^ chars[i].codePointAt(0), 16777619) >>> 0;
    return h % Math.max(shards, 1);
  }

  // ------------------------------------------------------------------ the query
  // A query: its distinct tokens, the phrases (each CJK run, and the words in order), and the
  // word being typed (matched as a prefix) unless the query ends with a space.
  function parse(query) {
    var norm = normalize(query), toks = tokens(norm), seen = {}, terms = [], runs = [];
    toks.forEach(function (x) {
      if (x.cjk >= 0) runs[x.cjk] = (runs[x.cjk] || "") + (runs[x.cjk] ? x.t.slice(-1) : x.t);
      if (!seen[x.t]) { seen[x.t] = 1; terms.push(x.t); }
    });
    var last = toks[toks.length - 1], prefix = null;
    if (last && last.cjk < 0 && /[a-z0-9]$/.test(norm) && last.w.length >= 2 && last.w.indexOf("-") < 0) prefix = last.w;
    var words = toks.filter(function (x) { return x.cjk < 0 && x.w.indexOf("-") < 0; }).map(function (x) { return x.w; });
    var phrases = runs.filter(function (r) { return r && Array.from(r).length >= 2; });
    if (words.length > 1) phrases.push(words.join(" "));
    return { norm: norm, terms: terms, prefix: prefix, prefixTerm: prefix && stem(prefix), phrases: phrases };
  }

  // ------------------------------------------------------------------ the engine
  // `load(path)` resolves to the parsed JSON of a file under the site root (fetch in a page,
  // the file system under Node). Everything loaded is kept for the next query.
  function Engine(load) {
    var cache = {};
    function get(path) { return cache[path] || (cache[path] = load(path)); }
    function meta(lang) { return get("search/" + lang + ".json"); }
    function shard(lang, k) { return get("search/" + lang + "/s/" + k + ".json"); }
    function fragment(lang, d) { return get("search/" + lang + "/f/" + d + ".json"); }
    function decode(list) {
      var m = new Map(), d = 0; // page → value
      for (var i = 0; i + 1 < list.length; i += 2) { d += list[i]; m.set(d, list[i + 1]); }
      return m;
    }
    // The postings of each term: a map page → weight (a prefix term unites the words it starts).
    function postings(lang, M, q) {
      var wanted = q.terms.map(function (t) {
        var k = shardOf(t, M.shards);
        return shard(lang, k).then(function (S) {
          if (t !== q.prefixTerm || !q.prefix) return decode(S[t] || []);
          var m = decode(S[t] || []);
          Object.keys(S).filter(function (w) { return w.indexOf(q.prefix) === 0 && w !== t; }).slice(0, 50)
            .forEach(function (w) { decode(S[w]).forEach(function (v, d) { m.set(d, Math.max(m.get(d) || 0, v)); }); });
          return m;
        });
      });
      return Promise.all(wanted);
    }
    // BM25 over the weighted postings (each value is weight × 2, plus 1 when in the title). A
    // title made of the query's words alone is the best answer (a glossary term, a policy).
    // Pages with every term come first; then, for three terms or more (or when no page has
    // them all), pages with most of them (a typo, a variant spelling), lower.
    function rank(M, lists, q) {
      var N = M.n, n = lists.length, score = new Map(), count = new Map(), titled = new Map(), k1 = 1.2, b = 0.75;
      var words = q.terms.filter(function (t) { return !/^[0-9]+$/.test(t); }).length;
      lists.forEach(function (m) {
        var idf = Math.log(1 + (N - m.size + 0.5) / (m.size + 0.5));
        m.forEach(function (v, d) {
          var w = v >> 1, norm = k1 * (1 - b + b * (M.len[d] || 0) / (M.avg || 1));
          score.set(d, (score.get(d) || 0) + idf * w * (k1 + 1) / (w + norm));
          count.set(d, (count.get(d) || 0) + 1);
          if (v & 1) titled.set(d, (titled.get(d) || 0) + 1);
        });
      });
      var full = [], partial = [], need = n >= 3 ? Math.ceil(0.6 * n) : n;
      count.forEach(function (c, d) {
        var s = score.get(d);
        if (titled.get(d) === n) s *= (M.tl && M.tl[d] <= words) ? 3 : 1.5;
        if (c === n) full.push({ d: d, score: s });
        else partial.push({ d: d, score: s * (c / n) * (c / n), c: c });
      });
      if (!full.length && n <= 2) need = 1;
      partial = partial.filter(function (h) { return h.c >= need; });
      function order(x, y) { return y.score - x.score || x.d - y.d; }
      return full.sort(order).concat(partial.sort(order));
    }
    function counts(M, hits, opts) {
      var g = {}, k = {};
      hits.forEach(function (h) {
        var gk = M.groups[M.g[h.d]][0], kk = M.kinds[M.k[h.d]][0];
        if (!opts.kind || opts.kind === kk) g[gk] = (g[gk] || 0) + 1;
        if (!opts.group || opts.group === gk) k[kk] = (k[kk] || 0) + 1;
      });
      return { groups: g, kinds: k };
    }
    // One language: {total, counts, results (offset..offset+limit, with passages)}.
    function search(lang, query, opts) {
      opts = opts || {};
      var q = parse(query);
      if (!q.terms.length) return Promise.resolve({ q: q, total: 0, results: [], counts: { groups: {}, kinds: {} } });
      return meta(lang).then(function (M) {
        return postings(lang, M, q).then(function (lists) {
          var hits = rank(M, lists, q);
          var c = counts(M, hits, opts);
          var shown = hits.filter(function (h) {
            return (!opts.group || M.groups[M.g[h.d]][0] === opts.group) && (!opts.kind || M.kinds[M.k[h.d]][0] === opts.kind);
          });
          var from = opts.offset || 0, page = shown.slice(from, from + (opts.limit || 10));
          return Promise.all(page.map(function (h) {
            return fragment(lang, h.d).then(function (F) { return result(M, h, F, q, lists); });
          })).then(function (results) {
            results.sort(function (x, y) { return y.score - x.score || x.d - y.d; });
            return { q: q, total: shown.length, all: hits.length, counts: c, results: results, labels: M };
          });
        });
      });
    }
    return { search: search, load: get };
  }

  // ------------------------------------------------------------------ passages and marks
  // Where the query matches a text: [start, end) ranges in the text's own characters (UTF-16),
  // whole CJK runs where they occur (else their bigrams), words by stem or typed prefix.
  function marks(text, q) {
    var from = [], norm = normalize(text, from), chars = Array.from(norm), ranges = [], phrase = 0;
    var runs = q.phrases.filter(function (p) { return p.indexOf(" ") < 0; });
    var want = {};
    q.terms.forEach(function (t) { want[t] = 1; });
    // Character offsets of the normalised text, for indexOf on the string.
    var at = [], off = 0;
    chars.forEach(function (c, i) { at.push(off); off += c.length; });
    function unit(u) { var lo = 0, hi = at.length; while (lo < hi) { var m = (lo + hi) >> 1; if (at[m] < u) lo = m + 1; else hi = m; } return lo; }
    function add(s, e) { if (s < e && from[s] && from[e - 1]) ranges.push([from[s][0], from[e - 1][1]]); }
    var covered = {};
    runs.forEach(function (r) {
      var i = norm.indexOf(r), n = Array.from(r).length;
      if (i >= 0) phrase++;
      while (i >= 0) { var s = unit(i); add(s, s + n); for (var k = s; k < s + n; k++) covered[k] = 1; i = norm.indexOf(r, i + r.length); }
    });
    var found = {};
    tokens(norm).forEach(function (x) {
      var hit = want[x.t] || (q.prefix && x.cjk < 0 && x.w.indexOf(q.prefix) === 0 && x.w.indexOf("-") < 0);
      if (!hit) return;
      found[want[x.t] ? x.t : q.prefixTerm] = 1;
      if (x.cjk >= 0 && (covered[x.s] && covered[x.e - 1])) return;
      add(x.s, x.e);
    });
    if (q.phrases.some(function (p) { return p.indexOf(" ") > 0 && norm.indexOf(p) >= 0; })) phrase++;
    // How much of the query's CJK runs stands here unbroken: the longest piece of each run
    // found, over the runs' length (1 for the exact phrase, less for scattered bigrams).
    var total = 0, got = 0;
    runs.forEach(function (r) {
      var c = Array.from(r), best = 0;
      for (var len = c.length; len >= 2 && !best; len--) {
        for (var i = 0; i + len <= c.length; i++) if (norm.indexOf(c.slice(i, i + len).join("")) >= 0) { best = len; break; }
      }
      total += c.length; got += best;
    });
    ranges.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var merged = [];
    ranges.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]); else merged.push(r.slice());
    });
    return { ranges: merged, found: Object.keys(found).length, phrase: phrase, cover: total ? got / total : phrase ? 1 : 0 };
  }
  // The sentence or two around the first mark, cut to about `max` characters.
  function excerpt(text, m, max) {
    max = max || 160;
    var first = m.ranges.length ? m.ranges[0][0] : 0, start = first, end = first;
    var stop = /[。．！？!?]/;
    while (start > 0 && first - start < max / 2 && !(stop.test(text[start - 1]) || (text[start - 1] === " " && text[start - 2] === "."))) start--;
    while (end < text.length && end - start < max && !(stop.test(text[end]) && end > first)) end++;
    if (end < text.length) end++;
    if (end - start < max / 3) while (end < text.length && end - start < max && !stop.test(text[end])) end++;
    var cut = { text: (start > 0 ? "…" : "") + text.slice(start, end).trim() + (end < text.length ? "…" : ""), ranges: [] };
    var shift = (start > 0 ? 1 : 0) - start - (text.slice(start, end).length - text.slice(start, end).trimStart().length);
    m.ranges.forEach(function (r) {
      if (r[1] > start && r[0] < end) cut.ranges.push([Math.max(r[0], start) + shift, Math.min(r[1], end) + shift]);
    });
    return cut;
  }
  // A result: the page with its best passage (most query terms, a phrase, then first), re-scored
  // with the phrase in the title or a passage above scattered bigrams.
  function result(M, h, F, q, lists) {
    var best = null, title = marks(F.t, q);
    (F.p.length ? F.p : [["", "", ""]]).forEach(function (p, i) {
      var mh = marks(p[1], q), mt = marks(p[2], q);
      var s = mt.found + mh.found + 2 * Math.max(mt.cover, mh.cover) + (mt.ranges.length ? 0.5 : 0);
      if (!best || s > best.s) best = { s: s, p: p, mh: mh, mt: mt, cover: Math.max(mt.cover, mh.cover) };
    });
    var boost = 1 + 0.6 * title.cover * title.cover + 0.4 * best.cover * best.cover;
    return {
      d: h.d, score: h.score * boost, url: F.u, anchor: best.p[0], title: F.t, id: F.i, titleMarks: title.ranges,
      idMarks: F.i ? marks(F.i, q).ranges : [],
      heading: best.p[1], headingMarks: best.mh.ranges, excerpt: excerpt(best.p[2], best.mt),
      group: M.groups[M.g[h.d]], kind: M.kinds[M.k[h.d]],
    };
  }

  var api = { normalize: normalize, tokenize: tokenize, stem: stem, shardOf: shardOf, parse: parse, marks: marks, Engine: Engine };
  root.plansiteSearch = api;
  if (typeof module !== "undefined") module.exports = api;
})(typeof window !== "undefined" ? window : globalThis);

// ------------------------------------------------------------------ the page: as you type
// The header box (results in a panel on every page) and the search page (filters, more
// results). Without JavaScript both are plain forms that land on the search page.
(function () {
  if (typeof document === "undefined" || !window.fetch) return;
  var S = window.plansiteSearch, engines = {};
  function engine(root) {
    return engines[root] || (engines[root] = S.Engine(function (p) {
      return fetch(root + p).then(function (r) { if (!r.ok) throw new Error(p + ": " + r.status); return r.json(); });
    }));
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  // Text with the [start, end) ranges in <mark>, by text nodes only (never HTML).
  function marked(node, text, ranges) {
    var at = 0;
    (ranges || []).forEach(function (r) {
      if (r[0] > at) node.appendChild(document.createTextNode(text.slice(at, r[0])));
      node.appendChild(el("mark", null, text.slice(r[0], r[1])));
      at = r[1];
    });
    if (at < text.length) node.appendChild(document.createTextNode(text.slice(at)));
    return node;
  }
  function kindLabel(c, kind) {
    return kind[0] === "document" ? c.kindDocument : kind[0] === "section" ? c.kindSection : kind[1];
  }
  function hitNode(c, r, lang) {
    var li = el("li", "search-hit"), a = el("a", "search-hit-title");
    var hash = r.anchor && r.url.indexOf("#") < 0 ? "#" + r.anchor : "";
    a.href = c.root + r.url + hash;
    var other = lang !== c.lang;
    if (other) a.lang = lang;
    li.appendChild(marked(a, r.title, r.titleMarks));
    if (r.id) { li.appendChild(document.createTextNode(" ")); li.appendChild(marked(el("span", "search-hit-id"), r.id, r.idMarks)); }
    var meta = el("p", "search-hit-meta");
    var group = el("span", null, r.group[1]);
    if (other) { group.lang = lang; meta.appendChild(el("span", "badge", c.otherBadge)); meta.appendChild(document.createTextNode(" ")); }
    meta.appendChild(group);
    meta.appendChild(document.createTextNode(" · "));
    meta.appendChild(el("span", null, kindLabel(c, r.kind)));
    li.appendChild(meta);
    var p = el("p", "search-hit-passage");
    if (other) p.lang = lang;
    if (r.heading && r.anchor) {
      p.appendChild(marked(el("span", "search-hit-heading"), r.heading, r.headingMarks));
      p.appendChild(document.createTextNode(" — "));
    }
    li.appendChild(marked(p, r.excerpt.text, r.excerpt.ranges));
    return li;
  }
  function config(node) {
    var c = {}, d = node.dataset;
    Object.keys(d).forEach(function (k) { c[k] = d[k]; });
    c.other = (c.langs || "").split(" ").filter(function (l) { return l && l !== c.lang; })[0];
    return c;
  }
  // The page's language and, marked, the other one: [mine, other (or null)].
  function both(c, q, opts, otherLimit) {
    var e = engine(c.root);
    var mine = e.search(c.lang, q, opts);
    var other = c.other && otherLimit
      ? e.search(c.other, q, { group: opts.group, kind: opts.kind, limit: otherLimit }).catch(function () { return null; })
      : Promise.resolve(null);
    return Promise.all([mine, other]);
  }
  // Arrow keys move between the result links of `box`; Escape goes back to `input`.
  function keys(input, box, close) {
    function links() { return Array.prototype.slice.call(box.querySelectorAll("a.search-hit-title, .search-panel-all")); }
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowDown" && links().length) { ev.preventDefault(); links()[0].focus(); }
      if (ev.key === "Escape" && close) { close(); }
    });
    box.addEventListener("keydown", function (ev) {
      var l = links(), i = l.indexOf(document.activeElement);
      if (ev.key === "ArrowDown" && i >= 0) { ev.preventDefault(); if (i + 1 < l.length) l[i + 1].focus(); }
      if (ev.key === "ArrowUp" && i >= 0) { ev.preventDefault(); (i > 0 ? l[i - 1] : input).focus(); }
      if (ev.key === "Escape") { ev.preventDefault(); input.focus(); if (close) close(); }
    });
  }
  function debounce(fn, ms) {
    var t = null;
    return function () { clearTimeout(t); t = setTimeout(fn, ms); };
  }
  function headerBox(form) {
    var c = config(form), input = form.querySelector("input[type=search]");
    if (!input) return;
    var panel = el("div", "search-panel");
    panel.id = "search-panel";
    panel.hidden = true;
    panel.setAttribute("role", "region");
    panel.setAttribute("aria-label", c.panelLabel);
    var status = el("p", "search-panel-status");
    status.setAttribute("role", "status");
    form.appendChild(status);
    form.appendChild(panel);
    input.setAttribute("aria-controls", panel.id);
    input.setAttribute("autocomplete", "off");
    var seq = 0;
    function close() { panel.hidden = true; }
    var run = debounce(function () {
      var q = input.value, mine = ++seq;
      if (!q.trim()) { close(); status.textContent = ""; return; }
      both(c, q, { limit: 6 }, 3).then(function (res) {
        if (mine !== seq) return;
        var a = res[0], b = res[1];
        panel.textContent = "";
        var ol = el("ol", "search-results");
        a.results.forEach(function (r) { ol.appendChild(hitNode(c, r, c.lang)); });
        if (b && a.results.length < 3) b.results.forEach(function (r) { ol.appendChild(hitNode(c, r, c.other)); });
        status.textContent = a.total ? a.total + " " + c.count : c.none;
        if (ol.children.length) panel.appendChild(ol); else panel.appendChild(el("p", null, c.none));
        var all = el("a", "search-panel-all", c.allResults);
        all.href = form.action + "?q=" + encodeURIComponent(q);
        panel.appendChild(all);
        panel.hidden = false;
      });
    }, 120);
    input.addEventListener("input", run);
    input.addEventListener("focus", function () { if (input.value.trim() && panel.childNodes.length) panel.hidden = false; });
    document.addEventListener("click", function (ev) { if (!form.contains(ev.target)) close(); });
    keys(input, panel, close);
  }
  // A filter: a <select> of "all" and each key with its count, updated in place (focus stays).
  function filter(label, name, entries, change) {
    var wrap = el("label", "search-filter"), select = el("select");
    select.name = name;
    wrap.appendChild(el("span", null, label));
    wrap.appendChild(select);
    entries.forEach(function (e) { var o = el("option", null, e[1]); o.value = e[0]; select.appendChild(o); });
    select.addEventListener("change", change);
    return { node: wrap, select: select, update: function (counts, total, all) {
      Array.prototype.forEach.call(select.options, function (o, i) {
        var n = o.value ? counts[o.value] || 0 : total;
        o.textContent = (o.value ? entries[i][1] : all) + " (" + n + ")";
      });
    } };
  }
  function searchPage(box) {
    var c = config(box), input = document.getElementById("search-q"), params = new URLSearchParams(location.search);
    var state = { q: params.get("q") || "", group: params.get("doc") || "", kind: params.get("kind") || "", limit: 10 };
    input.value = state.q;
    input.setAttribute("autocomplete", "off");
    var status = el("p", "search-status"), filters = el("div", "search-filters"), list = el("ol", "search-results");
    var more = el("button", "search-more", c.more), otherHead = el("h2", "search-other", c.otherLang), otherList = el("ol", "search-results");
    status.setAttribute("role", "status");
    more.type = "button";
    box.textContent = "";
    [status, filters, list, more, otherHead, otherList].forEach(function (n) { box.appendChild(n); });
    more.hidden = otherHead.hidden = filters.hidden = true;
    var seq = 0, fg = null, fk = null;
    function make(M) {
      if (fg) return;
      fg = filter(c.filterGroup, "doc", [["", c.filterAll]].concat(M.groups), changed);
      fk = filter(c.filterKind, "kind", [["", c.filterAll]].concat(M.kinds.map(function (k) { return [k[0], kindLabel(c, k)]; })), changed);
      fg.select.value = state.group; fk.select.value = state.kind;
      filters.appendChild(fg.node); filters.appendChild(fk.node);
    }
    function changed() { state.group = fg.select.value; state.kind = fk.select.value; state.limit = 10; run(); }
    function run() {
      var mine = ++seq, q = state.q;
      var url = new URLSearchParams();
      if (q) url.set("q", q);
      if (state.group) url.set("doc", state.group);
      if (state.kind) url.set("kind", state.kind);
      history.replaceState(null, "", "?" + url.toString());
      if (!q.trim()) { status.textContent = ""; list.textContent = ""; otherList.textContent = ""; more.hidden = otherHead.hidden = filters.hidden = true; return; }
      both(c, q, { group: state.group, kind: state.kind, limit: state.limit }, 5).then(function (res) {
        if (mine !== seq) return;
        var a = res[0], b = res[1];
        if (a.labels) make(a.labels);
        if (fg) { fg.update(a.counts.groups, a.all, c.filterAll); fk.update(a.counts.kinds, a.all, c.filterAll); }
        filters.hidden = !a.all;
        status.textContent = a.total ? a.total + " " + c.count : c.none;
        list.textContent = "";
        a.results.forEach(function (r) { list.appendChild(hitNode(c, r, c.lang)); });
        more.hidden = a.results.length >= a.total;
        otherList.textContent = "";
        (b ? b.results : []).forEach(function (r) { otherList.appendChild(hitNode(c, r, c.other)); });
        otherHead.hidden = !otherList.children.length;
      });
    }
    more.addEventListener("click", function () { state.limit += 10; run(); });
    input.addEventListener("input", debounce(function () { state.q = input.value; state.limit = 10; run(); }, 120));
    input.form.addEventListener("submit", function (ev) { ev.preventDefault(); state.q = input.value; run(); });
    keys(input, box, null);
    run();
  }
  function start() {
    var box = document.getElementById("search-results");
    if (box) searchPage(box);
    Array.prototype.forEach.call(document.querySelectorAll("form.site-search[data-root]"), headerBox);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
