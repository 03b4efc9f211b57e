import { readFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { CardProvider } from "../../payments/index.ts";
import type { LedgerSnapshot } from "../../payments/simulator/index.ts";
import { tempDir } from "../support/server-process.ts";
import { adapterFor, cardRequest, getJson, postJson, type SimulatorProcess, spawnSimulator, until, within } from "./support.ts";

const t = suite("the simulator as its own process, driven over HTTP");
let proc: SimulatorProcess;
let van: CardProvider;
const ledgerFile = join(tempDir("van-sim"), "ledger.jsonl");

t.before(async () => {
  proc = await spawnSimulator({ VAN_SIM_LEDGER: ledgerFile });
  van = adapterFor(proc.url, { requestTimeoutMs: 5_000 });
});
// No asserts in hooks: uvu drops a hook's error after a failed test and ends the suite silently.
t.after.each(async () => {
  await fetch(`${proc.url}/_control/faults`, { method: "DELETE", signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
});
t.after(async () => {
  await proc.stop();
});

const setFaults = (faults: unknown[]) => postJson(`${proc.url}/_control/faults`, { faults });
const ledger = async () => (await getJson(`${proc.url}/_control/ledger`)).body as LedgerSnapshot;

t("a lost answer set over HTTP for one order: unknown, query approved, net cancel, and the ledger shows no live charge", async () => {
  const request = cardRequest({ amount: 55_000 });
  assert.is((await setFaults([{ kind: "approvedButAnswerLost", orderId: request.orderId }])).status, 200);
  assert.is((await van.approve(request)).kind, "unknown");
  assert.is((await van.query(request.orderId)).kind, "approved");
  assert.equal(await van.netCancel(request.orderId), { kind: "done" });
  assert.equal(await van.query(request.orderId), { kind: "net_cancelled" });
  const books = await ledger();
  assert.equal(books.entries.filter((e) => e.orderId === request.orderId).map((e) => e.type), ["approval", "net_cancel"]);
  assert.equal(books.orders.filter((o) => o.status === "approved" && o.balanceAmount > 0 && o.orderId === request.orderId), []);
});

t("faults over HTTP are validated: a bad one is 400 and nothing is set", async () => {
  for (const body of [{ faults: [{ kind: "slow" }] }, { faults: [{ kind: "down", mode: "refuse" }] }, { nope: 1 }]) {
    const answer = await postJson(`${proc.url}/_control/faults`, body);
    assert.equal([answer.status, answer.body.code], [400, "INVALID_REQUEST"], JSON.stringify(body));
  }
  assert.equal((await getJson(`${proc.url}/_control/faults`)).body, { faults: [] });
});

t("decline for the next 2 approvals, set over HTTP", async () => {
  await setFaults([{ kind: "decline", times: 2 }]);
  const kinds = [];
  for (let i = 0; i < 3; i++) kinds.push((await van.approve(cardRequest())).kind);
  assert.equal(kinds, ["declined", "declined", "approved"]);
});

t("down/refuse over HTTP ends by itself after forMs", async () => {
  await setFaults([{ kind: "down", mode: "refuse", forMs: 300 }]);
  const refused = await van.approve(cardRequest());
  assert.is(refused.kind === "declined" && refused.code, "PROVIDER_UNREACHABLE");
  await until(async () => (await van.query("ord-probe")).kind === "not_found", 10_000, "the simulator listening again");
});

t("every ledger change is a JSON line in VAN_SIM_LEDGER", async () => {
  const books = await ledger();
  const lines = readFileSync(ledgerFile, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { seq: number; type: string });
  assert.equal(lines.map((l) => [l.seq, l.type]), books.entries.map((e) => [e.seq, e.type]));
});

t("after a restart on the same ledger file the approvals are still there: query, cancel and duplicate refusal work on them", async () => {
  const request = cardRequest({ amount: 40_000 });
  const paid = await van.approve(request);
  if (paid.kind !== "approved") throw new Error("setup");
  const before = await ledger();
  const exit = await proc.stop();
  assert.equal(exit, { code: 0, signal: null });
  proc = await spawnSimulator({ VAN_SIM_LEDGER: ledgerFile });
  van = adapterFor(proc.url, { requestTimeoutMs: 5_000 });
  assert.equal((await ledger()).entries, before.entries);
  const query = await van.query(request.orderId);
  assert.is(query.kind === "approved" && query.approval.approvalNo, paid.approval.approvalNo);
  const { orderId, transactionId, approvalNo } = paid.approval;
  const cancel = await van.cancel({ orderId, cancelId: `${orderId}-after-restart`, transactionId, approvalNo, amount: 15_000, reason: "" });
  assert.is(cancel.kind === "cancelled" && cancel.remaining, 25_000);
  assert.is((await van.approve({ ...request, amount: 1_000, vat: 91 })).kind, "unknown"); // used id, other amount: never a new charge
  assert.is((await ledger()).entries.filter((e) => e.type === "approval" && e.orderId === orderId).length, 1);
});

t("SIGTERM while a request is held by a timeout fault: the process exits 0 and the client sees unknown", async () => {
  await setFaults([{ kind: "timeout", times: 1 }]);
  const patient = adapterFor(proc.url, { requestTimeoutMs: 20_000 });
  const held = patient.approve(cardRequest());
  await until(async () => (await getJson(`${proc.url}/_control/faults`)).body.faults.length === 0, 5_000, "the approve held by the fault");
  const exit = await within(10_000, "the simulator exit", proc.stop());
  assert.equal(exit, { code: 0, signal: null });
  assert.is((await within(5_000, "the held approve", held)).kind, "unknown");
  proc = await spawnSimulator({ VAN_SIM_LEDGER: ledgerFile }); // for after.each and after
});

t.run();
