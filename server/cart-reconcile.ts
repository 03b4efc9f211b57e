import type { CommandMeta } from "../rooms/command-pipeline.ts";
import type { RoomContext } from "../rooms/context.ts";
import { CartCheckout } from "../rooms/table/cart-checkout.ts";
import { resolveUnknownPayment } from "../rooms/table/payment-flow.ts";
import type { CartPayment } from "../storage/index.ts";
import { isoAt } from "./clock.ts";

export type CartOutcome = "confirmed" | "failed" | "refunded" | "stillPending";

/**
 * One prepaid-cart intent left unsettled (the process died between the intent and the order, or
 * the card company never answered): already in the session → confirmed; approved at the provider
 * → the order is sent now if its session is still live, else the charge is cancelled; nothing
 * definite → net cancel (망취소) → failed. A cancel that got no answer is tried again.
 */
export async function reconcileCartPayment(ctx: RoomContext, intent: CartPayment, meta: CommandMeta): Promise<CartOutcome> {
  const store = ctx.stores.get(intent.storeId);
  const session = ctx.sessions.get(intent.storeId, intent.tableId);
  if (!store || !session) return "stillPending";
  const checkout = new CartCheckout(ctx, store, session);
  if (intent.status === "refund_pending") return (await checkout.retryGiveBack(intent, meta)) ? "refunded" : "stillPending";
  const recorded = ctx.paymentRecords.payment(intent.paymentId);
  if (recorded) {
    // The order and its payment were committed; only the intent's own row was not updated.
    const batchId = session.state.payments.get(intent.paymentId)?.forBatchId ?? null;
    ctx.cartPayments.finish(intent.paymentId, { status: "confirmed", batchId, at: isoAt(ctx.clock), actorId: meta.principal.staffId, actorRole: meta.principal.role });
    return "confirmed";
  }
  const provider = ctx.payments.providerFor(intent.storeId, intent.method as "card" | "easy_pay");
  const result = await resolveUnknownPayment(provider, intent.paymentId);
  if (!result) return "stillPending";
  await checkout.settle(intent, result, provider, meta);
  const after = ctx.cartPayments.get(intent.paymentId)?.status;
  return after === "confirmed" || after === "failed" || after === "refunded" ? after : "stillPending";
}
