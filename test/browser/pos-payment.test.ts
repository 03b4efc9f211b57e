import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { Browser, Locator, Page } from "playwright-core";
import type { TableConnection } from "../../clients/pos-client.ts";
import { accessibilityViolations, buildWebIfStale, launchBrowser, newPage, screenshot } from "../support/browser.ts";
import { openTable, staff } from "../support/pos.ts";
import { startPrintRig, stopPrintRig, type PrintRig } from "../support/printing.ts";
import { eventually } from "../support/server-process.ts";

// Issue #14 item 1, the money side: a kitchen printer that fails shows on the floor and as a toast
// with a jump to the print log (R-UI-4); the payment panel (R-UI-3) under the edit lock: a split in
// two halves, one by card and one in cash with change, closes the table and the floor frees it.
const t = suite("the POS screen: print failures and the payment panel");

const wait = { timeout: 10_000 };
let rig: PrintRig;
let browser: Browser;
let page: Page;
let table: TableConnection;

t.before(async () => {
  buildWebIfStale("pos");
  [rig, browser] = await Promise.all([startPrintRig(), launchBrowser()]);
  page = await newPage(browser, { viewport: { width: 1024, height: 768 } });
});
t.after(async () => {
  await table?.leave().catch(() => undefined);
  await browser?.close();
  if (rig) await stopPrintRig(rig);
});

const tile = (tableId: string): Locator => page.locator(`button.table-tile[data-table-id="${tableId}"]`);

async function ok(connection: TableConnection, type: string, fields: Record<string, unknown> = {}): Promise<any> {
  const reply = await connection.command(type, fields);
  if (!reply.ok) throw new Error(`${type}: ${JSON.stringify(reply.error)}`);
  return reply.data;
}

t("a kitchen slip that cannot print: a mark on the table's tile and a toast that opens the print log", async () => {
  await page.goto(`${rig.server.endpoint}/pos`);
  await page.fill("input[name=staff]", "s1");
  await page.fill("input[name=pin]", "1111");
  await page.click("button[type=submit]");
  await tile("T2").waitFor(wait);

  await rig.a.setFault({ mode: "refuse" });
  const pos = await staff(rig.server, "s2", "2222");
  table = await openTable(pos, "T2");
  await ok(table, "confirm", { lines: [{ menuId: "kimchi-jjigae", quantity: 1, optionIds: ["hot"] }, { menuId: "jeyuk", quantity: 1 }, { menuId: "rice", quantity: 3 }] });

  const toast = page.locator(".toast", { hasText: "2번 테이블 주방 주문서 인쇄 실패" });
  await toast.waitFor({ timeout: 15_000 });
  assert.is(await toast.locator("a").getAttribute("href"), "/admin#print-log");
  await tile("T2").locator("[data-mark=print-failed]", { hasText: "인쇄 실패 1" }).waitFor(wait);
  assert.match(await tile("T2").innerText(), /주방 진행[\s\S]*2명[\s\S]*잔액[\s\S]*23,000원/);
  await screenshot(page, "pos-print-failed");
  await toast.locator("button").click();
  await rig.a.setFault({ mode: "none" });
});

t("pay split in two: half by card, half in cash with change; the table closes and the floor frees it", async () => {
  await tile("T2").click();
  await page.click("button[data-action=show-payment]");
  const panel = page.locator("[data-payment-panel]");
  await panel.waitFor(wait);
  // Paying is done under the edit lock (R-CON-1): this terminal holds it, the other sees who.
  await page.locator("[data-lock=mine]").waitFor(wait);
  await eventually(() => table.state.lock.get("table")?.holderName === "김민수", 5_000, "the other terminal sees the lock");
  assert.is(await panel.locator("[data-figure=total]").innerText(), "23,000원");
  assert.is(await panel.locator("[data-figure=outstanding]").innerText(), "23,000원");
  await screenshot(page, "pos-payment");
  assert.equal(await accessibilityViolations(page), [], "payment panel: no serious accessibility finding");

  await panel.locator("button[data-mode=split]").click();
  await panel.locator("button[data-share='1/2']", { hasText: "11,500원" }).waitFor(wait);
  assert.match(await panel.locator("button[data-share='2/2']").innerText(), /11,500원/);
  await panel.locator("button[data-share='1/2']").click();
  await panel.locator("button[data-method=card]").click();
  await panel.locator("button[data-action=pay]", { hasText: "카드 11,500원 결제" }).click();
  await page.locator(".toast", { hasText: "카드 11,500원 승인" }).waitFor(wait);
  await panel.locator("[data-figure=outstanding]", { hasText: "11,500원" }).waitFor(wait);
  assert.is(await panel.locator("[data-figure=paid]").innerText(), "11,500원");
  assert.match(await panel.locator("button[data-share='1/2']").innerText(), /결제됨/);
  assert.ok(await panel.locator("button[data-share='1/2']").isDisabled(), "a paid share cannot be paid twice");

  await panel.locator("button[data-action=receipt]").click();
  await page.locator(".toast", { hasText: "영수증을 출력했습니다" }).waitFor(wait);
  await screenshot(page, "pos-payment-half");

  await panel.locator("button[data-share='2/2']").click();
  await panel.locator("button[data-method=cash]").click();
  await panel.locator("input[name=tendered]").fill("20000");
  assert.match(await panel.locator("[data-change]").innerText(), /거스름돈 8,500원/);
  await panel.locator("button[data-action=pay]", { hasText: "현금 11,500원 결제" }).click();

  await page.locator(".toast", { hasText: "2번 테이블 계산 완료" }).waitFor(wait);
  await tile("T2").waitFor(wait);
  await tile("T2").locator(".tile-status", { hasText: "빈 테이블" }).waitFor(wait);
  assert.is(await tile("T2").getAttribute("data-status"), "none");
  await screenshot(page, "pos-floor-after-payment");

  assert.is(table.state.status, "closed");
  const payments = [...table.state.payments.values()].map((p: any) => `${p.method}:${p.approvedWon}:${p.label}`).sort();
  assert.equal(payments, ["card:11500:1/2", "cash:11500:2/2"], "two halves, each once");
  assert.is(Number(table.state.outstandingWon), 0);
});

t.run();
