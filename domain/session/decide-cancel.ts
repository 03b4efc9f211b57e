import { orderLimits } from "../limits.ts";
import { won } from "../money.ts";
import type { CancelBatch, CancelItem, ChangeItemQuantity, CancelReasonCode } from "./commands.ts";
import type { DomainError } from "./errors.ts";
import type { ConfirmedItem, SessionEvent } from "./events.ts";
import type { ActorRef, OrderItem, SessionState } from "./state.ts";
import { checkAmount, checkQuantity, totalOf } from "../pricing.ts";
import { deltaTicketId, ticketEvents } from "./tickets.ts";
import type { DecideContext, Step as Decision } from "./decide.ts";

/** R-KDS-1: one item cancelled → a partial or full cancel ticket for its station. */
export function decideCancel(command: CancelItem, state: SessionState, context: Pick<DecideContext, "staffMayEditRemoteOrders"> = {}): Decision {
  const refusal = checkCancellable(state, command.itemId, command.reason, command.actor, command.reasonCode, context);
  if (refusal) return { ok: false, error: refusal };
  const item = state.items.get(command.itemId)!;
  // Lines are never negative today, so this only guards histories from menus that allowed it.
  const sessionTotal = totalOf("session", [state.total, -item.lineTotal]);
  if (!sessionTotal.ok) return sessionTotal;
  const othersLive = [...state.items.values()].some((i) => i.batchId === item.batchId && i.stationId === item.stationId && i.itemId !== item.itemId && i.state !== "cancelled");
  return {
    ok: true,
    events: [
      cancelled(command, item, null),
      ...ticketEvents(command, deltaTicketId(state, item.batchId, item.stationId), item.batchId, item.batchNo, item.stationId, othersLive ? "partial_cancel" : "cancel", [item.itemId]),
    ],
  };
}

/** A whole batch cancelled: every live item, one cancel ticket per station. */
export function decideCancelBatch(command: CancelBatch, state: SessionState, context: Pick<DecideContext, "staffMayEditRemoteOrders"> = {}): Decision {
  const batch = state.batches.find((b) => b.batchId === command.batchId);
  if (!batch) return { ok: false, error: { code: "unknown_batch", batchId: command.batchId } };
  const live = [...state.items.values()].filter((i) => i.batchId === batch.batchId && i.state !== "cancelled");
  if (live.length === 0) return { ok: false, error: { code: "nothing_to_cancel", batchId: batch.batchId } };
  for (const item of live) {
    const refusal = checkCancellable(state, item.itemId, command.reason, command.actor, command.reasonCode, context);
    if (refusal) return { ok: false, error: refusal };
  }
  const sessionTotal = totalOf("session", [state.total, ...live.map((i) => -i.lineTotal)]);
  if (!sessionTotal.ok) return sessionTotal;
  const events: SessionEvent[] = live.map((item) => cancelled(command, item, null));
  for (const stationId of new Set(live.map((i) => i.stationId))) {
    const itemIds = live.filter((i) => i.stationId === stationId).map((i) => i.itemId);
    events.push(...ticketEvents(command, deltaTicketId(state, batch.batchId, stationId), batch.batchId, batch.batchNo, stationId, "cancel", itemIds));
  }
  return { ok: true, events };
}

/** R-ITEM-1 / R-KDS-2: a quantity change is the old line cancelled plus one new line. */
export function decideChangeQuantity(command: ChangeItemQuantity, state: SessionState, context: Pick<DecideContext, "staffMayEditRemoteOrders"> = {}): Decision {
  const refusal = checkCancellable(state, command.itemId, command.reason, command.actor, undefined, context);
  if (refusal) return { ok: false, error: refusal };
  const quantityError = checkQuantity(command.quantity);
  if (quantityError) return { ok: false, error: quantityError };
  const old = state.items.get(command.itemId)!;
  if (old.quantity === command.quantity) return { ok: true, events: [] };
  if (state.items.has(command.newItemId)) return { ok: false, error: { code: "id_already_used", id: command.newItemId } };
  if (state.items.size + 1 > orderLimits.itemsPerSessionMax) return { ok: false, error: { code: "too_many_lines", max: orderLimits.itemsPerSessionMax } };
  // Plain safe integers, checked before anything becomes a Won (R-ITEM-1 keeps the old unit price and options).
  const unitWithOptions = old.options.reduce<number>((sum, o) => sum + o.priceDelta, old.unitPrice);
  const lineTotal = unitWithOptions * command.quantity;
  const lineError = checkAmount("line", lineTotal);
  if (lineError) return { ok: false, error: lineError };
  const sessionTotal = totalOf("session", [state.total, -old.lineTotal, lineTotal]);
  if (!sessionTotal.ok) return sessionTotal;
  const item: ConfirmedItem = {
    itemId: command.newItemId, menuId: old.menuId, name: old.name, stationId: old.stationId, quantity: command.quantity,
    unitPrice: old.unitPrice, options: old.options, note: old.note, lineTotal: won(lineTotal),
  };
  const { at, actor } = command;
  return {
    ok: true,
    events: [
      cancelled(command, old, item.itemId),
      { type: "ItemAdded", v: 1, at, actor, batchId: old.batchId, replacesItemId: old.itemId, item },
      ...ticketEvents(command, deltaTicketId(state, old.batchId, old.stationId), old.batchId, old.batchNo, old.stationId, "change", [old.itemId, item.itemId]),
    ],
  };
}

function cancelled(command: { at: string; actor: ActorRef; reason: string }, item: OrderItem, replacedByItemId: string | null): SessionEvent {
  return { type: "ItemCancelled", v: 1, at: command.at, actor: command.actor, itemId: item.itemId, batchId: item.batchId, reason: command.reason, replacedByItemId, lineTotal: item.lineTotal };
}

/** Started items may be cancelled by an admin, or by staff who give a reason code (audited either way). */
function checkCancellable(
  state: SessionState, itemId: string, reason: string, actor: ActorRef, reasonCode: CancelReasonCode | undefined, context: Pick<DecideContext, "staffMayEditRemoteOrders">,
): DomainError | undefined {
  const item = state.items.get(itemId);
  if (!item) return { code: "unknown_item", itemId };
  if (item.state === "cancelled") return { code: "item_already_cancelled", itemId };
  if (item.source !== "pos" && actor.role !== "admin" && !context.staffMayEditRemoteOrders) return { code: "remote_order_locked", itemId, source: item.source };
  if (reason.trim() === "") return { code: "reason_required" };
  if (reason.length > orderLimits.reasonLengthMax) return { code: "note_too_long", max: orderLimits.reasonLengthMax };
  if (item.state !== "waiting" && actor.role !== "admin" && reasonCode === undefined) return { code: "cancel_needs_admin", itemId, state: item.state };
  return undefined;
}
