import { schema, t, type SchemaType } from "@colyseus/schema";
import { StockState } from "../table-state.ts";

export const TicketItemState = schema(
  {
    itemId: t.string(),
    menuId: t.string(),
    name: t.string(),
    quantity: t.uint8().default(1),
    options: t.array("string"),
    note: t.string().default(""),
    /** waiting → cooking → cooked → served, or cancelled. */
    state: t.string().default("waiting"),
    cookStartedAt: t.string().default(""),
    cookedAt: t.string().default(""),
    servedAt: t.string().default(""),
    missing: t.boolean().default(false),
    /** R-KDS-3: cooked but not served for longer than the configured minutes. */
    late: t.boolean().default(false),
    /** Set on the new line of a quantity change: the line it replaces. */
    replacesItemId: t.string().default(""),
  },
  "TicketItem",
);
export type TicketItemState = SchemaType<typeof TicketItemState>;

export const TicketState = schema(
  {
    ticketId: t.string(),
    tableId: t.string(),
    tableName: t.string(),
    batchNo: t.uint16().default(0),
    stationId: t.string(),
    /** new | change | partial_cancel | cancel: a delta after confirm is its own typed ticket. */
    kind: t.string().default("new"),
    /** R-UI-2 source badge: pos | qr | app. */
    source: t.string().default("pos"),
    createdAt: t.string(),
    /** R-KDS-4: older than the configured minutes and not done. */
    urgent: t.boolean().default(false),
    done: t.boolean().default(false),
    /** "" (not yet reported), "printed" or "failed": a failed slip shows as not printed. */
    printStatus: t.string().default(""),
    /** R-PAY-4: "paying" once the table started paying. */
    payment: t.string().default(""),
    items: t.array(TicketItemState),
  },
  "Ticket",
);
export type TicketState = SchemaType<typeof TicketState>;

export const AllDayState = schema({ name: t.string(), quantity: t.uint16().default(0) }, "AllDay");
export type AllDayState = SchemaType<typeof AllDayState>;

export const KitchenState = schema(
  {
    storeId: t.string(),
    /** "" = every station. */
    stationId: t.string().default(""),
    /** Open tickets (not bumped) of this room's station(s). */
    tickets: t.map(TicketState),
    /** Open portions per menu item: how many 김치찌개 are waiting or cooking now. */
    allDay: t.map(AllDayState),
    stock: t.map(StockState),
    /** The last bumped ticket ids, newest last, for recall. */
    bumped: t.array("string"),
    kitchenOnline: t.map("boolean"),
    /** Config `kitchen.urgentAfterMinutes`, so a screen can colour its timers before `urgent` flips. */
    urgentAfterMinutes: t.uint16().default(0),
  },
  "KitchenState",
);
export type KitchenState = SchemaType<typeof KitchenState>;
