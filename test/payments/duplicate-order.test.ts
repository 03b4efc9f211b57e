import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { CardProvider } from "../../payments/index.ts";
import type { VanSimulator } from "../../payments/simulator/index.ts";
import { adapterFor, cardRequest, postJson, startSimulator } from "./support.ts";

const t = suite("a second approve with a used order id never charges again");
let sim: VanSimulator;
let van: CardProvider;

t.before(async () => {
  sim = await startSimulator();
  van = adapterFor(sim.url, { requestTimeoutMs: 5_000 });
});
t.after(async () => sim.close());

const approvalsOf = (orderId: string) => sim.ledger().entries.filter((e) => e.type === "approval" && e.orderId === orderId);

t("the VAN answers 409 DUPLICATED_ORDER_ID with the original in `original`, and the ledger keeps one approval", async () => {
  const request = cardRequest({ amount: 18_000 });
  const first = await postJson(`${sim.url}/v1/approvals`, request);
  const second = await postJson(`${sim.url}/v1/approvals`, request);
  assert.is(first.status, 200);
  assert.equal([second.status, second.body.status, second.body.code], [409, "declined", "DUPLICATED_ORDER_ID"]);
  assert.equal(second.body.original.approval, first.body);
  assert.is(approvalsOf(request.orderId).length, 1);
});

t("the adapter reads a replay of the same request as that one approval, not a new charge", async () => {
  const request = cardRequest({ amount: 21_000 });
  const first = await van.approve(request);
  const second = await van.approve(request);
  assert.ok(first.kind === "approved" && second.kind === "approved");
  if (first.kind !== "approved" || second.kind !== "approved") return;
  assert.equal([second.approval.approvalNo, second.approval.transactionId, second.approval.amount], [first.approval.approvalNo, first.approval.transactionId, 21_000]);
  assert.is(second.approval.raw.code, "DUPLICATED_ORDER_ID"); // raw shows it was a replay
  assert.is(approvalsOf(request.orderId).length, 1);
});

t("the same order id with another amount is unknown (query decides), never declined while a charge lives", async () => {
  const request = cardRequest({ amount: 21_000 });
  assert.is((await van.approve(request)).kind, "approved");
  const other = await van.approve({ ...request, amount: 5_000 });
  assert.equal(other, { kind: "unknown", reason: "duplicated_order_id_differs" });
  const query = await van.query(request.orderId);
  assert.is(query.kind === "approved" && query.approval.amount, 21_000);
  assert.is(approvalsOf(request.orderId).length, 1);
});

t("a used order id that holds no live charge is declined DUPLICATED_ORDER_ID", async () => {
  const declined = cardRequest({ cardToken: "DECLINE" });
  await van.approve(declined);
  const again = await van.approve({ ...declined, cardToken: "5417071234561234" });
  assert.is(again.kind === "declined" && again.code, "DUPLICATED_ORDER_ID");
  const voided = cardRequest();
  await van.approve(voided);
  await van.netCancel(voided.orderId);
  const replay = await van.approve(voided);
  assert.is(replay.kind === "declined" && replay.code, "DUPLICATED_ORDER_ID");
  assert.is(approvalsOf(declined.orderId).length + approvalsOf(voided.orderId).length, 1);
});

t("an approval that arrives after its net cancel is refused (the net cancel left a tombstone)", async () => {
  const request = cardRequest();
  assert.equal(await van.netCancel(request.orderId), { kind: "done" });
  assert.equal(await van.query(request.orderId), { kind: "net_cancelled" });
  const late = await van.approve(request);
  assert.is(late.kind === "declined" && late.code, "DUPLICATED_ORDER_ID");
  assert.is(approvalsOf(request.orderId).length, 0);
});

t.run();
