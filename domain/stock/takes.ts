import type { SessionEvent } from "../session/events.ts";
import type { SessionState } from "../session/state.ts";
import type { StockLevel } from "../session/decide.ts";

/** Portions taken from one counted item by one commit (storage applies it with a guarded update). */
export interface StockTake {
  readonly kind: "take";
  readonly menuId: string;
  /** Always a positive integer. */
  readonly quantity: number;
}

/**
 * Which portions a set of session events takes from counted items (`remaining !== null` in
 * `levels`), summed per item in the order first seen:
 * - `BatchConfirmed` takes each counted item's quantity;
 * - `ItemAdded` (a quantity change's replacement) takes only the increase over the item it replaces
 *   in `before`; a decrease takes nothing;
 * - cancels (and every other event) give nothing back: the kitchen may already have used the portion.
 * Items that are not counted (no level, or `remaining: null`, even if 86'd) are never taken; the
 * database checks every take again (`StockExhaustedError`).
 */
export function stockTakes(events: readonly SessionEvent[], levels: ReadonlyMap<string, Pick<StockLevel, "remaining">>, before: SessionState): StockTake[] {
  const taken = new Map<string, number>();
  for (const event of events) {
    const items = event.type === "BatchConfirmed"
      ? event.items.map((i) => ({ menuId: i.menuId, quantity: i.quantity }))
      : event.type === "ItemAdded"
        ? [{ menuId: event.item.menuId, quantity: Math.max(0, event.item.quantity - (before.items.get(event.replacesItemId)?.quantity ?? 0)) }]
        : [];
    for (const item of items) if (item.quantity > 0 && levels.get(item.menuId)?.remaining != null) taken.set(item.menuId, (taken.get(item.menuId) ?? 0) + item.quantity);
  }
  return [...taken].map(([menuId, quantity]) => ({ kind: "take", menuId, quantity }));
}
