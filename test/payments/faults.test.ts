import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { CardProvider } from "../../payments/index.ts";
import type { VanSimulator } from "../../payments/simulator/index.ts";
import { eventually } from "../support/server-process.ts";
import { adapterFor, cardRequest, startSimulator, within } from "./support.ts";

const t = suite("VAN faults through the card adapter");
let sim: VanSimulator;
let van: CardProvider;
/** Gives up after 300 ms: used only where the VAN is made not to answer in time. */
let quick: CardProvider;

t.before(async () => {
  sim = await startSimulator();
  van = adapterFor(sim.url, { requestTimeoutMs: 5_000 });
  quick = adapterFor(sim.url, { requestTimeoutMs: 300 });
});
t.after.each(async () => sim.clearFaults());
t.after(async () => sim.close());

const entriesOf = (orderId: string) => sim.ledger().entries.filter((e) => e.orderId === orderId);
const liveCharges = () => sim.ledger().orders.filter((o) => o.status === "approved" && o.balanceAmount > 0).map((o) => o.orderId);

t("a timeout before processing is unknown, was sent once, and the query finds nothing", async () => {
  await sim.setFaults({ kind: "timeout", times: 1 });
  const request = cardRequest();
  assert.equal(await quick.approve(request), { kind: "unknown", reason: "timeout" });
  // The fault held only one call: a retried approve would have gone through and left an approval.
  assert.equal(entriesOf(request.orderId), []);
  assert.equal(await van.query(request.orderId), { kind: "not_found" });
});

t("a timeout after processing is unknown, and the query shows the approval", async () => {
  await sim.setFaults({ kind: "timeout", afterProcessing: true, times: 1 });
  const request = cardRequest({ amount: 17_000 });
  assert.equal(await quick.approve(request), { kind: "unknown", reason: "timeout" });
  const query = await van.query(request.orderId);
  assert.is(query.kind === "approved" && query.approval.amount, 17_000);
});

t("approved but the answer lost: unknown, query approved, net cancel done, query net_cancelled, no live charge left", async () => {
  await sim.setFaults({ kind: "approvedButAnswerLost", times: 1 });
  const request = cardRequest({ amount: 42_000 });
  const result = await van.approve(request);
  assert.is(result.kind, "unknown");
  assert.ok(result.kind === "unknown" && result.reason.startsWith("connection_lost"), JSON.stringify(result));
  const query = await van.query(request.orderId);
  assert.is(query.kind === "approved" && query.approval.amount, 42_000);
  assert.equal(await van.netCancel(request.orderId), { kind: "done" });
  assert.equal(await van.query(request.orderId), { kind: "net_cancelled" });
  assert.not.ok(liveCharges().includes(request.orderId));
  assert.equal(entriesOf(request.orderId).map((e) => e.type), ["approval", "net_cancel"]);
});

t("a fault aimed at one order id leaves other orders alone", async () => {
  const target = cardRequest();
  await sim.setFaults({ kind: "approvedButAnswerLost", orderId: target.orderId });
  assert.is((await van.approve(cardRequest())).kind, "approved");
  assert.is((await van.approve(target)).kind, "unknown");
  assert.is((await van.approve(cardRequest())).kind, "approved");
});

t("a slow answer within the timeout is an approval; beyond it, unknown with the charge made", async () => {
  await sim.setFaults({ kind: "slow", delayMs: 100, times: 1 });
  assert.is((await van.approve(cardRequest())).kind, "approved");
  await sim.setFaults({ kind: "slow", delayMs: 1_500, times: 1 });
  const late = cardRequest();
  assert.equal(await quick.approve(late), { kind: "unknown", reason: "timeout" });
  assert.is((await van.query(late.orderId)).kind, "approved");
});

t("decline for the next N approvals declines exactly N, with the fault's code", async () => {
  await sim.setFaults({ kind: "decline", times: 2, code: "INVALID_CARD_EXPIRATION" });
  const kinds = [];
  for (let i = 0; i < 3; i++) {
    const r = await van.approve(cardRequest());
    kinds.push(r.kind === "declined" ? r.code : r.kind);
  }
  assert.equal(kinds, ["INVALID_CARD_EXPIRATION", "INVALID_CARD_EXPIRATION", "approved"]);
});

t("down (503): approve is unknown and charges nothing; a query retried past one 503 answers", async () => {
  await sim.setFaults({ kind: "down", mode: "unavailable" });
  const request = cardRequest();
  assert.equal(await van.approve(request), { kind: "unknown", reason: "http_503" });
  assert.equal(await van.query(request.orderId), { kind: "unknown", reason: "http_503" });
  await sim.setFaults({ kind: "down", mode: "unavailable", on: ["query"], times: 1 });
  assert.equal(await van.query(request.orderId), { kind: "not_found" });
  assert.equal(entriesOf(request.orderId), []);
});

t("down (refused connection): approve is declined PROVIDER_UNREACHABLE at once, and service comes back when cleared", async () => {
  const patient = adapterFor(sim.url, { requestTimeoutMs: 20_000, attempts: 1 });
  await sim.setFaults({ kind: "down", mode: "refuse" });
  const request = cardRequest();
  // The guard is far below the 20 s timeout: a refused connection must not wait for it.
  const result = await within(5_000, "approve against a refusing VAN", patient.approve(request));
  assert.is(result.kind === "declined" && result.code, "PROVIDER_UNREACHABLE", JSON.stringify(result));
  assert.is((await within(5_000, "query", patient.query(request.orderId))).kind, "unknown");
  await sim.clearFaults();
  assert.equal(await patient.query(request.orderId), { kind: "not_found" });
  assert.is((await patient.approve(cardRequest())).kind, "approved");
});

t("a cancel whose answer was lost is unknown; repeating its cancelId gets the one cancel that was made", async () => {
  const paid = await van.approve(cardRequest({ amount: 30_000 }));
  if (paid.kind !== "approved") throw new Error("setup");
  const { orderId, transactionId, approvalNo } = paid.approval;
  await sim.setFaults({ kind: "approvedButAnswerLost", on: ["cancel"], times: 1 });
  const request = { orderId, cancelId: `${orderId}-c`, transactionId, approvalNo, amount: 10_000, reason: "오주문" };
  assert.is((await van.cancel(request)).kind, "unknown");
  const again = await van.cancel(request);
  assert.is(again.kind === "cancelled" && again.remaining, 20_000);
  assert.is(entriesOf(orderId).filter((e) => e.type === "cancel").length, 1);
});

t("an invalid fault is refused at once", async () => {
  for (const fault of [{ kind: "slow", delayMs: -1 }, { kind: "nonsense" }, { kind: "decline", times: 0 }]) {
    const error = await sim.setFaults(fault as never).then(() => null, (e: unknown) => e);
    assert.instance(error, TypeError, JSON.stringify(fault));
  }
  assert.equal(sim.faults(), []);
});

t.run();

const hang = suite("a hung request does not outlive the simulator");

hang("close() returns while requests are held by a timeout fault, and the clients see unknown", async () => {
  const own = await startSimulator();
  try {
    await own.setFaults({ kind: "timeout", on: ["approve", "query"], times: 3 });
    const patient = adapterFor(own.url, { requestTimeoutMs: 20_000, attempts: 1 });
    const pending = Promise.all([patient.approve(cardRequest()), patient.approve(cardRequest()), patient.query("ord-hung")]);
    await eventually(() => own.faults().length === 0, 5_000, "all three requests held by the fault");
    await within(5_000, "close()", own.close());
    const results = await within(5_000, "the held requests", pending);
    assert.equal(results.map((r) => r.kind), ["unknown", "unknown", "unknown"]);
  } finally {
    await own.close();
  }
});

hang.run();
