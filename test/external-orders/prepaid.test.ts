/**
 * Prepaid app orders (issue 12 item 5, R-TLL-3, R-ACC-6): paid before they were sent, they count
 * in the paid amount and never in the outstanding one; the rest of the table is paid together.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { eventually, query, startServer, tempDir, writeConfig, type ServerProcess } from "../support/server-process.ts";
import { openTable, staff } from "../support/pos.ts";
import type { PosClient, TableConnection } from "../../clients/pos-client.ts";
import { appConfig, beerLine, kimchiLine, order, outcome, rowsOf } from "./support.ts";

const t = suite("prepaid app orders: counted as paid, excluded from what the table still owes");

let server: ServerProcess;
let pos: PosClient;

t.before(async () => {
  server = await startServer({ env: { CONFIG_FILE: writeConfig(tempDir("app-prepaid"), appConfig()) } });
  pos = await staff(server);
});
t.after(async () => {
  await server?.stop();
});

const provider = { name: "toss", approvalNo: "30012345", transactionId: "tgen_20261203_0001", approvedAt: "2026-12-03T12:00:00+09:00", cardIssuer: "신한", maskedCardNo: "5417-07**-****-5678", raw: { mId: "baemin01", status: "DONE" } };
const prepaid = (amount: number) => ({ method: "card", amount, provider });

async function ok<T = any>(table: TableConnection, type: string, fields: Record<string, unknown> = {}): Promise<T> {
  const reply = await table.command<T>(type, fields);
  if (!reply.ok) throw new Error(`${type}: ${JSON.stringify(reply.error)}`);
  return reply.data;
}

const n = (value: unknown) => Number(value);

t("prepaid app + unpaid app + POS order: the prepaid part is paid, one cash payment of the outstanding amount closes the table", async () => {
  const table = await openTable(pos, "T1");
  const sessionId = table.state.sessionId;
  // kimchi ×2 = 18,000, paid in the app.
  const paidInApp = await order(server, { orderId: "pp-1", tableId: "T1", items: [kimchiLine], prepaid: prepaid(18_000) });
  assert.is(outcome(paidInApp), "201");
  assert.is(paidInApp.body.data.prepaid, true);
  assert.type(paidInApp.body.data.paymentId, "string");
  await eventually(() => n(table.state.paidWon) === 18_000, 3_000, "the prepaid amount at the POS");
  assert.is(n(table.state.outstandingWon), 0);
  // Settled by a confirm is not a reason to close: the guests are still eating (decide.ts closesWhenSettled).
  assert.ok(["open", "in_kitchen", "paying"].includes(table.state.status), table.state.status);
  // A replay answers the same payment and records no second one.
  const replay = await order(server, { orderId: "pp-1", tableId: "T1", items: [kimchiLine], prepaid: prepaid(18_000) });
  assert.is(outcome(replay), "200");
  assert.is(replay.body.data.paymentId, paidInApp.body.data.paymentId);

  // Unpaid app order (beer 5,000) and a POS order (jeyuk 11,000).
  assert.is(outcome(await order(server, { orderId: "pp-2", tableId: "T1", items: [beerLine] })), "201");
  await ok(table, "confirm", { lines: [{ menuId: "jeyuk", quantity: 1 }] });
  await eventually(() => n(table.state.outstandingWon) === 16_000, 3_000, "outstanding = unpaid app + POS");
  assert.is(n(table.state.paidWon), 18_000);
  assert.is(n(table.state.sessionTotalWon), 34_000);
  const quote = await ok(table, "payment.quote");
  assert.is(quote.payableWon, 16_000, "the prepaid order is not asked for again");

  const cash = await ok(table, "payment.start", { method: "cash", amount: quote.payableWon });
  assert.is(cash.status, "approved");
  const session = query<{ status: string; total_won: number }>(server.databaseFile, "select status, total_won from sessions where session_id = ?", sessionId)[0]!;
  assert.is(session.status, "closed");
  assert.is(session.total_won, 34_000);
  const payments = query<{ method: string; status: string; approved_won: number; provider: string | null; approval_no: string | null; masked_card_no: string | null }>(
    server.databaseFile, "select method, status, approved_won, provider, approval_no, masked_card_no from payments where session_id = ? order by requested_at, method", sessionId,
  );
  assert.equal(payments.map((p) => `${p.method} ${p.status} ${p.approved_won}`).sort(), ["card approved 18000", "cash approved 16000"]);
  const card = payments.find((p) => p.method === "card")!;
  assert.equal([card.provider, card.approval_no, card.masked_card_no], ["toss", "30012345", "5417-07**-****-5678"]);
  await table.leave();
});

t("a prepaid amount that is not the menu total is refused 422 PRICE_MISMATCH and writes nothing", async () => {
  const table = await openTable(pos, "T2");
  const before = rowsOf(server);
  for (const amount of [17_999, 18_001, 0]) {
    const answer = await order(server, { orderId: `pm-${amount}`, tableId: "T2", items: [kimchiLine], prepaid: prepaid(amount) });
    assert.is(outcome(answer), "422 PRICE_MISMATCH", String(amount));
    assert.equal(answer.body.error.details, { rule: "prepaid_mismatch", amount, total: 18_000 });
  }
  assert.equal(rowsOf(server), before);
  assert.is(n(table.state.paidWon), 0);
  await table.leave();
});

t("a full card number, an unknown method or a provider without its keys is refused 400 and writes nothing", async () => {
  const table = await openTable(pos, "T3");
  const before = rowsOf(server);
  const bodies = [
    { ...prepaid(18_000), provider: { ...provider, maskedCardNo: "5417071234565678" } },
    { ...prepaid(18_000), method: "cash" },
    { ...prepaid(18_000), provider: { ...provider, approvalNo: undefined } },
    { ...prepaid(18_000), provider: { ...provider, approvedAt: "yesterday" } },
    { ...prepaid(18_000), amount: 18_000.5 },
  ];
  for (const [i, paid] of bodies.entries()) {
    const answer = await order(server, { orderId: `pb-${i}`, tableId: "T3", items: [kimchiLine], prepaid: paid });
    assert.is(outcome(answer), "400 BAD_REQUEST", JSON.stringify(paid));
  }
  assert.equal(rowsOf(server), before);
  await table.leave();
});

t.run();
