import { z } from "zod";
import { orderLimits } from "../domain/index.ts";

/** cmdId: client-made idempotency key (UUIDs fit; so do offline-queue keys like `pos1-000123`). */
export const cmdIdSchema = z.string().regex(/^[A-Za-z0-9_.:-]{8,80}$/, "cmdId: 8-80 chars of A-Z a-z 0-9 _ . : -");
const id = z.string().min(1).max(64);
const quantity = z.number().int();
const version = z.number().int().min(0).optional();
const optionIds = z.array(id).max(orderLimits.optionsPerLineMax).optional();
const note = z.string().max(orderLimits.noteLengthMax).optional();
const reason = z.string().max(orderLimits.reasonLengthMax);

/** Won on the wire: an integer; the domain decides what range a command allows (INVALID_AMOUNT, LIMIT_EXCEEDED). */
const won = z.number().int();
export const moneyWire = { splitWaysMax: 50 } as const;
const paymentMethod = z.enum(["cash", "card", "easy_pay", "points"]);
const adjustmentKind = z.enum(["percent_discount", "fixed_discount", "coupon", "comp", "service_charge", "correction"]);
const reasonCodeSchema = z.string().min(1).max(32);

export const cancelReasonCode = z.enum(["customer_request", "wrong_order", "kitchen_error", "quality", "other"]);
const itemIds = z.array(id).min(1).max(orderLimits.draftLinesMax);

const lineInput = z.strictObject({ menuId: id, quantity, optionIds, note });
export type LineInput = z.infer<typeof lineInput>;

/**
 * R-OFF-2: where, by whom and when an offline terminal queued this command (clients/offline-queue.ts).
 * The table room refuses it (FORBIDDEN, rule offline_origin) when it names another staff than the
 * sender or another store/table than the room, or when it is older than offlineLimits.queuedAgeMaxMs.
 */
export const offlineOriginSchema = z.strictObject({ staffId: id, storeId: id, tableId: id, queuedAt: z.iso.datetime({ offset: true }) });
export type OfflineOrigin = z.infer<typeof offlineOriginSchema>;

const command = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.strictObject({ cmdId: cmdIdSchema, type: z.literal(type), ...shape });

/**
 * R-CON-2: the version and the session a terminal decided on. A version is counted per session, so
 * a command decided on the previous guests' session can meet the same number on the next one;
 * `expectedSessionId` refuses it (SESSION_CLOSED, rule other_session).
 */
const decidedOn = { expectedVersion: version, expectedSessionId: id.optional() };

/** Every command a table room accepts, discriminated by `type`. Unknown fields are refused. */
export const tableCommandSchema = z.discriminatedUnion("type", [
  command("session.open", { guests: z.number().int().optional() }),
  command("draft.add", { menuId: id, quantity, optionIds, note }),
  command("draft.change", { lineId: id, quantity: quantity.optional(), optionIds, note }),
  command("draft.remove", { lineId: id }),
  command("draft.clear", {}),
  /** `lines` confirms those lines instead of the shared draft (an offline terminal's queue, R-OFF-2). */
  command("confirm", { ...decidedOn, draftVersion: version, lines: z.array(lineInput).max(orderLimits.draftLinesMax).optional(), offline: offlineOriginSchema.optional() }),
  command("item.cancel", { itemId: id, reason, reasonCode: cancelReasonCode.optional(), ...decidedOn }),
  command("batch.cancel", { batchId: id, reason, reasonCode: cancelReasonCode.optional(), ...decidedOn }),
  /** R-KDS-3: the floor marks served; only cooked items can be served. */
  command("item.serve", { itemIds, ...decidedOn }),
  command("item.changeQuantity", { itemId: id, quantity, reason: reason.optional(), ...decidedOn }),
  command("session.close", { reason: reason.optional(), ...decidedOn }),
  /** R-VAL-1: admin only, with a reason. */
  command("session.reopen", { reason, sessionId: id.optional(), expectedVersion: version }),
  /** R-OFF-1: staff take a timed-out session back into service. */
  command("session.resume", { reason: reason.optional(), ...decidedOn }),
  /** R-PAY-1: the payment panel's figures (read only); `ways` = equal split, `itemIds` = split by items. */
  command("payment.quote", { ways: z.number().int().min(1).max(moneyWire.splitWaysMax).optional(), itemIds: z.array(id).min(1).max(orderLimits.itemsPerSessionMax).optional() }),
  command("payment.start", {
    method: paymentMethod,
    amount: won,
    tendered: won.optional(),
    installmentMonths: z.number().int().min(0).max(36).optional(),
    label: z.string().max(orderLimits.noteLengthMax).optional(),
    /** Demo/test card token for the VAN simulator (a real terminal reads the card itself). */
    cardToken: z.string().max(64).optional(),
    ...decidedOn,
    /** Only a cash payment may have been queued offline (a card needs the provider and the card). */
    offline: offlineOriginSchema.optional(),
  }),
  command("refund.start", { paymentId: id, amount: won, reason, reasonCode: reasonCodeSchema, ...decidedOn }),
  command("adjustment.apply", {
    kind: adjustmentKind,
    scope: z.enum(["session", "batch", "item"]),
    targetId: id.optional(),
    percent: z.number().int().optional(),
    amount: won.optional(),
    reasonCode: reasonCodeSchema,
    note: reason.optional(),
    /** A second person's PIN when the amount is above the store's approval threshold. */
    approver: z.strictObject({ staffId: id, pin: z.string().min(1).max(16) }).optional(),
    ...decidedOn,
  }),
  command("adjustment.remove", { adjustmentId: id, reason, ...decidedOn }),
  /** The customer receipt as data (for a screen), and printed on the receipt printer. */
  command("receipt.get", {}),
  command("receipt.print", {}),
  /** R-CON-1: the table's edit lock (staff); the TTL's range is the store's (config `locks`); takeover is admin only. */
  command("lock.take", { ttlSeconds: z.number().int().optional(), reason: reason.optional() }),
  command("lock.release", {}),
  command("lock.takeover", { reason }),
  /** 현금영수증 for a cash payment: a phone number (소득공제) or a business number (지출증빙). */
  /** Customer (QR phone) commands: its own cart, its confirm (a `qr` batch), a staff call. */
  command("cart.add", { menuId: id, quantity, optionIds, note }),
  command("cart.remove", { lineId: id }),
  command("cart.clear", {}),
  command("cart.confirm", {}),
  /**
   * A phone pays its own cart before it is sent (prepaid QR): `expectedTotalWon` is the total the
   * phone showed (a changed price refuses with PRICE_MISMATCH instead of charging another amount).
   */
  command("cart.pay", { method: z.enum(["card", "easy_pay"]), expectedTotalWon: won, cardToken: z.string().max(64).optional() }),
  command("staff.call", { note: z.string().max(60).optional() }),
  command("cashReceipt.issue", { paymentId: id, purpose: z.enum(["income_deduction", "expense_proof"]), identity: z.string().regex(/^\d{10,13}$/, "10 to 13 digits") }),
]);

export type TableCommand = z.infer<typeof tableCommandSchema>;
export type TableCommandType = TableCommand["type"];
export const tableCommandTypes: ReadonlySet<string> = new Set(tableCommandSchema.options.map((o) => o.shape.type.value));


/** What a customer (QR phone) may send; everything else in a table room is staff's. */
export const customerCommandTypes: ReadonlySet<string> = new Set(["cart.add", "cart.remove", "cart.clear", "cart.confirm", "cart.pay", "staff.call"]);
