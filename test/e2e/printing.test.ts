import { suite } from "uvu";
import * as assert from "uvu/assert";
import { PosClient } from "../../clients/pos-client.ts";
import { eventually, query } from "../support/server-process.ts";
import { openTable, staff } from "../support/pos.ts";
import { kds } from "../support/kitchen.ts";
import { isMarked, slipsOf, startPrintRig, stopPrintRig, type PrintRig } from "../support/printing.ts";

const t = suite("kitchen printers: log, retry, notices, failover, reprint");
let rig: PrintRig;

t.before(async () => {
  rig = await startPrintRig();
});
t.after(async () => {
  await stopPrintRig(rig);
});

async function adminRoom(storeId = "demo") {
  const admin = await PosClient.login(rig.server.endpoint, storeId, "a1", "9999");
  const room = await admin.sdk.joinOrCreate("admin", { storeId });
  const notices: any[] = [];
  room.onMessage("notice", (n) => notices.push(n));
  const command = (type: string, fields: object = {}) => room.request("cmd", { ...fields, type, cmdId: crypto.randomUUID() }) as Promise<any>;
  return { room, notices, command, token: admin.session.token };
}

t("a confirm prints one slip per station, and the bytes decode back to the Korean text", async () => {
  const pos = await openTable(await staff(rig.server), "T1");
  const reply = await pos.command<{ batchId: string }>("confirm", { lines: [{ menuId: "kimchi-jjigae", quantity: 2, optionIds: ["hot", "rice"], note: "덜 맵게" }, { menuId: "beer", quantity: 1, optionIds: ["1000"] }] });
  assert.ok(reply.ok);
  if (!reply.ok) return;
  const kitchenTicket = `${reply.data.batchId}-kitchen`;
  await eventually(() => slipsOf(rig.a, kitchenTicket).length === 1 && slipsOf(rig.b, `${reply.data.batchId}-bar`).length === 1, 4000, "both slips");
  const slip = slipsOf(rig.a, kitchenTicket)[0]!;
  for (const text of ["데모 식당", "[주방]", "1번 테이블", "김치찌개", "x2", "+ 매운맛", "+ 공기밥 추가", "덜 맵게"]) assert.ok(slip.text.includes(text), `slip lacks ${text}:\n${slip.text}`);
  assert.ok(!slip.text.includes("생맥주"), "bar items do not print in the kitchen");
  assert.ok(slip.lines.some((l) => l.text.startsWith("김치찌개") && l.doubleHeight && l.bold), "items in large type");
  assert.not.ok(isMarked(slip));
  const jobsOf = () => query<{ state: string; attempt: number }>(rig.server.databaseFile, "select state, attempt from print_jobs where slip_key = ?", `${kitchenTicket}:new`);
  // The job row is finished after the printer's completion echo, a moment after the paper.
  await eventually(() => jobsOf()[0]?.state !== "sending", 3000, "job finished");
  assert.equal(jobsOf(), [{ state: "confirmed", attempt: 1 }]);
  await pos.leave();
});

t("a dead printer: retries, gives up, tells the POS, the admins and the KDS; an admin retry prints once after it is back", async () => {
  const admin = await adminRoom();
  const kitchen = await kds(rig.server, "kitchen");
  const pos = await openTable(await staff(rig.server), "T2");
  const notices: any[] = [];
  pos.room.onMessage("notice", (n) => notices.push(n));
  await rig.a.setFault({ mode: "refuse" });
  const reply = await pos.command<{ batchId: string }>("confirm", { lines: [{ menuId: "jeyuk", quantity: 1 }] });
  assert.ok(reply.ok);
  if (!reply.ok) return;
  const ticketId = `${reply.data.batchId}-kitchen`;
  await eventually(() => notices.some((n) => n.ticketId === ticketId && n.kind === "print_failed"), 5000, "POS notice");
  await eventually(() => admin.notices.some((n) => n.ticketId === ticketId && n.kind === "print_failed"), 2000, "admin notice");
  await eventually(() => kitchen.state.tickets.get(ticketId)?.printStatus === "failed", 2000, "KDS shows not printed");
  await eventually(() => admin.room.state.failedSlips.has(`${ticketId}:new`), 3000, "failed slip in the admin room");
  const jobs = query<{ state: string }>(rig.server.databaseFile, "select state from print_jobs where slip_key = ? order by attempt", `${ticketId}:new`);
  assert.equal(jobs.map((j) => j.state), ["not_sent", "not_sent", "not_sent"], "one job row per attempt, none sent");
  await rig.a.setFault({ mode: "none" });
  const retried = await admin.command("print.retry", { slipKey: `${ticketId}:new` });
  assert.ok(retried.ok, JSON.stringify(retried));
  await eventually(() => slipsOf(rig.a, ticketId).length === 1, 4000, "printed after retry");
  // The ledger is the barrier: once it has nothing waiting or sending for the ticket, no other copy is coming.
  const settled = () => query(rig.server.databaseFile,
    "select 1 from print_slips where ticket_id = ? and state = 'pending' union all select 1 from print_jobs j join print_slips s using (slip_key) where s.ticket_id = ? and j.state = 'sending'", ticketId, ticketId).length === 0;
  await eventually(settled, 4000, "nothing left to print for the ticket");
  assert.is(slipsOf(rig.a, ticketId).length, 1, "printed once");
  assert.not.ok(isMarked(slipsOf(rig.a, ticketId)[0]!), "nothing reached paper before, so no mark is needed");
  const again = await admin.command("print.retry", { slipKey: `${ticketId}:new` });
  assert.is(again.error?.code, "ALREADY_PRINTED");
  await eventually(() => kitchen.state.tickets.get(ticketId)?.printStatus === "printed", 2000, "KDS shows printed");
  for (const c of [pos, kitchen]) await c.leave();
  await admin.room.leave();
});

t("a hung printer and a mid-slip close are detected within the timeout, and a copy after an attempt that may have printed carries a mark", async () => {
  const pos = await openTable(await staff(rig.server), "T3");
  for (const fault of [{ mode: "hang" } as const, { mode: "closeMidSlip", afterBytes: 40 } as const]) {
    await rig.a.setFault(fault);
    const reply = await pos.command<{ batchId: string }>("confirm", { lines: [{ menuId: "gyeran-mari", quantity: 1 }] });
    assert.ok(reply.ok);
    if (!reply.ok) return;
    const slipKey = `${reply.data.batchId}-kitchen:new`;
    const states = () => query<{ state: string }>(rig.server.databaseFile, "select state from print_jobs where slip_key = ? order by created_at", slipKey).map((j) => j.state);
    // A hung printer on the open line stalls written bytes (unknown); on a new connection it never answers
    // the status query, so no slip byte is written (not sent). A mid-slip close always cut written bytes.
    await eventually(() => states().some((s) => s === "unknown" || s === "not_sent"), 3000, `${fault.mode} detected`);
    await rig.a.setFault({ mode: "none" });
    await eventually(() => slipsOf(rig.a, `${reply.data.batchId}-kitchen`).length >= 1, 4000, "printed after recovery");
    const mayHavePrinted = states().includes("unknown");
    if (fault.mode === "closeMidSlip") assert.ok(mayHavePrinted, `a cut slip is unknown: ${states()}`);
    const copies = slipsOf(rig.a, `${reply.data.batchId}-kitchen`);
    if (mayHavePrinted) assert.ok(copies.every(isMarked), `${fault.mode}: every copy after an unknown attempt is marked:\n${copies.map((c) => c.text).join("\n---\n")}`);
    else assert.not.ok(isMarked(copies[0]!), `${fault.mode}: nothing was written before, so no mark`);
  }
  await pos.leave();
});

t("the backup printer takes over after repeated failures and says so on the slip", async () => {
  const annex = await PosClient.login(rig.server.endpoint, "annex", "s1", "1111");
  const pos = await openTable(annex, "T1");
  await rig.c.setFault({ mode: "refuse" });
  const reply = await pos.command<{ batchId: string }>("confirm", { lines: [{ menuId: "haemul-pajeon", quantity: 1 }] });
  assert.ok(reply.ok);
  if (!reply.ok) return;
  const ticketId = `${reply.data.batchId}-kitchen`;
  await eventually(() => slipsOf(rig.d, ticketId).length === 1, 5000, "printed on the backup");
  assert.match(slipsOf(rig.d, ticketId)[0]!.text, "BACKUP FROM 별관 주방");
  assert.is(slipsOf(rig.c, ticketId).length, 0);
  await rig.c.setFault({ mode: "none" });
  await pos.leave();
});

t("a reprint prints once more with the REPRINT mark; bad reprint and retry requests are refused", async () => {
  const admin = await adminRoom();
  const pos = await openTable(await staff(rig.server), "T4");
  const reply = await pos.command<{ batchId: string }>("confirm", { lines: [{ menuId: "doenjang-jjigae", quantity: 1 }] });
  assert.ok(reply.ok);
  if (!reply.ok) return;
  const ticketId = `${reply.data.batchId}-kitchen`;
  await eventually(() => slipsOf(rig.a, ticketId).length === 1, 4000, "original");
  const reprint = await admin.command("print.reprint", { ticketId });
  assert.ok(reprint.ok, JSON.stringify(reprint));
  await eventually(() => slipsOf(rig.a, ticketId).length === 2, 4000, "reprint");
  const [original, copy] = slipsOf(rig.a, ticketId);
  assert.not.ok(isMarked(original!));
  assert.match(copy!.text, "재출력 / REPRINT 1");
  const second = await admin.command("print.reprint", { slipKey: `${ticketId}:new` });
  assert.is(second.data?.reprintNo, 2);
  await eventually(() => slipsOf(rig.a, ticketId).length === 3, 4000, "second reprint");
  assert.match(slipsOf(rig.a, ticketId)[2]!.text, "REPRINT 2");
  assert.is((await admin.command("print.reprint", { slipKey: "nope:new" })).error?.code, "NOT_FOUND");
  assert.is((await admin.command("print.retry", { slipKey: `${ticketId}:new` })).error?.code, "ALREADY_PRINTED");
  const audit = query<{ action: string; actor_id: string }>(rig.server.databaseFile, "select action, actor_id from audit_log where action = 'print.reprint' and entity_id = ?", `${ticketId}:new`);
  assert.is(audit.length, 2);
  assert.is(audit[0]!.actor_id, "a1");
  const staffClient = await staff(rig.server);
  try {
    await staffClient.sdk.joinOrCreate("admin", { storeId: "demo" });
    assert.unreachable("staff must not reach the admin room");
  } catch (error) {
    assert.match(String((error as Error).message), "FORBIDDEN");
  }
  const log = await (await fetch(`${rig.server.endpoint}/api/admin/print-jobs?ticket=${ticketId}`, { headers: { authorization: `Bearer ${admin.token}` } })).json() as any;
  assert.is(log.data.jobs.length, 3, "three attempts logged for the ticket");
  const forbidden = await fetch(`${rig.server.endpoint}/api/admin/print-jobs`, { headers: { authorization: `Bearer ${staffClient.session.token}` } });
  assert.is(forbidden.status, 403);
  await pos.leave();
  await admin.room.leave();
});

t.run();
