import { suite } from "uvu";
import * as assert from "uvu/assert";
import { gzipSync } from "node:zlib";
import type { Browser, Page } from "playwright-core";
import { PosClient, type TableConnection } from "../../clients/pos-client.ts";
import { demoRawConfig } from "../../server/config/demo.ts";
import { accessibilityViolations, buildWebIfStale, launchBrowser, newPage, screenshot } from "../support/browser.ts";
import { kds } from "../support/kitchen.ts";
import { kimchi, openTable, staff } from "../support/pos.ts";
import { eventually, startServer, tempDir, writeConfig, type ServerProcess } from "../support/server-process.ts";

// Issue #14 item 3: the QR order page (/q/<table token>) in a real Chromium on a phone-sized
// screen, against a real server: a guest orders, pays, calls staff; the POS (a Node client) sees it.
const t = suite("the QR order page");

const phoneViewport = { width: 390, height: 844 };
/** The page load (HTML, scripts, styles), gzip-compressed: what a gzip proxy would send a phone. */
const transferBudgetGzipBytes = 80 * 1024;
const wait = { timeout: 10_000 };

let server: ServerProcess;
let browser: Browser;
t.before(async () => {
  // The server serves web/dist: built from this tree when stale (the mutation runner's copy has none).
  buildWebIfStale("order");
  server = await startServer();
  browser = await launchBrowser();
});
t.after(async () => {
  await browser?.close();
  await server?.stop();
});

async function adminToken(on: ServerProcess): Promise<string> {
  return (await PosClient.login(on.endpoint, "demo", "a1", "9999")).session.token;
}

/** The link printed on the table's QR code (GET /api/tables/:id/qr, admin). */
async function qrLink(on: ServerProcess, tableId: string): Promise<string> {
  const reply = await (await fetch(`${on.endpoint}/api/tables/${tableId}/qr`, { headers: { authorization: `Bearer ${await adminToken(on)}` } })).json() as { data: { url: string } };
  return reply.data.url;
}

/** A phone opening the link in its own browser context; the table's name shows once it joined. */
async function openPhone(url: string, heading: RegExp | string): Promise<Page> {
  const page = await newPage(browser, { viewport: phoneViewport });
  await page.goto(url);
  await page.locator("h1", { hasText: heading }).waitFor(wait);
  return page;
}

function item(page: Page, menuId: string) {
  return page.locator(`[data-menu-id="${menuId}"]`);
}

async function noSeriousFindings(page: Page): Promise<void> {
  assert.equal(await accessibilityViolations(page), []);
}

/** Bytes of the page load: the HTML and its /assets/ files as sent, and gzip-compressed. */
async function pageWeight(page: Page): Promise<{ wireBytes: number; gzipBytes: number; files: number }> {
  const urls = await page.evaluate(() => [location.href, ...performance.getEntriesByType("resource").map((e) => e.name).filter((n) => n.includes("/assets/"))]);
  const sizes = await page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
    const assets = (performance.getEntriesByType("resource") as PerformanceResourceTiming[]).filter((e) => e.name.includes("/assets/"));
    return [nav.encodedBodySize, ...assets.map((e) => e.encodedBodySize)];
  });
  let gzipBytes = 0;
  for (const url of urls) gzipBytes += gzipSync(Buffer.from(await (await fetch(url)).arrayBuffer())).length;
  return { wireBytes: sizes.reduce((a, b) => a + b, 0), gzipBytes, files: urls.length };
}

t("a guest orders by QR: menu by category, sold out marked, own cart, sent to the kitchen; the POS sees a qr batch", async () => {
  const pos = await openTable(await staff(server), "T3");
  assert.ok((await pos.command("confirm", { lines: [kimchi] })).ok);
  const kitchen = await kds(server, "all");
  assert.ok((await kitchen.command("menu.stock", { menuId: "jeyuk", soldOut: true })).ok, "86 제육볶음 at runtime");
  const page = await openPhone(await qrLink(server, "T3"), "3번 테이블");
  try {
    assert.is(await page.getAttribute("html", "lang"), "ko");
    const weight = await pageWeight(page);
    console.log(`QR order page load: ${weight.files} files, ${(weight.wireBytes / 1024).toFixed(1)} KiB as served, ${(weight.gzipBytes / 1024).toFixed(1)} KiB gzip (budget ${transferBudgetGzipBytes / 1024} KiB)`);
    assert.ok(weight.wireBytes > 0 && weight.gzipBytes > 0, "the page weight is measured");
    assert.ok(weight.gzipBytes <= transferBudgetGzipBytes, `page load ${weight.gzipBytes} B gzip > budget ${transferBudgetGzipBytes} B`);

    for (const category of ["찌개", "요리", "식사", "주류", "음료"]) await page.locator("h2", { hasText: category }).first().waitFor(wait);
    // The guest's menu route shows only the menu: no tables, stations or staff.
    const customerToken = await page.evaluate(() => JSON.parse(sessionStorage.getItem(Object.keys(sessionStorage).find((k) => k.startsWith("qr-customer:"))!)!).token as string);
    const guestMenu = await (await fetch(`${server.endpoint}/api/qr/menu`, { headers: { authorization: `Bearer ${customerToken}` } })).json() as any;
    assert.equal(Object.keys(guestMenu.data).sort(), ["menu", "qrPayment", "storeId", "storeName"]);
    assert.equal(Object.keys(guestMenu.data.menu[0]).sort(), ["category", "id", "name", "optionGroups", "price", "soldOut"]);
    // Config sold out and runtime 86: marked in words, not orderable.
    for (const menuId of ["special", "jeyuk"]) {
      await item(page, menuId).locator(".sold-out-mark").waitFor(wait);
      assert.ok(await item(page, menuId).getByRole("button").isDisabled(), `${menuId} cannot be added`);
    }
    await screenshot(page, "order-menu");
    await noSeriousFindings(page);

    await item(page, "doenjang-jjigae").getByRole("button", { name: "된장찌개 담기" }).click();
    await page.getByTestId("notice").filter({ hasText: "된장찌개" }).waitFor(wait);
    await item(page, "kimchi-jjigae").getByRole("button", { name: "김치찌개 담기" }).click();
    await item(page, "kimchi-jjigae").getByLabel("매운맛").check();
    await item(page, "kimchi-jjigae").getByRole("button", { name: "하나 더" }).click();
    await screenshot(page, "order-options");
    await noSeriousFindings(page);
    await page.getByTestId("picker-add").click();
    await page.getByTestId("notice").filter({ hasText: "김치찌개" }).waitFor(wait);

    await page.locator('[data-tab="cart"]').click();
    await page.getByTestId("cart-line").nth(1).waitFor(wait);
    assert.is(await page.getByTestId("cart-line").count(), 2);
    assert.is(await page.getByTestId("cart-total").textContent(), "26,000원");
    await eventually(() => [...(pos.state.carts?.values() ?? [])].some((c: any) => c.lines.size === 2), 5_000, "the phone's cart at the POS");
    await screenshot(page, "order-cart");
    await noSeriousFindings(page);

    await page.getByTestId("confirm").click();
    await page.getByTestId("sent").filter({ hasText: "주방으로 전송되었습니다" }).waitFor(wait);
    await screenshot(page, "order-sent");
    await eventually(() => [...pos.state.batches.values()].some((b: any) => b.source === "qr" && b.totalWon === 26_000), 5_000, "a qr batch at the POS");
    assert.is(await page.getByTestId("cart-line").count(), 0, "the sent cart is empty");

    await page.getByRole("button", { name: "주문 내역 보기" }).click();
    await page.locator('[data-testid="bill-batch"][data-source="qr"]').waitFor(wait);
    assert.is(await page.locator('[data-testid="bill-batch"][data-source="pos"]').count(), 1, "the staff's order is on the bill too");
    assert.is(await page.getByTestId("bill-total").textContent(), "44,000원");
    assert.is(await page.getByTestId("bill-balance").textContent(), "44,000원");
    await screenshot(page, "order-bill");
    await noSeriousFindings(page);

    // The table pays and closes: the phone is sent away with a thank-you.
    assert.ok((await pos.command("payment.start", { method: "cash", amount: 44_000, tendered: 44_000 })).ok);
    await page.locator('[data-stop="finished"]').filter({ hasText: "이 테이블의 주문이 끝났습니다" }).waitFor(wait);
    await screenshot(page, "order-finished");
  } finally {
    await page.context().close();
    await pos.leave();
  }
});

t("staff call reaches the POS; over the limit the phone is told in words", async () => {
  const pos = await openTable(await staff(server), "T4");
  const calls: any[] = [];
  pos.room.onMessage("staffCall", (call) => calls.push(call));
  const page = await openPhone(await qrLink(server, "T4"), "4번 테이블");
  try {
    for (const n of [1, 2]) {
      await page.getByTestId("staff-call").click();
      await eventually(() => calls.length === n, 5_000, `staff call ${n} at the POS`);
    }
    assert.is(calls[0].tableId, "T4");
    await page.getByTestId("staff-call-answer").filter({ hasText: "직원을 불렀습니다" }).waitFor(wait);
    await page.getByTestId("staff-call").click();
    await page.getByTestId("staff-call-answer").filter({ hasText: /초 후에 다시 시도/ }).waitFor(wait);
    assert.not.match(await page.getByTestId("staff-call-answer").textContent() ?? "", /RATE_LIMITED/);
    assert.is(calls.length, 2);
    await screenshot(page, "order-staff-call-limited");
  } finally {
    await page.context().close();
    await pos.leave();
  }
});

t("a reload keeps the customer token; a rotated secret kills the old link; no session is said in words", async () => {
  const pos = await openTable(await staff(server), "T5");
  const oldLink = await qrLink(server, "T5");
  const page = await openPhone(oldLink, "5번 테이블");
  const exchanges: string[] = [];
  page.on("request", (request) => request.url().endsWith("/api/qr/session") && request.method() === "POST" && exchanges.push(request.url()));
  try {
    await page.reload();
    await page.locator("h1", { hasText: "5번 테이블" }).waitFor(wait);
    assert.is(exchanges.length, 0, "a reload does not exchange the table token again");

    const rotated = await fetch(`${server.endpoint}/api/admin/qr/rotate`, { method: "POST", headers: { authorization: `Bearer ${await adminToken(server)}`, "content-type": "application/json" }, body: "{}" });
    assert.is(rotated.status, 200);
    const stranger = await newPage(browser, { viewport: phoneViewport });
    try {
      await stranger.goto(oldLink);
      await stranger.locator('[data-stop="deadLink"]').filter({ hasText: "이 QR 코드는 사용할 수 없습니다" }).waitFor(wait);
      await screenshot(stranger, "order-dead-link");
      await noSeriousFindings(stranger);
      // A table nobody seated: the page says so, and switches to English.
      await stranger.goto(await qrLink(server, "T9"));
      await stranger.locator('[data-stop="noSession"]').filter({ hasText: "아직 주문을 받을 수 없습니다" }).waitFor(wait);
      await stranger.getByRole("button", { name: "Switch to English" }).click();
      await stranger.locator("h1", { hasText: "This table is not open for orders yet" }).waitFor(wait);
      assert.is(await stranger.getAttribute("html", "lang"), "en");
      await screenshot(stranger, "order-no-session-en");
    } finally {
      await stranger.context().close();
    }
  } finally {
    await page.context().close();
    await pos.leave();
  }
});

t("a store that takes payment first: the guest pays the cart and it is sent in one step; the POS shows it paid", async () => {
  const config = structuredClone(demoRawConfig) as any;
  config.stores[0].orders = { ...(config.stores[0].orders ?? {}), qrPayment: "before" };
  const dir = tempDir("order-prepay");
  const prepay = await startServer({ dataDir: dir, env: { CONFIG_FILE: writeConfig(dir, config) } });
  let pos: TableConnection | undefined;
  let page: Page | undefined;
  try {
    pos = await openTable(await staff(prepay), "T2");
    page = await openPhone(await qrLink(prepay, "T2"), "2번 테이블");
    await item(page, "cola").getByRole("button", { name: "콜라 담기" }).click();
    await item(page, "doenjang-jjigae").getByRole("button", { name: "된장찌개 담기" }).click();
    await eventually(() => [...(pos!.state.carts?.values() ?? [])].some((c: any) => c.lines.size === 2), 5_000, "the phone's cart at the POS");
    await page.locator('[data-tab="cart"]').click();
    await page.getByTestId("pay").waitFor(wait);
    assert.is(await page.getByTestId("confirm").count(), 0, "no unpaid send where the store takes payment first");
    assert.match(await page.getByTestId("pay").textContent() ?? "", /10,000원/);
    await screenshot(page, "order-prepay-cart");
    await page.getByTestId("pay").click();
    await page.getByTestId("sent").filter({ hasText: "결제 완료" }).waitFor(wait);
    await eventually(() => [...pos!.state.batches.values()].some((b: any) => b.source === "qr" && b.totalWon === 10_000), 5_000, "the paid qr batch at the POS");
    assert.is(pos.state.paidWon, 10_000);
    assert.is(pos.state.outstandingWon, 0);
    await page.locator('[data-tab="bill"]').click();
    assert.is(await page.getByTestId("bill-paid").textContent(), "10,000원");
    await screenshot(page, "order-prepay-paid");
    await noSeriousFindings(page);
  } finally {
    await page?.context().close();
    await pos?.leave();
    await prepay.stop();
  }
});

t.run();
