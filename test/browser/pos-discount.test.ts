import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { Browser, Locator, Page } from "playwright-core";
import type { TableConnection } from "../../clients/pos-client.ts";
import { accessibilityViolations, buildWebIfStale, launchBrowser, newPage, screenshot } from "../support/browser.ts";
import { openTable, staff } from "../support/pos.ts";
import { eventually, startServer, type ServerProcess } from "../support/server-process.ts";

// PAYMENTS.md §2 on the POS's payment panel: a 10 % discount above the store's approval threshold
// (demo: 30,000 won) asks a second person's id and PIN, is applied once approved and lowers the
// balance by exactly the server's round-half-up amount; an approved discount is an admin's to
// remove, with a reason, and the balance comes back.
const t = suite("the POS screen: a discount with a second person's approval, and its removal");

const wait = { timeout: 10_000 };
let server: ServerProcess;
let browser: Browser;
let page: Page;
let table: TableConnection;

t.before(async () => {
  buildWebIfStale("pos");
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  page = await newPage(browser, { viewport: { width: 1024, height: 768 } });
});
t.after(async () => {
  await table?.leave().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

/** Won as the Korean screen writes it (web/src/shared/i18n.ts `won`). */
const wonText = (amount: number): string => `${amount < 0 ? "-" : ""}${Math.abs(amount).toLocaleString("ko-KR")}원`;
/** PAYMENTS.md §2, the one rounding rule, worked out here independently of the server. */
const percentHalfUp = (value: number, percent: number): number => Math.floor((value * percent + 50) / 100);

async function signIn(staffId: string, pin: string): Promise<void> {
  await page.fill("input[name=staff]", staffId);
  await page.fill("input[name=pin]", pin);
  await page.click("button[type=submit]");
}

const panel = (): Locator => page.locator("[data-payment-panel]");
const outstanding = (): Locator => panel().locator("[data-figure=outstanding]");

t("a 10% discount above the threshold asks for an approver's PIN, then lowers the balance by the rounded amount", async () => {
  // A bill big enough that 10 % is over the demo threshold: 21 × 해물파전 and a 라면사리 찌개.
  const pos = await staff(server, "s2", "2222");
  table = await openTable(pos, "T5");
  const confirmed = await table.command("confirm", { lines: [{ menuId: "haemul-pajeon", quantity: 21 }, { menuId: "kimchi-jjigae", quantity: 1, optionIds: ["hot", "ramen"] }] });
  assert.ok(confirmed.ok, JSON.stringify(confirmed));
  const total = Number(table.state.sessionTotalWon);
  const discount = percentHalfUp(total, 10);
  assert.ok(discount > 30_000, `the discount (${discount}) must be above the approval threshold`);

  await page.goto(`${server.endpoint}/pos#table=T5`);
  await signIn("s1", "1111");
  await page.click("button[data-action=show-payment]", wait);
  await page.locator("[data-lock=mine]").waitFor(wait);
  await outstanding().filter({ hasText: wonText(total) }).waitFor(wait);

  await panel().locator("button[data-action=adjust]").click();
  const dialog = page.locator("dialog.adjust");
  await dialog.waitFor(wait);
  await dialog.locator("button[data-form=discount_percent]").click();
  await dialog.locator("input[name=adjust-value]").fill("10");
  await dialog.locator("button[data-scope=session]").click();
  assert.ok(await dialog.locator("button[data-action=apply-adjustment]").isDisabled(), "no reason chosen yet: apply stays disabled");
  await dialog.locator("button[data-reason=regular_customer]").click();
  await dialog.locator("button[data-action=apply-adjustment]").click();

  // APPROVAL_REQUIRED: the prompt names the amount and the threshold; nothing changed yet.
  const prompt = page.locator("dialog.approval [data-approver-prompt]");
  await prompt.waitFor(wait);
  assert.match(await prompt.locator("[data-approval-needed]").innerText(), new RegExp(`${wonText(discount)}.*30,000원`));
  assert.is(table.state.adjustments.size, 0);
  await screenshot(page, "pos-discount-approval");
  assert.equal(await accessibilityViolations(page), [], "approver prompt: no serious accessibility finding");

  // A wrong PIN is refused in words about the approver, and the prompt stays for another try.
  await prompt.locator("input[name=approver]").fill("a1");
  await prompt.locator("input[name=approver-pin]").fill("0000");
  await prompt.locator("button[data-action=approve]").click();
  await prompt.locator("[data-dialog-refusal]", { hasText: "승인자 번호 또는 PIN이 맞지 않습니다" }).waitFor(wait);
  assert.is(table.state.adjustments.size, 0);

  await prompt.locator("input[name=approver-pin]").fill("9999");
  await prompt.locator("button[data-action=approve]").click();
  await page.locator(".toast", { hasText: `할인·봉사료 적용: ${wonText(-discount)}` }).waitFor(wait);

  await eventually(() => table.state.adjustments.size === 1, 5_000, "the server holds one adjustment");
  const [adjustment] = [...table.state.adjustments.values()] as any[];
  assert.is(Number(adjustment.amountWon), -discount, "the server's amount is the round-half-up 10 %");
  assert.is(Number(table.state.outstandingWon), total - discount);
  await outstanding().filter({ hasText: wonText(total - discount) }).waitFor(wait);
  const row = panel().locator("[data-adjustment-kind=percent_discount]");
  assert.match(await row.innerText(), /할인 10%[\s\S]*테이블 전체[\s\S]*단골 할인/);
  assert.is(await row.locator("[data-adjustment-amount]").innerText(), wonText(-discount));
  await screenshot(page, "pos-discount-applied");
});

t("an approved discount is removed with a reason by an admin, and the balance is back", async () => {
  const total = Number(table.state.totalWon);
  const row = panel().locator("[data-adjustment-kind=percent_discount]");

  // Staff may not take back an approved discount: the words say who can.
  await row.locator("button[data-action=remove-adjustment]").click();
  const dialog = page.locator("dialog.adjust-remove");
  await dialog.waitFor(wait);
  assert.ok(await dialog.locator("button[data-action=confirm-remove-adjustment]").isDisabled(), "a removal needs a reason");
  await dialog.locator("input[name=remove-reason]").fill("손님이 쿠폰으로 바꿈");
  await dialog.locator("button[data-action=confirm-remove-adjustment]").click();
  await dialog.locator("[data-dialog-refusal]", { hasText: "관리자만 해제할 수 있습니다" }).waitFor(wait);
  assert.is(table.state.adjustments.size, 1);
  await dialog.locator("button", { hasText: "닫기" }).click();

  // The admin signs in on the same terminal (the address keeps the table) and removes it.
  await page.click("button[data-action=show-menu]");
  await eventually(() => table.state.lock.size === 0, 5_000, "the lock is released");
  await page.click("button[data-action=sign-out]");
  await signIn("a1", "9999");
  await page.click("button[data-action=show-payment]", wait);
  await row.locator("button[data-action=remove-adjustment]").click();
  await dialog.locator("input[name=remove-reason]").fill("손님이 쿠폰으로 바꿈");
  await dialog.locator("button[data-action=confirm-remove-adjustment]").click();
  await page.locator(".toast", { hasText: "할인·봉사료를 해제했습니다" }).waitFor(wait);

  await eventually(() => table.state.adjustments.size === 0, 5_000, "the server dropped the adjustment");
  assert.is(Number(table.state.outstandingWon), total);
  await outstanding().filter({ hasText: wonText(total) }).waitFor(wait);
  assert.is(await row.count(), 0);
});

t.run();
