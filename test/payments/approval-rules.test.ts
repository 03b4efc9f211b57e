import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { VanSimulator } from "../../payments/simulator/index.ts";
import type { CardProvider } from "../../payments/index.ts";
import { adapterFor, cardRequest, giftCard, postJson, startSimulator } from "./support.ts";

const t = suite("card approval rules at the VAN");
let sim: VanSimulator;
let van: CardProvider;

t.before(async () => {
  sim = await startSimulator();
  van = adapterFor(sim.url, { requestTimeoutMs: 5_000 });
});
t.after(async () => sim.close());

t("a card approval carries an 8-digit approval number, tid, Korean issuer and a masked number", async () => {
  const request = cardRequest({ amount: 23_000, vat: 2_091 });
  const result = await van.approve(request);
  assert.is(result.kind, "approved");
  if (result.kind !== "approved") return;
  const a = result.approval;
  assert.ok(/^\d{8}$/.test(a.approvalNo), a.approvalNo);
  assert.ok(a.transactionId.length > 0);
  assert.equal([a.orderId, a.amount, a.partial, a.cardIssuer, a.cardAcquirer, a.maskedCardNo, a.installmentMonths], [request.orderId, 23_000, false, "국민카드", "국민카드", "541707******1234", 0]);
  assert.is(a.provider, "van");
  assert.is(a.raw.vat, 2_091); // R-PAY-3: the provider's answer kept as sent
  assert.ok(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00$/.test(a.approvedAt), a.approvedAt);
});

t("a card issued on another network names its own issuer and the acquirer apart", async () => {
  const result = await van.approve(cardRequest({ cardToken: "6251041111112222" }));
  assert.is(result.kind === "approved" && `${result.approval.cardIssuer}/${result.approval.cardAcquirer}`, "우리카드/비씨카드");
});

t("a card company refusal comes back declined with its code and is kept in the ledger", async () => {
  const request = cardRequest({ cardToken: "DECLINE" });
  assert.equal(await van.approve(request), { kind: "declined", code: "REJECT_CARD_COMPANY", message: "카드사에서 거절한 결제입니다." });
  assert.equal(await van.query(request.orderId), { kind: "declined", code: "REJECT_CARD_COMPANY" });
  assert.is(sim.ledger().orders.find((o) => o.orderId === request.orderId)?.status, "declined");
});

t("a decline token may name the code (a stopped card)", async () => {
  const result = await van.approve(cardRequest({ cardToken: "DECLINE:INVALID_STOPPED_CARD" }));
  assert.is(result.kind === "declined" && result.code, "INVALID_STOPPED_CARD");
});

t("a card charge under 100 won is declined with BELOW_MINIMUM_AMOUNT; 100 won is approved", async () => {
  const under = await van.approve(cardRequest({ amount: 99, vat: 9 }));
  assert.is(under.kind === "declined" && under.code, "BELOW_MINIMUM_AMOUNT");
  assert.is((await van.approve(cardRequest({ amount: 100, vat: 9 }))).kind, "approved");
});

t("installments under 50,000 won are declined with EXCEED_MAX_CARD_INSTALLMENT_PLAN; at 50,000 they pass", async () => {
  const under = await van.approve(cardRequest({ amount: 49_999, installmentMonths: 3 }));
  assert.is(under.kind === "declined" && under.code, "EXCEED_MAX_CARD_INSTALLMENT_PLAN");
  const at = await van.approve(cardRequest({ amount: 50_000, installmentMonths: 3 }));
  assert.is(at.kind === "approved" && at.approval.installmentMonths, 3);
});

t("a check card cannot pay in installments", async () => {
  const result = await van.approve(cardRequest({ amount: 80_000, installmentMonths: 2, cardToken: "9409151234567890" }));
  assert.is(result.kind === "declined" && result.code, "NOT_SUPPORTED_INSTALLMENT_PLAN_CARD_OR_MERCHANT");
});

t("a gift card short of the amount is approved for its balance, flagged partial, and is then empty", async () => {
  const token = giftCard(30_000);
  const first = await van.approve(cardRequest({ amount: 20_000, cardToken: token }));
  assert.is(first.kind === "approved" && first.approval.partial, false);
  const second = await van.approve(cardRequest({ amount: 20_000, cardToken: token }));
  assert.ok(second.kind === "approved");
  if (second.kind !== "approved") return;
  assert.equal([second.approval.amount, second.approval.partial, second.approval.raw.requestedAmount], [10_000, true, 20_000]);
  const third = await van.approve(cardRequest({ amount: 5_000, cardToken: token }));
  assert.is(third.kind === "declined" && third.code, "INSUFFICIENT_BALANCE");
});

t("cancelling a gift card payment gives its balance back", async () => {
  const token = giftCard(10_000);
  const paid = await van.approve(cardRequest({ amount: 10_000, cardToken: token }));
  assert.ok(paid.kind === "approved");
  if (paid.kind !== "approved") return;
  const { orderId, transactionId, approvalNo } = paid.approval;
  assert.is((await van.cancel({ orderId, cancelId: `${orderId}-c1`, transactionId, approvalNo, amount: 4_000, reason: "부분취소" })).kind, "cancelled");
  const again = await van.approve(cardRequest({ amount: 9_000, cardToken: token }));
  assert.is(again.kind === "approved" && again.approval.amount, 4_000);
});

t("easy pay and points go through the same VAN channel", async () => {
  for (const method of ["easy_pay", "points"] as const) {
    const result = await van.approve(cardRequest({ method }));
    assert.is(result.kind === "approved" && result.approval.raw.method, method);
  }
});

t("cash handed to the card adapter is declined METHOD_NOT_SUPPORTED and never sent", async () => {
  const request = cardRequest({ method: "cash" });
  const result = await van.approve(request);
  assert.is(result.kind === "declined" && result.code, "METHOD_NOT_SUPPORTED");
  assert.is((await van.query(request.orderId)).kind, "not_found");
  assert.not.ok(sim.ledger().entries.some((e) => e.orderId === request.orderId));
});

t("a malformed request is answered 400 INVALID_REQUEST and charges nothing", async () => {
  const bad = [
    { amount: 1000.5 },
    { amount: 0 },
    { vat: 2_000_000 },
    { installmentMonths: 1 },
    { orderId: "has space" },
  ];
  for (const overrides of bad) {
    const result = await van.approve(cardRequest(overrides));
    assert.is(result.kind === "declined" && result.code, "INVALID_REQUEST", JSON.stringify(overrides));
  }
  const raw = await postJson(`${sim.url}/v1/approvals`, { orderId: "x1", amount: "1000" });
  assert.is(raw.status, 400);
  assert.is(sim.ledger().entries.filter((e) => e.orderId === "x1").length, 0);
});

t("an unknown card number is declined INVALID_CARD_NUMBER", async () => {
  const result = await van.approve(cardRequest({ cardToken: "1234561111111111" }));
  assert.is(result.kind === "declined" && result.code, "INVALID_CARD_NUMBER");
});

t.run();
