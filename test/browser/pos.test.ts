import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { Browser, Locator, Page } from "playwright-core";
import type { TableConnection } from "../../clients/pos-client.ts";
import { lang } from "../../web/src/shared/i18n.ts";
import { clockTime, refusalCodes, refusalText } from "../../web/src/pos/refusals.ts";
import { accessibilityViolations, buildWebIfStale, launchBrowser, newPage, screenshot } from "../support/browser.ts";
import { kds } from "../support/kitchen.ts";
import { phone } from "../support/phone.ts";
import { staff } from "../support/pos.ts";
import { eventually, startServer, type ServerProcess } from "../support/server-process.ts";

// Issue #14 item 1: the POS (/pos) in a real Chromium on a tablet-sized screen against a real
// server: sign in, the floor, a table, the draft shown as draft, send, the kitchen gets it; a QR
// order's badge; cancel with a reason; a stale decision comes back as a conflict; another terminal's
// edit lock. A second POS (Node client, s2 이지은) and a phone act beside the page.
const t = suite("the POS screen: floor, table, draft, send, lock");

const tablet = { width: 1024, height: 768 };
const wait = { timeout: 10_000 };

let server: ServerProcess;
let browser: Browser;
let page: Page;
t.before(async () => {
  buildWebIfStale("pos");
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  page = await newPage(browser, { viewport: tablet });
});
t.after(async () => {
  await browser?.close();
  await server?.stop();
});

const tile = (tableId: string): Locator => page.locator(`button.table-tile[data-table-id="${tableId}"]`);
const menuButton = (menuId: string): Locator => page.locator(`button.menu-button[data-menu-id="${menuId}"]`);
const draftBanner = (): Locator => page.locator("[data-draft-banner]");

async function noSeriousFindings(what: string): Promise<void> {
  assert.equal(await accessibilityViolations(page), [], `${what}: no serious accessibility finding`);
}

async function ok(table: TableConnection, type: string, fields: Record<string, unknown> = {}): Promise<any> {
  const reply = await table.command(type, fields);
  if (!reply.ok) throw new Error(`${type}: ${JSON.stringify(reply.error)}`);
  return reply.data;
}

t("every refusal code has words in Korean and English, never the code itself", () => {
  for (const code of refusalCodes) {
    for (const language of ["ko", "en"] as const) {
      lang.value = language;
      const words = refusalText(code);
      assert.ok(words.length > 3 && !words.includes(code), `${code} (${language}): ${words}`);
    }
  }
  lang.value = "ko";
});

t("sign in, the floor, seat a table, the draft shows as draft with its count, send: the kitchen has the ticket", async () => {
  await page.goto(`${server.endpoint}/pos`);
  await page.fill("input[name=staff]", "s1");
  await page.fill("input[name=pin]", "1111");
  await screenshot(page, "pos-sign-in");
  await page.click("button[type=submit]");

  await tile("T1").waitFor(wait);
  assert.is(await page.locator("button.table-tile").count(), 12, "every table of the demo store");
  assert.match(await tile("T1").innerText(), /1번 테이블[\s\S]*빈 테이블/);
  await page.locator(".connection[data-status=online]").waitFor(wait);
  await screenshot(page, "pos-floor");
  await noSeriousFindings("floor");

  await tile("T1").click();
  await page.locator("button[data-action=seat]").waitFor(wait);
  await page.click("button[data-guests='3']");
  await page.click("button[data-action=seat]");
  await page.locator(".table-status[data-status=open]").waitFor(wait);
  assert.match(await page.locator(".pos-bar").innerText(), /3명/);

  // One with options (the dialog), two of a plain item (one line, quantity 2), a beer.
  await menuButton("kimchi-jjigae").click();
  const add = page.locator("button[data-action=add-with-options]");
  assert.ok(await add.isDisabled(), "맵기 must be chosen first");
  await page.click("button[data-option-id=hot]");
  await page.click("button[data-option-id=rice]");
  await screenshot(page, "pos-options");
  await add.click();
  await draftBanner().waitFor(wait);
  await menuButton("jeyuk").click();
  await page.locator(".draft-line", { hasText: "제육볶음" }).waitFor(wait);
  await menuButton("jeyuk").click();
  await page.locator("[data-draft-count='3']").waitFor(wait);
  await menuButton("beer").click();
  await page.click("button[data-option-id='500']");
  await add.click();
  await page.locator("[data-draft-count='4']").waitFor(wait);
  assert.is(await page.locator(".draft-line").count(), 3, "two of 제육볶음 are one line");
  assert.match(await draftBanner().innerText(), /임시[\s\S]*아직 주방에 전송되지 않았습니다 · 4개/);
  assert.is(await page.locator(".draft-line .draft-badge").count(), 3, "every unsent line carries the 임시 badge");
  assert.match(await page.locator(".draft-line", { hasText: "김치찌개" }).innerText(), /매운맛 · 공기밥 추가[\s\S]*10,000원/);
  assert.match(await page.locator("button[data-action=send]").innerText(), /주방에 전송 \(4\)/);
  await screenshot(page, "pos-table-draft");
  await noSeriousFindings("table with a draft");

  // Leaving with an unsent draft asks first.
  await page.click("button[data-action=back]");
  await page.locator("dialog.leave[open]", { hasText: "보내지 않은 메뉴가 4개 있습니다" }).waitFor(wait);
  await screenshot(page, "pos-leave-warning");
  await page.click("button[data-action=stay]");
  await draftBanner().waitFor(wait);

  const kitchen = await kds(server, "all");
  try {
    await page.click("button[data-action=send]");
    await draftBanner().waitFor({ state: "detached", timeout: 10_000 });
    await page.locator("article.batch[data-batch-no='1']").waitFor(wait);
    assert.is(await page.locator(".draft-line").count(), 0);
    assert.match(await page.locator("article.batch[data-batch-no='1']").innerText(), /1차 주문[\s\S]*POS[\s\S]*김치찌개[\s\S]*매운맛 · 공기밥 추가[\s\S]*대기/);
    await eventually(() => [...kitchen.state.tickets.values()].some((ticket: any) => ticket.tableId === "T1"), 10_000, "the kitchen has T1's ticket");
    const tickets = [...kitchen.state.tickets.values()].filter((ticket: any) => ticket.tableId === "T1");
    const items = tickets.flatMap((ticket: any) => [...ticket.items].map((i: any) => `${i.name}×${i.quantity}`)).sort();
    assert.equal(items, ["김치찌개×1", "생맥주×1", "제육볶음×2"], "the ticket has exactly the draft that was shown");
    await screenshot(page, "pos-table-sent");
  } finally {
    await kitchen.leave();
  }
});

t("a QR order shows its QR badge; a guest's item refuses a staff cancel in words; a staff cancel needs a reason and toasts", async () => {
  const pos = await staff(server, "s2", "2222");
  const t1 = await pos.joinTable("T1");
  const guest = await phone(server, "guest-1", "T1", t1.state.sessionId);
  await ok(guest, "cart.add", { menuId: "haemul-pajeon", quantity: 1 });
  await ok(guest, "cart.confirm");
  const qrBatch = page.locator("article.batch[data-batch-no='2']");
  await qrBatch.waitFor(wait);
  assert.is(await qrBatch.locator("[data-source]").getAttribute("data-source"), "qr");
  assert.match(await qrBatch.innerText(), /2차 주문[\s\S]*QR 주문[\s\S]*해물파전[\s\S]*손님 주문/);
  await screenshot(page, "pos-qr-badge");
  await ok(guest, "staff.call", { note: "물 주세요" });
  await page.locator(".toast", { hasText: "1번 테이블 직원 호출 · 물 주세요" }).waitFor(wait);

  await qrBatch.locator("button[data-action=edit-item]").click();
  await page.locator("[data-remote-note]").waitFor(wait);
  await page.click("button[data-action=cancel-item]");
  await page.locator("[data-refusal]", { hasText: "손님이 QR·앱으로 주문한 메뉴라 직원은 바꿀 수 없습니다" }).waitFor(wait);
  assert.not.match(await page.locator("[data-refusal]").innerText(), /FORBIDDEN|remote_order_locked/);
  await screenshot(page, "pos-remote-refused");

  // Cancel 생맥주 with a reason: the item is struck through and a toast says so.
  const beer = page.locator("article.batch[data-batch-no='1'] li.item", { hasText: "생맥주" });
  await beer.locator("button[data-action=edit-item]").click();
  await page.click("button:has-text('주문 실수')");
  assert.is(await page.inputValue("input[name=reason]"), "주문 실수");
  await page.fill("input[name=reason]", "");
  assert.ok(await page.locator("button[data-action=cancel-item]").isDisabled(), "no cancel without a reason");
  await page.fill("input[name=reason]", "다른 테이블 주문");
  await page.click("button[data-action=cancel-item]");
  await beer.locator(".item-state.cancelled").waitFor(wait);
  assert.is(await beer.locator("del").innerText(), "생맥주");
  await page.locator(".toast", { hasText: "취소: 생맥주 ×1" }).waitFor(wait);
  const beerItem = [...t1.state.items.values()].find((i: any) => i.name === "생맥주");
  assert.is(beerItem.state, "cancelled");
  await screenshot(page, "pos-cancelled");
  await guest.leave();
  await t1.leave();
});

t("a decision on a stale view comes back as a conflict naming who changed what; the screen is current", async () => {
  const pos = await staff(server, "s2", "2222");
  const t1 = await pos.joinTable("T1");
  const jeyuk = page.locator("article.batch[data-batch-no='1'] li.item", { hasText: "제육볶음" });
  // The person opens the dialog (decides on this version) …
  await jeyuk.locator("button[data-action=edit-item]").click();
  await page.locator("button[data-action=change-quantity]").waitFor(wait);
  // … meanwhile 이지은 cancels that very item at her terminal.
  const jeyukId = [...t1.state.items.values()].find((i: any) => i.name === "제육볶음").itemId as string;
  await ok(t1, "item.cancel", { itemId: jeyukId, reason: "손님이 취소", reasonCode: "customer_request" });
  await page.click("button[aria-label='하나 빼기']");
  await page.click("button[data-action=change-quantity]");
  const conflict = page.locator("[data-conflict]");
  await conflict.waitFor(wait);
  assert.match(await conflict.innerText(), /다른 사람이 이 테이블을 바꿨습니다. 화면은 이제 최신입니다[\s\S]*이지은: 메뉴 취소 · 제육볶음/);
  await jeyuk.locator(".item-state.cancelled").waitFor(wait);
  await screenshot(page, "pos-conflict");
  await conflict.locator("button").click();
  await t1.leave();
});

t("another terminal's edit lock: everyone sees who and until when; a change is refused with that in words", async () => {
  const pos = await staff(server, "s2", "2222");
  const t1 = await pos.joinTable("T1");
  const lock = await ok(t1, "lock.take", { reason: "결제 중" });
  const until = clockTime(lock.expiresAt);
  await page.locator("[data-lock=other]", { hasText: `이지은 님이 ${until}까지 작업 중` }).waitFor(wait);
  await menuButton("cola").click();
  const refusal = page.locator("[data-refusal]");
  await refusal.waitFor(wait);
  assert.match(await refusal.innerText(), new RegExp(`이지은 님이 ${until}까지 이 테이블을 작업 중입니다`));
  assert.not.match(await refusal.innerText(), /LOCKED/);
  assert.is(await page.locator(".draft-line").count(), 0, "nothing was added");
  await screenshot(page, "pos-locked");

  // The floor shows the lock holder on the table's tile too.
  await page.click("button[data-action=back]");
  await tile("T1").locator("[data-mark=lock]", { hasText: "이지은" }).waitFor(wait);
  assert.match(await tile("T1").innerText(), /주방 진행[\s\S]*3명[\s\S]*잔액[\s\S]*직원 호출/);
  await ok(t1, "lock.release");
  await tile("T1").locator("[data-mark=lock]").waitFor({ state: "detached", timeout: 10_000 });
  await screenshot(page, "pos-floor-busy");
  await t1.leave();
});

t("English is one tap away and remembered", async () => {
  await page.click("button[data-action=lang]");
  await page.locator("h1", { hasText: "Floor" }).waitFor(wait);
  assert.match(await tile("T2").innerText(), /Free/);
  await page.reload();
  await page.locator("h1", { hasText: "Floor" }).waitFor(wait);
  await screenshot(page, "pos-floor-english");
  await page.click("button[data-action=lang]");
  await page.locator("h1", { hasText: "홀" }).waitFor(wait);
});

t.run();
