import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { Browser } from "playwright-core";
import { startServer, type ServerProcess } from "../support/server-process.ts";
import { accessibilityViolations, launchBrowser, newPage, screenshot } from "../support/browser.ts";

// Issue #14: every screen is served by the server on its own port and opens in a real Chromium,
// Korean by default, with no serious accessibility finding. Each screen's own flows are tested
// beside this file.
const t = suite("the screens load in a real browser");

let server: ServerProcess;
let browser: Browser;
t.before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
t.after(async () => {
  await browser?.close();
  await server?.stop();
});

for (const [path, name] of [["/pos", "pos"], ["/kds", "kds"], ["/admin", "admin"], ["/q/not-a-real-token", "order"]] as const) {
  t(`${path}: served, Korean, accessible`, async () => {
    const page = await newPage(browser);
    try {
      const response = await page.goto(`${server.endpoint}${path}`);
      assert.is(response?.status(), 200);
      await page.locator("h1").first().waitFor();
      assert.is(await page.getAttribute("html", "lang"), "ko");
      await screenshot(page, `load-${name}`);
      assert.equal(await accessibilityViolations(page), []);
    } finally {
      await page.context().close();
    }
  });
}

t("a hashed asset is cached for a year; a page is revalidated", async () => {
  const page = await (await fetch(`${server.endpoint}/pos`)).text();
  const asset = /src="(\/assets\/[^"]+\.js)"/.exec(page)?.[1];
  assert.ok(asset, page);
  const response = await fetch(`${server.endpoint}${asset}`);
  assert.is(response.status, 200);
  assert.match(response.headers.get("cache-control") ?? "", /max-age=31536000/);
  assert.is((await fetch(`${server.endpoint}/pos`)).headers.get("cache-control"), "no-cache");
});

t("the pages' CSP keeps scripts to this origin and does not force https (a LAN serves them over plain HTTP)", async () => {
  const csp = (await fetch(`${server.endpoint}/pos`)).headers.get("content-security-policy") ?? "";
  assert.match(csp, /script-src 'self'/);
  assert.not.match(csp, /upgrade-insecure-requests/);
});

t("the screens' files are sent gzip-compressed; the API's answers are not", async () => {
  const page = await (await fetch(`${server.endpoint}/pos`)).text();
  const asset = /src="(\/assets\/[^"]+\.js)"/.exec(page)![1]!;
  // undici decompresses transparently, so look at the header it received.
  const compressed = await fetch(`${server.endpoint}${asset}`, { headers: { "accept-encoding": "gzip" } });
  assert.is(compressed.headers.get("content-encoding"), "gzip");
  const health = await fetch(`${server.endpoint}/api/health`, { headers: { "accept-encoding": "gzip" } });
  assert.is(health.headers.get("content-encoding"), null);
});

t.run();
