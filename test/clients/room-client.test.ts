import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ClientError, joinKitchenRoom, joinTable, staffLogin, type ConnectionStatus, type RoomClient, type StaffSession, type TableClient } from "../../clients/index.ts";
import type { RoomName } from "../../protocol/index.ts";
import { eventually, query, startServer, type ServerProcess } from "../support/server-process.ts";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.ts";

/**
 * The client library against a real server (child process) and real SDK sockets, with the link
 * broken at the transport by a loopback TCP proxy: cut (RST), paused (silent half-open), and the
 * server killed and restarted.
 */
const t = suite("client library: typed commands, heartbeat, reconnection");
let server: ServerProcess;
let proxy: TcpProxy;
let waiter: StaffSession;
let cook: StaffSession;

/**
 * Short bounds so a dead link is noticed within about 2.5 s, yet loose enough that a loaded
 * machine (a slow ping answer) does not look like a dead link.
 */
const fast = { heartbeatMs: 500, heartbeatTimeoutMs: 2_000, commandTimeoutMs: 8_000, rejoinDelayMs: 100, rejoinDelayMaxMs: 500, reconnectStallMs: 6_000 };
const stew = { menuId: "kimchi-jjigae", quantity: 1, optionIds: ["hot"] };

t.before(async () => {
  server = await startServer();
  proxy = await startTcpProxy(server.port);
  waiter = await staffLogin(server.endpoint, "demo", "s1", "1111");
  cook = await staffLogin(server.endpoint, "demo", "k1", "5555");
});
t.after(async () => {
  await proxy.close();
  await server.stop();
});

/** A table client through the proxy, with an open session. */
async function tableViaProxy(tableId: string): Promise<TableClient> {
  const table = await joinTable({ endpoint: proxy.endpoint, token: waiter.token }, { storeId: "demo", tableId }, fast);
  if (table.state.status !== "open") {
    const opened = await table.command("session.open", { guests: 2 });
    assert.ok(opened.ok, JSON.stringify(opened));
  }
  return table;
}

function statusLog(client: RoomClient<RoomName>): ConnectionStatus[] {
  const seen: ConnectionStatus[] = [];
  client.onStatus((status) => seen.push(status));
  return seen;
}

/** A bounded wait for a promise (a broken replay would otherwise hang the suite). */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

const batchesOf = (databaseFile: string, cmdId: string) => query<{ n: number }>(databaseFile, "select count(*) as n from order_batches where cmd_id = ?", cmdId)[0]!.n;

t("a typed command round-trips: ok data, and a refusal with its wire code", async () => {
  const table = await tableViaProxy("T1");
  // Types come from the zod schemas (checked by tsc; never called).
  void (() => {
    // @ts-expect-error: a field the confirm command does not have
    void table.command("confirm", { bogus: 1 });
    // @ts-expect-error: not a table command
    void table.command("kitchen.start", { ticketId: "x" });
    // @ts-expect-error: draft.add needs menuId and quantity
    void table.command("draft.add");
  });
  // The heartbeat's ping is answered by every room (rooms/command-pipeline.ts).
  assert.equal(await table.room.request("ping", {}), { pong: true });
  const added = await table.command("draft.add", stew);
  assert.ok(added.ok, JSON.stringify(added));
  const confirmed = await table.command<"confirm", { batchId: string; itemIds: string[] }>("confirm", {});
  assert.ok(confirmed.ok, JSON.stringify(confirmed));
  if (confirmed.ok) assert.is(confirmed.data.itemIds.length, 1);
  const refused = await table.command("draft.change", { lineId: "no-such-line", quantity: 2 });
  assert.ok(!refused.ok && refused.error.code === "NOT_FOUND", JSON.stringify(refused));
  // The same cmdId again: the first reply, nothing changes.
  const cmdId = globalThis.crypto.randomUUID();
  const first = await table.command("confirm", { lines: [stew] }, { cmdId });
  const again = await table.command("confirm", { lines: [stew] }, { cmdId });
  assert.equal(again, first);
  assert.is(batchesOf(server.databaseFile, cmdId), 1);
  await table.leave();
  assert.is(table.status, "offline");
  await table.command("draft.clear").then(
    () => assert.unreachable("a command after leave() must reject"),
    (error: unknown) => assert.ok(error instanceof ClientError && error.code === "CLIENT_LEFT"),
  );
});

t("socket cut while a confirm is in flight: it resolves once with the server's reply, one batch", async () => {
  const table = await tableViaProxy("T2");
  const statuses = statusLog(table);
  let reconnections = 0;
  table.onReconnected(() => reconnections++);
  const cmdId = globalThis.crypto.randomUUID();
  const batchesBefore = table.state.batchCount;
  // The server runs the confirm; its reply (which carries the cmdId) is dropped and the link reset.
  proxy.cutOn("toClient", (chunk) => chunk.includes(cmdId));
  const reply = await within(table.command<"confirm", { batchId: string }>("confirm", { lines: [stew, stew] }, { cmdId }), 15_000, "the confirm's reply");
  assert.ok(reply.ok, JSON.stringify(reply));
  assert.is(reply.cmdId, cmdId);
  assert.is(batchesOf(server.databaseFile, cmdId), 1, "the replay changed nothing");
  await eventually(() => table.state.batchCount >= batchesBefore + 1, 3_000, "the batch count");
  assert.is(table.state.batchCount, batchesBefore + 1, "exactly one batch more on the table");
  assert.ok(statuses.includes("reconnecting"), `went through reconnecting: ${statuses.join(",")}`);
  assert.is(table.status, "online");
  assert.ok(reconnections >= 1, "onReconnected fired");
  assert.is(table.pendingCount, 0);
  if (reply.ok) await eventually(() => table.state.batches.has(reply.data.batchId), 3_000, "the batch in the state");
  await table.leave();
});

t("half-open link: the heartbeat notices, commands wait, and after it heals the state is current", async () => {
  const table = await tableViaProxy("T3");
  const other = await joinTable(waiter, { storeId: "demo", tableId: "T3" }, fast);
  proxy.pause();
  await eventually(() => table.status === "reconnecting", fast.heartbeatMs + fast.heartbeatTimeoutMs + 3_000, "the heartbeat to notice the dead link");
  // Meanwhile another terminal confirms; and this one sends a command while it is down.
  const elsewhere = await other.command<"confirm", { version: number }>("confirm", { lines: [stew] });
  assert.ok(elsewhere.ok, JSON.stringify(elsewhere));
  const waiting = table.command("draft.add", stew);
  proxy.resume();
  await eventually(() => table.status === "online", 20_000, "back online");
  const added = await within(waiting, 10_000, "the command sent while the link was down");
  assert.ok(added.ok, JSON.stringify(added));
  await eventually(() => table.state.version === other.state.version && table.state.draft.size === other.state.draft.size, 3_000, "the same state on both terminals");
  if (elsewhere.ok) assert.ok(table.state.version >= elsewhere.data.version);
  await other.leave();
  await table.leave();
});

t("onReconnected fires once the full current state arrived (not at the SDK's onReconnect)", async () => {
  const table = await tableViaProxy("T6");
  const other = await joinTable(waiter, { storeId: "demo", tableId: "T6" }, fast);
  const versionsAtReconnect: number[] = [];
  table.onReconnected(() => versionsAtReconnect.push(table.state.version));
  proxy.pause();
  const elsewhere = await other.command<"confirm", { version: number }>("confirm", { lines: [stew] });
  assert.ok(elsewhere.ok, JSON.stringify(elsewhere));
  // The patch with that confirm dies with the held bytes: only the resync can tell this terminal.
  proxy.cut();
  proxy.resume();
  await eventually(() => versionsAtReconnect.length > 0, 20_000, "the reconnection");
  assert.is(versionsAtReconnect[0], elsewhere.ok ? elsewhere.data.version : -1);
  assert.is(table.status, "online");
  await other.leave();
  await table.leave();
});

t("server killed and restarted: the client joins afresh and a command after it works", async () => {
  const dataDir = server.dataDir;
  const table = await joinTable(waiter, { storeId: "demo", tableId: "T4" }, { ...fast, sdkRetriesMax: 3 });
  const opened = await table.command("session.open", { guests: 3 });
  assert.ok(opened.ok, JSON.stringify(opened));
  const fresh: boolean[] = [];
  table.onReconnected(({ fresh: f }) => fresh.push(f));
  const sessionId = table.state.sessionId;
  await proxy.close();
  await server.kill();
  await eventually(() => table.status === "reconnecting", 5_000, "the drop noticed");
  server = await startServer({ dataDir, port: server.port });
  proxy = await startTcpProxy(server.port);
  await eventually(() => table.status === "online", 30_000, "rejoined the restarted server");
  assert.is(fresh.at(-1), true, "a fresh join (the old seat died with the server)");
  assert.is(table.state.sessionId, sessionId, "the same session, loaded from the database");
  const confirmed = await within(table.command("confirm", { lines: [stew] }), 10_000, "a confirm after the restart");
  assert.ok(confirmed.ok, JSON.stringify(confirmed));
  await table.leave();
});

t("a kitchen display reconnects too (its room holds no seat: a fresh join) and sees new tickets", async () => {
  const kds = await joinKitchenRoom({ endpoint: proxy.endpoint, token: cook.token }, { storeId: "demo", stationId: "kitchen" }, fast);
  const fresh: boolean[] = [];
  kds.onReconnected(({ fresh: f }) => fresh.push(f));
  proxy.cut();
  await eventually(() => fresh.includes(true) && kds.status === "online", 20_000, "the KDS back online, on a fresh join");
  const table = await joinTable(waiter, { storeId: "demo", tableId: "T5" }, fast);
  if (table.state.status !== "open") await table.command("session.open", { guests: 1 });
  const confirmed = await table.command<"confirm", { itemIds: string[] }>("confirm", { lines: [stew] });
  assert.ok(confirmed.ok, JSON.stringify(confirmed));
  const itemId = confirmed.ok ? confirmed.data.itemIds[0] : "";
  await eventually(() => [...kds.state.tickets.values()].some((ticket: any) => [...ticket.items].some((i: any) => i.itemId === itemId)), 5_000, "the ticket on the reconnected KDS");
  const started = await kds.command("kitchen.start", { ticketId: [...kds.state.tickets.values()].find((ticket: any) => [...ticket.items].some((i: any) => i.itemId === itemId)).ticketId });
  assert.ok(started.ok, JSON.stringify(started));
  await table.leave();
  await kds.leave();
});

t.run();
