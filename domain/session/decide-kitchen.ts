import { orderLimits } from "../limits.ts";
import type { AdvanceItems, BumpTicket, MarkMissing, RecallTicket } from "./commands.ts";
import type { ItemState, SessionState } from "./state.ts";
import type { Step as Decision } from "./decide.ts";

/** Which states each kitchen step may start from; the target itself means "already done, skip". */
const allowedFrom: Record<AdvanceItems["to"], readonly ItemState[]> = {
  cooking: ["waiting"],
  cooked: ["waiting", "cooking"],
  // R-KDS-3: serving needs the item cooked first, so a missed serving shows up as "cooked".
  served: ["cooked"],
};

export function decideAdvance(command: AdvanceItems, state: SessionState): Decision {
  if (command.itemIds.length === 0 || command.itemIds.length > orderLimits.draftLinesMax) return { ok: false, error: { code: "too_many_lines", max: orderLimits.draftLinesMax } };
  const moving: string[] = [];
  for (const itemId of new Set(command.itemIds)) {
    const item = state.items.get(itemId);
    if (!item) return { ok: false, error: { code: "unknown_item", itemId } };
    if (item.state === "cancelled") return { ok: false, error: { code: "item_already_cancelled", itemId } };
    if (item.state === command.to) continue;
    if (!allowedFrom[command.to].includes(item.state)) return { ok: false, error: { code: "invalid_transition", itemId, from: item.state, to: command.to } };
    moving.push(itemId);
  }
  if (moving.length === 0) return { ok: true, events: [] };
  const { at, actor } = command;
  const type = command.to === "cooking" ? "ItemsCookingStarted" : command.to === "cooked" ? "ItemsCooked" : "ItemsServed";
  return { ok: true, events: [{ type, v: 1, at, actor, itemIds: moving }] };
}

export function decideMissing(command: MarkMissing, state: SessionState): Decision {
  const item = state.items.get(command.itemId);
  if (!item) return { ok: false, error: { code: "unknown_item", itemId: command.itemId } };
  if (item.state === "cancelled") return { ok: false, error: { code: "item_already_cancelled", itemId: item.itemId } };
  if (command.note.length > orderLimits.noteLengthMax) return { ok: false, error: { code: "note_too_long", max: orderLimits.noteLengthMax } };
  const { at, actor } = command;
  return { ok: true, events: [{ type: "ItemMarkedMissing", v: 1, at, actor, itemId: item.itemId, note: command.note }] };
}

export function decideBump(command: BumpTicket, state: SessionState): Decision {
  const ticket = state.tickets.get(command.ticketId);
  if (!ticket) return { ok: false, error: { code: "unknown_ticket", ticketId: command.ticketId } };
  if (ticket.bumpedAt !== null) return { ok: true, events: [] };
  return { ok: true, events: [{ type: "TicketBumped", v: 1, at: command.at, actor: command.actor, ticketId: ticket.ticketId }] };
}

export function decideRecall(command: RecallTicket, state: SessionState): Decision {
  const ticket = state.tickets.get(command.ticketId);
  if (!ticket) return { ok: false, error: { code: "unknown_ticket", ticketId: command.ticketId } };
  if (ticket.bumpedAt === null) return { ok: false, error: { code: "ticket_not_bumped", ticketId: ticket.ticketId } };
  return { ok: true, events: [{ type: "TicketRecalled", v: 1, at: command.at, actor: command.actor, ticketId: ticket.ticketId }] };
}
