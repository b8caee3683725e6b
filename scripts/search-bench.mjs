// Search benchmark: plansite's own search against Pagefind on the same built site (run by
// scripts/search-bench.sh, which builds the site and runs Pagefind on copies of it).
//
//   node scripts/search-bench.mjs RELEVANCE.json NAME=SITE_DIR... 
//
// Each SITE_DIR is the built site with a Pagefind bundle in SITE_DIR/pagefind/ (NAME labels
// the Pagefind configuration). In headless Chromium (Debian's, driven by playwright-core from
// tests/browser/node_modules) it runs every query of the relevance set through plansite's
// engine (static/search.js) and through Pagefind's own JavaScript API (pagefind.js), both on the
// page of the query's language, and reports MRR@10, success@1 and @3 (results compared as
// pages: fragments dropped, repeats of a page removed), bytes fetched for a first and a second
// query (gzip as a server would send it; Pagefind's files are gzip already) and the time from
// the query to ten results with excerpts, cold (fresh page) and warm (second query).

import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, "../tests/browser/package.json"));
const { chromium } = require("playwright-core");

const [relevancePath, ...siteArgs] = process.argv.slice(2);
if (!relevancePath || !siteArgs.length) {
  console.error("usage: node search-bench.mjs RELEVANCE.json NAME=SITE_DIR...");
  process.exit(2);
}
const queries = JSON.parse(fs.readFileSync(relevancePath, "utf8")).queries;
const sites = siteArgs.map((a) => { const [name, dir] = a.split("="); return { name, dir: path.resolve(dir) }; });
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".json": "application/json", ".wasm": "application/wasm" };

function serve(root) {
  const server = http.createServer((req, res) => {
    let rel = decodeURIComponent(new URL(req.url, "http://x").pathname);
    let file = path.join(root, path.normalize(rel));
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    if (!file.startsWith(root) || !fs.existsSync(file)) { res.writeHead(404).end(); return; }
    const body = fs.readFileSync(file);
    res.writeHead(200, { "Content-Type": TYPES[path.extname(file)] || "application/octet-stream", "Cache-Control": "no-store" });
    res.end(body);
  });
  return new Promise((r) => server.listen(0, "127.0.0.1", () => r(server)));
}

// Bytes a server sends: gzip unless the file is gzip already (Pagefind's index files).
function wireBytes(body) {
  if (body.length > 2 && body[0] === 0x1f && body[1] === 0x8b) return body.length;
  return zlib.gzipSync(body, { level: 6 }).length;
}

const pageOf = (u) => u.replace(/^\//, "").replace(/#.*$/, "").replace(/index\.html$/, "");
function rankOf(urls, expect) {
  const seen = [];
  for (const u of urls.map(pageOf)) if (!seen.includes(u)) seen.push(u);
  const i = seen.slice(0, 10).findIndex((u) => expect.includes(u));
  return i < 0 ? null : i + 1;
}

// In the page: plansite's engine, fresh, over fetch.
async function plansiteQuery({ q, lang }) {
  window.__ps = window.__ps || window.plansiteSearch.Engine((p) => fetch("/" + p).then((r) => r.json()));
  const r = await window.__ps.search(lang, q, { limit: 10 });
  return r.results.map((x) => x.url + (x.anchor && x.url.indexOf("#") < 0 ? "#" + x.anchor : ""));
}
// In the page: Pagefind's API, loaded on first use.
async function pagefindQuery({ q }) {
  if (!window.__pf) { window.__pf = await import("/pagefind/pagefind.js"); await window.__pf.init(); }
  const r = await window.__pf.search(q);
  const data = await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
  return data.map((d) => d.url);
}

async function run(browser, base, engine, lang, qs) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const bytes = [];
  page.on("response", async (resp) => {
    const u = new URL(resp.url());
    if (!/\/(search|pagefind)\//.test(u.pathname)) return;
    try { bytes.push(wireBytes(await resp.body())); } catch { /* aborted */ }
  });
  await page.goto(`${base}/${lang}/search/`, { waitUntil: "load" });
  const out = [];
  for (const q of qs) {
    const before = bytes.length;
    const t0 = Date.now();
    const urls = await page.evaluate(engine === "plansite" ? plansiteQuery : pagefindQuery, { q, lang });
    const ms = Date.now() - t0;
    await page.waitForTimeout(50);
    out.push({ urls, ms, bytes: bytes.slice(before).reduce((a, b) => a + b, 0) });
  }
  await ctx.close();
  return out;
}

function summary(ranks) {
  const n = ranks.length;
  const mrr = ranks.reduce((a, r) => a + (r ? 1 / r : 0), 0) / n;
  const at = (k) => ranks.filter((r) => r && r <= k).length / n;
  return { mrr, s1: at(1), s3: at(3), found: ranks.filter(Boolean).length };
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
const report = { relevance: {}, perQuery: [], speed: [] };
try {
  const engines = [["plansite", sites[0]], ...sites.map((s) => [`pagefind (${s.name})`, s])];
  for (const [engine, site] of engines) {
    const server = await serve(site.dir);
    const base = `http://127.0.0.1:${server.address().port}`;
    const kind = engine === "plansite" ? "plansite" : "pagefind";
    const ranks = [];
    for (const lang of ["ja", "en"]) {
      const mine = queries.filter((q) => q.lang === lang);
      const res = await run(browser, base, kind, lang, mine.map((q) => q.q));
      mine.forEach((q, i) => {
        const r = rankOf(res[i].urls, q.expect);
        ranks.push(r);
        report.perQuery.push({ engine, lang, q: q.q, kind: q.kind, rank: r, top: pageOf(res[i].urls[0] || "") });
      });
      // Speed and bytes: fresh page, a first and a second query, three rounds, median.
      const pair = lang === "ja" ? ["事故前提社会", "重要インフラ 行動計画"] : ["incident-premised society", "critical infrastructure action plan"];
      const rounds = [];
      for (let k = 0; k < 3; k++) rounds.push(await run(browser, base, kind, lang, pair));
      const med = (f) => rounds.map(f).sort((a, b) => a - b)[1];
      report.speed.push({ engine, lang, coldMs: med((r) => r[0].ms), warmMs: med((r) => r[1].ms), firstBytes: rounds[0][0].bytes, secondBytes: rounds[0][1].bytes });
    }
    report.relevance[engine] = summary(ranks);
    server.close();
  }
} finally {
  await browser.close();
}

const pct = (x) => (100 * x).toFixed(0) + "%";
console.log("| engine | MRR@10 | success@1 | success@3 | found in top 10 |");
console.log("|---|---:|---:|---:|---:|");
for (const [e, s] of Object.entries(report.relevance)) console.log(`| ${e} | ${s.mrr.toFixed(3)} | ${pct(s.s1)} | ${pct(s.s3)} | ${s.found}/${queries.length} |`);
console.log("\n| engine | lang | cold query → 10 results ms | warm ms | first query KB (gzip) | second query KB |");
console.log("|---|---|---:|---:|---:|---:|");
for (const s of report.speed) console.log(`| ${s.engine} | ${s.lang} | ${s.coldMs} | ${s.warmMs} | ${(s.firstBytes / 1024).toFixed(1)} | ${(s.secondBytes / 1024).toFixed(1)} |`);
const engines = Object.keys(report.relevance);
console.log(`\n| query | lang | kind | ${engines.join(" | ")} |`);
console.log(`|---|---|---|${engines.map(() => "---:").join("|")}|`);
for (const q of queries) {
  const cells = engines.map((e) => { const r = report.perQuery.find((p) => p.engine === e && p.q === q.q && p.lang === q.lang); return r.rank ?? "–"; });
  console.log(`| ${q.q} | ${q.lang} | ${q.kind} | ${cells.join(" | ")} |`);
}
if (process.env.SEARCH_BENCH_JSON) fs.writeFileSync(process.env.SEARCH_BENCH_JSON, JSON.stringify(report, null, 1));
