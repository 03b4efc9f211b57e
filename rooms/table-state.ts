import { schema, t, type SchemaType } from "@colyseus/schema";

/** A draft line: lives only here, never in the database until confirmed (R-ORD-1, R-GOAL-2). */
export const DraftLineState = schema(
  {
    lineId: t.string(),
    menuId: t.string(),
    name: t.string(),
    quantity: t.uint8().default(1),
    unitPriceWon: t.int64().default(0),
    optionIds: t.array("string"),
    optionNames: t.array("string"),
    note: t.string().default(""),
    lineTotalWon: t.int64().default(0),
    addedBy: t.string(),
  },
  "DraftLine",
);
export type DraftLineState = SchemaType<typeof DraftLineState>;

/** A confirmed order item as every terminal of the table sees it. */
export const ItemState = schema(
  {
    itemId: t.string(),
    batchNo: t.uint16().default(0),
    menuId: t.string(),
    name: t.string(),
    stationId: t.string(),
    quantity: t.uint8().default(1),
    unitPriceWon: t.int64().default(0),
    optionNames: t.array("string"),
    /** Staff notes: only in staff views (a customer's StateView never carries them). */
    note: t.string().default("").view(),
    lineTotalWon: t.int64().default(0),
    source: t.string().default("pos"),
    state: t.string().default("waiting"),
    replacesItemId: t.string().default(""),
    replacedByItemId: t.string().default(""),
    cookStartedAt: t.string().default(""),
    cookedAt: t.string().default(""),
    servedAt: t.string().default(""),
    /** The kitchen reported it missing (not sent / lost): the front should act. */
    missing: t.boolean().default(false),
    missingNote: t.string().default(""),
  },
  "Item",
);
export type ItemState = SchemaType<typeof ItemState>;

/** Runtime stock of a menu item (86 / countdown); absent = available without limit. */
export const StockState = schema(
  {
    soldOut: t.boolean().default(false),
    /** -1 = not counted. */
    remaining: t.int32().default(-1),
  },
  "Stock",
);
export type StockState = SchemaType<typeof StockState>;

/** A confirmed batch: its SPEC state (confirmed, in_kitchen, ready, void) and its total as confirmed. */
export const BatchState = schema(
  {
    batchId: t.string(),
    batchNo: t.uint16().default(0),
    source: t.string().default("pos"),
    status: t.string().default("confirmed"),
    totalWon: t.int64().default(0),
    confirmedAt: t.string().default(""),
  },
  "Batch",
);
export type BatchState = SchemaType<typeof BatchState>;

/** One payment as the payment panel shows it (R-UI-3); the provider's raw answer stays on the server. */
export const PaymentState = schema(
  {
    paymentId: t.string(),
    method: t.string(),
    status: t.string(),
    requestedWon: t.int64().default(0),
    approvedWon: t.int64().default(0),
    refundedWon: t.int64().default(0),
    changeWon: t.int64().default(0),
    label: t.string().default(""),
    cardIssuer: t.string().default(""),
    maskedCardNo: t.string().default(""),
    approvalNo: t.string().default(""),
    installmentMonths: t.uint8().default(0),
  },
  "Payment",
);
export type PaymentState = SchemaType<typeof PaymentState>;

export const AdjustmentState = schema(
  {
    adjustmentId: t.string(),
    kind: t.string(),
    scope: t.string(),
    targetId: t.string().default(""),
    percent: t.uint8().default(0),
    amountWon: t.int64().default(0),
    reasonCode: t.string(),
    note: t.string().default(""),
  },
  "Adjustment",
);
export type AdjustmentState = SchemaType<typeof AdjustmentState>;

/** A line of one phone's cart (QR): priced like a draft line, never in the database until confirmed. */
export const CartLineState = schema(
  {
    lineId: t.string(),
    menuId: t.string(),
    name: t.string(),
    quantity: t.uint8().default(1),
    optionIds: t.array("string"),
    optionNames: t.array("string"),
    note: t.string().default(""),
    lineTotalWon: t.int64().default(0),
  },
  "CartLine",
);
export type CartLineState = SchemaType<typeof CartLineState>;

/** One phone's cart; each customer's view holds its own only. */
export const CartState = schema(
  {
    cartId: t.string(),
    lines: t.map(CartLineState),
    totalWon: t.int64().default(0),
  },
  "Cart",
);
export type CartState = SchemaType<typeof CartState>;

/** R-CON-1: who holds the table's edit lock and until when (ISO times). */
export const EditLockState = schema(
  {
    holderStaffId: t.string(),
    holderName: t.string(),
    /** The holding connection's sessionId: a terminal compares it with its own `room.sessionId`. */
    holderTerminal: t.string(),
    takenAt: t.string(),
    expiresAt: t.string(),
  },
  "EditLock",
);
export type EditLockState = SchemaType<typeof EditLockState>;

export const TableState = schema(
  {
    storeId: t.string(),
    tableId: t.string(),
    tableName: t.string(),
    sessionId: t.string().default(""),
    /** SPEC session state, or "none" when the table is free. */
    status: t.string().default("none"),
    /** Event count of the session: send it back as expectedVersion (R-CON-2). */
    version: t.uint32().default(0),
    guests: t.uint8().default(0),
    openedAt: t.string().default(""),
    batchCount: t.uint16().default(0),
    /** Confirmed, uncancelled items (before adjustments). */
    totalWon: t.int64().default(0),
    /** R-INV-1 / R-VAL-2, from the server: items + adjustments, paid (approved − refunded), in flight, outstanding. */
    sessionTotalWon: t.int64().default(0),
    paidWon: t.int64().default(0),
    pendingWon: t.int64().default(0),
    outstandingWon: t.int64().default(0),
    batches: t.map(BatchState),
    /** Staff views only (payment details never reach a customer). */
    payments: t.map(PaymentState).view(),
    adjustments: t.map(AdjustmentState).view(),
    /** QR carts by customer id: a customer's view holds its own cart, staff views hold all. */
    carts: t.map(CartState).view(),
    items: t.map(ItemState),
    /** R-UI-1: the terminal shows "not saved yet" while this is non-empty. Staff views only. */
    draft: t.map(DraftLineState).view(),
    draftVersion: t.uint32().default(0),
    draftTotalWon: t.int64().default(0),
    stock: t.map(StockState),
    /** Per station: is at least one kitchen screen alive (heartbeat within the limit)? */
    kitchenOnline: t.map("boolean"),
    /** R-CON-1: the edit lock under key "table" while one is held; staff views only (a phone never sees it). */
    lock: t.map(EditLockState).view(),
  },
  "TableState",
);
export type TableState = SchemaType<typeof TableState>;
