import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { buildWebIfStale, launchBrowser, newPage, screenshot } from "../support/browser.ts";
import { kds } from "../support/kitchen.ts";
import { staff } from "../support/pos.ts";
import { eventually, query, startServer, type ServerProcess } from "../support/server-process.ts";

// Issue #14 item 1, R-OFF-2: the POS page loses its network (Chromium's offline emulation, which
// also drops the open WebSocket: the page's heartbeat-backed badge goes to "reconnecting" and
// nothing reaches the server), keeps an order and a cash payment in its IndexedDB queue, and on
// reconnect replays them in order, exactly once; a refusal stops the replay for a person to decide.
const t = suite("the POS screen offline: queue, replay once, stop at a refusal");

const wait = { timeout: 10_000 };
let server: ServerProcess;
let browser: Browser;
let page: Page;
let context: BrowserContext;

t.before(async () => {
  buildWebIfStale("pos");
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  page = await newPage(browser, { viewport: { width: 1024, height: 768 } });
  context = page.context();
});
t.after(async () => {
  await browser?.close();
  await server?.stop();
});

const menuButton = (menuId: string): Locator => page.locator(`button.menu-button[data-menu-id="${menuId}"]`);
const offlineBanner = (): Locator => page.locator("[data-offline-banner=offline]");

function sessionId(): string {
  return query<{ session_id: string }>(server.databaseFile, "select session_id from sessions where table_id = 'T3' order by opened_at desc limit 1")[0]!.session_id;
}
const batches = (id: string) => query<{ n: number }>(server.databaseFile, "select count(*) as n from order_batches where session_id = ?", id)[0]!.n;
const cashPayments = (id: string) => query<{ amount_won: number }>(server.databaseFile, "select approved_won as amount_won from payments where session_id = ? and method = 'cash'", id).map((r) => r.amount_won);

async function goOffline(): Promise<void> {
  await context.setOffline(true);
  await offlineBanner().waitFor(wait);
  await page.locator(".connection[data-status=reconnecting]").waitFor(wait);
}

t("the first load carries no zod: the queue's code is fetched on its own right after the first screen", async () => {
  await page.goto(`${server.endpoint}/pos`);
  await page.locator("input[name=staff]").waitFor(wait);
  const entry = await page.evaluate(() => (document.querySelector("script[type=module]") as HTMLScriptElement).src);
  const code = await (await fetch(entry)).text();
  assert.ok(code.length > 1000, "the POS entry chunk was read");
  assert.not.match(code, /_zod|ZodError/, "zod is not in the POS's entry chunk");
  // Loaded before any table is opened, so it is in memory before the link can drop.
  await page.waitForFunction(() => performance.getEntriesByType("resource").some((r) => /offline-queue/.test(r.name)), undefined, wait);
});

t("an order and a cash payment made offline are queued, then replayed in order exactly once", async () => {
  await page.goto(`${server.endpoint}/pos#table=T3`);
  await page.fill("input[name=staff]", "s1");
  await page.fill("input[name=pin]", "1111");
  await page.click("button[type=submit]");
  await page.click("button[data-action=seat]", wait);
  await page.locator(".table-status[data-status=open]").waitFor(wait);
  const session = sessionId();

  await goOffline();
  await menuButton("doenjang-jjigae").click();
  await menuButton("doenjang-jjigae").click();
  await menuButton("cola").click();
  await page.locator("[data-draft-count='3']", { hasText: "오프라인 주문" }).waitFor(wait);
  await screenshot(page, "pos-offline-draft");
  await page.click("button[data-action=send]");
  await page.locator("[data-queued='1']").waitFor(wait);
  assert.match(await page.locator("li[data-queued-type=confirm]").innerText(), /주문 3개 메뉴/);

  await page.click("button[data-action=show-payment]");
  await page.click("button[data-mode=amount]");
  await page.fill("input[name=amount]", "10000");
  await page.click("button[data-method=cash]");
  await page.click("button[data-action=pay]");
  await page.locator("[data-queued='2']").waitFor(wait);
  assert.match(await page.locator("li[data-queued-type='payment.start']").innerText(), /현금 결제 10,000원/);
  await screenshot(page, "pos-offline-queued");
  // The link really is cut: nothing of it reached the server.
  assert.is(batches(session), 0);
  assert.equal(cashPayments(session), []);

  await context.setOffline(false);
  await page.locator(".toast", { hasText: "오프라인 명령 전송됨: 현금 결제 10,000원" }).waitFor({ timeout: 20_000 });
  await page.locator("[data-offline-banner]").waitFor({ state: "detached", timeout: 10_000 });
  await page.click("button[data-action=show-menu]");
  await page.locator("article.batch[data-batch-no='1']", { hasText: "된장찌개" }).waitFor(wait);
  assert.is(batches(session), 1, "the ticket appears once");
  assert.equal(cashPayments(session), [10_000]);
  await page.locator(".connection[data-status=online]").waitFor(wait);
  await screenshot(page, "pos-offline-replayed");
  // A reload replays nothing again: the queue is empty in IndexedDB.
  await page.reload();
  await page.locator("article.batch[data-batch-no='1']").waitFor(wait);
  await page.locator(".connection[data-status=online]").waitFor(wait);
  assert.is(batches(session), 1);
});

t("a queued order refused at replay (sold out meanwhile) stops the queue until a person discards it", async () => {
  const session = sessionId();
  await goOffline();
  await menuButton("gyeran-mari").click();
  await page.click("button[data-action=send]");
  await page.locator("[data-queued='1']").waitFor(wait);
  await page.click("button[data-action=show-payment]");
  await page.click("button[data-mode=amount]");
  await page.fill("input[name=amount]", "1000");
  await page.click("button[data-method=cash]");
  await page.click("button[data-action=pay]");
  await page.locator("[data-queued='2']").waitFor(wait);

  // Meanwhile the kitchen 86's 계란말이.
  const kitchen = await kds(server, "kitchen");
  const stocked = await kitchen.command("menu.stock", { menuId: "gyeran-mari", soldOut: true });
  assert.ok(stocked.ok, JSON.stringify(stocked));
  await kitchen.leave();

  await context.setOffline(false);
  const refusal = page.locator("li[data-queued-type=confirm] .queued-refusal");
  await refusal.waitFor({ timeout: 20_000 });
  assert.match(await refusal.innerText(), /품절된 메뉴가 있습니다/);
  assert.not.match(await refusal.innerText(), /SOLD_OUT/);
  assert.is(await page.locator("[data-queued]").getAttribute("data-queued"), "2", "the payment behind it waits");
  assert.equal(cashPayments(session), [10_000], "nothing after the refusal was sent");
  await screenshot(page, "pos-offline-refused");

  await refusal.locator("button[data-action=queue-discard]").click();
  await page.locator(".toast", { hasText: "오프라인 명령 전송됨: 현금 결제 1,000원" }).waitFor({ timeout: 15_000 });
  await page.locator("[data-offline-banner]").waitFor({ state: "detached", timeout: 10_000 });
  assert.equal(cashPayments(session).sort((a, b) => a - b), [1_000, 10_000]);
  assert.is(batches(session), 1, "the refused order was never confirmed");
  // The floor's figures follow: 18,000 ordered, 11,000 paid.
  const pos = await staff(server, "s2", "2222");
  const t3 = await pos.joinTable("T3");
  await eventually(() => Number(t3.state.outstandingWon) === 7_000, 5_000, "7,000 still due");
  await t3.leave();
});

t("a share paid in cash offline is taken at once: a second tap cannot queue the same share again", async () => {
  const session = sessionId();
  await goOffline();
  await page.click("button[data-action=show-payment]");
  await page.click("button[data-mode=split]");
  await page.click("button[data-method=cash]");
  await page.locator("button[data-share='1/2'][aria-pressed=true]").waitFor(wait);
  await page.click("button[data-action=pay]");
  await page.locator("[data-queued='1']").waitFor(wait);
  await page.locator("button[data-share='1/2'][disabled]").waitFor(wait);
  await page.locator("button[data-share='2/2'][aria-pressed=true]").waitFor(wait);

  await context.setOffline(false);
  await page.locator(".toast", { hasText: "오프라인 명령 전송됨: 현금 결제 3,500원" }).waitFor({ timeout: 20_000 });
  await page.locator("[data-offline-banner]").waitFor({ state: "detached", timeout: 10_000 });
  assert.equal(cashPayments(session).sort((a, b) => a - b), [1_000, 3_500, 10_000], "share 1/2 was paid once");
});

t("lines tapped offline survive the link coming back before they were saved, and are sent", async () => {
  const session = sessionId();
  await page.click("button[data-action=show-menu]");
  await goOffline();
  await menuButton("cola").click();
  const offlineDraft = page.locator("[data-draft-count='1']", { hasText: "오프라인 주문" });
  await offlineDraft.waitFor(wait);
  await context.setOffline(false);
  await page.locator(".connection[data-status=online]").waitFor({ timeout: 20_000 });
  assert.ok(await offlineDraft.isVisible(), "the offline lines are still shown online");
  await offlineDraft.locator("button[data-action=send]").click();
  // Saved to the queue while online, then replayed at once.
  await eventually(() => batches(session) === 2, 15_000, "the offline lines reached the kitchen");
  await page.locator("article.batch[data-batch-no='2']", { hasText: "콜라" }).waitFor(wait);
});

t.run();
