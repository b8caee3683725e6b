// Search in a real browser (imported by test.mjs): typing into the header box on an ordinary
// page and into the search page, in Japanese and English, must show ranked results with the
// query marked in the passage, filters with counts, keyboard navigation and Escape; without
// JavaScript the header box is a plain form that lands on the search page.

// Types `text` into `selector` one key at a time (as a person would: the debounce applies).
async function type(page, selector, text) {
  await page.locator(selector).click();
  await page.locator(selector).pressSequentially(text, { delay: 30 });
}

// The results shown in `root`: [{title, href, marks, meta, passage}].
function hits(page, root) {
  return page.$$eval(`${root} li.search-hit`, (lis) => lis.map((li) => ({
    title: li.querySelector(".search-hit-title").textContent,
    href: li.querySelector(".search-hit-title").getAttribute("href"),
    marks: Array.from(li.querySelectorAll(".search-hit-passage mark, .search-hit-title mark, .search-hit-id mark")).map((m) => m.textContent),
    meta: li.querySelector(".search-hit-meta").textContent,
    passage: li.querySelector(".search-hit-passage").textContent,
  })));
}

export async function searchChecks({ newContext, base, check, assert, runAxe, formatViolations }) {
  const ctx = await newContext({ viewport: { width: 1280, height: 900 } });

  // Header box, as you type: a panel on the same page, ranked, marked, keyboard navigable.
  for (const [lang, p, query, want, mark] of [
    ["ja", "/ja/basic-plan-1/3-1-1/", "事故前提社会", /glossary\/#T-INCIDENT-PREMISED-SOCIETY|items\/FP1-C1\//, "事故前提社会"],
    ["en", "/en/basic-plan-1/3-1-1/", "incidents", /T-INCIDENT-PREMISED-SOCIETY|FP1-C1|FP1-OI-16/, null],
  ]) {
    await check(`search header box as you type (${lang}: ${query})`, async () => {
      const page = await ctx.newPage();
      try {
        await page.goto(base + p);
        await type(page, "#site-search-q", query);
        await page.waitForSelector(".search-panel li.search-hit", { timeout: 10000 });
        assert(page.url() === base + p, `left the page: ${page.url()}`);
        const h = await hits(page, ".search-panel");
        assert(want.test(h[0].href), `first hit ${h[0].href} (${h[0].title})`);
        assert(!/^[A-Z0-9]+-[A-Z0-9-]+ /.test(h[0].title), `title starts with an ID: ${h[0].title}`);
        const marks = h.flatMap((x) => x.marks);
        assert(marks.length > 0, "no <mark> in the results");
        if (mark) assert(marks.includes(mark), `no mark of ${mark}: ${marks.join(", ")}`);
        else assert(marks.some((m) => /^incident/i.test(m)), `no mark of incident*: ${marks.join(", ")}`);
        if (runAxe) {
          const r = await runAxe(page);
          assert(!r.violations.length, `axe with the panel open:\n${formatViolations(r.violations)}`);
        }
        // Keyboard: ArrowDown to the first result, again to the second, Escape closes.
        await page.keyboard.press("ArrowDown");
        let focused = await page.evaluate(() => document.activeElement.className);
        assert(focused === "search-hit-title", `ArrowDown focused .${focused}`);
        await page.keyboard.press("ArrowDown");
        const second = await page.evaluate(() => document.activeElement.getAttribute("href"));
        assert(second && second !== h[0].href, "second ArrowDown did not move");
        await page.keyboard.press("Escape");
        assert(await page.locator(".search-panel").isHidden(), "Escape did not close the panel");
        focused = await page.evaluate(() => document.activeElement.id);
        assert(focused === "site-search-q", `focus after Escape: #${focused}`);
        return `${h.length} hits, first ${h[0].title.slice(0, 30)}`;
      } finally {
        await page.close();
      }
    });
  }

  // The search page: ranked results, filters with counts, other language marked.
  for (const [lang, query, group, kind] of [["ja", "重要ｲﾝﾌﾗ", "glossary", "term"], ["en", "critical infrastructure", "basic-plan", "policy"]]) {
    await check(`search page as you type (${lang}: ${query}) with filters`, async () => {
      const page = await ctx.newPage();
      try {
        await page.goto(`${base}/${lang}/search/`);
        await type(page, "#search-q", query);
        await page.waitForSelector("#search-results li.search-hit", { timeout: 10000 });
        const status = await page.locator(".search-status").textContent();
        const total = parseInt(status, 10);
        assert(total > 1, `status: ${status}`);
        const h = await hits(page, "#search-results");
        assert(h.every((x) => x.marks.length > 0), "a result without marks");
        const doc = page.locator("select[name=doc]"), kinds = page.locator("select[name=kind]");
        const option = await doc.locator(`option[value="${group}"]`).textContent();
        const n = parseInt(option.match(/\((\d+)\)/)[1], 10);
        assert(n > 0 && n < total, `filter option ${option} of ${total}`);
        await doc.selectOption(group);
        await page.waitForFunction((n) => parseInt(document.querySelector(".search-status").textContent, 10) === n, n);
        const kindOption = await kinds.locator(`option[value="${kind}"]`).textContent();
        assert(/\(\d+\)/.test(kindOption), `kind option ${kindOption}`);
        assert(new URL(page.url()).searchParams.get("doc") === group, "filter not in the URL");
        return `${total} hits, ${option}, ${kindOption}`;
      } finally {
        await page.close();
      }
    });
  }

  await check("search page: the other language's results, marked", async () => {
    const page = await ctx.newPage();
    try {
      await page.goto(`${base}/ja/search/?q=incident`);
      await page.waitForSelector("#search-results .search-other + ol li.search-hit", { timeout: 10000 });
      const lang = await page.locator(".search-other + ol li.search-hit .search-hit-title").first().getAttribute("lang");
      assert(lang === "en", `other-language title lang=${lang}`);
      return "";
    } finally {
      await page.close();
    }
  });
  await ctx.close();

  // On a phone, results and filters stay inside the viewport (a long option once pushed the
  // document filter off the screen, which a page-width check does not see).
  for (const lang of ["ja", "en"]) {
    await check(`phone search page with results and filters fits 360 px (${lang})`, async () => {
      const phone = await newContext({ viewport: { width: 360, height: 800 }, isMobile: true, hasTouch: true });
      const page = await phone.newPage();
      try {
        await page.goto(`${base}/${lang}/search/?q=${encodeURIComponent(lang === "ja" ? "事故前提社会" : "incident")}`);
        await page.waitForSelector("#search-results li.search-hit", { timeout: 10000 });
        const over = await page.evaluate(() =>
          [...document.querySelectorAll(".search-filter, .search-filter select, #search-results li.search-hit")]
            .map((e) => [e.tagName + "." + e.className, e.getBoundingClientRect().right])
            // 360, not innerWidth: a mobile layout viewport widens to fit what overflows.
            .filter(([, r]) => r > 361));
        assert(over.length === 0, `past the right edge: ${over.map(([n, r]) => `${n} ${Math.round(r)}`).join(", ")}`);
        return "";
      } finally {
        await phone.close();
      }
    });
  }

  // Without JavaScript the header box is a plain form that lands on the search page.
  await check("search without JavaScript: header form lands on the search page", async () => {
    const noJs = await newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
    const page = await noJs.newPage();
    try {
      await page.goto(base + "/en/basic-plan-1/3-1-1/");
      await page.fill("#site-search-q", "incident");
      await Promise.all([page.waitForNavigation(), page.press("#site-search-q", "Enter")]);
      const u = new URL(page.url());
      assert(u.pathname === "/en/search/" && u.searchParams.get("q") === "incident", `landed on ${page.url()}`);
      return u.pathname + u.search;
    } finally {
      await noJs.close();
    }
  });
}
