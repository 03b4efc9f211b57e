/** Figures of one finished session, given its journal (sessions the POS can no longer produce). */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { fold, initialSessionState, won, type ActorRef, type SessionEvent } from "../../domain/index.ts";
import { addFigures, sessionFigures, zeroFigures } from "../../server/reports/sales-figures.ts";

const admin: ActorRef = { id: "a1", role: "admin", name: "박관리" };
const at = "2026-12-03T10:00:00.000Z";
const item = (itemId: string, quantity: number, unit: number) => ({ itemId, menuId: "jeyuk", name: "제육볶음", stationId: "kitchen", quantity, unitPrice: won(unit), options: [], note: "", lineTotal: won(unit * quantity) });
const opened: SessionEvent = { type: "SessionOpened", v: 1, at, actor: admin, sessionId: "s1", storeId: "demo", tableId: "T1", guests: 2 };
const confirmed: SessionEvent = { type: "BatchConfirmed", v: 1, at, actor: admin, batchId: "b1", batchNo: 1, source: "pos", items: [item("i1", 2, 11_000), item("i2", 1, 5_000)], total: won(27_000) };

test("a session closed over its items before payments were taken counts as unpaid at close, and net = paid + unpaid still holds", () => {
  const closed: SessionEvent = { type: "SessionClosed", v: 1, at, actor: admin, reason: "관리자 마감", total: won(27_000) };
  const figures = sessionFigures(fold([opened, confirmed, closed], initialSessionState()), new Map());
  assert.is(figures.netSalesWon, 27_000);
  assert.is(figures.paidNetWon, 0);
  assert.equal(figures.unpaidAtClose, { count: 1, won: 27_000 });
  assert.equal(figures.sessions, { closed: 1, cancelled: 0 });
  const twice = addFigures(addFigures(zeroFigures(), figures), figures);
  assert.equal(twice.unpaidAtClose, { count: 2, won: 54_000 });
  assert.is(twice.netSalesWon, twice.paidNetWon + twice.unpaidAtClose.won);
});

test("a quantity raised is not a void; a quantity lowered voids the difference; a cancelled line voids its total", () => {
  const raised: SessionEvent[] = [
    { type: "ItemCancelled", v: 1, at, actor: admin, itemId: "i1", batchId: "b1", reason: "수량", replacedByItemId: "i3", lineTotal: won(22_000) },
    { type: "ItemAdded", v: 1, at, actor: admin, batchId: "b1", replacesItemId: "i1", item: item("i3", 3, 11_000) },
  ];
  const lowered: SessionEvent[] = [
    { type: "ItemCancelled", v: 1, at, actor: admin, itemId: "i3", batchId: "b1", reason: "수량", replacedByItemId: "i4", lineTotal: won(33_000) },
    { type: "ItemAdded", v: 1, at, actor: admin, batchId: "b1", replacesItemId: "i3", item: item("i4", 1, 11_000) },
    { type: "ItemCancelled", v: 1, at, actor: admin, itemId: "i2", batchId: "b1", reason: "취소", replacedByItemId: null, lineTotal: won(5_000) },
  ];
  const closed: SessionEvent = { type: "SessionClosed", v: 1, at, actor: admin, reason: "x", total: won(11_000) };
  const figures = sessionFigures(fold([opened, confirmed, ...raised, ...lowered, closed], initialSessionState()), new Map());
  assert.equal(figures.voids.quantityReductions, { count: 1, won: 22_000 });
  assert.equal(figures.voids.items, { count: 1, won: 5_000 });
  assert.is(figures.grossWon, 11_000);
});

test.run();
