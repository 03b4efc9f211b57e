import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { Browser, Locator, Page } from "playwright-core";
import type { TableConnection } from "../../clients/pos-client.ts";
import { eventually, startServer, type ServerProcess } from "../support/server-process.ts";
import { accessibilityViolations, buildWebIfStale, launchBrowser, newPage, screenshot } from "../support/browser.ts";
import { openTable, staff } from "../support/pos.ts";
import { phone } from "../support/phone.ts";
import { lang } from "../../web/src/shared/i18n.ts";
import { refusalCodes, refusalText } from "../../web/src/kds/refusals.ts";

// Issue #14 item 2: the kitchen display (/kds) in a real Chromium against a real server. A POS
// (Node client) orders; the page, signed in through its form, cooks, bumps, recalls and 86's; the
// POS's own state shows what the page did.
const t = suite("the kitchen display screen");

let server: ServerProcess;
let browser: Browser;
let page: Page;
t.before(async () => {
  buildWebIfStale("kds");
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  page = await newPage(browser, { viewport: { width: 1366, height: 900 } });
});
t.after(async () => {
  await browser?.close();
  await server?.stop();
});

const wait = { timeout: 10_000 };

async function confirm(table: TableConnection, lines: object[]): Promise<{ batchId: string; itemIds: string[] }> {
  const reply = await table.command<{ batchId: string; itemIds: string[] }>("confirm", { lines });
  if (!reply.ok) throw new Error(`confirm: ${JSON.stringify(reply.error)}`);
  return reply.data;
}

async function ok(table: TableConnection, type: string, fields: Record<string, unknown>): Promise<any> {
  const reply = await table.command(type, fields);
  if (!reply.ok) throw new Error(`${type}: ${JSON.stringify(reply.error)}`);
  return reply.data;
}

const ticket = (ticketId: string): Locator => page.locator(`article.ticket[data-ticket-id="${ticketId}"]`);
const item = (ticketId: string, itemId: string): Locator => ticket(ticketId).locator(`li.item[data-item-id="${itemId}"]`);
const itemStateOn = (table: TableConnection, itemId: string) => table.state.items.get(itemId)?.state as string | undefined;

t("sign in, choose the station, cook and bump a POS ticket, recall it, mark an item missing", async () => {
  const pos = await staff(server);
  const t3 = await openTable(pos, "T3");
  const t4 = await openTable(pos, "T4");

  await page.goto(`${server.endpoint}/kds`);
  await page.fill("input[name=staff]", "k1");
  await page.fill("input[name=pin]", "5555");
  await screenshot(page, "kds-sign-in");
  await page.click("button[type=submit]");
  await page.locator("button[data-station=kitchen]").click(wait);
  // The page's heartbeat reaches the server: the floor sees the kitchen station online.
  await page.locator("[data-heartbeat=online]").waitFor(wait);
  await eventually(() => t3.state.kitchenOnline.get("kitchen") === true, 10_000, "the POS sees the kitchen screen alive");
  // The station is remembered per device: a reload goes straight to the screen.
  await page.reload();
  await page.locator("[data-station-name]", { hasText: "주방" }).waitFor(wait);

  const first = await confirm(t3, [
    { menuId: "kimchi-jjigae", quantity: 2, optionIds: ["hot", "rice"], note: "덜 짜게" },
    { menuId: "jeyuk", quantity: 1 },
  ]);
  const second = await confirm(t4, [{ menuId: "gyeran-mari", quantity: 1 }]);
  const firstId = `${first.batchId}-kitchen`;
  const secondId = `${second.batchId}-kitchen`;
  const [kimchiId, jeyukId] = first.itemIds as [string, string];

  await ticket(firstId).waitFor(wait);
  await ticket(secondId).waitFor(wait);
  const card = ticket(firstId);
  assert.match(await card.locator(".ticket-head").innerText(), /3번 테이블[\s\S]*1차 주문/);
  assert.match(await item(firstId, kimchiId).innerText(), /2×\s*김치찌개[\s\S]*매운맛 · 공기밥 추가[\s\S]*덜 짜게[\s\S]*대기/);
  assert.match(await card.locator("[data-source]").innerText(), /POS/);
  assert.equal(await page.locator("article.ticket").evaluateAll((cards) => cards.map((c) => c.getAttribute("data-ticket-id"))), [firstId, secondId], "oldest first");
  assert.match(await page.locator(".timer time").first().innerText(), /^\d+:\d\d$/);
  await page.locator(`.all-day li[data-menu-id=kimchi-jjigae] .all-day-count`, { hasText: "2" }).waitFor(wait);
  await screenshot(page, "kds-tickets");
  assert.equal(await accessibilityViolations(page), [], "the main screen has no serious accessibility finding");

  // Start the whole ticket, finish one item, then the rest; the POS sees every step.
  await card.locator("button[data-action=start]").click();
  await item(firstId, jeyukId).locator(".item-state", { hasText: "조리중" }).waitFor(wait);
  await eventually(() => itemStateOn(t3, kimchiId) === "cooking" && itemStateOn(t3, jeyukId) === "cooking", 5_000, "cooking at the POS");
  await item(firstId, jeyukId).locator("button[data-action=item-cooked]").click();
  await item(firstId, jeyukId).locator(".item-state", { hasText: "조리완료" }).waitFor(wait);
  assert.is(await item(firstId, kimchiId).getAttribute("data-state"), "cooking");
  await card.locator("button[data-action=cooked]").click();
  await card.locator(".flag.done").waitFor(wait);
  await eventually(() => itemStateOn(t3, kimchiId) === "cooked" && itemStateOn(t3, jeyukId) === "cooked", 5_000, "cooked at the POS");
  await screenshot(page, "kds-cooked");

  // Bump: that ticket leaves, the other stays; the POS still shows the items cooked.
  await card.locator("button[data-action=bump]").click();
  await card.waitFor({ state: "detached", ...wait });
  assert.is(await ticket(secondId).count(), 1, "the other ticket stays");
  assert.is(itemStateOn(t3, kimchiId), "cooked");
  await screenshot(page, "kds-bumped");

  // Recall brings back the last bumped ticket, labelled.
  await page.click("button[data-action=recall]");
  await ticket(firstId).locator(".flag.recalled").waitFor(wait);
  await screenshot(page, "kds-recalled");

  // Missing: two taps (it cannot be undone); the POS sees the mark.
  const gyeranId = second.itemIds[0]!;
  await item(secondId, gyeranId).locator("button[data-action=item-missing]").click();
  await item(secondId, gyeranId).locator("button[data-action=item-missing-confirm]").click();
  await item(secondId, gyeranId).locator(".flag.missing").waitFor(wait);
  await eventually(() => t4.state.items.get(gyeranId)?.missing === true, 5_000, "missing at the POS");
  await Promise.all([t3.leave(), t4.leave()]);
});

t("a QR order shows its QR badge; POS changes and cancels show as delta tickets", async () => {
  const pos = await staff(server);
  const t5 = await openTable(pos, "T5");
  const guest = await phone(server, "cust-kds", "T5", t5.state.sessionId);
  await ok(guest, "cart.add", { menuId: "haemul-pajeon", quantity: 1 });
  const qr = await ok(guest, "cart.confirm", {});
  const qrCard = ticket(`${qr.batchId}-kitchen`);
  await qrCard.locator("[data-source=qr]", { hasText: "QR 주문" }).waitFor(wait);
  await screenshot(page, "kds-qr-badge");

  const t6 = await openTable(pos, "T6");
  const batch = await confirm(t6, [{ menuId: "doenjang-jjigae", quantity: 1 }, { menuId: "rice", quantity: 2 }]);
  const [doenjangId, riceId] = batch.itemIds as [string, string];
  await ticket(`${batch.batchId}-kitchen`).waitFor(wait);
  await ok(t6, "item.cancel", { itemId: doenjangId, reason: "손님 요청" });
  await ok(t6, "item.changeQuantity", { itemId: riceId, quantity: 3, reason: "추가 요청" });
  const t7 = await openTable(pos, "T7");
  const gone = await confirm(t7, [{ menuId: "jeyuk", quantity: 1 }]);
  await ok(t7, "batch.cancel", { batchId: gone.batchId, reason: "주문 실수" });

  const partial = page.locator("article.ticket[data-kind=partial_cancel]", { hasText: "6번 테이블" });
  const change = page.locator("article.ticket[data-kind=change]", { hasText: "6번 테이블" });
  const cancel = page.locator("article.ticket[data-kind=cancel]", { hasText: "7번 테이블" });
  await partial.locator(".delta-label", { hasText: "부분 취소" }).waitFor(wait);
  await change.locator(".delta-label", { hasText: "변경" }).waitFor(wait);
  await cancel.locator(".delta-label", { hasText: "취소" }).waitFor(wait);
  assert.match(await partial.locator("del").innerText(), /된장찌개/, "the cancelled item is struck through");
  assert.match(await cancel.locator("del").innerText(), /제육볶음/);
  assert.match(await change.innerText(), /3×\s*공기밥[\s\S]*새 수량/, "the new quantity is marked");
  // The original ticket shows its cancelled line struck through too.
  await ticket(`${batch.batchId}-kitchen`).locator("del", { hasText: "된장찌개" }).waitFor(wait);
  await screenshot(page, "kds-delta-tickets");

  // A cancel ticket is acknowledged by bumping it; only it leaves.
  const cancelId = await cancel.getAttribute("data-ticket-id");
  await cancel.locator("button[data-action=bump]", { hasText: "확인 후 범프" }).click();
  await page.locator(`article.ticket[data-ticket-id="${cancelId}"]`).waitFor({ state: "detached", ...wait });
  assert.is(await partial.count(), 1);
  await Promise.all([t5.leave(), t6.leave(), t7.leave(), guest.leave()]);
});

t("86 and a countdown set in the page refuse the POS's confirm; English switch", async () => {
  const pos = await staff(server);
  const t8 = await openTable(pos, "T8");
  const pajeon = page.locator("li.stock-row[data-menu-id=haemul-pajeon]");
  await pajeon.locator("button[data-action=toggle-86]", { hasText: "품절 처리" }).click();
  await pajeon.locator("[data-stock-state=sold-out]", { hasText: "품절" }).waitFor(wait);
  const refused = await t8.command("confirm", { lines: [{ menuId: "haemul-pajeon", quantity: 1 }] });
  assert.is(refused.ok ? "ok" : refused.error.code, "SOLD_OUT");

  const gyeran = page.locator("li.stock-row[data-menu-id=gyeran-mari]");
  await gyeran.locator("input.count-input").fill("2");
  await gyeran.locator("button[data-action=set-count]").click();
  await gyeran.locator(".stock-state", { hasText: "남은 수량 2" }).waitFor(wait);
  await confirm(t8, [{ menuId: "gyeran-mari", quantity: 1 }]);
  await gyeran.locator(".stock-state", { hasText: "남은 수량 1" }).waitFor(wait);
  const tooMany = await t8.command("confirm", { lines: [{ menuId: "gyeran-mari", quantity: 2 }] });
  assert.is(tooMany.ok ? "ok" : tooMany.error.code, "SOLD_OUT");
  await screenshot(page, "kds-86");

  // Back on: the POS may order it again.
  await pajeon.locator("button[data-action=toggle-86]", { hasText: "판매 재개" }).click();
  await pajeon.locator("[data-stock-state=available]").waitFor(wait);
  await confirm(t8, [{ menuId: "haemul-pajeon", quantity: 1 }]);

  await page.click("button[data-action=lang]");
  await page.locator("h1", { hasText: "Kitchen display" }).waitFor(wait);
  await screenshot(page, "kds-english");
  await page.click("button[data-action=lang]");
  await page.locator("h1", { hasText: "주방 화면" }).waitFor(wait);
  await t8.leave();
});

t("every refusal code has words in Korean and English, never the code itself", () => {
  for (const language of ["ko", "en"] as const) {
    lang.value = language;
    for (const code of refusalCodes) {
      const text = refusalText(code);
      assert.ok(text.length > 3 && !text.includes(code), `${language} ${code}: ${text}`);
    }
  }
  lang.value = "ko";
});

t.run();
