import { assert, assertNever } from "../assert.ts";
import { subWon, addWon, zeroWon } from "../money.ts";
import type { ConfirmedItem, SessionEvent } from "./events.ts";
import type { OrderItem, SessionState, OrderSource, ItemState, Payment, SessionStatus } from "./state.ts";

/** Folds one event into the state. Only folds: every rule was checked by decide. */
export function evolve(state: SessionState, event: SessionEvent): SessionState {
  // Every event is activity (R-OFF-1): the idle timeout counts from the last one.
  const next = { ...apply(state, event), lastActivityAt: event.at };
  // Open, in kitchen and paying follow from what the session holds; closed ones stay as closed.
  return next.status === "open" || next.status === "in_kitchen" || next.status === "paying" ? { ...next, status: activeStatus(next) } : next;
}

function activeStatus(s: SessionState): SessionStatus {
  for (const p of s.payments.values()) if (p.status !== "void") return "paying";
  return s.batches.length > 0 ? "in_kitchen" : "open";
}

function apply(state: SessionState, event: SessionEvent): SessionState {
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
        adjustments: new Map(),
        payments: new Map(),
        refunds: new Map(),
        closedReason: null,
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
    case "SessionClosed": {
      // Nothing was ever paid and nothing stayed on the bill: the stay was called off.
      const nothingHappened = s.total === 0 && s.adjustments.size === 0 && [...s.payments.values()].every((p) => p.approved === 0);
      return { ...s, status: nothingHappened ? "cancelled" : "closed", closedReason: event.reason };
    }
    case "SessionReopened":
      return { ...s, status: "in_kitchen", closedReason: null };
    case "SessionTimedOut":
      return { ...s, status: "timed_out" };
    case "SessionResumed":
      // "open" is a placeholder: evolve derives open / in kitchen / paying from the contents.
      return { ...s, status: "open" };
    case "AdjustmentApplied": {
      const adjustments = new Map(s.adjustments);
      const { adjustmentId, kind, scope, targetId, percent, amount, reasonCode, note } = event;
      adjustments.set(adjustmentId, { adjustmentId, kind, scope, targetId, percent, amount, reasonCode, note, appliedAt: event.at, appliedBy: event.actor.id, approvedBy: event.approvedBy?.id ?? null });
      return { ...s, adjustments };
    }
    case "AdjustmentRemoved": {
      assert(s.adjustments.has(event.adjustmentId), `removal of unknown adjustment ${event.adjustmentId}`);
      const adjustments = new Map(s.adjustments);
      adjustments.delete(event.adjustmentId);
      return { ...s, adjustments };
    }
    case "PaymentRequested": {
      assert(!s.payments.has(event.paymentId), `payment id reused ${event.paymentId}`);
      const payments = new Map(s.payments);
      payments.set(event.paymentId, {
        paymentId: event.paymentId, method: event.method, requested: event.amount, approved: zeroWon, tendered: zeroWon, change: zeroWon,
        installmentMonths: event.installmentMonths, label: event.label, status: "pending", refunded: zeroWon, refundPending: zeroWon,
        provider: null, requestedAt: event.at, requestedBy: event.actor.id, voidReason: null, forBatchId: event.forBatchId ?? null,
      });
      return { ...s, payments };
    }
    case "PaymentApproved":
      return withPayment(s, event.paymentId, (p) => {
        assert(p.status === "pending", `approval of a ${p.status} payment ${p.paymentId}`);
        return { ...p, approved: event.amount, tendered: event.tendered, change: event.change, provider: event.provider, status: event.partial ? "partially_approved" : "approved" };
      });
    case "PaymentDeclined":
    case "PaymentVoided":
      return withPayment(s, event.paymentId, (p) => {
        assert(p.status === "pending", `void of a ${p.status} payment ${p.paymentId}`);
        return { ...p, status: "void", voidReason: event.type === "PaymentDeclined" ? `${event.code}: ${event.message}` : event.reason };
      });
    case "RefundRequested": {
      assert(!s.refunds.has(event.refundId), `refund id reused ${event.refundId}`);
      const refunds = new Map(s.refunds);
      refunds.set(event.refundId, {
        refundId: event.refundId, paymentId: event.paymentId, amount: event.amount, reason: event.reason, reasonCode: event.reasonCode,
        status: "pending", requestedAt: event.at, requestedBy: event.actor.id, cancelTransactionId: null,
      });
      return withPayment({ ...s, refunds }, event.paymentId, (p) => ({ ...p, refundPending: addWon(p.refundPending, event.amount) }));
    }
    case "RefundCompleted":
    case "RefundFailed": {
      const refund = s.refunds.get(event.refundId);
      assert(refund && refund.status === "pending", `result for unknown or settled refund ${event.refundId}`);
      const refunds = new Map(s.refunds);
      const completed = event.type === "RefundCompleted";
      refunds.set(refund.refundId, { ...refund, status: completed ? "completed" : "failed", cancelTransactionId: completed ? event.cancelTransactionId : null });
      return withPayment({ ...s, refunds }, refund.paymentId, (p) => {
        const refunded = completed ? addWon(p.refunded, refund.amount) : p.refunded;
        return { ...p, refundPending: subWon(p.refundPending, refund.amount), refunded, status: completed && refunded === p.approved ? "refunded" : p.status };
      });
    }
    default:
      return assertNever(event);
  }
}

function withPayment(s: SessionState, paymentId: string, change: (p: Payment) => Payment): SessionState {
  const payment = s.payments.get(paymentId);
  assert(payment, `unknown payment ${paymentId}`);
  const payments = new Map(s.payments);
  payments.set(paymentId, change(payment));
  return { ...s, payments };
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
  // Checked after every fold (the confirm path): one pass, no arrays.
  let expected = zeroWon;
  for (const item of state.items.values()) if (item.state !== "cancelled") expected = addWon(expected, item.lineTotal);
  assert(state.total === expected, `session total ${state.total} != live items ${expected}`);
}

function toOrderItem(item: ConfirmedItem, batchId: string, batchNo: number, source: OrderSource, replacesItemId: string | null): OrderItem {
  return {
    ...item, batchId, batchNo, source, state: "waiting", replacesItemId, replacedByItemId: null,
    cookStartedAt: null, cookedAt: null, servedAt: null, missingAt: null, missingNote: "",
  };
}
