import { suite } from "uvu";
import * as assert from "uvu/assert";
import { countRows, eventually, query, startServer, type ServerProcess } from "../support/server-process.ts";
import { kds } from "../support/kitchen.ts";
import { openTable, staff } from "../support/pos.ts";

/**
 * Rules the code gets right today that nothing else pins: each test here fails when the rule is
 * broken (test/mutation/faults.ts names the deliberate fault each one catches).
 */
const t = suite("pinned rules: racing stock, stock on quantity increases, all-day counts after cancels");
let server: ServerProcess;

t.before(async () => {
  server = await startServer();
});
t.after(async () => server.stop());

const liveItemsOf = (sessionId: string, menuId: string) =>
  query<{ n: number }>(server.databaseFile, "select coalesce(sum(quantity), 0) as n from order_items where session_id = ? and menu_id = ? and state != 'cancelled'", sessionId, menuId)[0]!.n;

t("two tables racing for the last portions: exactly one wins, and each table shows what the database holds", async () => {
  const kitchen = await kds(server, "bar");
  assert.ok((await kitchen.command("menu.stock", { menuId: "makgeolli", soldOut: false, remaining: 1 })).ok);
  const a = await openTable(await staff(server), "T1");
  const b = await openTable(await staff(server, "s2", "2222"), "T2");
  await eventually(() => a.state.stock.get("makgeolli")?.remaining === 1 && b.state.stock.get("makgeolli")?.remaining === 1, 3000, "countdown on both");
  const [ra, rb] = await Promise.all([a, b].map((table) => table.command("confirm", { lines: [{ menuId: "makgeolli", quantity: 1 }] })));
  const wins = [ra, rb].filter((r) => r!.ok).length;
  assert.is(wins, 1, JSON.stringify([ra, rb]));
  const loser = ra!.ok ? rb! : ra!;
  assert.is(!loser.ok && loser.error.code, "SOLD_OUT");
  // No phantom: a table's room state counts exactly the items its session has in SQLite.
  for (const table of [a, b]) {
    const shown = [...table.state.items.values()].filter((i: any) => i.menuId === "makgeolli" && i.state !== "cancelled").reduce((n: number, i: any) => n + i.quantity, 0);
    assert.is(shown, liveItemsOf(table.state.sessionId, "makgeolli"), `table ${table.state.tableId}`);
  }
  await eventually(() => a.state.stock.get("makgeolli")?.soldOut === true, 3000, "ran out → sold out");
  assert.ok((await kitchen.command("menu.stock", { menuId: "makgeolli", soldOut: false, remaining: null })).ok);
  for (const c of [kitchen, a, b]) await c.leave();
});

t("a quantity increase takes portions from the countdown and is refused past it; a decrease takes none", async () => {
  const kitchen = await kds(server, "bar");
  const pos = await openTable(await staff(server), "T3");
  assert.ok((await kitchen.command("menu.stock", { menuId: "makgeolli", soldOut: false, remaining: 5 })).ok);
  await eventually(() => pos.state.stock.get("makgeolli")?.remaining === 5, 3000, "countdown 5");
  const confirmed = await pos.command<{ itemIds: string[] }>("confirm", { lines: [{ menuId: "makgeolli", quantity: 1 }] });
  assert.ok(confirmed.ok, JSON.stringify(confirmed));
  if (!confirmed.ok) return;
  await eventually(() => pos.state.stock.get("makgeolli")?.remaining === 4, 3000, "countdown 4 after the confirm");
  const before = countRows(server.databaseFile);
  const tooMany = await pos.command("item.changeQuantity", { itemId: confirmed.data.itemIds[0], quantity: 6, reason: "단체 추가" });
  assert.is(!tooMany.ok && tooMany.error.code, "SOLD_OUT", JSON.stringify(tooMany));
  assert.equal(countRows(server.databaseFile), before, "a refused increase writes nothing");
  const more = await pos.command<{ newItemId: string }>("item.changeQuantity", { itemId: confirmed.data.itemIds[0], quantity: 3, reason: "두 병 추가" });
  assert.ok(more.ok, JSON.stringify(more));
  if (!more.ok) return;
  // 1 → 3 takes the two extra portions only.
  await eventually(() => pos.state.stock.get("makgeolli")?.remaining === 2, 3000, "countdown 2 after the increase");
  const fewer = await pos.command("item.changeQuantity", { itemId: more.data.newItemId, quantity: 2, reason: "한 병 취소" });
  assert.ok(fewer.ok, JSON.stringify(fewer));
  const remaining = query<{ remaining: number }>(server.databaseFile, "select remaining from menu_stock where menu_id = 'makgeolli'")[0]?.remaining;
  assert.is(remaining, 2, "a decrease gives nothing back and takes nothing");
  assert.ok((await kitchen.command("menu.stock", { menuId: "makgeolli", soldOut: false, remaining: null })).ok);
  await kitchen.leave();
  await pos.leave();
});

t("cancelled items leave the kitchen's all-day counts: a whole item, a partial change and a whole batch", async () => {
  const all = await kds(server, "all");
  const pos = await openTable(await staff(server), "T4");
  const sessionOpen = (menuId: string) => query<{ n: number }>(server.databaseFile,
    "select coalesce(sum(i.quantity), 0) as n from order_items i join sessions s using (session_id) where i.menu_id = ? and i.state in ('waiting', 'cooking') and s.status in ('open','in_kitchen','paying')", menuId)[0]!.n;
  const shown = (menuId: string) => all.state.allDay.get(menuId)?.quantity ?? 0;
  const first = await pos.command<{ itemIds: string[]; batchId: string }>("confirm", { lines: [{ menuId: "jeyuk", quantity: 4 }, { menuId: "gyeran-mari", quantity: 2 }] });
  assert.ok(first.ok, JSON.stringify(first));
  if (!first.ok) return;
  await eventually(() => shown("jeyuk") === sessionOpen("jeyuk") && sessionOpen("jeyuk") >= 4, 3000, "jeyuk counted");
  const partial = await pos.command("item.changeQuantity", { itemId: first.data.itemIds[0], quantity: 1, reason: "세 개 취소" });
  assert.ok(partial.ok, JSON.stringify(partial));
  await eventually(() => shown("jeyuk") === sessionOpen("jeyuk"), 3000, `jeyuk after the partial cancel = ${sessionOpen("jeyuk")}`);
  const cancelled = await pos.command("item.cancel", { itemId: first.data.itemIds[1], reason: "손님 요청", reasonCode: "customer_request" });
  assert.ok(cancelled.ok, JSON.stringify(cancelled));
  await eventually(() => shown("gyeran-mari") === sessionOpen("gyeran-mari"), 3000, `gyeran-mari after the cancel = ${sessionOpen("gyeran-mari")}`);
  const second = await pos.command<{ batchId: string }>("confirm", { lines: [{ menuId: "jeyuk", quantity: 2 }] });
  assert.ok(second.ok);
  if (!second.ok) return;
  await eventually(() => shown("jeyuk") === sessionOpen("jeyuk"), 3000, "jeyuk after the second batch");
  const batch = await pos.command("batch.cancel", { batchId: second.data.batchId, reason: "주문 실수", reasonCode: "wrong_order" });
  assert.ok(batch.ok, JSON.stringify(batch));
  await eventually(() => shown("jeyuk") === sessionOpen("jeyuk"), 3000, `jeyuk after the batch cancel = ${sessionOpen("jeyuk")}`);
  await all.leave();
  await pos.leave();
});

t.run();

