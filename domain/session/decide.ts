import { assertNever } from "../assert.ts";
import type { Menu } from "../menu.ts";
import { orderLimits } from "../limits.ts";
import { linesTotal, priceLine, checkQuantity } from "../pricing.ts";
import { mulWon, addWon } from "../money.ts";
import type { CancelItem, ChangeItemQuantity, CloseSession, ConfirmDraft, OpenSession, SessionCommand } from "./commands.ts";
import type { DomainError } from "./errors.ts";
import type { ActorRef, SessionState } from "./state.ts";
import { isActive, liveItems } from "./state.ts";
import type { ConfirmedItem, KitchenTicketCreated, SessionEvent, TicketPrintRequested } from "./events.ts";

export type Decision = { ok: true; events: SessionEvent[] } | { ok: false; error: DomainError };

/** What decide needs besides the state: the store's menu as it is now. */
export interface DecideContext {
  readonly menu: Menu;
}

export function decide(command: SessionCommand, state: SessionState, context: DecideContext): Decision {
  if (command.expectedVersion !== undefined && command.expectedVersion !== state.version) {
    return reject({ code: "version_conflict", expected: command.expectedVersion, actual: state.version });
  }
  if (command.type === "OpenSession") return decideOpen(command, state);
  if (state.status === "none") return reject({ code: "no_open_session" });
  if (!isActive(state.status)) return reject({ code: "session_closed", status: state.status });
  switch (command.type) {
    case "ConfirmDraft":
      return decideConfirm(command, state, context.menu);
    case "CancelItem":
      return decideCancel(command, state);
    case "ChangeItemQuantity":
      return decideChangeQuantity(command, state);
    case "CloseSession":
      return decideClose(command, state);
    default:
      return assertNever(command);
  }
}

function decideOpen(command: OpenSession, state: SessionState): Decision {
  if (isActive(state.status)) return reject({ code: "session_already_open", sessionId: state.sessionId });
  if (!Number.isSafeInteger(command.guests) || command.guests < 0 || command.guests > orderLimits.guestsMax) {
    return reject({ code: "invalid_guests", max: orderLimits.guestsMax });
  }
  const { sessionId, storeId, tableId, guests } = command;
  return accept([{ type: "SessionOpened", v: 1, ...meta(command), sessionId, storeId, tableId, guests }]);
}

function decideConfirm(command: ConfirmDraft, state: SessionState, menu: Menu): Decision {
  if (command.lines.length === 0) return reject({ code: "empty_draft" });
  if (command.lines.length > orderLimits.draftLinesMax) return reject({ code: "too_many_lines", max: orderLimits.draftLinesMax });
  if (state.items.size + command.lines.length > orderLimits.itemsPerSessionMax) {
    return reject({ code: "too_many_lines", max: orderLimits.itemsPerSessionMax });
  }
  if (state.batches.some((b) => b.batchId === command.batchId)) return reject({ code: "id_already_used", id: command.batchId });
  const items: ConfirmedItem[] = [];
  for (const [index, request] of command.lines.entries()) {
    const priced = priceLine(menu, request);
    if (!priced.ok) return priced;
    const { line } = priced;
    items.push({ ...line, itemId: `${command.batchId}-${index + 1}` });
  }
  const batchNo = state.batches.length + 1;
  const { batchId, source } = command;
  const events: SessionEvent[] = [
    { type: "BatchConfirmed", v: 1, ...meta(command), batchId, batchNo, source, items, total: linesTotal(items) },
  ];
  for (const stationId of stationsInOrder(items)) {
    const itemIds = items.filter((i) => i.stationId === stationId).map((i) => i.itemId);
    events.push(...ticketEvents(command, `${batchId}-${stationId}`, batchId, batchNo, stationId, "new", itemIds));
  }
  return accept(events);
}

function decideCancel(command: CancelItem, state: SessionState): Decision {
  const checked = checkCancellable(state, command.itemId, command.reason, command.actor);
  if (checked) return reject(checked);
  const item = state.items.get(command.itemId)!;
  const ticketId = `${item.batchId}-${item.stationId}-v${state.version + 1}`;
  return accept([
    { type: "ItemCancelled", v: 1, ...meta(command), itemId: item.itemId, batchId: item.batchId, reason: command.reason, replacedByItemId: null, lineTotal: item.lineTotal },
    ...ticketEvents(command, ticketId, item.batchId, item.batchNo, item.stationId, "cancel", [item.itemId]),
  ]);
}

/** R-ITEM-1 / R-KDS-2: a quantity change is the old line cancelled plus one new line. */
function decideChangeQuantity(command: ChangeItemQuantity, state: SessionState): Decision {
  const checked = checkCancellable(state, command.itemId, command.reason, command.actor);
  if (checked) return reject(checked);
  const quantityError = checkQuantity(command.quantity);
  if (quantityError) return reject(quantityError);
  const old = state.items.get(command.itemId)!;
  if (old.quantity === command.quantity) return accept([]);
  if (state.items.has(command.newItemId)) return reject({ code: "id_already_used", id: command.newItemId });
  if (state.items.size + 1 > orderLimits.itemsPerSessionMax) return reject({ code: "too_many_lines", max: orderLimits.itemsPerSessionMax });
  const unitWithOptions = old.options.reduce((sum, o) => addWon(sum, o.priceDelta), old.unitPrice);
  const item: ConfirmedItem = {
    itemId: command.newItemId,
    menuId: old.menuId,
    name: old.name,
    stationId: old.stationId,
    quantity: command.quantity,
    unitPrice: old.unitPrice,
    options: old.options,
    note: old.note,
    lineTotal: mulWon(unitWithOptions, command.quantity),
  };
  const ticketId = `${old.batchId}-${old.stationId}-v${state.version + 1}`;
  return accept([
    { type: "ItemCancelled", v: 1, ...meta(command), itemId: old.itemId, batchId: old.batchId, reason: command.reason, replacedByItemId: item.itemId, lineTotal: old.lineTotal },
    { type: "ItemAdded", v: 1, ...meta(command), batchId: old.batchId, replacesItemId: old.itemId, item },
    ...ticketEvents(command, ticketId, old.batchId, old.batchNo, old.stationId, "change", [old.itemId, item.itemId]),
  ]);
}

function decideClose(command: CloseSession, state: SessionState): Decision {
  // Until payments exist, only an admin may close over confirmed, uncancelled items (R-VAL-1 logs it).
  if (state.total !== 0 && command.actor.role !== "admin") return reject({ code: "outstanding_items", total: state.total });
  if (state.total !== 0 && command.reason.trim() === "") return reject({ code: "reason_required" });
  if (command.reason.length > orderLimits.reasonLengthMax) return reject({ code: "note_too_long", max: orderLimits.reasonLengthMax });
  return accept([{ type: "SessionClosed", v: 1, ...meta(command), reason: command.reason, total: state.total }]);
}

function checkCancellable(state: SessionState, itemId: string, reason: string, actor: ActorRef): DomainError | undefined {
  const item = state.items.get(itemId);
  if (!item) return { code: "unknown_item", itemId };
  if (item.state === "cancelled") return { code: "item_already_cancelled", itemId };
  if (reason.trim() === "") return { code: "reason_required" };
  if (reason.length > orderLimits.reasonLengthMax) return { code: "note_too_long", max: orderLimits.reasonLengthMax };
  if (item.state !== "waiting" && actor.role !== "admin") return { code: "cancel_needs_admin", itemId, state: item.state };
  return undefined;
}

function ticketEvents(
  command: SessionCommand,
  ticketId: string,
  batchId: string,
  batchNo: number,
  stationId: string,
  kind: KitchenTicketCreated["kind"],
  itemIds: string[],
): [KitchenTicketCreated, TicketPrintRequested] {
  return [
    { type: "KitchenTicketCreated", v: 1, ...meta(command), ticketId, batchId, batchNo, stationId, kind, itemIds },
    { type: "TicketPrintRequested", v: 1, ...meta(command), ticketId, stationId, slipKey: `${ticketId}:${kind}` },
  ];
}

function stationsInOrder(items: readonly ConfirmedItem[]): string[] {
  return [...new Set(items.map((i) => i.stationId))];
}

function meta(command: SessionCommand) {
  return { at: command.at, actor: command.actor };
}

function accept(events: SessionEvent[]): Decision {
  return { ok: true, events };
}

function reject(error: DomainError): Decision {
  return { ok: false, error };
}

