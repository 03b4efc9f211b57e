import { test } from "uvu";
import * as assert from "uvu/assert";
import { renderSlip } from "../../printers/index.ts";
import { demoRawConfig, demoSource, parseConfig } from "../../server/config/index.ts";
import { slipFromTicket } from "../../server/printing/slip-data.ts";
import type { ItemRow, TicketRow } from "../../storage/index.ts";

/**
 * The slip builder: what each kind of kitchen ticket prints. A partial cancel (one item of a
 * batch taken back while others stay) must read as a cancel, never as a new order, or the kitchen
 * cooks it again.
 */
const store = parseConfig(demoRawConfig, demoSource).stores[0]!;

const ticket = (kind: string): TicketRow => ({
  ticket_id: `b1-kitchen-${kind}`, session_id: "s1", store_id: store.id, table_id: store.tables[0]!.id, batch_id: "b1", batch_no: 1,
  station_id: store.stations[0]!.id, kind, item_ids: "[]", state: "open", created_at: "2026-12-03T12:00:00.000Z", bumped_at: null, source: "pos",
});
const item = (id: string, name: string, quantity: number, replaces: string | null = null): ItemRow => ({
  item_id: id, batch_id: "b1", session_id: "s1", menu_id: "kimchi-jjigae", name, station_id: store.stations[0]!.id, quantity,
  options: "[]", note: "", source: "pos", state: "waiting", replaces_item_id: replaces, created_at: "2026-12-03T12:00:00.000Z",
  cook_started_at: null, cooked_at: null, served_at: null, missing_at: null, missing_note: null,
});

const printed = (kind: string, items: ItemRow[]) => renderSlip(slipFromTicket(store, ticket(kind), items, 42)).text;

test("a new ticket prints its items with no cancel or change banner", () => {
  const text = printed("new", [item("i1", "김치찌개", 2)]);
  assert.match(text, /김치찌개/);
  assert.not.match(text, /취소|CANCEL|변경|CHANGE/);
});

test("a cancel and a partial cancel both print as cancels, every line taken back", () => {
  for (const kind of ["cancel", "partial_cancel"]) {
    const text = printed(kind, [item("i1", "김치찌개", 1)]);
    assert.match(text, /취소 \/ CANCEL/, `${kind}:\n${text}`);
    assert.match(text, /취소 .*김치찌개|취소 김치찌개/, `${kind}: the line itself says 취소:\n${text}`);
  }
});

test("a change prints the old line taken back and the new one added", () => {
  const text = printed("change", [item("i1", "김치찌개", 2), item("i2", "김치찌개", 3, "i1")]);
  assert.match(text, /변경 \/ CHANGE/);
  assert.match(text, /취소 /);
  assert.match(text, /추가 /);
});

test.run();
