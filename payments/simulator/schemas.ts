import { z } from "zod";
import { cardRules, paymentFieldLimits as f } from "../limits.ts";
import { datePattern } from "../time-zone.ts";

/** Request bodies the simulator accepts; anything else is answered 400 `INVALID_REQUEST`. */

export const orderIdSchema = z.string().regex(new RegExp(`^[A-Za-z0-9_.:=-]{1,${f.orderIdCharsMax}}$`), "orderId: 1-80 of A-Z a-z 0-9 _ . : = -");
const won = z.int().min(1).max(f.amountWonMax);

export const approveBody = z.strictObject({
  orderId: orderIdSchema,
  storeId: z.string().min(1).max(f.storeIdCharsMax),
  /** Cash never reaches a VAN. */
  method: z.enum(["card", "easy_pay", "points"]),
  amount: won,
  installmentMonths: z.int().min(0).max(cardRules.installmentMonthsMax).refine((m) => m !== 1, "installmentMonths: 0 (일시불) or 2..36"),
  vat: z.int().min(0).max(f.amountWonMax),
  cardToken: z.string().min(1).max(f.cardTokenCharsMax).optional(),
}).refine((b) => b.vat <= b.amount, { message: "vat must not exceed amount", path: ["vat"] });
export type ApproveBody = z.infer<typeof approveBody>;

export const cancelBody = z.strictObject({
  orderId: orderIdSchema,
  cancelId: z.string().regex(new RegExp(`^[A-Za-z0-9_.:=-]{1,${f.cancelIdCharsMax}}$`), "cancelId: 1-80 of A-Z a-z 0-9 _ . : = -"),
  approvalNo: z.string().regex(/^\d{8}$/, "approvalNo: 8 digits"),
  amount: won,
  reason: z.string().max(f.reasonCharsMax),
});
export type CancelBody = z.infer<typeof cancelBody>;

export const netCancelBody = z.strictObject({ orderId: orderIdSchema });

export const cashReceiptBody = z.strictObject({
  orderId: orderIdSchema,
  amount: won,
  vat: z.int().min(0).max(f.amountWonMax),
  purpose: z.enum(["income_deduction", "expense_proof"]),
  /** Checked as a business rule (refusal 422), not as a shape, so the POS can show why. */
  identity: z.string().max(32),
}).refine((b) => b.vat <= b.amount, { message: "vat must not exceed amount", path: ["vat"] });
export type CashReceiptBody = z.infer<typeof cashReceiptBody>;

export const settlementDate = z.string().regex(datePattern, "date: YYYY-MM-DD");
