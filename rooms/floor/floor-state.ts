import { schema, t, type SchemaType } from "@colyseus/schema";

/** One table on the POS floor view (R-UI-1): what a server glancing at the floor needs. */
export const FloorTableState = schema(
  {
    tableId: t.string(),
    name: t.string(),
    /** Session status (`none` when free): open, in_kitchen, paying, timed_out, closed, cancelled. */
    status: t.string().default("none"),
    sessionId: t.string().default(""),
    guests: t.uint8().default(0),
    openedAt: t.string().default(""),
    /** Last durable activity of the session (its last event). */
    lastActivityAt: t.string().default(""),
    batchCount: t.uint16().default(0),
    sessionTotalWon: t.int64().default(0),
    paidWon: t.int64().default(0),
    outstandingWon: t.int64().default(0),
    /** Items a QR/app guest ordered that the kitchen has not finished. */
    remoteItemsOpen: t.uint16().default(0),
    /** R-CON-1: the edit lock's holder and expiry ("" when free). */
    lockHolderName: t.string().default(""),
    lockExpiresAt: t.string().default(""),
    /** R-KRP-2 / R-UI-4: slips of this table that failed to print and are not printed yet. */
    printFailures: t.uint16().default(0),
    /** The last "직원 호출" from a guest's phone (ISO), "" when none since the table was seated. */
    staffCalledAt: t.string().default(""),
  },
  "FloorTable",
);
export type FloorTableState = SchemaType<typeof FloorTableState>;

export const FloorState = schema(
  {
    storeId: t.string(),
    storeName: t.string(),
    tables: t.map(FloorTableState),
  },
  "FloorState",
);
export type FloorState = SchemaType<typeof FloorState>;
