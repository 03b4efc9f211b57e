/**
 * R-OFF-1, idle timeout, end to end: real server processes, real SDK clients, the real database.
 * A session nobody touches for the store's idle time moves to timed_out, with no terminal
 * connected and across a restart (the sweeper reads the database, it holds no timer per table);
 * its balance stays due and is reported; staff resume it or it is paid and closes as usual.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { SignJWT } from "jose";
import { Client, type Room } from "@colyseus/sdk";
import { demoRawConfig } from "../../server/config/index.ts";
import { TableConnection } from "../../clients/pos-client.ts";
import { countRows, eventually, query, startServer, tempDir, writeConfig, type ServerProcess } from "../support/server-process.ts";
import { beer, kimchi, openTable, staff } from "../support/pos.ts";
import { call, dataOf, tokenOf } from "../reports/support.ts";

const t = suite("idle timeout: durable, with no client connected, across a restart");

/** Generous bound for anything the sweeper does (it looks every 200 ms here). */
const sweepWaitMs = 15_000;

function configWith(idleTimeoutSeconds: number, dir: string): string {
  const demo = demoRawConfig.stores[0]!;
  return writeConfig(dir, { ...demoRawConfig, stores: [{ ...demo, sessions: { idleTimeoutSeconds } }] });
}

function statusOf(server: ServerProcess, sessionId: string): string | undefined {
  return query<{ status: string }>(server.databaseFile, "select status from sessions where session_id = ?", sessionId)[0]?.status;
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

/** Opens the table, orders, and leaves: no terminal stays connected. */
async function orderAndLeave(server: ServerProcess, tableId: string): Promise<{ sessionId: string; totalWon: number }> {
  const pos = await staff(server);
  const table = await openTable(pos, tableId);
  const confirmed = await ok<{ sessionTotalWon: number }>(table, "confirm", { lines: [kimchi, beer] });
  const sessionId = table.state.sessionId as string;
  await table.leave();
  return { sessionId, totalWon: confirmed.sessionTotalWon };
}

let server: ServerProcess;
t.before(async () => {
  server = await startServer({ env: { CONFIG_FILE: configWith(2, tempDir("idle")), IDLE_SWEEP_INTERVAL_MS: "200" } });
});
t.after(async () => {
  await server?.stop();
});

t("with nobody connected the session times out; its balance is reported; staff resume it, or it is paid and closes", async () => {
  const t1 = await orderAndLeave(server, "T1");
  const t2 = await orderAndLeave(server, "T2");
  await eventually(() => statusOf(server, t1.sessionId) === "timed_out" && statusOf(server, t2.sessionId) === "timed_out", sweepWaitMs, "both sessions to time out");
  const audit = query<{ action: string; actor_id: string; actor_role: string }>(server.databaseFile, "select action, actor_id, actor_role from audit_log where session_id = ? order by seq", t1.sessionId);
  assert.equal(audit.at(-1), { action: "session.timeout", actor_id: "system", actor_role: "system" });

  // Never lost: the sales report lists both tables with what they owe, and the daily close warns.
  const admin = await tokenOf(server, "a1", "9999");
  const report = dataOf(await call(server, "GET", "/api/reports/sales", admin)).report;
  const open = (report.openTables as { sessionId: string; status: string; outstandingWon: number }[]).map((o) => [o.sessionId, o.status, o.outstandingWon]);
  assert.equal(open.sort(), [[t1.sessionId, "timed_out", t1.totalWon], [t2.sessionId, "timed_out", t2.totalWon]].sort());
  const close = dataOf(await call(server, "POST", "/api/reports/close", admin, {}));
  const warnings = (close.warnings as { code: string; sessionId?: string; outstandingWon?: number }[]).filter((w) => w.code === "timed_out_balance");
  assert.equal(warnings.map((w) => [w.sessionId, w.outstandingWon]).sort(), [[t1.sessionId, t1.totalWon], [t2.sessionId, t2.totalWon]].sort());

  // T1: a POS comes back, sees the timed-out session with its balance, cannot order, resumes, orders.
  const pos = await staff(server, "s2", "2222");
  const table1 = await pos.joinTable("T1");
  assert.is(table1.state.status, "timed_out");
  assert.is(table1.state.outstandingWon, t1.totalWon);
  assert.is(await code(table1, "confirm", { lines: [beer] }), "SESSION_TIMED_OUT");
  assert.is(await code(table1, "session.open", { guests: 2 }), "SESSION_ALREADY_OPEN");
  const resumed = await ok<{ status: string; outstandingWon: number }>(table1, "session.resume", { reason: "손님 돌아옴" });
  assert.equal([resumed.status, resumed.outstandingWon], ["in_kitchen", t1.totalWon]);
  const more = await ok<{ sessionTotalWon: number }>(table1, "confirm", { lines: [beer] });
  assert.ok(more.sessionTotalWon > t1.totalWon);
  const paid1 = await ok<{ sessionStatus: string }>(table1, "payment.start", { method: "cash", amount: more.sessionTotalWon });
  assert.is(paid1.sessionStatus, "closed");

  // T2: paid while timed out; paying in full closes it as usual.
  const table2 = await pos.joinTable("T2");
  assert.is(table2.state.status, "timed_out");
  const paid2 = await ok<{ sessionStatus: string; outstandingWon: number }>(table2, "payment.start", { method: "cash", amount: t2.totalWon });
  assert.equal([paid2.sessionStatus, paid2.outstandingWon], ["closed", 0]);
  assert.is(statusOf(server, t2.sessionId), "closed");
  const resumeAudit = query<{ actor_id: string }>(server.databaseFile, "select actor_id from audit_log where session_id = ? and action = 'session.resume'", t1.sessionId);
  assert.equal(resumeAudit, [{ actor_id: "s2" }]);
  await table1.leave();
  await table2.leave();
});

/** A customer token as the QR exchange makes it (signed with the test server's secret). */
function customerToken(customerId: string, tableId: string, sessionId: string): Promise<string> {
  return new SignJWT({ store: "demo", role: "customer", name: "손님", table: tableId, session: sessionId })
    .setProtectedHeader({ alg: "HS256" }).setSubject(customerId).setIssuer("table-session-server").setIssuedAt().setExpirationTime("1h")
    .sign(new TextEncoder().encode("test-secret-test-secret-test-secret!"));
}

t("a timed-out table drops its draft and its phones, refuses a confirm with SESSION_TIMED_OUT and writes nothing", async () => {
  const pos = await staff(server);
  const table = await openTable(pos, "T3");
  await ok(table, "confirm", { lines: [kimchi] });
  await ok(table, "draft.add", { menuId: "beer", quantity: 2, optionIds: ["500"] });
  const sdk = new Client(server.endpoint);
  sdk.http.authToken = await customerToken("cust-idle", "T3", table.state.sessionId);
  const phone: Room = await sdk.joinOrCreate("table", { storeId: "demo", tableId: "T3" });
  let phoneLeft: number | undefined;
  phone.onLeave((leaveCode) => (phoneLeft = leaveCode));
  assert.is(table.state.draft.size, 1);

  // Draft edits are not activity (they are not in the database): the session times out under them.
  await eventually(() => table.state.status === "timed_out", sweepWaitMs, "the session to time out");
  await eventually(() => table.state.draft.size === 0 && phoneLeft !== undefined, 5_000, "the draft to clear and the phone to leave");
  assert.is(phoneLeft, 4401);
  const before = countRows(server.databaseFile);
  assert.is(await code(table, "confirm", { lines: [beer] }), "SESSION_TIMED_OUT");
  assert.is(await code(table, "confirm", {}), "SESSION_TIMED_OUT");
  assert.is(await code(table, "draft.add", { menuId: "beer", quantity: 1, optionIds: ["500"] }), "SESSION_TIMED_OUT");
  assert.equal(countRows(server.databaseFile), before);
  assert.is(table.state.status, "timed_out");
  await table.leave();
});

t("across a restart: killed before the timeout, started after it, the sweeper times the session out at start", async () => {
  const dir = tempDir("idle-restart");
  // The sweeper looks once an hour: only its pass at start can time the session out within the test.
  const env = { CONFIG_FILE: configWith(3, dir), IDLE_SWEEP_INTERVAL_MS: "3600000" };
  const first = await startServer({ env });
  let second: ServerProcess | undefined;
  try {
    const { sessionId, totalWon } = await orderAndLeave(first, "T1");
    await first.kill();
    const lastAt = query<{ at: string }>(first.databaseFile, "select max(at) as at from session_events where session_id = ?", sessionId)[0]!.at;
    assert.is(statusOf(first, sessionId), "in_kitchen");
    await eventually(() => Date.now() > Date.parse(lastAt) + 3_000, 10_000, "the idle time to pass while the server is down");
    second = await startServer({ env, dataDir: first.dataDir });
    const restarted = second;
    await eventually(() => statusOf(restarted, sessionId) === "timed_out", sweepWaitMs, "the session to time out after the restart");
    const table = await (await staff(second)).joinTable("T1");
    assert.equal([table.state.sessionId, table.state.status, table.state.outstandingWon], [sessionId, "timed_out", totalWon]);
    await table.leave();
  } finally {
    await first.stop();
    await second?.stop();
  }
});

t.run();
