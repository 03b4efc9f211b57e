import { suite } from "uvu";
import * as assert from "uvu/assert";
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { joinTable, staffLogin, type TableClient } from "../../clients/index.ts";
import { OfflineQueue, type QueueOwner, type SendCommand } from "../../clients/offline-queue.ts";
import { FileQueueStore } from "../../clients/node/file-queue-store.ts";
import type { LineInput } from "../../protocol/table-commands.ts";
import type { Reply } from "../../protocol/reply.ts";
import { demoRawConfig } from "../../server/config/index.ts";
import { countRows, eventually, freePort, query, startServer, tempDir, type ServerProcess } from "../support/server-process.ts";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.ts";

/**
 * Issue 13 item 6 (R-OFF-2), end to end: a POS behind a TCP proxy loses its link at the
 * transport (not by `leave`), queues confirms and a cash payment in a file, the server is
 * SIGKILLed and restarted meanwhile, and the POS replays the queue once it is back online.
 */
const t = suite("offline POS: a durable queue replayed after a cut link and a server kill");

/** Snappy reconnection for a test; every wait stays bounded. */
const settings = { heartbeatMs: 300, heartbeatTimeoutMs: 1_000, sdkRetriesMax: 1, rejoinDelayMs: 100, rejoinDelayMaxMs: 300, joinTimeoutMs: 3_000 };
const queued: LineInput[][] = [
  [{ menuId: "kimchi-jjigae", quantity: 2, optionIds: ["hot", "rice"] }],
  [{ menuId: "soju", quantity: 3 }, { menuId: "cola", quantity: 1 }],
  [{ menuId: "beer", quantity: 2, optionIds: ["1000"] }, { menuId: "haemul-pajeon", quantity: 1, note: "바삭하게" }],
];

/** What the POS computes from its own menu copy (the demo config), never a hard-coded figure. */
function linesTotal(lines: readonly LineInput[]): number {
  const menu = demoRawConfig.stores[0]!.menu;
  return lines.reduce((sum, line) => {
    const item = menu.find((m) => m.id === line.menuId)!;
    const choices = (item.optionGroups ?? []).flatMap((g) => g.choices);
    const unit = item.price + (line.optionIds ?? []).reduce((s, id) => s + choices.find((c) => c.id === id)!.priceDelta, 0);
    return sum + unit * line.quantity;
  }, 0);
}

/** The queue's narrow `send`, over the typed client library. */
function sendVia(table: TableClient): SendCommand {
  return ({ type, cmdId, ...fields }) => table.command(type, fields as never, { cmdId }) as Promise<Reply>;
}

async function pos(endpoint: string, staffId: string, pin: string, tableId: string): Promise<{ table: TableClient; owner: QueueOwner }> {
  const session = await staffLogin(endpoint, "demo", staffId, pin);
  const table = await joinTable(session, { storeId: "demo", tableId }, settings);
  return { table, owner: { storeId: session.storeId, tableId, staffId: session.staffId } };
}

async function must(table: TableClient, type: "session.open" | "confirm" | "payment.start", fields: object): Promise<any> {
  const reply = await table.command(type, fields as never);
  if (!reply.ok) throw new Error(`${type}: ${JSON.stringify(reply.error)}`);
  return reply.data;
}

/** Cuts the link at the transport and keeps refusing: new connections reach a port nobody listens on. */
async function goOffline(proxy: TcpProxy, table: TableClient): Promise<void> {
  proxy.retarget(await freePort());
  proxy.cut();
  await eventually(() => table.status === "reconnecting", 5_000, "the POS to notice the cut link");
}

const sessionOf = (server: ServerProcess, tableId: string) =>
  query<{ session_id: string; status: string; total_won: number }>(server.databaseFile, "select session_id, status, total_won from sessions where table_id = ? order by opened_at desc limit 1", tableId)[0]!;
const refusal = (reply: Reply) => (reply.ok ? "ok" : `${reply.error.code}:${(reply.error.details as { rule?: string; field?: string } | undefined)?.field ?? ""}`);

t("queued confirms and a cash payment take effect exactly once, in order, across a server kill; a second replay changes nothing", async () => {
  const dataDir = tempDir("offline-pos");
  let server = await startServer({ dataDir });
  const proxy = await startTcpProxy(server.port);
  const { table, owner } = await pos(proxy.endpoint, "s1", "1111", "T3");
  try {
    await must(table, "session.open", { guests: 3 });
    await goOffline(proxy, table);

    const file = join(dataDir, "pos-queue", "T3.json");
    const queue = await OfflineQueue.open(new FileQueueStore(file), owner);
    for (const lines of queued) assert.ok((await queue.enqueue({ type: "confirm", lines })).ok);
    const due = queued.reduce((sum, lines) => sum + linesTotal(lines), 0);
    assert.ok((await queue.enqueue({ type: "payment.start", method: "cash", amount: due, tendered: due + 4_000 })).ok);
    const card = await queue.enqueue({ type: "payment.start", method: "card", amount: due });
    assert.is(!card.ok && card.error.code, "NOT_QUEUEABLE");

    // The server dies and comes back on the same data while the POS is still cut off.
    await server.kill();
    server = await startServer({ dataDir, port: server.port });
    assert.is(table.status, "reconnecting");
    proxy.retarget(server.port);
    await eventually(() => table.status === "online", 20_000, "the POS back online after the restart");

    // The POS app restarted too: its queue comes back from the file.
    const reloaded = await OfflineQueue.open(new FileQueueStore(file), owner);
    assert.equal(reloaded.entries, queue.entries);
    const copy = join(dataDir, "pos-queue", "T3-copy.json");
    copyFileSync(file, copy);
    const ids = reloaded.entries.map((e) => e.cmdId);
    const first: Reply[] = [];
    const result = await reloaded.replay(owner, sendVia(table), (_entry, reply) => first.push(reply));
    assert.equal(result, { status: "done", sent: 4 }, JSON.stringify(first));
    assert.is(reloaded.length, 0);
    assert.equal(first.map((r) => r.cmdId), ids);
    assert.equal(first.slice(0, 3).map((r) => r.ok && (r.data as { batchNo: number }).batchNo), [1, 2, 3]);
    const paid = first[3]!.ok ? (first[3]!.data as { approvedWon: number; changeWon: number; outstandingWon: number; sessionStatus: string }) : undefined;
    assert.equal(paid && { approved: paid.approvedWon, change: paid.changeWon, outstanding: paid.outstandingWon, status: paid.sessionStatus }, { approved: due, change: 4_000, outstanding: 0, status: "closed" });

    // Exactly once, in queue order, and the totals add up.
    const session = sessionOf(server, "T3");
    assert.equal({ status: session.status, total: session.total_won }, { status: "closed", total: due });
    const batches = query<{ cmd_id: string; batch_no: number; total_won: number }>(server.databaseFile, "select cmd_id, batch_no, total_won from order_batches where session_id = ? order by batch_no", session.session_id);
    assert.equal(batches, ids.slice(0, 3).map((cmdId, i) => ({ cmd_id: cmdId, batch_no: i + 1, total_won: linesTotal(queued[i]!) })));
    const payments = query<{ method: string; approved_won: number; status: string }>(server.databaseFile, "select method, approved_won, status from payments where session_id = ?", session.session_id);
    assert.equal(payments, [{ method: "cash", approved_won: due, status: "approved" }]);
    const order = query<{ cmd_id: string }>(server.databaseFile, "select cmd_id, min(seq) as first from session_events where session_id = ? and cmd_id in (?, ?, ?, ?) group by cmd_id order by first", session.session_id, ...ids);
    assert.equal(order.map((r) => r.cmd_id), ids, "the payment after the three confirms");

    // The same queue replayed again (its copy): the first replies, nothing written.
    const before = countRows(server.databaseFile);
    const again = await OfflineQueue.open(new FileQueueStore(copy), owner);
    const second: Reply[] = [];
    assert.equal(await again.replay(owner, sendVia(table), (_entry, reply) => second.push(reply)), { status: "done", sent: 4 });
    assert.equal(second, first);
    assert.equal(countRows(server.databaseFile), before);
  } finally {
    await table.leave();
    await proxy.close();
    await server.stop();
  }
});

t("replayed by another staff or at another table: refused by the library and by the server; a confirm for a table closed meanwhile stops the replay typed", async () => {
  const server = await startServer();
  const proxy = await startTcpProxy(server.port);
  const s1 = await pos(proxy.endpoint, "s1", "1111", "T5");
  const s2 = await pos(server.endpoint, "s2", "2222", "T5");
  const elsewhere = await pos(server.endpoint, "s1", "1111", "T6");
  try {
    await must(s1.table, "session.open", { guests: 2 });
    const online = await must(s1.table, "confirm", { lines: queued[0] });
    await goOffline(proxy, s1.table);
    const queue = await OfflineQueue.open(new FileQueueStore(join(tempDir("offline-foreign"), "T5.json")), s1.owner);
    for (const lines of queued.slice(1)) assert.ok((await queue.enqueue({ type: "confirm", lines })).ok);
    const bodies = queue.entries.map((e) => e.body);

    // Another login, or the same login at another table: the library refuses, and sent raw the server does too.
    const before = countRows(server.databaseFile);
    const foreign = await queue.replay(s2.owner, sendVia(s2.table));
    assert.is(foreign.status === "refused" && foreign.error.code, "FOREIGN_ORIGIN");
    await must(elsewhere.table, "session.open", { guests: 1 });
    const afterOpen = countRows(server.databaseFile);
    assert.equal((await Promise.all(bodies.map((b) => sendVia(s2.table)(b)))).map(refusal), ["FORBIDDEN:staffId", "FORBIDDEN:staffId"]);
    assert.equal((await Promise.all(bodies.map((b) => sendVia(elsewhere.table)(b)))).map(refusal), ["FORBIDDEN:tableId", "FORBIDDEN:tableId"]);
    assert.equal(countRows(server.databaseFile), afterOpen);
    assert.is(afterOpen.order_batches, before.order_batches);

    // Meanwhile the other terminal takes the whole bill in cash: the table closes.
    const closing = await must(s2.table, "payment.start", { method: "cash", amount: online.sessionTotalWon });
    assert.is(closing.sessionStatus, "closed");

    proxy.retarget(server.port);
    await eventually(() => s1.table.status === "online", 20_000, "the POS back online");
    const seen: string[] = [];
    const result = await queue.replay(s1.owner, sendVia(s1.table), (_entry, reply) => seen.push(refusal(reply)));
    assert.is(result.status, "stopped");
    assert.is(result.status === "stopped" && !result.reply.ok && result.reply.error.code, "SESSION_CLOSED");
    assert.equal(seen, ["SESSION_CLOSED:"], "nothing after the refusal was sent");
    assert.equal(queue.entries.map((e) => e.cmdId), bodies.map((b) => b.cmdId), "both still wait for a person");
    assert.is(queue.held?.cmdId, bodies[0]!.cmdId);
    const session = sessionOf(server, "T5");
    assert.is(query(server.databaseFile, "select 1 from order_batches where session_id = ?", session.session_id).length, 1);
  } finally {
    for (const c of [s1, s2, elsewhere]) await c.table.leave();
    await proxy.close();
    await server.stop();
  }
});

t("the server refuses a day-old queue and a card payment marked offline; nothing changes", async () => {
  const server = await startServer();
  const { table, owner } = await pos(server.endpoint, "s1", "1111", "T7");
  try {
    await must(table, "session.open", { guests: 2 });
    const before = countRows(server.databaseFile);
    const stale = await OfflineQueue.open(new FileQueueStore(join(tempDir("offline-stale"), "T7.json")), owner, { now: () => Date.now() - 25 * 60 * 60 * 1000 });
    assert.ok((await stale.enqueue({ type: "confirm", lines: queued[1]! })).ok);
    const result = await stale.replay(owner, sendVia(table));
    assert.is(result.status === "stopped" && refusal(result.reply), "FORBIDDEN:queuedAt");
    const offline = { ...owner, queuedAt: new Date().toISOString() };
    const card = await table.command("payment.start", { method: "card", amount: 1_000, offline });
    assert.is(refusal(card), "FORBIDDEN:method");
    assert.equal(countRows(server.databaseFile), before);
  } finally {
    await table.leave();
    await server.stop();
  }
});

t.run();
