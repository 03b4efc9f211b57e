/**
 * App orders over HTTP (issue 12 item 3, R-TLL-1): real server process, real POS client, the
 * route as an ordering app calls it.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { eventually, query, startServer, tempDir, writeConfig, type ServerProcess } from "../support/server-process.ts";
import { openTable, staff } from "../support/pos.ts";
import type { PosClient } from "../../clients/pos-client.ts";
import { appConfig, beerLine, gangnamAppKey, kimchiAndBeerWon, kimchiLine, order, outcome, rowsOf } from "./support.ts";

const t = suite("app orders: attach to the table's open session, source app, one batch per order id");

let server: ServerProcess;
let pos: PosClient;

t.before(async () => {
  server = await startServer({ env: { CONFIG_FILE: writeConfig(tempDir("app-orders"), appConfig()) } });
  pos = await staff(server);
});
t.after(async () => {
  await server?.stop();
});

const batchesOf = (sessionId: string) => query<{ batch_id: string; source: string; total_won: number; cmd_id: string }>(server.databaseFile, "select batch_id, source, total_won, cmd_id from order_batches where session_id = ?", sessionId);

t("an app order joins the open session as an app batch, priced from the menu, and the POS sees its items with source app", async () => {
  const table = await openTable(pos, "T1");
  const placed = await order(server, { orderId: "baemin-1001", tableId: "T1", items: [kimchiLine, beerLine] });
  assert.is(outcome(placed), "201");
  const data = placed.body.data;
  assert.is(data.orderId, "baemin-1001");
  assert.is(data.tableId, "T1");
  assert.is(data.sessionId, table.state.sessionId);
  assert.is(data.totalWon, kimchiAndBeerWon);
  assert.is(data.prepaid, false);
  assert.is(data.paymentId, undefined);
  assert.is(data.itemIds.length, 2);
  await eventually(() => table.state.items.size === 2, 3_000, "the app items at the POS");
  const items = [...table.state.items.values()];
  assert.equal(items.map((i: any) => i.source), ["app", "app"]);
  assert.equal(items.map((i: any) => i.itemId).sort(), [...data.itemIds].sort());
  const batch = table.state.batches.get(data.batchId);
  assert.ok(batch, "the batch is in the POS state");
  assert.is(batch.source, "app");
  assert.is(Number(batch.totalWon), kimchiAndBeerWon);
  assert.equal(batchesOf(data.sessionId), [{ batch_id: data.batchId, source: "app", total_won: kimchiAndBeerWon, cmd_id: "baemin-1001" }]);
  const audit = query<{ actor_id: string; actor_role: string }>(server.databaseFile, "select actor_id, actor_role from audit_log where cmd_id = ?", "baemin-1001");
  assert.ok(audit.length > 0 && audit.every((a) => a.actor_id === "app:baemin" && a.actor_role === "system"), "audited as the integration");
  await table.leave();
});

t("a replayed order id answers the first reply with 200 and makes no second batch, also when it names the table by its key", async () => {
  const table = await openTable(pos, "T5");
  const body = { orderId: "baemin-2001", tableId: "T5", items: [kimchiLine] };
  const first = await order(server, body);
  assert.is(outcome(first), "201");
  const again = await order(server, body);
  assert.is(outcome(again), "200");
  assert.equal(again.body.data, first.body.data);
  // The same order with the table named by the app's key ("A-5" → T5) and an explicit empty note is the same order.
  const byKey = await order(server, { orderId: "baemin-2001", tableKey: "A-5", items: [{ ...kimchiLine, note: "" }] });
  assert.is(outcome(byKey), "200");
  assert.equal(byKey.body.data, first.body.data);
  assert.is(batchesOf(first.body.data.sessionId).length, 1);
  await table.leave();
});

t("two identical requests racing make one batch: one 201, the other replays it", async () => {
  const table = await openTable(pos, "T2");
  const body = { orderId: "baemin-3001", tableId: "T2", items: [kimchiLine, beerLine] };
  const answers = await Promise.all([order(server, body), order(server, body), order(server, body)]);
  assert.equal(answers.map(outcome).sort(), ["200", "200", "201"]);
  assert.is(new Set(answers.map((a) => a.body.data.batchId)).size, 1);
  assert.is(batchesOf(table.state.sessionId).length, 1);
  await table.leave();
});

t("the same order id with another body is refused 409 CMD_ID_REUSED and writes nothing", async () => {
  const table = await openTable(pos, "T3");
  assert.is(outcome(await order(server, { orderId: "baemin-4001", tableId: "T3", items: [kimchiLine] })), "201");
  const before = rowsOf(server);
  for (const other of [
    { orderId: "baemin-4001", tableId: "T3", items: [beerLine] },
    { orderId: "baemin-4001", tableId: "T3", items: [{ ...kimchiLine, quantity: 3 }] },
    { orderId: "baemin-4001", tableId: "T4", items: [kimchiLine] },
  ]) {
    const answer = await order(server, other);
    assert.is(outcome(answer), "409 CMD_ID_REUSED", JSON.stringify(other));
  }
  assert.equal(rowsOf(server), before);
  await table.leave();
});

t("a table with no open session is refused 409 NO_SESSION and no session is opened; a closed one likewise", async () => {
  const before = rowsOf(server);
  const none = await order(server, { orderId: "baemin-5001", tableId: "T9", items: [kimchiLine] });
  assert.is(outcome(none), "409 NO_SESSION");
  assert.equal(rowsOf(server), before);
  assert.is(query(server.databaseFile, "select 1 from sessions where table_id = 'T9'").length, 0);
  const table = await openTable(pos, "T10");
  const closed = await table.command("session.close", { reason: "guests left" });
  assert.ok(closed.ok, JSON.stringify(closed));
  const afterClose = rowsOf(server);
  assert.is(outcome(await order(server, { orderId: "baemin-5002", tableId: "T10", items: [kimchiLine] })), "409 NO_SESSION");
  assert.equal(rowsOf(server), afterClose);
  await table.leave();
});

t("unknown table, table key, menu item or store, a sold-out item and bad options are typed errors and write nothing", async () => {
  const table = await openTable(pos, "T6");
  const before = rowsOf(server);
  const cases: [unknown, string][] = [
    [{ orderId: "x-1", tableId: "T99", items: [kimchiLine] }, "404 NOT_FOUND"],
    [{ orderId: "x-2", tableKey: "B-1", items: [kimchiLine] }, "404 NOT_FOUND"],
    [{ orderId: "x-3", storeId: "nowhere", tableId: "T6", items: [kimchiLine] }, "404 NOT_FOUND"],
    [{ orderId: "x-4", tableId: "T6", items: [kimchiLine, { menuId: "pizza", quantity: 1 }] }, "404 NOT_FOUND"],
    [{ orderId: "x-5", tableId: "T6", items: [{ menuId: "special", quantity: 1 }] }, "409 SOLD_OUT"],
    [{ orderId: "x-6", tableId: "T6", items: [{ menuId: "kimchi-jjigae", quantity: 1 }] }, "400 INVALID_OPTIONS"],
    [{ orderId: "x-7", tableId: "T6", items: [{ menuId: "cola", quantity: 0 }] }, "400 INVALID_QUANTITY"],
  ];
  for (const [body, expected] of cases) {
    const answer = await order(server, body);
    assert.is(outcome(answer), expected, JSON.stringify(body));
  }
  const unknownItem = await order(server, { orderId: "x-4", tableId: "T6", items: [{ menuId: "pizza", quantity: 1 }] });
  assert.is(unknownItem.body.error.details.rule, "unknown_menu_item");
  assert.equal(rowsOf(server), before);
  assert.is(table.state.items.size, 0);
  // A refusal is not remembered: the same order id, corrected, goes through.
  assert.is(outcome(await order(server, { orderId: "x-4", tableId: "T6", items: [{ menuId: "cola", quantity: 1 }] })), "201");
  await table.leave();
});

t("client-sent prices and other unknown fields are refused 400 and never used; malformed bodies too", async () => {
  const table = await openTable(pos, "T7");
  const before = rowsOf(server);
  const bodies: unknown[] = [
    { orderId: "p-1", tableId: "T7", items: [{ ...beerLine, price: 1 }] },
    { orderId: "p-2", tableId: "T7", items: [{ ...beerLine, unitPrice: 1 }] },
    { orderId: "p-3", tableId: "T7", items: [{ ...beerLine, total: 1 }] },
    { orderId: "p-4", tableId: "T7", items: [beerLine], total: 1 },
    { orderId: "p-5", tableId: "T7", tableKey: "A-5", items: [beerLine] },
    { orderId: "p-6", items: [beerLine] },
    { orderId: "has space", tableId: "T7", items: [beerLine] },
    { orderId: "o".repeat(65), tableId: "T7", items: [beerLine] },
    { orderId: "p-9", tableId: "T7", items: [] },
    { orderId: "p-10", tableId: "T7", items: Array.from({ length: 101 }, () => ({ menuId: "cola", quantity: 1 })) },
    { orderId: "p-11", tableId: "T7", items: [{ menuId: "cola", quantity: 1.5 }] },
    [],
  ];
  for (const body of bodies) {
    const answer = await order(server, body);
    assert.is(outcome(answer), "400 BAD_REQUEST", JSON.stringify(body).slice(0, 120));
  }
  assert.equal(rowsOf(server), before);
  await table.leave();
});

t("a wrong or missing key is 401, another store's integration is 403, and neither writes anything", async () => {
  const table = await openTable(pos, "T8");
  const before = rowsOf(server);
  const body = { orderId: "k-1", tableId: "T8", items: [beerLine] };
  assert.is(outcome(await order(server, body, "not-the-key")), "401 UNAUTHORIZED");
  assert.is(outcome(await order(server, body, null)), "401 UNAUTHORIZED");
  // The hash itself is not the key.
  assert.is(outcome(await order(server, body, appConfig().integrations[0]!.apiKeySha256)), "401 UNAUTHORIZED");
  assert.is(outcome(await order(server, { ...body, storeId: "demo" }, gangnamAppKey)), "403 FORBIDDEN");
  assert.equal(rowsOf(server), before);
  // Without storeId the gangnam app orders for gangnam, where T8 has no session.
  assert.is(outcome(await order(server, body, gangnamAppKey)), "409 NO_SESSION");
  assert.equal(rowsOf(server), before);
  await table.leave();
});

t.run();
