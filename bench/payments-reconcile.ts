import { randomUUID } from "node:crypto";
import { PosClient, type TableConnection } from "../clients/pos-client.ts";
import { createCardProvider } from "../payments/index.ts";
import { startVanSimulator, type FaultSpec, type VanSimulator } from "../payments/simulator/index.ts";
import type { ServerProcess } from "../test/support/server-process.ts";
import { Pacer } from "./payments-load.ts";
import { dataDirOf, paymentsDir, readOnly, startPaymentsServer } from "./payments-server.ts";
import { paymentsSettings, reconcileTableIds } from "./payments-settings.ts";
import { removeBenchDir, stopBenchServer } from "./server-control.ts";
import { benchStore, sleep } from "./settings.ts";
import { Tally, round } from "./stats.ts";

const r = paymentsSettings.reconcile;
/** Order ids of the raw round trips: kept apart from the server's payments in the ledger check. */
const rawOrderPrefix = "bench-raw-";

export interface ReconcileResult {
  readonly tables: number;
  /** Card intents pending in the database when the server was stopped. */
  readonly intents: number;
  readonly setup: {
    readonly seconds: number;
    /** Of which: logging in, joining and ordering on every table; then each half of the intents. */
    readonly connectS: number;
    readonly chargedHalfS: number;
    readonly unchargedHalfS: number;
    /** payment.start replies while the faults were on (PROVIDER_UNAVAILABLE = left pending, as intended). */
    readonly replies: Record<string, number>;
    /** Charges the VAN made whose answer never came (`timeout {afterProcessing: true}`): the ones reconciliation must find by query. */
    readonly vanChargesWithoutRecord: number;
    readonly stopS: number;
  };
  /** From the restarted server's "listening" line until no payment is pending (polled every pollMs, read-only). */
  readonly seconds: number;
  /** The same, from the spawn of the process (the pass starts just before "listening"). */
  readonly secondsFromSpawn: number;
  readonly intentsPerSecond: number;
  readonly settled: boolean;
  readonly outcome: { readonly approved: number; readonly void: number; readonly pending: number; readonly other: number };
  /** Our payments against the simulator's ledger: an approved record for every live charge, a void one only where no charge is live. */
  readonly ledger: { readonly approvedOrders: number; readonly agrees: boolean; readonly chargesWithoutApprovedRecord: number; readonly approvedRecordsWithoutCharge: number };
  readonly sessions: Record<string, number>;
  /** Half of the raw round trips just before the restart, half just after the pass (the server down both times). */
  readonly raw: { readonly before: RawRoundTrips; readonly after: RawRoundTrips; readonly total: RawRoundTrips; readonly drifted: boolean };
  /** Server intents/s ÷ raw intents/s (both halves together). */
  readonly ratio: number;
}

export interface RawRoundTrips {
  readonly intents: number;
  /** Of which found approved by query (charged beforehand, not timed); the rest get a query and a net cancel. */
  readonly charged: number;
  readonly concurrency: number;
  readonly queries: number;
  readonly netCancels: number;
  readonly seconds: number;
  readonly intentsPerSecond: number;
  readonly approved: number;
  readonly voided: number;
  readonly unknown: number;
}

/**
 * 10,000 open card intents, then the reconciler's pass at start, timed. A VAN simulator runs in this
 * process; server A (VAN_URL → it, PAYMENT_TIMEOUT_MS=250) takes the intents while approvals time out
 * (the first half charged first: `afterProcessing`) and query / net cancel answer 503, so each stays
 * pending (PROVIDER_UNAVAILABLE). A is stopped, the faults cleared, and server B starts on the same
 * data dir: its reconciler's pass at start settles them all. The raw figure: the same provider
 * round trips straight from this process at the reconciler's concurrency, half just before the
 * restart and half just after the pass (the machine's speed drifts).
 */
export async function runReconcileBench(onOutput: (phase: string, chunks: readonly string[]) => void): Promise<ReconcileResult> {
  const sim = await startVanSimulator({});
  const { dir, configFile } = paymentsDir("bench-payments-reconcile");
  const dataDir = dataDirOf(dir);
  const env = { VAN_URL: sim.url, RECONCILE_INTERVAL_MS: String(r.reconcileIntervalMs) };
  let server: ServerProcess | undefined;
  try {
    // Server A: the intents.
    server = await startPaymentsServer(configFile, dataDir, { ...env, PAYMENT_TIMEOUT_MS: String(r.paymentTimeoutMs) });
    const setup = await makeIntents(server, sim);
    const intents = countPending(server.databaseFile);
    const stop0 = performance.now();
    await stopBenchServer(server);
    onOutput("reconcile: intents", server.output);
    const stopS = round((performance.now() - stop0) / 1000, 2);
    server = undefined;
    await sim.clearFaults();
    const vanChargesWithoutRecord = sim.ledger().orders.filter((o) => o.status === "approved").length;
    console.log(`  ${intents} intents pending (${vanChargesWithoutRecord} charged by the VAN without an answer), made in ${setup.seconds} s; raw round trips, then a restart with the faults cleared …`);
    // Raw, first half: the mix the pass should meet (the charged ones are found by query, the rest net-cancelled).
    const rawBefore = await rawRoundTrips(sim, Math.ceil(vanChargesWithoutRecord / 2), Math.ceil((intents - vanChargesWithoutRecord) / 2));

    // Server B: same data dir, faults cleared; its reconciler runs once at start.
    const spawnAt = performance.now();
    server = await startPaymentsServer(configFile, dataDir, env);
    const listeningAt = performance.now();
    const settled = await waitUntilSettled(server.databaseFile);
    const doneAt = settled.at;
    const outcome = statusCounts(server.databaseFile);
    const sessions = sessionCounts(server.databaseFile);
    const ledger = checkLedger(server.databaseFile, sim);
    await stopBenchServer(server);
    onOutput("reconcile: restart", server.output);
    server = undefined;
    const seconds = (doneAt - listeningAt) / 1000;
    const intentsPerSecond = round(intents / seconds, 1);

    // Raw, second half: the rest of the mix the pass actually met.
    const rawAfter = await rawRoundTrips(sim, Math.max(0, outcome.approved - rawBefore.charged), Math.max(0, outcome.void - (rawBefore.intents - rawBefore.charged)));
    const rawTotal = addRoundTrips(rawBefore, rawAfter);
    const drifted = Math.max(rawBefore.intentsPerSecond, rawAfter.intentsPerSecond) / Math.min(rawBefore.intentsPerSecond, rawAfter.intentsPerSecond) > paymentsSettings.rawDriftWarnRatio;
    return {
      tables: r.tables,
      intents,
      setup: { ...setup, vanChargesWithoutRecord, stopS },
      seconds: round(seconds, 2),
      secondsFromSpawn: round((doneAt - spawnAt) / 1000, 2),
      intentsPerSecond,
      settled: settled.settled,
      outcome,
      ledger,
      sessions,
      raw: { before: rawBefore, after: rawAfter, total: rawTotal, drifted },
      ratio: round(intentsPerSecond / rawTotal.intentsPerSecond, 2),
    };
  } finally {
    if (server) {
      await stopBenchServer(server).catch(() => undefined);
      onOutput("reconcile: failed", server.output);
    }
    await sim.close();
    removeBenchDir(dir);
  }
}

interface IntentTerminal {
  readonly tableId: string;
  readonly table: TableConnection;
  readonly pacer: Pacer;
}

/** Opens every reconciliation table with a bill big enough for its intents, then sends them in two halves. */
async function makeIntents(server: ServerProcess, sim: VanSimulator): Promise<{ seconds: number; connectS: number; chargedHalfS: number; unchargedHalfS: number; replies: Record<string, number> }> {
  const t0 = performance.now();
  const owed = r.intentsPerTable * r.amountWon;
  const soju = Math.ceil(owed / r.sojuPriceWon);
  // One login (a scrypt each) for all the setup's connections; each table still gets its own WebSocket.
  const pos = await PosClient.login(server.endpoint, benchStore.storeId, benchStore.terminal.id, benchStore.terminal.pin);
  const terminals = await Promise.all(reconcileTableIds().map(async (id): Promise<IntentTerminal> => {
    const table = await pos.joinTable(id);
    const t: IntentTerminal = { tableId: id, table, pacer: new Pacer() };
    await t.pacer.next();
    expectOk(await table.command("session.open", { guests: 2 }), `session.open on ${id}`);
    await t.pacer.next();
    expectOk(await table.command("confirm", { lines: [{ menuId: "soju", quantity: soju }] }), `confirm on ${id}`);
    return t;
  }));
  const t1 = performance.now();
  const replies = new Tally();
  const approvedPerTable = Math.round(r.intentsPerTable * r.approvedShare);
  const unanswered: FaultSpec = { kind: "down", mode: "unavailable", on: ["query", "netCancel"] };
  // First half: the VAN charges, then never answers.
  await sim.setFaults({ kind: "timeout", afterProcessing: true, on: ["approve"] }, unanswered);
  await Promise.all(terminals.map((t) => sendIntents(t, approvedPerTable, replies)));
  const t2 = performance.now();
  // Second half: the VAN never answers and charges nothing.
  await sim.setFaults({ kind: "timeout", afterProcessing: false, on: ["approve"] }, unanswered);
  await Promise.all(terminals.map((t) => sendIntents(t, r.intentsPerTable - approvedPerTable, replies)));
  const t3 = performance.now();
  await Promise.all(terminals.map((t) => t.table.leave().catch(() => undefined)));
  const s = (ms: number) => round(ms / 1000, 1);
  return { seconds: s(performance.now() - t0), connectS: s(t1 - t0), chargedHalfS: s(t2 - t1), unchargedHalfS: s(t3 - t2), replies: replies.toJSON() };
}

/** `n` card payments of amountWon on one table, at most inFlightPerTable under way at once, paced under the flood guard. */
async function sendIntents(t: IntentTerminal, n: number, replies: Tally): Promise<void> {
  let sent = 0;
  await Promise.all(Array.from({ length: Math.min(r.inFlightPerTable, n) }, async () => {
    while (sent < n) {
      sent += 1;
      await t.pacer.next();
      try {
        const reply = await t.table.command("payment.start", { method: "card", amount: r.amountWon }, undefined, 60_000);
        replies.add(reply.ok ? `ok: ${String(reply.data.status)}` : reply.error.code);
      } catch (error) {
        replies.add(`THROWN: ${error instanceof Error ? error.message : String(error)}`.slice(0, 120));
      }
    }
  }));
}

async function waitUntilSettled(databaseFile: string): Promise<{ settled: boolean; at: number }> {
  const db = readOnly(databaseFile);
  try {
    const pending = db.prepare("select count(*) from payments where status = 'pending'").pluck();
    const deadline = performance.now() + r.settleTimeoutMs;
    for (;;) {
      const at = performance.now();
      if ((pending.get() as number) === 0) return { settled: true, at };
      if (at > deadline) return { settled: false, at };
      await sleep(r.pollMs);
    }
  } finally {
    db.close();
  }
}

function countPending(databaseFile: string): number {
  const db = readOnly(databaseFile);
  try {
    return db.prepare("select count(*) from payments where status = 'pending'").pluck().get() as number;
  } finally {
    db.close();
  }
}

function statusCounts(databaseFile: string): ReconcileResult["outcome"] {
  const db = readOnly(databaseFile);
  try {
    const rows = db.prepare("select status, count(*) as n from payments group by status").all() as { status: string; n: number }[];
    const of = (status: string) => rows.find((row) => row.status === status)?.n ?? 0;
    const known = of("approved") + of("void") + of("pending");
    return { approved: of("approved"), void: of("void"), pending: of("pending"), other: rows.reduce((sum, row) => sum + row.n, 0) - known };
  } finally {
    db.close();
  }
}

function sessionCounts(databaseFile: string): Record<string, number> {
  const db = readOnly(databaseFile);
  try {
    const rows = db.prepare("select status, count(*) as n from sessions group by status").all() as { status: string; n: number }[];
    return Object.fromEntries(rows.map((row) => [row.status, row.n]));
  } finally {
    db.close();
  }
}

/** Every live charge in the VAN's ledger has an approved record, and every approved record a live charge. */
function checkLedger(databaseFile: string, sim: VanSimulator): ReconcileResult["ledger"] {
  const live = new Set(sim.ledger().orders.filter((o) => o.status === "approved" && o.balanceAmount > 0 && !o.orderId.startsWith(rawOrderPrefix)).map((o) => o.orderId));
  const db = readOnly(databaseFile);
  let approvedRecords: Set<string>;
  try {
    approvedRecords = new Set((db.prepare("select payment_id from payments where status = 'approved'").pluck().all() as string[]));
  } finally {
    db.close();
  }
  const chargesWithoutApprovedRecord = [...live].filter((id) => !approvedRecords.has(id)).length;
  const approvedRecordsWithoutCharge = [...approvedRecords].filter((id) => !live.has(id)).length;
  return { approvedOrders: live.size, agrees: chargesWithoutApprovedRecord === 0 && approvedRecordsWithoutCharge === 0, chargesWithoutApprovedRecord, approvedRecordsWithoutCharge };
}

/**
 * The raw figure: what the reconciler asks the provider, straight from this process with the
 * project's card adapter, at the same concurrency and for the same mix: `approved` orders charged
 * beforehand (not timed) are found by query; `voided` fresh order ids get a query (404) and a net cancel.
 */
async function rawRoundTrips(sim: VanSimulator, approved: number, voided: number): Promise<RawRoundTrips> {
  const provider = createCardProvider({ baseUrl: sim.url, requestTimeoutMs: r.requestTimeoutMs });
  const charged = Array.from({ length: approved }, () => `${rawOrderPrefix}${randomUUID()}`);
  await inParallel(charged, r.setupConcurrency, async (orderId) => {
    const answer = await provider.approve({ orderId, storeId: benchStore.storeId, method: "card", amount: r.amountWon, installmentMonths: 0, vat: Math.round(r.amountWon / 11) });
    if (answer.kind !== "approved") throw new Error(`raw reconciliation: setting up ${orderId} failed: ${JSON.stringify(answer)}`);
  });
  const ids = [...charged, ...Array.from({ length: voided }, () => `${rawOrderPrefix}${randomUUID()}`)];
  const counts = { queries: 0, netCancels: 0, approved: 0, voided: 0, unknown: 0 };
  const t0 = performance.now();
  await inParallel(ids, r.concurrency, async (orderId) => {
    counts.queries += 1;
    const found = await provider.query(orderId);
    if (found.kind === "approved") return void (counts.approved += 1);
    if (found.kind === "declined" || found.kind === "net_cancelled") return void (counts.voided += 1);
    counts.netCancels += 1;
    const net = await provider.netCancel(orderId);
    if (net.kind === "done") counts.voided += 1;
    else counts.unknown += 1;
  });
  const seconds = (performance.now() - t0) / 1000;
  return { intents: ids.length, charged: approved, concurrency: r.concurrency, ...counts, seconds: round(seconds, 2), intentsPerSecond: round(ids.length / seconds, 1) };
}

function addRoundTrips(a: RawRoundTrips, b: RawRoundTrips): RawRoundTrips {
  const intents = a.intents + b.intents;
  const seconds = a.seconds + b.seconds;
  return {
    intents, charged: a.charged + b.charged, concurrency: a.concurrency, queries: a.queries + b.queries, netCancels: a.netCancels + b.netCancels,
    seconds: round(seconds, 2), intentsPerSecond: round(intents / seconds, 1), approved: a.approved + b.approved, voided: a.voided + b.voided, unknown: a.unknown + b.unknown,
  };
}

async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

function expectOk(reply: { ok: boolean; error?: { code: string; message: string } }, what: string): void {
  if (!reply.ok) throw new Error(`${what} failed: ${reply.error?.code} ${reply.error?.message}`);
}
