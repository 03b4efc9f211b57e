import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { Approval, CardProvider, CancelRequest } from "../../payments/index.ts";
import type { VanSimulator } from "../../payments/simulator/index.ts";
import { adapterFor, cardRequest, startSimulator } from "./support.ts";

const t = suite("cancel and partial cancel (부분취소) at the VAN");
let sim: VanSimulator;
let van: CardProvider;

t.before(async () => {
  sim = await startSimulator();
  van = adapterFor(sim.url, { requestTimeoutMs: 5_000 });
});
t.after(async () => sim.close());

async function approved(amount: number): Promise<Approval> {
  const result = await van.approve(cardRequest({ amount }));
  if (result.kind !== "approved") throw new Error(`setup: ${JSON.stringify(result)}`);
  return result.approval;
}

const cancelOf = (a: Approval, cancelId: string, amount: number): CancelRequest => ({
  orderId: a.orderId, cancelId, transactionId: a.transactionId, approvalNo: a.approvalNo, amount, reason: "고객 요청",
});

t("two partial cancels leave the rest, and a third above what remains is refused NOT_CANCELABLE_AMOUNT", async () => {
  const a = await approved(30_000);
  const first = await van.cancel(cancelOf(a, `${a.orderId}-r1`, 10_000));
  const second = await van.cancel(cancelOf(a, `${a.orderId}-r2`, 15_000));
  assert.equal([first.kind === "cancelled" && first.remaining, second.kind === "cancelled" && second.remaining], [20_000, 5_000]);
  assert.ok(first.kind === "cancelled" && second.kind === "cancelled" && first.cancelTransactionId !== second.cancelTransactionId);
  const over = await van.cancel(cancelOf(a, `${a.orderId}-r3`, 5_001));
  assert.is(over.kind === "refused" && over.code, "NOT_CANCELABLE_AMOUNT");
  const query = await van.query(a.orderId);
  assert.equal(query.kind === "approved" && [query.cancelledAmount, query.cancelIds], [25_000, [`${a.orderId}-r1`, `${a.orderId}-r2`]]);
  const rest = await van.cancel(cancelOf(a, `${a.orderId}-r4`, 5_000));
  assert.is(rest.kind === "cancelled" && rest.remaining, 0);
});

t("repeating a cancelId answers the first cancel again and cancels nothing more", async () => {
  const a = await approved(12_000);
  const request = cancelOf(a, `${a.orderId}-once`, 2_000);
  const first = await van.cancel(request);
  const again = await van.cancel(request);
  const changed = await van.cancel({ ...request, amount: 9_000 }); // same id, other amount: still the first answer
  assert.equal(again, first);
  assert.equal(changed, first);
  const cancels = sim.ledger().entries.filter((e) => e.type === "cancel" && e.orderId === a.orderId);
  assert.is(cancels.length, 1);
  const query = await van.query(a.orderId);
  assert.is(query.kind === "approved" && query.cancelledAmount, 2_000);
});

t("a cancel whose approval number does not match the original is refused and changes nothing", async () => {
  const a = await approved(10_000);
  const wrong = await van.cancel({ ...cancelOf(a, `${a.orderId}-x`, 10_000), approvalNo: a.approvalNo === "00000000" ? "11111111" : "00000000" });
  assert.is(wrong.kind === "refused" && wrong.code, "INVALID_CANCEL_REFERENCE");
  const query = await van.query(a.orderId);
  assert.is(query.kind === "approved" && query.cancelledAmount, 0);
});

t("a cancel of a transaction id the VAN never issued is refused NOT_FOUND_PAYMENT", async () => {
  const a = await approved(10_000);
  const result = await van.cancel({ ...cancelOf(a, `${a.orderId}-nf`, 1_000), transactionId: "A000000000000999999" });
  assert.is(result.kind === "refused" && result.code, "NOT_FOUND_PAYMENT");
});

t("a net-cancelled payment cannot be cancelled again (nothing is left to give back)", async () => {
  const a = await approved(10_000);
  assert.equal(await van.netCancel(a.orderId), { kind: "done" });
  const result = await van.cancel(cancelOf(a, `${a.orderId}-late`, 1_000));
  assert.is(result.kind === "refused" && result.code, "NOT_CANCELABLE_PAYMENT");
});

t("a cancel amount that is not a positive whole number is refused INVALID_REQUEST", async () => {
  const a = await approved(10_000);
  for (const amount of [0, -100, 10.5]) {
    const result = await van.cancel(cancelOf(a, `${a.orderId}-bad${String(amount).replace(/\W/g, "")}`, amount));
    assert.is(result.kind === "refused" && result.code, "INVALID_REQUEST", String(amount));
  }
});

t.run();
