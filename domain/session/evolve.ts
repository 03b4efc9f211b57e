import { assert, assertNever } from "../assert.ts";
import { subWon, addWon, sumWon } from "../money.ts";
import type { ConfirmedItem, SessionEvent } from "./events.ts";
import type { OrderItem, SessionState, OrderSource, ItemState } from "./state.ts";
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
        tickets: new Map(),
        total: subWon(s.total, s.total),
      };
    case "BatchConfirmed": {
      const items = new Map(s.items);
      for (const item of event.items) items.set(item.itemId, toOrderItem(item, event.batchId, event.batchNo, event.source, null));
      const batch = { batchId: event.batchId, batchNo: event.batchNo, source: event.source, confirmedAt: event.at, confirmedBy: event.actor.id, total: event.total };
      return { ...s, status: "in_kitchen", items, batches: [...s.batches, batch], total: addWon(s.total, event.total) };
    }
    case "KitchenTicketCreated": {
      const tickets = new Map(s.tickets);
      const { ticketId, batchId, batchNo, stationId, kind, itemIds } = event;
      tickets.set(ticketId, { ticketId, batchId, batchNo, stationId, kind, itemIds, createdAt: event.at, bumpedAt: null });
      return { ...s, tickets };
    }
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
      assert(!s.items.has(event.item.itemId), `item id reused ${event.item.itemId}`);
      const items = new Map(s.items);
      items.set(event.item.itemId, toOrderItem(event.item, event.batchId, old.batchNo, old.source, event.replacesItemId));
      return { ...s, items, total: addWon(s.total, event.item.lineTotal) };
    }
    case "ItemsCookingStarted":
      return { ...s, items: moveItems(s.items, event.itemIds, "cooking", () => ({ cookStartedAt: event.at })) };
    case "ItemsCooked":
      return { ...s, items: moveItems(s.items, event.itemIds, "cooked", (i) => ({ cookStartedAt: i.cookStartedAt ?? event.at, cookedAt: event.at })) };
    case "ItemsServed":
      return { ...s, items: moveItems(s.items, event.itemIds, "served", () => ({ servedAt: event.at })) };
    case "ItemMarkedMissing": {
      const item = s.items.get(event.itemId);
      assert(item, `missing mark on unknown item ${event.itemId}`);
      const items = new Map(s.items);
      items.set(item.itemId, { ...item, missingAt: event.at, missingNote: event.note });
      return { ...s, items };
    }
    case "TicketBumped":
    case "TicketRecalled": {
      const ticket = s.tickets.get(event.ticketId);
      assert(ticket, `unknown ticket ${event.ticketId}`);
      const tickets = new Map(s.tickets);
      tickets.set(ticket.ticketId, { ...ticket, bumpedAt: event.type === "TicketBumped" ? event.at : null });
      return { ...s, tickets };
    }
    case "SessionClosed":
      return { ...s, status: "closed" };
    default:
      return assertNever(event);
  }
}

function moveItems(items: ReadonlyMap<string, OrderItem>, itemIds: readonly string[], to: ItemState, times: (item: OrderItem) => Partial<OrderItem>): Map<string, OrderItem> {
  const next = new Map(items);
  for (const itemId of itemIds) {
    const item = next.get(itemId);
    assert(item && item.state !== "cancelled", `kitchen step on unknown or cancelled item ${itemId}`);
    next.set(itemId, { ...item, ...times(item), state: to });
  }
  return next;
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
  return {
    ...item, batchId, batchNo, source, state: "waiting", replacesItemId, replacedByItemId: null,
    cookStartedAt: null, cookedAt: null, servedAt: null, missingAt: null, missingNote: "",
  };
}
