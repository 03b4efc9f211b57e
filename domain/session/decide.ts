import { assertNever } from "../assert.ts";
import type { Menu } from "../menu.ts";
import { orderLimits } from "../limits.ts";
import { priceLine, totalOf } from "../pricing.ts";
import type { CloseSession, ConfirmDraft, OpenSession, SessionCommand } from "./commands.ts";
import type { DomainError } from "./errors.ts";
import type { SessionState } from "./state.ts";
import { isActive } from "./state.ts";
import type { ConfirmedItem, SessionEvent } from "./events.ts";
import { ticketEvents } from "./tickets.ts";
import { stockShortfall } from "../stock/levels.ts";
import { decideCancel, decideCancelBatch, decideChangeQuantity } from "./decide-cancel.ts";
import { decideAdvance, decideBump, decideMissing, decideRecall } from "./decide-kitchen.ts";

export type Decision = { ok: true; events: SessionEvent[] } | { ok: false; error: DomainError };

/** Runtime availability of a menu item (86 / countdown), set by the kitchen or an admin. */
export interface StockLevel {
  readonly soldOut: boolean;
  /** Portions left; null = not counted. */
  readonly remaining: number | null;
}

/** What decide needs besides the state: the store's menu and stock as they are now. */
export interface DecideContext {
  readonly menu: Menu;
  readonly stock?: ReadonlyMap<string, StockLevel>;
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
      return decideConfirm(command, state, context);
    case "CancelItem":
      return decideCancel(command, state);
    case "CancelBatch":
      return decideCancelBatch(command, state);
    case "ChangeItemQuantity":
      return decideChangeQuantity(command, state);
    case "CloseSession":
      return decideClose(command, state);
    case "AdvanceItems":
      return decideAdvance(command, state);
    case "MarkMissing":
      return decideMissing(command, state);
    case "BumpTicket":
      return decideBump(command, state);
    case "RecallTicket":
      return decideRecall(command, state);
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

function decideConfirm(command: ConfirmDraft, state: SessionState, context: DecideContext): Decision {
  if (command.lines.length === 0) return reject({ code: "empty_draft" });
  if (command.lines.length > orderLimits.draftLinesMax) return reject({ code: "too_many_lines", max: orderLimits.draftLinesMax });
  if (state.items.size + command.lines.length > orderLimits.itemsPerSessionMax) {
    return reject({ code: "too_many_lines", max: orderLimits.itemsPerSessionMax });
  }
  if (state.batches.some((b) => b.batchId === command.batchId)) return reject({ code: "id_already_used", id: command.batchId });
  const items: ConfirmedItem[] = [];
  for (const [index, request] of command.lines.entries()) {
    const priced = priceLine(context.menu, request);
    if (!priced.ok) return priced;
    items.push({ ...priced.line, itemId: `${command.batchId}-${index + 1}` });
  }
  const stockError = stockShortfall(items, context.stock);
  if (stockError) return reject(stockError);
  const batchTotal = totalOf("draft", items.map((i) => i.lineTotal));
  if (!batchTotal.ok) return batchTotal;
  const sessionTotal = totalOf("session", [state.total, batchTotal.total]);
  if (!sessionTotal.ok) return sessionTotal;
  const batchNo = state.batches.length + 1;
  const { batchId, source } = command;
  const events: SessionEvent[] = [
    { type: "BatchConfirmed", v: 1, ...meta(command), batchId, batchNo, source, items, total: batchTotal.total },
  ];
  for (const stationId of new Set(items.map((i) => i.stationId))) {
    const itemIds = items.filter((i) => i.stationId === stationId).map((i) => i.itemId);
    events.push(...ticketEvents(command, `${batchId}-${stationId}`, batchId, batchNo, stationId, "new", itemIds));
  }
  return accept(events);
}

/** 86'd items and countdowns are enforced at confirm for every channel (POS, QR, app). */
function decideClose(command: CloseSession, state: SessionState): Decision {
  // Until payments exist, only an admin may close over confirmed, uncancelled items (R-VAL-1 logs it).
  if (state.total !== 0 && command.actor.role !== "admin") return reject({ code: "outstanding_items", total: state.total });
  if (state.total !== 0 && command.reason.trim() === "") return reject({ code: "reason_required" });
  if (command.reason.length > orderLimits.reasonLengthMax) return reject({ code: "note_too_long", max: orderLimits.reasonLengthMax });
  return accept([{ type: "SessionClosed", v: 1, ...meta(command), reason: command.reason, total: state.total }]);
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
