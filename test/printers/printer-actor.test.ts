import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { PrintWrite } from "../../domain/index.ts";
import { PrinterActor, PrinterEmulator, statusQueries, type ActorDeps, type ResolvedPrinter } from "../../printers/index.ts";
import { createPrintStore, openStorage, type PrintStore, type Storage } from "../../storage/index.ts";
import { tempDir } from "../support/server-process.ts";
import { kitchenSlip } from "./fixtures.ts";

const settings = { attemptsMax: 2, backoffBaseMs: 20, backoffMaxMs: 40, connectTimeoutMs: 500, completionTimeoutMs: 1_000 };

interface Rig {
  emulator: PrinterEmulator;
  storage: Storage;
  prints: PrintStore;
  actor: PrinterActor;
  /** Every submit the actor made (each is one durable commit in the server). */
  submits: (readonly PrintWrite[])[];
  outcomes: string[];
  /** onNotReady calls: the reason, or null when the printer is ready again. */
  readiness: (string | null)[];
  /** Called with each submit's writes just before they are applied. */
  beforeApply?: (writes: readonly PrintWrite[]) => void;
}

async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A real SQLite ledger and a real emulator; submit applies the writes in one transaction, a turn later (as a commit does). */
async function rig(commitMs = 0, extra: { printer?: Partial<ResolvedPrinter>; onFailover?: () => Promise<void> } = {}): Promise<Rig> {
  const emulator = new PrinterEmulator({ host: "127.0.0.1", port: 0 });
  await emulator.start();
  const storage = await openStorage(`${tempDir("actor")}/ledger.sqlite`);
  const prints = createPrintStore(storage);
  const printer: ResolvedPrinter = { id: "p1", storeId: "s1", name: "주방", host: "127.0.0.1", port: emulator.port, stationIds: ["kitchen"], widthChars: 42, failoverAfterFailures: 3, ...extra.printer };
  const submits: (readonly PrintWrite[])[] = [];
  const outcomes: string[] = [];
  const readiness: (string | null)[] = [];
  let ids = 0;
  const apply = storage.sqlite.transaction((writes: readonly PrintWrite[]) => writes.forEach((w) => prints.applyWrite(w)));
  const deps: ActorDeps = {
    ledger: {
      pendingBatch: (id, limit) => prints.pendingBatch(id, limit),
      slip: (key) => prints.slip(key),
      familyOf: (key) => prints.familyOf(key),
      submit: async (writes) => {
        submits.push(writes);
        // A commit takes a while (fsync); commitMs stands in for a slow disk.
        await new Promise((r) => (commitMs > 0 ? setTimeout(r, commitMs) : setImmediate(r)));
        self.beforeApply?.(writes);
        apply(writes);
      },
    },
    source: { kitchenSlip: (ticketId, widthChars) => kitchenSlip({ ticketId, widthChars }), receipt: () => undefined, printerName: (id) => id },
    settings,
    log: { info: () => undefined, warn: () => undefined, error: (m, e) => console.error(m, e) },
    nowMs: () => Date.now(),
    newId: () => `job-${++ids}`,
    onOutcome: (_p, slip, outcome) => void outcomes.push(`${slip.slipKey} ${outcome}`),
    onFailover: extra.onFailover ?? (async () => undefined),
    onNotReady: (_p, reason) => void readiness.push(reason),
    idleCloseMs: 50,
    notReadyPollMs: 30,
  };
  const self: Rig = { emulator, storage, prints, actor: new PrinterActor(printer, deps), submits, outcomes, readiness };
  return self;
}

function enqueue(r: Rig, count: number): string[] {
  const at = new Date().toISOString();
  const keys = Array.from({ length: count }, (_, i) => `tk-${String(i).padStart(3, "0")}`);
  for (const ticketId of keys) r.prints.applyWrite({ kind: "enqueue", slip: { slipKey: `${ticketId}:new`, storeId: "s1", ticketId, stationId: "kitchen", printerId: "p1", at } });
  return keys;
}

const starts = (r: Rig) => r.submits.flat().filter((w) => w.kind === "startJob").length;
const ticketOf = (text: string) => /tk-(\d{3})/.exec(text.replace(/\s+/g, ""))?.[0];

const t = suite<{ r: Rig }>("printer actor: pipelined slips, batched bookkeeping");
t.before.each(async (ctx) => {
  ctx.r = await rig();
});
t.after.each(async ({ r }) => {
  await r.actor.stop();
  await r.emulator.stop();
  await r.storage.close();
});

t("sixty slips print once each, in order, on one connection, for far fewer commits than slips", async ({ r }) => {
  const tickets = enqueue(r, 60);
  r.actor.wake();
  await until(() => r.outcomes.length === 60 && r.prints.pendingCount("p1") === 0, "every slip printed");
  assert.equal(r.emulator.slips().map((s) => ticketOf(s.text)), tickets);
  assert.is(r.emulator.stats().connections, 1);
  assert.is(starts(r), 60, "one job row per slip");
  // One slip at a time cost two commits per slip (start, settle): 120 here.
  assert.ok(r.submits.length <= 60 / 4, `${r.submits.length} submits for 60 slips`);
  const jobs = r.storage.sqlite.prepare("select state, count(*) as n from print_jobs group by state").all();
  assert.equal(jobs, [{ state: "confirmed", n: 60 }]);
});

t("every job row is durable before the first byte of its slip reaches the printer", async ({ r: fast }) => {
  const r = await rig(30);
  try {
    enqueue(r, 10);
    const early: string[] = [];
    const hasJob = r.storage.sqlite.prepare("select 1 from print_jobs where slip_key = ?").pluck();
    // At each commit, on a slow disk: every slip already on paper has its job row from an earlier commit.
    r.beforeApply = () => {
      for (const slip of r.emulator.slips()) if (!hasJob.get(`${ticketOf(slip.text)}:new`)) early.push(ticketOf(slip.text)!);
    };
    r.actor.wake();
    await until(() => r.outcomes.length === 10, "every slip printed");
    assert.equal(early, [], "slips printed before their job row was committed");
    assert.ok(r.submits[0]!.some((w) => w.kind === "startJob"), "the first submit carries the window's job rows");
  } finally {
    await r.actor.stop();
    await r.emulator.stop();
    await r.storage.close();
  }
  assert.ok(fast);
});

t("paper out: one attempt each is not sent, then the queue waits without using attempts (status polled) and prints in order, unmarked, once paper is back", async ({ r }) => {
  await r.emulator.setFault({ mode: "paperOut" });
  const tickets = enqueue(r, 3);
  r.actor.wake();
  await until(() => r.readiness.length === 1, "the printer reported not ready");
  // Several polls while the paper is out: none of them writes a job row or uses up an attempt.
  const replies = r.emulator.stats().statusReplies;
  await until(() => r.emulator.stats().statusReplies >= replies + 9, "status polled while paper is out");
  assert.is(starts(r), 3, "one attempt per slip, none while waiting");
  assert.is(r.emulator.stats().bytesReceived % statusQueries.length, 0, "only DLE EOT queries reached the printer");
  assert.equal(r.actor.health.lastError, "paper_out");
  await r.emulator.setFault({ mode: "none" });
  await until(() => r.outcomes.length === 3, "every slip printed once paper is back");
  assert.ok(r.outcomes.every((o) => o.endsWith("printed")), r.outcomes.join());
  assert.equal(r.emulator.slips().map((s) => ticketOf(s.text)), tickets);
  assert.ok(r.emulator.slips().every((s) => !/DUPLICATE|REPRINT/.test(s.text)), "nothing was written before: no mark");
  assert.equal(r.readiness, ["paper_out", null]);
  const jobs = r.storage.sqlite.prepare("select state, error from print_jobs order by created_at").all() as { state: string; error: string | null }[];
  assert.equal(jobs.map((j) => j.state).sort(), ["confirmed", "confirmed", "confirmed", "not_sent", "not_sent", "not_sent"]);
});

t("a failover that cannot be stored does not freeze the printer: every failed slip leaves the actor's hands and prints when the printer is back", async ({ r: unused }) => {
  let failovers = 0;
  const r = await rig(0, { printer: { backupPrinterId: "p2", failoverAfterFailures: 1 }, onFailover: async () => {
    failovers += 1;
    throw new Error("storage writer thread is gone");
  } });
  try {
    await r.emulator.setFault({ mode: "closeMidSlip", afterBytes: 40 });
    const tickets = enqueue(r, 6);
    r.actor.wake();
    await until(() => failovers >= 1, "a failover was tried");
    await r.emulator.setFault({ mode: "none" });
    await until(() => r.prints.pendingCount("p1") === 0, "every slip printed after the printer came back");
    assert.equal([...new Set(r.emulator.slips().map((s) => ticketOf(s.text)).filter(Boolean))].sort(), tickets);
    assert.is(r.actor.health.failedOverTo, null, "a failover that failed is not reported as done");
  } finally {
    await r.actor.stop();
    await r.emulator.stop();
    await r.storage.close();
  }
  assert.ok(unused);
});

t.run();
