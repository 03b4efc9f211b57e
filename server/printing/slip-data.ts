import type { KitchenSlip } from "../../printers/index.ts";
import type { ItemRow, TicketRow } from "../../storage/index.ts";
import type { StoreConfig } from "../config/index.ts";

/** What a kitchen slip prints, from the ticket rows (the same for every copy of the slip). */
export function slipFromTicket(store: StoreConfig, ticket: TicketRow, items: ItemRow[], widthChars: number): KitchenSlip {
  const names = new Map(items.map((i) => [i.item_id, i.name]));
  const kind = ticket.kind === "new" ? "new" : ticket.kind === "change" ? "change" : "cancel";
  return {
    storeName: store.name,
    tableName: store.tables.find((t) => t.id === ticket.table_id)?.name ?? ticket.table_id,
    batchNo: ticket.batch_no,
    ticketId: ticket.ticket_id,
    stationName: store.stations.find((s) => s.id === ticket.station_id)?.name ?? ticket.station_id,
    source: (ticket.source === "qr" || ticket.source === "app" ? ticket.source : "pos"),
    kind,
    createdAt: ticket.created_at,
    items: items.map((i, index) => ({
      name: i.name,
      quantity: i.quantity,
      options: (JSON.parse(i.options) as { name: string }[]).map((o) => o.name),
      note: i.note,
      // A change ticket lists [old line, new line]: the old one is shown taken back.
      cancelled: kind === "change" ? index === 0 : undefined,
      replacesName: i.replaces_item_id ? names.get(i.replaces_item_id) ?? undefined : undefined,
    })),
    reprintCount: 0,
    widthChars,
  };
}
