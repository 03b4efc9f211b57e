import { test } from "uvu";
import * as assert from "uvu/assert";
import { offlineOriginError } from "../../rooms/table/offline-origin.ts";
import type { TableCommand } from "../../protocol/table-commands.ts";
import type { Principal } from "../../rooms/context.ts";

// R-OFF-2: the server's own check of a command replayed from a POS's offline queue (pure function).
const waiter: Principal = { staffId: "s1", storeId: "demo", role: "staff", name: "김민수" };
const now = Date.parse("2026-12-03T12:00:00Z");
const room = { storeId: "demo", tableId: "T1", sessionOpenedAt: "2026-12-03T11:00:00.000Z" };
const confirm = (queuedAt: string): TableCommand => ({
  cmdId: "offline-0001", type: "confirm", lines: [{ menuId: "rice", quantity: 1 }],
  offline: { staffId: "s1", storeId: "demo", tableId: "T1", queuedAt },
}) as TableCommand;
const ruleOf = (command: TableCommand) => (offlineOriginError(command, waiter, room, now)?.details as { rule?: string; field?: string } | undefined);

test("a command queued during this session passes", () => {
  assert.is(offlineOriginError(confirm("2026-12-03T11:30:00.000Z"), waiter, room, now), undefined);
});

test("a command queued before the table's current session opened never lands on the new guests' bill", () => {
  const error = offlineOriginError(confirm("2026-12-03T10:59:00.000Z"), waiter, room, now);
  assert.is(error?.code, "SESSION_CLOSED");
  assert.is(ruleOf(confirm("2026-12-03T10:59:00.000Z"))?.rule, "queued_before_session");
});

test("a queuedAt from a clock far ahead, or a day old, is refused", () => {
  assert.is(ruleOf(confirm("2026-12-03T12:10:00.000Z"))?.field, "queuedAt");
  assert.is(ruleOf(confirm("2026-12-02T11:00:00.000Z"))?.field, "queuedAt");
  assert.is(offlineOriginError(confirm("2026-12-03T12:04:00.000Z"), waiter, room, now), undefined, "a few minutes of clock skew is tolerated");
});

test.run();
