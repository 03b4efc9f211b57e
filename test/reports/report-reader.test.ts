/** The report's storage side on a real SQLite file with the real migrations. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createReportReader, verifyAuditChain } from "../../storage/index.ts";
import { businessDayWindow } from "../../server/reports/business-day.ts";
import { openTempStorage } from "../storage/units.ts";

test("a session closed exactly at the day's start is in that day; one closed exactly at its end is in the next", async () => {
  const { storage, dispose } = await openTempStorage();
  try {
    const w = businessDayWindow("2026-12-03", { timeZone: "Asia/Seoul", dayStartsAt: "05:00" });
    const at = (ms: number) => new Date(ms).toISOString();
    const insert = storage.sqlite.prepare("insert into sessions (session_id, store_id, table_id, status, version, guests, total_won, opened_at, closed_at) values (?, 'demo', 'T1', ?, 1, 1, 0, ?, ?)");
    insert.run("before", "closed", at(w.from.getTime() - 1), at(w.from.getTime() - 1));
    insert.run("first", "closed", at(w.from.getTime()), at(w.from.getTime()));
    insert.run("last", "cancelled", at(w.to.getTime() - 1), at(w.to.getTime() - 1));
    insert.run("next", "closed", at(w.to.getTime()), at(w.to.getTime()));
    const reader = createReportReader(storage);
    const ids = (from: Date, to: Date) => reader.closedSessions("demo", from.toISOString(), to.toISOString(), 10).map((r) => r.session_id);
    assert.equal(ids(w.from, w.to), ["first", "last"]);
    assert.equal(reader.closedSessions("demo", w.from.toISOString(), w.to.toISOString(), 1).length, 1, "the limit bounds the scan");
    assert.equal(ids(w.to, new Date(w.to.getTime() + 86_400_000)), ["next"]);
  } finally {
    await dispose();
  }
});

test("a close is stored once with a chained audit row; a second one reports the first", async () => {
  const { storage, dispose } = await openTempStorage();
  try {
    const reader = createReportReader(storage);
    const request = { storeId: "demo", businessDate: "2026-12-03", closedAt: "2026-12-03T12:00:00.000Z", actorId: "a1", actorRole: "admin", report: { netSalesWon: 1 }, auditSummary: () => ({ netSalesWon: 1 }) };
    const first = reader.closeDay(request);
    assert.is(first.kind, "closed");
    const second = reader.closeDay({ ...request, closedAt: "2026-12-03T13:00:00.000Z", actorId: "a2", report: { netSalesWon: 2 } });
    assert.equal(second, { kind: "already_closed", close: first.close });
    assert.equal(reader.dailyClose("demo", "2026-12-03")?.report, { netSalesWon: 1 });
    assert.ok(verifyAuditChain(storage.sqlite).ok);
    assert.is(storage.sqlite.prepare("select count(*) from audit_log where action = 'day.close'").pluck().get(), 1);
  } finally {
    await dispose();
  }
});

test.run();
