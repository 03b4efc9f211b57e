/**
 * 마감 (the daily close, Z report) and who may see reports: real server process, real POS clients.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import Database from "better-sqlite3";
import { demoRawConfig } from "../../server/config/index.ts";
import { verifyAuditChain } from "../../storage/index.ts";
import { query, startServer, tempDir, writeConfig, type ServerProcess } from "../support/server-process.ts";
import { openTable, staff } from "../support/pos.ts";
import type { TableConnection } from "../../clients/pos-client.ts";
import { call, codeOf, dataOf, tokenOf } from "./support.ts";

const t = suite("daily close: frozen once per day, admin of the store only");

let server: ServerProcess;
let admin: string;
let staffToken: string;
let otherAdmin: string;

t.before(async () => {
  const dir = tempDir("close");
  const config = writeConfig(dir, { ...demoRawConfig, stores: [...demoRawConfig.stores, { ...demoRawConfig.stores[0]!, id: "gangnam", name: "강남점" }] });
  server = await startServer({ env: { CONFIG_FILE: config } });
  admin = await tokenOf(server, "a1", "9999");
  staffToken = await tokenOf(server, "s1", "1111");
  otherAdmin = await tokenOf(server, "a1", "9999", "gangnam");
});
t.after(async () => {
  await server?.stop();
});

async function ok<T = any>(table: TableConnection, type: string, fields: Record<string, unknown> = {}): Promise<T> {
  const reply = await table.command<T>(type, fields);
  if (!reply.ok) throw new Error(`${type}: ${JSON.stringify(reply.error)}`);
  return reply.data;
}

const routes: readonly ["GET" | "POST", string, unknown?][] = [
  ["GET", "/api/reports/sales?date=2026-12-03"],
  ["GET", "/api/reports/sales?date=2026-12-03&format=csv"],
  ["POST", "/api/reports/close", { date: "2026-12-03" }],
  ["GET", "/api/reports/close?date=2026-12-03"],
  ["GET", "/api/payments/settlement?date=2026-12-03"],
];

t("every report route refuses a missing token (401), a staff token (403) and another store's admin (403), and writes nothing", async () => {
  for (const [method, path, body] of routes) {
    assert.is((await call(server, method, path, undefined, body)).status, 401, `${method} ${path} without a token`);
    const asStaff = await call(server, method, path, staffToken, body);
    assert.is(`${asStaff.status} ${codeOf(asStaff)}`, "403 FORBIDDEN", `${method} ${path} as staff`);
    const foreignPath = method === "GET" ? `${path}&storeId=demo` : path;
    const foreignBody = method === "POST" ? { ...(body as object), storeId: "demo" } : undefined;
    const asOther = await call(server, method, foreignPath, otherAdmin, foreignBody);
    assert.is(`${asOther.status} ${codeOf(asOther)}`, "403 FORBIDDEN", `${method} ${path} as gangnam's admin asking for demo`);
  }
  assert.is(query<{ n: number }>(server.databaseFile, "select count(*) as n from daily_closes")[0]!.n, 0);
  // Without storeId an admin gets their own store's report, never another's.
  const own = dataOf(await call(server, "GET", "/api/reports/sales?date=2026-12-03", otherAdmin));
  assert.is(own.report.storeId, "gangnam");
});

t("bad dates, formats and bodies are refused with 400; a day not started yet cannot be closed; an unclosed day has no frozen report", async () => {
  for (const path of ["/api/reports/sales?date=2026-02-30", "/api/reports/sales?date=20261203", "/api/reports/sales?format=xml", "/api/payments/settlement", "/api/reports/close?date=2026-13-01"]) {
    assert.is(codeOf(await call(server, "GET", path, admin)), "BAD_REQUEST", path);
  }
  assert.is(codeOf(await call(server, "POST", "/api/reports/close", admin, { date: "2026-12-03", extra: 1 })), "BAD_REQUEST");
  assert.is(codeOf(await call(server, "POST", "/api/reports/close", admin, { date: 20261203 })), "BAD_REQUEST");
  assert.is(codeOf(await call(server, "POST", "/api/reports/close", admin, ["2026-12-03"])), "BAD_REQUEST");
  const future = await call(server, "POST", "/api/reports/close", admin, { date: "2999-01-01" });
  assert.is(`${future.status} ${codeOf(future)}`, "409 DAY_NOT_STARTED");
  const none = await call(server, "GET", "/api/reports/close?date=2001-01-01", admin);
  assert.is(`${none.status} ${codeOf(none)}`, "404 DAY_NOT_CLOSED");
});

t("closing the day freezes the report with warnings for an open table; a second close is DAY_ALREADY_CLOSED; later sales change only the live report", async () => {
  const pos = await staff(server);
  const paid = await openTable(pos, "T1");
  const batch = await ok(paid, "confirm", { lines: [{ menuId: "jeyuk", quantity: 2 }] });
  await ok(paid, "payment.start", { method: "cash", amount: batch.totalWon });
  const open = await openTable(pos, "T2");
  const second = await ok(open, "confirm", { lines: [{ menuId: "soju", quantity: 3 }] });
  const part = await ok(open, "payment.start", { method: "cash", amount: 4_000 });
  assert.is(part.outstandingWon, second.totalWon - 4_000);

  // Two terminals press 마감 at once: one close is made, the other is told the day is closed.
  const both = await Promise.all([call(server, "POST", "/api/reports/close", admin, {}), call(server, "POST", "/api/reports/close", admin, {})]);
  assert.equal(both.map((a) => `${a.status} ${codeOf(a)}`).sort(), ["201 ok 201", "409 DAY_ALREADY_CLOSED"]);
  const close = dataOf(both.find((a) => a.status === 201)!);
  const date: string = close.report.businessDate;
  const [closedSession] = query<{ closed_at: string }>(server.databaseFile, "select closed_at from sessions where session_id = ?", paid.state.sessionId as string);
  assert.ok(close.report.window.from <= closedSession!.closed_at && closedSession!.closed_at < close.report.window.to, "the paid table closed inside the closed day");
  assert.is(close.report.sessions.closed, 1);
  assert.is(close.report.netSalesWon, batch.totalWon);
  assert.is(close.closedBy, "a1");
  assert.equal(close.warnings, [{ code: "open_table_balance", tableId: "T2", sessionId: open.state.sessionId, outstandingWon: second.totalWon - 4_000, pendingWon: 0 }]);

  const again = await call(server, "POST", "/api/reports/close", admin, { date });
  assert.is(`${again.status} ${codeOf(again)}`, "409 DAY_ALREADY_CLOSED");
  assert.equal(again.body.ok ? null : again.body.error.details, { closedAt: close.closedAt, closedBy: "a1" });
  assert.equal(dataOf(await call(server, "GET", `/api/reports/close?date=${date}`, admin)), close);

  // One audit row, chained like every other, naming the frozen report's hash.
  const audit = query<{ entity_id: string; actor_id: string; after: string }>(server.databaseFile, "select entity_id, actor_id, after from audit_log where action = 'day.close'");
  assert.equal(audit.map((a) => [a.entity_id, a.actor_id, JSON.parse(a.after).reportSha256]), [[date, "a1", close.reportSha256]]);
  const db = new Database(server.databaseFile, { readonly: true });
  try {
    const verdict = verifyAuditChain(db);
    assert.ok(verdict.ok, verdict.problem);
  } finally {
    db.close();
  }

  // T2 pays off after the close: the frozen report stays as it was, the live one moves on.
  await ok(open, "payment.start", { method: "cash", amount: second.totalWon - 4_000 });
  assert.equal(dataOf(await call(server, "GET", `/api/reports/close?date=${date}`, admin)), close);
  const live = dataOf(await call(server, "GET", `/api/reports/sales?date=${date}`, admin));
  assert.equal(live.dayClose, { closedAt: close.closedAt, closedBy: "a1" });
  const [late] = query<{ closed_at: string }>(server.databaseFile, "select closed_at from sessions where session_id = ?", open.state.sessionId as string);
  const sameDay = live.report.window.from <= late!.closed_at && late!.closed_at < live.report.window.to;
  assert.is(live.report.sessions.closed, sameDay ? 2 : 1);
  await paid.leave();
  await open.leave();
});

t("a frozen close cannot be edited or deleted in the database", () => {
  const db = new Database(server.databaseFile);
  try {
    assert.throws(() => db.prepare("update daily_closes set report = '{}'").run(), /append-only/);
    assert.throws(() => db.prepare("delete from daily_closes").run(), /append-only/);
  } finally {
    db.close();
  }
});

t.run();
