// Quick look while developing: screenshots and page widths of a few pages. Not part of CI.
// Usage: node quick.mjs SITE_DIR OUT_DIR path...
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");
const [siteDir, outDir, ...paths] = process.argv.slice(2);
const TYPES = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".json": "application/json", ".svg": "image/svg+xml", ".xml": "application/xml" };
const server = http.createServer((req, res) => {
  let p = decodeURIComponent(new URL(req.url, "http://x").pathname);
  let f = path.join(siteDir, p);
  if (fs.existsSync(f) && fs.statSync(f).isDirectory()) f = path.join(f, "index.html");
  if (!fs.existsSync(f)) { res.writeHead(404); res.end(); return; }
  res.writeHead(200, { "content-type": TYPES[path.extname(f)] || "application/octet-stream" });
  res.end(fs.readFileSync(f));
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
for (const [vp, opts] of [["desktop", { viewport: { width: 1280, height: 900 } }], ["phone", { viewport: { width: 360, height: 780 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true }]]) {
  const ctx = await browser.newContext(opts);
  for (const p of paths) {
    const page = await ctx.newPage();
    await page.goto(base + p, { waitUntil: "load" });
    const w = await page.evaluate(() => document.documentElement.scrollWidth);
    const name = p.replace(/[^a-zA-Z0-9]+/g, "_") + "-" + vp + ".png";
    if (process.env.SEL) await page.locator(process.env.SEL).first().screenshot({ path: path.join(outDir, name) });
    else await page.screenshot({ path: path.join(outDir, name), fullPage: process.env.FULL === "1" });
    console.log(vp, p, "scrollWidth", w);
    await page.close();
  }
  await ctx.close();
}
await browser.close();
server.close();
