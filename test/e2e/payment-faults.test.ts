import { suite } from "uvu";
import * as assert from "uvu/assert";
import { randomUUID } from "node:crypto";
import { startServer, tempDir, query, eventually, type ServerProcess } from "../support/server-process.ts";
import { openTable, staff, kimchi } from "../support/pos.ts";
import type { TableConnection } from "../../clients/pos-client.ts";
import { startVanSimulator, type VanSimulator } from "../../payments/simulator/index.ts";

// Issue #11, R-CON-4: every simulator fault, and a kill -9 between intent and approval, ends with
// one charge or none and our record matching the simulator's ledger. Real server process, real
// clients, a real VAN simulator on loopback (in this process, faults set per test).
const t = suite("payment faults: one charge or none, and the record matches the provider");

const timeoutMs = 600;
let sim: VanSimulator;
let server: ServerProcess;
let dataDir: string;
let tableNo = 1;

const env = () => ({ VAN_URL: sim.url, PAYMENT_TIMEOUT_MS: String(timeoutMs), RECONCILE_INTERVAL_MS: "200" });

t.before(async () => {
  sim = await startVanSimulator();
  dataDir = tempDir("payfault");
  server = await startServer({ dataDir, env: env() });
});
t.after(async () => {
  await server?.stop();
  await sim?.close();
});
t.before.each(async () => {
  await sim.clearFaults();
});

/** A fresh table with one 18,000-won batch confirmed. */
async function table(): Promise<TableConnection> {
  const pos = await staff(server);
  const table = await openTable(pos, `T${tableNo++}`);
  const reply = await table.command("confirm", { lines: [kimchi] });
  if (!reply.ok) throw new Error(JSON.stringify(reply));
  return table;
}

interface PaymentRow { payment_id: string; status: string; approved_won: number; refunded_won: number; method: string }

/** R-CON-4: every card payment we hold matches the provider's ledger, and every live charge there is ours. */
function assertLedgerMatches(): void {
  const ours = query<PaymentRow>(server.databaseFile, "select payment_id, status, approved_won, refunded_won, method from payments where method != 'cash'");
  const orders = new Map(sim.ledger().orders.map((o) => [o.orderId, o]));
  for (const p of ours) {
    const order = orders.get(p.payment_id);
    const live = order?.status === "approved" ? order.balanceAmount : 0;
    if (p.status === "pending") continue; // still being settled: checked by the caller
    assert.is(p.approved_won - p.refunded_won, live, `payment ${p.payment_id} (${p.status}) vs provider ${JSON.stringify(order)}`);
  }
  const ourIds = new Set(ours.map((p) => p.payment_id));
  for (const order of orders.values()) {
    if (order.status === "approved" && order.balanceAmount > 0) assert.ok(ourIds.has(order.orderId), `a charge at the provider without a record: ${order.orderId}`);
  }
}

function liveCharges(): number {
  return sim.ledger().orders.filter((o) => o.status === "approved" && o.balanceAmount > 0).length;
}

t("decline: PAYMENT_DECLINED, the payment is void, nothing is charged, the balance stays", async () => {
  const tab = await table();
  await sim.setFaults({ kind: "decline", code: "REJECT_CARD_COMPANY", times: 1 });
  const before = liveCharges();
  const reply = await tab.command("payment.start", { method: "card", amount: 18_000 });
  assert.is(reply.ok ? "ok" : reply.error.code, "PAYMENT_DECLINED");
  assert.is((reply as any).error.details.status, "void");
  assert.is((reply as any).error.details.outstandingWon, 18_000);
  assert.is(liveCharges(), before);
  assertLedgerMatches();
  await tab.leave();
});

t("approved but the answer is lost: found by query and recorded once as approved; the table closes", async () => {
  const tab = await table();
  await sim.setFaults({ kind: "approvedButAnswerLost", times: 1 });
  const reply = await tab.command("payment.start", { method: "card", amount: 18_000 });
  assert.ok(reply.ok, JSON.stringify(reply));
  assert.is((reply as any).data.status, "approved");
  assert.is((reply as any).data.sessionStatus, "closed");
  assertLedgerMatches();
  await tab.leave();
});

t("timeout before the VAN processed it: query finds nothing, net cancel, void; a late approval cannot happen", async () => {
  const tab = await table();
  await sim.setFaults({ kind: "timeout", times: 1 });
  const reply = await tab.command("payment.start", { method: "card", amount: 18_000 });
  assert.is(reply.ok ? "ok" : reply.error.code, "PAYMENT_DECLINED");
  const paymentId = (reply as any).error.details.paymentId as string;
  const order = sim.ledger().orders.find((o) => o.orderId === paymentId);
  assert.is(order?.status ?? "net_cancelled", "net_cancelled");
  assertLedgerMatches();
  // The same order id can never be approved afterwards (a retry is a new payment with a new id).
  const again = await tab.command("payment.start", { method: "card", amount: 18_000 });
  assert.ok(again.ok, JSON.stringify(again));
  assert.is.not((again as any).data.paymentId, paymentId);
  assertLedgerMatches();
  await tab.leave();
});

t("timeout after the VAN processed it: the charge is found by query and recorded, never doubled", async () => {
  const tab = await table();
  await sim.setFaults({ kind: "timeout", afterProcessing: true, times: 1 });
  const before = liveCharges();
  const reply = await tab.command("payment.start", { method: "card", amount: 18_000 });
  assert.ok(reply.ok, JSON.stringify(reply));
  assert.is((reply as any).data.status, "approved");
  assert.is(liveCharges(), before + 1);
  assertLedgerMatches();
  await tab.leave();
});

t("a slow answer under the timeout is a normal approval; the table's other commands run meanwhile", async () => {
  const tab = await table();
  await sim.setFaults({ kind: "slow", delayMs: timeoutMs - 150, on: ["approve"], times: 1 });
  const paying = tab.command("payment.start", { method: "card", amount: 10_000 });
  // The intent is committed (every terminal sees it pending) before the VAN is asked...
  await eventually(() => tab.state.pendingWon === 10_000, 5_000, "the pending intent on the terminal");
  // ...and while the VAN thinks, the table still answers (the payment runs beside the room's queue).
  const quote = await tab.command("payment.quote", {});
  assert.ok(quote.ok);
  assert.is((quote as any).data.pendingWon, 10_000);
  const reply = await paying;
  assert.ok(reply.ok, JSON.stringify(reply));
  assert.is((reply as any).data.outstandingWon, 8_000);
  assert.is((reply as any).data.sessionStatus, "paying");
  assertLedgerMatches();
  await tab.leave();
});

t("duplicate submission: the same cmdId sent twice at once and again later charges once and replays one reply", async () => {
  const tab = await table();
  await sim.setFaults({ kind: "slow", delayMs: 150, on: ["approve"], times: 1 });
  const cmdId = randomUUID();
  const [a, b] = await Promise.all([
    tab.command("payment.start", { method: "card", amount: 18_000 }, cmdId),
    tab.command("payment.start", { method: "card", amount: 18_000 }, cmdId),
  ]);
  const c = await tab.command("payment.start", { method: "card", amount: 18_000 }, cmdId);
  assert.ok(a.ok && b.ok && c.ok, JSON.stringify([a, b, c]));
  assert.equal((b as any).data.paymentId, (a as any).data.paymentId);
  assert.equal((c as any).data.paymentId, (a as any).data.paymentId);
  const rows = query<{ n: number }>(server.databaseFile, "select count(*) as n from payments where session_id = ?", tab.state.sessionId);
  assert.is(rows[0]!.n, 1);
  assertLedgerMatches();
  await tab.leave();
});

t("provider down: the intent stays pending (PROVIDER_UNAVAILABLE), then reconciliation settles it and a replay shows the outcome", async () => {
  const tab = await table();
  await sim.setFaults({ kind: "down", mode: "unavailable" });
  const cmdId = randomUUID();
  const reply = await tab.command("payment.start", { method: "card", amount: 18_000 }, cmdId);
  assert.is(reply.ok ? "ok" : reply.error.code, "PROVIDER_UNAVAILABLE");
  const paymentId = (reply as any).error.details.paymentId as string;
  assert.is(query<{ status: string }>(server.databaseFile, "select status from payments where payment_id = ?", paymentId)[0]!.status, "pending");
  // Closing is refused while money is in flight.
  const close = await tab.command("session.close", { reason: "" });
  assert.is(close.ok ? "ok" : close.error.code, "PAYMENT_IN_PROGRESS");
  await sim.clearFaults();
  await eventually(() => query<{ status: string }>(server.databaseFile, "select status from payments where payment_id = ?", paymentId)[0]!.status !== "pending", 15_000, "reconciliation");
  const replay = await tab.command("payment.start", { method: "card", amount: 18_000 }, cmdId);
  assert.is(replay.ok ? "ok" : replay.error.code, "PAYMENT_DECLINED");
  assert.is((replay as any).error.details.status, "void");
  assertLedgerMatches();
  await tab.leave();
});

t("provider unreachable for a card refund: the refund stays pending (PROVIDER_UNAVAILABLE), never failed, and reconciliation completes it with the same cancel id", async () => {
  const tab = await table();
  const paid = await tab.command<{ paymentId: string }>("payment.start", { method: "card", amount: 10_000 });
  assert.ok(paid.ok, JSON.stringify(paid));
  const paymentId = paid.ok ? paid.data.paymentId : "";
  await sim.setFaults({ kind: "down", mode: "refuse" });
  const reply = await tab.command("refund.start", { paymentId, amount: 4_000, reason: "부분 취소", reasonCode: "complaint" });
  assert.is(reply.ok ? "ok" : reply.error.code, "PROVIDER_UNAVAILABLE");
  const refundId = (reply as any).error.details.refundId as string;
  const refundStatus = () => query<{ status: string }>(server.databaseFile, "select status from refunds where refund_id = ?", refundId)[0]!.status;
  assert.is(refundStatus(), "pending");
  await sim.clearFaults();
  await eventually(() => refundStatus() !== "pending", 15_000, "reconciliation");
  assert.is(refundStatus(), "completed");
  assert.equal(sim.ledger().orders.find((o) => o.orderId === paymentId)?.cancels.map((c) => [c.cancelId, c.amount]), [[refundId, 4_000]]);
  assertLedgerMatches();
  await tab.leave();
});

for (const at of ["payment-after-intent", "payment-before-record"] as const) {
  t(`kill -9 at ${at}: after restart the intent is settled by reconciliation, one charge or none, matching the ledger`, async () => {
    await server.stop();
    const crashing = await startServer({ dataDir, env: { ...env(), CRASH_AT: at } });
    try {
      await payAndCrash(crashing, at);
    } finally {
      await crashing.kill();
    }
  });
}

async function payAndCrash(crashing: ServerProcess, at: string): Promise<void> {
  {
    const pos = await staff(crashing);
    const tab = await openTable(pos, `T${tableNo++}`);
    const confirm = await tab.command("confirm", { lines: [kimchi] });
    assert.ok(confirm.ok);
    const sessionId = tab.state.sessionId as string;
    const cmdId = randomUUID();
    tab.command("payment.start", { method: "card", amount: 18_000 }, cmdId, 60_000).catch(() => undefined);
    const exit = await crashing.exit;
    assert.is(exit.signal, "SIGKILL", crashing.output.join(""));
    server = await startServer({ dataDir, env: env() });
    await eventually(() => query<{ n: number }>(server.databaseFile, "select count(*) as n from payments where session_id = ? and status = 'pending'", sessionId)[0]!.n === 0, 15_000, "reconciliation at start");
    const rows = query<PaymentRow>(server.databaseFile, "select payment_id, status, approved_won, refunded_won, method from payments where session_id = ?", sessionId);
    assert.is(rows.length, 1);
    assert.is(rows[0]!.status, at === "payment-after-intent" ? "void" : "approved");
    assertLedgerMatches();
    // The terminal's retry of the same cmdId gets the outcome, and nothing new is charged.
    const again = await (await openTable(await staff(server), tab.state.tableId)).command("payment.start", { method: "card", amount: 18_000 }, cmdId);
    if (at === "payment-after-intent") assert.is(again.ok ? "ok" : again.error.code, "PAYMENT_DECLINED");
    else assert.is(again.ok ? (again as any).data.status : again.error.code, "approved");
    assert.is(query<{ n: number }>(server.databaseFile, "select count(*) as n from payments where session_id = ?", sessionId)[0]!.n, 1);
    assertLedgerMatches();
  }
}

t.run();
