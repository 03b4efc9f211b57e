import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { CardProvider, CashReceiptRequest } from "../../payments/index.ts";
import type { VanSimulator } from "../../payments/simulator/index.ts";
import { adapterFor, newOrderId, startSimulator } from "./support.ts";

const t = suite("현금영수증 through the VAN");
let sim: VanSimulator;
let van: CardProvider;

t.before(async () => {
  sim = await startSimulator();
  van = adapterFor(sim.url, { requestTimeoutMs: 5_000 });
});
t.after.each(async () => sim.clearFaults());
t.after(async () => sim.close());

const receipt = (overrides: Partial<CashReceiptRequest> = {}): CashReceiptRequest => ({
  orderId: newOrderId("cash"), amount: 33_000, vat: 3_000, purpose: "income_deduction", identity: "01012345678", ...overrides,
});

t("a phone number of 10 or 11 digits (hyphens allowed) gets an income-deduction receipt", async () => {
  for (const identity of ["01012345678", "010-1234-5678", "0100001234"]) {
    const result = await van.issueCashReceipt(receipt({ identity }));
    assert.is(result.kind, "issued", identity);
    assert.ok(result.kind === "issued" && /^\d{8}$/.test(result.approvalNo));
  }
});

t("a business number of 10 digits gets an expense-proof receipt; 11 digits does not", async () => {
  assert.is((await van.issueCashReceipt(receipt({ purpose: "expense_proof", identity: "123-45-67890" }))).kind, "issued");
  const eleven = await van.issueCashReceipt(receipt({ purpose: "expense_proof", identity: "12345678901" }));
  assert.is(eleven.kind === "refused" && eleven.code, "INVALID_IDENTITY_NUMBER");
});

t("a phone number too short or with letters is refused INVALID_IDENTITY_NUMBER", async () => {
  for (const identity of ["010123456", "010123456789", "0101234567a", ""]) {
    const result = await van.issueCashReceipt(receipt({ identity }));
    assert.is(result.kind === "refused" && result.code, "INVALID_IDENTITY_NUMBER", identity);
  }
});

t("the identity is kept masked in the ledger", async () => {
  const request = receipt({ identity: "01098765432" });
  await van.issueCashReceipt(request);
  const entry = sim.ledger().entries.find((e) => e.type === "cash_receipt" && e.orderId === request.orderId);
  assert.is(entry?.type === "cash_receipt" && entry.identityMasked, "010****5432");
});

t("asking again for the same order returns the first receipt; another amount is refused DUPLICATED_ORDER_ID", async () => {
  const request = receipt();
  const first = await van.issueCashReceipt(request);
  const again = await van.issueCashReceipt(request);
  assert.ok(first.kind === "issued" && again.kind === "issued" && first.approvalNo === again.approvalNo);
  const other = await van.issueCashReceipt({ ...request, amount: 1_000, vat: 91 });
  assert.is(other.kind === "refused" && other.code, "DUPLICATED_ORDER_ID");
  assert.is(sim.ledger().entries.filter((e) => e.orderId === request.orderId).length, 1);
});

t("a receipt request whose answer is lost is unknown, and asking again returns the one that was issued", async () => {
  await sim.setFaults({ kind: "approvedButAnswerLost", on: ["cashReceipt"], times: 1 });
  const request = receipt();
  assert.is((await van.issueCashReceipt(request)).kind, "unknown");
  assert.is((await van.issueCashReceipt(request)).kind, "issued");
  assert.is(sim.ledger().entries.filter((e) => e.orderId === request.orderId).length, 1);
});

t.run();
