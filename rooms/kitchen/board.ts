import type { SessionEvent, TicketKind, ItemState } from "../../domain/index.ts";
import type { ItemRow, KitchenReader, OutboxRow, TicketRow } from "../../storage/index.ts";
import { kitchenLimits } from "./limits.ts";

export interface BoardItem {
  itemId: string; storeId: string; sessionId: string; tableId: string; batchId: string; menuId: string; name: string; stationId: string;
  quantity: number; options: string[]; note: string; source: string; state: ItemState; replacesItemId: string | null;
  cookStartedAt: string | null; cookedAt: string | null; servedAt: string | null; missingAt: string | null; missingNote: string;
}

export interface BoardTicket {
  ticketId: string; storeId: string; sessionId: string; tableId: string; batchId: string; batchNo: number; stationId: string;
  kind: TicketKind; source: string; itemIds: string[]; createdAt: string; bumpedAt: string | null;
  /** Kitchen printing of this ticket's slip: "" until the printer reports (R-KRP-2: the KDS shows "not printed"). */
  printStatus: "" | "printed" | "failed";
  /** R-PAY-4: the table is paying (a payment was started); a paid table's tickets leave with its session. */
  payment: "" | "paying";
}

/** A payment step of a table, as the kitchen and admin screens hear of it (R-PAY-4). */
export interface PaymentNotice {
  readonly storeId: string;
  readonly sessionId: string;
  readonly tableId: string;
  readonly kind: "paying" | "paid" | "declined" | "void" | "refunded" | "closed";
  readonly paymentId: string | null;
  readonly amountWon: number;
  readonly at: string;
}

type Listener = (storeId: string, ticketIds: ReadonlySet<string>) => void;

/**
 * The kitchen's view of every live session's tickets, rebuilt from SQLite at start and then fed
 * by the outbox (at least once, in order). Applying a row twice is harmless: duplicates are
 * dropped by event id and every change sets a value rather than adding to one.
 */
export class KitchenBoard {
  readonly tickets = new Map<string, BoardTicket>();
  readonly items = new Map<string, BoardItem>();
  readonly #seen = new Set<string>();
  readonly #listeners = new Set<Listener>();
  readonly #paymentListeners = new Set<(notice: PaymentNotice) => void>();
  readonly #sessionTable = new Map<string, string>();
  /** item → the tickets that list it (an item is on its batch ticket and on any delta tickets). */
  readonly #ticketsOfItem = new Map<string, Set<string>>();
  outboxHead = 0;

  constructor(private readonly reader: KitchenReader) {}

  load(): void {
    const snapshot = this.reader.snapshot();
    for (const row of snapshot.items) this.items.set(row.item_id, itemFromRow(row, snapshot.tickets.find((t) => t.session_id === row.session_id)));
    for (const row of snapshot.tickets) {
      this.tickets.set(row.ticket_id, ticketFromRow(row));
      this.#index(row.ticket_id, JSON.parse(row.item_ids) as string[]);
      this.#sessionTable.set(row.session_id, row.table_id);
    }
    // A slip that failed before a restart still shows as "not printed".
    for (const { ticketId, state } of snapshot.printStates) {
      const ticket = this.tickets.get(ticketId);
      if (ticket) ticket.printStatus = state;
    }
    this.outboxHead = snapshot.outboxHead;
  }

  onPayment(listener: (notice: PaymentNotice) => void): () => void {
    this.#paymentListeners.add(listener);
    return () => this.#paymentListeners.delete(listener);
  }

  #notifyPayment(event: SessionEvent, storeId: string, sessionId: string, kind: PaymentNotice["kind"], paymentId: string | null, amountWon: number): void {
    const notice = { storeId, sessionId, tableId: this.#tableOf(sessionId), kind, paymentId, amountWon, at: event.at };
    for (const listener of this.#paymentListeners) listener(notice);
  }

  onChange(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Outbox delivery: apply once per event id, then tell the kitchen rooms which tickets moved. */
  apply(row: OutboxRow): void {
    if (this.#seen.has(row.eventId)) return;
    this.#remember(row.eventId);
    const changed = this.#applyEvent(row.payload as SessionEvent, row.storeId, row.sessionId);
    if (changed.size > 0) for (const listener of this.#listeners) listener(row.storeId, changed);
  }

  setPrintStatus(ticketId: string, status: "printed" | "failed"): void {
    const ticket = this.tickets.get(ticketId);
    if (!ticket || ticket.printStatus === status) return;
    ticket.printStatus = status;
    for (const listener of this.#listeners) listener(ticket.storeId, new Set([ticketId]));
  }

  ticketsOf(storeId: string): BoardTicket[] {
    return [...this.tickets.values()].filter((t) => t.storeId === storeId);
  }

  #applyEvent(event: SessionEvent, storeId: string, sessionId: string): Set<string> {
    const changed = new Set<string>();
    const tableId = () => this.#tableOf(sessionId);
    const touch = (itemId: string, update: (item: BoardItem) => void) => {
      const item = this.items.get(itemId);
      if (!item) return;
      update(item);
      for (const ticketId of this.#ticketsOfItem.get(itemId) ?? []) changed.add(ticketId);
    };
    switch (event.type) {
      case "BatchConfirmed":
        for (const i of event.items) this.items.set(i.itemId, { ...newItem(i, storeId, sessionId, tableId(), event.batchId, event.source), replacesItemId: null });
        break;
      case "ItemAdded": {
        const old = this.items.get(event.replacesItemId);
        this.items.set(event.item.itemId, { ...newItem(event.item, storeId, sessionId, tableId(), event.batchId, old?.source ?? "pos"), replacesItemId: event.replacesItemId });
        break;
      }
      case "KitchenTicketCreated": {
        const source = this.items.get(event.itemIds[0] ?? "")?.source ?? "pos";
        const { ticketId, batchId, batchNo, stationId, kind } = event;
        this.tickets.set(ticketId, { ticketId, storeId, sessionId, tableId: tableId(), batchId, batchNo, stationId, kind, source, itemIds: [...event.itemIds], createdAt: event.at, bumpedAt: null, printStatus: "", payment: "" });
        this.#index(ticketId, event.itemIds);
        changed.add(ticketId);
        break;
      }
      case "ItemCancelled":
        touch(event.itemId, (i) => { i.state = "cancelled"; });
        break;
      case "ItemsCookingStarted":
        for (const id of event.itemIds) touch(id, (i) => { i.state = "cooking"; i.cookStartedAt = event.at; });
        break;
      case "ItemsCooked":
        for (const id of event.itemIds) touch(id, (i) => { i.state = "cooked"; i.cookStartedAt ??= event.at; i.cookedAt = event.at; });
        break;
      case "ItemsServed":
        for (const id of event.itemIds) touch(id, (i) => { i.state = "served"; i.servedAt = event.at; });
        break;
      case "ItemMarkedMissing":
        touch(event.itemId, (i) => { i.missingAt = event.at; i.missingNote = event.note; });
        break;
      case "TicketBumped":
      case "TicketRecalled": {
        const ticket = this.tickets.get(event.ticketId);
        if (ticket) {
          ticket.bumpedAt = event.type === "TicketBumped" ? event.at : null;
          changed.add(ticket.ticketId);
        }
        break;
      }
      case "PaymentRequested":
        for (const t of this.tickets.values()) if (t.sessionId === sessionId && t.payment !== "paying") { t.payment = "paying"; changed.add(t.ticketId); }
        this.#notifyPayment(event, storeId, sessionId, "paying", event.paymentId, event.amount);
        break;
      case "PaymentApproved":
        this.#notifyPayment(event, storeId, sessionId, "paid", event.paymentId, event.amount);
        break;
      case "PaymentDeclined":
      case "PaymentVoided":
        this.#notifyPayment(event, storeId, sessionId, event.type === "PaymentDeclined" ? "declined" : "void", event.paymentId, 0);
        break;
      case "RefundCompleted":
        this.#notifyPayment(event, storeId, sessionId, "refunded", event.paymentId, event.amount);
        break;
      case "SessionClosed":
        this.#notifyPayment(event, storeId, sessionId, "closed", null, 0);
        // A table that has left: its tickets leave the kitchen screen (and the all-day counts).
        for (const t of [...this.tickets.values()]) if (t.sessionId === sessionId) { this.tickets.delete(t.ticketId); changed.add(t.ticketId); }
        for (const i of [...this.items.values()]) if (i.sessionId === sessionId) { this.items.delete(i.itemId); this.#ticketsOfItem.delete(i.itemId); }
        // Bounded through a whole day: a reopened session's table is read again from storage.
        this.#sessionTable.delete(sessionId);
        break;
      case "SessionOpened":
      case "TicketPrintRequested":
      case "SessionReopened":
      // A timed-out table is not over (R-OFF-1): its tickets stay until it closes.
      case "SessionTimedOut":
      case "SessionResumed":
      case "AdjustmentApplied":
      case "AdjustmentRemoved":
      case "RefundRequested":
      case "RefundFailed":
        break;
      default: {
        // A new event type must be handled above (compile error). At run time a type this process does
        // not know (written by a newer process on the same file) is skipped: a throw here would make
        // the outbox relay retry this row forever and freeze every kitchen screen behind it.
        const unknown: never = event;
        void unknown;
        break;
      }
    }
    return changed;
  }

  #index(ticketId: string, itemIds: readonly string[]): void {
    for (const itemId of itemIds) {
      let set = this.#ticketsOfItem.get(itemId);
      if (!set) this.#ticketsOfItem.set(itemId, (set = new Set()));
      set.add(ticketId);
    }
  }

  #tableOf(sessionId: string): string {
    let tableId = this.#sessionTable.get(sessionId);
    if (!tableId) {
      tableId = this.reader.tableOfSession(sessionId) ?? "";
      this.#sessionTable.set(sessionId, tableId);
    }
    return tableId;
  }

  #remember(eventId: string): void {
    this.#seen.add(eventId);
    if (this.#seen.size > kitchenLimits.seenEventIdsMax) {
      const oldest = this.#seen.values().next().value;
      if (oldest !== undefined) this.#seen.delete(oldest);
    }
  }
}

function newItem(i: { itemId: string; menuId: string; name: string; stationId: string; quantity: number; options: readonly { name: string }[]; note: string }, storeId: string, sessionId: string, tableId: string, batchId: string, source: string): Omit<BoardItem, "replacesItemId"> {
  return {
    itemId: i.itemId, storeId, sessionId, tableId, batchId, menuId: i.menuId, name: i.name, stationId: i.stationId, quantity: i.quantity,
    options: i.options.map((o) => o.name), note: i.note, source, state: "waiting", cookStartedAt: null, cookedAt: null, servedAt: null, missingAt: null, missingNote: "",
  };
}

function itemFromRow(row: ItemRow, anyTicket: TicketRow | undefined): BoardItem {
  return {
    itemId: row.item_id, storeId: anyTicket?.store_id ?? "", sessionId: row.session_id, tableId: anyTicket?.table_id ?? "", batchId: row.batch_id,
    menuId: row.menu_id, name: row.name, stationId: row.station_id, quantity: row.quantity,
    options: (JSON.parse(row.options) as { name: string }[]).map((o) => o.name), note: row.note, source: row.source,
    state: row.state as ItemState, replacesItemId: row.replaces_item_id, cookStartedAt: row.cook_started_at, cookedAt: row.cooked_at,
    servedAt: row.served_at, missingAt: row.missing_at, missingNote: row.missing_note ?? "",
  };
}

function ticketFromRow(row: TicketRow): BoardTicket {
  return {
    ticketId: row.ticket_id, storeId: row.store_id, sessionId: row.session_id, tableId: row.table_id, batchId: row.batch_id, batchNo: row.batch_no,
    stationId: row.station_id, kind: row.kind as TicketKind, source: row.source, itemIds: JSON.parse(row.item_ids) as string[], createdAt: row.created_at, bumpedAt: row.bumped_at,
    printStatus: "",
    payment: "",
  };
}
