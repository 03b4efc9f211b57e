import type { OrderItem, SessionState, StockLevel } from "../../domain/index.ts";
import { ItemState, StockState, type TableState } from "../table-state.ts";

/**
 * Domain items are immutable and evolve keeps unchanged ones by reference, so an item whose object
 * is the one last written needs no work: a confirm touches its new lines, not the whole table.
 */
const written = new WeakMap<ItemState, OrderItem>();

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
    if (existing) {
      if (written.get(existing) !== item) writeItem(existing, item);
    } else {
      const created = new ItemState({ itemId: item.itemId, menuId: item.menuId, name: item.name, stationId: item.stationId });
      writeItem(created, item);
      view.items.set(item.itemId, created);
    }
  }
}

function writeItem(view: ItemState, item: OrderItem): void {
  written.set(view, item);
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
  view.cookStartedAt = item.cookStartedAt ?? "";
  view.cookedAt = item.cookedAt ?? "";
  view.servedAt = item.servedAt ?? "";
  view.missing = item.missingAt !== null;
  view.missingNote = item.missingNote;
}

/** Mirrors the store's runtime stock (86 / countdown) so terminals grey out what cannot be ordered. */
export interface StockMapView {
  stock: { keys(): IterableIterator<string>; delete(key: string): unknown; get(key: string): StockState | undefined; set(key: string, value: StockState): unknown; has(key: string): boolean };
}

export function syncStock(view: StockMapView, levels: ReadonlyMap<string, StockLevel>): void {
  for (const key of [...view.stock.keys()]) if (!levels.has(key)) view.stock.delete(key);
  for (const [menuId, level] of levels) {
    const existing = view.stock.get(menuId) ?? new StockState();
    existing.soldOut = level.soldOut;
    existing.remaining = level.remaining ?? -1;
    if (!view.stock.has(menuId)) view.stock.set(menuId, existing);
  }
}
