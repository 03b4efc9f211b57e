import { suite } from "uvu";
import * as assert from "uvu/assert";
import { countRows, eventually, query, startServer, type ServerProcess } from "../support/server-process.ts";
import { openTable, staff } from "../support/pos.ts";
import { kds, ticketsWith } from "../support/kitchen.ts";
import { PosClient } from "../../clients/pos-client.ts";

const t = suite("kitchen display: live tickets, actions, timings");
let server: ServerProcess;

t.before(async () => {
  server = await startServer();
});
t.after(async () => {
  await server.stop();
});

const order = { lines: [{ menuId: "kimchi-jjigae", quantity: 2, optionIds: ["hot"] }, { menuId: "beer", quantity: 1, optionIds: ["1000"] }] };

t("a confirm reaches the KDS of each station, and an all-stations KDS, with the right items", async () => {
  const kitchen = await kds(server, "kitchen");
  const bar = await kds(server, "bar");
  const all = await kds(server, "all");
  const pos = await openTable(await staff(server), "T1");
  const reply = await pos.command<{ itemIds: string[]; batchNo: number }>("confirm", order);
  assert.ok(reply.ok);
  if (!reply.ok) return;
  const [stew, beer] = reply.data.itemIds;
  await eventually(() => ticketsWith(kitchen, stew!).length === 1 && ticketsWith(bar, beer!).length === 1 && all.state.tickets.size >= 2, 3000, "tickets on screens");
  const ticket = ticketsWith(kitchen, stew!)[0];
  assert.is(ticket.tableName, "1번 테이블");
  assert.is(ticket.source, "pos");
  assert.is(ticket.kind, "new");
  assert.is(ticket.items.length, 1, "the kitchen screen shows only kitchen items");
  assert.is(ticket.items[0].name, "김치찌개");
  assert.equal([...ticket.items[0].options], ["매운맛"]);
  assert.is(ticketsWith(kitchen, beer!).length, 0);
  // All-day counts are recomputed a few times a second, not per event.
  await eventually(() => (all.state.allDay.get("kimchi-jjigae")?.quantity ?? 0) >= 2, 3000, "all-day count");
  for (const c of [kitchen, bar, all, pos]) await c.leave();
});

t("cook, cooked and served are separate, timed, persisted and visible on the POS", async () => {
  const kitchen = await kds(server, "kitchen");
  const pos = await openTable(await staff(server), "T2");
  const reply = await pos.command<{ itemIds: string[] }>("confirm", order);
  assert.ok(reply.ok);
  if (!reply.ok) return;
  const stew = reply.data.itemIds[0]!;
  await eventually(() => ticketsWith(kitchen, stew).length === 1, 3000, "ticket");
  const ticketId = ticketsWith(kitchen, stew)[0].ticketId;
  const early = await pos.command("item.serve", { itemIds: [stew] });
  assert.is(!early.ok && early.error.code, "INVALID_TRANSITION", "serve before cook");
  const started = await kitchen.command("kitchen.start", { ticketId });
  assert.ok(started.ok, JSON.stringify(started));
  await eventually(() => pos.state.items.get(stew)?.state === "cooking", 3000, "POS sees cooking");
  const cooked = await kitchen.command("kitchen.cooked", { ticketId });
  assert.ok(cooked.ok);
  await eventually(() => ticketsWith(kitchen, stew)[0]?.done === true, 3000, "ticket done on KDS");
  const served = await pos.command("item.serve", { itemIds: [stew] });
  assert.ok(served.ok, JSON.stringify(served));
  const row = query<{ state: string; cook_started_at: string; cooked_at: string; served_at: string }>(server.databaseFile, "select state, cook_started_at, cooked_at, served_at from order_items where item_id = ?", stew)[0]!;
  assert.is(row.state, "served");
  assert.ok(row.cook_started_at <= row.cooked_at && row.cooked_at <= row.served_at, JSON.stringify(row));
  const bump = await kitchen.command("ticket.bump", { ticketId });
  assert.ok(bump.ok);
  await eventually(() => !kitchen.state.tickets.has(ticketId), 3000, "bumped off the screen");
  const recall = await kitchen.command("ticket.recall", {});
  assert.ok(recall.ok, JSON.stringify(recall));
  await eventually(() => kitchen.state.tickets.has(ticketId), 3000, "recalled");
  const stale = await kitchen.command("ticket.recall", { ticketId });
  assert.is(!stale.ok && stale.error.code, "INVALID_TRANSITION", "recall of a ticket that is not bumped");
  const actions = query<{ action: string; actor_id: string }>(server.databaseFile, "select action, actor_id from audit_log where entity_id like ? or entity_id = ? order by seq", `%${stew}%`, ticketId).map((r) => `${r.actor_id}:${r.action}`);
  assert.equal(actions, ["k1:item.cooking", "k1:item.cooked", "s1:item.served", "k1:ticket.bump", "k1:ticket.recall"]);
  await kitchen.leave();
  await pos.leave();
});

t("cancel and quantity change reach the KDS as typed delta tickets and stay in history", async () => {
  const kitchen = await kds(server, "kitchen");
  const pos = await openTable(await staff(server), "T3");
  const reply = await pos.command<{ itemIds: string[] }>("confirm", { lines: [{ menuId: "jeyuk", quantity: 1 }, { menuId: "gyeran-mari", quantity: 1 }, { menuId: "rice", quantity: 2 }] });
  assert.ok(reply.ok);
  if (!reply.ok) return;
  const [jeyuk, egg, rice] = reply.data.itemIds as [string, string, string];
  await eventually(() => ticketsWith(kitchen, jeyuk).length === 1, 3000, "ticket");
  const cancel = await pos.command("item.cancel", { itemId: egg, reason: "손님 취소" });
  assert.ok(cancel.ok);
  await eventually(() => ticketsWith(kitchen, egg).some((t) => t.kind === "partial_cancel"), 3000, "partial cancel ticket");
  const original = ticketsWith(kitchen, egg).find((t) => t.kind === "new");
  assert.is([...original.items].find((i: any) => i.itemId === egg).state, "cancelled", "the original ticket shows the item cancelled");
  const change = await pos.command<{ newItemId: string }>("item.changeQuantity", { itemId: rice, quantity: 3, reason: "추가 요청" });
  assert.ok(change.ok);
  if (!change.ok) return;
  await eventually(() => ticketsWith(kitchen, change.data.newItemId).some((t) => t.kind === "change"), 3000, "change ticket");
  const delta = ticketsWith(kitchen, change.data.newItemId).find((t) => t.kind === "change");
  assert.equal([...delta.items].map((i: any) => [i.name, i.quantity, i.state]), [["공기밥", 2, "cancelled"], ["공기밥", 3, "waiting"]]);
  const history = query<{ type: string }>(server.databaseFile, "select type from session_events where session_id = ? order by seq", pos.state.sessionId).map((r) => r.type);
  assert.ok(history.join(",").includes("ItemCancelled,ItemAdded,KitchenTicketCreated"), history.join(","));
  const all = await pos.command("batch.cancel", { batchId: reply.data.itemIds[0]!.replace(/-1$/, ""), reason: "테이블 취소" });
  assert.ok(all.ok, JSON.stringify(all));
  await eventually(() => ticketsWith(kitchen, jeyuk).some((t) => t.kind === "cancel"), 3000, "full cancel ticket");
  const cookAfterCancel = await kitchen.command("kitchen.start", { ticketId: ticketsWith(kitchen, jeyuk).find((t) => t.kind === "new").ticketId, itemIds: [jeyuk] });
  assert.is(!cookAfterCancel.ok && cookAfterCancel.error.code, "ALREADY_CANCELLED");
  await kitchen.leave();
  await pos.leave();
});

t("a cooked item needs an admin or a reason code to cancel, and the audit says which", async () => {
  const kitchen = await kds(server, "kitchen");
  const pos = await openTable(await staff(server), "T4");
  const reply = await pos.command<{ itemIds: string[] }>("confirm", { lines: [{ menuId: "haemul-pajeon", quantity: 1 }] });
  assert.ok(reply.ok);
  if (!reply.ok) return;
  const item = reply.data.itemIds[0]!;
  await eventually(() => ticketsWith(kitchen, item).length === 1, 3000, "ticket");
  assert.ok((await kitchen.command("kitchen.cooked", { ticketId: ticketsWith(kitchen, item)[0].ticketId })).ok);
  await eventually(() => pos.state.items.get(item)?.state === "cooked", 3000, "cooked on POS");
  const before = countRows(server.databaseFile);
  const refused = await pos.command("item.cancel", { itemId: item, reason: "맛이 이상함" });
  assert.is(!refused.ok && refused.error.code, "FORBIDDEN");
  assert.equal(countRows(server.databaseFile), before);
  const allowed = await pos.command("item.cancel", { itemId: item, reason: "맛이 이상함", reasonCode: "quality" });
  assert.ok(allowed.ok, JSON.stringify(allowed));
  const audit = query<{ reason: string; before: string }>(server.databaseFile, "select reason, before from audit_log where action = 'item.cancel' and entity_id = ?", item)[0]!;
  assert.is(audit.reason, "quality: 맛이 이상함");
  assert.match(audit.before, /"state":"cooked"/);
  await kitchen.leave();
  await pos.leave();
});

t("all-day counts match the open items", async () => {
  const all = await kds(server, "all");
  const pos = await openTable(await staff(server), "T5");
  const openCount = () => query<{ n: number }>(server.databaseFile, "select coalesce(sum(i.quantity), 0) as n from order_items i join sessions s using (session_id) where i.menu_id = 'soju' and i.state in ('waiting', 'cooking') and s.status in ('open','in_kitchen','paying')")[0]!.n;
  assert.ok((await pos.command("confirm", { lines: [{ menuId: "soju", quantity: 4 }] })).ok);
  assert.ok((await pos.command("confirm", { lines: [{ menuId: "soju", quantity: 3 }] })).ok);
  await eventually(() => all.state.allDay.get("soju")?.quantity === openCount(), 3000, `all-day soju = ${openCount()}`);
  assert.ok(openCount() >= 7);
  await all.leave();
  await pos.leave();
});

t("86 and countdowns set from the kitchen are enforced at confirm and shown to the POS", async () => {
  const kitchen = await kds(server, "bar");
  const pos = await openTable(await staff(server), "T6");
  assert.ok((await kitchen.command("menu.stock", { menuId: "makgeolli", soldOut: false, remaining: 2 })).ok);
  await eventually(() => pos.state.stock.get("makgeolli")?.remaining === 2, 3000, "countdown on POS");
  const tooMany = await pos.command("confirm", { lines: [{ menuId: "makgeolli", quantity: 3 }] });
  assert.is(!tooMany.ok && tooMany.error.code, "SOLD_OUT");
  assert.ok((await pos.command("confirm", { lines: [{ menuId: "makgeolli", quantity: 2 }] })).ok);
  await eventually(() => pos.state.stock.get("makgeolli")?.soldOut === true, 3000, "ran out → sold out");
  const after = await pos.command("confirm", { lines: [{ menuId: "makgeolli", quantity: 1 }] });
  assert.is(!after.ok && after.error.code, "SOLD_OUT");
  const staffKds = await PosClient.login(server.endpoint, "demo", "s1", "1111");
  const { joinKitchen } = await import("../../clients/kitchen-client.ts");
  const asStaff = await joinKitchen(staffKds, "bar");
  const forbidden = await asStaff.command("menu.stock", { menuId: "soju", soldOut: true });
  assert.is(!forbidden.ok && forbidden.error.code, "FORBIDDEN");
  assert.ok((await kitchen.command("menu.stock", { menuId: "makgeolli", soldOut: false, remaining: null })).ok);
  for (const c of [kitchen, pos, asStaff]) await c.leave();
});

t("unknown and foreign tickets are refused without changes", async () => {
  const bar = await kds(server, "bar");
  const kitchen = await kds(server, "kitchen");
  const pos = await openTable(await staff(server), "T7");
  const reply = await pos.command<{ itemIds: string[] }>("confirm", { lines: [{ menuId: "jeyuk", quantity: 1 }] });
  assert.ok(reply.ok);
  if (!reply.ok) return;
  await eventually(() => ticketsWith(kitchen, reply.data.itemIds[0]!).length === 1, 3000, "ticket");
  const ticketId = ticketsWith(kitchen, reply.data.itemIds[0]!)[0].ticketId;
  const before = countRows(server.databaseFile);
  for (const [type, fields] of [["kitchen.start", { ticketId: "nope" }], ["kitchen.start", { ticketId }], ["ticket.bump", { ticketId }], ["item.missing", { itemId: reply.data.itemIds[0] }]] as const) {
    const r = await bar.command(type, fields);
    assert.is(!r.ok && r.error.code, "NOT_FOUND", `${type} from the bar screen: ${JSON.stringify(r)}`);
  }
  const foreignItem = await kitchen.command("kitchen.start", { ticketId, itemIds: ["other-item"] });
  assert.is(!foreignItem.ok && foreignItem.error.code, "NOT_FOUND");
  assert.equal(countRows(server.databaseFile), before);
  const missing = await kitchen.command("item.missing", { itemId: reply.data.itemIds[0], note: "전표 분실" });
  assert.ok(missing.ok, JSON.stringify(missing));
  await eventually(() => pos.state.items.get(reply.data.itemIds[0]!)?.missing === true, 3000, "front sees missing");
  for (const c of [bar, kitchen, pos]) await c.leave();
});

t("a customer (QR) token cannot join the kitchen or admin room, nor another table's room; one without its table binding is refused", async () => {
  // Minted with the test server's secret, bound to table T1 like a QR exchange would.
  const { SignJWT } = await import("jose");
  const sign = (claims: Record<string, unknown>) => new SignJWT({ store: "demo", role: "customer", name: "손님", ...claims })
    .setProtectedHeader({ alg: "HS256" }).setSubject("c1").setIssuer("table-session-server").setIssuedAt().setExpirationTime("1h")
    .sign(new TextEncoder().encode("test-secret-test-secret-test-secret!"));
  const { Client } = await import("@colyseus/sdk");
  const customer = new Client(server.endpoint);
  customer.http.authToken = await sign({ table: "T1", session: "s-1" });
  for (const [room, options] of [["kitchen", { storeId: "demo", stationId: "all" }], ["table", { storeId: "demo", tableId: "T2" }], ["admin", { storeId: "demo" }]] as const) {
    try {
      await customer.joinOrCreate(room, options);
      assert.unreachable(`customer joined ${room}`);
    } catch (error) {
      const e = error as { code?: number; message?: string };
      assert.is(e.code, 403, `${room}: ${e.message}`);
      assert.match(String(e.message), /^FORBIDDEN/);
    }
  }
  customer.http.authToken = await sign({});
  try {
    await customer.joinOrCreate("table", { storeId: "demo", tableId: "T1" });
    assert.unreachable("an unbound customer token joined a table");
  } catch (error) {
    assert.is((error as { code?: number }).code, 401);
  }
});

t("GET /api/kitchen/tickets answers the same view over HTTP, token-checked", async () => {
  const pos = await staff(server);
  const response = await fetch(`${server.endpoint}/api/kitchen/tickets?station=kitchen`, { headers: { authorization: `Bearer ${pos.session.token}` } });
  const body = (await response.json()) as { ok: boolean; data: { tickets: { stationId: string; items: unknown[] }[] } };
  assert.ok(body.ok);
  assert.ok(body.data.tickets.length > 0);
  assert.ok(body.data.tickets.every((t) => t.stationId === "kitchen" && t.items.length > 0));
  const anonymous = await fetch(`${server.endpoint}/api/kitchen/tickets`);
  assert.is(anonymous.status, 401);
});

t.run();
