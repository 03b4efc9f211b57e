import type { Fault } from "./faults.ts";

/** Prepaid QR carts (issue 12 item 5): each fault breaks one promise of rooms/table/cart-checkout.ts. */
export const faults: readonly Fault[] = [
  {
    id: "cart-pay-no-dry-run",
    rule: "a cart that would be refused (86, closed table) is refused before any money moves",
    file: "rooms/table/cart-checkout.ts",
    find: "    if (dryRun) return { ok: false, error: dryRun };\n",
    replace: "",
    tests: [["test/e2e", "qr-prepay"]],
  },
  {
    id: "cart-pay-keeps-refused-charge",
    rule: "an order refused after its charge gets the charge cancelled at the provider",
    file: "rooms/table/cart-checkout.ts",
    find: "    return this.#giveBack(intent, result.provider, sent.error, meta);\n",
    replace: "    return sent;\n",
    tests: [["test/e2e", "qr-prepay"]],
  },
  {
    id: "cart-pay-forgets-first-attempt",
    rule: "a phone's retry of the same cmdId (after a restart too) finds its first attempt and never charges again",
    file: "rooms/table/cart-checkout.ts",
    find: "    if (earlier) {\n",
    replace: "    if (earlier && Math.random() > 2) {\n",
    tests: [["test/e2e", "qr-prepay"]],
  },
  {
    id: "cart-pay-not-reconciled",
    rule: "a prepaid cart left between charge and order is finished by reconciliation",
    file: "server/payment-reconciler.ts",
    find: "      const rows = this.ctx.cartPayments.unsettled(cutoff, reconcileDefaults.pageSize, after);\n",
    replace: "      const rows: ReturnType<typeof this.ctx.cartPayments.unsettled> = [];\n",
    tests: [["test/e2e", "qr-prepay"]],
  },
  {
    id: "cart-confirm-while-paying",
    rule: "a phone cannot send unpaid the cart it is paying for (the kitchen would cook it twice)",
    file: "rooms/table/guest-desk.ts",
    find: "    if (this.#paying.has(customerId)) return { ok: false, transient: true, error: wireError(\"PAYMENT_IN_PROGRESS\", \"this phone is paying its cart; wait for it\") };\n",
    replace: "",
    tests: [["test/e2e", "qr-prepay"]],
  },
  {
    id: "cancel-unreachable-is-final",
    rule: "a cancel that could not reach the card company is tried again (the refund stays pending), never ended as refused",
    file: "rooms/table/payment-flow.ts",
    find: "    if (answer.kind === \"refused\" && answer.code === providerUnreachable) return undefined;\n",
    replace: "",
    tests: [["test/e2e", "payment-faults"], ["test/e2e", "qr-prepay"]],
  },
  {
    id: "report-forgets-cart-charges",
    rule: "the day's report and close list the prepaid QR charges not settled (refund_failed: a person must give it back)",
    file: "server/reports/sales-report.ts",
    find: "    return { payments: payments.sort(byTime), refunds: refunds.sort(byTime), cartCharges };\n",
    replace: "    return { payments: payments.sort(byTime), refunds: refunds.sort(byTime), cartCharges: cartCharges.filter((c) => c.status !== \"refund_failed\") };\n",
    tests: [["test/e2e", "qr-prepay"]],
  },
  {
    id: "report-repeats-old-refund-failed",
    rule: "a refused give-back is in the report of the day it was made, not carried on into every later one",
    file: "storage/report-reader.ts",
    find: "       and (status != 'refund_failed' or (created_at >= ? and created_at < ?))\n",
    replace: "       and (status != 'refund_failed' or (? is not null and ? is not null))\n",
    tests: [["test/e2e", "qr-prepay"]],
  },
];
