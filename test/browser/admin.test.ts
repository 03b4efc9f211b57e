import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { Browser, Page } from "playwright-core";
import type { TableConnection } from "../../clients/pos-client.ts";
import { eventually, query } from "../support/server-process.ts";
import { accessibilityViolations, buildWebIfStale, launchBrowser, newPage, screenshot } from "../support/browser.ts";
import { openTable, staff } from "../support/pos.ts";
import { phone } from "../support/phone.ts";
import { demoRawConfig } from "../../server/config/index.ts";
import { lang } from "../../web/src/shared/i18n.ts";
import { refusalText } from "../../web/src/admin/refusals.ts";
import { slipsOf, startPrintRig, stopPrintRig, type PrintRig } from "../support/printing.ts";

// Issue #14 item 4: the admin console (/admin) in a real Chromium against a real server whose
// kitchen printer is an emulator in this process (so the test can make it fail). A POS (Node
// client) orders; the page, signed in through its form, reprints, checks the audit chain, 86's an
// item, closes the day and rotates the QR secret; the emulator, the database and the POS show
// what the page did.
const t = suite("the admin console");

let rig: PrintRig;
let browser: Browser;
let page: Page;
let t1: TableConnection;
const connections: TableConnection[] = [];
t.before(async () => {
  buildWebIfStale("admin");
  [rig, browser] = await Promise.all([startPrintRig(), launchBrowser()]);
  page = await newPage(browser, { viewport: { width: 1366, height: 900 } });
  t1 = await openTable(await staff(rig.server), "T1");
  connections.push(t1);
});
t.after(async () => {
  for (const c of connections) await c.leave().catch(() => undefined);
  await browser?.close();
  if (rig) await stopPrintRig(rig);
});

const wait = { timeout: 10_000 };

async function axeClean(name: string): Promise<void> {
  const violations = await accessibilityViolations(page);
  assert.equal(violations, [], `${name}: ${JSON.stringify(violations, null, 1)}`);
}

async function openSection(id: string): Promise<void> {
  await page.click(`nav a[data-section="${id}"]`);
  await page.waitForSelector(`nav a[data-section="${id}"][aria-current="page"]`, wait);
}

t("sign in; a slip fails on the dead printer and shows with a toast; reprint prints it with its REPRINT mark", async () => {
  await page.goto(`${rig.server.endpoint}/admin#print-log`);
  await page.fill("input[name=staff]", "a1");
  await page.fill("input[name=pin]", "9999");
  await screenshot(page, "admin-sign-in");
  await axeClean("sign in");
  await page.click("button[type=submit]");
  await page.waitForSelector('.connection[data-status="online"]', wait);
  await page.waitForSelector('[data-empty="failed-slips"]', wait);

  await rig.a.setFault({ mode: "refuse" });
  const reply = await t1.command<{ batchId: string }>("confirm", { lines: [{ menuId: "jeyuk", quantity: 1 }] });
  assert.ok(reply.ok, JSON.stringify(reply));
  const ticketId = `${reply.data.batchId}-kitchen`;
  const slipKey = `${ticketId}:new`;
  const row = page.locator(`tr[data-failed-slip="${slipKey}"]`);
  await row.waitFor(wait);
  await page.locator(".toast", { hasText: "인쇄 실패" }).first().waitFor(wait);
  assert.match(await row.textContent() ?? "", "ECONNREFUSED");
  await page.locator(`tr[data-job-slip="${slipKey}"][data-job-state="not_sent"]`).first().waitFor(wait);
  await screenshot(page, "admin-print-log-failed");
  await axeClean("print log with a failed slip");

  await rig.a.setFault({ mode: "none" });
  await row.locator('button[data-action="reprint"]').click();
  await eventually(() => slipsOf(rig.a, ticketId).length === 1, 8_000, "the reprint on the emulator's paper");
  const [copy] = slipsOf(rig.a, ticketId);
  assert.match(copy!.text, "*** 재출력 / REPRINT 1 ***");
  // The printed copy resolves the failed original: it leaves the list.
  await row.waitFor({ state: "detached", ...wait });
  await page.waitForSelector(`tr[data-job-slip="${slipKey}:reprint:1"][data-job-state="confirmed"]`, wait);
  const slips = query<{ slip_key: string; state: string }>(rig.server.databaseFile, "select slip_key, state from print_slips where ticket_id = ? order by reprint_no", ticketId);
  assert.equal(slips, [{ slip_key: slipKey, state: "superseded" }, { slip_key: `${slipKey}:reprint:1`, state: "printed" }], "a reprint, not a retry");
  await screenshot(page, "admin-print-log-reprinted");
});

t("a guest's staff call toasts in the console", async () => {
  const guest = await phone(rig.server, "guest-1", "T1", t1.state.sessionId);
  connections.push(guest);
  const call = await guest.command("staff.call", { note: "물 주세요" });
  assert.ok(call.ok, JSON.stringify(call));
  await page.locator(".toast", { hasText: "직원 호출: 1번 테이블 — 물 주세요" }).waitFor(wait);
});

t("the audit viewer lists the store's rows, the reprint among them, and the chain check says OK", async () => {
  await openSection("audit");
  await page.waitForSelector('tr[data-action="print.reprint"]', wait);
  const shown = await page.locator("tr[data-seq]").evaluateAll((rows) => rows.map((r) => Number(r.getAttribute("data-seq"))));
  const stored = query<{ seq: number }>(rig.server.databaseFile, "select seq from audit_log where store_id = 'demo' and seq <= ? order by seq desc limit 50", shown[0] ?? 0);
  assert.ok(shown.length > 0);
  assert.equal(shown, stored.map((r) => r.seq), "the store's newest rows, newest first");
  await page.click('button[data-action="verify-chain"]');
  const verdict = page.locator('[data-verdict="ok"]');
  await verdict.waitFor(wait);
  const all = query<{ n: number }>(rig.server.databaseFile, "select count(*) as n from audit_log")[0]!.n;
  assert.match(await verdict.textContent() ?? "", `${all}건`);
  await screenshot(page, "admin-audit");
  await axeClean("audit");
});

t("86 in the page: the POS's confirm of that item is refused SOLD_OUT", async () => {
  await openSection("menu");
  const beer = page.locator('tr[data-menu-id="beer"]');
  await beer.locator('button[data-action="toggle-86"]').click();
  await page.waitForSelector('tr[data-menu-id="beer"][data-stock-state="sold-out"]', wait);
  await eventually(() => t1.state.stock?.get("beer")?.soldOut === true, 5_000, "the POS to see beer sold out");
  const refused = await t1.command("confirm", { lines: [{ menuId: "beer", quantity: 1, optionIds: ["500"] }] });
  assert.is(refused.ok ? "ok" : refused.error.code, "SOLD_OUT");
  await screenshot(page, "admin-menu-86");
  await axeClean("menu and 86");
});

t("the sales report shows the day; the daily close shows its warning about the open table in words", async () => {
  await openSection("sales");
  await page.waitForSelector('[data-figure="gross"]', wait);
  await screenshot(page, "admin-sales");
  await axeClean("sales");
  await page.click('button[data-action="close-day"]');
  await page.locator('[role="alertdialog"]', { hasText: "마감" }).waitFor(wait);
  await page.click('button[data-action="close-yes"]');
  const warning = page.locator('li.warning[data-warning="open_table_balance"]');
  await warning.waitFor(wait);
  assert.match(await warning.textContent() ?? "", "1번 테이블: 아직 열려 있고 11,000원 받을 돈이 남아 있습니다");
  await page.waitForSelector('.close-box[data-closed="yes"]', wait);
  assert.is(query(rig.server.databaseFile, "select 1 from daily_closes where store_id = 'demo'").length, 1);
  await screenshot(page, "admin-daily-close");
  await axeClean("daily close");
});

t("the QR sheet shows in the page; rotation asks first, then makes a new secret", async () => {
  await openSection("qr");
  await axeClean("qr");
  await page.click('button[data-action="show-sheet"]');
  const sheet = page.frameLocator("iframe.qr-sheet");
  await sheet.locator("figure.card").first().waitFor(wait);
  assert.is(await sheet.locator("figure.card").count(), demoRawConfig.stores[0]!.tables.length, "one code per table");
  const linkBefore = await sheet.locator("figure.card small").first().textContent();
  assert.match(linkBefore ?? "", "/q/t1.demo.T1.");
  await page.fill("input[name=rotate-reason]", "사진 유출");
  await page.click('button[data-action="rotate"]');
  await page.locator('[role="alertdialog"]', { hasText: "모든 QR 코드가 즉시 작동하지 않습니다" }).waitFor(wait);
  await screenshot(page, "admin-qr-rotate-confirm");
  await page.click('button[data-action="rotate-yes"]');
  await page.waitForSelector("[data-rotated-version]", wait);
  // The sheet on screen is made again with the new secret: its links changed.
  await page.waitForFunction((before) => {
    const frame = document.querySelector<HTMLIFrameElement>("iframe.qr-sheet");
    const link = frame?.contentDocument?.querySelector("figure.card small")?.textContent;
    return typeof link === "string" && link !== before;
  }, linkBefore, wait);
  const rotations = query<{ reason: string }>(rig.server.databaseFile, "select reason from audit_log where action = 'qr.rotate' and store_id = 'demo'");
  assert.equal(rotations.map((r) => r.reason), ["사진 유출"]);
  await screenshot(page, "admin-qr");
});

t("the staff list shows names and roles, never a PIN; English is one tap away", async () => {
  await openSection("staff");
  await page.waitForSelector('tr[data-staff-id="k1"]', wait);
  const text = await page.locator(".admin-main").textContent() ?? "";
  assert.match(text, "박관리");
  assert.match(text, "주방");
  for (const pin of ["1111", "2222", "9999", "5555"]) assert.not.match(text, pin);
  await screenshot(page, "admin-staff");
  await axeClean("staff");
  await page.click('button[data-action="lang"]');
  await page.locator('nav a[data-section="print-log"]', { hasText: "Print log" }).waitFor(wait);
  await page.waitForSelector('tr[data-staff-id="k1"] >> text=Kitchen', wait);
  await screenshot(page, "admin-english");
  await axeClean("english");
});

t("a retry of a slip that already printed reads as words: reprint instead", () => {
  const before = lang.value;
  try {
    lang.value = "ko";
    assert.match(refusalText("ALREADY_PRINTED"), "이미 인쇄되었습니다. 한 장 더 필요하면 재출력을 누르세요");
    lang.value = "en";
    assert.is(refusalText("ALREADY_PRINTED"), "This slip already printed; reprint instead");
    assert.is.not(refusalText("DAY_ALREADY_CLOSED"), refusalText("SOMETHING_ELSE"), "the close refusal has words of its own");
  } finally {
    lang.value = before;
  }
});

t.run();
