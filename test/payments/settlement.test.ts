import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { Approval, CardProvider, SettlementLine } from "../../payments/index.ts";
import type { VanSimulator } from "../../payments/simulator/index.ts";
import { adapterFor, cardRequest, startSimulator } from "./support.ts";

const t = suite("daily settlement file by Seoul business date");
let sim: VanSimulator;
let van: CardProvider;
let clock = new Date("2025-06-01T14:59:00Z"); // 23:59 in Seoul
/** What our side recorded, as settlement lines (the reference the file is checked against). */
const ours: SettlementLine[] = [];

async function pay(amount: number): Promise<Approval> {
  const result = await van.approve(cardRequest({ amount }));
  if (result.kind !== "approved") throw new Error(`setup: ${JSON.stringify(result)}`);
  const a = result.approval;
  ours.push({ orderId: a.orderId, kind: "approval", amount: a.amount, approvalNo: a.approvalNo, transactionId: a.transactionId, at: a.approvedAt });
  return a;
}

t.before(async () => {
  sim = await startSimulator({ now: () => clock });
  van = adapterFor(sim.url, { requestTimeoutMs: 5_000 });
  const late = await pay(30_000); // 2025-06-01 23:59 KST
  clock = new Date("2025-06-01T15:01:00Z"); // 2025-06-02 00:01 KST
  const cancel = await van.cancel({ orderId: late.orderId, cancelId: `${late.orderId}-r1`, transactionId: late.transactionId, approvalNo: late.approvalNo, amount: 10_000, reason: "부분취소" });
  if (cancel.kind !== "cancelled") throw new Error("setup");
  ours.push({ orderId: late.orderId, kind: "cancel", amount: 10_000, approvalNo: late.approvalNo, transactionId: cancel.cancelTransactionId, at: String(cancel.raw.cancelledAt) });
  await pay(20_000);
  await pay(8_000);
});
t.after.each(async () => sim.clearFaults());
t.after(async () => sim.close());

const key = (l: SettlementLine) => `${l.kind}:${l.transactionId}`;
const oursOn = (date: string) => ours.filter((l) => l.at.startsWith(date)); // stamps carry the Seoul offset

/** Reconciliation as the close would do it: by transaction id, then amount. */
function compare(file: readonly SettlementLine[], expected: readonly SettlementLine[]) {
  const theirs = new Map(file.map((l) => [key(l), l]));
  const mine = new Map(expected.map((l) => [key(l), l]));
  return {
    missing: [...mine.keys()].filter((k) => !theirs.has(k)),
    extra: [...theirs.keys()].filter((k) => !mine.has(k)),
    altered: [...mine.keys()].filter((k) => theirs.has(k) && theirs.get(k)!.amount !== mine.get(k)!.amount),
  };
}

async function fileOf(date: string): Promise<readonly SettlementLine[]> {
  const result = await van.settlement(date);
  if (result.kind !== "ok") throw new Error(JSON.stringify(result));
  return result.lines;
}

t("an approval at 23:59 KST settles on that date and its cancel at 00:01 on the next", async () => {
  const first = await fileOf("2025-06-01");
  const second = await fileOf("2025-06-02");
  assert.equal(first.map((l) => [l.kind, l.amount]), [["approval", 30_000]]);
  assert.equal(second.map((l) => [l.kind, l.amount]), [["cancel", 10_000], ["approval", 20_000], ["approval", 8_000]]);
  assert.ok(first[0]!.at.startsWith("2025-06-01T23:59:00+09:00"), first[0]!.at);
  assert.equal(compare(first, oursOn("2025-06-01")), { missing: [], extra: [], altered: [] });
  assert.equal(compare(second, oursOn("2025-06-02")), { missing: [], extra: [], altered: [] });
});

t("a net-cancelled approval shows with a cancel line of what it voided, so the day nets to zero for it", async () => {
  const lost = cardRequest({ amount: 12_000 });
  await sim.setFaults({ kind: "approvedButAnswerLost", times: 1 });
  assert.is((await van.approve(lost)).kind, "unknown");
  assert.equal(await van.netCancel(lost.orderId), { kind: "done" });
  const lines = (await fileOf("2025-06-02")).filter((l) => l.orderId === lost.orderId);
  assert.equal(lines.map((l) => [l.kind, l.amount]), [["approval", 12_000], ["cancel", 12_000]]);
});

for (const [change, expected] of [
  ["alteredAmount", { missing: 0, extra: 0, altered: 1 }],
  ["extraApproval", { missing: 0, extra: 1, altered: 0 }],
  ["missingLine", { missing: 1, extra: 0, altered: 0 }],
] as const) {
  t(`a settlementMismatch of kind ${change} shows in the file, once, while the ledger stays right`, async () => {
    await sim.setFaults({ kind: "settlementMismatch", date: "2025-06-01", change, times: 1 });
    const diff = compare(await fileOf("2025-06-01"), oursOn("2025-06-01"));
    assert.equal({ missing: diff.missing.length, extra: diff.extra.length, altered: diff.altered.length }, expected);
    assert.equal(compare(await fileOf("2025-06-01"), oursOn("2025-06-01")), { missing: [], extra: [], altered: [] });
    assert.is(sim.ledger().orders.find((o) => o.orderId === ours[0]!.orderId)?.approval?.amount, 30_000);
  });
}

t("a settlement date that is not YYYY-MM-DD is refused by the VAN and reads as unknown", async () => {
  assert.equal(await van.settlement("2025-6-1"), { kind: "unknown", reason: "http_400" });
});

t.run();

const zone = suite("the settlement date follows the simulator's time zone");

zone("in UTC, the 23:59 KST approval and its 00:01 KST cancel fall on the same date", async () => {
  let now = new Date("2025-06-01T14:59:00Z");
  const utc = await startSimulator({ timeZone: "UTC", now: () => now });
  try {
    const own = adapterFor(utc.url, { requestTimeoutMs: 5_000 });
    const paid = await own.approve(cardRequest({ amount: 30_000 }));
    if (paid.kind !== "approved") throw new Error("setup");
    now = new Date("2025-06-01T15:01:00Z");
    const { orderId, transactionId, approvalNo } = paid.approval;
    await own.cancel({ orderId, cancelId: `${orderId}-r`, transactionId, approvalNo, amount: 5_000, reason: "" });
    const file = await own.settlement("2025-06-01");
    assert.equal(file.kind === "ok" && file.lines.map((l) => [l.kind, l.amount, l.at]), [
      ["approval", 30_000, "2025-06-01T14:59:00+00:00"],
      ["cancel", 5_000, "2025-06-01T15:01:00+00:00"],
    ]);
  } finally {
    await utc.close();
  }
});

zone.run();
