import { suite } from "uvu";
import * as assert from "uvu/assert";
import { PosClient } from "../../clients/pos-client.ts";
import { eventually, query, startServer } from "../support/server-process.ts";
import { openTable, staff } from "../support/pos.ts";
import { fastPrinting, slipsOf, startPrintRig, stopPrintRig, type PrintRig } from "../support/printing.ts";

// Dedupe by content (docs/PRINTING.md §5): a ticket's original slip and its reprints are one content.
const t = suite("print dedupe by content: retry after reprint, MAY BE DUPLICATE copies");
let rig: PrintRig;

t.before(async () => {
  // A roomy completion deadline: the kill test must land while an attempt is still in flight.
  rig = await startPrintRig({ ...fastPrinting, completionTimeoutMs: 2000 });
});
t.after(async () => {
  await stopPrintRig(rig);
});

const reprintMark = /재출력 \/ REPRINT \d+/;
const duplicateMark = "*** 중복 가능 / MAY BE DUPLICATE ***";
const unmarked = (text: string) => !/REPRINT|DUPLICATE|재출력|중복 가능/.test(text);

async function adminRoom(storeId = "demo") {
  const admin = await PosClient.login(rig.server.endpoint, storeId, "a1", "9999");
  const room = await admin.sdk.joinOrCreate("admin", { storeId });
  room.onMessage("notice", () => undefined);
  const command = (type: string, fields: object = {}) => room.request("cmd", { ...fields, type, cmdId: crypto.randomUUID() }) as Promise<any>;
  return { room, command, token: admin.session.token };
}

async function confirmKitchen(pos: Awaited<ReturnType<typeof openTable>>, menuId = "jeyuk"): Promise<string> {
  const reply = await pos.command<{ batchId: string }>("confirm", { lines: [{ menuId, quantity: 1 }] });
  if (!reply.ok) throw new Error(`confirm failed: ${JSON.stringify(reply)}`);
  return `${reply.data.batchId}-kitchen`;
}

const slipRows = (ticketId: string) =>
  query<{ slip_key: string; state: string; superseded_by: string | null }>(rig.server.databaseFile, "select slip_key, state, superseded_by from print_slips where ticket_id = ? order by reprint_no", ticketId);
const slipState = (slipKey: string) => query<{ state: string }>(rig.server.databaseFile, "select state from print_slips where slip_key = ?", slipKey)[0]?.state;
const jobRows = (slipKey: string) =>
  query<{ state: string; marked: number; error: string | null }>(rig.server.databaseFile, "select state, marked, error from print_jobs where slip_key = ? order by created_at, attempt", slipKey);

t("printer down, slip failed, admin reprint prints REPRINT 1 and resolves the failed original; print.retry of it is ALREADY_PRINTED; no unmarked copy ever", async () => {
  const admin = await adminRoom();
  const pos = await openTable(await staff(rig.server), "T5");
  pos.room.onMessage("notice", () => undefined);
  await rig.a.setFault({ mode: "refuse" });
  const ticketId = await confirmKitchen(pos);
  const slipKey = `${ticketId}:new`;
  await eventually(() => admin.room.state.failedSlips.has(slipKey), 8000, "the failed slip in the admins' list");
  assert.equal(jobRows(slipKey).map((j) => j.state), ["not_sent", "not_sent", "not_sent"], "nothing left the server");
  await rig.a.setFault({ mode: "none" });

  const reprint = await admin.command("print.reprint", { ticketId });
  assert.ok(reprint.ok, JSON.stringify(reprint));
  const reprintKey = `${slipKey}:reprint:1`;
  assert.is(reprint.data.slipKey, reprintKey);
  await eventually(() => slipsOf(rig.a, ticketId).length === 1, 4000, "the reprint on paper");
  const [copy] = slipsOf(rig.a, ticketId);
  assert.match(copy!.text, "*** 재출력 / REPRINT 1 ***");
  assert.not.match(copy!.text, "DUPLICATE");

  // The failed entry is resolved by the copy of the same content that printed.
  await eventually(() => !admin.room.state.failedSlips.has(slipKey), 4000, "the failed entry leaves the admins' list");
  assert.equal(slipRows(ticketId), [
    { slip_key: slipKey, state: "superseded", superseded_by: reprintKey },
    { slip_key: reprintKey, state: "printed", superseded_by: null },
  ]);
  const log = await (await fetch(`${rig.server.endpoint}/api/admin/print-jobs`, { headers: { authorization: `Bearer ${admin.token}` } })).json() as any;
  assert.not.ok(JSON.stringify(log.data.slips).includes(slipKey), "not among the failed slips over HTTP either");

  // The retry that used to print an unmarked second copy.
  const retried = await admin.command("print.retry", { slipKey });
  assert.is(retried.ok, false, JSON.stringify(retried));
  assert.is(retried.error?.code, "ALREADY_PRINTED");
  assert.is(retried.error?.details?.printedAs, reprintKey);
  assert.equal(slipRows(ticketId).map((s) => s.state), ["superseded", "printed"], "the refusal queued nothing");

  // A later order on the same printer prints after anything queued before it: then count the copies.
  const later = await confirmKitchen(pos, "gyeran-mari");
  await eventually(() => slipsOf(rig.a, later).length === 1, 4000, "a later slip on the same printer");
  const copies = slipsOf(rig.a, ticketId);
  assert.is(copies.length, 1, copies.map((c) => c.text).join("\n---\n"));
  assert.not.ok(copies.some((c) => unmarked(c.text)), "never an unmarked copy of content that reached paper as a reprint");
  await pos.leave();
  await admin.room.leave();
});

t("a printer that prints but never confirms: the next copy says MAY BE DUPLICATE (not REPRINT); an admin reprint still says REPRINT 1", async () => {
  const admin = await adminRoom();
  const pos = await openTable(await staff(rig.server), "T6");
  await rig.a.setFault({ mode: "noEcho" });
  const ticketId = await confirmKitchen(pos);
  const slipKey = `${ticketId}:new`;
  await eventually(() => jobRows(slipKey).some((j) => j.state === "unknown"), 4000, "an attempt with no completion echo");
  await rig.a.setFault({ mode: "none" });
  await eventually(() => slipState(slipKey) === "printed", 8000, "confirmed at last");

  const copies = slipsOf(rig.a, ticketId);
  assert.ok(copies.length >= 2, `the unconfirmed copy and at least one more:\n${copies.map((c) => c.text).join("\n---\n")}`);
  assert.ok(unmarked(copies[0]!.text), "the first attempt was the first copy: unmarked");
  for (const later of copies.slice(1)) {
    assert.ok(later.lines.some((l) => l.text === duplicateMark && l.bold && l.doubleHeight), later.text);
    assert.not.match(later.text, reprintMark, "the unknown-fate copy does not look like an admin's deliberate reprint");
  }
  // One job row per copy on paper; an attempt the line never wrote (not_sent) leaves no copy.
  assert.equal(jobRows(slipKey).filter((j) => j.state !== "not_sent").map((j) => j.marked), [0, ...copies.slice(1).map(() => 1)]);

  const reprint = await admin.command("print.reprint", { ticketId });
  assert.ok(reprint.ok, JSON.stringify(reprint));
  await eventually(() => slipsOf(rig.a, ticketId).length === copies.length + 1, 4000, "the admin's reprint");
  const deliberate = slipsOf(rig.a, ticketId).at(-1)!;
  assert.match(deliberate.text, "*** 재출력 / REPRINT 1 ***");
  assert.not.match(deliberate.text, "DUPLICATE");
  await pos.leave();
  await admin.room.leave();
});

t("kill -9 while a slip is being sent: after the restart its copy says MAY BE DUPLICATE, because the ledger cannot know", async () => {
  const pos = await openTable(await staff(rig.server), "T7");
  // The printer accepts and never reads: the attempt stays in flight ("sending") until its deadline.
  await rig.a.setFault({ mode: "hang" });
  const ticketId = await confirmKitchen(pos);
  const slipKey = `${ticketId}:new`;
  await eventually(() => jobRows(slipKey).some((j) => j.state === "sending"), 4000, "an attempt in flight");
  await pos.leave();
  await rig.server.kill();
  await rig.a.setFault({ mode: "none" });
  rig.server = await startServer({ dataDir: rig.dataDir, env: { CONFIG_FILE: rig.configFile } });
  await eventually(() => slipState(slipKey) === "printed", 8000, "printed after the restart");
  const copies = slipsOf(rig.a, ticketId);
  assert.is(copies.length, 1, copies.map((c) => c.text).join("\n---\n"));
  assert.ok(copies[0]!.lines.some((l) => l.text === duplicateMark), copies[0]!.text);
  assert.not.match(copies[0]!.text, reprintMark);
  assert.equal(jobRows(slipKey), [
    { state: "unknown", marked: 0, error: "process stopped while sending" },
    { state: "confirmed", marked: 1, error: null },
  ]);
});

t.run();
