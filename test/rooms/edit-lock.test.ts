import { suite } from "uvu";
import * as assert from "uvu/assert";
import { SignJWT } from "jose";
import { Client, type Room } from "@colyseus/sdk";
import { PosClient, TableConnection } from "../../clients/pos-client.ts";
import { startTcpProxy } from "../support/tcp-proxy.ts";
import { ConfigError, demoRawConfig, parseConfig } from "../../server/config/index.ts";
import { countRows, eventually, query, startServer, tempDir, writeConfig, type ServerProcess } from "../support/server-process.ts";
import { kimchi, openTable, staff } from "../support/pos.ts";

// R-CON-1, issue 13 item 3: the table edit lock on a real server with real SDK clients. The store
// allows TTLs of 1 s to 600 s, so the expiry test waits about a second (for the state, never a sleep).
const t = suite("table edit lock");
let server: ServerProcess;

t.before(async () => {
  const config = structuredClone(demoRawConfig) as Record<string, any>;
  config.stores[0].locks = { ttlSeconds: 60, minTtlSeconds: 1, maxTtlSeconds: 600 };
  const dir = tempDir("edit-lock");
  server = await startServer({ dataDir: dir, env: { CONFIG_FILE: writeConfig(dir, config) } });
});
t.after(async () => {
  await server?.stop();
});

type LockView = { holderStaffId: string; holderName: string; holderTerminal: string; takenAt: string; expiresAt: string };

async function ok<T = any>(table: TableConnection, type: string, fields: Record<string, unknown> = {}, cmdId?: string): Promise<T> {
  const reply = await table.command<T>(type, fields, cmdId);
  if (!reply.ok) throw new Error(`${type}: ${JSON.stringify(reply.error)}`);
  return reply.data;
}

async function refusal(table: TableConnection, type: string, fields: Record<string, unknown> = {}): Promise<{ code: string; details?: any }> {
  const reply = await table.command(type, fields);
  if (reply.ok) throw new Error(`${type} was accepted: ${JSON.stringify(reply.data)}`);
  return reply.error;
}

function lockOf(table: TableConnection): LockView | undefined {
  return table.state.lock?.get("table");
}

function lockRows(tableId: string): { actor_id: string; action: string; reason: string | null; before: string | null; after: string | null; cmd_id: string | null }[] {
  return query(server.databaseFile, "select actor_id, action, reason, before, after, cmd_id from audit_log where entity_type = 'table' and entity_id = ? order by seq", tableId);
}

t("a terminal takes the lock: the other sees holder and expiry, its changes get LOCKED and change nothing; the holder's pass", async () => {
  const a = await openTable(await staff(server), "T1");
  const b = await (await staff(server, "s2", "2222")).joinTable("T1");
  const batch = await ok<{ itemIds: string[] }>(a, "confirm", { lines: [kimchi] });
  const taken = await ok<LockView>(a, "lock.take", { reason: "payment" }, "lock-take-T1-0001");
  assert.is(taken.holderStaffId, "s1");
  assert.is(taken.holderTerminal, a.room.sessionId);
  assert.ok(Date.parse(taken.expiresAt) - Date.parse(taken.takenAt) === 60_000, "the store's default TTL");
  await eventually(() => lockOf(b)?.expiresAt === taken.expiresAt, 3_000, "the lock on terminal B");
  assert.is(lockOf(b)!.holderName, "김민수");

  const before = countRows(server.databaseFile);
  const version = b.state.version;
  const expected = { rule: "lock_held", holderStaffId: "s1", holderName: "김민수", expiresAt: taken.expiresAt };
  for (const [type, fields] of [
    ["confirm", { lines: [kimchi] }],
    ["item.cancel", { itemId: batch.itemIds[0], reason: "wrong table", reasonCode: "wrong_order" }],
    ["payment.start", { method: "cash", amount: 1_000 }],
    ["draft.add", kimchi],
    ["lock.take", {}],
  ] as const) {
    const error = await refusal(b, type, fields);
    assert.equal([error.code, error.details], ["LOCKED", expected], type);
  }
  const release = await refusal(b, "lock.release");
  assert.equal([release.code, release.details], ["FORBIDDEN", { ...expected, rule: "not_lock_holder" }]);
  assert.ok((await b.command("payment.quote")).ok, "reads pass the lock");
  assert.equal(countRows(server.databaseFile), before, "refused commands write nothing");
  assert.is(b.state.version, version);
  assert.is(b.state.draft.size, 0);

  // A replayed take answers the first reply and writes no second row.
  assert.equal(await ok(a, "lock.take", { reason: "payment" }, "lock-take-T1-0001"), taken);
  await ok(a, "item.cancel", { itemId: batch.itemIds[0], reason: "wrong table", reasonCode: "wrong_order" });
  assert.equal(await ok(a, "lock.release"), { released: true });
  await eventually(() => lockOf(b) === undefined, 3_000, "the lock gone on terminal B");
  await ok(b, "draft.add", kimchi);
  const rows = lockRows("T1");
  assert.equal(rows.map((r) => [r.actor_id, r.action, r.reason]), [["s1", "lock.take", "payment"], ["s1", "lock.release", null]]);
  assert.equal(JSON.parse(rows[1]!.before!), taken);
  await a.leave();
  await b.leave();
});

/** A customer token as the QR exchange makes it (test/e2e/qr-customers.test.ts). */
async function phone(customerId: string, tableId: string, sessionId: string): Promise<TableConnection> {
  const token = await new SignJWT({ store: "demo", role: "customer", name: "손님", table: tableId, session: sessionId })
    .setProtectedHeader({ alg: "HS256" }).setSubject(customerId).setIssuer("table-session-server").setIssuedAt().setExpirationTime("1h")
    .sign(new TextEncoder().encode("test-secret-test-secret-test-secret!"));
  const sdk = new Client(server.endpoint);
  sdk.http.authToken = token;
  const room: Room = await sdk.joinOrCreate("table", { storeId: "demo", tableId });
  await new Promise<void>((resolve) => room.onStateChange.once(() => resolve()));
  return new TableConnection(room);
}

t("a QR phone still orders while staff hold the lock, and never sees the lock", async () => {
  const a = await openTable(await staff(server), "T2");
  const taken = await ok<LockView>(a, "lock.take");
  const guest = await phone("cust-lock", "T2", a.state.sessionId);
  await ok(guest, "cart.add", kimchi);
  const batch = await ok<{ batchNo: number }>(guest, "cart.confirm");
  assert.is(batch.batchNo, 1);
  await eventually(() => a.state.batchCount === 1, 3_000, "the qr batch on the POS");
  assert.is(guest.state.lock?.size ?? 0, 0, "a phone's view holds no lock");
  assert.is(lockOf(a)?.expiresAt, taken.expiresAt);
  await guest.leave();
  await a.leave();
});

t("the lock expires on its own: every staff view sees it go and it is audited as the system's step", async () => {
  const a = await openTable(await staff(server), "T3");
  const b = await (await staff(server, "s2", "2222")).joinTable("T3");
  await ok(a, "lock.take", { ttlSeconds: 1 });
  await eventually(() => lockOf(b) !== undefined, 3_000, "the lock on B");
  assert.is((await refusal(b, "draft.add", kimchi)).code, "LOCKED");
  await eventually(() => lockOf(a) === undefined && lockOf(b) === undefined, 5_000, "the lock expired on both terminals");
  await ok(b, "draft.add", kimchi);
  assert.equal(lockRows("T3").map((r) => [r.actor_id, r.action]), [["s1", "lock.take"], ["system", "lock.expire"]]);
  await a.leave();
  await b.leave();
});

t("an admin takes over a held lock with a reason; staff and a blank reason are refused; each step is audited", async () => {
  const a = await openTable(await staff(server), "T4");
  const b = await (await staff(server, "s2", "2222")).joinTable("T4");
  const admin = await (await staff(server, "a1", "9999")).joinTable("T4");
  const held = await ok<LockView>(a, "lock.take", { ttlSeconds: 300 });
  await eventually(() => lockOf(admin) !== undefined, 3_000, "the lock on the admin's terminal");
  assert.is((await refusal(b, "lock.takeover", { reason: "guest left" })).code, "FORBIDDEN");
  assert.is((await refusal(admin, "lock.takeover", { reason: " " })).code, "REASON_REQUIRED");
  assert.is((await refusal(admin, "lock.release")).code, "FORBIDDEN", "an admin ends another's lock only by takeover");
  const over = await ok<LockView>(admin, "lock.takeover", { reason: "terminal 1 froze" });
  assert.is(over.holderStaffId, "a1");
  await eventually(() => lockOf(a)?.holderStaffId === "a1", 3_000, "the new holder on A");
  const error = await refusal(a, "draft.add", kimchi);
  assert.equal([error.code, error.details.holderStaffId], ["LOCKED", "a1"]);
  const rows = lockRows("T4");
  assert.equal(rows.map((r) => [r.actor_id, r.action, r.reason]), [["s1", "lock.take", null], ["a1", "lock.takeover", "terminal 1 froze"]]);
  assert.equal(JSON.parse(rows[1]!.before!), held);
  await a.leave();
  await b.leave();
  await admin.leave();
});

t("the holder's terminal keeps the lock across a dropped connection, and frees it when it leaves", async () => {
  // A reaches the server through a loopback TCP proxy, so its link can be cut at the transport
  // (the SDK's socket is ws's on Node 20 and the built-in WebSocket on Node 22).
  const proxy = await startTcpProxy(server.port);
  const a = await openTable(await PosClient.login(proxy.endpoint, "demo", "s1", "1111"), "T5");
  const b = await (await staff(server, "s2", "2222")).joinTable("T5");
  const taken = await ok<LockView>(a, "lock.take");
  await eventually(() => lockOf(b) !== undefined, 3_000, "the lock on B");
  // Cut A's link: it reconnects with the same sessionId and stays the holder.
  a.room.reconnection.minUptime = 0; // the SDK reconnects only rooms up for 5 s by default
  const reconnected = new Promise<void>((resolve) => a.room.onReconnect.once(() => resolve()));
  proxy.cut();
  await reconnected;
  assert.is(a.room.sessionId, taken.holderTerminal);
  await ok(a, "draft.add", kimchi);
  assert.is(lockOf(b)?.holderTerminal, taken.holderTerminal);
  await a.leave();
  await eventually(() => lockOf(b) === undefined, 3_000, "the lock freed when its holder left");
  await ok(b, "draft.clear");
  assert.equal(lockRows("T5").map((r) => [r.actor_id, r.action, r.reason]), [["s1", "lock.take", null], ["system", "lock.free", "holder left"]]);
  await b.leave();
  await proxy.close();
});

t("closing the session frees the lock", async () => {
  const a = await openTable(await staff(server), "T6");
  const b = await (await staff(server, "s2", "2222")).joinTable("T6");
  await ok(a, "lock.take");
  await eventually(() => lockOf(b) !== undefined, 3_000, "the lock on B");
  await ok(a, "session.close");
  await eventually(() => lockOf(b) === undefined, 3_000, "the lock freed with the session");
  assert.equal(lockRows("T6").map((r) => [r.actor_id, r.action, r.reason]), [["s1", "lock.take", null], ["system", "lock.free", "session ended"]]);
  await a.leave();
  await b.leave();
});

t("a TTL of 0 or a year is BAD_REQUEST with the store's bounds, and writes nothing", async () => {
  const a = await openTable(await staff(server), "T7");
  const before = countRows(server.databaseFile);
  for (const ttlSeconds of [0, 365 * 24 * 3600]) {
    const error = await refusal(a, "lock.take", { ttlSeconds });
    assert.equal([error.code, error.details], ["BAD_REQUEST", { rule: "ttl_out_of_range", min: 1, max: 600, requested: ttlSeconds }]);
  }
  assert.is((await refusal(a, "lock.take", { ttlSeconds: 1.5 })).code, "BAD_REQUEST");
  assert.equal(countRows(server.databaseFile), before);
  assert.is(lockOf(a), undefined);
  await a.leave();
});

t("the store config's lock TTLs: defaults 120 / 5 / 1800, and min <= ttl <= max is enforced naming the field", () => {
  assert.equal(parseConfig(demoRawConfig, "demo").stores[0]!.locks, { ttlSeconds: 120, minTtlSeconds: 5, maxTtlSeconds: 1800 });
  const refused = (locks: unknown): string => {
    const config = structuredClone(demoRawConfig) as Record<string, any>;
    config.stores[0].locks = locks;
    try {
      parseConfig(config, "test");
      return "accepted";
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return error.message;
    }
  };
  assert.match(refused({ ttlSeconds: 10, minTtlSeconds: 20 }), "stores[0].locks.minTtlSeconds");
  assert.match(refused({ ttlSeconds: 3000 }), "stores[0].locks.maxTtlSeconds");
  assert.match(refused({ ttlSeconds: 0 }), "stores[0].locks.ttlSeconds");
  assert.match(refused({ maxTtlSeconds: 365 * 24 * 3600 }), "stores[0].locks.maxTtlSeconds");
  assert.is(refused({ ttlSeconds: 30, minTtlSeconds: 30, maxTtlSeconds: 30 }), "accepted");
});

t.run();
