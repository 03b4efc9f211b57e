import { reconcileDefaults } from "../server/payment-reconciler.ts";
import { benchSettings, tableId } from "./settings.ts";

/** Reads a positive number of seconds from the environment (quick local runs), else the default. */
function secondsFromEnv(name: string, fallbackMs: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallbackMs;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600) throw new Error(`${name} must be seconds in (0, 600], got ${raw}`);
  return Math.round(seconds * 1000);
}

function countFromEnv(name: string, fallback: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`${name} must be an integer in [1, ${max}], got ${raw}`);
  return n;
}

/** The payments tables start after every table of the other steps (settings.ts tableCount). */
const firstTable = benchSettings.tableCount + 1;
const levels = [16, 64] as const;
const levelTables = levels.reduce((sum, n) => sum + n, 0);
const reconcileTables = 100;
const reconcileIntents = countFromEnv("BENCH_RECONCILE_INTENTS", 10_000, 20_000);

/**
 * Issue #11, payments: every knob of bench/payments*.ts, named once. The payments part runs its own
 * servers (never the confirm server), on tables of its own, so nothing collides with the other steps.
 */
export const paymentsSettings = {
  /** Closed-loop POS terminals per level; each on its own table, half pay cash (even index), half card. */
  levels,
  warmUpMs: benchSettings.warmUpMs,
  measureMs: secondsFromEnv("BENCH_PAYMENTS_LEVEL_SECONDS", benchSettings.measureMs),
  /** One raw slice: before the first level and after each level (3 in all), the server idle meanwhile. */
  rawSliceMs: secondsFromEnv("BENCH_PAYMENTS_RAW_SLICE_SECONDS", 2_000),
  rawDriftWarnRatio: benchSettings.rawDriftWarnRatio,
  /** T132..T147 (16), T148..T211 (64), then the reconciliation tables T212..T311. */
  firstLevelTable: firstTable,
  /** Tables in the payments servers' config: the demo's layout with T1..T311. */
  tableCount: firstTable - 1 + levelTables + reconcileTables,
  /** The one line every cycle confirms: 김치찌개 x2 (매운맛), 18,000 won, one kitchen slip. */
  line: { menuId: "kimchi-jjigae", quantity: 2, optionIds: ["hot"] },
  clientMessagesPerSecondMax: benchSettings.clientMessagesPerSecondMax,
  commandTimeoutMs: benchSettings.commandTimeoutMs,
  /** A terminal that fails this many cycles in a row stops (a broken run, not load). */
  consecutiveErrorsMax: 20,
  latencySamplesMax: 1_000_000,
  /** After a level the kitchen slips are still printing; the raw slice waits for them, at most this long. */
  printDrainTimeoutMs: 20_000,
  /**
   * Reconciliation of open intents: a server whose VAN is a simulator in the bench process, faults
   * set so every approval goes unanswered and query / net cancel get 503, then a restart with the
   * faults cleared, timed until no payment is pending.
   */
  reconcile: {
    tables: reconcileTables,
    firstTable: firstTable + levelTables,
    intents: reconcileIntents,
    intentsPerTable: Math.ceil(reconcileIntents / reconcileTables),
    amountWon: 1_000,
    /** 소주 (5,000 won) x this = what each table owes, enough for all its intents (quantityMax is 99). */
    sojuPriceWon: 5_000,
    /**
     * payment.start commands a terminal keeps under way at once (each takes ~0.9 s idle: the approval's
     * deadline, then query and net cancel, 3 tries each with 0.1 + 0.2 s pauses). 2 x 100 tables keeps the
     * hung approvals under the simulator's 256 connections (past it new connections are dropped, nothing charged)
     * and already keeps the server's CPU busy (7 HTTP requests and one commit per intent).
     */
    inFlightPerTable: 2,
    /**
     * The first half of each table's intents: the VAN charges, then never answers (`timeout {afterProcessing: true}`);
     * the second half: it takes the request and never answers, charging nothing (`timeout`).
     */
    approvedShare: 0.5,
    /**
     * PAYMENT_TIMEOUT_MS of the server that makes the intents (how long an approval hangs before the server gives up).
     * At 50 ms about 10% of the first half were given up under this load before the simulator had read them (no charge).
     */
    paymentTimeoutMs: 250,
    /** RECONCILE_INTERVAL_MS: the periodic pass never runs by itself; only the pass at start does. */
    reconcileIntervalMs: 3_600_000,
    pollMs: 100,
    settleTimeoutMs: secondsFromEnv("BENCH_RECONCILE_TIMEOUT_SECONDS", 150_000),
    /** The reconciler's own parallelism; the raw round trips use the same. */
    concurrency: reconcileDefaults.concurrency,
    /** The raw round trips' untimed setup (charging the orders the query will find) runs this many at once. */
    setupConcurrency: 32,
    /** The card adapter's request deadline on the restarted server (PAYMENT_TIMEOUT_MS unset) and for the raw round trips. */
    requestTimeoutMs: 30_000,
  },
} as const;

export function levelTableIds(levelIndex: number): string[] {
  const first = paymentsSettings.firstLevelTable + paymentsSettings.levels.slice(0, levelIndex).reduce((sum, n) => sum + n, 0);
  return Array.from({ length: paymentsSettings.levels[levelIndex]! }, (_, i) => tableId(first + i));
}

export function reconcileTableIds(): string[] {
  const r = paymentsSettings.reconcile;
  return Array.from({ length: r.tables }, (_, i) => tableId(r.firstTable + i));
}
