import { suite } from "uvu";
import * as assert from "uvu/assert";
import { randomUUID } from "node:crypto";
import { eventually, query, startServer, tempDir, writeConfig, type ServerProcess } from "../support/server-process.ts";
import { openTable, staff, kimchi } from "../support/pos.ts";
import { phone } from "../support/phone.ts";
import { kds } from "../support/kitchen.ts";
import type { TableConnection } from "../../clients/pos-client.ts";
import { startVanSimulator, type VanSimulator } from "../../payments/simulator/index.ts";
import { demoRawConfig } from "../../server/config/demo.ts";
import { call, dataOf, tokenOf } from "../reports/support.ts";

// Issue #12 item 5: a phone pays its own cart before it is sent (prepaid QR, R-TLL-3). Real server
// process, real SDK clients, the VAN simulator on loopback with per-test faults. One charge or
// none, and an order in the kitchen exactly when its charge stands.
const t = suite("prepaid QR: a phone pays its cart before it is sent");

let sim: VanSimulator;
let server: ServerProcess;
let dataDir: string;
let tableNo = 1;
const env = () => ({ VAN_URL: sim.url, PAYMENT_TIMEOUT_MS: "3000", RECONCILE_INTERVAL_MS: "200" });

t.before(async () => {
  sim = await startVanSimulator();
  dataDir = tempDir("qrprepay");
  server = await startServer({ dataDir, env: env() });
});
t.after(async () => {
  await server?.stop();
  await sim?.close();
});
t.before.each(async () => {
  await sim.clearFaults();
});

interface Seated { pos: TableConnection; guest: TableConnection; tableId: string; sessionId: string }

/** A table seated by the POS (one 18,000-won unpaid batch) and a phone at it with 김치찌개 × 2 (18,000) in its cart. */
async function seated(on: ServerProcess = server): Promise<Seated> {
  const tableId = `T${tableNo++}`;
  const pos = await openTable(await staff(on), tableId);
  const sent = await pos.command("confirm", { lines: [kimchi] });
  assert.ok(sent.ok, JSON.stringify(sent));
  const sessionId = pos.state.sessionId as string;
  const guest = await phone(on, `phone-${randomUUID()}`, tableId, sessionId);
  const added = await guest.command("cart.add", kimchi);
  assert.ok(added.ok, JSON.stringify(added));
  return { pos, guest, tableId, sessionId };
}

function charge(orderId: string) {
  return sim.ledger().orders.find((o) => o.orderId === orderId);
}

const cartRows = (sessionId: string) => query<{ payment_id: string; status: string; batch_id: string | null }>(server.databaseFile, "select payment_id, status, batch_id from cart_payments where session_id = ?", sessionId);
const batchCount = (tab: TableConnection) => tab.state.batches.size as number;

t("paid cart: one qr batch with its approved payment; counted as paid, not outstanding; the rest is one POS payment that closes the table", async () => {
  const { pos, guest, sessionId } = await seated();
  const reply = await guest.command<any>("cart.pay", { method: "card", expectedTotalWon: 18_000 });
  assert.ok(reply.ok, JSON.stringify(reply));
  const { batchId, payment } = reply.data;
  assert.is(payment.status, "approved");
  assert.is(charge(payment.paymentId)?.status, "approved");
  await eventually(() => batchCount(pos) === 2, 3_000, "the qr batch at the POS");
  assert.is(pos.state.batches.get(batchId).source, "qr");
  assert.is(pos.state.sessionTotalWon, 36_000);
  assert.is(pos.state.paidWon, 18_000);
  assert.is(pos.state.outstandingWon, 18_000);
  assert.equal(cartRows(sessionId).map((r) => [r.status, r.batch_id]), [["confirmed", batchId]]);
  await eventually(() => (guest.state.carts?.size ?? 0) === 0 || [...guest.state.carts.values()].every((c: any) => c.lines.size === 0), 3_000, "the paid lines leave the cart");
  const rest = await pos.command<any>("payment.start", { method: "card", amount: 18_000 });
  assert.ok(rest.ok, JSON.stringify(rest));
  await eventually(() => pos.state.status === "closed", 3_000, "the table closes");
  await pos.leave();
});

t("the same cmdId again: the first reply, one batch, one charge", async () => {
  const { pos, guest, sessionId } = await seated();
  const cmdId = randomUUID();
  const first = await guest.command<any>("cart.pay", { method: "card", expectedTotalWon: 18_000 }, cmdId);
  assert.ok(first.ok, JSON.stringify(first));
  const again = await guest.command<any>("cart.pay", { method: "card", expectedTotalWon: 18_000 }, cmdId);
  assert.equal(again, first);
  assert.is(cartRows(sessionId).length, 1);
  assert.is(sim.ledger().orders.filter((o) => o.orderId === first.data.payment.paymentId).length, 1);
  await eventually(() => batchCount(pos) === 2, 3_000, "one qr batch");
  await pos.leave();
});

t("a total the phone did not show, or a declined card: a typed refusal, nothing sent, the cart kept", async () => {
  const { pos, guest, sessionId } = await seated();
  const stale = await guest.command("cart.pay", { method: "card", expectedTotalWon: 17_000 });
  assert.is(stale.ok ? "ok" : stale.error.code, "PRICE_MISMATCH");
  assert.equal((stale as any).error.details, { amount: 17_000, total: 18_000 });
  assert.is(cartRows(sessionId).length, 0, "nothing was charged for a stale total");
  await sim.setFaults({ kind: "decline", code: "REJECT_CARD_COMPANY", times: 1 });
  const declined = await guest.command("cart.pay", { method: "card", expectedTotalWon: 18_000 });
  assert.is(declined.ok ? "ok" : declined.error.code, "PAYMENT_DECLINED");
  assert.equal(cartRows(sessionId).map((r) => r.status), ["failed"]);
  assert.is(batchCount(pos), 1);
  const cart = [...guest.state.carts.values()][0] as any;
  assert.is(cart.lines.size, 1, "the cart is still there to pay again");
  // Sold out before paying: refused before any money moves (no intent, no call to the provider).
  const kitchen = await kds(server, "all");
  assert.ok((await kitchen.command("menu.stock", { menuId: "kimchi-jjigae", soldOut: true })).ok);
  try {
    const soldOut = await guest.command("cart.pay", { method: "card", expectedTotalWon: 18_000 });
    assert.is(soldOut.ok ? "ok" : soldOut.error.code, "SOLD_OUT");
    assert.equal(cartRows(sessionId).map((r) => r.status), ["failed"]);
  } finally {
    await kitchen.command("menu.stock", { menuId: "kimchi-jjigae", soldOut: false });
    await kitchen.leave();
  }
  await pos.leave();
});

t("sold out while the card was being approved: the charge is cancelled at the provider and the phone is told", async () => {
  const { pos, guest, sessionId } = await seated();
  await sim.setFaults({ kind: "slow", delayMs: 1_500, on: ["approve"] });
  const paying = guest.command("cart.pay", { method: "card", expectedTotalWon: 18_000 });
  await eventually(() => cartRows(sessionId).length === 1, 3_000, "the intent is written before the call");
  const kitchen = await kds(server, "all");
  const eightySixed = await kitchen.command("menu.stock", { menuId: "kimchi-jjigae", soldOut: true });
  assert.ok(eightySixed.ok, JSON.stringify(eightySixed));
  try {
    const reply = await paying;
    assert.is(reply.ok ? "ok" : reply.error.code, "SOLD_OUT");
    assert.is((reply as any).error.details.refunded, true);
    const [row] = cartRows(sessionId);
    assert.is(row!.status, "refunded");
    const order = charge(row!.payment_id);
    assert.is(order?.status, "approved");
    assert.is(order!.cancels.reduce((sum, c) => sum + c.amount, 0), 18_000, "cancelled in full at the provider");
    assert.is(batchCount(pos), 1, "nothing reached the kitchen");
  } finally {
    await kitchen.command("menu.stock", { menuId: "kimchi-jjigae", soldOut: false });
    await kitchen.leave();
    await pos.leave();
  }
});

/** A refused order whose charge must be given back: the card is approved slowly, the dish is 86'd meanwhile. */
async function soldOutWhilePaying(on: ServerProcess): Promise<{ seatedAt: Seated; reply: Awaited<ReturnType<TableConnection["command"]>>; paymentId: string }> {
  const seatedAt = await seated(on);
  const kitchen = await kds(on, "all");
  const paying = seatedAt.guest.command("cart.pay", { method: "card", expectedTotalWon: 18_000 });
  const rows = () => query<{ payment_id: string }>(on.databaseFile, "select payment_id from cart_payments where session_id = ?", seatedAt.sessionId);
  await eventually(() => rows().length === 1, 3_000, "the intent is written before the call");
  try {
    const eightySixed = await kitchen.command("menu.stock", { menuId: "kimchi-jjigae", soldOut: true });
    assert.ok(eightySixed.ok, JSON.stringify(eightySixed));
    return { seatedAt, reply: await paying, paymentId: rows()[0]!.payment_id };
  } finally {
    await kitchen.command("menu.stock", { menuId: "kimchi-jjigae", soldOut: false });
    await kitchen.leave();
  }
}

t("the card company refuses to cancel a refused order's charge: refund_failed, and the day's report and close tell a person to give it back", async () => {
  await sim.setFaults({ kind: "slow", delayMs: 1_500, on: ["approve"] }, { kind: "cancelRefused", code: "CANCEL_PERIOD_EXPIRED" });
  const { seatedAt, reply, paymentId } = await soldOutWhilePaying(server);
  assert.is(reply.ok ? "ok" : reply.error.code, "SOLD_OUT");
  assert.is((reply as any).error.details.refunded, false);
  assert.equal(cartRows(seatedAt.sessionId).map((r) => r.status), ["refund_failed"]);
  assert.is(charge(paymentId)?.cancels.length, 0, "nothing was cancelled at the provider");
  const admin = await tokenOf(server, "a1", "9999");
  const report = dataOf(await call(server, "GET", "/api/reports/sales", admin)).report;
  const mine = report.unsettled.cartCharges.filter((c: any) => c.paymentId === paymentId);
  assert.equal(mine.map((c: any) => [c.tableId, c.method, c.amountWon, c.status, c.reason]), [[seatedAt.tableId, "card", 18_000, "refund_failed", "SOLD_OUT"]]);
  // Its own day's report says so; another day's does not carry it on.
  const earlier = dataOf(await call(server, "GET", "/api/reports/sales?date=2026-01-01", admin)).report;
  assert.equal(earlier.unsettled.cartCharges.filter((c: any) => c.paymentId === paymentId), []);
  const csv = (await call(server, "GET", "/api/reports/sales?format=csv", admin)).text;
  assert.ok(csv.includes(`unsettled_cart_charge,${paymentId}.status,refund_failed`), csv);
  const close = dataOf(await call(server, "POST", "/api/reports/close", admin, {}));
  const warned = close.warnings.filter((w: any) => w.paymentId === paymentId);
  assert.equal(warned, [{ code: "cart_refund_failed", paymentId, tableId: seatedAt.tableId, method: "card", amountWon: 18_000, reason: "SOLD_OUT" }]);
  const [audited] = query<{ after: string }>(server.databaseFile, "select after from audit_log where action = 'day.close'");
  assert.is(JSON.parse(audited!.after).unsettledCartCharges, close.report.unsettled.cartCharges.length, "the close's audit row counts them");
  await seatedAt.guest.leave();
  await seatedAt.pos.leave();
});

t("a give-back that cannot reach the card company stays pending and is tried again, never left to a person", async () => {
  const dir = tempDir("qrgiveback");
  const info = () => ({ ...env(), LOG_LEVEL: "info" });
  let other = await startServer({ dataDir: dir, env: info() });
  let paymentId = "";
  try {
    // The cancel and its query get no usable answer: the charge is left to give back later.
    await sim.setFaults({ kind: "slow", delayMs: 1_500, on: ["approve"] }, { kind: "down", mode: "unavailable", on: ["cancel", "query"] });
    const sold = await soldOutWhilePaying(other);
    paymentId = sold.paymentId;
    assert.is(sold.reply.ok ? "ok" : sold.reply.error.code, "SOLD_OUT");
    const status = () => query<{ status: string }>(other.databaseFile, "select status from cart_payments where payment_id = ?", paymentId)[0]!.status;
    assert.is(status(), "refund_pending");
    await other.stop();
    // Restarted while the provider refuses connections: the reconciliation at start cannot reach it.
    await sim.setFaults({ kind: "down", mode: "refuse" });
    other = await startServer({ dataDir: dir, env: info() });
    await eventually(() => other.output.join("").includes('"cartStillPending":1'), 10_000, "the reconciliation at start tried the give-back");
    assert.is(status(), "refund_pending", "an unreachable provider got nothing: not a refusal");
    await other.stop();
    await sim.clearFaults();
    other = await startServer({ dataDir: dir, env: info() });
    await eventually(() => status() === "refunded", 10_000, "given back once the provider answers");
    assert.equal(charge(paymentId)?.cancels.map((c) => c.amount), [18_000]);
  } finally {
    await other.stop();
  }
});

t("while a cart is being paid for, the same phone can neither send it unpaid nor start a second charge", async () => {
  const { pos, guest, sessionId } = await seated();
  await sim.setFaults({ kind: "slow", delayMs: 1_500, on: ["approve"] });
  const paying = guest.command("cart.pay", { method: "card", expectedTotalWon: 18_000 });
  await eventually(() => cartRows(sessionId).length === 1, 3_000, "the intent is written before the call");
  const unpaid = await guest.command("cart.confirm", {});
  assert.is(unpaid.ok ? "ok" : unpaid.error.code, "PAYMENT_IN_PROGRESS");
  const second = await guest.command("cart.pay", { method: "card", expectedTotalWon: 18_000 });
  assert.is(second.ok ? "ok" : second.error.code, "PAYMENT_IN_PROGRESS");
  const first = await paying;
  assert.ok(first.ok, JSON.stringify(first));
  await eventually(() => batchCount(pos) === 2, 3_000, "one qr batch");
  assert.is(cartRows(sessionId).length, 1, "one charge");
  await pos.leave();
});

for (const at of ["cart-pay-after-intent", "cart-pay-before-order"] as const) {
  t(`kill -9 at ${at}: after restart reconciliation ends it with the order sent and its charge, or no charge`, async () => {
    await server.stop();
    const crashing = await startServer({ dataDir, env: { ...env(), CRASH_AT: at } });
    let sessionId = "";
    let tableId = "";
    const cmdId = randomUUID();
    try {
      const table = await seated(crashing);
      ({ sessionId, tableId } = table);
      table.guest.command("cart.pay", { method: "card", expectedTotalWon: 18_000 }, cmdId, 60_000).catch(() => undefined);
      const exit = await crashing.exit;
      assert.is(exit.signal, "SIGKILL", crashing.output.join(""));
    } finally {
      await crashing.kill();
    }
    server = await startServer({ dataDir, env: env() });
    await eventually(() => cartRows(sessionId).every((r) => r.status !== "pending"), 15_000, "reconciliation at start");
    const [row] = cartRows(sessionId);
    const batches = query<{ n: number }>(server.databaseFile, "select count(*) as n from session_events where session_id = ? and type = 'BatchConfirmed'", sessionId)[0]!.n;
    const payments = query<{ status: string; approved_won: number }>(server.databaseFile, "select status, approved_won from payments where payment_id = ?", row!.payment_id);
    if (at === "cart-pay-after-intent") {
      // Never reached the provider: net-cancelled, nothing charged, nothing sent.
      assert.is(row!.status, "failed");
      assert.is(charge(row!.payment_id)?.status ?? "none", charge(row!.payment_id) ? "net_cancelled" : "none");
      assert.is(batches, 1);
      assert.is(payments.length, 0);
    } else {
      // Approved before the crash: the order goes to the kitchen with its payment, once.
      assert.is(row!.status, "confirmed");
      assert.is(charge(row!.payment_id)?.status, "approved");
      assert.is(batches, 2);
      assert.equal(payments, [{ status: "approved", approved_won: 18_000 }]);
    }
    // The phone asks again with the same cmdId (its cart is gone with the old process): told the outcome, nothing charged again.
    const guest = await phone(server, "phone-after-restart", tableId, sessionId);
    const customerId = query<{ customer_id: string }>(server.databaseFile, "select customer_id from cart_payments where payment_id = ?", row!.payment_id)[0]!.customer_id;
    const same = await phone(server, customerId, tableId, sessionId);
    const replay = await same.command<any>("cart.pay", { method: "card", expectedTotalWon: 18_000 }, cmdId);
    if (at === "cart-pay-after-intent") assert.is(replay.ok ? "ok" : replay.error.code, "PAYMENT_DECLINED");
    else assert.is(replay.ok ? replay.data.payment.paymentId : replay.error.code, row!.payment_id);
    assert.is(cartRows(sessionId).length, 1);
    assert.is(sim.ledger().orders.filter((o) => o.orderId.length > 0 && cartRows(sessionId).some((r) => r.payment_id === o.orderId)).length, at === "cart-pay-after-intent" && !charge(row!.payment_id) ? 0 : 1);
    await guest.leave();
    await same.leave();
  });
}

t("a store that takes payment first: an unpaid cart cannot be sent; a store that takes it after: no cart payment", async () => {
  for (const [qrPayment, refused, rule] of [["before", "cart.confirm", "qr_prepay_required"], ["after", "cart.pay", "qr_prepay_off"]] as const) {
    const config = structuredClone(demoRawConfig) as any;
    config.stores[0].orders = { ...(config.stores[0].orders ?? {}), qrPayment };
    const dir = tempDir(`qrpay-${qrPayment}`);
    const other = await startServer({ dataDir: dir, env: { ...env(), CONFIG_FILE: writeConfig(dir, config) } });
    try {
      const { pos, guest } = await seated(other);
      const reply = await guest.command(refused, refused === "cart.pay" ? { method: "card", expectedTotalWon: 18_000 } : {});
      assert.is(reply.ok ? "ok" : reply.error.code, "FORBIDDEN");
      assert.is((reply as any).error.details.rule, rule);
      assert.is(batchCount(pos), 1);
      await pos.leave();
    } finally {
      await other.stop();
    }
  }
});

t.run();
