import { schema, t, type SchemaType } from "@colyseus/schema";

export const PrinterView = schema(
  {
    printerId: t.string(),
    name: t.string(),
    address: t.string(),
    reachable: t.boolean().default(true),
    coverOpen: t.boolean().default(false),
    paperOut: t.boolean().default(false),
    paperNearEnd: t.boolean().default(false),
    lastError: t.string().default(""),
    checkedAt: t.string().default(""),
    consecutiveFailures: t.uint16().default(0),
    /** Set while this printer's slips go to its backup. */
    failedOverTo: t.string().default(""),
    pending: t.uint16().default(0),
  },
  "PrinterView",
);

export const SlipView = schema(
  {
    slipKey: t.string(),
    ticketId: t.string(),
    stationId: t.string(),
    printerId: t.string(),
    state: t.string(),
    attempts: t.uint16().default(0),
    reprintNo: t.uint16().default(0),
    lastError: t.string().default(""),
    updatedAt: t.string().default(""),
  },
  "SlipView",
);

export const JobView = schema(
  {
    jobId: t.string(),
    slipKey: t.string(),
    printerId: t.string(),
    attempt: t.uint16().default(1),
    marked: t.boolean().default(false),
    state: t.string(),
    error: t.string().default(""),
    createdAt: t.string(),
    finishedAt: t.string().default(""),
  },
  "JobView",
);

/** R-PAY-4: a payment step of a table, newest first. */
export const PaymentEventView = schema(
  {
    tableId: t.string(),
    sessionId: t.string(),
    kind: t.string(),
    paymentId: t.string().default(""),
    amountWon: t.int64().default(0),
    at: t.string(),
  },
  "PaymentEventView",
);

/** The admin console: printer health, failed slips and the print-job log (R-KRP-1/2, R-UI-4). */
export const AdminState = schema(
  {
    storeId: t.string(),
    printers: t.map(PrinterView),
    failedSlips: t.map(SlipView),
    /** Most recent attempts first. */
    jobs: t.array(JobView),
    /** The last payment steps of the store's tables (paying, paid, declined, refunded, closed). */
    payments: t.array(PaymentEventView),
  },
  "AdminState",
);
export type AdminState = SchemaType<typeof AdminState>;
