import { z } from "zod";
import { moneyLimits, orderLimits, type LineRequest } from "../../domain/index.ts";
import { bodyHash } from "../../rooms/wire/idempotency.ts";
import { externalTableKey } from "../config/integrations.ts";

/** Bounds of an app order, named once (the 16 KiB JSON body limit applies before any of these). */
export const externalOrderLimits = {
  itemsMax: orderLimits.draftLinesMax,
  /** Orders of one process being placed at once (distinct order ids); more are refused BUSY. */
  inFlightMax: 1_000,
  providerFieldLengthMax: 128,
  /** Keys of the provider's raw answer kept with the payment (R-PAY-3). */
  providerRawKeysMax: 50,
} as const;

/** The app's order id is the idempotency key (processed_commands), used as is. */
export const orderIdSchema = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, "orderId: 1 to 64 of A-Z a-z 0-9 _ . : -");

const configId = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, "must be 1 to 32 of A-Z a-z 0-9 _ -");
const menuId = z.string().min(1).max(64);
const providerText = z.string().min(1).max(externalOrderLimits.providerFieldLengthMax);

// Strict: a `price`, `unitPrice` or `total` an app sends is refused, never read (prices come from the store's menu).
const itemSchema = z.strictObject({
  menuId,
  // The domain decides the range (INVALID_QUANTITY), as for the POS.
  quantity: z.number().int(),
  optionIds: z.array(menuId).max(orderLimits.optionsPerLineMax).optional(),
  note: z.string().max(orderLimits.noteLengthMax).optional(),
});

const rawValue = z.union([z.string().max(1_024), z.number(), z.boolean(), z.null()]);

const providerSchema = z.strictObject({
  name: providerText,
  /** The order id the provider knows the approval by; default: the app's orderId. */
  orderId: providerText.optional(),
  approvalNo: providerText,
  transactionId: providerText,
  approvedAt: z.iso.datetime({ offset: true }),
  cardIssuer: providerText.optional(),
  // Masked only: a full card number must never reach our database.
  maskedCardNo: z.string().regex(/^(?=.*\*)[0-9* -]{4,32}$/, "maskedCardNo: digits and * (masked), 4 to 32 characters").optional(),
  raw: z
    .record(z.string().max(64), rawValue)
    .refine((r) => Object.keys(r).length <= externalOrderLimits.providerRawKeysMax, `raw: at most ${externalOrderLimits.providerRawKeysMax} keys`)
    .optional(),
});

export const externalOrderSchema = z
  .strictObject({
    orderId: orderIdSchema,
    storeId: configId.optional(),
    tableId: configId.optional(),
    tableKey: externalTableKey.optional(),
    items: z.array(itemSchema).min(1).max(externalOrderLimits.itemsMax),
    prepaid: z
      .strictObject({
        method: z.enum(["card", "easy_pay"]),
        amount: z.number().int().min(0).max(moneyLimits.totalMax),
        provider: providerSchema,
      })
      .optional(),
  })
  .superRefine((body, ctx) => {
    if ((body.tableId === undefined) === (body.tableKey === undefined)) {
      ctx.addIssue({ code: "custom", path: ["tableId"], message: "send exactly one of tableId and tableKey" });
    }
  });

export type ExternalOrderBody = z.output<typeof externalOrderSchema>;
export type PrepaidBody = NonNullable<ExternalOrderBody["prepaid"]>;

/** An order with its store and table resolved: what is hashed, decided and remembered. */
export interface ResolvedOrder {
  readonly orderId: string;
  readonly storeId: string;
  readonly tableId: string;
  readonly lines: readonly LineRequest[];
  readonly prepaid: PrepaidBody | undefined;
}

export function linesOf(body: ExternalOrderBody): LineRequest[] {
  return body.items.map((i) => ({ menuId: i.menuId, quantity: i.quantity, optionIds: i.optionIds ?? [], note: i.note ?? "" }));
}

/**
 * The idempotency hash (rooms/wire/idempotency.ts): of the order as resolved, so a retry that
 * names the table by its key instead of its id, or leaves out an empty optionIds, is the same order.
 */
export function orderHash(order: ResolvedOrder): string {
  return bodyHash("external-order", { storeId: order.storeId, tableId: order.tableId, lines: order.lines, prepaid: order.prepaid });
}

/** zod issues as the wire's BAD_REQUEST details (path and message, at most 10). */
export function issuesOf(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.slice(0, 10).map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
}
