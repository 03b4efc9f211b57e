import { assert, assertNever } from "../assert.ts";
import { subWon, addWon, sumWon } from "../money.ts";
import type { ConfirmedItem, SessionEvent } from "./events.ts";
import type { OrderItem, SessionState, OrderSource } from "./state.ts";
import { liveItems } from "./state.ts";

/** Folds one event into the state. Only folds: every rule was checked by decide. */
export function evolve(state: SessionState, event: SessionEvent): SessionState {
  const s = { ...state, version: state.version + 1 };
  switch (event.type) {
    case "SessionOpened":
      return {
        ...s,
        sessionId: event.sessionId,
        storeId: event.storeId,
        tableId: event.tableId,
        guests: event.guests,
        openedAt: event.at,
        status: "open",
        batches: [],
        items: new Map(),
        total: subWon(s.total, s.total),
      };
    case "BatchConfirmed": {
      const items = new Map(s.items);
      for (const item of event.items) items.set(item.itemId, toOrderItem(item, event.batchId, event.batchNo, event.source, null));
      const batch = { batchId: event.batchId, batchNo: event.batchNo, source: event.source, confirmedAt: event.at, confirmedBy: event.actor.id, total: event.total };
      return { ...s, status: "in_kitchen", items, batches: [...s.batches, batch], total: addWon(s.total, event.total) };
    }
    case "KitchenTicketCreated":
    case "TicketPrintRequested":
      return s;
    case "ItemCancelled": {
      const old = s.items.get(event.itemId);
      assert(old && old.state !== "cancelled", `cancel of unknown or cancelled item ${event.itemId}`);
      const items = new Map(s.items);
      items.set(old.itemId, { ...old, state: "cancelled", replacedByItemId: event.replacedByItemId });
      return { ...s, items, total: subWon(s.total, old.lineTotal) };
    }
    case "ItemAdded": {
      const old = s.items.get(event.replacesItemId);
      assert(old, `replacement for unknown item ${event.replacesItemId}`);
      const items = new Map(s.items);
      items.set(event.item.itemId, toOrderItem(event.item, event.batchId, old.batchNo, old.source, event.replacesItemId));
      return { ...s, items, total: addWon(s.total, event.item.lineTotal) };
    }
    case "SessionClosed":
      return { ...s, status: "closed" };
    default:
      return assertNever(event);
  }
}

/** Folds a whole history and checks the invariant once at the end (R-INV-1 before adjustments). */
export function fold(events: readonly SessionEvent[], from: SessionState): SessionState {
  const state = events.reduce(evolve, from);
  assertTotals(state);
  return state;
}

export function assertTotals(state: SessionState): void {
  const expected = sumWon(liveItems(state).map((i) => i.lineTotal));
  assert(state.total === expected, `session total ${state.total} != live items ${expected}`);
}

function toOrderItem(item: ConfirmedItem, batchId: string, batchNo: number, source: OrderSource, replacesItemId: string | null): OrderItem {
  return { ...item, batchId, batchNo, source, state: "waiting", replacesItemId, replacedByItemId: null };
}
