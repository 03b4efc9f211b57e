import type { OrderItem, SessionState } from "../../domain/index.ts";
import { ItemState, type TableState } from "../table-state.ts";

/** Mirrors the confirmed domain state into the synced room state, mutating in place. */
export function syncSession(view: TableState, session: SessionState): void {
  view.sessionId = session.sessionId;
  view.status = session.status;
  view.version = session.version;
  view.guests = session.guests;
  view.openedAt = session.openedAt;
  view.batchCount = session.batches.length;
  view.totalWon = session.total;
  for (const key of [...view.items.keys()]) if (!session.items.has(key)) view.items.delete(key);
  for (const item of session.items.values()) {
    const existing = view.items.get(item.itemId);
    if (existing) writeItem(existing, item);
    else {
      const created = new ItemState({ itemId: item.itemId, menuId: item.menuId, name: item.name, stationId: item.stationId });
      writeItem(created, item);
      view.items.set(item.itemId, created);
    }
  }
}

function writeItem(view: ItemState, item: OrderItem): void {
  view.batchNo = item.batchNo;
  view.menuId = item.menuId;
  view.name = item.name;
  view.stationId = item.stationId;
  view.quantity = item.quantity;
  view.unitPriceWon = item.unitPrice;
  if (view.optionNames.length !== item.options.length) view.optionNames.splice(0, view.optionNames.length, ...item.options.map((o) => o.name));
  view.note = item.note;
  view.lineTotalWon = item.lineTotal;
  view.source = item.source;
  view.state = item.state;
  view.replacesItemId = item.replacesItemId ?? "";
  view.replacedByItemId = item.replacedByItemId ?? "";
}
