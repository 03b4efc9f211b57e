import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Client, type Room } from "@colyseus/sdk";
import { PosClient, TableConnection } from "../../clients/pos-client.ts";
import { eventually, startServer, type ServerProcess } from "../support/server-process.ts";
import { kds } from "../support/kitchen.ts";
import { openTable, staff, kimchi, beer } from "../support/pos.ts";
import { customerToken, phone as phoneOf } from "../support/phone.ts";

// Issue #12: phones (customer role) in the table's own room. Real server, real SDK clients; what a
// phone may see is checked on its decoded state (Colyseus StateView), never trusted from the server.
const t = suite("QR customers in the table room");

let server: ServerProcess;
t.before(async () => {
  server = await startServer();
});
t.after(async () => {
  await server?.stop();
});

function phone(customerId: string, tableId: string, sessionId: string): Promise<TableConnection> {
  return phoneOf(server, customerId, tableId, sessionId);
}

/** The real path: an admin's QR link for the table, exchanged by the phone for its customer token. */
async function phoneViaQr(tableId: string): Promise<{ table: TableConnection; customerId: string }> {
  const admin = await PosClient.login(server.endpoint, "demo", "a1", "9999");
  const qr = await (await fetch(`${server.endpoint}/api/tables/${tableId}/qr`, { headers: { authorization: `Bearer ${admin.session.token}` } })).json() as { data: { url: string } };
  const tableToken = qr.data.url.split("/q/")[1]!;
  const exchanged = await (await fetch(`${server.endpoint}/api/qr/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ tableToken }) })).json() as { ok: boolean; data: { token: string; customerId: string } };
  assert.ok(exchanged.ok, JSON.stringify(exchanged));
  const sdk = new Client(server.endpoint);
  sdk.http.authToken = exchanged.data.token;
  const room: Room = await sdk.joinOrCreate("table", { storeId: "demo", tableId });
  await new Promise<void>((resolve) => room.onStateChange.once(() => resolve()));
  return { table: new TableConnection(room), customerId: exchanged.data.customerId };
}

async function ok<T = any>(table: TableConnection, type: string, fields: Record<string, unknown> = {}): Promise<T> {
  const reply = await table.command<T>(type, fields);
  if (!reply.ok) throw new Error(`${type}: ${JSON.stringify(reply.error)}`);
  return reply.data;
}

async function code(table: TableConnection, type: string, fields: Record<string, unknown> = {}): Promise<string> {
  const reply = await table.command(type, fields);
  return reply.ok ? "ok" : reply.error.code;
}

t("two phones and a POS on one table: own carts, hidden staff fields, a qr batch with its badge that staff cannot cancel", async () => {
  const pos = await openTable(await staff(server), "T6");
  await ok(pos, "confirm", { lines: [{ ...kimchi, note: "김사장님 단골, 서비스 챙길 것" }] });
  await ok(pos, "payment.start", { method: "cash", amount: 1_000 });
  await ok(pos, "draft.add", { menuId: "beer", quantity: 1, optionIds: ["500"] });
  const sessionId = pos.state.sessionId as string;
  const kitchen = await kds(server, "all");
  const scanned = await phoneViaQr("T6");
  const one = scanned.table;
  const two = await phone("cust-two", "T6", sessionId);

  await ok(one, "cart.add", kimchi);
  await ok(two, "cart.add", beer);
  await eventually(() => one.state.carts?.size === 1 && two.state.carts?.size === 1 && pos.state.carts?.size === 2, 5_000, "carts on every view");
  assert.equal([...one.state.carts.keys()], [scanned.customerId]);
  assert.equal([...two.state.carts.keys()], ["cust-two"]);
  // What a guest must never see: staff notes, the staff draft, payment details, adjustments.
  const item = [...one.state.items.values()][0];
  assert.ok(item && item.name.length > 0, "confirmed items are visible");
  assert.not.ok("note" in item && item.note, "staff notes are hidden");
  // (a `.view()` collection arrives absent or empty, never with the staff's entries)
  assert.is(pos.state.payments.size, 1);
  assert.is(one.state.payments?.size ?? 0, 0);
  assert.is(one.state.draft?.size ?? 0, 0);
  assert.is(one.state.adjustments?.size ?? 0, 0);
  assert.is(one.state.outstandingWon, pos.state.outstandingWon, "the balance is shown");
  assert.is([...pos.state.items.values()][0].note, "김사장님 단골, 서비스 챙길 것", "staff still see notes");
  assert.is(pos.state.draft.size, 1);

  const batch = await ok(one, "cart.confirm");
  await eventually(() => one.state.carts.get(scanned.customerId)?.lines.size === 0, 5_000, "the cart empties");
  assert.is(two.state.carts.get("cust-two").lines.size, 1, "the other phone's cart is untouched");
  const qrItemId = batch.itemIds[0] as string;
  await eventually(() => pos.state.items.get(qrItemId)?.source === "qr", 5_000, "the QR badge at the POS");
  await eventually(() => [...kitchen.state.tickets.values()].some((t: any) => t.source === "qr"), 5_000, "the QR badge on the KDS");

  // R-TLL-2: staff cannot cancel a QR item; an admin can, with a reason.
  const cancel = await pos.command("item.cancel", { itemId: qrItemId, reason: "손님 변심" });
  assert.is(cancel.ok ? "ok" : cancel.error.code, "FORBIDDEN");
  assert.is((cancel as any).error.details.rule, "remote_order_locked");
  const admin = await (await PosClient.login(server.endpoint, "demo", "a1", "9999")).joinTable("T6");
  await ok(admin, "item.cancel", { itemId: qrItemId, reason: "손님 변심" });

  // A phone may not send staff commands.
  for (const type of ["confirm", "payment.start", "item.cancel", "draft.add", "session.close"]) {
    assert.is(await code(one, type, type === "payment.start" ? { method: "cash", amount: 1 } : type === "item.cancel" ? { itemId: qrItemId, reason: "x" } : type === "draft.add" ? kimchi : {}), "FORBIDDEN", type);
  }
  await Promise.all([one, two, pos, admin].map((c) => c.leave()));
  await kitchen.room.leave();
});

t("limits: cart size, confirms per token, staff calls reach the POS and are rate-limited", async () => {
  const pos = await openTable(await staff(server), "T7");
  const calls: unknown[] = [];
  pos.room.onMessage("staffCall", (call) => calls.push(call));
  const sessionId = pos.state.sessionId as string;
  const guest = await phone("cust-limits", "T7", sessionId);
  for (let i = 0; i < 20; i++) await ok(guest, "cart.add", { menuId: "beer", quantity: 1, optionIds: ["500"] });
  assert.is(await code(guest, "cart.add", { menuId: "beer", quantity: 1, optionIds: ["500"] }), "LIMIT_EXCEEDED");
  await ok(guest, "cart.clear");
  for (let i = 0; i < 3; i++) {
    await ok(guest, "cart.add", beer);
    await ok(guest, "cart.confirm");
  }
  await ok(guest, "cart.add", beer);
  assert.is(await code(guest, "cart.confirm"), "RATE_LIMITED");
  await ok(guest, "staff.call", { note: "물 주세요" });
  await ok(guest, "staff.call");
  assert.is(await code(guest, "staff.call"), "RATE_LIMITED");
  await eventually(() => calls.length === 2, 5_000, "two staff calls at the POS");
  await Promise.all([guest, pos].map((c) => c.leave()));
});

t("a customer token dies with its session: the phone is sent away, and the old token cannot join again", async () => {
  const pos = await openTable(await staff(server), "T8");
  const sessionId = pos.state.sessionId as string;
  const guest = await phone("cust-late", "T8", sessionId);
  const left = new Promise<number>((resolve) => guest.room.onLeave((code) => resolve(code)));
  await ok(pos, "session.close", { reason: "" });
  assert.is(await left, 4401);
  try {
    await phone("cust-late", "T8", sessionId);
    assert.unreachable("a dead customer token joined");
  } catch (error) {
    assert.is((error as { code?: number }).code, 401);
  }
  // Another table's session id does not help either.
  await ok(pos, "session.open", { guests: 1 });
  try {
    await phone("cust-late", "T8", sessionId);
    assert.unreachable("an old session's token joined the new session");
  } catch (error) {
    assert.is((error as { code?: number }).code, 401);
  }
  await pos.leave();
});

t.run();
