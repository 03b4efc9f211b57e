/**
 * GET /api/payments/settlement: the provider's settlement file for a date against our journal.
 * The server talks to a VAN simulator started here (VAN_URL), whose faults spoil the file.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startVanSimulator, type LedgerEntry, type VanSimulator } from "../../payments/simulator/index.ts";
import { query, startServer, type ServerProcess } from "../support/server-process.ts";
import { openTable, staff } from "../support/pos.ts";
import type { TableConnection } from "../../clients/pos-client.ts";
import { call, codeOf, dataOf, tokenOf } from "./support.ts";
import { addDays, businessDateOf } from "../../server/reports/business-day.ts";

const t = suite("settlement: the provider's file against our payments and refunds");

let sim: VanSimulator;
let server: ServerProcess;
let admin: string;
let table: TableConnection;
const paymentIds: { first: string; last: string } = { first: "", last: "" };
let date = "";

async function ok<T = any>(tc: TableConnection, type: string, fields: Record<string, unknown> = {}): Promise<T> {
  const reply = await tc.command<T>(type, fields);
  if (!reply.ok) throw new Error(`${type}: ${JSON.stringify(reply.error)}`);
  return reply.data;
}

const ledgerEntry = <K extends LedgerEntry["type"]>(type: K, orderId: string) =>
  sim.ledger().entries.find((e): e is Extract<LedgerEntry, { type: K }> => e.type === type && e.orderId === orderId)!;

t.before(async () => {
  sim = await startVanSimulator();
  // Short provider deadline and reconciliation pass, so an unanswered card payment settles within the test.
  server = await startServer({ env: { VAN_URL: sim.url, PAYMENT_TIMEOUT_MS: "1000", RECONCILE_INTERVAL_MS: "200" } });
  admin = await tokenOf(server, "a1", "9999");
  // A card tender, a partial card refund, a cash tender and a card tender that closes the table.
  table = await openTable(await staff(server), "T1");
  const batch = await ok(table, "confirm", { lines: [{ menuId: "jeyuk", quantity: 3 }] });
  const first = await ok(table, "payment.start", { method: "card", amount: 10_000, cardToken: "5417071234565678" });
  await ok(table, "refund.start", { paymentId: first.paymentId, amount: 2_000, reason: "부분 취소", reasonCode: "complaint" });
  await ok(table, "payment.start", { method: "cash", amount: 5_000 });
  const last = await ok(table, "payment.start", { method: "card", amount: batch.totalWon - 8_000 - 5_000 });
  assert.is(last.sessionStatus, "closed");
  paymentIds.first = first.paymentId;
  paymentIds.last = last.paymentId;
  // The provider's own date of the approval (its ledger stamps KST wall time with the offset).
  date = ledgerEntry("approval", first.paymentId).at.slice(0, 10);
});
t.after(async () => {
  await table?.leave().catch(() => undefined);
  await server?.stop();
  await sim?.close();
});

async function settlement(): Promise<any> {
  return dataOf(await call(server, "GET", `/api/payments/settlement?date=${date}`, admin));
}

t("with a true file, approvals and cancels of the day match: no differences, same totals on both sides", async () => {
  const check = await settlement();
  assert.equal(check.differences, []);
  const [van] = check.providers;
  const sameDay = sim.ledger().entries.filter((e) => e.at.startsWith(date));
  const approvals = sameDay.filter((e) => e.type === "approval");
  const cancels = sameDay.filter((e) => e.type === "cancel");
  const totals = { approvals: { count: approvals.length, won: approvals.reduce((s, e) => s + (e.type === "approval" ? e.amount : 0), 0) }, cancels: { count: cancels.length, won: cancels.reduce((s, e) => s + (e.type === "cancel" ? e.amount : 0), 0) } };
  assert.equal(van.theirs, totals);
  assert.equal(van.ours, totals);
  assert.ok(approvals.length >= 1 && cancels.length >= 1, "the day has a card approval and a cancel");
});

t("the day before holds nothing on either side: our payments count on the date the provider approved them", async () => {
  const before = addDays(date, -1);
  const check = dataOf(await call(server, "GET", `/api/payments/settlement?date=${before}`, admin));
  assert.equal(check.differences, []);
  assert.equal(check.providers[0].ours, { approvals: { count: 0, won: 0 }, cancels: { count: 0, won: 0 } });
});

t("an amount the provider altered is an amount_mismatch on that order", async () => {
  await sim.setFaults({ kind: "settlementMismatch", date, change: "alteredAmount", orderId: paymentIds.first, times: 1 });
  const { differences } = await settlement();
  assert.equal(differences.map((d: any) => [d.kind, d.orderId, d.provider.amount, d.ours.amount]), [["amount_mismatch", paymentIds.first, 11_000, 10_000]]);
});

t("a line the provider left out is missing_at_provider; an approval we never made is missing_here", async () => {
  await sim.setFaults({ kind: "settlementMismatch", date, change: "missingLine", orderId: paymentIds.last, times: 1 });
  const missing = (await settlement()).differences;
  assert.equal(missing.map((d: any) => [d.kind, d.orderId, d.provider, d.ours.amount]), [["missing_at_provider", paymentIds.last, null, ledgerEntry("approval", paymentIds.last).amount]]);
  await sim.setFaults({ kind: "settlementMismatch", date, change: "extraApproval", times: 1 });
  const extra = (await settlement()).differences;
  assert.is(extra.length, 1);
  assert.is(extra[0].kind, "missing_here");
  assert.match(extra[0].orderId, /^VAN-ONLY-/);
  assert.is(extra[0].ours, null);
  assert.is(extra[0].note, "no payment with this order id here");
  assert.equal((await settlement()).differences, [], "the fault was used up: the file is true again");
});

t("a cancel made on the VAN outside the POS is cancel_missing_here", async () => {
  const approval = ledgerEntry("approval", paymentIds.last);
  const response = await fetch(`${sim.url}/v1/payments/${encodeURIComponent(approval.tid)}/cancel`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ orderId: paymentIds.last, cancelId: "terminal-cancel-1", approvalNo: approval.approvalNo, amount: 1_000, reason: "단말기 취소" }),
  });
  assert.is(response.status, 200);
  const cancelDate = ledgerEntry("cancel", paymentIds.last).at.slice(0, 10);
  const check = dataOf(await call(server, "GET", `/api/payments/settlement?date=${cancelDate}`, admin));
  assert.equal(check.differences.map((d: any) => [d.kind, d.orderId, d.provider.amount, d.ours]), [["cancel_missing_here", paymentIds.last, 1_000, null]]);
});

t("a refund the provider refuses (the VAN cancelled it already) is not in the sales report, and the VAN's cancel is cancel_missing_here", async () => {
  const second = await openTable(await staff(server), "T2");
  try {
    await ok(second, "confirm", { lines: [{ menuId: "soju", quantity: 4 }] });
    const card = await ok(second, "payment.start", { method: "card", amount: 12_000 });
    const approval = ledgerEntry("approval", card.paymentId);
    const cancelled = await fetch(`${sim.url}/v1/payments/${encodeURIComponent(approval.tid)}/cancel`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ orderId: card.paymentId, cancelId: "terminal-cancel-2", approvalNo: approval.approvalNo, amount: 12_000, reason: "단말기 취소" }),
    });
    assert.is(cancelled.status, 200);
    const refused = await second.command("refund.start", { paymentId: card.paymentId, amount: 2_000, reason: "환불", reasonCode: "complaint" });
    assert.is(refused.ok ? "completed" : refused.error.code, "PAYMENT_DECLINED");
    const last = await ok(second, "payment.start", { method: "cash", amount: 8_000 });
    assert.is(last.sessionStatus, "closed");
    // The report of the day T2 closed on counts T1's completed refund only if T1 closed that day too.
    const [closed] = query<{ closed_at: string }>(server.databaseFile, "select closed_at from sessions where session_id = ?", second.state.sessionId as string);
    const { report } = dataOf(await call(server, "GET", `/api/reports/sales?date=${businessDateOf(new Date(closed!.closed_at), { timeZone: "Asia/Seoul", dayStartsAt: "05:00" })}`, admin));
    const [first] = query<{ closed_at: string }>(server.databaseFile, "select closed_at from sessions where session_id = ?", table.state.sessionId as string);
    const firstSameDay = report.window.from <= first!.closed_at && first!.closed_at < report.window.to;
    assert.equal(report.refunds.byMethod, firstSameDay ? { card: { count: 1, won: 2_000 } } : {});
    const cancelDate = ledgerEntry("cancel", card.paymentId).at.slice(0, 10);
    const check = dataOf(await call(server, "GET", `/api/payments/settlement?date=${cancelDate}`, admin));
    assert.ok(check.differences.some((d: any) => d.kind === "cancel_missing_here" && d.orderId === card.paymentId && d.provider.amount === 12_000));
  } finally {
    await second.leave();
  }
});

t("a provider that does not answer is 502 PROVIDER_UNAVAILABLE", async () => {
  await sim.setFaults({ kind: "down", mode: "unavailable", on: ["settlement"] });
  try {
    const answer = await call(server, "GET", `/api/payments/settlement?date=${date}`, admin);
    assert.is(`${answer.status} ${codeOf(answer)}`, "502 PROVIDER_UNAVAILABLE");
  } finally {
    await sim.clearFaults();
  }
});

t("a card payment left without an answer is an unsettled intent of the report and a warning of the close, until reconciliation settles it", async () => {
  const third = await openTable(await staff(server), "T3");
  try {
    await ok(third, "confirm", { lines: [{ menuId: "makgeolli", quantity: 2 }] });
    // The approval is never answered, and neither query nor 망취소 gets through: the intent stays pending.
    await sim.setFaults({ kind: "timeout", times: 1 }, { kind: "down", mode: "unavailable", on: ["query", "netCancel"] });
    const lost = await third.command("payment.start", { method: "card", amount: 12_000 });
    assert.equal(lost.ok ? "approved" : [lost.error.code, (lost.error.details as any).status], ["PROVIDER_UNAVAILABLE", "pending"]);
    const paymentId = (lost.ok ? undefined : (lost.error.details as any).paymentId) as string;
    const { report } = dataOf(await call(server, "GET", "/api/reports/sales", admin));
    assert.equal(report.unsettled.payments.map((p: any) => [p.paymentId, p.tableId, p.method, p.requestedWon]), [[paymentId, "T3", "card", 12_000]]);
    const close = await call(server, "POST", "/api/reports/close", admin, {});
    assert.is(close.status, 201, close.text);
    const warnings = dataOf(close).warnings.filter((w: any) => w.tableId === "T3");
    assert.equal(warnings.map((w: any) => [w.code, w.outstandingWon ?? w.requestedWon]), [["open_table_balance", 12_000], ["unsettled_payment", 12_000]]);
    await sim.clearFaults();
    // Reconciliation finds no charge at the provider and voids the intent (polled, bounded).
    const deadline = Date.now() + 15_000;
    let unsettled = report.unsettled.payments;
    while (unsettled.length > 0) {
      assert.ok(Date.now() < deadline, "reconciliation settled the pending payment in time");
      await new Promise((r) => setTimeout(r, 100));
      unsettled = dataOf(await call(server, "GET", "/api/reports/sales", admin)).report.unsettled.payments;
    }
  } finally {
    await sim.clearFaults();
    await third.leave();
  }
});

t.run();
