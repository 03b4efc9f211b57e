import type { BoardItem, BoardTicket, KitchenBoard } from "./board.ts";
import { AllDayState, TicketItemState, TicketState, type KitchenState } from "./kitchen-state.ts";
import { kitchenLimits } from "./limits.ts";

export interface ViewScope {
  readonly storeId: string;
  /** "" = every station. */
  readonly stationId: string;
  tableName(tableId: string): string;
  readonly urgentAfterMs: number;
  readonly lateServeAfterMs: number;
}

export function inScope(ticket: BoardTicket, scope: ViewScope): boolean {
  return ticket.storeId === scope.storeId && (scope.stationId === "" || ticket.stationId === scope.stationId);
}

/**
 * Brings the listed tickets (or all) of the board into the room state; bumped ones leave the
 * screen. Returns whether the bumped list may have changed (so the caller re-sorts it only then).
 */
export function syncTickets(view: KitchenState, board: KitchenBoard, scope: ViewScope, nowMs: number, only?: ReadonlySet<string>): boolean {
  const ids = only ?? new Set([...board.tickets.keys(), ...view.tickets.keys()]);
  let bumpedChanged = only === undefined;
  for (const ticketId of ids) {
    const ticket = board.tickets.get(ticketId);
    if (ticket && inScope(ticket, scope) && (ticket.bumpedAt !== null) !== view.bumped.includes(ticketId)) bumpedChanged = true;
    if (!ticket || !inScope(ticket, scope) || ticket.bumpedAt !== null) {
      view.tickets.delete(ticketId);
      continue;
    }
    let entry = view.tickets.get(ticketId);
    if (!entry) {
      entry = new TicketState({ ticketId, tableId: ticket.tableId, tableName: scope.tableName(ticket.tableId), stationId: ticket.stationId, createdAt: ticket.createdAt });
      entry.batchNo = ticket.batchNo;
      entry.kind = ticket.kind;
      entry.source = ticket.source;
      view.tickets.set(ticketId, entry);
    }
    entry.printStatus = ticket.printStatus;
    entry.payment = ticket.payment;
    writeItems(entry, ticket.itemIds.map((id) => board.items.get(id)).filter((i): i is BoardItem => i !== undefined));
    refreshTicketFlags(entry, scope, nowMs);
  }
  return bumpedChanged;
}

function writeItems(entry: TicketState, items: BoardItem[]): void {
  if (entry.items.length !== items.length || items.some((item, i) => entry.items[i]?.itemId !== item.itemId)) {
    entry.items.splice(0, entry.items.length, ...items.map((item) => new TicketItemState({ itemId: item.itemId, menuId: item.menuId, name: item.name })));
  }
  items.forEach((item, i) => {
    const view = entry.items[i]!;
    view.quantity = item.quantity;
    if (view.options.length !== item.options.length) view.options.splice(0, view.options.length, ...item.options);
    view.note = item.note;
    view.state = item.state;
    view.cookStartedAt = item.cookStartedAt ?? "";
    view.cookedAt = item.cookedAt ?? "";
    view.servedAt = item.servedAt ?? "";
    view.missing = item.missingAt !== null;
    view.replacesItemId = item.replacesItemId ?? "";
  });
  entry.done = items.every((i) => i.state === "cooked" || i.state === "served" || i.state === "cancelled");
}

/**
 * The synced state keeps only the newest `bumpedKeptMax` bumped ids (a day of bumps stays on the
 * board, for a recall by id and `GET /api/kitchen/tickets?bumped=1`, but not in every screen's
 * state). A bump is sent as one shift and one push: rewriting the array would send every kept id
 * to every screen on every bump. Only removals and pushes edit it in place; when an older id must
 * come back in front (a recall of a kept ticket) the array is rewritten instead, because
 * @colyseus/schema 5.0.34 decodes a removal followed by a splice insert in one patch out of order.
 */
export function syncBumped(view: KitchenState, board: Pick<KitchenBoard, "tickets">, scope: ViewScope): void {
  const bumped = [...board.tickets.values()]
    .filter((t) => inScope(t, scope) && t.bumpedAt !== null)
    .sort((a, b) => (a.bumpedAt! < b.bumpedAt! ? -1 : 1))
    .slice(-kitchenLimits.bumpedKeptMax)
    .map((t) => t.ticketId);
  const wanted = new Set(bumped);
  const survivors = [...view.bumped].filter((id) => wanted.has(id));
  if (survivors.every((id, i) => bumped[i] === id)) {
    for (let i = view.bumped.length - 1; i >= 0; i--) if (!wanted.has(view.bumped[i]!)) view.bumped.splice(i, 1);
    for (let i = view.bumped.length; i < bumped.length; i++) view.bumped.push(bumped[i]!);
  } else if (bumped.length !== view.bumped.length || bumped.some((id, i) => view.bumped[i] !== id)) {
    view.bumped.splice(0, view.bumped.length, ...bumped);
  }
}

/** All-day counts: open (waiting or cooking) portions per menu item in this room's scope. */
export function syncAllDay(view: KitchenState, board: KitchenBoard, scope: ViewScope): void {
  const counts = new Map<string, { name: string; quantity: number }>();
  for (const item of board.items.values()) {
    if (item.storeId !== scope.storeId || (scope.stationId !== "" && item.stationId !== scope.stationId)) continue;
    if (item.state !== "waiting" && item.state !== "cooking") continue;
    const entry = counts.get(item.menuId) ?? { name: item.name, quantity: 0 };
    entry.quantity += item.quantity;
    counts.set(item.menuId, entry);
  }
  for (const key of [...view.allDay.keys()]) if (!counts.has(key)) view.allDay.delete(key);
  for (const [menuId, { name, quantity }] of counts) {
    const existing = view.allDay.get(menuId);
    if (existing) existing.quantity = quantity;
    else view.allDay.set(menuId, new AllDayState({ name, quantity }));
  }
}

/** R-KDS-4 urgency and R-KDS-3 late-serve flags, from the clock and the configured minutes. */
export function refreshFlags(view: KitchenState, scope: ViewScope, nowMs: number): void {
  for (const ticket of view.tickets.values()) refreshTicketFlags(ticket, scope, nowMs);
}

function refreshTicketFlags(ticket: TicketState, scope: ViewScope, nowMs: number): void {
  ticket.urgent = !ticket.done && nowMs - Date.parse(ticket.createdAt) > scope.urgentAfterMs;
  for (const item of ticket.items) item.late = item.state === "cooked" && item.cookedAt !== "" && nowMs - Date.parse(item.cookedAt) > scope.lateServeAfterMs;
}
