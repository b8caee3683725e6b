// Real-browser quality tests of a built plansite site (run by tests/browser/run.sh).
//
//   node test.mjs SITE_DIR
//
// Serves SITE_DIR on 127.0.0.1 (ephemeral port) and, in headless Debian Chromium driven by
// playwright-core, checks representative Japanese and English pages: axe-core (WCAG 2.1 A/AA)
// in light and dark schemes, no horizontal overflow at 360 px, Japanese text drawn with a
// Japanese font (no tofu), no request leaving the local server, page weight of a section page;
// takes screenshots into tests/browser/screenshots/; runs the Nu Html Checker over the whole
// site; types queries into the search boxes (search-checks.mjs). Prints one line per check and a final `browser: N passed, M failed`.

import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { searchChecks } from "./search-checks.mjs";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const vnuJar = String(require("vnu-jar"));

const here = path.dirname(fileURLToPath(import.meta.url));
const siteDir = path.resolve(process.argv[2] || "");
if (!process.argv[2] || !fs.existsSync(path.join(siteDir, "ja", "index.html"))) {
  console.error("usage: node test.mjs SITE_DIR (a built site with ja/index.html)");
  process.exit(2);
}
const shotDir = path.join(here, "screenshots");
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const WEIGHT_LIMIT = 100 * 1024;

// Representative pages: [name, path]. Search pages wait for their results.
const PAGES = [
  ["chooser", "/"],
  ["ja-home", "/ja/"],
  ["en-home", "/en/"],
  ["ja-document", "/ja/basic-plan-1/"],
  ["en-document", "/en/basic-plan-1/"],
  ["ja-section", "/ja/basic-plan-1/3-1-1/"],
  ["en-section", "/en/basic-plan-1/3-1-1/"],
  ["ja-item", "/ja/items/BP1-GA-P1/"],
  ["en-item", "/en/items/BP1-GA-P1/"],
  ["ja-trace", "/ja/trace/"],
  ["en-trace", "/en/trace/"],
  ["ja-glossary", "/ja/glossary/"],
  ["en-glossary", "/en/glossary/"],
  ["ja-search", "/ja/search/?q=" + encodeURIComponent("事故前提社会")],
  ["en-search", "/en/search/?q=incident"],
  ["ja-404", "/no-such-page/"],
  ["ja-whole", "/ja/basic-plan-1/all/"],
  ["en-whole", "/en/first-proposal/all/"],
  ["ja-about", "/ja/about/"],
  ["en-about", "/en/about/"],
  ["ja-figure", "/ja/first-proposal/figure/"],
  ["en-annual", "/en/annual-plans/sj-overview/"],
];
const WEIGHT_PAGES = ["/ja/basic-plan-1/3-1-1/", "/en/basic-plan-1/3-1-1/"];
const VIEWPORTS = { desktop: { width: 1280, height: 900 }, phone: { width: 360, height: 780 } };

// ---------------------------------------------------------------- tiny test harness
const results = [];
async function check(name, fn) {
  const t0 = Date.now();
  try {
    const note = await fn();
    results.push({ name, ok: true });
    console.log(`ok   ${name}${note ? ` (${note})` : ""} [${Date.now() - t0} ms]`);
  } catch (e) {
    results.push({ name, ok: false, error: e });
    console.log(`FAIL ${name} [${Date.now() - t0} ms]\n${indent(e && e.message ? e.message : String(e))}`);
  }
}
const indent = (s) => String(s).split("\n").map((l) => "     " + l).join("\n");
function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

// ---------------------------------------------------------------- static server
const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8", ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml", ".csv": "text/csv; charset=utf-8", ".xml": "application/xml; charset=utf-8",
  ".txt": "text/plain; charset=utf-8", ".png": "image/png", ".ico": "image/x-icon",
};
function serve(root) {
  const server = http.createServer((req, res) => {
    let rel;
    try {
      rel = decodeURIComponent(new URL(req.url, "http://localhost").pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    let file = path.join(root, path.normalize(rel));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
      if (!rel.endsWith("/")) {
        res.writeHead(301, { Location: rel + "/" }).end();
        return;
      }
      file = path.join(file, "index.html");
    }
    let status = 200;
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
      status = 404;
      file = path.join(root, "404.html");
    }
    const body = fs.readFileSync(file);
    res.writeHead(status, {
      "Content-Type": TYPES[path.extname(file)] || "application/octet-stream",
      "Content-Length": body.length,
      "Cache-Control": "no-store",
    });
    res.end(req.method === "HEAD" ? undefined : body);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

// ---------------------------------------------------------------- Nu Html Checker
function runVnu() {
  return new Promise((resolve) => {
    const p = spawn("java", ["-Xss1024k", "-jar", vnuJar, "--skip-non-html", "--errors-only", siteDir]);
    let out = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (out += d));
    p.on("error", (e) => resolve({ code: -1, out: String(e) }));
    p.on("close", (code) => resolve({ code, out }));
  });
}

// ---------------------------------------------------------------- browser helpers
async function open(context, url, { waitForSearch } = {}) {
  const page = await context.newPage();
  const resp = await page.goto(url, { waitUntil: "load" });
  if (waitForSearch) {
    await page.waitForSelector("#search-results li.search-hit", { timeout: 15000 });
  }
  return { page, resp };
}

async function runAxe(page) {
  if (!(await page.evaluate(() => typeof window.axe !== "undefined"))) {
    await page.evaluate(axeSource);
  }
  return page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }),
    AXE_TAGS,
  );
}

function formatViolations(violations) {
  const lines = [];
  for (const v of violations) {
    lines.push(`[${v.impact}] ${v.id}: ${v.help} (${v.nodes.length} node${v.nodes.length === 1 ? "" : "s"}) ${v.helpUrl}`);
    for (const n of v.nodes.slice(0, 6)) {
      lines.push(`    at ${n.target.join(" ")}`);
      lines.push(`       ${n.html.slice(0, 160).replace(/\s+/g, " ")}`);
      const why = (n.any.concat(n.all, n.none).map((c) => c.message).filter(Boolean)[0] || "").split("\n")[0];
      if (why) lines.push(`       ${why}`);
    }
    if (v.nodes.length > 6) lines.push(`    … and ${v.nodes.length - 6} more`);
  }
  return lines.join("\n");
}

// Fonts Chromium actually used to draw an element's text (CDP), e.g. ["Noto Sans CJK JP"].
async function platformFonts(page, selector) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("DOM.enable");
  await cdp.send("CSS.enable");
  const { root } = await cdp.send("DOM.getDocument", { depth: 0 });
  const { nodeId } = await cdp.send("DOM.querySelector", { nodeId: root.nodeId, selector });
  assert(nodeId, `no element ${selector}`);
  const { fonts } = await cdp.send("CSS.getPlatformFontsForNode", { nodeId });
  await cdp.detach();
  return fonts;
}

// The text of each page of a PDF that Chromium printed: enough of PDF to read its own output
// (objects, Flate streams, Type0 fonts with ToUnicode maps, hex strings shown after `Tf`).
function pdfPageTexts(buf) {
  const src = buf.toString("latin1");
  const objs = new Map();
  for (const m of src.matchAll(/(\d+) 0 obj([\s\S]*?)endobj/g)) objs.set(Number(m[1]), m[2]);
  const stream = (n) => {
    const o = objs.get(n);
    let i = o.indexOf("stream") + 6;
    if (o[i] === "\r") i++;
    if (o[i] === "\n") i++;
    const raw = Buffer.from(o.slice(i, o.lastIndexOf("endstream")), "latin1");
    return (/FlateDecode/.test(o.slice(0, i)) ? zlib.inflateSync(raw) : raw).toString("latin1");
  };
  const toUnicode = (n) => {
    const t = stream(n);
    const map = new Map();
    const utf16 = (hex) => Buffer.from(hex, "hex").swap16().toString("utf16le");
    for (const [, blk] of t.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
      for (const [, a, b] of blk.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) map.set(parseInt(a, 16), utf16(b));
    for (const [, blk] of t.matchAll(/beginbfrange([\s\S]*?)endbfrange/g))
      for (const [, a, b, c] of blk.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g))
        for (let k = parseInt(a, 16); k <= parseInt(b, 16); k++) map.set(k, String.fromCodePoint(parseInt(c, 16) + k - parseInt(a, 16)));
    return map;
  };
  const texts = [];
  for (const [, o] of [...objs].sort((a, b) => a[0] - b[0])) {
    if (!/\/Type\s*\/Page\b/.test(o.slice(0, 300))) continue;
    const fonts = new Map();
    for (const [, name, ref] of o.matchAll(/\/(F\d+)\s+(\d+) 0 R/g)) {
      const tu = /\/ToUnicode (\d+) 0 R/.exec(objs.get(Number(ref)) || "");
      if (tu) fonts.set(name, toUnicode(Number(tu[1])));
    }
    let text = "";
    let font = null;
    for (const [, ref] of o.matchAll(/\/Contents (\d+) 0 R/g)) {
      for (const t of stream(Number(ref)).matchAll(/\/(F\d+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]*)>/g)) {
        if (t[1]) font = fonts.get(t[1]) || new Map();
        else if (font) for (let i = 0; i < t[2].length; i += 4) text += font.get(parseInt(t[2].slice(i, i + 4), 16)) ?? "";
      }
    }
    // NFKC: a subset font maps some glyphs to compatibility code points (⾔ for 言, ﬁ for fi).
    texts.push(text.normalize("NFKC"));
  }
  return texts;
}

// ---------------------------------------------------------------- main
const t0 = Date.now();
const vnuPromise = runVnu(); // runs beside the browser checks
const server = await serve(siteDir);
const base = `http://127.0.0.1:${server.address().port}`;
console.log(`serving ${siteDir} at ${base}`);
fs.mkdirSync(shotDir, { recursive: true });
for (const f of fs.readdirSync(shotDir)) if (f.endsWith(".png")) fs.unlinkSync(path.join(shotDir, f));

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
console.log(`chromium ${browser.version()}`);

const external = []; // requests to any host other than the local server
async function newContext(opts) {
  const context = await browser.newContext({ ...opts, serviceWorkers: "block" });
  await context.route("**/*", (route) => {
    const u = route.request().url();
    if (u.startsWith(base + "/") || u.startsWith("data:") || u.startsWith("blob:")) return route.continue();
    external.push(u);
    return route.abort("blockedbyclient");
  });
  context.on("weberror", (e) => pageErrors.push(String(e.error())));
  return context;
}
const pageErrors = [];

try {
  // 1. axe-core, light and dark, desktop viewport; screenshots of each page.
  for (const scheme of ["light", "dark"]) {
    const context = await newContext({ viewport: VIEWPORTS.desktop, colorScheme: scheme, locale: "ja-JP" });
    for (const [name, p] of PAGES) {
      await check(`axe ${scheme.padEnd(5)} ${p}`, async () => {
        const { page, resp } = await open(context, base + p, { waitForSearch: name.endsWith("search") });
        try {
          if (name !== "ja-404") assert(resp.status() === 200, `HTTP ${resp.status()}`);
          if (name.endsWith("search")) {
            const n = await page.locator("#search-results ol.search-results > li").count();
            assert(n > 0, "search rendered no results");
          }
          const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
          const [red, green, blue] = bg.match(/\d+/g).map(Number);
          const dark = red + green + blue < 3 * 96;
          assert(dark === (scheme === "dark"), `body background ${bg} in the ${scheme} scheme`);
          const r = await runAxe(page);
          if (r.violations.length) throw new Error(`${r.violations.length} axe violation(s):\n${formatViolations(r.violations)}`);
          if (scheme === "light" || ["ja-section", "en-section", "ja-home", "ja-trace", "ja-item", "ja-whole"].includes(name)) {
            await page.screenshot({ path: path.join(shotDir, `${name}-desktop${scheme === "dark" ? "-dark" : ""}.png`) });
          }
          return `${r.passes ? r.passes.length : 0} rules passed`;
        } finally {
          await page.close();
        }
      });
    }
    // The glossary tooltip (hidden until hover/focus) must pass too once it is shown.
    await check(`axe ${scheme.padEnd(5)} term tooltip on focus`, async () => {
      const { page } = await open(context, base + "/ja/basic-plan-1/3-1-1/");
      try {
        const link = page.locator(".term-link").first();
        if ((await link.count()) === 0) return "no glossary term on the page";
        await link.focus();
        const tip = page.locator(".term:focus-within .term-def").first();
        assert(await tip.isVisible(), "term definition not shown on keyboard focus");
        const r = await runAxe(page);
        if (r.violations.length) throw new Error(formatViolations(r.violations));
        return "definition visible on focus";
      } finally {
        await page.close();
      }
    });
    await context.close();
  }

  // 2. Phone: no horizontal page overflow, screenshots.
  const phone = await newContext({ viewport: VIEWPORTS.phone, deviceScaleFactor: 2, isMobile: true, hasTouch: true, colorScheme: "light" });
  for (const [name, p] of PAGES) {
    await check(`phone 360px no overflow ${p}`, async () => {
      const { page } = await open(phone, base + p, { waitForSearch: name.endsWith("search") });
      try {
        // Against the phone's 360 px, not innerWidth: a mobile layout viewport widens to fit
        // what overflows, so innerWidth would hide the overflow it should reveal.
        const m = await page.evaluate((W) => {
          const innerWidth = W;
          const de = document.documentElement;
          const wide = [];
          for (const el of document.body.querySelectorAll("*")) {
            const r = el.getBoundingClientRect();
            if (r.right > innerWidth + 1 && r.width > 0) {
              let clipped = false;
              for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
                const ox = getComputedStyle(a).overflowX;
                if (ox !== "visible" && a.getBoundingClientRect().right <= innerWidth + 1) { clipped = true; break; }
              }
              if (!clipped) wide.push(`${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${el.className && typeof el.className === "string" ? "." + el.className.split(" ").join(".") : ""} right=${Math.round(r.right)}`);
            }
          }
          return { scrollWidth: de.scrollWidth, innerWidth, wide: wide.slice(0, 8) };
        }, VIEWPORTS.phone.width);
        assert(m.scrollWidth <= m.innerWidth + 1, `scrollWidth ${m.scrollWidth} > innerWidth ${m.innerWidth}; widest: ${m.wide.join(", ")}`);
        if (name !== "chooser") {
          const dash = await page.locator("a[href$='/trace/']").count();
          assert(dash > 0, "no link to the traceability dashboard");
        }
        await page.screenshot({ path: path.join(shotDir, `${name}-phone.png`) });
        return `scrollWidth ${m.scrollWidth}`;
      } finally {
        await page.close();
      }
    });
  }
  // The glossary definition opened by keyboard focus stays inside a 360 px screen.
  await check("phone 360px term definition fits the screen", async () => {
    const { page } = await open(phone, base + "/ja/basic-plan-1/3-1-1/");
    try {
      const links = page.locator(".term-link");
      const n = await links.count();
      if (n === 0) return "no glossary term on the page";
      for (const i of [0, n - 1]) {
        await links.nth(i).focus();
        const r = await page.evaluate(() => {
          const d = document.activeElement.parentElement.querySelector(".term-def").getBoundingClientRect();
          return { left: d.left, right: d.right, width: d.width, scroll: document.documentElement.scrollWidth, innerWidth };
        });
        assert(r.width > 0, "definition not shown on focus");
        assert(r.left >= 0 && r.right <= r.innerWidth, `definition spans ${Math.round(r.left)}–${Math.round(r.right)} px of ${r.innerWidth}`);
        assert(r.scroll <= r.innerWidth + 1, `page overflows (${r.scroll}px) while a definition is open`);
      }
      return `${n} terms, first and last checked`;
    } finally {
      await page.close();
    }
  });
  await phone.close();

  // 3. Japanese glyphs come from a Japanese font (no tofu), and the en page uses it for ja runs.
  const fontCtx = await newContext({ viewport: VIEWPORTS.desktop });
  for (const [p, sel] of [["/ja/basic-plan-1/3-1-1/", "h1"], ["/ja/glossary/", ".glossary dt a"], ["/en/glossary/", ".glossary [lang=ja]"]]) {
    await check(`Japanese font (no tofu) ${p} ${sel}`, async () => {
      const { page } = await open(fontCtx, base + p);
      try {
        const fonts = await platformFonts(page, sel);
        const names = fonts.map((f) => `${f.familyName} ×${f.glyphCount}`).join(", ");
        assert(fonts.length > 0, "no font reported");
        const cjk = /CJK|Noto Sans JP|Noto Serif JP|IPA|Hiragino|Yu Gothic|Meiryo|Takao|VL Gothic|Source Han/i;
        assert(fonts.some((f) => cjk.test(f.familyName)), `no Japanese font used: ${names} (install fonts-noto-cjk)`);
        return names;
      } finally {
        await page.close();
      }
    });
  }
  await fontCtx.close();

  // 4. Page weight of a typical section page: HTML + CSS + JS, excluding search/*.json.
  const wctx = await newContext({ viewport: VIEWPORTS.desktop });
  for (const p of WEIGHT_PAGES) {
    await check(`page weight ${p} < ${WEIGHT_LIMIT / 1024} KB`, async () => {
      const page = await wctx.newPage();
      const bodies = [];
      page.on("response", (r) => bodies.push(r));
      try {
        await page.goto(base + p, { waitUntil: "networkidle" });
        let total = 0, gz = 0;
        const parts = [];
        for (const r of bodies) {
          const u = new URL(r.url());
          if (/\/search\/[^/]+\.json$/.test(u.pathname)) continue;
          const b = await r.body().catch(() => Buffer.alloc(0));
          const hdr = Object.entries(r.headers()).reduce((n, [k, v]) => n + k.length + String(v).length + 4, 17);
          total += b.length + hdr;
          gz += zlib.gzipSync(b, { level: 6 }).length + hdr;
          parts.push(`${u.pathname} ${b.length} B`);
        }
        const kb = (n) => (n / 1024).toFixed(1) + " KB";
        console.log(`     weight ${p}: ${kb(total)} uncompressed, ${kb(gz)} gzip; ${parts.join(", ")}`);
        assert(total < WEIGHT_LIMIT, `${kb(total)} transferred (uncompressed), limit ${kb(WEIGHT_LIMIT)}`);
        return `${kb(total)} uncompressed, ${kb(gz)} gzip, ${bodies.length} requests`;
      } finally {
        await page.close();
      }
    });
  }
  await wctx.close();

  // 5. Search as you type: header box and search page, ja and en, filters, keyboard, no-JS.
  await searchChecks({ newContext, base, check, assert, runAxe, formatViolations });

  // 4b. Readers (#15): diagrams at body size on desktop and phone, every box a link to its item
  // page; the side menu reachable from the top on a phone; numbered units unbroken; print.
  for (const [vp, opts] of [["desktop", { viewport: VIEWPORTS.desktop }], ["phone", { viewport: VIEWPORTS.phone, deviceScaleFactor: 2, isMobile: true, hasTouch: true }]]) {
    const rctx = await newContext(opts);
    for (const lang of ["ja", "en"]) {
      await check(`${vp} diagram text at body size, boxes link to item pages /${lang}/trace/`, async () => {
        const { page } = await open(rctx, base + `/${lang}/trace/`);
        try {
          const d = await page.evaluate(() => {
            const out = [];
            for (const svg of document.querySelectorAll("svg.trace-diagram")) {
              const vb = svg.viewBox.baseVal.width;
              const px = (svg.getBoundingClientRect().width / vb) * parseFloat(getComputedStyle(svg).fontSize);
              const hrefs = [...svg.querySelectorAll("a")].map((a) => a.getAttribute("href"));
              const cut = [...svg.querySelectorAll("tspan")].some((t) => t.textContent.endsWith("…"));
              out.push({ px, boxes: hrefs.length, items: hrefs.filter((h) => /\/items\/[^/]+\/$/.test(h)).length, cut, right: svg.getBoundingClientRect().right });
            }
            return { out, body: parseFloat(getComputedStyle(document.body).fontSize), innerWidth };
          });
          assert(d.out.length > 0, "no diagram");
          for (const x of d.out) {
            assert(x.px >= d.body * 0.9, `diagram text drawn at ${x.px.toFixed(1)} px, body ${d.body} px`);
            assert(x.boxes > 0 && x.items === x.boxes, `${x.items} of ${x.boxes} boxes link to item pages`);
            assert(!x.cut, "a label is cut with …");
            assert(x.right <= d.innerWidth + 1, `diagram ends at ${x.right} px`);
          }
          await page.locator("#fig-BP1-GA-G2").screenshot({ path: path.join(shotDir, `${lang}-diagram-${vp}.png`) });
          return `${d.out.length} diagrams, text ${Math.min(...d.out.map((x) => x.px)).toFixed(1)} px`;
        } finally {
          await page.close();
        }
      });
    }
    await rctx.close();
  }
  const pctx = await newContext({ viewport: VIEWPORTS.phone, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  for (const p of ["/ja/basic-plan-1/3-1-1/", "/en/items/BP1-GA-P1/"]) {
    await check(`phone side menu reachable from the top ${p}`, async () => {
      const { page } = await open(pctx, base + p);
      try {
        const jump = page.locator(".menu-jump a");
        assert(await jump.isVisible(), "no visible menu link");
        const top = await jump.evaluate((a) => a.getBoundingClientRect().top);
        assert(top < 500, `menu link at ${top} px`);
        await jump.click();
        const seen = await page.evaluate(() => { const r = document.querySelector("#sidebar-heading").getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; });
        assert(seen, "the side menu is not shown after the link");
        return "";
      } finally {
        await page.close();
      }
    });
  }
  await check("phone numbered units (第１章, 第１次) stay on one line", async () => {
    const { page } = await open(pctx, base + "/ja/first-proposal/");
    try {
      const r = await page.evaluate(() => [...document.querySelectorAll(".nw")].map((e) => [e.textContent, e.getClientRects().length]));
      assert(r.length > 0, "no numbered unit marked");
      const split = r.filter(([, n]) => n > 1);
      assert(split.length === 0, `split: ${split.map(([t]) => t).join(", ")}`);
      await page.screenshot({ path: path.join(shotDir, "ja-document-units-phone.png") });
      return `${r.length} units`;
    } finally {
      await page.close();
    }
  });
  await check("phone: a first tap on a glossary term shows its definition, Escape hides it", async () => {
    const { page } = await open(pctx, base + "/ja/basic-plan-1/3-1-1/");
    try {
      const link = page.locator(".term-link").first();
      const before = page.url();
      await link.tap();
      const tip = page.locator(".term:focus-within .term-def").first();
      assert(page.url() === before, "the tap left the page");
      assert(await tip.isVisible(), "definition not shown after a tap");
      await page.keyboard.press("Escape");
      assert(!(await page.locator(".term-def").first().isVisible()), "Escape did not hide the definition");
      return "";
    } finally {
      await page.close();
    }
  });
  await pctx.close();
  // 4c. Citing (#15 point 8): a permalink beside each heading and paragraph, shown on hover and
  // on keyboard focus, named from the theme; the language switch keeps a paragraph's fragment.
  const cctx = await newContext({ viewport: VIEWPORTS.desktop });
  for (const [p, heading, paragraph] of [
    ["/ja/basic-plan-1/3-1-1/", "この見出しへのリンク", "この段落へのリンク"],
    ["/en/basic-plan-1/3-1-1/", "Link to this heading", "Link to this paragraph"],
  ]) {
    await check(`permalinks: headings and paragraphs, by hover and by keyboard ${p}`, async () => {
      const { page } = await open(cctx, base + p);
      try {
        const paras = await page.locator(".prose > p[id]").count();
        const links = page.getByRole("link", { name: paragraph, exact: true });
        assert(paras > 0 && (await links.count()) === paras, `${await links.count()} paragraph permalinks for ${paras} paragraphs`);
        assert((await page.getByRole("link", { name: heading, exact: true }).count()) > 0, "no heading permalink by its name");
        const first = page.locator(".prose > p[id] > a.permalink.para").first();
        const opacity = () => first.evaluate((a) => Number(getComputedStyle(a).opacity));
        assert((await opacity()) === 0, "paragraph permalink shown before hover or focus");
        await page.locator(".prose > p[id]").first().hover();
        assert((await opacity()) === 1, "paragraph permalink not shown on hover");
        await page.mouse.move(0, 0);
        // Keyboard: Tab reaches the first paragraph's ¶, which shows while focused.
        let reached = false;
        for (let i = 0; i < 80 && !reached; i++) {
          await page.keyboard.press("Tab");
          reached = await page.evaluate(() => document.activeElement.matches(".prose > p[id] > a.permalink.para"));
        }
        assert(reached, "Tab never reaches a paragraph permalink");
        const focused = await page.evaluate(() => ({ o: Number(getComputedStyle(document.activeElement).opacity), w: document.activeElement.getBoundingClientRect().width }));
        assert(focused.o === 1 && focused.w > 0, `focused permalink opacity ${focused.o}, width ${focused.w}`);
        await page.keyboard.press("Enter");
        await page.waitForFunction(() => /^#(.+-)?p\d+$/.test(location.hash), null, { timeout: 2000 }).catch(() => {});
        const hash = new URL(page.url()).hash;
        assert(/^#(.+-)?p\d+$/.test(hash), `following the permalink gives ${hash}`);
        return `${paras} paragraphs, Enter on the first ¶ gives ${hash}`;
      } finally {
        await page.close();
      }
    });
  }
  for (const [from, frag] of [["/ja/basic-plan-1/3-1-1/", "#BP1-GA-P1-p2"], ["/en/basic-plan-1/3-1-1/", "#p3"]]) {
    await check(`language switch keeps a paragraph fragment ${from}${frag}`, async () => {
      const { page } = await open(cctx, base + from + frag);
      try {
        await Promise.all([page.waitForNavigation(), page.locator(".lang-switch a").first().click()]);
        const r = await page.evaluate(() => {
          const t = document.querySelector(":target");
          const box = t && t.getBoundingClientRect();
          return { hash: location.hash, lang: document.documentElement.lang, tag: t && t.tagName, top: box && box.top };
        });
        assert(r.hash === frag, `landed at ${r.hash || "(no fragment)"}`);
        assert(r.lang !== from.slice(1, 3), `still in ${r.lang}`);
        assert(r.tag === "P" && r.top >= -2 && r.top < VIEWPORTS.desktop.height / 2, `target ${r.tag} at ${r.top} px`);
        return `${r.lang}${r.hash}, paragraph at ${Math.round(r.top)} px`;
      } finally {
        await page.close();
      }
    });
  }
  for (const p of ["/ja/first-proposal/1-1/", "/en/first-proposal/1-1/"]) {
    await check(`footnotes: back-link at the end of the note's line, note numbers keep the line height ${p}`, async () => {
      const { page } = await open(cctx, base + p);
      try {
        const r = await page.evaluate(() => {
          const out = { notes: 0, apart: [], paras: 0, taller: [] };
          for (const a of document.querySelectorAll(".footnote-list a.fn-back")) {
            const li = a.closest("li");
            out.notes++;
            // Inside the note's last paragraph, on the line of its last character (or on the
            // next one only because that line is full).
            const p = a.parentElement;
            let text = a.previousSibling;
            while (text && (text.nodeType !== Node.TEXT_NODE || !text.textContent.trim())) text = text.previousSibling ? (text.previousSibling.lastChild || text.previousSibling) : null;
            if (p.tagName !== "P" || !text) { out.apart.push(li.id); continue; }
            const t = text.textContent.trimEnd();
            const range = document.createRange();
            range.setStart(text, t.length - 1);
            range.setEnd(text, t.length);
            const c = range.getBoundingClientRect();
            const b = a.getBoundingClientRect();
            const sameLine = b.top < c.bottom && b.bottom > c.top;
            const fullLine = p.getBoundingClientRect().right - c.right < 2 * parseFloat(getComputedStyle(p).fontSize);
            if (!sameLine && !fullLine) out.apart.push(li.id);
          }
          for (const p of document.querySelectorAll(".prose > p")) {
            if (!p.querySelector("sup.fnref")) continue;
            out.paras++;
            const copy = p.cloneNode(true);
            // The same paragraph with its note numbers on the baseline: as tall, or the raised
            // numbers push their lines apart.
            for (const s of copy.querySelectorAll("sup.fnref")) s.style.verticalAlign = "baseline";
            copy.removeAttribute("id");
            p.after(copy);
            const [h1, h2] = [p.getBoundingClientRect().height, copy.getBoundingClientRect().height];
            copy.remove();
            if (h1 > h2 + 0.5) out.taller.push(`${p.id} ${h1.toFixed(1)} > ${h2.toFixed(1)} px`);
          }
          return out;
        });
        assert(r.notes > 0, "no footnote");
        assert(r.apart.length === 0, `back-link on a line of its own: ${r.apart.join(", ")}`);
        assert(r.paras > 0, "no paragraph with a note number");
        assert(r.taller.length === 0, `note numbers make lines taller: ${r.taller.join("; ")}`);
        return `${r.notes} notes, ${r.paras} paragraphs with note numbers`;
      } finally {
        await page.close();
      }
    });
  }
  await cctx.close();

  const prctx = await newContext({ viewport: VIEWPORTS.desktop });
  for (const p of ["/ja/first-proposal/all/", "/en/basic-plan-1/all/"]) {
    await check(`print: single-page document ${p}`, async () => {
      const { page } = await open(prctx, base + p);
      try {
        await page.emulateMedia({ media: "print" });
        const r = await page.evaluate(() => {
          const back = [...document.querySelectorAll(".fn-back")].filter((e) => getComputedStyle(e).display !== "none").length;
          const a = document.querySelector(".prose a[data-abs]:not(.term-link):not([role=doc-noteref])");
          const after = a ? getComputedStyle(a, "::after").content : "";
          const url = document.querySelector(".print-url");
          return { back, after, url: url && getComputedStyle(url).display !== "none" ? url.textContent : "", header: getComputedStyle(document.querySelector(".site-header")).display };
        });
        assert(r.back === 0, `${r.back} ↩ back-links printed`);
        assert(/https?:\/\//.test(r.after), `cross-reference printed as ${r.after}`);
        assert(r.url.startsWith("http"), "page URL not printed");
        assert(r.header === "none", "site header printed");
        // Every printed page: the document's title, date and URL in the @page margin boxes.
        const margins = await page.evaluate(() => {
          const title = document.querySelector(".print-head h1").textContent.trim();
          const url = document.querySelector("link[rel=canonical]").href;
          const date = document.querySelector(".print-head .doc-meta time");
          const texts = [];
          const walk = (rules) => {
            for (const rule of rules) {
              if (rule.media && !rule.media.mediaText.includes("print")) continue;
              if (rule.cssRules) walk(rule.cssRules);
              if (rule instanceof CSSPageRule) texts.push(rule.cssText);
            }
          };
          for (const sheet of document.styleSheets) walk(sheet.cssRules);
          const page = texts.join("\n");
          return { title, url, date: date ? date.textContent : "", page, hidden: [...document.querySelectorAll(".permalink")].filter((a) => getComputedStyle(a).display !== "none").length };
        });
        const box = (name) => (margins.page.match(new RegExp(`@${name}\\s*\\{[^}]*content:\\s*"([^"]*)"`)) || [])[1];
        assert(box("top-left") === margins.title, `top-left margin box ${box("top-left")}, title ${margins.title}`);
        assert(box("top-right") && margins.date.startsWith(box("top-right").slice(0, 8)), `top-right margin box ${box("top-right")}, date ${margins.date}`);
        assert(box("bottom-left") === margins.url, `bottom-left margin box ${box("bottom-left")}, URL ${margins.url}`);
        assert(/@bottom-right\s*\{[^}]*counter\(page\)/.test(margins.page), "no page number");
        assert(margins.hidden === 0, `${margins.hidden} permalinks printed`);
        // The PDF itself: every page shows them, and no page a back-link.
        const pdf = await page.pdf({ format: "A4", preferCSSPageSize: true });
        const texts = pdfPageTexts(pdf);
        assert(texts.length > 1, `${texts.length} printed page(s)`);
        const [title, date, url] = [margins.title, box("top-right"), margins.url].map((x) => x.normalize("NFKC"));
        texts.forEach((t, i) => {
          const n = `printed page ${i + 1}/${texts.length}`;
          assert(t.includes(title), `${n} lacks the title: ${t.slice(0, 120)}`);
          assert(t.includes(date), `${n} lacks the date`);
          assert(t.includes(url), `${n} lacks the URL`);
          assert(t.includes(`${i + 1} / ${texts.length}`), `${n} lacks its number`);
          assert(!t.includes("↩"), `${n} prints a back-link`);
        });
        assert(texts.join("").includes(`<${new URL(margins.url).origin}/`), "no cross-reference printed as an absolute URL");
        return `PDF ${(pdf.length / 1024).toFixed(0)} KB, ${texts.length} pages each with "${box("top-left")}" · "${box("top-right")}" · ${box("bottom-left")} · n / ${texts.length}`;
      } finally {
        await page.close();
      }
    });
  }
  for (const lang of ["ja", "en"]) {
    await check(`Atom feed parses as XML /${lang}/feed.xml`, async () => {
      const page = await prctx.newPage();
      try {
        await page.goto(base + `/${lang}/`);
        const r = await page.evaluate(async (u) => {
          const text = await (await fetch(u)).text();
          const doc = new DOMParser().parseFromString(text, "application/xml");
          return { error: doc.querySelector("parsererror")?.textContent || "", entries: doc.getElementsByTagName("entry").length, root: doc.documentElement.localName };
        }, `/${lang}/feed.xml`);
        assert(!r.error, r.error);
        assert(r.root === "feed" && r.entries > 0, `${r.root} with ${r.entries} entries`);
        return `${r.entries} entries`;
      } finally {
        await page.close();
      }
    });
  }
  await prctx.close();

  // 6. Keyboard: the skip link is the first tab stop and moves focus to <main>.
  const kctx = await newContext({ viewport: VIEWPORTS.desktop });
  for (const p of ["/ja/basic-plan-1/3-1-1/", "/en/trace/"]) {
    await check(`skip link ${p}`, async () => {
      const { page } = await open(kctx, base + p);
      try {
        await page.keyboard.press("Tab");
        const first = await page.evaluate(() => ({ cls: document.activeElement.className, visible: document.activeElement.getBoundingClientRect().left >= 0 }));
        assert(first.cls === "skip-link", `first tab stop is .${first.cls}`);
        assert(first.visible, "skip link is off-screen when focused");
        await page.keyboard.press("Enter");
        // The fragment navigation completes after the key press returns: wait for it (2 s).
        await page.waitForFunction(() => location.hash === "#main", null, { timeout: 2000 }).catch(() => {});
        assert(new URL(page.url()).hash === "#main", "skip link did not go to #main");
        return "";
      } finally {
        await page.close();
      }
    });
  }
  await kctx.close();
} finally {
  await browser.close();
  server.close();
}

await check("no request to another host than 127.0.0.1", async () => {
  assert(external.length === 0, `${external.length} external request(s):\n${[...new Set(external)].join("\n")}`);
  return "";
});
await check("no uncaught page errors", async () => {
  assert(pageErrors.length === 0, pageErrors.join("\n"));
  return "";
});
await check("Nu Html Checker: whole site, --errors-only", async () => {
  const { code, out } = await vnuPromise;
  const n = fs.readdirSync(siteDir, { recursive: true }).filter((f) => String(f).endsWith(".html")).length;
  if (code !== 0) {
    // Group the messages: one line per distinct message, with a count and the first places.
    const groups = new Map();
    for (const line of out.trim().split("\n")) {
      const m = line.match(/^"file:(.*?)":([\d.-]+): (\w+): (.*)$/);
      const key = m ? `${m[3]}: ${m[4]}` : line;
      const where = m ? `${path.relative(siteDir, m[1])}:${m[2].split("-")[0]}` : "";
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(where);
    }
    const text = [...groups].map(([msg, at]) => `${at.length}× ${msg}\n    at ${at.slice(0, 4).join(", ")}${at.length > 4 ? ", …" : ""}`);
    throw new Error(`vnu exit ${code}:\n${text.join("\n")}`);
  }
  return `${n} HTML files, no errors`;
});

const failed = results.filter((r) => !r.ok);
console.log(`\nscreenshots: ${path.relative(process.cwd(), shotDir) || shotDir}/ (${fs.readdirSync(shotDir).filter((f) => f.endsWith(".png")).length} PNG)`);
console.log(`time: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
if (failed.length) {
  console.log(`\nFailed checks:`);
  for (const f of failed) console.log(`  - ${f.name}`);
}
console.log(`browser: ${results.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length ? 1 : 0);
