import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createCashProvider, type ApproveRequest } from "../../payments/index.ts";

const t = suite("cash drawer provider");
let clock = new Date("2025-06-01T03:00:00Z"); // 12:00 KST
const cash = () => createCashProvider({ now: () => clock });
const request = (overrides: Partial<ApproveRequest> = {}): ApproveRequest => ({
  orderId: "pay-20250601-0001", storeId: "store-1", method: "cash", amount: 15_000, installmentMonths: 0, vat: 1_364, ...overrides,
});

t("cash is approved at once, internal, with CASH-<order suffix> and the order id as transaction id", async () => {
  const drawer = cash();
  assert.is(drawer.external, false);
  const result = await drawer.approve(request());
  assert.ok(result.kind === "approved");
  if (result.kind !== "approved") return;
  assert.equal([result.approval.approvalNo, result.approval.transactionId, result.approval.amount, result.approval.partial, result.approval.provider], ["CASH-601-0001", "pay-20250601-0001", 15_000, false, "cash"]);
});

t("a card handed to the cash drawer is declined METHOD_NOT_SUPPORTED; a fractional amount INVALID_AMOUNT", async () => {
  const drawer = cash();
  const card = await drawer.approve(request({ method: "card" }));
  assert.is(card.kind === "declined" && card.code, "METHOD_NOT_SUPPORTED");
  const half = await drawer.approve(request({ amount: 100.5 }));
  assert.is(half.kind === "declined" && half.code, "INVALID_AMOUNT");
});

t("the same cash approval twice is one approval; the same id for another amount is DUPLICATED_ORDER_ID", async () => {
  const drawer = cash();
  const first = await drawer.approve(request());
  assert.equal(await drawer.approve(request()), first);
  const other = await drawer.approve(request({ amount: 1_000 }));
  assert.is(other.kind === "declined" && other.code, "DUPLICATED_ORDER_ID");
});

t("cash refunds keep the remaining-balance guard and a repeated cancelId gives back once", async () => {
  const drawer = cash();
  await drawer.approve(request());
  const refund = { orderId: "pay-20250601-0001", transactionId: "pay-20250601-0001", approvalNo: "CASH-601-0001", reason: "환불" };
  const first = await drawer.cancel({ ...refund, cancelId: "ref-1", amount: 5_000 });
  assert.equal(await drawer.cancel({ ...refund, cancelId: "ref-1", amount: 5_000 }), first);
  const over = await drawer.cancel({ ...refund, cancelId: "ref-2", amount: 10_001 });
  assert.is(over.kind === "refused" && over.code, "NOT_CANCELABLE_AMOUNT");
  const rest = await drawer.cancel({ ...refund, cancelId: "ref-3", amount: 10_000 });
  assert.is(rest.kind === "cancelled" && rest.remaining, 0);
  const query = await drawer.query("pay-20250601-0001");
  assert.equal(query.kind === "approved" && [query.cancelledAmount, query.cancelIds], [15_000, ["ref-1", "ref-3"]]);
});

t("querying cash the drawer never recorded is unknown, not not_found (cash has no outside ledger to vouch)", async () => {
  assert.equal(await cash().query("pay-never"), { kind: "unknown", reason: "not_in_cash_ledger" });
});

t("a net cancel voids cash and blocks the id; the settlement shows the sale and its void", async () => {
  const drawer = cash();
  await drawer.approve(request());
  clock = new Date("2025-06-01T04:00:00Z");
  assert.equal(await drawer.netCancel("pay-20250601-0001"), { kind: "done" });
  assert.equal(await drawer.query("pay-20250601-0001"), { kind: "net_cancelled" });
  assert.is((await drawer.approve(request())).kind, "declined");
  const day = await drawer.settlement("2025-06-01");
  assert.equal(day.kind === "ok" && day.lines.map((l) => [l.kind, l.amount, l.at]), [
    ["approval", 15_000, "2025-06-01T12:00:00+09:00"],
    ["cancel", 15_000, "2025-06-01T13:00:00+09:00"],
  ]);
  assert.equal(await drawer.netCancel("pay-other"), { kind: "done" });
  assert.equal(await drawer.query("pay-other"), { kind: "net_cancelled" });
});

t.run();
