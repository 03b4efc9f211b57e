import { z } from "zod";
import type { Approval } from "./provider.ts";

/**
 * What the adapter accepts from the VAN/PG (the simulator's API, README.md). Loose objects: a provider
 * may add fields, which stay in `raw`. An answer that fails these is "unreadable".
 */

const won = z.int().min(0);
const text = z.string().min(1).max(200);

export const approvalAnswer = z.object({
  status: z.literal("approved"),
  orderId: text,
  tid: text,
  approvalNo: text,
  approvedAt: text,
  requestedAmount: won.optional(),
  amount: won.min(1),
  partial: z.boolean(),
  installmentMonths: z.int().min(0).optional(),
  card: z.object({ issuer: text, acquirer: text, number: text }).partial().nullish(),
});

export const refusalAnswer = z.object({ code: z.string().min(1).max(64), message: z.string().max(500).default("") });

export const orderAnswer = z.discriminatedUnion("status", [
  z.object({ status: z.literal("approved"), orderId: text, approval: approvalAnswer, cancelledAmount: won, balanceAmount: won, cancels: z.array(z.object({ cancelId: text })) }),
  z.object({ status: z.literal("declined"), orderId: text, decline: z.object({ code: text }) }),
  z.object({ status: z.literal("net_cancelled"), orderId: text }),
]);

export const duplicateAnswer = z.object({ code: z.literal("DUPLICATED_ORDER_ID"), original: z.unknown() });

export const cancelAnswer = z.object({ status: z.literal("cancelled"), cancelId: text, cancelTid: text, amount: won.min(1), balanceAmount: won });

export const netCancelAnswer = z.object({ orderId: text, status: z.enum(["net_cancelled", "declined"]) });

export const settlementAnswer = z.object({
  date: z.string(),
  lines: z.array(z.object({ orderId: text, kind: z.enum(["approval", "cancel"]), amount: won, approvalNo: z.string().max(64), transactionId: text, at: text })),
});

export const receiptAnswer = z.object({ status: z.literal("issued"), orderId: text, approvalNo: text, issuedAt: text, amount: won });

/** Our Approval from the provider's approval object; `raw` is the whole answer it came in. */
export function toApproval(a: z.infer<typeof approvalAnswer>, provider: string, raw: unknown): Approval {
  return {
    orderId: a.orderId, amount: a.amount, partial: a.partial, provider, approvalNo: a.approvalNo, transactionId: a.tid, approvedAt: a.approvedAt,
    cardIssuer: a.card?.issuer, cardAcquirer: a.card?.acquirer, maskedCardNo: a.card?.number, installmentMonths: a.installmentMonths,
    raw: raw as Readonly<Record<string, unknown>>,
  };
}
