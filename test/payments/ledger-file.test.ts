import { appendFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { tempDir } from "../support/server-process.ts";
import type { VanSimulator } from "../../payments/simulator/index.ts";
import { adapterFor, cardRequest, startSimulator } from "./support.ts";

const t = suite("the simulator's ledger file");
const running: VanSimulator[] = [];
/** Closed after each test even when it fails (an open simulator would keep the runner alive). */
async function started(ledgerFile: string): Promise<VanSimulator> {
  const simulator = await startSimulator({ ledgerFile });
  running.push(simulator);
  return simulator;
}
t.after.each(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

t("a restart reloads every approval, cancel and net cancel, and numbering goes on", async () => {
  const file = join(tempDir("van-ledger"), "ledger.jsonl");
  const first = await started(file);
  const van = adapterFor(first.url, { requestTimeoutMs: 5_000 });
  const paid = await van.approve(cardRequest({ amount: 20_000 }));
  if (paid.kind !== "approved") throw new Error("setup");
  const { orderId, transactionId, approvalNo } = paid.approval;
  await van.cancel({ orderId, cancelId: `${orderId}-c`, transactionId, approvalNo, amount: 5_000, reason: "" });
  const voided = cardRequest();
  await van.approve(voided);
  await van.netCancel(voided.orderId);
  const before = first.ledger();
  await first.close();

  const second = await started(file);
  assert.equal(second.ledger(), before);
  const again = adapterFor(second.url, { requestTimeoutMs: 5_000 });
  const query = await again.query(orderId);
  assert.equal(query.kind === "approved" && [query.cancelledAmount, query.cancelIds], [5_000, [`${orderId}-c`]]);
  assert.equal(await again.query(voided.orderId), { kind: "net_cancelled" });
  await again.approve(cardRequest());
  assert.is(second.ledger().entries.at(-1)?.seq, before.entries.length + 1);
});

t("a torn last line (a kill mid-write) is skipped and the next entry starts on its own line", async () => {
  const file = join(tempDir("van-ledger"), "ledger.jsonl");
  const first = await started(file);
  await adapterFor(first.url, { requestTimeoutMs: 5_000 }).approve(cardRequest());
  await first.close();
  appendFileSync(file, '{"type":"approval","seq":2,"orderId":"torn');

  const second = await started(file);
  await adapterFor(second.url, { requestTimeoutMs: 5_000 }).approve(cardRequest());
  await second.close();
  const lines = readFileSync(file, "utf8").split("\n").filter((l) => l !== "");
  assert.is(lines.length, 3);
  assert.equal(lines.map((l) => { try { return (JSON.parse(l) as { type: string }).type; } catch { return "torn"; } }), ["approval", "torn", "approval"]);

  const third = await started(file);
  assert.equal(third.ledger().entries.map((e) => e.seq), [1, 2]);
});

t.run();
