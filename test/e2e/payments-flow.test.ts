import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startServer, query, type ServerProcess } from "../support/server-process.ts";
import { openTable, staff, kimchi, beer } from "../support/pos.ts";
import type { TableConnection } from "../../clients/pos-client.ts";

// Issue #11 end to end: real server process, real WebSocket clients, the built-in VAN simulator.
const t = suite("payments: confirm, adjust, pay in several tenders, close, refund");

let server: ServerProcess;
t.before(async () => {
  server = await startServer();
});
t.after(async () => {
  await server?.stop();
});

async function ok<T = any>(table: TableConnection, type: string, fields: Record<string, unknown> = {}): Promise<T> {
  const reply = await table.command<T>(type, fields);
  if (!reply.ok) throw new Error(`${type}: ${JSON.stringify(reply.error)}`);
  return reply.data;
}

t("N batches and M payments (cash with change, card, equal split) add up and close the table (R-ACC-3, R-PAY-5)", async () => {
  const pos = await staff(server);
  const table = await openTable(pos, "T3");
  await ok(table, "confirm", { lines: [kimchi] });
  await ok(table, "confirm", { lines: [beer, beer] });
  const quote = await ok(table, "payment.quote", { ways: 3 });
  assert.ok(quote.sessionTotalWon > 0);
  assert.is(quote.sharesWon.reduce((a: number, b: number) => a + b, 0), quote.payableWon);
  // 10 % off the session, as staff under the approval threshold.
  const discount = await ok(table, "adjustment.apply", { kind: "percent_discount", scope: "session", percent: 10, reasonCode: "regular_customer", note: "단골" });
  assert.is(discount.amountWon, -Math.floor((quote.sessionTotalWon * 10 + 50) / 100));
  const due = discount.outstandingWon;
  const shares = (await ok(table, "payment.quote", { ways: 3 })).sharesWon as number[];
  const cash = await ok(table, "payment.start", { method: "cash", amount: shares[0], tendered: 50_000 });
  assert.is(cash.status, "approved");
  assert.is(cash.changeWon, 50_000 - shares[0]!);
  const card = await ok(table, "payment.start", { method: "card", amount: shares[1] });
  assert.is(card.status, "approved");
  assert.match(card.approvalNo, /^\d{8}$/);
  assert.is(card.sessionStatus, "paying");
  const last = await ok(table, "payment.start", { method: "easy_pay", amount: shares[2] });
  assert.is(last.outstandingWon, 0);
  assert.is(last.sessionStatus, "closed");
  // The batches' SPEC states are on the wire (nothing cooked yet: confirmed).
  assert.equal([...table.state.batches.values()].map((b: any) => b.status), ["confirmed", "confirmed"]);
  // 현금영수증 for the cash payment: by phone number, once; a malformed number is refused by the schema.
  const bad = await table.command("cashReceipt.issue", { paymentId: cash.paymentId, purpose: "income_deduction", identity: "010-1234" });
  assert.is(bad.ok ? "ok" : bad.error.code, "BAD_REQUEST");
  const issued = await ok(table, "cashReceipt.issue", { paymentId: cash.paymentId, purpose: "income_deduction", identity: "01012345678" });
  assert.match(issued.approvalNo, /\S+/);
  assert.is(issued.amountWon, shares[0]);
  assert.is(issued.identityMasked, "010****5678");
  const twice = await table.command("cashReceipt.issue", { paymentId: cash.paymentId, purpose: "income_deduction", identity: "01012345678" });
  assert.is(twice.ok ? "ok" : twice.error.code, "INVALID_TRANSITION");
  const notCash = await table.command("cashReceipt.issue", { paymentId: card.paymentId, purpose: "income_deduction", identity: "01012345678" });
  assert.is(notCash.ok ? "ok" : notCash.error.code, "INVALID_TRANSITION");
  const rows = query<{ approved: number }>(server.databaseFile, "select sum(approved_won) as approved from payments where session_id = ?", table.state.sessionId as string);
  assert.is(rows[0]!.approved, due);
  await table.leave();
});

t("a card payment over what is due is refused and changes nothing; a refund above what is left is refused", async () => {
  const pos = await staff(server);
  const table = await openTable(pos, "T4");
  await ok(table, "confirm", { lines: [kimchi] });
  const due = (await ok(table, "payment.quote")).payableWon as number;
  const over = await table.command("payment.start", { method: "card", amount: due + 1 });
  assert.is(over.ok ? "ok" : over.error.code, "AMOUNT_EXCEEDS_DUE");
  const paid = await ok(table, "payment.start", { method: "card", amount: due - 1000 });
  const tooMuch = await table.command("refund.start", { paymentId: paid.paymentId, amount: due, reason: "오류", reasonCode: "other" });
  assert.is(tooMuch.ok ? "ok" : tooMuch.error.code, "REFUND_EXCEEDS_PAYMENT");
  const refund = await ok(table, "refund.start", { paymentId: paid.paymentId, amount: 1000, reason: "부분 취소", reasonCode: "complaint" });
  assert.is(refund.status, "completed");
  assert.is(refund.outstandingWon, 2000);
  const close = await table.command("session.close", { reason: "" });
  assert.is(close.ok ? "ok" : close.error.code, "OUTSTANDING_BALANCE");
  await table.leave();
});

t.run();
