import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { Browser, Locator, Page } from "playwright-core";
import { buildWebIfStale, launchBrowser, newPage, screenshot } from "../support/browser.ts";
import { isMarked, slipsOf, startPrintRig, stopPrintRig, type PrintRig } from "../support/printing.ts";
import { eventually } from "../support/server-process.ts";

// Issue #14 "Done when": one whole dinner run from the browser only, across the four screens,
// against one real server whose kitchen printer is an emulator in this process. Every action is a
// tap in a page; every check reads a page's DOM (or the emulator's paper): no Node room client.
const t = suite("a whole dinner from the browser");

const step = { timeout: 15_000 };
const table = "T3";
const tableName = "3번 테이블";

let rig: PrintRig;
let browser: Browser;
let pos: Page;
let kitchen: Page;
let admin: Page;
let guest: Page;

t.before(async () => {
  for (const page of ["pos", "kds", "order", "admin"]) buildWebIfStale(page);
  [rig, browser] = await Promise.all([startPrintRig(), launchBrowser()]);
  [pos, kitchen, admin, guest] = await Promise.all([
    newPage(browser, { viewport: { width: 1024, height: 768 } }),
    newPage(browser, { viewport: { width: 1366, height: 900 } }),
    newPage(browser, { viewport: { width: 1366, height: 900 } }),
    newPage(browser, { viewport: { width: 390, height: 844 } }),
  ]);
});
t.after(async () => {
  await browser?.close();
  if (rig) await stopPrintRig(rig);
});

async function signIn(page: Page, path: string, staffId: string, pin: string): Promise<void> {
  await page.goto(`${rig.server.endpoint}${path}`);
  await page.fill("input[name=staff]", staffId);
  await page.fill("input[name=pin]", pin);
  await page.click("button[type=submit]");
}

const tile = (): Locator => pos.locator(`button.table-tile[data-table-id="${table}"]`);
const posItems = (state: string): Locator => pos.locator(`article.batch li.item[data-state="${state}"]`);
const tableTickets = (): Locator => kitchen.locator("article.ticket", { hasText: tableName });
const figure = (key: string): Locator => admin.locator(`[data-figure="${key}"] dd`);

t("seat, order by POS and QR, cook on the KDS, serve, pay split, close, read the day's report and print log", async () => {
  // Sign in: the POS tablet, the kitchen screen on every station, the admin console.
  await signIn(pos, "/pos", "s1", "1111");
  await signIn(kitchen, "/kds", "k1", "5555");
  await signIn(admin, "/admin#qr", "a1", "9999");
  await tile().waitFor(step);
  await kitchen.locator("button[data-station=all]").click(step);
  await kitchen.locator("[data-heartbeat=online]").waitFor(step);
  await admin.locator('.connection[data-status="online"]').waitFor(step);
  await screenshot(pos, "dinner-pos-floor");
  await screenshot(kitchen, "dinner-kds-empty");

  // The table's QR link, as the admin console's QR sheet prints it.
  await admin.click('button[data-action="show-sheet"]');
  const sheet = admin.frameLocator("iframe.qr-sheet");
  const card = sheet.locator("figure.card", { has: sheet.locator("strong", { hasText: new RegExp(`^${tableName}$`) }) });
  const qrLink = (await card.locator("small").textContent(step))?.trim() ?? "";
  assert.match(qrLink, `/q/`);
  await screenshot(admin, "dinner-admin-qr");

  // The POS seats the table and adds two lines: they show as a draft, then go to the kitchen.
  await tile().click();
  await pos.click("button[data-guests='2']");
  await pos.click("button[data-action=seat]");
  await pos.locator(".table-status[data-status=open]").waitFor(step);
  await pos.locator('button.menu-button[data-menu-id="jeyuk"]').click();
  await pos.locator("[data-draft-count='1']").waitFor(step);
  await pos.locator('button.menu-button[data-menu-id="gyeran-mari"]').click();
  await pos.locator("[data-draft-count='2']").waitFor(step);
  assert.match(await pos.locator("[data-draft-banner]").innerText(), /임시[\s\S]*아직 주방에 전송되지 않았습니다 · 2개/);
  await screenshot(pos, "dinner-pos-draft");
  await pos.click("button[data-action=send]");
  await pos.locator("[data-draft-banner]").waitFor({ state: "detached", ...step });
  await pos.locator("article.batch[data-batch-no='1'] [data-source=pos]").waitFor(step);

  await tableTickets().first().waitFor(step);
  assert.is(await tableTickets().count(), 1);
  const posTicket = tableTickets().first();
  const posTicketId = (await posTicket.getAttribute("data-ticket-id"))!;
  assert.match(await posTicket.innerText(), /1차 주문[\s\S]*POS[\s\S]*제육볶음[\s\S]*계란말이/);
  await screenshot(kitchen, "dinner-kds-pos-ticket");

  // A guest opens the table's QR link on a phone and orders: the QR badge shows at the POS and KDS.
  await guest.goto(qrLink);
  await guest.locator("h1", { hasText: tableName }).waitFor(step);
  await guest.locator('[data-menu-id="haemul-pajeon"]').getByRole("button", { name: "해물파전 담기" }).click();
  await guest.getByTestId("notice").filter({ hasText: "해물파전" }).waitFor(step);
  await guest.locator('[data-tab="cart"]').click();
  await guest.getByTestId("cart-total").filter({ hasText: "15,000원" }).waitFor(step);
  await guest.getByTestId("confirm").click();
  await guest.getByTestId("sent").filter({ hasText: "주방으로 전송되었습니다" }).waitFor(step);
  await screenshot(guest, "dinner-phone-sent");

  const qrBatch = pos.locator("article.batch[data-batch-no='2']");
  await qrBatch.locator("[data-source=qr]").waitFor(step);
  assert.match(await qrBatch.innerText(), /2차 주문[\s\S]*QR 주문[\s\S]*해물파전[\s\S]*손님 주문/);
  await screenshot(pos, "dinner-pos-qr-badge");
  const qrTicket = kitchen.locator("article.ticket", { hasText: tableName, has: kitchen.locator("[data-source=qr]") });
  await qrTicket.locator("[data-source=qr]", { hasText: "QR 주문" }).waitFor(step);
  const qrTicketId = (await qrTicket.getAttribute("data-ticket-id"))!;
  assert.is.not(qrTicketId, posTicketId);
  await screenshot(kitchen, "dinner-kds-qr-badge");

  // The kitchen starts, cooks and bumps both tickets; the POS shows every item cooked.
  for (const id of [posTicketId, qrTicketId]) {
    const ticket = kitchen.locator(`article.ticket[data-ticket-id="${id}"]`);
    await ticket.locator("button[data-action=start]").click(step);
    await ticket.locator("li.item[data-state=waiting]").first().waitFor({ state: "detached", ...step });
    await ticket.locator("li.item[data-state=cooking]").first().waitFor(step);
    if (id === posTicketId) await screenshot(kitchen, "dinner-kds-cooking");
    await ticket.locator("button[data-action=cooked]").click(step);
    await ticket.locator(".flag.done").waitFor(step);
    await screenshot(kitchen, `dinner-kds-cooked-${id === posTicketId ? "pos" : "qr"}`);
    await ticket.locator("button[data-action=bump]").click(step);
    await ticket.waitFor({ state: "detached", ...step });
  }
  assert.is(await tableTickets().count(), 0, "both tickets bumped off the screen");
  await screenshot(kitchen, "dinner-kds-bumped");
  await posItems("cooked").nth(2).waitFor(step);
  assert.is(await pos.locator("article.batch li.item").count(), 3);
  assert.is(await posItems("cooked").count(), 3, "every item cooked at the POS");
  await screenshot(pos, "dinner-pos-cooked");

  // The POS serves each cooked item.
  for (let served = 1; served <= 3; served++) {
    await posItems("cooked").first().locator("button[data-action=serve]").click(step);
    await posItems("served").nth(served - 1).waitFor(step);
  }
  assert.is(await posItems("served").count(), 3);
  await screenshot(pos, "dinner-pos-served");

  // Pay split in two: card, then cash with change. The table closes and the floor frees it.
  await pos.click("button[data-action=show-payment]");
  const panel = pos.locator("[data-payment-panel]");
  await panel.waitFor(step);
  await pos.locator("[data-lock=mine]").waitFor(step);
  assert.is(await panel.locator("[data-figure=total]").innerText(), "33,000원");
  await panel.locator("button[data-mode=split]").click();
  await panel.locator("button[data-share='1/2']", { hasText: "16,500원" }).waitFor(step);
  await panel.locator("button[data-share='1/2']").click();
  await panel.locator("button[data-method=card]").click();
  await panel.locator("button[data-action=pay]", { hasText: "카드 16,500원 결제" }).click();
  await pos.locator(".toast", { hasText: "카드 16,500원 승인" }).waitFor(step);
  await panel.locator("[data-figure=outstanding]", { hasText: "16,500원" }).waitFor(step);
  await screenshot(pos, "dinner-pos-half-paid");
  await panel.locator("button[data-share='2/2']").click();
  await panel.locator("button[data-method=cash]").click();
  await panel.locator("input[name=tendered]").fill("20000");
  assert.match(await panel.locator("[data-change]").innerText(), /거스름돈 3,500원/);
  await panel.locator("button[data-action=pay]", { hasText: "현금 16,500원 결제" }).click();
  await pos.locator(".toast", { hasText: `${tableName} 계산 완료` }).waitFor(step);
  await tile().locator(".tile-status", { hasText: "빈 테이블" }).waitFor(step);
  assert.is(await tile().getAttribute("data-status"), "none");
  await screenshot(pos, "dinner-pos-floor-closed");

  // The guest's phone is told the dinner is over.
  await guest.locator('[data-stop="finished"]').filter({ hasText: "이 테이블의 주문이 끝났습니다" }).waitFor(step);
  await screenshot(guest, "dinner-phone-finished");

  // Both kitchen slips printed once, unmarked, on the kitchen printer; the admin print log says so.
  await eventually(() => slipsOf(rig.a, posTicketId).length === 1 && slipsOf(rig.a, qrTicketId).length === 1, 15_000, "both kitchen slips on the emulator's paper");
  for (const id of [posTicketId, qrTicketId]) assert.not.ok(isMarked(slipsOf(rig.a, id)[0]!), `${id} is an original, not a reprint`);
  assert.match(slipsOf(rig.a, posTicketId)[0]!.text, /제육볶음/);
  assert.match(slipsOf(rig.a, qrTicketId)[0]!.text, /해물파전/);
  await admin.click('nav a[data-section="print-log"]');
  for (const id of [posTicketId, qrTicketId]) await admin.locator(`tr[data-job-slip="${id}:new"][data-job-state="confirmed"]`).first().waitFor(step);
  assert.is(await admin.locator("tr[data-failed-slip]").count(), 0, "no failed slip");
  await screenshot(admin, "dinner-admin-print-log");

  // The day's sales report has this table: one closed table, 33,000원, half by card, half in cash.
  await admin.click('nav a[data-section="sales"]');
  await figure("gross").waitFor(step);
  assert.is(await figure("sessions").innerText(), "1");
  assert.is(await figure("guests").innerText(), "2");
  assert.is(await figure("gross").innerText(), "33,000원");
  assert.is(await figure("approved").innerText(), "33,000원");
  assert.is(await figure("method-card").innerText(), "16,500원 (1)");
  assert.is(await figure("method-cash").innerText(), "16,500원 (1)");
  assert.is(await admin.locator("ul.open-tables").count(), 0, "no table left open");
  await screenshot(admin, "dinner-admin-sales");
});

t.run();
