import { suite } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { MemoryQueueStore, OfflineQueue, type EnqueueInput, type QueuedBody, type QueueOwner, type QueueStore, type SendCommand } from "../../clients/offline-queue.ts";
import { FileQueueStore } from "../../clients/node/file-queue-store.ts";
import { offlineLimits } from "../../protocol/limits.ts";
import { cmdIdSchema } from "../../protocol/table-commands.ts";
import type { Reply } from "../../protocol/reply.ts";
import type { WireErrorCode } from "../../protocol/codes.ts";
import { tempDir } from "../support/server-process.ts";

/**
 * The offline queue's own rules (R-OFF-2), against its narrow `send` interface: the end-to-end
 * test (test/e2e/offline-pos.test.ts) replays through a real server. Here `send` is a recorder
 * that answers as scripted, so ordering, holding and refusal paths are checked one by one.
 */
const t = suite("offline POS queue and its file store");
const owner: QueueOwner = { storeId: "demo", tableId: "T1", staffId: "s1" };
const soju = (quantity: number) => ({ type: "confirm" as const, lines: [{ menuId: "soju", quantity }] });
const cash = (amount: number) => ({ type: "payment.start" as const, method: "cash" as const, amount });

/** Answers ok unless `refuse` names the n-th call (0-based); records every body and checks one at a time. */
function recorder(refuse: Record<number, WireErrorCode> = {}): { send: SendCommand; bodies: QueuedBody[] } {
  const bodies: QueuedBody[] = [];
  let inFlight = 0;
  const send: SendCommand = async (body) => {
    assert.is(inFlight, 0, "one command at a time");
    inFlight += 1;
    await new Promise((r) => setImmediate(r));
    inFlight -= 1;
    const code = refuse[bodies.length];
    bodies.push(body);
    return code ? { cmdId: body.cmdId, ok: false, error: { code, message: code } } : { cmdId: body.cmdId, ok: true, data: { n: bodies.length } };
  };
  return { send, bodies };
}

async function filled(store: QueueStore, count: number, now = () => Date.parse("2026-03-01T12:00:00Z")): Promise<OfflineQueue> {
  const queue = await OfflineQueue.open(store, owner, { now });
  for (let i = 1; i <= count; i++) {
    const queued = await queue.enqueue(i === count ? cash(5_000 * (count - 1)) : soju(i));
    assert.ok(queued.ok, JSON.stringify(queued));
  }
  return queue;
}

t("enqueued commands get a Web Crypto cmdId each and their origin, in queue order", async () => {
  const queue = await filled(new MemoryQueueStore(), 4);
  const entries = queue.entries;
  assert.equal(entries.map((e) => e.seq), [0, 1, 2, 3]);
  assert.is(new Set(entries.map((e) => e.cmdId)).size, 4);
  for (const e of entries) {
    assert.ok(cmdIdSchema.safeParse(e.cmdId).success && /^[0-9a-f-]{36}$/.test(e.cmdId), e.cmdId);
    assert.is(e.body.cmdId, e.cmdId);
    assert.equal(e.body.offline, { ...owner, queuedAt: "2026-03-01T12:00:00.000Z" });
  }
  assert.equal(entries.map((e) => e.body.type), ["confirm", "confirm", "confirm", "payment.start"]);
});

t("a card payment, a confirm without lines and other commands are refused at enqueue, typed, and nothing is stored", async () => {
  const dir = tempDir("queue-refuse");
  const file = join(dir, "queue.json");
  const queue = await OfflineQueue.open(new FileQueueStore(file), owner);
  const refusals: [EnqueueInput, string][] = [
    [{ type: "payment.start", method: "card", amount: 10_000 }, "payment_needs_provider"],
    [{ type: "payment.start", method: "easy_pay", amount: 10_000 }, "payment_needs_provider"],
    [{ type: "confirm" }, "confirm_needs_lines"],
    [{ type: "confirm", lines: [] }, "confirm_needs_lines"],
    [{ type: "confirm", lines: [{ menuId: "soju", quantity: 1 }], draftVersion: 3 }, "confirm_needs_lines"],
    [{ type: "session.close" }, "not_queueable"],
    [{ type: "refund.start", paymentId: "p1", amount: 1, reason: "x", reasonCode: "other" }, "not_queueable"],
  ];
  for (const [command, rule] of refusals) {
    const result = await queue.enqueue(command);
    assert.ok(!result.ok && result.error.code === "NOT_QUEUEABLE", JSON.stringify(result));
    assert.is(!result.ok && (result.error.details as { rule: string }).rule, rule);
  }
  const bad = await queue.enqueue({ type: "confirm", lines: [{ menuId: "soju", quantity: 1.5 }] });
  assert.is(!bad.ok && bad.error.code, "INVALID_COMMAND");
  assert.is(queue.length, 0);
  assert.not.ok(existsSync(file), "nothing was written");
});

t("replay sends every entry in order, one at a time, exactly as queued, and removes each after its reply", async () => {
  const store = new MemoryQueueStore();
  const queue = await filled(store, 4);
  const queued = queue.entries.map((e) => e.body);
  const { send, bodies } = recorder();
  const seen: string[] = [];
  const result = await queue.replay(owner, send, (entry, reply) => seen.push(`${entry.cmdId}:${reply.ok}`));
  assert.equal(result, { status: "done", sent: 4 });
  assert.equal(bodies, queued, "same cmdIds, same bodies, same order");
  assert.equal(seen, queued.map((b) => `${b.cmdId}:true`));
  assert.is(queue.length, 0);
  assert.equal(await store.load(), []);
});

t("the first refusal stops the replay; the entry is held, durably, until a person discards it", async () => {
  const file = join(tempDir("queue-stop"), "queue.json");
  const queue = await filled(new FileQueueStore(file), 4);
  const [first, second, third, fourth] = queue.entries;
  const run = recorder({ 1: "SESSION_CLOSED" });
  const stopped = await queue.replay(owner, run.send);
  assert.is(stopped.status, "stopped");
  assert.is(stopped.status === "stopped" && stopped.entry.cmdId, second!.cmdId);
  assert.is(stopped.status === "stopped" && !stopped.reply.ok && stopped.reply.error.code, "SESSION_CLOSED");
  assert.equal(run.bodies.map((b) => b.cmdId), [first!.cmdId, second!.cmdId], "nothing after the refusal was sent");
  // A reload (the app restarted) still holds it: the replay sends nothing until a person decides.
  const reopened = await OfflineQueue.open(new FileQueueStore(file), owner);
  assert.is(reopened.held?.cmdId, second!.cmdId);
  const again = recorder();
  assert.is((await reopened.replay(owner, again.send)).status, "stopped");
  assert.is(again.bodies.length, 0);
  const discarded = await reopened.discard(second!.cmdId);
  assert.ok(discarded.ok);
  assert.equal(await reopened.replay(owner, again.send), { status: "done", sent: 2 });
  assert.equal(again.bodies.map((b) => b.cmdId), [third!.cmdId, fourth!.cmdId]);
});

t("retry sends the refused entry again under a fresh cmdId with the same body and origin, then goes on", async () => {
  const queue = await filled(new MemoryQueueStore(), 3);
  const [first, second] = queue.entries;
  assert.is((await queue.replay(owner, recorder({ 0: "NO_SESSION" }).send)).status, "stopped");
  const run = recorder();
  const result = await queue.retry(owner, run.send);
  assert.equal(result, { status: "done", sent: 3 });
  assert.is.not(run.bodies[0]!.cmdId, first!.cmdId);
  assert.equal({ ...run.bodies[0]!, cmdId: first!.cmdId }, first!.body);
  assert.is(run.bodies[1]!.cmdId, second!.cmdId, "entries that were never refused keep their cmdId");
  const nothing = await queue.retry(owner, run.send);
  assert.is(nothing.status === "refused" && nothing.error.code, "UNKNOWN_ENTRY");
});

t("a lost link or a transient refusal interrupts without holding; the next replay resends the same cmdId", async () => {
  const queue = await filled(new MemoryQueueStore(), 3);
  const ids = queue.entries.map((e) => e.cmdId);
  const lost = await queue.replay(owner, async () => Promise.reject(new Error("connection is not open")));
  assert.is(lost.status, "interrupted");
  const busy = await queue.replay(owner, recorder({ 0: "BUSY" }).send);
  assert.is(busy.status, "interrupted");
  assert.is(queue.held, undefined);
  const run = recorder();
  assert.equal(await queue.replay(owner, run.send), { status: "done", sent: 3 });
  assert.equal(run.bodies.map((b) => b.cmdId), ids);
});

t("a queue replayed under another staff login, store or table is refused and nothing is sent", async () => {
  const file = join(tempDir("queue-foreign"), "queue.json");
  await filled(new FileQueueStore(file), 2);
  const queue = await OfflineQueue.open(new FileQueueStore(file), owner);
  for (const [field, sender] of [["staffId", { ...owner, staffId: "s2" }], ["storeId", { ...owner, storeId: "gangnam" }], ["tableId", { ...owner, tableId: "T2" }]] as const) {
    const run = recorder();
    const result = await queue.replay(sender, run.send);
    assert.is(result.status === "refused" && result.error.code, "FOREIGN_ORIGIN");
    assert.is(result.status === "refused" && (result.error.details as { field: string }).field, field);
    assert.is(run.bodies.length, 0);
  }
  // The file copied to another login: its entries still name s1, so s2's queue refuses them too.
  const copied = await OfflineQueue.open(new FileQueueStore(file), { ...owner, staffId: "s2" });
  const run = recorder();
  const result = await copied.replay({ ...owner, staffId: "s2" }, run.send);
  assert.is(result.status === "refused" && result.error.code, "FOREIGN_ORIGIN");
  assert.is(run.bodies.length, 0);
  assert.is(queue.length, 2);
});

t("the queue is bounded: one past queueLengthMax is refused QUEUE_FULL", async () => {
  const queue = await OfflineQueue.open(new MemoryQueueStore(), owner);
  for (let i = 0; i < offlineLimits.queueLengthMax; i++) assert.ok((await queue.enqueue(soju(1))).ok);
  const full = await queue.enqueue(soju(1));
  assert.is(!full.ok && full.error.code, "QUEUE_FULL");
});

t("property: a replay sends exactly the entries up to and including the first refusal, in order", async () => {
  await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 12 }), fc.option(fc.nat({ max: 15 }), { nil: undefined }), async (count, refuseAt) => {
    const queue = await OfflineQueue.open(new MemoryQueueStore(), owner);
    for (let i = 0; i < count; i++) await queue.enqueue(soju(i + 1));
    const ids = queue.entries.map((e) => e.cmdId);
    const run = recorder(refuseAt === undefined ? {} : { [refuseAt]: "VERSION_CONFLICT" });
    const result = await queue.replay(owner, run.send);
    const stopsAt = refuseAt !== undefined && refuseAt < count ? refuseAt : undefined;
    assert.equal(run.bodies.map((b) => b.cmdId), stopsAt === undefined ? ids : ids.slice(0, stopsAt + 1));
    assert.equal(queue.entries.map((e) => e.cmdId), stopsAt === undefined ? [] : ids.slice(stopsAt));
    assert.is(result.status, stopsAt === undefined ? "done" : "stopped");
  }), { numRuns: 60 });
});

t("the file store survives a reload with every entry in order, ignores a torn temp file and refuses a corrupt file", async () => {
  const dir = tempDir("queue-file");
  const file = join(dir, "queue.json");
  const queue = await filled(new FileQueueStore(file), 4);
  await queue.discard(queue.entries[1]!.cmdId);
  // Replaced, never rewritten in place: a reader that opened the file before a write still reads
  // the previous whole version (what a crash mid-write would leave is never the file itself).
  const reader = openSync(file, "r");
  const seen = readFileSync(file, "utf8");
  assert.ok((await queue.enqueue(soju(7))).ok);
  assert.is(readFileSync(reader, "utf8"), seen);
  closeSync(reader);
  await queue.discard(queue.entries.at(-1)!.cmdId);
  writeFileSync(`${file}.tmp`, '{"version":1,"entries":[{"seq":0,"cmd'); // a write cut off by a crash
  const reloaded = await OfflineQueue.open(new FileQueueStore(file), owner);
  assert.equal(reloaded.entries, queue.entries);
  assert.ok((await reloaded.enqueue(soju(9))).ok);
  assert.equal((await new FileQueueStore(file).load()).map((e) => e.seq), [0, 2, 3, 4], "queue order kept across a reload");
  writeFileSync(file, readFileSync(file, "utf8").slice(0, 50));
  try {
    await new FileQueueStore(file).load();
    assert.unreachable("a corrupt queue file must not load as empty");
  } catch (error) {
    assert.match(String(error), "not JSON");
  }
});

t("a process killed with SIGKILL while enqueuing leaves every acknowledged entry, whole and in order", async () => {
  const dir = tempDir("queue-kill");
  const file = join(dir, "queue.json");
  const script = join(dir, "enqueue-forever.mts");
  const root = resolve(import.meta.dirname, "../..");
  // Big entries (100 lines with notes) make each rewrite long enough for the kill to land mid-write.
  writeFileSync(script, `
    import { OfflineQueue } from ${JSON.stringify(join(root, "clients/offline-queue.ts"))};
    import { FileQueueStore } from ${JSON.stringify(join(root, "clients/node/file-queue-store.ts"))};
    const queue = await OfflineQueue.open(new FileQueueStore(${JSON.stringify(file)}), ${JSON.stringify(owner)});
    const lines = Array.from({ length: 100 }, (_, i) => ({ menuId: "soju", quantity: 1 + (i % 9), note: "덜 맵게 ".repeat(20) }));
    for (let n = 0; n < ${offlineLimits.queueLengthMax}; n++) {
      const r = await queue.enqueue({ type: "confirm", lines });
      if (!r.ok) throw new Error(r.error.message);
      process.stdout.write("ack " + r.value.seq + "\\n");
    }`);
  const child = spawn(process.execPath, ["--import", "tsx", script], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  let acked = -1;
  const exited = new Promise((r) => child.once("exit", r));
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error("the child acknowledged too few entries")), 20_000);
    const target = 5 + Math.floor(Math.random() * 20);
    child.once("exit", (code) => fail(new Error(`the child exited (${code}) after ${acked + 1} entries`)));
    child.stdout!.on("data", (chunk: Buffer) => {
      for (const m of chunk.toString().matchAll(/ack (\d+)/g)) acked = Math.max(acked, Number(m[1]));
      if (acked >= target) {
        clearTimeout(timer);
        child.kill("SIGKILL");
        ready();
      }
    });
  });
  await exited;
  const entries = await new FileQueueStore(file).load();
  assert.ok(entries.length >= acked + 1, `acknowledged ${acked + 1}, found ${entries.length}`);
  assert.equal(entries.map((e) => e.seq), entries.map((_, i) => i));
  for (const e of entries) assert.is(e.body.type === "confirm" && e.body.lines?.length, 100);
});

t.run();
