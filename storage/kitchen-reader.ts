import type { Storage } from "./database.ts";

export interface TicketRow {
  ticket_id: string; session_id: string; store_id: string; table_id: string; batch_id: string; batch_no: number;
  station_id: string; kind: string; item_ids: string; state: string; created_at: string; bumped_at: string | null; source: string;
}

export interface ItemRow {
  item_id: string; batch_id: string; session_id: string; menu_id: string; name: string; station_id: string; quantity: number;
  options: string; note: string; source: string; state: string; replaces_item_id: string | null; created_at: string;
  cook_started_at: string | null; cooked_at: string | null; served_at: string | null; missing_at: string | null; missing_note: string | null;
}

// A timed-out table is not over (R-OFF-1): its tickets stay on the kitchen screen until it closes.
const live = "('open', 'in_kitchen', 'paying', 'timed_out')";

/** What the kitchen board is rebuilt from at start: tickets and items of every live session. */
export function createKitchenReader(storage: Storage) {
  const tickets = storage.sqlite.prepare(
    `select t.*, b.source from kitchen_tickets t join sessions s on s.session_id = t.session_id join order_batches b on b.batch_id = t.batch_id
     where s.status in ${live} order by t.created_at, t.ticket_id`,
  );
  const items = storage.sqlite.prepare(`select i.* from order_items i join sessions s on s.session_id = i.session_id where s.status in ${live}`);
  const ticket = storage.sqlite.prepare(
    "select t.*, b.source from kitchen_tickets t join order_batches b on b.batch_id = t.batch_id where t.ticket_id = ?",
  );
  const item = storage.sqlite.prepare("select * from order_items where item_id = ?");
  const tableOf = storage.sqlite.prepare("select table_id from sessions where session_id = ?").pluck();
  const head = storage.sqlite.prepare("select coalesce(max(id), 0) from outbox").pluck();
  const receipt = storage.sqlite.prepare("select payload from receipts where receipt_id = ?").pluck();
  // A superseded original: another copy of its content printed, so the kitchen has it on paper.
  const printStates = storage.sqlite.prepare("select ticket_id as ticketId, case when state = 'superseded' then 'printed' else state end as state from print_slips where reprint_no = 0 and state != 'pending'");
  const snapshot = storage.sqlite.transaction(() => ({
    tickets: tickets.all() as TicketRow[],
    items: items.all() as ItemRow[],
    printStates: printStates.all() as { ticketId: string; state: "printed" | "failed" }[],
    outboxHead: head.get() as number,
  }));
  return {
    /** Read in one transaction, so the head matches exactly what the rows contain. */
    snapshot(): { tickets: TicketRow[]; items: ItemRow[]; printStates: { ticketId: string; state: "printed" | "failed" }[]; outboxHead: number } {
      return snapshot.deferred();
    },
    /** A ticket with its items in ticket order, whatever the session's state (a reprint may come late). */
    ticketWithItems(ticketId: string): { ticket: TicketRow; items: ItemRow[] } | undefined {
      const row = ticket.get(ticketId) as TicketRow | undefined;
      if (!row) return undefined;
      const items = (JSON.parse(row.item_ids) as string[]).map((id) => item.get(id) as ItemRow | undefined).filter((i): i is ItemRow => i !== undefined);
      return { ticket: row, items };
    },
    /** A printed receipt's frozen content (receipt slips are keyed `receipt:<id>` in print_slips). */
    receiptPayload(receiptId: string): unknown {
      const text = receipt.get(receiptId) as string | undefined;
      return text === undefined ? undefined : JSON.parse(text);
    },
    tableOfSession(sessionId: string): string | undefined {
      return tableOf.get(sessionId) as string | undefined;
    },
  };
}

export type KitchenReader = ReturnType<typeof createKitchenReader>;
